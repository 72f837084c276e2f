"""Benchmark the generator and the site build at real scale, against floors.

Catalogs of 10, 100, 200, 1,000 and 1,953 codes are built from Twilio's published error
catalog (tests/data/corpora/twilio-error-codes.json; or --twilio).
Every measurement runs in a child process so that its time and peak memory (from
wait4) are its own; each is paired with a floor measured in the same run:

- generate (load, validate, render, write) into a fresh folder (cold) and again after
  one code changed (warm), each against libyaml's CSafeLoader plus one bare Jinja
  render per file, written to the same paths with the same sizes as `generate` writes
  them (goal, cold: at most 1.5x);
- mkdocs build with the plugin against mkdocs build of the same pages written
  beforehand as plain Markdown (goal: at most 1.1x);
- build growth: the build time each code page adds at 1,953 codes against at 200, from
  the difference to the 10-code build (goal: at most 1.25x);
- zofdocs check against the trie floor: reading the same pages and running one
  expression for every label and wrong spelling (goal: at most 2x);
- start-up of `zofdocs --help`, `zofdocs check --help` and of importing what
  `zofdocs check` needs, against `python -c pass` and against a bare interpreter
  importing the same modules, all but zofdocs' own (goal: at most 1.5x the latter).

It takes four to five minutes.

    python bench/scale_bench.py [--sizes 10,100,200,1000,1953] [--write]

--write puts the table in docs/tooling/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from check_bench import compare  # noqa: E402

from zofdocs import load_sources  # noqa: E402
from zofdocs.layout import CODES_PAGE  # noqa: E402
from zofdocs.pipeline import render as render_site  # noqa: E402
from zofdocs.plugin import _expand_nav  # noqa: E402

PYTHON = sys.executable
# Every process keeps its compiled bytecode, as a user's Python does: with
# PYTHONDONTWRITEBYTECODE set, each run would compile every module of ours that changed
# since the last .pyc was written, and time that compiling too.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "NO_MKDOCS_2_WARNING": "1",
}

FLOOR_GENERATE = """
import json, os, sys, pathlib, tempfile, yaml, jinja2
text = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
data = yaml.load(text, Loader=yaml.CSafeLoader)
page = "# {{ c.code }}: {{ c.title }}\\n\\n{{ c.description }}\\n"
template = jinja2.Environment().from_string(page)
out = pathlib.Path(sys.argv[2])
codes = data["codes"]
staged, folders = [], set()
# The files `generate` writes, by path, with their sizes.
for i, (path, size) in enumerate(json.loads(pathlib.Path(sys.argv[3]).read_text())):
    c = codes[i % len(codes)]
    new = template.render(c=c).encode("utf-8")
    new = (new * (size // len(new) + 1))[:size]  # As many bytes as `generate`'s file.
    target = out / path
    # The same I/O as `zofdocs generate`: a file that holds its text already is read and
    # left alone; any other is written beside its target, and once all are, each is
    # renamed over its target.
    found = target.stat() if target.exists() else None
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    if found is not None and found.st_size == size and target.read_bytes() == new:
        continue
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(new)
    os.chmod(name, 0o644)
    staged.append((name, target))
for name, target in staged:
    os.replace(name, target)
"""
"""One bare Jinja render per file from libyaml's data, padded to the size of the file
`generate` writes there, and written as `generate` writes it."""

PROFILE_GENERATE = """
import cProfile, pstats, sys
from pathlib import Path
from zofdocs import cli
profile = cProfile.Profile()
args = ["generate", "--catalog", sys.argv[1], "--no-runbooks", "--out", sys.argv[2], "--jobs", "1"]
profile.runcall(cli.main, args)
stats = pstats.Stats(profile)
total = max(row[3] for row in stats.stats.values())
def share(module, name):
    return sum(row[3] for (path, _, func), row in stats.stats.items()
               if path.endswith(module) and func == name) / total
print(share("catalog.py", "load_sources") - share("schema.py", "validate"),
      share("schema.py", "validate"), share("pipeline.py", "render"),
      share("fileio.py", "write_tree"))
"""
"""`zofdocs generate` under cProfile, in one process (cProfile sees no other): the shares
of loading, validating, rendering, writing."""


CHECK_IMPORTS = "import zofdocs.check_cli, zofdocs.pipeline, zofdocs.check"
"""What `zofdocs check` imports to do its work (the checker itself once it has read the
catalog)."""


def imported_modules(command: list[str]) -> list[str]:
    """The modules a command imports, by top-level name, but zofdocs' own and those a
    bare interpreter imports anyway (`site`'s own, for instance).

    The standard library's count too: counted only when a library imports them, as
    they once were, the floor of a command shrank when it stopped importing a library
    while still importing, itself, what that library had brought in.
    """
    bare = set(_imported(["-c", "pass"])) if command != ["-c", "pass"] else set()
    # A name the standard library only tries (`copy` looks for Jython's `org`) is out.
    return [n for n in _imported(command) if n not in bare and importlib.util.find_spec(n)]


def _imported(command: list[str]) -> list[str]:
    result = subprocess.run([PYTHON, "-X", "importtime", *command], capture_output=True,
                            text=True, cwd=ROOT, env=ENV, check=True)  # fmt: skip
    names = []
    for line in result.stderr.splitlines()[1:]:  # Below the header.
        # "import time:  self |  cumulative | name", nested imports indented below theirs.
        name = line.rpartition("| ")[2].strip()
        if not line.startswith("import time:") or name.endswith("]"):
            continue
        top = name.split(".")[0]
        if top != "zofdocs" and top not in names:
            names.append(top)
    return names


def profile_generate(catalog: Path, out: Path) -> list[float]:
    """Shares of `zofdocs generate`'s time: loading, validating, rendering, writing."""
    command = [PYTHON, "-c", PROFILE_GENERATE, str(catalog), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=ENV, check=True)
    return [float(share) for share in result.stdout.split()[-4:]]


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command; return its wall time in seconds and peak memory in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if status:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def best(rounds: int, cmd: list[str], cwd: Path) -> tuple[float, float]:
    results = [run(cmd, cwd) for _ in range(rounds)]
    return min(r[0] for r in results), max(r[1] for r in results)


def twilio_catalog(entries: list[dict[str, Any]], folder: Path) -> None:
    """Write a catalog folder from Twilio entries; every code gets status 400 (Twilio's
    catalog carries no HTTP status), labels and common issues are left empty."""

    def text(*values: Any) -> str:
        for value in values:
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())
        return "Not documented."

    codes = [
        {
            "code": f"twilio_{e['code']}",
            "status": 400,
            "title": text(e["message"]),
            "description": text(e.get("description"), e["message"]),
            "example": {"message": text(e["message"])},
            "causes": [text(e.get("causes"))],
            "fixes": [text(e.get("solutions"))],
            "labels": [],
            "added": (e.get("date_created") or "2020-01-01")[:10],
        }
        for e in entries
    ]
    shipped = yaml.safe_load((ROOT / "catalog" / "errors.yml").read_text())
    catalog = {
        "doc_base_url": shipped["doc_base_url"],
        "response_shape": {**shipped["response_shape"],
                           "example": {"code": codes[0]["code"], "message": "Example."}},
        "statuses": [s for s in shipped["statuses"] if s["status"] == 400],
        "codes": codes,
        "common_issues": [],
    }  # fmt: skip
    folder.mkdir(parents=True)
    (folder / "errors.yml").write_text(yaml.safe_dump(catalog, allow_unicode=True, width=1000))
    shutil.copy(ROOT / "catalog" / "glossary.yml", folder / "glossary.yml")
    # The runbooks' section names Zof's common issues, which this catalog has none of;
    # no runbooks are built here.
    pages = yaml.safe_load((ROOT / "catalog" / "pages.yml").read_text(encoding="utf-8"))
    pages.pop("runbooks", None)
    (folder / "pages.yml").write_text(yaml.safe_dump(pages, allow_unicode=True, width=1000))


def project(folder: Path, catalog: Path, plain: bool) -> Path:
    """A site project: the repository's docs and config, the plugin or plain pages."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.UnsafeLoader)
    shutil.copytree(ROOT / "docs", folder / "docs")
    plugins = config["plugins"]
    if plain:
        sources = load_sources(catalog)
        site = render_site(sources)
        for path, text in site.pages.items():
            (folder / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / "docs" / path).write_text(text, encoding="utf-8")
        children = dict(site.nav)
        hidden = len(children.get(CODES_PAGE, [])) > 60
        if hidden:
            children.pop(CODES_PAGE)
            config["not_in_nav"] = "/errors/codes/*.md\n"
        config["nav"] = _expand_nav(config["nav"], children, set())
        config["nav"] = [i for i in config["nav"] if "Runbooks" not in i]
        config["plugins"] = [p for p in plugins if not (isinstance(p, dict) and "zofdocs" in p)]
    else:
        for plugin in plugins:
            if isinstance(plugin, dict) and "zofdocs" in plugin:
                plugin["zofdocs"] = {"catalog": str(catalog), "runbooks": "none"}
        config["nav"] = [i for i in config["nav"] if "Runbooks" not in i]
    config["strict"] = False
    (folder / "mkdocs.yml").write_text(yaml.dump(config, Dumper=_Dumper, allow_unicode=True))
    return folder


class _Dumper(yaml.Dumper):
    """Writes Material's emoji functions back as the !!python/name tags MkDocs reads."""


def _represent_function(dumper: yaml.Dumper, data: Any) -> yaml.Node:
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{data.__module__}."
                                   f"{data.__qualname__}", "")  # fmt: skip


_Dumper.add_multi_representer(type(len), _represent_function)
_Dumper.add_multi_representer(type(lambda: 0), _represent_function)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,200,1000,1953")
    parser.add_argument("--rounds", type=int, default=3, help="rounds for the fast steps")
    parser.add_argument(
        "--twilio",
        type=Path,
        default=ROOT / "tests" / "data" / "corpora" / "twilio-error-codes.json",
    )
    parser.add_argument("--write", action="store_true", help="update docs/tooling/benchmarks.md")
    args = parser.parse_args()  # fmt: skip
    started = time.monotonic()
    sizes = [int(s) for s in args.sizes.split(",")]
    entries = json.loads(args.twilio.read_text(encoding="utf-8"))
    rows: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        for size in sizes:
            row: dict[str, float] = {}
            catalog = base / f"catalog-{size}"
            twilio_catalog(entries[:size], catalog)
            site = render_site(load_sources(catalog))
            pages = len(site.pages)
            row["pages"] = pages
            # The floor writes the files `generate` writes: pages, errors.json, problems.
            manifest = base / f"manifest-{size}.json"
            files = {**site.pages, **site.files}
            manifest.write_text(
                json.dumps([[path, len(text.encode("utf-8"))] for path, text in files.items()])
            )
            generate = [PYTHON, "-m", "zofdocs", "generate", "--catalog", str(catalog),
                        "--no-runbooks", "--out"]  # fmt: skip
            floor = [PYTHON, "-c", FLOOR_GENERATE, str(catalog / "errors.yml")]
            # Cold: a fresh folder each round, alternating with the floor's, so that a slow
            # spell of the machine hits both. Warm: the same folder again, after one
            # code's title changed, so that one page and the index are written.
            gen_runs, floor_runs = [], []
            for n in range(args.rounds):
                gen_runs.append(run([*generate, str(base / f"out-{size}-{n}")], base))
                folder = str(base / f"floor-{size}-{n}")
                floor_runs.append(run([*floor, folder, str(manifest)], base))
            row["gen"], row["gen_mem"] = min(r[0] for r in gen_runs), max(r[1] for r in gen_runs)
            row["gen_floor"] = min(r[0] for r in floor_runs)
            errors = catalog / "errors.yml"
            text = errors.read_text(encoding="utf-8")
            warm_runs, warm_floor_runs = [], []
            for n in range(args.rounds):
                errors.write_text(text.replace("  title: ", f"  title: Edit {n} ", 1))
                warm_runs.append(run([*generate, str(base / f"out-{size}-0")], base)[0])
                warm_floor_runs.append(
                    run([*floor, str(base / f"floor-{size}-0"), str(manifest)], base)[0]
                )
            errors.write_text(text, encoding="utf-8")
            row["warm"], row["warm_floor"] = min(warm_runs), min(warm_floor_runs)
            rounds = 2 if size >= 1000 else args.rounds
            plugin_dir = project(base / f"plugin-{size}", catalog, plain=False)
            plain_dir = project(base / f"plain-{size}", catalog, plain=True)
            build = [PYTHON, "-m", "mkdocs", "build", "-q", "-d", "site"]
            # Alternate the two builds, so that a slow spell of the machine hits both.
            plugin_runs, plain_runs = [], []
            for _ in range(rounds):
                plugin_runs.append(run(build, plugin_dir))
                plain_runs.append(run(build, plain_dir))
            row["build"] = min(t for t, _ in plugin_runs)
            row["build_mem"] = max(m for _, m in plugin_runs)
            row["build_floor"] = min(t for t, _ in plain_runs)
            row["build_floor_mem"] = max(m for _, m in plain_runs)
            rows[size] = row
            print(
                f"{size:>5} codes: generate {row['gen']:.2f}s / floor {row['gen_floor']:.2f}s;"
                f" build {row['build']:.1f}s / plain {row['build_floor']:.1f}s",
                flush=True,
            )
        largest = max(sizes)
        check = compare(load_sources(base / f"catalog-{largest}"), args.rounds)
        shares = profile_generate(base / f"catalog-{largest}", base / "profiled")
    startup: dict[str, Any] = {
        "pass": best(10, [PYTHON, "-c", "pass"], ROOT)[0],
        "help": best(10, [PYTHON, "-m", "zofdocs", "--help"], ROOT)[0],
        "check": best(10, [PYTHON, "-m", "zofdocs", "check", "--help"], ROOT)[0],
        # What `zofdocs check` imports before it reads a file: its real start-up.
        "check_imports": best(10, [PYTHON, "-c", CHECK_IMPORTS], ROOT)[0],
    }
    # The fair floor of each: a bare interpreter importing the same modules.
    for name, command in (("help", ["-m", "zofdocs", "--help"]),
                          ("check", ["-m", "zofdocs", "check", "--help"]),
                          ("check_imports", ["-c", CHECK_IMPORTS])):  # fmt: skip
        modules = imported_modules(command)
        outside = [m for m in modules if m not in sys.stdlib_module_names]
        startup[f"{name}_libraries"] = (
            f"{', '.join(outside) or 'no library'} and "
            f"{len(modules) - len(outside)} modules of the standard library"
        )
        bare = f"import {', '.join(modules)}" if modules else "pass"
        startup[f"{name}_floor"] = best(10, [PYTHON, "-c", bare], ROOT)[0]
    table = report(rows, check, startup, largest, shares)
    print(table)
    if args.write:
        page = ROOT / "docs" / "tooling" / "benchmarks.md"
        # The preview's figures are bench/preview_bench.py's: kept as they are.
        old = page.read_text(encoding="utf-8") if page.exists() else ""
        preview = PREVIEW.search(old)
        took = f"{max(1, round((time.monotonic() - started) / 60))} min"
        text = PAGE.format(date=datetime.date.today().isoformat(), took=took, table=table,
                           cores=len(os.sched_getaffinity(0)),
                           preview=preview.group() if preview else PREVIEW_EMPTY)  # fmt: skip
        page.write_text(text, encoding="utf-8")


def report(rows: dict[int, dict[str, float]], check: dict[str, float],
           startup: dict[str, Any], largest: int, shares: list[float]) -> str:  # fmt: skip
    def verdict(ratio: float, goal: float) -> str:
        return f"goal ≤ {goal}x: {'met' if ratio <= goal else '**missed**'}"

    lines = [
        "| Codes | Pages | Generate, cold | Floor | Ratio | Generate, warm | Floor | Ratio "
        "| Peak MiB | Build | Plain build | Ratio | Peak MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for size, r in rows.items():
        lines.append(
            f"| {size:,} | {int(r['pages']):,} | {r['gen']:.2f} s | {r['gen_floor']:.2f} s | "
            f"{r['gen'] / r['gen_floor']:.2f}x | {r['warm']:.2f} s | {r['warm_floor']:.2f} s | "
            f"{r['warm'] / r['warm_floor']:.2f}x | {r['gen_mem']:.0f} | {r['build']:.1f} s | "
            f"{r['build_floor']:.1f} s | {r['build'] / r['build_floor']:.2f}x | "
            f"{r['build_mem']:.0f} |"
        )
    top = rows[largest]
    lines += [
        "",
        f"Generate at {largest:,} codes, cold (a fresh folder): "
        f"{top['gen'] / top['gen_floor']:.2f}x the floor, "
        f"{verdict(top['gen'] / top['gen_floor'], 1.5)}. Of its work, in one process under "
        "cProfile: loading "
        f"the YAML {shares[0]:.0%}, validating it {shares[1]:.0%}, rendering the pages and "
        f"exports {shares[2]:.0%}, writing them {shares[3]:.0%}. Build with the plugin: "
        f"{top['build'] / top['build_floor']:.2f}x the plain build, "
        f"{verdict(top['build'] / top['build_floor'], 1.1)}.",
        "",
    ]
    if {10, 200, largest} <= rows.keys() and largest > 200:
        small = rows[10]["build"]
        at_200 = (rows[200]["build"] - small) / 190
        at_max = (rows[largest]["build"] - small) / (largest - 10)
        lines.append(
            f"Build time each code page adds: {at_200 * 1000:.1f} ms at 200 codes, "
            f"{at_max * 1000:.1f} ms at {largest:,}: {at_max / at_200:.2f}x, "
            f"{verdict(at_max / at_200, 1.25)}."
        )
        lines.append("")
    ratio = check["check"] / check["trie"]
    lines.append(
        f"`zofdocs check` on {int(check['pages']):,} pages: {check['check']:.2f} s; reading "
        f"them and the glossary's words as one trie expression (the fastest single "
        f"expression we know for them): {check['trie']:.2f} s, {ratio:.2f}x, "
        f"{verdict(ratio, 2)}. The same words as a plain alternation: "
        f"{check['plain']:.2f} s ({check['check'] / check['plain']:.2f}x)."
    )
    lines.append("")
    parts = []
    for name, what in (("help", "`zofdocs --help`"), ("check", "`zofdocs check --help`"),
                       ("check_imports", "importing all that `zofdocs check` needs")):  # fmt: skip
        ratio = startup[name] / startup[f"{name}_floor"]
        parts.append(
            f"{what} {startup[name] * 1000:.0f} ms: {startup[name] / startup['pass']:.2f}x "
            f"`python -c pass`, {ratio:.2f}x importing the same modules "
            f"({startup[f'{name}_libraries']}) in a bare interpreter, {verdict(ratio, 1.5)}"
        )
    lines.append(
        f"Start-up (`python -c pass` {startup['pass'] * 1000:.0f} ms): " + "; ".join(parts) + "."
    )
    return "\n".join(lines)


PREVIEW = re.compile(r"<!-- preview_bench -->.*<!-- /preview_bench -->", re.DOTALL)
PREVIEW_EMPTY = "<!-- preview_bench -->\nNot measured yet.\n<!-- /preview_bench -->"

PAGE = """# Benchmarks

Every goal below says whether the latest run met it. Each figure is paired with a floor
measured in the same run, on the same machine, because these machines are shared and
noisy: read the ratios, not the seconds.

## Generate, build, check and start-up

The latest run of `bench/scale_bench.py --write` ({date}, a run of {took}), on
catalogs built from Twilio's published error catalog. Times are the best of several
runs, each alternating with its floor; peak memory is each child process's maximum
resident set (of `generate`'s processes, the largest).

{table}

- **Generate, cold**: `zofdocs generate` into a fresh folder each run, with a fork
  that reads `errors.yml` and compiles the templates while it starts, rendering in a
  process for each core ({cores} here; `--jobs`) and, from 500 files on, writing in
  two processes. Its floor, in one process, loads
  the YAML with libyaml's CSafeLoader, renders one bare Jinja template per file, and
  writes the files `generate` writes, at the same paths and of the same sizes (the
  render repeated to fill each), as `generate` writes them: each beside its target,
  then, once all are written, renamed over it.
- **Generate, warm**: again into the same folder, after one code's title changed; both
  leave a file that holds its text already alone.
- **Build**: `mkdocs build` with the plugin; its floor is MkDocs building the same pages,
  written beforehand as plain Markdown, without the plugin. Above 60 codes, code pages
  leave the navigation (they are listed on the Error codes page and found by search),
  which keeps the build linear: every page renders the whole navigation.
- **Check**: against the floor its goal is stated against, the trie, which reads the
  same pages and runs one expression for every label and wrong spelling. The checker
  keeps each block of Markdown and each piece of prose it read for the rest of its run,
  which counts for little here, where every code's text is its own.
  `bench/check_bench.py` measures the same goal on 1,960 pages generated from the
  shipped catalog, whose codes repeat their text, and prints the recall and precision
  that the Checks page publishes.
- **Start-up**: against `python -c pass`, and against a bare interpreter importing the
  modules the command imports but zofdocs' own, the standard library's included (found
  with `python -X importtime`), which is what the goal is stated against. Counting
  only the libraries, as this page did until 2026-11-30, charged zofdocs for every
  standard-library module it imports itself and none that a library brings in: when
  `--help` stopped importing markdown-it (0.025 s sooner), its ratio rose from 1.17x
  to 2.21x.

## The preview

{preview}
"""


if __name__ == "__main__":
    main()
