"""Rules on Console labels: spelling, case, bold UI text and Console paths.

Rules ZOF201 to ZOF205 of `zofdocs.findings.RULES`.
"""

from __future__ import annotations

import re

from zofdocs.checks.context import CheckContext, words
from zofdocs.errors import Problem
from zofdocs.model import Label
from zofdocs.prose import Doc
from zofdocs.suggest import closest

__all__ = ["bold", "labels", "paths"]

_ARROWS = re.compile(r"\s*(?:→|->|=>|>|»)\s*")
_BOLD = re.compile(r"\*\*(?=\S)((?:[^\n*]|\n(?![ \t]*\n))+?)(?<=\S)\*\*")
_SEPARATORS = re.compile(r"->|=>|>|»")
_WORD = re.compile(r"[A-Za-z][\w:-]*")
_PATH_EDGE = re.compile(r"[*\[\]()|\n]|[.;:](?=\s)")
_SENTENCE_END = tuple(".!?:|#>-·")


def _sentence_start(prose: str, offset: int) -> bool:
    """Whether a capital at `offset` may be a sentence's, not a miscased label's."""
    at = offset
    while at and prose[at - 1] in " \t*_([\"'":  # Emphasis and brackets are not ends.
        at -= 1
    if not at:
        return True
    if prose[at - 1] != "\n":
        return prose[at - 1] in _SENTENCE_END
    before = prose[: at - 1].rstrip(" \t")
    # A wrapped line goes on the sentence above, unless that one ended.
    return not before or before.endswith(("\n", *_SENTENCE_END))


def _label_matches(ctx: CheckContext, prose: str) -> list[re.Match[str]]:
    # Walking words and trying the labels only where one could start is several
    # times faster than one alternation of every label tried at every position.
    matches = []
    end = 0
    for word in _WORD.finditer(prose):
        start = word.start()
        if start < end or word.group().casefold().rstrip(":-") not in ctx.first_words:
            continue
        if start and (prose[start - 1].isalnum() or prose[start - 1] in "_:-./@"):
            continue
        match = ctx.label_at.match(prose, start)
        if match:
            matches.append(match)
            end = match.end()
    return matches


def labels(ctx: CheckContext, doc: Doc, found: list[Problem]) -> None:
    """Console labels in prose: known wrong spellings (ZOF201) and wrong case (ZOF202).

    Args:
        ctx: What the catalog allows; counts each label it finds.
        doc: The document.
        found: Where findings go.
    """
    for match in _label_matches(ctx, doc.prose):
        text = words(match.group())
        if text in ctx.labels:
            ctx.used[text] += 1
            continue
        right = ctx.wrong.get(text)
        case_only = False
        if right is None:
            label = ctx.folded.get(text.casefold())
            if label is None or not _miscased(text, label.label):
                continue  # Ordinary words, or a wrong spelling in another case.
            right, case_only = label.label, True
        elif right.casefold() == text.casefold():
            case_only = True
        capitalized = text == right[:1].upper() + right[1:]
        if case_only and capitalized and _sentence_start(doc.prose, match.start()):
            ctx.used[right] += 1
            continue
        if case_only:
            found.append(
                ctx.at(
                    doc, match.start(), "ZOF202",
                    f"'{text}' is written '{right}' in the Console",
                    f"write '{right}'",
                )
            )  # fmt: skip
        else:
            found.append(
                ctx.at(
                    doc, match.start(), "ZOF201",
                    f"'{text}' is a wrong spelling of the Console label '{right}'",
                    f"write '{right}'",
                )
            )  # fmt: skip


def bold(ctx: CheckContext, doc: Doc, found: list[Problem]) -> None:
    """Bold UI text that is nearly a label but is not one (ZOF203).

    Args:
        ctx: What the catalog allows.
        doc: The document.
        found: Where findings go.
    """
    for match in _BOLD.finditer(doc.prose):
        text = words(match.group(1)).rstrip(":.")
        if not text or text in ctx.labels or _ARROWS.search(text):
            continue
        if ctx.label_at.fullmatch(text):
            continue  # Reported by the label pass.
        close = closest(text, ctx.labels, 0.85)
        if close:
            found.append(
                ctx.at(
                    doc, match.start(1), "ZOF203",
                    f"'{text}' is not a Console label", f"did you mean '{close}'?",
                )
            )  # fmt: skip


def paths(ctx: CheckContext, doc: Doc, found: list[Problem]) -> None:
    """Console paths: their separator (ZOF205), their steps (ZOF203), their order (ZOF204).

    Args:
        ctx: What the catalog allows.
        doc: The document.
        found: Where findings go.
    """
    prose = doc.prose
    separated = _SEPARATORS.search(prose) is not None
    for match in ctx.separator_re.finditer(prose) if separated else ():
        written = words(match.group())
        right = f"{match[1]} → {match[3]}"
        found.append(
            ctx.at(
                doc, match.start(), "ZOF205",
                f"'{written}' separates Console path steps with '{match[2]}'",
                f"write '{right}'",
            )
        )  # fmt: skip
    seen: set[int] = set()
    for arrow in re.finditer("→", prose):
        if arrow.start() in seen:
            continue
        start = arrow.start()
        while start > 0 and not _PATH_EDGE.match(prose, start - 1):
            start -= 1
        end = arrow.end()
        while end < len(prose) and not _PATH_EDGE.match(prose, end):
            end += 1
        path = prose[start:end]
        seen.update(m.start() + start for m in re.finditer("→", path))
        _path(ctx, doc, start + len(path) - len(path.lstrip()), words(path), found)


def _path(ctx: CheckContext, doc: Doc, offset: int, path: str, found: list[Problem]) -> None:
    steps = [step.strip() for step in path.split("→")]
    # In running prose the path's ends are not marked: "It lives at Home → Runs
    # today" names the path Home → Runs. Trim each end to the label it ends with.
    first = _trim(steps[0].split(), ctx.labels, from_left=True)
    if first is not None:
        offset += path.index(first)
        steps[0] = first
    last = _trim(steps[-1].split(), ctx.labels, from_left=False)
    if last is not None:
        steps[-1] = last
    path = " → ".join(steps)
    if not any(step in ctx.labels or closest(step, ctx.labels, 0.6) for step in steps):
        return  # An arrow between things that are not labels, such as YAML → Jinja.
    for step in steps:
        if step not in ctx.labels:
            close = closest(step, ctx.labels, 0.6)
            right = ctx.wrong.get(step, close)
            found.append(
                ctx.at(
                    doc, offset, "ZOF203",
                    f"'{step}' in the Console path '{path}' is not a label",
                    f"did you mean '{right}'?" if right else "see the glossary",
                )
            )  # fmt: skip
            return
    label = ctx.labels[steps[-1]]
    if label.path != " → ".join(steps):
        found.append(
            ctx.at(
                doc, offset, "ZOF204",
                f"'{path}' is not where '{label.label}' lives",
                f"write '{label.path}'" if label.path else f"'{label.label}' has no path",
            )
        )  # fmt: skip


def _trim(parts: list[str], known: dict[str, Label], *, from_left: bool) -> str | None:
    """The longest run of words at one end that is a label, if any."""
    for cut in range(len(parts)):
        run = parts[cut:] if from_left else parts[: len(parts) - cut]
        if " ".join(run) in known:
            return " ".join(run)
    return None


def _miscased(text: str, label: str) -> bool:
    """Whether `text` is `label` in a case a reader would take for another label.

    An abbreviation (RBAC) must keep its capitals; any other label is miscased when
    `text` capitalizes a letter the label does not (Quality Areas). An all-lowercase run
    of words such as "next actions" is ordinary prose, not a label.
    """
    if sum(c.isupper() for c in label) > 1 and label.isupper():
        return text != label
    if " " not in label:
        return False
    return any(a.isupper() and not b.isupper() for a, b in zip(text, label, strict=False))
