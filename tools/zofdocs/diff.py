"""Compare two versions of the catalog and list every change, marked breaking or not.

A change is breaking when a client written against the old catalog can go wrong with
the new one: a code it branches on disappears without a replacement, answers with
another HTTP status, stops naming a param it reads, or lets it retry less than it used
to; a status or a field of the error response it reads disappears; or a Console label
the docs and runbooks use disappears without its old spelling being kept as an alias
(a known wrong spelling of the new label). Everything else is listed as not breaking.

Retry guidance is compared field by field, and each difference is its own change:

- The policies rank `never` < `after_change` < `retry_after` and `backoff`. A lower
  rank is a tightening (breaking), a higher one a loosening. A switch between
  `retry_after` and `backoff` is breaking: a client doing the one now breaks the other.
- Fewer `max_attempts`, or a limit where there was none; fewer `methods`; a longer
  `initial_delay_seconds`, or one where there was none: each a tightening.
- Guidance added where there was none, or taken away, forbids nothing a client did:
  listed, not breaking.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from zofdocs.model import RetryPolicy, Sources

__all__ = ["Change", "diff_sources", "format_changes", "retry_changes"]

_RANK = {"never": 0, "after_change": 1, "retry_after": 2, "backoff": 2}
"""How much each policy lets a client retry; a lower rank is tighter."""


@dataclass(frozen=True)
class Change:
    """One difference between two catalogs.

    Attributes:
        kind: What changed, such as `code-removed` or `retry-tightened`.
        subject: The code, status or label concerned.
        message: The change, for people.
        breaking: Whether existing clients can break.
    """

    kind: str
    subject: str
    message: str
    breaking: bool


def retry_changes(old: RetryPolicy | None, new: RetryPolicy | None) -> list[tuple[str, bool]]:
    """Every difference between two retry policies, each with whether it tightens.

    Args:
        old: The earlier policy; None for no guidance.
        new: The later policy; None for no guidance.

    Returns:
        A description of each difference, such as `max_attempts from 5 to 3`, with True
        where a client that followed the old guidance could now break.
    """
    if old == new:
        return []
    if new is None:
        return [(f"guidance removed (was {old.policy})", False)] if old else []
    if old is None:
        return [(f"guidance added: {new.policy}", False)]
    found: list[tuple[str, bool]] = []
    if old.policy != new.policy:
        rank_old, rank_new = _RANK[old.policy], _RANK[new.policy]
        found.append((f"from {old.policy} to {new.policy}", rank_new <= rank_old))
    if old.change != new.change:
        found.append((f"what must change first from {old.change} to {new.change}", False))
    if old.max_attempts != new.max_attempts:
        tighter = new.max_attempts is not None and (
            old.max_attempts is None or new.max_attempts < old.max_attempts
        )
        found.append((f"max_attempts from {old.max_attempts} to {new.max_attempts}", tighter))
    lost = sorted(set(old.methods) - set(new.methods))
    gained = sorted(set(new.methods) - set(old.methods))
    if lost:
        found.append((f"no longer retries {', '.join(lost)}", True))
    if gained:
        found.append((f"now also retries {', '.join(gained)}", False))
    old_delay, new_delay = old.initial_delay_seconds, new.initial_delay_seconds
    if old_delay != new_delay:
        tighter = new_delay is not None and (old_delay is None or new_delay > old_delay)
        found.append(
            (f"initial delay from {_seconds(old_delay)} to {_seconds(new_delay)}", tighter)
        )
    return found


def _seconds(value: float | None) -> str:
    return "none" if value is None else f"{value:g} s"


def diff_sources(old: Sources, new: Sources) -> list[Change]:
    """List every change from `old` to `new`, breaking changes first.

    Args:
        old: The earlier catalog and glossary.
        new: The later ones.

    Returns:
        The changes, breaking ones first, each group in catalog order.
    """
    changes: list[Change] = []

    def add(kind: str, subject: str, message: str, breaking: bool) -> None:
        changes.append(Change(kind, subject, message, breaking))

    _statuses(old, new, add)
    _codes(old, new, add)
    _shape(old, new, add)
    _labels(old, new, add)
    _issues(old, new, add)
    # Each section adds in catalog order (statuses, codes, response fields, labels,
    # issues); a stable sort brings the breaking changes first and keeps that order.
    return sorted(changes, key=lambda c: not c.breaking)


_Add = Callable[[str, str, str, bool], None]


def _retry(
    add: _Add, subject: str, named: str, old: RetryPolicy | None, new: RetryPolicy | None
) -> None:
    for what, breaking in retry_changes(old, new):
        tightened = ("retry-tightened", "tightened")
        kind, verb = tightened if breaking else ("retry-changed", "changed")
        add(kind, subject, f"retry policy of {named} {verb}: {what}", breaking)


def _statuses(old: Sources, new: Sources, add: _Add) -> None:
    before = {s.status: s for s in old.catalog.statuses}
    after = {s.status: s for s in new.catalog.statuses}
    for number, status in before.items():
        now = after.get(number)
        if now is None:
            add("status-removed", str(number), f"status {number} removed", True)
            continue
        if (status.title, status.meaning) != (now.title, now.meaning):
            add(
                "status-text-changed",
                str(number),
                f"status {number}'s title or meaning changed",
                False,
            )
        _retry(add, str(number), f"status {number}", status.retry, now.retry)
    for number in (n for n in after if n not in before):
        add("status-added", str(number), f"status {number} added", False)


_CODE_TEXT = ("title", "description", "causes", "fixes", "example", "details", "labels")


def _codes(old: Sources, new: Sources, add: _Add) -> None:
    before = {c.code: c for c in old.catalog.codes}
    after = {c.code: c for c in new.catalog.codes}
    for name, code in before.items():
        now = after.get(name)
        if now is None:
            if code.replaced_by and code.replaced_by in after:
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
        for param in added:
            add("param-added", name, f"code '{name}' now names '{param}'", False)
        _retry(add, name, f"'{name}'", code.retry, now.retry)
        if now.deprecated and not code.deprecated:
            use = f"; use '{now.replaced_by}'" if now.replaced_by else ""
            add("code-deprecated", name, f"code '{name}' deprecated{use}", False)
        elif code.deprecated and not now.deprecated:
            add("code-undeprecated", name, f"code '{name}' is no longer deprecated", False)
        texts = [f for f in _CODE_TEXT if getattr(code, f) != getattr(now, f)]
        if texts:
            add("code-text-changed", name, f"code '{name}': {', '.join(texts)} changed", False)
    for name in (n for n in after if n not in before):
        add("code-added", name, f"code '{name}' added", False)


def _shape(old: Sources, new: Sources, add: _Add) -> None:
    before = (
        {f.name: f for f in old.catalog.response_shape.fields} if old.catalog.response_shape else {}
    )
    after = (
        {f.name: f for f in new.catalog.response_shape.fields} if new.catalog.response_shape else {}
    )
    for name, field in before.items():
        if name not in after:
            add("field-removed", name, f"response field '{name}' removed", True)
        elif after[name].type != field.type:
            typed = f"from {field.type} to {after[name].type}"
            add("field-changed", name, f"response field '{name}' changed type {typed}", True)
    for name in (n for n in after if n not in before):
        add("field-added", name, f"response field '{name}' added", False)


def _labels(old: Sources, new: Sources, add: _Add) -> None:
    aliases = {w: label.label for label in new.glossary.labels for w in label.wrong_spellings}
    renamed_to = set()
    for label in old.glossary.labels:
        now = new.glossary.by_label.get(label.label)
        if now is None:
            if label.label in aliases:
                renamed_to.add(aliases[label.label])
                renamed = f"label '{label.label}' renamed to '{aliases[label.label]}'"
                add("label-renamed", label.label, renamed, False)
            else:
                add(
                    "label-removed",
                    label.label,
                    f"label '{label.label}' removed without an alias",
                    True,
                )
            continue
        if now.path != label.path:
            add(
                "label-moved",
                label.label,
                f"label '{label.label}' moved from {label.path} to {now.path}",
                False,
            )
        if (now.definition, now.expansion) != (label.definition, label.expansion):
            add(
                "label-text-changed",
                label.label,
                f"label '{label.label}': definition changed",
                False,
            )
    for label in new.glossary.labels:
        if label.label not in old.glossary.by_label and label.label not in renamed_to:
            add("label-added", label.label, f"label '{label.label}' added", False)


def _issues(old: Sources, new: Sources, add: _Add) -> None:
    before = {i.id: i for i in old.catalog.common_issues}
    after = {i.id: i for i in new.catalog.common_issues}
    for name, issue in before.items():
        if name not in after:
            add("issue-removed", name, f"common issue '{name}' removed", False)
        elif after[name] != issue:
            add("issue-changed", name, f"common issue '{name}' changed", False)
    for name in (n for n in after if n not in before):
        add("issue-added", name, f"common issue '{name}' added", False)


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
