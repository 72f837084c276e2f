"""Team runbooks: render a team's skeleton, create it, and keep it current.

A runbook lives at `runbooks/TEAM/runbook.md` beside the team's answers in
`runbooks/TEAM/team.yml`. `zofdocs.runbooks.markers` holds the ownership contract; this module
renders the skeleton and plans what creating or updating one would write, and what
handing team-owned sections back to the generator would (`hand_back`).

A team-owned section never makes a runbook stale or in conflict: the team chose to own
it. `RunbookState.owned` lists them, each saying whether the catalog changed it since.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from zofdocs.errors import CatalogError, Problem, ZofError, display_path
from zofdocs.findings import finding
from zofdocs.model import Sources
from zofdocs.render import render_runbook_text
from zofdocs.runbooks.markers import (
    Block,
    Merge,
    OwnedSection,
    Resolution,
    hand_back,
    merge,
    parse,
    seal,
)
from zofdocs.runbooks.sections import SectionTemplate, load_sections, render_sections
from zofdocs.runbooks.team import Team, load_team, team_slugs

__all__ = [
    "RUNBOOK",
    "TEAM_FILE",
    "HandBack",
    "RunbookState",
    "hand_back_sections",
    "load_runbooks",
    "published_text",
    "render_runbook",
    "stale_runbooks",
]

RUNBOOK = "runbook.md"
TEAM_FILE = "team.yml"

State = Literal["up to date", "stale", "conflict"]


@dataclass
class RunbookState:
    """A team's runbook as it is, and what an update would make of it.

    Attributes:
        team: The team's answers.
        path: The runbook file.
        current: The runbook's text.
        merge: What an update would write, or the conflicts that stop it.
    """

    team: Team
    path: Path
    current: str
    merge: Merge

    @property
    def state(self) -> State:
        """`up to date`, `stale` (an update would change it) or `conflict`."""
        if self.merge.conflicts:
            return "conflict"
        return "up to date" if self.merge.text == self.current else "stale"

    @property
    def owned(self) -> list[OwnedSection]:
        """The team-owned sections, in order, as an update would leave the runbook."""
        return self.merge.owned

    @property
    def owned_changed(self) -> list[OwnedSection]:
        """The team-owned sections the catalog changed since the team took them over."""
        return [section for section in self.merge.owned if section.changed]


def render_runbook(
    sources: Sources,
    team: Team,
    overrides: Path | None = None,
    sections: Sequence[SectionTemplate] = (),
) -> str:
    """Render a team's full runbook skeleton, its generated sections sealed.

    Args:
        sources: The loaded sources.
        team: The team's answers.
        overrides: A folder of templates searched before the package's own.
        sections: The team's own section templates (`load_sections`), rendered for
            each code in scope after its playbook.

    Returns:
        The runbook's Markdown.

    Raises:
        CatalogError: A section template failed, or wrote a marker line.
    """
    extra = render_sections(sections, team)
    return seal(render_runbook_text(sources, team, overrides, extra), f"{team.slug}/{RUNBOOK}")


def load_runbooks(
    sources: Sources,
    folder: Path,
    slugs: list[str] | None = None,
    resolution: Resolution | None = None,
    overrides: Path | None = None,
) -> list[RunbookState]:
    """Load teams and their runbooks, and plan the update of each.

    Args:
        sources: The loaded sources.
        folder: The runbooks folder.
        slugs: The teams to load; every team under `folder` when None.
        resolution: How to settle edits inside generated sections.
        overrides: A folder of templates searched before the package's own.

    Returns:
        One state per team, in slug order.

    Raises:
        CatalogError: An answers file, a section template or a runbook's markers are
            malformed; carries the problems of every team.
        ZofError: A named team does not exist.
    """
    known = team_slugs(folder)
    for slug in slugs or []:
        if slug not in known:
            listed = ", ".join(known) or "none yet"
            raise ZofError(
                f"{display_path(folder / slug / TEAM_FILE)}: no such team "
                f"(hint: teams: {listed}; create one with 'zofdocs runbook new {slug}')"
            )
    states: list[RunbookState] = []
    problems: list[Problem] = []
    for slug in sorted(set(slugs) if slugs else known):
        try:
            team = load_team(folder / slug / TEAM_FILE, sources.catalog, sources.glossary)
            path = folder / slug / RUNBOOK
            fresh = render_runbook(sources, team, overrides, load_sections(folder / slug))
            try:
                current = _read(path)
            except FileNotFoundError:
                current, result = "", Merge(fresh)  # The whole skeleton, prompts and all.
            else:
                result = _merge(current, fresh, display_path(path), resolution)
            states.append(RunbookState(team, path, current, result))
        except CatalogError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogError(problems)
    return states


def _read(path: Path) -> str:
    """Read a runbook exactly: line endings as they are (newline=""), as text."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise
    except UnicodeDecodeError as exc:
        raise CatalogError(
            [Problem(display_path(path), 0, 0, f"not UTF-8 text ({exc.reason})",
                     "save the runbook as UTF-8")]
        ) from None  # fmt: skip
    except OSError as exc:
        raise CatalogError(
            [Problem(display_path(path), 0, 0, f"cannot read the runbook: {exc.strerror}")]
        ) from None


def _merge(current: str, fresh: str, name: str, resolution: Resolution | None) -> Merge:
    """Merge, keeping the file's byte-order mark and line endings as the team has them."""
    bom = "\ufeff" if current.startswith("\ufeff") else ""
    body = current[len(bom) :]
    newline = "\r\n" if "\r\n" in body else "\n"
    result = merge(body, fresh.replace("\n", newline), name, resolution, newline)
    if not result.conflicts:
        result.text = bom + result.text
    else:
        result.text = current
    return result


@dataclass
class HandBack:
    """What handing team-owned sections back to the generator would write.

    Attributes:
        text: The runbook with the sections generated again (byte-order mark and line
            endings as the file has them).
        sections: The sections handed back, in the runbook's order.
        skipped: Owned sections left as they are because they are no longer generated
            (only when handing back all of them).
    """

    text: str
    sections: list[OwnedSection]
    skipped: list[OwnedSection]


def hand_back_sections(state: RunbookState, ids: Sequence[str] | None) -> HandBack:
    """Plan handing team-owned sections back to the generator.

    Args:
        state: The team's runbook, as `load_runbooks` planned it (with no resolution).
        ids: The sections to hand back; every owned section when None (those no longer
            generated are then skipped).

    Returns:
        The new text and the sections it hands back.

    Raises:
        CatalogError: A named section is not in the runbook, is not team-owned, or is
            no longer generated; one problem each, at the file and line.
    """
    name = display_path(state.path)
    bom = "\ufeff" if state.current.startswith("\ufeff") else ""
    body = state.current[len(bom) :]
    owned = {section.id: section for section in state.owned}
    listed = ", ".join(owned)
    hint = f"team-owned sections: {listed}" if owned else "the runbook owns no sections"
    problems: list[Problem] = []
    if ids is None:
        chosen = [section for section in state.owned if section.generated is not None]
        skipped = [section for section in state.owned if section.generated is None]
    else:
        chosen, skipped = [], []
        blocks = {s.id: s for s in parse(body, name) if isinstance(s, Block)}
        for section_id in dict.fromkeys(ids):
            section, block = owned.get(section_id), blocks.get(section_id)
            if block is None:
                problems.append(
                    Problem(name, 0, 0, f"no section '{section_id}' in the runbook", hint)
                )
            elif section is None:
                problems.append(
                    Problem(name, block.line, 1,
                            f"section '{section_id}' is not team-owned: it is generated already",
                            hint)
                )  # fmt: skip
            elif section.generated is None:
                problems.append(
                    Problem(name, section.line, 1,
                            f"team-owned section '{section_id}' is no longer generated, so "
                            "there is nothing to hand it back to",
                            "keep it as team text, or delete it by hand, markers included")
                )  # fmt: skip
            else:
                chosen.append(section)
    if problems:
        raise CatalogError(problems)
    chosen.sort(key=lambda section: section.line)
    newline = "\r\n" if "\r\n" in body else "\n"
    contents = {section.id: section.generated or "" for section in chosen}
    text = bom + hand_back(body, contents, name, newline) if chosen else state.current
    return HandBack(text, chosen, skipped)


def published_text(state: RunbookState, *, preview: bool = False) -> str:
    """The runbook text the site publishes for a team.

    Args:
        state: The team's runbook.
        preview: Show a stale runbook as an update would write it (for `mkdocs
            serve`); otherwise the file as it stands.

    Returns:
        The Markdown to publish; the whole skeleton when the file does not exist yet.
    """
    if preview and state.state == "stale":
        return state.merge.text
    return state.current or state.merge.text


def stale_runbooks(states: Iterable[RunbookState]) -> list[Problem]:
    """Report runbooks that an update would change, and edited generated sections.

    Args:
        states: The teams' runbooks.

    Returns:
        A finding for each stale runbook and each edited section.
    """
    found = []
    for state in states:
        name, slug = display_path(state.path), state.team.slug
        if state.state == "stale":
            found.append(finding(name, 0, 0, "ZOF401", "runbook is stale",
                                 f"run 'zofdocs runbook update {slug}'"))  # fmt: skip
        for conflict in state.merge.conflicts:
            found.append(
                finding(
                    name,
                    conflict.line,
                    1,
                    "ZOF401",
                    f"generated section '{conflict.id}' was edited, so it cannot be updated",
                    f"run 'zofdocs runbook update {slug}' with --keep-edits or --take-generated",
                )
            )
    return found
