"""Rules on the whole site: every code documented (ZOF001), every label used (ZOF206)."""

from __future__ import annotations

import re
from pathlib import Path

from zofdocs.checks.context import CheckContext
from zofdocs.errors import CatalogError, Problem, display_path
from zofdocs.findings import finding
from zofdocs.layout import CODES_PAGE, ERRORS_PAGE
from zofdocs.markdown import relative_link
from zofdocs.yamlsource import load_yaml

__all__ = ["undocumented", "unused"]

_TARGET = re.compile(r"\(([^()]*)\)")


def undocumented(ctx: CheckContext, pages: dict[str, str]) -> list[Problem]:
    """Check that every status and code is on the Errors reference and has its page.

    A code with a status is linked under its status on the Errors reference; a code
    without one (in an imported catalog) is linked from the Error codes index.

    Args:
        ctx: What the catalog holds.
        pages: The generated pages.

    Returns:
        A finding for each status or code missing.
    """
    found: list[Problem] = []
    reference = pages.get(ERRORS_PAGE, "")
    for status in ctx.sources.catalog.statuses:
        if f"{{ #{status.anchor} }}" not in reference:
            found.append(
                finding(
                    ERRORS_PAGE,
                    0,
                    0,
                    "ZOF001",
                    f"status {status.status} has no anchor on the Errors reference",
                    "check the errors.md.j2 template",
                )
            )
    # Link targets hold no parentheses (`zofdocs.markdown` encodes them): each page's
    # targets are read once, not searched for once per code.
    from_reference = set(_TARGET.findall(reference))
    from_index = set(_TARGET.findall(pages.get(CODES_PAGE, "")))
    for code in ctx.sources.catalog.codes:
        where, linked = (
            ("the Errors reference", relative_link(ERRORS_PAGE, code.page) in from_reference)
            if code.status
            else ("the Error codes index", relative_link(CODES_PAGE, code.page) in from_index)
        )
        if code.page not in pages or not linked:
            found.append(
                finding(
                    code.page,
                    0,
                    0,
                    "ZOF001",
                    f"code '{code.code}' lacks its page or its link on {where}",
                    "check the code.md.j2, errors.md.j2 and codes.md.j2 templates",
                )
            )
    return found


def unused(ctx: CheckContext, glossary_file: Path) -> list[Problem]:
    """Report glossary labels that no checked document used.

    Args:
        ctx: What the catalog holds, and the labels the checked documents used.
        glossary_file: The glossary, to point at each entry.

    Returns:
        A warning for each unused label.
    """
    lines = _label_lines(glossary_file)
    name = display_path(glossary_file)
    return [
        finding(name, *lines.get(label.label, (0, 0)), "ZOF206",
                f"the label '{label.label}' is used on no page", "use it, or remove the entry")
        for label in ctx.sources.glossary.labels
        if not ctx.used[label.label]
    ]  # fmt: skip


def _label_lines(path: Path) -> dict[str, tuple[int, int]]:
    """Where each label's name stands in the glossary, as the YAML loader marks it.

    A label quoted, escaped or folded in YAML is found as well as a plain one.
    """
    try:
        source = load_yaml(path)
    except CatalogError:
        return {}
    places: dict[str, tuple[int, int]] = {}
    labels = source.data.get("labels") if isinstance(source.data, dict) else None
    for index, entry in enumerate(labels if isinstance(labels, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("label"), str):
            loc = ("labels", index, "label")
            mark = source.key_marks.get(loc) or source.marks.get(loc)
            if mark:
                places.setdefault(entry["label"], mark)
    return places
