"""The reader's site in Debian's Chromium, on a desktop and on a 390 px phone.

Code names in tables are drawn on one line; a table wider than the screen scrolls
sideways and shows a shadow where there is more; the Error codes page has a filter
that works from the keyboard and is absent without JavaScript; the Errors reference
starts with every status and its codes; each code page links its problem document and
errors.json. What the pages should show is taken from the fixture catalog.
"""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize, expect

from tests.conftest import FIXTURE, ROOT, SHIPPED_CATALOG, build_site, serve
from tests.test_browser import watch
from zofdocs import load_sources
from zofdocs.layout import code_url, runbook_page
from zofdocs.model import Catalog, ErrorCode
from zofdocs.render import retry_text

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]
"""A desktop, and a phone such as an iPhone 12 to 15."""
PHONE: ViewportSize = {"width": 390, "height": 844}
TEAMS = sorted(p.parent.name for p in (FIXTURE / "runbooks").glob("*/team.yml"))
"""The fixture's teams, whose runbooks the site publishes."""
CODE_TABLE_PAGES = [
    "errors/codes/",
    "errors/",
    *(runbook_page(slug).removesuffix(".md") + "/" for slug in TEAMS),
]
"""The pages whose tables hold code names."""


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_sources(FIXTURE / "catalog").catalog


@pytest.fixture
def reader(browser: BrowserContext, base_url: str) -> Iterator[Page]:
    """A page that fails the test on a console error, a failed or outside request."""
    page = browser.new_page()
    problems = watch(page, base_url)
    yield page
    page.close()
    assert problems == []


# -- code names on one line -------------------------------------------------------------

DRAWN_LINES = """() => Array.from(document.querySelectorAll("article table code"))
    .map((code) => [code.textContent, code.getClientRects().length])"""
"""Each code element in a table with the number of boxes it is drawn in: one a line."""


@pytest.mark.parametrize("width", WIDTHS)
def test_code_names_in_tables_are_drawn_on_one_line(
    reader: Page, base_url: str, width: int
) -> None:
    reader.set_viewport_size({"width": width, "height": 900})
    broken: list[str] = []
    for path in CODE_TABLE_PAGES:
        reader.goto(base_url + path)
        drawn = reader.evaluate(DRAWN_LINES)
        assert drawn, f"{path} has no code in a table: the test would prove nothing"
        broken += [
            f"{path} at {width} px: {text!r} is drawn on {lines} lines"
            for text, lines in drawn
            if lines != 1
        ]
    assert broken == []


# -- wide tables scroll, and say so ----------------------------------------------------


def png_pixel(png: bytes) -> tuple[int, int, int]:
    """The colour of a PNG one pixel in size.

    For the first pixel of the first row, every PNG filter adds zero, so the inflated
    bytes after the filter type are the pixel itself.
    """
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, header, data = 8, b"", b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert (width, height, depth) == (1, 1, 8), "not one 8-bit pixel"
    assert colour in (2, 6), "neither RGB nor RGBA"
    raw = zlib.decompress(data)
    return raw[1], raw[2], raw[3]


def pixel(page: Page, x: float, y: float) -> tuple[int, int, int]:
    """The colour drawn at a point of the viewport."""
    return png_pixel(page.screenshot(clip={"x": int(x), "y": int(y), "width": 1, "height": 1}))


def difference(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def edges(page: Page, wrapper: Locator) -> tuple[int, int]:
    """How far the left and right edges of a scroller differ from the page's background.

    Sampled in the strip below the table and inside the scroller (the table's margin),
    where only the cue can be drawn; the background is sampled just below the scroller.
    """
    # The scroller's bottom, 60 px above the viewport's: the strip and the page below it.
    wrapper.evaluate(
        "(e) => window.scrollBy(0, e.getBoundingClientRect().bottom - innerHeight + 60)"
    )
    box = wrapper.bounding_box()
    assert box is not None
    bottom = box["y"] + box["height"]
    page_colour = pixel(page, box["x"] + box["width"] / 2, bottom + 6)
    left = pixel(page, box["x"] + 2, bottom - 3)
    right = pixel(page, box["x"] + box["width"] - 2, bottom - 3)
    return difference(left, page_colour), difference(right, page_colour)


SHADED = 24
"""A difference from the background that a reader sees: the cue at the very edge."""


def cues(differences: tuple[int, int]) -> tuple[bool, bool]:
    """Whether a reader sees a cue at the left and right edges.

    Raises:
        AssertionError: An edge is neither the page's colour nor clearly shaded.
    """
    for difference in differences:
        assert difference <= 3 or difference >= SHADED, f"an edge half shaded: {differences}"
    return differences[0] >= SHADED, differences[1] >= SHADED


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["errors/", "errors/codes/"])
def test_a_wide_table_scrolls_sideways_with_a_cue_on_a_phone(
    reader: Page, base_url: str, path: str, scheme: Literal["light", "dark"]
) -> None:
    reader.emulate_media(color_scheme=scheme)
    reader.set_viewport_size(PHONE)
    reader.goto(base_url + path)
    # Material keeps the palette of an earlier page; this one follows the reader's system.
    reader.evaluate("() => localStorage.clear()")
    reader.reload()
    shown = reader.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    assert shown == {"light": "default", "dark": "slate"}[scheme]
    wrappers = reader.locator("article .md-typeset__scrollwrap").all()
    wide = [w for w in wrappers if w.evaluate("(e) => e.scrollWidth > e.clientWidth + 1")]
    assert wide, f"no table on {path} is wider than a 390 px screen"
    for wrapper in wide:
        style = wrapper.evaluate(
            "(e) => [getComputedStyle(e).backgroundImage, getComputedStyle(e).backgroundAttachment]"
        )
        assert style[0].count("linear-gradient") == 4, style
        assert style[1] == "local, local, scroll, scroll", style
        # At the start only the right edge is shaded: there is more to the right.
        assert cues(edges(reader, wrapper)) == (False, True), f"{path}, start of scroll"
        wrapper.evaluate("(e) => { e.scrollLeft = (e.scrollWidth - e.clientWidth) / 2 }")
        assert cues(edges(reader, wrapper)) == (True, True), f"{path}, middle of scroll"
        # At the end the right-hand cue is gone, and the left one says where the rest is.
        wrapper.evaluate("(e) => { e.scrollLeft = e.scrollWidth }")
        assert cues(edges(reader, wrapper)) == (True, False), f"{path}, end of scroll"


def test_a_table_that_fits_shows_no_cue(reader: Page, base_url: str) -> None:
    reader.set_viewport_size({"width": 1280, "height": 900})
    reader.goto(base_url + "errors/codes/")
    wrapper = reader.locator("article .md-typeset__scrollwrap").first
    assert wrapper.evaluate("(e) => e.scrollWidth <= e.clientWidth")
    assert cues(edges(reader, wrapper)) == (False, False)


# -- the filter of the Error codes page --------------------------------------------------


def row_text(code: ErrorCode, catalog: Catalog) -> str:
    """A code's row on the Error codes page as a reader reads it, in lower case."""
    with_severity = any(c.severity for c in catalog.codes)
    cells = [
        code.code + (" (deprecated)" if code.deprecated else ""),
        str(code.status.status) if code.status else "",
        code.title.replace("`", ""),
        (code.severity or "").capitalize() if with_severity else "",
        retry_text(code.retry).replace("`", "") if code.retry else "",
    ]
    return " ".join(" ".join(cells).split()).lower()


def matching(query: str, catalog: Catalog) -> list[str]:
    """The codes whose rows hold every word of a query, in catalog order."""
    terms = query.lower().split()
    return [c.code for c in catalog.codes if all(term in row_text(c, catalog) for term in terms)]


SHOWN_ROWS = """() => Array.from(document.querySelectorAll(".zof-codes tbody tr"))
    .filter((row) => row.getClientRects().length > 0)
    .map((row) => row.cells[0].querySelector("code").textContent)"""
ROW_TEXTS = """() => Array.from(document.querySelectorAll(".zof-codes tbody tr")).map((row) =>
    Array.from(row.cells, (cell) => cell.textContent).join(" ").split(/\\s+/)
        .filter(Boolean).join(" ").toLowerCase())"""

QUERIES = ["rate_lim", "_api_", "401", "not found", "API KEY", "retry after"]
"""Part of a code, a status, words of a title in any case, and words of the Retry column."""


def count_text(shown: int, total: int) -> str:
    return f"{shown} of {total} code{'' if total == 1 else 's'}"


def test_typing_in_the_filter_shows_exactly_the_matching_codes(
    reader: Page, base_url: str, catalog: Catalog
) -> None:
    reader.goto(base_url + "errors/codes/")
    everything = [c.code for c in catalog.codes]
    # The rows read as the catalog says, so what each query should match is known.
    assert reader.evaluate(ROW_TEXTS) == [row_text(c, catalog) for c in catalog.codes]
    box = reader.get_by_label("Filter codes")
    count = reader.locator(".zof-filter [role=status]")
    expect(count).to_have_text(count_text(len(everything), len(everything)))
    for query in QUERIES:
        expected = matching(query, catalog)
        assert expected, f"{query!r} matches no code of the fixture: it tests nothing"
        assert expected != everything, f"{query!r} matches every code: it tests nothing"
        box.click()
        reader.keyboard.press("Control+A")
        reader.keyboard.press("Backspace")
        reader.keyboard.type(query, delay=20)
        expect(count).to_have_text(count_text(len(expected), len(everything)))
        assert reader.evaluate(SHOWN_ROWS) == expected, query
    # Clearing the box shows every code again.
    reader.keyboard.press("Control+A")
    reader.keyboard.press("Backspace")
    expect(count).to_have_text(count_text(len(everything), len(everything)))
    assert reader.evaluate(SHOWN_ROWS) == everything


def test_nothing_matching_hides_the_table_and_escape_clears(
    reader: Page, base_url: str, catalog: Catalog
) -> None:
    reader.set_viewport_size(PHONE)
    reader.goto(base_url + "errors/codes/")
    total = len(catalog.codes)
    box = reader.get_by_label("Filter codes")
    box.click()
    reader.keyboard.type("no such code", delay=20)
    expect(reader.locator(".zof-filter [role=status]")).to_have_text(count_text(0, total))
    expect(reader.locator(".zof-codes .md-typeset__scrollwrap")).to_be_hidden()
    reader.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(reader.locator(".zof-filter [role=status]")).to_have_text(count_text(total, total))
    assert len(reader.evaluate(SHOWN_ROWS)) == total


def test_typing_in_the_filter_never_triggers_the_sites_shortcuts(
    reader: Page, base_url: str
) -> None:
    reader.goto(base_url + "errors/codes/")
    url = reader.url
    box = reader.get_by_label("Filter codes")
    box.click()
    # Material opens the search on s, f and /, and turns pages on n, p, `.` and `,`.
    reader.keyboard.type("sf/np.,", delay=20)
    expect(box).to_have_value("sf/np.,")
    expect(box).to_be_focused()
    assert reader.url == url
    assert not reader.evaluate("() => document.getElementById('__search').checked")


def test_the_filter_is_labelled_and_announces_the_count(reader: Page, base_url: str) -> None:
    reader.goto(base_url + "errors/codes/")
    box = reader.get_by_role("searchbox", name="Filter codes")
    expect(box).to_be_visible()
    status = reader.get_by_role("status")
    expect(status).to_have_count(1)
    assert box.get_attribute("aria-describedby") == status.get_attribute("id")


def test_the_filter_does_nothing_on_other_pages(reader: Page, base_url: str) -> None:
    for path in [
        "errors/",
        "errors/codes/rate_limited/",
        runbook_page(TEAMS[0]).removesuffix(".md") + "/",
    ]:
        reader.goto(base_url + path)
        assert reader.locator(".zof-filter").count() == 0, path


def test_without_javascript_the_whole_table_shows_and_no_filter(
    browser: BrowserContext, base_url: str, catalog: Catalog
) -> None:
    page = browser.new_page()
    # A reader whose browser runs no script at all: Material's nor the site's.
    browser.new_cdp_session(page).send("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        page.goto(base_url + "errors/codes/")
        assert page.locator(".md-typeset__scrollwrap").count() == 0, "scripts still ran"
        assert page.evaluate(SHOWN_ROWS) == [c.code for c in catalog.codes]
        assert page.locator(".zof-filter, article input").count() == 0
    finally:
        page.close()


GROUPS = {"invalid_request": "Requests", "rate_limited": "Requests", "invalid_api_key": "Keys"}
"""Groups given to some codes of a copy of the fixture; the others fall to Other codes."""


def test_the_filter_hides_group_headings_left_without_codes(
    browser: BrowserContext, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    errors = project / "catalog" / "errors.yml"
    text = errors.read_text(encoding="utf-8")
    for code, group in GROUPS.items():
        assert f"  - code: {code}\n" in text
        text = text.replace(f"  - code: {code}\n", f"  - code: {code}\n    group: {group}\n")
    errors.write_text(text, encoding="utf-8")
    catalog = load_sources(project / "catalog").catalog
    build_site(project, tmp_path / "site")
    with serve(tmp_path / "site") as url:
        page = browser.new_page()
        problems = watch(page, url)
        page.goto(url + "errors/codes/")
        headings = page.locator(".zof-codes > h2")
        every = headings.evaluate_all("(hs) => hs.map((h) => h.id)")
        assert len(every) == len(catalog.groups()) + 1  # And Other codes.
        page.get_by_label("Filter codes").click()
        page.keyboard.type("rate_limited", delay=20)
        expect(page.locator(".zof-filter [role=status]")).to_have_text(
            count_text(1, len(catalog.codes))
        )
        shown = page.locator(".zof-codes > h2:visible").evaluate_all(
            "(hs) => hs.map((h) => h.textContent.replace('¶', '').trim())"
        )
        assert shown == [GROUPS["rate_limited"]]
        assert page.evaluate(SHOWN_ROWS) == ["rate_limited"]
        page.keyboard.press("Escape")
        expect(page.locator(".zof-codes > h2:visible")).to_have_count(len(every))
        page.close()
    assert problems == []


# -- the Errors reference at a glance --------------------------------------------------


def test_errors_reference_lists_each_status_and_its_codes_before_the_overview(
    reader: Page, base_url: str, catalog: Catalog
) -> None:
    reader.goto(base_url + "errors/")
    glance = reader.locator("article .zof-glance")
    expect(glance).to_have_count(1)
    items = glance.locator("li").all()
    assert len(items) == len(catalog.statuses)
    for item, status in zip(items, catalog.statuses, strict=True):
        codes = catalog.codes_for(status)
        links = item.locator("a")
        assert links.all_inner_texts() == [
            f"{status.status} {status.title}",
            *(c.code for c in codes),
        ]
        assert links.evaluate_all("(links) => links.map((a) => a.href)") == [
            f"{base_url}errors/#{status.anchor}",
            *(base_url + code_url(c.code) for c in codes),
        ]
        assert reader.locator(f"#{status.anchor}").count() == 1
    assert any(catalog.codes_for(s) for s in catalog.statuses)
    before = reader.evaluate(
        """() => !!(document.querySelector("article .zof-glance")
            .compareDocumentPosition(document.getElementById("overview"))
            & Node.DOCUMENT_POSITION_FOLLOWING)"""
    )
    assert before, "the summary comes after the Overview"
    # A status jumps to its section, and a code to its page.
    last = catalog.statuses[-1]
    glance.get_by_role("link", name=f"{last.status} {last.title}").click()
    assert reader.url.endswith(f"#{last.anchor}")
    code = catalog.codes_for(last)[0]
    reader.goto(base_url + "errors/")
    glance.get_by_role("link", name=code.code, exact=True).click()
    reader.wait_for_url(base_url + code_url(code.code))
    expect(reader.locator("article h1")).to_contain_text(code.code)


# -- each code page's machine-readable links --------------------------------------------


def test_each_code_page_links_its_problem_document_and_errors_json(
    reader: Page, base_url: str, catalog: Catalog
) -> None:
    for code in catalog.codes:
        reader.goto(base_url + code_url(code.code))
        problem_link = reader.get_by_role("link", name="RFC 9457 problem document")
        json_link = reader.locator("article").get_by_role("link", name="errors.json")
        urls = [link.evaluate("(a) => a.href") for link in (problem_link, json_link)]
        responses = [reader.request.get(u) for u in urls]
        assert [r.status for r in responses] == [200, 200], urls
        problem = responses[0].json()
        assert problem["code"] == code.code
        assert problem["type"] == catalog.doc_url(code)
        entries = [e for e in responses[1].json()["codes"] if e["code"] == code.code]
        assert len(entries) == 1, f"errors.json has no one entry for {code.code}"
        # JSON has no anchors: the page says which entry is the code's.
        pointer = f'"code": {json.dumps(code.code)}'
        expect(reader.locator("article p code", has_text=pointer)).to_have_count(1)


# -- the shipped site --------------------------------------------------------------------


@pytest.mark.shipped
def test_shipped_codes_page_filters_and_its_tables_keep_code_names_whole(
    browser: BrowserContext, tmp_path: Path
) -> None:
    build_site(ROOT, tmp_path / "s")
    codes = load_sources(SHIPPED_CATALOG).catalog.codes
    with serve(tmp_path / "s") as url:
        page = browser.new_page()
        problems = watch(page, url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url + "errors/codes/")
            broken = [text for text, lines in page.evaluate(DRAWN_LINES) if lines != 1]
            assert broken == [], f"at {width} px"
        page.get_by_label("Filter codes").click()
        page.keyboard.type(codes[-1].code, delay=10)
        expect(page.locator(".zof-filter [role=status]")).to_contain_text(f"of {len(codes)}")
        assert codes[-1].code in page.evaluate(SHOWN_ROWS)
        page.close()
    assert problems == []
