"""Render the sources into Markdown pages: a mapping of page path to text.

This is the core that every delivery shares: the MkDocs plugin adds its pages to a build,
and `zofdocs generate` writes them to a folder for review or for other engines. It
imports nothing from MkDocs. The same sources always give byte-identical pages.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from zofdocs import markdown
from zofdocs.errors import RenderError
from zofdocs.findings import RULES
from zofdocs.model import ErrorCode, Label, RetryPolicy, Sources, slugify
from zofdocs.team import Team

if TYPE_CHECKING:  # runbook.py imports this module.
    from zofdocs.runbook import RunbookState

__all__ = ["Site", "build_environment", "group_anchor", "render_site", "retry_text"]

TEMPLATES = Path(__file__).parent / "templates"
"""The package's own templates; a project folder of overrides is searched first."""

ERRORS_PAGE = "errors/index.md"
CODES_PAGE = "errors/codes/index.md"
ISSUES_PAGE = "errors/issues/index.md"
GLOSSARY_PAGE = "glossary.md"
ONBOARDING_PAGE = "onboarding.md"
HOME_PAGE = "index.md"
RUNBOOKS_PAGE = "runbooks/index.md"
CHECKS_PAGE = "tooling/checks.md"


@dataclass(frozen=True)
class Site:
    """The generated pages, and where they sit in the navigation.

    Attributes:
        pages: Markdown text by page path (such as `errors/codes/rate_limited.md`),
            sorted by path.
        nav: Titles and paths of the pages listed under each index page, by the index
            page's path: the code pages under the codes index, and so on.
        abbreviations: The glossary as Markdown abbreviations (`*[label]: definition`),
            which Material shows as tooltips; generated pages end with them already.
        files: Files published beside the pages, by path: the machine-readable
            catalogs of `zofdocs.export`.
    """

    pages: dict[str, str]
    nav: dict[str, list[tuple[str, str]]]
    abbreviations: str
    files: dict[str, str] = dataclasses.field(default_factory=dict)


_CHANGE = {
    "request": "the request is fixed",
    "credentials": "the API key is fixed",
    "permissions": "the key's role or permissions change",
    "resource": "the resource ID is corrected",
    "state": "you have read the resource's current state again",
}


def retry_text(retry: RetryPolicy) -> str:
    """Say a retry policy in one sentence.

    Args:
        retry: The policy.

    Returns:
        The guidance, such as "Do not retry until the request is fixed."
    """
    if retry.policy == "never":
        return "Do not retry."
    if retry.policy == "after_change":
        return f"Do not retry until {_CHANGE[retry.change or 'request']}."
    attempts = f" at most {retry.max_attempts} attempts in all" if retry.max_attempts else ""
    if retry.policy == "retry_after":
        return (
            "Retry after waiting the number of seconds in the `Retry-After` header"
            + (f", {attempts.strip()}" if attempts else "")
            + "."
        )
    methods = ", ".join(f"`{m}`" for m in retry.methods)
    delay = (
        f", starting at {retry.initial_delay_seconds:g} s and doubling each time"
        if retry.initial_delay_seconds is not None
        else ""
    )
    return (
        f"Retry idempotent {methods} requests with exponential backoff{delay}"
        + (f",{attempts}" if attempts else "")
        + "; do not blindly retry requests that change state."
    )


def group_anchor(group: str) -> str:
    """The anchor of a group's section on the Error codes index.

    Args:
        group: The group's name, such as `Programmable Voice`.

    Returns:
        The anchor, such as `group-programmable-voice`.
    """
    return "group-" + (slugify(group) or "unnamed")


def _abbreviation(label: Label) -> str:
    # Tooltips are plain text: drop code-span backticks and fold lines.
    text = label.definition.replace("`", "")
    if label.expansion:
        text = f"{label.expansion}: {text}"
    return f"*[{label.label}]: {' '.join(text.split())}"


def build_environment(overrides: Path | None = None) -> jinja2.Environment:
    """Build the one Jinja environment every page is rendered with.

    Args:
        overrides: A folder of templates searched before the package's own.

    Returns:
        An environment with `StrictUndefined`, so a missing value fails the render.
    """
    search = [str(overrides)] if overrides else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*search, str(TEMPLATES)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # One environment per build; templates do not change during it.
        cache_size=-1,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
        autoescape=False,  # Markdown, not HTML: values go through the filters below.
    )
    filters: dict[str, Callable[..., str]] = {
        "inline": markdown.inline,
        "block": markdown.block,
        "group_anchor": group_anchor,
        "cell": markdown.cell,
        "literal": markdown.literal,
        "code": markdown.code,
        "json_block": markdown.json_block,
        "fence": markdown.fence,
        "retry_text": retry_text,
    }
    env.filters.update(filters)
    return env


def _template_line(exc: jinja2.TemplateError) -> str:
    """Name the template file and line an error came from, as `path:line: `."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}: "
    # Jinja rewrites tracebacks so that template lines appear as frames of their own.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""


class _Renderer:
    def __init__(
        self, sources: Sources, env: jinja2.Environment, files: Sequence[str] = ()
    ) -> None:
        self.sources = sources
        self.env = env
        self.files = files
        self.pages: dict[str, str] = {}
        self.abbreviations = "\n".join(_abbreviation(lb) for lb in sources.glossary.labels)

    def render(self, template: str, page: str, *, abbreviations: bool = True, **extra: Any) -> None:
        def link(to: str, anchor: str = "") -> str:
            return markdown.relative_link(page, to, anchor)

        def label_link(label: Label) -> str:
            return f"[{markdown.literal(label.label)}]({link(GLOSSARY_PAGE, label.anchor)})"

        def code_link(code: ErrorCode) -> str:
            return f"[{markdown.code(code.code)}]({link(code.page)})"

        context = {
            "catalog": self.sources.catalog,
            "glossary": self.sources.glossary,
            "text": self.sources.pages,
            "page": page,
            "link": link,
            "label_link": label_link,
            "code_link": code_link,
            "pages": {
                "errors": ERRORS_PAGE,
                "codes": CODES_PAGE,
                "issues": ISSUES_PAGE,
                "glossary": GLOSSARY_PAGE,
                "onboarding": ONBOARDING_PAGE,
                "home": HOME_PAGE,
                "runbooks": RUNBOOKS_PAGE,
            },
            "abbreviations": self.abbreviations if abbreviations else "",
            "files": self.files,
            **extra,
        }
        try:
            text = self.env.get_template(template).render(context)
        except jinja2.TemplateError as exc:
            raise RenderError(f"{_template_line(exc)}cannot render {page}: {exc}") from None
        self.pages[page] = text


def render_runbook_text(sources: Sources, team: Team, overrides: Path | None = None) -> str:
    """Render a team's runbook from `runbook.md.j2`, its generated sections not yet sealed.

    Args:
        sources: The loaded sources.
        team: The team's answers.
        overrides: A folder of templates searched before the package's own.

    Returns:
        The runbook's Markdown; `zofdocs.runbook.render_runbook` seals it.
    """
    renderer = _Renderer(sources, build_environment(overrides))
    page = runbook_page(team.slug)
    renderer.render("runbook.md.j2", page, abbreviations=False, team=team)
    return renderer.pages[page]


def runbook_page(slug: str) -> str:
    """The site path of a team's runbook.

    Args:
        slug: The team's slug.

    Returns:
        The page path, such as `runbooks/checkout.md`.
    """
    return f"runbooks/{slug}.md"


def render_site(
    sources: Sources,
    overrides: Path | None = None,
    runbooks: Sequence[RunbookState] = (),
    *,
    preview: bool = False,
) -> Site:
    """Render every generated page.

    Args:
        sources: The loaded and checked sources.
        overrides: A folder of templates searched before the package's own.
        runbooks: The teams' runbooks, from `zofdocs.runbook.load_runbooks`; each is
            published as it stands, under an index that says whether it is current.
        preview: Publish a stale runbook as `zofdocs runbook update` would write it,
            for `mkdocs serve`; its file is not touched.

    Returns:
        The pages and their navigation.

    Raises:
        RenderError: A template failed, for example on an undefined value.
    """
    from zofdocs.export import exports

    catalog = sources.catalog
    sections = sources.pages
    files = exports(sources)
    renderer = _Renderer(sources, build_environment(overrides), sorted(files))
    renderer.render("home.md.j2", HOME_PAGE)
    renderer.render("errors.md.j2", ERRORS_PAGE)
    renderer.render("codes.md.j2", CODES_PAGE)
    # A page whose section pages.yml lacks is not generated; the loader has checked
    # that no content needs it.
    if "issues" in sections:
        renderer.render("issues.md.j2", ISSUES_PAGE)
    if "glossary" in sections:
        renderer.render("glossary.md.j2", GLOSSARY_PAGE, abbreviations=False)
    if "onboarding" in sections:
        renderer.render("onboarding.md.j2", ONBOARDING_PAGE)
    if "checks" in sections:
        from zofdocs.check import rule_examples  # The checker renders nothing; no cycle.

        renderer.render(
            "checks.md.j2", CHECKS_PAGE, rules=RULES.values(), examples=rule_examples(sources)
        )
    for code in catalog.codes:
        renderer.render("code.md.j2", code.page, code=code)
    for issue in catalog.common_issues:
        renderer.render("issue.md.j2", issue.page, issue=issue)
    nav = {
        CODES_PAGE: [(code.code, code.page) for code in catalog.codes],
        ISSUES_PAGE: [(issue.title, issue.page) for issue in catalog.common_issues],
    }
    if runbooks:
        if "runbooks" not in sections:
            raise RenderError(
                "there are team runbooks to publish, but pages.yml has no 'runbooks' "
                "section for their index; add one with title, summary and intro"
            )
        renderer.render("runbooks.md.j2", RUNBOOKS_PAGE, runbooks=runbooks)
        for state in runbooks:
            stale = preview and state.state == "stale"
            text = state.merge.text if stale else state.current or state.merge.text
            renderer.pages[runbook_page(state.team.slug)] = (
                f"{text.rstrip()}\n\n{renderer.abbreviations}\n"
            )
        nav[RUNBOOKS_PAGE] = [(s.team.service, runbook_page(s.team.slug)) for s in runbooks]
    return Site(dict(sorted(renderer.pages.items())), nav, renderer.abbreviations, files)
