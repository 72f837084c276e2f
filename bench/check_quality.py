"""Measure the checker's recall on seeded mistakes and its precision on untuned prose.

Recall: for a catalog, `seed` writes Markdown pages the way operations docs are
written (paragraphs, bold UI text, links, tables, lists, admonitions) and plants in
them mistakes of known classes, recording each one's line, column, wrong text and
right text, next to correct uses of the same labels, paths, codes and statuses.
`zofdocs check` then runs on each page. A mistake is caught once when exactly one
finding falls inside its wrong text (a finding's line and column, as an offset, lie in
the text's span), caught twice or more when several do (a defect: one mistake, one
finding), and missed when none does. Recall is the share caught once. Any finding
outside every mistake is a false alarm.

Precision: the checker, with the shipped catalog and glossary, runs over the
project's own `docs/` pages and over the long description of every Python
distribution installed here that is written in Markdown (the project's own excepted);
every finding is listed for a person to judge.

    python bench/check_quality.py [--catalog DIR ...] [--imports] [--json FILE]

Classes of mistakes (`kind`), with their variants:

- `case`: a label in another case: `title-case` (Quality Areas), `lower` (quality
  areas, for a label that starts with a capital), `lower-single` (runs, for Runs:
  only in bold, link text and paths, where a reader sees UI text), `capitalized`
  (Tenant, for tenant: never at a sentence start), `abbrev-lower` (api key, rbac),
  `abbrev-title` (Api key, Rbac). Lower-case variants go in sentences that name the
  Console (`open X`, `the X page`), where the miscase shows.
- `typo`: `insert`, `delete`, `substitute` (a neighbouring key), `transpose`, `two`
  (two of those), in labels of at least 5 letters.
- `spelling`: a British or American variant of a word of the label (centre, colour,
  organisation, -ise/-ize, catalogue, licence, cancelled...).
- `number`: singular for plural and back (Projects: Project), on the last word of a
  label that starts with a capital (a UI name): a lower-case label (`service account`,
  `tenant`) is a word of the prose, which may take either number.
- `swap`: two adjacent words of a label swapped (Center Admin).
- `split`: a label in another case, broken across a line break of a wrapped paragraph;
  the variant is the case variant.
- `path-separator` (`>`, `->`, `»`), `path-order` (the steps reversed), `path-parent`
  (another top-level step first), on the paths of the glossary.
- `status-phrase`: a status with another status's reason phrase (`other-phrase`,
  `http-other-phrase`) or its own miscased (`miscased`: 429 Too many requests);
  `status-unknown`: a 4xx or 5xx status the catalog lacks (`http`: HTTP 418, `phrase`:
  502 Bad Gateway). None in a catalog without statuses (the checker then says nothing
  of HTTP statuses, by design).
- `code-backticks` and `code-bare`: made-up codes one edit from a real code
  (`code:OP`) or from one of its lower-case snake_case aliases (`alias:OP`), such as
  PostgreSQL's condition names; OP is an edit above, or for snake_case names
  `underscore-dropped` and `hyphen`. Bare ones only for snake_case names: a bare
  number in prose is not a code.

Placements (`placement`): `prose`, `bold`, `link` (link text), `table` (a cell),
`list` (an item), `admonition` (its indented body), `path` (a label mistake written as
a step of a Console path: its span is the whole path).

A generated mistake is skipped (and counted by reason) when it would be ambiguous:

- its wrong text is a label, or a wrong spelling of the glossary in any case
  (a typo that makes "Risks" is a known wrong spelling, not a typo);
- it folds to another label than its own (two labels that differ only in case);
- a made-up code is a real code, an alias, a parameter, a label, or a status number;
- a wrong path is the path of some label;
- a reason phrase starts with the right one (the checker reads up to 4 words);
- the label holds Markdown syntax (`*[]|<>{}` or a backtick) or an arrow;
- a lower-case form of a one-word label outside bold, link text and paths (an
  ordinary word: "coverage"), a plural of a word with no plural (`UNCOUNTABLE`), or
  a singular or plural that is itself a label (API key, API keys);
- a lower-case form of a multi-word label in sentence case ("next actions" for Next
  actions) outside bold, link text and paths, split across a line or not: English,
  where the same words in title case ("admin center") are not;
- a made-up code with hyphens for underscores outside backticks: "rate-limited" is an
  English compound in prose;
- a typo that is the label's other number (Active run), which `number` measures;
- a typo that cannot be made (no letter pair to transpose), after 30 draws.

A typo that makes an English word (`COMMON_WORDS` and the catalog's own words) is kept
and noted `dictionary word`, as prose may mean that word; a wrong text that is one of
the label's `wrong_spellings` is noted `known wrong spelling`.

The report gives, per class, variant and placement: mistakes seeded, caught once,
caught twice or more, missed, recall, and `hint ok`: the share of those caught once
whose finding's hint or message names the right text (for a label mistake written in
a path, the label; for an unknown status, any finding counts). A false alarm that
falls just before a mistake (a path finding placed at the start of the sentence) is
said to be so: it is the mistake's finding, at the wrong column.

Filler sentences and templates that name a label in another case, a wrong spelling, a
status number, a code or an arrow are dropped for that catalog, so that every finding
on a seeded page outside a mistake is the checker's false alarm. Pages are made from a
seeded `random.Random`: the same catalog and seed give the same pages.
"""

from __future__ import annotations

import argparse
import bisect
import email.message
import http
import importlib.metadata
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from check_quality_phrases import (
    ADMONITIONS,
    ANY_TEMPLATES,
    CELL_TEMPLATES,
    CODE_CELLS,
    CODE_TEMPLATES,
    COMMON_WORDS,
    FILLER,
    HEADINGS,
    IZE_EXCEPTIONS,
    LINK_TARGETS,
    PATH_TEMPLATES,
    PLAIN_IDENTIFIERS,
    SPELLINGS,
    START_TEMPLATES,
    STATUS_CELLS,
    STATUS_TEMPLATES,
    TASKS,
    UI_TEMPLATES,
    UNCOUNTABLE,
)

from zofdocs import load_sources
from zofdocs.check import Checker, Target
from zofdocs.errors import Problem, display_path
from zofdocs.model import Label, Sources
from zofdocs.suggest import closest

ROOT = Path(__file__).resolve().parent.parent
SEED = 20250601
"""The default seed of the page generator."""
MAX_CODES = 120
"""Codes sampled from a large catalog (Twilio has 1,953), to keep a run to seconds."""
PER_PAGE = 20
"""Mistakes on one seeded page."""
WIDTH = 80
"""Where paragraphs wrap."""

LABEL_PLACEMENTS = ("prose", "bold", "link", "table", "list", "admonition", "path")
SPLIT_PLACEMENTS = ("prose", "bold", "link", "list", "admonition")
PATH_PLACEMENTS = ("prose", "bold", "link", "table", "list", "admonition")
STATUS_PLACEMENTS = ("prose", "bold", "table", "list", "admonition")
TICK_PLACEMENTS = ("prose", "link", "table", "list", "admonition")
BARE_PLACEMENTS = ("prose", "table", "list", "admonition")
USE_PLACEMENTS = ("prose", "bold", "link", "table", "list", "admonition")
UI_KINDS = frozenset(
    {"area", "page", "tile", "tab", "button", "menu", "section", "field", "dialog", "panel"}
)
CLASSES = (
    "case",
    "typo",
    "spelling",
    "number",
    "swap",
    "split",
    "path-separator",
    "path-order",
    "path-parent",
    "status-phrase",
    "status-unknown",
    "code-backticks",
    "code-bare",
)
"""Every class, in the report's order."""
TYPO_OPS = ("insert", "delete", "substitute", "transpose", "two")
CODE_OPS = ("insert", "delete", "substitute", "transpose")
SEPARATORS = (">", "->", "»")
ARROW = " → "
_MARKUP = re.compile(r"[*\[\]|<>{}`\\→\n]")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
_STATUS_NUMBER = re.compile(r"(?<![\w.])[1-5]\d\d(?![\w])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


# --- What a seeded page holds ----------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """A seeded mistake, where its page holds it.

    Attributes:
        kind: Its class, one of `CLASSES`.
        variant: Its sub-kind, such as `title-case` or `transpose`.
        placement: Where it is written, one of `LABEL_PLACEMENTS`.
        wrong: The text as the page holds it (a split label holds its line break).
        right: What should have been written.
        subject: The label, path, code or status it misspells.
        note: `dictionary word`, `known wrong spelling`, or empty.
        page: The page's name.
        line: 1-based line of the wrong text's first character.
        column: 1-based column of that character.
        offset: Its offset in the page.
    """

    kind: str
    variant: str
    placement: str
    wrong: str
    right: str
    subject: str
    note: str
    page: str
    line: int
    column: int
    offset: int


@dataclass(frozen=True)
class Use:
    """A correct use of a label, path, code or status, where its page holds it.

    Attributes:
        kind: `label`, `path`, `code`, `alias`, `status`, `param` or `identifier`.
        placement: Where it is written.
        text: The text as the page holds it.
        page: The page's name.
        line: 1-based line.
        column: 1-based column.
        offset: Its offset in the page.
    """

    kind: str
    placement: str
    text: str
    page: str
    line: int
    column: int
    offset: int


@dataclass(frozen=True)
class Page:
    """A seeded page.

    Attributes:
        name: Its name in findings.
        text: Its Markdown.
    """

    name: str
    text: str


@dataclass
class Seeded:
    """Everything `seed` made for one catalog.

    Attributes:
        pages: The pages.
        mistakes: The mistakes, in page and offset order.
        uses: The correct uses, in page and offset order.
        skipped: Mistakes not seeded, by the reason they would be ambiguous.
    """

    pages: list[Page]
    mistakes: list[Mistake]
    uses: list[Use]
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Item:
    """A mistake or a correct use before it has a place on a page."""

    kind: str
    variant: str
    placement: str
    text: str
    right: str = ""
    subject: str = ""
    note: str = ""
    mistake: bool = True
    family: str = "any"  # Which templates: ui, any, start, path, code, status.
    ticks: bool = False  # Written in inline code.


# --- The catalog, as the generator reads it ---------------------------------------------


class _Catalog:
    """The forms of one catalog that a mistake must not collide with."""

    def __init__(self, sources: Sources) -> None:
        labels = sources.glossary.labels
        self.labels = {lb.label: lb for lb in labels}
        self.folded: dict[str, list[str]] = defaultdict(list)
        for lb in labels:
            self.folded[lb.label.casefold()].append(lb.label)
        self.wrong_folded = {w.casefold() for lb in labels for w in lb.wrong_spellings}
        self.codes = {c.code for c in sources.catalog.codes}
        self.aliases = {a for c in sources.catalog.codes for a in c.aliases}
        self.params = {p for c in sources.catalog.codes for p in c.params}
        self.statuses = {s.status: s for s in sources.catalog.statuses}
        forms = sorted(
            {*self.labels, *(w for lb in labels for w in lb.wrong_spellings)},
            key=len,
            reverse=True,
        )
        body = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms if f.split())
        self.form_re = (
            re.compile(rf"(?<![\w:-])(?:{body})(?![\w:-])", re.IGNORECASE) if body else None
        )
        text = [lb.definition for lb in labels]
        for c in sources.catalog.codes:
            text += [c.title, c.description or "", *c.causes, *c.fixes]
        text += [s.title + " " + s.meaning for s in sources.catalog.statuses]
        self.dictionary = COMMON_WORDS | {
            w.lower() for t in text for w in _WORD.findall(t) if len(w) > 1
        }

    def known(self, text: str) -> bool:
        """Whether `text` is a label or a wrong spelling, in any case."""
        folded = " ".join(text.split()).casefold()
        return folded in self.folded or folded in self.wrong_folded

    def neutral(self, text: str) -> bool:
        """Whether a filler sentence or template names nothing the checker could flag."""
        if "→" in text or "->" in text or "»" in text or _STATUS_NUMBER.search(text):
            return False
        if _SNAKE.search(text) or any(w in self.codes for w in re.findall(r"\w+", text)):
            return False
        for match in self.form_re.finditer(text) if self.form_re else ():
            written = " ".join(match.group().split())
            if written in self.labels:
                continue
            folded = written.casefold()
            if folded in self.wrong_folded or written != written.lower():
                return False
            if folded not in self.folded:
                return False
        return True


def _valid_paths(sources: Sources) -> list[str]:
    """Paths of two steps or more whose steps are labels and whose last step lives there."""
    labels = sources.glossary.by_label
    found = set()
    for lb in sources.glossary.labels:
        if not lb.path or ARROW not in lb.path:
            continue
        steps = lb.path.split(ARROW)
        if all(s in labels for s in steps) and labels[steps[-1]].path == lb.path:
            found.add(lb.path)
    return sorted(found)


# --- Mistakes of labels -------------------------------------------------------------------


def _abbrev(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and any(c.isalpha() for c in word)


def _title_case(label: str) -> bool:
    """Whether every word of a multi-word label starts with a capital: Admin Center."""
    words = label.split()
    return len(words) > 1 and all(word[:1].isupper() for word in words)


def _case_variants(label: str) -> list[tuple[str, str]]:
    """The label in other cases, by variant."""
    words = label.split(" ")
    out: list[tuple[str, str]] = []
    for i, word in enumerate(words):
        if _abbrev(word):
            out.append(("abbrev-lower", " ".join([*words[:i], word.lower(), *words[i + 1 :]])))
            out.append(("abbrev-title", " ".join([*words[:i], word.capitalize(), *words[i + 1 :]])))
    if len(words) > 1:
        title = [w if _abbrev(w) else w[:1].upper() + w[1:] for w in words]
        out.append(("title-case", " ".join(title)))
        if label[:1].isupper() and not _abbrev(words[0]):
            out.append(("lower", " ".join(w if _abbrev(w) else w.lower() for w in words)))
    elif label[:1].isupper() and not _abbrev(label):
        out.append(("lower-single", label.lower()))
    if label[:1].islower():
        out.append(("capitalized", label[:1].upper() + label[1:]))
    seen: set[str] = set()
    unique = []
    for variant, text in out:
        if text != label and text not in seen:
            seen.add(text)
            unique.append((variant, text))
    return unique


def _neighbors(char: str) -> list[str]:
    lower = char.lower()
    for row, keys in enumerate(_KEYS):
        col = keys.find(lower)
        if col < 0:
            continue
        near = [keys[c] for c in (col - 1, col + 1) if 0 <= c < len(keys)]
        for other in (row - 1, row + 1):
            if 0 <= other < len(_KEYS):
                near += [_KEYS[other][c] for c in (col - 1, col) if 0 <= c < len(_KEYS[other])]
        return [n.upper() if char.isupper() else n for n in near]
    if char.isdigit():
        return [d for d in "0123456789" if d != char]
    return []


def _edit(text: str, op: str, rng: random.Random, *, chars: Callable[[str], bool]) -> str:
    """One edit of `text` at a character that `chars` accepts; `text` when none can be made."""
    at = [i for i, c in enumerate(text) if chars(c)]
    if not at:
        return text
    if op == "transpose":
        pairs = [
            i
            for i in at
            if i + 1 in at
            and text[i].lower() != text[i + 1].lower()
            and text[i].isupper() == text[i + 1].isupper()
        ]
        if not pairs:
            return text
        i = rng.choice(pairs)
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    i = rng.choice(at)
    if op == "delete":
        return text[:i] + text[i + 1 :]
    near = _neighbors(text[i])
    if not near:
        return text
    if op == "insert":
        added = rng.choice([text[i], *near])
        if text[i].isalpha():
            shouted = text[i].isupper() and text[i + 1 : i + 2].isupper()
            added = added.upper() if shouted else added.lower()
        return text[: i + 1] + added + text[i + 1 :]
    return text[:i] + rng.choice(near) + text[i + 1 :]


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insert, delete, substitute, transpose."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _typo(text: str, op: str, rng: random.Random, chars: Callable[[str], bool]) -> str:
    if op != "two":
        return _edit(text, op, rng, chars=chars)
    first, second = rng.sample(CODE_OPS, 2)
    once = _edit(text, first, rng, chars=chars)
    twice = _edit(once, second, rng, chars=chars)
    return twice if _distance(text, twice) == 2 else text


def _spelling_variants(word: str) -> list[str]:
    lower = word.lower()
    found = [uk for us, uk in SPELLINGS if lower == us] + [
        us for us, uk in SPELLINGS if lower == uk
    ]
    match = re.fullmatch(r"(.{3,})iz(e|es|ed|ing|ation|ations|er|ers)", lower)
    if match and lower not in IZE_EXCEPTIONS:
        found.append(f"{match[1]}is{match[2]}")
    match = re.fullmatch(r"(.{3,})is(ation|ations)", lower)
    if match:
        found.append(f"{match[1]}iz{match[2]}")
    match = re.fullmatch(r"(.+)yz(e|es|ed|ing|er)", lower)
    if match:
        found.append(f"{match[1]}ys{match[2]}")
    match = re.fullmatch(r"(.+)ys(e|es|ed|ing|er)", lower)
    if match and lower.startswith(("analys", "paralys", "catalys")):
        found.append(f"{match[1]}yz{match[2]}")
    return [_like(v, word) for v in dict.fromkeys(found)]


def _like(word: str, model: str) -> str:
    """`word` in the case of `model`: all capitals, a capital first, or lower case."""
    if _abbrev(model):
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _other_number(word: str) -> str | None:
    lower = word.lower()
    if not lower.isalpha() or lower in UNCOUNTABLE or _abbrev(word) or len(lower) < 3:
        return None
    if lower.endswith("ies"):
        other = word[:-3] + "y"
    elif lower.endswith(("sses", "ches", "shes", "xes")):
        other = word[:-2]
    elif lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        other = word[:-1]
    elif lower.endswith("y") and lower[-2:-1] not in "aeiou":
        other = word[:-1] + "ies"
    elif lower.endswith(("s", "x", "ch", "sh")):
        other = word + "es"
    else:
        other = word + "s"
    return other


class _Maker:
    """Makes the mistakes and correct uses of one catalog."""

    def __init__(self, sources: Sources, rng: random.Random, max_codes: int) -> None:
        self.sources = sources
        self.rng = rng
        self.cat = _Catalog(sources)
        self.max_codes = max_codes
        self.paths = _valid_paths(sources)
        self.skipped: Counter[str] = Counter()
        self.items: list[_Item] = []
        self.uses: list[_Item] = []

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def mistake_ok(self, label: Label, wrong: str) -> bool:
        """Whether a wrong form of a label is unambiguous; counts the reason when not."""
        written = " ".join(wrong.split())
        if written == label.label:
            self.skip("no change")
            return False
        if written in self.cat.labels:
            self.skip("is another label")
            return False
        if any(f != label.label for f in self.cat.folded.get(written.casefold(), [])):
            self.skip("folds to another label")
            return False
        return True

    def note(self, label: Label, wrong: str) -> str:
        return "known wrong spelling" if " ".join(wrong.split()) in label.wrong_spellings else ""

    def family(self, label: Label) -> str:
        return "ui" if label.kind in UI_KINDS else "any"

    def label_item(
        self,
        kind: str,
        variant: str,
        label: Label,
        wrong: str,
        placements: Sequence[str],
        **kw: Any,
    ) -> None:
        """Seed `wrong` for `label` in each placement (a path placement writes a path)."""
        family = kw.pop("family", None) or self.family(label)
        note = kw.pop("note", None) or self.note(label, wrong)
        for placement in placements:
            if placement == "path":
                paths = [p for p in self.paths if label.label in p.split(ARROW)]
                if not paths or "\n" in wrong:
                    continue
                path = self.rng.choice(paths)
                steps = [wrong if s == label.label else s for s in path.split(ARROW)]
                self.items.append(
                    _Item(
                        kind,
                        variant,
                        "path",
                        ARROW.join(steps),
                        path,
                        label.label,
                        note,
                        family="path",
                    )
                )
                continue
            self.items.append(
                _Item(
                    kind, variant, placement, wrong, label.label, label.label, note, family=family
                )
            )

    def labels(self) -> None:
        for label in self.sources.glossary.labels:
            if _MARKUP.search(label.label) or not label.label.strip():
                self.skip("label holds Markdown syntax")
                continue
            self.case(label)
            self.typos(label)
            self.spelling(label)
            self.number(label)
            self.swap(label)
            self.split(label)
            for placement in USE_PLACEMENTS * 2:  # Twice: each with its own template.
                self.uses.append(
                    _Item(
                        "label",
                        "",
                        placement,
                        label.label,
                        mistake=False,
                        family=self.family(label),
                    )
                )
            start = label.label[:1].upper() + label.label[1:]
            self.uses.append(
                _Item(
                    "label",
                    "sentence-start",
                    self.rng.choice(("prose", "list", "admonition")),
                    start,
                    mistake=False,
                    family="start",
                )
            )

    def case(self, label: Label) -> None:
        for variant, wrong in _case_variants(label.label):
            if not self.mistake_ok(label, wrong):
                continue
            if variant == "lower-single":
                self.label_item("case", variant, label, wrong, ("bold", "link", "path"))
            elif variant == "lower" and not _title_case(label.label):
                # "next actions" in running prose is English, not a miscased label; set
                # off as a UI name (bold, a link, a path step) it is the label.
                self.label_item("case", variant, label, wrong, ("bold", "link", "path"))
            elif variant == "lower":
                self.label_item("case", variant, label, wrong, LABEL_PLACEMENTS, family="ui")
            else:
                self.label_item("case", variant, label, wrong, LABEL_PLACEMENTS)

    def typos(self, label: Label) -> None:
        if sum(c.isalpha() for c in label.label) < 5:
            return
        words = label.label.split(" ")
        other = _other_number(words[-1])
        other_number = " ".join([*words[:-1], other]) if other else ""
        for op in TYPO_OPS:
            made: set[str] = set()
            for placement in LABEL_PLACEMENTS:
                wrong = ""
                for _ in range(30):
                    candidate = _typo(label.label, op, self.rng, str.isalpha)
                    if candidate == label.label or self.cat.known(candidate):
                        continue
                    if candidate == other_number:
                        continue  # A mistake of number, not a typo.
                    wrong = candidate
                    if candidate not in made:
                        break
                if not wrong:
                    self.skip("typo is a label or wrong spelling, or cannot be made")
                    continue
                made.add(wrong)
                changed = [
                    w for w, o in zip(wrong.split(), label.label.split(), strict=False) if w != o
                ]
                hit = any(w.strip(":-").lower() in self.cat.dictionary for w in changed)
                note = "dictionary word" if hit else ""
                self.label_item("typo", op, label, wrong, (placement,), note=note)

    def spelling(self, label: Label) -> None:
        words = label.label.split(" ")
        for i, word in enumerate(words):
            for other in _spelling_variants(word):
                wrong = " ".join([*words[:i], other, *words[i + 1 :]])
                if self.mistake_ok(label, wrong):
                    variant = f"{word.lower()}/{other.lower()}"
                    self.label_item("spelling", variant, label, wrong, LABEL_PLACEMENTS)

    def number(self, label: Label) -> None:
        words = label.label.split(" ")
        if not label.label[:1].isupper() or (_abbrev(words[0]) and len(words) == 1):
            return
        other = _other_number(words[-1])
        if other is None:
            self.skip("no other number")
            return
        wrong = " ".join([*words[:-1], other])
        if wrong.casefold() in self.cat.folded:
            self.skip("the other number is a label")
            return
        if self.mistake_ok(label, wrong):
            variant = "singular" if len(other) < len(words[-1]) else "plural"
            self.label_item("number", variant, label, wrong, LABEL_PLACEMENTS)

    def swap(self, label: Label) -> None:
        words = label.label.split(" ")
        if len(words) < 2:
            return
        i = self.rng.randrange(len(words) - 1)
        swapped = [*words[:i], words[i + 1], words[i], *words[i + 2 :]]
        cased = [
            w
            if _abbrev(w)
            else (w[:1].upper() + w[1:] if m[:1].isupper() else w[:1].lower() + w[1:])
            for w, m in zip(swapped, words, strict=True)
        ]
        wrong = " ".join(cased)
        if self.mistake_ok(label, wrong):
            self.label_item("swap", "adjacent", label, wrong, LABEL_PLACEMENTS)

    def split(self, label: Label) -> None:
        words = label.label.split(" ")
        if len(words) < 2:
            return
        variants = [(v, w) for v, w in _case_variants(label.label) if " " in w]
        variants.sort(key=lambda vw: vw[0] != "title-case")
        for variant, wrong in variants[:2]:
            if not self.mistake_ok(label, wrong):
                continue
            if variant == "lower" and not _title_case(label.label):
                continue  # Split in running prose: English, as above.
            parts = wrong.split(" ")
            cut = self.rng.randrange(1, len(parts))
            broken = " ".join(parts[:cut]) + "\n" + " ".join(parts[cut:])
            family = "ui" if variant == "lower" else None
            self.label_item(
                "split",
                variant,
                label,
                broken,
                SPLIT_PLACEMENTS,
                family=family,
                note=self.note(label, wrong),
            )

    def path_mistakes(self) -> None:
        tops = sorted({p.split(ARROW)[0] for p in self.paths})
        taken = {lb.path for lb in self.sources.glossary.labels if lb.path}
        for path in self.paths:
            steps = path.split(ARROW)
            if any(_MARKUP.search(s) for s in steps):
                self.skip("label holds Markdown syntax")
                continue
            for sep in SEPARATORS:
                self.path_item("path-separator", sep, f" {sep} ".join(steps), path)
            reverse = ARROW.join(reversed(steps))
            if reverse in taken:
                self.skip("wrong path is a label's path")
            else:
                self.path_item("path-order", "reversed", reverse, path)
            others = [t for t in tops if t != steps[0]]
            if not others:
                self.skip("no other parent")
            for top in self.rng.sample(others, min(2, len(others))):
                wrong = ARROW.join([top, *steps[1:]])
                if wrong in taken:
                    self.skip("wrong path is a label's path")
                    continue
                self.path_item("path-parent", "other-parent", wrong, path)
            for placement in USE_PLACEMENTS:
                self.uses.append(_Item("path", "", placement, path, mistake=False, family="path"))

    def path_item(self, kind: str, variant: str, wrong: str, right: str) -> None:
        for placement in PATH_PLACEMENTS:
            self.items.append(_Item(kind, variant, placement, wrong, right, right, family="path"))

    def statuses(self) -> None:
        statuses = self.sources.catalog.statuses
        if not statuses:
            return
        for status in statuses:
            right = f"{status.status} {status.title}"
            own = status.title.split()
            others = [
                s.title
                for s in statuses
                if s.title.split()[: len(own)] != own and s.status != status.status
            ]
            self.skipped["reason phrase starts with the right one"] += sum(
                s.title.split()[: len(own)] == own for s in statuses if s != status
            )
            picked = self.rng.sample(others, min(2, len(others)))
            wrongs = [("other-phrase", f"{status.status} {t}") for t in picked]
            if picked:
                wrongs.append(("http-other-phrase", f"HTTP {status.status} {picked[0]}"))
            miscased = " ".join([own[0], *(w.lower() for w in own[1:])])
            if miscased != status.title:
                wrongs.append(("miscased", f"{status.status} {miscased}"))
            for variant, wrong in wrongs:
                for placement in STATUS_PLACEMENTS:
                    self.items.append(
                        _Item(
                            "status-phrase",
                            variant,
                            placement,
                            wrong,
                            right,
                            str(status.status),
                            family="status",
                        )
                    )
            for placement in self.rng.sample(STATUS_PLACEMENTS, 2):
                self.uses.append(
                    _Item("status", "", placement, right, mistake=False, family="status")
                )
            self.uses.append(
                _Item(
                    "status",
                    "http",
                    self.rng.choice(STATUS_PLACEMENTS),
                    f"HTTP {status.status}",
                    mistake=False,
                    family="status",
                )
            )
        unknown = [
            s for s in http.HTTPStatus if s.value >= 400 and s.value not in self.cat.statuses
        ]
        for s in self.rng.sample(unknown, min(4, len(unknown))):
            for variant, wrong in (
                ("http", f"HTTP {s.value}"),
                ("phrase", f"{s.value} {s.phrase}"),
            ):
                for placement in STATUS_PLACEMENTS:
                    self.items.append(
                        _Item(
                            "status-unknown",
                            variant,
                            placement,
                            wrong,
                            "a status of the API",
                            str(s.value),
                            family="status",
                        )
                    )

    def code_ok(self, wrong: str) -> bool:
        cat = self.cat
        if wrong in cat.codes or wrong in cat.aliases or wrong in cat.params:
            self.skip("made-up code is a real code, alias or parameter")
            return False
        if cat.known(wrong) or _STATUS_NUMBER.fullmatch(wrong):
            self.skip("made-up code is a label or a status")
            return False
        return True

    def codes(self) -> None:
        codes = sorted(self.sources.catalog.codes, key=lambda c: c.code)
        if len(codes) > self.max_codes:
            codes = sorted(self.rng.sample(codes, self.max_codes), key=lambda c: c.code)
        turn = 0
        for code in codes:
            names = [("code", code.code)]
            names += [("alias", a) for a in code.aliases if _SNAKE.fullmatch(a)][:1]
            for target, name in names:
                snake = _SNAKE.fullmatch(name) is not None
                ops = [*CODE_OPS, "underscore-dropped", "hyphen"] if snake else list(CODE_OPS)
                for op in ops:
                    wrong = self.code_typo(name, op)
                    if not wrong:
                        continue
                    # A bare name with hyphens reads as an English compound
                    # ("rate-limited"): only in backticks is it a code.
                    forms = [(True, TICK_PLACEMENTS)] + (
                        [(False, BARE_PLACEMENTS)] if snake and op != "hyphen" else []
                    )
                    for ticks, placements in forms:
                        kind = "code-backticks" if ticks else "code-bare"
                        placement = placements[turn % len(placements)]
                        turn += 1
                        self.items.append(
                            _Item(
                                kind,
                                f"{target}:{op}",
                                placement,
                                wrong,
                                name,
                                name,
                                family="code",
                                ticks=ticks,
                            )
                        )
            if code.deprecated:
                continue  # A correct use of a deprecated code is a finding of its own.
            for placement in self.rng.sample(TICK_PLACEMENTS, 2):
                self.uses.append(
                    _Item(
                        "code", "", placement, code.code, mistake=False, family="code", ticks=True
                    )
                )
            if _SNAKE.fullmatch(code.code):
                self.uses.append(
                    _Item(
                        "code",
                        "bare",
                        self.rng.choice(BARE_PLACEMENTS),
                        code.code,
                        mistake=False,
                        family="code",
                    )
                )
            for _, alias in names[1:]:
                self.uses.append(
                    _Item(
                        "alias",
                        "",
                        self.rng.choice(TICK_PLACEMENTS),
                        alias,
                        mistake=False,
                        family="code",
                        ticks=True,
                    )
                )
        plain = sorted(self.cat.params)[:10] + [
            i
            for i in PLAIN_IDENTIFIERS
            if i not in self.cat.codes and not closest(i, self.cat.codes, 0.8)
        ]
        for name in plain:
            kind = "param" if name in self.cat.params else "identifier"
            self.uses.append(
                _Item(
                    kind,
                    "",
                    self.rng.choice(TICK_PLACEMENTS),
                    name,
                    mistake=False,
                    family="code",
                    ticks=True,
                )
            )

    def code_typo(self, name: str, op: str) -> str:
        if op == "underscore-dropped":
            at = [i for i, c in enumerate(name) if c == "_"]
            i = self.rng.choice(at)
            wrong = name[:i] + name[i + 1 :]
        elif op == "hyphen":
            wrong = name.replace("_", "-")
        else:
            wrong = ""
            for _ in range(30):
                candidate = _typo(name, op, self.rng, str.isalnum)
                if candidate != name and candidate not in self.cat.codes:
                    wrong = candidate
                    break
            if not wrong:
                self.skip("made-up code cannot be made")
                return ""
        return wrong if self.code_ok(wrong) else ""


# --- Writing the pages --------------------------------------------------------------------


Run = tuple[str, int | None]
"""A piece of a sentence, with the index of the item it writes, if any."""


@dataclass
class _Block:
    text: str
    spans: dict[int, tuple[int, int]]


def _layout(runs: list[Run], first: str, rest: str, width: int = WIDTH) -> _Block:
    """Wrap runs into lines; an item's text is never broken but where it holds a break."""
    text = "".join(t for t, _ in runs)
    tagged: list[tuple[int, int, int]] = []
    at = 0
    for piece, tag in runs:
        if tag is not None:
            tagged.append((tag, at, at + len(piece)))
        at += len(piece)
    protected: set[int] = set()
    for _, start, end in tagged:
        protected.update(range(start, end))
    tokens: list[tuple[int, int]] = []
    start = 0
    for i, char in enumerate(text):
        if char == " " and i not in protected:
            if i > start:
                tokens.append((start, i))
            start = i + 1
    if start < len(text):
        tokens.append((start, len(text)))
    out: list[str] = [first]
    column = len(first)
    where = [0] * (len(text) + 1)
    size = len(first)
    fresh = True
    for start, end in tokens:
        head = text[start:end].split("\n")[0]
        if not fresh and column + 1 + len(head) > width:
            out.append("\n" + rest)
            size += 1 + len(rest)
            column = len(rest)
            fresh = True
        if not fresh:
            out.append(" ")
            size += 1
            column += 1
        for i in range(start, end):
            where[i] = size
            if text[i] == "\n":
                out.append("\n" + rest)
                size += 1 + len(rest)
                column = len(rest)
            else:
                out.append(text[i])
                size += 1
                column += 1
        where[end] = size
        fresh = False
    return _Block("".join(out), {tag: (where[s], where[e - 1] + 1) for tag, s, e in tagged})


class _Writer:
    """Turns items into sentences, blocks and pages."""

    def __init__(self, cat: _Catalog, rng: random.Random) -> None:
        self.rng = rng
        self.cat = cat

        def keep(texts: Iterable[str]) -> list[str]:
            return [t for t in texts if cat.neutral(t.replace("{}", "X"))]

        self.filler = keep(FILLER) or ["Read this page to the end."]
        self.templates = {
            "ui": keep(UI_TEMPLATES) or ["Open {} in the Console."],
            "any": keep(ANY_TEMPLATES) or ["See {} below."],
            "start": keep(START_TEMPLATES) or ["{} is described below."],
            "path": keep(PATH_TEMPLATES) or ["Go to {} in the Console."],
            "code": keep(CODE_TEMPLATES) or ["Handle {} in the client."],
            "status": keep(STATUS_TEMPLATES) or ["The API answers {} then."],
        }
        self.cells = {
            "ui": keep(CELL_TEMPLATES) or ["Open {}"],
            "code": keep(CODE_CELLS) or ["Handle {}"],
            "status": keep(STATUS_CELLS) or ["Expect {}"],
        }
        self.tasks = keep(TASKS) or ["Do this"]
        self.headings = keep(HEADINGS) or ["Steps"]

    def decorate(self, item: _Item, tag: int, placement: str) -> list[Run]:
        runs: list[Run] = [(item.text, tag)]
        if item.ticks:
            runs = [("`", None), *runs, ("`", None)]
        if placement == "bold":
            runs = [("**", None), *runs, ("**", None)]
        elif placement == "link":
            runs = [("[", None), *runs, (f"]({self.rng.choice(LINK_TARGETS)})", None)]
        return runs

    def sentence(self, item: _Item, tag: int) -> list[Run]:
        family = item.family
        if family == "any" and not item.mistake and self.rng.random() < 0.3:
            family = "ui"
        return self.fill(self.templates[family], item, tag, item.placement)

    def cell(self, item: _Item, tag: int) -> list[Run]:
        cells = self.cells.get(item.family, self.cells["ui"])
        return self.fill(cells, item, tag, "table")

    def fill(self, templates: list[str], item: _Item, tag: int, placement: str) -> list[Run]:
        """A template with the item in its slot, such that no label or wrong spelling
        straddles the slot's edge ("on the Home page" makes "Home page")."""
        runs: list[Run] = []
        for _ in range(20):
            before, after = self.rng.choice(templates).split("{}")
            runs = [(before, None), *self.decorate(item, tag, placement), (after, None)]
            if self.fits(runs):
                break
        return runs

    def fits(self, runs: list[Run]) -> bool:
        if self.cat.form_re is None:
            return True
        text = "".join(t for t, _ in runs)
        start = 0
        for piece, tag in runs:
            if tag is not None:
                break
            start += len(piece)
        end = start + len(next(t for t, tag in runs if tag is not None))
        for match in self.cat.form_re.finditer(text):
            inside = start <= match.start() and match.end() <= end
            if match.end() > start and match.start() < end and not inside:
                return False
        return True

    def filler_runs(self) -> list[Run]:
        return [(self.rng.choice(self.filler), None)]

    def paragraph(self, tagged: list[tuple[int, _Item]], first: str, rest: str) -> _Block:
        sentences = [self.sentence(item, tag) for tag, item in tagged]
        for _ in range(self.rng.randint(1, 2)):
            sentences.insert(self.rng.randint(0, len(sentences)), self.filler_runs())
        runs: list[Run] = []
        for sentence in sentences:
            if runs:
                runs.append((" ", None))
            runs += sentence
        return _layout(runs, first, rest)

    def bullets(self, tagged: list[tuple[int, _Item]]) -> _Block:
        entries = [self.sentence(item, tag) for tag, item in tagged]
        entries.insert(self.rng.randint(0, len(entries)), self.filler_runs())
        return _join([_layout(runs, "- ", "  ") for runs in entries], "\n")

    def table(self, tagged: list[tuple[int, _Item]]) -> _Block:
        header = _Block("| Task | Where to look |\n| --- | --- |", {})
        rows = [header]
        for tag, item in tagged:
            runs: list[Run] = [(f"| {self.rng.choice(self.tasks)} | ", None)]
            runs += [*self.cell(item, tag), (" |", None)]
            rows.append(_layout(runs, "", "", width=10_000))
        return _join(rows, "\n")

    def admonition(self, tagged: list[tuple[int, _Item]]) -> _Block:
        kind, title = self.rng.choice(ADMONITIONS)
        body = self.paragraph(tagged, "    ", "    ")
        return _join([_Block(f'!!! {kind} "{title}"\n', {}), body], "\n")

    def page(
        self, name: str, tagged: list[tuple[int, _Item]]
    ) -> tuple[str, dict[int, tuple[int, int]]]:
        """Write one page; returns its text and the span of each item's text."""
        groups: dict[str, list[tuple[int, _Item]]] = defaultdict(list)
        for tag, item in tagged:
            key = item.placement if item.placement in ("list", "table", "admonition") else "prose"
            groups[key].append((tag, item))
        blocks: list[_Block] = []
        makers: dict[str, tuple[int, Callable[[list[tuple[int, _Item]]], _Block]]] = {
            "prose": (3, lambda chunk: self.paragraph(chunk, "", "")),
            "list": (4, self.bullets),
            "table": (4, self.table),
            "admonition": (2, self.admonition),
        }
        for key, (size, make) in makers.items():
            chunk = groups[key]
            for i in range(0, len(chunk), size):
                blocks.append(make(chunk[i : i + size]))
        self.rng.shuffle(blocks)
        parts = [_Block(f"# {name.removesuffix('.md').replace('-', ' ').capitalize()}", {})]
        for i, block in enumerate(blocks):
            if i and i % 3 == 0:
                parts.append(_Block(f"## {self.rng.choice(self.headings)}", {}))
            parts.append(block)
        whole = _join(parts, "\n\n")
        return whole.text + "\n", whole.spans


def _join(blocks: list[_Block], glue: str) -> _Block:
    text: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    size = 0
    for block in blocks:
        if text:
            text.append(glue)
            size += len(glue)
        spans.update({t: (s + size, e + size) for t, (s, e) in block.spans.items()})
        text.append(block.text)
        size += len(block.text)
    return _Block("".join(text), spans)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def seed(sources: Sources, *, seed: int = SEED, max_codes: int = MAX_CODES) -> Seeded:
    """Write pages seeded with mistakes and correct uses for one catalog.

    Args:
        sources: The loaded sources.
        seed: The random generator's seed; the same seed gives the same pages.
        max_codes: How many codes to sample, at most, for the code classes.

    Returns:
        The pages, their mistakes and correct uses, and the mistakes skipped.
    """
    rng = random.Random(seed)
    maker = _Maker(sources, rng, max_codes)
    maker.labels()
    maker.path_mistakes()
    maker.statuses()
    maker.codes()
    items = maker.items
    uses = maker.uses
    rng.shuffle(items)
    rng.shuffle(uses)
    count = max(1, -(-len(items) // PER_PAGE))
    per_page: list[list[_Item]] = [items[i::count] for i in range(count)]
    for i, use in enumerate(uses):
        per_page[i % count].append(use)
    writer = _Writer(maker.cat, rng)
    result = Seeded([], [], [], maker.skipped)
    for number, page_items in enumerate(per_page, 1):
        rng.shuffle(page_items)
        name = f"seeded/page-{number:03d}.md"
        text, spans = writer.page(name.split("/")[-1], list(enumerate(page_items)))
        result.pages.append(Page(name, text))
        for tag, item in enumerate(page_items):
            offset, end = spans[tag]
            line, column = _position(text, offset)
            written = text[offset:end]  # A split label holds the next line's indent.
            if item.mistake:
                result.mistakes.append(
                    Mistake(
                        item.kind,
                        item.variant,
                        item.placement,
                        written,
                        item.right,
                        item.subject,
                        item.note,
                        name,
                        line,
                        column,
                        offset,
                    )
                )
            else:
                kind = item.kind + (f" ({item.variant})" if item.variant else "")
                result.uses.append(Use(kind, item.placement, written, name, line, column, offset))
    result.mistakes.sort(key=lambda m: (m.page, m.offset))
    result.uses.sort(key=lambda u: (u.page, u.offset))
    return result


# --- Running the checker on them ----------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What the checker said about one mistake.

    Attributes:
        mistake: The mistake.
        findings: The findings inside its wrong text.
        nearby: Other findings on its line.
    """

    mistake: Mistake
    findings: tuple[Problem, ...]
    nearby: tuple[Problem, ...]

    @property
    def verdict(self) -> str:
        """`once`, `twice+` or `missed`."""
        return {0: "missed", 1: "once"}.get(len(self.findings), "twice+")

    @property
    def hint_ok(self) -> bool:
        """Caught once, by a finding whose hint or message names the right text.

        For a label mistake written in a path, the label; for an unknown status, which
        has no one right text, any finding.
        """
        m = self.mistake
        if m.kind == "status-unknown":
            return self.verdict == "once"
        right = m.subject if m.placement == "path" else " ".join(m.right.split())
        return self.verdict == "once" and any(
            right in f.hint or right in f.message for f in self.findings
        )


@dataclass(frozen=True)
class Alarm:
    """A finding at no mistake: a false alarm.

    Attributes:
        finding: The finding.
        on: What it fell on: a correct use, or the page's other text.
        excerpt: The line it is on.
    """

    finding: Problem
    on: str
    excerpt: str


@dataclass
class Measured:
    """The checker's figures on one catalog's seeded pages.

    Attributes:
        name: The catalog's folder, as given.
        counts: Labels, codes and statuses of the catalog; pages, words, mistakes and
            correct uses seeded.
        outcomes: One per mistake.
        alarms: The false alarms.
        skipped: Mistakes not seeded, by reason.
        seconds: Time to seed and check.
    """

    name: str
    counts: dict[str, int]
    outcomes: list[Outcome]
    alarms: list[Alarm]
    skipped: Counter[str]
    seconds: float

    @property
    def recall(self) -> float:
        """Share of mistakes caught exactly once."""
        once = sum(o.verdict == "once" for o in self.outcomes)
        return once / len(self.outcomes) if self.outcomes else 1.0


def _offsets(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def measure(
    name: str, sources: Sources, *, seed_value: int = SEED, max_codes: int = MAX_CODES
) -> Measured:
    """Seed pages for a catalog, check them, and match findings to mistakes.

    Args:
        name: The catalog's name in the report.
        sources: Its loaded sources.
        seed_value: The generator's seed.
        max_codes: How many codes to sample, at most.

    Returns:
        The figures.
    """
    start = time.perf_counter()
    seeded = seed(sources, seed=seed_value, max_codes=max_codes)
    checker = Checker(sources)
    by_page: dict[str, list[Mistake]] = defaultdict(list)
    for mistake in seeded.mistakes:
        by_page[mistake.page].append(mistake)
    uses_by_page: dict[str, list[Use]] = defaultdict(list)
    for use in seeded.uses:
        uses_by_page[use.page].append(use)
    outcomes: list[Outcome] = []
    alarms: list[Alarm] = []
    words = 0
    for page in seeded.pages:
        words += len(page.text.split())
        findings = checker.check(Target(page.name, page.text))
        lines = _offsets(page.text)
        mistakes = by_page[page.name]
        starts = [m.offset for m in mistakes]
        inside: dict[int, list[Problem]] = defaultdict(list)
        stray: list[Problem] = []
        for finding in findings:
            offset = lines[finding.line - 1] + finding.column - 1 if finding.line else -1
            i = bisect.bisect_right(starts, offset) - 1
            if i >= 0 and offset < mistakes[i].offset + len(mistakes[i].wrong):
                inside[i].append(finding)
                continue
            stray.append(finding)
            on = "other text"
            if i + 1 < len(mistakes) and mistakes[i + 1].offset - offset < 120:
                ahead = mistakes[i + 1]
                on += f", {ahead.offset - offset} chars before the mistake {_show(ahead.wrong)!r}"
            for use in uses_by_page[page.name]:
                if use.offset <= offset < use.offset + len(use.text):
                    on = f"correct use: {use.kind} {use.text!r} ({use.placement})"
            excerpt = page.text.splitlines()[finding.line - 1] if finding.line else ""
            alarms.append(Alarm(finding, on, excerpt.strip()))
        for i, mistake in enumerate(mistakes):
            near = [f for f in stray if f.line == mistake.line]
            outcomes.append(Outcome(mistake, tuple(inside[i]), tuple(near)))
    counts = {
        "labels": len(sources.glossary.labels),
        "codes": len(sources.catalog.codes),
        "statuses": len(sources.catalog.statuses),
        "pages": len(seeded.pages),
        "words": words,
        "mistakes": len(seeded.mistakes),
        "correct_uses": len(seeded.uses),
    }
    seconds = time.perf_counter() - start
    return Measured(name, counts, outcomes, alarms, seeded.skipped, seconds)


# --- Precision on prose the checker was never tuned on ------------------------------------


@dataclass(frozen=True)
class CorpusFinding:
    """A finding on the precision corpus, for a person to judge.

    Attributes:
        group: `docs` or `readmes`.
        where: `file:line:column`.
        rule: The rule.
        message: The finding's message.
        excerpt: The line it is on.
    """

    group: str
    where: str
    rule: str
    message: str
    excerpt: str


_MD_SIGNS = re.compile(r"^#{1,6} |^```|\]\([^)]+\)|^\s*[-*] |^\|.*\|\s*$|\*\*\w", re.MULTILINE)
_RST_SIGNS = re.compile(
    r"^\.\. [\w|-]+::|^\.\. _|^[=~^`'\"-]{4,}\s*$|::\s*$|`_\b|:\w+:`", re.MULTILINE
)


def looks_markdown(body: str, content_type: str | None) -> bool:
    """Whether a long description is Markdown: by its content type, or else by its signs.

    Args:
        body: The description.
        content_type: Its `Description-Content-Type`, if any.

    Returns:
        True for Markdown; False for reStructuredText and plain text.
    """
    kind = (content_type or "").lower()
    if "markdown" in kind:
        return True
    if kind and "markdown" not in kind:
        return False
    return len(_MD_SIGNS.findall(body)) > 2 * len(_RST_SIGNS.findall(body)) + 2


def readmes(skip: Iterable[str] = ("zofdocs",)) -> list[Target]:
    """The Markdown long descriptions of the installed distributions, one per name.

    Args:
        skip: Distributions left out (the project's own: its prose was tuned on).

    Returns:
        A document for each, named `site-packages/NAME-VERSION/README.md`.
    """
    seen = set(skip)
    found = []
    for dist in sorted(
        importlib.metadata.distributions(), key=lambda d: (d.metadata["Name"] or "").lower()
    ):
        meta = dist.metadata
        name = re.sub(r"[-_.]+", "-", (meta["Name"] or "").lower())
        if not name or name in seen:
            continue
        seen.add(name)
        payload = meta.get_payload() if isinstance(meta, email.message.Message) else None
        body = payload if isinstance(payload, str) and payload.strip() else meta["Description"]
        if not body or not looks_markdown(body, meta["Description-Content-Type"]):
            continue
        found.append(Target(f"site-packages/{name}-{meta['Version']}/README.md", body))
    return found


def docs_pages(docs: Path) -> list[Target]:
    """The hand-written pages under `docs`, as `zofdocs check` reads them.

    Args:
        docs: The docs folder.

    Returns:
        A document for each Markdown page.
    """
    return [
        Target(
            p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else str(p),
            p.read_text(encoding="utf-8"),
            p.relative_to(docs).as_posix(),
        )
        for p in sorted(docs.rglob("*.md"))
    ]


def precision(sources: Sources, groups: dict[str, list[Target]]) -> dict[str, Any]:
    """Run the checker over each group of documents and list every finding.

    Args:
        sources: The catalog and glossary to check with.
        groups: Documents by group name.

    Returns:
        For each group its pages, words and findings, and every finding.
    """
    checker = Checker(sources)
    summary: dict[str, Any] = {"groups": {}, "findings": []}
    for group, targets in groups.items():
        found: list[CorpusFinding] = []
        for target in targets:
            lines = target.text.splitlines()
            for f in checker.check(target):
                excerpt = lines[f.line - 1].strip() if 0 < f.line <= len(lines) else ""
                found.append(CorpusFinding(group, f.where, f.rule, f.message, excerpt))
        summary["groups"][group] = {
            "pages": len(targets),
            "words": sum(len(t.text.split()) for t in targets),
            "findings": len(found),
        }
        summary["findings"] += [asdict(f) for f in found]
    return summary


# --- The report ----------------------------------------------------------------------------


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def table_rows(outcomes: Sequence[Outcome], key: Callable[[Mistake], str]) -> list[list[str]]:
    """Seeded, caught once, caught twice or more, missed and recall, by a key.

    Args:
        outcomes: The outcomes.
        key: What to group mistakes by.

    Returns:
        One row per group, in order of first appearance.
    """
    groups: dict[str, Counter[str]] = {}
    for o in outcomes:
        counter = groups.setdefault(key(o.mistake), Counter())
        counter[o.verdict] += 1
        counter["hint"] += o.hint_ok
    rows = []
    for name, c in groups.items():
        total = c["once"] + c["twice+"] + c["missed"]
        rows.append(
            [
                name,
                str(total),
                str(c["once"]),
                str(c["twice+"]),
                str(c["missed"]),
                _rate(c["once"], total),
                _rate(c["hint"], c["once"]),
            ]
        )
    return rows


def _format(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [
            row[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
        ]
        out.append("  " + "  ".join(cells))
    return out


def _show(text: str) -> str:
    return " ".join(text.split("\n")[0].split()) + (
        " ⏎ " + " ".join(text.split("\n", 1)[1].split()) if "\n" in text else ""
    )


def summarize(m: Measured) -> dict[str, Any]:
    """The figures of one catalog, for `--json`.

    Args:
        m: The measurement.

    Returns:
        Per class, variant and placement: seeded, once, twice+, missed, recall.
    """

    def figures(key: Callable[[Mistake], str]) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in ordered:
            groups[key(o.mistake)].append(o)
        return {
            name: {
                "seeded": len(group),
                "once": sum(o.verdict == "once" for o in group),
                "twice_or_more": sum(o.verdict == "twice+" for o in group),
                "missed": sum(o.verdict == "missed" for o in group),
                "recall": sum(o.verdict == "once" for o in group) / len(group),
                "hint_names_right_text": sum(o.hint_ok for o in group),
            }
            for name, group in groups.items()
        }

    ordered = sorted(m.outcomes, key=lambda o: CLASSES.index(o.mistake.kind))
    return {
        "catalog": m.name,
        **m.counts,
        "seconds": round(m.seconds, 2),
        "recall": m.recall,
        "false_alarms": len(m.alarms),
        "classes": figures(lambda x: x.kind),
        "variants": figures(lambda x: f"{x.kind} {x.variant}"),
        "placements": figures(lambda x: x.placement),
        "skipped": dict(sorted((+m.skipped).items())),
        "missed": [
            {**asdict(o.mistake), "nearby": [str(f) for f in o.nearby]}
            for o in m.outcomes
            if o.verdict == "missed"
        ][:200],
        "twice_or_more": [
            {**asdict(o.mistake), "findings": [str(f) for f in o.findings]}
            for o in m.outcomes
            if o.verdict == "twice+"
        ][:200],
        "alarms": [{"finding": str(a.finding), "on": a.on, "excerpt": a.excerpt} for a in m.alarms],
    }


def report(m: Measured, examples: int = 4) -> str:
    """The printed report of one catalog.

    Args:
        m: The measurement.
        examples: Missed mistakes shown per class.

    Returns:
        The report's text.
    """
    c = m.counts
    out = [
        f"== {m.name}: {c['labels']} labels, {c['codes']} codes, {c['statuses']} statuses",
        f"   {c['pages']} seeded pages, {c['words']:,} words, {c['mistakes']:,} mistakes, "
        f"{c['correct_uses']:,} correct uses ({m.seconds:.1f} s)",
        "",
    ]
    ordered = sorted(m.outcomes, key=lambda o: CLASSES.index(o.mistake.kind))
    header = ["class", "seeded", "once", "twice+", "missed", "recall", "hint ok"]
    rows = table_rows(ordered, lambda x: x.kind)
    once = sum(o.verdict == "once" for o in m.outcomes)
    twice = sum(o.verdict == "twice+" for o in m.outcomes)
    missed = sum(o.verdict == "missed" for o in m.outcomes)
    rows.append(
        [
            "overall",
            str(len(m.outcomes)),
            str(once),
            str(twice),
            str(missed),
            _rate(once, len(m.outcomes)),
            _rate(sum(o.hint_ok for o in m.outcomes), once),
        ]
    )
    out += _format(rows, header)
    on_uses = sum(a.on.startswith("correct use") for a in m.alarms)
    out += [
        "",
        f"  false alarms on seeded pages: {len(m.alarms)} "
        f"({on_uses} on correct uses, {len(m.alarms) - on_uses} on other text)",
    ]
    if not m.outcomes:
        return "\n".join(out) + "\n"
    out += ["", "  by placement (every class):"]
    out += _format(
        table_rows(
            sorted(m.outcomes, key=lambda o: LABEL_PLACEMENTS.index(o.mistake.placement)),
            lambda x: x.placement,
        ),
        ["placement", *header[1:]],
    )
    noted = [o for o in m.outcomes if o.mistake.kind in CLASSES[:6]]
    if noted:
        out += ["", "  by note (label classes):"]
        out += _format(table_rows(noted, lambda x: x.note or "(none)"), ["note", *header[1:]])
    out += ["", "  by variant (those with a miss or a double finding):"]
    variant_rows = [
        r for r in table_rows(ordered, lambda x: f"{x.kind} {x.variant}") if r[2] != r[1]
    ]
    if variant_rows:
        out += _format(variant_rows, ["class variant", *header[1:]])
    grid: dict[str, Counter[str]] = defaultdict(Counter)
    for o in m.outcomes:
        grid[o.mistake.kind][o.mistake.placement] += o.verdict == "once"
        grid[o.mistake.kind][o.mistake.placement + "/n"] += 1
    out += ["", "  recall by class and placement:"]
    grid_rows = []
    for kind in CLASSES:
        if kind in grid:
            g = grid[kind]
            grid_rows.append(
                [
                    kind,
                    *(
                        _rate(g[p], g[p + "/n"]).strip() if g[p + "/n"] else "-"
                        for p in LABEL_PLACEMENTS
                    ),
                ]
            )
    out += _format(grid_rows, ["class", *LABEL_PLACEMENTS])
    if +m.skipped:
        out += [
            "",
            "  not seeded (ambiguous): "
            + ", ".join(f"{reason} {n}" for reason, n in sorted(m.skipped.items()) if n),
        ]
    out += ["", f"  missed, up to {examples} per class (one per variant and placement first):"]
    for kind in CLASSES:
        misses = [o for o in m.outcomes if o.mistake.kind == kind and o.verdict == "missed"]
        shown = _spread(misses, examples)
        if shown:
            out.append(f"    {kind} ({len(misses)} missed):")
        for o in shown:
            out.append("      " + _describe(o))
    doubles = [o for o in m.outcomes if o.verdict == "twice+"]
    if doubles:
        out += ["", f"  caught twice or more ({len(doubles)}), up to {examples * 2}:"]
        out += ["      " + _describe(o) for o in _spread(doubles, examples * 2)]
    if m.alarms:
        out += ["", f"  false alarms ({len(m.alarms)}), up to {examples * 3}:"]
        for a in m.alarms[: examples * 3]:
            out.append(f"      {a.finding}  [{a.on}]")
            out.append(f"          | {a.excerpt}")
    return "\n".join(out) + "\n"


def _spread(outcomes: list[Outcome], count: int) -> list[Outcome]:
    """Up to `count` outcomes, one per variant and placement before any repeats."""
    first: dict[tuple[str, str], Outcome] = {}
    for o in outcomes:
        first.setdefault((o.mistake.variant, o.mistake.placement), o)
    picked = list(first.values())[:count]
    return picked + [o for o in outcomes if o not in picked][: count - len(picked)]


def _describe(o: Outcome) -> str:
    m = o.mistake
    note = f", {m.note}" if m.note else ""
    said = o.findings or o.nearby
    told = "; ".join(f"{f.rule} at col {f.column}: {f.message}" for f in said) or "nothing"
    return (
        f"{m.page}:{m.line}:{m.column} {_show(m.wrong)!r} for {m.right!r} "
        f"[{m.variant}, {m.placement}{note}] -> checker said: {told}"
    )


def corpus_report(summary: dict[str, Any]) -> str:
    """The printed report of the precision corpus.

    Args:
        summary: What `precision` returned.

    Returns:
        The report's text.
    """
    out = ["== precision on prose never tuned on (shipped catalog and glossary)"]
    for group, g in summary["groups"].items():
        out.append(
            f"   {group:8} {g['pages']:>4} pages {g['words']:>9,} words {g['findings']:>4} findings"
        )
    for f in summary["findings"]:
        out.append(f"   {f['where']}: {f['rule']} {f['message']}")
        out.append(f"       | {f['excerpt'][:160]}")
    return "\n".join(out) + "\n"


def imported_catalogs(folder: Path) -> list[Path]:
    """Import the Twilio and PostgreSQL corpora of the tests into `folder`.

    Args:
        folder: Where each import's folder goes.

    Returns:
        The two catalog folders.
    """
    from zofdocs.importers import reader
    from zofdocs.importers.write import write_catalog

    corpora = ROOT / "tests" / "data" / "corpora"
    made = []
    for fmt, file in (("twilio", "twilio-error-codes.json"), ("postgres", "postgres_errcodes.txt")):
        out = folder / fmt
        write_catalog(reader(fmt)(corpora / file), file, out)
        made.append(out)
    return made


def main(argv: list[str] | None = None) -> int:
    """Measure, print the report, and write the figures with `--json`.

    Args:
        argv: The arguments; `sys.argv[1:]` when None.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--catalog",
        action="append",
        type=Path,
        metavar="DIR",
        help="a catalog folder (repeatable; default: catalog)",
    )
    parser.add_argument(
        "--imports",
        action="store_true",
        help="also the Twilio and PostgreSQL corpora, imported to a temporary folder",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures here")
    parser.add_argument(
        "--site",
        type=Path,
        metavar="FILE",
        help="write the summary the Checks page shows (tools/zofdocs/check_quality.json)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--max-codes", type=int, default=MAX_CODES)
    parser.add_argument("--examples", type=int, default=4, help="missed mistakes shown per class")
    parser.add_argument("--no-corpus", action="store_true", help="skip the precision corpus")
    args = parser.parse_args(argv)
    catalogs: list[Path] = list(args.catalog or ([] if args.imports else [ROOT / "catalog"]))
    figures: dict[str, Any] = {"seed": args.seed, "catalogs": []}
    with tempfile.TemporaryDirectory() as scratch:
        named = [(display_path(p), p) for p in catalogs]
        if args.imports:
            named += [(f"{p.name} import", p) for p in imported_catalogs(Path(scratch))]
        for name, folder in named:
            m = measure(name, load_sources(folder), seed_value=args.seed, max_codes=args.max_codes)
            sys.stdout.write(report(m, args.examples) + "\n")
            figures["catalogs"].append(summarize(m))
    if not args.no_corpus:
        start = time.perf_counter()
        corpus = precision(
            load_sources(ROOT / "catalog"),
            {"docs": docs_pages(ROOT / "docs"), "readmes": readmes()},
        )
        corpus["seconds"] = round(time.perf_counter() - start, 2)
        sys.stdout.write(corpus_report(corpus))
        figures["corpus"] = corpus
    if args.json:
        args.json.write_text(
            json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if args.site:
        args.site.write_text(
            json.dumps(site_summary(figures, argv), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
    return 0


def site_summary(figures: dict[str, Any], argv: list[str] | None) -> dict[str, Any]:
    """The figures the site's Checks page shows: recall by class, and precision.

    Args:
        figures: What `--json` writes.
        argv: The arguments the figures were measured with.

    Returns:
        A small, stable summary (no timings, no examples), so that the file changes
        only when the figures do.
    """
    command = "python bench/check_quality.py " + " ".join(sys.argv[1:] if argv is None else argv)
    return {
        "command": command.strip(),
        "catalogs": [
            {
                "catalog": c["catalog"],
                "pages": c["pages"],
                "words": c["words"],
                "mistakes": c["mistakes"],
                "recall": round(c["recall"], 4),
                "false_alarms": c["false_alarms"],
                "classes": {
                    k: {"seeded": v["seeded"], "once": v["once"], "recall": round(v["recall"], 4)}
                    for k, v in c["classes"].items()
                },
            }
            for c in figures["catalogs"]
        ],
        "precision": [
            {"corpus": name, **part}
            for name, part in figures.get("corpus", {}).get("groups", {}).items()
        ],
    }  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
