"""Where everything sits in the site: page paths, published files, anchors and slugs.

Every path and anchor the package writes or links to is spelled here and nowhere else,
so that moving a page is a one-line change and a code's page stays at its `doc_url`.
Paths are relative to the docs folder, with `/` separators.
"""

from __future__ import annotations

import re

__all__ = [
    "CHECKS_PAGE",
    "CHECK_QUALITY",
    "CODES_PAGE",
    "CODE_PAGE_TEMPLATE",
    "DEVICE_NAMES",
    "ERRORS_JSON",
    "ERRORS_PAGE",
    "GENERATED",
    "GLOSSARY_PAGE",
    "HOME_PAGE",
    "ISSUES_PAGE",
    "ONBOARDING_PAGE",
    "OPENAPI_JSON",
    "PAGES",
    "PROBLEMS_DIR",
    "PUBLISHED",
    "RUNBOOKS_PAGE",
    "SCHEMAS_DIR",
    "VALE_DIR",
    "VALE_LABELS",
    "area_anchor",
    "code_page",
    "code_url",
    "group_anchor",
    "issue_page",
    "label_anchor",
    "page_url",
    "problem_file",
    "runbook_page",
    "slugify",
    "status_anchor",
    "team_onboarding_page",
]

HOME_PAGE = "index.md"
"""The home page."""
ERRORS_PAGE = "errors/index.md"
"""The Errors reference: the response shape, every status, the groups of codes."""
CODES_PAGE = "errors/codes/index.md"
"""The Error codes index, above one page per code."""
CODE_PAGE_TEMPLATE = "code.md.j2"
"""The template of each code's page: compiled first, before any helper forks."""
ISSUES_PAGE = "errors/issues/index.md"
"""The Common issues index, above one page per issue."""
GLOSSARY_PAGE = "glossary.md"
"""The glossary of Console labels."""
ONBOARDING_PAGE = "onboarding.md"
"""The onboarding page for new members."""
RUNBOOKS_PAGE = "runbooks/index.md"
"""The index of team runbooks."""
CHECKS_PAGE = "tooling/checks.md"
"""The checker's rules, each with its example."""

DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)]
)
"""Names Windows keeps for devices, whatever the extension: no page may be named so."""

CHECK_QUALITY = "check_quality.json"
"""The checker's measured recall and precision, a file of the package beside its
modules, as `bench/check_quality.py --site tools/zofdocs/check_quality.json` writes it;
the Checks page shows it."""

GENERATED = "generated/"
"""What findings on a generated page put before its path: `zofdocs generate --out
generated` writes the page there, to look at."""

SCHEMAS_DIR = "schemas/"
"""Where the site publishes the JSON Schemas, at the URLs their `$id`s give."""

PAGES = {
    "home": HOME_PAGE,
    "errors": ERRORS_PAGE,
    "codes": CODES_PAGE,
    "issues": ISSUES_PAGE,
    "glossary": GLOSSARY_PAGE,
    "onboarding": ONBOARDING_PAGE,
    "runbooks": RUNBOOKS_PAGE,
    "checks": CHECKS_PAGE,
}
"""The fixed pages by the name templates use for them (`paths.codes`)."""

ERRORS_JSON = "errors.json"
"""The whole catalog as JSON, for SDKs and support tools."""
OPENAPI_JSON = "openapi.json"
"""The OpenAPI 3.1 fragment: the error schema and one response per status."""
PROBLEMS_DIR = "problems/"
"""One RFC 9457 problem document per code, below this folder."""
VALE_DIR = "vale/"
"""The Vale style built from the glossary, below this folder."""
VALE_LABELS = "vale/styles/Zof/Labels.yml"
"""The Vale rule that holds the glossary's wrong spellings."""

PUBLISHED = {"errors_json": ERRORS_JSON, "openapi": OPENAPI_JSON, "vale_labels": VALE_LABELS}
"""The files published beside the pages, by the name templates use (`published.openapi`)."""


def code_page(code: str) -> str:
    """The page of an error code.

    Args:
        code: The code, such as `rate_limited`.

    Returns:
        Its page, such as `errors/codes/rate_limited.md`.
    """
    return f"errors/codes/{code}.md"


def code_url(code: str) -> str:
    """The path a code's page is served at, below the site's URL: its `doc_url`.

    Args:
        code: The code.

    Returns:
        The path, such as `errors/codes/rate_limited/`.
    """
    return f"errors/codes/{code}/"


def problem_file(code: str) -> str:
    """The RFC 9457 problem document of a code.

    Args:
        code: The code.

    Returns:
        Its path, such as `problems/rate_limited.json`.
    """
    return f"{PROBLEMS_DIR}{code}.json"


def issue_page(issue: str) -> str:
    """The page of a common issue.

    Args:
        issue: The issue's ID, such as `401-after-key-rotation`.

    Returns:
        Its page, such as `errors/issues/401-after-key-rotation.md`.
    """
    return f"errors/issues/{issue}.md"


def runbook_page(slug: str) -> str:
    """The page of a team's runbook.

    Args:
        slug: The team's slug.

    Returns:
        Its page, such as `runbooks/checkout.md`.
    """
    return f"runbooks/{slug}.md"


def page_url(page: str) -> str:
    """The path a page is served at, below the site's URL (MkDocs' directory URLs).

    Args:
        page: The page, such as `errors/index.md` or `glossary.md`.

    Returns:
        The path, such as `errors/` or `glossary/`; the home page's is empty.
    """
    stem = page.removesuffix(".md")
    folder = stem.removesuffix("index") if stem.rpartition("/")[2] == "index" else stem + "/"
    return folder


def team_onboarding_page(slug: str) -> str:
    """The onboarding page of a team, beside its runbook.

    Args:
        slug: The team's slug.

    Returns:
        Its page, such as `runbooks/checkout/onboarding.md`.
    """
    return f"runbooks/{slug}/onboarding.md"


def slugify(text: str) -> str:
    """Make the anchor of a label or heading: lowercase words joined by `-`.

    Args:
        text: Any text, such as `Operate → Runs` or `runs:create`.

    Returns:
        The slug, such as `operate-runs` or `runs-create`.
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def status_anchor(status: int) -> str:
    """The anchor of a status on the Errors reference.

    Args:
        status: The HTTP status, such as 429.

    Returns:
        The anchor, such as `status-429`.
    """
    return f"status-{status}"


def label_anchor(label: str) -> str:
    """The anchor of a Console label on the glossary.

    Args:
        label: The label, such as `Admin Center`.

    Returns:
        The anchor, such as `admin-center`.
    """
    return slugify(label)


def area_anchor(area: str) -> str:
    """The anchor of a Console area's section on the glossary.

    Args:
        area: The area's name, such as `Quality areas`.

    Returns:
        The anchor, such as `area-quality-areas`.
    """
    return "area-" + slugify(area)


def group_anchor(group: str) -> str:
    """The anchor of a group's section on the Error codes index.

    Args:
        group: The group's name, such as `Programmable Voice`.

    Returns:
        The anchor, such as `group-programmable-voice`.
    """
    return "group-" + (slugify(group) or "unnamed")
