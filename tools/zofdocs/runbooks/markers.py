"""The ownership contract of runbooks: generated sections between markers.

A runbook is team text with generated sections in it:

    <!-- zofdocs:begin playbook-rate_limited sha=1a2b3c4d5e6f -->
    ...generated Markdown...
    <!-- zofdocs:end playbook-rate_limited -->

Everything outside the markers belongs to the team and is never changed. The `sha` is
the digest of the section as it was generated, so an edit inside a section shows as a
mismatch, with no need for git history: an update replaces only sections whose content
still matches their digest, and reports the others as conflicts.

A section the team has taken over (`runbook update --keep-edits`) is team-owned:

    <!-- zofdocs:begin playbook-rate_limited sha=1a2b3c4d5e6f owned -->

An update never rewrites it. Its `sha` is the *base*: the digest of the generated text
the team's edit started from, so that an update can tell whether the catalog has
changed the section since (`OwnedSection.changed`). The older form without a digest,
`<!-- zofdocs:begin ID owned -->`, still parses: its base is unknown, which counts as
changed. `hand_back` returns owned sections to the generator.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

from zofdocs.errors import CatalogError, Problem

__all__ = [
    "Block",
    "Conflict",
    "Merge",
    "OwnedSection",
    "Resolution",
    "hand_back",
    "merge",
    "parse",
    "seal",
]

# Any code the catalog accepts makes a section ID (playbook-CODE), uppercase included.
_ID = r"(?P<id>[A-Za-z0-9][A-Za-z0-9_.-]*)"
_BEGIN = re.compile(
    rf"<!-- zofdocs:begin {_ID}(?: sha=(?P<sha>[0-9a-f]{{12}}))?(?P<owned> owned)? -->"
)
_END = re.compile(rf"<!-- zofdocs:end {_ID} -->")
_MARKER = "<!-- zofdocs:"

Resolution = Literal["keep", "take"]
"""How to settle conflicts: keep the team's text (the section becomes team-owned), or
take the new generated text."""


def digest(content: str) -> str:
    """The short digest that seals a generated section's content.

    Args:
        content: The text between the markers.

    Returns:
        12 hex digits of its SHA-256.
    """
    # Line endings do not count: a team's editor may turn LF into CRLF.
    normal = content.replace("\r\n", "\n")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


@dataclass
class Block:
    """A generated section.

    Attributes:
        id: Its stable name, such as `playbook-rate_limited`.
        content: The text between its marker lines.
        sha: The digest it was generated with; None when unsealed. For an owned
            section, the base: the digest of the generated text the team's edit
            started from, None when unknown.
        owned: The team took it over: it is never rewritten.
        line: The 1-based line of its begin marker.
    """

    id: str
    content: str
    sha: str | None = None
    owned: bool = False
    line: int = 0

    @property
    def edited(self) -> bool:
        """Whether its content differs from what was generated."""
        return self.sha != digest(self.content)

    def text(self, newline: str = "\n") -> str:
        """The section with its markers, as it stands in the file.

        Args:
            newline: The file's line ending.

        Returns:
            Begin line, content and end line, ending with a line ending.
        """
        state = (f" sha={self.sha}" if self.sha else "") + (" owned" if self.owned else "")
        return (
            f"<!-- zofdocs:begin {self.id}{state} -->{newline}{self.content}"
            f"<!-- zofdocs:end {self.id} -->{newline}"
        )


Segment = str | Block
"""Team text, or a generated section."""


def parse(text: str, name: str) -> list[Segment]:
    """Split a runbook into team text and generated sections.

    Args:
        text: The runbook.
        name: The file's name, for messages.

    Returns:
        The segments in order; joining their text gives back `text` exactly.

    Raises:
        CatalogError: A marker is malformed, unmatched, nested or repeated.
    """
    segments: list[Segment] = []
    problems: list[Problem] = []
    team: list[str] = []
    block: Block | None = None
    body: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        bare = line.rstrip("\r\n")
        if not bare.lstrip().startswith(_MARKER):
            (body if block else team).append(line)
            continue
        begin, end = _BEGIN.fullmatch(bare), _END.fullmatch(bare)
        if begin:
            if block is not None:
                problems.append(
                    Problem(
                        name,
                        number,
                        1,
                        f"generated section '{begin['id']}' begins inside '{block.id}' "
                        f"(begun at line {block.line})",
                        f"add '<!-- zofdocs:end {block.id} -->' before this line",
                    )
                )
                continue
            if begin["id"] in seen:
                problems.append(
                    Problem(
                        name,
                        number,
                        1,
                        f"generated section '{begin['id']}' appears twice "
                        f"(first at line {seen[begin['id']]})",
                        "remove one copy, markers included",
                    )
                )
            seen.setdefault(begin["id"], number)
            if team:
                segments.append("".join(team))
                team = []
            block = Block(begin["id"], "", begin["sha"], bool(begin["owned"]), number)
        elif end:
            if block is None or end["id"] != block.id:
                opened = f" (open: '{block.id}', begun at line {block.line})" if block else ""
                problems.append(
                    Problem(
                        name,
                        number,
                        1,
                        f"end marker of '{end['id']}' has no matching begin marker{opened}",
                        "restore the begin marker, or remove this line",
                    )
                )
                continue
            block.content = "".join(body)
            segments.append(block)
            block, body = None, []
        else:
            problems.append(
                Problem(
                    name,
                    number,
                    1,
                    "malformed zofdocs marker",
                    "markers are '<!-- zofdocs:begin ID sha=DIGEST -->' and "
                    "'<!-- zofdocs:end ID -->'; restore the line as it was",
                )
            )
    if block is not None:
        problems.append(
            Problem(
                name,
                block.line,
                1,
                f"generated section '{block.id}' is never closed",
                f"add '<!-- zofdocs:end {block.id} -->' where it should end",
            )
        )
    if problems:
        raise CatalogError(problems)
    if team:
        segments.append("".join(team))
    return segments


def join(segments: list[Segment], newline: str = "\n") -> str:
    """Put segments back together into a runbook's text.

    Args:
        segments: Team text and generated sections.
        newline: The file's line ending, for marker lines.

    Returns:
        The text.
    """
    return "".join(s if isinstance(s, str) else s.text(newline) for s in segments)


def seal(text: str, name: str) -> str:
    """Stamp every generated section of a fresh render with its digest.

    Args:
        text: A rendered runbook whose markers carry no digest yet.
        name: A name for messages.

    Returns:
        The text, each begin marker carrying `sha=` of its content.
    """
    segments = parse(text, name)
    for segment in segments:
        if isinstance(segment, Block):
            segment.sha = digest(segment.content)
    return join(segments)


@dataclass
class Conflict:
    """A generated section the team edited, which an update would overwrite.

    Attributes:
        id: The section.
        line: The line of its begin marker.
        diff: A unified diff from the team's text to the new generated text.
    """

    id: str
    line: int
    diff: str


@dataclass
class OwnedSection:
    """A team-owned section, and the generated text it no longer follows.

    Attributes:
        id: The section.
        line: The line of its begin marker in the runbook as it is; 0 when the section
            is not in the file yet.
        content: The team's text between its markers.
        base: The digest of the generated text the team's edit started from; None
            when unknown (a marker written before bases were recorded).
        generated: The section's current generated text; None when it is no longer
            generated (its code left the team's scope, say).
    """

    id: str
    line: int
    content: str
    base: str | None
    generated: str | None

    @property
    def changed(self) -> bool:
        """Whether the catalog changed the section since the team took it over.

        True when the generated text's digest differs from the base, when the base is
        unknown, and when the section is no longer generated.
        """
        return self.generated is None or self.base is None or digest(self.generated) != self.base

    def diff(self, name: str) -> str:
        """A unified diff from the team's text to the current generated text.

        Args:
            name: The runbook's name, for the diff's headers.

        Returns:
            The diff, with LF line endings; empty when the texts are the same.
        """
        return _diff(name, self.id, self.content, self.generated or "", "team-owned")


@dataclass
class Merge:
    """The result of updating a runbook.

    Attributes:
        text: The updated runbook (the old text when there are unsettled conflicts).
        conflicts: Edited sections that were not settled.
        settled: Edited sections settled by a resolution.
        owned: The team-owned sections of the runbook as an update leaves it (with
            `--keep-edits`, the sections it settles included), in order.
    """

    text: str
    conflicts: list[Conflict] = field(default_factory=list)
    settled: list[str] = field(default_factory=list)
    owned: list[OwnedSection] = field(default_factory=list)


def _diff(name: str, block_id: str, old: str, new: str, what: str = "as edited") -> str:
    # Line endings do not count, as in `digest`: the diff reads the same for CRLF files.
    return "".join(
        difflib.unified_diff(
            old.replace("\r\n", "\n").splitlines(keepends=True),
            new.replace("\r\n", "\n").splitlines(keepends=True),
            f"{name} ({block_id}, {what})",
            f"{name} ({block_id}, generated)",
        )
    )


def merge(
    current: str,
    fresh: str,
    name: str,
    resolution: Resolution | None = None,
    newline: str = "\n",
) -> Merge:
    """Update the generated sections of a runbook, keeping every byte of team text.

    Args:
        current: The runbook as it is.
        fresh: A fresh, sealed render of the runbook.
        name: The runbook's name, for messages.
        resolution: How to settle edited sections; None reports them as conflicts.
        newline: The runbook's line ending, for the marker lines it writes.

    Returns:
        The merge. With unsettled conflicts, `text` is `current` unchanged.

    Raises:
        CatalogError: The markers of `current` are malformed.
    """
    segments = parse(current, name)
    wanted = {s.id: s for s in parse(fresh, "fresh render") if isinstance(s, Block)}
    result: list[Segment] = []
    conflicts: list[Conflict] = []
    settled: list[str] = []
    owned: list[OwnedSection] = []

    def own(block: Block) -> None:
        generated = wanted.get(block.id)
        owned.append(
            OwnedSection(
                block.id,
                block.line,
                block.content,
                block.sha,
                generated.content if generated else None,
            )
        )

    for segment in segments:
        if isinstance(segment, str):
            result.append(segment)
            continue
        if segment.owned:
            own(segment)
            result.append(segment)
            continue
        new = wanted.get(segment.id)
        if not segment.edited:
            if new is not None:
                result.append(new)
            continue  # A section no longer generated, unedited: it goes.
        if resolution is None:
            conflicts.append(
                Conflict(
                    segment.id,
                    segment.line,
                    _diff(name, segment.id, segment.content, new.content if new else ""),
                )
            )
            result.append(segment)
        elif resolution == "keep":
            settled.append(segment.id)
            # The base is the digest the section was generated with: what the team edited.
            kept = Block(segment.id, segment.content, segment.sha, True, segment.line)
            own(kept)
            result.append(kept)
        else:
            settled.append(segment.id)
            if new is not None:
                result.append(new)
    if conflicts:
        return Merge(current, conflicts, owned=owned)
    present = {s.id for s in result if isinstance(s, Block)}
    previous: str | None = None
    for block_id, block in wanted.items():
        if block_id not in present:
            at = _index_after(result, previous)
            # A blank line keeps the new section's markers apart from the text before.
            result[at:at] = [newline, block] if at else [block, newline]
            present.add(block_id)
        previous = block_id
    return Merge(join(result, newline), [], settled, owned)


def hand_back(current: str, sections: dict[str, str], name: str, newline: str = "\n") -> str:
    """Return team-owned sections to the generator: each becomes generated text again.

    Args:
        current: The runbook as it is.
        sections: The new generated content of each section to hand back, by ID.
        name: The runbook's name, for messages.
        newline: The runbook's line ending, for the marker lines it writes.

    Returns:
        The runbook with each named owned section holding its generated content, sealed
        with its digest; every other segment as it was.

    Raises:
        CatalogError: The markers of `current` are malformed.
    """
    segments = parse(current, name)
    for index, segment in enumerate(segments):
        if isinstance(segment, Block) and segment.owned and segment.id in sections:
            content = sections[segment.id]
            segments[index] = Block(segment.id, content, digest(content), False, segment.line)
    return join(segments, newline)


def _index_after(segments: list[Segment], block_id: str | None) -> int:
    """Where to insert a section: right after the named one, or at the start."""
    if block_id is not None:
        for index, segment in enumerate(segments):
            if isinstance(segment, Block) and segment.id == block_id:
                return index + 1
    return 0
