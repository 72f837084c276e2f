"""Property: for random team edits outside generated sections and random catalog
changes, an update keeps every team-written line byte for byte and makes the generated
sections equal a fresh render."""

from __future__ import annotations

import dataclasses
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CATALOG, RUNBOOKS
from zofdocs import load_sources
from zofdocs.model import Sources
from zofdocs.runbooks.markers import Block, merge, parse
from zofdocs.runbooks.state import render_runbook
from zofdocs.runbooks.team import Team, load_team


@cache
def base() -> tuple[Sources, Team]:
    sources = load_sources(CATALOG)
    return sources, load_team(RUNBOOKS / "checkout" / "team.yml", sources.catalog, sources.glossary)


# A team's line: any text but a marker (which would be a generated section, not prose).
team_line = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"),
    max_size=30,
).filter(lambda line: not line.lstrip().startswith("<!-- zofdocs:"))


@st.composite
def catalog_change(draw: st.DrawFn) -> tuple[Sources, Team]:
    sources, team = base()
    codes = list(sources.catalog.codes)
    changed = []
    for code in codes:
        if draw(st.booleans()):
            code = dataclasses.replace(code, fixes=(*code.fixes, draw(team_line) or "Retry."))
        changed.append(code)
    catalog = dataclasses.replace(sources.catalog, codes=tuple(changed))
    current = [c for c in changed if not c.deprecated]
    scope = draw(st.lists(st.sampled_from(current), min_size=1, unique_by=lambda c: c.code))
    order = {c.code: i for i, c in enumerate(changed)}
    team = dataclasses.replace(team, codes=tuple(sorted(scope, key=lambda c: order[c.code])))
    return dataclasses.replace(sources, catalog=catalog), team


@st.composite
def team_edits(draw: st.DrawFn, text: str) -> str:
    out: list[str] = []
    for segment in parse(text, "runbook.md"):
        if isinstance(segment, Block):
            out.append(segment.text())
            continue
        lines = segment.splitlines(keepends=True)
        for _ in range(draw(st.integers(0, 3))):
            at = draw(st.integers(0, len(lines)))
            lines.insert(at, draw(team_line) + "\n")
        out.append("".join(lines))
    if draw(st.booleans()):
        out.append(draw(team_line) + "\n")
    return "".join(out)


def team_segments(text: str) -> list[str]:
    return [s for s in parse(text, "runbook.md") if isinstance(s, str)]


def blocks(text: str) -> list[tuple[str, str]]:
    return [(s.id, s.content) for s in parse(text, "runbook.md") if isinstance(s, Block)]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_update_keeps_team_lines_and_renders_generated_sections(data: st.DataObject) -> None:
    before_sources, before_team = data.draw(catalog_change())
    edited = data.draw(team_edits(render_runbook(before_sources, before_team)))
    sources, team = data.draw(catalog_change())
    fresh = render_runbook(sources, team)

    result = merge(edited, fresh, "runbook.md")

    assert result.conflicts == []
    assert blocks(result.text) == blocks(fresh)
    # Every piece of team text survives, byte for byte and in order.
    position = 0
    for segment in team_segments(edited):
        found = result.text.find(segment, position)
        assert found >= 0, segment
        position = found + len(segment)
    written = [line for s in team_segments(edited) for line in s.splitlines() if line.strip()]
    kept = [line for s in team_segments(result.text) for line in s.splitlines() if line.strip()]
    assert kept == written
