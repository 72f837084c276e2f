"""A page's description, for the pages whose front matter gives none.

The description goes into the page's `<meta name="description">`, which search engines
and link previews show under its title. A page without one gets the site's, so that many
pages would share one text: this module makes it from the page's first paragraph of
prose instead, as plain text, at most `LIMIT` characters, cut at a word.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["LIMIT", "describe"]

LIMIT = 160
"""The longest description, in characters: what result pages show before they cut."""

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
# Paragraphs that are markup of Python-Markdown's extensions, not prose: an admonition's
# first line, an attribute list, an abbreviation, a mkdocstrings directive.
_NOT_PROSE = re.compile(r"^(!!!|\?\?\?|\{:|\*\[|:::)")


def describe(markdown: str) -> str:
    """The page's first paragraph of prose, as plain text for a description.

    Code spans keep their text, links their words; HTML, images and emphasis marks go.
    Text that is not prose (a heading, a table, a list, code, an admonition, an
    attribute list) is passed over.

    Args:
        markdown: The page's Markdown, without its front matter.

    Returns:
        The description, HTML-escaped (Material prints it into the page's head as it
        is), or an empty string when the page has no paragraph of prose.
    """
    tokens = _PARSER.parse(markdown)
    for number, token in enumerate(tokens[:-1]):
        if token.type != "paragraph_open" or token.level != 0:
            continue
        inline = tokens[number + 1]
        if _NOT_PROSE.match(inline.content):
            continue
        text = " ".join(_plain(inline.children or []).split())
        if text:
            return html.escape(_shorten(text), quote=True)
    return ""


def _plain(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts)


def _shorten(text: str) -> str:
    """Cut text to `LIMIT` characters at the last whole word, marking the cut with `…`."""
    if len(text) <= LIMIT:
        return text
    cut = text[: LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return cut + "…"
