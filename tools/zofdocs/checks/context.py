"""What the checker knows, compiled once: the catalog's labels, codes and statuses.

Every rule module (`labels`, `codes`, `examples`, `site`) reads a `CheckContext`, and
`zofdocs.check.Checker` runs them one document at a time.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from zofdocs.errors import Problem
from zofdocs.findings import finding
from zofdocs.model import Sources
from zofdocs.prose import Doc

__all__ = ["CheckContext", "Target", "words"]


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


def words(text: str) -> str:
    """Fold a run of text's white space, line breaks included, into single spaces.

    Args:
        text: The text as written.

    Returns:
        Its words joined by one space.
    """
    return " ".join(text.split())


def _pattern(form: str) -> str:
    return r"\s+".join(re.escape(part) for part in form.split())


@dataclass
class CheckContext:
    """What the catalog and glossary allow, compiled into lookups and expressions.

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

    def at(self, doc: Doc, offset: int, rule: str, message: str, hint: str = "") -> Problem:
        """A finding at an offset of a document's prose.

        Args:
            doc: The document.
            offset: Where in its prose.
            rule: The rule's identifier.
            message: What is wrong.
            hint: What to write instead.

        Returns:
            The finding, at its line and column.
        """
        line, column = doc.position(offset)
        return finding(doc.name, line, column, rule, message, hint)


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
