"""Work done ahead: a fork that prepares what `generate` will need, beside it.

`zofdocs generate` spends its first third in one process, with a core idle: importing
the renderer, reading the catalog and checking it. A fork started before all that reads
`errors.yml` and compiles the templates meanwhile, and sends them back through a pipe in
the order they are needed: the reading pickled (5 ms to unpickle what took 0.1 s to read,
at 2,000 codes), the templates as the code Jinja compiled them to, which Jinja checks
against each template's source before it uses it.

Nothing depends on it. When the fork cannot start, a task fails, or the fork stops, this
process does the work itself, as it does with one job, and so reports what is wrong with
a file as it always does: a task's own error is never shown.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import select
import signal
import stat
import struct
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from zofdocs.fileio import FORK_SAFE
from zofdocs.layout import CODE_PAGE_TEMPLATE
from zofdocs.yamlsource import Source, load_yaml

__all__ = ["Ahead"]

_HEADER = struct.Struct("<Q?")
"""Each result's length in bytes, and whether its task succeeded."""


class Ahead:
    """A fork of this process that reads a catalog's largest file and compiles templates.

    Use it as a context manager: the fork starts on entry (when `fork` is true, and on
    Linux: `zofdocs.fileio.FORK_SAFE`) and is stopped on exit, done or not. Each result
    is taken once, by this process only: a fork of it (a helper that renders) gets none.

    Args:
        catalog: The catalog folder; its `errors.yml` is read ahead.
        overrides: The folder of template overrides, or None.
        fork: Whether to fork at all: false for one job, or in a process with threads.

    Attributes:
        errors: The file read ahead, when it is a plain file: the catalog's `errors.yml`.
        overrides: The folder of template overrides the templates are compiled with.
    """

    def __init__(self, catalog: Path, overrides: Path | None, *, fork: bool = True) -> None:
        self.errors = catalog / "errors.yml"
        self.overrides = overrides
        self._fork = fork and FORK_SAFE
        self._owner = os.getpid()
        self._pid: int | None = None
        self._pipe: int | None = None
        self._pending: list[str] = []
        self._results: dict[str, Any] = {}

    def __enter__(self) -> Ahead:
        if self._fork:
            self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def read(self, path: Path) -> Source:
        """Read a YAML file of the catalog: `errors.yml` as the fork read it, if it did.

        Args:
            path: The file.

        Returns:
            What `zofdocs.yamlsource.load_yaml` gives for it.

        Raises:
            CatalogError: The file cannot be read; always raised by this process.
        """
        if path == self.errors:
            found = self._take("read")
            if isinstance(found, Source):
                return found
        return load_yaml(path)

    def reading(self) -> bool:
        """Whether `read` would wait for the fork: its reading has not begun to arrive.

        Returns:
            True while the fork reads `errors.yml`; false once it has sent it, or when
            there is no fork.
        """
        return "read" in self._pending and not self._ready()

    def code_page_template(self) -> Mapping[str, bytes] | None:
        """The code page's template as the fork compiled it, if it has by now.

        Returns:
            It by the key Jinja finds it under, or None: not yet, or never. This process
            then compiles it itself sooner than it would wait.
        """
        found = self._take("code page", wait=False)
        return found if isinstance(found, dict) else None

    def templates(self) -> Mapping[str, bytes] | None:
        """Every template as the fork compiled them, if it has by now.

        Returns:
            Them by the key Jinja finds each under, or None, as `code_page_template`.
        """
        found = self._take("templates", wait=False)
        return found if isinstance(found, dict) else None

    def stop(self) -> None:
        """Stop the fork, done or not, and drop whatever it sent that was not taken."""
        if self._pid is not None and os.getpid() == self._owner:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None
        self._close()
        self._results.clear()

    def _tasks(self) -> list[tuple[str, Callable[[], Any]]]:
        """What the fork does, in order: what this process needs first comes first."""
        overrides = self.overrides
        tasks: list[tuple[str, Callable[[], Any]]] = [
            ("code page", lambda: _compiled(overrides, CODE_PAGE_TEMPLATE)),
            ("templates", lambda: _compiled(overrides, skip=(CODE_PAGE_TEMPLATE,))),
        ]
        # Only a plain file is read twice alike: a pipe's text would be gone by the time
        # this process read it again, should the fork fail, and a device may not end.
        with contextlib.suppress(OSError):
            if stat.S_ISREG(self.errors.stat().st_mode):
                tasks.insert(0, ("read", lambda: load_yaml(self.errors)))
        return tasks

    def _start(self) -> None:
        tasks = self._tasks()
        try:
            reader, writer = os.pipe()
        except OSError:  # No more files to be had: this process does the work.
            return
        # Ctrl-C waits until each process knows its part: the fork must never unwind its
        # caller's stack, and this process must know the fork it is to stop.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            try:
                pid = os.fork()
            except OSError:  # No more processes to be had (EAGAIN): as above.
                os.close(reader)
                os.close(writer)
                return
            if pid == 0:
                self._serve(tasks, reader, writer, mask)
            os.close(writer)
            self._pid, self._pipe = pid, reader
            self._pending = [name for name, _ in tasks]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    def _serve(
        self,
        tasks: list[tuple[str, Callable[[], Any]]],
        reader: int,
        pipe: int,
        mask: set[int | signal.Signals],
    ) -> NoReturn:
        """In the fork: do each task in order, send its result, and exit."""
        status = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent.
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(reader)
            gc.freeze()  # Collections skip what it inherited, instead of writing to all of it.
            for _, task in tasks:
                try:
                    result, ok = pickle.dumps(task(), pickle.HIGHEST_PROTOCOL), True
                except Exception:  # The parent does it again, and reports what is wrong.
                    result, ok = b"", False
                data = memoryview(_HEADER.pack(len(result), ok) + result)
                while data:
                    data = data[os.write(pipe, data) :]
        except BaseException:  # A parent that is gone, or stopped it: nothing to say.
            status = 1
        finally:
            os._exit(status)  # Not Python's exit: the parent's buffers and handlers are its own.

    def _take(self, name: str, *, wait: bool = True) -> Any:
        """The result of the task `name`; None if there is none (or, unless `wait`, yet)."""
        if os.getpid() != self._owner:
            return None  # A fork of this process must not read what is sent to it.
        while name not in self._results and name in self._pending:
            if not wait and not self._ready():
                return None
            self._receive()
        return self._results.pop(name, None)

    def _ready(self) -> bool:
        """Whether the next result has begun to arrive: reading it will not wait long."""
        assert self._pipe is not None
        return bool(select.select([self._pipe], [], [], 0)[0])

    def _receive(self) -> None:
        """Read the next result; on any failure, expect no more."""
        name = self._pending.pop(0)
        try:
            length, ok = _HEADER.unpack(self._read(_HEADER.size))
            data = self._read(length)
            if ok:
                self._results[name] = pickle.loads(data)
        except Exception:  # A fork that stopped (EOF), or sent what cannot be read.
            self._pending.clear()
            self._close()

    def _read(self, size: int) -> bytes:
        assert self._pipe is not None
        chunks, left = [], size
        while left:
            chunk = os.read(self._pipe, min(left, 1 << 20))
            if not chunk:
                raise EOFError("the fork stopped before it sent its result")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _close(self) -> None:
        if self._pipe is not None:
            with contextlib.suppress(OSError):
                os.close(self._pipe)
            self._pipe = None
        self._pending.clear()


def _compiled(overrides: Path | None, *names: str, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    from zofdocs.render import compile_templates  # In the fork: the import is its work too.

    return compile_templates(overrides, names, skip)
