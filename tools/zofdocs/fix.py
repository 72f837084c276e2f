"""`zofdocs check --fix`: apply the checker's unambiguous fixes to the files they are in.

A finding carries a fix only when there is one right text for the mistake (a known
wrong spelling, a case, a separator, a path the glossary gives, one close code); the
rest stay findings for a person. Fixes replace prose, and a mistyped code inside its
backticks: the checker finds mistakes only there, so other code, URLs and front matter
are never touched. A runbook's generated
sections are left alone too, as the catalog writes them, and so are generated pages
and templates, whose text comes from YAML and code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zofdocs.errors import Problem

__all__ = ["Edit", "apply", "plan"]


@dataclass(frozen=True)
class Edit:
    """A file the fixes change.

    Attributes:
        path: The file.
        name: Its name in findings.
        before: Its text now (without a byte-order mark).
        after: Its text with the fixes applied.
        bom: The byte-order mark it starts with, kept as it is; empty when none.
        fixed: The findings the edit fixes.
    """

    path: Path
    name: str
    before: str
    after: str
    bom: str
    fixed: tuple[Problem, ...]

    def diff(self) -> str:
        """The edit as a unified diff, as `git diff` shows one."""
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            f"a/{self.name}",
            f"b/{self.name}",
        )
        # As diff(1) says it, so that the next line of output starts a line of its own.
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )


def apply(text: str, findings: Iterable[Problem]) -> tuple[str, list[Problem]]:
    """Apply the fixes of findings to a text; overlapping fixes apply the first only.

    Args:
        text: The text the findings were found in.
        findings: Findings, each with or without a fix.

    Returns:
        The fixed text, and the findings whose fixes were applied.
    """
    chosen: list[Problem] = []
    end = -1
    for problem in sorted((f for f in findings if f.fix), key=lambda f: f.fix or (0, 0, "")):
        assert problem.fix is not None
        start, stop, _ = problem.fix
        if start < end or text[start:stop] == problem.fix[2]:
            continue  # Overlaps a fix already chosen, or nothing to change.
        chosen.append(problem)
        end = stop
    pieces, last = [], 0
    for problem in chosen:
        assert problem.fix is not None
        start, stop, new = problem.fix
        pieces += [text[last:start], new]
        last = stop
    pieces.append(text[last:])
    return "".join(pieces), chosen


def plan(
    findings: Sequence[Problem],
    files: dict[str, tuple[Path, str, str]],
    protected: dict[str, list[tuple[int, int]]] | None = None,
) -> list[Edit]:
    """Plan the edits that fix what can be fixed, file by file.

    Args:
        findings: The findings of a check.
        files: The files that may be edited, by their name in findings: each with its
            path, its text as checked, and the byte-order mark it starts with.
        protected: Spans of each file no fix may touch (a runbook's generated sections).

    Returns:
        One edit for each file that changes, in name order.
    """
    edits = []
    for name, (path, text, bom) in sorted(files.items()):
        spans = (protected or {}).get(name, [])
        mine = [
            f
            for f in findings
            if f.path == name and f.fix and not any(a < f.fix[1] and f.fix[0] < b for a, b in spans)
        ]
        after, fixed = apply(text, mine)
        if fixed:
            edits.append(Edit(path, name, text, after, bom, tuple(fixed)))
    return edits
