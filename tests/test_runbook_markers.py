"""The ownership contract: parsing markers and merging generated sections."""

from __future__ import annotations

import pytest

from zofdocs.errors import CatalogError
from zofdocs.runbooks.markers import Block, digest, join, merge, parse, seal

FRESH = seal(
    "# Title\n\n<!-- zofdocs:begin a -->\nA1\n<!-- zofdocs:end a -->\n\nteam text\n\n"
    "<!-- zofdocs:begin b -->\nB1\n<!-- zofdocs:end b -->\n",
    "fresh",
)


def fresh(a: str = "A1\n", b: str = "B1\n", extra: str = "") -> str:
    text = (
        f"# Title\n\n<!-- zofdocs:begin a -->\n{a}<!-- zofdocs:end a -->\n\nteam text\n\n"
        f"<!-- zofdocs:begin b -->\n{b}<!-- zofdocs:end b -->\n{extra}"
    )
    return seal(text, "fresh")


def test_parse_and_join_give_back_the_text() -> None:
    segments = parse(FRESH, "r.md")
    assert join(segments) == FRESH
    blocks = [s for s in segments if isinstance(s, Block)]
    assert [(b.id, b.content, b.sha, b.line) for b in blocks] == [
        ("a", "A1\n", digest("A1\n"), 3),
        ("b", "B1\n", digest("B1\n"), 9),
    ]


def test_update_rewrites_only_unedited_sections_and_keeps_team_text() -> None:
    current = FRESH.replace("team text\n", "team text\nmy own line\n")
    result = merge(current, fresh(a="A2\n"), "r.md")
    assert result.conflicts == []
    assert result.text == fresh(a="A2\n").replace("team text\n", "team text\nmy own line\n")


def test_edit_inside_a_section_is_a_conflict_and_nothing_changes() -> None:
    current = FRESH.replace("A1\n", "A1 edited by the team\n")
    result = merge(current, fresh(a="A2\n"), "r.md")
    assert result.text == current
    assert [(c.id, c.line) for c in result.conflicts] == [("a", 3)]
    assert "-A1 edited by the team\n+A2\n" in result.conflicts[0].diff


def test_keep_edits_makes_the_section_team_owned() -> None:
    current = FRESH.replace("A1\n", "mine\n")
    result = merge(current, fresh(a="A2\n", b="B2\n"), "r.md", "keep")
    assert result.settled == ["a"]
    assert "<!-- zofdocs:begin a owned -->\nmine\n<!-- zofdocs:end a -->" in result.text
    assert "B2\n" in result.text
    # An owned section is never rewritten again, and is not a conflict.
    again = merge(result.text, fresh(a="A3\n", b="B2\n"), "r.md")
    assert again.conflicts == []
    assert again.text == result.text


def test_take_generated_replaces_the_edit() -> None:
    current = FRESH.replace("A1\n", "mine\n")
    result = merge(current, fresh(a="A2\n"), "r.md", "take")
    assert result.text == fresh(a="A2\n")


def test_new_section_is_inserted_after_its_predecessor() -> None:
    extra = "\n<!-- zofdocs:begin c -->\nC1\n<!-- zofdocs:end c -->\n"
    current = FRESH + "\nteam tail\n"
    result = merge(current, fresh(extra=extra), "r.md")
    assert result.text == FRESH + "\n" + seal(extra.lstrip("\n"), "x") + "\nteam tail\n"


def test_section_no_longer_generated_is_removed_when_unedited() -> None:
    result = merge(FRESH, seal("<!-- zofdocs:begin a -->\nA1\n<!-- zofdocs:end a -->\n", "f"), "r")
    assert "zofdocs:begin b" not in result.text
    assert "team text" in result.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "<!-- zofdocs:begin a -->\nx\n",
            "r.md:1:1: generated section 'a' is never closed "
            "(hint: add '<!-- zofdocs:end a -->' where it should end)",
            id="unclosed",
        ),
        pytest.param(
            "x\n<!-- zofdocs:end a -->\n",
            "r.md:2:1: end marker of 'a' has no matching begin marker "
            "(hint: restore the begin marker, or remove this line)",
            id="end-without-begin",
        ),
        pytest.param(
            "<!-- zofdocs:begin a -->\n<!-- zofdocs:begin b -->\n<!-- zofdocs:end a -->\n",
            "r.md:2:1: generated section 'b' begins inside 'a' (begun at line 1) "
            "(hint: add '<!-- zofdocs:end a -->' before this line)",
            id="nested",
        ),
        pytest.param(
            "<!-- zofdocs:begin a -->\n<!-- zofdocs:end a -->\n"
            "<!-- zofdocs:begin a -->\n<!-- zofdocs:end a -->\n",
            "r.md:3:1: generated section 'a' appears twice (first at line 1) "
            "(hint: remove one copy, markers included)",
            id="duplicate",
        ),
        pytest.param(
            "<!-- zofdocs:begin a sha=xyz -->\n",
            "r.md:1:1: malformed zofdocs marker (hint: markers are "
            "'<!-- zofdocs:begin ID sha=DIGEST -->' and '<!-- zofdocs:end ID -->'; "
            "restore the line as it was)",
            id="malformed",
        ),
    ],
)
def test_broken_markers_are_reported_with_their_line(text: str, expected: str) -> None:
    with pytest.raises(CatalogError) as info:
        parse(text, "r.md")
    assert str(info.value) == expected
