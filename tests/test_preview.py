"""`mkdocs serve` never freezes on a finding: each page shows its own in a notice.

A real `mkdocs serve` runs on a copy of the fixture project, with a label mistake on a
hand-written page, a stale runbook and an edited generated section; Chromium loads the
pages. The strict build of the same project still fails, and serving writes no file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def mkdocs_serve(project: Path, log: Path, *flags: str) -> Iterator[str]:
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", *flags, "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text()
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):
                break
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(folder).parts
    }


def notice(page: Page) -> str:
    box = page.locator("article .admonition.failure").first
    box.wait_for(timeout=10_000)
    return box.inner_text()


def served(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        text: str = response.read().decode("utf-8")
        return text


def wait_until(url: str, shows: str, *, present: bool, log: Path) -> None:
    """Wait until the served page at `url` shows `shows`, or no longer does.

    Polling the page itself, not counting rebuilds in the log: one save may start
    one rebuild or two.
    """

    def shown() -> str:
        try:
            return served(url)
        except urllib.error.HTTPError:  # Not built yet, or gone.
            return ""

    deadline = time.monotonic() + 30
    while (shows in shown()) is not present:
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


def clean(page: Page) -> None:
    """The page loaded, with its title, and no notice above its text."""
    assert page.locator("article h1").count() == 1, "the page itself, not an error page"
    assert page.locator("article .admonition.failure").count() == 0


def test_findings_show_on_their_pages_and_the_preview_goes_on(
    project: Path, tmp_path: Path, browser: BrowserContext
) -> None:
    guide = project / "docs" / "guide.md"
    guide.write_text(guide.read_text() + "\nOpen the Admin Centre.\n")
    line = guide.read_text().count("\n")
    errors = project / "catalog" / "errors.yml"
    old = "Poll less often, or use a separate key per pipeline."
    assert old in errors.read_text()
    errors.write_text(errors.read_text().replace(old, "Poll less often, and rotate keys."))
    mobile = project / "runbooks" / "mobile" / "runbook.md"
    mobile.write_text(mobile.read_text().replace("**Retry:**", "**Retry:** We page first.", 1))

    strict = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-d", str(tmp_path / "strict")],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert strict.returncode == 1, "the strict build must still fail on every finding"
    assert f"WARNING -  zofdocs: docs/guide.md:{line}:10: ZOF201" in strict.stderr
    assert "runbooks/checkout/runbook.md: ZOF401 runbook is stale" in strict.stderr

    before = digests(project)
    log = tmp_path / "serve.log"
    with mkdocs_serve(project, log) as url:
        page = browser.new_page()
        page.goto(url + "guide/")
        text = notice(page)
        assert "zofdocs check: 1 finding" in text
        assert f"docs/guide.md:{line}:10 ZOF201 'Admin Centre' is a wrong spelling" in text
        assert "(hint: write 'Admin Center')" in text

        page.goto(url + "runbooks/checkout/")
        text = notice(page)
        assert "This runbook is stale: the page shows it as zofdocs runbook update checkout" in (
            text
        )
        article = page.locator("article").inner_text()
        assert "Poll less often, and rotate keys." in article, "previewed as updated"
        title = page.locator("article h1").first.bounding_box()
        box = page.locator("article .admonition.failure").first.bounding_box()
        assert title is not None
        assert box is not None
        assert box["y"] > title["y"], "the notice sits below the title"

        page.goto(url + "runbooks/mobile/")
        text = notice(page)
        assert "generated section 'playbook-invalid_request' was edited" in text
        assert "We page first." in page.locator("article").inner_text(), "shown as it is"

        page.goto(url + "errors/")
        clean(page)

        # A catalog that no longer loads keeps the last good pages, with the problems.
        # (Off the site while it rebuilds: live reload would race the next navigation.)
        page.goto("about:blank")
        errors.write_text(errors.read_text().replace("    status: 429\n", "    status: 430\n"))
        wait_until(url + "errors/", "the catalog cannot be built", present=True, log=log)
        page.goto(url + "errors/")
        text = notice(page)
        assert "zofdocs: the catalog cannot be built" in text
        assert "unknown status 430 for code 'rate_limited'" in text
        page.goto("about:blank")
        errors.write_text(errors.read_text().replace("    status: 430\n", "    status: 429\n"))
        wait_until(url + "errors/", "the catalog cannot be built", present=False, log=log)
        page.goto(url + "errors/")
        clean(page)

        # A hand-written page with a generated page's path: the strict build stops on
        # it; the preview shows the generated page, which every link expects, with a notice.
        page.goto("about:blank")
        clash = project / "docs" / "glossary.md"
        clash.write_text("# My glossary\n\nA page of my own.\n")
        wait_until(url + "glossary/", "a hand-written page has this path", present=True, log=log)
        page.goto(url + "glossary/")
        assert "docs/glossary.md is generated from the catalog" in notice(page)
        assert "My glossary" not in page.locator("article").inner_text()
        page.goto("about:blank")
        clash.unlink()
        wait_until(url + "glossary/", "a hand-written page has this path", present=False, log=log)
        page.goto(url + "glossary/")
        clean(page)
        page.close()
    assert "ZOF201 'Admin Centre'" in log.read_text(), "the terminal lists findings too"
    assert "Aborted" not in log.read_text()
    assert digests(project) == before, "serving wrote no file"


def search_pages(url: str) -> dict[str, list[str]]:
    """The served search index: each page's entries (title and text), by page location."""
    index = json.loads(served(url + "search/search_index.json"))
    pages: dict[str, list[str]] = {}
    for entry in index["docs"]:
        location = entry["location"].partition("#")[0]
        pages.setdefault(location, []).append(f"{entry['title']}: {entry['text']}")
    return pages


def unreloaded(html: str) -> str:
    """A served page without the build times that the live-reload script carries."""
    return re.sub(r"reload\(\d+, \d+\)", "reload()", html)


def rebuilt(log: Path) -> list[str]:
    return re.findall(r"the preview rebuilds (\d+ of \d+) pages", log.read_text())


def test_a_dirty_preview_rebuilds_only_what_changed_and_nothing_shown_is_stale(
    project: Path, tmp_path: Path
) -> None:
    errors = project / "catalog" / "errors.yml"
    glossary = project / "catalog" / "glossary.yml"
    text = errors.read_text()
    log = tmp_path / "serve.log"
    with mkdocs_serve(project, log, "--dirty") as url:
        pages = search_pages(url)
        total = rebuilt(log)[-1].split(" of ")[1]
        assert rebuilt(log) == [f"{total} of {total}"], "the first build builds every page"

        # One code's title: its page and the index that lists it, nothing else.
        old = "    title: Rate limited\n"
        assert text.count(old) == 1
        errors.write_text(text.replace(old, "    title: Rate limited for now\n"))
        wait_until(
            url + "errors/codes/rate_limited/", "Rate limited for now", present=True, log=log
        )
        assert "Rate limited for now" in served(url + "errors/codes/")
        count = int(rebuilt(log)[-1].split(" of ")[0])
        assert 2 <= count < int(total) / 2, rebuilt(log)
        after = search_pages(url)
        assert after.keys() == pages.keys(), "every page is still in the search index"
        assert any("Rate limited for now" in t for t in after["errors/codes/rate_limited/"])
        for location, entries in pages.items():  # Renewed where the title shows, only.
            if after[location] != entries:
                assert "Rate limited for now" in " ".join(after[location]), location

        # A new code: the navigation of every page of its section lists it (that of an
        # unchanged code's page too), and search finds it.
        new = text.replace(old, "    title: Rate limited for now\n")
        block = new[new.index("  - code: rate_limited\n") :].split("\n  - code:")[0]
        added = block.replace("code: rate_limited", "code: rate_limited_again")
        errors.write_text(new.replace(block, block + "\n" + added.rstrip("\n")))
        wait_until(
            url + "errors/codes/rate_limited_again/", "rate_limited_again", present=True, log=log
        )
        sibling = url + "errors/codes/invalid_request/"
        wait_until(sibling, "rate_limited_again/", present=True, log=log)
        assert "errors/codes/rate_limited_again/" in search_pages(url)

        # Removed again: its page goes, and so do its navigation entries and search.
        errors.write_text(new)
        wait_until(sibling, "rate_limited_again/", present=False, log=log)
        with pytest.raises(urllib.error.HTTPError):
            served(url + "errors/codes/rate_limited_again/")
        assert search_pages(url).keys() == pages.keys()

        # A glossary definition: every page that holds the label shows the new tooltip,
        # and only those pages (and the hand-written ones, which may) are rebuilt.
        old_definition = glossary.read_text()
        marker = "Where admins manage the organization"
        assert marker in old_definition
        glossary.write_text(old_definition.replace(marker, "Where admins run the organization"))
        wait_until(url + "errors/", "Where admins run the organization", present=True, log=log)
        assert "Where admins run the organization" in served(url + "guide/")
        count = int(rebuilt(log)[-1].split(" of ")[0])
        assert 2 <= count < int(total), rebuilt(log)
        for location in pages:
            assert marker not in served(url + location), f"{location} shows the old tooltip"
    assert "Aborted" not in log.read_text()


def test_a_dirty_preview_adds_and_removes_a_hidden_code_page_rebuilding_only_its_links(
    project: Path, tmp_path: Path
) -> None:
    # A large catalog's code pages are hidden from the navigation (`nav_limit`): a new or
    # removed code then changes only the pages that link to it, not every page.
    config = project / "mkdocs.yml"
    plugin = "  - zofdocs:\n      catalog: catalog\n"
    assert plugin in config.read_text()
    config.write_text(config.read_text().replace(plugin, plugin + "      nav_limit: 1\n"))
    errors = project / "catalog" / "errors.yml"
    text = errors.read_text()
    block = text[text.index("  - code: rate_limited\n") :].split("\n  - code:")[0]
    added = block.replace("code: rate_limited", "code: rate_limited_again")
    log = tmp_path / "serve.log"
    with mkdocs_serve(project, log, "--dirty") as url:
        pages = search_pages(url)
        total = int(rebuilt(log)[-1].split(" of ")[1])
        sibling = unreloaded(served(url + "errors/codes/invalid_request/"))
        assert "rate_limited/" not in sibling, "code pages are hidden from the navigation"

        errors.write_text(text.replace(block, block + "\n" + added.rstrip("\n")))
        page = url + "errors/codes/rate_limited_again/"
        wait_until(page, "rate_limited_again", present=True, log=log)
        count = int(rebuilt(log)[-1].split(" of ")[0])
        assert 2 <= count < total / 2, rebuilt(log)
        assert 'href="rate_limited_again/"' in served(url + "errors/codes/")
        assert "errors/codes/rate_limited_again/" in search_pages(url)
        assert "errors/codes/rate_limited_again/" in served(url + "sitemap.xml")
        assert unreloaded(served(url + "errors/codes/invalid_request/")) == sibling, "as it was"

        errors.write_text(text)
        wait_until(url + "errors/codes/", 'href="rate_limited_again/"', present=False, log=log)
        count = int(rebuilt(log)[-1].split(" of ")[0])
        assert 1 <= count < total / 2, rebuilt(log)
        with pytest.raises(urllib.error.HTTPError):
            served(page)
        assert search_pages(url) == pages, "the search index is as it was"
        assert "rate_limited_again" not in served(url + "sitemap.xml")
    assert "Aborted" not in log.read_text()
