"""`zofdocs runbook new` and `update`: answers, slugs, conflicts, checks, atomic writes."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, ROOT, match_goldens
from zofdocs.cli import main

FLAGS = [
    "--team-name", "Payments",
    "--service", "Payments API",
    "--owner", "Ada Lin",
    "--on-call", "payments-primary",
    "--escalation", "Payments lead",
    "--ci", "GitHub Actions",
    "--project", "staging=prj_Pay1",
    "--env-id", "staging=env_pS01",
    "--secret", "staging=ZOF_KEY_STAGING",
    "--project", "production=prj_Pay1",
    "--env-id", "production=env_pP01",
    "--secret", "production=ZOF_KEY_PRODUCTION",
    "--code", "rate_limited",
    "--code", "internal_error",
    "--last-reviewed", "2026-11-01",
]  # fmt: skip

RUNBOOK = Path("runbooks/payments/runbook.md")


@pytest.fixture
def team(catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["runbook", "new", "payments", *FLAGS]) == 0
    capsys.readouterr()
    return catalog_dir.parent


def test_new_writes_answers_and_runbook(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    assert main(["runbook", "new", "payments", *FLAGS]) == 0
    assert capsys.readouterr().out == (
        "runbooks/payments/team.yml: written\n"
        "runbooks/payments/runbook.md: written (2 error playbooks)\n"
    )
    written = {p.name: p.read_text() for p in sorted(Path("runbooks/payments").iterdir())}
    match_goldens(request, GOLDEN / "runbook-new", written)
    text = RUNBOOK.read_text()
    assert "### `rate_limited`: 429 Too Many Requests { #rate_limited }" in text
    assert "`ZOF_KEY_STAGING` (staging), `ZOF_KEY_PRODUCTION` (production)" in text
    assert "invalid_request" not in text


def test_new_refuses_an_existing_team(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = RUNBOOK.read_text()
    assert main(["runbook", "new", "payments", *FLAGS]) == 2
    assert capsys.readouterr().err == (
        "runbooks/payments: the team already exists (hint: edit its team.yml, then run "
        "'zofdocs runbook update payments'; nothing was written)\n"
    )
    assert RUNBOOK.read_text() == before


@pytest.mark.parametrize("slug", ["../x", "a/b", "", "Payments", "x-", "x--y", "a_b", "x" * 41])
def test_bad_slug_is_refused(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], slug: str
) -> None:
    assert main(["runbook", "new", slug, *FLAGS]) == 2
    assert capsys.readouterr().err == (
        f"{slug!r} is not a valid team name (hint: use lowercase letters and digits, words "
        "joined by '-', such as 'checkout' or 'payments-api'; at most 40 characters)\n"
    )
    assert not Path("runbooks").exists()


@pytest.mark.parametrize("slug", ["index", "new", "all", "con", "lpt1"])
def test_reserved_slug_is_refused(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], slug: str
) -> None:
    assert main(["runbook", "new", slug, *FLAGS]) == 2
    assert capsys.readouterr().err.startswith(f"{slug!r} is reserved (hint: choose another")


def test_missing_answers_outside_a_terminal(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["runbook", "new", "payments", "--service", "Payments API"]) == 2
    assert capsys.readouterr().err == (
        "missing answers: --team-name, --owner, --on-call, --escalation, --ci, "
        "--project staging=..., --env-id staging=..., --secret staging=..., "
        "--project production=..., --env-id production=..., --secret production=... "
        "(hint: pass them as flags, or run in a terminal to be asked)\n"
    )
    assert not Path("runbooks").exists()


def test_missing_answers_are_asked_in_a_terminal(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty line answers the environments (all of them) and the codes (all of them).
    answers = iter(["Payments", "Ada Lin", "", "payments-primary", "Payments lead", "",
                    "GitHub Actions", "", "prj_Pay1", "env_pS01", "KEY_S", "prj_Pay1",
                    "env_pP01", "KEY_P", ""])  # fmt: skip
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["runbook", "new", "payments", "--service", "Payments API"]) == 0
    team = Path("runbooks/payments/team.yml").read_text()
    assert 'owners:\n  - "Ada Lin"\n' in team
    assert 'secret: "KEY_P"' in team
    assert "The team's name, as people say it" not in capsys.readouterr().err


def test_invalid_answer_names_the_file_and_writes_nothing(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = [f.replace("=prj_Pay1", "=project-1") for f in FLAGS]
    assert main(["runbook", "new", "payments", *flags]) == 2
    assert capsys.readouterr().err == (
        "runbooks/payments/team.yml:15:17: 'environments[0].project_id' is 'project-1', which "
        "does not match ^prj_[A-Za-z0-9]{4,32}$ (hint: a project ID looks like 'prj_7Hq2')\n"
        "runbooks/payments/team.yml:19:17: 'environments[1].project_id' is 'project-1', which "
        "does not match ^prj_[A-Za-z0-9]{4,32}$ (hint: a project ID looks like 'prj_7Hq2')\n"
    )
    assert not Path("runbooks").exists()


TEAM_CASES = [
    (
        "unknown-code",
        'codes: ["rate_limited", "internal_error"]',
        'codes: ["rate_limted", "internal_error"]',
        "runbooks/payments/team.yml:24:9: unknown error code 'rate_limted' "
        "(hint: did you mean 'rate_limited'?)",
    ),
    (
        "deprecated-code",
        'codes: ["rate_limited", "internal_error"]',
        'codes: ["missing_api_key"]',
        "runbooks/payments/team.yml:24:9: error code 'missing_api_key' is deprecated "
        "(hint: use 'invalid_api_key')",
    ),
    (
        "unknown-environment",
        '  - name: "production"',
        "  - name: prod",
        "runbooks/payments/team.yml:18:11: 'environments[1].name' is 'prod', which is not an "
        "environment of the catalog (hint: did you mean 'production'?)",
    ),
    (
        "environment-twice",
        '  - name: "production"',
        "  - name: staging",
        "runbooks/payments/team.yml:18:11: environment 'staging' is listed twice "
        "(hint: list each environment once)",
    ),
    (
        "missing-owners",
        'owners:\n  - "Ada Lin"\n',
        "",
        "runbooks/payments/team.yml:6:1: the document is missing the required key 'owners' "
        "(hint: add 'owners:' (The people who own the runbook.))",
    ),
    (
        "secret-with-space",
        '"ZOF_KEY_STAGING"',
        '"ZOF KEY"',
        "runbooks/payments/team.yml:17:13: 'environments[0].secret' is 'ZOF KEY', which does "
        "not match ^[A-Za-z_][A-Za-z0-9_]*$ (hint: a secret name uses letters, digits and '_', "
        "such as 'ZOF_API_KEY_STAGING')",
    ),
    (
        "impossible-date",
        'last_reviewed: "2026-11-01"',
        'last_reviewed: "2026-02-30"',
        "runbooks/payments/team.yml:25:16: 'last_reviewed' is '2026-02-30', which is not a "
        "date (day is out of range for month) (hint: write a date of the calendar as YYYY-MM-DD)",
    ),
    (
        "date",
        'last_reviewed: "2026-11-01"',
        "last_reviewed: 1 Nov 2026",
        "runbooks/payments/team.yml:25:16: 'last_reviewed' is '1 Nov 2026', which does not "
        "match ^\\d{4}-\\d{2}-\\d{2}$ (hint: write the date as YYYY-MM-DD)",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [pytest.param(o, n, e, id=i) for i, o, n, e in TEAM_CASES]
)
def test_malformed_answers_file(
    team: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    path = Path("runbooks/payments/team.yml")
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    before = RUNBOOK.read_text()
    assert main(["runbook", "update"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [expected]
    assert "Traceback" not in captured.err
    assert RUNBOOK.read_text() == before


def change_catalog() -> None:
    errors = Path("catalog/errors.yml")
    old = "Poll less often, or use a separate key per pipeline."
    text = errors.read_text()
    assert old in text
    errors.write_text(text.replace(old, "Poll less often, and give each pipeline its own key."))


def test_update_brings_catalog_changes_and_keeps_team_text(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = RUNBOOK.read_text()
    prompt = "_To do: what Payments API does, who depends on it, and where its dashboards are._"
    RUNBOOK.write_text(text.replace(prompt, "Payments API charges cards."))
    assert main(["runbook", "update", "--check"]) == 0
    assert capsys.readouterr().out == "runbooks/payments/runbook.md: up to date\n"
    change_catalog()
    assert main(["runbook", "update", "--check"]) == 1
    assert capsys.readouterr().out == (
        "runbooks/payments/runbook.md: stale (hint: run 'zofdocs runbook update payments')\n"
    )
    before = RUNBOOK.read_text()
    assert main(["runbook", "update", "--diff"]) == 0
    diff = capsys.readouterr().out
    assert "-1. Poll less often, or use a separate key per pipeline.\n" in diff
    assert "+1. Poll less often, and give each pipeline its own key.\n" in diff
    assert RUNBOOK.read_text() == before, "--diff must write nothing"
    assert main(["runbook", "update", "payments"]) == 0
    assert capsys.readouterr().out == "runbooks/payments/runbook.md: updated\n"
    after = RUNBOOK.read_text()
    assert "Payments API charges cards." in after
    assert "give each pipeline its own key" in after
    assert main(["runbook", "update", "--check"]) == 0


def test_edit_inside_a_generated_section_is_a_conflict(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = RUNBOOK.read_text()
    RUNBOOK.write_text(
        text.replace("**Retry:** Retry after", "**Retry:** We page, then retry after")
    )
    change_catalog()
    before = RUNBOOK.read_text()
    assert main(["runbook", "update"]) == 1
    err = capsys.readouterr().err
    line = (
        before.splitlines().index(
            next(s for s in before.splitlines() if "begin playbook-rate_limited" in s)
        )
        + 1
    )
    assert err.startswith(
        f"runbooks/payments/runbook.md:{line}:1: generated section 'playbook-rate_limited' was "
        "edited; the runbook was left unchanged\n"
    )
    assert "-**Retry:** We page, then retry after" in err
    assert "zofdocs runbook update payments --keep-edits" in err
    assert "zofdocs runbook update payments --take-generated" in err
    assert RUNBOOK.read_text() == before
    assert main(["runbook", "update", "--check"]) == 1


@pytest.mark.parametrize(("flag", "kept"), [("--keep-edits", True), ("--take-generated", False)])
def test_conflict_ways_out(
    team: Path, capsys: pytest.CaptureFixture[str], flag: str, kept: bool
) -> None:
    text = RUNBOOK.read_text()
    RUNBOOK.write_text(
        text.replace("**Retry:** Retry after", "**Retry:** We page, then retry after")
    )
    change_catalog()
    assert main(["runbook", "update", "payments", flag]) == 0
    # The kept section's base is the generated text the team edited, which the catalog
    # change above has changed since.
    owned = (
        "; owns 1 section, 1 changed in the catalog since (playbook-rate_limited): "
        "see 'zofdocs runbook update payments --diff'"
        if kept
        else ""
    )
    assert capsys.readouterr().out == (
        f"runbooks/payments/runbook.md: updated, 1 edited section(s) settled{owned}\n"
    )
    after = RUNBOOK.read_text()
    assert ("We page, then retry after" in after) is kept
    assert (" owned -->" in after) is kept
    assert main(["runbook", "update", "--check"]) == 0


def test_failed_write_leaves_the_old_runbook(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    change_catalog()
    before = RUNBOOK.read_text()
    real_fdopen = os.fdopen

    def full_disk(fd: int, mode: str) -> object:
        handle = real_fdopen(fd, mode)
        handle.write(b"half a runb")
        handle.close()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("zofdocs.fileio.os.fdopen", full_disk)
    assert main(["runbook", "update"]) == 2
    assert capsys.readouterr().err.endswith("cannot write: No space left on device\n")
    assert RUNBOOK.read_text() == before
    assert sorted(p.name for p in RUNBOOK.parent.iterdir()) == ["runbook.md", "team.yml"]


def test_unknown_team(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["runbook", "update", "billing"]) == 2
    assert capsys.readouterr().err == (
        "runbooks/billing/team.yml: no such team (hint: teams: payments; create one with "
        "'zofdocs runbook new billing')\n"
    )


def test_missing_runbook_is_written_whole(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = RUNBOOK.read_text()
    RUNBOOK.unlink()
    assert main(["runbook", "update", "--check"]) == 1
    capsys.readouterr()
    assert main(["runbook", "update"]) == 0
    assert RUNBOOK.read_text() == text


@pytest.mark.shipped
def test_shipped_runbooks_are_up_to_date(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    teams = sorted(p.parent.name for p in (ROOT / "runbooks").glob("*/team.yml"))
    monkeypatch.chdir(ROOT)
    assert main(["runbook", "update", "--check"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"runbooks/{team}/runbook.md: up to date" for team in teams
    ]


def test_fixture_runbooks_are_up_to_date(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["runbook", "update", "--check"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"runbooks/{team}/runbook.md: up to date" for team in ("checkout", "mobile", "platform")
    ]


def test_crlf_and_byte_order_mark_are_kept(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = RUNBOOK.read_text()
    RUNBOOK.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert main(["runbook", "update", "--check"]) == 0, "line endings alone are no edit"
    change_catalog()
    assert main(["runbook", "update"]) == 0
    capsys.readouterr()
    data = RUNBOOK.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n"), "every line keeps its CRLF"
    assert b"give each pipeline its own key" in data
    assert main(["runbook", "update", "--check"]) == 0


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        pytest.param(
            lambda p: p.write_bytes(p.read_bytes() + b"Caf\xe9\n"),
            "runbooks/payments/runbook.md: not UTF-8 text (invalid continuation byte) "
            "(hint: save the runbook as UTF-8)",
            id="not-utf8",
        ),
        pytest.param(
            lambda p: (p.unlink(), p.mkdir()),
            "runbooks/payments/runbook.md: cannot read the runbook: Is a directory",
            id="folder",
        ),
    ],
)
def test_unreadable_runbook_is_a_clean_error(
    team: Path, capsys: pytest.CaptureFixture[str], damage: object, expected: str
) -> None:
    damage(RUNBOOK)  # type: ignore[operator]
    assert main(["runbook", "update"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [expected]
    assert main(["check"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_named_folder_that_does_not_exist(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["runbook", "update", "--check", "--runbooks", "runbok"]) == 2
    assert capsys.readouterr().err == "runbok: no such folder (hint: check --runbooks)\n"
    assert main(["check", "--templates", "nowhere"]) == 2
    assert capsys.readouterr().err == "nowhere: no such folder (hint: check --templates)\n"


def test_any_code_the_catalog_accepts_makes_a_runbook_section(
    catalog_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Section markers are named after codes; an uppercase one broke every command.
    errors = catalog_dir / "errors.yml"
    errors.write_text(errors.read_text().replace("rate_limited", "Rate.Limited-2"))
    # Without --code the team covers every code. (The answers file's own pattern for a
    # code is still Zof's lowercase one: issue 12.)
    flags = [f for i, f in enumerate(FLAGS) if "--code" not in FLAGS[max(i - 1, 0) : i + 1]]
    assert main(["runbook", "new", "payments", *flags]) == 0
    assert "<!-- zofdocs:begin playbook-Rate.Limited-2 sha=" in RUNBOOK.read_text()
    assert main(["runbook", "update", "--check"]) == 0
    capsys.readouterr()


def test_a_code_with_only_a_title_makes_a_runbook_section(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by tests/test_property_catalogs.py: a code without status, description or
    # retry, as imported codes are, broke every runbook covering it; without only a
    # description, with a traceback.
    errors = project / "catalog" / "errors.yml"
    codes = (
        "\ncodes:\n  - code: bare\n    title: Bare\n"
        "  - code: plain\n    status: 400\n    title: Plain\n"
    )
    errors.write_text(errors.read_text().replace("\ncodes:\n", codes, 1))
    assert main(["runbook", "update", "checkout"]) == 0
    text = (project / "runbooks" / "checkout" / "runbook.md").read_text()
    assert "| [`bare`](#bare) |  |  |\n" in text
    assert "**What it means:** Plain. See [plain](../errors/codes/plain.md).\n" in text
    section = text[text.index("### `bare`") : text.index("<!-- zofdocs:end playbook-bare")]
    assert section.startswith("### `bare` { #bare }\n")
    assert "**What it means:** Bare. See [bare](../errors/codes/bare.md).\n" in section
    assert "**Retry:**" not in section
    capsys.readouterr()


def test_a_runbook_for_an_imported_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Found by tests/test_property_catalogs.py: an imported catalog's glossary has no
    # labels, and the runbook looked up the ones it names (staging, RBAC...): `runbook
    # new` failed on every imported catalog, with a message placed in no file.
    monkeypatch.chdir(tmp_path)
    Path("errcodes.txt").write_text(
        "Section: Class 22 - Data Exception\n"
        "22P02    E    ERRCODE_INVALID_TEXT_REPRESENTATION    invalid_text_representation\n"
    )
    assert main(["import", "postgres", "errcodes.txt", "--out", "catalog"]) == 0
    flags = [f for i, f in enumerate(FLAGS) if "--code" not in FLAGS[max(i - 1, 0) : i + 1]]
    assert main(["runbook", "new", "payments", *flags]) == 0
    text = RUNBOOK.read_text()
    assert "| staging | `prj_Pay1` | `env_pS01` | `ZOF_KEY_STAGING` |" in text
    # The catalog declares no Console labels for runbooks: the sentences leave them out.
    assert "1. Check the organization membership and the role of whoever owns the key.\n" in text
    assert "Automation needs" not in text
    assert "Copy the IDs from" not in text
    assert "### `22P02` { #22P02 }" in text
    capsys.readouterr()
    # The import writes the index's `runbooks` section, so the runbook is published.
    assert main(["generate", "--out", "site"]) == 0
    assert "### `22P02` { #22P02 }" in Path("site/runbooks/payments.md").read_text()
    # Without the section, publishing says so at the file, not as a template's failure.
    pages = Path("catalog/pages.yml")
    text = pages.read_text()
    pages.write_text(text[: text.index("runbooks:")] + text[text.index("helpful:") :])
    capsys.readouterr()
    assert main(["generate", "--out", "site"]) == 2
    assert capsys.readouterr().err == (
        "catalog/pages.yml:5:1: there are team runbooks to publish "
        "(runbooks/payments/runbook.md), but no 'runbooks' section for their index "
        "(hint: add 'runbooks:' with title, summary and intro, or publish no runbooks)\n"
    )


# Team-owned sections: kept with --keep-edits, reported, and handed back. These use the
# fixture project's checkout team, which covers every code.
CHECKOUT = Path("runbooks/checkout/runbook.md")
OWNED = "playbook-rate_limited"
TEAM_LINE = "Checkout's own note: page #checkout-oncall before any retry.  \n"


def own_rate_limited(capsys: pytest.CaptureFixture[str]) -> None:
    """Edit checkout's rate_limited playbook, with a team line after it, and keep the edit."""
    assert main(["runbook", "update", "checkout"]) == 0  # Start from a current runbook.
    text = CHECKOUT.read_text()
    end = f"<!-- zofdocs:end {OWNED} -->\n"
    assert "**Retry:** Retry after" in text
    assert end in text
    text = text.replace("**Retry:** Retry after", "**Retry:** We page, then retry after")
    CHECKOUT.write_text(text.replace(end, end + "\n" + TEAM_LINE))
    assert main(["runbook", "update", "checkout", "--keep-edits"]) == 0
    assert f"begin {OWNED} sha=" in CHECKOUT.read_text()
    assert main(["runbook", "update", "checkout", "--check"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "runbooks/checkout/runbook.md: up to date; owns 1 section, none changed in the "
        "catalog since"
    )


def begin_line(text: str, section: str) -> int:
    """The 1-based line of a section's begin marker."""
    return text[: text.index(f"<!-- zofdocs:begin {section} ")].count("\n") + 1


def outside(text: str, section: str) -> tuple[str, str]:
    """The text before a section's begin marker, and after its end marker."""
    begin = text.index(f"<!-- zofdocs:begin {section} ")
    end = text.index(f"<!-- zofdocs:end {section} -->")
    return text[:begin], text[end:]


def test_owned_section_changed_in_the_catalog_is_reported_and_handed_back(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own_rate_limited(capsys)
    change_catalog()
    changed = (
        "runbooks/checkout/runbook.md: up to date; owns 1 section, 1 changed in the catalog "
        f"since ({OWNED})"
    )
    # Owning a section is the team's choice: --check reports it, and does not fail.
    assert main(["runbook", "update", "checkout", "--check"]) == 0
    assert capsys.readouterr().out == f"{changed}: see 'zofdocs runbook update checkout --diff'\n"
    before = CHECKOUT.read_bytes()
    assert main(["runbook", "update", "checkout"]) == 0
    assert capsys.readouterr().out == f"{changed}: see 'zofdocs runbook update checkout --diff'\n"
    assert CHECKOUT.read_bytes() == before, "an update never rewrites an owned section"
    # --diff shows the catalog's change to the owned section, headed as not applied.
    assert main(["runbook", "update", "checkout", "--diff"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"{changed}: diff below; to take the generated text: "
        f"'zofdocs runbook handback checkout {OWNED}'\n"
        f"runbooks/checkout/runbook.md:{begin_line(before.decode(), OWNED)}: team-owned "
        f"section '{OWNED}': the catalog changed it since the team took "
        "it over; NOT applied"
    )
    assert f"--- runbooks/checkout/runbook.md ({OWNED}, team-owned)\n" in out
    assert f"+++ runbooks/checkout/runbook.md ({OWNED}, generated)\n" in out
    assert "-1. Poll less often, or use a separate key per pipeline.\n" in out
    assert "+1. Poll less often, and give each pipeline its own key.\n" in out
    assert "-**Retry:** We page, then retry after" in out
    assert CHECKOUT.read_bytes() == before
    # handback --diff shows the same diff, and writes nothing.
    assert main(["runbook", "handback", "checkout", OWNED, "--diff"]) == 0
    out = capsys.readouterr().out
    assert "+1. Poll less often, and give each pipeline its own key.\n" in out
    assert "-**Retry:** We page, then retry after" in out
    assert out.endswith(
        f"runbooks/checkout/runbook.md: would hand back {OWNED} to the generator; nothing written\n"
    )
    assert CHECKOUT.read_bytes() == before
    # handback writes the generated text, sealed, and leaves every other byte.
    assert main(["runbook", "handback", "checkout", OWNED]) == 0
    out = capsys.readouterr().out
    assert "+1. Poll less often, and give each pipeline its own key.\n" in out
    assert out.endswith(f"runbooks/checkout/runbook.md: handed back {OWNED} to the generator\n")
    after = CHECKOUT.read_text()
    assert f"<!-- zofdocs:begin {OWNED} sha=" in after
    assert " owned -->" not in after
    assert "give each pipeline its own key" in after
    assert "We page" not in after
    head, tail = outside(before.decode(), OWNED)
    new_head, new_tail = outside(after, OWNED)
    assert (new_head, new_tail) == (head, tail)
    assert f"<!-- zofdocs:end {OWNED} -->\n\n{TEAM_LINE}" in after
    assert main(["runbook", "update", "checkout", "--check"]) == 0
    assert capsys.readouterr().out == "runbooks/checkout/runbook.md: up to date\n"


def test_handback_of_an_unknown_or_generated_section_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own_rate_limited(capsys)
    change_catalog()
    before = CHECKOUT.read_bytes()
    line = begin_line(before.decode(), "playbook-internal_error")
    args = ["runbook", "handback", "checkout", "playbook-rate_limted", "playbook-internal_error"]
    for flags in ([], ["--diff"]):
        assert main([*args, *flags]) == 2
        captured = capsys.readouterr()
        assert captured.out == "", "no diff is shown when the command is refused"
        assert captured.err == (
            "runbooks/checkout/runbook.md: no section 'playbook-rate_limted' in the runbook "
            f"(hint: team-owned sections: {OWNED})\n"
            f"runbooks/checkout/runbook.md:{line}:1: section 'playbook-internal_error' is not "
            f"team-owned: it is generated already (hint: team-owned sections: {OWNED})\n"
        )
        assert CHECKOUT.read_bytes() == before
    # Sections, or --all: one of them.
    assert main(["runbook", "handback", "checkout"]) == 2
    assert capsys.readouterr().err.startswith("name the team-owned sections to hand back")
    assert CHECKOUT.read_bytes() == before


def test_take_generated_leaves_owned_sections_and_names_handback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own_rate_limited(capsys)
    change_catalog()
    before = CHECKOUT.read_bytes()
    assert main(["runbook", "update", "checkout", "--take-generated"]) == 0
    assert capsys.readouterr().out == (
        "runbooks/checkout/runbook.md: up to date; owns 1 section, 1 changed in the catalog "
        f"since ({OWNED}): --take-generated leaves team-owned sections as they are; to take "
        f"the generated text: 'zofdocs runbook handback checkout {OWNED}'\n"
    )
    assert CHECKOUT.read_bytes() == before


def test_old_owned_marker_counts_as_changed_and_hands_back_with_all(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["runbook", "update", "checkout"]) == 0
    text = CHECKOUT.read_text()
    start = text.index("<!-- zofdocs:begin playbook-internal_error sha=")
    marker = text[start : text.index("\n", start)]
    # The form written before owned markers recorded their base: the base is unknown.
    old_form = "<!-- zofdocs:begin playbook-internal_error owned -->"
    CHECKOUT.write_text(text.replace(marker, old_form))
    capsys.readouterr()
    assert main(["runbook", "update", "checkout", "--check"]) == 0
    assert capsys.readouterr().out == (
        "runbooks/checkout/runbook.md: up to date; owns 1 section, 1 changed in the catalog "
        "since (playbook-internal_error): see 'zofdocs runbook update checkout --diff'\n"
    )
    assert main(["runbook", "handback", "checkout", "--all"]) == 0
    assert capsys.readouterr().out == (
        f"runbooks/checkout/runbook.md:{begin_line(text, 'playbook-internal_error')}: "
        "'playbook-internal_error': the team's text is the generated text\n"
        "runbooks/checkout/runbook.md: handed back playbook-internal_error to the generator\n"
    )
    assert CHECKOUT.read_text() == text


def test_owned_section_no_longer_generated_is_left_to_the_team(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own_rate_limited(capsys)
    answers = Path("runbooks/checkout/team.yml")
    scope = answers.read_text().replace("# codes: [", 'codes: ["internal_error"]  # [', 1)
    assert scope != answers.read_text()
    answers.write_text(scope)
    assert main(["runbook", "update", "checkout", "--check"]) == 1
    assert capsys.readouterr().out.endswith(
        f"owns 1 section, 1 changed in the catalog since ({OWNED} (no longer generated)): "
        "see 'zofdocs runbook update checkout --diff'\n"
    )
    before = CHECKOUT.read_bytes()
    assert main(["runbook", "handback", "checkout", OWNED]) == 2
    err = capsys.readouterr().err
    assert f"team-owned section '{OWNED}' is no longer generated" in err
    assert "delete it by hand, markers included" in err
    assert main(["runbook", "handback", "checkout", "--all"]) == 0
    captured = capsys.readouterr()
    assert f"'{OWNED}' is no longer generated; left as it is" in captured.err
    assert captured.out == (
        "runbooks/checkout/runbook.md: no team-owned section to hand back; nothing written\n"
    )
    assert CHECKOUT.read_bytes() == before


def test_handback_keeps_crlf_and_byte_order_mark(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own_rate_limited(capsys)
    change_catalog()
    data = b"\xef\xbb\xbf" + CHECKOUT.read_bytes().replace(b"\n", b"\r\n")
    CHECKOUT.write_bytes(data)
    assert main(["runbook", "handback", "checkout", OWNED]) == 0
    capsys.readouterr()
    after = CHECKOUT.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert after.count(b"\n") == after.count(b"\r\n"), "every line keeps its CRLF"
    assert b"give each pipeline its own key" in after
    head, tail = outside(data.decode(), OWNED)
    assert outside(after.decode(), OWNED) == (head, tail)
    assert main(["runbook", "update", "checkout", "--check"]) == 0


def test_runbooks_index_shows_owned_sections(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own_rate_limited(capsys)
    change_catalog()
    assert main(["generate", "--out", "site"]) == 0
    index = Path("site/runbooks/index.md").read_text()
    row = next(line for line in index.splitlines() if line.startswith("| Checkout |"))
    status = ":material-check: up to date · owns 1 section (1 changed in the catalog)"
    assert row.endswith(f" | {status} |")
    assert "`zofdocs runbook handback TEAM SECTION`" in index
    others = [s for s in index.splitlines() if s.startswith(("| Mobile |", "| Platform |"))]
    assert len(others) == 2
    assert not any("owns" in line for line in others)
