"""Jinja filters that put values from YAML safely into Markdown.

Values are escaped for the place they land: raw HTML in prose is shown as text (so a
label such as `<script>` cannot run in a reader's browser), table cells cannot break
their row, and code spans and fences are always long enough for what they hold.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from typing import Any

__all__ = ["block", "cell", "code", "fence", "inline", "json_block", "literal", "relative_link"]

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Python-Markdown's escapable characters that can start inline markup.
_LITERAL = re.compile(r"([\\`*_{}\[\]#])")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_HEADING = re.compile(r"^([ \t]*)(#{1,6})(?=[ \t]|$)", re.MULTILINE)
_LIST_ITEM = re.compile(r"^(?:[*+-]|\d{1,3}[.)])[ \t]")


def inline(text: str) -> str:
    """Escape inline Markdown for a paragraph: HTML becomes text, code spans stay as-is.

    Args:
        text: Inline Markdown from YAML.

    Returns:
        Markdown in which `<`, `>` and `&` outside code spans are entities, and line
        breaks are folded into spaces.
    """
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(text[last : match.start()].translate(_HTML))
        parts.append(match.group(0))  # Code spans show their content literally already.
        last = match.end()
    parts.append(text[last:].translate(_HTML))
    return " ".join("".join(parts).split())


def _escape_html(text: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(text[last : match.start()].translate(_HTML))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].translate(_HTML))
    return "".join(parts)


def block(text: str, indent: int = 0) -> str:
    """Escape block Markdown: paragraphs, lists and fenced code keep their shape.

    As `inline`, raw HTML outside code shows as text. Headings would break the page's
    outline, so a line starting with `#` shows the `#` as text.

    Args:
        text: Markdown from YAML, such as an imported code's description.
        indent: Spaces before every line after the first, to sit inside a list item
            or an admonition.

    Returns:
        The Markdown, blank-line runs folded to one, without trailing whitespace.
    """
    chunks: list[str] = []
    prose: list[str] = []
    fence = ""
    for line in text.strip("\n").splitlines():
        line = line.rstrip()
        opened = _FENCE.match(line)
        if fence:
            chunks.append(line)
            if opened and opened.group(1).startswith(fence):
                fence = ""
            continue
        if opened:
            chunks.append(_HEADING.sub(r"\1\\\2", _escape_html("\n".join(prose))))
            prose = []
            fence = opened.group(1)
            chunks.append(line)
            continue
        after_text = bool(prose) and prose[-1] != "" and not prose[-1][:1].isspace()
        if after_text and _LIST_ITEM.match(line) and not _LIST_ITEM.match(prose[-1]):
            prose.append("")  # Python-Markdown starts a list only after a blank line.
        prose.append(line)
    chunks.append(_HEADING.sub(r"\1\\\2", _escape_html("\n".join(prose))))
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(c for c in chunks if c)).strip("\n")
    pad = " " * indent
    return "\n".join(pad + line if line and i else line for i, line in enumerate(body.split("\n")))


def cell(text: str) -> str:
    """Escape inline Markdown for a table cell: as `inline`, and `|` cannot end the cell.

    Args:
        text: Inline Markdown from YAML.

    Returns:
        Markdown safe inside a table cell.
    """
    return inline(text).replace("|", "\\|")


def literal(text: str) -> str:
    """Escape text so that Markdown shows it exactly, with no formatting at all.

    Args:
        text: Plain text, such as a label.

    Returns:
        Markdown that renders as `text`.
    """
    return " ".join(_LITERAL.sub(r"\\\1", text.translate(_HTML)).split())


def code(text: str) -> str:
    """Wrap text in a code span long enough for any backticks it holds.

    Args:
        text: Plain text, such as an error code.

    Returns:
        The code span.
    """
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def fence(text: str, language: str = "") -> str:
    """Wrap text in a fenced code block longer than any backtick run it holds.

    Args:
        text: The block's content.
        language: The language for highlighting.

    Returns:
        The fenced block, without a trailing newline.
    """
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * (longest + 1)
    return f"{ticks}{language}\n{text}\n{ticks}"


def json_block(data: Any) -> str:
    """Render data as a fenced, indented JSON block.

    Args:
        data: JSON-compatible data.

    Returns:
        The fenced block.
    """
    return fence(json.dumps(data, indent=2, ensure_ascii=False), "json")


def relative_link(from_page: str, to_page: str, anchor: str = "") -> str:
    """Link from one docs page to another by relative path, as MkDocs validates it.

    Args:
        from_page: The linking page's path in the docs, such as `errors/index.md`.
        to_page: The target's path in the docs, such as `glossary.md`.
        anchor: An anchor on the target, without `#`.

    Returns:
        The relative link, such as `../glossary.md#admin-center`.
    """
    target = "" if to_page == from_page else _relative(posixpath.dirname(from_page), to_page)
    return target + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=4096)
def _relative(folder: str, to_page: str) -> str:
    # Thousands of code pages share one folder and link to the same few pages.
    return posixpath.relpath(to_page, folder or ".")
