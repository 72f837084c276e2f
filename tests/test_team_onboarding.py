"""Each team's onboarding page: generated from its answers and its runbook, linked, checked.

Expectations come from the fixture project's answers and catalog, read as data, so the
tests hold whatever team or code the fixture gains.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zofdocs.catalog import load_sources
from zofdocs.cli import main
from zofdocs.yamlsource import load_yaml


def generate(capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["generate", "--out", "site"]) == 0
    capsys.readouterr()
    return Path("site")


def section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_every_team_gets_an_onboarding_page_from_its_answers(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = generate(capsys)
    for answers in sorted(Path("runbooks").glob("*/team.yml")):
        team = load_yaml(answers).data
        slug = answers.parent.name
        page = (site / "runbooks" / slug / "onboarding.md").read_text()
        assert f'title: "{team["team"]}: onboarding"' in page
        runs = section(page, "Where the service runs")
        for env in team["environments"]:
            row = next(line for line in runs.splitlines() if f"`{env['environment_id']}`" in line)
            assert f"`{env['project_id']}`" in row
            assert f"`{env['secret']}`" in row
        call = section(page, "Who to call")
        steps = [team["on_call"], *team["escalation"]]
        for number, step in enumerate(steps, start=1):
            assert re.search(rf"^{number}\. .*{re.escape(step)}", call, re.M), step
        for owner in team["owners"]:
            assert owner in call


def test_labels_are_those_the_runbook_links_with_their_meanings(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = generate(capsys)
    glossary = load_sources(Path("catalog")).glossary
    runbook = (site / "runbooks" / "checkout.md").read_text()
    linked = list(dict.fromkeys(re.findall(r"\]\(\.\./glossary\.md#([^)]+)\)", runbook)))
    assert linked
    page = (site / "runbooks" / "checkout" / "onboarding.md").read_text()
    rows = section(page, "Console labels in the runbook").splitlines()
    rows = [row for row in rows if row.startswith("| [")]
    by_anchor = {label.anchor: label for label in glossary.labels}
    assert [re.search(r"glossary\.md#([^)]+)", row)[1] for row in rows] == linked  # type: ignore[index]
    for row, anchor in zip(rows, linked, strict=True):
        label = by_anchor[anchor]
        assert label.definition.split("`")[0][:30] in row
        assert (label.path or "everywhere") in row


def test_a_link_the_team_writes_counts_too(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glossary = load_sources(Path("catalog")).glossary
    runbook = Path("runbooks/checkout/runbook.md")
    text = runbook.read_text()
    linked = set(re.findall(r"\]\(\.\./glossary\.md#([^)]+)\)", text))
    extra = next(label for label in glossary.labels if label.anchor not in linked)
    mine = f"Our nightly job lives in [{extra.label}](../glossary.md#{extra.anchor}).\n"
    runbook.write_text(text.replace("## Service overview\n", f"## Service overview\n\n{mine}"))
    site = generate(capsys)
    page = (site / "runbooks" / "checkout" / "onboarding.md").read_text()
    assert f"glossary.md#{extra.anchor})" in section(page, "Console labels in the runbook")


def test_codes_come_most_likely_first(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = load_sources(Path("catalog"))
    # A team that lists its codes: in its order, whatever the catalog's.
    answers = Path("runbooks/mobile/team.yml")
    listed = load_yaml(answers).data["codes"]
    reordered = list(reversed(listed))
    text = answers.read_text()
    answers.write_text(
        re.sub(r"^codes: .*$", f"codes: [{', '.join(reordered)}]", text, count=1, flags=re.M)
    )
    # A team that lists none: the codes common issues name first, then catalog order.
    site = generate(capsys)

    def order(slug: str) -> list[str]:
        page = (site / "runbooks" / slug / "onboarding.md").read_text()
        rows = section(page, "Errors the service meets")
        return re.findall(r"^\| \[`([^`]+)`\]", rows, re.M)

    assert order("mobile") == reordered
    named = {code.code for issue in sources.catalog.common_issues for code in issue.codes}
    current = [code.code for code in sources.catalog.codes if not code.deprecated]
    counts = {
        c: sum(c in {x.code for x in i.codes} for i in sources.catalog.common_issues)
        for c in current
    }
    expected = sorted(current, key=lambda c: -counts[c])
    assert order("checkout") == expected
    assert set(order("checkout")[: len(named & set(current))]) == named & set(current)


def test_the_page_is_linked_from_the_runbook_and_the_index(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = generate(capsys)
    for slug in sorted(p.parent.name for p in Path("runbooks").glob("*/team.yml")):
        assert f"](../{slug}/onboarding.md)" not in (site / "runbooks" / f"{slug}.md").read_text()
        assert f"]({slug}/onboarding.md)" in (site / "runbooks" / f"{slug}.md").read_text()
        assert f"]({slug}/onboarding.md)" in (site / "runbooks" / "index.md").read_text()
        page = (site / "runbooks" / slug / "onboarding.md").read_text()
        assert f"](../{slug}.md)" in page  # And back to the runbook.


def test_the_checker_covers_the_page(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A wrong spelling of a Console label in the team's answers reaches the page.
    answers = Path("runbooks/checkout/team.yml")
    glossary = load_sources(Path("catalog")).glossary
    label = next(lb for lb in glossary.labels if lb.wrong_spellings)
    wrong = label.wrong_spellings[0]
    text = answers.read_text()
    manager = '  - "Engineering manager: Priya Nair"'
    answers.write_text(text.replace(manager, f'  - "{wrong} owner"'))
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    found = [line for line in out.splitlines() if "runbooks/checkout/onboarding.md:" in line]
    assert found, out
    assert all(line.startswith("generated/runbooks/checkout/onboarding.md:") for line in found)
    assert any(repr(label.label) in line or label.label in line for line in found)
