"""Compare two versions of the catalog and list the changes that break clients.

A client breaks when a code it branches on disappears without a replacement, answers
with another HTTP status, stops naming a param it reads, retries less than it used to,
or when a Console label the docs and runbooks use disappears without its old spelling
being kept as an alias (a known wrong spelling of the new label).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from zofdocs.model import RetryPolicy, Sources

__all__ = ["Change", "diff_sources", "format_changes"]

_RANK = {"never": 0, "after_change": 1, "retry_after": 2, "backoff": 2}
"""How much each policy lets a client retry; a lower rank is tighter."""


@dataclass(frozen=True)
class Change:
    """One difference between two catalogs.

    Attributes:
        kind: What changed, such as `code-removed` or `status-changed`.
        subject: The code, label or status concerned.
        message: The change, for people.
        breaking: Whether existing clients can break.
    """

    kind: str
    subject: str
    message: str
    breaking: bool


def _tightened(old: RetryPolicy, new: RetryPolicy) -> str:
    if _RANK[new.policy] < _RANK[old.policy]:
        return f"from {old.policy} to {new.policy}"
    if new.policy == old.policy:
        if (old.max_attempts or 0) > (new.max_attempts or old.max_attempts or 0):
            return f"max_attempts from {old.max_attempts} to {new.max_attempts}"
        if set(new.methods) < set(old.methods):
            lost = ", ".join(sorted(set(old.methods) - set(new.methods)))
            return f"no longer retries {lost}"
        old_delay, new_delay = old.initial_delay_seconds, new.initial_delay_seconds
        if old_delay is not None and new_delay is not None and new_delay > old_delay:
            return f"initial delay from {old_delay:g} s to {new_delay:g} s"
    return ""


def diff_sources(old: Sources, new: Sources) -> list[Change]:
    """List what changed from `old` to `new`, breaking changes first.

    Args:
        old: The earlier catalog and glossary.
        new: The later ones.

    Returns:
        The changes, breaking ones first, each group in catalog order.
    """
    changes: list[Change] = []

    def add(kind: str, subject: str, message: str, breaking: bool) -> None:
        changes.append(Change(kind, subject, message, breaking))

    old_codes = {c.code: c for c in old.catalog.codes}
    new_codes = {c.code: c for c in new.catalog.codes}
    for name, code in old_codes.items():
        now = new_codes.get(name)
        if now is None:
            if code.replaced_by and code.replaced_by in new_codes:
                add("code-removed", name, f"code '{name}' removed; use '{code.replaced_by}'", False)
            else:
                add("code-removed", name, f"code '{name}' removed without replaced_by", True)
            continue
        old_status = code.status.status if code.status else "none"
        new_status = now.status.status if now.status else "none"
        if old_status != new_status:
            moved = f"from status {old_status} to {new_status}"
            add("status-changed", name, f"code '{name}' moved {moved}", True)
        added = sorted(set(now.params) - set(code.params))
        for param in code.params:
            if param not in now.params:
                hint = f" (new: {', '.join(added)})" if added else ""
                add("param-removed", name, f"code '{name}' no longer names '{param}'{hint}", True)
        tighter = _tightened(code.retry, now.retry) if code.retry and now.retry else ""
        if code.retry and not now.retry:
            tighter = f"from {code.retry.policy} to no guidance"
        if tighter:
            add("retry-tightened", name, f"retry policy of '{name}' tightened: {tighter}", True)
        if now.deprecated and not code.deprecated:
            use = f"; use '{now.replaced_by}'" if now.replaced_by else ""
            add("code-deprecated", name, f"code '{name}' deprecated{use}", False)
    for name in new_codes:
        if name not in old_codes:
            add("code-added", name, f"code '{name}' added", False)
    aliases = {w: label.label for label in new.glossary.labels for w in label.wrong_spellings}
    for label in old.glossary.labels:
        if label.label in new.glossary.by_label:
            continue
        if label.label in aliases:
            renamed = f"label '{label.label}' renamed to '{aliases[label.label]}'"
            add("label-renamed", label.label, renamed, False)
        else:
            add(
                "label-removed",
                label.label,
                f"label '{label.label}' removed without an alias",
                True,
            )
    order = {name: i for i, name in enumerate([*old_codes, *new_codes])}
    return sorted(changes, key=lambda c: (not c.breaking, order.get(c.subject, len(order))))


def format_changes(changes: list[Change], fmt: str) -> str:
    """Print changes for people (`text`) or tools (`json`).

    Args:
        changes: The changes.
        fmt: `text` or `json`.

    Returns:
        The report.
    """
    if fmt == "json":
        return json.dumps([asdict(c) for c in changes], indent=2, ensure_ascii=False) + "\n"
    return "".join(f"{'BREAKING' if c.breaking else 'ok'} {c.kind}: {c.message}\n" for c in changes)
