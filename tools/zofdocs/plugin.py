"""The MkDocs plugin: adds the generated pages to every build and to the navigation.

Register it in `mkdocs.yml` as `zofdocs`. It is a thin adapter over `zofdocs.pipeline`;
nothing else in the package imports MkDocs.

A build reports each checker finding as a warning, so that `--strict` fails on it.
`mkdocs serve` never fails on a finding: each page shows its own findings in a notice at
its top, the terminal lists them, and a stale runbook is shown as an update would write
it, so that the preview keeps up with every save.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from zofdocs import pipeline
from zofdocs.check import CheckMemo, Target
from zofdocs.describe import describe
from zofdocs.errors import Problem, ZofError, display_path
from zofdocs.findings import preview_notice
from zofdocs.htmlcheck import clean
from zofdocs.layout import CODES_PAGE, GENERATED, HOME_PAGE, PAGES, SCHEMAS_DIR, runbook_page
from zofdocs.markdown import literal, used_abbreviations
from zofdocs.render import TEMPLATES, CompiledTemplates
from zofdocs.runbooks.team import Team
from zofdocs.schema import SCHEMAS, schema_text
from zofdocs.yamlsource import read_text

__all__ = ["ZofDocsConfig", "ZofDocsPlugin"]

log = get_plugin_logger(__name__)


class ZofDocsConfig(base.Config):
    """The plugin's options in `mkdocs.yml`."""

    catalog = c.Type(str, default="catalog")
    """The folder holding errors.yml, glossary.yml and pages.yml, relative to mkdocs.yml."""

    runbooks = c.Type(str, default="runbooks")
    """The folder of team runbooks (runbooks/TEAM/team.yml and runbook.md); may be absent."""

    nav_limit = c.Type(int, default=60)
    """List each code's page in the navigation up to this many codes. Above it, code
    pages are reached from the Error codes index and search only: every page renders
    the whole navigation, so thousands of entries would make the build quadratic."""

    check = c.Type(bool, default=True)
    """Run `zofdocs check` on every page and runbook; each finding is a build warning."""

    templates = c.Optional(c.Type(str))
    """A folder of templates that override the package's own, relative to mkdocs.yml."""


class ZofDocsPlugin(BasePlugin[ZofDocsConfig]):
    """Render the catalog into pages at build time, and rebuild when it changes."""

    def __init__(self) -> None:
        self.build: pipeline.Build | None = None
        self.abbreviations = ""
        self.generated: set[str] = set()
        self.hidden: set[str] = set()
        self.preview = False
        self.notices: dict[str, str] = {}
        self.clashes: dict[str, str] = {}
        self.broken = ""
        self.check_memo = CheckMemo()
        self.incremental = False
        self.shown: _Shown | None = None
        self.frozen = False
        self.compiled = CompiledTemplates()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Note whether this is `mkdocs serve`, whose findings become notices, not failures.

        Args:
            command: The MkDocs command.
            dirty: Whether only changed pages are rebuilt.
        """
        self.preview = command == "serve"
        # `mkdocs serve --dirty` rebuilds only the pages whose source changed. The
        # plugin makes that exact (see `_Shown`), so MkDocs' warning that a dirty build
        # may show a stale navigation does not apply, and would stop a strict preview.
        self.incremental = self.preview and dirty
        if self.incremental:
            logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return Path(config.config_file_path).parent / value

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Load and render the sources, and list the generated pages in the nav.

        Args:
            config: The MkDocs configuration.

        Returns:
            The configuration, its nav extended with the generated pages.

        Raises:
            PluginError: The sources are malformed; the message lists every problem.
                Under `mkdocs serve`, once a build has succeeded, the preview keeps
                the last good pages instead, with the problems in a notice on each.
        """
        _add_theme(config)
        templates = self.config.templates
        self.broken = ""
        self.clashes = {}
        try:
            self.build = pipeline.build(
                self._path(config, self.config.catalog),
                self._path(config, self.config.runbooks),
                self._path(config, templates) if templates else None,
                preview=self.preview,
            )
        except ZofError as exc:
            if not (self.preview and self.build):
                raise PluginError(f"zofdocs: the catalog cannot be built:\n{exc}") from None
            # Info, not error: under --strict an error or warning would stop the preview.
            log.info(f"the catalog cannot be built; the preview keeps the last good pages:\n{exc}")
            self.broken = _broken_notice(str(exc))
        site = self.build.site
        self.generated = set(site.pages)
        self.abbreviations = site.abbreviations
        children = dict(site.nav)
        self.hidden = set()
        if len(children.get(CODES_PAGE, [])) > self.config.nav_limit:
            self.hidden = {path for _, path in children.pop(CODES_PAGE)}
        if config.nav is not None:
            # A page pages.yml has no section for is not generated: its nav entry goes
            # too, or MkDocs would warn about it (and fail a strict build).
            docs = Path(config.docs_dir)
            absent = {
                path
                for path in PAGES.values()
                if path not in self.generated and not (docs / path).is_file()
            }
            config.nav = _expand_nav(config.nav, children, absent)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages; a hand-written page of the same path is an error.

        Args:
            files: The files MkDocs found in `docs_dir`.
            config: The MkDocs configuration.

        Returns:
            The files, with the generated pages added.

        Raises:
            PluginError: A hand-written page has the path of a generated one (under
                `mkdocs serve`, the generated page is shown with a notice instead).
        """
        assert self.build is not None
        site = self.build.site
        self.notices = {}
        generated: list[tuple[str, str, InclusionLevel]] = []
        for path, text in site.pages.items():
            mine = files.get_file_from_path(path)
            if mine is not None:
                message = f"docs/{path} is generated from the catalog; remove the hand-written file"
                if not self.preview:
                    raise PluginError(f"zofdocs: {message}")
                # The preview shows the generated page, which every link expects.
                log.info(message)
                self.clashes[path] = message
                files.remove(mine)
            hidden = path in self.hidden
            inclusion = InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED
            generated.append((path, text, inclusion))
        generated += [(path, text, InclusionLevel.UNDEFINED) for path, text in site.files.items()]
        # The schemas' $id URLs are below the site: publish them there, so that a
        # catalog folder outside this repository can name its schema by URL.
        generated += [
            (f"{SCHEMAS_DIR}{name}.schema.json", schema_text(name), InclusionLevel.UNDEFINED)
            for name in SCHEMAS
        ]
        for path, message in self.clashes.items():
            self.notices[path] = _notice("zofdocs: a hand-written page has this path", message)
        if self.config.check and not self.broken:
            self._check(files, config)
        if not self.incremental:
            for path, text, inclusion in generated:
                files.append(File.generated(config, path, content=text, inclusion=inclusion))
            return files
        if self.shown is None:
            self.shown = _Shown(Path(tempfile.mkdtemp(prefix="zofdocs-preview-")))
        shown = self.shown
        shown.begin(self._shell(config, files))
        for path, text, inclusion in generated:
            backing = shown.backing(path, text, self._notice(path))
            files.append(File.generated(config, path, abs_src_path=backing, inclusion=inclusion))
        # A hand-written page shows its notice and the tooltips of the labels it holds,
        # which it gets in `on_page_markdown`: it is rebuilt when either changed.
        shown.end(files, lambda path: f"{self._notice(path)}\0{self.abbreviations}", site.pages)
        return files

    def _notice(self, path: str) -> str:
        return self.broken or self.notices.get(path, "")

    def _shell(self, config: MkDocsConfig, files: Files) -> str:
        """What every page shows besides its own text: when it changes, all are rebuilt.

        The navigation (with the generated pages' titles) and the notice of a broken
        catalog. The pages' own titles are compared in `on_nav`. A glossary edit is not
        in it: it changes the text of the generated pages that may show its label, which
        rebuilds them, and what `_Shown.end` adds to hand-written pages. A page hidden
        from the navigation (the code pages of a large catalog) shows on no other page
        but through links, which `_Shown.end` follows: adding or removing it rebuilds
        only the pages that link to it.
        """
        assert self.build is not None
        listed = None
        if config.nav is None:  # MkDocs lists every page not hidden, by path.
            pages = {*self.build.site.pages, *(f.src_uri for f in files.documentation_pages())}
            listed = sorted(pages - self.hidden)
        shell = repr((config.nav, listed, self.broken))
        return hashlib.sha256(shell.encode("utf-8")).hexdigest()

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> None:
        """Under `mkdocs serve --dirty`, read the title of every page in the navigation.

        MkDocs reads a page only when it rebuilds it, and a page not read has no title,
        so every rebuilt page would show those pages untitled in its navigation. When a
        title changed, every page is rebuilt.

        Args:
            nav: The navigation.
            config: The MkDocs configuration.
            files: All files.
        """
        if not self.incremental or self.shown is None:
            return
        for page in nav.pages:
            if page.markdown is None:
                page.read_source(config)
        self.shown.titles(nav, files)
        pages = files.documentation_pages()
        rebuilt = sum(1 for file in pages if file.is_modified())
        log.info(f"the preview rebuilds {rebuilt} of {len(pages)} pages")

    @event_priority(50)  # Before the search plugin's, which writes the index.
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Under `mkdocs serve --dirty`, keep the search index whole.

        Material's search indexes only the pages a dirty build rebuilt, and merges them
        with the last index as if one page had been rebuilt; here the last index's
        entries of every rebuilt page are replaced, and on a full rebuild all of them.

        Args:
            config: The MkDocs configuration.
        """
        if self.incremental and self.shown is not None:
            self.shown.merge_search(config)
        if self.preview and not self.frozen:
            # What the first build leaves (modules, templates, the checker's and the
            # renderer's memos) lives as long as the preview: out of the collector's
            # reach, each later collection walks only what a rebuild made, which takes a
            # fifth off a rebuild at 2,000 codes. What the first build made and a later
            # one drops is never collected: about 15 MB at 2,000 codes, once.
            gc.collect()
            gc.freeze()
            self.frozen = True

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Under `mkdocs serve`, compile each of the theme's templates once, not per save.

        MkDocs makes a new Jinja environment for every rebuild; its templates are
        compiled again unless the environment finds them in a bytecode cache. Jinja
        checks the cache against each template's source, so an edited template is
        compiled anew.

        Args:
            env: The theme's Jinja environment.
            config: The MkDocs configuration.
            files: All files.

        Returns:
            The environment, with the preview's bytecode cache.
        """
        if self.preview:
            env.bytecode_cache = self.compiled
        return env

    def _check(self, files: Files, config: MkDocsConfig) -> None:
        assert self.build is not None
        site = self.build.site
        docs = Path(config.docs_dir)
        try:
            others = [
                Target(display_path(docs / f.src_uri), _page_text(f), f.src_uri)
                for f in files.documentation_pages()
                if f.src_uri not in site.pages
            ]
        except ZofError as exc:
            raise PluginError(f"zofdocs: a page cannot be read:\n{exc}") from None
        findings = pipeline.check(self.build, others, self.check_memo)
        if not self.preview:
            for finding in findings:
                log.warning(str(finding))
            return
        # The preview: each finding goes to the page it is about; findings about no page
        # (an unused label in the glossary, a code missing from the site) go home.
        page_of = {GENERATED + path: path for path in site.pages}
        page_of.update({t.name: t.page for t in others})
        notes: dict[str, str] = {}
        for state in self.build.runbooks:
            page = runbook_page(state.team.slug)
            page_of[display_path(state.path)] = page
            notes[page] = _RUNBOOK_NOTES.get(state.state, "").format(slug=state.team.slug)
        by_page: dict[str, list[Problem]] = defaultdict(list)
        for finding in findings:
            log.info(f"{finding}")
            by_page[page_of.get(finding.path, HOME_PAGE)].append(finding)
        for page, found in by_page.items():  # After a clash notice, if the page has one.
            self.notices[page] = self.notices.get(page, "") + preview_notice(
                found, notes.get(page, "")
            )
        if findings:
            log.info(
                f"{len(findings)} finding(s), shown at the top of {len(by_page)} page(s) of "
                "the preview; 'mkdocs build --strict' fails on each, 'zofdocs check' on errors"
            )

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Check a generated page's HTML with the sanitizer's allow-list.

        A build reports each element the allow-list refuses as an error, with the catalog
        value it came from, so that `--strict` fails; the preview logs it, and the page
        shows a notice at its top. Either way the refused markup is removed from the page.

        Args:
            html: The page's content, rendered from its Markdown.
            page: The page.
            config: The MkDocs configuration.
            files: All files.

        Returns:
            The content, without what the allow-list refuses.
        """
        path = page.file.src_uri
        if self.build is None or path not in self.generated:
            return html
        problems = pipeline.html_problems(self.build, path, html)
        for problem in problems:
            if self.preview:
                log.info(str(problem))
            else:
                log.error(str(problem))
        if not problems:
            return html
        # Even a build that goes on (the preview, a build without --strict) never
        # publishes what was refused: the page keeps what the allow-list allows.
        html = clean(html)
        if self.preview:
            # The page's Markdown is rendered already: the notice is written as HTML.
            items = "".join(f"<li>{escape(str(problem))}</li>" for problem in problems)
            html = (
                '<div class="admonition failure"><p class="admonition-title">zofdocs: '
                "markup that is not allowed on a page</p><p>It is left out here, and the "
                f"published build fails on each:</p><ul>{items}</ul></div>{html}"
            )
        return html

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Give hand-written pages the glossary tooltips that generated pages carry.

        Args:
            markdown: The page's Markdown.
            page: The page.
            config: The MkDocs configuration.
            files: All files.

        Returns:
            The Markdown, with the glossary's abbreviations of the labels it may show,
            and under `mkdocs serve` the page's findings in a notice below its title.
        """
        if not page.meta.get("description"):
            page.meta["description"] = self._description(page.file.src_uri, markdown)
        if self._runbook(page.file.src_uri) is not None:
            # A reader who searches a word of an error ("Bearer") wants the reference
            # first; a team's runbook repeats that text in its playbooks.
            page.meta.setdefault("search", {"boost": 0.5})
        notice = self.broken or self.notices.get(page.file.src_uri)
        if notice:
            markdown = _with_notice(markdown, notice)
        if page.file.src_uri in self.generated:
            # It has the tooltips of its own text; its notice may name other labels.
            more = used_abbreviations(self.abbreviations, notice) if notice else ""
            return f"{markdown}\n\n{more}" if more else markdown
        used = used_abbreviations(self.abbreviations, markdown)
        return f"{markdown}\n\n{used}" if used else markdown

    def _description(self, path: str, markdown: str) -> str:
        """A description for a page whose front matter has none, so that no two share one.

        A runbook's first paragraph is its escalation path: it is described by its team.
        """
        team = self._runbook(path)
        if team is not None:
            return escape(
                f"The {team.service} runbook of {team.team}: escalation, Console paths, "
                "and a playbook for each error the service meets."
            )
        return describe(markdown)

    def _runbook(self, path: str) -> Team | None:
        """The team whose runbook is the page at `path`, if it is one."""
        for state in self.build.runbooks if self.build else ():
            if runbook_page(state.team.slug) == path:
                return state.team
        return None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild the site when a catalog file, a runbook or a template changes.

        Args:
            server: The live-reload server.
            config: The MkDocs configuration.
            builder: The rebuild callback.

        Returns:
            The server, watching the catalog and template folders.
        """
        server.watch(str(self._path(config, self.config.catalog)))
        server.watch(str(TEMPLATES))
        server.watch(str(THEME))
        if self._path(config, self.config.runbooks).is_dir():
            server.watch(str(self._path(config, self.config.runbooks)))
        if self.config.templates:
            server.watch(str(self._path(config, self.config.templates)))
        return server


class _Shown:
    """What a `mkdocs serve --dirty` preview showed, so that a rebuild is exact.

    MkDocs' `--dirty` rebuilds a page only when its source file is newer than its built
    HTML. Generated pages have no file: here each is written into `folder`, and
    rewritten only when its text or its notice changed, so that its time says whether
    it changed. When what every page shows changes (the navigation, the tooltips, a
    page added or removed), every page is rebuilt, and the HTML of pages that are gone
    is deleted.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.shell = ""
        self.full = True
        self.written: dict[str, str] = {}
        self.noticed: dict[str, str] = {}
        self.built: dict[str, str] = {}
        self.pages: set[str] = set()
        self.locations: set[str] = set()
        self.nav_titles = ""

    def begin(self, shell: str) -> None:
        """Start a build: every page is rebuilt when `shell` differs from the last one.

        Args:
            shell: What every page shows besides its own text, as a digest.
        """
        self.full = shell != self.shell
        self.shell = shell

    def backing(self, path: str, text: str, notice: str) -> str:
        """The file a generated file is read from, rewritten when what it shows changed.

        Args:
            path: The file's path in the site's docs.
            text: Its content.
            notice: The notice the page shows at its top, or an empty string.

        Returns:
            The file's absolute path.
        """
        content = text.encode("utf-8")
        key = hashlib.sha256(content + b"\0" + notice.encode("utf-8")).hexdigest()
        backing = self.folder / path
        if self.full or self.written.get(path) != key or not backing.is_file():
            backing.parent.mkdir(parents=True, exist_ok=True)
            backing.write_bytes(content)
            self.written[path] = key
        return str(backing)

    def end(self, files: Files, shown: Callable[[str], str], texts: Mapping[str, str]) -> None:
        """Mark the pages to rebuild that did not change, and delete what is gone.

        A hand-written page is rebuilt when what the plugin adds to it changed. When
        pages were added or removed, every page that may link to one of them is rebuilt
        too, as the link's target (and whether MkDocs finds it) changed: every
        hand-written page, and each generated page whose text names one of them.

        Args:
            files: Every file of the site.
            shown: What the plugin adds to a hand-written page (its notice, say), by path.
            texts: The generated pages' text, by path.
        """
        pages = files.documentation_pages()
        paths = {file.src_uri for file in pages}
        changed = paths ^ self.pages if self.pages else set()
        names = {PurePosixPath(path).name for path in changed}
        for file in pages:
            if file.generated_by:
                text = texts.get(file.src_uri, "")
                linked = any(name in text for name in names)
                rebuild = self.full or (linked and file.src_uri not in changed)
            else:
                added = shown(file.src_uri)
                rebuild = self.full or bool(changed) or self.noticed.get(file.src_uri, "") != added
                self.noticed[file.src_uri] = added
            if rebuild:
                _rebuild(file)
        self.pages = paths
        # As a page's URL and the search index give it: the home page's is empty.
        self.locations = {"" if file.url in (".", "./") else file.url for file in pages}
        built = {f.src_uri: f.abs_dest_path for f in files}
        for src_uri, dest in self.built.items():
            if src_uri not in built and Path(dest).is_file():
                Path(dest).unlink()  # A page or file that is gone must not be served.
        self.built = built

    def titles(self, nav: Navigation, files: Files) -> None:
        """Rebuild every page when a title in the navigation changed.

        Args:
            nav: The navigation, each page's source read.
            files: Every file of the site.
        """
        titles = repr([(page.file.src_uri, page.title) for page in nav.pages])
        if titles == self.nav_titles:
            return
        self.nav_titles = titles
        if not self.full:
            self.full = True
            for file in files.documentation_pages():
                _rebuild(file)

    def merge_search(self, config: MkDocsConfig) -> None:
        """Give Material's search the whole index: the last one, its rebuilt pages renewed.

        Args:
            config: The MkDocs configuration.
        """
        search = next((p for p in config.plugins.values() if hasattr(p, "search_index_prev")), None)
        if search is None:
            return
        index, last = search.search_index, search.search_index_prev
        if last is not None and not self.full:
            rebuilt = {entry["location"].partition("#")[0] for entry in index.entries}
            # Kept: the entries of each page that is still there and was not rebuilt.
            keep = self.locations - rebuilt
            index.entries = [
                entry for entry in last.entries if entry["location"].partition("#")[0] in keep
            ] + index.entries
        # Material's own merge assumes that one page was rebuilt; this one is whole.
        search.search_index_prev = None


def _rebuild(file: File) -> None:
    # A dirty build always rebuilds a file whose content is in memory (File.is_modified).
    file.content_string = file.content_string


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


THEME = Path(__file__).parent / "theme"
"""What the plugin adds to Material for MkDocs: template overrides, and the stylesheet
and script under `assets/zofdocs/`, which every site using the plugin gets."""

ASSETS = "assets/zofdocs/"


def _add_theme(config: MkDocsConfig) -> None:
    """Put the plugin's theme folder before the theme's own, and link its assets.

    A project's `custom_dir` stays first, so that a site can still override what the
    plugin overrides. MkDocs copies the folder's files into the site as the theme's.
    """
    theme = config.theme
    if str(THEME) not in theme.dirs:
        theme.dirs.insert(1 if theme.custom_dir else 0, str(THEME))
    for path in sorted((THEME / ASSETS).glob("*.css")):
        if ASSETS + path.name not in config.extra_css:
            config.extra_css.append(ASSETS + path.name)
    for path in sorted((THEME / ASSETS).glob("*.js")):
        if ASSETS + path.name not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(ASSETS + path.name)


_RUNBOOK_NOTES = {
    "stale": "This runbook is stale: the page shows it as `zofdocs runbook update {slug}` "
    "would write it. The file itself is unchanged until you run that command.",
    "conflict": "A generated section of this runbook was edited, so the page shows the file "
    "as it is. Settle it with `zofdocs runbook update {slug}` and `--keep-edits` or "
    "`--take-generated`.",
}


def _page_text(file: File) -> str:
    """A hand-written page's text, read as `zofdocs check` reads it.

    MkDocs would raise a bare UnicodeDecodeError on a page that is not UTF-8; this names
    the file, line and column of the bad byte.
    """
    if file.abs_src_path is None:
        return file.content_string
    return read_text(Path(file.abs_src_path), None, "check the page")


def _broken_notice(problems: str) -> str:
    """The notice every page shows while the catalog cannot be built."""
    lines = "\n".join(f"    - {literal(line)}" for line in problems.splitlines())
    return _notice(
        "zofdocs: the catalog cannot be built",
        "The preview shows the last pages that built. Fix these problems and save:",
        lines,
    )


def _notice(title: str, text: str, body: str = "") -> str:
    """A red admonition, its text escaped; `body` is indented Markdown as it is."""
    parts = [f'!!! failure "{title}"', "", f"    {literal(text)}", ""]
    return "\n".join([*parts, *([body, ""] if body else []), ""])


def _with_notice(markdown: str, notice: str) -> str:
    """Put a notice right below the page's title, or at its top when it has none.

    Only blank lines and HTML comments (a runbook's section markers) may come before
    the title; a page that starts with anything else gets the notice first.
    """
    lines = markdown.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith("# "):
            return "".join([*lines[: number + 1], "\n", notice, *lines[number + 1 :]])
        if line.strip() and not (line.lstrip().startswith("<!--") and "-->" in line):
            break
    return notice + markdown


def _expand_nav(
    nav: list[Any], children: dict[str, list[tuple[str, str]]], absent: set[str]
) -> list[Any]:
    """Turn each nav entry of an index page into a section holding its pages.

    Entries for the pages in `absent` (generated pages this catalog does not generate)
    are left out, and so is a section left empty by that.
    """
    result: list[Any] = []
    for item in nav:
        if isinstance(item, str) and item in absent:
            continue
        if isinstance(item, dict):
            (title, value), *_ = item.items()
            if isinstance(value, str) and value in absent:
                log.info(
                    f"the nav's entry for {value} is left out: the catalog does not generate it"
                )
                continue
            if isinstance(value, list):
                kept = _expand_nav(value, children, absent)
                if kept:
                    result.append({title: kept})
            elif isinstance(value, str) and value in children:
                overview = {f"All {title[0].lower()}{title[1:]}": value}
                result.append({title: [overview, *({t: p} for t, p in children[value])]})
            else:
                result.append(item)
        else:
            result.append(item)
    return result
