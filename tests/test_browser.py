"""The built site in Debian's Chromium: the Errors reference reads like the seed, and
search finds statuses and codes.

Chromium must be at /usr/bin/chromium (`.ci/run` installs it); test tools cannot
download browsers on these machines.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("browser-site")
    subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium)"
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        assert context.browser is not None or context.pages is not None
        yield context  # type: ignore[misc]
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    yield page
    page.close()
    assert errors == []


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
