"""The ownership contract: parsing markers and merging generated sections."""

from __future__ import annotations

import pytest

from zofdocs.errors import CatalogError
from zofdocs.runbooks.markers import (
    Block,
    OwnedSection,
    digest,
    hand_back,
    join,
    merge,
    parse,
    seal,
)

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
    # The owned marker records the base: the digest of the generated text edited.
    base = digest("A1\n")
    assert f"<!-- zofdocs:begin a sha={base} owned -->\nmine\n<!-- zofdocs:end a -->" in result.text
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


def test_owned_marker_with_a_base_parses_and_joins_back() -> None:
    text = "<!-- zofdocs:begin a sha=0123456789ab owned -->\nmine\n<!-- zofdocs:end a -->\n"
    [block] = parse(text, "r.md")
    assert isinstance(block, Block)
    assert (block.sha, block.owned, block.content) == ("0123456789ab", True, "mine\n")
    assert join([block]) == text


def test_old_owned_marker_without_a_base_still_parses() -> None:
    text = "x\n<!-- zofdocs:begin a owned -->\nmine\n<!-- zofdocs:end a -->\n"
    [team, block] = parse(text, "r.md")
    assert team == "x\n"
    assert isinstance(block, Block)
    assert (block.sha, block.owned, block.line) == (None, True, 2)
    assert join([team, block]) == text, "the old form is written back as it was"
    # The base is unknown: the section counts as changed in the catalog, even unchanged.
    base = digest("A1\n")
    current = FRESH.replace(f"begin a sha={base}", "begin a owned")
    assert current != FRESH
    assert merge(current, FRESH, "r.md").owned == [OwnedSection("a", 3, "A1\n", None, "A1\n")]
    assert merge(current, FRESH, "r.md").owned[0].changed


def test_keep_edits_records_the_base_and_tells_catalog_changes() -> None:
    current = FRESH.replace("A1\n", "mine\n")
    kept = merge(current, FRESH, "r.md", "keep")
    # The base is the digest of the generated text the team edited, not of its edit.
    assert kept.owned == [OwnedSection("a", 3, "mine\n", digest("A1\n"), "A1\n")]
    assert not kept.owned[0].changed, "the catalog has not changed the section"
    # An update leaves the section as it is, and tells whether the catalog changed it.
    same = merge(kept.text, FRESH, "r.md")
    assert same.text == kept.text
    assert [(s.id, s.changed) for s in same.owned] == [("a", False)]
    moved = merge(kept.text, fresh(a="A2\n"), "r.md")
    assert moved.text == kept.text
    assert [(s.id, s.base, s.generated, s.changed) for s in moved.owned] == [
        ("a", digest("A1\n"), "A2\n", True)
    ]
    assert "-mine\n+A2\n" in moved.owned[0].diff("r.md")
    assert "r.md (a, team-owned)" in moved.owned[0].diff("r.md")
    # A section no longer generated counts as changed; its generated text is None.
    only_b = seal("<!-- zofdocs:begin b -->\nB1\n<!-- zofdocs:end b -->\n", "f")
    gone = merge(kept.text, only_b, "r")
    assert [(s.id, s.generated, s.changed) for s in gone.owned] == [("a", None, True)]
    assert "mine\n" in gone.text, "an owned section is never removed"


def test_owned_sections_are_reported_beside_conflicts() -> None:
    kept = merge(FRESH.replace("A1\n", "mine\n"), FRESH, "r.md", "keep").text
    result = merge(kept.replace("B1\n", "B edited\n"), fresh(a="A2\n", b="B2\n"), "r.md")
    assert [c.id for c in result.conflicts] == ["b"]
    assert [(s.id, s.changed) for s in result.owned] == [("a", True)]


def test_hand_back_makes_an_owned_section_generated_and_keeps_the_rest() -> None:
    kept = merge(FRESH.replace("A1\n", "mine\n"), FRESH, "r.md", "keep").text
    current = kept.replace("team text\n", "team text  \r\nwith odd bytes\t\n")
    result = hand_back(current, {"a": "A2\n"}, "r.md")
    assert result == fresh(a="A2\n").replace("team text\n", "team text  \r\nwith odd bytes\t\n")
    [block] = [s for s in parse(result, "r.md") if isinstance(s, Block) and s.id == "a"]
    assert (block.owned, block.sha, block.edited) == (False, digest("A2\n"), False)
    # A section not named, or not owned, is left as it is.
    assert hand_back(current, {"b": "B2\n"}, "r.md") == current
