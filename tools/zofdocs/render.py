"""Render the sources into Markdown pages: a mapping of page path to text.

It renders only: what the pages show of other parts (the exported files, the checker's
rule examples, the state of each runbook) comes in as arguments, put together by
`zofdocs.pipeline`, so that this module imports neither the checker nor the runbooks.
It imports nothing from MkDocs. The same inputs always give byte-identical pages.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import html
import os
import re
import signal
import stat
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import jinja2
from markupsafe import Markup

from zofdocs import markdown
from zofdocs.errors import Problem, RenderError
from zofdocs.fileio import FORK_SAFE, how_it_stopped
from zofdocs.findings import RULES
from zofdocs.layout import (
    CHECKS_PAGE,
    CODE_PAGE_TEMPLATE,
    CODES_PAGE,
    ERRORS_PAGE,
    GLOSSARY_PAGE,
    HOME_PAGE,
    ISSUES_PAGE,
    ONBOARDING_PAGE,
    PAGES,
    PUBLISHED,
    RUNBOOKS_PAGE,
    group_anchor,
    page_url,
    problem_file,
    runbook_page,
    slugify,
    team_onboarding_page,
)
from zofdocs.model import CommonIssue, ErrorCode, Glossary, Label, RetryPolicy, Sources
from zofdocs.pagetext import RunbookNeeds
from zofdocs.runbooks.team import Team

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

__all__ = [
    "TEMPLATES",
    "CompiledTemplates",
    "Deferred",
    "PublishedRunbook",
    "Site",
    "build_environment",
    "compile_templates",
    "expect_compiled",
    "render_runbook_text",
    "render_site",
    "retry_text",
]

TEMPLATES = Path(__file__).parent / "templates"
"""The package's own templates; a project folder of overrides is searched first."""


_K = TypeVar("_K")
_V = TypeVar("_V")


class Deferred(Mapping[_K, _V]):
    """A mapping whose keys are known now and whose values are made on first need.

    `zofdocs.pipeline.render` gives `render_site` the exported files and the checker's
    rule examples this way. The code pages need only the files' names, so the helpers
    that render them start first, and the main process makes the values while they
    render (0.2 s of a 2,000-code site). Asking for its keys, its length or whether it
    is empty makes nothing.

    Args:
        keys: The keys, in order.
        make: Makes the values, all at once, as a mapping with exactly `keys` (in any
            order). It is called on the first read of a value; if it raises, the error
            comes through (a `KeyError` as a `RuntimeError`, which a missing key would
            be mistaken for), and the next read calls it again.
    """

    def __init__(self, keys: Iterable[_K], make: Callable[[], Mapping[_K, _V]]) -> None:
        self._keys = dict.fromkeys(keys)
        self._make = make
        self._made: Mapping[_K, _V] | None = None

    def __iter__(self) -> Iterator[_K]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __getitem__(self, key: _K) -> _V:
        if key not in self._keys:
            raise KeyError(key)
        if self._made is None:
            try:
                made = self._make()
            except KeyError as exc:
                raise RuntimeError(f"making the values failed: KeyError: {exc}") from exc
            # Keys that do not match would go unseen: iteration gives the keys given.
            missing = [k for k in self._keys if k not in made]
            extra = [k for k in made if k not in self._keys]
            if missing or extra:
                raise ValueError(
                    f"made values for other keys than given: {len(missing)} missing "
                    f"(first: {missing[:1]}), {len(extra)} extra (first: {extra[:1]})"
                )
            self._made = made
        return self._made[key]

    def __repr__(self) -> str:
        state = "made" if self._made is not None else "not made yet"
        return f"<Deferred: {len(self._keys)} keys, values {state}>"


@dataclass(frozen=True)
class PublishedRunbook:
    """A team's runbook as the site publishes it.

    Attributes:
        team: The team's answers.
        state: Whether the runbook is current: `up to date`, `stale` (an update would
            change it) or `conflict` (a generated section was edited).
        text: The Markdown to publish.
        owned: The IDs of the sections the team owns (kept with `--keep-edits`, never
            rewritten), in order.
        owned_changed: Those of them the catalog changed since the team took them over.
    """

    team: Team
    state: Literal["up to date", "stale", "conflict"]
    text: str
    owned: tuple[str, ...] = ()
    owned_changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    """The generated pages, and where they sit in the navigation.

    Attributes:
        pages: Markdown text by page path (such as `errors/codes/rate_limited.md`),
            sorted by path.
        nav: Titles and paths of the pages listed under each index page, by the index
            page's path: the code pages under the codes index, and so on.
        abbreviations: The glossary as Markdown abbreviations (`*[label]: definition`),
            which Material shows as tooltips; each generated page ends with those of
            the labels it holds (`zofdocs.markdown.used_abbreviations`).
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


def _abbreviation(label: Label) -> str:
    # Tooltips are plain text: drop code-span backticks and fold lines. Python-Markdown
    # writes the tooltip into an attribute, escaped; a label its syntax cannot hold
    # (a `\`, a `]`) gets no tooltip, or the line would be read as a paragraph of its own.
    if "\\" in label.label or "]" in label.label:
        return ""
    text = label.definition.replace("`", "")
    if label.expansion:
        text = f"{label.expansion}: {text}"
    return f"*[{' '.join(label.label.split())}]: {' '.join(text.split())}"


def _nav_title(text: str) -> str:
    """A title for the navigation, which the theme prints as HTML: escaped, one line."""
    return html.escape(" ".join(text.split()), quote=False)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by template and source checksum.

    Jinja checks each against its template's source, so an edited template is compiled
    anew. More may come from elsewhere (`expect`): from a fork that compiled them while
    this process did other work (`zofdocs.ahead`).
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}
        self._more: list[Callable[[], Mapping[str, bytes] | None]] = []

    def expect(self, *more: Callable[[], Mapping[str, bytes] | None]) -> None:
        """Ask these for compiled templates whenever one is not found here.

        They replace those expected before.

        Args:
            more: Each gives compiled templates by key (those of `compile_templates`),
                or None when it has none (yet); it is asked again on the next miss,
                until it gives them.
        """
        self._more = list(more)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give a bucket its compiled template, if it is here or expected.

        Args:
            bucket: Jinja's bucket for one template's source.
        """
        for more in list(self._more):
            if bucket.key in self.code:
                break
            found = more()
            if found is not None:
                self.code.update(found)
                self._more.remove(more)
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it if the source changed.

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a template Jinja has just compiled.

        Args:
            bucket: Jinja's bucket, holding the compiled template.
        """
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()
"""Every template this process compiled or was given, for every environment of `render`."""


def compile_templates(
    overrides: Path | None, names: Sequence[str] = (), skip: Sequence[str] = ()
) -> dict[str, bytes]:
    """Compile templates, for another process to render with (`expect_compiled`).

    Args:
        overrides: A folder of templates searched before the package's own.
        names: The templates, by name; all when empty. One that fails to compile is
            left out: the process that renders with it says why.
        skip: Templates left out: those compiled and sent already.

    Returns:
        The compiled templates, by the key Jinja finds them under.
    """
    compiled = CompiledTemplates()
    env = build_environment(overrides, compiled)
    for name in names or env.list_templates(filter_func=lambda name: name.endswith(".j2")):
        if name in skip:
            continue
        with contextlib.suppress(Exception):
            env.get_template(name)
    return compiled.code


def expect_compiled(*more: Callable[[], Mapping[str, bytes] | None]) -> None:
    """Take compiled templates from these whenever a template is not found compiled.

    They replace those expected before (`CompiledTemplates.expect`).

    Args:
        more: Each gives compiled templates (`compile_templates`), or None for none yet.
    """
    _COMPILED.expect(*more)


def build_environment(
    overrides: Path | None = None, compiled: CompiledTemplates | None = None
) -> jinja2.Environment:
    """Build the one Jinja environment every page is rendered with.

    Args:
        overrides: A folder of templates searched before the package's own.
        compiled: Where compiled templates are kept and found; when None, a cache
            that every environment of this module shares.

    Returns:
        An environment with `StrictUndefined`, so a missing value fails the render.
    """
    search = [str(overrides)] if overrides else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*search, str(TEMPLATES)]),
        bytecode_cache=_COMPILED if compiled is None else compiled,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # The preview renders with one environment across rebuilds while no template
        # file changed (`_environment`): none is checked again on each page.
        auto_reload=False,
        cache_size=-1,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
        # Escape by default: a value reaches the page as it is only when a filter below
        # has made it safe for where it lands, and returns it as `Markup`. Any other
        # value goes through `_finalize`, which escapes it for the template's language.
        autoescape=True,
        finalize=_finalize,
    )
    filters: dict[str, Callable[..., str]] = {
        "inline": markdown.inline,
        "block": markdown.block,
        "cell": markdown.cell,
        "literal": markdown.literal,
        "code": markdown.code,
        "json_block": markdown.json_block,
        "fence": markdown.fence,
        "front_matter": markdown.front_matter,
        "yaml_string": markdown.yaml_string,
        "slug": _slug,
        "group_anchor": _markdown_of(group_anchor),
        "runbook_page": runbook_page,
        "team_onboarding_page": team_onboarding_page,
        "problem_file": problem_file,
        "retry_text": _markdown_of(retry_text),
    }
    env.filters.update(filters)
    return env


def _environment(overrides: Path | None) -> jinja2.Environment:
    """The environment for `overrides`, its compiled templates kept from the last build.

    Compiling the templates takes longer than rendering a hundred pages, and the preview
    renders on every save. When a template file is added, removed or changed, a new
    environment compiles them all again; otherwise no page's render looks at the files
    (Jinja's `auto_reload` would, twice for each page that extends another).
    """
    folders = [overrides] if overrides is not None and overrides.is_dir() else []
    return _cached_environment(overrides, _stamps([*folders, TEMPLATES]))


def _stamps(folders: Sequence[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file below the folders, with the time it was last written and its size.

    A file that cannot be read is no template: an editor's lock file (Emacs' `.#name`)
    links to nowhere, and vim's test file may be gone since the folder was listed.
    """
    stamps = []
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                found = path.stat()
            except OSError:
                continue
            if stat.S_ISREG(found.st_mode):
                stamps.append((str(path), found.st_mtime_ns, found.st_size))
    return tuple(sorted(stamps))


@functools.lru_cache(maxsize=4)
def _cached_environment(
    overrides: Path | None, stamps: tuple[tuple[str, int, int], ...]
) -> jinja2.Environment:
    return build_environment(overrides)


_CODE_PAGES: dict[str, dict[str, str]] = {}
"""The code pages of the last render, by code, under the digest of all else they show."""


def _code_pages(
    sources: Sources, overrides: Path | None, files: Mapping[str, str]
) -> dict[str, str] | None:
    """The code pages rendered last time from the same surroundings, by `repr(code)`.

    The preview renders every page on every save, and at thousands of codes the code
    pages are most of that time, while a save changes one or two of them. A code page
    shows its own code, and of the rest only what the digest below covers: the other
    codes' names (a replacement is linked by name), the statuses, the common issues
    (with the codes they name), the response shape, the glossary, the page text and
    the published files, read through the package's templates, whose files are stamped.
    So a page from the memo is the page a render would give. A folder of template
    overrides may show anything of the catalog on a code page: then nothing is kept.

    Returns:
        The memo to read and fill, empty when anything but the codes' own fields
        changed; None when overrides exist.
    """
    if overrides is not None and overrides.is_dir() and any(overrides.iterdir()):
        return None
    catalog = sources.catalog
    stamps = _stamps([TEMPLATES])
    around = (
        catalog.doc_base_url,
        catalog.response_shape,
        catalog.statuses,
        catalog.common_issues,
        [code.code for code in catalog.codes],
        sources.glossary,
        sources.pages,
        sorted(files),
        stamps,
    )
    digest = hashlib.sha256(repr(around).encode("utf-8")).hexdigest()
    if digest not in _CODE_PAGES:
        _CODE_PAGES.clear()  # Only the last surroundings are worth keeping.
        _CODE_PAGES[digest] = {}
    return _CODE_PAGES[digest]


@jinja2.pass_context
def _finalize(context: jinja2.runtime.Context, value: Any) -> Any:
    """Escape a value no filter made safe, for the language of the template it is in."""
    if isinstance(value, Markup):
        return value
    if (context.name or "").endswith(".yml.j2"):
        return markdown.yaml_string(str(value))
    return markdown.literal(str(value))


def _slug(text: str) -> Markup:
    """An anchor for `{ #...}`: lowercase letters, digits and `-` only."""
    return Markup(slugify(text))


def _markdown_of(make: Callable[..., str]) -> Callable[..., Markup]:
    """Mark the output of a helper that writes Markdown from trusted parts as safe."""

    def safe(*args: Any) -> Markup:
        return Markup(make(*args))

    return safe


def _template_line(exc: Exception) -> str:
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
        # What runbooks name from the catalog; all empty when pages.yml declares nothing.
        runbooks = sources.pages.runbooks
        self.needs = runbooks.needs if runbooks else RunbookNeeds()
        # Abbreviation definitions: their titles become attributes, which
        # Python-Markdown escapes; `_abbreviation` keeps each on one line.
        self.abbreviations = Markup(
            "\n".join(filter(None, (_abbreviation(lb) for lb in sources.glossary.labels)))
        )

    def render(self, template: str, page: str, *, abbreviations: bool = True, **extra: Any) -> None:
        def link(to: str, anchor: str = "") -> str:
            return markdown.relative_link(page, to, anchor)

        def label_link(label: Label) -> str:
            return Markup(f"[{markdown.literal(label.label)}]({link(GLOSSARY_PAGE, label.anchor)})")

        def code_link(code: ErrorCode) -> str:
            return Markup(f"[{markdown.code(code.code)}]({link(code.page)})")

        def feedback(title: str) -> str:
            # The address is percent-encoded and its base checked by the schema: safe
            # as a link target as it is.
            new_issue = self.sources.pages.helpful.new_issue
            if new_issue is None:
                return ""
            url = new_issue.url_for(title, page_url(page))
            return Markup(f"[{markdown.inline(new_issue.link)}]({url})")

        context = {
            "catalog": self.sources.catalog,
            "glossary": self.sources.glossary,
            "page_text": self.sources.pages,
            "needs": self.needs,
            "page": page,
            "link": link,
            "label_link": label_link,
            "code_link": code_link,
            "feedback": feedback,
            "paths": PAGES,
            "published": PUBLISHED,
            # The renderer appends each page's tooltips (`with_tooltips`); a template
            # override written when `page.md.j2` printed them still renders.
            "abbreviations": "",
            "files": self.files,
            **extra,
        }
        try:
            text = self.env.get_template(template).render(context)
        except jinja2.TemplateError as exc:
            raise RenderError(f"{_template_line(exc)}cannot render {page}: {exc}") from None
        except Exception as exc:  # An override's `{{ 1 / 0 }}`: said as any template error.
            raise RenderError(
                f"{_template_line(exc)}cannot render {page}: {type(exc).__name__}: {exc}"
            ) from None
        self.pages[page] = self.with_tooltips(text) if abbreviations else text

    def with_tooltips(self, text: str) -> str:
        """A page's Markdown, ending with the tooltips of the labels it holds.

        Only those: a page shows the same tooltips as with the whole glossary, and a
        glossary edit changes only the pages that hold its label, which is all that the
        preview rebuilds.
        """
        used = markdown.used_abbreviations(self.abbreviations, text)
        return f"{text.rstrip()}\n\n{used}\n" if used else text


def render_runbook_text(
    sources: Sources,
    team: Team,
    overrides: Path | None = None,
    sections: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> str:
    """Render a team's runbook from `runbook.md.j2`, its generated sections not yet sealed.

    Args:
        sources: The loaded sources.
        team: The team's answers.
        overrides: A folder of templates searched before the package's own.
        sections: The team's own sections, by code: (section ID, Markdown) pairs, each
            placed as a generated section after the code's playbook. The Markdown goes
            in as it is: `zofdocs.runbooks.sections.render_sections` has escaped every
            value in it.

    Returns:
        The runbook's Markdown; `zofdocs.runbooks.state.render_runbook` seals it.
    """
    renderer = _Renderer(sources, _environment(overrides))
    page = runbook_page(team.slug)
    # Markup: the text was rendered in a sandbox that escapes what no filter made safe;
    # escaping it again here would show its Markdown as text.
    team_sections = {
        code: [(section_id, Markup(text)) for section_id, text in pairs]
        for code, pairs in (sections or {}).items()
    }
    renderer.render(
        "runbook.md.j2", page, abbreviations=False, team=team, team_sections=team_sections
    )
    return renderer.pages[page]


def _named_labels(runbook: PublishedRunbook, glossary: Glossary) -> list[Label]:
    """The glossary labels a runbook links to, in the order it first does.

    Read from the runbook as published, so the team's own links count too.
    """
    target = re.escape(markdown.relative_link(runbook_page(runbook.team.slug), GLOSSARY_PAGE))
    by_anchor = {label.anchor: label for label in glossary.labels}
    anchors = re.findall(rf"\]\({target}#([^)\s]+)\)", runbook.text)
    return [by_anchor[a] for a in dict.fromkeys(anchors) if a in by_anchor]


def _likely(team: Team, issues: Sequence[CommonIssue]) -> list[tuple[ErrorCode, list[CommonIssue]]]:
    """A team's codes, most likely first, each with the common issues that name it.

    The order the team's answers list them in, when they list any; otherwise codes
    that more common issues name first, then catalog order.
    """
    named = {code.code: [i for i in issues if code in i.codes] for code in team.codes}
    if team.listed:
        order = {code: index for index, code in enumerate(team.listed)}
        ranked = sorted(team.codes, key=lambda code: order[code.code])
    else:
        ranked = sorted(team.codes, key=lambda code: -len(named[code.code]))  # Stable.
    return [(code, named[code.code]) for code in ranked]


def render_site(
    sources: Sources,
    overrides: Path | None = None,
    runbooks: Sequence[PublishedRunbook] = (),
    *,
    files: Mapping[str, str] | None = None,
    examples: Mapping[str, list[Problem]] | None = None,
    quality: Mapping[str, Any] | None = None,
    jobs: int = 1,
    reuse: bool = False,
) -> Site:
    """Render every generated page.

    `zofdocs.pipeline.render` gives it every input; call that unless you render pages
    for a test of the templates.

    Args:
        sources: The loaded and checked sources.
        overrides: A folder of templates searched before the package's own.
        runbooks: The teams' runbooks as they are to be published, under an index
            that says whether each is current.
        files: The files published beside the pages (`zofdocs.export.exports`), which
            the pages link to. Only their paths are read before the helpers start: the
            texts of a `Deferred` are made once they have, while they render.
        examples: For each checker rule with a Markdown example, its findings on it,
            for the Checks page; a `Deferred`'s are made with the files' texts.
        quality: The checker's measured recall and precision, for the Checks page
            (`zofdocs.findings.measured_quality`); none shown when None.
        jobs: Processes to render in, this one included: above one, forks of this
            process render code pages beside it (`_Helpers`). A process with threads
            must not fork: give 1 there.
        reuse: Keep the code pages for the next render in this process, and take
            from the last one those that would come out the same (`_code_pages`): for
            the preview, which renders on every save. A render done once would spend
            0.01 s of 2,000 codes telling them apart for nothing.

    Returns:
        The pages and their navigation.

    Raises:
        RenderError: A template failed, for example on an undefined value.
    """
    catalog = sources.catalog
    files = files or {}
    if runbooks and not sources.pages.runbooks:
        raise RenderError(
            "there are team runbooks to publish, but pages.yml has no 'runbooks' "
            "section for their index; add one with title, summary and intro"
        )
    renderer = _Renderer(sources, _environment(overrides), sorted(files))
    memo = _code_pages(sources, overrides, files) if reuse else None
    keys = {code.page: repr(code) for code in catalog.codes} if memo is not None else {}
    kept = {page: memo[key] for page, key in keys.items() if key in memo} if memo else {}
    todo = [code for code in catalog.codes if code.page not in kept]
    if todo:  # Compiled before any fork, once (19 ms); the render reports any failure.
        with contextlib.suppress(Exception):  # An override's bad bytes too: said there.
            renderer.env.get_template(CODE_PAGE_TEMPLATE)
    with _Helpers(renderer, todo, jobs) as helpers:
        # This process makes what was deferred (here, not in a template, whose errors
        # would be reported as the template's) and renders the other pages while the
        # helpers render code pages, then claims shares of the code pages as they do.
        files = dict(files)
        examples = dict(examples or {})
        _render_pages(renderer, sources, runbooks, examples, quality)
        helpers.render_claimed()
        renderer.pages.update(helpers.pages())
    if memo is not None:
        renderer.pages.update(kept)
        memo.update((key, renderer.pages[page]) for page, key in keys.items() if page not in kept)
    # Nav titles: Material prints them into every page as HTML, unescaped.
    nav = {
        CODES_PAGE: [(_nav_title(code.code), code.page) for code in catalog.codes],
        ISSUES_PAGE: [(_nav_title(i.title), i.page) for i in catalog.common_issues],
    }
    if runbooks:
        nav[RUNBOOKS_PAGE] = [
            entry
            for r in runbooks
            for entry in (
                (_nav_title(r.team.service), runbook_page(r.team.slug)),
                (_nav_title(f"{r.team.team} onboarding"), team_onboarding_page(r.team.slug)),
            )
        ]
    return Site(dict(sorted(renderer.pages.items())), nav, renderer.abbreviations, files)


_SHARE = 25
"""Code pages a process claims at a time: few enough that the work ends evenly shared,
enough that claiming costs nothing beside rendering them."""

_PER_PROCESS = 4
"""Shares each process must have for another to be worth starting: below 8 (about 200 code
pages), one process renders them sooner than a helper starts and sends them back."""

_MAX_SHARES = 8192
"""The most shares: their numbers (four bytes each) must fit in a pipe (64 KiB)."""


class _Helpers:
    """Forks of this process that render shares of the code pages beside it.

    The code pages are cut into shares, and the number of each share is written into a
    pipe before any process starts. Every process (this one too, once its own pages are
    rendered) claims the next share by reading one number from the pipe, until it is
    empty: the work ends evenly shared however fast each process is, with no lock and
    no thread to hand it out (GNU make's jobserver hands out its tokens so). A helper is
    a fork: it starts with the renderer as it is, and sends back the pages it rendered
    when the shares run out. Their order does not matter: `render_site` sorts them.

    A template that fails stops the process it fails in, and the failure of the first
    failing share is raised: the one a single process would have met first.

    With one job, too few code pages to be worth a process, or no safe fork
    (`FORK_SAFE`), there are no helpers and this process renders every code page.
    """

    def __init__(self, renderer: _Renderer, codes: Sequence[ErrorCode], jobs: int) -> None:
        self.renderer = renderer
        size = max(_SHARE, -(-len(codes) // _MAX_SHARES))
        self.shares = [codes[i : i + size] for i in range(0, len(codes), size)]
        self.processes = min(jobs, len(self.shares) // _PER_PROCESS) if FORK_SAFE else 1
        self.helpers: list[tuple[BaseProcess, Connection]] = []
        self.tokens: int | None = None  # The pipe's end the shares are claimed from.
        self.failed: list[tuple[int, RenderError]] = []

    def __enter__(self) -> _Helpers:
        if self.processes > 1:
            try:
                self._start()
            except BaseException:  # Ctrl-C among the forks, say: stop those started.
                self.__exit__()
                raise
        return self

    def __exit__(self, *exc: object) -> None:
        for helper, reader in self.helpers:
            reader.close()
            helper.kill()  # Done by now, unless this process failed first.
            helper.join()
        self.helpers = []
        if self.tokens is not None:
            os.close(self.tokens)
            self.tokens = None

    def _start(self) -> None:
        import multiprocessing  # 9 ms of `zofdocs check`'s 150 ms start-up: only when forking.

        tokens, feed = os.pipe()
        self.tokens = tokens
        numbers = b"".join(index.to_bytes(4, "little") for index in range(len(self.shares)))
        try:
            while numbers:  # Less than the pipe holds: it is written at once.
                numbers = numbers[os.write(feed, numbers) :]
        finally:
            os.close(feed)  # Before any fork: once the numbers run out, a read gives b"".
        context = multiprocessing.get_context("fork")
        for _ in range(self.processes - 1):
            try:
                reader, writer = context.Pipe(duplex=False)
            except OSError:  # No more files to be had: render with the helpers there are.
                return
            helper = context.Process(target=self._help, args=(reader, writer), daemon=True)
            try:
                helper.start()
            except OSError:  # No more processes to be had (EAGAIN): as above.
                reader.close()
                return
            finally:
                writer.close()
            self.helpers.append((helper, reader))

    def _claimed(self) -> Iterator[tuple[int, Sequence[ErrorCode]]]:
        """The shares this process claims, with their numbers, until none is left."""
        if self.tokens is None:
            yield from enumerate(self.shares)
            return
        while token := os.read(self.tokens, 4):  # A pipe reads four bytes at once.
            index = int.from_bytes(token, "little")
            yield index, self.shares[index]

    def render_claimed(self, wanted: Callable[[], bool] = lambda: True) -> None:
        """Render the shares this process claims; a failure stops it, and is kept.

        Args:
            wanted: Asked before each share; False stops the rendering.
        """
        for index, share in self._claimed():
            if not wanted():
                return
            try:
                for code in share:
                    self.renderer.render(CODE_PAGE_TEMPLATE, code.page, code=code)
            except RenderError as exc:
                self.failed.append((index, exc))
                return

    def _help(self, reader: Connection, writer: Connection) -> None:
        """In a helper: render the shares it claims, and send back what came of them."""
        import multiprocessing

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle.
        # Only the parent reads: when it is gone, a send fails instead of waiting forever.
        reader.close()
        for _, earlier in self.helpers:
            earlier.close()
        gc.freeze()  # Collections skip what it inherited, instead of writing to all of it.
        parent = multiprocessing.parent_process()
        self.renderer.pages = {}
        self.render_claimed(parent.is_alive if parent else lambda: True)
        with contextlib.suppress(OSError):  # If the parent is gone, nobody is waiting.
            writer.send((self.failed, self.renderer.pages))

    def pages(self) -> dict[str, str]:
        """The pages the helpers rendered, once all have.

        Raises:
            RenderError: A template failed (the first failing share's failure), or a
                helper stopped (killed, out of memory) before it sent its pages.
        """
        pages: dict[str, str] = {}
        for helper, reader in self.helpers:
            try:
                failed, rendered = reader.recv()
            except EOFError:
                helper.join()
                raise RenderError(_stopped(helper.exitcode)) from None
            self.failed += failed
            pages.update(rendered)
        if self.failed:
            raise min(self.failed, key=lambda failure: failure[0])[1]
        return pages


def _stopped(status: int | None) -> str:
    """Say how a helper stopped before it sent its pages, and what to do."""
    return (
        f"a process rendering code pages {how_it_stopped(status)} before it was done; "
        "run with --jobs 1"
    )


def _render_pages(
    renderer: _Renderer,
    sources: Sources,
    runbooks: Sequence[PublishedRunbook],
    examples: Mapping[str, list[Problem]],
    quality: Mapping[str, Any] | None,
) -> None:
    """Render every page but the code pages."""
    catalog = sources.catalog
    text = sources.pages
    renderer.render("home.md.j2", HOME_PAGE)
    renderer.render("errors.md.j2", ERRORS_PAGE)
    renderer.render("codes.md.j2", CODES_PAGE)
    # A page whose section pages.yml lacks is not generated; the loader has checked
    # that no content needs it.
    if text.issues:
        renderer.render("issues.md.j2", ISSUES_PAGE)
    if text.glossary:
        renderer.render("glossary.md.j2", GLOSSARY_PAGE, abbreviations=False)
    if text.onboarding:
        renderer.render("onboarding.md.j2", ONBOARDING_PAGE)
    if text.checks:
        renderer.render(
            "checks.md.j2",
            CHECKS_PAGE,
            rules=RULES.values(),
            examples=examples,
            quality=quality,
        )
    for issue in catalog.common_issues:
        renderer.render("issue.md.j2", issue.page, issue=issue)
    if runbooks:
        renderer.render("runbooks.md.j2", RUNBOOKS_PAGE, runbooks=runbooks)
    for runbook in runbooks:
        # A title in front matter, escaped: without one, Material prints the nav
        # title into <title> through `striptags`, which undoes its escaping.
        title = markdown.front_matter(f"{runbook.team.service} runbook")
        renderer.pages[runbook_page(runbook.team.slug)] = renderer.with_tooltips(
            f"---\ntitle: {title}\n---\n\n{runbook.text.rstrip()}\n"
        )
        renderer.render(
            "team_onboarding.md.j2",
            team_onboarding_page(runbook.team.slug),
            team=runbook.team,
            labels=_named_labels(runbook, sources.glossary),
            likely=_likely(runbook.team, catalog.common_issues),
        )
