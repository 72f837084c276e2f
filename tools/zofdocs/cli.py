"""The `zofdocs` command: validate the sources and generate pages for any engine.

Exit status: 0 when all is well, 2 on bad input or usage. Every error a user can cause
is printed as a message, never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from zofdocs import __version__
from zofdocs.catalog import load_sources
from zofdocs.errors import ZofError
from zofdocs.render import render_site

__all__ = ["main", "write_pages"]

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def write_pages(pages: dict[str, str], out: Path) -> list[Path]:
    """Write pages below a folder, each atomically, leaving other files alone.

    Args:
        pages: Markdown text by page path.
        out: The folder to write into; created if missing.

    Returns:
        The files written, in page order.

    Raises:
        ZofError: A page path or the folder is unusable, or a write failed; files not
            yet replaced keep their old content.
    """
    root = out.resolve()
    targets = []
    for path in pages:
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            raise ZofError(f"{out / path}: lies outside {out} (a symbolic link?); not written")
        targets.append(target)
    written = []
    for target, text in zip(targets, pages.values(), strict=True):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() and target.read_bytes() == text.encode("utf-8"):
                written.append(target)
                continue
            # Write beside the target and rename over it: a reader never sees half a page.
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(text.encode("utf-8"))
                Path(temp).replace(target)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
        written.append(target)
    return written


def _validate(args: argparse.Namespace) -> int:
    sources = load_sources(Path(args.catalog))
    catalog = sources.catalog
    print(
        f"{args.catalog}: {len(catalog.statuses)} statuses, {len(catalog.codes)} codes, "
        f"{len(catalog.common_issues)} common issues, {len(sources.glossary.labels)} labels: ok"
    )
    return EXIT_OK


def _generate(args: argparse.Namespace) -> int:
    sources = load_sources(Path(args.catalog))
    site = render_site(sources, Path(args.templates) if args.templates else None)
    written = write_pages(site.pages, Path(args.out))
    print(f"{args.out}: {len(written)} pages written")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": _validate,
    "generate": _generate,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zofdocs",
        description="Docs-as-code for Zof's API errors and Console labels.",
        epilog="Exit status: 0 ok, 2 bad input or usage.",
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
        description="Write the generated pages to a folder, for review or other engines.",
    )
    generate.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    generate.add_argument(
        "--templates", metavar="DIR", help="folder of templates overriding the package's own"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments, without the program name; `sys.argv[1:]` when None.

    Returns:
        The exit status.
    """
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
