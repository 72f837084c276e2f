"""Rendering: escaping of values, links, retry guidance and template errors."""

from __future__ import annotations

import multiprocessing
import os
import posixpath
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import CATALOG
from zofdocs import RenderError, load_sources, markdown, pipeline, render, render_site
from zofdocs import check as checker
from zofdocs.check import rule_examples
from zofdocs.export import exports
from zofdocs.markdown import cell, code, fence, inline, literal, relative_link
from zofdocs.model import RetryPolicy, Sources
from zofdocs.render import TEMPLATES, Deferred, Site, retry_text


def test_inline_shows_html_as_text_but_keeps_code_spans() -> None:
    assert inline("<script>alert(1)</script> & `<b>`") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; `<b>`"
    )


def test_inline_shows_jinja_syntax_as_text() -> None:
    assert inline("{{ 7*7 }}") == "\\{\\{ 7\\*7 \\}\\}"


def test_cell_cannot_end_a_table_cell() -> None:
    assert cell("a | b\nc") == "a \\| b c"


def test_literal_disables_markdown() -> None:
    assert literal("*bold* [x](y) `c` #h") == "\\*bold\\* \\[x\\](y) \\`c\\` \\#h"


def test_code_span_outgrows_backticks_inside() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"


def test_fence_outgrows_fences_inside() -> None:
    assert fence("```\nx\n```", "md") == "````md\n```\nx\n```\n````"


@pytest.mark.parametrize(
    ("source", "target", "anchor", "expected"),
    [
        ("errors/index.md", "glossary.md", "rbac", "../glossary.md#rbac"),
        ("errors/codes/x.md", "errors/index.md", "status-400", "../index.md#status-400"),
        ("index.md", "errors/index.md", "", "errors/index.md"),
        ("glossary.md", "glossary.md", "qa", "#qa"),
    ],
)
def test_relative_link(source: str, target: str, anchor: str, expected: str) -> None:
    assert relative_link(source, target, anchor) == expected


parts = st.lists(st.sampled_from(["a", "b", "errors", "codes", "x.md", "", ".", ".."]), max_size=4)


@given(parts, parts.filter(bool))
def test_relative_paths_are_what_posixpath_gives(folder: list[str], to: list[str]) -> None:
    expected = posixpath.relpath("/".join(to) or ".", "/".join(folder) or ".")
    assert markdown._relative("/".join(folder), "/".join(to) or ".") == expected


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (RetryPolicy("never"), "Do not retry."),
        (
            RetryPolicy("after_change", change="permissions"),
            "Do not retry until the key's role or permissions change.",
        ),
        (
            RetryPolicy("retry_after", max_attempts=3),
            "Retry after waiting the number of seconds in the `Retry-After` header, "
            "at most 3 attempts in all.",
        ),
        (
            RetryPolicy("backoff", methods=("GET", "HEAD"), initial_delay_seconds=0.5),
            "Retry idempotent `GET`, `HEAD` requests with exponential backoff, starting at "
            "0.5 s and doubling each time; do not blindly retry requests that change state.",
        ),
    ],
)
def test_retry_text(policy: RetryPolicy, expected: str) -> None:
    assert retry_text(policy) == expected


def test_hostile_values_reach_the_page_as_text(catalog_dir: Path) -> None:
    path = catalog_dir / "errors.yml"
    text = path.read_text()
    old = "    title: Rate limited\n"
    assert old in text
    path.write_text(text.replace(old, '    title: "<script>alert(1)</script> {{ 7*7 }} |"\n'))
    pages = render_site(load_sources(catalog_dir)).pages
    page = pages["errors/codes/rate_limited.md"]
    assert "<script>" not in page
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; \\{\\{ 7\\*7 \\}\\} \\|"
    assert f"\n{shown}: HTTP 429 Too Many" in page
    assert f"| {shown} |" in pages["errors/codes/index.md"]


def test_undefined_value_fails_naming_the_template(tmp_path: Path) -> None:
    (tmp_path / "glossary.md.j2").write_text(
        '{% extends "page.md.j2" %}\n{% set title = "G" %}\n{% set summary = "S" %}\n'
        "{% block body %}\n{{ glossary.no_such_thing }}\n{% endblock %}\n"
    )
    with pytest.raises(RenderError) as info:
        render_site(load_sources(CATALOG), tmp_path)
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'glossary.md.j2'}:5: cannot render glossary.md:")
    assert "no_such_thing" in message


def test_an_override_code_page_that_is_not_utf_8_is_a_render_error(tmp_path: Path) -> None:
    # The code page template is compiled before any helper forks; a file that cannot be
    # read must still be reported by the render, naming the page.
    (tmp_path / "code.md.j2").write_bytes(b"caf\xe9 {{ code.code }}\n")
    with pytest.raises(
        RenderError, match=r"cannot render errors/codes/\w+\.md: UnicodeDecodeError"
    ):
        render_site(load_sources(CATALOG), tmp_path, jobs=1)


def test_template_override_is_searched_first(tmp_path: Path) -> None:
    (tmp_path / "helpful.md.j2").write_text("## Feedback\n\nWrite to us.\n")
    pages = render_site(load_sources(CATALOG), tmp_path).pages
    assert "## Feedback\n\nWrite to us.\n" in pages["errors/index.md"]
    assert "Was this page helpful?" not in pages["errors/index.md"]


def test_an_override_of_the_page_template_that_prints_the_tooltips_still_renders(
    tmp_path: Path,
) -> None:
    # `page.md.j2` printed `{{ abbreviations }}` before the renderer appended them.
    page = (TEMPLATES / "page.md.j2").read_text()
    (tmp_path / "page.md.j2").write_text(page + "{{ abbreviations }}\n")
    pages = render_site(load_sources(CATALOG), tmp_path).pages
    assert pages["errors/index.md"].count("*[Runs]: ") == 1


def test_an_editor_s_lock_file_among_the_templates_is_no_template(tmp_path: Path) -> None:
    # Emacs marks a file being edited with a link to nowhere; vim's test file comes and
    # goes. Neither is a template, and neither stops a render.
    (tmp_path / ".#helpful.md.j2").symlink_to(tmp_path / "nowhere")
    (tmp_path / "helpful.md.j2").write_text("## Feedback\n\nWrite to us.\n")
    pages = render_site(load_sources(CATALOG), tmp_path).pages
    assert "Write to us." in pages["errors/index.md"]


def test_a_template_edited_between_renders_is_read_again(tmp_path: Path) -> None:
    # The environment is kept between renders (the preview's), its templates unchecked
    # while no template file's time or size changed.
    template = tmp_path / "sub" / "helpful.md.j2"
    render_site(load_sources(CATALOG), tmp_path)
    template.parent.mkdir()
    template.write_text("{% include 'sub/help.md.j2' %}\n")
    (tmp_path / "sub" / "help.md.j2").write_text("## Feedback\n\nWrite to us.\n")
    (tmp_path / "helpful.md.j2").write_text("{% include 'sub/helpful.md.j2' %}")
    pages = render_site(load_sources(CATALOG), tmp_path).pages
    assert "Write to us." in pages["errors/index.md"]
    # An edit in a subfolder. (Its size changes: a file system's clock may give two
    # writes a few milliseconds apart the same time, as it would to `auto_reload`.)
    (tmp_path / "sub" / "help.md.j2").write_text("## Feedback\n\nMail it to us\n")
    pages = render_site(load_sources(CATALOG), tmp_path).pages
    assert "Mail it to us" in pages["errors/index.md"]


def test_every_code_page_has_a_stable_path_and_doc_url() -> None:
    sources = load_sources(CATALOG)
    pages = render_site(sources).pages
    for code_ in sources.catalog.codes:
        page = pages[f"errors/codes/{code_.code}.md"]
        assert f"`https://docs.zof.example/errors/codes/{code_.code}/`" in page


def test_errors_reference_follows_the_seed_page() -> None:
    page = render_site(load_sources(CATALOG)).pages["errors/index.md"]
    headings = [line for line in page.splitlines() if line.startswith(("# ", "## ", "### "))]
    seed_order = [
        "# Errors",
        "## Overview",
        "## Who should read this",
        "## When to use this workflow",
        "## Step-by-step procedure",
        "### Confirm access",
        "### Apply this guidance",
        "### Verify outcomes",
        "## Key concepts",
        "### 400 Bad Request { #status-400 }",
        "### 401 Unauthorized { #status-401 }",
        "### 403 Forbidden { #status-403 }",
        "### 404 Not Found { #status-404 }",
        "### 409 Conflict { #status-409 }",
        "### 429 Too Many Requests { #status-429 }",
        "### 500 Internal Server Error { #status-500 }",
        "## Best practices",
        "## Common issues",
        "## Error response shape",
        "## Was this page helpful? { #was-this-page-helpful }",
    ]
    assert headings == seed_order
    for code_name in ("invalid_request", "invalid_api_key", "rate_limited", "internal_error"):
        assert f"(codes/{code_name}.md)" in page


# -- the reader's site: the Errors summary, the codes filter's mark, machine-readable links


def test_errors_reference_starts_with_each_status_and_its_codes() -> None:
    sources = load_sources(CATALOG)
    page = render_site(sources).pages["errors/index.md"]
    top = page.split("## Overview", 1)[0]
    assert '<div class="zof-glance" markdown>' in top
    for status in sources.catalog.statuses:
        links = [f"[{status.status} {literal(status.title)}](#{status.anchor})"]
        links += [f"[`{c.code}`](codes/{c.code}.md)" for c in sources.catalog.codes_for(status)]
        line = next(line for line in top.splitlines() if line.startswith(f"- {links[0]}"))
        assert all(link in line for link in links), line


def test_errors_summary_shortens_a_status_with_many_codes(catalog_dir: Path) -> None:
    path = catalog_dir / "errors.yml"
    extra = "".join(
        f"  - code: extra_{n}\n    status: 400\n    title: Extra {n}\n" for n in range(9)
    )
    path.write_text(path.read_text().replace("\ncodes:\n", f"\ncodes:\n{extra}", 1))
    sources = load_sources(catalog_dir)
    codes = sources.catalog.codes_for(sources.catalog.statuses[0])
    assert len(codes) == 10
    page = render_site(sources).pages["errors/index.md"]
    line = next(line for line in page.splitlines() if line.startswith("- [400 "))
    assert all(f"codes/{c.code}.md" in line for c in codes[:8])
    assert not any(f"codes/{c.code}.md" in line for c in codes[8:])
    assert line.endswith(" and [2 more](#status-400)")


def test_codes_index_marks_its_tables_for_the_filter(catalog_dir: Path) -> None:
    plain = render_site(load_sources(catalog_dir)).pages["errors/codes/index.md"]
    path = catalog_dir / "errors.yml"
    path.write_text(
        path.read_text().replace(
            "  - code: rate_limited\n", "  - code: rate_limited\n    group: Limits\n"
        )
    )
    grouped = render_site(load_sources(catalog_dir)).pages["errors/codes/index.md"]
    for page in (plain, grouped):
        inside = page.split('<div class="zof-codes" markdown>\n\n', 1)[1].split("\n</div>\n", 1)[0]
        assert inside.count("| Code |") == page.count("| Code |") > 0
    assert "## Limits { #group-limits }" in grouped.split('<div class="zof-codes"', 1)[1]


def test_code_page_links_its_problem_document_and_its_entry_in_errors_json() -> None:
    from zofdocs.export import exports
    from zofdocs.layout import ERRORS_JSON, problem_file

    sources = load_sources(CATALOG)
    published = exports(sources)
    pages = render_site(sources, files=published).pages
    for error in sources.catalog.codes:
        page = pages[error.page]
        assert f"[RFC 9457 problem document](../../{problem_file(error.code)})" in page
        assert f'[errors.json](../../{ERRORS_JSON}), the one with `"code": "{error.code}"`' in page
        assert problem_file(error.code) in published
        assert ERRORS_JSON in published


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("errors.yml", "    title: Rate limited\n", "    title: Rate limited for now\n"),
        ("errors.yml", "    title: Too Many Requests\n", "    title: Slow Down\n"),
        (
            "errors.yml",
            "summary: Update CI secrets with new key;",
            "summary: Update the CI secrets with the new key;",
        ),
        ("errors.yml", "invalid_api_key", "api_key_invalid"),  # A replacement renamed.
        ("glossary.yml", "runs in flight, coverage", "runs in flight, their coverage"),
        ("pages.yml", "question: Was this page helpful?", "question: Did this page help?"),
    ],
)
def test_code_pages_kept_between_renders_are_the_pages_a_render_gives(
    catalog_dir: Path, file: str, old: str, new: str
) -> None:
    # The preview keeps code pages between renders (`render._code_pages`): after any
    # edit, each must be byte for byte what rendering from nothing gives.
    render._CODE_PAGES.clear()
    render_site(load_sources(catalog_dir), reuse=True)
    path = catalog_dir / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    kept = render_site(load_sources(catalog_dir), reuse=True).pages
    assert render._CODE_PAGES, "the pages were kept"
    fresh = render_site(load_sources(catalog_dir)).pages
    assert kept == fresh
    assert new.strip().rpartition(" ")[2].rstrip(";") in "".join(kept.values())


def test_a_render_done_once_keeps_no_page() -> None:
    render._CODE_PAGES.clear()
    render_site(load_sources(CATALOG))
    assert not render._CODE_PAGES, "`generate` renders once: keeping pages costs it"
    pipeline.render(load_sources(CATALOG), preview=True)
    assert render._CODE_PAGES, "the preview renders on every save: it keeps them"


# -- rendering in several processes ------------------------------------------------------


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shares of one code page, and helpers even for the fixture's few codes."""
    monkeypatch.setattr(render, "_SHARE", 1)
    monkeypatch.setattr(render, "_PER_PROCESS", 1)


@pytest.fixture
def alone(small_shares: None) -> Site:
    """The fixture's site as one process renders it."""
    return render_site(load_sources(CATALOG), jobs=1)


@pytest.fixture
def helpers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process claims no code page: the helpers render them all."""
    monkeypatch.setattr(render._Helpers, "render_claimed", _claims_nothing_here())


def in_a_helper(monkeypatch: pytest.MonkeyPatch, act: Callable[[], object]) -> None:
    """Make a helper (a fork of this process) act before each page it renders."""
    parent = os.getpid()
    rendered = render._Renderer.render

    def acting(self: render._Renderer, template: str, page: str, **extra: Any) -> None:
        if os.getpid() != parent:
            act()
        rendered(self, template, page, **extra)

    monkeypatch.setattr(render._Renderer, "render", acting)


def signed_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make each page end by naming the process that rendered it."""
    rendered = render._Renderer.render

    def signed(self: render._Renderer, template: str, page: str, **extra: Any) -> None:
        rendered(self, template, page, **extra)
        self.pages[page] += f"<!-- {os.getpid()} -->"

    monkeypatch.setattr(render._Renderer, "render", signed)


SIGNED = re.compile(r"<!-- (\d+) -->$")


def test_helper_processes_render_the_pages_one_process_renders(
    alone: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_pages(monkeypatch)
    helped = render_site(load_sources(CATALOG), jobs=3)
    assert {path: SIGNED.sub("", text) for path, text in helped.pages.items()} == alone.pages
    assert helped.nav == alone.nav
    assert not multiprocessing.active_children()


def test_the_helpers_alone_render_the_pages_one_process_renders(
    alone: Site, helpers_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = load_sources(CATALOG)
    signed_pages(monkeypatch)
    helped = render_site(sources, jobs=3)
    signers = {SIGNED.findall(helped.pages[code.page])[0] for code in sources.catalog.codes}
    assert signers
    assert str(os.getpid()) not in signers
    assert {path: SIGNED.sub("", text) for path, text in helped.pages.items()} == alone.pages


@pytest.mark.parametrize("claims", ["this process too", "the helpers only"])
def test_a_template_failing_in_a_helper_fails_the_render_as_it_would_alone(
    small_shares: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claims: str
) -> None:
    # The second code and the last fail, in shares apart: one process meets the
    # second's failure first, and so must any number of them.
    sources = load_sources(CATALOG)
    failing = [sources.catalog.codes[1].code, sources.catalog.codes[-1].code]
    code_page = (TEMPLATES / "code.md.j2").read_text()
    (tmp_path / "code.md.j2").write_text(
        code_page.replace(
            "{% block body %}",
            f"{{% block body %}}{{% if code.code in {failing!r} %}}"
            "{{ code.no_such_thing.here }}{% endif %}",
            1,
        )
    )
    with pytest.raises(RenderError) as alone:
        render_site(sources, tmp_path, jobs=1)
    if claims == "the helpers only":
        monkeypatch.setattr(render._Helpers, "render_claimed", _claims_nothing_here())
    with pytest.raises(RenderError) as helped:
        render_site(sources, tmp_path, jobs=3)
    assert str(helped.value) == str(alone.value)
    assert sources.catalog.codes[1].page in str(alone.value)
    assert not multiprocessing.active_children()


def _claims_nothing_here() -> Callable[..., None]:
    """`_Helpers.render_claimed`, claiming nothing in this process."""
    parent = os.getpid()
    claim = render._Helpers.render_claimed

    def in_helpers(self: render._Helpers, wanted: Callable[[], bool] = lambda: True) -> None:
        if os.getpid() != parent:
            claim(self, wanted)

    return in_helpers


def test_any_error_of_a_template_is_a_render_error_naming_its_line(tmp_path: Path) -> None:
    (tmp_path / "home.md.j2").write_text("Home\n{{ 1 // 0 }}\n")
    with pytest.raises(RenderError) as info:
        render_site(load_sources(CATALOG), tmp_path)
    assert str(info.value) == (
        f"{tmp_path / 'home.md.j2'}:2: cannot render index.md: "
        "ZeroDivisionError: integer division or modulo by zero"
    )


def test_a_failure_of_this_process_stops_the_helpers(
    small_shares: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_a_helper(monkeypatch, lambda: time.sleep(30))
    (tmp_path / "home.md.j2").write_text("{{ nothing.here }}")
    started = time.monotonic()
    with pytest.raises(RenderError, match=r"cannot render index\.md"):
        render_site(load_sources(CATALOG), tmp_path, jobs=3)
    assert time.monotonic() - started < 15, "the failure waited for the helpers to finish"
    assert not multiprocessing.active_children()


@pytest.mark.parametrize(
    ("stop", "message"),
    [
        (lambda: os._exit(3), "stopped with exit status 3 before it was done"),
        (
            lambda: os.kill(os.getpid(), signal.SIGKILL),  # As when memory runs out.
            r"was stopped by SIGKILL \(as when memory runs out\) before it was done",
        ),
    ],
    ids=["exit", "killed"],
)
def test_a_helper_that_stops_fails_the_render_with_a_message(
    small_shares: None,
    helpers_only: None,
    monkeypatch: pytest.MonkeyPatch,
    stop: Callable[[], object],
    message: str,
) -> None:
    in_a_helper(monkeypatch, stop)
    with pytest.raises(RenderError, match=message):
        render_site(load_sources(CATALOG), jobs=2)
    assert not multiprocessing.active_children()


HELPERS_OF_A_KILLED_PARENT = """
import os, sys, time
from pathlib import Path
from zofdocs import render
from zofdocs.catalog import load_sources
render._SHARE, render._PER_PROCESS = 1, 1
start, rendered = render._Helpers._start, render._Renderer.render
def started(self):
    start(self)
    print(*[helper.pid for helper, _ in self.helpers], flush=True)
def slow(self, *args, **kwargs):
    time.sleep(2)
    rendered(self, *args, **kwargs)
render._Helpers._start, render._Renderer.render = started, slow
render.render_site(load_sources(Path(sys.argv[1])), jobs=3)
"""


def test_helpers_stop_soon_after_their_parent_is_killed(tmp_path: Path) -> None:
    # Each page takes two seconds: a helper that went on would render for sixteen.
    with subprocess.Popen(
        [sys.executable, "-c", HELPERS_OF_A_KILLED_PARENT, str(CATALOG)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    ) as parent:
        assert parent.stdout is not None
        helpers = [int(pid) for pid in parent.stdout.readline().split()]
        parent.kill()
    assert helpers
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline and any(_running(pid) for pid in helpers):
        time.sleep(0.1)
    assert not any(_running(pid) for pid in helpers), "a helper outlived its parent"


def _running(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_with_no_process_to_be_had_this_one_renders_every_page(
    alone: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = load_sources(CATALOG)

    def refused(self: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN

    monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refused)
    assert render_site(sources, jobs=3).pages == alone.pages


def test_a_deferred_mapping_makes_its_values_once_on_first_need() -> None:
    made: list[int] = []

    def make() -> dict[str, int]:
        made.append(1)
        return {"b": 2, "a": 1}  # In any order.

    deferred = Deferred(["a", "b"], make)
    assert (list(deferred), len(deferred), "b" in deferred, "c" in deferred) == (
        ["a", "b"],
        2,
        True,
        False,
    )
    assert deferred
    assert not Deferred([], make)
    assert not made
    assert deferred.get("c") is None
    assert not made
    assert list(dict(deferred).items()) == [("a", 1), ("b", 2)]
    assert deferred["b"] == 2
    assert made == [1]
    assert repr(deferred) == "<Deferred: 2 keys, values made>"


def test_a_deferred_mapping_refuses_values_for_other_keys() -> None:
    deferred = Deferred(["a", "b"], lambda: {"a": 1, "c": 3})
    with pytest.raises(ValueError, match=r"1 missing \(first: \['b'\]\), 1 extra"):
        deferred["a"]


def test_a_key_error_in_making_is_not_taken_for_a_missing_key() -> None:
    def make() -> dict[str, int]:
        found: dict[str, int] = {}
        return {"a": found["b"]}

    deferred = Deferred(["a"], make)
    with pytest.raises(RuntimeError, match="making the values failed: KeyError: 'b'"):
        deferred.get("a")


def _wait_for(flag: Path) -> Callable[[], None]:
    def wait() -> None:
        deadline = time.monotonic() + 10
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.01)

    return wait


def test_deferred_files_and_examples_are_made_while_helpers_render(
    small_shares: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Making them overlaps rendering code pages: the helpers must have started by then.
    # They wait for both to be made, so that none has finished and gone before.
    sources = load_sources(CATALOG)
    made = tmp_path / "made"
    in_a_helper(monkeypatch, _wait_for(made))
    before = len(multiprocessing.active_children())
    helpers_then: dict[str, int] = {}

    def counting(name: str, make: Callable[[Sources], Any]) -> Callable[[Sources], Any]:
        def counted(sources: Sources) -> Any:
            helpers_then[name] = len(multiprocessing.active_children()) - before
            if len(helpers_then) == 2:
                made.touch()
            return make(sources)

        return counted

    monkeypatch.setattr(pipeline, "exports", counting("files", exports))
    monkeypatch.setattr(checker, "rule_examples", counting("examples", rule_examples))
    helped = pipeline.render(sources, jobs=3)
    assert helpers_then == {"files": 2, "examples": 2}
    assert helped.files == exports(sources)
    assert helped.pages == pipeline.render(sources).pages


def test_a_failure_making_what_was_deferred_comes_through_and_stops_the_helpers(
    small_shares: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not a template's error (the Checks page reads the examples): the failure itself.
    sources = load_sources(CATALOG)
    in_a_helper(monkeypatch, _wait_for(tmp_path / "never"))  # Helpers still at work.

    def broken(sources: Sources) -> dict[str, list[Any]]:
        raise OSError("the word list cannot be read")

    monkeypatch.setattr(checker, "rule_examples", broken)
    with pytest.raises(OSError, match="the word list cannot be read"):
        pipeline.render(sources, jobs=3)
    assert not multiprocessing.active_children()
