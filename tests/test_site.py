"""Real builds of the site: MkDocs (strict), ProperDocs, and Zensical from `generate`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CATALOG, ROOT

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
CODES = [
    "invalid_request",
    "invalid_api_key",
    "missing_api_key",
    "permission_denied",
    "resource_not_found",
    "state_conflict",
    "rate_limited",
    "internal_error",
]


def build(tool: str, config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / tool), "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env=ENV,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = build("mkdocs", ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "WARNING" in line]
    assert warnings == []
    return site


def test_site_holds_every_page(site: Path) -> None:
    expected = [
        "index.html",
        "errors/index.html",
        "errors/codes/index.html",
        "errors/issues/index.html",
        "errors/issues/401-after-key-rotation/index.html",
        "errors/issues/403-on-run-create/index.html",
        "glossary/index.html",
        "onboarding/index.html",
        "tooling/index.html",
        "tooling/catalog/index.html",
        "tooling/api/index.html",
        *(f"errors/codes/{code}/index.html" for code in CODES),
    ]
    missing = [page for page in expected if not (site / page).is_file()]
    assert missing == []


def test_schemas_are_published_at_their_id(site: Path) -> None:
    # A catalog imported outside this repository names its schema by this URL.
    for name in ("errors", "glossary", "pages"):
        schema = json.loads((site / "schemas" / f"{name}.schema.json").read_text())
        assert schema["$id"] == f"https://docs.zof.example/schemas/{name}.schema.json"


def test_status_anchors_and_code_links(site: Path) -> None:
    html = (site / "errors" / "index.html").read_text()
    for status in (400, 401, 403, 404, 409, 429, 500):
        assert f'id="status-{status}"' in html
    for code in CODES:
        assert f'href="codes/{code}/"' in html


def test_glossary_terms_carry_tooltips(site: Path) -> None:
    html = (site / "errors" / "index.html").read_text()
    assert '<abbr title="Where admins manage the organization' in html
    hand_written = (site / "tooling" / "index.html").read_text()
    assert "<abbr title=" in hand_written


def test_api_reference_is_rendered_from_docstrings(site: Path) -> None:
    html = (site / "tooling" / "api" / "index.html").read_text()
    assert "load_sources" in html
    assert "Load and check the catalog, the glossary and the page text." in html


def test_search_index_finds_status_and_code(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text())
    docs = index["docs"]
    assert any(d["location"] == "errors/#status-429" for d in docs)
    assert any(
        d["location"].startswith("errors/codes/invalid_request/")
        and "invalid_request" in d["title"]
        for d in docs
    )


def test_no_request_leaves_the_site(site: Path) -> None:
    html = (site / "errors" / "index.html").read_text()
    assert "fonts.googleapis.com" not in html
    assert "fonts.gstatic.com" not in html


def test_broken_catalog_fails_the_build_without_a_traceback(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(CATALOG, project / "catalog")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
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
    result = build("properdocs", ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "errors" / "codes" / "rate_limited" / "index.html").is_file()


def test_zensical_builds_the_generated_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    subprocess.run(
        [str(BIN / "zofdocs"), "generate", "--catalog", str(CATALOG), "--out", str(docs)],
        check=True,
        capture_output=True,
    )
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    # Zensical runs no third-party plugins: it gets the written pages and the same
    # theme and Markdown settings, without the zofdocs and mkdocstrings plugins.
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Zof Documentation\n"
        "site_url: https://docs.zof.example/\n"
        "theme:\n  name: material\n  features: [content.code.copy, content.tooltips]\n"
        "extra_css: [assets/zof.css]\n"
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

    from zofdocs.plugin import ZofDocsPlugin
    from zofdocs.render import TEMPLATES

    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["zofdocs"]
    assert isinstance(plugin, ZofDocsPlugin)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(CATALOG), str(TEMPLATES), str(ROOT / "runbooks")]


def test_checker_findings_fail_the_strict_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for folder in ("docs", "catalog", "runbooks"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    page = project / "docs" / "tooling" / "index.md"
    page.write_text(page.read_text() + "\nOpen the Admin Centre.\n")
    line = page.read_text().count("\n")
    result = build("mkdocs", project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 1
    assert (
        f"WARNING -  zofdocs: docs/tooling/index.md:{line}:10: ZOF201 'Admin Centre' is a "
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
