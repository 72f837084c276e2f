"""Benchmark `zofdocs import twilio` on Twilio's 1,953 codes against a floor.

The import reads the JSON, maps every entry, writes the YAML, and reads that back
through the catalog loader (positions, schema, cross-checks) before anything is kept.
The floor does the least any importer must: `json.loads`, then a libyaml dump of the
raw entries and a libyaml load of that text. Both run in the same process, best of
several rounds, so a shared, noisy machine affects both alike. Prints the ratio.

    python bench/import_bench.py [--twilio FILE] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

from zofdocs.importers import reader
from zofdocs.importers.write import write_catalog

ROOT = Path(__file__).resolve().parent.parent


def best(rounds: int, run: Callable[[], object]) -> float:
    """The fastest of `rounds` runs, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Time the import and its floor, and print both with their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--twilio",
        type=Path,
        default=ROOT.parent / "shared" / "corpora" / "twilio-error-codes.json",
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    def floor() -> None:
        data = json.loads(args.twilio.read_text(encoding="utf-8"))
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
        yaml.load(text, Loader=yaml.CSafeLoader)

    def ours() -> None:
        with tempfile.TemporaryDirectory() as out:
            write_catalog(reader("twilio")(args.twilio), args.twilio.name, Path(out))

    floor_s, ours_s = best(args.rounds, floor), best(args.rounds, ours)
    tracemalloc.start()
    ours()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"floor (json, libyaml dump and load): {floor_s:.2f} s")
    print(f"zofdocs import twilio:               {ours_s:.2f} s  ({ours_s / floor_s:.2f}x floor)")
    print(f"peak Python memory of one import:    {peak:.0f} MiB")


if __name__ == "__main__":
    main()
