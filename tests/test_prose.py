"""The prose scanner: what a reader reads as text, as the site renders the page.

Each construct that is not prose holds a known wrong spelling of a fixture label: the
scanner blanks it and the checker reports nothing. The same wrong spelling in each
construct that is prose is reported at its line and column. Offsets are the file's:
the prose is as long as the text, with every line break in its place.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CATALOG, ROOT
from zofdocs import load_sources, prose
from zofdocs.check import Checker, Target
from zofdocs.model import Sources
from zofdocs.prose import CodeSpan, JsonBlock, Region, ScanMemo, scan

WRONG = "Test runs"
"""A wrong spelling of the fixture label "Runs" (checked below, from the glossary)."""
ONE_WORD = "Dashboard"
"""A one-word wrong spelling (of "Home"), for places a space cannot go, such as a URL."""


@cache
def _sources() -> Sources:
    return load_sources(CATALOG)


def findings(text: str, name: str = "page.md") -> list[tuple[str, int, int]]:
    checker = Checker(_sources())
    return [(f.rule, f.line, f.column) for f in checker.check(Target(name, text))]


def blanked(text: str, word: str, name: str = "page.md") -> bool:
    """Whether every occurrence of `word` in `text` is blank in its prose."""
    prose = scan(name, text).prose
    starts = [m.start() for m in re.finditer(re.escape(word), text)]
    assert starts, f"{word!r} is not in the text"
    return all(not prose[s : s + len(word)].strip() for s in starts)


def test_the_wrong_spellings_are_the_fixtures() -> None:
    wrong = {w: label.label for label in _sources().glossary.labels for w in label.wrong_spellings}
    assert wrong[WRONG] == "Runs"
    assert wrong[ONE_WORD] == "Home"
    # Without the construct around it, each is reported: the cases below can fail (in a
    # URL, where the rules may not look for labels at all, through `blanked` alone).
    assert findings(f"Open {WRONG} now.") == [("ZOF201", 1, 6)]
    assert findings(f"Open {ONE_WORD} now.") == [("ZOF201", 1, 6)]


# (id, text, the wrong spelling it holds)
NOT_PROSE = [
    ("fence-backticks", f"Intro.\n\n```\nOpen {WRONG}.\n```\n", WRONG),
    ("fence-tildes", f"~~~text\nOpen {WRONG}.\n~~~\n", WRONG),
    ("fence-long-with-inner-ticks", f"````md\n```\n{WRONG}\n```\n````\n", WRONG),
    ("fence-in-list", f"- A step:\n\n    ```\n    Open {WRONG}.\n    ```\n", WRONG),
    ("fence-in-admonition", f'!!! note "Note"\n\n    ~~~\n    Open {WRONG}.\n    ~~~\n', WRONG),
    ("fence-json", f'```json\n{{"page": "{WRONG}"}}\n```\n', WRONG),
    ("indented-code", f"Intro.\n\n    Open {WRONG}.\n\nAfter.\n", WRONG),
    ("indented-code-in-admonition", f"!!! note\n\n    Body.\n\n        Open {WRONG}.\n", WRONG),
    ("indented-code-in-list", f"- Item.\n\n          Open {WRONG}.\n", WRONG),
    ("html-pre", f"<pre>\nOpen {WRONG}.\n\nOpen {WRONG}.\n</pre>\n\nAfter.\n", WRONG),
    ("html-comment", f"<!--\nOpen {WRONG}.\n\nOpen {WRONG}.\n-->\n", WRONG),
    ("html-div-over-blank-lines", f"<div>\n\nOpen {WRONG}.\n\n</div>\n\nAfter.\n", WRONG),
    ("html-nested-divs", f"<div>\n<div>\n\n{WRONG}\n\n</div>\n\n{WRONG}\n\n</div>\n", WRONG),
    ("html-tag-attribute", f'Open <span title="{WRONG}">it</span> now.', WRONG),
    ("html-inline-comment", f"Open it <!-- {WRONG} --> now.", WRONG),
    ("inline-code", f"Open `{WRONG}` now.", WRONG),
    ("inline-code-double-ticks", f"Open `` `{WRONG}` `` now.", WRONG),
    ("inline-code-over-line-break", "Open `the Test\nruns` now.", "Test\nruns"),
    ("link-title", f'See [the page](runs.md "{WRONG}").', WRONG),
    ("link-angle-target", f"See [the page](<{WRONG}.md>).", WRONG),
    ("link-reference", f'See [the page][runs].\n\n[runs]: runs.md "{WRONG}"\n', WRONG),
    ("image-target", f'![A chart](chart.png "{WRONG}")', WRONG),
    ("reference-definition", f'[docs]: https://example.com "{WRONG}"\n\nSee [docs].\n', WRONG),
    ("autolink", f"Open <https://example.com/?q={ONE_WORD}> now.", ONE_WORD),
    ("bare-url", f"Open https://example.com/?q={ONE_WORD} now.", ONE_WORD),
    ("front-matter", f"---\ntitle: {WRONG}\n---\n\n# Page\n", WRONG),
    ("attribute-list", f'A paragraph.\n{{: title="{WRONG}" }}\n', WRONG),
    ("heading-attribute-list", f'## Page {{ #page title="{WRONG}" }}\n', WRONG),
    ("abbreviation", f"Uses RBAC.\n\n*[RBAC]: {WRONG} and roles\n", WRONG),
    ("admonition-classes", f"!!! note {ONE_WORD}\n\n    Body.\n", ONE_WORD),
    ("admonition-classes-and-title", f'??? note {ONE_WORD} "Title"\n    Body.\n', ONE_WORD),
    ("jinja-expression", f"Open {{{{ '{WRONG}' }}}} now.", WRONG),
    ("jinja-statement", f"{{% if page == '{WRONG}' %}}yes{{% endif %}}", WRONG),
    ("jinja-comment-over-blank-line", f"{{# {WRONG}\n\n{WRONG} #}}\nText.", WRONG),
    ("jinja-in-table-cell", f"| A | B |\n| --- | --- |\n| {{{{ '{WRONG}' | x }}}} | y |\n", WRONG),
]


@pytest.mark.parametrize(
    ("text", "word"), [pytest.param(t, w, id=i) for i, t, w in NOT_PROSE]
)  # fmt: skip
def test_not_prose_is_blanked_and_reports_nothing(text: str, word: str) -> None:
    assert blanked(text, word)
    assert findings(text) == []


def test_a_template_s_statement_lines_vanish() -> None:
    # Rendered with trim_blocks and lstrip_blocks, the `{% if %}` line is gone and the
    # indented line follows a blank one: it is code. In a page, it is a paragraph's.
    text = f"Intro.\n\n{{% if x %}}\n    Open {WRONG}.\n{{% endif %}}\n"
    assert blanked(text, WRONG, "page.md.j2")
    assert findings(text, "page.md.j2") == []
    assert findings(text) == [("ZOF201", 4, 10)]


# (id, text, where the wrong spelling is reported)
PROSE = [
    ("paragraph", f"Open {WRONG} now.", (1, 6)),
    ("paragraph-second-line", f"Open the page\nwith {WRONG} now.", (2, 6)),
    ("paragraph-split-over-line-break", "Open the Test\nruns page.", (1, 10)),
    ("heading", f"## Open {WRONG}", (1, 9)),
    ("heading-closed", f"## Open {WRONG} ##", (1, 9)),
    ("heading-setext", f"Open {WRONG}\n----------------", (1, 6)),
    ("list-item", f"- Open {WRONG} now.", (1, 8)),
    ("list-item-ordered", f"1. Open {WRONG} now.", (1, 9)),
    ("list-item-second-paragraph", f"- Item.\n\n    Open {WRONG} now.", (3, 10)),
    ("list-item-nested", f"- Item.\n    - Open {WRONG} now.", (2, 12)),
    ("table-cell", f"| A | B |\n| --- | --- |\n| x | Open {WRONG} |", (3, 12)),
    ("table-header-cell", f"| {WRONG} | B |\n| --- | --- |\n| x | y |", (1, 3)),
    ("table-cell-after-code", f"| A | B |\n| --- | --- |\n| `x` | {WRONG} |", (3, 9)),
    ("admonition-title", f'!!! note "Open {WRONG}"\n\n    Body.', (1, 16)),
    ("admonition-body", f'!!! note "Note"\n\n    Open {WRONG} now.', (3, 10)),
    ("admonition-body-right-under-title", f"!!! warning\n    Open {WRONG} now.", (2, 10)),
    ("admonition-body-second-paragraph", f"!!! note\n\n    Body.\n\n    {WRONG}.", (5, 5)),
    ("details-title", f'??? tip "Open {WRONG}"\n    Body.', (1, 15)),
    ("details-open-body", f"???+ tip\n    Open {WRONG}.", (2, 10)),
    ("admonition-in-list", f"- Item.\n\n    !!! note\n\n        Open {WRONG}.", (5, 14)),
    ("blockquote", f"> Open {WRONG} now.", (1, 8)),
    ("blockquote-lazy-line", f"> Open the page\nwith {WRONG} now.", (2, 6)),
    ("bold", f"Open **{WRONG}** now.", (1, 8)),
    ("emphasis", f"Open *{WRONG}* now.", (1, 7)),
    ("link-text", f"Open [{WRONG}](runs.md) now.", (1, 7)),
    ("link-text-reference", f"Open [{WRONG}][r] now.\n\n[r]: runs.md", (1, 7)),
    ("definition", f"Runs\n:   Open {WRONG} now.", (2, 10)),
    ("definition-second-paragraph", f"Runs\n:   Every run.\n\n    Open {WRONG}.", (4, 10)),
    ("markdown-in-html", f"<div markdown>\n\nOpen {WRONG} now.\n\n</div>", (3, 6)),
    ("markdown-in-html-tight", f'<div class="x" markdown="1">\nOpen {WRONG} now.\n</div>', (2, 6)),
    ("after-raw-html", f"<div>\nx\n</div>\nOpen {WRONG} now.", (4, 6)),
    ("after-fence", f"```\ncode\n```\nOpen {WRONG} now.", (4, 6)),
    ("after-front-matter", f"---\ntitle: Page\n---\n\nOpen {WRONG} now.", (5, 6)),
    ("around-inline-code", f"Use `x` with {WRONG} now.", (1, 14)),
    ("after-jinja", f"{{{{ x }}}} Open {WRONG} now.", (1, 14)),
]


@pytest.mark.parametrize(
    ("text", "where"), [pytest.param(t, w, id=i) for i, t, w in PROSE]
)  # fmt: skip
def test_prose_is_reported_where_it_is(text: str, where: tuple[int, int]) -> None:
    assert findings(text) == [("ZOF201", *where)]


def test_a_template_s_loop_rows_are_table_cells() -> None:
    text = (
        "| Name | Where |\n| --- | --- |\n{% for x in rows %}\n"
        f"| {{{{ x.name | cell }}}} | Open {WRONG} |\n{{% endfor %}}\n"
    )
    assert findings(text, "rows.md.j2") == [("ZOF201", 4, 30)]
    kinds = [r.kind for r in scan("rows.md.j2", text).regions]
    assert kinds == ["table cell"] * 4


def test_ignored_line_reports_nothing() -> None:
    text = f"Open {WRONG}. <!-- zofdocs-check: ignore -->\nOpen {WRONG}."
    assert findings(text) == [("ZOF201", 2, 6)]
    assert scan("page.md", text).ignored == {1}


def test_code_spans_and_linked_code() -> None:
    text = "| `a` | [`rate_limited`](codes/rate_limited.md) |\n|---|---|\n\n> `b`\n`` c`d ``"
    doc = scan("page.md", text)
    assert doc.spans == [
        CodeSpan(3, "a", False),
        CodeSpan(10, "rate_limited", True),
        CodeSpan(64, "b", False),
        CodeSpan(69, " c`d ", False),
    ]
    for span in doc.spans:
        assert text[span.offset : span.offset + len(span.content)] == span.content
    assert findings("[`missing_api_key`](codes/missing_api_key.md)") == []
    assert findings("Use `missing_api_key`.") == [("ZOF102", 1, 6)]


def test_json_blocks_anywhere_with_their_offsets() -> None:
    top = '```json\n{"a": 1}\n```\n'
    nested = '!!! example\n\n    ```json\n    {"b": 2}\n    ```\n'
    unclosed = '- x\n\n  ```JSON\n  {"c": 3}\n'
    assert scan("page.md", top).json_blocks == [JsonBlock(8, '{"a": 1}\n')]
    assert scan("page.md", nested).json_blocks == [JsonBlock(25, '    {"b": 2}\n')]
    assert scan("page.md", unclosed).json_blocks == [JsonBlock(15, '  {"c": 3}\n')]
    assert scan("page.md", "```text\n{}\n```").json_blocks == []
    bad = (
        '!!! example\n\n    ```json\n    {"error": {"code": "rate_limted", "message": "x"}}\n'
        "    ```"
    )
    assert findings(bad) == [("ZOF101", 4, 16)]


def test_regions_and_their_kinds() -> None:
    text = (
        "# Title\n\nA paragraph.\n\n- An item.\n\n> A quote.\n\n| A | B |\n|---|---|\n\n"
        '!!! note "A title"\n    A body.\n\nTerm\n:   A definition.\n'
    )
    doc = scan("page.md", text)
    assert [(r.kind, text[r.start : r.end]) for r in doc.regions] == [
        ("heading", "Title"),
        ("paragraph", "A paragraph."),
        ("list item", "An item."),
        ("blockquote", "A quote."),
        ("table cell", "A"),
        ("table cell", "B"),
        ("admonition title", "A title"),
        ("admonition", "A body."),
        ("paragraph", "Term"),
        ("definition", "A definition."),
    ]


def test_block_markers_stay_as_the_edges_of_text() -> None:
    # A blank in place of `|` or a bullet would join two cells or two items into one run
    # of text, and "Admin | Centre" into the wrong spelling "Admin Centre".
    assert findings("| Admin | Centre |\n| --- | --- |\n| x | y |") == []
    assert findings("- Admin\n- Centre") == []
    prose = scan("page.md", "| a | b |\n| --- | --- |\n").prose
    assert prose == "| a | b |\n             \n"


@pytest.mark.parametrize("path", sorted((ROOT / "tools/zofdocs/templates").glob("*.j2")))
def test_templates_have_no_findings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert findings(text, f"tools/zofdocs/templates/{path.name}") == []


# Property: offsets are the file's, and each snippet is prose or not as its own, whatever
# surrounds it. A snippet holds `{w}` where a unique word goes, and whether it is prose.
SNIPPETS = [
    ("Plain {w} text.", True),
    ("Two lines, {w}\nand more.", True),
    ("# Heading {w}", True),
    ("Setext {w}\n=========", True),
    ("- item {w}\n- other", True),
    ("1. first\n2. second {w}", True),
    ("- item\n\n    more {w}", True),
    ("> quote {w}", True),
    ("| a | b |\n| --- | --- |\n| {w} | `c` |", True),
    ('!!! note "Title {w}"\n    Body.', True),
    ("!!! note\n\n    Body {w}.", True),
    ("???+ tip\n    Body {w}.", True),
    ("Term\n:   Definition {w}.", True),
    ("**Bold {w}** and *em*", True),
    ("[Link {w}](x.md)", True),
    ("<div markdown>\n\nInside {w}.\n\n</div>", True),
    ("```\ncode {w}\n```", False),
    ("~~~python\ncode {w}\n~~~", False),
    ("    indented {w}", False),
    ("!!! note\n\n        code {w}", False),
    ("<pre>\n{w}\n\n{w}\n</pre>", False),
    ("<!--\n{w}\n\n-->", False),
    ("<div>\n\n{w}\n\n</div>", False),
    ("Inline `{w}` code.", False),
    ('Tag <span title="{w}">x</span>.', False),
    ("Link [text](x/{w}.md).", False),
    ("Auto <https://e.com/{w}>.", False),
    ("Bare https://e.com/{w} URL.", False),
    ("Attr.\n{{: .{w} }}", False),
    ("*[ABBR]: {w}", False),
    ("Jinja {{{{ {w} }}}} here.", False),
    ("Jinja {{% if {w} %}}x{{% endif %}}", False),
    ("{{# {w} #}}", False),
    ("[ref-{w}]: https://e.com", False),
]
_SEPARATOR = "\n\nSeparator.\n\n"  # Ends lists, quotes and admonitions between snippets.


def _document(picks: list[int]) -> tuple[str, list[tuple[str, bool]]]:
    parts, words = [], []
    for n, index in enumerate(picks):
        snippet, prose = SNIPPETS[index]
        word = f"Qz{n}q"
        parts.append(snippet.format(w=word))
        words.append((word, prose))
    return _SEPARATOR.join(parts), words


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, len(SNIPPETS) - 1), min_size=1, max_size=8))
def test_each_snippet_is_prose_or_not_whatever_surrounds_it(picks: list[int]) -> None:
    text, words = _document(picks)
    prose = scan("page.md", text).prose
    for word, expected in words:
        for match in re.finditer(word, text):
            seen = prose[match.start() : match.end()]
            assert (seen == word) is expected, (word, expected, text, prose)
            assert seen in (word, " " * len(word))


_PIECES = [
    *(snippet.format(w="word") for snippet, _ in SNIPPETS),
    "```",
    "~~~",
    "    ",
    "\t",
    "> ",
    "- ",
    "1. ",
    "!!! ",
    "???+ ",
    ":   ",
    "|",
    "`",
    "``",
    "<div>",
    "</div>",
    "<pre>",
    "<!--",
    "-->",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "---",
    "[",
    "](",
    ")",
    "*",
    "\\",
    "\r",
    "\n",
    "\n\n",
    "Admin Centre",
    '"',
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
    st.sampled_from(["page.md", "page.md.j2"]),
)
def test_offsets_are_the_file_s(text: str, name: str) -> None:
    doc = scan(name, text)
    assert len(doc.prose) == len(doc.text)
    for kept, written in zip(doc.prose, text, strict=True):
        assert kept == written or (kept == " " and written != "\n")
    for span in doc.spans:
        assert text[span.offset : span.offset + len(span.content)] == span.content
    for block in doc.json_blocks:
        assert text[block.offset : block.offset + len(block.content)] == block.content
    for region in doc.regions:
        assert 0 <= region.start <= region.end <= len(text)


# The shortcuts: a memo of blocks, and inline content read without the parser. Each must
# give what scanning the whole file, and the parser itself, give.

_MEMO = ScanMemo()
"""One memo for every example, so that blocks of one document come back in others."""

_BLOCKS = [
    *_PIECES,
    "\n\nword",
    "\n\n- ",
    "\n\n1. ",
    "\n\n```json\n",
    "\n\n<pre>\n",
    "\n\n|a|b|\n|-|-|\n",
    "\n\n!!! note\n    ",
    "\n\n*[A]: b\n*[B]: c",
    "\n\n\n",
    "[a](b)",
    "![a](b)",
    "[`c`](d)",
    "[r]",
    "\n\n[r]: /u\n",
    "{: .c }",
    "<https://e.com>",
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(_BLOCKS), max_size=40).map("".join),
    st.sampled_from(["page.md", "page.md.j2"]),
)
def test_a_memo_of_blocks_scans_as_the_whole_file(text: str, name: str) -> None:
    whole = scan(name, text)
    assert scan(name, text, _MEMO) == whole
    assert scan(name, text, ScanMemo()) == whole


@pytest.mark.parametrize(
    ("text", "json_blocks"),
    [
        # A list item's fence, open to the end of the file: the blank lines after it,
        # and the abbreviations the pre-pass took out, are in the block.
        ("1. ```json\n\n\n*[RBAC]: Role-based access control.", [JsonBlock(11, "\n\n")]),
        # Open to the line at the left margin that ends the item.
        ("1. ```json\n\n\nText.", [JsonBlock(11, "\n\n")]),
        # Open to the end of the file, over the blank line and the paragraph after it.
        ("```json\n{}\n\nText.\n", [JsonBlock(8, "{}\n\nText.\n")]),
    ],
)
def test_a_block_left_open_is_read_to_its_end(text: str, json_blocks: list[JsonBlock]) -> None:
    assert scan("page.md", text).json_blocks == json_blocks
    assert scan("page.md", text, ScanMemo()).json_blocks == json_blocks


def test_raw_html_that_ends_on_an_abbreviation_leaves_the_next_one_out() -> None:
    text = "<div>x\n\n*[A]: b</div>\n*[A]: c\n\nText."
    for doc in (scan("page.md", text), scan("page.md", text, ScanMemo())):
        assert doc.prose == "      \n\n             \n       \n\nText."
        assert doc.regions == [Region(31, 36, "paragraph")]


def test_abbreviations_in_a_fence_stay_and_after_it_go() -> None:
    text = "```json\n*[A]: b\n*[B]: c\n```\n*[C]: d\n*[D]: e\nText."
    for doc in (scan("page.md", text), scan("page.md", text, ScanMemo())):
        assert doc.json_blocks == [JsonBlock(8, "*[A]: b\n*[B]: c\n")]
        assert doc.prose.endswith(" " * 7 + "\n" + " " * 7 + "\nText.")


def test_a_reference_defined_below_is_a_link_above() -> None:
    text = 'See [the runs][r] and [`c`](d) and ![`e`](f).\n\n[r]: /u "Test runs"\n'
    memo = ScanMemo()
    scan("other.md", "See [the runs][r] and [`c`](d) and ![`e`](f).\n", memo)
    for doc in (scan("page.md", text), scan("page.md", text, memo)):
        assert doc.prose.startswith("See [the runs]    and [   ]    and ![`e`]   .\n\n ")
        assert doc.spans == [CodeSpan(24, "c", linked=True)]


_INLINE = [
    "[", "]", "(", ")", "![", "](", "!", "`", "``", "a", "b c", " ", "\n", "x.md", "<", "\\",
    "[a](b)", "[`c`](d)", "![`c` e](f)", "`[`", "]`", "{x}", "*",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_INLINE), min_size=1, max_size=16).map("".join))
def test_simple_inline_content_reads_as_the_parser_reads_it(content: str) -> None:
    # The shortcut's private parts, against the parser's: both are the module's own.
    simple = prose._simple_inline(content)
    if simple is None:
        return  # Left to the parser.
    marks = prose._Marks(content)
    md = prose._parser()
    md.inline.parse(content, md, {"references": {}, prose._RECORD: marks}, [])
    assert marks.other == []
    assert (sorted(simple[0]), sorted(simple[1])) == (sorted(marks.code), sorted(marks.links))
