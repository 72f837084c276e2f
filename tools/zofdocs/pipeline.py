"""The one path data takes: load and validate, plan runbook updates, export, render, check.

Every entry point calls these functions and adds only its own edges: `zofdocs generate`
writes the site's pages, `zofdocs check` prints the findings, and the MkDocs plugin
hands the pages to MkDocs and turns findings into warnings (or, under `mkdocs serve`,
into notices on the pages). The order is fixed here, once:

1. `zofdocs.catalog.load_sources` reads and validates the catalog, glossary and page text.
2. `zofdocs.runbooks.state.load_runbooks` reads each team's answers and runbook and
   plans its update, in memory (only `zofdocs runbook update` writes it).
3. `zofdocs.export.exports` and `zofdocs.check.rule_examples` compute what the pages
   show of them: deferred, so that they are made while code pages render.
4. `zofdocs.render.render_site` renders every page from all of the above.
5. `zofdocs.check.check_site` checks the rendered site and the documents around it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zofdocs.catalog import FILES, load_sources
from zofdocs.errors import CatalogError, Problem, display_path
from zofdocs.export import export_paths, exports
from zofdocs.findings import EXAMPLE_RULES, measured_quality
from zofdocs.layout import GENERATED, GLOSSARY_PAGE, runbook_page
from zofdocs.model import Sources
from zofdocs.render import Deferred, PublishedRunbook, Site, expect_compiled, render_site
from zofdocs.runbooks.state import (
    TEAM_FILE,
    RunbookState,
    load_runbooks,
    published_text,
    stale_runbooks,
)
from zofdocs.schema import describe
from zofdocs.yamlsource import Loc, load_yaml

if TYPE_CHECKING:
    from zofdocs.ahead import Ahead
    from zofdocs.check import CheckMemo, Target

__all__ = ["Build", "build", "check", "html_problems", "render", "runbook_documents"]


@dataclass(frozen=True)
class Build:
    """Everything one run made of the sources.

    Attributes:
        catalog: The catalog folder the sources came from.
        sources: The loaded and validated sources.
        runbooks: Each team's runbook as it stands, and what an update would make of it.
        site: The rendered pages, their navigation, and the files published beside them.
        preview: Whether stale runbooks were published as an update would write them.
    """

    catalog: Path
    sources: Sources
    runbooks: list[RunbookState]
    site: Site
    preview: bool = False


def render(
    sources: Sources,
    runbooks: Sequence[RunbookState] = (),
    overrides: Path | None = None,
    *,
    preview: bool = False,
    jobs: int = 1,
) -> Site:
    """Render the site of loaded sources, with the exports and rule examples it shows.

    Args:
        sources: The loaded sources.
        runbooks: The teams' runbooks.
        overrides: A folder of templates searched before the package's own.
        preview: Publish stale runbooks as an update would write them, and keep the
            code pages for the next render (`mkdocs serve`).
        jobs: Processes to render in (`zofdocs.render.render_site`).

    Returns:
        The site.

    Raises:
        RenderError: A template failed.
    """
    published = [
        PublishedRunbook(
            state.team,
            state.state,
            published_text(state, preview=preview),
            owned=tuple(section.id for section in state.owned),
            owned_changed=tuple(section.id for section in state.owned_changed),
        )
        for state in runbooks
    ]
    # Made while helpers render the code pages, which need neither (`Deferred`).
    files = Deferred(export_paths(sources), lambda: exports(sources))
    examples: Mapping[str, list[Problem]] = (
        Deferred(EXAMPLE_RULES, lambda: _rule_examples(sources)) if sources.pages.checks else {}
    )
    quality = measured_quality() if sources.pages.checks else None
    return render_site(
        sources,
        overrides,
        published,
        files=files,
        examples=examples,
        quality=quality,
        jobs=jobs,
        reuse=preview,
    )


def _rule_examples(sources: Sources) -> dict[str, list[Problem]]:
    # The checker is imported here, once the helpers render code pages: 14 ms of
    # imports that `generate` would otherwise spend before it forks them.
    from zofdocs.check import rule_examples

    return rule_examples(sources)


def build(
    catalog: Path,
    runbooks: Path | None = None,
    overrides: Path | None = None,
    *,
    preview: bool = False,
    jobs: int = 1,
    ahead: Ahead | None = None,
) -> Build:
    """Load, validate and render: everything but the check.

    Args:
        catalog: The folder holding errors.yml, glossary.yml and pages.yml.
        runbooks: The folder of team runbooks, or None for none.
        overrides: A folder of templates searched before the package's own.
        preview: Publish stale runbooks as an update would write them, and keep the
            code pages for the next build (`mkdocs serve`).
        jobs: Processes to render in (`zofdocs.render.render_site`).
        ahead: A fork reading `errors.yml` and compiling the templates meanwhile
            (`zofdocs.ahead`), started before this module was imported.

    Returns:
        The build.

    Raises:
        CatalogError: A source is malformed, or there are runbooks to publish and the
            page text has no section for their index; carries every problem.
        RenderError: A template failed.
    """
    if ahead is not None and ahead.reading():
        # This process would wait for the fork: meanwhile it reads the word list that
        # the Checks page's examples are checked against (0.05 s, once per process).
        from zofdocs.checks.context import english_words

        english_words()
    sources = load_sources(catalog, ahead.read) if ahead else load_sources(catalog)
    expect_compiled(*([ahead.code_page_template, ahead.templates] if ahead else []))
    try:
        states = load_runbooks(sources, runbooks, overrides=overrides) if runbooks else []
        if states and sources.pages.runbooks is None:
            # The loader cannot know that there are teams; the runbooks' index needs a section.
            pages = load_yaml(catalog / FILES["pages"])
            raise CatalogError(
                [
                    pages.problem(
                        (),
                        f"there are team runbooks to publish ({display_path(states[0].path)}), "
                        "but no 'runbooks' section for their index",
                        "add 'runbooks:' with title, summary and intro, or publish no runbooks",
                    )
                ]
            )
        site = render(sources, states, overrides, preview=preview, jobs=jobs)
    finally:
        expect_compiled()  # What the fork sends is of no use past this build.
    return Build(catalog, sources, states, site, preview)


def runbook_documents(states: Iterable[RunbookState], *, preview: bool = False) -> list[Target]:
    """The runbooks as they are published, to check at their own paths.

    Args:
        states: The teams' runbooks.
        preview: Check a stale runbook as an update would write it, as the preview
            shows it, so that no finding points at text the page no longer has.

    Returns:
        One document per runbook, named by its file and placed at its page.
    """
    from zofdocs.check import Target

    return [
        Target(
            display_path(state.path),
            published_text(state, preview=preview),
            runbook_page(state.team.slug),
        )
        for state in states
    ]


def check(
    result: Build, documents: Iterable[Target] = (), memo: CheckMemo | None = None
) -> list[Problem]:
    """Check a build: its generated pages, its runbooks, and any other documents.

    Args:
        result: The build.
        documents: Hand-written pages and templates.
        memo: The findings of an earlier check, reused for documents that did not change.

    Returns:
        Every finding, in file and line order.
    """
    from zofdocs.check import check_site

    runbooks = runbook_documents(result.runbooks, preview=result.preview)
    found = check_site(
        result.sources,
        result.site.pages,
        [*runbooks, *documents],
        result.catalog / FILES["glossary"],
        unchecked=[GLOSSARY_PAGE, *(doc.page for doc in runbooks)],
        memo=memo,
    )
    return sorted([*found, *stale_runbooks(result.runbooks)])


def html_problems(result: Build, page: str, html: str) -> list[Problem]:
    """Check a generated page's built HTML against the sanitizer's allow-list.

    Args:
        result: The build the page came from.
        page: The page's path in the docs, such as `errors/codes/invalid_request.md`.
        html: The page's content, as MkDocs rendered it from the page's Markdown.

    Returns:
        One problem for each element the allow-list refuses, placed at the catalog or
        team value it came from when one holds it, else at the page.
    """
    from zofdocs.htmlcheck import unsafe_markup  # Only the MkDocs plugin asks: nh3 is its.

    found: list[Problem] = []
    unsafe = unsafe_markup(html)
    if not unsafe:
        return found
    files = [result.catalog / name for name in FILES.values()]
    files += [state.path.parent / TEAM_FILE for state in result.runbooks]
    hint = (
        "text fields show markup as text; if a template override writes it, remove it "
        "from the template"
    )
    stamps = tuple(_stamp(path) for path in files)
    for element in unsafe:
        message = f"{element} is not allowed on a page and would reach docs/{page}"
        values = [v for v in re.findall(r'="([^"]*)"', element) if v]
        place = _first_place(tuple(values), tuple(files), stamps)
        if place is None:  # A runbook's own text, or a template.
            written = {runbook_page(state.team.slug): state.path for state in result.runbooks}
            where = display_path(written[page]) if page in written else f"{GENERATED}{page}"
            found.append(Problem(where, 0, 0, message, hint))
        else:
            path, loc, line, column = place
            found.append(
                Problem(display_path(path), line, column, f"{describe(loc)}: {message}", hint)
            )
    return found


@functools.lru_cache(maxsize=4096)
def _first_place(
    values: tuple[str, ...], files: tuple[Path, ...], stamps: tuple[tuple[int, int], ...]
) -> tuple[Path, Loc, int, int] | None:
    # The same refused value is on many pages (a label's text is on every page that
    # names it): each is looked up once while the files are unchanged. `stamps` is
    # part of the key so that the preview, after an edit, places it anew.
    from zofdocs.htmlcheck import locate

    return next(locate(values, files), None)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)
