"""What the checker reports: its rules, its findings, and how they are printed.

Each rule carries an example of the mistake it catches and the fix, which the site's
Checks page shows and the tests run, so the documentation of a rule cannot drift from
what it does.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from zofdocs.errors import Problem, Severity

__all__ = [
    "EXAMPLE_RULES",
    "FORMATS",
    "RULES",
    "Rule",
    "finding",
    "format_findings",
    "measured_quality",
    "preview_notice",
]


@dataclass(frozen=True)
class Rule:
    """A check, as the Checks page documents it.

    Attributes:
        id: Its identifier, such as `ZOF201`.
        name: A short name, such as `wrong-spelling`.
        severity: `error` fails the check; `warning` is reported without failing it.
        summary: What it checks.
        bad: A Markdown line that breaks the rule.
        good: The same line, fixed.
    """

    id: str
    name: str
    severity: Severity
    summary: str
    bad: str
    good: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "ZOF001", "undocumented", "error",
            "Every status and code in the catalog has its anchor on the Errors reference and "
            "a page of its own.",
            "(a code's page missing from the generated site)",
            "(every code has errors/codes/CODE.md)",
        ),
        Rule(
            "ZOF101", "unknown-code", "error",
            "A code in a JSON error example, in inline code, or a snake_case word in prose "
            "that is nearly a code, exists in the catalog.",
            'Branch on `invalid_reqest` rather than on the message.',
            'Branch on `invalid_request` rather than on the message.',
        ),
        Rule(
            "ZOF102", "deprecated-code", "error",
            "Prose does not tell readers to use a deprecated code; it names the replacement.",
            "Clients should branch on `missing_api_key`.",
            "Clients should branch on `invalid_api_key`.",
        ),
        Rule(
            "ZOF103", "unknown-status", "error",
            "An HTTP status named in prose (such as `HTTP 418`) is one the API returns.",
            "The API answers HTTP 418 when the body is empty.",
            "The API answers HTTP 400 when the body is empty.",
        ),
        Rule(
            "ZOF104", "wrong-status-text", "error",
            "A status number followed by its reason phrase uses the catalog's phrase.",
            "Back off on 429 Too many requests.",
            "Back off on 429 Too Many Requests.",
        ),
        Rule(
            "ZOF201", "wrong-spelling", "error",
            "A known wrong spelling of a Console label is written as the Console shows it.",
            "Open the Admin Centre to rotate keys.",
            "Open the Admin Center to rotate keys.",
        ),
        Rule(
            "ZOF202", "wrong-case", "error",
            "A Console label of several words, or an abbreviation, keeps the Console's case.",
            "Check the Quality Areas page.",
            "Check the Quality areas page.",
        ),
        Rule(
            "ZOF203", "unknown-label", "error",
            "Bold UI text or a step of a Console path that is nearly a label is the label.",
            "Open **Admin Centr** first.",
            "Open **Admin Center** first.",
        ),
        Rule(
            "ZOF204", "wrong-path", "error",
            "A Console path `A → B` is the path the glossary gives for B.",
            "Open **Quality areas → Runs**.",
            "Open **Operate → Runs**.",
        ),
        Rule(
            "ZOF205", "wrong-separator", "error",
            "Steps of a Console path are joined with ` → `.",
            "Open **Admin Center > API keys**.",
            "Open **Admin Center → API keys**.",
        ),
        Rule(
            "ZOF206", "unused-label", "warning",
            "Every glossary label is used somewhere in the docs or runbooks.",
            "(a glossary entry no page mentions)",
            "(use the label, or remove the entry)",
        ),
        Rule(
            "ZOF301", "invalid-json", "error",
            "A fenced JSON block parses.",
            '```json\n{"error": {"code": "rate_limited",}}\n```',
            '```json\n{"error": {"code": "rate_limited", "message": "Slow down."}}\n```',
        ),
        Rule(
            "ZOF302", "bad-error-shape", "error",
            "A JSON error example has the response shape: error.code and error.message "
            "strings, an optional error.param, nothing else.",
            '```json\n{"error": {"code": "rate_limited", "msg": "Slow down."}}\n```',
            '```json\n{"error": {"code": "rate_limited", "message": "Slow down."}}\n```',
        ),
        Rule(
            "ZOF303", "bad-param", "error",
            "A JSON error example's error.param is a parameter its code can name.",
            '```json\n{"error": {"code": "invalid_request", "message": "Bad.", '
            '"param": "colour"}}\n```',
            '```json\n{"error": {"code": "invalid_request", "message": "Bad.", '
            '"param": "environment"}}\n```',
        ),
        Rule(
            "ZOF401", "stale-runbook", "error",
            "Every team runbook is up to date with the catalog and its answers.",
            "(a runbook whose generated sections predate a catalog change)",
            "(run `zofdocs runbook update TEAM`)",
        ),
    )
}  # fmt: skip
"""Every rule, by identifier."""


EXAMPLE_RULES = tuple(rule.id for rule in RULES.values() if not rule.bad.startswith("("))
"""The rules whose bad example is Markdown, which `zofdocs.check.rule_examples` checks,
in order."""


def measured_quality() -> dict[str, Any] | None:
    """The checker's recall on seeded mistakes and its precision, as last measured.

    Returns:
        The figures `bench/check_quality.py --site` wrote, or None when there are none.
    """
    from importlib import resources  # Here: `zofdocs --help` needs none of it.

    from zofdocs.layout import CHECK_QUALITY

    try:
        text = resources.files("zofdocs").joinpath(CHECK_QUALITY).read_text("utf-8")
    except FileNotFoundError:
        return None
    figures: dict[str, Any] = json.loads(text)
    return figures


def finding(
    path: str,
    line: int,
    column: int,
    rule: str,
    message: str,
    hint: str = "",
    fix: tuple[int, int, str] | None = None,
) -> Problem:
    """A checker finding: a `Problem` that names its rule, with the rule's severity.

    Args:
        path: The file.
        line: 1-based line; 0 for the file as a whole.
        column: 1-based column; 0 for the file as a whole.
        rule: The rule's identifier, a key of `RULES`.
        message: What is wrong.
        hint: What to write instead.
        fix: The unambiguous fix, as (start, end, text) offsets in the file, if any.

    Returns:
        The finding.
    """
    return Problem(path, line, column, message, hint, rule, RULES[rule].severity, fix)


def _github(finding: Problem) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:  # Property values escape ':' and ',' as well.
        return escape(text).replace(":", "%3A").replace(",", "%2C")

    level = "error" if finding.severity == "error" else "warning"
    place = f"file={prop(finding.path)}"
    if finding.line:
        place += f",line={finding.line},col={finding.column}"
    hint = f" (hint: {finding.hint})" if finding.hint else ""
    rule = RULES[finding.rule]
    title = prop(f"{rule.id} {rule.name}")
    return f"::{level} {place},title={title}::{escape(finding.message + hint)}"


def format_findings(findings: list[Problem], fmt: str) -> str:
    """Print findings for people (`text`), tools (`json`) or GitHub Actions (`github`).

    Args:
        findings: The findings, in order.
        fmt: One of `FORMATS`.

    Returns:
        The report, ending with a newline unless empty.
    """
    if fmt == "json":
        records = [
            {
                **asdict(f),
                "name": RULES[f.rule].name,
                # Offsets into the file (characters), and the text to put there.
                "fix": dict(zip(("start", "end", "text"), f.fix, strict=True)) if f.fix else None,
            }
            for f in findings
        ]
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    lines = [_github(f) if fmt == "github" else str(f) for f in findings]
    return "".join(line + "\n" for line in lines)


FORMATS = ("text", "json", "github")
"""The output formats of `zofdocs check`."""


def preview_notice(findings: list[Problem], note: str = "") -> str:
    """Say a page's findings as an admonition for the top of its preview.

    `mkdocs serve` shows the notice instead of failing the build, so that a finding
    never freezes the preview; the strict build still fails on every finding, and
    `zofdocs check` on every error.

    Args:
        findings: The page's findings, in order.
        note: Markdown said first, such as how a stale runbook is shown.

    Returns:
        The admonition's Markdown, ending with a blank line.
    """
    from zofdocs.markdown import code, literal  # Here: `generate` forks sooner without it.

    errors = sum(f.severity == "error" for f in findings)
    count = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    lines = [f'!!! {"failure" if errors else "warning"} "zofdocs check: {count}"', ""]
    if note:
        lines += [f"    {note}", ""]
    for f in findings:
        hint = f" (hint: {literal(f.hint)})" if f.hint else ""
        lines.append(f"    - {code(f.where)} **{f.rule}** {literal(f.message)}{hint}")
    who = (
        "`mkdocs build --strict` and `zofdocs check` fail"
        if errors
        else ("`mkdocs build --strict` fails (`zofdocs check` only warns)")
    )
    them = "they are" if len(findings) > 1 else "it is"
    lines += ["", f"    {who} until {them} fixed; the preview goes on."]
    return "\n".join(lines) + "\n\n"
