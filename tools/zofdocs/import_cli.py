"""`zofdocs import`: turn a catalog written elsewhere into a catalog folder."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from zofdocs.importers import FORMATS

__all__ = ["add_parser", "run"]


def add_parser(sub: Any) -> None:
    """Add the `import` command.

    Args:
        sub: The subparsers of the `zofdocs` parser.
    """
    formats = "; ".join(f"{name}: {what}" for name, what in FORMATS.items())
    parser = sub.add_parser(
        "import",
        help="turn another catalog (twilio, postgres, openapi) into a catalog folder",
        description=f"Read FILE as FORMAT ({formats}) and write errors.yml, plus glossary.yml "
        "and pages.yml where missing, to --out. Everything the schema cannot hold is "
        "reported. Nothing is written unless the result loads.",
    )
    parser.add_argument(
        "format", choices=tuple(FORMATS), metavar="FORMAT", help="twilio, postgres or openapi"
    )
    parser.add_argument("file", metavar="FILE", help="the catalog to read")
    parser.add_argument("--out", required=True, metavar="DIR", help="catalog folder to write")
    parser.add_argument(
        "--doc-base-url",
        metavar="URL",
        help="where the site will be published (default: https://docs.example.com/)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an errors.yml that differs from the import"
    )


def run(args: argparse.Namespace) -> int:
    """Run `zofdocs import`.

    Args:
        args: The parsed arguments.

    Returns:
        0 when the catalog was written; bad input raises `ZofError` instead.

    Raises:
        ZofError: The file is malformed, the base URL is not a URL, or errors.yml would
            lose edits.
    """
    from zofdocs.errors import ZofError
    from zofdocs.importers import reader
    from zofdocs.importers.write import DEFAULT_BASE_URL, write_catalog
    from zofdocs.schema import load_schema

    base = args.doc_base_url or DEFAULT_BASE_URL
    if not re.search(load_schema("errors")["properties"]["doc_base_url"]["pattern"], base):
        raise ZofError(f"--doc-base-url {base!r}: not an http(s) URL ending in '/'")
    path = Path(args.file)
    imported = reader(args.format)(path)
    out = Path(args.out)
    written, sources = write_catalog(imported, path.name, out, doc_base_url=base, force=args.force)
    catalog = sources.catalog
    groups = len(catalog.groups())
    parts = [f"{len(catalog.codes):,} codes"]
    if catalog.statuses:
        parts.append(f"{len(catalog.statuses)} statuses")
    if groups:
        parts.append(f"{groups} groups")
    names = ", ".join(p.name for p in written) or "nothing (already up to date)"
    print(f"{out}: {', '.join(parts)} imported from {path.name}; wrote {names}")
    if imported.notes:
        print("Not kept, or changed to fit the schema:")
        for message, count in sorted(imported.notes.items(), key=lambda n: (-n[1], n[0])):
            print(f"  {count:>6,}  {message}")
    return 0
