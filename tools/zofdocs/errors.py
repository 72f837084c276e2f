"""The one exception hierarchy of zofdocs, and the one diagnostic type.

A `Problem` is anything wrong at a place a person can jump to: a malformed catalog entry
found by validation, a runbook marker, or a checker finding (which also names its rule).
Every error a user can cause is a `ZofError`. The command-line tool and the MkDocs
plugin print its message and exit or fail without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = ["CatalogError", "Problem", "RenderError", "Severity", "ZofError", "display_path"]

Severity = Literal["error", "warning"]
"""`error` fails a command; `warning` is reported without failing it."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, at a place a person can jump to.

    Printed as `path:line:column: [RULE ]message (hint: ...)`, the one format every
    command, the build and the site's Checks page use.

    Attributes:
        path: The file, as given to the loader.
        line: 1-based line, or 0 when the problem concerns the whole file.
        column: 1-based column, or 0 when the problem concerns the whole file.
        message: What is wrong.
        hint: How to fix it; empty when there is nothing useful to add.
        rule: The checker rule that found it (see `zofdocs.findings.RULES`); empty for
            a problem found by loading and validating.
        severity: `error` fails the command; `warning` is reported without failing it.
        fix: The checker's unambiguous fix, as (start, end, text): replace the file's
            characters from offset `start` to `end` with `text` (`zofdocs check --fix`).
            None when the fix needs a person. Not part of a problem's identity.
    """

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    rule: str = ""
    severity: Severity = "error"
    fix: tuple[int, int, str] | None = field(default=None, compare=False)

    @property
    def where(self) -> str:
        """The place, as `path:line:column`, or the path alone for the whole file."""
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path

    def __str__(self) -> str:
        rule = f"{self.rule} " if self.rule else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        # One problem, one line: a value quoted into a message (an area's name in a
        # hint, say) may hold a line break or a terminal escape, which would start a
        # line of its own, without a place, or rewrite the terminal.
        return f"{self.where}: {rule}{self.message}{hint}".translate(_ONE_LINE)


def _escapes() -> dict[int, str]:
    """Control characters, and the Unicode line and paragraph separators, as escapes."""
    breaking = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
    return {c: repr(chr(c))[1:-1] for c in breaking if c != ord("\t")}


_ONE_LINE = _escapes()


class ZofError(Exception):
    """Base class of every error zofdocs reports to a user."""


class CatalogError(ZofError):
    """One or more input files are malformed; carries every problem found.

    Args:
        problems: Every problem found; each is kept once, in file and line order (a
            setting that every file reads is wrong once, not once for each file).
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class RenderError(ZofError):
    """A template failed to render (for example, it used an undefined value)."""


def display_path(path: Path) -> str:
    """Return `path` relative to the working directory when it lies below it.

    Args:
        path: Any path.

    Returns:
        The shortest faithful spelling of the path for a message.
    """
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
