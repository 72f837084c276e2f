"""Rules on error codes and HTTP statuses named in prose and inline code.

Rules ZOF101 to ZOF104 of `zofdocs.findings.RULES`.
"""

from __future__ import annotations

import re

from zofdocs.checks.context import CheckContext
from zofdocs.errors import Problem
from zofdocs.prose import Doc
from zofdocs.suggest import closest

__all__ = ["spans", "statuses"]

_NUMBER = re.compile(r"[1-5]\d\d")
_HTTP = re.compile(r"HTTP[ \t]+$")
_REASON = re.compile(r"(?:[ \t]+[A-Za-z][A-Za-z'\u2019-]*){0,4}")
_NOT_BEFORE = frozenset("_.#/-") | frozenset("0123456789")
_NOT_AFTER = re.compile(r"[\w%/-]|\.\d")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def statuses(ctx: CheckContext, doc: Doc, found: list[Problem]) -> None:
    """HTTP statuses in prose: one the API returns (ZOF103), with its reason phrase (ZOF104).

    Args:
        ctx: What the catalog allows.
        doc: The document.
        found: Where findings go.
    """
    prose = doc.prose
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
                found.append(
                    ctx.at(
                        doc, http.start() if http else start, "ZOF103",
                        f"HTTP {number} is not a status the API returns",
                        "statuses: " + ", ".join(str(s) for s in ctx.statuses),
                    )
                )  # fmt: skip
            continue
        if not named:
            continue
        expected = status.title.split()
        if words[: len(expected)] == expected:
            continue
        found.append(
            ctx.at(
                doc, end + len(text) - len(text.lstrip()), "ZOF104",
                f"{number} is '{status.title}', not '{' '.join(words[: len(expected)])}'",
                f"write '{number} {status.title}'",
            )
        )  # fmt: skip


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
                found.append(
                    ctx.at(
                        doc, span.offset, "ZOF102",
                        f"'{text}' is deprecated since {code.deprecated}", replaced,
                    )
                )  # fmt: skip
            continue
        if text in ctx.params or not _SNAKE.fullmatch(text):
            continue
        close = closest(text, ctx.codes, 0.8)
        if close:
            found.append(
                ctx.at(
                    doc, span.offset, "ZOF101",
                    f"unknown error code '{text}'", f"did you mean '{close}'?",
                )
            )  # fmt: skip


def _names_on_line(doc: Doc, offset: int, code: str | None) -> bool:
    """Whether the line at `offset` also names `code` in inline code."""
    line = doc.position(offset)[0]
    return code is not None and any(
        s.content.strip() == code and doc.position(s.offset)[0] == line for s in doc.spans
    )
