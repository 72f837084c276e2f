"""zofdocs diff: every kind of breaking change, and the ones that are not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CATALOG
from zofdocs.cli import main


@pytest.fixture
def new(tmp_path: Path) -> Path:
    folder = tmp_path / "new"
    shutil.copytree(CATALOG, folder)
    return folder


def edit(folder: Path, name: str, old: str, replacement: str) -> None:
    path = folder / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, replacement, 1))


def run(capsys: pytest.CaptureFixture[str], new: Path, *extra: str) -> tuple[int, str]:
    status = main(["diff", str(CATALOG), str(new), *extra])
    return status, capsys.readouterr().out


def test_same_catalog_has_no_changes(new: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, new) == (0, "")


# (id, file, old text, new text, the one line of the report)
CASES = [
    (
        "code-removed",
        "errors.yml",
        "  - code: state_conflict\n    status: 409\n",
        "  - code: state_conflicts\n    status: 409\n",
        "BREAKING code-removed: code 'state_conflict' removed without replaced_by\n"
        "ok code-added: code 'state_conflicts' added",
    ),
    (
        "status-changed",
        "errors.yml",
        "  - code: missing_api_key\n    status: 401\n",
        "  - code: missing_api_key\n    status: 400\n",
        "BREAKING status-changed: code 'missing_api_key' moved from status 401 to 400\n"
        "ok retry-changed: retry policy of 'missing_api_key' changed: what must change first "
        "from credentials to request",
    ),
    (
        "param-renamed",
        "errors.yml",
        "params: [environment, project_id, environment_id, spec_id, schedule]",
        "params: [environment, project_id, environment_id, spec_id, schedule_id]",
        "BREAKING param-removed: code 'invalid_request' no longer names 'schedule' "
        "(new: schedule_id)\n"
        "ok param-added: code 'invalid_request' now names 'schedule_id'",
    ),
    (
        "retry-policy-tightened",
        "errors.yml",
        "retry: {policy: retry_after, max_attempts: 5}",
        "retry: {policy: after_change, change: request}",
        "BREAKING retry-tightened: retry policy of status 429 tightened: "
        "from retry_after to after_change\n"
        "BREAKING retry-tightened: retry policy of 'rate_limited' tightened: "
        "from retry_after to after_change\n"
        "ok retry-changed: retry policy of status 429 changed: "
        "what must change first from None to request\n"
        "ok retry-changed: retry policy of status 429 changed: max_attempts from 5 to None\n"
        "ok retry-changed: retry policy of 'rate_limited' changed: "
        "what must change first from None to request\n"
        "ok retry-changed: retry policy of 'rate_limited' changed: max_attempts from 5 to None",
    ),
    (
        "retry-attempts-lowered",
        "errors.yml",
        "retry: {policy: retry_after, max_attempts: 5}",
        "retry: {policy: retry_after, max_attempts: 2}",
        "BREAKING retry-tightened: retry policy of status 429 tightened: "
        "max_attempts from 5 to 2\n"
        "BREAKING retry-tightened: retry policy of 'rate_limited' tightened: "
        "max_attempts from 5 to 2",
    ),
    (
        "label-removed",
        "glossary.yml",
        "  - label: release gates\n",
        "  - label: release checks\n",
        "BREAKING label-removed: label 'release gates' removed without an alias\n"
        "ok label-added: label 'release checks' added",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "replacement", "expected"),
    [pytest.param(f, o, r, e, id=i) for i, f, o, r, e in CASES],
)
def test_breaking_change(
    new: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    old: str,
    replacement: str,
    expected: str,
) -> None:
    edit(new, name, old, replacement)
    if "release gates" in old:  # The pages use the label; keep them valid.
        edit(new, "glossary.yml", "wrong_spellings: [Release Gates, quality gates]",
             "wrong_spellings: [Release Checks]")  # fmt: skip
    status, out = run(capsys, new)
    assert status == 1
    assert out == expected + "\n"


def test_label_renamed_with_an_alias_is_not_breaking(
    new: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(new, "glossary.yml", "  - label: release gates\n", "  - label: release checks\n")
    edit(new, "glossary.yml", "wrong_spellings: [Release Gates, quality gates]",
         "wrong_spellings: [release gates]")  # fmt: skip
    assert run(capsys, new) == (
        0,
        "ok label-renamed: label 'release gates' renamed to 'release checks'\n",
    )


def test_removing_a_replaced_code_is_not_breaking(
    tmp_path: Path, new: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (new / "errors.yml").read_text()
    start = text.index("  - code: missing_api_key")
    end = text.index("  - code: permission_denied")
    (new / "errors.yml").write_text(text[:start] + text[end:])
    assert run(capsys, new) == (
        0,
        "ok code-removed: code 'missing_api_key' removed; use 'invalid_api_key'\n",
    )


def test_added_and_deprecated_codes_in_json(new: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(new, "errors.yml", '    added: "2024-03-01"\n\n  - code: rate_limited',
         '    added: "2024-03-01"\n    deprecated: "2026-01-01"\n    replaced_by: invalid_request\n'
         "\n  - code: rate_limited")  # fmt: skip
    status, out = run(capsys, new, "--format", "json")
    assert status == 0
    assert json.loads(out) == [
        {
            "kind": "code-deprecated",
            "subject": "state_conflict",
            "message": "code 'state_conflict' deprecated; use 'invalid_request'",
            "breaking": False,
        }
    ]


RETRY_CASES = [
    # (old policy, new policy, [(what, breaking)])
    ({"policy": "never"}, None, [("guidance removed (was never)", False)]),
    (None, {"policy": "never"}, [("guidance added: never", False)]),
    ({"policy": "never"}, {"policy": "backoff"}, [("from never to backoff", False)]),
    ({"policy": "backoff"}, {"policy": "never"}, [("from backoff to never", True)]),
    ({"policy": "retry_after"}, {"policy": "backoff"}, [("from retry_after to backoff", True)]),
    (
        {"policy": "backoff", "methods": ("GET", "HEAD"), "max_attempts": 5,
         "initial_delay_seconds": 1.0},
        {"policy": "backoff", "methods": ("GET", "PUT"), "max_attempts": 3,
         "initial_delay_seconds": 2.0},
        [("max_attempts from 5 to 3", True), ("no longer retries HEAD", True),
         ("now also retries PUT", False), ("initial delay from 1 s to 2 s", True)],
    ),
    (
        {"policy": "retry_after"},
        {"policy": "retry_after", "max_attempts": 4},
        [("max_attempts from None to 4", True)],
    ),
    (
        {"policy": "backoff", "methods": ("GET",), "initial_delay_seconds": 2.0},
        {"policy": "backoff", "methods": ("GET",)},
        [("initial delay from 2 s to none", False)],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), RETRY_CASES)
def test_every_retry_difference_is_listed_and_judged(
    old: dict[str, object] | None, new: dict[str, object] | None, expected: list[object]
) -> None:
    from zofdocs.diff import retry_changes
    from zofdocs.model import RetryPolicy

    def policy(data: dict[str, object] | None) -> RetryPolicy | None:
        return RetryPolicy(**data) if data else None  # type: ignore[arg-type]

    assert retry_changes(policy(old), policy(new)) == expected


def test_bad_catalog_exits_2(new: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (new / "errors.yml").write_text("codes: 1\n")
    assert main(["diff", str(CATALOG), str(new)]) == 2
    assert "Traceback" not in capsys.readouterr().err
