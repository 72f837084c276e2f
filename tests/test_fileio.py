"""Writing files all or nothing, in one process or two, and refusing paths that leave."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zofdocs import fileio
from zofdocs.errors import ZofError
from zofdocs.fileio import inside_all, write_all, write_tree

pytestmark = pytest.mark.skipif(not fileio.FORK_SAFE, reason="writes in one process here")


@pytest.fixture(autouse=True)
def split_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper even for a test's few files."""
    monkeypatch.setattr(fileio, "_SPLIT_FROM", 2)


def site(root: Path, pages: int = 12) -> list[tuple[Path, str]]:
    """Pages in two folders, one new below another, as a generated site has them."""
    files = [(root / "a" / f"p{i:02}.md", f"page {i}\n" * (i + 1)) for i in range(pages)]
    return files + [(root / "b" / "new" / f"q{i:02}.md", f"q {i}\n") for i in range(pages)]


def temporary_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*") if p.is_file()]


def test_two_processes_write_what_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writers = tmp_path / "writers"
    writers.mkdir()
    stage = fileio._stage

    def noted(files: list[tuple[Path, str]], mode: int) -> list[tuple[Path, Path]]:
        if files:  # Each process that stages a file says so.
            (writers / str(os.getpid())).touch()
        return stage(files, mode)

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
    assert not temporary_files(two)


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


@pytest.mark.parametrize("where", [0, -1], ids=["this process's half", "the helper's half"])
def test_a_failure_in_either_half_changes_nothing(tmp_path: Path, where: int) -> None:
    files = site(tmp_path)
    for target, _ in files[:3] + files[-3:]:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("old")
    blocked = files[where][0]
    blocked.unlink()
    blocked.mkdir()  # A folder where a page goes: that page cannot be written.
    (tmp_path / "b" / "new" / "kept.md").write_text("a file of its own")
    with pytest.raises(ZofError, match=f"^{blocked}: is a folder; not written"):
        write_all(files, jobs=2)
    for target, _ in files[:3] + files[-3:]:
        assert target == blocked or target.read_text() == "old"
    assert not temporary_files(tmp_path), "no temporary file of either process is left"


def test_a_failure_leaves_no_new_folder(tmp_path: Path) -> None:
    files = site(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "p11.md").mkdir()  # In the helper's half.
    with pytest.raises(ZofError, match="is a folder"):
        write_all(files, jobs=2)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "p11.md"]


def test_a_helper_that_stops_without_a_word_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*args: object) -> None:
        os._exit(9)  # As when the kernel kills it: nothing sent, nothing cleaned.

    monkeypatch.setattr(fileio, "_stage_in_helper", killed)
    files = site(tmp_path)
    with pytest.raises(ZofError, match=r"stopped \(exit status 9\) .* --jobs 1"):
        write_all(files, jobs=2)
    assert list(tmp_path.iterdir()) == [], "no file, temporary file or new folder is left"


def test_ctrl_c_here_removes_the_helper_s_temporary_files_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    stage = fileio._stage

    def interrupted_here(files: list[tuple[Path, str]], mode: int) -> list[tuple[Path, Path]]:
        staged = stage(files, mode)
        if os.getpid() == parent:
            for temp, _ in staged:
                temp.unlink()
            raise KeyboardInterrupt
        return staged

    monkeypatch.setattr(fileio, "_stage", interrupted_here)
    old = tmp_path / "b" / "new" / "q00.md"
    old.parent.mkdir(parents=True)
    old.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        write_all(site(tmp_path), jobs=2)
    assert old.read_text() == "old"
    assert not temporary_files(tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["b", "new", "q00.md"]


def test_write_tree_in_two_processes_keeps_its_manifest(tmp_path: Path) -> None:
    files = {f"errors/codes/c{i}.md": f"code {i}\n" for i in range(30)}
    assert write_tree(tmp_path, files, jobs=2) == []
    del files["errors/codes/c7.md"]
    assert write_tree(tmp_path, files, jobs=2) == ["errors/codes/c7.md"]
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
