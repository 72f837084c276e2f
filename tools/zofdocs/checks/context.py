"""What the checker knows, compiled once: the catalog's labels, codes and statuses.

Every rule module (`labels`, `codes`, `examples`, `site`) reads a `CheckContext`, and
`zofdocs.check.Checker` runs them one document at a time.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar, cast

from zofdocs.errors import Problem
from zofdocs.findings import finding
from zofdocs.model import Sources
from zofdocs.prose import Doc, ScanMemo
from zofdocs.suggest import edit_distance, within

__all__ = [
    "BETWEEN_WORDS",
    "ENGLISH_MIN_COUNT",
    "PLACES",
    "WORDS",
    "CheckContext",
    "Piece",
    "Target",
    "cut",
    "english_words",
    "unescape",
    "words",
]


@dataclass(frozen=True)
class Target:
    """A document to check.

    Attributes:
        name: Its name in findings, such as `docs/tooling/index.md`.
        text: Its content.
        page: Its path in the docs, when it is a page of the site (for own-page rules).
    """

    name: str
    text: str
    page: str = ""


def words(text: str) -> str:
    """Fold a run of text's white space, line breaks included, into single spaces.

    Args:
        text: The text as written.

    Returns:
        Its words joined by one space.
    """
    return " ".join(text.split())


WORDS = re.compile('[^\\s*_`\\[\\](){}"\u2018\u2019\u201c\u201d<>|.,;:!?]+')
"""A word, as the rules on near misses read them: a run without white space, emphasis,
brackets, quotes or the punctuation that ends a clause."""


class Piece(NamedTuple):
    """A piece of a document's prose, cut where no rule reads across (`cut`).

    Attributes:
        offset: Where it starts in the prose.
        text: Its text.
        facts: What the rules found in its text, shared by every piece with the same
            text (`CheckContext.facts`).
    """

    offset: int
    text: str
    facts: dict[Callable[..., Any], Any]


# A line break and the blank lines after it; the line break between two rows of a table
# (after a line that ends with `|`, before one that starts with one).
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
_ROWS = re.compile(r"\|\n(?=[ \t]*\|)")
_LONG = 2000
"""Pieces longer than this (a big table) are cut between rows too, where allowed: short
ones are not worth the search."""


def cut(prose: str, *, rows_over: int | None = None) -> list[int]:
    """Where to cut a document's prose into pieces that the rules may read one by one.

    No label, Console path, status or code runs over a blank line (a line of spaces and
    tabs), and what each rule reads before or after what it finds reads the same at a
    line's start as at a piece's. A near miss of a multi-word label does, when only
    white space is between its words: two pieces are one when the first ends with a
    word and the next starts with one (`WORDS`), or one of them is all white space.
    Nothing runs from one row of a table to the next but a label with a `|` in it.

    Args:
        prose: The document's prose.
        rows_over: Cut pieces longer than this between the rows of a table too (a big
            table's rows are then read, and kept, one by one); the caller knows that no
            label has a `|` in it. None: never.

    Returns:
        Where each piece starts, the first at 0.
    """
    found = [0]
    after = 0  # Where the text after the last blank line starts.
    tail = ""  # The piece's last character but white space, if any.
    for blank in _BLANK_LINES.finditer(prose):
        last = prose[blank.start() - 1] if blank.start() > after else ""
        if last and not last.isspace():
            tail = last
        else:  # White space, such as a code span blanked, at the end of the line.
            tail = prose[after : blank.start()].rstrip()[-1:] or tail
        after = blank.end()
        head = prose[after : after + 1]
        if head.isspace():  # The next text's first character but white space, if any.
            following = _BLANK_LINES.search(prose, after)
            head = prose[after : following.start() if following else len(prose)].lstrip()[:1]
        if not head or not tail or (WORDS.match(tail) and WORDS.match(head)):
            continue  # One piece with the next.
        found.append(after)
        tail = ""
    if rows_over is None or len(prose) <= rows_over:
        return found
    more = []
    for start, end in zip(found, [*found[1:], len(prose)], strict=True):
        if end - start > rows_over:
            more += [row.end() for row in _ROWS.finditer(prose, start, end)]
    return sorted(found + more) if more else found


BETWEEN_WORDS = r"(?:[ \t]{1,2}|[ \t]*\n[ \t]*)"
"""The space between two words of a label: one or two spaces, or one line break with
its indent. Not a blank line, which ends a paragraph, and not the run of spaces a
blanked code span leaves ("the Test `x` runs" names no "Test runs")."""


def _pattern(form: str) -> str:
    return BETWEEN_WORDS.join(re.escape(part) for part in form.split())


_Found = TypeVar("_Found")
_MISSING = object()


@dataclass
class CheckContext:
    """What the catalog and glossary allow, compiled into lookups and expressions.

    Args:
        sources: The loaded sources.

    Attributes:
        used: How often each label was found in the documents checked so far.
    """

    sources: Sources
    used: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        glossary = self.sources.glossary
        catalog = self.sources.catalog
        self.labels = glossary.by_label
        self.folded = {lb.label.casefold(): lb for lb in glossary.labels}
        self.wrong = {w: lb.label for lb in glossary.labels for w in lb.wrong_spellings}
        # British and American spellings of a label's words are wrong spellings too,
        # without a glossary entry for each (Admin Centre, Organisation).
        for label in glossary.labels:
            for variant in _variants(label.label):
                if variant.casefold() not in self.folded:
                    self.wrong.setdefault(variant, label.label)
        self.wrong_folded = {w.casefold(): right for w, right in self.wrong.items()}
        forms = sorted({*self.labels, *self.wrong}, key=len, reverse=True)
        # What a label can start with, as the word scanner cuts words: quotes and
        # brackets end a word ("Ops' view" starts with "Ops"), as do the ends of clauses.
        firsts = [form.split()[0].casefold() for form in forms]
        cut = [re.split("[*_`\\[\\](){}\"'\u2018\u2019\u201c\u201d<>]", w)[0] for w in firsts]
        self.first_words = {w for w in (*firsts, *cut) if w}
        # Multi-word labels by their first and last words, for typos of the other words.
        self.by_first: dict[str, list[str]] = {}
        self.by_last: dict[str, list[str]] = {}
        self.by_words: dict[tuple[str, ...], str] = {}  # Sorted words: swapped words.
        self.by_size: dict[int, list[str]] = {}
        # The words of multi-word labels with one or two letters taken out: a word
        # whose own deletions meet these is within a few edits of one (SymSpell's test).
        self._word_keys: set[str] = set()
        self._word_near: dict[str, bool] = {}
        # For each number of words, the letter counts (without spaces) within two of a
        # label's: a run of words of any other count can be no near miss of one.
        self.near_lengths: dict[int, set[int]] = {}
        for name in self.labels:
            parts = name.split()
            if len(parts) > 1:
                self.by_first.setdefault(parts[0].casefold(), []).append(name)
                self.by_last.setdefault(parts[-1].casefold(), []).append(name)
                self.by_words.setdefault(tuple(sorted(name.casefold().split())), name)
                self.by_size.setdefault(len(parts), []).append(name)
                letters = sum(map(len, parts))
                near = self.near_lengths.setdefault(len(parts), set())
                near.update(range(letters - 2, letters + 3))
                for part in name.casefold().split():
                    self._word_keys |= _deletions(part, 2)
        self.label_at = re.compile(_trie(forms) + r"(?![\w:-])", re.IGNORECASE)
        names = "|".join(_pattern(f) for f in sorted(self.labels, key=len, reverse=True))
        self.separator_re = re.compile(
            rf"(?<![\w-])({names})[ \t]*(->|=>|>|»)[ \t]*({names})(?![\w-])"
        )
        self.single = [name for name in self.labels if " " not in name]
        # One-word labels by their other number, and (those of 5 letters or more) by
        # length: the only ones `_near_label` can find a word nearly is.
        self._numbers: dict[str, list[str]] = {}
        self._by_length: dict[int, list[str]] = {}
        for name in self.single:
            want = name.casefold()
            for form in {want + "s", want.removesuffix("s")} - {want}:
                self._numbers.setdefault(form, []).append(name)
            if len(want) >= 5:
                self._by_length.setdefault(len(want), []).append(name)
        self._resolved: dict[str, tuple[str, str] | None] = {}
        self._near: dict[str, tuple[str, str] | None] = {}
        self.codes = {code.code: code for code in catalog.codes}
        self.aliases = {alias: code.code for code in catalog.codes for alias in code.aliases}
        # Codes and aliases with '_', '-' and '.' taken out, and in lowercase: what
        # "invalid-request" and "ratelimited" are written for.
        code_names = [*self.codes, *self.aliases]
        self.squashed = {_squash(name): name for name in code_names}
        self._names = code_names
        self.statuses = {status.status: status for status in catalog.statuses}
        self.params = {p for code in catalog.codes for p in code.params}
        # The blocks of Markdown scanned so far: the documents of one site share many.
        # None scans each document whole.
        self.scan_memo: ScanMemo | None = ScanMemo()
        # What the rules found in each piece of prose (`facts`), by its text.
        self._facts: dict[str, dict[Callable[..., Any], Any]] = {}
        # A table's rows are pieces of their own when no label could run over two rows.
        self._rows = not any("|" in form for form in forms)

    def keep_memos(self, scan_memo: ScanMemo, facts: dict[str, dict[Any, Any]]) -> None:
        """Use, and add to, what an earlier check of the same sources remembered.

        Args:
            scan_memo: Its scanned blocks, which depend on their text alone.
            facts: What its rules found in each piece of prose: the same here only when
                its `fingerprint` is this one's.
        """
        self.scan_memo = scan_memo
        self._facts = facts

    @functools.cached_property
    def _names_by_length(self) -> dict[int, list[tuple[str, str]]]:
        """Each code name and alias with its casefolded form, by that form's length.

        An edit distance of at most 2 needs lengths at most 2 apart: a word far longer
        or shorter than every code is compared with none.
        """
        found: dict[int, list[tuple[str, str]]] = {}
        for name in self._names:
            folded = name.casefold()
            found.setdefault(len(folded), []).append((name, folded))
        return found

    @functools.cached_property
    def fingerprint(self) -> str:
        """What the rules on one document read of the sources, as a digest.

        Two contexts with the same fingerprint give the same findings on the same
        document: the glossary, the statuses, and each code's name, aliases, parameters
        and deprecation. A code's title or fixes are not in it: editing them changes no
        finding on another page. A rule that starts reading more must add it here.
        """
        catalog = self.sources.catalog
        codes = [(c.code, c.aliases, c.params, c.deprecated, c.replaced_by) for c in catalog.codes]
        read = repr((self.sources.glossary, catalog.statuses, codes))
        return hashlib.sha256(read.encode("utf-8")).hexdigest()

    def pieces(self, prose: str) -> list[Piece]:
        """A document's prose in pieces (`cut`), each with what the rules found in it.

        Args:
            prose: The document's prose.

        Returns:
            The pieces, in order; together, all of the prose.
        """
        starts = cut(prose, rows_over=_LONG if self._rows else None)
        found: list[Piece] = []
        for start, end in zip(starts, [*starts[1:], len(prose)], strict=True):
            text = prose[start:end]
            facts = self._facts.get(text)
            if facts is None:
                if len(self._facts) > 100_000:
                    self._facts.clear()
                facts = self._facts[text] = {}
            found.append(Piece(start, text, facts))
        return found

    def facts(self, find: Callable[[CheckContext, str], _Found], piece: Piece) -> _Found:
        """What a rule finds in a piece of prose, found once per text (memoized).

        Generated pages repeat their prose, piece by piece. `find` must read only the
        piece's text and what the checker knows, so that its result depends on nothing
        else: what it finds at the piece's start or end must be what it would find there
        with the document around it (see `cut`).

        Args:
            find: The rule's function, of the checker and a piece's text.
            piece: The piece.

        Returns:
            What `find` returns for its text.
        """
        found = piece.facts.get(find, _MISSING)
        if found is _MISSING:
            found = piece.facts[find] = find(self, piece.text)
        return cast("_Found", found)

    def word_near(self, word: str) -> bool:
        """Whether a word is within a few letters of a word of some multi-word label.

        Args:
            word: A word of prose.

        Returns:
            False when no near miss of a multi-word label can hold it.
        """
        found = self._word_near.get(word)
        if found is None:
            found = bool(_deletions(word.casefold(), 2) & self._word_keys)
            if len(self._word_near) > 200_000:
                self._word_near.clear()
            self._word_near[word] = found
        return found

    def resolve(self, text: str) -> tuple[str, str] | None:
        """Which label a run of words names, and how it is written (memoized; see `_resolve`).

        Args:
            text: Words, their white space folded.

        Returns:
            The label and how the text writes it, or None.
        """
        # Prose repeats its words and phrases: each is worked out once per checker.
        if text not in self._resolved:
            if len(self._resolved) > 200_000:
                self._resolved.clear()
            self._resolved[text] = self._resolve(text)
        return self._resolved[text]

    def _resolve(self, text: str) -> tuple[str, str] | None:
        """Which label a run of words names, and how it is written.

        Args:
            text: Words, their white space folded.

        Returns:
            The label and how the text writes it: `exact`, `case` (another case),
            `wrong` (a known wrong spelling, in any case), `swap` (its words in another
            order), `typo` or `number` (the other number of a one-word label); None
            when it names none, or two equally.
        """
        if text in self.labels:
            return text, "exact"
        folded = text.casefold()
        if folded in self.folded:
            return self.folded[folded].label, "case"
        if folded in self.wrong_folded:
            return self.wrong_folded[folded], "wrong"
        parts = folded.split()
        if len(parts) > 1:
            swapped = self.by_words.get(tuple(sorted(parts)))
            if swapped is not None:
                return swapped, "swap"
            for name in self.by_size.get(len(parts), ()):
                want = name.casefold()
                if folded in (want + "s", want.removesuffix("s")):
                    # "Admin Centers" is a mistake; "project IDs" is prose for many.
                    return (name, "number") if self._place(name) else None
            near = {
                name: _off(text, name)
                for name in self.by_size.get(len(parts), ())
                if _near_words(text, name)
            }
            best = sorted(near.items(), key=lambda item: item[1])
            # The closest, when it is closer than any other ("acckunts": accounts);
            # two as close are named together, for a person to choose.
            if best and (len(best) == 1 or best[0][1] < best[1][1]):
                return best[0][0], "typo"
            if best:
                return f"'{best[0][0]}' or '{best[1][0]}'", "typo"
            return None
        return self.near_label(text)

    def meant_code(self, text: str, *, written: bool) -> str | None:
        """The code or alias a word that is neither is written for, if it is clear.

        Args:
            text: The word, not a code, alias or parameter.
            written: It is in backticks, set off as code; bare words must be nearer.

        Returns:
            The code or alias; two quoted and joined by "or" when both are as near;
            None when none is near.
        """
        squashed = self.squashed.get(_squash(text))
        if squashed is not None and (text.islower() or text.isdigit()):
            return squashed  # "invalid-request", "ratelimited"; not an SDK's RateLimited.
        if squashed is not None:
            return None
        if text.isdigit() and len(text) < 4:
            return None  # A status or a count, not a numeric code (Twilio's have 5 digits).
        if "_" not in text and not (written and any(c.isdigit() for c in text)):
            return None  # A plain word, not shaped like a code.
        folded = text.casefold()
        limit = 1 if len(text) < 8 else 2
        # `within` first: a catalog of thousands of codes shaped alike (`twilio_20404`)
        # puts every name in reach of the length test, and most are ruled out cheaply.
        near = sorted(
            (edit_distance(folded, name_folded), name)
            for length in range(len(folded) - limit, len(folded) + limit + 1)
            for name, name_folded in self._names_by_length.get(length, ())
            if within(folded, name_folded, limit)
        )
        if not written:  # Bare words must look like the code: its first letter, or long.
            near = [(d, n) for d, n in near if len(n) > 6 or n[:1] == text[:1]]
        if not near:
            return None
        if len(near) > 1 and near[0][0] == near[1][0]:
            return f"'{near[0][1]}' or '{near[1][1]}'"  # As near: for a person to choose.
        return near[0][1]

    def near_label(self, word: str) -> tuple[str, str] | None:
        """The one-word label a word nearly is, and how: `typo` or `number`.

        Args:
            word: A word of prose that is no label and no known wrong spelling.

        Returns:
            The label and the kind of miss, or None when no label is that close, or
            when two are (a fix would be a guess).
        """
        if word in self._near:
            return self._near[word]
        if len(self._near) > 200_000:
            self._near.clear()
        found = self._near[word] = self._near_label(word)
        return found

    def _near_label(self, word: str) -> tuple[str, str] | None:
        folded = word.casefold()
        if folded in self.folded or folded in self.wrong_folded:
            return None
        if sum(c.isupper() for c in word) > 1 and not word.isupper():
            return None  # An abbreviation of its own, such as "SREs".
        numbers = self._numbers.get(folded, [])
        if not all(self._place(name) for name in numbers):
            return None  # Prose for several: "organizations".
        found = dict.fromkeys(numbers, "number")
        for size in range(len(folded) - 2, len(folded) + 3):
            for name in self._by_length.get(size, ()):
                want = name.casefold()
                # Two letters off only with the first letter right: "adni" for "admin".
                allowed = 2 if len(want) >= 7 or folded[:1] == want[:1] else 1
                if name not in found and within(folded, want, allowed):
                    found[name] = "typo"
        return next(iter(found.items())) if len(found) == 1 else None

    def _place(self, name: str) -> bool:
        """Whether a label names one place on screen, so its other number is a mistake.

        "Admin Centers" is wrong, there is one; "project IDs" is how prose says many IDs.
        """
        return self.labels[name].kind in PLACES

    def english(self, word: str) -> bool:
        """Whether a word is an English word, by pyspellchecker's frequency list.

        Args:
            word: A word.

        Returns:
            True for an English word seen at least `ENGLISH_MIN_COUNT` times, in any case.
        """
        # A word the list has seen often: rare ones ("gats") are more likely typos.
        return word.casefold().lower() in english_words()  # Looked up as pyspellchecker does.

    def at(
        self,
        doc: Doc,
        offset: int,
        rule: str,
        message: str,
        hint: str = "",
        fix: tuple[int, int, str] | None = None,
    ) -> Problem:
        """A finding at an offset of a document's prose.

        Args:
            doc: The document.
            offset: Where in its prose.
            rule: The rule's identifier.
            message: What is wrong.
            hint: What to write instead.
            fix: The unambiguous fix, as (start, end, text) offsets in the document:
                what `zofdocs check --fix` writes, and what the hint says.

        Returns:
            The finding, at its line and column.
        """
        line, column = doc.position(offset)
        return finding(doc.name, line, column, rule, message, hint, fix)


# Word endings that British and American English spell differently, each way round.
_SPELLINGS = [
    ("centre", "center"), ("colour", "color"), ("organisation", "organization"),
    ("organise", "organize"), ("catalogue", "catalog"), ("licence", "license"),
    ("behaviour", "behavior"), ("authorisation", "authorization"), ("authorise", "authorize"),
    ("cancelled", "canceled"), ("analyse", "analyze"), ("favourite", "favorite"),
]  # fmt: skip


def _variants(label: str) -> set[str]:
    """The label with each word swapped for its other English spelling, as written."""
    found = set()
    for british, american in _SPELLINGS:
        for old, new in ((british, american), (american, british)):

            def swap(match: re.Match[str], new: str = new) -> str:
                return (new.capitalize() if match.group()[0].isupper() else new) + match[1]

            spelled = re.sub(rf"(?i)\b{old}(s?)\b", swap, label)
            if spelled != label:
                found.add(spelled)
    return found


@functools.cache
def english_words() -> frozenset[str]:
    """The words of pyspellchecker's English list seen `ENGLISH_MIN_COUNT` times or more.

    Loaded once per process, on first need, from the word counts `SpellChecker` reads
    (`resources/en.json.gz` in its package), as `_frequent` reads them: in 0.05 s,
    where a `SpellChecker` takes 0.11 s, for lists of letters and totals the checker
    never asks for; `tests/test_check.py` holds the two to the same words.

    Returns:
        The words, lowercased.
    """
    import gzip  # Here: the checker's start-up needs neither.
    import pkgutil

    raw = pkgutil.get_data("spellchecker", "resources/en.json.gz")
    if raw is None:  # pragma: no cover - a package whose loader cannot read its data
        raise RuntimeError("pyspellchecker's English word list cannot be read")
    return _frequent(gzip.decompress(raw), ENGLISH_MIN_COUNT)


def _frequent(counts_json: bytes, least: int) -> frozenset[str]:
    """The words of a JSON object of word counts seen `least` times or more, lowercased.

    As pyspellchecker reads the list: the counts of words that differ only in case are
    added up.
    """
    import orjson

    counts: dict[str, int] = orjson.loads(counts_json)
    if _lowercase(counts_json):  # As shipped: folding 160,000 words would double the time.
        return frozenset(word for word, count in counts.items() if count >= least)
    folded: dict[str, int] = {}
    for word, count in counts.items():
        folded[word.lower()] = folded.get(word.lower(), 0) + count
    return frozenset(word for word, count in folded.items() if count >= least)


def _lowercase(text: bytes) -> bool:
    """Whether UTF-8 text has no capital letter, written out or escaped, in a few ms.

    `bytes.lower` changes ASCII capitals only; every byte of a character beyond ASCII
    is above 0x7f, so what is left once the ASCII bytes are dropped is the other
    characters, whole.
    """
    if b"\\u" in text or text.lower() != text:
        return False
    others = text.translate(None, _ASCII).decode("utf-8")
    return others.lower() == others


_ASCII = bytes(range(128))


def _squash(name: str) -> str:
    return re.sub(r"[_.-]", "", name).casefold()


PLACES = frozenset({"page", "area", "tile"})
"""Label kinds that name one place in the Console: their other number is a mistake."""

ENGLISH_MIN_COUNT = 500
"""How often pyspellchecker's list (1.6 billion words) must have seen a word for the
checker to take it as English, not a typo: "dates" (18,016) is, "gats" (159) is not."""


def _deletions(word: str, depth: int) -> set[str]:
    """The word, and every word made by taking out up to `depth` of its letters."""
    found = {word}
    edge = {word}
    for _ in range(depth):
        edge = {w[:i] + w[i + 1 :] for w in edge for i in range(len(w))}
        found |= edge
    return found


def _off(text: str, label: str) -> int:
    """How many letters `text` is off `label`, word by word."""
    pairs = zip(text.casefold().split(), label.casefold().split(), strict=True)
    return sum(edit_distance(g, w) for g, w in pairs)


def _near_words(text: str, label: str) -> bool:
    """Whether `text` is `label` with one or two letters off across its words."""
    got, want = text.casefold().split(), label.casefold().split()
    if len(got) != len(want) or got == want:
        return False
    if any(abs(len(g) - len(w)) > 2 for g, w in zip(got, want, strict=True)):
        return False  # Cheaper than the distances, and most runs stop here.
    most = 1 + (sum(map(len, want)) >= 10)  # Letters off in any one word.
    if not all(within(g, w, most) for g, w in zip(got, want, strict=True)):
        return False  # Cheaper than the distances too.
    off = [edit_distance(g, w) for g, w in zip(got, want, strict=True)]
    short = [g for g, w in zip(got, want, strict=True) if g != w and len(g) < 2]
    return not short and max(off) <= most and sum(off) <= 2


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
"""What Markdown lets a backslash escape: a generated page writes "C\\+\\+" for C++."""


def _escaped(char: str) -> str:
    """A character of a label as a pattern; punctuation may come after a backslash."""
    return ("\\\\?" if char in _PUNCTUATION else "") + re.escape(char)


def unescape(text: str) -> str:
    """Text as Markdown shows it: each backslash before punctuation taken out.

    Args:
        text: Text as written in Markdown.

    Returns:
        The text without its backslash escapes.
    """
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def _trie(forms: list[str]) -> str:
    """One regular expression for many words, as a trie: shared prefixes are tried once."""
    root: dict[str, Any] = {}
    for form in forms:
        node = root
        for char in " ".join(form.casefold().split()):
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [
            (BETWEEN_WORDS if char == " " else _escaped(char)) + emit(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # A form ends here; a longer one may go on.
            body = f"(?:{body})?"
        return body

    return emit(root)
