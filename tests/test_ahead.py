"""Work done ahead in a fork: the same results as this process's own, or none at all."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import jinja2
import pytest

from tests.conftest import CATALOG
from zofdocs import ahead as ahead_module
from zofdocs import check as checker
from zofdocs import cli, render
from zofdocs.ahead import Ahead
from zofdocs.catalog import FILES, load_sources
from zofdocs.checks.context import english_words
from zofdocs.errors import CatalogError
from zofdocs.fileio import FORK_SAFE
from zofdocs.findings import EXAMPLE_RULES
from zofdocs.layout import CODE_PAGE_TEMPLATE
from zofdocs.pipeline import build
from zofdocs.yamlsource import Source, load_yaml

forks = pytest.mark.skipif(not FORK_SAFE, reason="no fork here")


def children() -> set[int]:
    """The processes this one started that are still there (zombies included)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == os.getpid():
                found.add(int(entry.name))
    return found


def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates this process compiles from now on, by name."""
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, **kw: Any) -> Any:
        compiled.append(name or "")
        return compile_(self, source, name, **kw)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return compiled


def cannot_read(path: Path) -> NoReturn:
    raise AssertionError(f"{path} read here")


def everything_sent(ahead: Ahead) -> None:
    """Wait until the fork has sent every result; none is taken yet."""
    while ahead._pending:
        ahead._receive()


def exits(code: int) -> Callable[..., NoReturn]:
    """A fork's work that is to exit at once with this status, or be killed (-9)."""

    def serve(self: Ahead, *args: object) -> NoReturn:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            if code == -signal.SIGKILL:
                os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(code)
        finally:
            os._exit(code)

    return serve


@pytest.fixture(autouse=True)
def nothing_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with no template compiled in this process."""
    monkeypatch.setattr(render, "_COMPILED", render.CompiledTemplates())
    render._cached_environment.cache_clear()


@forks
def test_the_fork_reads_and_compiles_what_this_process_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = load_yaml(CATALOG / "errors.yml")
    with Ahead(CATALOG, None) as ahead:
        # From here on, this process cannot read the file itself: the fork's reading shows.
        monkeypatch.setattr(ahead_module, "load_yaml", cannot_read)
        assert ahead.read(CATALOG / "errors.yml") == expected
        assert ahead.errors == CATALOG / FILES["errors"], "the file the catalog reads"
        deadline = time.monotonic() + 30
        while (code := ahead.code_page_template()) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        while (every := ahead.templates()) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(AssertionError, match="read here"):
            ahead.read(CATALOG / "errors.yml")  # Taken once: read here the second time.
    assert code == render.compile_templates(None, [CODE_PAGE_TEMPLATE])
    assert every == render.compile_templates(None, skip=[CODE_PAGE_TEMPLATE])
    assert len(code) + len(every) == len(list(render.TEMPLATES.glob("*.j2"))), "each once"


@forks
def test_a_build_ahead_compiles_nothing_here_and_renders_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alone = build(CATALOG, None, jobs=1).site
    render._COMPILED.code.clear()
    render._cached_environment.cache_clear()
    with Ahead(CATALOG, None) as ahead:
        everything_sent(ahead)
        compiled = compiles(monkeypatch)
        helped = build(CATALOG, None, jobs=1, ahead=ahead).site
    assert compiled == [], "every template came from the fork"
    assert helped == alone


@forks
def test_a_file_the_fork_cannot_read_is_reported_by_this_process(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog)
    (catalog / "errors.yml").write_text("codes: [\n")
    with Ahead(catalog, None) as ahead, pytest.raises(CatalogError) as caught:
        load_sources(catalog, ahead.read)
    with pytest.raises(CatalogError) as alone:
        load_sources(catalog)
    assert caught.value.problems == alone.value.problems


@forks
def test_a_file_that_is_not_a_plain_file_is_read_here_once(tmp_path: Path) -> None:
    # A pipe's text is gone once read: were the fork to read it and fail, this process
    # would wait for a text that never comes (here: an empty one, after 10 s).
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG, catalog)
    fifo = catalog / "errors.yml"
    fifo.unlink()
    os.mkfifo(fifo)

    read = threading.Event()

    def write() -> None:
        with fifo.open("w") as handle:
            handle.write("codes: [\n")
        if not read.wait(10):  # Read a second time: give that reader an end, not a hang.
            with fifo.open("w"):
                pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    with Ahead(catalog, None) as ahead:
        assert "read" not in ahead._pending, "the fork leaves the pipe alone"
        with pytest.raises(CatalogError) as caught:
            load_sources(catalog, ahead.read)
    read.set()
    writer.join(15)
    assert "YAML syntax error" in str(caught.value), "the text, read here"


@forks
def test_ctrl_c_as_the_fork_starts_does_not_stop_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ctrl-C goes to the whole process group: the fork must not unwind its caller's
    # stack (this test's, here) as a KeyboardInterrupt of its own.
    fork = os.fork

    def interrupted() -> int:
        pid = fork()
        if pid == 0:  # pragma: no cover - measured in the fork
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)  # Time for a handler to run, were there one.
            except KeyboardInterrupt:
                os._exit(99)
        return pid

    monkeypatch.setattr(os, "fork", interrupted)
    expected = load_yaml(CATALOG / "errors.yml")
    with Ahead(CATALOG, None) as ahead:
        monkeypatch.setattr(ahead_module, "load_yaml", cannot_read)
        assert ahead.read(CATALOG / "errors.yml") == expected, "the fork read it"


@forks
def test_a_fork_that_stops_leaves_the_work_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fork stops as it starts (as when memory runs out), before it sends anything.
    monkeypatch.setattr(Ahead, "_serve", exits(-signal.SIGKILL))
    with Ahead(CATALOG, None) as ahead:
        fork = ahead._pid
        assert ahead.read(CATALOG / "errors.yml") == load_yaml(CATALOG / "errors.yml")
        assert ahead.code_page_template() is None
        assert ahead.templates() is None
    assert fork is not None
    assert fork not in children(), "the fork is reaped"


@forks
def test_a_fork_still_working_is_stopped_on_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Ahead, "_serve", exits(60))
    started = time.monotonic()
    with Ahead(CATALOG, None) as ahead:
        fork = ahead._pid
        assert fork in children()
        assert ahead.reading()
    assert fork not in children()
    assert time.monotonic() - started < 10


@forks
def test_a_fork_of_this_process_takes_nothing(tmp_path: Path) -> None:
    # A helper that renders is a fork of this process: the pipe is not its to read.
    with Ahead(CATALOG, None) as ahead:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - measured in the fork
            status = 1
            try:
                ahead.read(CATALOG / "errors.yml")  # Read here, not taken from the pipe.
                status = 0 if ahead.templates() is None else 2
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        everything_sent(ahead)
        assert list(ahead._results) == ["read", "code page", "templates"]
        assert isinstance(ahead._results["read"], Source), "each result under its own name"


@forks
def test_while_the_fork_reads_this_process_reads_the_english_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    english_words.cache_clear()
    monkeypatch.setattr(Ahead, "_serve", exits(1))  # Reads for a second, then stops.
    with Ahead(CATALOG, None) as ahead:
        monkeypatch.setattr(checker, "rule_examples", lambda _: {r: [] for r in EXAMPLE_RULES})
        build(CATALOG, None, jobs=1, ahead=ahead)
    assert english_words.cache_info().currsize == 1


def test_without_a_fork_this_process_does_it_all() -> None:
    with Ahead(CATALOG, None, fork=False) as ahead:
        assert ahead._pid is None
        assert not ahead.reading()
        assert ahead.read(CATALOG / "errors.yml") == load_yaml(CATALOG / "errors.yml")
        assert ahead.templates() is None


def test_a_template_compiled_elsewhere_from_an_older_source_is_compiled_again(
    tmp_path: Path,
) -> None:
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "issue.md.j2").write_text("old\n")
    stale = render.compile_templates(overrides, ["issue.md.j2"])
    (overrides / "issue.md.j2").write_text("new\n")
    compiled = render.CompiledTemplates()
    asked: list[str] = []

    def none_yet() -> None:
        asked.append("none yet")

    def older() -> dict[str, bytes]:
        asked.append("older")
        return stale

    compiled.expect(none_yet, older)
    env = render.build_environment(overrides, compiled)
    assert env.get_template("issue.md.j2").render() == "new\n"
    env = render.build_environment(overrides, compiled)
    env.get_template("page.md.j2")
    # One that gave none is asked again on the next miss; one that gave, never again.
    assert asked == ["none yet", "older", "none yet"]


@forks
def test_generate_gives_the_same_files_with_and_without_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks: list[int | None] = []
    start = Ahead._start

    def noted(self: Ahead) -> None:
        start(self)
        forks.append(self._pid)

    monkeypatch.setattr(Ahead, "_start", noted)
    assert cli.main(["generate", "--catalog", str(CATALOG), "--out", str(tmp_path / "a"),
                     "--no-runbooks", "--jobs", "2"]) == 0  # fmt: skip
    assert cli.main(["generate", "--catalog", str(CATALOG), "--out", str(tmp_path / "b"),
                     "--no-runbooks", "--jobs", "1"]) == 0  # fmt: skip
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*")
         if p.is_file()}  # fmt: skip
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*")
         if p.is_file()}  # fmt: skip
    assert a == b
    assert len(forks) == 1, "--jobs 2 forks once ahead, --jobs 1 not at all"
    assert forks[0] is not None
    assert forks[0] not in children()
