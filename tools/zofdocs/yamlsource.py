"""Safe YAML loading that remembers where every value came from.

PyYAML's loaders return plain data and forget positions, and silently keep the last of
two duplicate keys. Here the document is composed into nodes (with libyaml when it is
installed, which is several times faster) and turned into plain data by hand, so that
every value keeps its `line:column`, duplicate keys are reported, and nothing but plain
scalars, mappings and sequences is accepted: data that JSON can hold, as the schemas
and the exports need.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from zofdocs.errors import CatalogError, Problem, display_path

__all__ = [
    "DEFAULT_MAX_MB",
    "MAX_FILE_SETTING",
    "Loc",
    "Source",
    "load_yaml",
    "max_bytes",
    "read_text",
]

Loc = tuple[str | int, ...]
"""A location inside a document: the keys and indexes that lead to a value."""

MAX_FILE_SETTING = "ZOFDOCS_MAX_FILE_MB"
"""The environment variable that sets the largest file read, in megabytes (MiB)."""

DEFAULT_MAX_MB = 32
"""The largest file read when `MAX_FILE_SETTING` is not set. A faithful catalog of
10,000 codes is about 5.5 MB, and the format keeps every code in one `errors.yml`, so
the limit only stops a file that is not a catalog (a log, a dump) from being read
into memory."""

MAX_ALIAS_REPORTS = 5
"""Report this many aliases at most; one is enough to show what to fix."""

MAX_DEPTH = 32
"""Refuse deeper nesting: the schemas need fewer than ten levels."""

try:  # libyaml is optional; it keeps line and column marks all the same.
    _Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

_T = "tag:yaml.org,2002:"
_STR = _T + "str"
_PLAIN_SCALARS = {_T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"}


@dataclass
class Source:
    """A loaded YAML file: its data, and where each value and key stands.

    Attributes:
        path: The file that was read.
        name: The file's name as messages show it.
        data: The document as plain Python data (dicts, lists, str, int, finite float,
            bool, None); timestamps stay strings, as JSON would have them.
        marks: For each location, the 1-based line and column of its value.
        key_marks: For each location inside a mapping, the line and column of its key.
        floats: Where a number is written with a decimal point: the few places a
            check of whole numbers needs to look at.
    """

    path: Path
    name: str
    data: Any = None
    marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    floats: list[Loc] = field(default_factory=list)

    def problem(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> Problem:
        """Make a problem located at a value (or at its key).

        Args:
            loc: Where the value is. Falls back to the nearest enclosing location.
            message: What is wrong.
            hint: How to fix it.
            key: Point at the key rather than the value.

        Returns:
            The problem, with this file's name, line and column.
        """
        table = self.key_marks if key and loc in self.key_marks else self.marks
        while loc and loc not in table:
            loc = loc[:-1]
        line, column = table.get(loc, (1, 1))
        return Problem(self.name, line, column, message, hint)


def max_bytes() -> int:
    """The largest file read, from `MAX_FILE_SETTING` or else `DEFAULT_MAX_MB`.

    Returns:
        The limit in bytes.

    Raises:
        CatalogError: The setting is not a whole number of megabytes above zero.
    """
    value = os.environ.get(MAX_FILE_SETTING, "").strip()
    if not value:
        return DEFAULT_MAX_MB * 1024 * 1024
    if not value.isdigit() or int(value) == 0:
        raise CatalogError(
            [
                Problem(
                    MAX_FILE_SETTING,
                    0,
                    0,
                    f"the setting is {value!r}, which is not a whole number of megabytes",
                    f"set it to a number such as 64, or unset it for {DEFAULT_MAX_MB}",
                )
            ]
        )
    return int(value) * 1024 * 1024


def load_yaml(path: Path, limit: int | None = None) -> Source:
    """Read one YAML file safely, keeping positions.

    Args:
        path: The file to read.
        limit: The largest file read, in bytes; `max_bytes()` when None.

    Returns:
        The loaded source.

    Raises:
        CatalogError: The file is missing, too large, not UTF-8, not valid YAML, or uses
            duplicate keys, aliases or tags that plain data cannot hold.
    """
    name = display_path(path)
    text = read_text(path, limit, "create it, or point --catalog at it")
    source = Source(path, name)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            source.data = _Builder(source, loader, text).build(node, ())
    except yaml.MarkedYAMLError as exc:
        raise CatalogError([_syntax_problem(name, exc, text)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports without marks rarely
        raise CatalogError([Problem(name, 0, 0, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise CatalogError(
            [Problem(name, 0, 0, "nesting is too deep to read", "flatten the document")]
        ) from None
    finally:
        loader.dispose()
    return source


def read_text(path: Path, limit: int | None, missing_hint: str) -> str:
    """Read a text file, refusing what no person wrote as UTF-8 text.

    Args:
        path: The file.
        limit: The largest file read, in bytes; `max_bytes()` when None.
        missing_hint: How to fix a missing file, for the message.

    Returns:
        Its text, without a byte-order mark.

    Raises:
        CatalogError: The file is missing, unreadable, too large, not UTF-8 (at the
            line and column of the first bad byte), or holds a NUL character.
    """
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError([Problem(name, 0, 0, "file not found", missing_hint)]) from None
    except OSError as exc:
        raise CatalogError([Problem(name, 0, 0, f"cannot read file: {exc.strerror}")]) from None
    if limit is None:
        limit = max_bytes()
    if len(raw) > limit:
        needed = -(-len(raw) // (1024 * 1024))
        raise CatalogError(
            [
                Problem(
                    name,
                    0,
                    0,
                    f"file is {len(raw):,} bytes, more than the {limit:,} that "
                    f"{MAX_FILE_SETTING} allows",
                    f"check that this is the file you meant; if it is, set "
                    f"{MAX_FILE_SETTING}={needed} or more",
                )
            ]
        )
    return _decode(raw, name)


def _decode(raw: bytes, name: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise CatalogError(
            [
                Problem(
                    name,
                    line,
                    column,
                    f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                    "save the file as UTF-8",
                )
            ]
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CatalogError([Problem(name, line, 1, "NUL character in a text file")])
    return text


_SYNTAX_HINTS = {
    "'\\t'": "indent with spaces; YAML does not allow tabs",
    "tab character": "indent with spaces; YAML does not allow tabs",
    "mapping values are not allowed": "quote a value that contains ': ', or fix the indentation",
    "expected <block end>": "check the indentation of this line against the one above",
    "could not find expected ':'": "a key needs ': ' after it; quote text that spans lines",
    "found undefined alias": "anchors and aliases are not supported; write the value out",
    "found unexpected end of stream": "close the quote or bracket that is still open",
    "expected a single document": "keep one document per file; remove the '---' line",
    "did not find expected '-' indicator": "check the indentation: the keys of a list item "
    "line up with the first key after its '- '",
    "did not find expected key": "check the indentation of this line against the one above; "
    "a list item starts with '- '",
    "did not find expected node content": "quote a value that starts with '#', '@', '`' or '%' "
    '(in a list too: ["#1", b])',
    "did not find expected ',' or ']'": "close the '[' list, and quote an item that holds ',' "
    "or ']'",
    "did not find expected ',' or '}'": "close the '{' mapping, and quote a value that holds "
    "',' or '}'",
    "cannot start any token": "quote a value that starts with '@', '`' or '%'",
}
"""A hint for each libyaml complaint, found by a part of its wording."""


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError, text: str = "") -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    what = " ".join(p for p in (exc.context, exc.problem) if p)
    hint = next((h for key, h in _SYNTAX_HINTS.items() if key in what), "")
    # libyaml words a tab and an '@' alike ("cannot start any token"): look at the text.
    lines = text.splitlines()
    if 0 < line <= len(lines) and lines[line - 1][column - 1 : column] == "\t":
        hint = _SYNTAX_HINTS["tab character"]
    return Problem(name, line, column, f"YAML syntax error: {what}", hint)


class _Builder:
    """Turn a composed node tree into plain data, recording marks on the way."""

    def __init__(
        self, source: Source, loader: yaml.CSafeLoader | yaml.SafeLoader, text: str
    ) -> None:
        self.source = source
        self.loader = loader
        self.text = text
        self.seen: set[int] = set()
        self.aliased = False
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        value = self._node(node, loc, 0)
        if self.aliased:
            self._report_aliases()
        if self.problems:
            raise CatalogError(self.problems)
        return value

    def _report_aliases(self) -> None:
        # The composed tree no longer says where an alias stood; the event stream does.
        # Reading it again costs little, and only documents that use aliases pay it.
        events = yaml.parse(self.text, Loader=_Loader)
        aliases = [e for e in events if isinstance(e, yaml.AliasEvent)]
        for event in aliases[:MAX_ALIAS_REPORTS]:
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            self.problems.append(
                Problem(
                    self.source.name,
                    line,
                    column,
                    "anchors and aliases are not supported",
                    "write the value out",
                )
            )

    def _mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: yaml.Node, message: str, hint: str = "") -> None:
        line, column = self._mark(node)
        self.problems.append(Problem(self.source.name, line, column, message, hint))

    def _node(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        self.source.marks[loc] = self._mark(node)
        if id(node) in self.seen:
            # An alias: the composer hands back the anchored node again. Refusing it
            # here, before it is expanded, also defuses "billion laughs" documents.
            self.aliased = True
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self._fail(node, f"nesting deeper than {MAX_DEPTH} levels", "flatten the document")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _T + "seq":
                self._fail(node, f"unsupported YAML tag {node.tag!r}", "remove the tag")
                return None
            return [self._node(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        value = self._scalar(node)
        if type(value) is float:
            self.source.floats.append(loc)
        return value

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR:  # Most values: skip the constructor's dispatch.
            return node.value
        if node.tag == _T + "timestamp":
            return node.value  # Dates stay text, as they would be in JSON.
        if node.tag not in _PLAIN_SCALARS:
            self._fail(
                node,
                f"unsupported YAML tag {node.tag!r}",
                "only plain text, numbers, true/false and null are allowed; remove the tag",
            )
            return None
        value = self.loader.construct_object(node)
        if isinstance(value, float) and not math.isfinite(value):  # JSON has no such number.
            self._fail(
                node,
                f"{node.value!r} is not a number JSON can hold",
                "write a finite number, or quote it to keep it as text",
            )
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str | int, Any]:
        if node.tag != _T + "map":
            self._fail(node, f"unsupported YAML tag {node.tag!r}", "remove the tag")
            return {}
        result: dict[str | int, Any] = {}
        first: dict[str | int, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            here = self._mark(key_node)
            if key in first:
                line, column = first[key]
                self._fail(
                    key_node,
                    f"duplicate key {key!r} (first at line {line}, column {column})",
                    "YAML would silently keep only the last one; remove or rename one",
                )
                continue
            first[key] = here
            self.source.key_marks[(*loc, key)] = here
            result[key] = self._node(value_node, (*loc, key), depth + 1)
        return result

    def _key(self, node: yaml.Node) -> str | int | None:
        if node.tag == _STR:  # Most keys: skip the constructor's dispatch.
            return str(node.value)
        if node.tag == _T + "merge":
            self._fail(node, "merge keys ('<<') are not supported", "write the keys out")
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _PLAIN_SCALARS:
            self._fail(node, "a key must be plain text", "quote the key")
            return None
        key = self.loader.construct_object(node)
        if isinstance(key, bool) or key is None or isinstance(key, float):
            return str(node.value)
        assert isinstance(key, str | int)
        return key
