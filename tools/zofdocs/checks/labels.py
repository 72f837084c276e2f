"""Rules on Console labels: spelling, case, bold UI text and Console paths.

Rules ZOF201 to ZOF205 of `zofdocs.findings.RULES`.
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

from zofdocs.checks.context import WORDS, CheckContext, Piece, unescape, words
from zofdocs.errors import Problem
from zofdocs.model import Label
from zofdocs.prose import Doc
from zofdocs.suggest import closest, within

__all__ = ["bold", "labels", "paths"]

_ARROWS = re.compile(r"\s*(?:→|->|=>|>|»)\s*")
_BOLD = re.compile(r"\*\*(?=\S)((?:[^\n*]|\n(?![ \t]*\n))+?)(?<=\S)\*\*")
_SEPARATORS = re.compile(r"->|=>|>|»")
_TOKEN = re.compile("[^\\s*_`\\[\\](){}\"'\u2018\u2019\u201c\u201d<>]+")
_TRAILING = ".,;:!?"
_WORDS = WORDS
_PATH_EDGE = re.compile(r"[*\[\]()|\n]|[.;:,!?](?=\s|$)")
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
    # times faster than one alternation of every label tried at every position. A
    # word is any run without white space, less the punctuation around it, so labels
    # that start with a digit, a letter outside ASCII or a sign (2FA, Éclair, C++) are
    # tried too.
    matches = []
    end = 0
    for token in _TOKEN.finditer(prose):
        start = token.start()
        if start < end:
            continue
        word = token.group().casefold()
        if "\\" in word:
            word = unescape(word)
        if word not in ctx.first_words and word.rstrip(_TRAILING) not in ctx.first_words:
            continue
        if start and (prose[start - 1].isalnum() or prose[start - 1] in "_:-./@"):
            continue
        match = ctx.label_at.match(prose, start)
        if match:
            matches.append(match)
            end = match.end()
    return matches


def _respell(written: str, right: str) -> str:
    """`right`, keeping the line breaks and spaces of `written` where the words line up."""
    parts = re.split(r"(\s+)", written)
    words_right = right.split()
    if len(parts[::2]) != len(words_right):
        return right
    parts[::2] = words_right
    return "".join(parts)


def _ui(doc: Doc, start: int, end: int) -> bool:
    """Whether the text from `start` to `end` is set off as a UI name: bold or a link.

    Read in the file, not the prose: a link's target is blanked out of the prose.
    """
    text = doc.text
    if text[max(0, start - 2) : start] == "**" and text[end : end + 2] == "**":
        return True
    return text[max(0, start - 1) : start] == "[" and text[end : end + 2] == "]("


def _marked(doc: Doc, start: int, end: int, text: str) -> bool:
    """Whether a run of words reads as a UI name: bold, a link, or capitalized mid-sentence.

    A known wrong spelling in another case than the glossary's ("dashboard" for
    "Dashboard") is often an ordinary word; in bold, or with a capital a sentence does
    not explain, it names something on screen.
    """
    if _ui(doc, start, end):
        return True
    if any(word[:1].isupper() for word in text.split()[1:]):
        return True
    return text[:1].isupper() and not _sentence_start(doc.prose, start)


class _Labels(NamedTuple):
    """The labels of a piece of prose, right or wrong, as the label pass reads them.

    Attributes:
        spans: Where each is, from the piece's start.
        exact: The labels written as the glossary writes them, one per use.
        others: The rest: start, end, the text as written, and its words.
    """

    spans: list[tuple[int, int]]
    exact: list[str]
    others: list[tuple[int, int, str, str]]


def _find_labels(ctx: CheckContext, prose: str) -> _Labels:
    """The labels of a piece of prose (`CheckContext.facts` keeps them)."""
    found = _Labels([], [], [])
    for match in _label_matches(ctx, prose):
        text = words(unescape(match.group()))
        found.spans.append(match.span())
        if text in ctx.labels:
            found.exact.append(text)
        else:
            found.others.append((match.start(), match.end(), match.group(), text))
    return found


def labels(ctx: CheckContext, doc: Doc, found: list[Problem], pieces: list[Piece]) -> None:
    """Console labels in prose: known wrong spellings (ZOF201) and wrong case (ZOF202).

    Args:
        ctx: What the catalog allows; counts each label it finds.
        doc: The document.
        found: Where findings go.
        pieces: The document's prose, cut at blank lines (`CheckContext.pieces`).
    """
    mine: list[tuple[int, Problem]] = []  # This pass's findings, by offset.
    taken: list[tuple[int, int]] = []
    for piece in pieces:
        offset = piece.offset
        facts = ctx.facts(_find_labels, piece)
        if not facts.spans:
            continue
        taken += [(start + offset, end + offset) for start, end in facts.spans]
        for label in facts.exact:
            ctx.used[label] += 1
        for start, end, written, words_of in facts.others:
            problem = _label(ctx, doc, start + offset, end + offset, written, words_of)
            if problem is not None:
                mine.append((start + offset, problem))
    typos = _typos(ctx, doc, found, taken, pieces)
    # A word inside a misspelled longer label is that mistake, not one of its own:
    # "Center Admin" is one swap, not also a miscased "admin".
    found += [f for at, f in mine if not any(a <= at < b for a, b in typos)]
    _near(ctx, doc, found, [*taken, *typos], pieces)


def _label(
    ctx: CheckContext, doc: Doc, start: int, end: int, written: str, text: str
) -> Problem | None:
    """The finding on a run of words the label pass read as a label, not as written.

    Args:
        ctx: What the catalog allows; counts the label when it is right after all.
        doc: The document.
        start: Where the words start.
        end: Where they end.
        written: The words as written.
        text: Their words, white space folded and escapes taken out.

    Returns:
        ZOF201 or ZOF202, or None when the words are right where they stand.
    """
    right = ctx.wrong.get(text)
    case_only = False
    if right is None:
        label = ctx.folded.get(text.casefold())
        ui = label is not None and _ui(doc, start, end)
        if label is not None and (_miscased(text, label.label) or ui):
            right, case_only = label.label, True
        elif (
            label is not None
            and not _part_of_longer(ctx, doc, start, end)
            and _capitalized_mid_sentence(doc, start, text)
        ):
            right, case_only = label.label, True  # "Organization" for "organization".
        elif label is None:
            # A wrong spelling in another case: reported where it names a UI thing.
            right = ctx.wrong_folded.get(text.casefold())
            if right is None or not _marked(doc, start, end, text):
                return None
        else:
            return None  # Ordinary words, such as "next actions".
    elif right.casefold() == text.casefold():
        case_only = True
    capitalized = text == right[:1].upper() + right[1:]
    if case_only and capitalized and _sentence_start(doc.prose, start):
        ctx.used[right] += 1
        return None
    fix = (start, end, _respell(written, right))
    if case_only:
        return ctx.at(
            doc, start, "ZOF202", f"'{text}' is written '{right}' in the Console",
            f"write '{right}'", fix,
        )  # fmt: skip
    return ctx.at(
        doc, start, "ZOF201", f"'{text}' is a wrong spelling of the Console label '{right}'",
        f"write '{right}'", fix,
    )  # fmt: skip


def _part_of_longer(ctx: CheckContext, doc: Doc, start: int, end: int) -> bool:
    """Whether the words at `start` go on, or come at the end of, a longer label's name.

    "Admin" in "Admin Cener" is no miscased "admin": it starts "Admin Center".
    """
    after = _WORDS.match(doc.prose, end + len(doc.prose[end:]) - len(doc.prose[end:].lstrip()))
    before = list(_WORDS.finditer(doc.prose, max(0, start - 40), start))
    word = words(doc.prose[start:end]).casefold().split()
    for name in ctx.by_first.get(word[0], ()):
        parts = name.casefold().split()
        if len(parts) <= len(word) or after is None:
            continue
        rest, next_word = parts[len(word)], after.group().casefold()
        if next_word == rest or within(next_word, rest, 2):
            return True
    for name in ctx.by_last.get(word[-1], ()):
        parts = name.casefold().split()
        if len(parts) <= len(word) or not before:
            continue
        lead = parts[-len(word) - 1]
        if within(before[-1].group().casefold(), lead, 2):
            return True
    return False


def _capitalized_mid_sentence(doc: Doc, start: int, text: str) -> bool:
    """A lowercase label written with a capital no sentence start or name explains.

    A capitalized word beside another ("*The Organization* tier", "Organization
    Settings") is part of a name or a title, not a miscased label.
    """
    if not text[:1].isupper() or any(c.isupper() for c in text[1:]):
        return False
    if _sentence_start(doc.prose, start) or _heading(doc.prose, start):
        return False
    before = list(_WORDS.finditer(doc.prose, max(0, start - 30), start))
    after = _WORDS.search(doc.prose, start + len(text), start + len(text) + 30)
    near = [m.group() for m in (before[-1:] + ([after] if after else []))]
    return not any(word[:1].isupper() for word in near)


def _heading(prose: str, offset: int) -> bool:
    """Whether `offset` is on a Markdown heading's line, where words take capitals."""
    line_start = prose.rfind("\n", 0, offset) + 1
    return prose[line_start:offset].lstrip().startswith("#")


class _NearWord(NamedTuple):
    """A word of a piece of prose that is nearly a one-word label (see `_near`).

    Attributes:
        start: Where it starts, from the piece's start.
        end: Where it ends.
        word: The word.
        label: The label it nearly is.
        kind: `typo` or `number`.
        plain: Whether it may be the label without being set off as a UI name: for
            `number`, it has a capital; for `typo`, it is no English word and has the
            label's capital, or the label is long.
        heading: It is on a heading's line.
    """

    start: int
    end: int
    word: str
    label: str
    kind: str
    plain: bool
    heading: bool


def _find_near(ctx: CheckContext, prose: str) -> list[_NearWord]:
    """The words of a piece of prose that `_near` looks at (`CheckContext.facts` keeps them).

    Everything about a word that depends on the piece alone; what depends on the page
    (bold or a link around it, a sentence's start, findings already there) is `_near`'s.
    """
    found: list[_NearWord] = []
    # Most pieces hold no near miss at all: look at their distinct words first.
    words_here = {t.rstrip(_TRAILING) for t in set(_TOKEN.findall(prose))}
    candidates = {w: ctx.near_label(w) for w in words_here if len(w) >= 3}
    if not any(candidates.values()):
        return found
    for token in _TOKEN.finditer(prose):
        word = token.group().rstrip(_TRAILING)
        near = candidates.get(word)
        if near is None:
            continue
        start, end = token.start(), token.start() + len(word)
        if not word[:1].isalpha() or any(c.isdigit() or c in "_/@=" for c in word):
            continue
        if start and (prose[start - 1].isalnum() or prose[start - 1] in "_:-./@"):
            continue
        label, kind = near
        if kind == "number":
            plain = word[:1].isupper()
        else:
            plain = not ctx.english(word) and not (
                word[:1].isupper() != label[:1].isupper() and len(label) < 6
            )
        found.append(_NearWord(start, end, word, label, kind, plain, _heading(prose, start)))
    return found


def _near(
    ctx: CheckContext,
    doc: Doc,
    found: list[Problem],
    taken: list[tuple[int, int]],
    pieces: list[Piece],
) -> None:
    """One-word labels written nearly right: a typo, the other number, swapped words.

    Each is a word the label pass did not read as a label, that is no English word
    (`zofdocs.checks.context.CheckContext.english`), and that the page sets off as a
    UI name: with the label's capitals, in bold, or as a link (ZOF203 and ZOF202).
    """
    prose = doc.prose
    places: set[tuple[int, int]] | None = None
    inside: _Covered | None = None
    for piece in pieces:
        offset = piece.offset
        for near in ctx.facts(_find_near, piece):
            start, end = near.start + offset, near.end + offset
            if inside is None:
                inside = _Covered(taken)
            if inside.starts(start):
                continue
            ui = _ui(doc, start, end)
            if near.kind == "number":
                # "Project" for "Projects": the other number is an English word, so only a
                # word set off as a UI name, or with a capital mid-sentence, is the label.
                if not (ui or (near.plain and not _sentence_start(prose, start)
                               and not near.heading)):  # fmt: skip
                    continue
            elif not ui and not near.plain:
                # A word of its own ("Leverage"), however close to "Coverage"; or a short
                # word that lost or gained a capital, as words do in ordinary prose.
                continue
            if places is None:
                places = {(f.line, f.column) for f in found}
            if doc.position(start) in places:
                continue
            places.add(doc.position(start))
            found.append(
                ctx.at(
                    doc, start, "ZOF203",
                    f"'{near.word}' is not a Console label", f"write '{near.label}'",
                    (start, end, near.label),
                )
            )  # fmt: skip


class _Window(NamedTuple):
    """A run of words of a piece of prose that is nearly a multi-word label (`_typos`).

    Attributes:
        word: The place of its first word among the piece's words near a label's.
        size: How many words it has.
        start: Where it starts, from the piece's start.
        end: Where it ends.
        text: Its words.
        written: Its text as written, line breaks and all.
        name: The label it nearly is, or two as near, quoted and joined by "or".
        plain: Whether it may be the label without being set off as a UI name: it has
            the label's capitals, and no word that is off is an English word.
    """

    word: int
    size: int
    start: int
    end: int
    text: str
    written: str
    name: str
    plain: bool


def _find_windows(ctx: CheckContext, prose: str) -> list[_Window]:
    """The runs of words of a piece of prose that `_typos` looks at (`CheckContext.facts`).

    Everything about a run that depends on the piece alone, in the order `_typos` tries
    them: by first word, the longest first.
    """
    found: list[_Window] = []
    if not ctx.by_size:
        return found
    # Only runs of words that are each near some label's words can hold a near miss.
    tokens = [(t.start(), t.end()) for t in _WORDS.finditer(prose) if ctx.word_near(t.group())]
    sizes = sorted(ctx.by_size, reverse=True)
    for index in range(len(tokens)):
        for size in sizes:
            window = tokens[index : index + size]
            if len(window) < size:
                continue
            start, end = window[0][0], window[-1][1]
            if sum(b - a for a, b in window) not in ctx.near_lengths[size]:
                continue  # No label of this many words is within two letters of it.
            if any(not prose[a[1] : b[0]].isspace() for a, b in itertools.pairwise(window)):
                continue  # Words of one run only: no punctuation or other word between.
            text = words(prose[start:end])
            resolved = ctx.resolve(text)
            if resolved is None or resolved[1] not in ("typo", "swap", "number"):
                continue
            name, kind = resolved
            # Two labels as near ("'API key' or 'API keys'"): judged by the first.
            first = name.split("'")[1] if name.startswith("'") else name
            plain = _capitals_fit(text, first, kind) and not (
                kind == "typo"
                and any(
                    ctx.english(g) and not (w.isupper() and g.isupper())  # "PI key": no prose.
                    for g, w in zip(text.split(), first.split(), strict=True)
                    if g.casefold() != w.casefold()
                )
            )
            found.append(_Window(index, size, start, end, text, prose[start:end], name, plain))
    return found


def _typos(
    ctx: CheckContext,
    doc: Doc,
    found: list[Problem],
    taken: list[tuple[int, int]],
    pieces: list[Piece],
) -> list[tuple[int, int]]:
    """A multi-word label with a letter or two off, or its words swapped (ZOF203).

    "Open the Admin Cener", "the releqse agtes", "Key API": a run of words the label
    pass did not read as a label, that `CheckContext.resolve` reads as one. Each word
    that is off must be no English word ("release dates" is prose), and the capitals
    must be the label's, unless the page sets the words off as a UI name.

    Returns:
        The spans of the words it reported.
    """
    spans: list[tuple[int, int]] = []
    places: set[tuple[int, int]] | None = None
    inside: _Covered | None = None
    for piece in pieces:
        offset = piece.offset
        after = 0  # A run reported: no run starts inside it.
        for window in ctx.facts(_find_windows, piece):
            if window.word < after:
                continue
            start, end = window.start + offset, window.end + offset
            if inside is None:
                inside = _Covered(taken)
            if inside.holds(start, end):
                continue  # Words the label pass read as one label, right or wrong.
            if not window.plain and not _ui(doc, start, end):
                continue
            if places is None:
                places = {(f.line, f.column) for f in found}
            if doc.position(start) in places:
                continue
            places.add(doc.position(start))
            name = window.name
            if " or " in name:  # Two labels as near: for a person to choose.
                hint, fix = f"did you mean {name}?", None
            else:
                hint, fix = f"write '{name}'", (start, end, _respell(window.written, name))
            found.append(
                ctx.at(doc, start, "ZOF203", f"'{window.text}' is not a Console label", hint, fix)
            )
            spans.append((start, end))
            after = window.word + window.size
    return spans


class _Covered:
    """Spans of text, asked about in increasing order of offset, each in constant time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.at = 0

    def _advance(self, offset: int) -> None:
        while self.at < len(self.spans) and self.spans[self.at][1] <= offset:
            self.at += 1

    def starts(self, offset: int) -> bool:
        """Whether a span holds `offset`; offsets asked must not decrease."""
        self._advance(offset)
        return self.at < len(self.spans) and self.spans[self.at][0] <= offset

    def holds(self, start: int, end: int) -> bool:
        """Whether one span holds all of `start` to `end`; starts must not decrease."""
        self._advance(start)
        return any(a <= start and end <= b for a, b in self.spans[self.at : self.at + 3])


def _capitals_fit(text: str, label: str, kind: str) -> bool:
    """Whether a near miss is written with the label's capitals, so it names the label."""
    if kind == "swap":
        return any(c.isupper() for c in text) or not any(c.isupper() for c in label)
    got, want = text.split(), label.split()
    return all(g[:1].isupper() == w[:1].isupper() for g, w in zip(got, want, strict=True))


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
        if any(f.rule == "ZOF203" and doc.position(match.start(1)) == (f.line, f.column)
               for f in found):  # fmt: skip
            continue  # A typo the label pass found already.
        candidates = [c for c in ctx.labels if closest(text, [c], 0.85)]
        close = closest(text, ctx.labels, 0.85)
        if close:
            # One candidate only is a fix; several are for a person to choose. The fix
            # spans the words as written, their spaces and line breaks included.
            start = match.start(1)
            raw = match.group(1).rstrip(":.")
            one = len(candidates) == 1
            fix = (start, start + len(raw), _respell(raw, close)) if one else None
            found.append(
                ctx.at(
                    doc, start, "ZOF203",
                    f"'{text}' is not a Console label", f"did you mean '{close}'?", fix,
                )
            )  # fmt: skip


class _Paths(NamedTuple):
    """The Console paths of a piece of prose (`paths`), from the piece's start.

    Attributes:
        separators: Paths with another separator than an arrow: start, end, the path
            as written, its separator, and the path as it should be.
        arrows: Paths with arrows that may be wrong: where each starts, and its words.
    """

    separators: list[tuple[int, int, str, str, str]]
    arrows: list[tuple[int, str]]


def _find_paths(ctx: CheckContext, prose: str) -> _Paths:
    """The Console paths of a piece of prose (`CheckContext.facts` keeps them).

    A path that names labels, each as the glossary writes it, in their own order (or
    no label at all) is right wherever it stands: it is not kept.
    """
    found = _Paths([], [])
    if _SEPARATORS.search(prose) is not None:
        for match in ctx.separator_re.finditer(prose):
            written = words(match.group())
            right = f"{match[1]} → {match[3]}"
            found.separators.append((match.start(), match.end(), written, match[2], right))
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
        if not _right_path(ctx, words(path)):
            found.arrows.append((start + len(path) - len(path.lstrip()), words(path)))
    return found


def paths(ctx: CheckContext, doc: Doc, found: list[Problem], pieces: list[Piece]) -> None:
    """Console paths: their separator (ZOF205), their steps (ZOF203), their order (ZOF204).

    Args:
        ctx: What the catalog allows.
        doc: The document.
        found: Where findings go.
        pieces: The document's prose, cut at blank lines (`CheckContext.pieces`).
    """
    facts = [(piece.offset, ctx.facts(_find_paths, piece)) for piece in pieces]
    for offset, here in facts:
        for start, end, written, separator, right in here.separators:
            found.append(
                ctx.at(
                    doc, start + offset, "ZOF205",
                    f"'{written}' separates Console path steps with '{separator}'",
                    f"write '{right}'", (start + offset, end + offset, right),
                )
            )  # fmt: skip
    for offset, here in facts:
        for start, path in here.arrows:
            _path(ctx, doc, start + offset, path, found)


def _steps(ctx: CheckContext, path: str) -> tuple[list[str], int]:
    """A path's steps, and where the first starts in `path`.

    In running prose the path's ends are not marked: "It lives at Home → Runs today"
    names the path Home → Runs. Each end is trimmed to the words that name a label,
    rightly or not; failing that, to one word.
    """
    steps = [step.strip() for step in path.split("→")]
    # An arrow at an end ("→ Operate → Runs", a list of steps) starts or ends no step.
    while len(steps) > 1 and not steps[0]:
        steps.pop(0)
    while len(steps) > 1 and not steps[-1]:
        steps.pop()
    first = _trim(ctx, steps[0].split(), from_left=True)
    lead = path.index(first)
    steps[0] = first
    steps[-1] = _trim(ctx, steps[-1].split(), from_left=False)
    return steps, lead


def _unfold(text: str, start: int, count: int) -> int:
    """Where, in `text` from `start`, the first `count` characters of `words()` of it end.

    A path is read with its white space folded (`words`); its place is in the text as
    written, where a run of spaces or a line break is one folded space.
    """
    at = start
    for _ in range(count):
        if text[at].isspace():
            while at < len(text) and text[at].isspace():
                at += 1
        else:
            at += 1
    return at


def _misplaced(ctx: CheckContext, steps: list[str]) -> tuple[Label, str | None] | None:
    """For steps that are each a label as written: the label, and its path, if not these.

    Steps in the wrong order name the label whose path they are the other way round.
    """
    path = " → ".join(steps)
    label = ctx.labels[steps[-1]]
    want = label.path
    if want != path:
        reverse = " → ".join(reversed(steps))
        named = next((lb for lb in ctx.labels.values() if lb.path == reverse), None)
        if named is not None:
            label, want = named, reverse
    return (label, want) if want != path else None


def _right_path(ctx: CheckContext, path: str) -> bool:
    """Whether `_path` finds nothing in a path, whatever the page it is on.

    It names no label, or labels as written, in the order of the last one's path.
    """
    steps, _ = _steps(ctx, path)
    resolved = [ctx.resolve(step) for step in steps]
    if not any(resolved):
        return True
    if any(how is None or how[1] != "exact" for how in resolved):
        return False
    return _misplaced(ctx, steps) is None


def _path(ctx: CheckContext, doc: Doc, offset: int, path: str, found: list[Problem]) -> None:
    steps, lead = _steps(ctx, path)
    if not all(steps):
        return  # Arrows with nothing between them ("A → → B") name no path.
    offset = _unfold(doc.prose, offset, lead)
    path = " → ".join(steps)
    resolved = [ctx.resolve(step) for step in steps]
    if not any(resolved):
        return  # An arrow between things that are not labels, such as YAML → Jinja.
    at = offset
    for step, how in zip(steps, resolved, strict=True):
        at = doc.prose.index(step.split()[0], at)
        if how is not None and how[1] == "exact":
            at += len(step)
            continue
        if any(doc.position(at) == (f.line, f.column) for f in found):
            return  # The label pass reported this step already: one mistake, one finding.
        end = at + _path_length(doc.prose[at:], [step])
        if how is None:
            right = closest(step, ctx.labels, 0.6)
            fix = (at, end, right) if right and end > at else None
            message = f"'{step}' in the Console path '{path}' is not a label"
            hint = f"write '{right}'" if right else "see the glossary"
            found.append(ctx.at(doc, at, "ZOF203", message, hint, fix))
            return
        name, kind = how
        rule = {"case": "ZOF202", "wrong": "ZOF201"}.get(kind, "ZOF203")
        message = {
            "case": f"'{step}' is written '{name}' in the Console",
            "wrong": f"'{step}' is a wrong spelling of the Console label '{name}'",
        }.get(kind, f"'{step}' in the Console path '{path}' is not a label")
        fix = (at, end, name) if end > at else None
        found.append(ctx.at(doc, at, rule, message, f"write '{name}'", fix))
        return
    misplaced = _misplaced(ctx, steps)
    if misplaced is not None:
        label, want = misplaced
        end = offset + _path_length(doc.prose[offset:], steps)
        fix = (offset, end, want) if want and end > offset else None
        found.append(
            ctx.at(
                doc, offset, "ZOF204",
                f"'{path}' is not where '{label.label}' lives",
                f"write '{want}'" if want else f"'{label.label}' has no path",
                fix,
            )
        )  # fmt: skip


def _path_length(written: str, steps: list[str]) -> int:
    """How many characters of `written` the path of these steps takes, as written."""
    pattern = r"\s*→\s*".join(r"\s+".join(map(re.escape, step.split())) for step in steps)
    match = re.match(pattern, written)
    return match.end() if match else 0


def _trim(ctx: CheckContext, parts: list[str], *, from_left: bool) -> str:
    """The longest run of words at one end that names a label, else the end word.

    A run that names a label as written, or in another case or a known wrong spelling,
    wins over a longer near miss: "Projects in the Console" ends at "Projects".
    """
    cuts = range(max(0, len(parts) - 4), len(parts)) if from_left else range(len(parts))
    for strict in (True, False):
        for cut in cuts:
            run = parts[cut:] if from_left else parts[: len(parts) - cut]
            resolved = ctx.resolve(" ".join(run)) if len(run) <= 4 else None
            if resolved and (not strict or resolved[1] in ("exact", "case", "wrong", "swap")):
                return " ".join(run)
    return (parts[-1] if from_left else parts[0]) if parts else ""


def _miscased(text: str, label: str) -> bool:
    """Whether `text` is `label` in a case a reader would take for another label.

    An abbreviation (RBAC), or one inside a label (API key), must keep its capitals; a
    label in title case (Admin Center) is miscased all in lowercase; any other label is
    miscased when `text` capitalizes a letter the label does not (Quality Areas). An
    all-lowercase run of words such as "next actions" is ordinary prose, not a label.
    """
    if sum(c.isupper() for c in label) > 1 and label.isupper():
        return text != label
    pairs = list(zip(text.split(), label.split(), strict=False))
    # An abbreviation inside a label keeps its capitals too: "api key" for "API key".
    if any(sum(c.isupper() for c in want) > 1 and got != want for got, want in pairs):
        return True
    if " " not in label:
        return False
    # A label in title case, written all in lowercase: "admin center".
    if text.islower() and all(want[:1].isupper() for want in label.split()):
        return True
    return any(a.isupper() and not b.isupper() for a, b in zip(text, label, strict=False))
