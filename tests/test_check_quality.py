"""The checker's recall on seeded mistakes (`bench/check_quality.py`), and the generator.

The recall test holds the checker to 98% of seeded mistakes caught exactly once and no
false alarm on the seeded pages; its message is the report, which names the missed
mistakes. The generator's tests: the same seed gives the same pages, and every seeded
mistake's line and column point at its wrong text, on the fixture catalog and on
catalogs imported from the Twilio and PostgreSQL corpora.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import CATALOG, CORPORA, ROOT
from zofdocs import load_sources
from zofdocs.importers import reader
from zofdocs.importers.write import write_catalog
from zofdocs.model import Sources

if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

import check_quality

RECALL = 0.98


@pytest.fixture(scope="module")
def fixture_sources() -> Sources:
    return load_sources(CATALOG)


@pytest.fixture(scope="module")
def measured(fixture_sources: Sources) -> check_quality.Measured:
    return check_quality.measure("tests/fixture/catalog", fixture_sources)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Sources]:
    out = tmp_path_factory.mktemp("imported")
    found = {}
    for fmt, file in (("twilio", "twilio-error-codes.json"), ("postgres", "postgres_errcodes.txt")):
        write_catalog(reader(fmt)(CORPORA / file), file, out / fmt)
        found[fmt] = load_sources(out / fmt)
    return found


def test_recall_on_seeded_mistakes(measured: check_quality.Measured) -> None:
    assert measured.recall >= RECALL, check_quality.report(measured, examples=6)


def test_no_false_alarm_on_seeded_pages(measured: check_quality.Measured) -> None:
    alarms = [f"{a.finding}  [{a.on}]" for a in measured.alarms]
    assert alarms == []


def test_every_class_is_seeded_on_the_fixture(measured: check_quality.Measured) -> None:
    kinds = {o.mistake.kind for o in measured.outcomes}
    assert kinds == set(check_quality.CLASSES)
    placements = {o.mistake.placement for o in measured.outcomes}
    assert placements == set(check_quality.LABEL_PLACEMENTS)


def test_generator_is_deterministic(fixture_sources: Sources) -> None:
    first = check_quality.seed(fixture_sources)
    again = check_quality.seed(fixture_sources)
    assert first.pages == again.pages
    assert first.mistakes == again.mistakes
    assert first.uses == again.uses
    other = check_quality.seed(fixture_sources, seed=check_quality.SEED + 1)
    assert other.pages != first.pages


def _check_positions(seeded: check_quality.Seeded) -> None:
    pages = {page.name: page.text for page in seeded.pages}
    assert seeded.mistakes
    for m in seeded.mistakes:
        text = pages[m.page]
        lines = text.split("\n")
        assert lines[m.line - 1][m.column - 1 :].startswith(m.wrong.split("\n")[0]), m
        assert text[m.offset : m.offset + len(m.wrong)] == m.wrong, m
        start = sum(len(line) + 1 for line in lines[: m.line - 1]) + m.column - 1
        assert start == m.offset, m
        assert " ".join(m.wrong.split()) != m.right, m
    for u in seeded.uses:
        assert pages[u.page][u.offset : u.offset + len(u.text)] == u.text, u


def test_positions_point_at_the_wrong_text(fixture_sources: Sources) -> None:
    _check_positions(check_quality.seed(fixture_sources))


@pytest.mark.parametrize("fmt", ["twilio", "postgres"])
def test_positions_on_imported_catalogs(imported: dict[str, Sources], fmt: str) -> None:
    seeded = check_quality.seed(imported[fmt])
    _check_positions(seeded)
    assert {m.kind for m in seeded.mistakes} <= {"code-backticks", "code-bare"}
    assert len({m.subject for m in seeded.mistakes}) <= check_quality.MAX_CODES * 2


def test_no_mistake_is_a_label_or_a_real_code(fixture_sources: Sources) -> None:
    seeded = check_quality.seed(fixture_sources)
    labels = set(fixture_sources.glossary.by_label)
    codes = {c.code for c in fixture_sources.catalog.codes}
    for m in seeded.mistakes:
        written = " ".join(m.wrong.split())
        assert written not in labels, m
        assert written not in codes, m


def test_markdown_readmes_are_told_from_restructuredtext() -> None:
    markdown = "# Title\n\nSome [link](https://x).\n\n- one\n- two\n\n```py\nx\n```\n"
    rst = "Title\n=====\n\n.. code-block:: python\n\n    x\n\nSee `link`_.\n"
    assert check_quality.looks_markdown(markdown, None)
    assert not check_quality.looks_markdown(rst, None)
    assert check_quality.looks_markdown(rst, "text/markdown")
    assert not check_quality.looks_markdown(markdown, "text/x-rst")


def test_seeded_page_text_is_written_like_docs(tmp_path: Path, fixture_sources: Sources) -> None:
    seeded = check_quality.seed(fixture_sources)
    text = "\n".join(page.text for page in seeded.pages)
    for sign in ("**", "](", "| --- |", "\n- ", '!!! note "', "\n    ", "\n## "):
        assert sign in text, sign


@pytest.mark.parametrize("fmt", ["twilio", "postgres"])
def test_recall_on_imported_catalogs(imported: dict[str, Sources], fmt: str) -> None:
    # Codes written elsewhere: Twilio's numbers, PostgreSQL's SQLSTATEs and condition
    # names, mistyped in backticks and in prose.
    measured = check_quality.measure(f"{fmt} import", imported[fmt])
    assert measured.recall >= RECALL, check_quality.report(measured, examples=6)
    assert [str(a.finding) for a in measured.alarms] == []
