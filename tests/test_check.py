"""The checker: a corpus of seeded mistakes, each with its rule, line and column; no
false alarms on the repository, in code or in URLs; output formats and exit statuses."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CATALOG, ROOT
from zofdocs import load_sources
from zofdocs.check import Checker, CheckMemo, Target, check_site, rule_examples
from zofdocs.checks import context
from zofdocs.checks.context import ENGLISH_MIN_COUNT, Piece, cut
from zofdocs.cli import main
from zofdocs.errors import Problem
from zofdocs.findings import RULES, finding
from zofdocs.model import Sources
from zofdocs.pipeline import render as render_site
from zofdocs.suggest import edit_distance, within


@cache
def checker_sources() -> object:
    return load_sources(CATALOG)


def check(text: str) -> list[tuple[str, int, int]]:
    checker = Checker(load_sources(CATALOG))
    return [(f.rule, f.line, f.column) for f in checker.check(Target("page.md", text))]


# (id, Markdown with one mistake, [(rule, line, column)])
MISTAKES = [
    ("wrong-spelling", "Open the Admin Centre.", [("ZOF201", 1, 10)]),
    ("wrong-spelling-british", "The organisation owns keys.", [("ZOF201", 1, 5)]),
    ("wrong-case-abbrev", "Configure Sso first.", [("ZOF202", 1, 11)]),
    ("wrong-case-plural", "Rotate it under API Keys.", [("ZOF202", 1, 17)]),
    ("wrong-spelling-identifier", "Send the org ID to support.", [("ZOF201", 1, 10)]),
    ("wrong-spelling-permission", "It needs run:create to start.", [("ZOF201", 1, 10)]),
    ("wrong-spelling-short-env", "Deploy to prod after staging.", [("ZOF201", 1, 11)]),
    ("wrong-case-multiword", "See the Quality Areas page.", [("ZOF202", 1, 9)]),
    ("wrong-case-tile", "Check Active Runs first.", [("ZOF202", 1, 7)]),
    ("wrong-case-mid-sentence", "Use the Staging project.", [("ZOF202", 1, 9)]),
    ("wrong-case-in-bold", "Deploy to **Production** first.", [("ZOF202", 1, 13)]),
    ("wrong-case-in-brackets", "Deploy there (Production) first.", [("ZOF202", 1, 15)]),
    ("wrong-case-wrapped-line", "Deploy to the\nProduction site.", [("ZOF202", 2, 1)]),
    ("fence-backticks-stay-inline", "```bash```\nOpen the Admin Centre.", [("ZOF201", 2, 10)]),
    ("wrong-case-identifier", "Copy the Environment ID here.", [("ZOF202", 1, 10)]),
    ("label-split-across-lines", "Open the Admin\nCentre to rotate.", [("ZOF201", 1, 10)]),
    ("no-label-across-a-paragraph", "Open the Admin\n\nCentre to rotate.", []),
    ("no-label-across-code", "Open the Admin `x` Centre to rotate.", []),
    ("wrong-spelling-split-in-list", "- check the Quality\n  Areas page", [("ZOF202", 1, 13)]),
    ("bold-near-label", "Open **Admin Centr** first.", [("ZOF203", 1, 8)]),
    # Found by a new user (issue 13): each was missed, or reported twice.
    ("variant-in-another-case", "Open the Admin centre to rotate.", [("ZOF201", 1, 10)]),
    ("bold-wrong-spelling-in-another-case", "Open **Quality Area** first.", [("ZOF201", 1, 8)]),
    ("title-case-label-lowercase-split", "Open the admin\ncenter to rotate.", [("ZOF202", 1, 10)]),
    ("typo-in-prose", "Open the Admin Cener to rotate.", [("ZOF203", 1, 10)]),
    ("abbreviation-in-label-lowercase", "Paste the api key here.", [("ZOF202", 1, 11)]),
    ("made-up-code-bare", "Retry on rate_limted after a pause.", [("ZOF101", 1, 10)]),
    ("path-step-wrong-spelling-once", "Open Operate → Test Runs now.", [("ZOF201", 1, 16)]),
    ("wrong-spelling-in-path-once", "Open Admin Centre → RBAC now.", [("ZOF201", 1, 6)]),
    ("path-step-unknown", "Open **Admin Center → API kes**.", [("ZOF203", 1, 23)]),
    ("path-wrong-parent", "Open **Quality areas → Runs**.", [("ZOF204", 1, 8)]),
    ("path-wrong-parent-plain", "It lives at Home → Runs today.", [("ZOF204", 1, 13)]),
    # An arrow at a path's end starts or ends no step; these once crashed the checker.
    ("path-arrow-first", "→ Home → Runs today.", [("ZOF204", 1, 3)]),
    ("path-arrow-last", "It lives at Home → Runs →", [("ZOF204", 1, 13)]),
    ("path-arrows-doubled", "It lives at Home → → Runs.", []),
    # Its place is in the text as written, where two spaces are two columns.
    ("path-arrow-first-spaces", "→  Home → Runs today.", [("ZOF204", 1, 4)]),
    ("path-after-two-spaces", "It lives at  Home → Runs today.", [("ZOF204", 1, 14)]),
    ("path-separator-gt", "Open **Admin Center > API keys**.", [("ZOF205", 1, 8)]),
    ("path-separator-ascii-arrow", "Open Admin Center -> RBAC now.", [("ZOF205", 1, 6)]),
    ("path-separator-guillemet", "Open Operate » Runs now.", [("ZOF205", 1, 6)]),
    ("unknown-code-inline", "Branch on `invalid_reqest`.", [("ZOF101", 1, 12)]),
    ("unknown-code-inline-typo", "Retry on `rate_limted`.", [("ZOF101", 1, 11)]),
    ("deprecated-code", "Branch on `missing_api_key`.", [("ZOF102", 1, 12)]),
    ("unknown-status-http", "The API answers HTTP 418.", [("ZOF103", 1, 17)]),
    ("unknown-status-phrase", "Expect 418 I'm A Teapot.", [("ZOF103", 1, 8)]),
    ("wrong-status-text-case", "Back off on 429 Too many requests.", [("ZOF104", 1, 17)]),
    ("wrong-status-text", "It fails with 404 Forbidden.", [("ZOF104", 1, 19)]),
    ("wrong-status-text-http", "HTTP 500 Server Error is transient.", [("ZOF104", 1, 10)]),
    (
        "json-unknown-code",
        '```json\n{"error": {"code": "rate_limted", "message": "x"}}\n```',
        [("ZOF101", 2, 12)],
    ),
    (
        "json-bad-param",
        '```json\n{"error": {"code": "invalid_request", "message": "x", "param": "colour"}}\n```',
        [("ZOF303", 2, 55)],
    ),
    (
        "json-param-on-code-without-params",
        '```json\n{"error": {"code": "rate_limited", "message": "x", "param": "x"}}\n```',
        [("ZOF303", 2, 52)],
    ),
    (
        "json-unknown-key",
        '```json\n{"error": {"code": "rate_limited", "message": "x", "detail": "y"}}\n```',
        [("ZOF302", 2, 52)],
    ),
    (
        "json-missing-message",
        '```json\n{"error": {"code": "rate_limited"}}\n```',
        [("ZOF302", 2, 2)],
    ),
    (
        "json-extra-top-level-key",
        '```json\n{"error": {"code": "rate_limited", "message": "x"}, "status": 429}\n```',
        [("ZOF302", 2, 53)],
    ),
    (
        "json-does-not-parse",
        '```json\n{"error": {"code": "rate_limited",}}\n```',
        [("ZOF301", 2, 35)],
    ),
    (
        "json-in-indented-fence",
        '- step\n\n    ```json\n    {"error": {"code": "nope_nope", "message": "x"}}\n    ```',
        [("ZOF101", 4, 16)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in MISTAKES])
def test_seeded_mistake(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert check(text) == expected


def test_corpus_is_large_and_covers_every_document_rule() -> None:
    assert len(MISTAKES) >= 30
    assert len({name for name, _, _ in MISTAKES}) == len(MISTAKES)
    seeded = {rule for _, _, expected in MISTAKES for rule, _, _ in expected}
    per_document = {r for r in RULES if r not in ("ZOF001", "ZOF206", "ZOF401")}
    assert seeded == per_document


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("```\nOpen the Admin Centre; HTTP 418; `invalid_reqest`\n```", id="fence"),
        pytest.param("~~~text\nAdmin Centre\n~~~", id="tilde-fence"),
        pytest.param("Run `Admin Centre` in code.", id="inline-code"),
        pytest.param("See https://example.com/Admin-Centre/418 for more.", id="bare-url"),
        pytest.param("See [the docs](https://example.com/Admin%20Centre).", id="link-target"),
        pytest.param("<https://example.com/HTTP 418>", id="autolink"),
        pytest.param("<!-- Admin Centre -->", id="html-comment"),
        pytest.param('<span title="Admin Centre">x</span>', id="html-attribute"),
        pytest.param("*[RBAC]: Roles and permissions, Admin Centre", id="abbreviation"),
        pytest.param("---\ntitle: Admin Centre\n---\n# Page", id="front-matter"),
        pytest.param("{{ 'Admin Centre' }} {% if x == 'HTTP 418' %}x{% endif %}", id="jinja"),
        pytest.param("Open the Admin Centre. <!-- zofdocs-check: ignore -->", id="ignored"),
        pytest.param("Staging comes first. Audit too.", id="sentence-start-case"),
        pytest.param("the admin role and next actions", id="ordinary-lowercase"),
        pytest.param("Retry after 429 requests, or 500 ms.", id="numbers-not-statuses"),
        pytest.param("A 401 after key rotation.", id="status-then-prose"),
        pytest.param("Use `project_id`, `environment_id` and `error.param`.", id="params"),
        pytest.param("Open **Admin Center → API keys**, then **Retry:** it.", id="good-path"),
        pytest.param("[`missing_api_key`](codes/missing_api_key.md)", id="deprecated-link"),
        pytest.param("Set the key in staging/production, for QA/admin.", id="slash"),
        pytest.param("It returns HTTP 200, or 201 Created.", id="success-status"),
        pytest.param("Pages flow YAML → Jinja → MkDocs.", id="arrow-not-a-path"),
        pytest.param("Mail help@example.org or see example.org.", id="domain"),
        pytest.param("```bash```\nthe rest\n", id="backticks-in-info-string"),
        pytest.param(
            "Use `invalid_api_key`, not `missing_api_key`.", id="deprecated-with-replacement"
        ),
    ],
)
def test_no_false_alarm(text: str) -> None:
    assert check(text) == []


def test_rule_examples_catch_their_rule_and_fixes_are_clean() -> None:
    sources = load_sources(CATALOG)
    examples = rule_examples(sources)
    checker = Checker(sources)
    for rule in RULES.values():
        if rule.bad.startswith("("):
            assert rule.id in ("ZOF001", "ZOF206", "ZOF401")
            continue
        assert examples[rule.id], f"{rule.id}'s example does not trigger it"
        fixed = checker.check(Target("fixed.md", rule.good + "\n"))
        assert fixed == [], f"{rule.id}'s fix still has findings: {fixed}"


@pytest.fixture
def repo(project: Path) -> Path:
    return project


def test_fixture_project_has_no_findings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.shipped
def test_shipped_repository_has_no_findings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check"]) == 0
    assert capsys.readouterr().out == ""


def test_findings_exit_1_with_exact_text(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = repo / "docs" / "guide.md"
    page.write_text(page.read_text() + "\nOpen the Admin Centre.\n")
    lines = page.read_text().count("\n")
    assert main(["check"]) == 1
    assert capsys.readouterr().out == (
        f"docs/guide.md:{lines}:10: ZOF201 'Admin Centre' is a wrong spelling of the "
        "Console label 'Admin Center' (hint: write 'Admin Center')\n"
    )


def test_json_and_github_formats(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "page.md").write_text("Open the Admin Centre.\n")
    assert main(["check", "page.md", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {
            "path": "page.md",
            "line": 1,
            "column": 10,
            "rule": "ZOF201",
            "name": "wrong-spelling",
            "severity": "error",
            "message": "'Admin Centre' is a wrong spelling of the Console label 'Admin Center'",
            "hint": "write 'Admin Center'",
            "fix": {"start": 9, "end": 21, "text": "Admin Center"},
        }
    ]
    assert main(["check", "page.md", "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        "::error file=page.md,line=1,col=10,title=ZOF201 wrong-spelling::'Admin Centre' is a "
        "wrong spelling of the Console label 'Admin Center' (hint: write 'Admin Center')\n"
    )


def test_bad_input_and_usage_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "no-such.md"]) == 2
    assert capsys.readouterr().err == "no-such.md: no such file or folder\n"
    assert main(["check", "--format", "xml"]) == 2
    (repo / "catalog" / "errors.yml").write_text("statuses: 1\n")
    assert main(["check"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_unused_label_is_a_warning(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    glossary = repo / "catalog" / "glossary.yml"
    glossary.write_text(
        glossary.read_text() + "  - label: Flaky tests\n    kind: page\n    area: Quality areas\n"
        "    definition: Tests that pass and fail on the same code.\n"
    )
    line = glossary.read_text().count("\n") - 3
    assert main(["check"]) == 0, "a warning alone does not fail the check"
    assert capsys.readouterr().out == (
        f"catalog/glossary.yml:{line}:5: ZOF206 the label 'Flaky tests' is used on no page "
        "(hint: use it, or remove the entry)\n"
    )


def test_stale_runbook_is_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    errors = repo / "catalog" / "errors.yml"
    errors.write_text(errors.read_text().replace("Poll less often", "Poll more rarely"))
    assert main(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        "runbooks/checkout/runbook.md: ZOF401 runbook is stale "
        "(hint: run 'zofdocs runbook update checkout')"
    ) in out


def test_generated_page_findings_name_the_page(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = repo / "catalog" / "errors.yml"
    text = errors.read_text().replace(
        "description: >-\n      The key sent more requests",
        "description: >-\n      The Admin Centre key sent more requests",
    )
    errors.write_text(text)
    for team in ("checkout", "mobile", "platform"):
        assert main(["runbook", "update", team, "--take-generated"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "generated/errors/codes/rate_limited.md:11:5: ZOF201 'Admin Centre'" in out


def test_finding_orders_by_place() -> None:
    a = finding("a.md", 2, 1, "ZOF201", "x")
    b = finding("a.md", 10, 1, "ZOF201", "x")
    assert sorted([b, a]) == [a, b]


def test_generated_folder_checks_clean(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--out", "generated"]) == 0
    capsys.readouterr()
    assert main(["check", "generated"]) == 0, "a code's own page may name it, deprecated or not"
    assert capsys.readouterr().out == ""


def test_a_page_that_is_not_utf8_is_named_at_its_bad_byte(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = repo / "docs" / "guide.md"
    page.write_bytes(page.read_bytes() + b"\nCaf\xe9 au lait.\n")
    line = page.read_bytes().count(b"\n")
    for args in (["check"], ["check", "docs/guide.md"]):
        assert main(args) == 2
        assert capsys.readouterr().err == (
            f"docs/guide.md:{line}:4: invalid UTF-8 byte 0xe9 (hint: save the file as UTF-8)\n"
        )


def test_a_byte_order_mark_before_front_matter_changes_no_verdict(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # MkDocs reads pages without their byte-order mark; so does the checker, or the front
    # matter below would be read as prose and its misspelling reported.
    page = repo / "docs" / "guide.md"
    text = "---\ntitle: The Admin Centre, as a title\n---\n" + page.read_text()
    page.write_text(text)
    assert main(["check", "docs/guide.md"]) == 0
    page.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert main(["check", "docs/guide.md"]) == 0
    assert main(["check"]) == 0
    assert capsys.readouterr().out == ""


def test_any_label_the_glossary_accepts_is_recognised() -> None:
    # Labels that start with a digit or a letter outside ASCII, or hold / & ' + |, were
    # never found in prose: each was "used on no page" (ZOF206), and miscased went by.
    import dataclasses

    from zofdocs.model import Glossary, Label

    sources = load_sources(CATALOG)
    area = sources.glossary.labels[0].area
    names = ["2FA", "CI/CD", "C++ (beta)", "Éclair", "Q&A board", "Ops' view", "A|B test"]
    made = [Label(n, "page", area, None, f"The {n} page.", None, ()) for n in names]
    labels = (*sources.glossary.labels, *made)
    glossary = Glossary(sources.glossary.areas, labels)
    checker = Checker(dataclasses.replace(sources, glossary=glossary))
    text = "Turn on 2FA, then CI/CD. C++ (beta) and Éclair; the Q&A board, Ops' view, A|B test.\n"
    assert checker.check(Target("page.md", text)) == []
    assert all(checker.used[name] == 1 for name in names), checker.used
    # As a generated page writes them, escaped for Markdown: still the labels, used.
    escaped = "Open C\\+\\+ \\(beta\\), the Q&A board and A\\|B test.\n"
    assert checker.check(Target("page.md", escaped)) == []
    assert [checker.used[n] for n in ("C++ (beta)", "Q&A board", "A|B test")] == [2, 2, 2]
    found = checker.check(Target("page.md", "Turn on 2fa and ci/cd, then open the éclair.\n"))
    assert [(f.rule, f.column, f.fix[2] if f.fix else None) for f in found] == [
        ("ZOF202", 9, "2FA"),
        ("ZOF202", 17, "CI/CD"),
    ]


def test_a_memo_checks_again_only_what_changed_and_finds_the_same() -> None:
    sources = load_sources(CATALOG)
    site = render_site(sources)
    pages = dict(site.pages)
    glossary_file = CATALOG / "glossary.yml"

    def run(memo: CheckMemo | None, source: Sources = sources) -> list[Problem]:
        return check_site(source, pages, [], glossary_file, memo=memo)

    memo = CheckMemo()
    assert run(memo) == run(None)
    assert memo.checked == len(pages)
    assert run(memo) == run(None)
    assert memo.checked == 0, "nothing changed: every page's findings are kept"

    # One page changes, with a mistake: it alone is checked, and its finding is found.
    page = next(path for path in pages if path.startswith("errors/codes/"))
    pages[page] += "\nOpen the Admin Centre.\n"
    found = run(memo)
    assert memo.checked == 1
    assert found == run(None)
    assert any("'Admin Centre'" in f.message for f in found)

    # A code renamed changes what every page may name: everything is checked again.
    codes = sources.catalog.codes
    renamed = dataclasses.replace(codes[0], code=codes[0].code + "_renamed")
    catalog = dataclasses.replace(sources.catalog, codes=(renamed, *codes[1:]))
    changed = dataclasses.replace(sources, catalog=catalog)
    assert run(memo, changed) == run(None, changed)
    assert memo.checked == len(pages)
    # A code's title is not something a rule reads: the fingerprint stays.
    retitled = dataclasses.replace(codes[0], title="Another title")
    catalog = dataclasses.replace(sources.catalog, codes=(retitled, *codes[1:]))
    assert (
        Checker(dataclasses.replace(sources, catalog=catalog)).fingerprint
        == Checker(sources).fingerprint
    )


# The checker's shortcuts: blocks of Markdown and pieces of prose kept from one document
# for the next, and the prose read piece by piece. Each must find what the checker finds
# without them.


class _Whole(Checker):
    """The checker without its shortcuts: each document scanned whole, its prose read as
    one piece, nothing kept from one document for the next."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.scan_memo = None

    def pieces(self, prose: str) -> list[Piece]:
        return [Piece(0, prose, {})]


class _Rows(Checker):
    """The checker cutting every table between its rows, however short."""

    def pieces(self, prose: str) -> list[Piece]:
        starts = cut(prose, rows_over=0)
        ends = [*starts[1:], len(prose)]
        return [Piece(a, prose[a:b], {}) for a, b in zip(starts, ends, strict=True)]


@cache
def _checkers() -> tuple[Checker, Checker, Checker]:
    """A checker with its shortcuts, kept over every example, and the two above."""
    sources = load_sources(CATALOG)
    return Checker(sources), _Whole(sources), _Rows(sources)


_Found = tuple[list[tuple[str, tuple[int, int, str] | None]], list[str]]


def _found(checker: Checker, target: Target) -> _Found:
    """The findings, with their fixes, and the labels counted as used."""
    used = checker.used.copy()
    found = [(str(f), f.fix) for f in checker.check(target)]
    return found, sorted((checker.used - used).elements())


_FRAGMENTS = [
    *(text for _, text, _ in MISTAKES),
    "| Admin Centre | Test runs |\n| --- | --- |\n| 429 Too many requests | `rate_limted` |",
    "| a | b |\n| --- | --- |\n| Open the Admin | Cener |",
    "Open the Admin\n\nCener now.",
    "- Open **Admin Center → API kes**\n- Quality Areas",
    "[Admin Centre](x.md) and ![Test runs](y.png) `Admin Centre`",
    '!!! note "Admin Centre"\n    Test runs here.',
    '```json\n{"error": {"code": "rate_limted", "message": "x"}}\n```',
    "*[RBAC]: Admin Centre",
    "{{ 'Admin Centre' }}",
    "Runs",
    "runs",
    "Project",
    "HTTP",
    "418",
    "→",
    "**",
    "`",
    "|",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_FRAGMENTS), st.sampled_from(["\n", "\n\n", " ", "\n\n\n", "\n \n"])
        ),
        min_size=1,
        max_size=12,
    ).map(lambda parts: "".join(a + b for a, b in parts)),
    st.sampled_from(["page.md", "page.md.j2"]),
)
def test_the_shortcuts_find_what_the_checker_without_them_finds(text: str, name: str) -> None:
    fast, whole, rows = _checkers()
    target = Target(name, text, "errors/codes/rate_limited.md")
    expected = _found(whole, target)
    assert _found(fast, target) == expected
    assert _found(rows, target) == expected
    assert "".join(piece.text for piece in fast.pieces(text)) == text


def test_the_shortcuts_find_what_the_checker_without_them_finds_on_a_site() -> None:
    fast, whole, rows = _checkers()
    assert not any("|" in form for form in (*fast.labels, *fast.wrong))  # For `_Rows`.
    site = render_site(load_sources(CATALOG))
    documents = [Target("generated/" + path, text, path) for path, text in site.pages.items()]
    documents += [Target(f"{i}.md", text) for i, text, _ in MISTAKES]
    found = [_found(fast, target) for target in documents]
    assert found == [_found(whole, target) for target in documents]
    assert found == [_found(rows, target) for target in documents]
    assert any(findings for findings, _ in found)


@settings(max_examples=1000, deadline=None)
@given(st.text("abc", max_size=7), st.text("abc", max_size=7), st.integers(0, 3))
def test_within_is_the_edit_distance_at_most(a: str, b: str, limit: int) -> None:
    assert within(a, b, limit) == (edit_distance(a, b) <= limit)


def test_the_english_words_are_pyspellchecker_s_often_seen_words() -> None:
    """The word list read straight from pyspellchecker's file is the one SpellChecker reads."""
    from spellchecker import SpellChecker

    counts = SpellChecker(distance=1).word_frequency
    often = {word for word, count in counts.items() if count >= ENGLISH_MIN_COUNT}
    assert context.english_words() == often
    assert len(often) > 20_000, "a real English list"


@given(
    st.dictionaries(st.text("aAbÉé\u03a3\u03c3", min_size=1, max_size=3), st.integers(0, 900)),
    st.booleans(),
)
def test_words_that_differ_only_in_case_count_as_one(
    counts: dict[str, int], ascii_only: bool
) -> None:
    folded: dict[str, int] = {}
    for word, count in counts.items():
        folded[word.lower()] = folded.get(word.lower(), 0) + count
    text = json.dumps(counts, ensure_ascii=ascii_only).encode()  # Escaped or not.
    assert context._frequent(text, 500) == {w for w, c in folded.items() if c >= 500}
