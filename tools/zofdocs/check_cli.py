"""`zofdocs check [PATH ...]`: the checker over the repository, or over named files.

With no PATH it checks everything: the hand-written pages under `docs/`, the generated
pages (reported under `generated/`; `zofdocs generate --out generated` writes them to
look at), the runbooks and the templates; it also reports codes missing from the site,
stale runbooks, and glossary labels used nowhere. With PATHs (files or folders) it
checks those documents only. Exit status: 0 clean (warnings allowed), 1 findings, 2 bad
input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zofdocs.errors import Problem, ZofError, display_path
from zofdocs.fileio import folder_option
from zofdocs.findings import FORMATS, format_findings

if TYPE_CHECKING:
    from zofdocs.check import Target

__all__ = ["add_parser", "run"]

SUFFIXES = (".md", ".j2")


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `check` to the command line.

    Args:
        sub: The top-level subparsers.
        common: The parent parser holding `--catalog`.
    """
    parser = sub.add_parser(
        "check",
        parents=[common],
        help="check that every code and Console label is written right everywhere",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument("--docs", default="docs", metavar="DIR", help="hand-written pages")
    parser.add_argument("--runbooks", metavar="DIR", help="team runbooks (default: runbooks)")
    parser.add_argument("--no-runbooks", action="store_true", help="check no runbooks")
    parser.add_argument("--templates", metavar="DIR", help="templates overriding the package's")


def _documents(paths: list[Path], docs: Path) -> list[tuple[Path, str]]:
    """The files to check, each with its path in the site where it has one.

    A folder's files are pages below that folder (so `zofdocs check generated` knows
    each code's own page); a file below the docs folder is a page below it.
    """
    files: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            files += [
                (p, p.relative_to(path).as_posix())
                for p in sorted(path.rglob("*"))
                if p.suffix in SUFFIXES and p.is_file()
            ]
        elif path.is_file():
            inside = path.resolve().is_relative_to(docs.resolve())
            files.append((path, path.resolve().relative_to(docs.resolve()).as_posix()
                          if inside else ""))  # fmt: skip
        else:
            raise ZofError(f"{path}: no such file or folder")
    return files


def _read(path: Path, page: str = "") -> Target:
    from zofdocs.check import Target
    from zofdocs.yamlsource import read_text

    # As MkDocs reads a page (UTF-8, without a byte-order mark), so that this check and
    # the build's give the same verdict; a bad byte is named at its line and column.
    return Target(display_path(path), read_text(path, None, "check the path"), page)


def run(args: argparse.Namespace) -> int:
    """Run `zofdocs check`.

    Args:
        args: The parsed arguments.

    Returns:
        The exit status.
    """
    # Imported here, not at the top: see zofdocs.cli.
    from zofdocs import pipeline
    from zofdocs.catalog import load_sources
    from zofdocs.check import Checker, Target
    from zofdocs.render import TEMPLATES
    from zofdocs.runbooks.state import RUNBOOK, load_runbooks, stale_runbooks

    catalog = Path(args.catalog)
    folder = None if args.no_runbooks else folder_option(args.runbooks, "runbooks", "--runbooks")
    overrides = folder_option(args.templates, None, "--templates")
    findings: list[Problem]
    if args.paths:
        sources = load_sources(catalog)
        checker = Checker(sources)
        files = _documents([Path(p) for p in args.paths], Path(args.docs))
        findings = [f for path, page in files for f in checker.check(_read(path, page))]
        named = {p.resolve() for p, _ in files if p.name == RUNBOOK}
        if named and folder:
            states = load_runbooks(sources, folder, overrides=overrides)
            findings += stale_runbooks([s for s in states if s.path.resolve() in named])
    else:
        result = pipeline.build(catalog, folder, overrides)
        others = [_read(p, page) for p, page in _documents([Path(args.docs)], Path(args.docs))]
        others += [
            Target(f"tools/zofdocs/templates/{p.name}", p.read_text(encoding="utf-8"))
            for p in sorted(TEMPLATES.glob("*.j2"))
        ]
        findings = pipeline.check(result, others)
    sys.stdout.write(format_findings(sorted(findings), args.format))
    return 1 if any(f.severity == "error" for f in findings) else 0
