"""Find the prose of a Markdown page or template: what a reader reads as text.

Code blocks, inline code, URLs and link targets, HTML tags and comments, front matter,
attribute lists, abbreviation definitions and Jinja syntax are not prose. They are
blanked out (each character replaced by a space, line breaks kept), so every offset in
the prose is the offset in the file, and a label split across a line break is still
one run of text with white space in it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

__all__ = ["CodeSpan", "Doc", "JsonBlock", "scan"]

IGNORE = "zofdocs-check: ignore"
"""A line holding this text (in an HTML comment) reports nothing."""

_FENCE = re.compile(
    r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)"
    r"(?:^[ \t>]*(?P=fence)[`~]*[ \t]*(?:\n|\Z)|\Z)",
    re.MULTILINE | re.DOTALL,
)
# One pass over everything else that is not prose. Named groups say what was found.
_NOT_PROSE = re.compile(
    # The lookahead lets most positions fail on one character test.
    r"(?=[-<{`\]\[ \t*h])"
    r"(?:(?P<front>\A---\n.*?\n---[ \t]*\n)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<jinja>\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})"
    r"|(?P<code>(?P<ticks>`+)(?P<content>(?:(?!\n[ \t]*\n).)+?)(?P=ticks))"
    r"|(?P<target>\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\))"
    r"|(?P<refdef>^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$)"
    r"|(?P<abbr>^\*\[[^\]\n]+\]:.*$)"
    r"|(?P<url><?https?://[^\s)>\]]+>?)"
    r"|(?P<attrs>\{[ \t]*[:#.][^}\n]*\})"
    r"|(?P<tag></?[A-Za-z][^>\n]*>))",
    re.MULTILINE | re.DOTALL,
)


def _blank(text: str) -> str:
    if "\n" not in text:
        return " " * len(text)
    return "\n".join(" " * len(line) for line in text.split("\n"))


@dataclass(frozen=True)
class CodeSpan:
    """An inline code span.

    Attributes:
        offset: Where its content starts in the file.
        content: What it holds.
        linked: It is the text of a link, such as a link to a code's own page.
    """

    offset: int
    content: str
    linked: bool


@dataclass(frozen=True)
class JsonBlock:
    """A fenced code block whose language is JSON.

    Attributes:
        offset: Where its content starts in the file.
        content: The block's text.
    """

    offset: int
    content: str


@dataclass
class Doc:
    """A page, split into prose and the code it holds.

    Attributes:
        name: The file's name, as findings show it.
        text: The whole file.
        prose: `text` with everything that is not prose blanked out.
        spans: The inline code spans.
        json_blocks: The fenced JSON blocks.
        ignored: 1-based lines whose findings are not reported.
    """

    name: str
    text: str
    prose: str = ""
    spans: list[CodeSpan] = field(default_factory=list)
    json_blocks: list[JsonBlock] = field(default_factory=list)
    ignored: set[int] = field(default_factory=set)
    _lines: list[int] = field(default_factory=list, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """Turn an offset into a 1-based line and column.

        Args:
            offset: A character offset in the file.

        Returns:
            The line and column.
        """
        if not self._lines:  # Most documents have no finding: count lines on demand.
            self._lines = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1


def scan(name: str, text: str) -> Doc:
    """Split a page or template into prose, code spans and JSON blocks.

    Args:
        name: The file's name, for findings.
        text: Its content.

    Returns:
        The scanned document.
    """
    doc = Doc(name, text)
    parts: list[str] = []
    last = 0
    for fence in _FENCE.finditer(text):
        parts.append(text[last : fence.start()])
        if fence["info"].strip().lower().startswith("json"):
            doc.json_blocks.append(JsonBlock(fence.start("body"), fence["body"]))
        parts.append(_blank(fence.group(0)))
        last = fence.end()
    parts.append(text[last:])
    unfenced = "".join(parts)
    pieces: list[str] = []
    last = 0
    for match in _NOT_PROSE.finditer(unfenced):
        pieces.append(unfenced[last : match.start()])
        if match["code"]:
            start = match.start()
            linked = unfenced[start - 1 : start] == "[" and unfenced.startswith("](", match.end())
            doc.spans.append(CodeSpan(match.start("content"), match["content"], linked))
        pieces.append(_blank(match.group(0)))
        last = match.end()
    pieces.append(unfenced[last:])
    doc.prose = "".join(pieces)
    if IGNORE in text:
        doc.ignored = {number for number, line in enumerate(text.splitlines(), 1) if IGNORE in line}
    return doc
