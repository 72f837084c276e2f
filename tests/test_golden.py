"""Golden files: every generated page of the shipped catalog, reviewed as a diff.

Run `./dev test tests/test_golden.py --update-goldens` to accept a change on purpose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CATALOG, ROOT
from zofdocs import load_sources, render_site
from zofdocs.model import Sources
from zofdocs.render import TEMPLATES, Site
from zofdocs.runbook import load_runbooks

GOLDEN = ROOT / "tests" / "golden"


def site() -> Site:
    sources: Sources = load_sources(CATALOG)
    return render_site(sources, runbooks=load_runbooks(sources, ROOT / "runbooks"))


def shipped_goldens() -> list[Path]:
    # tests/golden/import/ belongs to tests/test_import.py.
    return [p for p in GOLDEN.rglob("*.md") if p.relative_to(GOLDEN).parts[0] != "import"]


def test_generated_pages_match_golden_files(request: pytest.FixtureRequest) -> None:
    pages = site().pages
    if request.config.getoption("--update-goldens"):
        for old in shipped_goldens():
            old.unlink()
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    golden = {p.relative_to(GOLDEN).as_posix() for p in shipped_goldens()}
    assert golden == set(pages), "pages added or removed: run with --update-goldens"
    for path, text in pages.items():
        assert (GOLDEN / path).read_text(encoding="utf-8") == text, (
            f"{path} differs from tests/golden/{path}; review, then run with --update-goldens"
        )


def test_goldens_cover_every_template() -> None:
    pages = site().pages
    used = {"page.md.j2", "helpful.md.j2"}  # Extended or included by the others.
    stems = {Path(p).parent.name if Path(p).name == "index.md" else Path(p).stem for p in pages}
    kinds = {
        "home.md.j2": "index.md" in pages,
        "errors.md.j2": "errors/index.md" in pages,
        "codes.md.j2": "errors/codes/index.md" in pages,
        "issues.md.j2": "errors/issues/index.md" in pages,
        "code.md.j2": any(p.startswith("errors/codes/") and "index" not in p for p in pages),
        "issue.md.j2": any(p.startswith("errors/issues/") and "index" not in p for p in pages),
        "glossary.md.j2": "glossary.md" in pages,
        "onboarding.md.j2": "onboarding.md" in pages,
        "runbooks.md.j2": "runbooks/index.md" in pages,
        "checks.md.j2": "tooling/checks.md" in pages,
        # The shipped runbooks, whose generated sections test_runbook_cli checks are
        # current, and the answers file `runbook new` writes (tests/golden/team.yml).
        "runbook.md.j2": "runbooks/checkout.md" in pages,
        "team.yml.j2": (GOLDEN / "team.yml").is_file(),
    }
    assert stems
    assert all(kinds.values()), kinds
    templates = {p.name for p in TEMPLATES.glob("*.j2")}
    assert templates == used | set(kinds), "a template is not covered by a golden file"
