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
        "BREAKING code-removed: code 'state_conflict' removed without replaced_by",
    ),
    (
        "status-changed",
        "errors.yml",
        "  - code: missing_api_key\n    status: 401\n",
        "  - code: missing_api_key\n    status: 400\n",
        "BREAKING status-changed: code 'missing_api_key' moved from status 401 to 400",
    ),
    (
        "param-renamed",
        "errors.yml",
        "params: [environment, project_id, environment_id, spec_id, schedule]",
        "params: [environment, project_id, environment_id, spec_id, schedule_id]",
        "BREAKING param-removed: code 'invalid_request' no longer names 'schedule' "
        "(new: schedule_id)",
    ),
    (
        "retry-policy-tightened",
        "errors.yml",
        "retry: {policy: retry_after, max_attempts: 5}",
        "retry: {policy: after_change, change: request}",
        "BREAKING retry-tightened: retry policy of 'rate_limited' tightened: "
        "from retry_after to after_change",
    ),
    (
        "retry-attempts-lowered",
        "errors.yml",
        "retry: {policy: retry_after, max_attempts: 5}",
        "retry: {policy: retry_after, max_attempts: 2}",
        "BREAKING retry-tightened: retry policy of 'rate_limited' tightened: "
        "max_attempts from 5 to 2",
    ),
    (
        "label-removed",
        "glossary.yml",
        "  - label: release gates\n",
        "  - label: release checks\n",
        "BREAKING label-removed: label 'release gates' removed without an alias",
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
    assert out.splitlines()[0] == expected


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


def test_bad_catalog_exits_2(new: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (new / "errors.yml").write_text("codes: 1\n")
    assert main(["diff", str(CATALOG), str(new)]) == 2
    assert "Traceback" not in capsys.readouterr().err
