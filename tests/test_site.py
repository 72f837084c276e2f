"""Real builds of the site: MkDocs (strict), ProperDocs, and Zensical from `generate`."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import yaml

from tests.conftest import CATALOG, FIXTURE, ROOT, RUNBOOKS, SHIPPED_CATALOG
from zofdocs import load_sources
from zofdocs.pipeline import render as render_site

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def build(tool: str, config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / tool), "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env=ENV,
        capture_output=True,
        text=True,
    )


def strict_build(config: Path, site: Path) -> Path:
    result = build("mkdocs", config, site)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert warnings == []
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site, built strictly: only tests marked `shipped` use it."""
    return strict_build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's site, built strictly."""
    return strict_build(FIXTURE / "mkdocs.yml", tmp_path_factory.mktemp("fixture-site"))


@pytest.mark.shipped
def test_site_holds_every_page(site: Path) -> None:
    sources = load_sources(SHIPPED_CATALOG)
    hand_written = [
        p.relative_to(ROOT / "docs").with_suffix("").as_posix()
        for p in (ROOT / "docs").rglob("*.md")
    ]
    teams = [p.name for p in (ROOT / "runbooks").iterdir() if (p / "team.yml").is_file()]
    expected = [
        "index.html",
        *(f"{page.removesuffix('index.md').removesuffix('.md')}/index.html".lstrip("/")
          for page in render_site(sources).pages),
        *(f"{page.removesuffix('/index')}/index.html" for page in hand_written),
        *(f"runbooks/{team}/index.html" for team in teams),
    ]  # fmt: skip
    assert len(expected) > len(sources.catalog.codes)
    missing = [page for page in expected if not (site / page).is_file()]
    assert missing == []


@pytest.mark.shipped
def test_status_anchors_and_code_links(site: Path) -> None:
    catalog = load_sources(SHIPPED_CATALOG).catalog
    html = (site / "errors" / "index.html").read_text()
    for status in catalog.statuses:
        assert f'id="status-{status.status}"' in html
    for code in catalog.codes:
        assert f'href="codes/{code.code}/"' in html


@pytest.mark.shipped
def test_api_reference_is_rendered_from_docstrings(site: Path) -> None:
    html = (site / "tooling" / "api" / "index.html").read_text()
    assert "load_sources" in html
    assert "Load and check the catalog, the glossary and the page text." in html


def test_schemas_are_published_at_their_id(fixture_site: Path) -> None:
    # A catalog imported outside this repository names its schema by this URL.
    for name in ("errors", "glossary", "pages"):
        schema = json.loads((fixture_site / "schemas" / f"{name}.schema.json").read_text())
        assert schema["$id"] == f"https://docs.zof.example/schemas/{name}.schema.json"


def test_glossary_terms_carry_tooltips(fixture_site: Path) -> None:
    html = (fixture_site / "errors" / "index.html").read_text()
    assert '<abbr title="Where admins manage the organization' in html
    hand_written = (fixture_site / "guide" / "index.html").read_text()
    assert "<abbr title=" in hand_written


def test_search_index_finds_status_and_code(fixture_site: Path) -> None:
    index = json.loads((fixture_site / "search" / "search_index.json").read_text())
    docs = index["docs"]
    assert any(d["location"] == "errors/#status-429" for d in docs)
    assert any(
        d["location"].startswith("errors/codes/invalid_request/")
        and "invalid_request" in d["title"]
        for d in docs
    )


@pytest.mark.shipped
def test_no_request_leaves_the_site(site: Path) -> None:
    html = (site / "errors" / "index.html").read_text()
    assert "fonts.googleapis.com" not in html
    assert "fonts.gstatic.com" not in html


def test_broken_catalog_fails_the_build_without_a_traceback(project: Path, tmp_path: Path) -> None:
    errors = project / "catalog" / "errors.yml"
    errors.write_text(errors.read_text().replace("    status: 429\n", "    status: 430\n"))
    result = build("mkdocs", project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "catalog/errors.yml" in result.stderr
    assert (
        "unknown status 430 for code 'rate_limited' (hint: statuses defined: "
        "400, 401, 403, 404, 409, 429, 500)" in result.stderr
    )


def test_properdocs_builds_the_site(tmp_path: Path) -> None:
    result = build("properdocs", FIXTURE / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "errors" / "codes" / "rate_limited" / "index.html").is_file()


def test_zensical_builds_the_generated_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    subprocess.run(
        [str(BIN / "zofdocs"), "generate", "--catalog", str(CATALOG), "--out", str(docs)],
        check=True,
        capture_output=True,
        cwd=tmp_path,  # No runbooks/ there: the generated folder holds the catalog's pages.
    )
    # Zensical runs no third-party plugins: it gets the written pages and the same
    # theme and Markdown settings, without the zofdocs and mkdocstrings plugins.
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Zof Documentation\n"
        "site_url: https://docs.zof.example/\n"
        "theme:\n  name: material\n  features: [content.code.copy, content.tooltips]\n"
        "markdown_extensions: [abbr, admonition, attr_list, def_list, md_in_html, tables,"
        " toc, pymdownx.superfences]\n"
    )
    result = subprocess.run(
        [str(BIN / "zensical"), "build", "-f", str(config)],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "errors" / "codes" / "rate_limited" / "index.html").read_text()
    assert "Retry-After" in html
    assert (tmp_path / "site" / "errors" / "index.html").is_file()


def test_serve_watches_the_catalog_and_templates() -> None:
    from mkdocs.config import load_config

    from zofdocs.plugin import THEME, ZofDocsPlugin
    from zofdocs.render import TEMPLATES

    config = load_config(str(FIXTURE / "mkdocs.yml"))
    plugin = config.plugins["zofdocs"]
    assert isinstance(plugin, ZofDocsPlugin)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(CATALOG), str(TEMPLATES), str(THEME), str(RUNBOOKS)]


def test_checker_findings_fail_the_strict_build(project: Path, tmp_path: Path) -> None:
    page = project / "docs" / "guide.md"
    page.write_text(page.read_text() + "\nOpen the Admin Centre.\n")
    line = page.read_text().count("\n")
    result = build("mkdocs", project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert (
        f"WARNING -  zofdocs: docs/guide.md:{line}:10: ZOF201 'Admin Centre' is a "
        "wrong spelling of the Console label 'Admin Center'"
    ) in result.stderr


def test_pre_commit_hooks_run_real_commands() -> None:
    import yaml

    from zofdocs.cli import main

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["zofdocs-check", "zofdocs-runbooks"]
    for hook in hooks:
        program, *args = hook["entry"].split()
        assert program == "zofdocs"
        assert main([*args, "--help"]) == 0


@pytest.mark.shipped
def test_two_builds_are_byte_identical_but_for_dated_files(site: Path, tmp_path: Path) -> None:
    import hashlib
    import time

    time.sleep(1.1)  # Let a timestamp change, if any file carries one.
    again = tmp_path / "again"
    result = build("mkdocs", ROOT / "mkdocs.yml", again)
    assert result.returncode == 0, result.stderr

    def digests(folder: Path) -> dict[str, str]:
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*")
            if p.is_file()
        }

    first, second = digests(site), digests(again)
    assert first.keys() == second.keys()
    differ = {path for path in first if first[path] != second[path]}
    # sitemap.xml.gz is gzip, whose header holds the time it was written; sitemap.xml
    # holds each page's last-modified date, which changes when the day does.
    assert differ <= {"sitemap.xml.gz", "sitemap.xml"}, differ


def test_a_page_that_is_not_utf8_fails_the_build_at_its_bad_byte(
    project: Path, tmp_path: Path
) -> None:
    page = project / "docs" / "guide.md"
    page.write_bytes(page.read_bytes() + b"\nCaf\xe9 au lait.\n")
    line = page.read_bytes().count(b"\n")
    result = build("mkdocs", project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"docs/guide.md:{line}:4: invalid UTF-8 byte 0xe9" in result.stderr


def _meta_description(page: Path) -> str:
    found = re.search(r'<meta name="description" content="([^"]*)"', page.read_text())
    assert found, f"{page} has no description"
    return html.unescape(found.group(1))


def test_every_page_has_a_description_of_its_own(fixture_site: Path) -> None:
    pages = {
        path.relative_to(fixture_site).parent.as_posix(): _meta_description(path)
        for path in fixture_site.rglob("index.html")
        if path.parent.name != "404"
    }
    shared = {
        text: sorted(p for p, t in pages.items() if t == text)
        for text, count in Counter(pages.values()).items()
        if count > 1
    }
    assert shared == {}
    site_description = yaml.safe_load((FIXTURE / "mkdocs.yml").read_text().split("\nnav:")[0])[
        "site_description"
    ]
    assert [p for p, text in pages.items() if text == site_description] == ["."]
    # A hand-written page without one is described by its first paragraph.
    guide = " ".join((FIXTURE / "docs" / "guide.md").read_text().split())
    assert pages["guide"].removesuffix("…") in re.sub(r"[*`]", "", guide)


def test_feedback_button_opens_an_issue_about_its_page(fixture_site: Path) -> None:
    sources = load_sources(CATALOG)
    new_issue = sources.pages.helpful.new_issue
    assert new_issue is not None
    for code in sources.catalog.codes[:3]:
        page = fixture_site / code.url_path / "index.html"
        links = re.findall(r'<a class="md-button" href="([^"]*)">([^<]*)</a>', page.read_text())
        assert len(links) == 1, page
        href, text = (html.unescape(part) for part in links[0])
        assert text == new_issue.link
        base, _, query = href.partition("?")
        assert base == new_issue.url
        fields = parse_qs(query)
        assert fields["title"] == [f"Docs feedback: {code.code}"]
        assert fields["body"][0].startswith(f"Page: /{code.url_path}\n")


def test_glossary_headings_do_not_repeat_their_section(fixture_site: Path) -> None:
    text = (fixture_site / "glossary" / "index.html").read_text()
    headings = re.findall(r'<h([23]) id="([^"]+)">([^<]+)<', text)
    section = ""
    for level, _, title in headings:
        if level == "2":
            section = title
        else:
            assert title != section, f"{section} > {title}"
    ids = {anchor for _, anchor, _ in headings}
    assert {label.anchor for label in load_sources(CATALOG).glossary.labels} <= ids
