"""The command line: usage, exit statuses and safe writing."""

from __future__ import annotations

import errno
import gc
import json
import os
from pathlib import Path

import pytest

from tests.conftest import CATALOG, RUNBOOKS
from zofdocs.cli import main
from zofdocs.fileio import MANIFEST


def test_validate_reports_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--catalog", str(CATALOG)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("7 statuses, 8 codes, 2 common issues, 31 labels: ok\n")


def test_a_run_gives_its_caller_back_the_collector_s_threshold(tmp_path: Path) -> None:
    before = gc.get_threshold()
    assert (
        main(
            [
                "generate",
                "--catalog",
                str(CATALOG),
                "--runbooks",
                str(RUNBOOKS),
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert main(["validate", "--catalog", str(tmp_path / "none")]) == 2
    assert gc.get_threshold() == before


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", ["0", "-1", "two", "1.5"])
def test_generate_jobs_must_be_a_number_of_processes(
    jobs: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["generate", "--catalog", str(CATALOG), "--out", str(tmp_path), "--jobs", jobs]
    assert main(args) == 2
    assert f"{jobs!r} is not a number of processes (1 or more)" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "generate" in capsys.readouterr().out


def test_generate_writes_every_page_and_leaves_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.md").write_text("not generated")
    args = ["generate", "--catalog", str(CATALOG), "--runbooks", str(RUNBOOKS), "--out", str(out)]
    assert main(args) == 0
    assert capsys.readouterr().out == f"{out}: 24 pages and 12 other files written\n"
    assert (out / "runbooks" / "checkout.md").is_file()
    assert (out / "mine.md").read_text() == "not generated"
    assert (out / "errors" / "codes" / "rate_limited.md").is_file()
    assert not [p for p in out.rglob(".*") if p.is_file() and p.name != MANIFEST], (
        "temporary files left behind"
    )


def test_generate_removes_what_it_wrote_before_and_nothing_else(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = catalog_dir.parent / "out"
    args = ["generate", "--no-runbooks", "--out", str(out)]
    assert main(args) == 0
    (out / "errors" / "codes" / "mine.md").write_text("a page of my own")
    gone = out / "errors" / "codes" / "state_conflict.md"
    assert gone.is_file()
    errors = catalog_dir / "errors.yml"
    text = errors.read_text()
    for entry, after in (("  - code: state_conflict", "  - code:"), ("  - status: 409", "  - ")):
        start = text.index(entry)
        text = text[:start] + text[text.index(after, start + 1) :]
    errors.write_text(text)
    capsys.readouterr()
    assert main(args) == 0
    assert capsys.readouterr().out.endswith(", 2 no longer generated removed\n")
    assert not gone.exists()
    assert not (out / "problems" / "state_conflict.json").exists()
    assert (out / "errors" / "codes" / "mine.md").read_text() == "a page of my own"
    listed = json.loads((out / MANIFEST).read_text())
    assert "errors/codes/state_conflict.md" not in listed
    assert "errors/codes/rate_limited.md" in listed


@pytest.mark.parametrize("content", ["not json", '{"a": 1}', '["ok", 3]'])
def test_a_damaged_manifest_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text(content)
    args = ["generate", "--catalog", str(CATALOG), "--no-runbooks", "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"{MANIFEST}: not a list of the files zofdocs wrote (hint: delete it" in err
    assert list(out.iterdir()) == [out / MANIFEST], "nothing written"


def test_failed_validation_writes_nothing(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (catalog_dir / "errors.yml").write_text("statuses: 7\n")
    out = catalog_dir.parent / "out"
    out.mkdir()
    (out / "index.md").write_text("old")
    assert main(["generate", "--out", str(out)]) == 2
    assert (out / "index.md").read_text() == "old"
    assert list(out.iterdir()) == [out / "index.md"]
    assert "Traceback" not in capsys.readouterr().err


def test_refuses_a_symbolic_link_out_of_the_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "errors").symlink_to(elsewhere)
    args = ["generate", "--catalog", str(CATALOG), "--runbooks", str(RUNBOOKS), "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "lies outside" in err
    assert "not written" in err
    assert list(elsewhere.iterdir()) == []


def test_failed_write_keeps_every_old_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    args = ["generate", "--catalog", str(CATALOG), "--no-runbooks", "--out", str(out)]
    assert main(args) == 0
    first, second = out / "errors" / "index.md", out / "index.md"
    first.write_text("old reference")
    second.write_text("old home")
    real_fdopen = os.fdopen
    calls = []

    def full_disk_on_second(fd: int, mode: str) -> object:
        calls.append(fd)
        if len(calls) < 2:
            return real_fdopen(fd, mode)
        real_fdopen(fd, mode).close()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("zofdocs.fileio.os.fdopen", full_disk_on_second)
    assert main(args) == 2
    assert capsys.readouterr().err == f"{second.resolve()}: cannot write: No space left on device\n"
    # The first page was written to its temporary file, but never renamed into place.
    assert first.read_text() == "old reference"
    assert second.read_text() == "old home"
    assert not [p for p in out.rglob(".*") if p.is_file() and p.name != MANIFEST], (
        "temporary files left behind"
    )


def mkdocs_modules_after(args: list[str], cwd: Path) -> str:
    """Run the command line in a fresh interpreter; name the MkDocs modules it imported."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom zofdocs.cli import main\n"
        f"main({args!r})\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'material'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)
    return result.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    "args",
    [["--help"], ["check", "--help"], ["validate", "--catalog", str(CATALOG)]],
    ids=["help", "check-help", "validate"],
)
def test_commands_import_nothing_from_mkdocs(args: list[str], tmp_path: Path) -> None:
    assert mkdocs_modules_after(args, tmp_path) == "[]"


def test_check_imports_nothing_from_mkdocs(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Open the Admin Center.\n")
    args = ["check", "--catalog", str(CATALOG), "--no-runbooks", str(page)]
    assert mkdocs_modules_after(args, tmp_path) == "[]"


@pytest.mark.parametrize(
    ("args", "status"),
    [(["validate", "--catalog", str(CATALOG)], 0), (["validate", "--catalog", "none"], 2)],
    ids=["output", "error"],
)
def test_the_command_exits_at_once_with_its_output_whole(
    args: list[str], status: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `python -m zofdocs` ends with os._exit: what it printed must all be flushed first.
    import subprocess
    import sys

    assert main(args) == status
    printed = capsys.readouterr()
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    ran = subprocess.run(
        [sys.executable, "-m", "zofdocs", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=buffered,
    )
    assert (ran.returncode, ran.stdout, ran.stderr) == (status, printed.out, printed.err)
    assert printed.out or printed.err


def test_generate_imports_the_checker_and_the_sanitizer_only_when_it_needs_them(
    tmp_path: Path,
) -> None:
    """The helpers start sooner: neither is needed before they render code pages."""
    import subprocess
    import sys

    code = (
        "import sys\nimport zofdocs.cli, zofdocs.pipeline\n"
        "print(sorted({'zofdocs.check', 'zofdocs.htmlcheck', 'nh3'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.stdout.splitlines()[-1] == "[]"
