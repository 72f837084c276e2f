"""Material's search box puts the right page first, for every query the catalog implies.

Each query is typed into the search box of the built site in Debian's Chromium, key by
key as a reader types it, and its first result must be:

- an error code, or one of its aliases: the code's page;
- a status number (`429`), the number with its reason phrase (`429 Too Many Requests`),
  or the phrase alone: the status's section of the Errors reference;
- a Console label, or its expansion (`Role-based access control` for `RBAC`): the
  label's entry in the glossary;
- a common issue, by its title (the symptom as a reader says it, such as `401 after key
  rotation`; its `symptom` field is a paragraph about the situation, not a query): the
  issue's page.

"The first result" is where Enter takes the reader: in the first item of the result
list, the link with the highest score (Material's own rule). A query for a page is
answered by any section of that page, as that page is the first result; a query for a
section needs that section.

Every query and its answer come from the catalog, never from a list here, so that a new
code, status, label or issue is tested as it is added. The test of the tool runs on the
fixture project; the `shipped` test on the shipped site, from the shipped catalog.

Some queries are ambiguous by the way Material searches, and `queries` accepts either
answer for them:

- Material matches each typed word as the beginning of a word, and does not weigh how
  long a heading is: a label whose every word begins a word of another heading on the
  glossary (`API key` in `API keys`, `Runs` in `Active runs`, `organization` in
  `organization ID`), or of a code (a label `rate` and the code `rate_limited`), ties
  with it on the heading. No boost, heading or separator tells them apart: the entries'
  text decides by a hair, or the rarer word wins (`keys` over `key`). Its first result
  may be either; measured on the shipped site, `Runs`, `API key`, `service account` and
  `organization` get the other entry, with the label's own entry second, in the same
  first result (the glossary's).
- The same words for two things (a label spelled as a code, an alias as a label): either
  answer is right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.conftest import FIXTURE, ROOT, SHIPPED_CATALOG, build_site, serve
from zofdocs import load_sources
from zofdocs.layout import ERRORS_PAGE, GLOSSARY_PAGE
from zofdocs.model import (
    Area,
    Catalog,
    CommonIssue,
    ErrorCode,
    Glossary,
    Label,
    Status,
)

pytestmark = pytest.mark.browser

TYPING_DELAY_MS = 5
"""Between two keys: each key still fires its own search, as a reader's does."""

COUNT_SEARCH_MESSAGES = """
(() => {
  // Count the queries the page sends to Material's search worker and the results it
  // gets back (SearchMessageType: 1 ready, 2 query, 3 result). When the two counts
  // are equal, the list on screen is the one for the last key typed.
  const Native = window.Worker;
  const seen = (window.__zofSearch = { ready: false, sent: 0, got: 0 });
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ({ data }) => {
        if (data?.type === 1) seen.ready = true;
        if (data?.type === 3) seen.got += 1;
      });
    }
    postMessage(message, ...rest) {
      if (message?.type === 2) seen.sent += 1;
      return super.postMessage(message, ...rest);
    }
  };
})();
"""

SETTLED = """
(text) => {
  const seen = window.__zofSearch;
  const box = document.querySelector(".md-search__input");
  return box.value === text && seen.sent > 0 && seen.sent === seen.got;
}
"""

FIRST_ITEM_LINKS = """
() => {
  const item = document.querySelector(".md-search-result__item");
  if (!item) return [];
  return [...item.querySelectorAll("a.md-search-result__link")].map((link) => [
    link.href,
    Number(link.querySelector("[data-md-score]")?.getAttribute("data-md-score") ?? 0),
  ]);
}
"""


@dataclass(frozen=True)
class Query:
    """What a reader types, and where its first result must lead.

    Attributes:
        text: The query.
        kind: What it names, for the failure message: `code`, `alias`, `status`,
            `status and phrase`, `phrase`, `label`, `expansion` or `issue`.
        expected: The answer's URL below the site's root: a page, such as
            `errors/codes/rate_limited/`, or a section, such as `errors/#status-429`.
        also: Other answers that are as right, for an ambiguous query.
    """

    text: str
    kind: str
    expected: str
    also: tuple[str, ...] = ()


def url(page: str, anchor: str = "") -> str:
    """The URL of a page below the site's root, as MkDocs serves it, with an anchor.

    Args:
        page: The page's path in the docs, such as `errors/index.md` or `glossary.md`.
        anchor: An anchor on the page, if any.

    Returns:
        The URL, such as `errors/` or `glossary/#api-key`.
    """
    stem = page.removesuffix(".md")
    index = stem == "index" or stem.endswith("/index")
    path = stem.removesuffix("index") if index else stem + "/"
    return path + (f"#{anchor}" if anchor else "")


def words(text: str) -> list[str]:
    """The words search makes of a text, lowercased.

    Args:
        text: Any text.

    Returns:
        Its words. `_` stays inside a word, as the search separator in mkdocs.yml has
        it, so that a code such as `rate_limited` is one word.
    """
    return re.findall(r"\w+", text.casefold())


def begins(query: str, heading: str) -> bool:
    """Whether each word of a query begins a word of a heading, as Material matches it.

    Args:
        query: The query.
        heading: A heading, or a code.

    Returns:
        True when the heading matches every word of the query.
    """
    theirs = words(heading)
    return all(any(word.startswith(mine) for word in theirs) for mine in words(query))


def glossary_heading(label: Label) -> str:
    """A label's heading on the glossary page, as glossary.md.j2 writes it.

    Args:
        label: A label.

    Returns:
        The heading's text: the label, and its expansion after a colon.
    """
    return label.label + (f": {label.expansion}" if label.expansion else "")


def queries(catalog: Catalog, glossary: Glossary) -> list[Query]:
    """Every query the catalog and glossary imply, each with its answer.

    Args:
        catalog: The error catalog.
        glossary: The Console label glossary.

    Returns:
        The queries, codes first, in catalog order, each once.
    """
    found: list[Query] = []
    for code in catalog.codes:
        found.append(Query(code.code, "code", code.url_path))
        found += [Query(alias, "alias", code.url_path) for alias in code.aliases]
    for status in catalog.statuses:
        section = url(ERRORS_PAGE, status.anchor)
        found += [
            Query(str(status.status), "status", section),
            Query(f"{status.status} {status.title}", "status and phrase", section),
            Query(status.title, "phrase", section),
        ]
    # What a label's words tie with: the other headings of the glossary, areas included,
    # and the codes, each a single word on its page's title.
    rivals = {url(GLOSSARY_PAGE, area.anchor): area.name for area in glossary.areas}
    rivals |= {
        url(GLOSSARY_PAGE, label.anchor): glossary_heading(label) for label in glossary.labels
    }
    rivals |= {code.url_path: code.code for code in catalog.codes}
    for label in glossary.labels:
        entry = url(GLOSSARY_PAGE, label.anchor)
        for text, kind in ((label.label, "label"), (label.expansion, "expansion")):
            if text:
                ties = tuple(
                    where
                    for where, heading in rivals.items()
                    if where != entry and begins(text, heading)
                )
                found.append(Query(text, kind, entry, ties))
    found += [Query(issue.title, "issue", url(issue.page)) for issue in catalog.common_issues]
    answers: dict[str, set[str]] = {}
    for query in found:
        answers.setdefault(query.text.casefold(), set()).add(query.expected)
    unique: dict[tuple[str, str], Query] = {}
    for query in found:
        others = ({*query.also} | answers[query.text.casefold()]) - {query.expected}
        unique.setdefault(
            (query.text.casefold(), query.expected), replace(query, also=tuple(sorted(others)))
        )
    return list(unique.values())


def site_path(href: str) -> str:
    """A result link's URL below the site's root, without its highlight query.

    Args:
        href: The link's absolute URL, such as `http://127.0.0.1:8000/errors/?h=429#status-429`.

    Returns:
        The URL below the root, such as `errors/#status-429`.
    """
    parts = urlsplit(href)
    return parts.path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else "")


def first_result(links: Sequence[tuple[str, float]]) -> str | None:
    """Where Enter takes the reader from the links of the first item in the result list.

    Material's search turns Enter into a click on the link with the highest score (the
    first of them on a tie); the item lists the page first, then its best sections.

    Args:
        links: Each link's URL and score, in the order the item shows them.

    Returns:
        The URL below the site's root, or None when there is no result.
    """
    best: tuple[str, float] | None = None
    for href, score in links:
        if best is None or score > best[1]:
            best = (href, score)
    return None if best is None else site_path(best[0])


def miss(query: Query, got: str | None) -> str | None:
    """Report a first result that is not the query's answer.

    Args:
        query: The query, with its answers.
        got: The first result's URL below the site's root, None for no result.

    Returns:
        One line naming the query, what it expects and what it got; None when right.
    """
    for answer in (query.expected, *query.also):
        page_answer = "#" not in answer
        if got is not None and (got == answer or (page_answer and got.split("#")[0] == answer)):
            return None
    expected = " or ".join((query.expected, *query.also))
    return f"{query.text!r} ({query.kind}): expected {expected}, got {got or 'no result'}"


class SearchBox:
    """The search box of one open page of the site, which every query reuses."""

    def __init__(self, browser: BrowserContext, base_url: str) -> None:
        self.page: Page = browser.new_page()
        self.page.add_init_script(COUNT_SEARCH_MESSAGES)
        self.page.goto(base_url)
        self.page.locator(".md-search__input").click()
        self.page.wait_for_function("() => window.__zofSearch.ready", timeout=30_000)

    def first(self, text: str) -> str | None:
        """Type a query into the emptied box, and read its first result.

        Args:
            text: The query.

        Returns:
            The first result's URL below the site's root, or None for no result.
        """
        self.page.locator(".md-search__input").focus()
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.press("Backspace")
        self.page.keyboard.type(text, delay=TYPING_DELAY_MS)
        # Playwright types a character that is not on a US keyboard without a keyup, on
        # which Material searches: a last Shift searches for the whole text (and for
        # nothing new when the text is unchanged).
        self.page.keyboard.press("Shift")
        self.page.wait_for_function(SETTLED, arg=text, timeout=10_000)
        links = self.page.evaluate(FIRST_ITEM_LINKS)
        return first_result([(str(href), float(score)) for href, score in links])

    def close(self) -> None:
        """Close the page."""
        self.page.close()


def search(browser: BrowserContext, base_url: str, expected: list[Query]) -> list[str | None]:
    """Type every query into one page's search box.

    Args:
        browser: The browser.
        base_url: The site's root URL.
        expected: The queries.

    Returns:
        Each query's first result, in order.
    """
    box = SearchBox(browser, base_url)
    try:
        return [box.first(query.text) for query in expected]
    finally:
        box.close()


def assert_first_results(expected: list[Query], got: list[str | None]) -> None:
    misses = [
        line for query, result in zip(expected, got, strict=True) if (line := miss(query, result))
    ]
    assert not misses, (
        f"{len(misses)} of {len(expected)} queries do not put the right page first:\n"
        + "\n".join(misses)
    )


def test_search_puts_the_right_page_first(browser: BrowserContext, base_url: str) -> None:
    sources = load_sources(FIXTURE / "catalog")
    expected = queries(sources.catalog, sources.glossary)
    assert {query.kind for query in expected} >= {"code", "status", "phrase", "label", "issue"}
    got = search(browser, base_url, expected)
    assert_first_results(expected, got)
    # The same reading reports a wrong answer: each code's query, expecting another
    # code's page, is a miss.
    results = dict(zip(expected, got, strict=True))
    codes = [query for query in expected if query.kind == "code"]
    assert len(codes) > 1
    for query, other in zip(codes, codes[1:] + codes[:1], strict=True):
        assert miss(replace(query, expected=other.expected), results[query]) is not None


@pytest.mark.shipped
def test_shipped_search_puts_the_right_page_first(browser: BrowserContext, tmp_path: Path) -> None:
    build_site(ROOT, tmp_path / "site")
    sources = load_sources(SHIPPED_CATALOG)
    expected = queries(sources.catalog, sources.glossary)
    with serve(tmp_path / "site") as base_url:
        got = search(browser, base_url, expected)
    assert_first_results(expected, got)


def tiny_sources() -> tuple[Catalog, Glossary]:
    status = Status(429, "Too Many Requests", "Slow down.")
    code = ErrorCode("rate_limited", "Rate limited", status=status, aliases=("throttled",))
    area = Area("Access", "Keys and roles.")
    labels = (
        Label("API key", "identifier", "Access", None, "A secret."),
        Label("API keys", "page", "Access", None, "Where keys live."),
        Label("RBAC", "page", "Access", None, "Roles.", expansion="Role-based access control"),
        Label("rate", "concept", "Access", None, "Requests a second."),
        Label("throttled", "concept", "Access", None, "Slowed down."),
    )
    issue = CommonIssue(
        "429-in-ci", "429 in CI", "Poll less.", "CI fails.", "Polling.", (), (status,), (code,), ()
    )
    return Catalog("https://docs.example/", None, (status,), (code,), (issue,)), Glossary(
        (area,), labels
    )


def test_queries_come_from_the_catalog_with_their_ambiguities() -> None:
    catalog, glossary = tiny_sources()
    page = "errors/codes/rate_limited/"
    assert queries(catalog, glossary) == [
        Query("rate_limited", "code", page),
        Query("throttled", "alias", page, ("glossary/#throttled",)),
        Query("429", "status", "errors/#status-429"),
        Query("429 Too Many Requests", "status and phrase", "errors/#status-429"),
        Query("Too Many Requests", "phrase", "errors/#status-429"),
        Query("API key", "label", "glossary/#api-key", ("glossary/#api-keys",)),
        Query("API keys", "label", "glossary/#api-keys"),
        Query("RBAC", "label", "glossary/#rbac"),
        Query("Role-based access control", "expansion", "glossary/#rbac"),
        Query("rate", "label", "glossary/#rate", (page,)),
        Query("throttled", "label", "glossary/#throttled", (page,)),
        Query("429 in CI", "issue", "errors/issues/429-in-ci/"),
    ]


def test_a_wrong_first_result_is_reported() -> None:
    section = Query("429", "status", "errors/#status-429")
    page = Query("rate_limited", "code", "errors/codes/rate_limited/")
    assert miss(section, "errors/#status-429") is None
    assert miss(page, "errors/codes/rate_limited/#retry") is None
    assert miss(section, "errors/") == ("'429' (status): expected errors/#status-429, got errors/")
    assert miss(section, "errors/issues/429-in-ci/") is not None
    assert miss(page, None) == (
        "'rate_limited' (code): expected errors/codes/rate_limited/, got no result"
    )
    tied = Query("API key", "label", "glossary/#api-key", ("glossary/#api-keys",))
    assert miss(tied, "glossary/#api-keys") is None
    assert miss(tied, "errors/issues/401-after-key-rotation/") is not None
    links = [
        ("http://127.0.0.1:8000/errors/?h=429", 10.0),
        ("http://h/errors/?h=429#status-429", 25.5),
    ]
    assert first_result(links) == "errors/#status-429"
    assert first_result([("http://h/a/", 3.0), ("http://h/a/#b", 3.0)]) == "a/"
    assert first_result([]) is None
