"""Atomic file writes: a reader, or a crash, never sees half a file.

Each file is written beside its target and renamed over it, which POSIX makes atomic.
A failure leaves the old file as it was and removes the temporary one. Given jobs, many
files are written by two processes at once (`write_all`).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from zofdocs.errors import ZofError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

__all__ = [
    "FORK_SAFE",
    "MANIFEST",
    "atomic_write",
    "folder_option",
    "inside",
    "inside_all",
    "write_all",
    "write_tree",
]

MANIFEST = ".zofdocs-manifest.json"
"""The list of files `write_tree` wrote into a folder, kept in that folder."""


def inside(root: Path, relative: str) -> Path:
    """Resolve a path below a folder, refusing one that leaves it (through `..` or a link).

    Args:
        root: The folder.
        relative: A relative path below it.

    Returns:
        The resolved target path.

    Raises:
        ZofError: The path resolves outside the folder.
    """
    return inside_all(root, [relative])[0]


def inside_all(root: Path, relatives: list[str]) -> list[Path]:
    """Resolve many paths below a folder, refusing any that leaves it.

    Args:
        root: The folder.
        relatives: Relative paths below it.

    Returns:
        The resolved target paths, in order.

    Raises:
        ZofError: A path resolves outside the folder.
    """
    base = root.resolve()
    # Pages share a few folders: each is resolved and checked once, and listed once for
    # its links. A file in a resolved folder inside the base is inside it too, unless it
    # is a link (or `..`): the thousands of pages cost no system call each.
    folders: dict[str, tuple[Path, set[str]]] = {}
    targets = []
    for relative in relatives:
        parent, _, name = relative.rpartition("/")
        if parent not in folders:
            folder = (base / parent).resolve()
            _refuse_outside(folder, base, root, relative)
            folders[parent] = (folder, _links(folder))
        folder, links = folders[parent]
        target = folder / name
        if name in links or name in ("", ".", ".."):
            target = target.resolve()
            _refuse_outside(target, base, root, relative)
        targets.append(target)
    return targets


def _links(folder: Path) -> set[str]:
    """The names of the symbolic links in a folder; none when it does not exist yet."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_symlink()}
    except (FileNotFoundError, NotADirectoryError):  # Made, or refused, when written.
        return set()
    except OSError as exc:
        raise ZofError(f"{folder}: cannot read: {exc.strerror}") from None


def _refuse_outside(path: Path, base: Path, root: Path, relative: str) -> None:
    if not path.is_relative_to(base):
        raise ZofError(f"{root / relative}: lies outside {root} (a symbolic link?); not written")


def atomic_write(target: Path, text: str) -> bool:
    """Write text to a file atomically, unless it already holds exactly that text.

    Args:
        target: The file.
        text: Its new content, written as UTF-8.

    Returns:
        Whether the file was written (False when it already held the text).

    Raises:
        ZofError: The write failed; the old file, if any, is unchanged.
    """
    return bool(write_all([(target, text)]))


FORK_SAFE = sys.platform.startswith("linux")
"""Whether forks of this process may work beside it (rendering, writing): on Linux.
macOS's own libraries may not be used after a fork, and Windows cannot fork."""

_SPLIT_FROM = 500
"""Files below which one process writes them all: a fork costs about what writing 50
small files does, and the helper's list of what it wrote must come back."""

_FILE_COST = 4096
"""What creating, writing and closing a file costs beside its bytes, in bytes' worth:
how `write_all` weighs files to cut them into halves of equal work."""


def write_all(files: list[tuple[Path, str]], jobs: int = 1) -> list[Path]:
    """Write several files so that a failure changes none of them.

    Every new content is first written to a temporary file beside its target; only when
    all are written are they renamed over their targets. Files that already hold their
    new content are not touched.

    Args:
        files: Each target with its new content, written as UTF-8.
        jobs: Processes to write in, this one included. Above one, with enough files
            (`_SPLIT_FROM`) and where it may (`FORK_SAFE`), a fork of this process
            writes the later half of the temporary files beside it: writing is mostly
            the kernel's work, which two cores share. This process renames them all.
            A process with threads must not fork: give 1 there.

    Returns:
        The files written.

    Raises:
        ZofError: A write failed; every target is as it was, and no temporary file or
            new empty folder is left behind.
    """
    created: list[Path] = []
    try:
        _make_folders([target for target, _ in files], created)
        if jobs > 1 and FORK_SAFE and len(files) >= _SPLIT_FROM:
            staged = _stage_beside(files, _new_file_mode())
        else:
            staged = _stage(files, _new_file_mode())
    except BaseException:
        for folder in reversed(created):  # Leave no empty folder behind either.
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    for done, (temp, target) in enumerate(staged):
        try:
            temp.replace(target)
        except OSError as exc:  # Rare once every file is staged; say which, clean up.
            for left, _ in staged[done:]:
                left.unlink(missing_ok=True)
            raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
    return [target for _, target in staged]


def _make_folders(targets: list[Path], created: list[Path]) -> None:
    """Make the folders the targets are in, adding those it made to `created`."""
    # Folders known to exist: a site's thousands of pages share a few folders, and
    # asking the file system again for each page's would cost more than writing it.
    folders: set[Path] = set()
    for target in targets:
        if target.parent in folders:
            continue
        try:
            missing = [p for p in reversed(target.parents) if not p.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
        created += missing
        folders.update(target.parents)


def _stage(files: list[tuple[Path, str]], new_mode: int) -> list[tuple[Path, Path]]:
    """Write each new content to a temporary file beside its target, in folders that exist.

    Returns:
        Each temporary file with its target, for the files whose content is new.

    Raises:
        ZofError: A write failed; no temporary file is left behind.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, text in files:
            data = text.encode("utf-8")
            try:
                found = target.stat()
            except FileNotFoundError:
                found = None
            except OSError as exc:
                raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
            if found is not None and stat.S_ISDIR(found.st_mode):
                raise ZofError(f"{target}: is a folder; not written (hint: move it away)")
            try:
                if (
                    found is not None
                    and stat.S_ISREG(found.st_mode)
                    and found.st_size == len(data)
                    and target.read_bytes() == data
                ):
                    continue
                fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
                temp = Path(name)
                staged.append((temp, target))
                # No fsync: the rename already keeps readers from half a file, and
                # syncing each of 2,000 pages would double the time to write a site.
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                # mkstemp makes the file private; give it the mode a new file gets.
                temp.chmod(found.st_mode & 0o7777 if found is not None else new_mode)
            except OSError as exc:
                raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    return staged


def _stage_beside(files: list[tuple[Path, str]], new_mode: int) -> list[tuple[Path, Path]]:
    """`_stage`, the later half of the files in a fork of this process.

    The half is by bytes and files both, so that each process has about as much to do.
    Each process removes its own temporary files when it fails; this one removes the
    helper's too when it fails itself, once the helper has said what it wrote.
    """
    import multiprocessing  # Only when forking, like `zofdocs.render`.

    costs = [_FILE_COST + len(text) for _, text in files]
    half, cut = sum(costs) / 2, 0
    while cut < len(files) and half > 0:
        half -= costs[cut]
        cut += 1
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    helper = context.Process(
        target=_stage_in_helper, args=(files[cut:], new_mode, reader, writer), daemon=True
    )
    try:
        helper.start()
    except OSError:  # No more processes to be had (EAGAIN): write them all here.
        reader.close()
        return _stage(files, new_mode)
    finally:
        writer.close()
    try:
        mine = _stage(files[:cut], new_mode)
    except BaseException:
        for temp, _ in _their_staged(helper, reader, files[cut:]):
            temp.unlink(missing_ok=True)
        raise
    try:
        theirs = _their_staged(helper, reader, files[cut:])
    except BaseException:
        for temp, _ in mine:
            temp.unlink(missing_ok=True)
        raise
    return mine + theirs


def _stage_in_helper(
    files: list[tuple[Path, str]], new_mode: int, reader: Connection, writer: Connection
) -> None:
    """In the helper: stage the files; send back the temporary files, or the failure."""
    reader.close()
    gc.freeze()  # Collections skip what it inherited, instead of writing to all of it.
    index = {target: i for i, (target, _) in enumerate(files)}
    try:
        staged = _stage(files, new_mode)
        # The targets are the parent's own: each travels as its index in the list.
        result: tuple[str, object] = ("ok", [(str(temp), index[target]) for temp, target in staged])
    except ZofError as exc:
        result = ("failed", str(exc))
    except BaseException:  # Ctrl-C: `_stage` removed what it wrote; end without a trace.
        result = ("failed", "interrupted")
    with contextlib.suppress(OSError):  # If the parent is gone, nobody is waiting.
        writer.send(result)


def _their_staged(
    helper: BaseProcess, reader: Connection, files: list[tuple[Path, str]]
) -> list[tuple[Path, Path]]:
    """What the helper staged, once it is done.

    Raises:
        ZofError: It failed (and removed its temporary files), or stopped without a word.
    """
    try:
        status, detail = reader.recv()
    except EOFError:
        helper.join()
        status = "failed"
        detail = (
            f"a process writing files stopped (exit status {helper.exitcode}) before it was "
            "done; no file was changed (hint: run with --jobs 1)"
        )
    finally:
        reader.close()
        helper.join()
    if status != "ok":
        raise ZofError(detail)
    return [(Path(name), files[i][0]) for name, i in detail]


def write_tree(root: Path, files: dict[str, str], jobs: int = 1) -> list[str]:
    """Make a folder hold these files: write them, and remove those an earlier run wrote.

    The folder keeps a manifest (`MANIFEST`) of what was written into it, so that a page
    of a code that is gone is removed on the next run, while a file the tool did not
    write is never touched. The files and the new manifest are written all or nothing.

    Args:
        root: The folder; created if missing.
        files: Text by path relative to the folder.
        jobs: Processes to write in, this one included (`write_all`).

    Returns:
        The paths removed, relative to the folder.

    Raises:
        ZofError: A path leaves the folder, the manifest is not one, or a write or a
            removal failed; a failed write changes no file.
    """
    manifest = root / MANIFEST
    before = _read_manifest(manifest) if manifest.is_file() else []
    listing = json.dumps(sorted(files), indent=1, ensure_ascii=False) + "\n"
    targets = inside_all(root, [*files, MANIFEST])
    write_all(list(zip(targets, [*files.values(), listing], strict=True)), jobs)
    removed = []
    for relative in sorted(set(before) - set(files)):
        target = inside(root, relative)
        try:
            if target.is_file():
                target.unlink()
                removed.append(relative)
            for folder in target.parents:  # Folders the removal left empty go too.
                if folder == root.resolve() or any(folder.iterdir()):
                    break
                folder.rmdir()
        except OSError as exc:
            raise ZofError(f"{target}: cannot remove: {exc.strerror}") from None
    return removed


def _read_manifest(path: Path) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        data = exc
    if not (isinstance(data, list) and all(isinstance(item, str) for item in data)):
        raise ZofError(
            f"{path}: not a list of the files zofdocs wrote (hint: delete it; the next "
            "run writes it anew, but cannot remove pages that earlier runs wrote)"
        )
    return data


def _new_file_mode() -> int:
    # The umask can only be read by setting it; set it straight back.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def folder_option(value: str | None, default: str | None, option: str) -> Path | None:
    """Resolve a folder given on the command line.

    Args:
        value: What the user gave, or None.
        default: The folder used when the user gave none; it may be absent.
        option: The option's name, for the message.

    Returns:
        The folder, or None when neither was given.

    Raises:
        ZofError: The user named a folder that does not exist.
    """
    if value is None:
        return Path(default) if default else None
    if not Path(value).is_dir():
        raise ZofError(f"{value}: no such folder (hint: check {option})")
    return Path(value)
