"""Benchmark `zofdocs check` on a generated tree of pages against a floor.

The floor reads the same files and runs one combined regular expression (the glossary's
labels, status numbers and code spans) over them, written two ways: the plain floor, one
alternation of every label, as anyone would first write it; and the trie floor, the same
words as the checker's own trie, the fastest single expression we know for them. All
run in the same process, best of several rounds, so a shared, noisy machine affects them
alike. The goal (issue 13, on its page set: the default, `--pages 1960`): `zofdocs check`
takes at most 2x the trie floor. The plain floor and the ratio to it are printed for
information only.

It also prints the recall and precision that `bench/check_quality.py` last measured
(the figures the site's Checks page publishes).

Each round checks with a new `Checker`, as `zofdocs check` does once per run: what the
checker keeps between documents (blocks of Markdown and pieces of prose seen on an earlier
page) is built anew in every round.

    python bench/check_bench.py [--pages 1960] [--rounds 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from zofdocs import load_sources
from zofdocs.check import Checker, Target
from zofdocs.cli import write_pages
from zofdocs.findings import measured_quality
from zofdocs.model import Sources
from zofdocs.pipeline import render as render_site

ROOT = Path(__file__).resolve().parent.parent


def big_sources(codes: int) -> Sources:
    """The shipped catalog, its codes repeated under new names up to `codes` codes."""
    sources = load_sources(ROOT / "catalog")
    base = [c for c in sources.catalog.codes if not c.deprecated]
    made = list(sources.catalog.codes) + [
        dataclasses.replace(base[i % len(base)], code=f"{base[i % len(base)].code}_{i:04d}")
        for i in range(codes - len(sources.catalog.codes))
    ]
    catalog = dataclasses.replace(sources.catalog, codes=tuple(made), common_issues=())
    return dataclasses.replace(sources, catalog=catalog)


def best(rounds: int, work: Callable[[], int]) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def compare(sources: Sources, rounds: int) -> dict[str, float]:
    """Time the checker and both floors over the generated site of `sources`.

    Args:
        sources: The catalog to render and check.
        rounds: Rounds per measurement; the best is kept.

    Returns:
        Times in seconds (`plain`, `trie`, `check`), page and finding counts.
    """
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        files = write_pages(render_site(sources).pages, folder)
        checker = Checker(sources)
        rest = r"|(?<!\w)[1-5]\d\d(?!\w)|`[^`\n]+`"
        # The plain floor: every label and wrong spelling as one alternation, as anyone
        # would first write it. The trie floor: the same words as the checker's own
        # trie, the fastest single expression we know for them.
        forms = sorted({*checker.labels, *checker.wrong}, key=len, reverse=True)
        alternation = "|".join(r"\s+".join(map(re.escape, f.split())) for f in forms)
        labels = r"(?<![\w:-])(?:" + alternation + r")(?![\w:-])"
        plain_re = re.compile(labels + rest, re.IGNORECASE)
        trie_re = re.compile(r"(?<![\w:-])" + checker.label_at.pattern + rest, re.IGNORECASE)

        def floor(regex: re.Pattern[str]) -> Callable[[], int]:
            def run() -> int:
                return sum(
                    sum(1 for _ in regex.finditer(p.read_text(encoding="utf-8"))) for p in files
                )

            return run

        def page(path: Path) -> str:
            return path.relative_to(folder.resolve()).as_posix()

        def check() -> int:
            run = Checker(sources)
            return sum(
                len(run.check(Target(str(p), p.read_text(encoding="utf-8"), page(p))))
                for p in files
            )

        plain, matches = best(rounds, floor(plain_re))
        trie, _ = best(rounds, floor(trie_re))
        checked, findings = best(rounds, check)
    return {
        "plain": plain,
        "trie": trie,
        "check": checked,
        "pages": len(files),
        "matches": matches,
        "findings": findings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1960)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    r = compare(big_sources(args.pages - 8), args.rounds)  # 8 more: home, errors, ...
    print(f"pages checked                 {r['pages']:>10,}")
    print(f"floor: read + plain regex     {r['plain'] * 1000:>9.1f} ms  ({r['matches']:,} matches)")
    print(f"floor: read + trie regex      {r['trie'] * 1000:>9.1f} ms")
    print(
        f"zofdocs check                 {r['check'] * 1000:>9.1f} ms  ({r['findings']:,} findings)"
    )
    print(f"ratio to the plain floor      {r['check'] / r['plain']:>10.2f}x  (for information)")
    print(f"ratio to the trie floor       {r['check'] / r['trie']:>10.2f}x  (goal: at most 2x)")
    quality = measured_quality()
    if quality is None:
        return
    # Measured by bench/check_quality.py, which takes minutes: the figures the site's
    # Checks page publishes, printed here beside the speed they were bought with.
    print(f"recall and precision, as measured by: {quality['command']}")
    for measured in quality["catalogs"]:
        print(
            f"  recall on {measured['catalog']}: {measured['recall']:.2%} of "
            f"{measured['mistakes']:,} seeded mistakes, {measured['false_alarms']} false alarms"
        )
    for corpus in quality["precision"]:
        print(
            f"  precision on {corpus['corpus']}: {corpus['pages']:,} pages, "
            f"{corpus['words']:,} words, {corpus['findings']} findings"
        )


if __name__ == "__main__":
    main()
