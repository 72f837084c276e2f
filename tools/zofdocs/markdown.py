"""The Markdown a text field allows: checked at validation, written safely onto pages.

A text field's value is untrusted: it may come from another team or from a third
party's catalog. It is read with a CommonMark parser (markdown-it-py) and written back
out as Markdown that holds only what a field may hold, every other character escaped
for Python-Markdown, which MkDocs renders with:

- an inline field (`inline`, `cell`) keeps code spans, emphasis and links;
- a block field (`block`) keeps paragraphs, lists and fenced code as well;
- a link keeps its target only when it is http, https, mailto or a relative path;
- everything else shows as the text it is: raw HTML, headings, attribute lists
  (`{: onclick=... }`), block quotes, rules, tables, abbreviation and reference
  definitions, admonitions.

So a value cannot reach a page as markup, whatever it holds. `problems` states the same
rules for validation, so that a maintainer hears of a link or image that would be shown
as text, with its place in the file, instead of finding it on the page.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from zofdocs.jsontext import indented

__all__ = [
    "LINK_SCHEMES",
    "block",
    "cell",
    "code",
    "fence",
    "front_matter",
    "inline",
    "json_block",
    "link_target",
    "literal",
    "problems",
    "relative_link",
    "used_abbreviations",
    "yaml_string",
]

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""The URL schemes a link in a text field may have; a relative path has none."""

# Raw HTML off: markdown-it then reads `<script>` as text. Links are judged here, not by
# markdown-it's own validateLink, so that a refused link is still seen and reported.
_PARSER = MarkdownIt("commonmark", {"html": False})
_PARSER.validateLink = lambda url: True  # type: ignore[method-assign]

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Characters that start markup anywhere in a line, in Python-Markdown or one of the
# site's extensions: `{` an attribute list, `|` a table row, `#` the closing marks of a
# heading the value ends.
_ALWAYS = re.compile(r"([\\`*\[\]{}|#])")
_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")  # Intra-word `_` is never emphasis there.
_BANG = re.compile(r"!(?=\\\[)")  # `![` starts an image.
# What a line may not start with: a heading, a list item, a block quote, a rule or
# setext underline, a definition (`:`), an admonition or details block (`!!!`, `???`).
_LINE_START = re.compile(r"^([ \t]*)(#|[-+]|\d{1,9}[.)]|=|:|\?|!|~{3})", re.MULTILINE)
_LINE_ESCAPE = {"=": "&#61;", ":": "&#58;", "?": "&#63;", "~": "&#126;"}
# Characters that may mean something wherever they stand; the others of `_LINE_START`
# only at the start of a line.
_ANYWHERE = frozenset("\\`*_[]{}|<>&#\n")


# `:name:` is an emoji or icon shortcode for pymdownx.emoji; a value shows it as text.
_SHORTCODE = re.compile(r":(?=[\w+\-]+:)")


def _plain(text: str) -> bool:
    """Whether text is one line that Markdown shows as it is: most prose is."""
    return (
        not _ANYWHERE.intersection(text)
        and not _LINE_START.match(text)
        and not (":" in text and _SHORTCODE.search(text))
    )


_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
_BACKTICKS = re.compile("`+")
# What YAML may not hold as it is in a double-quoted scalar: C1 controls, byte-order
# marks, non-characters and surrogates, and YAML 1.1's line breaks (NEL, the line and
# paragraph separators), which a reader would fold into a space.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_URL_CONTROL = re.compile(r"[\x00-\x20\x7f]")  # Browsers drop these inside a scheme.


def _text(value: str) -> str:
    """Escape text so that Python-Markdown shows it as it is, whatever follows it."""
    if _plain(value):
        return value  # Most prose needs nothing: skip the regular expressions.
    value = _ALWAYS.sub(r"\\\1", value.translate(_HTML))
    value = _BANG.sub(r"\\!", _UNDERSCORE.sub(r"\\_", value))
    value = _SHORTCODE.sub("&#58;", value)
    return _LINE_START.sub(_escape_line_start, value)


def _escape_line_start(match: re.Match[str]) -> str:
    mark = match.group(2)
    if mark[-1] in ".)":  # `1.` starts an ordered list; `1\.` does not.
        return f"{match.group(1)}{mark[:-1]}\\{mark[-1]}"
    return match.group(1) + _LINE_ESCAPE.get(mark[0], "\\" + mark[0]) + mark[1:]


def link_target(url: str) -> str | None:
    """The scheme of a link target that a text field may not link to.

    Args:
        url: A link's target, as written or as a parser normalized it.

    Returns:
        The refused scheme, such as `javascript`; None when the target is http, https,
        mailto or a relative path.
    """
    # Entities and percent-escapes are decoded, and spaces and control characters
    # dropped, as a browser does before it reads the scheme: `java&#x09;script:`.
    squeezed = _URL_CONTROL.sub("", unquote(html.unescape(url)))
    found = _SCHEME.match(squeezed)
    if found and found.group(1).lower() not in LINK_SCHEMES:
        return found.group(1).lower()
    return None


def _url(href: str) -> str:
    # markdown-it has percent-encoded spaces and controls; parentheses and angle
    # brackets would end the destination early in Python-Markdown.
    return href.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _inline_tokens(children: Sequence[Token]) -> str:
    out: list[str] = []
    targets: list[tuple[str, bool]] = []  # Each open link's target, and if it is refused.
    for token in children:
        kind = token.type
        if kind == "code_inline":
            out.append(code(token.content))
        elif kind in ("em_open", "em_close"):
            out.append("*")
        elif kind in ("strong_open", "strong_close"):
            out.append("**")
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "link_open":  # Autolinks too: `<https://...>` is a link like any.
            target = str(token.attrs.get("href", ""))
            refused = link_target(target) is not None
            targets.append((target, refused))
            out.append("\\[" if refused else "[")
        elif kind == "link_close" and targets:
            target, refused = targets.pop()
            # A refused link shows as the text it was written as, target and all.
            out.append(_text(f"]({unquote(target)})") if refused else f"]({_url(target)})")
        elif kind == "image":  # Not allowed in a field: shown as written.
            source = unquote(str(token.attrs.get("src", "")))
            out.append(_text(f"![{token.content}]({source})"))
        else:  # Text, and anything a parser may grow: as text.
            out.append(_text(token.content))
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def inline(text: str) -> Markup:
    """Write a value as one line of inline Markdown: code spans, emphasis and links.

    Args:
        text: Inline Markdown from YAML.

    Returns:
        Markdown that shows everything else as text: raw HTML, attribute lists,
        headings, list markers and links to anything but http, https, mailto or a
        relative path. Line breaks are folded into spaces.
    """
    folded = " ".join(text.split())
    if _plain(folded):
        return Markup(folded)  # Nothing to parse: skip the parser.
    tokens = _PARSER.parseInline(folded)
    return Markup(_inline_tokens(tokens[0].children or []) if tokens else "")


def cell(text: str) -> Markup:
    """Write a value for a table cell: as `inline`, and a `|` cannot end the cell.

    Args:
        text: Inline Markdown from YAML.

    Returns:
        Markdown safe inside a table cell.
    """
    return inline(text)  # `inline` escapes every `|` outside code spans already.


@functools.lru_cache(maxsize=16384)
def _block(text: str) -> str:
    if _plain(text.strip()):
        return text.strip()
    tokens = _PARSER.parse(text)
    lines = _Blocks(tokens, text.splitlines()).lines()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def block(text: str, indent: int = 0) -> Markup:
    """Write a value as block Markdown: paragraphs, lists and fenced code keep their shape.

    Everything `inline` keeps is kept in each paragraph and list item; a heading shows
    as text, `#` included, so that it cannot break the page's outline.

    Args:
        text: Markdown from YAML, such as an imported code's description.
        indent: Spaces before every line after the first, to sit inside a list item
            or an admonition; at least four, which Python-Markdown needs there.

    Returns:
        The Markdown, blank-line runs folded to one, without trailing whitespace.
    """
    body = _block(text)
    # Python-Markdown nests a block in a list item or an admonition only when it is
    # indented by four spaces, whatever the marker's width: with fewer, a fence there
    # would not be a fence, and its lines would be read as Markdown and raw HTML.
    pad = " " * (max(indent, 4) if indent else 0)
    return Markup(
        "\n".join(pad + line if line and i else line for i, line in enumerate(body.split("\n")))
    )


class _Blocks:
    """Write the block tokens of one value as lines of Markdown."""

    def __init__(self, tokens: Sequence[Token], source: Sequence[str]) -> None:
        self.tokens = tokens
        self.source = source
        self.at = 0

    def _last_line(self, token: Token) -> str:
        """The source line that ends a token: a setext underline, a rule."""
        return self.source[token.map[1] - 1].strip() if token.map else token.markup

    def lines(self, until: str = "") -> list[str]:
        out: list[str] = []
        lists_end = -1  # The length of `out` when the last list ended.
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            kind = token.type
            if until and kind == until:
                break
            if kind == "paragraph_open":
                text = _inline_tokens(self.tokens[self.at].children or [])
                self.at += 2  # The inline token and paragraph_close.
                out += [*text.split("\n"), *([] if token.hidden else [""])]
            elif kind == "heading_open":  # Shown as text, its marks included.
                text = _inline_tokens(self.tokens[self.at].children or [])
                self.at += 2
                if token.markup.startswith("#"):
                    out += [_text(token.markup + " ") + text.lstrip(), ""]
                else:
                    out += [*text.split("\n"), _text(self._last_line(token)), ""]
            elif kind in ("fence", "code_block"):
                language = (
                    re.sub(r"[^\w+-]", "", token.info.split()[0]) if token.info.strip() else ""
                )
                out += [str(fence(token.content.rstrip("\n"), language)), ""]
            elif kind in ("bullet_list_open", "ordered_list_open"):
                if lists_end == len(out):
                    # Python-Markdown runs two lists in a row together; a comment parts them.
                    out += ["<!-- -->", ""]
                out += [*self._list(token), ""]
                lists_end = len(out)
            elif kind == "blockquote_open":  # Shown as text: `>` and all.
                inner = self.lines("blockquote_close")
                out += [("&gt; " + line if line else line) for line in inner]
            elif kind == "hr":
                out += [_text(self._last_line(token)), ""]
            elif token.content:  # Anything else a parser may grow shows as text.
                out += [_text(token.content), ""]
        return out

    def _list(self, opened: Token) -> list[str]:
        ordered = opened.type == "ordered_list_open"
        number = int(opened.attrs.get("start", 1) or 1) if ordered else 0
        close = "ordered_list_close" if ordered else "bullet_list_close"
        out: list[str] = []
        while self.at < len(self.tokens):
            token = self.tokens[self.at]
            self.at += 1
            if token.type == close:
                break
            if token.type != "list_item_open":
                continue
            marker = f"{number}." if ordered else "-"
            number += 1
            item = self.lines("list_item_close")
            while item and not item[-1]:
                item.pop()
            # Python-Markdown wants four spaces before what continues an item.
            for i, line in enumerate(item or [""]):
                out.append(f"{marker:<3} {line}" if i == 0 else (f"    {line}" if line else ""))
            if any(not line for line in item):  # A loose item: keep a blank line after it.
                out.append("")
        return out


_MAY_OFFEND = re.compile(r"[\[<]|```|~~~")
"""What every link (inline, reference or autolink), image and code fence contains: the
CommonMark parser (without linkify) finds none of them in a text without one."""


def problems(text: str, kind: str) -> list[tuple[str, str]]:
    """What a text field holds that it may not, with a hint for each.

    Args:
        text: The field's value.
        kind: `inline` for one paragraph, `block` for paragraphs, lists and code.

    Returns:
        (message, hint) pairs, in the order found; empty when the value is allowed.
    """
    return list(_problems(text, kind))


# The preview validates the whole catalog on every save, and most texts did not change:
# remembered, they cost a lookup. A catalog of 2,000 codes holds about 8,500 texts.
@functools.lru_cache(maxsize=65536)
def _problems(text: str, kind: str) -> tuple[tuple[str, str], ...]:
    if not _MAY_OFFEND.search(text):
        return ()  # Most texts: no link, image or fence can start without these.
    return _parsed_problems(text, kind)


def _parsed_problems(text: str, kind: str) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    env: dict[str, Any] = {}
    tokens = (
        _PARSER.parseInline(" ".join(text.split()), env)
        if kind == "inline"
        else _PARSER.parse(text, env)
    )
    for token in tokens:
        if token.type == "fence" and not _closed(text, token):
            found.append(
                (
                    f"the code fence {token.markup} on line {token.map[0] + 1 if token.map else 1} "
                    "of the value is never closed",
                    f"end the code with a line of {token.markup}",
                )
            )
        for child in token.children or []:
            if child.type == "link_open":
                scheme = link_target(str(child.attrs.get("href", "")))
                if scheme:
                    found.append(_link_problem(str(child.attrs.get("href", "")), scheme))
            elif child.type == "image":
                found.append(
                    (
                        "an image is not allowed in a text field",
                        "link to it instead: [description](https://...)",
                    )
                )
    for reference in env.get("references", {}).values():
        scheme = link_target(str(reference.get("href", "")))
        if scheme:
            found.append(_link_problem(str(reference.get("href", "")), scheme))
    return tuple(dict.fromkeys(found))


def _link_problem(href: str, scheme: str) -> tuple[str, str]:
    shown = href if len(href) <= 40 else href[:39] + "…"
    return (
        f"a link to {shown!r} is not allowed: a {scheme}: link could run code or leave "
        "the site unannounced",
        "link to an http, https or mailto address, or to a page by its relative path",
    )


def _closed(text: str, token: Token) -> bool:
    if not token.map:
        return True
    lines = text.splitlines()
    last = token.map[1] - 1
    if last <= token.map[0] or last >= len(lines):
        return False
    closing = lines[last].strip()
    return closing.startswith(token.markup[0] * len(token.markup)) and not closing.strip(
        token.markup[0]
    )


def literal(text: str) -> Markup:
    """Escape text so that Markdown shows it exactly, with no formatting at all.

    Args:
        text: Plain text, such as a label.

    Returns:
        Markdown that renders as `text`, each run of whitespace and line breaks
        folded into one space.
    """
    return Markup(_text(_WHITESPACE.sub(" ", str(text))))


def code(text: str) -> Markup:
    """Wrap text in a code span long enough for any backticks it holds.

    Args:
        text: Plain text, such as an error code.

    Returns:
        The code span.
    """
    # A code span shows a line break as a space; written as one, it cannot end the
    # line (a table row, a list item) that the span stands in.
    text = _LINE_BREAKS.sub(" ", text)
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{ticks}{pad}{text}{pad}{ticks}")


def fence(text: str, language: str = "") -> Markup:
    """Wrap text in a fenced code block longer than any backtick run it holds.

    Args:
        text: The block's content.
        language: The language for highlighting.

    Returns:
        The fenced block, without a trailing newline.
    """
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * (longest + 1)
    return Markup(f"{ticks}{language}\n{text}\n{ticks}")


def json_block(data: Any) -> Markup:
    """Render data as a fenced, indented JSON block.

    Args:
        data: JSON-compatible data.

    Returns:
        The fenced block.
    """
    return fence(indented(data), "json")


def front_matter(text: str) -> Markup:
    """Write text as a front-matter value that the theme may print into HTML.

    Material for MkDocs prints a page's `title` and `description` into the page's head
    and navigation as HTML, unescaped: the value is HTML-escaped here, double quotes included,
    and written as a JSON string, which YAML reads as a double-quoted scalar.

    Args:
        text: Plain text, such as a code's title.

    Returns:
        The quoted scalar, on one line.
    """
    # Backticks mark code in Markdown, and mean nothing in a page's head.
    escaped = " ".join(str(text).replace("`", "").split()).translate(_HTML).replace('"', "&quot;")
    return Markup(yaml_string(escaped))


def yaml_string(text: str) -> Markup:
    r"""Write text as a YAML double-quoted scalar on one line, safe anywhere a value goes.

    Args:
        text: Any text.

    Returns:
        The scalar: JSON's escapes, and `\uXXXX` for the characters YAML may not hold
        as they are (C1 controls, byte-order marks, non-characters).
    """
    quoted = json.dumps(text, ensure_ascii=False)
    return Markup(_YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted))


def relative_link(from_page: str, to_page: str, anchor: str = "") -> Markup:
    """Link from one docs page to another by relative path, as MkDocs validates it.

    Args:
        from_page: The linking page's path in the docs, such as `errors/index.md`.
        to_page: The target's path in the docs, such as `glossary.md`.
        anchor: An anchor on the target, without `#`.

    Returns:
        The relative link, such as `../glossary.md#admin-center`.
    """
    target = "" if to_page == from_page else _relative(posixpath.dirname(from_page), to_page)
    return Markup(_url(target + (f"#{anchor}" if anchor else "")))


@functools.lru_cache(maxsize=4096)
def _relative(folder: str, to_page: str) -> str:
    """`posixpath.relpath(to_page, folder or ".")`, for page paths without its cost.

    Thousands of code pages share one folder and link to the same few pages: those
    links come from the cache. The index pages link to every code page, and each code
    page to its own files: `relpath` reads the working directory twice for each (8% of
    a render under cProfile). Below a common folder, a path of clean parts (none
    empty, `.` or `..`) is relative to another by its parts alone.
    """
    here = folder.split("/") if folder else []
    there = to_page.split("/")
    if _UNCLEAN.intersection(here) or _UNCLEAN.intersection(there):
        return posixpath.relpath(to_page, folder or ".")
    common = 0
    for mine, theirs in zip(here, there, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


_UNCLEAN = frozenset({"", ".", ".."})


def used_abbreviations(abbreviations: str, text: str) -> str:
    """The abbreviation definitions a page needs: those whose term its Markdown may show.

    Python-Markdown's abbr extension marks a term where the rendered text holds it,
    case and all. The rendered text is the Markdown's, but for what the parser makes of
    it: tabs become spaces, and an admonition without a title gets its type, capitalized,
    as one (`!!! risk` shows "Risk"). So a term is kept when the Markdown holds it with
    white space folded and case ignored: a page given these shows the same tooltips as
    one given every definition (a definition it does not use changes nothing), and a
    glossary edit changes only the pages that may show the label.

    Args:
        abbreviations: Definitions, one `*[term]: definition` per line.
        text: The page's Markdown.

    Returns:
        The definitions whose term `text` may show, in their order, one per line.
    """
    folded = " ".join(text.split()).casefold()
    return "\n".join(line for term, line in _terms(abbreviations) if term in folded)


@functools.lru_cache(maxsize=4)
def _terms(abbreviations: str) -> tuple[tuple[str, str], ...]:
    """Each definition's term, folded, and its line; read once for a site's pages."""
    found = []
    for line in abbreviations.splitlines():
        end = line.find("]: ")  # A term holds no `]`: `zofdocs.render` gives it no tooltip.
        if line.startswith("*[") and end > 2:
            found.append((" ".join(line[2:end].split()).casefold(), line))
    return tuple(found)
