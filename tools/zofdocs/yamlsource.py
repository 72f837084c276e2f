"""Safe YAML loading that remembers where every value came from.

PyYAML's loaders return plain data and forget positions, and silently keep the last of
two duplicate keys. Here the document is composed into nodes (with libyaml when it is
installed, which is several times faster) and turned into plain data by hand, so that
every value keeps its `line:column`, duplicate keys are reported, and nothing but plain
scalars, mappings and sequences is accepted: data that JSON can hold, as the schemas
and the exports need.
"""

from __future__ import annotations

import contextlib
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

_T = "tag:yaml.org,2002:"
_STR = _T + "str"
_MAP = _T + "map"
_SEQ = _T + "seq"
_TIMESTAMP = _T + "timestamp"
_PLAIN_SCALARS = {_T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"}
_KINDS = {_T + "int": "a whole number", _T + "float": "a number", _T + "bool": "true or false"}

try:  # libyaml is optional; it keeps line and column marks all the same.
    _Base: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[valid-type,misc]  # One of two bases, as built.
    """The safe loader, which tells the tag of each plain scalar once per text.

    libyaml composes in C but asks Python for every untagged node's tag, and a plain
    scalar's is found by trying regular expressions in turn: a fifth of the time of a
    large catalog, whose keys and values repeat. The tag depends on nothing but the
    text while the loader has no path resolvers (the safe loader has none).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if self.yaml_path_resolvers:  # pragma: no cover - none unless added to PyYAML's
            return str(super().resolve(kind, value, implicit))
        if kind is not yaml.ScalarNode:
            return _MAP if kind is yaml.MappingNode else _SEQ
        if not implicit[0]:
            return _STR  # Quoted: text.
        tag = self._plain_tags.get(value)
        if tag is None:
            tag = self._plain_tags[value] = str(super().resolve(kind, value, implicit))
        return tag


@dataclass
class Source:
    """A loaded YAML file: its data, and where each value and key stands.

    Attributes:
        path: The file that was read.
        name: The file's name as messages show it.
        data: The document as plain Python data (dicts, lists, str, int, finite float,
            bool, None); timestamps stay strings, as JSON would have them.
        floats: Where a number is written with a decimal point: the few places a
            check of whole numbers needs to look at.
        text: The text the data was read from, for `marks` and `key_marks`.
    """

    path: Path
    name: str
    data: Any = None
    floats: list[Loc] = field(default_factory=list, kw_only=True)
    text: str = field(default="", repr=False, kw_only=True)
    _places: tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]] | None = field(
        default=None, init=False, repr=False
    )

    @property
    def marks(self) -> dict[Loc, tuple[int, int]]:
        """For each location, the 1-based line and column of its value."""
        return self._read_places()[0]

    @property
    def key_marks(self) -> dict[Loc, tuple[int, int]]:
        """For each location inside a mapping, the line and column of its key."""
        return self._read_places()[1]

    def _read_places(
        self,
    ) -> tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]:
        # Only a report needs a place, and most loads report nothing: the places are
        # found on first need, by reading the text again (0.13 s for 2,000 codes, where
        # recording them on every load would cost a third of that each time).
        if self._places is None:
            places = Source(self.path, self.name, text=self.text)
            places._places = ({}, {})
            if self.text:
                with contextlib.suppress(CatalogError):  # It loaded before: it loads again.
                    _compose(places, self.text, marking=True)
            self._places = places._places
        return self._places

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
    source = Source(path, name, text=text)
    _compose(source, text, marking=False)
    return source


def _compose(source: Source, text: str, *, marking: bool) -> None:
    """Read `text` into `source.data`, and its places into `source` when `marking`.

    Without `marking`, a document that holds anything a report would be made of (a
    duplicate key, an alias, a tag, a number JSON cannot hold, too deep a nesting) is
    read again with it: every report names its place, and only such a document pays.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            if not marking:
                try:
                    quick = _Quick(loader, source.floats)
                    source.data = quick.value(node, (), 0)
                    return
                except _UnusualError:
                    source.floats.clear()
            source._places = ({}, {})
            source.data = _Builder(source, loader, text).build(node, ())
    except yaml.MarkedYAMLError as exc:
        raise CatalogError([_syntax_problem(source.name, exc, text)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports without marks rarely
        raise CatalogError([Problem(source.name, 0, 0, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise CatalogError(
            [Problem(source.name, 0, 0, "nesting is too deep to read", "flatten the document")]
        ) from None
    finally:
        loader.dispose()


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
    if limit is None:
        limit = max_bytes()
    try:
        with path.open("rb") as handle:
            # Never more than one byte past the limit: a file that is not a catalog (a
            # log, a disk image) is refused without being read into memory.
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(limit + 1) if size <= limit else b""
    except FileNotFoundError:
        raise CatalogError([Problem(name, 0, 0, "file not found", missing_hint)]) from None
    except OSError as exc:
        raise CatalogError([Problem(name, 0, 0, f"cannot read file: {exc.strerror}")]) from None
    if size > limit or len(raw) > limit:
        needed = -(-max(size, len(raw)) // (1024 * 1024))
        what = f"file is {size:,} bytes, more than" if size > limit else "file holds more than"
        raise CatalogError(
            [
                Problem(
                    name,
                    0,
                    0,
                    f"{what} the {limit:,} that {MAX_FILE_SETTING} allows",
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
        self.marks, self.key_marks = source._read_places()
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
        self.marks[loc] = self._mark(node)
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
        try:
            value = self._construct(node)
        except _UnreadableError:
            return None
        if isinstance(value, float) and not math.isfinite(value):  # JSON has no such number.
            self._fail(
                node,
                f"{node.value!r} is not a number JSON can hold",
                "write a finite number, or quote it to keep it as text",
            )
            return None
        return value

    def _construct(self, node: yaml.Node) -> Any:
        """A plain scalar's value; reported when its tag does not fit its text.

        Only a tag written out can be wrong (`!!int abc`): YAML gives an untagged
        scalar the tag its text fits.

        Raises:
            _UnreadableError: Reported.
        """
        try:
            return self.loader.construct_object(node)
        except (ValueError, KeyError, TypeError, yaml.YAMLError):
            kind = _KINDS.get(node.tag, "value of its tag")
            self._fail(
                node,
                f"{node.value!r} is not {kind}, as its tag {node.tag.replace(_T, '!!')} says",
                "remove the tag, or write a value of that kind",
            )
            raise _UnreadableError from None

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
            self.key_marks[(*loc, key)] = here
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
        try:
            key = self._construct(node)
        except _UnreadableError:
            return None
        if isinstance(key, bool) or key is None or isinstance(key, float):
            return str(node.value)
        assert isinstance(key, str | int)
        return key


class _UnreadableError(Exception):
    """A scalar `_Builder` reported: its tag does not fit its text."""


class _UnusualError(Exception):
    """The document holds something `_Quick` leaves to `_Builder`, which reports it."""


class _Quick:
    """Turn a composed node tree into plain data, as `_Builder` does, without places.

    It takes the common document: mappings with unique text keys, sequences, and plain
    scalars, nested no deeper than `MAX_DEPTH`. On anything else it raises `_UnusualError`
    before it has made a report's worth of work, and `_Builder` reads the tree again.
    """

    def __init__(self, loader: yaml.CSafeLoader | yaml.SafeLoader, floats: list[Loc]) -> None:
        self.loader = loader
        self.floats = floats
        self.seen: set[int] = set()

    def value(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        if id(node) in self.seen or depth > MAX_DEPTH:
            raise _UnusualError  # An alias (the composer hands back the anchored node again).
        self.seen.add(id(node))
        kind = node.__class__
        tag = node.tag
        if kind is yaml.ScalarNode:
            if tag in (_STR, _TIMESTAMP):  # Dates stay text, as `_Builder` keeps them.
                return node.value
            if tag not in _PLAIN_SCALARS:
                raise _UnusualError
        elif kind is yaml.MappingNode and tag == _MAP:
            result: dict[str | int, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if key_node.tag != _STR or key_node.__class__ is not yaml.ScalarNode:
                    raise _UnusualError
                if key in result:
                    raise _UnusualError
                result[key] = self.value(value_node, (*loc, key), depth + 1)
            return result
        elif kind is yaml.SequenceNode and tag == _SEQ:
            return [self.value(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        else:
            raise _UnusualError
        try:
            value = self.loader.construct_object(node)
        except Exception:  # A tag that does not fit its text: `_Builder` says so.
            raise _UnusualError from None
        if type(value) is float:
            if not math.isfinite(value):
                raise _UnusualError
            self.floats.append(loc)
        return value
