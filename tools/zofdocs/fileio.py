"""Atomic file writes: a reader, or a crash, never sees half a file.

Each file is written beside its target and renamed over it, which POSIX makes atomic.
A failure leaves the old file as it was and removes the temporary one.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

from zofdocs.errors import ZofError

__all__ = [
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
    folders: dict[str, Path] = {}  # Pages share a few folders: resolve each once.
    targets = []
    for relative in relatives:
        parent, _, name = relative.rpartition("/")
        if parent not in folders:
            folders[parent] = (base / parent).resolve()
        target = folders[parent] / name
        if target.is_symlink():
            target = target.resolve()
        if not target.is_relative_to(base):
            raise ZofError(
                f"{root / relative}: lies outside {root} (a symbolic link?); not written"
            )
        targets.append(target)
    return targets


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


def write_all(files: list[tuple[Path, str]]) -> list[Path]:
    """Write several files so that a failure changes none of them.

    Every new content is first written to a temporary file beside its target; only when
    all are written are they renamed over their targets. Files that already hold their
    new content are not touched.

    Args:
        files: Each target with its new content, written as UTF-8.

    Returns:
        The files written.

    Raises:
        ZofError: A write failed; every target is as it was, and no temporary file or
            new empty folder is left behind.
    """
    created: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    new_mode = _new_file_mode()  # Once: reading the umask means setting it.
    # Folders known to exist: a site's thousands of pages share a few folders, and
    # asking the file system again for each page's would cost more than writing it.
    folders: set[Path] = set()
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
                if target.parent not in folders:
                    missing = [p for p in reversed(target.parents) if not p.exists()]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    created += missing
                    folders.update(target.parents)
                if (
                    found is not None
                    and stat.S_ISREG(found.st_mode)
                    and found.st_size == len(data)
                    and target.read_bytes() == data
                ):
                    continue
                fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
                staged.append((Path(name), target))
                # No fsync: the rename already keeps readers from half a file, and
                # syncing each of 2,000 pages would double the time to write a site.
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                # mkstemp makes the file private; give it the mode a new file gets.
                Path(name).chmod(found.st_mode & 0o7777 if found is not None else new_mode)
            except OSError as exc:
                raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
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


def write_tree(root: Path, files: dict[str, str]) -> list[str]:
    """Make a folder hold these files: write them, and remove those an earlier run wrote.

    The folder keeps a manifest (`MANIFEST`) of what was written into it, so that a page
    of a code that is gone is removed on the next run, while a file the tool did not
    write is never touched. The files and the new manifest are written all or nothing.

    Args:
        root: The folder; created if missing.
        files: Text by path relative to the folder.

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
    write_all(list(zip(targets, [*files.values(), listing], strict=True)))
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
