"""Find the prose of a Markdown page or template: what a reader reads as text.

The block and inline structure comes from a CommonMark parser (markdown-it-py), adjusted
to read a page as the site renders it: Python-Markdown with the extensions of
`mkdocs.yml`. Prose is the text of paragraphs, headings, list items, table cells,
blockquotes, definitions, and admonition titles and bodies; emphasis characters and link
text stay in it. Everything else is blanked out (each character replaced by a space, line
breaks kept), so every offset in the prose is the offset in the file, and a label split
across a line break is still one run of text with white space in it:

- fenced and indented code blocks, HTML blocks (`<pre>`, comments, raw HTML up to its
  closing tag), front matter, reference and abbreviation definitions, table delimiter
  rows and setext underlines;
- inline code, inline HTML, autolinks, link and image targets, bare URLs, attribute
  lists, icon shortcodes, an admonition's marker and type;
- Jinja syntax, in templates and pages alike.

Block markers that are punctuation stay as written (list bullets, `#`, `>`, a table's
`|`, a definition's `:`): the rules read them as the edges of sentences and Console
paths, and a blank in their place would join two cells or two items into one run of
text.

How the page is read, step by step:

1. Jinja is replaced by placeholder characters of the same length, so that a `|` filter
   does not split a table row and a tag at a line's start does not indent it; in a
   template (`*.j2`), a line holding only Jinja statements is left out, as
   `trim_blocks` and `lstrip_blocks` leave it out of the rendered page.
2. A pre-pass over the lines does what Python-Markdown does and CommonMark does not:
   front matter, raw HTML blocks that run to their closing tag (and `markdown`
   attributes, `md_in_html`), abbreviation definitions; an admonition (`!!!`, `???`,
   `???+`) or definition (`:`) header gets a list marker of the same width, so that
   markdown-it reads its 4-space indented body as nested Markdown, not as code.
   A line that may be prose keeps its length, so its columns are the file's; a line
   that is not prose is emptied, or given a one-line HTML comment in its place.
3. markdown-it parses the blocks; each prose block's lines are kept. Its inline content
   is parsed only when it may hold code, HTML or a link, by inline rules wrapped to
   record where each code span, HTML tag, autolink and link target starts and ends;
   those offsets, in the block's content, map back to the file line by line. Content
   with nothing but code spans and plain links is read without the parser, the same
   way (`_simple_inline`).

With a `ScanMemo`, step 3 and what follows run block by block, on blocks cut where the
parser's reading of one cannot depend on another's, and what a block held is kept for
the next document that has the same block: generated pages repeat most of their text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Any, NamedTuple

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline, autolink, backtick, html_inline, image, link
from markdown_it.token import Token

__all__ = ["CodeSpan", "Doc", "JsonBlock", "Region", "ScanMemo", "scan"]

IGNORE = "zofdocs-check: ignore"
"""A line holding this text (in an HTML comment) reports nothing."""

# Jinja, found in the file before anything else: a template is Jinja first. `{%` and `{#`
# are followed by white space or a whitespace-control sign, so an attribute list such
# as `{#id}` is not taken for a comment. Only a comment may run over a blank line.
_JINJA = re.compile(
    r"\{(?:\{(?:[^\n]|\n(?![ \t]*\n))*?\}\}"
    r"|%[-+\s](?:[^\n]|\n(?![ \t]*\n))*?%\}"
    r"|#[-+\s].*?#\})",
    re.DOTALL,
)
# Placeholders the parser sees for Jinja: an expression is text; a statement or comment
# is text too, but marked, so that a template's line of statements alone can be left out.
_EXPRESSION = "x"
_STATEMENT = "\x01"
# The lines the pre-pass looks at: fences (so that nothing is looked for inside one), HTML
# tags at a line's start, abbreviation definitions (a run of them at once: a page's
# glossary of abbreviations is many lines), admonition and definition headers.
# Each is matched from the line break before its line, in the lines with one put first:
# a literal to start with is found fast, where `^` is tried at every character.
_CANDIDATE = re.compile(
    r"\n(?:(?P<fence> {0,3}(?:`{3,}|~{3,}))"
    r"|(?P<tag> {0,3}<[A-Za-z])"
    r"|(?P<abbr>[ \t>]*\*\[[^\]\n]*\] ?:[^\n]*(?:\n[ \t>]*\*\[[^\]\n]*\] ?:[^\n]*)*)"
    r"|(?P<header>[ \t>]*(?:!!!|\?\?\?|:[ \t])))"
)
_ADMONITION = re.compile(
    r"(?P<pre>[ \t>]*)(?P<mark>!!!|\?\?\?\+?) ?(?P<kind>[\w-]+(?: +[\w-]+)*)?"
    r'(?: *"(?P<title>.*)")? *$'
)
_DEFINITION = re.compile(r"[ \t>]*:[ \t]{1,3}\S")
# What the pre-pass leaves where raw HTML starts: an HTML block of one line to markdown-it.
_STAND_IN = "<!---->"
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_HTML_OPEN = re.compile(r" {0,3}<([A-Za-z][A-Za-z0-9-]*)")
_MARKDOWN_ATTR = re.compile(r"""\smarkdown(?:\s*=\s*(["']?)(?:1|block|span)\1)?(?=[\s/>])""")
# Python-Markdown's block-level elements: one of these at a line's start begins raw HTML
# that runs to its closing tag, blank lines and all.
_BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "canvas", "center", "colgroup",
    "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
    "form", "group", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
    "iframe", "legend", "li", "main", "map", "math", "menu", "nav", "noscript", "object",
    "ol", "option", "output", "p", "pre", "progress", "script", "section", "style",
    "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "ul",
    "video",
))  # fmt: skip
# Not prose inside prose, and no business of a CommonMark parser: bare URLs (no
# extension links them, but they are addresses, not words), attribute lists and icon
# shortcodes. Each starts with a literal, which the regular expression engine finds fast.
_EXTRAS = (
    re.compile(r"https?://[^\s)>\]`]+"),
    re.compile(r"\{[ \t]*[:#.][^}\n]*\}"),
    re.compile(r":(?:material|octicons|fontawesome|simple)-[\w-]+:"),
)
_HEADING_CLOSE = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
_PIPE = re.compile(r"(?<!\\)\|")


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


class Region(NamedTuple):
    """A block of prose, or a table cell.

    Attributes:
        start: Where its text starts in the file.
        end: Where it ends.
        kind: What it is: `paragraph`, `heading`, `table cell`, `list item`,
            `blockquote`, `definition`, `admonition title` or `admonition`.
    """

    start: int
    end: int
    kind: str


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
        regions: The blocks of prose, in file order, each with its kind.
    """

    name: str
    text: str
    prose: str = ""
    spans: list[CodeSpan] = field(default_factory=list)
    json_blocks: list[JsonBlock] = field(default_factory=list)
    ignored: set[int] = field(default_factory=set)
    regions: list[Region] = field(default_factory=list)
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


# Inline parsing ------------------------------------------------------------------------

_RECORD = "zofdocs.prose"
"""The key, in the inline parser's environment, of the `_Marks` being recorded."""

_Rule = Callable[[StateInline, bool], bool]


class _Marks:
    """What the wrapped inline rules found in one source, as offsets into it."""

    __slots__ = ("code", "links", "other", "src")

    def __init__(self, src: str) -> None:
        self.src = src
        self.code: list[tuple[int, int, int]] = []  # start, end, length of the ticks
        self.links: list[tuple[int, int, int]] = []  # start and end of the text, end
        self.other: list[tuple[int, int]] = []  # HTML tags and autolinks


def _recording(rule: _Rule, kind: str) -> _Rule:
    """Wrap an inline rule to record the source range of what it parses."""

    def wrapped(state: StateInline, silent: bool) -> bool:
        start = state.pos
        count = len(state.tokens)
        if not rule(state, silent):
            return False
        marks: _Marks | None = state.env.get(_RECORD)
        # An image's text is parsed on its own, from a copy: its offsets are not ours.
        if silent or marks is None or state.src is not marks.src:
            return True
        end = state.pos
        if kind == "code":
            if len(state.tokens) > count and state.tokens[-1].type == "code_inline":
                marks.code.append((start, end, len(state.tokens[-1].markup)))
        elif kind == "link":
            label_end = state.md.helpers.parseLinkLabel(state, start, True)
            marks.links.append((start + 1, label_end, end))
        elif kind == "image":
            label_end = state.md.helpers.parseLinkLabel(state, start + 1, False)
            marks.links.append((start + 2, label_end, end))
        else:
            marks.other.append((start, end))
        return True

    return wrapped


class _Parser(MarkdownIt):
    """A parser that takes a link's target as it is written.

    Only where a target ends matters here, not what it says: no encoding (the slowest
    part of parsing a link), and no target refused as unsafe, which would make the
    target's text read as prose where Python-Markdown sees a link.
    """

    def normalizeLink(self, url: str) -> str:  # noqa: N802 (markdown-it's name)
        return url

    def normalizeLinkText(self, link: str) -> str:  # noqa: N802 (markdown-it's name)
        return link

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        return True


@cache
def _parser() -> MarkdownIt:
    """The one CommonMark parser, with tables, and inline rules that record offsets."""
    md = _Parser("commonmark", {"html": True}).enable("table")
    # Emphasis stays as written in the prose, entities and line breaks are text: none
    # of them needs a token, and the rules left run faster alone.
    md.inline.ruler.disable(["emphasis", "entity", "newline"], ignoreInvalid=True)
    md.inline.ruler2.disable(["balance_pairs", "emphasis", "fragments_join"], ignoreInvalid=True)
    md.inline.ruler.at("backticks", _recording(backtick, "code"))
    md.inline.ruler.at("link", _recording(link, "link"))
    md.inline.ruler.at("image", _recording(image, "image"))
    md.inline.ruler.at("autolink", _recording(autolink, "other"))
    md.inline.ruler.at("html_inline", _recording(html_inline, "other"))
    return md


# The pre-pass ------------------------------------------------------------------------


class _Lines:
    """The lines markdown-it parses, and where each one is in the file.

    A line is the file's line with the same length (Jinja as placeholders, a header's
    marker rewritten), or, where the file's line is not prose, an empty line or a
    one-line HTML comment.
    """

    __slots__ = ("blanks", "dds", "headers", "lines", "origin")

    def __init__(self, lines: list[str], origin: list[int] | None) -> None:
        self.lines = lines
        self.origin = origin  # The file's line of each line; None when they are the same.
        # Admonition headers, with the columns of their title when they have one.
        self.headers: dict[int, tuple[int, int] | None] = {}
        self.dds: set[int] = set()  # Definitions.
        self.blanks: list[tuple[int, int, int]] = []  # Line, start and end column.

    def file_line(self, line: int) -> int:
        return line if self.origin is None else self.origin[line]


def _prepare(name: str, text: str) -> tuple[_Lines, str, list[tuple[int, int]]]:
    """Jinja as placeholders, and the pre-pass (steps 1 and 2 of the module's docstring).

    Returns:
        The lines to parse; the file with Jinja as placeholders, offsets kept; and the
        file's Jinja, as ranges of offsets.
    """
    jinja: list[tuple[int, int]] = []
    base = text
    if "{" in text:
        parts: list[str] = []
        last = 0
        for match in _JINJA.finditer(text):
            start, end = match.span()
            jinja.append((start, end))
            fill = _EXPRESSION if text[start + 1] == "{" else _STATEMENT
            parts += [text[last:start], _fill(match.group(), fill)]
            last = end
        if jinja:
            parts.append(text[last:])
            base = "".join(parts)
    if "\r" in base or "\0" in base:  # As markdown-it would, but keeping each length.
        base = base.replace("\r", " ").replace("\0", "\ufffd")
    lines = base.split("\n")
    origin = None
    if name.endswith(".j2") and _STATEMENT in base:
        origin = [
            i for i, line in enumerate(lines)
            if _STATEMENT not in line or line.strip(" \t" + _STATEMENT)
        ]  # fmt: skip
        lines = [lines[i] for i in origin]
    source = _Lines(lines, origin)
    _front_matter(lines)
    _python_markdown(source)
    return source, base, jinja


def _line_starts(text: str) -> list[int]:
    """Where each line of `text` starts, and where one after the last would."""
    # Each line's length and its line break, summed up, in C rather than a loop.
    return list(accumulate(map((1).__add__, map(len, text.split("\n"))), initial=0))


def _fill(text: str, char: str) -> str:
    if "\n" not in text:
        return char * len(text)
    return "\n".join(char * len(line) for line in text.split("\n"))


def _front_matter(lines: list[str]) -> None:
    """Blank YAML front matter, as MkDocs finds it: closed, and a line break after."""
    if not lines or lines[0].lstrip("\ufeff").rstrip(" \t") != "---":
        return
    for end in range(1, len(lines) - 1):
        if lines[end].rstrip(" \t") in ("---", "..."):
            lines[: end + 1] = [""] * (end + 1)
            return


def _python_markdown(source: _Lines) -> None:
    """Rewrite the lines where Python-Markdown reads them otherwise than CommonMark."""
    lines = source.lines
    joined = "\n".join(lines)
    starts: list[int] = []  # Where each line starts in `joined`, when raw HTML needs it.
    fence: tuple[str, int] | None = None
    skip_to = -1  # The last line of raw HTML blanked.
    number = 0
    at = 0
    for candidate in _CANDIDATE.finditer("\n" + joined):
        # Where the candidate's line starts in `joined`: after the break matched first.
        number += joined.count("\n", at, candidate.start())
        at = candidate.start()
        what = candidate.lastgroup
        if number <= skip_to and what != "abbr":
            continue
        line = lines[number]
        if fence is not None:  # Only its closing fence can end it.
            opened = _FENCE_OPEN.match(line)
            char, size = fence
            closes = opened is not None and opened[1][0] == char and len(opened[1]) >= size
            if closes and opened is not None and not line[opened.end() :].strip():
                fence = None
        elif what == "abbr":  # Python-Markdown takes them out of the page.
            # Past the raw HTML blanked, which may end on one of them.
            first = max(number, skip_to + 1)
            end = number + candidate["abbr"].count("\n") + 1
            if first < end:
                lines[first:end] = [""] * (end - first)
        elif what == "fence":
            opened = _FENCE_OPEN.match(line)
            assert opened is not None
            if not (opened[1][0] == "`" and "`" in line[opened.end() :]):
                fence = opened[1][0], len(opened[1])
        elif what == "tag":
            tag = _HTML_OPEN.match(line)
            if tag and tag[1].lower() in _BLOCK_TAGS:
                if not starts:  # Of `joined`, whose lines keep their length.
                    starts = [0, *(m.end() for m in re.finditer("\n", joined))]
                skip_to = max(skip_to, _raw_html(source, starts, joined, number, tag))
        else:
            header = _ADMONITION.match(line)
            if header and (header["kind"] or header["title"] is not None):
                _admonition(source, number, header)
            elif _DEFINITION.match(line) and _after_term(lines, number):
                colon = line.index(":")
                lines[number] = line[:colon] + "-" + line[colon + 1 :]
                source.dds.add(number)


def _raw_html(
    source: _Lines, starts: list[int], joined: str, number: int, tag: re.Match[str]
) -> int:
    """Blank raw HTML from a block-level tag at a line's start to its closing tag.

    With a `markdown` attribute, only the tags' own lines are blanked: what is between
    is Markdown (`md_in_html`).

    Returns:
        The last line blanked as raw HTML, or -1 when only the tags' lines were.
    """
    name = tag[1].lower()
    at = starts[number] + tag.start(1) - 1
    if name == "hr":
        source.lines[number] = source.lines[number][: tag.start(1) - 1] + _STAND_IN
        return number
    depth = 0
    first: re.Match[str] | None = None
    closing: re.Match[str] | None = None
    for match in _tag_pattern(name).finditer(joined, at):
        if first is None:
            if match.start() != at:
                return -1
            first = match
        if match[1]:
            depth -= 1
        elif not match.group().endswith("/>"):
            depth += 1
        if depth <= 0:
            closing = match
            break
    if first is None or closing is None or closing is first:
        return -1  # Never closed: leave it to CommonMark, which ends it at a blank line.
    last = bisect.bisect_right(starts, closing.start()) - 1
    opened = bisect.bisect_right(starts, first.end() - 1) - 1
    lines = source.lines
    # An empty HTML comment where the tag starts, blanks after: to markdown-it, an HTML
    # block of one line, which ends a list or quote above it as the raw HTML does.
    stand_in = lines[number][: tag.start(1) - 1] + _STAND_IN
    if _MARKDOWN_ATTR.search(first.group()) and last > opened:
        lines[number : opened + 1] = [stand_in] + [""] * (opened - number)
        lines[last] = lines[last][: len(lines[last]) - len(lines[last].lstrip())] + _STAND_IN
        return -1
    lines[number : last + 1] = [stand_in] + [""] * (last - number)
    return last


@cache
def _tag_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"<(/?){name}(?=[\s/>])[^>]*>", re.IGNORECASE)


def _admonition(source: _Lines, number: int, header: re.Match[str]) -> None:
    """Make an admonition's header a list item, its body the item's, and blank its marker.

    `!!! ` becomes `- # ` (and `???+` too): a list item whose content starts two columns
    in, so that its body, indented 4 columns, is a paragraph of the item (as
    Python-Markdown reads it), and a body indented 8 is code, as it is there too. The
    header is the item's heading, which ends at its line as a title does; without a space
    after the marker, it is the item's first paragraph.
    """
    line = source.lines[number]
    mark = header.start("mark")
    if line[mark + 3 : mark + 4] in (" ", "\t", "+"):
        source.lines[number] = line[:mark] + "- # " + line[mark + 4 :]
    else:
        source.lines[number] = line[:mark] + "- " + line[mark + 2 :]
    if header["title"] is None:
        source.headers[number] = None
        source.blanks.append((number, mark, len(line)))
    else:
        title = header.span("title")
        source.headers[number] = title
        source.blanks.append((number, mark, title[0]))
        source.blanks.append((number, title[1], len(line)))


def _after_term(lines: list[str], number: int) -> bool:
    """Whether a `:` line has a term above it: a line, or a line and a blank one."""
    if number == 0:
        return False
    if lines[number - 1].strip():
        return True
    return number > 1 and bool(lines[number - 2].strip())


# The walk over the blocks ------------------------------------------------------------


class _Walk:
    """What one document's blocks hold: prose lines, ranges to blank, spans, regions."""

    def __init__(self, doc: Doc, source: _Lines, starts: list[int]) -> None:
        self.doc = doc
        self.source = source
        self.starts = starts  # Where each of the file's lines starts.
        self.kept: list[int] = []  # Lines of the parse that are prose.
        self.blanks: list[tuple[int, int]] = []  # Offsets in the file.
        self.references: dict[str, Any] = {}

    def offset(self, line: int, column: int) -> int:
        """The file offset of a column of a parsed line."""
        return self.starts[self.source.file_line(line)] + column

    def block(self, token: Token, kind: str, *, atx: bool = False) -> None:
        """A paragraph or heading: keep its lines, find its inline code and links.

        Args:
            token: The block's inline token.
            kind: What the block is, for its region.
            atx: It is an ATX heading, whose content ends before its closing `#`s.
        """
        assert token.map is not None
        first = token.map[0]
        content = token.content
        pieces = content.split("\n")
        self.kept += range(first, first + len(pieces))
        located = self.locate(pieces, first, atx=atx)
        if located is None:  # Not found as markdown-it saw it: not checked, not wrong.
            del self.kept[-len(pieces) :]
            return
        if kind == "admonition title":  # The title's own text, not its marker or type.
            title = self.source.headers.get(first)
            if title is not None:
                begin, end = self.offset(first, title[0]), self.offset(first, title[1])
                self.doc.regions.append(Region(begin, end, kind))
        else:
            self.doc.regions.append(Region(located[0], located[-1] + len(pieces[-1]), kind))
        if self.marked(content):
            self.inline(content, pieces, located)

    def locate(self, pieces: list[str], first: int, *, atx: bool) -> list[int] | None:
        """Where each line of a block's inline content starts in the file.

        markdown-it gives a block its lines without their container's markers and
        indentation, the first without leading space, the last without trailing (and an
        ATX heading's without its closing `#`s): each is the end of its line.

        Returns:
            The offsets, or None if a line is not found as it should be.
        """
        lines = self.source.lines
        found = []
        for index, piece in enumerate(pieces):
            line = lines[first + index]
            if index == len(pieces) - 1:
                line = _HEADING_CLOSE.sub("", line) if atx else line.rstrip()
            text = piece
            if not line.endswith(text):
                # A tab in the indentation that markdown-it split into spaces: those
                # spaces are not in the file; the text after them is.
                text = piece.lstrip()
                if not line.endswith(text):
                    return None
            found.append(self.offset(first + index, len(line) - len(piece)))
        return found

    def table(self, token: Token) -> None:
        """A table: its rows are prose but its delimiter row; each cell is a region."""
        assert token.map is not None
        first, end = token.map
        for line in range(first, end):
            if line == first + 1:
                continue  # The delimiter row.
            self.kept.append(line)
            text = self.source.lines[line]
            start = len(text) - len(text.lstrip(" \t>"))  # Past a quote's `>`.
            for pipe in [*_PIPE.finditer(text, start), None]:
                stop = pipe.start() if pipe else len(text)
                cell = text[start:stop]
                stripped = cell.strip()
                if stripped:
                    at = self.offset(line, start + len(cell) - len(cell.lstrip()))
                    self.doc.regions.append(Region(at, at + len(stripped), "table cell"))
                    if self.marked(stripped):
                        self.inline(stripped, [stripped], [at])
                start = stop + 1

    def marked(self, content: str) -> bool:
        """Whether inline content may hold code, HTML or a link, and needs parsing.

        Most does not: parsing only what may saves most of the time inline parsing takes.
        """
        if "`" in content or "<" in content:
            return True
        if "[" not in content:
            return False
        # Without reference definitions, a link is `[text](target)`.
        return "](" in content or bool(self.references)

    def inline(self, content: str, pieces: list[str], located: list[int]) -> None:
        """Parse inline content; blank its code, HTML and link targets; collect spans."""
        marks = _Marks(content)
        simple = None if self.references else _simple_inline(content)
        if simple is None:
            md = _parser()
            md.inline.parse(content, md, {"references": self.references, _RECORD: marks}, [])
        else:
            marks.code, marks.links = simple
        if not (marks.code or marks.links or marks.other):
            return
        # Where each line of the content starts in it: content offsets map to the file
        # line by line, through the start of the line they are on.
        begins = list(accumulate((len(p) + 1 for p in pieces[:-1]), initial=0))

        def at(position: int) -> int:
            index = bisect.bisect_right(begins, position) - 1
            return located[index] + position - begins[index]

        def until(position: int) -> int:  # An end, exclusive.
            return at(position - 1) + 1

        texts = {(start, label_end) for start, label_end, _ in marks.links}
        for start, end, ticks in marks.code:
            self.blanks.append((at(start), until(end)))
            inside = at(start + ticks)
            content_end = until(end - ticks) if end - ticks > start + ticks else inside
            linked = (start, end) in texts
            self.doc.spans.append(CodeSpan(inside, self.doc.text[inside:content_end], linked))
        for _, label_end, end in marks.links:
            if end > label_end + 1:
                self.blanks.append((at(label_end + 1), until(end)))
        for start, end in marks.other:
            self.blanks.append((at(start), until(end)))

    def fence(self, token: Token) -> None:
        """A fenced block: JSON is collected, the file's text as it is, indentation kept."""
        if not token.info.strip().lower().startswith("json"):
            return
        assert token.map is not None
        first, end = token.map
        lines = self.source.lines
        closing = lines[end - 1].lstrip(" \t>") if end - 1 > first else ""
        closed = closing.startswith(token.markup) and not closing.strip(token.markup[0] + " \t")
        body = self.offset(first + 1, 0) if first + 1 < len(lines) else len(self.doc.text)
        if closed:
            stop = self.offset(end - 1, 0)
        elif end < len(lines):
            stop = self.offset(end, 0)
        else:
            stop = len(self.doc.text)
        body = min(body, len(self.doc.text))
        self.doc.json_blocks.append(JsonBlock(body, self.doc.text[body:stop]))


_TICKS = re.compile("`+")
# A link or image as most are written: a label without brackets, `<` or backslashes,
# and a target without white space, brackets, parentheses, `<`, `>`, backticks,
# backslashes or control characters, right after it and closed at once.
_SIMPLE_LINK = re.compile(r"\[[^\[\]<\\]*\]\([^\s()<>\[\]`\\\x00-\x1f\x7f]*\)")

_Spans = list[tuple[int, int, int]]


def _simple_inline(content: str) -> tuple[_Spans, _Spans] | None:
    """Code spans and links of inline content simple enough to read without the parser.

    Without `<` or a backslash, no autolink, HTML or escape can start, and code spans
    are the backtick rule's alone (`_code_spans`). A `[` outside them starts a link, or
    an image after `!`; when each is a `_SIMPLE_LINK`, the parser's link rule reads each
    the same way: its label ends at the first `]` (nothing in it nests or hides one, a
    code span in it being all inside it), and its target at the `)` that follows. A
    code span in a link's label is the link's text; in an image's, it is not recorded,
    as the parser reads an image's label apart. Anything else, such as a title, a target
    in angle brackets, nested brackets, a code span over a bracket, or a link reference
    (the caller's to rule out), is left to the parser.

    Returns:
        The code spans and links, as `_Marks` records them; None when the parser must
        read the content.
    """
    if "<" in content or "\\" in content:
        return None
    code = _code_spans(content)
    if "[" not in content:
        return code, []
    links: _Spans = []  # Start of the label, its end, and the link's end.
    labels: list[tuple[int, int, int]] = []  # Its `[` or `!`, its `]`, 1 for an image.
    last = 0
    for match in _SIMPLE_LINK.finditer(content):
        start = match.start()
        image = int(start > 0 and content[start - 1] == "!")  # One more character.
        if "[" in content[last:start] and not _in_code(content, code, last, start):
            return None  # A `[` that starts no simple link.
        label_end = content.index("]", start)
        links.append((start + 1, label_end, match.end()))
        labels.append((start - image, label_end, image))
        last = match.end()
    if "[" in content[last:] and not _in_code(content, code, last, len(content)):
        return None
    kept: _Spans = []
    # The links follow one another, so their starts and ends both increase: those a
    # span reaches into (starting before its end, ending after its start) are a run,
    # found by bisection. A table of 2,000 rows has 2,000 of each.
    starts = [a for a, _, _ in labels]
    ends = [b + 2 for _, b, _ in labels]
    for span in code:
        inside = labels[bisect.bisect_right(ends, span[0]) : bisect.bisect_left(starts, span[1])]
        if not inside:
            kept.append(span)
        elif span[0] <= inside[0][0] + inside[0][2] or span[1] > inside[0][1]:
            return None  # Over a link's bracket, `!` or target.
        elif not inside[0][2]:
            kept.append(span)
    return kept, links


def _in_code(content: str, code: _Spans, start: int, end: int) -> bool:
    """Whether every `[` from `start` to `end` is inside a code span."""
    at = content.find("[", start, end)
    while at != -1:
        if not any(a < at < b for a, b, _ in code):
            return False
        at = content.find("[", at + 1, end)
    return True


def _code_spans(content: str) -> list[tuple[int, int, int]]:
    """The code spans of inline content, as the parser's backtick rule reads them.

    A run of backticks opens a code span that the next run of the same length closes;
    a run that none closes is text. In content where no link, image, autolink, HTML or
    escape can start (`_simple_inline`), the rule alone reads the backticks: this reads
    them the same, without the parser's work for every other character.

    Returns:
        For each span, as `_Marks.code` records it: start, end, and the length of its
        backtick runs.
    """
    runs = [m.span() for m in _TICKS.finditer(content)]
    found: list[tuple[int, int, int]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        index += 1
        for close in range(index, len(runs)):
            begin, stop = runs[close]
            if stop - begin == end - start:
                found.append((start, stop, end - start))
                index = close + 1
                break
    return found


def _walk(walk: _Walk, tokens: list[Token]) -> None:
    """Visit the blocks, knowing which container (list item, quote...) each is in."""
    source = walk.source
    containers: list[str] = []
    in_table = False
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            if in_table:
                continue
            opener = tokens[index - 1]
            atx = opener.type == "heading_open" and opener.markup.startswith("#")
            assert token.map is not None
            if token.map[0] in source.headers:
                walk.block(token, "admonition title", atx=atx)
            elif opener.type == "heading_open":  # A setext heading's underline is not kept.
                walk.block(token, "heading", atx=atx)
            else:
                walk.block(token, containers[-1] if containers else "paragraph")
        elif kind == "fence":
            walk.fence(token)
        elif kind == "table_open":
            in_table = True
            walk.table(token)
        elif kind == "table_close":
            in_table = False
        elif kind == "list_item_open":
            assert token.map is not None
            line = token.map[0]
            if line in source.headers:
                containers.append("admonition")
            elif line in source.dds:
                containers.append("definition")
            else:
                containers.append("list item")
        elif kind == "blockquote_open":
            containers.append("blockquote")
        elif kind in ("list_item_close", "blockquote_close"):
            containers.pop()


# Putting it together -----------------------------------------------------------------


def scan(name: str, text: str, memo: ScanMemo | None = None) -> Doc:
    """Split a page or template into prose, code spans and JSON blocks.

    Args:
        name: The file's name, for findings; a template's ends with `.j2`.
        text: Its content.
        memo: Blocks scanned before, to reuse where this document repeats them (see
            `ScanMemo`); the result is the same with or without.

    Returns:
        The scanned document.
    """
    doc = Doc(name, text)
    if IGNORE in text:
        doc.ignored = {number for number, line in enumerate(text.splitlines(), 1) if IGNORE in line}
    source, base, jinja = _prepare(name, text)
    # Blocks are read apart only where the parser sees the file's own lines: Jinja (whose
    # comments may span blocks) and a template's left-out lines keep the whole-file scan.
    if memo is not None and not jinja and source.origin is None and base is text:
        memo._scan(doc, source)
        return doc
    starts = _line_starts(text)
    md = _parser()
    tokens: list[Token] = []
    env: MutableMapping[str, Any] = {}
    md.block.parse("\n".join(source.lines), md, env, tokens)
    found = _scan_part(text, base, source, starts, tokens, env.get("references", {}), jinja)
    doc.prose, doc.spans, doc.json_blocks, doc.regions = found
    return doc


def _scan_part(
    text: str,
    base: str,
    source: _Lines,
    starts: list[int],
    tokens: list[Token],
    references: dict[str, Any],
    jinja: list[tuple[int, int]],
) -> tuple[str, list[CodeSpan], list[JsonBlock], list[Region]]:
    """Steps 3 and after of the module's docstring, on parsed lines (a file, or a block).

    Args:
        text: The lines' text in the file.
        base: The same, Jinja as placeholders.
        source: The lines as parsed, after the pre-pass.
        starts: Where each of the file's lines starts in `text`.
        tokens: The block tokens of `source`.
        references: The file's link reference definitions.
        jinja: Where the file's Jinja is, in `text`.

    Returns:
        The prose, spans, JSON blocks and regions, at offsets in `text`.
    """
    part = Doc("", text)
    walk = _Walk(part, source, starts)
    walk.references = references
    _walk(walk, tokens)
    blanks = walk.blanks
    blanks += jinja
    blanks += [
        (walk.offset(line, begin), walk.offset(line, end)) for line, begin, end in source.blanks
    ]
    # On the placeholders, so that `{ #{{ anchor }} }` is one attribute list.
    blanks += [m.span() for pattern in _EXTRAS for m in pattern.finditer(base)]
    prose = _compose(text, _kept(walk, starts), blanks)
    part.spans.sort(key=lambda span: span.offset)
    part.regions.sort(key=lambda region: region.start)
    return prose, part.spans, part.json_blocks, part.regions


# Scanning block by block ---------------------------------------------------------------

# Where a file's lines may be parsed apart: before a line at the left margin that follows
# a blank one. Nothing that a blank line ended goes on there, and nothing open before it
# can take the line in, but for three things: a list (the line would start with a
# marker: '-', '+', '*' or a digit, and is not a place to cut), and a fenced code block
# or an HTML block left open, which `_left_open` finds in the block's tokens. Matched
# from the line break before the blank line, in the lines with one put first.
_CUT = re.compile(r"\n[ \t]*\n(?=[^ \t\n*+\-0-9])")
_BLANK_BLOCK = re.compile(r"[ \t\n]*\Z")

# What the memo keeps, as plain tuples of strings and numbers: the garbage collector
# stops tracking those, and a memo of many blocks costs each of its passes nothing.
_References = tuple[tuple[str, str, str], ...]
"""A block's link reference definitions: label, target and title, in order."""
_Part = tuple[
    str,
    tuple[tuple[int, str, bool], ...],
    tuple[tuple[int, str], ...],
    tuple[tuple[int, int, str], ...],
]
"""What a block's scan found: its prose, and its spans, JSON blocks and regions as
tuples of their fields, offsets from the block's start."""


class ScanMemo:
    """Blocks of Markdown scanned before, kept for the next document that holds them.

    Generated pages share most of their text: the same paragraphs, tables and lists
    come back on page after page. `scan` cuts a document where blocks may be parsed apart
    (before a line at the left margin after a blank line, see `_CUT`), and keeps what
    it found in each block, keyed by the block's exact text and everything else its
    scan reads (its lines as the file holds them, the pre-pass's admonitions and
    definitions, the file's link references). A block seen again gives what scanning it
    again would: the key holds everything the result depends on.

    Args:
        size: How many blocks to keep; past it, the memo starts over, so that a
            long-lived process does not grow without bound.
    """

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        # By a block's text after the pre-pass: its link reference definitions, and
        # whether it leaves a fence or an HTML block open.
        self._parsed: dict[str, tuple[_References, bool]] = {}
        # By a block's text and all else its scan reads: what it found.
        self._parts: dict[tuple[Any, ...], _Part] = {}

    def _parse(self, src: str, fresh: dict[str, list[Token]]) -> tuple[_References, bool]:
        """A block's reference definitions, and whether it leaves a block open.

        Args:
            src: The block's lines after the pre-pass, each with its line break.
            fresh: The tokens of the blocks parsed for this document, where a block
                parsed now goes: tokens are many objects, and the memo keeps none.

        Returns:
            Its link reference definitions, and whether a fenced code block or an HTML
            block is open at its end.
        """
        found = self._parsed.get(src)
        if found is None:
            tokens, env = _parse_block(src)
            fresh[src] = tokens
            lines = src.count("\n") + (not src.endswith("\n"))
            found = (_references(env), _left_open(tokens, lines))
            if len(self._parsed) >= self.size:
                self._parsed.clear()
            self._parsed[src] = found
        return found

    def _blocks(self, joined: str) -> tuple[list[_Block], _References, dict[str, list[Token]]]:
        """Cut a document's lines into blocks, each as long as it must be.

        Args:
            joined: The document's lines after the pre-pass.

        Returns:
            The blocks; the document's reference definitions, the first of a label
            winning, as in one parse; and the tokens of the blocks parsed now.
        """
        cuts = _cuts(joined)
        blocks: list[_Block] = []
        fresh: dict[str, list[Token]] = {}
        references: dict[str, tuple[str, str, str]] = {}
        line = 0
        index = 0
        last = len(cuts) - 1
        while index < last:
            begin = cuts[index]
            index += 1
            src = joined[begin : cuts[index]]
            defined, left_open = self._parsed.get(src) or self._parse(src, fresh)
            while left_open and index < last:  # Read on to the block's end.
                index += 1
                src = joined[begin : cuts[index]]
                defined, left_open = self._parsed.get(src) or self._parse(src, fresh)
            end = line + src.count("\n") + (index == last)
            blocks.append(_Block(line, end, src))
            for definition in defined:
                references.setdefault(definition[0], definition)
            line = end
        return blocks, tuple(references.values()), fresh

    def _scan(self, doc: Doc, source: _Lines) -> None:
        """Scan a document block by block, reusing the blocks scanned before.

        A block's tokens are its tokens in the whole file, line numbers from its start:
        between blocks at the left margin, the parser keeps the link references it
        found, and nothing else.

        Args:
            doc: The document, whose prose, spans, JSON blocks and regions are set.
            source: Its lines after the pre-pass.
        """
        text = doc.text
        joined = "\n".join(source.lines)
        blocks, references, fresh = self._blocks(joined)
        marked = bool(source.headers or source.dds or source.blanks)
        # Where each block starts in the file: in `joined`, but where the pre-pass
        # changed a line's length (front matter, abbreviations, raw HTML).
        same = text == joined
        ends = [] if same else list(accumulate(map(len, text.split("\n"))))
        prose: list[str] = []
        at = 0
        for block in blocks:
            if block.end == len(source.lines):
                stop = len(text) + 1
            else:
                stop = at + len(block.src) if same else ends[block.end - 1] + block.end
            file_text = block.src if same else text[at:stop]
            if _BLANK_BLOCK.match(block.src):
                # Blank lines to the parser (front matter, abbreviations): no prose.
                part: _Part = (_blank(file_text), (), (), ())
            else:
                own = _own(source, block) if marked else ()
                key = (block.src, None if file_text == block.src else file_text, own, references)
                found = self._parts.get(key)
                if found is None:
                    # Parsed now, or before, for another document: parsed again.
                    tokens = fresh[block.src] if block.src in fresh else _parse_block(block.src)[0]
                    found = _block_part(file_text, source, block, tokens, references)
                    if len(self._parts) >= self.size:
                        self._parts.clear()
                    self._parts[key] = found
                part = found
            if part[1] or part[2] or part[3]:
                _add(doc, at, part)
            prose.append(part[0])
            at = stop
        doc.prose = "".join(prose)


class _Block(NamedTuple):
    """Lines of a document parsed apart: the first, the one after, and their text."""

    first: int
    end: int
    src: str


def _cuts(joined: str) -> list[int]:
    """Where each block starts in a document's lines after the pre-pass (`_CUT`).

    Blank lines to the end (abbreviations, say) are a block of their own, but the
    first: what goes on over blank lines is open at the end of the block before them
    (`_left_open`), and blank lines hold nothing else.

    Returns:
        The offsets, the first 0, and the end of the lines last.
    """
    cuts = [0, *(m.end() - 1 for m in _CUT.finditer("\n" + joined))]  # One early.
    content = joined.find("\n", len(joined.rstrip(" \t\n")))
    blank = joined.find("\n", content + 1) if content != -1 else -1
    if blank != -1 and cuts[-1] < blank + 1 < len(joined):
        cuts.append(blank + 1)
    cuts.append(len(joined))
    return cuts


def _parse_block(src: str) -> tuple[list[Token], MutableMapping[str, Any]]:
    """A block's tokens, and the parser's environment after it (its references)."""
    md = _parser()
    tokens: list[Token] = []
    env: MutableMapping[str, Any] = {}
    md.block.parse(src, md, env, tokens)
    return tokens, env


def _references(env: MutableMapping[str, Any]) -> _References:
    # Only what a definition says reaches the inline parser; where it stands does not.
    found = env.get("references", {})
    return tuple((label, ref["href"], ref["title"]) for label, ref in found.items())


def _left_open(tokens: list[Token], lines: int) -> bool:
    """Whether a block ends inside a fenced code block or an HTML block left open.

    Either runs over blank lines to the end of its input, when nothing closes it: into
    the next block, which it might take in. A closed one ends before the block's last
    line, which is blank. One inside a list item is counted too: a line at the left
    margin ends the item and all in it, but blank lines to the file's end do not.
    """
    return any(t.type in ("fence", "html_block") and t.map and t.map[1] >= lines for t in tokens)


def _own(source: _Lines, block: _Block) -> tuple[Any, ...]:
    """What the pre-pass found in a block's lines, line numbers from its first."""
    first, end = block.first, block.end
    return (
        tuple((k - first, v) for k, v in source.headers.items() if first <= k < end),
        tuple(k - first for k in source.dds if first <= k < end),
        tuple((k - first, a, b) for k, a, b in source.blanks if first <= k < end),
    )


def _block_part(
    file_text: str,
    source: _Lines,
    block: _Block,
    tokens: list[Token],
    references: _References,
) -> _Part:
    """Scan one block of a document, as `_scan_part` scans a whole file.

    Args:
        file_text: The block's lines as the file holds them.
        source: The document's lines after the pre-pass.
        block: The block.
        tokens: Its tokens.
        references: The document's link reference definitions.

    Returns:
        What the block holds, offsets from its start.
    """
    lines = _Lines(source.lines[block.first : block.end], None)
    if source.headers or source.dds or source.blanks:
        headers, dds, blanks = _own(source, block)
        lines.headers, lines.dds, lines.blanks = dict(headers), set(dds), list(blanks)
    env = {label: {"href": href, "title": title} for label, href, title in references}
    prose, spans, json_blocks, regions = _scan_part(
        file_text, file_text, lines, _line_starts(file_text), tokens, env, []
    )
    return (
        prose,
        tuple((s.offset, s.content, s.linked) for s in spans),
        tuple((b.offset, b.content) for b in json_blocks),
        tuple((r.start, r.end, r.kind) for r in regions),
    )


def _add(doc: Doc, at: int, part: _Part) -> None:
    """Add what a block holds to its document's spans, JSON blocks and regions."""
    _, spans, json_blocks, regions = part
    if spans:
        doc.spans += [CodeSpan(offset + at, content, linked) for offset, content, linked in spans]
    if json_blocks:
        doc.json_blocks += [JsonBlock(offset + at, content) for offset, content in json_blocks]
    if regions:
        doc.regions += [Region(start + at, stop + at, kind) for start, stop, kind in regions]


def _kept(walk: _Walk, starts: list[int]) -> list[tuple[int, int]]:
    """The file's ranges of prose lines, each run of lines as one range."""
    lines = sorted({walk.source.file_line(line) for line in walk.kept})
    ranges: list[tuple[int, int]] = []
    for line in lines:
        start, end = starts[line], starts[line + 1] - 1
        if ranges and ranges[-1][1] + 1 == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def _compose(text: str, kept: list[tuple[int, int]], blanks: list[tuple[int, int]]) -> str:
    """`text` with everything outside `kept`, and everything in `blanks`, blanked."""
    gaps = []
    last = 0
    for start, end in kept:
        if start > last:
            gaps.append((last, start))
        last = end
    if last < len(text):
        gaps.append((last, len(text)))
    parts: list[str] = []
    last = 0
    for start, end in sorted(gaps + blanks):
        if end <= last:
            continue
        start = max(start, last)
        parts += [text[last:start], _blank(text[start:end])]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _blank(text: str) -> str:
    if "\n" not in text:
        return " " * len(text)
    # A blank of each line's length, in C rather than a loop: the blank blocks of a page
    # (front matter, abbreviations) are many lines.
    return "\n".join(map(" ".__mul__, map(len, text.split("\n"))))
