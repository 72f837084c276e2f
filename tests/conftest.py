"""Shared fixtures: the repository's paths, the fixture project, and the shipped-content guard.

Two kinds of test live here, and the guard below keeps them apart:

- Tests of the tool run on the fixture project in `tests/fixture/` (a catalog, a glossary,
  page text, teams and a small site made for the tests). Their expectations may name its
  wording and counts, because nobody edits it but the tests.
- Tests of the shipped content (`catalog/`, `runbooks/`, `docs/`, `mkdocs.yml`) are
  marked `shipped`, and take every expectation from that content itself, so that a
  maintainer who adds a code or a team, or rewords a fix, breaks none of them.

A test that is not marked `shipped` fails if it opens a file of the shipped content or
lists one of its folders, or runs a subprocess in the repository or with a shipped path
among its arguments. What the guard cannot see: a module- or session-scoped fixture
(it runs before the test starts; `tests/test_site.py`'s `site` is one, used only by
`shipped` tests), and a subprocess that finds shipped content by itself.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixture"
"""The fixture project: `catalog/`, `runbooks/`, `docs/` and `mkdocs.yml`, made for the tests."""
CATALOG = FIXTURE / "catalog"
"""The fixture catalog that tests of the tool load."""
RUNBOOKS = FIXTURE / "runbooks"
"""The fixture teams and their runbooks."""
CORPORA = ROOT / "tests" / "data" / "corpora"
"""Real catalogs written elsewhere, vendored with their origin in `SOURCES.md` there."""

SHIPPED_CATALOG = ROOT / "catalog"
"""The shipped catalog: only tests marked `shipped` may read it."""
SHIPPED = (ROOT / "catalog", ROOT / "runbooks", ROOT / "docs", ROOT / "mkdocs.yml")
_SHIPPED_PREFIXES = tuple(os.fspath(p) for p in SHIPPED)

_reads: list[str] | None = None


def _shipped(target: object) -> str | None:
    """The shipped path `target` names, relative to the repository, or None."""
    if not isinstance(target, str | os.PathLike):
        return None
    # abspath, not Path.resolve(): no file system calls inside the hook of every open().
    path = os.path.abspath(os.fspath(target))  # noqa: PTH100
    for prefix in _SHIPPED_PREFIXES:
        if path == prefix or path.startswith(prefix + os.sep):
            return os.path.relpath(path, ROOT)
    return None


def _audit(event: str, args: tuple[object, ...]) -> None:
    # An audit hook sees every open() in this process, whichever library makes it
    # (shutil.copytree, PyYAML, MkDocs' config loader), so no reading path can slip by.
    # A subprocess is judged by what it is given: a shipped path among its arguments,
    # or the repository as its working folder, where every default names shipped content.
    if _reads is None or not args:
        return
    if event in ("open", "os.listdir", "os.scandir"):
        found = _shipped(args[0])
        if found:
            _reads.append(found)
    elif event == "subprocess.Popen":
        _, argv, cwd, _ = args
        names = [str(a) for a in argv] if isinstance(argv, list | tuple) else [str(argv)]
        folder = os.fspath(cwd) if isinstance(cwd, str | os.PathLike) else str(Path.cwd())
        if os.path.abspath(folder) == os.fspath(ROOT):  # noqa: PTH100
            _reads.append(f"a subprocess run in the repository: {' '.join(names[:4])}")
        _reads.extend(found for found in map(_shipped, names) if found)


sys.addaudithook(_audit)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite every golden file under tests/golden/ from the current output",
    )


@pytest.fixture(autouse=True)
def _shipped_content_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test of the tool that reads the shipped content instead of the fixture."""
    global _reads
    if request.node.get_closest_marker("shipped"):
        yield
        return
    _reads = []
    try:
        yield
    finally:
        reads, _reads = sorted(set(_reads)), None
    if reads:
        pytest.fail(
            "this test reads the shipped content: "
            + ", ".join(reads[:5])
            + (" ..." if len(reads) > 5 else "")
            + " (hint: use the fixture project in tests/fixture/, or mark the test "
            "'shipped' and take its expectations from the content)",
            pytrace=False,
        )


@pytest.fixture
def catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture catalog in `tmp_path/catalog`, with `tmp_path` as cwd."""
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG, target)
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the whole fixture project in `tmp_path/project`, which becomes the cwd."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    monkeypatch.chdir(target)
    return target


GOLDEN = ROOT / "tests" / "golden"


def match_goldens(request: pytest.FixtureRequest, folder: Path, produced: dict[str, str]) -> None:
    """Compare output with its golden files, or rewrite them with `--update-goldens`.

    Every golden file lives in a folder of its own below `tests/golden/`, owned by one
    test: updating rewrites that folder whole, so a page that is no longer produced
    loses its golden file too.

    Args:
        request: The test's request, which carries the `--update-goldens` flag.
        folder: The test's folder of golden files.
        produced: The output, by path relative to `folder`.
    """
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(folder, ignore_errors=True)
        for name, text in produced.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    where = folder.relative_to(ROOT).as_posix()
    golden = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert golden == set(produced), (
        f"files added or removed below {where}: review, then run with --update-goldens"
    )
    for name, text in produced.items():
        assert (folder / name).read_text(encoding="utf-8") == text, (
            f"{name} differs from {where}/{name}; review, then run with --update-goldens"
        )


CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium: test tools cannot download browsers on these machines."""
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Headless Chromium with a fresh profile, for one test module."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium)"
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield context
        context.close()


def build_site(project: Path, site: Path) -> None:
    """Build a project's site with `mkdocs build`, as a reader gets it."""
    subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d", str(site)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site over HTTP on a free port; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's site, built once for every browser test that only reads it."""
    site = tmp_path_factory.mktemp("fixture-site")
    build_site(FIXTURE, site)
    return site


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The URL the fixture project's site is served at."""
    with serve(site_dir) as url:
        yield url
