"""Suggestions for a misspelt name: the one place every "did you mean" comes from.

Validation (unknown keys, enum values, codes, labels), the checker (labels, codes,
JSON keys) and the runbooks (codes in scope) all suggest the same way, with a cutoff
that says how close a suggestion must be.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from functools import lru_cache

__all__ = ["closest", "did_you_mean", "edit_distance", "within"]


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """The choice most like a word, if one is like it enough.

    Args:
        word: The word as written.
        choices: The names it may have meant.
        cutoff: How alike they must be, from 0 to 1 (`difflib`'s ratio).

    Returns:
        The closest choice, or an empty string when none reaches the cutoff.
    """
    return _closest(word, tuple(choices), cutoff)


@lru_cache(maxsize=4096)
def _closest(word: str, choices: tuple[str, ...], cutoff: float) -> str:
    # Cached: the checker asks about the same words on page after page. Bounded, since
    # `mkdocs serve` lives long and the choices change with every catalog edit.
    found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return found[0] if found else ""


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """A hint naming the closest choice, as every message of zofdocs words it.

    Args:
        word: The word as written.
        choices: The names it may have meant.
        cutoff: How alike they must be, from 0 to 1.

    Returns:
        `did you mean 'NAME'?`, or an empty string when no choice is close enough.
    """
    match = closest(word, choices, cutoff)
    return f"did you mean {match!r}?" if match else ""


def edit_distance(a: str, b: str) -> int:
    """How many letters to insert, delete, change or swap with a neighbour to go from a to b.

    The Damerau-Levenshtein distance (optimal string alignment), for words: a typo is
    usually one or two of these.

    Args:
        a: A word.
        b: Another word.

    Returns:
        The number of edits.
    """
    rows = [list(range(len(b) + 1)), *_rows(a, b)]
    return rows[-1][-1]


def _rows(a: str, b: str) -> Iterator[list[int]]:
    """The rows of the table `edit_distance` fills, after the first, one per letter of a."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
        yield row


def within(a: str, b: str, limit: int) -> bool:
    """Whether `edit_distance(a, b)` is at most `limit`, mostly without working it out.

    The smallest number in a row of the table `edit_distance` fills never decreases from
    one row to the next (a transposition reaches two rows back, but the row between is
    at most one more), so once a row's smallest passes `limit`, the distance does too.
    Words that differ at once, as most words asked about do, stop after a row or two.

    Args:
        a: A word.
        b: Another word.
        limit: The most edits allowed.

    Returns:
        True when the words are at most `limit` edits apart.
    """
    if abs(len(a) - len(b)) > limit:
        return False  # Each letter more in one word is one edit at least.
    if len(set(a) - set(b)) > limit or len(set(b) - set(a)) > limit:
        return False  # So is each letter of one that the other lacks.
    row = list(range(len(b) + 1))
    for row in _rows(a, b):
        if min(row) > limit:
            return False
    return row[-1] <= limit
