"""The MkDocs plugin: adds the generated pages to every build and to the navigation.

Register it in `mkdocs.yml` as `zofdocs`. It is a thin adapter over `zofdocs.render`;
nothing else in the package imports MkDocs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from zofdocs.catalog import FILES, load_sources
from zofdocs.check import Target, check_site
from zofdocs.errors import ZofError, display_path
from zofdocs.model import Sources
from zofdocs.render import CODES_PAGE, TEMPLATES, Site, render_site
from zofdocs.runbook import RunbookState, load_runbooks
from zofdocs.schema import SCHEMAS, schema_text

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
        self.site: Site | None = None
        self.sources: Sources | None = None
        self.runbooks: list[RunbookState] = []
        self.abbreviations = ""
        self.generated: set[str] = set()
        self.hidden: set[str] = set()

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
        """
        templates = self.config.templates
        try:
            overrides = self._path(config, templates) if templates else None
            sources = load_sources(self._path(config, self.config.catalog))
            runbooks = load_runbooks(
                sources, self._path(config, self.config.runbooks), overrides=overrides
            )
            self.site = render_site(sources, overrides, runbooks)
            self.sources, self.runbooks = sources, runbooks
        except ZofError as exc:
            raise PluginError(f"zofdocs: the catalog cannot be built:\n{exc}") from None
        self.generated = set(self.site.pages)
        self.abbreviations = self.site.abbreviations
        children = dict(self.site.nav)
        self.hidden = set()
        if len(children.get(CODES_PAGE, [])) > self.config.nav_limit:
            self.hidden = {path for _, path in children.pop(CODES_PAGE)}
        if config.nav is not None:
            config.nav = _expand_nav(config.nav, children)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages; a hand-written page of the same path is an error.

        Args:
            files: The files MkDocs found in `docs_dir`.
            config: The MkDocs configuration.

        Returns:
            The files, with the generated pages added.

        Raises:
            PluginError: A hand-written page has the path of a generated one.
        """
        assert self.site is not None
        for path, text in self.site.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"zofdocs: docs/{path} is generated from the catalog; "
                    "remove the hand-written file"
                )
            hidden = path in self.hidden
            inclusion = InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED
            files.append(File.generated(config, path, content=text, inclusion=inclusion))
        for path, text in self.site.files.items():
            files.append(File.generated(config, path, content=text))
        # The schemas' $id URLs are below the site: publish them there, so that a
        # catalog folder outside this repository can name its schema by URL.
        for name in SCHEMAS:
            path = f"schemas/{name}.schema.json"
            files.append(File.generated(config, path, content=schema_text(name)))
        if self.config.check:
            self._check(files, config)
        return files

    def _check(self, files: Files, config: MkDocsConfig) -> None:
        assert self.site is not None
        assert self.sources is not None
        docs = Path(config.docs_dir)
        others = [
            Target(display_path(docs / f.src_uri), f.content_string, f.src_uri)
            for f in files.documentation_pages()
            if f.src_uri not in self.site.pages
        ]
        glossary = self._path(config, self.config.catalog) / FILES["glossary"]
        for finding in check_site(self.sources, self.site.pages, self.runbooks, others, glossary):
            log.warning(str(finding))

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
            The Markdown, with the glossary's abbreviations appended.
        """
        if page.file.src_uri in self.generated or not self.abbreviations:
            return markdown
        return f"{markdown}\n\n{self.abbreviations}"

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
        if self._path(config, self.config.runbooks).is_dir():
            server.watch(str(self._path(config, self.config.runbooks)))
        if self.config.templates:
            server.watch(str(self._path(config, self.config.templates)))
        return server


def _expand_nav(nav: list[Any], children: dict[str, list[tuple[str, str]]]) -> list[Any]:
    """Turn each nav entry of an index page into a section holding its pages."""
    result: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            (title, value), *_ = item.items()
            if isinstance(value, list):
                result.append({title: _expand_nav(value, children)})
            elif isinstance(value, str) and value in children:
                overview = {f"All {title[0].lower()}{title[1:]}": value}
                result.append({title: [overview, *({t: p} for t, p in children[value])]})
            else:
                result.append(item)
        else:
            result.append(item)
    return result
