"""The `zofdocs runbook` commands: create a team's runbook, and keep runbooks current.

`runbook new TEAM` takes every answer as a flag and asks for the missing ones in a
terminal. `runbook update [TEAM ...]` rewrites generated sections only; `--check` and
`--diff` write nothing. Exit status: 0 done or up to date, 1 stale (with `--check`) or
a conflict, 2 bad input.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zofdocs.errors import CatalogError, Problem, ZofError, display_path
from zofdocs.fileio import atomic_write, folder_option, inside, write_all

if TYPE_CHECKING:
    from zofdocs.runbooks.state import RunbookState

__all__ = ["add_parser"]

# Each answer: flag, key, help, whether it repeats. Environments are asked per name.
_ANSWERS = [
    ("--team-name", "team", "the team's name, as people say it", False),
    ("--service", "service", "the service the runbook is for", False),
    ("--owner", "owners", "an owner of the runbook (repeat for more)", True),
    ("--on-call", "on_call", "the on-call rotation to page first", False),
    ("--escalation", "escalation", "who to escalate to next, in order (repeat)", True),
    ("--ci", "ci", "the CI system that calls the Zof API", False),
]
_ENVIRONMENTS = ("staging", "production")


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `runbook new` and `runbook update` to the command line.

    Args:
        sub: The top-level subparsers.
        common: The parent parser holding `--catalog`.
    """
    runbooks = argparse.ArgumentParser(add_help=False, parents=[common])
    runbooks.add_argument(
        "--runbooks",
        default="runbooks",
        metavar="DIR",
        help="runbooks folder (default: %(default)s)",
    )
    runbooks.add_argument(
        "--templates", metavar="DIR", help="templates overriding the package's own"
    )
    parser = sub.add_parser("runbook", help="create and update team runbooks")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    new = actions.add_parser(
        "new",
        parents=[runbooks],
        help="create a team's answers file and runbook skeleton",
        description="Create runbooks/TEAM/team.yml and runbook.md. Missing answers are "
        "asked for in a terminal, and are an error elsewhere.",
    )
    new.add_argument("slug", metavar="TEAM", help="the team's folder name, such as 'checkout'")
    for flag, key, text, repeat in _ANSWERS:
        new.add_argument(flag, dest=key, help=text, action="append" if repeat else "store")
    for env in _ENVIRONMENTS:
        new.add_argument(f"--{env}-project", metavar="ID", help=f"the {env} project ID")
        new.add_argument(f"--{env}-environment", metavar="ID", help=f"the {env} environment ID")
        new.add_argument(
            f"--{env}-secret", metavar="NAME", help=f"the CI secret with the {env} API key"
        )
    new.add_argument(
        "--last-reviewed",
        metavar="YYYY-MM-DD",
        help="when the runbook was reviewed (default: today)",
    )
    new.add_argument(
        "--code",
        dest="codes",
        action="append",
        help="an error code in scope (repeat); all when none",
    )
    new.add_argument(
        "--section", dest="sections", action="append", metavar="TITLE",
        help="an extra team-owned section (repeat)",
    )  # fmt: skip
    update = actions.add_parser(
        "update",
        parents=[runbooks],
        help="rewrite the generated sections of runbooks, keeping every team line",
        description="Rewrite generated sections only. An edited generated section is a "
        "conflict: reported with a diff, the runbook left unchanged, exit 1.",
    )
    update.add_argument("slugs", nargs="*", metavar="TEAM", help="teams to update; all when none")
    mode = update.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="write nothing; exit 1 if any is stale")
    mode.add_argument("--diff", action="store_true", help="write nothing; show what would change")
    settle = update.add_mutually_exclusive_group()
    settle.add_argument(
        "--keep-edits", dest="resolution", action="store_const", const="keep",
        help="keep edited generated sections as team-owned text",
    )  # fmt: skip
    settle.add_argument(
        "--take-generated", dest="resolution", action="store_const", const="take",
        help="replace edited generated sections with the new generated text",
    )  # fmt: skip


def _ask(question: str, repeat: bool) -> list[str] | str:
    """Ask in the terminal until answered; a list ends with an empty line."""
    try:
        if not repeat:
            answer = ""
            while not answer:
                answer = input(f"{question}: ").strip()
            return answer
        print(f"{question} (one per line; an empty line ends the list):")
        answers: list[str] = []
        while (line := input("  > ").strip()) or not answers:
            if line:
                answers.append(line)
        return answers
    except EOFError:
        raise ZofError(f"no answer for: {question}; nothing was written") from None


def _answers(args: argparse.Namespace) -> dict[str, Any]:
    interactive = sys.stdin.isatty()
    missing: list[str] = []

    def get(flag: str, key: str, text: str, repeat: bool) -> Any:
        value = getattr(args, key)
        if value:
            return value
        if interactive:
            return _ask(
                text[0].upper()
                + text[1:].replace(" (repeat for more)", "").replace(" (repeat)", ""),
                repeat,
            )
        missing.append(flag)
        return [] if repeat else ""

    answers: dict[str, Any] = {key: get(flag, key, text, rep) for flag, key, text, rep in _ANSWERS}
    answers["ci"] = {"system": answers["ci"]}
    answers["environments"] = []
    for env in _ENVIRONMENTS:
        values = {}
        for part, key, what in (
            ("project", "project_id", "project ID"),
            ("environment", "environment_id", "environment ID"),
            ("secret", "secret", "CI secret holding the API key"),
        ):
            attr = f"{env}_{part}"
            values[key] = get(f"--{env}-{part}", attr, f"the {env} {what}", False)
        answers["environments"].append({"name": env, **values})
    if missing:
        raise ZofError(
            "missing answers: " + ", ".join(missing) + " (hint: pass them as flags, or run "
            "in a terminal to be asked)"
        )
    answers["codes"] = args.codes or []
    answers["extra_sections"] = [
        {"title": title, "prompt": f"what {answers['team']} needs under '{title}'."}
        for title in args.sections or []
    ]
    answers["last_reviewed"] = args.last_reviewed or datetime.date.today().isoformat()
    return answers


def _new(args: argparse.Namespace) -> int:
    # Imported here, not at the top: see zofdocs.cli.
    from zofdocs.catalog import load_sources
    from zofdocs.render import build_environment
    from zofdocs.runbooks.state import RUNBOOK, TEAM_FILE, render_runbook
    from zofdocs.runbooks.team import check_slug, load_team

    slug = check_slug(args.slug)
    sources = load_sources(Path(args.catalog))
    folder = inside(Path(args.runbooks), slug)
    if folder.exists():
        raise ZofError(
            f"{display_path(folder)}: the team already exists (hint: edit its team.yml, then "
            f"run 'zofdocs runbook update {slug}'; nothing was written)"
        )
    overrides = folder_option(args.templates, None, "--templates")
    answers = _answers(args)
    env = build_environment(overrides)
    text = env.get_template("team.yml.j2").render(answers=answers, slug=slug)
    final = display_path(folder / TEAM_FILE)
    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch) / slug / TEAM_FILE
        draft.parent.mkdir()
        draft.write_text(text, encoding="utf-8")
        try:
            team = load_team(draft, sources.catalog)
        except CatalogError as exc:
            raise CatalogError(
                [Problem(final, p.line, p.column, p.message, p.hint) for p in exc.problems]
            ) from None
    runbook = render_runbook(sources, team, overrides)
    write_all([(folder / TEAM_FILE, text), (folder / RUNBOOK, runbook)])
    print(f"{final}: written")
    print(f"{display_path(folder / RUNBOOK)}: written ({len(team.codes)} error playbooks)")
    return 0


def _report_conflicts(state: RunbookState, slug: str) -> None:
    name = display_path(state.path)
    for conflict in state.merge.conflicts:
        print(
            f"{name}:{conflict.line}:1: generated section '{conflict.id}' was edited; "
            "the runbook was left unchanged",
            file=sys.stderr,
        )
        sys.stderr.write(conflict.diff)
    print(
        f"  to keep your text as team-owned: zofdocs runbook update {slug} --keep-edits\n"
        f"  to take the new generated text:   zofdocs runbook update {slug} --take-generated",
        file=sys.stderr,
    )


def _update(args: argparse.Namespace) -> int:
    from zofdocs.catalog import load_sources
    from zofdocs.runbooks.state import load_runbooks
    from zofdocs.runbooks.team import check_slug

    sources = load_sources(Path(args.catalog))
    for slug in args.slugs:
        check_slug(slug)
    overrides = folder_option(args.templates, None, "--templates")
    folder = folder_option(args.runbooks, None, "--runbooks")
    assert folder is not None  # The option has a default.
    states = load_runbooks(sources, folder, args.slugs or None, args.resolution, overrides)
    status = 0
    for state in states:
        name = display_path(state.path)
        if state.state == "conflict":
            _report_conflicts(state, state.team.slug)
            status = 1
        elif state.state == "up to date":
            print(f"{name}: up to date")
        elif args.check:
            print(f"{name}: stale (hint: run 'zofdocs runbook update {state.team.slug}')")
            status = 1
        elif args.diff:
            sys.stdout.writelines(
                difflib.unified_diff(
                    state.current.splitlines(keepends=True),
                    state.merge.text.splitlines(keepends=True),
                    f"{name} (now)",
                    f"{name} (updated)",
                )
            )
        else:
            atomic_write(state.path, state.merge.text)
            settled = (
                f", {len(state.merge.settled)} edited section(s) settled"
                if state.merge.settled
                else ""
            )
            print(f"{name}: updated{settled}")
    return status


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"new": _new, "update": _update}
