"""Benchmark the generator and the site build at real scale, against floors.

Catalogs of 10, 100, 200, 1,000 and 1,953 codes are built from Twilio's published error
catalog (tests/data/corpora/twilio-error-codes.json; or --twilio).
Every measurement runs in a child process so that its time and peak memory (from
wait4) are its own; each is paired with a floor measured in the same run:

- generate (load, validate, render, write) against libyaml's CSafeLoader plus one bare
  Jinja render and write per page (goal: at most 1.3x);
- mkdocs build with the plugin against mkdocs build of the same pages written
  beforehand as plain Markdown (goal: at most 1.1x);
- build growth: the build time each code page adds at 1,953 codes against at 200, from
  the difference to the 10-code build (goal: at most 1.25x);
- zofdocs check against reading the same pages and one regular expression;
- start-up of `zofdocs --help` and `zofdocs check --help` against
  `python -c 'import yaml, jinja2'` (goal: at most 1.5x).

    python bench/scale_bench.py [--sizes 10,100,200,1000,1953] [--write]

--write puts the table in docs/tooling/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
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
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

FLOOR_GENERATE = """
import sys, pathlib, yaml, jinja2
text = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
data = yaml.load(text, Loader=yaml.CSafeLoader)
template = jinja2.Environment().from_string("# {{ c.code }}\\n\\n{{ c.description }}\\n")
out = pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
codes = data["codes"]
for i in range(int(sys.argv[3])):
    c = codes[i % len(codes)]
    (out / f"{i}.md").write_text(template.render(c=c), encoding="utf-8")
"""


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
    for name in ("glossary.yml", "pages.yml"):
        shutil.copy(ROOT / "catalog" / name, folder / name)


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
    sizes = [int(s) for s in args.sizes.split(",")]
    entries = json.loads(args.twilio.read_text(encoding="utf-8"))
    rows: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        for size in sizes:
            row: dict[str, float] = {}
            catalog = base / f"catalog-{size}"
            twilio_catalog(entries[:size], catalog)
            pages = len(render_site(load_sources(catalog)).pages)
            row["pages"] = pages
            out = base / f"out-{size}"
            row["gen"], row["gen_mem"] = best(args.rounds, [
                PYTHON, "-m", "zofdocs", "generate", "--catalog", str(catalog),
                "--no-runbooks", "--out", str(out)], base)  # fmt: skip
            row["gen_floor"], row["gen_floor_mem"] = best(args.rounds, [
                PYTHON, "-c", FLOOR_GENERATE, str(catalog / "errors.yml"),
                str(base / f"floor-{size}"), str(pages)], base)  # fmt: skip
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
    startup = {
        "floor": best(10, [PYTHON, "-c", "import yaml, jinja2"], ROOT)[0],
        "help": best(10, [PYTHON, "-m", "zofdocs", "--help"], ROOT)[0],
        "check": best(10, [PYTHON, "-m", "zofdocs", "check", "--help"], ROOT)[0],
        # What `zofdocs check` imports before it reads a file: its real start-up.
        "check_imports": best(10, [PYTHON, "-c", "import zofdocs.check_cli, zofdocs.pipeline"],
                              ROOT)[0],
    }  # fmt: skip
    table = report(rows, check, startup, largest)
    print(table)
    if args.write:
        page = ROOT / "docs" / "tooling" / "benchmarks.md"
        page.write_text(PAGE.format(date=datetime.date.today().isoformat(), table=table))


def report(rows: dict[int, dict[str, float]], check: dict[str, float],
           startup: dict[str, float], largest: int) -> str:  # fmt: skip
    lines = [
        "| Codes | Pages | Generate | Floor | Ratio (goal ≤ 1.3) | Peak MiB | Build | Plain build"
        " | Ratio (goal ≤ 1.1) | Peak MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, r in rows.items():
        lines.append(
            f"| {size:,} | {int(r['pages']):,} | {r['gen']:.2f} s | {r['gen_floor']:.2f} s | "
            f"{r['gen'] / r['gen_floor']:.2f}x | {r['gen_mem']:.0f} | {r['build']:.1f} s | "
            f"{r['build_floor']:.1f} s | {r['build'] / r['build_floor']:.2f}x | "
            f"{r['build_mem']:.0f} |"
        )
    lines.append("")
    if {10, 200, largest} <= rows.keys() and largest > 200:
        small = rows[10]["build"]
        at_200 = (rows[200]["build"] - small) / 190
        at_max = (rows[largest]["build"] - small) / (largest - 10)
        lines.append(
            f"Build time each code page adds: {at_200 * 1000:.1f} ms at 200 codes, "
            f"{at_max * 1000:.1f} ms at {largest:,}: {at_max / at_200:.2f}x (goal ≤ 1.25x)."
        )
        lines.append("")
    lines.append(
        f"`zofdocs check` on {int(check['pages']):,} pages: {check['check']:.2f} s; reading them "
        f"and one plain regular expression: {check['plain']:.2f} s "
        f"({check['check'] / check['plain']:.2f}x); the same words as a trie: "
        f"{check['trie']:.2f} s ({check['check'] / check['trie']:.2f}x)."
    )
    lines.append("")
    lines.append(
        f"Start-up: `python -c 'import yaml, jinja2'` {startup['floor'] * 1000:.0f} ms; "
        f"`zofdocs --help` {startup['help'] * 1000:.0f} ms "
        f"({startup['help'] / startup['floor']:.2f}x); `zofdocs check --help` "
        f"{startup['check'] * 1000:.0f} ms ({startup['check'] / startup['floor']:.2f}x); "
        f"importing all that `zofdocs check` needs {startup['check_imports'] * 1000:.0f} ms "
        f"({startup['check_imports'] / startup['floor']:.2f}x); goal ≤ 1.5x. None of them "
        "imports MkDocs."
    )
    return "\n".join(lines)


PAGE = """# Benchmarks

The latest run of `bench/scale_bench.py --write` ({date}), on catalogs built from
Twilio's published error catalog. Each figure is paired with a floor measured in the
same run, on the same machine, because these machines are shared and noisy: read the
ratios, not the seconds. Times are the best of several runs (two for the builds of
1,000 codes and more, alternating with their floor); peak memory is each child
process's maximum resident set.

{table}

The generate floor loads the YAML with libyaml's CSafeLoader and renders one bare Jinja
template per page; the build floor is MkDocs building the same pages written beforehand
as plain Markdown, without the plugin. Above 60 codes, code pages leave the navigation
(they are listed on the Error codes page and found by search), which keeps the build
linear: every page renders the whole navigation.
"""


if __name__ == "__main__":
    main()
