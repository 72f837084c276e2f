"""Atomic file writes: a reader, or a crash, never sees half a file.

Each file is written beside its target and renamed over it, which POSIX makes atomic.
A failure leaves the old file as it was and removes the temporary one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from zofdocs.errors import ZofError

__all__ = ["atomic_write", "inside"]


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
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        raise ZofError(f"{root / relative}: lies outside {root} (a symbolic link?); not written")
    return target


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
    data = text.encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and target.read_bytes() == data:
            return False
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if target.exists():
                Path(temp).chmod(target.stat().st_mode & 0o7777)
            Path(temp).replace(target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ZofError(f"{target}: cannot write: {exc.strerror}") from None
    return True
