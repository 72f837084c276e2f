"""Golden files: every generated page of the shipped catalog, reviewed as a diff.

A change to the catalog, a runbook or a template shows here as a diff of
`tests/golden/site/`. Run `./dev test --update-goldens` to accept it on purpose: that
rewrites every golden folder, this one and the tool tests' own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GOLDEN, ROOT, SHIPPED_CATALOG, match_goldens
from zofdocs import pipeline
from zofdocs.render import TEMPLATES, Site

pytestmark = pytest.mark.shipped


def site() -> Site:
    return pipeline.build(SHIPPED_CATALOG, ROOT / "runbooks").site


def test_generated_pages_match_golden_files(request: pytest.FixtureRequest) -> None:
    match_goldens(request, GOLDEN / "site", site().pages)


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
        # The shipped runbooks, and what `runbook new` writes (tests/golden/runbook-new/).
        "runbook.md.j2": any(p.startswith("runbooks/") and "index" not in p for p in pages),
        "team.yml.j2": (GOLDEN / "runbook-new" / "team.yml").is_file(),
        "team_onboarding.md.j2": any(p.endswith("/onboarding.md") for p in pages),
    }
    assert stems
    assert all(kinds.values()), kinds
    templates = {p.name for p in TEMPLATES.glob("*.j2")}
    assert templates == used | set(kinds), "a template is not covered by a golden file"
