"""The consistency checker: every code and every Console label, everywhere.

`Checker` holds what the catalog and glossary allow, compiled once
(`zofdocs.checks.context`), and runs the rules on one document at a time; each family
of rules has its module in `zofdocs.checks`: `labels` (spelling, case, bold UI text,
Console paths), `codes` (codes and statuses in prose), `examples` (JSON examples) and
`site` (the whole site: every code documented, every label used). `check_site` checks
a rendered site; `zofdocs.pipeline.check` calls it.

A `Checker` keeps, from one document to the next, what is the same wherever it is found:
the blocks of Markdown it scanned (`zofdocs.prose.ScanMemo`) and what the rules found in
each piece of prose (`CheckContext.facts`), both by their exact text. The pages of a site
share most of theirs, so most of each page is read once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from zofdocs.checks import codes, examples, labels, site
from zofdocs.checks.context import CheckContext, Target
from zofdocs.errors import Problem
from zofdocs.findings import EXAMPLE_RULES, RULES
from zofdocs.layout import GENERATED
from zofdocs.model import Sources
from zofdocs.prose import ScanMemo, scan

__all__ = ["CheckMemo", "Checker", "Target", "check_site", "rule_examples"]


class Checker(CheckContext):
    """Checks documents against one catalog and glossary.

    Args:
        sources: The loaded sources.
    """

    def check(self, target: Target) -> list[Problem]:
        """Check one document.

        Args:
            target: The document.

        Returns:
            Its findings, in line order.
        """
        doc = scan(target.name, target.text, self.scan_memo)
        pieces = self.pieces(doc.prose)
        found: list[Problem] = []
        labels.labels(self, doc, found, pieces)
        labels.bold(self, doc, found)
        labels.paths(self, doc, found, pieces)
        codes.statuses(self, doc, found, pieces)
        codes.spans(self, doc, target.page, found)
        codes.bare(self, doc, found, pieces)
        examples.json_examples(self, doc, found)
        return sorted(f for f in found if f.line not in doc.ignored)

    def undocumented(self, pages: dict[str, str]) -> list[Problem]:
        """Check that every status and code is on the Errors reference and has its page.

        Args:
            pages: The generated pages.

        Returns:
            A finding for each status or code missing.
        """
        return site.undocumented(self, pages)

    def unused(self, glossary_file: Path) -> list[Problem]:
        """Report glossary labels that no document checked so far used.

        Args:
            glossary_file: The glossary, to point at each entry.

        Returns:
            A warning for each unused label.
        """
        return site.unused(self, glossary_file)


class CheckMemo:
    """The findings of documents checked before, kept for the next check of the site.

    The preview checks the whole site on every save; with a memo, only the documents
    whose text changed are checked again, and of those only the blocks and pieces of
    prose that changed are read again. A document's findings depend on its text and
    on what the rules read of the sources (`CheckContext.fingerprint`): when that
    changes, every document is checked again. Only the last check's documents are kept.
    """

    def __init__(self) -> None:
        self._fingerprint = ""
        self._kept: dict[tuple[str, str, str], tuple[list[Problem], Counter[str]]] = {}
        # The checker's own memos, for the documents that are checked again: the
        # blocks it scanned, and what the rules found in each piece of prose.
        self._scan_memo = ScanMemo()
        self._facts: dict[str, dict[Any, Any]] = {}
        self.checked = 0
        """How many documents the last check really checked; the rest were kept."""

    def check(self, checker: Checker, targets: Iterable[Target]) -> list[Problem]:
        """Check documents, reusing the findings of any checked before as they are.

        Args:
            checker: The checker; the labels each document uses are added to its `used`,
                whether checked now or before.
            targets: The documents.

        Returns:
            Their findings.
        """
        if checker.fingerprint != self._fingerprint:
            self._fingerprint, self._kept, self._facts = checker.fingerprint, {}, {}
        checker.keep_memos(self._scan_memo, self._facts)
        kept: dict[tuple[str, str, str], tuple[list[Problem], Counter[str]]] = {}
        found: list[Problem] = []
        self.checked = 0
        for target in targets:
            key = (target.name, target.page, target.text)
            entry = self._kept.get(key)
            if entry is None:
                # The labels this document uses, apart from the others', to keep with it.
                used, checker.used = checker.used, Counter()
                entry = (checker.check(target), checker.used)
                checker.used = used
                self.checked += 1
            checker.used.update(entry[1])
            kept[key] = entry
            found += entry[0]
        self._kept = kept
        return found


def check_site(
    sources: Sources,
    pages: dict[str, str],
    documents: Iterable[Target],
    glossary_file: Path,
    *,
    unchecked: Iterable[str] = (),
    memo: CheckMemo | None = None,
) -> list[Problem]:
    """Check a whole site: its generated pages and every other document.

    Args:
        sources: The loaded sources.
        pages: The generated pages, by path; each is checked, but for `unchecked`.
        documents: Hand-written pages, runbooks as their files hold them, templates.
        glossary_file: The glossary, where unused labels are reported.
        unchecked: Generated pages not to check as generated: the glossary, which names
            every label by definition, and pages published from a document above.
        memo: The findings of an earlier check, reused for documents that did not change.

    Returns:
        Every finding, in file and line order.
    """
    checker = Checker(sources)
    skip = set(unchecked)
    targets = [
        Target(GENERATED + path, text, path) for path, text in pages.items() if path not in skip
    ]
    found = (memo or CheckMemo()).check(checker, [*targets, *documents])
    found += checker.undocumented(pages)
    found += checker.unused(glossary_file)
    return sorted(found)


def rule_examples(sources: Sources) -> dict[str, list[Problem]]:
    """Run the checker on each rule's bad example, as the Checks page shows it.

    Args:
        sources: The loaded sources.

    Returns:
        For each rule of `EXAMPLE_RULES`, in order, the findings of its rule on it.
    """
    checker = Checker(sources)
    return {
        rule: [
            f for f in checker.check(Target("example.md", RULES[rule].bad + "\n")) if f.rule == rule
        ]
        for rule in EXAMPLE_RULES
    }
