"""A team's answers file (`runbooks/TEAM/team.yml`): load, validate, and name teams.

The answers are validated like the catalog: against `schemas/team.schema.json`, then
against the catalog (every code in scope must exist), every problem at
`path:line:column`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from zofdocs.errors import CatalogError, Problem, ZofError
from zofdocs.layout import DEVICE_NAMES
from zofdocs.model import Catalog, ErrorCode, Glossary
from zofdocs.schema import load_schema, validate
from zofdocs.suggest import did_you_mean
from zofdocs.yamlsource import load_yaml

__all__ = [
    "RESERVED",
    "Environment",
    "ExtraSection",
    "Team",
    "check_slug",
    "load_team",
    "team_slugs",
]

SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
"""A team's slug: lowercase words joined by '-', as a folder and URL can hold it."""

RESERVED = frozenset({"index", "new", "all", "assets", "search", "runbook", "runbooks"})
"""Slugs that would collide with the site's own pages or the command's words."""


@dataclass(frozen=True)
class Environment:
    """An environment the team's service runs in.

    Attributes:
        name: Its name, such as `staging`: a glossary label of kind `environment`.
        project_id: The Zof project ID.
        environment_id: The Zof environment ID.
        secret: The CI secret that holds this environment's API key.
    """

    name: str
    project_id: str
    environment_id: str
    secret: str


@dataclass(frozen=True)
class ExtraSection:
    """A team-owned section the team asked for.

    Attributes:
        title: Its heading.
        prompt: What to write there.
    """

    title: str
    prompt: str


@dataclass(frozen=True)
class Team:
    """A team's answers.

    Attributes:
        slug: The team's folder name, such as `checkout`.
        team: The team's name.
        service: The service the runbook is for.
        owners: Who owns the runbook.
        on_call: The rotation to page first.
        escalation: Who to escalate to next, in order.
        environments: Where the service runs.
        ci_system: The CI system that calls the Zof API.
        codes: The codes in scope, in catalog order.
        extra_sections: Team-owned sections to add.
        last_reviewed: When the runbook was last reviewed.
        listed: The codes as `team.yml` lists them, most likely first; empty when it
            lists none (all codes are in scope).
    """

    slug: str
    team: str
    service: str
    owners: tuple[str, ...]
    on_call: str
    escalation: tuple[str, ...]
    environments: tuple[Environment, ...]
    ci_system: str
    codes: tuple[ErrorCode, ...]
    extra_sections: tuple[ExtraSection, ...]
    last_reviewed: str
    listed: tuple[str, ...] = ()


def check_slug(slug: str) -> str:
    """Check that a team slug is a plain lowercase name.

    Args:
        slug: The slug a user gave.

    Returns:
        The slug.

    Raises:
        ZofError: It is empty, holds anything but lowercase words joined by '-' (so no
            `/` or `..`), is longer than 40 characters, or is reserved.
    """
    if not SLUG.fullmatch(slug) or len(slug) > 40:
        raise ZofError(
            f"{slug!r} is not a valid team name "
            "(hint: use lowercase letters and digits, words joined by '-', such as "
            "'checkout' or 'payments-api'; at most 40 characters)"
        )
    if slug in RESERVED or slug in DEVICE_NAMES:
        raise ZofError(
            f"{slug!r} is reserved (hint: choose another name; reserved: "
            + ", ".join(sorted(RESERVED))
            + "; and Windows' device names, such as con and nul"
            + ")"
        )
    return slug


def team_slugs(runbooks: Path) -> list[str]:
    """List the teams under a runbooks folder: the folders holding a `team.yml`.

    Args:
        runbooks: The runbooks folder.

    Returns:
        The slugs, sorted.
    """
    if not runbooks.is_dir():
        return []
    return sorted(p.parent.name for p in runbooks.glob("*/team.yml"))


def load_team(path: Path, catalog: Catalog, glossary: Glossary) -> Team:
    """Load and check one answers file.

    Args:
        path: The `team.yml` file; its folder's name is the team's slug.
        catalog: The catalog the codes in scope must come from.
        glossary: The glossary the environments must come from, when it names any.

    Returns:
        The team's answers.

    Raises:
        CatalogError: The file is malformed; carries every problem.
    """
    source = load_yaml(path)
    if source.data is None:
        raise CatalogError([Problem(source.name, 0, 0, "file is empty")])
    problems = validate(source, load_schema("team"))
    if problems:
        raise CatalogError(problems)
    data = source.data
    by_code = {code.code: code for code in catalog.codes}
    codes: list[ErrorCode] = []
    for index, name in enumerate(data.get("codes", [])):
        code = by_code.get(name)
        if code is None:
            hint = did_you_mean(name, by_code) or "see catalog/errors.yml"
            problems.append(source.problem(("codes", index), f"unknown error code {name!r}", hint))
        elif code.deprecated:
            problems.append(
                source.problem(
                    ("codes", index),
                    f"error code {name!r} is deprecated",
                    f"use {code.replaced_by!r}" if code.replaced_by else "remove it",
                )
            )
        else:
            codes.append(code)
    seen: dict[str, int] = {}
    # A catalog names its environments as glossary labels of kind 'environment'; one
    # that names none (an imported catalog) lets a team name its own.
    known = [label.label for label in glossary.labels if label.kind == "environment"]
    for index, env in enumerate(data["environments"]):
        if known and env["name"] not in known:
            problems.append(
                source.problem(
                    ("environments", index, "name"),
                    f"'environments[{index}].name' is {env['name']!r}, which is not an "
                    "environment of the catalog",
                    did_you_mean(env["name"], known, cutoff=0.5)
                    or f"use one of {', '.join(known)} (the glossary's environments)",
                )
            )
        if env["name"] in seen:
            problems.append(
                source.problem(
                    ("environments", index, "name"),
                    f"environment {env['name']!r} is listed twice",
                    "list each environment once",
                )
            )
        seen.setdefault(env["name"], index)
    try:
        datetime.date.fromisoformat(data["last_reviewed"])
    except ValueError as exc:  # The schema's pattern lets 2026-02-30 through.
        problems.append(
            source.problem(
                ("last_reviewed",),
                f"'last_reviewed' is {data['last_reviewed']!r}, which is not a date ({exc})",
                "write a date of the calendar as YYYY-MM-DD",
            )
        )
    if problems:
        raise CatalogError(problems)
    if "codes" not in data:
        codes = [code for code in catalog.codes if not code.deprecated]
    order = {code.code: i for i, code in enumerate(catalog.codes)}
    return Team(
        slug=path.parent.name,
        team=data["team"],
        service=data["service"],
        owners=tuple(data["owners"]),
        on_call=data["on_call"],
        escalation=tuple(data["escalation"]),
        environments=tuple(Environment(**env) for env in data["environments"]),
        ci_system=data["ci"]["system"],
        codes=tuple(sorted(codes, key=lambda code: order[code.code])),
        extra_sections=tuple(ExtraSection(**s) for s in data.get("extra_sections", [])),
        last_reviewed=data["last_reviewed"],
        listed=tuple(data.get("codes", ())),
    )
