"""The `zofdocs runbook` commands: create a team's runbook, and keep runbooks current.

`runbook new TEAM` takes every answer as a flag and asks for the missing ones in a
terminal. `runbook update [TEAM ...]` rewrites generated sections only; `--check` and
`--diff` write nothing. Exit status: 0 done or up to date, 1 stale (with `--check`) or
a conflict, 2 bad input. Team-owned sections (kept with `--keep-edits`) never make a
runbook stale; `update` reports how many each team owns and which the catalog changed
since, and `--diff` shows those changes, not applied. `runbook handback TEAM SECTION ...`
(or `--all`) shows the diff from each owned section to its generated text, then makes
it generated again; with `--diff` it writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from markupsafe import Markup

from zofdocs.errors import CatalogError, Problem, ZofError, display_path
from zofdocs.fileio import atomic_write, folder_option, inside, write_all
from zofdocs.suggest import did_you_mean

if TYPE_CHECKING:
    from zofdocs.model import Sources
    from zofdocs.runbooks.state import RunbookState

__all__ = ["add_parser"]

# Each answer: flag, key, help, whether it repeats. Environments are asked per name.
_ANSWERS = [
    ("--team-name", "team", "the team's name, as people say it", False),
    ("--service", "service", "the service the runbook is for", False),
    ("--owner", "owners", "an owner of the runbook (repeat for more)", True),
    ("--on-call", "on_call", "the on-call rotation to page first", False),
    ("--escalation", "escalation", "who to escalate to next, in order (repeat)", True),
    ("--ci", "ci", "the CI system that calls the API", False),
]
# What each environment needs: flag, key in team.yml, what it is.
_ENVIRONMENT = [
    ("--project", "project_id", "project ID"),
    ("--env-id", "environment_id", "environment ID"),
    ("--secret", "secret", "CI secret holding the API key"),
]


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `runbook new`, `runbook update` and `runbook handback` to the command line.

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
    new.add_argument(
        "--env", dest="envs", action="append", metavar="NAME",
        help="an environment the service runs in (repeat); all the catalog's when none",
    )  # fmt: skip
    for flag, key, what in _ENVIRONMENT:
        new.add_argument(
            flag, dest=key, action="append", metavar="ENV=VALUE",
            help=f"an environment's {what}, such as staging=... (repeat for each)",
        )  # fmt: skip
    new.add_argument(
        "--last-reviewed",
        metavar="YYYY-MM-DD",
        help="when the runbook was reviewed (default: today)",
    )
    new.add_argument(
        "--code",
        dest="codes",
        action="append",
        help="an error code the service meets (repeat); all current codes when none",
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
        "conflict: reported with a diff, the runbook left unchanged, exit 1. Team-owned "
        "sections (kept with --keep-edits) are never rewritten; each team's line says how "
        "many it owns and which the catalog changed since, and --diff shows those changes.",
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
        help="replace edited generated sections with the new generated text "
        "(team-owned sections are left as they are: see 'runbook handback')",
    )  # fmt: skip
    handback = actions.add_parser(
        "handback",
        parents=[runbooks],
        help="hand team-owned sections back to the generator, showing the diff first",
        description="Show, for each named team-owned section, the diff from the team's text "
        "to the current generated text, then write the runbook with those sections "
        "generated again. Every other line is left as it is. Exit status: 0 done, 2 bad "
        "input (an unknown section, or one that is not team-owned: nothing is written).",
    )
    handback.add_argument("slug", metavar="TEAM", help="the team, such as 'checkout'")
    handback.add_argument(
        "sections", nargs="*", metavar="SECTION",
        help="a team-owned section, such as 'playbook-rate_limited'",
    )  # fmt: skip
    handback.add_argument(
        "--all", dest="every", action="store_true",
        help="hand back every team-owned section that is still generated",
    )  # fmt: skip
    handback.add_argument("--diff", action="store_true", help="show the diffs; write nothing")


def _ask(question: str, repeat: bool, empty: bool = False) -> list[str] | str:
    """Ask in the terminal until answered; a list ends with an empty line.

    With `empty`, an empty line at once answers an empty list (the default).
    """
    try:
        if not repeat:
            answer = ""
            while not answer:
                answer = input(f"{question}: ").strip()
            return answer
        print(f"{question} (one per line; an empty line ends the list):")
        answers: list[str] = []
        while (line := input("  > ").strip()) or not (answers or empty):
            if line:
                answers.append(line)
        return answers
    except EOFError:
        raise ZofError(f"no answer for: {question}; nothing was written") from None


def _ask_choices(question: str, choices: Sequence[str]) -> list[str]:
    """Ask for some of `choices`, one per line, until each answer is one of them."""
    while True:
        answers = cast(list[str], _ask(question, True, empty=True))
        unknown = [a for a in answers if a not in choices]
        if not unknown:
            return answers
        for answer in unknown:
            hint = did_you_mean(answer, choices) or "see the catalog"
            print(f"  {answer!r} is not one of them ({hint}); answer again")


def _pairs(flag: str, values: list[str] | None, names: Sequence[str]) -> dict[str, str]:
    """Read `ENV=VALUE` flags into a mapping, refusing environments not chosen."""
    found: dict[str, str] = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep or not value:
            raise ZofError(
                f"{flag} {item!r}: write ENV=VALUE (hint: such as "
                f"{flag} {names[0] if names else 'staging'}=...)"
            )
        if name not in names:
            raise ZofError(
                f"{flag} {item!r}: {name!r} is not among the environments chosen "
                f"(hint: {did_you_mean(name, names) or 'they are ' + ', '.join(names)})"
            )
        if name in found and found[name] != value:
            raise ZofError(f"{flag} {name}= is given twice (hint: give it once)")
        found[name] = value
    return found


def _answers(args: argparse.Namespace, sources: Sources) -> dict[str, Any]:
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
    # The environments: those named, or asked for, or all the catalog's.
    known = [lb.label for lb in sources.glossary.labels if lb.kind == "environment"]
    names: list[str] = list(dict.fromkeys(args.envs or []))
    if not names and interactive:
        if known:
            names = _ask_choices(
                f"Environments the service runs in, of {', '.join(known)} "
                "(an empty line takes them all)",
                known,
            )
        else:
            names = cast(list[str], _ask("Environments the service runs in", True))
    unknown = [name for name in names if known and name not in known]
    if unknown:
        hint = did_you_mean(unknown[0], known) or "environments: " + ", ".join(known)
        raise ZofError(f"--env {unknown[0]}: not an environment of the catalog (hint: {hint})")
    if not names:
        names = known
    if not names:  # A catalog without environments: those the flags give values for.
        named = (
            item.partition("=")[0]
            for _, key, _ in _ENVIRONMENT
            for item in getattr(args, key) or []
        )
        names = list(dict.fromkeys(named))
    if not names:
        missing.append("--env")
    answers["environments"] = []
    given = {key: _pairs(flag, getattr(args, key), names) for flag, key, _ in _ENVIRONMENT}
    for name in names:
        values = {}
        for flag, key, what in _ENVIRONMENT:
            if name in given[key]:
                values[key] = given[key][name]
            elif interactive:
                values[key] = cast(str, _ask(f"The {name} {what}", False))
            else:
                missing.append(f"{flag} {name}=...")
        answers["environments"].append({"name": name, **values})
    # The codes: those named, or asked for; all current ones when none.
    codes = list(dict.fromkeys(args.codes or []))
    current = [code.code for code in sources.catalog.codes if not code.deprecated]
    for code in codes:
        if code not in current:
            hint = did_you_mean(code, current) or "see the catalog's errors.yml"
            raise ZofError(f"--code {code}: not a current error code (hint: {hint})")
    if not codes and interactive and not missing:
        codes = _ask_choices(
            f"Error codes the service meets (an empty line takes all {len(current)})", current
        )
    if missing:
        raise ZofError(
            "missing answers: " + ", ".join(missing) + " (hint: pass them as flags, or run "
            "in a terminal to be asked)"
        )
    answers["codes"] = codes
    answers["extra_sections"] = [
        {"title": title, "prompt": f"what {answers['team']} needs under '{title}'."}
        for title in args.sections or []
    ]
    import datetime  # Here, as below: every command's start-up would pay for them.

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
    answers = _answers(args, sources)
    env = build_environment(overrides)
    # The slug is checked above (letters, digits, '-'), so it goes into a comment as it is.
    text = env.get_template("team.yml.j2").render(answers=answers, slug=Markup(slug))
    final = display_path(folder / TEAM_FILE)
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch) / slug / TEAM_FILE
        draft.parent.mkdir()
        draft.write_text(text, encoding="utf-8")
        try:
            team = load_team(draft, sources.catalog, sources.glossary)
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
        owned = _owned_note(state, args.resolution, args.diff)
        if state.state == "conflict":
            _report_conflicts(state, state.team.slug)
            status = 1
        elif state.state == "up to date":
            print(f"{name}: up to date{owned}")
        elif args.check:
            print(f"{name}: stale (hint: run 'zofdocs runbook update {state.team.slug}'){owned}")
            status = 1
        elif args.diff:
            import difflib

            sys.stdout.writelines(
                difflib.unified_diff(
                    state.current.splitlines(keepends=True),
                    state.merge.text.splitlines(keepends=True),
                    f"{name} (now)",
                    f"{name} (updated)",
                )
            )
            if owned:
                print(f"{name}: stale{owned}")
        else:
            atomic_write(state.path, state.merge.text)
            settled = (
                f", {len(state.merge.settled)} edited section(s) settled"
                if state.merge.settled
                else ""
            )
            print(f"{name}: updated{settled}{owned}")
        if args.diff and state.state != "conflict":
            _show_owned_changes(state)
    return status


def _owned_note(state: RunbookState, resolution: str | None, diff: bool) -> str:
    """What a team owns, as the end of its status line; empty when it owns nothing."""
    if not state.owned:
        return ""
    slug, count, changed = state.team.slug, len(state.owned), state.owned_changed
    owns = f"; owns {count} section{'s' if count != 1 else ''}, "
    if changed:
        ids = ", ".join(
            s.id + ("" if s.generated is not None else " (no longer generated)") for s in changed
        )
        owns += f"{len(changed)} changed in the catalog since ({ids})"
    else:
        owns += "none changed in the catalog since"
    back = " ".join(s.id for s in changed if s.generated is not None) or "--all"
    handback = f"'zofdocs runbook handback {slug} {back}'"
    if resolution == "take":
        return (
            f"{owns}: --take-generated leaves team-owned sections as they are; "
            f"to take the generated text: {handback}"
        )
    if not changed:
        return owns
    if diff:
        return f"{owns}: diff below; to take the generated text: {handback}"
    return f"{owns}: see 'zofdocs runbook update {slug} --diff'"


def _show_owned_changes(state: RunbookState) -> None:
    """Print, for `update --diff`, how the catalog changed each team-owned section."""
    name = display_path(state.path)
    for section in state.owned_changed:
        where = f"{name}:{section.line}" if section.line else name
        if section.generated is None:
            print(
                f"{where}: team-owned section '{section.id}' is no longer generated "
                "(hint: keep it as team text, or delete it by hand, markers included)"
            )
            continue
        print(
            f"{where}: team-owned section '{section.id}': the catalog changed it since the "
            "team took it over; NOT applied (team-owned sections are never updated; to take "
            f"this: 'zofdocs runbook handback {state.team.slug} {section.id}')"
        )
        sys.stdout.write(section.diff(name))


def _handback(args: argparse.Namespace) -> int:
    from zofdocs.catalog import load_sources
    from zofdocs.runbooks.state import hand_back_sections, load_runbooks
    from zofdocs.runbooks.team import check_slug

    slug = check_slug(args.slug)
    if bool(args.sections) == args.every:
        raise ZofError(
            "name the team-owned sections to hand back, or pass --all, not both (hint: "
            f"'zofdocs runbook update {slug} --check' lists them)"
        )
    sources = load_sources(Path(args.catalog))
    overrides = folder_option(args.templates, None, "--templates")
    folder = folder_option(args.runbooks, None, "--runbooks")
    assert folder is not None  # The option has a default.
    [state] = load_runbooks(sources, folder, [slug], None, overrides)
    plan = hand_back_sections(state, None if args.every else args.sections)
    name = display_path(state.path)
    for section in plan.skipped:
        print(
            f"{name}:{section.line}:1: team-owned section '{section.id}' is no longer "
            "generated; left as it is (hint: keep it as team text, or delete it by hand, "
            "markers included)",
            file=sys.stderr,
        )
    if not plan.sections:
        print(f"{name}: no team-owned section to hand back; nothing written")
        return 0
    for section in plan.sections:
        sys.stdout.write(
            section.diff(name)
            or f"{name}:{section.line}: '{section.id}': the team's text is the generated text\n"
        )
    ids = ", ".join(section.id for section in plan.sections)
    if args.diff:
        print(f"{name}: would hand back {ids} to the generator; nothing written")
        return 0
    atomic_write(state.path, plan.text)
    print(f"{name}: handed back {ids} to the generator")
    if state.state != "up to date":
        print(f"{name}: {state.state} otherwise (hint: run 'zofdocs runbook update {slug}')")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": _new,
    "update": _update,
    "handback": _handback,
}
