"""Benchmark the preview: how long after a save the served page shows the edit.

For each size (100 and 1,953 codes of Twilio's published catalog, imported with
`zofdocs import twilio` into a copy of `examples/imported/`), in the same run:

- the floor: a full `mkdocs build` of the same site into a fresh folder (best of two);
- `mkdocs serve --dirty` (what `./dev serve` runs) is started, then one code's title is
  edited in `catalog/errors.yml`, several times, each time a different code; the
  time from the save to the moment the served code page holds the new title is the
  edit-to-visible time (goal: within 2 s at 1,953 codes). After each edit the Error
  codes index and the search index must hold the new title too, and no other title;
- a glossary edit, which rebuilds the pages that may show its label, and a new and a
  removed code, which rebuild every page when code pages are in the navigation (at 100
  codes) and only the pages that link to them when they are not (goal: within one full
  build).

    python bench/preview_bench.py [--sizes 100,1953] [--edits 3] [--twilio FILE] [--write]

It prints each time and its ratio to the full build, and with --write puts them on
the Benchmarks page (docs/tooling/benchmarks.md). It takes one to three minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypedDict

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Every process keeps its compiled bytecode, as a user's Python does: with
# PYTHONDONTWRITEBYTECODE set, each run would compile every module of ours that changed
# since the last .pyc was written, and time that compiling too.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "NO_MKDOCS_2_WARNING": "1",
}
TIMEOUT = 120.0
TWILIO = ROOT / "tests" / "data" / "corpora" / "twilio-error-codes.json"
GLOSSARY = """\
areas:
  - name: Console
    description: Where an account is managed.
labels:
  - label: {label}
    kind: page
    area: Console
    definition: Where an account's errors and warnings are {what}.
"""
PAGES = """
glossary:
  title: Glossary
  summary: Every Console label, spelled as the Console shows it.
  intro: The labels of the Console.
"""


def make_project(folder: Path, entries: list[dict[str, object]]) -> Path:
    """A copy of examples/imported/ with `entries` imported as its catalog, and a
    glossary of one label, the first word of the last code's title."""
    shutil.copytree(ROOT / "examples" / "imported", folder)
    source = folder / "twilio.json"
    source.write_text(json.dumps(entries), encoding="utf-8")
    catalog = folder / "catalog"
    subprocess.run(
        [str(BIN / "zofdocs"), "import", "twilio", str(source), "--out", str(catalog)],
        check=True,
        capture_output=True,
    )
    word = code_titles(catalog / "errors.yml")[-1][1].split()[0]
    (catalog / "glossary.yml").write_text(GLOSSARY.format(label=word, what="listed"))
    with (catalog / "pages.yml").open("a", encoding="utf-8") as pages:
        pages.write(PAGES)
    config = folder / "mkdocs.yml"
    nav = "  - Error codes: errors/codes/index.md\n"
    config.write_text(config.read_text().replace(nav, nav + "  - Glossary: glossary.md\n"))
    return folder


def full_build(project: Path) -> float:
    """Seconds for `mkdocs build` into a fresh folder."""
    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "mkdocs"), "build", "-q", "-d", site],
            cwd=project,
            env=ENV,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            text: str = response.read().decode("utf-8")
            return text
    except OSError:
        return ""


@contextlib.contextmanager
def serve(project: Path, log: Path) -> Iterator[str]:
    """`mkdocs serve --dirty` on the project; yields its URL once it answers."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + TIMEOUT
        while not fetch(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"mkdocs serve did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def until(check: Callable[[], bool], log: Path) -> float:
    """Seconds until `check` holds, polled every 20 ms; then waits for the rebuild to end.

    A page is written before the rebuild that writes it ends; the next edit waits for
    that end, so that it is not queued behind the rebuild of the last one.
    """
    # The server logs this once a rebuild ends well; MkDocs drops a repeated "Documentation
    # built in 0.30 seconds" (its DuplicateFilter), so that line cannot be counted.
    built = log.read_text().count("Reloading browsers")
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > TIMEOUT:
            raise SystemExit(f"the preview never showed the edit:\n{log.read_text()}")
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    while log.read_text().count("Reloading browsers") <= built:
        if time.perf_counter() - start > TIMEOUT:
            raise SystemExit(f"the rebuild never ended:\n{log.read_text()}")
        time.sleep(0.05)
    return seconds


def last_build(log: Path) -> float | None:
    """The seconds MkDocs took for its last build, as it logs them: the rebuild itself,
    without the wait for the watcher to see the save. None when MkDocs left the line out,
    as it does when the time is the same as an earlier build's."""
    last = log.read_text().rpartition("Building documentation...")[2]
    found = re.findall(r"Documentation built in ([\d.]+) seconds", last)
    return float(found[-1]) if found else None


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def code_titles(errors: Path) -> list[tuple[str, str]]:
    """Each code with a plain one-line title, as `import` wrote them."""
    text = errors.read_text(encoding="utf-8")
    return re.findall(r"^- code: '(\d+)'\n  title: ([A-Za-z][A-Za-z ]+)\n", text, re.MULTILINE)


class Result(TypedDict):
    """One size's figures: the full build, each edit, and the edits that rebuild all."""

    build: float
    edits: list[float]
    rebuilds: list[float]
    full: dict[str, float]


def measure(size: int, entries: list[dict[str, object]], edits: int) -> Result:
    with tempfile.TemporaryDirectory() as scratch:
        project = make_project(Path(scratch) / "site", entries[:size])
        builds = [full_build(project), full_build(project)]
        build = min(builds)
        errors = project / "catalog" / "errors.yml"
        picks = code_titles(errors)[:edits]
        times: list[float] = []
        rebuilds: list[float] = []
        log = Path(scratch) / "serve.log"
        with serve(project, log) as url:
            for number, (code, title) in enumerate(picks):
                new = f"{title} edited {number}"
                page = f"{url}errors/codes/{code}/"
                edit(errors, f"  title: {title}\n", f"  title: {new}\n")
                times.append(until(lambda: new in fetch(page), log))  # noqa: B023
                seconds = last_build(log)
                if seconds is not None:
                    rebuilds.append(seconds)
                # Nothing shown is stale: the index and search hold the new title.
                assert new in fetch(f"{url}errors/codes/"), "the Error codes index is stale"
                index = fetch(f"{url}search/search_index.json")
                assert new in index, "the search index is stale"
                assert index.count(f"errors/codes/{code}/") >= 1
                docs = json.loads(index)["docs"]
                pages = {d["location"].partition("#")[0] for d in docs}
                assert len(pages) >= size, f"the search index lost pages: {len(pages)}"
            # A label's definition: every page shows it in the label's tooltip.
            glossary = project / "catalog" / "glossary.yml"
            word = code_titles(errors)[-1][1].split()[0]
            glossary.write_text(GLOSSARY.format(label=word, what="kept"), encoding="utf-8")
            kept = "errors and warnings are kept"
            full: dict[str, float] = {}
            full["glossary edit"] = until(lambda: kept in fetch(f"{url}errors/codes/"), log)
            # A removed code: its page goes.
            code, _ = picks[0]
            page = f"{url}errors/codes/{code}/"
            text = errors.read_text(encoding="utf-8")
            block = re.search(rf"^- code: '{code}'\n(?:  .*\n)*", text, re.MULTILINE)
            assert block is not None
            errors.write_text(text.replace(block.group(), ""), encoding="utf-8")
            listed = f'href="{code}/"'
            # `fetch` gives "" when the server does not answer in time: not proof.
            full["removed code"] = until(
                lambda: listed not in (fetch(f"{url}errors/codes/") or listed), log
            )
            # A new code: its page appears.
            errors.write_text(text.replace(f"'{code}'", "'99999'", 1), encoding="utf-8")
            full["new code"] = until(lambda: "99999" in fetch(f"{url}errors/codes/99999/"), log)
    return {"build": build, "edits": times, "rebuilds": rebuilds, "full": full}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1953")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--twilio", type=Path, default=TWILIO)
    parser.add_argument("--write", action="store_true", help="update docs/tooling/benchmarks.md")
    args = parser.parse_args()
    started = time.monotonic()
    entries = json.loads(args.twilio.read_text(encoding="utf-8"))
    rows = [
        "| Codes | Full build | One code's text edited: median | worst | Ratio | Its rebuild "
        "| Glossary edit | Code removed | Code added |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    verdicts = []
    for size in (int(s) for s in args.sizes.split(",")):
        result = measure(size, entries, args.edits)
        build, edits, full = result["build"], result["edits"], result["full"]
        median = statistics.median(edits)
        rebuild = statistics.median(result["rebuilds"] or [float("nan")])
        print(f"{size:>5,} codes: full mkdocs build {build:6.2f} s")
        print(
            f"       edit one code's title, until its served page shows it: median {median:.2f} "
            f"s, worst {max(edits):.2f} s ({median / build:.2f}x the full build)"
        )
        print(f"       of which the rebuild itself (MkDocs' log): median {rebuild:.2f} s")
        for what, seconds in full.items():
            print(f"       {what}: {seconds:.2f} s ({seconds / build:.2f}x the full build)")
        rows.append(
            f"| {size:,} | {build:.2f} s | {median:.2f} s | {max(edits):.2f} s | "
            f"{median / build:.2f}x | {rebuild:.2f} s | {full['glossary edit']:.2f} s | "
            f"{full['removed code']:.2f} s | {full['new code']:.2f} s |"
        )
        met = max(edits) <= 2
        verdicts.append(
            f"At {size:,} codes, an edit shows within {max(edits):.2f} s: goal within 2 s, "
            f"{'met' if met else '**missed**'}. A glossary edit, a removed and a new code "
            f"show within {max(full.values()):.2f} s at worst, against a full build of "
            f"{build:.2f} s: goal within one full build, "
            f"{'met' if max(full.values()) <= build else '**missed**'}."
        )
    table = "\n".join(rows)
    print(table)
    if args.write:
        section = PREVIEW_SECTION.format(
            date=datetime.date.today().isoformat(),
            took=f"{max(1, round((time.monotonic() - started) / 60))} min",
            table=table,
            verdicts="\n\n".join(verdicts),
        )
        page = ROOT / "docs" / "tooling" / "benchmarks.md"
        text = page.read_text(encoding="utf-8")
        start, end = "<!-- preview_bench -->", "<!-- /preview_bench -->"
        before, _, rest = text.partition(start)
        after = rest.partition(end)[2]
        page.write_text(f"{before}{start}\n{section}{end}{after}", encoding="utf-8")


PREVIEW_SECTION = """The latest run of `bench/preview_bench.py --write` ({date}, a run of
{took}): `mkdocs serve --dirty`, which `./dev serve` runs, on a copy of `examples/imported/` with
Twilio's codes imported. Each time runs from saving `catalog/errors.yml` (or
`glossary.yml`) to the moment the served page shows the change, polled every 20 ms; after
each edit the Error codes index and the search index must hold the change too. The floor
is a full `mkdocs build` of the same site into a fresh folder, in the same run. "Its
rebuild" is the time MkDocs logs for the rebuild after an edit; the rest of an edit's
time is MkDocs' watcher, which looks for saved files every 0.5 s.

{table}

{verdicts}
"""


if __name__ == "__main__":
    main()
