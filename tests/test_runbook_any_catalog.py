"""Runbooks for any catalog: what they name is declared, checked, and may be absent.

The runbook and team onboarding templates take every Console label, role and common
issue they name from `pages.yml` (`runbooks`), which the loader checks; these tests
prove no template names one of its own, that a catalog declaring nothing (an import)
still gets runbooks, and that every answer the schemas accept round-trips.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes as n
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_runbook_cli import FLAGS
from zofdocs.cli import main
from zofdocs.markdown import yaml_string
from zofdocs.pagetext import RunbookNeeds
from zofdocs.render import TEMPLATES
from zofdocs.runbooks.markers import digest, parse, seal
from zofdocs.schema import _compiled, load_schema
from zofdocs.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "tests" / "data" / "corpora"
FIXTURE = ROOT / "tests" / "fixture"

ANSWERS = [f for i, f in enumerate(FLAGS) if "--code" not in FLAGS[max(i - 1, 0) : i + 1]]
"""Every answer of `runbook new` but the codes, as flags: the tests run without a terminal."""


# -- no template names a label, role or issue of its own ------------------------------

MACROS = {"console", "term", "either"}
"""The runbook template's macros that take a label's name."""
IDENTITIES = {"id", "label", "code", "name"}
"""Attributes that name a catalog entry: comparing one with a constant hard-codes it."""


def undeclared(source: str) -> list[str]:
    """What a template looks up that is not declared: each as a short description."""
    tree = jinja2.Environment(extensions=["jinja2.ext.do"]).parse(source)
    needs = {f.name for f in dataclasses.fields(RunbookNeeds)}
    found = []
    for node in tree.find_all((n.Getattr, n.Getitem, n.Call, n.Compare)):
        if isinstance(node, n.Getattr) and isinstance(node.node, n.Name):
            if node.node.name == "needs" and node.attr not in needs:
                found.append(f"needs.{node.attr} is not declared in RunbookNeeds")
        elif isinstance(node, n.Getitem) and isinstance(node.arg, n.Const):
            if isinstance(node.node, n.Getattr) and node.node.attr == "by_label":
                found.append(f"by_label[{node.arg.value!r}]")
        elif isinstance(node, n.Call) and node.args and isinstance(node.args[0], n.Const):
            callee, first = node.node, node.args[0].value
            if isinstance(callee, n.Name) and callee.name in MACROS:
                found.append(f"{callee.name}({first!r})")
            elif (
                isinstance(callee, n.Getattr)
                and callee.attr == "get"
                and isinstance(callee.node, n.Getattr)
                and callee.node.attr == "by_label"
            ):
                found.append(f"by_label.get({first!r})")
        elif isinstance(node, n.Compare):
            sides = [node.expr, *(op.expr for op in node.ops)]
            named = any(isinstance(s, n.Getattr) and s.attr in IDENTITIES for s in sides)
            constant = any(isinstance(s, n.Const) and isinstance(s.value, str) for s in sides)
            if named and constant:
                found.append("a comparison of an entry's name with a constant")
    return found


@pytest.mark.parametrize(
    "source",
    [
        '{{ glossary.by_label["service account"] }}',
        '{{ glossary.by_label.get("RBAC") }}',
        '{{ console("Runs") }}',
        '{% if issue.id == "401-after-key-rotation" %}x{% endif %}',
        "{{ needs.dashboards }}",
    ],
)
def test_the_walk_finds_what_it_names(source: str) -> None:
    # The test below is only as good as this walk: each hard-coded lookup is caught.
    assert undeclared(source)


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.j2")))
def test_no_template_looks_up_a_name_that_is_not_declared(template: str) -> None:
    assert undeclared((TEMPLATES / template).read_text(encoding="utf-8")) == []


# -- renamed, removed and wrong declarations --------------------------------------------


def test_a_label_renamed_everywhere_renames_it_in_runbooks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The example: renamed consistently, validated, and then generation failed.
    for name in ("errors.yml", "glossary.yml", "pages.yml"):
        path = project / "catalog" / name
        path.write_text(path.read_text().replace("service account", "automation identity"))
    assert main(["validate"]) == 0
    assert main(["runbook", "update"]) == 0
    text = (project / "runbooks" / "checkout" / "runbook.md").read_text()
    assert (
        "Automation needs its own [automation identity](../glossary.md#automation-identity)" in text
    )
    assert "service account" not in text
    assert main(["generate", "--out", "site"]) == 0
    capsys.readouterr()


def test_a_catalog_that_declares_nothing_leaves_the_sentences_out(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = project / "catalog" / "pages.yml"
    data = load_yaml(pages).data
    for key in ("console", "automation", "secrets_issue"):
        del data["runbooks"][key]
    pages.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert main(["runbook", "update"]) == 0
    text = (project / "runbooks" / "checkout" / "runbook.md").read_text()
    access = text[text.index("<!-- zofdocs:begin access") : text.index("<!-- zofdocs:end access")]
    assert "1. Check the organization membership and the role of whoever owns the key.\n" in access
    assert "1. Check that each key is active" in access
    assert "Automation" not in access
    assert "Copy the IDs from" not in text
    assert "**Verify:** confirm that new requests succeed in [staging]" in text
    generated = "".join(b.content for b in parse(text, "runbook.md") if not isinstance(b, str))
    assert "run IDs and timestamps," not in generated  # Runs are the catalog's to name.
    assert "request IDs and timestamps," in generated
    assert "the secrets to update in" not in text
    assert main(["generate", "--out", "site"]) == 0
    onboarding = (project / "site" / "runbooks" / "checkout" / "onboarding.md").read_text()
    assert "The IDs are in" not in onboarding
    capsys.readouterr()


DECLARATIONS = [
    (
        "unknown-label",
        "    access: RBAC ",
        "    access: RBAK ",
        ":63:13: unknown Console label 'RBAK' (hint: did you mean 'RBAC'?)",
    ),
    (
        "role-of-another-kind",
        "    roles: [QA, admin]",
        "    roles: [QA, Runs]",
        ":68:17: 'Runs' is a page in the glossary, not a role (hint: name a label of kind "
        "'role', such as 'QA', 'admin')",
    ),
    (
        "permission-of-another-kind",
        "    permission: runs:create",
        "    permission: QA",
        ":69:17: 'QA' is a role in the glossary, not a permission (hint: name a label of kind "
        "'permission', such as 'runs:create')",
    ),
    (
        "unknown-issue",
        "  secrets_issue: 401-after-key-rotation",
        "  secrets_issue: 401-after-key-rotaton",
        ":70:18: no common issue has the ID '401-after-key-rotaton' (hint: did you mean "
        "'401-after-key-rotation'?)",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [pytest.param(o, n_, e, id=i) for i, o, n_, e in DECLARATIONS]
)
def test_a_wrong_declaration_is_refused_at_its_place(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    pages = catalog_dir / "pages.yml"
    text = pages.read_text()
    assert old in text
    pages.write_text(text.replace(old, new, 1))
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert err == f"catalog/pages.yml{expected}\n"


# -- every value that validates round-trips ---------------------------------------------


def code_rule(schema: str, *path: str) -> dict[str, Any]:
    """A rule of a schema as the validator runs it: its references written out."""
    node: Any = _compiled(load_schema(schema)).schema
    for part in path:
        node = node[part]
    return dict(node)


def test_team_codes_take_the_one_pattern_of_the_catalog() -> None:
    team = code_rule("team", "properties", "codes", "items")
    catalog = load_schema("errors")["$defs"]["code_name"]
    assert team["pattern"] == catalog["pattern"]
    assert team["maxLength"] == catalog["maxLength"]
    # Written once: the team schema refers to the errors schema's definition.
    assert "pattern" not in load_schema("team")["properties"]["codes"]["items"]


CODE_PATTERN = load_schema("errors")["$defs"]["code_name"]["pattern"]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.from_regex(CODE_PATTERN, fullmatch=True), st.text(max_size=12)))
def test_a_team_accepts_exactly_the_codes_the_catalog_accepts(code: str) -> None:
    team = _compiled(load_schema("team"))
    as_code = team.evolve(schema=load_schema("errors")["$defs"]["code_name"])
    as_team = team.evolve(schema=code_rule("team", "properties", "codes", "items"))
    assert as_code.is_valid(code) == as_team.is_valid(code)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(CODE_PATTERN, fullmatch=True).filter(lambda c: len(c) <= 100))
def test_markers_hold_every_code_the_catalog_accepts(code: str) -> None:
    text = f"<!-- zofdocs:begin playbook-{code} -->\nx\n<!-- zofdocs:end playbook-{code} -->\n"
    sealed = seal(text, "runbook.md")
    (block,) = parse(sealed, "runbook.md")
    assert not isinstance(block, str)
    assert block.id == f"playbook-{code}"
    assert block.sha == digest("x\n")


TEXT = st.text(st.characters(exclude_categories=["Cs"]), min_size=1).filter(str.strip)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_round_trips_through_a_yaml_string(tmp_path_factory: Any, text: str) -> None:
    path = tmp_path_factory.mktemp("yaml") / "team.yml"
    path.write_text(f"team: {yaml_string(text)}\n", encoding="utf-8")
    assert load_yaml(path).data == {"team": text}


def test_unicode_answers_are_written_as_readable_utf8(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The issue: a 💳 failed with a YAML escape error, and É was written as \u00c9.
    names = ["--team-name", "Équipe Paiements", "--service", "Pay 💳", "--owner", "Zoë Ng"]
    flags = [*names, *ANSWERS[6:], "--code", "rate_limited", "--section", "Paiements ✓"]
    assert main(["runbook", "new", "payments", *flags]) == 0
    team = Path("runbooks/payments/team.yml").read_text(encoding="utf-8")
    assert 'team: "Équipe Paiements"' in team
    assert 'service: "Pay 💳"' in team
    assert '  - "Zoë Ng"' in team
    assert '  - title: "Paiements ✓"' in team
    assert "\\u" not in team
    assert '# The answers of team "Équipe Paiements" for its runbook.' in team
    runbook = Path("runbooks/payments/runbook.md").read_text(encoding="utf-8")
    assert "# Pay 💳 runbook" in runbook
    assert "## Paiements ✓" in runbook
    assert main(["runbook", "update", "--check"]) == 0
    capsys.readouterr()


# -- runbooks for real catalogs written elsewhere ---------------------------------------


@pytest.mark.parametrize(
    ("kind", "file", "codes", "section"),
    [
        ("twilio", "twilio-error-codes.json", ["20404", "20003"], "### `20404` { #20404 }"),
        ("postgres", "postgres_errcodes.txt", ["40001", "22P02"], "### `22P02` { #22P02 }"),
    ],
)
def test_runbooks_for_imported_catalogs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    file: str,
    codes: list[str],
    section: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(CORPORA / file, file)
    assert main(["import", kind, file, "--out", "catalog"]) == 0
    flags = [flag for code in codes for flag in ("--code", code)]
    assert main(["runbook", "new", "payments", *ANSWERS, *flags]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "runbooks/payments/runbook.md: written (2 error playbooks)"
    )
    text = Path("runbooks/payments/runbook.md").read_text(encoding="utf-8")
    for code in codes:
        assert f"<!-- zofdocs:end playbook-{code} -->" in text
    assert section in text
    # The catalog names no Console: no label is linked, and nothing fails.
    assert "glossary.md#" not in text
    assert main(["runbook", "update", "--check"]) == 0
    # A wording change in the catalog reaches the runbook; team text stays.
    path = Path("runbooks/payments/runbook.md")
    path.write_text(text.replace("## Service overview\n", "## Service overview\n\nOurs.\n"))
    errors = Path("catalog/errors.yml")
    data = load_yaml(errors).data
    (entry,) = [code for code in data["codes"] if code["code"] == codes[0]]
    entry["description" if "description" in entry else "title"] = "Reworded meaning."
    errors.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert main(["runbook", "update"]) == 0
    after = path.read_text(encoding="utf-8")
    assert "Reworded meaning." in after
    assert "## Service overview\n\nOurs.\n" in after
    assert main(["generate", "--out", "site"]) == 0
    assert Path("site/runbooks/payments/onboarding.md").is_file()
    capsys.readouterr()


@pytest.mark.slow
def test_strict_build_of_the_imported_example_with_a_team(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "imported"
    shutil.copytree(ROOT / "examples" / "imported", site)
    monkeypatch.chdir(site)
    shutil.copy(ROOT / "tests" / "data" / "import" / "postgres-sample.txt", "errcodes.txt")
    assert main(["import", "postgres", "errcodes.txt", "--out", "catalog"]) == 0
    assert main(["runbook", "new", "payments", *ANSWERS]) == 0
    capsys.readouterr()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    out = tmp_path / "out" / "runbooks"
    assert (out / "payments" / "index.html").is_file()
    assert (out / "payments" / "onboarding" / "index.html").is_file()
    assert "Payments API" in (out / "index.html").read_text(encoding="utf-8")


WRONG_FLAGS = [
    (
        ["--env", "stagin"],
        "--env stagin: not an environment of the catalog (hint: did you mean 'staging'?)",
    ),
    (
        ["--code", "rate_limted"],
        "--code rate_limted: not a current error code (hint: did you mean 'rate_limited'?)",
    ),
    (["--project", "staging=prj_Other1"], "--project staging= is given twice (hint: give it once)"),
]


@pytest.mark.parametrize(("flags", "message"), WRONG_FLAGS)
def test_a_wrong_flag_is_named_before_anything_is_written(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    assert main(["runbook", "new", "payments", *ANSWERS, *flags]) == 2
    assert capsys.readouterr().err == message + "\n"
    assert not Path("runbooks").exists()
