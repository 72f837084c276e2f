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
import signal
import stat
import sys
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
    "how_it_stopped",
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
        ZofError: A path resolves outside the folder, or through a loop of links.
    """
    base = root.resolve()
    # Pages share a few folders: each is resolved and checked once, and listed once for
    # its links. A file in a resolved folder inside the base is inside it too, unless it
    # is a link (or `..`): the thousands of pages cost no system call each.
    folders: dict[str, tuple[Path, set[str] | None]] = {}
    targets = []
    for relative in relatives:
        parent, _, name = relative.rpartition("/")
        if parent not in folders:
            folder = _resolved(base / parent, base, root, relative)
            folders[parent] = (folder, _links(folder))
        folder, links = folders[parent]
        target = folder / name
        if name in ("", ".", "..") or (target.is_symlink() if links is None else name in links):
            target = _resolved(target, base, root, relative)
        targets.append(target)
    return targets


def _links(folder: Path) -> set[str] | None:
    """The names of the symbolic links in a folder; none when it does not exist yet.

    None when it may not be listed: each name is then asked about on its own.
    """
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_symlink()}
    except (FileNotFoundError, NotADirectoryError):  # Made, or refused, when written.
        return set()
    except OSError:  # A folder one may write in but not list (mode 0300, say).
        return None


def _resolved(path: Path, base: Path, root: Path, relative: str) -> Path:
    try:
        path = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 reports a loop of links as RuntimeError.
        raise ZofError(
            f"{root / relative}: cannot be resolved (a loop of symbolic links?); not written"
        ) from None
    if not path.is_relative_to(base):
        raise ZofError(f"{root / relative}: lies outside {root} (a symbolic link?); not written")
    return path


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
small files does."""

_FILE_COST = 4096
"""What creating, writing and closing a file costs beside its text, in characters' worth:
how `write_all` weighs files to cut them into two halves of equal work."""

# How a temporary file is opened: created here or not at all, never through a link.
_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


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
    # Each temporary file is named for its target, this run and its place in the list:
    # whatever fails, and wherever, every one that may exist is known by name.
    run = os.urandom(4).hex()
    created: list[Path] = []
    try:
        _make_folders([target for target, _ in files], created)
        cut = _cut(files) if jobs > 1 and FORK_SAFE and len(files) >= _SPLIT_FROM else 0
        if cut:
            staged = _stage_beside(files, cut, _new_file_mode(), run)
        else:
            staged = _stage(files, 0, _new_file_mode(), run)
    except BaseException:
        for index, (target, _) in enumerate(files):
            with contextlib.suppress(OSError):  # Most were never written, or cannot be.
                _temporary(target, run, index).unlink()
        for folder in reversed(created):  # Leave no empty folder behind either.
            try:
                folder.rmdir()
            except FileNotFoundError:
                continue
            except OSError:
                break
        raise
    done = 0
    try:
        for temp, target in staged:
            temp.replace(target)
            done += 1
    except BaseException as exc:  # Rare once every file is staged; say which, clean up.
        for left, _ in staged[done:]:
            left.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ZofError(f"{staged[done][1]}: cannot write: {exc.strerror}") from None
        raise
    return [target for _, target in staged]


def _make_folders(targets: list[Path], created: list[Path]) -> None:
    """Make the folders the targets are in, adding those it made to `created`."""
    # Folders known to exist: a site's thousands of pages share a few folders, and
    # asking the file system again for each page's would cost more than writing it.
    folders: set[Path] = set()
    for target in targets:
        if target.parent in folders:
            continue
        missing = [p for p in reversed(target.parents) if not p.exists()]
        created += missing  # Before making them: a failure halfway removes those made.
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
        folders.update(target.parents)


def _temporary(target: Path, run: str, index: int) -> Path:
    return target.with_name(f".{target.name}.{run}.{index}")


def _stage(
    files: list[tuple[Path, str]], first: int, new_mode: int, run: str
) -> list[tuple[Path, Path]]:
    """Write each new content to a temporary file beside its target, in folders that exist.

    Args:
        files: Each target with its new content.
        first: The place of the first in the list `write_all` was given.
        new_mode: The mode of a file that is new.
        run: This run's part of the temporary files' names.

    Returns:
        Each temporary file with its target, for the files whose content is new.

    Raises:
        ZofError: A write failed; `write_all` removes the temporary files.
    """
    staged: list[tuple[Path, Path]] = []
    for index, (target, text) in enumerate(files, first):
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
            temp = _temporary(target, run, index)
            fd = os.open(temp, _FLAGS, 0o600)
            staged.append((temp, target))
            # No fsync: the rename already keeps readers from half a file, and
            # syncing each of 2,000 pages would double the time to write a site.
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            # Private while written; then the mode a new file gets, or the old one's.
            temp.chmod(found.st_mode & 0o7777 if found is not None else new_mode)
        except OSError as exc:
            raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
    return staged


def _cut(files: list[tuple[Path, str]]) -> int:
    """Where to cut the files into two halves of about equal work; 0 for one file."""
    costs = [_FILE_COST + len(text) for _, text in files]
    total, before, best, cut = sum(costs), 0, sum(costs), 0
    for index, cost in enumerate(costs[:-1], 1):
        before += cost
        if abs(total - 2 * before) < best:
            best, cut = abs(total - 2 * before), index
    return cut


def _stage_beside(
    files: list[tuple[Path, str]], cut: int, new_mode: int, run: str
) -> list[tuple[Path, Path]]:
    """`_stage`, the files from `cut` on in a fork of this process.

    A helper that fails says why. When either fails, this process is interrupted (the
    helper leaves Ctrl-C to it), or the helper stops without a word, the helper is
    stopped, and `write_all` removes every temporary file either may have written.
    """
    import multiprocessing  # Only when forking, like `zofdocs.render`.

    context = multiprocessing.get_context("fork")
    try:
        reader, writer = context.Pipe(duplex=False)
    except OSError:  # No more files to be had: write them all here.
        return _stage(files, 0, new_mode, run)
    helper = context.Process(
        target=_stage_in_helper, args=(files, cut, new_mode, run, reader, writer), daemon=True
    )
    try:
        helper.start()
    except OSError:  # No more processes to be had (EAGAIN): as above.
        reader.close()
        return _stage(files, 0, new_mode, run)
    finally:
        writer.close()
    try:
        mine = _stage(files[:cut], 0, new_mode, run)
        theirs = _their_staged(helper, reader)
    except BaseException:
        # Done, unless this process failed first: then it must write no more before
        # `write_all` removes every temporary file either may have written.
        helper.kill()
        helper.join()
        raise
    finally:
        reader.close()
    return mine + [(_temporary(files[i][0], run, i), files[i][0]) for i in theirs]


def _stage_in_helper(
    files: list[tuple[Path, str]],
    cut: int,
    new_mode: int,
    run: str,
    reader: Connection,
    writer: Connection,
) -> None:
    """In the helper: stage the files from `cut` on; send back which, or the failure."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle.
    reader.close()
    gc.freeze()  # Collections skip what it inherited, instead of writing to all of it.
    result: tuple[str, list[int] | str]
    try:
        staged = _stage(files[cut:], cut, new_mode, run)
        # Each name ends with its file's place: only the places travel.
        result = ("ok", [int(temp.name.rpartition(".")[2]) for temp, _ in staged])
    except ZofError as exc:
        result = ("failed", str(exc))
    except Exception as exc:  # Any other error cannot be raised in the parent: named.
        result = ("failed", f"{type(exc).__name__}: {exc}")
    with contextlib.suppress(OSError):  # If the parent is gone, nobody is waiting.
        writer.send(result)


def _their_staged(helper: BaseProcess, reader: Connection) -> list[int]:
    """The places of the files the helper staged, once it is done.

    Raises:
        ZofError: It failed, or stopped without a word.
    """
    try:
        status, detail = reader.recv()  # Before joining: a long list waits to be read.
    except (EOFError, OSError):
        status, detail = "stopped", None
    helper.join()
    if status == "stopped":
        raise ZofError(
            f"a process writing files {how_it_stopped(helper.exitcode)} before it was done; "
            "no file was changed (hint: run with --jobs 1)"
        )
    if status != "ok":
        raise ZofError(str(detail))
    return list(detail)


def how_it_stopped(status: int | None) -> str:
    """How a forked helper ended, as a message says it.

    Args:
        status: Its exit code: negative for the signal that stopped it.

    Returns:
        Such as `was stopped by SIGKILL (as when memory runs out)`.
    """
    if status is not None and status < 0:
        how = f"was stopped by {signal.Signals(-status).name}"
        if status == -signal.SIGKILL:
            how += " (as when memory runs out)"
        return how
    return f"stopped with exit status {status}"


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
    gone = sorted(set(before) - set(files))
    top = root.resolve()
    for relative, target in zip(gone, inside_all(root, gone), strict=True):
        try:
            if target.is_file():
                target.unlink()
                removed.append(relative)
            for folder in target.parents:  # Folders the removal left empty go too.
                if folder == top or any(folder.iterdir()):
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
