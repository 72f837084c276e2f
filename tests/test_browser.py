"""The built site in Debian's Chromium: the Errors reference reads like the seed, and
search finds statuses and codes.

The tests of the tool browse the fixture project's site; one test crawls the shipped
site, taking what it expects from the shipped catalog.

Chromium must be at /usr/bin/chromium (`.ci/run` installs it); test tools cannot
download browsers on these machines.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page

from tests.conftest import FIXTURE, ROOT, SHIPPED_CATALOG, build_site, serve
from zofdocs import load_sources

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script> {{ 7*7 }}"


def watch(page: Page, base_url: str) -> list[str]:
    """Collect console errors, failed requests and requests that leave the site."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # A request the next navigation cancels (the search worker, when the crawl moves
    # on) fails with ERR_ABORTED; that is not the site's fault. A missing file is
    # still caught, as a response of 400 or more.
    page.on(
        "requestfailed",
        lambda r: (
            None
            if "ERR_ABORTED" in (r.failure or "")
            else problems.append(f"failed: {r.url} ({r.failure})")
        ),
    )
    page.on(
        "response",
        lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
    )

    def outside(request: Any) -> None:
        if not request.url.startswith((base_url, "data:", "blob:")):
            problems.append(f"left the site: {request.url}")

    page.on("request", outside)
    return problems


@pytest.fixture
def page(browser: BrowserContext, base_url: str) -> Iterator[Page]:
    page = browser.new_page()
    problems = watch(page, base_url)
    yield page
    page.close()
    assert problems == []


def test_errors_reference_reads_like_the_seed(page: Page, base_url: str) -> None:
    page.goto(base_url + "errors/")
    headings = page.locator("article h1, article h2").all_inner_texts()
    assert [h.strip().rstrip("¶").strip() for h in headings] == [
        "Errors",
        "Overview",
        "Who should read this",
        "When to use this workflow",
        "Step-by-step procedure",
        "Key concepts",
        "Best practices",
        "Common issues",
        "Error response shape",
        "Was this page helpful?",
    ]
    assert page.locator("#status-429").inner_text().startswith("429 Too Many Requests")
    code = page.locator("article pre code").first.inner_text()
    assert '"code": "invalid_request"' in code


@pytest.mark.parametrize(
    ("query", "expected"),
    [("429", "/errors/#status-429"), ("invalid_request", "/errors/codes/invalid_request/")],
)
def test_search_returns_the_right_page_first(
    page: Page, base_url: str, query: str, expected: str
) -> None:
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type(query, delay=50)
    page.wait_for_timeout(500)  # Let the results for the whole query settle.
    first = page.locator(".md-search-result__item").first
    first.wait_for(timeout=10_000)
    hrefs = [a.get_attribute("href") or "" for a in first.locator("a").all()]
    paths = [
        href.split("://", 1)[-1].split("/", 1)[-1].replace(f"?h={query}", "") for href in hrefs
    ]
    assert expected.lstrip("/") in paths, paths


def test_code_page_is_reached_at_its_doc_url_path(page: Page, base_url: str) -> None:
    page.goto(base_url + "errors/codes/rate_limited/")
    assert page.locator("article h1").inner_text().strip().startswith("rate_limited")


def crawl(browser: BrowserContext, base_url: str, site_dir: Path) -> list[str]:
    """Open every page of a built site; return the paths, failing on any problem."""
    pages = sorted(
        p.relative_to(site_dir).parent.as_posix()
        for p in site_dir.rglob("index.html")
        if p.parent.name != "404"
    )
    page = browser.new_page()
    problems = watch(page, base_url)
    for path in pages:
        url = base_url + ("" if path == "." else path + "/")
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        assert page.locator("article h1").count() == 1, f"{url} has no title"
    page.close()
    assert problems == []
    return pages


def test_every_page_renders_without_errors_or_outside_requests(
    browser: BrowserContext, base_url: str, site_dir: Path
) -> None:
    pages = crawl(browser, base_url, site_dir)
    codes = load_sources(FIXTURE / "catalog").catalog.codes
    assert {code.page.removesuffix(".md") for code in codes} < set(pages)


@pytest.mark.shipped
def test_shipped_site_renders_every_page_and_code(browser: BrowserContext, tmp_path: Path) -> None:
    build_site(ROOT, tmp_path / "site")
    codes = load_sources(SHIPPED_CATALOG).catalog.codes
    with serve(tmp_path / "site") as url:
        pages = crawl(browser, url, tmp_path / "site")
        page = browser.new_page()
        for code in codes:
            page.goto(url + code.page.removesuffix(".md") + "/")
            assert page.locator("article h1").inner_text().strip().startswith(code.code)
        page.close()
    assert {code.page.removesuffix(".md") for code in codes} <= set(pages)


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("", "Zof documentation"),
        ("errors/", "Errors"),
        ("errors/codes/permission_denied/", "permission_denied"),
        ("glossary/", "Glossary"),
        ("onboarding/", "Onboarding"),
        ("runbooks/checkout/", "Checkout Service runbook"),
        ("runbooks/checkout/onboarding/", "Checkout: onboarding"),
    ],
)
def test_main_pages_render(page: Page, base_url: str, path: str, title: str) -> None:
    page.goto(base_url + path)
    assert page.locator("article h1").inner_text().strip().rstrip("¶").strip() == title
    assert page.locator("article").inner_text().count("\n") > 10


def test_hovering_a_glossary_term_shows_its_definition(page: Page, base_url: str) -> None:
    page.goto(base_url + "errors/")
    term = page.locator("article abbr", has_text="Admin Center").first
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator(".md-tooltip2, .md-tooltip").filter(
        has_text="Where admins manage the organization"
    )
    tooltip.first.wait_for(state="visible", timeout=5_000)


def test_palette_toggle_switches_light_and_dark(page: Page, base_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(base_url + "errors/")
    scheme = "return document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(f"() => {{ {scheme} }}") == "default"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate(f"() => {{ {scheme} }}") == "slate"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate(f"() => {{ {scheme} }}") == "default"


def test_hostile_catalog_value_shows_as_text(browser: BrowserContext, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    errors = project / "catalog" / "errors.yml"
    old = "    title: Rate limited\n"
    assert old in errors.read_text()
    errors.write_text(
        errors.read_text().replace(old, f"    title: {HOSTILE!r}\n".replace("'", '"'))
    )
    build_site(project, tmp_path / "site")
    with serve(tmp_path / "site") as url:
        page = browser.new_page()
        dialogs: list[str] = []

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        for path in ("errors/codes/rate_limited/", "errors/codes/"):
            page.goto(url + path)
            assert HOSTILE in page.locator("article").inner_text()
        page.close()
    assert dialogs == []
