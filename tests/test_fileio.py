"""Writing files all or nothing, in one process or two, and refusing paths that leave."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from zofdocs import fileio
from zofdocs.errors import ZofError
from zofdocs.fileio import inside_all, write_all, write_tree

forks = pytest.mark.skipif(not fileio.FORK_SAFE, reason="writes in one process here")
Stage = list[tuple[Path, Path]]


@pytest.fixture(autouse=True)
def split_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper even for a test's few files."""
    monkeypatch.setattr(fileio, "_SPLIT_FROM", 2)


def site(root: Path, pages: int = 12) -> list[tuple[Path, str]]:
    """Pages in two folders, one new below another, as a generated site has them."""
    files = [(root / "a" / f"p{i:02}.md", f"page {i}\n" * (i + 1)) for i in range(pages)]
    return files + [(root / "b" / "new" / f"q{i:02}.md", f"q {i}\n") for i in range(pages)]


def leftovers(root: Path) -> list[str]:
    """Everything below a folder: files, temporary files and folders."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def in_helper(parent: int) -> bool:
    return os.getpid() != parent


def test_the_cut_shares_the_work_and_leaves_no_half_empty() -> None:
    files = [(Path(f"f{i}"), "x" * size) for i, size in enumerate([10, 10, 10, 9000, 10, 10])]
    cut = fileio._cut(files)
    assert cut == 3, "the large file goes to the half with fewer files"
    assert fileio._cut(files[:1]) == 0, "one file: nothing to share"


@forks
def test_two_processes_write_what_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writers = tmp_path / "writers"
    writers.mkdir()
    stage = fileio._stage

    def noted(files: list[tuple[Path, str]], first: int, mode: int, run: str) -> Stage:
        if files:  # Each process that stages a file says so.
            (writers / str(os.getpid())).touch()
        return stage(files, first, mode, run)

    monkeypatch.setattr(fileio, "_stage", noted)
    one, two = tmp_path / "one", tmp_path / "two"
    written_one = write_all(site(one), jobs=1)
    assert len(list(writers.iterdir())) == 1
    (writers / str(os.getpid())).unlink()
    written_two = write_all(site(two), jobs=2)
    assert len(list(writers.iterdir())) == 2, "this process and a helper each staged files"
    assert [p.relative_to(two) for p in written_two] == [p.relative_to(one) for p in written_one]
    for (target, text), (other, _) in zip(site(one), site(two), strict=True):
        assert target.read_text() == other.read_text() == text
        assert target.stat().st_mode == other.stat().st_mode
    assert leftovers(two) == leftovers(one)


@forks
def test_files_that_hold_their_text_are_left_alone_by_both(tmp_path: Path) -> None:
    files = site(tmp_path)
    write_all(files, jobs=2)
    inodes = [target.stat().st_ino for target, _ in files]
    first, last = files[0][0], files[-1][0]
    files[0] = (first, "changed\n")
    files[-1] = (last, "changed too\n")
    assert write_all(files, jobs=2) == [first, last]
    kept = [target.stat().st_ino for target, _ in files[1:-1]]
    assert kept == inodes[1:-1], "unchanged files are not rewritten"


@forks
@pytest.mark.parametrize("side", [-1, 0], ids=["this process's last", "the helper's first"])
def test_a_failure_on_either_side_of_the_cut_changes_nothing(tmp_path: Path, side: int) -> None:
    files = site(tmp_path)
    blocked = files[fileio._cut(files) + side][0]
    for target, _ in files:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("old")
    blocked.unlink()
    blocked.mkdir()  # A folder where a page goes: that page cannot be written.
    before = leftovers(tmp_path)
    with pytest.raises(ZofError, match=f"^{blocked}: is a folder; not written"):
        write_all(files, jobs=2)
    assert all(target.is_dir() or target.read_text() == "old" for target, _ in files)
    assert leftovers(tmp_path) == before, "no temporary file of either process is left"


@forks
def test_a_failure_in_the_helper_s_half_leaves_no_new_folder(tmp_path: Path) -> None:
    files = site(tmp_path)
    blocked = files[-1][0]
    blocked.mkdir(parents=True)
    with pytest.raises(ZofError, match="is a folder"):
        write_all(files, jobs=2)
    assert leftovers(tmp_path) == ["b", "b/new", "b/new/q11.md"]


@forks
def test_when_both_halves_fail_the_first_failure_is_said_as_in_one_process(
    tmp_path: Path,
) -> None:
    files = site(tmp_path)
    first, later = files[1][0], files[-1][0]
    first.mkdir(parents=True)
    later.mkdir(parents=True)
    for jobs in (1, 2):
        with pytest.raises(ZofError, match=f"^{first}: is a folder"):
            write_all(files, jobs=jobs)


@forks
def test_a_helper_killed_halfway_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    stage = fileio._stage

    def killed_after(files: list[tuple[Path, str]], first: int, mode: int, run: str) -> Stage:
        staged = stage(files, first, mode, run)
        if in_helper(parent):  # As when memory runs out: nothing said, nothing cleaned.
            assert staged
            os.kill(os.getpid(), signal.SIGKILL)
        return staged

    monkeypatch.setattr(fileio, "_stage", killed_after)
    with pytest.raises(
        ZofError, match=r"was stopped by SIGKILL \(as when memory runs out\) before .* --jobs 1"
    ):
        write_all(site(tmp_path), jobs=2)
    assert leftovers(tmp_path) == [], "no file, temporary file or new folder is left"


@forks
def test_a_helper_s_unexpected_error_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    stage = fileio._stage

    def broken(files: list[tuple[Path, str]], first: int, mode: int, run: str) -> Stage:
        if in_helper(parent):
            raise ValueError("a bug")
        return stage(files, first, mode, run)

    monkeypatch.setattr(fileio, "_stage", broken)
    with pytest.raises(ZofError, match=r"^ValueError: a bug$"):
        write_all(site(tmp_path), jobs=2)
    assert leftovers(tmp_path) == []


@forks
def test_ctrl_c_here_stops_the_helper_and_removes_its_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    stage = fileio._stage

    def interrupted_here(files: list[tuple[Path, str]], first: int, mode: int, run: str) -> Stage:
        if in_helper(parent):
            time.sleep(0.5)  # Still writing when this process is interrupted.
            return stage(files, first, mode, run)
        staged = stage(files, first, mode, run)
        os.kill(parent, signal.SIGINT)  # To this process alone, as `kill -INT` sends it.
        return staged

    monkeypatch.setattr(fileio, "_stage", interrupted_here)
    old = tmp_path / "b" / "new" / "q00.md"
    old.parent.mkdir(parents=True)
    old.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        write_all(site(tmp_path), jobs=2)
    assert not multiprocessing.active_children(), "the helper was stopped, not left writing"
    assert old.read_text() == "old"
    assert leftovers(tmp_path) == ["b", "b/new", "b/new/q00.md"]


@forks
def test_write_tree_in_two_processes_keeps_its_manifest(tmp_path: Path) -> None:
    files = {f"errors/codes/c{i}.md": f"code {i}\n" for i in range(30)}
    assert write_tree(tmp_path, files, jobs=2) == []
    for gone in ("errors/codes/c7.md", "errors/codes/c8.md"):
        del files[gone]
    assert write_tree(tmp_path, files, jobs=2) == ["errors/codes/c7.md", "errors/codes/c8.md"]
    assert sorted(p.name for p in (tmp_path / "errors" / "codes").iterdir()) == sorted(
        path.rpartition("/")[2] for path in files
    )


def test_a_link_to_a_file_elsewhere_is_refused_and_one_inside_followed(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / "errors").mkdir(parents=True)
    elsewhere.mkdir()
    (out / "errors" / "away.md").symlink_to(elsewhere / "x.md")
    (out / "errors" / "here.md").symlink_to(out / "errors" / "real.md")
    with pytest.raises(ZofError, match=r"errors/away\.md: lies outside .*; not written"):
        inside_all(out, ["errors/index.md", "errors/away.md"])
    assert inside_all(out, ["errors/here.md", "errors/new.md", "new/x.md"]) == [
        (out / "errors" / "real.md").resolve(),
        (out / "errors" / "new.md").resolve(),
        (out / "new" / "x.md").resolve(),
    ]
    with pytest.raises(ZofError, match="lies outside"):
        inside_all(out, ["errors/../.."])  # The name, not the folder, leaves.


def test_a_folder_that_may_not_be_listed_is_still_checked_link_by_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "away.md").symlink_to(tmp_path / "x.md")

    def refused(path: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", refused)
    with pytest.raises(ZofError, match="lies outside"):
        inside_all(tmp_path / "out", ["index.md", "away.md"])


def test_a_loop_of_links_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    with pytest.raises(ZofError, match=r"loop\.md: cannot be resolved \(a loop of symbolic"):
        inside_all(tmp_path, ["loop.md"])
