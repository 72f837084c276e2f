"""Turn catalogs written elsewhere into this project's YAML.

Each importer reads one format into an `Imported`: the `errors.yml` data, the source's
name, and notes on what the schema could not hold or what was changed on the way.
`zofdocs.importers.write` checks the result with the catalog loader and writes it.

| format | reads |
| --- | --- |
| `twilio` | Twilio's JSON download of all error codes |
| `postgres` | PostgreSQL's `errcodes.txt` |
| `openapi` | the error responses and error schema of an OpenAPI 3.x document |
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "Imported",
    "Reader",
    "fits",
    "humanize",
    "is_code_name",
    "markdown_items",
    "read_text",
    "reader",
]


@dataclass
class Imported:
    """A catalog read from another format, ready to be written as YAML.

    Attributes:
        source: What it was read from, for the page text, such as `Twilio`.
        codes: The `codes` of `errors.yml`, in the source's order.
        statuses: The `statuses`, when the source has HTTP statuses.
        response_shape: The `response_shape`, when the source describes one.
        notes: What was not kept or was changed, by message, with how often.
    """

    source: str
    codes: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    response_shape: dict[str, Any] | None = None
    notes: Counter[str] = field(default_factory=Counter)

    def note(self, message: str, count: int = 1) -> None:
        """Record something the schema could not hold, or a change made to fit it.

        Args:
            message: What, said once for all occurrences.
            count: How many occurrences to add.
        """
        self.notes[message] += count


class Reader(Protocol):
    """An importer: reads one file of its format.

    Raises:
        CatalogError: The file is malformed; every problem names its line and column.
    """

    def __call__(self, path: Path) -> Imported: ...  # noqa: D102


def reader(name: str) -> Reader:
    """The importer of a format, imported only when used.

    Args:
        name: A key of `FORMATS`.

    Returns:
        Its `read` function.
    """
    import importlib

    module = importlib.import_module(f"zofdocs.importers.{name}")
    read: Reader = module.read
    return read


FORMATS = {
    "twilio": "Twilio's JSON download of all error codes",
    "postgres": "PostgreSQL's errcodes.txt",
    "openapi": "an OpenAPI 3.x document (YAML or JSON)",
}
"""The formats of `zofdocs import`, with what each reads."""

_BULLET = re.compile(r"^\s{0,3}(?:[*+-]|\d{1,3}[.)])\s+")


MAX_BYTES = 64 * 1024 * 1024
"""The largest file imported: public API descriptions run to several megabytes."""


def read_text(path: Path) -> str:
    """Read a file to import, as the catalog loader reads its own files.

    Args:
        path: The file.

    Returns:
        Its text.

    Raises:
        CatalogError: The file is missing, unreadable, over `MAX_BYTES`, or not UTF-8
            text.
    """
    from zofdocs import yamlsource  # Not at import: `zofdocs --help` lists FORMATS.

    return yamlsource.read_text(path, MAX_BYTES, "check the path to the file to import")


@functools.cache
def _rule(*where: str) -> dict[str, Any]:
    from zofdocs.schema import load_schema

    rule: dict[str, Any] = load_schema("errors")
    for key in where:
        rule = rule[key]
    return rule


def fits(value: str, *where: str) -> bool:
    """Whether the catalog's schema takes a value, so that an importer asks the schema.

    Args:
        value: A value from another catalog.
        where: The keys down to its rule in `errors.schema.json`, such as
            `"$defs", "code_name"`.

    Returns:
        True when it is among the rule's `enum`, or matches its `pattern` within its
        `maxLength`.
    """
    rule = _rule(*where)
    if "enum" in rule:
        return value in rule["enum"]
    return len(value) <= rule.get("maxLength", len(value)) and bool(
        re.search(rule["pattern"], value)
    )


def is_code_name(name: str) -> bool:
    """Whether the catalog's schema takes a name as a code.

    Args:
        name: A code from another catalog.

    Returns:
        True when it fits the schema's `code_name`.
    """
    return fits(name, "$defs", "code_name")


def humanize(name: str) -> str:
    """Make a title of an identifier, such as `division_by_zero`.

    Args:
        name: A snake_case or SCREAMING_CASE name.

    Returns:
        The words in sentence case, such as `Division by zero`.
    """
    words = name.replace("_", " ").replace("-", " ").split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


def markdown_items(text: str) -> list[str]:
    """Split Markdown into the items of a list, as `causes` and `fixes` hold them.

    A bulleted or numbered list gives one item per entry, its wrapped lines joined;
    text before the list is an item of its own. Text without a list gives one item
    per paragraph.

    Args:
        text: Markdown, with LF line endings.

    Returns:
        The items, each on one line; empty when the text is blank.
    """
    lines = text.strip().splitlines()
    if not any(_BULLET.match(line) for line in lines):
        paragraphs = re.split(r"\n\s*\n", text.strip())
        return [" ".join(p.split()) for p in paragraphs if p.strip()]
    items: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            current = [line[bullet.end() :].strip()]
            items.append(current)
        elif not line.strip():
            current = None  # A blank line ends an item; what follows is a new one.
        elif current is None:
            current = [line.strip()]
            items.append(current)
        else:
            current.append(line.strip())
    return [" ".join(" ".join(item).split()) for item in items if " ".join(item).strip()]
