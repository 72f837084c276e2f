"""The consistency checker: every code and every Console label, everywhere.

`Checker` holds what the catalog and glossary allow, compiled once into a few regular
expressions, and checks one document at a time; `run_check` walks the repository:
hand-written pages, generated pages, runbooks and templates.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zofdocs.errors import Problem, display_path
from zofdocs.findings import RULES, finding
from zofdocs.layout import CODES_PAGE, ERRORS_PAGE
from zofdocs.markdown import relative_link
from zofdocs.model import Label, Sources
from zofdocs.prose import Doc, scan
from zofdocs.suggest import closest, did_you_mean

__all__ = ["Checker", "Target", "check_site", "rule_examples"]

_ARROWS = re.compile(r"\s*(?:→|->|=>|>|»)\s*")
_BOLD = re.compile(r"\*\*(?=\S)((?:[^\n*]|\n(?![ \t]*\n))+?)(?<=\S)\*\*")
_NUMBER = re.compile(r"[1-5]\d\d")
_HTTP = re.compile(r"HTTP[ \t]+$")
_REASON = re.compile(r"(?:[ \t]+[A-Za-z][A-Za-z'\u2019-]*){0,4}")
_NOT_BEFORE = frozenset("_.#/-") | frozenset("0123456789")
_NOT_AFTER = re.compile(r"[\w%/-]|\.\d")
_SEPARATORS = re.compile(r"->|=>|>|»")
_WORD = re.compile(r"[A-Za-z][\w:-]*")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
_PATH_EDGE = re.compile(r"[*\[\]()|\n]|[.;:](?=\s)")
_SENTENCE_END = tuple(".!?:|#>-·")
_ERROR_KEYS = ("code", "message", "param")


@dataclass(frozen=True)
class Target:
    """A document to check.

    Attributes:
        name: Its name in findings, such as `docs/tooling/index.md`.
        text: Its content.
        page: Its path in the docs, when it is a page of the site (for own-page rules).
    """

    name: str
    text: str
    page: str = ""


def _words(text: str) -> str:
    return " ".join(text.split())


def _pattern(form: str) -> str:
    return r"\s+".join(re.escape(part) for part in form.split())


@dataclass
class Checker:
    """Checks documents against one catalog and glossary.

    Args:
        sources: The loaded sources.

    Attributes:
        used: How often each label was found in the documents checked so far.
    """

    sources: Sources
    used: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        glossary = self.sources.glossary
        catalog = self.sources.catalog
        self.labels = glossary.by_label
        self.wrong = {w: lb.label for lb in glossary.labels for w in lb.wrong_spellings}
        self.folded = {lb.label.casefold(): lb for lb in glossary.labels}
        forms = sorted({*self.labels, *self.wrong}, key=len, reverse=True)
        self.first_words = {form.split()[0].casefold() for form in forms}
        self.label_at = re.compile(_trie(forms) + r"(?![\w:-])", re.IGNORECASE)
        names = "|".join(_pattern(f) for f in sorted(self.labels, key=len, reverse=True))
        self.separator_re = re.compile(
            rf"(?<![\w-])({names})[ \t]*(->|=>|>|»)[ \t]*({names})(?![\w-])"
        )
        self.codes = {code.code: code for code in catalog.codes}
        self.statuses = {status.status: status for status in catalog.statuses}
        self.params = {p for code in catalog.codes for p in code.params}

    # -- one document ------------------------------------------------------------------

    def check(self, target: Target) -> list[Problem]:
        """Check one document.

        Args:
            target: The document.

        Returns:
            Its findings, in line order.
        """
        doc = scan(target.name, target.text)
        found: list[Problem] = []
        self._labels(doc, found)
        self._bold(doc, found)
        self._paths(doc, found)
        self._statuses(doc, found)
        self._spans(doc, target.page, found)
        self._json(doc, found)
        return sorted(f for f in found if f.line not in doc.ignored)

    def _at(self, doc: Doc, offset: int, rule: str, message: str, hint: str = "") -> Problem:
        line, column = doc.position(offset)
        return finding(doc.name, line, column, rule, message, hint)

    def _sentence_start(self, prose: str, offset: int) -> bool:
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

    def _label_matches(self, prose: str) -> list[re.Match[str]]:
        # Walking words and trying the labels only where one could start is several
        # times faster than one alternation of every label tried at every position.
        matches = []
        end = 0
        for word in _WORD.finditer(prose):
            start = word.start()
            if start < end or word.group().casefold().rstrip(":-") not in self.first_words:
                continue
            if start and (prose[start - 1].isalnum() or prose[start - 1] in "_:-./@"):
                continue
            match = self.label_at.match(prose, start)
            if match:
                matches.append(match)
                end = match.end()
        return matches

    def _labels(self, doc: Doc, found: list[Problem]) -> None:
        for match in self._label_matches(doc.prose):
            text = _words(match.group())
            if text in self.labels:
                self.used[text] += 1
                continue
            right = self.wrong.get(text)
            case_only = False
            if right is None:
                label = self.folded.get(text.casefold())
                if label is None or not _miscased(text, label.label):
                    continue  # Ordinary words, or a wrong spelling in another case.
                right, case_only = label.label, True
            elif right.casefold() == text.casefold():
                case_only = True
            capitalized = text == right[:1].upper() + right[1:]
            if case_only and capitalized and self._sentence_start(doc.prose, match.start()):
                self.used[right] += 1
                continue
            if case_only:
                found.append(
                    self._at(
                        doc, match.start(), "ZOF202",
                        f"'{text}' is written '{right}' in the Console",
                        f"write '{right}'",
                    )
                )  # fmt: skip
            else:
                found.append(
                    self._at(
                        doc, match.start(), "ZOF201",
                        f"'{text}' is a wrong spelling of the Console label '{right}'",
                        f"write '{right}'",
                    )
                )  # fmt: skip

    def _bold(self, doc: Doc, found: list[Problem]) -> None:
        for match in _BOLD.finditer(doc.prose):
            text = _words(match.group(1)).rstrip(":.")
            if not text or text in self.labels or _ARROWS.search(text):
                continue
            if self.label_at.fullmatch(text):
                continue  # Reported by the label pass.
            close = closest(text, self.labels, 0.85)
            if close:
                found.append(
                    self._at(
                        doc, match.start(1), "ZOF203",
                        f"'{text}' is not a Console label", f"did you mean '{close}'?",
                    )
                )  # fmt: skip

    def _paths(self, doc: Doc, found: list[Problem]) -> None:
        prose = doc.prose
        separated = _SEPARATORS.search(prose) is not None
        for match in self.separator_re.finditer(prose) if separated else ():
            written = _words(match.group())
            right = f"{match[1]} → {match[3]}"
            found.append(
                self._at(
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
            self._path(doc, start + len(path) - len(path.lstrip()), _words(path), found)

    def _path(self, doc: Doc, offset: int, path: str, found: list[Problem]) -> None:
        steps = [step.strip() for step in path.split("→")]
        # In running prose the path's ends are not marked: "It lives at Home → Runs
        # today" names the path Home → Runs. Trim each end to the label it ends with.
        first = _trim(steps[0].split(), self.labels, from_left=True)
        if first is not None:
            offset += path.index(first)
            steps[0] = first
        last = _trim(steps[-1].split(), self.labels, from_left=False)
        if last is not None:
            steps[-1] = last
        path = " → ".join(steps)
        if not any(step in self.labels or closest(step, self.labels, 0.6) for step in steps):
            return  # An arrow between things that are not labels, such as YAML → Jinja.
        for step in steps:
            if step not in self.labels:
                close = closest(step, self.labels, 0.6)
                right = self.wrong.get(step, close)
                found.append(
                    self._at(
                        doc, offset, "ZOF203",
                        f"'{step}' in the Console path '{path}' is not a label",
                        f"did you mean '{right}'?" if right else "see the glossary",
                    )
                )  # fmt: skip
                return
        label = self.labels[steps[-1]]
        if label.path != " → ".join(steps):
            found.append(
                self._at(
                    doc, offset, "ZOF204",
                    f"'{path}' is not where '{label.label}' lives",
                    f"write '{label.path}'" if label.path else f"'{label.label}' has no path",
                )
            )  # fmt: skip

    def _statuses(self, doc: Doc, found: list[Problem]) -> None:
        prose = doc.prose
        for number_match in _NUMBER.finditer(prose):
            start, end = number_match.span()
            if start and (prose[start - 1] in _NOT_BEFORE or prose[start - 1].isalpha()):
                continue
            if _NOT_AFTER.match(prose, end):
                continue
            http = _HTTP.search(prose, max(0, start - 12), start)
            reason = _REASON.match(prose, end)
            text = reason.group() if reason else ""
            number = int(number_match.group())
            words = text.split()
            status = self.statuses.get(number)
            named = bool(words) and words[0][:1].isupper()
            if status is None:
                # Success codes are not errors, and a catalog without statuses (one
                # imported from elsewhere) says nothing about the HTTP ones.
                if number >= 400 and (http or named) and self.statuses:
                    found.append(
                        self._at(
                            doc, http.start() if http else start, "ZOF103",
                            f"HTTP {number} is not a status the API returns",
                            "statuses: " + ", ".join(str(s) for s in self.statuses),
                        )
                    )  # fmt: skip
                continue
            if not named:
                continue
            expected = status.title.split()
            if words[: len(expected)] == expected:
                continue
            found.append(
                self._at(
                    doc, end + len(text) - len(text.lstrip()), "ZOF104",
                    f"{number} is '{status.title}', not '{' '.join(words[: len(expected)])}'",
                    f"write '{number} {status.title}'",
                )
            )  # fmt: skip

    def _spans(self, doc: Doc, page: str, found: list[Problem]) -> None:
        for span in doc.spans:
            text = span.content.strip()
            code = self.codes.get(text)
            if code is not None:
                if (
                    code.deprecated
                    and not span.linked
                    and page != code.page
                    and not self._names_on_line(doc, span.offset, code.replaced_by)
                ):
                    replaced = f"use '{code.replaced_by}'" if code.replaced_by else ""
                    found.append(
                        self._at(
                            doc, span.offset, "ZOF102",
                            f"'{text}' is deprecated since {code.deprecated}", replaced,
                        )
                    )  # fmt: skip
                continue
            if text in self.params or not _SNAKE.fullmatch(text):
                continue
            close = closest(text, self.codes, 0.8)
            if close:
                found.append(
                    self._at(
                        doc, span.offset, "ZOF101",
                        f"unknown error code '{text}'", f"did you mean '{close}'?",
                    )
                )  # fmt: skip

    def _names_on_line(self, doc: Doc, offset: int, code: str | None) -> bool:
        """Whether the line at `offset` also names `code` in inline code."""
        line = doc.position(offset)[0]
        return code is not None and any(
            s.content.strip() == code and doc.position(s.offset)[0] == line for s in doc.spans
        )

    def _json(self, doc: Doc, found: list[Problem]) -> None:
        for block in doc.json_blocks:
            try:
                data = json.loads(block.content)
            except json.JSONDecodeError as exc:
                found.append(
                    self._at(
                        doc, block.offset + exc.pos, "ZOF301",
                        f"JSON example does not parse: {exc.msg}",
                        "fix the JSON, or mark the block as another language",
                    )
                )  # fmt: skip
                continue
            if isinstance(data, dict) and "error" in data:
                self._error_example(doc, block.offset, block.content, data, found)

    def _error_example(
        self, doc: Doc, offset: int, content: str, data: dict[str, Any], found: list[Problem]
    ) -> None:
        def where(key: str) -> int:
            match = re.search(rf'"{re.escape(key)}"\s*:', content)
            return offset + (match.start() if match else 0)

        def shape(key: str, message: str, hint: str) -> None:
            found.append(self._at(doc, where(key), "ZOF302", message, hint))

        for key in sorted(set(data) - {"error"}):
            shape(
                key,
                f"unexpected key '{key}' beside 'error'",
                "an error response holds only 'error'",
            )
        error = data["error"]
        if not isinstance(error, dict):
            shape("error", "'error' must be an object", "give it 'code' and 'message'")
            return
        for key in sorted(set(error) - set(_ERROR_KEYS)):
            shape(key, f"unexpected key 'error.{key}'", did_you_mean(key, _ERROR_KEYS) or
                  "the error object holds code, message and param")  # fmt: skip
        for key in ("code", "message"):
            if not isinstance(error.get(key), str):
                shape("error", f"'error.{key}' must be a string", f'add "{key}": "..."')
        name = error.get("code")
        if not isinstance(name, str):
            return
        code = self.codes.get(name)
        if code is None:
            found.append(
                self._at(
                    doc, where("code"), "ZOF101", f"unknown error code '{name}' in a JSON example",
                    did_you_mean(name, self.codes) or "use a code from the catalog",
                )
            )  # fmt: skip
            return
        param = error.get("param")
        if param is not None and param not in code.params:
            can = ", ".join(code.params) if code.params else "none"
            found.append(
                self._at(
                    doc, where("param"), "ZOF303",
                    f"'{param}' is not a param of '{name}'", f"its params: {can}",
                )
            )  # fmt: skip

    # -- the whole catalog -------------------------------------------------------------

    def undocumented(self, pages: dict[str, str]) -> list[Problem]:
        """Check that every status and code is on the Errors reference and has its page.

        A code with a status is linked under its status on the Errors reference; a code
        without one (in an imported catalog) is linked from the Error codes index.

        Args:
            pages: The generated pages.

        Returns:
            A finding for each status or code missing.
        """
        found: list[Problem] = []
        reference = pages.get(ERRORS_PAGE, "")
        for status in self.sources.catalog.statuses:
            if f"{{ #{status.anchor} }}" not in reference:
                found.append(
                    finding(
                        ERRORS_PAGE,
                        0,
                        0,
                        "ZOF001",
                        f"status {status.status} has no anchor on the Errors reference",
                        "check the errors.md.j2 template",
                    )
                )
        index = pages.get(CODES_PAGE, "")
        for code in self.sources.catalog.codes:
            where, linked = (
                ("the Errors reference", f"({relative_link(ERRORS_PAGE, code.page)})" in reference)
                if code.status
                else ("the Error codes index", f"({relative_link(CODES_PAGE, code.page)})" in index)
            )
            if code.page not in pages or not linked:
                found.append(
                    finding(
                        code.page,
                        0,
                        0,
                        "ZOF001",
                        f"code '{code.code}' lacks its page or its link on {where}",
                        "check the code.md.j2, errors.md.j2 and codes.md.j2 templates",
                    )
                )
        return found

    def unused(self, glossary_file: Path) -> list[Problem]:
        """Report glossary labels that no checked document used.

        Args:
            glossary_file: The glossary, to point at each entry.

        Returns:
            A warning for each unused label.
        """
        lines = _label_lines(glossary_file)
        name = display_path(glossary_file)
        return [
            finding(name, lines.get(label.label, 0), 5 if label.label in lines else 0, "ZOF206",
                    f"the label '{label.label}' is used on no page", "use it, or remove the entry")
            for label in self.sources.glossary.labels
            if not self.used[label.label]
        ]  # fmt: skip


def _trim(words: list[str], labels: dict[str, Label], *, from_left: bool) -> str | None:
    """The longest run of words at one end that is a label, if any."""
    for cut in range(len(words)):
        run = words[cut:] if from_left else words[: len(words) - cut]
        if " ".join(run) in labels:
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


def _trie(forms: list[str]) -> str:
    """One regular expression for many words, as a trie: shared prefixes are tried once."""
    root: dict[str, Any] = {}
    for form in forms:
        node = root
        for char in " ".join(form.casefold().split()):
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child)
            for char, child in sorted(node.items())
            if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # A form ends here; a longer one may go on.
            body = f"(?:{body})?"
        return body

    return emit(root)


def _label_lines(path: Path) -> dict[str, int]:
    lines: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return lines
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"\s*- label:\s*(.+?)\s*$", line)
        if match:
            lines.setdefault(match[1].strip("'\""), number)
    return lines


def check_site(
    sources: Sources,
    pages: dict[str, str],
    documents: Iterable[Target],
    glossary_file: Path,
    *,
    unchecked: Iterable[str] = (),
) -> list[Problem]:
    """Check a whole site: its generated pages and every other document.

    Args:
        sources: The loaded sources.
        pages: The generated pages, by path; each is checked, but for `unchecked`.
        documents: Hand-written pages, runbooks as their files hold them, templates.
        glossary_file: The glossary, where unused labels are reported.
        unchecked: Generated pages not to check as generated: the glossary, which names
            every label by definition, and pages published from a document above.

    Returns:
        Every finding, in file and line order.
    """
    checker = Checker(sources)
    skip = set(unchecked)
    targets = [
        Target(f"generated/{path}", text, path) for path, text in pages.items() if path not in skip
    ]
    found: list[Problem] = []
    for target in [*targets, *documents]:
        found += checker.check(target)
    found += checker.undocumented(pages)
    found += checker.unused(glossary_file)
    return sorted(found)


def rule_examples(sources: Sources) -> dict[str, list[Problem]]:
    """Run the checker on each rule's bad example, as the Checks page shows it.

    Args:
        sources: The loaded sources.

    Returns:
        For each rule with a Markdown example, the findings of its rule on it.
    """
    checker = Checker(sources)
    return {
        rule.id: [
            f for f in checker.check(Target("example.md", rule.bad + "\n")) if f.rule == rule.id
        ]
        for rule in RULES.values()
        if not rule.bad.startswith("(")
    }
