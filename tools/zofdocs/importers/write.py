"""Write an imported catalog as a catalog folder, checked before anything is written.

The folder gets `errors.yml` from the import, and, where they are missing, a
`glossary.yml` with no labels and a `pages.yml` with page text for the imported
catalog: the site then has a home page, the Errors reference, the Error codes index
and a page per code. A `glossary.yml` or `pages.yml` already there is kept, since it
holds the maintainers' own text.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from zofdocs.catalog import FILES, load_sources
from zofdocs.errors import CatalogError, ZofError, display_path
from zofdocs.fileio import write_all
from zofdocs.importers import Imported
from zofdocs.model import Sources
from zofdocs.schema import load_schema

__all__ = ["DEFAULT_BASE_URL", "catalog_files", "write_catalog"]

DEFAULT_BASE_URL = "https://docs.example.com/"
"""Where the imported catalog's site is published, until the maintainers say."""

_SCHEMAS = Path(__file__).parent.parent / "schemas"
_CODE_KEYS = tuple(load_schema("errors")["$defs"]["code"]["properties"])


# libyaml's emitter, which PyPI's PyYAML wheels carry, halves the time of a large import.
_Base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_Base):  # type: ignore[valid-type,misc]
    """Block style throughout, and multi-line text as literal blocks a person can edit."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Code(str):
    """A code that starts with a digit, quoted: YAML 1.2 editors read `01008` as a number."""


def _code(dumper: yaml.SafeDumper, value: _Code) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="'")


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Code, _code)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def _modeline(name: str, out: Path) -> str:
    schema = _SCHEMAS / f"{name}.schema.json"
    here = Path.cwd().resolve()
    try:
        # Editors resolve the schema relative to the file: inside the working tree
        # that is a short relative path, elsewhere the schema's published URL.
        schema.resolve().relative_to(here)
        out.resolve().relative_to(here)
        target = os.path.relpath(schema.resolve(), out.resolve()).replace(os.sep, "/")
    except ValueError:
        target = f"https://docs.zof.example/schemas/{name}.schema.json"
    return f"# yaml-language-server: $schema={target}\n"


def _pages(imported: Imported, file: str) -> dict[str, Any]:
    source = imported.source
    grouped = any("group" in code for code in imported.codes)
    by = " by group" if grouped else ""
    return {
        "errors": {
            "section": "Reference",
            "title": "Errors",
            "summary": f"Every error code of {source}, with its meaning and fixes.",
            "overview": (
                f"This reference was imported from {source}'s catalog ({file}) by "
                "`zofdocs import`. Each code has a page of its own at a URL that never "
                f"changes; the Error codes index lists them all{by}."
            ),
        },
        "codes": {
            "title": "Error codes",
            "summary": f"Every error code of {source}{by}.",
            "intro": "Each code has a page of its own at a URL that never changes.",
        },
        "home": {
            "title": f"{source} errors",
            "summary": f"The error catalog of {source}, imported from {file}.",
            "start": {"errors": "Every error code, with what it means and how to fix it."},
        },
        # The index of team runbooks, so that a team can `zofdocs runbook new` at once.
        # Nothing about the Console is declared: runbooks leave those sentences out.
        "runbooks": {
            "title": "Runbooks",
            "summary": f"Team runbooks for the errors of {source}.",
            "intro": (
                "Each team answers a few questions with `zofdocs runbook new` and gets a "
                "runbook with a playbook for each error code its service meets, then edits "
                "it freely. Updates rewrite only the generated sections."
            ),
        },
        "helpful": {
            "question": "Was this page helpful?",
            "prompt": "Tell the maintainers of this catalog what was missing or unclear.",
        },
    }


def _ordered(code: dict[str, Any]) -> dict[str, Any]:
    # The schema's order, which Zof's own catalog follows too.
    ordered = {key: code[key] for key in _CODE_KEYS if key in code}
    if code["code"][:1].isdigit():
        ordered["code"] = _Code(code["code"])
    return ordered


def catalog_files(
    imported: Imported, file: str, out: Path, doc_base_url: str = DEFAULT_BASE_URL
) -> dict[str, str]:
    """The files of the imported catalog folder, as text.

    Args:
        imported: The imported catalog.
        file: The name of the file it was read from, for the headers.
        out: The folder they are for, to point each file at its schema.
        doc_base_url: Where the site will be published.

    Returns:
        Text by file name: `errors.yml`, `glossary.yml` and `pages.yml`.
    """
    errors: dict[str, Any] = {"doc_base_url": doc_base_url}
    if imported.response_shape is not None:
        errors["response_shape"] = imported.response_shape
    if imported.statuses:
        errors["statuses"] = imported.statuses
    errors["codes"] = [_ordered(code) for code in imported.codes]
    header = f"#\n# Imported from {file} by `zofdocs import`; edit freely.\n\n"
    return {
        FILES["errors"]: _modeline("errors", out) + header + _dump(errors),
        FILES["glossary"]: _modeline("glossary", out)
        + "#\n# The Console labels the docs name; an imported catalog starts with none.\n\n"
        + "areas: []\nlabels: []\n",
        FILES["pages"]: _modeline("pages", out) + header + _dump(_pages(imported, file)),
    }


def write_catalog(
    imported: Imported,
    file: str,
    out: Path,
    *,
    doc_base_url: str = DEFAULT_BASE_URL,
    force: bool = False,
) -> tuple[list[Path], Sources]:
    """Check the imported catalog with the loader, then write its folder.

    Args:
        imported: The imported catalog.
        file: The name of the file it was read from.
        out: The catalog folder to write.
        doc_base_url: Where the site will be published.
        force: Replace an `errors.yml` that differs from the import.

    Returns:
        The files written, and the catalog as the loader read it back.

    Raises:
        ZofError: `errors.yml` exists and differs (without `force`), or the result does
            not load; nothing is written.
    """
    files = catalog_files(imported, file, out, doc_base_url)
    errors = out / FILES["errors"]
    if errors.is_file() and not force and errors.read_text("utf-8") != files[FILES["errors"]]:
        raise ZofError(
            f"{display_path(errors)}: exists and differs from the import; it may hold edits "
            "(hint: pass --force to replace it, or choose another --out)"
        )
    # A glossary or page text already there is the maintainers' own: keep it.
    kept = {name for name in (FILES["glossary"], FILES["pages"]) if (out / name).is_file()}
    for name in kept:
        files[name] = (out / name).read_text("utf-8")
    with tempfile.TemporaryDirectory(prefix="zofdocs-import-") as staging:
        for name, text in files.items():
            (Path(staging) / name).write_text(text, encoding="utf-8")
        try:
            sources = load_sources(Path(staging))
        except CatalogError as exc:
            # Point at the files as they would be written, not at the staging copies.
            problems = [
                dataclasses.replace(p, path=display_path(out / Path(p.path).name))
                for p in exc.problems
            ]
            raise ZofError(
                "the imported catalog does not load; nothing was written:\n"
                + "\n".join(str(p) for p in problems)
            ) from None
    written = write_all([(out / name, text) for name, text in files.items() if name not in kept])
    return written, sources
