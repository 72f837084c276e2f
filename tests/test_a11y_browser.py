"""Accessibility: axe-core finds nothing serious or critical on any page, in either palette.

axe-core, the engine of most accessibility audits, runs in Debian's Chromium on every
page of a built site, once in the light palette and once in the dark one (the site
picks its palette from `prefers-color-scheme`). A violation of impact serious or
critical fails the test, and the message names the rule, the page, the palette, the
first elements it found and what is wrong with them. Moderate and minor findings (best
practices such as unique landmark names) do not fail it.

The tests of the tool audit the fixture project's site; one test audits the shipped
site, the only one with mkdocstrings' Python API page. axe-core comes with
axe-playwright-python, from the PyPI lock, so no test downloads anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import BrowserContext, Page

from tests.conftest import ROOT, build_site, serve
from tests.test_browser import watch

pytestmark = pytest.mark.browser

BLOCKING = ("critical", "serious")
"""The impacts that fail the test: each one keeps some readers from a page's content."""

PALETTES: tuple[tuple[Literal["light", "dark"], str], ...] = (
    ("light", "default"),
    ("dark", "slate"),
)
"""Each palette as `prefers-color-scheme` names it, and as Material's scheme names it."""

SHOWN = 3
"""How many elements a failure message lists for one violation; the rest are counted."""

AXE = Axe()


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, by its path below the site's root: `""` is the home page."""
    pages = {
        p.relative_to(site).parent.as_posix() + "/"
        for p in site.rglob("index.html")
        if p.parent.name != "404"
    }
    return sorted({"" if path == "./" else path for path in pages} | {"404.html"})


def new_page(browser: BrowserContext) -> Page:
    """A tab that shows each page in the palette `prefers-color-scheme` asks for.

    Material keeps the palette of the first page it shows in local storage, and prefers
    it to `prefers-color-scheme` from then on; each load starts without it.
    """
    page = browser.new_page()
    page.add_init_script("try { localStorage.clear() } catch (e) {}")
    return page


def describe(violation: dict[str, Any], where: str, palette: str) -> str:
    """One line that says which rule failed, where, on which elements and why."""
    nodes = violation["nodes"]
    targets = ", ".join(" ".join(map(str, node["target"])) for node in nodes[:SHOWN])
    more = f" and {len(nodes) - SHOWN} more" if len(nodes) > SHOWN else ""
    summary = re.sub(r"\s+", " ", nodes[0].get("failureSummary") or "").strip()
    return (
        f"{violation['id']} ({violation['impact']}) on {where or 'the home page'}, "
        f"{palette} palette: {targets}{more}: {summary}"
    )


def audit(page: Page, url: str, where: str) -> list[str]:
    """Run axe-core on one page in each palette; describe each serious or critical finding.

    Args:
        page: The tab to load the page in.
        url: The page's address.
        where: The page's name in the messages.

    Returns:
        One line per violation and palette, from `describe`.
    """
    found: list[str] = []
    for palette, scheme in PALETTES:
        page.emulate_media(color_scheme=palette)
        response = page.goto(url)
        assert response is None or response.ok, f"{url}: {response.status}"
        shown = page.evaluate("document.body.dataset.mdColorScheme")
        assert shown == scheme, f"{where} shows the {shown!r} scheme in the {palette} palette"
        results: dict[str, Any] = AXE.run(page).response
        found += [
            describe(violation, where, palette)
            for violation in results["violations"]
            if violation["impact"] in BLOCKING
        ]
    return found


def audit_site(browser: BrowserContext, site: Path) -> list[str]:
    """Audit every page of a built site in both palettes; fail on any serious finding.

    One tab loads every page, twice: a new tab per page would double the time.

    Args:
        browser: The browser to open the tab in.
        site: The built site, which is served for the audit.

    Returns:
        The pages audited.
    """
    pages = site_pages(site)
    with serve(site) as url:
        page = new_page(browser)
        problems = watch(page, url)
        found = [line for path in pages for line in audit(page, url + path, path)]
        page.close()
    report = "\n".join(found)
    assert not found, f"axe-core found {len(found)} serious or critical violations:\n{report}"
    # A page that misses a file or logs an error was not audited as a reader sees it.
    assert problems == []
    return pages


def page_html(site: Path, path: str) -> str:
    """The HTML of a page of a built site, by its path as `site_pages` gives it."""
    file = site / path if path.endswith(".html") else site / path / "index.html"
    return file.read_text(encoding="utf-8")


def test_every_page_of_the_fixture_site_passes_axe_in_both_palettes(
    browser: BrowserContext, site_dir: Path
) -> None:
    pages = audit_site(browser, site_dir)
    assert {"", "errors/", "errors/codes/", "glossary/"} <= set(pages)


@pytest.mark.shipped
def test_every_page_of_the_shipped_site_passes_axe_in_both_palettes(
    browser: BrowserContext, tmp_path: Path
) -> None:
    build_site(ROOT, tmp_path / "site")
    pages = audit_site(browser, tmp_path / "site")
    # The shipped site's mkdocstrings page is audited too: its code and cross-references
    # have colors of their own.
    api = [p for p in pages if 'class="doc doc-object' in page_html(tmp_path / "site", p)]
    assert api, "no page of the shipped site holds mkdocstrings output"


KNOWN_VIOLATIONS = """<!doctype html>
<html lang="en">
<head><title>Known violations</title></head>
<body>
<main>
<h1>Known violations</h1>
<p style="color: #aaa; background: #fff">Grey on white, 2.32:1.</p>
<div role="dialog">A dialog without a name.</div>
</main>
<script>
  // As Material does: the scheme follows prefers-color-scheme.
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  document.body.dataset.mdColorScheme = dark ? "slate" : "default";
</script>
</body>
</html>
"""


@pytest.fixture
def known_violations(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "index.html").write_text(KNOWN_VIOLATIONS, encoding="utf-8")
    with serve(tmp_path) as url:
        yield url


def test_the_audit_reports_known_violations_in_each_palette(
    browser: BrowserContext, known_violations: str
) -> None:
    page = new_page(browser)
    found = audit(page, known_violations, "known/")
    page.close()
    # Each message starts with the rule, its impact, the page, the palette and the
    # element, then says what is wrong.
    heads = {line.split(": Fix ")[0]: line for line in found}
    assert sorted(heads) == [
        "aria-dialog-name (serious) on known/, dark palette: div",
        "aria-dialog-name (serious) on known/, light palette: div",
        "color-contrast (serious) on known/, dark palette: p",
        "color-contrast (serious) on known/, light palette: p",
    ], "\n".join(found)
    for palette in ("light", "dark"):
        contrast = heads[f"color-contrast (serious) on known/, {palette} palette: p"]
        assert "insufficient color contrast of 2.32" in contrast
        dialog = heads[f"aria-dialog-name (serious) on known/, {palette} palette: div"]
        assert "aria-label attribute does not exist or is empty" in dialog
