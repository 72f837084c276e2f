"""A team's own section templates: `runbooks/TEAM/sections/NAME.md.j2`.

Each template is rendered once for every code in the team's scope, in NAME order, and
its output becomes a generated section `NAME-CODE` right after the code's playbook,
under the ownership contract of every generated section (see `zofdocs.runbooks.markers`).

A team's template is team-written code and every value it sees comes from YAML, so
it runs in a sandbox configured like the package's templates (autoescape, every value
escaped unless a project filter made it safe, `StrictUndefined`, the same filters), and
anything wrong (a syntax error, an undefined name, a reach for Python internals, a
marker line in its output) is a `Problem` at the template's file and line.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from zofdocs import markdown
from zofdocs.errors import CatalogError, Problem, display_path
from zofdocs.model import ErrorCode
from zofdocs.render import build_environment
from zofdocs.runbooks.team import Team
from zofdocs.yamlsource import read_text

__all__ = [
    "NAME",
    "RESERVED_NAMES",
    "SECTIONS",
    "SUFFIX",
    "SectionTemplate",
    "load_sections",
    "render_sections",
]

SECTIONS = "sections"
"""The folder, inside a team's folder, that holds its section templates."""

SUFFIX = ".md.j2"
"""How a section template's file name ends."""

NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
"""A section template's name: lowercase words joined by '-', as a team's slug."""

RESERVED_NAMES = frozenset({"playbook", "issue"})
"""Names whose sections (`playbook-CODE`, `issue-CODE`) would take the IDs of the
runbook's own generated sections."""

_MARKER = "<!-- zofdocs:"
# The prefix that `zofdocs.runbooks.markers.parse` reads as a marker line, after
# leading whitespace, on any line `str.splitlines` finds.

_NAME_HINT = (
    "name each file NAME.md.j2, NAME being lowercase letters and digits, words joined "
    "by '-', such as 'dashboards.md.j2'; keep other files out of this folder"
)
_CONTEXT_HINT = (
    "a section template sees 'code' (the error code: code.code, code.title, "
    "code.fixes...) and 'team' (the team's answers: team.service, team.on_call...)"
)


@dataclass(frozen=True)
class SectionTemplate:
    """A team's section template, read and compiled.

    Attributes:
        name: Its name, such as `dashboards`: sections are `NAME-CODE`.
        path: Its file, as messages name it.
        source: Its text.
        template: The compiled template, bound to the team's sandbox.
    """

    name: str
    path: str
    source: str
    template: jinja2.Template


def load_sections(folder: Path) -> tuple[SectionTemplate, ...]:
    """Read and compile a team's section templates.

    Args:
        folder: The team's folder, such as `runbooks/checkout`; its templates are in
            `sections/` there. A team without that folder has none.

    Returns:
        The templates, in name order.

    Raises:
        CatalogError: A file in the folder is not named `NAME.md.j2`, uses a reserved
            name, cannot be read, is not UTF-8 text, or is not a valid template; carries
            every problem.
    """
    where = folder / SECTIONS
    if not where.exists():
        return ()
    if not where.is_dir():
        raise CatalogError(
            [Problem(display_path(where), 0, 0, "not a folder",
                     f"a team's section templates go in a folder named '{SECTIONS}'")]
        )  # fmt: skip
    try:
        # Hidden files (.gitkeep, an editor's swap file) are no templates and no typos.
        entries = sorted(p for p in where.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        raise CatalogError(
            [Problem(display_path(where), 0, 0, f"cannot read the folder: {exc.strerror}")]
        ) from None
    problems: list[Problem] = []
    sources: dict[str, tuple[str, str]] = {}  # File name: (text, path for messages).
    for entry in entries:
        name = entry.name.removesuffix(SUFFIX)
        if not (entry.name.endswith(SUFFIX) and NAME.fullmatch(name) and entry.is_file()):
            problems.append(
                Problem(display_path(entry), 0, 0,
                        f"{entry.name!r} is not a section template name", _NAME_HINT)
            )  # fmt: skip
        elif name in RESERVED_NAMES:
            problems.append(
                Problem(display_path(entry), 0, 0,
                        f"section name {name!r} is reserved: its sections would take the IDs "
                        f"of the runbook's own '{name}-...' sections",
                        "choose another name, such as 'dashboards' or 'escalation-notes'")
            )  # fmt: skip
        else:
            try:
                text = read_text(entry, None, "")
            except CatalogError as exc:
                problems.extend(exc.problems)
            else:
                sources[entry.name] = (text, display_path(entry))
    env = _sandbox(sources)
    texts = {path: text for text, path in sources.values()}
    templates: list[SectionTemplate] = []
    for file, (text, path) in sources.items():
        try:
            template = env.get_template(file)  # Compiled now: a syntax error fails early.
        except jinja2.TemplateSyntaxError as exc:
            problems.append(_problem(exc, path, texts))
        else:
            templates.append(SectionTemplate(file.removesuffix(SUFFIX), path, text, template))
    if problems:
        raise CatalogError(problems)
    return tuple(templates)


def render_sections(
    templates: Sequence[SectionTemplate], team: Team
) -> dict[str, list[tuple[str, str]]]:
    """Render a team's section templates for every code in its scope.

    Args:
        templates: The team's templates, from `load_sections`.
        team: The team's answers.

    Returns:
        For each code that has any, its sections as (section ID, Markdown) pairs, in
        template name order. A template whose output is blank for a code adds no
        section for it, so a template can cover only some codes.

    Raises:
        CatalogError: A template failed for some code (an undefined name, an unsafe
            attribute, any other error), or its output holds a marker line; one problem
            per template, for the first code it failed for.
    """
    sections: dict[str, list[tuple[str, str]]] = {}
    problems: list[Problem] = []
    texts = {t.path: t.source for t in templates}
    for section in templates:
        for code in team.codes:
            section_id = f"{section.name}-{code.code}"
            try:
                text = section.template.render(code=code, team=team)
            except Exception as exc:  # The team's code may raise anything: say where.
                problems.append(_problem(exc, section.path, texts, code))
                break
            if len(text) > _BoundedSandbox.LIMIT:
                # Filters such as `center` and `format` can make text as long as they are
                # asked to; a section of a runbook is never this long.
                problems.append(
                    Problem(section.path, 1, 1,
                            f"the section for code {code.code!r} is {len(text):,} characters "
                            f"long, more than {_BoundedSandbox.LIMIT:,}",
                            "write a shorter section")
                )  # fmt: skip
                break
            text = text.strip("\n")
            marker = next((n for n in text.splitlines() if n.lstrip().startswith(_MARKER)), None)
            if marker is not None:
                problems.append(_marker_problem(section, code, marker))
                break
            if text.strip():
                sections.setdefault(code.code, []).append((section_id, text))
    if problems:
        raise CatalogError(problems)
    return sections


class _BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with `*` and `**` bounded: `{{ "x" * 10**10 }}` would fill memory."""

    intercepted_binops = frozenset({"*", "**"})
    LIMIT = 1_000_000

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse a product or power that would hold more than `LIMIT` items or digits."""
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"an exponent of {right} is too large for a runbook")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                if sized and len(seq) * times > self.LIMIT:
                    raise SecurityError("a repetition this long is too large for a runbook")
        return super().call_binop(context, operator, left, right)


def _sandbox(sources: dict[str, tuple[str, str]]) -> SandboxedEnvironment:
    """A sandbox set up as `build_environment`, loading only the team's templates."""

    def load(file: str) -> tuple[str, str, Any] | None:
        # The file's path as its template's filename: Jinja puts it in tracebacks, where
        # `_problem` finds the line an error came from.
        found = sources.get(file)
        return (found[0], found[1], lambda: True) if found else None

    package = build_environment()
    # Everything a template sees (`code`, `team`) is frozen, made of tuples: the plain
    # sandbox, which lets a template build its own lists, cannot change a shared value.
    env = _BoundedSandbox(
        loader=jinja2.FunctionLoader(load),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
        autoescape=True,
        finalize=_finalize,
    )
    env.filters.update(package.filters)
    # `safe` would let a catalog value reach the page unescaped, as raw HTML: a value
    # is safe only as one of the project's filters writes it.
    del env.filters["safe"]
    return env


def _finalize(value: Any) -> Any:
    """Escape a value no filter made safe, as `build_environment`'s Markdown pages do."""
    return value if isinstance(value, Markup) else markdown.literal(str(value))


def _problem(
    exc: BaseException, path: str, texts: Mapping[str, str], code: ErrorCode | None = None
) -> Problem:
    """Place a template's failure at its file and line, saying what is wrong.

    `texts` holds the text of each of the team's templates by path: the one that failed
    may be another than `path`, which included it.
    """
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where, line = exc.filename or path, exc.lineno
    else:
        # Jinja rewrites tracebacks so that template lines appear as frames of their own;
        # an included template's frame comes after the one that includes it.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in texts]
        where, line = (frames[-1].filename, frames[-1].lineno or 0) if frames else (path, 0)
    source = texts.get(where, "")
    for_code = f" for code {code.code!r}" if code else ""
    # A syntax error's str() may add its place and source line: the message alone.
    said = (exc.message if isinstance(exc, jinja2.TemplateError) else str(exc)) or ""
    said = said.rstrip(".")
    if isinstance(exc, jinja2.TemplateSyntaxError) and "No filter named" in said:
        message = f"template syntax error: {said}"
        hint = "use the project's filters (inline, block, cell, literal, code...) or Jinja's" + (
            "; not 'safe': a value is safe only as a project filter writes it"
            if "'safe'" in said
            else ""
        )
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        message = f"template syntax error: {said}"
        hint = "check the tags ({% ... %}) and expressions ({{ ... }}) on this line"
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = f"no section template {exc.name!r} to include{for_code}"
        hint = "a section template can include the team's other section templates only"
    elif isinstance(exc, SecurityError):
        message = f"unsafe in a section template{for_code}: {said}"
        hint = _CONTEXT_HINT + "; names starting with '_' and Python internals are out of reach"
    elif isinstance(exc, jinja2.UndefinedError):
        message = f"undefined{for_code}: {said}"
        hint = _CONTEXT_HINT + "; a field a code may lack needs {% if code.FIELD %}"
    elif isinstance(exc, RecursionError):
        message = f"the template includes or calls itself without end{for_code}"
        hint = "remove the include or macro call that repeats"
    else:
        message = f"cannot render the template{for_code}: {type(exc).__name__}: {exc}"
        hint = ""
    return Problem(where, line, _column(said, line, source) if line else 0, message, hint)


def _column(message: str, line: int, source: str) -> int:
    """Guess the column of an error on a template line; Jinja reports lines only.

    The first name quoted in the message (`'titel'`, `'__class__'`) found on the line
    as a whole word, when the line's text is at hand; else the line's first column.
    """
    lines = _lines(source)
    if not 0 < line <= len(lines):
        return 1
    for name in re.findall(r"'([^'\n]+)'", message):
        found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lines[line - 1])
        if found:
            return found.start() + 1
    return 1


def _lines(source: str) -> list[str]:
    """A template's lines as Jinja numbers them: split at line breaks only."""
    return re.split(r"\r\n|\r|\n", source)


def _marker_problem(section: SectionTemplate, code: ErrorCode, marker: str) -> Problem:
    """A marker line in a section's output, placed at the template line that writes it."""
    line, column = 0, 0  # A marker put together from parts is placed at the file.
    for number, text in enumerate(_lines(section.source), start=1):
        at = text.find(_MARKER) if _MARKER in text else text.find("zofdocs:")
        if at >= 0:
            line, column = number, at + 1
            break
    return Problem(
        section.path,
        line,
        column,
        f"the section for code {code.code!r} writes a zofdocs marker line "
        f"({marker.strip()!r}), which would break the runbook's generated sections",
        "remove the marker; the generator writes each section's markers itself",
    )
