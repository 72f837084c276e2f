"""Check the built HTML of generated pages with a real sanitizer's allow-list.

`zofdocs.markdown` writes every catalog value so that it cannot become markup; this is
the check that it held, made on what a reader's browser gets. A page's content (the
HTML MkDocs made from its Markdown, before the theme wraps it) is cleaned by nh3, the
binding of the ammonia sanitizer, with the allow-list below: the tags and attributes
that the templates, Python-Markdown and the site's extensions write, and links to
http, https, mailto or a relative path only. Whatever the sanitizer would remove, an
event handler, a `javascript:` or `data:` URL, a `script`, `iframe`, `object` or
`style` element, is reported with the element as it stands.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nh3

from zofdocs.errors import CatalogError
from zofdocs.markdown import LINK_SCHEMES
from zofdocs.yamlsource import Loc, load_yaml

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "clean", "locate", "unsafe_markup"]

ALLOWED_TAGS = frozenset(
    {
        # Python-Markdown and its extensions: text, lists, tables, code, admonitions.
        "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "span",
        "strong", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
        # Material's icons and emoji, written by the templates' `:material-...:` marks.
        "svg", "path", "img",
    }
)  # fmt: skip
"""The elements a generated page's content may hold."""

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title"}),
    "a": frozenset({"href", "name"}),  # Code blocks number their lines with named anchors.
    "details": frozenset({"open"}),
    "ol": frozenset({"start"}),
    "svg": frozenset({"xmlns", "viewbox"}),
    "path": frozenset({"d"}),
    "img": frozenset({"src", "alt"}),  # A team's runbook may show a screenshot.
}
"""The attributes each element may have; `*` lists those every element may have. No
event handler, no `style`, and no URL but `href`, whose scheme nh3 checks."""

_CLEAN: dict[str, Any] = {
    "tags": set(ALLOWED_TAGS),
    "attributes": {tag: set(names) | {"viewBox"} for tag, names in ALLOWED_ATTRIBUTES.items()},
    "url_schemes": set(LINK_SCHEMES),
    "link_rel": None,  # Report what content holds; adding rel= is not a finding.
    "strip_comments": False,
}


def unsafe_markup(html: str) -> list[str]:
    """The elements and attributes of some HTML that the allow-list does not allow.

    Args:
        html: A page's content, as MkDocs rendered it from Markdown.

    Returns:
        Each element the sanitizer would remove or change, as its start tag, in the
        order of the page; empty when the content is safe.
    """
    cleaned = nh3.clean(html, **_CLEAN)
    if cleaned == html or cleaned == _parsed(html):
        return []
    kept = Counter(_start_tags(cleaned))
    unsafe: list[str] = []
    for tag in _start_tags(html):
        if kept[tag] > 0:
            kept[tag] -= 1
        else:
            unsafe.append(_shown(tag))
    # The sanitizer removed something the comparison of start tags cannot name, such
    # as a comment's worth of markup that html.parser reads apart from html5ever.
    return unsafe or ["markup that the sanitizer removes"]


_TAG_NAME = re.compile(r"<([a-zA-Z][^\s/>]*)")
_SCHEME_CHARS = re.compile(r"[a-zA-Z0-9+.\-]+")


def _parsed(html: str) -> str:
    """The content as nh3 parses and writes it, with nothing removed.

    The same parser and serializer as the allow-list's pass, allowing every tag the
    content could hold, every attribute, and every URL scheme it could spell: when the
    two outputs are equal, the allow-list removed nothing. This costs a fraction of
    comparing two parses in Python, which is left to the pages that differ.
    """
    tags = {name.lower() for name in _TAG_NAME.findall(html)}
    # A URL's scheme as the URL parser reads it: entities decoded, tabs and newlines
    # dropped; every suffix of a run before `:` that starts with a letter.
    squeezed = unescape(html).replace("\t", "").replace("\n", "").replace("\r", "")
    schemes: set[str] = set()
    for before in squeezed.split(":")[:-1]:
        # The run of scheme characters that ends at this `:`, read backwards.
        found = _SCHEME_CHARS.match(before[::-1])
        if found:
            run = found.group()[::-1]
            schemes.update(run[i:].lower() for i in range(len(run)) if run[i].isalpha())
    return str(
        nh3.clean(
            html,
            tags=tags,
            clean_content_tags=set(),
            attributes={},
            generic_attribute_prefixes={""},
            url_schemes=schemes,
            link_rel=None,
            strip_comments=False,
        )
    )


def clean(html: str) -> str:
    """Remove what the allow-list does not allow, as the sanitizer does.

    Args:
        html: A page's content.

    Returns:
        The content with every element and attribute `unsafe_markup` reports removed.
    """
    return str(nh3.clean(html, **_CLEAN))


Tag = tuple[str, tuple[tuple[str, str], ...]]


def _start_tags(html: str) -> list[Tag]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted((k, v or "") for k, v in attrs))))

    handle_startendtag = handle_starttag


def _shown(tag: Tag) -> str:
    name, attrs = tag
    parts = "".join(f' {k}="{v}"' if v else f" {k}" for k, v in attrs)
    text = f"<{name}{parts}>"
    return text if len(text) <= 120 else text[:119] + "…"


def locate(fragments: Sequence[str], files: Sequence[Path]) -> Iterator[tuple[Path, Loc, int, int]]:
    """Find the YAML values that hold any of some fragments of unsafe markup.

    Args:
        fragments: Text taken from what `unsafe_markup` reported, such as an attribute's
            value.
        files: The YAML files the page was made from.

    Yields:
        For each value holding a fragment: its file, location, line and column; values
        that equal a fragment come first.
    """
    wanted = [f for f in fragments if len(f) >= 3]
    whole: list[tuple[Path, Loc, int, int]] = []
    part: list[tuple[Path, Loc, int, int]] = []
    for path in files:
        for loc, value, line, column in _values(path):
            if value in wanted:
                whole.append((path, loc, line, column))
            elif any(fragment in value for fragment in wanted):
                part.append((path, loc, line, column))
    yield from whole
    yield from part


def _values(path: Path) -> list[tuple[Loc, str, int, int]]:
    """Every string of a YAML file with its place, read once while the file is unchanged.

    A build that fails may look up thousands of elements; each file is parsed once.
    """
    try:
        stat = path.stat()
    except OSError:
        return []
    return _read_values(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _read_values(path: Path, mtime: int, size: int) -> list[tuple[Loc, str, int, int]]:
    try:
        source = load_yaml(path)
    except CatalogError:  # A file that no longer loads has nothing to show.
        return []
    return [
        (loc, value, *source.marks.get(loc, (1, 1))) for loc, value in _strings(source.data, ())
    ]


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))
