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
from typing import TYPE_CHECKING, Any, TextIO

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
    parser.add_argument(
        "--fix", action="store_true",
        help="apply every unambiguous fix in place, all files or none, and print the diff",
    )  # fmt: skip
    parser.add_argument(
        "--diff", action="store_true", help="with --fix: print the diff, write nothing"
    )


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


def _read(path: Path, page: str = "", files: _Files | None = None) -> Target:
    from zofdocs.check import Target
    from zofdocs.yamlsource import read_text

    # As MkDocs reads a page (UTF-8, without a byte-order mark), so that this check and
    # the build's give the same verdict; a bad byte is named at its line and column.
    text = read_text(path, None, "check the path")
    name = display_path(path)
    if files is not None and path.suffix == ".md":  # Templates are code: never fixed.
        bom = "\ufeff" if path.read_bytes().startswith(b"\xef\xbb\xbf") else ""
        files[name] = (path.resolve(), text, bom)  # A symbolic link's target is the page.
    return Target(name, text, page)


_Files = dict[str, tuple[Path, str, str]]
"""Files `--fix` may edit, by name: path, text as checked, byte-order mark."""


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

    if args.diff and not args.fix:
        raise ZofError("--diff goes with --fix (hint: 'zofdocs check --fix --diff')")
    catalog = Path(args.catalog)
    folder = None if args.no_runbooks else folder_option(args.runbooks, "runbooks", "--runbooks")
    overrides = folder_option(args.templates, None, "--templates")
    findings: list[Problem]
    files: _Files = {}
    states = []
    if args.paths:
        sources = load_sources(catalog)
        checker = Checker(sources)
        named_files = _documents([Path(p) for p in args.paths], Path(args.docs))
        findings = [
            f for path, page in named_files for f in checker.check(_read(path, page, files))
        ]
        named = {p.resolve() for p, _ in named_files if p.name == RUNBOOK}
        if named and folder:
            states = load_runbooks(sources, folder, overrides=overrides)
            states = [s for s in states if s.path.resolve() in named]
            findings += stale_runbooks(states)
    else:
        result = pipeline.build(catalog, folder, overrides)
        states = result.runbooks
        docs = _documents([Path(args.docs)], Path(args.docs))
        others = [_read(p, page, files) for p, page in docs]
        others += [
            Target(f"tools/zofdocs/templates/{p.name}", p.read_text(encoding="utf-8"))
            for p in sorted(TEMPLATES.glob("*.j2"))
        ]
        findings = pipeline.check(result, others)
        for state in states:  # Checked as the file holds it, mark and all (pipeline.check).
            if state.current:  # A team without its runbook.md yet: nothing to fix in place.
                files[display_path(state.path)] = (state.path.resolve(), state.current, "")
    if args.fix:
        findings = _fix(findings, files, _generated_sections(files), write=not args.diff,
                        stream=sys.stdout if args.format == "text" else sys.stderr)  # fmt: skip
    sys.stdout.write(format_findings(sorted(findings), args.format))
    return 1 if any(f.severity == "error" for f in findings) else 0


def _generated_sections(files: _Files) -> dict[str, list[tuple[int, int]]]:
    """The spans of generated sections in each file, which `--fix` leaves alone.

    Read from each file's own text, whatever its name or folder: a runbook outside
    `--runbooks`, or one checked with `--no-runbooks`, has its sections too. A file whose
    markers do not parse is left alone whole.
    """
    from zofdocs.errors import CatalogError
    from zofdocs.runbooks.markers import Block, parse

    spans: dict[str, list[tuple[int, int]]] = {}
    for name, (_, text, _) in files.items():
        if "<!-- zofdocs:" not in text:
            continue
        body = text.removeprefix("\ufeff")
        at, mine = len(text) - len(body), []
        try:
            segments = parse(body, name)
        except CatalogError:
            spans[name] = [(0, len(text))]
            continue
        for segment in segments:
            size = len(segment if isinstance(segment, str) else segment.text())
            if isinstance(segment, Block):
                mine.append((at, at + size))
            at += size
        spans[name] = mine
    return spans


def _fix(
    findings: list[Problem],
    files: _Files,
    protected: dict[str, list[tuple[int, int]]],
    *,
    write: bool,
    stream: TextIO,
) -> list[Problem]:
    """Apply (or with `write=False`, show) every fix; return the findings left.

    The diff goes to `stream`: standard error when the findings are printed for a tool.
    """
    from zofdocs.fileio import write_all
    from zofdocs.fix import plan

    edits = plan(findings, files, protected)
    for edit in edits:
        stream.write(edit.diff())
    if write and edits:
        write_all([(edit.path, edit.bom + edit.after) for edit in edits])
    fixed = {id(f) for edit in edits for f in edit.fixed}
    count = len(fixed)
    done = "fixed" if write else "would fix"
    print(f"{done} {count} finding{'s' if count != 1 else ''} in {len(edits)} file"
          f"{'s' if len(edits) != 1 else ''}", file=sys.stderr)  # fmt: skip
    return [f for f in findings if id(f) not in fixed] if write else findings
