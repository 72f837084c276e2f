"""Rules on error codes and HTTP statuses named in prose and inline code.

Rules ZOF101 to ZOF104 of `zofdocs.findings.RULES`.
"""

from __future__ import annotations

import re

from zofdocs.checks.context import CheckContext, Piece
from zofdocs.errors import Problem
from zofdocs.prose import Doc

__all__ = ["bare", "spans", "statuses"]

_NUMBER = re.compile(r"[1-5]\d\d")
_HTTP = re.compile(r"HTTP[ \t]+$")
_REASON = re.compile(r"(?:[ \t]+[A-Za-z][A-Za-z'\u2019-]*){0,4}")
_NOT_BEFORE = frozenset("_.#/-") | frozenset("0123456789")
_NOT_AFTER = re.compile(r"[\w%/-]|\.\d")
# A lowercase word standing alone in prose (snake_case, or a code without its "_"): not
# part of a path, a URL or an identifier.
_BARE = re.compile(r"(?<![\w./:@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)*(?![\w/:@-]|\.\w)")
# What a code in backticks may look like: a catalog's own form (rate_limited, 20404,
# 22P02), or one with its parts joined by '-' or nothing.
_CODE_LIKE = re.compile(r"[A-Za-z0-9]+(?:[_.-][A-Za-z0-9]+)*")


_Status = tuple[int, str, str, str, tuple[int, int, str] | None]
"""A finding on a status: where, its rule, message, hint and fix, from a piece's start."""


def statuses(ctx: CheckContext, doc: Doc, found: list[Problem], pieces: list[Piece]) -> None:
    """HTTP statuses in prose: one the API returns (ZOF103), with its reason phrase (ZOF104).

    Args:
        ctx: What the catalog allows.
        doc: The document.
        found: Where findings go.
        pieces: The document's prose, cut at blank lines (`CheckContext.pieces`).
    """
    for piece in pieces:
        offset = piece.offset
        for at, rule, message, hint, fix in ctx.facts(_find_statuses, piece):
            if fix is not None:
                fix = (fix[0] + offset, fix[1] + offset, fix[2])
            found.append(ctx.at(doc, at + offset, rule, message, hint, fix))


def _find_statuses(ctx: CheckContext, prose: str) -> list[_Status]:
    """The findings on statuses in a piece of prose (`CheckContext.facts` keeps them)."""
    found: list[_Status] = []
    for number_match in _NUMBER.finditer(prose):
        start, end = number_match.span()
        if start and (prose[start - 1] in _NOT_BEFORE or prose[start - 1].isalpha()):
            continue
        if _NOT_AFTER.match(prose, end):
            continue
        http = _HTTP.search(prose, max(0, start - 12), start)
        reason = _REASON.match(prose, end)
        text = reason.group() if reason else ""
        number = int(number_match.group())
        words = text.split()
        status = ctx.statuses.get(number)
        named = bool(words) and words[0][:1].isupper()
        if status is None:
            # Success codes are not errors, and a catalog without statuses (one
            # imported from elsewhere) says nothing about the HTTP ones.
            if number >= 400 and (http or named) and ctx.statuses:
                found.append((
                    http.start() if http else start, "ZOF103",
                    f"HTTP {number} is not a status the API returns",
                    "statuses: " + ", ".join(str(s) for s in ctx.statuses), None,
                ))  # fmt: skip
            continue
        if not named:
            continue
        expected = status.title.split()
        if words[: len(expected)] == expected:
            continue
        phrase_at = end + len(text) - len(text.lstrip())
        word = r"[A-Za-z][A-Za-z'\u2019-]*"
        phrase = re.match(rf"{word}(?:[ \t]+{word}){{{len(expected) - 1}}}", prose[phrase_at:])
        # Fixed only when the words are surely the phrase: after "HTTP", or the phrase
        # in another case. "Up to 400 Users" is a count, not "400 Bad Request".
        surely = phrase is not None and (
            http or phrase.group().casefold() == status.title.casefold()
        )
        fix = (phrase_at, phrase_at + phrase.end(), status.title) if phrase and surely else None
        found.append((
            phrase_at, "ZOF104",
            f"{number} is '{status.title}', not '{' '.join(words[: len(expected)])}'",
            f"write '{number} {status.title}'", fix,
        ))  # fmt: skip
    return found


def spans(ctx: CheckContext, doc: Doc, page: str, found: list[Problem]) -> None:
    """Codes in inline code: unknown (ZOF101) or deprecated (ZOF102) ones.

    Args:
        ctx: What the catalog allows.
        doc: The document.
        page: The document's page in the docs, where a code's own page may name it.
        found: Where findings go.
    """
    for span in doc.spans:
        text = span.content.strip()
        code = ctx.codes.get(text)
        if code is not None:
            if (
                code.deprecated
                and not span.linked
                and page != code.page
                and not _names_on_line(doc, span.offset, code.replaced_by)
            ):
                replaced = f"use '{code.replaced_by}'" if code.replaced_by else ""
                # No fix: a sentence may name the old code on purpose ("`x` is deprecated").
                found.append(
                    ctx.at(
                        doc, span.offset, "ZOF102",
                        f"'{text}' is deprecated since {code.deprecated}", replaced,
                    )
                )  # fmt: skip
            continue
        if text in ctx.params or text in ctx.aliases or not _CODE_LIKE.fullmatch(text):
            continue
        meant = ctx.meant_code(text, written=True)
        if meant is not None:
            at = span.offset + len(span.content) - len(span.content.lstrip())
            found.append(_unknown(ctx, doc, span.offset, (at, at + len(text)), text, meant))


def bare(ctx: CheckContext, doc: Doc, found: list[Problem], pieces: list[Piece]) -> None:
    """A code written in prose without backticks that is not a code, but nearly (ZOF101).

    "Retry on rate_limted": a snake_case word one or two letters from a code is a
    mistyped code. A real code in plain prose is left alone.

    Args:
        ctx: What the catalog allows.
        doc: The document.
        found: Where findings go.
        pieces: The document's prose, cut at blank lines (`CheckContext.pieces`).
    """
    if not ctx.codes:
        return
    for piece in pieces:
        offset = piece.offset
        for start, end, word, meant in ctx.facts(_find_bare, piece):
            span = (start + offset, end + offset)
            found.append(_unknown(ctx, doc, span[0], span, word, meant))


def _find_bare(ctx: CheckContext, prose: str) -> list[tuple[int, int, str, str]]:
    """Words of a piece of prose nearly a code: start, end, word, and the code meant."""
    found = []
    for match in _BARE.finditer(prose):
        text = match.group()
        if text in ctx.codes or text in ctx.params or text in ctx.aliases:
            continue
        if "_" not in text and (text not in ctx.squashed or ctx.english(text)):
            continue  # A word, unless it is a code without its underscores.
        meant = ctx.meant_code(text, written=False)
        if meant is not None:
            found.append((match.start(), match.end(), text, meant))
    return found


def _unknown(
    ctx: CheckContext, doc: Doc, at: int, span: tuple[int, int], text: str, meant: str
) -> Problem:
    """ZOF101 for `text`, which means the code or alias `meant`: fixed to a current one."""
    if " or " in meant:
        return ctx.at(doc, at, "ZOF101", f"unknown error code '{text}'", f"did you mean {meant}?")
    code = ctx.codes.get(meant)
    if code is not None and code.deprecated:
        if not code.replaced_by:
            hint = f"did you mean '{meant}'? It is deprecated since {code.deprecated}"
            return ctx.at(doc, at, "ZOF101", f"unknown error code '{text}'", hint)
        hint = f"'{meant}' is deprecated: write '{code.replaced_by}'"
        fix = (span[0], span[1], code.replaced_by)
        return ctx.at(doc, at, "ZOF101", f"unknown error code '{text}'", hint, fix)
    hint = f"write '{meant}'"
    return ctx.at(doc, at, "ZOF101", f"unknown error code '{text}'", hint, (*span, meant))


def _names_on_line(doc: Doc, offset: int, code: str | None) -> bool:
    """Whether the line at `offset` also names `code` in inline code."""
    line = doc.position(offset)[0]
    return code is not None and any(
        s.content.strip() == code and doc.position(s.offset)[0] == line for s in doc.spans
    )
