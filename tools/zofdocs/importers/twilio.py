"""Import Twilio's JSON download of all error codes.

Each entry has `code`, `message`, `log_level`, `secondary_message`, `log_type`, `docs`,
`causes`, `solutions`, `description`, `product`, `date_created` and `last_updated`.
They map to the catalog as follows:

| Twilio | catalog |
| --- | --- |
| `code` | `code`, as text: `20404` |
| `message` | `title` |
| `secondary_message`, `description` | `description`, one paragraph after the other |
| `causes`, `solutions` | `causes`, `fixes`: one item per list entry or paragraph |
| `product` | `group` |
| `log_level` | `severity`: `ERROR` is `error`, `WARNING` is `warning` |
| `date_created`, `last_updated` | `added`, `updated` (dates; the time of day is dropped) |
| `docs` | `details`, only where it says more than the fields above |
| `log_type` | not kept: the schema has no field for it (reported) |

Twilio's Markdown repeats the code and message as headings, which are dropped; other
headings become bold lines, and links relative to twilio.com become absolute.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from zofdocs.errors import CatalogError, Problem, display_path
from zofdocs.importers import Imported, markdown_items, read_text
from zofdocs.yamlsource import Loc, load_yaml

__all__ = ["read"]

SITE = "https://www.twilio.com"
"""Where Twilio's root-relative links point."""

_FIELDS = (
    "code",
    "message",
    "log_level",
    "secondary_message",
    "log_type",
    "docs",
    "causes",
    "solutions",
    "description",
    "product",
    "date_created",
    "last_updated",
)
_LEVELS = {"ERROR": "error", "WARNING": "warning"}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+Z?)?$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*#*\s*$")
# An inline link, `[text](/docs/...)`, or a reference definition, `[id]: /docs/...`.
_ROOT_LINK = re.compile(r"(\]\(\s*|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*)/(?!/)", re.MULTILINE)
_WORD = re.compile(r"\w+")


def read(path: Path) -> Imported:
    """Read Twilio's error codes JSON.

    Args:
        path: The JSON file: a list of error entries.

    Returns:
        The imported catalog.

    Raises:
        CatalogError: The file is not JSON, or not a list of entries with an integer
            `code` and a `message`; every problem names its line and column.
    """
    name = display_path(path)
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise CatalogError(
            [Problem(name, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")]
        ) from None
    imported = Imported("Twilio")
    wrong: list[tuple[Loc, str, str]] = []
    if not isinstance(data, list):
        wrong.append(((), "expected a list of error entries", "use Twilio's error codes JSON"))
        data = []
    seen: dict[int, int] = {}
    for index, entry in enumerate(data):
        problem = _check(entry, index, seen)
        if problem:
            wrong.append(problem)
            continue
        imported.codes.append(_code(entry, imported))
    if wrong:
        # Positions cost a second, slower parse: pay it only to report problems.
        source = load_yaml(path)
        raise CatalogError([source.problem(loc, message, hint) for loc, message, hint in wrong])
    if not imported.codes:
        raise CatalogError([Problem(name, 1, 1, "no error entries", "the list is empty")])
    types = Counter(str(entry["log_type"]) for entry in data if entry.get("log_type"))
    if types:
        kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(types.items()))
        imported.note(
            f"log_type ({kinds}): not kept, the schema has no field for where a fault lies",
            sum(types.values()),
        )
    extra = sorted(set().union(*(entry.keys() for entry in data)) - set(_FIELDS))
    for key in extra:
        imported.note(f"'{key}': not kept, an unknown field", sum(key in e for e in data))
    return imported


def _check(entry: Any, index: int, seen: dict[int, int]) -> tuple[Loc, str, str] | None:
    if not isinstance(entry, dict):
        return (index,), f"entry {index} is not an object", 'each entry is {"code": ...}'
    code = entry.get("code")
    if not isinstance(code, int) or isinstance(code, bool) or code < 0:
        return (index, "code"), f"entry {index}: 'code' must be a whole number", ""
    if code in seen:
        return (index, "code"), f"code {code} again (first in entry {seen[code]})", "merge them"
    seen[code] = index
    for key in ("message", *(k for k in _FIELDS if k not in ("code", "message"))):
        value = entry.get(key)
        if key == "message" and not (isinstance(value, str) and value.strip()):
            return (index, key), f"code {code}: 'message' must be non-empty text", ""
        if value is not None and not isinstance(value, str):
            return (index, key), f"code {code}: '{key}' must be text or null", ""
    for key in ("date_created", "last_updated"):
        value = entry.get(key)
        match = _DATE.match(value or "")
        if value and not (match and _real_date(match.group(1))):
            hint = "write it as 2022-03-10T23:34:59Z"
            return (index, key), f"code {code}: '{key}' is not a date: {value!r}", hint
    return None


def _code(entry: dict[str, Any], imported: Imported) -> dict[str, Any]:
    title = " ".join(entry["message"].split())
    number = str(entry["code"])
    code: dict[str, Any] = {"code": number, "title": title}
    texts = [
        _markdown(entry.get(k), title, number, imported)
        for k in ("secondary_message", "description")
    ]
    paragraphs = [t for t in texts if t]
    if len(paragraphs) == 2 and _words(paragraphs[0]) >= _words(paragraphs[1]):
        paragraphs = paragraphs[:1]  # The description only repeats the secondary message.
    elif len(paragraphs) == 2 and _words(paragraphs[1]) >= _words(paragraphs[0]):
        paragraphs = paragraphs[1:]
    if paragraphs:
        code["description"] = "\n\n".join(paragraphs)
    if (entry.get("product") or "").strip():
        code["group"] = entry["product"].strip()
    level = (entry.get("log_level") or "").upper()
    if level in _LEVELS:
        code["severity"] = _LEVELS[level]
    elif level:
        imported.note(f"log_level {level!r}: not kept, only ERROR and WARNING map to severity")
    docs = _markdown(entry.get("docs"), title, number, imported)
    sections = _sections(docs or "")
    for key, field in (("causes", "causes"), ("solutions", "fixes")):
        text = _markdown(entry.get(key), title, number, imported)
        if not text and sections.get(key):
            # Some entries keep their causes or solutions only in the page text.
            text = sections[key]
            imported.note(f"{key}: taken from the 'Possible {key.title()}' of docs")
        items = markdown_items(text) if text else []
        if items:
            code[field] = items
    if "description" not in code and sections.get(""):
        code["description"] = sections[""]
        imported.note("description: taken from the opening paragraphs of docs")
    if docs:
        # Twilio's page text is mostly the fields above under headings of its own:
        # keep it only where its prose says more.
        said = set().union(*(_words(code.get(k) or "") for k in ("title", "description")))
        said |= set().union(*(_words(" ".join(code.get(k, []))) for k in ("causes", "fixes")))
        prose = _markdown(entry.get("docs"), title, number, None, headings=False) or ""
        if _words(prose) - said:
            code["details"] = docs
        else:
            imported.note("docs: not kept where it only repeats the fields imported")
    added = _date(entry.get("date_created"))
    updated = _date(entry.get("last_updated"))
    if added:
        code["added"] = added
    if updated and updated != added:
        code["updated"] = updated
    return code


def _sections(docs: str) -> dict[str, str]:
    """Split cleaned page text at its 'Possible Causes' and 'Possible Solutions' lines."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in docs.split("\n"):
        heading = re.fullmatch(r"(?i)\*\*(?:Possible )?(Causes|Solutions)\*\*", line.strip())
        if heading:
            current = heading.group(1).lower()
            sections[current] = []
        elif line.startswith("**") and line.endswith("**"):
            current = "other"  # Another heading: its text belongs to no field.
            sections.setdefault(current, [])
        else:
            sections[current].append(line)
    return {key: "\n".join(lines).strip() for key, lines in sections.items() if key != "other"}


def _real_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _date(value: str | None) -> str | None:
    match = _DATE.match(value or "")
    return match.group(1) if match else None


def _markdown(
    value: str | None,
    title: str,
    code: str,
    imported: Imported | None,
    *,
    headings: bool = True,
) -> str | None:
    """Clean Twilio's Markdown: no repeated headings, no links relative to twilio.com.

    Other headings become bold lines, or are dropped when `headings` is false.
    """
    if not value or not value.strip():
        return None
    repeat = re.compile(rf"(?i)\s*#{{1,6}}\s*(?:error|warning)\s*[-:]?\s*{code}\b\s*")
    lines: list[str] = []
    # Tabs and carriage returns would force YAML to quote the text on one line.
    text = value.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    for line in text.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            text = heading.group(1)
            if not headings or repeat.fullmatch(line) or text.casefold() == title.casefold():
                continue
            line = f"**{text}**" if text else ""
        lines.append(repeat.sub(" ", line).rstrip())
    text = "\n".join(lines).strip()
    if _ROOT_LINK.search(text):
        if imported is not None:
            imported.note(f"links relative to twilio.com: made absolute ({SITE}/...)")
        text = _ROOT_LINK.sub(rf"\1{SITE}/", text)
    return text or None
