"""The `zofdocs` command: validate the sources and generate pages for any engine.

Exit status: 0 when all is well, 2 on bad input or usage. Every error a user can cause
is printed as a message, never as a traceback.

The command modules import YAML, Jinja and the checker inside the command that needs
them, so that `zofdocs --help` starts about as fast as Python importing PyYAML and
Jinja2, and no command imports MkDocs.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from zofdocs import __version__, check_cli, import_cli
from zofdocs.errors import ZofError
from zofdocs.fileio import (
    FORK_SAFE,
    MANIFEST,
    folder_option,
    inside_all,
    write_all,
    write_tree,
)
from zofdocs.runbooks import cli as runbook_cli

__all__ = ["entry", "main", "write_pages"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def write_pages(pages: dict[str, str], out: Path) -> list[Path]:
    """Write pages below a folder, each atomically, leaving other files alone.

    Args:
        pages: Markdown text by page path.
        out: The folder to write into; created if missing.

    Returns:
        The files written or already up to date, in page order.

    Raises:
        ZofError: A page path leaves the folder, or a write failed; then no file in
            the folder has changed.
    """
    targets = inside_all(out, list(pages))  # Check every path before writing any.
    write_all(list(zip(targets, pages.values(), strict=True)))
    return targets


_MOST_JOBS = 4
"""The most processes `generate` starts by default: the speed-up was measured on two
cores, and a machine's core count says nothing of a container's share of them."""


def _cores() -> int:
    """The processes `generate` renders in by default: one for each core it may use.

    At most `_MOST_JOBS`; one where no process forks (`FORK_SAFE`: Linux only).
    """
    return min(len(os.sched_getaffinity(0)), _MOST_JOBS) if FORK_SAFE else 1


def _jobs(value: str) -> int:
    """`--jobs N`: a whole number of processes, at least one."""
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1 or more)")
    return jobs


def _validate(args: argparse.Namespace) -> int:
    from zofdocs.catalog import load_sources

    sources = load_sources(Path(args.catalog))
    catalog = sources.catalog
    print(
        f"{args.catalog}: {len(catalog.statuses)} statuses, {len(catalog.codes)} codes, "
        f"{len(catalog.common_issues)} common issues, {len(sources.glossary.labels)} labels: ok"
    )
    return EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    from zofdocs.ahead import Ahead

    overrides = folder_option(args.templates, None, "--templates")
    folder = None if args.no_runbooks else folder_option(args.runbooks, "runbooks", "--runbooks")
    jobs = args.jobs or _cores()
    catalog = Path(args.catalog)
    # Started before the renderer is imported: a fork reads and compiles meanwhile.
    with Ahead(catalog, overrides, fork=jobs > 1) as ahead:
        from zofdocs import pipeline

        site = pipeline.build(catalog, folder, overrides, jobs=jobs, ahead=ahead).site
    removed = write_tree(Path(args.out), {**site.pages, **site.files}, jobs)
    gone = f", {len(removed)} no longer generated removed" if removed else ""
    print(f"{args.out}: {len(site.pages)} pages and {len(site.files)} other files written{gone}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from zofdocs.catalog import load_sources
    from zofdocs.export import FORMATS, exports

    prefix = FORMATS[args.format]
    files = {
        path: text for path, text in exports(load_sources(Path(args.catalog))).items()
        if path == prefix or path.startswith(prefix)
    }  # fmt: skip
    if not files:
        needs = {"openapi": "a response_shape", "vale": "glossary labels"}[args.format]
        print(
            f"zofdocs: error: {args.catalog}: nothing to export as {args.format}: the "
            f"catalog has no {needs.removeprefix('a ')} (hint: add {needs})",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.out is None and len(files) == 1:
        sys.stdout.write(next(iter(files.values())))
        return EXIT_OK
    out = Path(args.out or ".")
    write_pages(files, out)
    for path in files:
        print(out / path)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from zofdocs.catalog import load_sources
    from zofdocs.diff import diff_sources, format_changes

    def folder(value: str) -> Path:
        path = Path(value)
        return path.parent if path.is_file() else path  # errors.yml names its folder.

    changes = diff_sources(load_sources(folder(args.old)), load_sources(folder(args.new)))
    sys.stdout.write(format_changes(changes, args.format))
    return 1 if any(change.breaking for change in changes) else EXIT_OK


def _runbook(args: argparse.Namespace) -> int:
    return runbook_cli.COMMANDS[args.action](args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": _validate,
    "generate": _generate,
    "runbook": _runbook,
    "export": _export,
    "diff": _diff,
    "import": import_cli.run,
    "check": check_cli.run,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zofdocs",
        description="Docs-as-code for Zof's API errors and Console labels.",
        epilog="Exit status: 0 ok, 1 findings (check), stale runbooks or breaking changes (diff), "
        "2 bad input or usage.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--catalog",
        default="catalog",
        metavar="DIR",
        help="folder with errors.yml, glossary.yml and pages.yml (default: %(default)s)",
    )
    sub.add_parser(
        "validate",
        parents=[common],
        help="check the catalog, glossary and page text; report every problem",
        description="Check the sources and report every problem as path:line:column.",
    )
    generate = sub.add_parser(
        "generate",
        parents=[common],
        help="write the generated Markdown pages to a folder",
        description="Write the generated pages to a folder, for review or other engines. "
        f"The folder keeps a list of what was written ({MANIFEST}), so that a later run "
        "removes the pages of codes that are gone and never touches other files.",
    )
    generate.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    generate.add_argument(
        "--runbooks", metavar="DIR", help="folder of team runbooks to publish (default: runbooks)"
    )
    generate.add_argument("--no-runbooks", action="store_true", help="publish no runbooks")
    generate.add_argument(
        "--templates", metavar="DIR", help="folder of templates overriding the package's own"
    )
    generate.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="processes to render and write in (default: one for each core this process may "
        "use, "
        f"up to {_MOST_JOBS}, on Linux; elsewhere 1)",
    )
    export = sub.add_parser(
        "export",
        parents=[common],
        help="write a machine-readable catalog: json, openapi, problems or vale",
        description="Write errors.json, an OpenAPI 3.1 fragment, RFC 9457 problem documents "
        "or a Vale style. json and openapi go to standard output unless --out is given.",
    )
    export.add_argument("format", choices=("json", "openapi", "problems", "vale"))
    export.add_argument("--out", metavar="DIR", help="folder to write into")
    diff = sub.add_parser(
        "diff",
        help="list the changes between two catalogs; exit 1 when any breaks clients",
        description="Compare two catalog folders (or their errors.yml). Breaking: a code "
        "removed without replaced_by, a status changed, a param removed or renamed, a retry "
        "policy tightened, a label removed without an alias.",
    )
    diff.add_argument("old", metavar="OLD", help="the earlier catalog folder")
    diff.add_argument("new", metavar="NEW", help="the later catalog folder")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    import_cli.add_parser(sub)
    runbook_cli.add_parser(sub, common)
    check_cli.add_parser(sub, common)
    return parser


def entry() -> NoReturn:
    """The `zofdocs` command (and `python -m zofdocs`): `main`, then exit at once.

    Exiting normally, Python frees every object the run made, one at a time, and a
    2,000-code `generate` made millions: about 3% of its time. Every file is closed by
    then; standard output and error are flushed here. As mypy does, skip the rest.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None when started with the stream closed.
                stream.flush()
        except (OSError, ValueError):  # The reader went away, or the stream is closed.
            code = code or 1
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments, without the program name; `sys.argv[1:]` when None.

    Returns:
        The exit status.
    """
    # A run is short, and most of what it makes lives to its end (the catalog, the
    # pages): at its default threshold, Python's collector walks them again every few
    # hundred objects made, some 700 times in a 2,000-code `generate`. As mypy does,
    # collect less often: a twentieth off that run's time, for 8% more peak memory.
    # The threshold is the process's: a caller's is given back.
    threshold = gc.get_threshold()
    gc.set_threshold(100_000, 20, 20)
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*threshold)


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help.
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except ZofError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`zofdocs ... | head`): stop quietly, as other tools do.
        # Python would report the failed flush at exit; point stdout at nothing first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
