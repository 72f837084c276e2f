"""Text fields: what each kind keeps, what shows as text, and what validation refuses.

Every expectation is on HTML: the filters' Markdown is rendered by Python-Markdown
with the fixture site's own extensions (as MkDocs renders it), placed where templates
place values, and the HTML is checked with `zofdocs.htmlcheck`. The built site's head,
which the theme fills from front matter, is checked on a real `mkdocs build`.
"""

from __future__ import annotations

import html as html_module
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import markdown as python_markdown  # type: ignore[import-untyped]  # no stubs in the lock
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from tests.conftest import FIXTURE
from tests.test_site import BIN, ENV, build
from zofdocs import markdown
from zofdocs.cli import main
from zofdocs.htmlcheck import unsafe_markup
from zofdocs.layout import GLOSSARY_PAGE
from zofdocs.markdown import block, cell, code, front_matter, inline, link_target, literal, problems


@pytest.fixture(scope="module")
def to_html() -> Callable[[str], str]:
    """Python-Markdown as the fixture site configures it, abbreviations and all."""
    config = load_config(str(FIXTURE / "mkdocs.yml"))
    md = python_markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )

    def convert(text: str) -> str:
        return str(md.reset().convert(text))

    return convert


def visible(html: str) -> str:
    """The text a reader sees, entities decoded, whitespace folded."""
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "<svg onload=alert(3)>",
    '"><script>alert(4)</script>',
    'text {: onclick="alert(5)" }',
    "{ #id .cls onclick=alert(6) }",
    "[click](javascript:alert(7))",
    "[click](JaVaScRiPt:alert(8))",
    "[click](java&#x09;script:alert(9))",
    "[click](&#106;avascript:alert(10))",
    "[click]( javascript:alert(11))",
    "[click](<javascript:alert(12)>)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMyk8L3NjcmlwdD4=)",
    "![img](javascript:alert(14))",
    "![img](x.png){: onerror=alert(15) }",
    "<javascript:alert(16)>",
    "[ref][r]\n\n[r]: javascript:alert(17)",
    "# heading 18",
    "Title 19\n=====",
    "- # item heading 20",
    "1. list 21",
    "> quote 22",
    '!!! note "x"\n    admonition 23',
    "*[HTML]: abbreviation 24",
    "term 25\n:   definition",
    "| a | b |\n| --- | --- |\n| table | 26 |",
    "<iframe src=//evil.example/27></iframe>",
    "<style>body{display:none}</style> 28",
    "{{ 7*7 }} {% raw %} 29",
    "<a href=javascript:alert(30)>x</a>",
    "[a](javascript:alert(31) 'title')",
    "`code` then <b onmouseover=alert(32)>bold</b>",
    "```\n<script>alert(33)</script>",
    "a\n<img src=x onerror=alert(34)>",
    ":material-alert: icon 35",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("inline", lambda v: f"{inline(v)}\n"),
        ("list item", lambda v: f"- {inline(v)}\n"),
        ("table cell", lambda v: f"| A | B |\n| --- | --- |\n| {cell(v)} | x |\n"),
        ("heading", lambda v: f"### {literal(v)} {{ #anchor }}\n"),
        ("block", lambda v: f"{block(v)}\n"),
        ("block in a list", lambda v: f"- {block(v, 4)}\n"),
        # As code.md.j2 writes causes and fixes: the marker's width, not four spaces.
        ("cause", lambda v: f"- {block(v, 2)}\n"),
        ("fix", lambda v: f"1. {block(v, 3)}\n"),
        ("code span in a table", lambda v: f"| A | B |\n| --- | --- |\n| {code(v)} | x |\n"),
        ("block in an admonition", lambda v: f'??? info "Details"\n    {block(v, 4)}\n'),
    ],
)
def test_hostile_values_never_become_markup(
    to_html: Callable[[str], str], value: str, name: str, place: Callable[[str], str]
) -> None:
    html = to_html(place(value))
    assert unsafe_markup(html) == [], html
    for tag in ("h1", "h2", "blockquote", "dl", "iframe", "script", "style", "img", "svg"):
        assert f"<{tag}" not in html, html
    assert "javascript" not in "".join(re.findall(r'href="([^"]*)"', html)).lower()
    # Whatever the value says reaches the reader as text, its number included.
    number = re.findall(r"\d+", value)[-1]
    assert number in visible(html), html


@pytest.mark.parametrize(
    ("value", "html"),
    [
        (
            "`code` and *em* and **bold**",
            "<code>code</code> and <em>em</em> and <strong>bold</strong>",
        ),
        ("[docs](https://docs.example/a_(b))", '<a href="https://docs.example/a_%28b%29">docs</a>'),
        ("[mail](mailto:ops@example.com)", '<a href="mailto:ops@example.com">mail</a>'),
        ("[page](../glossary.md#rbac)", '<a href="../glossary.md#rbac">page</a>'),
        ("<https://docs.example>", '<a href="https://docs.example">https://docs.example</a>'),
        ("snake_case_name and 2 * 3", "snake_case_name and 2 * 3"),
    ],
)
def test_inline_keeps_code_emphasis_and_links(
    to_html: Callable[[str], str], value: str, html: str
) -> None:
    assert to_html(inline(value)) == f"<p>{html}</p>"


def test_block_keeps_paragraphs_lists_and_fences(to_html: Callable[[str], str]) -> None:
    value = 'First.\nStill first.\n- one\n- two `x`\n\n1. a\n2. b\n\n```json\n{"a": 1}\n```\n'
    html = to_html(block(value))
    assert "<p>First.\nStill first.</p>" in html
    assert "<ul>\n<li>one</li>\n<li>two <code>x</code></li>\n</ul>" in html
    assert "<ol>\n<li>a</li>\n<li>b</li>\n</ol>" in html
    assert "<pre" in html
    assert '{"a": 1}' in html_module.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize(
    "url",
    ["javascript:x", "JAVASCRIPT:x", "java\tscript:x", " javascript:x", "java%0ascript:x",
     "vbscript:x", "data:text/html,x", "file:///etc/passwd"],
)  # fmt: skip
def test_link_targets_refused(url: str) -> None:
    assert link_target(url)


@pytest.mark.parametrize(
    "url",
    ["https://a.example", "HTTP://a.example", "mailto:a@b.example", "../x.md#y", "#top", "x.md"],
)
def test_link_targets_allowed(url: str) -> None:
    assert link_target(url) is None


def test_problems_name_what_a_field_may_not_hold() -> None:
    assert problems("[a](https://x.example) `[b](javascript:x)`", "inline") == []
    found = problems("![i](x.png) [r][d]\n\n[d]: vbscript:x\n\n```\nopen", "block")
    assert [message for message, _ in found] == [
        "an image is not allowed in a text field",
        "a link to 'vbscript:x' is not allowed: a vbscript: link could run code or leave "
        "the site unannounced",
        "the code fence ``` on line 5 of the value is never closed",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      - Validate the body against the API examples in this documentation before "
            "sending it.",
            "      - See [the fix](javascript:alert(1)).",
            ":9: 'codes[0].fixes[1]': a link to 'javascript:alert(1)' is not allowed: a "
            "javascript: link could run code or leave the site unannounced (hint: link to an "
            "http, https or mailto address, or to a page by its relative path)",
        ),
    ],
)
def test_validate_refuses_with_the_fields_place(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    errors = catalog_dir / "errors.yml"
    text = errors.read_text()
    assert old in text
    errors.write_text(text.replace(old, new, 1))
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    line = text[: text.index(old)].count("\n") + 1
    assert err.splitlines() == [f"catalog/errors.yml:{line}{expected}"]


def test_front_matter_is_escaped_for_the_html_the_theme_prints() -> None:
    assert front_matter('Bad "><img src=x onerror=alert(1)> `code` & co') == (
        '"Bad &quot;&gt;&lt;img src=x onerror=alert(1)&gt; code &amp; co"'
    )


def test_a_hostile_title_stays_text_in_the_built_head(project: Path, tmp_path: Path) -> None:
    errors = project / "catalog" / "errors.yml"
    old = "    title: Rate limited\n"
    assert old in errors.read_text()
    title = 'Invalid "><img src=x onerror=alert(1)> </title><script>alert(2)</script>'
    errors.write_text(errors.read_text().replace(old, f"    title: '{title}'\n"))
    result = build("mkdocs", project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "errors" / "codes" / "rate_limited" / "index.html").read_text()
    head = page[: page.index("</head>")]
    assert "<img" not in head
    assert "<script>alert" not in head
    assert (
        '<meta name="description" content="Invalid &quot;&gt;&lt;img src=x onerror=alert(1)&gt; '
        '&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;: HTTP 429 Too Many Requests.">'
    ) in head
    assert "<img src=x" not in page
    assert "<script>alert" not in page


def build_lenient(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` without --strict: errors are logged and the build goes on."""
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )


def test_unsafe_markup_from_a_template_fails_the_strict_build_at_its_value(
    project: Path, tmp_path: Path
) -> None:
    # An override that lets a value through as it is: the sanitizer check catches it
    # on the built HTML, and names the catalog value that holds it.
    overrides = project / "overrides"
    overrides.mkdir()
    (overrides / "helpful.md.j2").write_text("{{ page_text.helpful.question | safe }}\n")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - zofdocs:\n", "  - zofdocs:\n      templates: overrides\n", 1
        )
    )
    pages = project / "catalog" / "pages.yml"
    text = pages.read_text()
    question = re.search(r"^  question: (.*)$", text, re.MULTILINE)
    assert question
    pages.write_text(
        text.replace(question.group(0), '  question: "Helpful? <img src=x onerror=alert(1)>"')
    )
    line = text[: question.start()].count("\n") + 1
    result = build("mkdocs", config, tmp_path / "site")
    assert result.returncode == 1
    assert (
        f"zofdocs: catalog/pages.yml:{line}:13: 'helpful.question': "
        '<img onerror="alert(1)" src="x"> is not allowed on a page and would reach '
        "docs/errors/index.md (hint: text fields show markup as text; if a template "
        "override writes it, remove it from the template)"
    ) in result.stderr, result.stderr
    # A build that goes on past errors still never publishes the refused markup.
    config.write_text(config.read_text().replace("strict: true", "strict: false", 1))
    result = build_lenient(config, tmp_path / "lenient")
    assert "is not allowed on a page" in result.stderr
    page = (tmp_path / "lenient" / "errors" / "index.html").read_text()
    assert "Helpful? " in page
    assert "onerror" not in page


@pytest.mark.parametrize(
    "html",
    [
        '<p onclick="alert(1)">x</p>',
        '<p title=">" onclick=alert(2)>x</p>',
        "<P ONCLICK=alert(3)>x</P>",
        '<a href="javascript:alert(4)">x</a>',
        '<a href="java&#x09;script:alert(5)">x</a>',
        '<a href="&#106;avascript:alert(6)">x</a>',
        '<a href=" JaVa\nScRiPt:alert(7)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<a href="vbscript:alert(9)">x</a>',
        "<script>alert(10)</script>",
        "<SCRIPT>alert(11)</SCRIPT>",
        "<svg><script>alert(12)</script></svg>",
        '<iframe srcdoc="&lt;script&gt;alert(13)&lt;/script&gt;"></iframe>',
        '<object data="x.swf"></object>',
        "<style>p{color:red}</style>",
        '<p style="background:url(javascript:alert(16))">x</p>',
        '<img src="x" onerror="alert(17)">',
        '<details open ontoggle="alert(18)"><summary>s</summary></details>',
        '<form action="javascript:alert(19)"><button>b</button></form>',
        "<p>ok</p><math><mtext><table><mglyph><style><img src=x onerror=alert(20)>",
    ],
)
def test_the_allow_list_refuses(html: str) -> None:
    assert unsafe_markup(f"<p>before</p>{html}<p>after</p>")


def test_the_allow_list_lets_the_sites_own_markup_through(to_html: Callable[[str], str]) -> None:
    page = to_html(
        "# Title { #title }\n\nText with `code`, *em*, [a link](https://a.example) and "
        "[another](../x.md#y).\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\n"
        '!!! note "Note"\n    Inside.\n\n??? info "More"\n    Folded.\n\n'
        '```json\n{"a": [1, 2]}\n```\n\n- one\n- two\n\n1. a\n2. b\n\n'
        ":material-check: done\n\n*[HTML]: HyperText Markup Language\n\nHTML here.\n"
    )
    assert unsafe_markup(page) == []


def test_the_preview_shows_refused_markup_in_a_notice_and_leaves_it_out(project: Path) -> None:
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    from zofdocs.plugin import ZofDocsPlugin

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["zofdocs"]
    assert isinstance(plugin, ZofDocsPlugin)
    plugin.on_startup(command="serve", dirty=False)
    config = plugin.on_config(config)
    path = "errors/codes/rate_limited.md"
    page = Page(None, File(path, str(project / "docs"), "site", use_directory_urls=True), config)
    html = plugin.on_page_content(
        '<p>Retry <img src="x" onerror="alert(1)"> later.</p>',
        page=page,
        config=config,
        files=None,  # type: ignore[arg-type]
    )
    assert html is not None
    assert "onerror" not in html.split("</div>", 1)[1]
    assert html.startswith('<div class="admonition failure">')
    assert (
        "generated/errors/codes/rate_limited.md: &lt;img onerror=&quot;alert(1)&quot; "
        "src=&quot;x&quot;&gt; is not allowed on a page"
    ) in html


@pytest.mark.parametrize("url", ["&#106;avascript:x", "java&#x09;script:x", "&#x6A;avascript:x"])
def test_link_targets_refused_as_written_in_html(url: str) -> None:
    # A target handed over as written, entities and all, is judged as a browser reads it.
    assert link_target(url) == "javascript"


def test_navigation_titles_are_escaped(catalog_dir: Path) -> None:
    # Material prints nav titles into every page as HTML, unescaped.
    from zofdocs import load_sources, render_site
    from zofdocs.layout import ISSUES_PAGE

    errors = catalog_dir / "errors.yml"
    text = errors.read_text()
    issue = re.search(r"^common_issues:\n  - id: .*\n    title: (.*)$", text, re.MULTILINE)
    assert issue
    errors.write_text(text.replace(issue.group(0), issue.group(0).replace(
        issue.group(1), "'<svg onload=alert(2)>'")))  # fmt: skip
    site = render_site(load_sources(catalog_dir))
    assert site.nav[ISSUES_PAGE][0][0] == "&lt;svg onload=alert(2)&gt;"


def test_a_label_the_abbreviation_syntax_cannot_hold_gets_no_tooltip(catalog_dir: Path) -> None:
    from zofdocs import load_sources, render_site

    glossary = catalog_dir / "glossary.yml"
    text = glossary.read_text()
    first = re.search(r"^  - label: (.*)$", text, re.MULTILINE)
    assert first
    glossary.write_text(text + f"  - label: 'a\\b'\n    kind: setting\n    area: {_area(text)}\n"
                        "    definition: '<img src=x onerror=alert(5)>'\n")  # fmt: skip
    site = render_site(load_sources(catalog_dir))
    assert "*[a\\b]" not in site.abbreviations
    assert all(line.startswith("*[") for line in site.abbreviations.splitlines())


def _area(glossary: str) -> str:
    found = re.search(r"^  - name: (.*)$", glossary, re.MULTILINE)
    assert found
    return found.group(1)


def test_a_runbook_page_carries_its_title_escaped(project: Path) -> None:
    # Without a title of its own, Material prints the nav title into <title> through
    # `striptags`, which turns &lt;/title&gt; back into a tag that ends it.
    from zofdocs.pipeline import build as build_site

    team = project / "runbooks" / "checkout" / "team.yml"
    text = team.read_text()
    service = re.search(r"^service: (.*)$", text, re.MULTILINE)
    assert service
    team.write_text(text.replace(service.group(0), "service: '</title><script>alert(1)</script>'"))
    site = build_site(project / "catalog", project / "runbooks", preview=True).site
    page = site.pages["runbooks/checkout.md"]
    assert page.startswith(
        '---\ntitle: "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; runbook"\n---\n'
    )


# Texts of Markdown's characters and links' parts; those the filter lets through (no `[`,
# `<` or fence) must hold no problem. The parts that do make one are drawn too, so that a
# filter that let one through would fail.
_UNOFFENDING = (
    st.lists(
        st.sampled_from(
            [
                *"]()!`~*_:/\\\n #>-.&;x[<",
                "javascript",
                "    ",
                "```",
                "~~~",
                "<data:x>",
                "](data:x)",
            ]
        ),
        max_size=30,
    )
    .map("".join)
    .filter(lambda text: not markdown._MAY_OFFEND.search(text))
)


@settings(max_examples=300, deadline=None)
@given(text=_UNOFFENDING, kind=st.sampled_from(["inline", "block"]))
def test_a_text_without_a_link_image_or_fence_marker_needs_no_parse(text: str, kind: str) -> None:
    # `problems` skips the parser for such a text: the parser must find nothing in it.
    assert markdown._parsed_problems(text, kind) == ()


def _without_tooltips(text: str) -> str:
    lines = text.rstrip("\n").split("\n")
    while lines and (lines[-1].startswith("*[") or not lines[-1]):
        lines.pop()
    return "\n".join(lines) + "\n"


def test_each_page_shows_the_tooltips_the_whole_glossary_would_give_it(
    to_html: Callable[[str], str],
) -> None:
    from zofdocs import load_sources, render_site

    site = render_site(load_sources(FIXTURE / "catalog"))
    whole = len(site.abbreviations.splitlines())
    given = []
    for path, text in site.pages.items():
        if path == GLOSSARY_PAGE:
            continue  # It defines the labels: it has no tooltips, on purpose.
        body = _without_tooltips(text)
        assert to_html(text) == to_html(f"{body}\n{site.abbreviations}\n"), path
        given.append(len(text.split("\n")) - len(body.split("\n")))
    # Pages differ in what they are given, and none is given the whole glossary.
    assert max(given) < whole, given
    assert len(set(given)) > 2, given


@pytest.mark.parametrize(
    "text",
    [
        "Open the Active runs tile.",
        "Open the Active\nruns tile.",
        "Open `Active runs` here.",
        "Open the Active\\ runs tile.",
        "Open the Active&#32;runs tile.",
        "Open **Active** runs.",
        "Open [Active runs](x.md) and Active runs.",
        "Open the active runs and Runs.",
        "Operate → Runs, Coverage, Risk",
        "Nothing of the glossary at all.",
        # The parser makes text of its own: tabs become spaces, and an admonition
        # without a title is titled by its type.
        "Open Active\truns now.",
        "- Open\tRuns\n",
        "!!! risk\n\n    Something.\n",
        "??? tests\n\n    Something.\n",
    ],
)
def test_the_tooltips_a_page_holds_are_those_the_whole_glossary_shows_there(
    to_html: Callable[[str], str], text: str
) -> None:
    from zofdocs import load_sources, render_site

    everything = render_site(load_sources(FIXTURE / "catalog")).abbreviations
    used = markdown.used_abbreviations(everything, text)
    assert to_html(f"{text}\n\n{used}\n") == to_html(f"{text}\n\n{everything}\n")
