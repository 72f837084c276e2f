"""Import PostgreSQL's `errcodes.txt`, the list every SQLSTATE is generated from.

The file has comment lines (`#`), `Section: Class NN - Title` lines, and one line per
code: `SQLSTATE E/W/S ERRCODE_MACRO [condition_name]`. They map to the catalog:

| errcodes.txt | catalog |
| --- | --- |
| SQLSTATE | `code`, such as `22012` |
| condition name, else the macro without `ERRCODE_` | `title` in words: `Division by zero` |
| condition name, macro | `aliases` |
| E, W, S | `severity`: `error`, `warning`, `success` |
| section | `group`: `Class 22 - Data Exception` |

A SQLSTATE listed again under a second macro (`34000` is also `ERRCODE_UNDEFINED_CURSOR`
under class 42) is one code: the macro becomes one more alias, and a condition name
the first line lacked becomes its title. The file names conditions only: there are no
descriptions, causes or fixes (reported).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from zofdocs.errors import CatalogError, Problem, display_path
from zofdocs.importers import Imported, humanize, read_text

__all__ = ["read"]

_SEVERITY = {"E": "error", "W": "warning", "S": "success"}
_SECTION = re.compile(r"Section:\s*(\S.*?)\s*$")
_CODE = re.compile(
    r"(?P<state>[0-9A-Z]{5})\s+(?P<kind>[EWS])\s+(?P<macro>ERRCODE_[A-Z0-9_]+)"
    r"(?:\s+(?P<name>[a-z][a-z0-9_]*))?\s*$"
)


def read(path: Path) -> Imported:
    """Read PostgreSQL's errcodes.txt.

    Args:
        path: The file.

    Returns:
        The imported catalog.

    Raises:
        CatalogError: A line is neither a comment, a section nor a code line, or a
            SQLSTATE appears again with another severity; every problem names its line
            and column.
    """
    name = display_path(path)
    text = read_text(path)
    imported = Imported("PostgreSQL")
    problems: list[Problem] = []
    section: str | None = None
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        column = len(line) - len(line.lstrip()) + 1
        heading = _SECTION.match(stripped)
        if heading:
            section = heading.group(1)
            continue
        match = _CODE.match(stripped)
        if match is None:
            problems.append(
                Problem(
                    name,
                    number,
                    column,
                    f"cannot read {stripped[:40]!r} as a code line",
                    "write 'SQLSTATE E|W|S ERRCODE_MACRO [condition_name]', "
                    "or 'Section: Class NN - title'",
                )
            )
            continue
        state = match["state"]
        condition = match["name"]
        macro = match["macro"]
        if state in seen:
            first, known = seen[state]
            if known["severity"] != _SEVERITY[match["kind"]]:
                problems.append(
                    Problem(
                        name,
                        number,
                        column + len(state) + 1,
                        f"SQLSTATE {state} is {match['kind']} here but "
                        f"{known['severity']} on line {first}",
                        "make them agree",
                    )
                )
                continue
            if condition and not any(a.islower() for a in known["aliases"]):
                known["title"] = humanize(condition)
            known["aliases"] += [a for a in (condition, macro) if a and a not in known["aliases"]]
            imported.note(
                "SQLSTATEs listed again under a second macro: one code each, "
                "every name kept as an alias"
            )
            continue
        code: dict[str, Any] = {
            "code": state,
            "title": humanize(condition or macro.removeprefix("ERRCODE_")),
        }
        if section:
            code["group"] = section
        code["severity"] = _SEVERITY[match["kind"]]
        code["aliases"] = [condition, macro] if condition else [macro]
        seen[state] = (number, code)
        imported.codes.append(code)
    if problems:
        raise CatalogError(problems)
    unnamed = sum(not any(a.islower() for a in code["aliases"]) for code in imported.codes)
    if unnamed:
        imported.note("titles made from the macro name: no condition name", unnamed)
    if not imported.codes:
        raise CatalogError(
            [Problem(name, 1, 1, "no code lines", "is this PostgreSQL's errcodes.txt?")]
        )
    imported.note(
        "no description, causes, fixes or retry guidance: errcodes.txt names conditions only",
        len(imported.codes),
    )
    return imported
