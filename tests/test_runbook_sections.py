"""A team's own section templates (`runbooks/TEAM/sections/NAME.md.j2`).

Each is rendered for every code in scope, right after the code's playbook, under the
ownership contract of every generated section; a broken one is a message at its file and
line, from `runbook update` and from the site build, with nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_runbook_cli import FLAGS
from zofdocs.cli import main
from zofdocs.runbooks.markers import Block, parse

TEAM = Path("runbooks/checkout")
RUNBOOK = TEAM / "runbook.md"
SECTIONS = TEAM / "sections"

DASHBOARDS = """\
{#- Where Checkout watches each code. -#}
**Dashboards for {{ code.code | code }}** ({{ code.title | inline }}), on call: {{ team.on_call }}

{% for line in code.fixes %}
- [ ] {{ line | inline }}
{% endfor %}
"""


@pytest.fixture
def checkout(project: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The fixture project with every runbook current, before any section template."""
    assert main(["runbook", "update"]) == 0
    capsys.readouterr()
    return project


def write_section(name: str, text: str | bytes) -> Path:
    SECTIONS.mkdir(exist_ok=True)
    path = SECTIONS / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def blocks(text: str) -> dict[str, Block]:
    return {s.id: s for s in parse(text, "runbook.md") if isinstance(s, Block)}


def order(text: str) -> list[str]:
    return [s.id for s in parse(text, "runbook.md") if isinstance(s, Block)]


def change_catalog() -> None:
    errors = Path("catalog/errors.yml")
    old = "Poll less often, or use a separate key per pipeline."
    text = errors.read_text()
    assert old in text
    errors.write_text(text.replace(old, "Poll less often, and give each pipeline its own key."))


def update(*args: str) -> int:
    return main(["runbook", "update", *args])


def test_a_section_under_every_playbook(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = RUNBOOK.read_text()
    playbooks = [i.removeprefix("playbook-") for i in order(before) if i.startswith("playbook-")]
    assert "rate_limited" in playbooks
    assert "missing_api_key" not in playbooks, "the fixture's deprecated code is out of scope"
    write_section("dashboards.md.j2", DASHBOARDS)
    write_section("alerts.md.j2", "Alert on {{ code.code | code }}.\n")
    assert update("checkout") == 0
    assert capsys.readouterr().out == "runbooks/checkout/runbook.md: updated\n"
    after = RUNBOOK.read_text()
    # In render order: each playbook, then the team's sections for it in name order.
    expected: list[str] = []
    for i in order(before):
        expected.append(i)
        if i.startswith("playbook-"):
            expected += [f"alerts-{i[9:]}", f"dashboards-{i[9:]}"]
    assert order(after) == expected
    found = blocks(after)
    for code in playbooks:
        assert (
            f"<!-- zofdocs:end playbook-{code} -->\n\n<!-- zofdocs:begin alerts-{code} sha="
            in after
        )
        assert found[f"alerts-{code}"].content == f"\nAlert on `{code}`.\n\n"
        assert not found[f"dashboards-{code}"].edited, "sealed with the digest of its text"
    assert found["dashboards-rate_limited"].content == (
        "\n**Dashboards for `rate_limited`** (Rate limited), on call: checkout-primary "
        "(PagerDuty)\n\n"
        "- [ ] Wait as long as `Retry-After` says before the next request.\n"
        "- [ ] Poll less often, or use a separate key per pipeline.\n\n"
    )
    # Every byte of the runbook as it was is kept: the sections are only inserted.
    stripped = after
    for code in playbooks:
        for name in ("alerts", "dashboards"):
            stripped = stripped.replace("\n" + found[f"{name}-{code}"].text(), "", 1)
    assert stripped == before
    assert update("--check", "checkout") == 0
    # A fresh runbook (no file yet) has the same sections, sealed alike.
    RUNBOOK.unlink()
    assert update("checkout") == 0
    fresh = blocks(RUNBOOK.read_text())
    assert order(RUNBOOK.read_text()) == expected
    assert {k: (b.content, b.sha) for k, b in fresh.items()} == {
        k: (b.content, b.sha) for k, b in found.items()
    }


def test_a_template_blank_for_a_code_adds_no_section(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_section("retry.md.j2", "{% if code.status.status == 429 %}Back off.{% endif %}\n")
    assert update("checkout") == 0
    ids = [i for i in order(RUNBOOK.read_text()) if i.startswith("retry-")]
    assert ids == ["retry-rate_limited"]
    capsys.readouterr()


def test_custom_section_follows_a_catalog_change(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_section("dashboards.md.j2", DASHBOARDS)
    assert update("checkout") == 0
    end = "<!-- zofdocs:end dashboards-rate_limited -->\n"
    team_line = "Our own note: the 429 graph lags by 5 minutes.  \n"
    RUNBOOK.write_text(RUNBOOK.read_text().replace(end, end + "\n" + team_line, 1))
    assert update("--check", "checkout") == 0, "a team line outside the markers is no change"
    change_catalog()
    assert update("--check", "checkout") == 1
    capsys.readouterr()
    assert update("checkout") == 0
    assert capsys.readouterr().out == "runbooks/checkout/runbook.md: updated\n"
    after = RUNBOOK.read_text()
    found = blocks(after)
    for section in ("playbook-rate_limited", "dashboards-rate_limited"):
        assert "give each pipeline its own key" in found[section].content
        assert "a separate key per pipeline" not in found[section].content
    assert end + "\n" + team_line in after, "the team's line stays, byte for byte, in place"
    assert update("--check", "checkout") == 0


def test_editing_the_template_rewrites_its_sections(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = RUNBOOK.read_text()
    template = write_section("dashboards.md.j2", DASHBOARDS)
    assert update("checkout") == 0
    template.write_text(DASHBOARDS + "\nOwned by {{ team.team }}.\n")
    assert update("--check", "checkout") == 1
    capsys.readouterr()
    assert update("checkout") == 0
    found = blocks(RUNBOOK.read_text())
    sections = [b for i, b in found.items() if i.startswith("dashboards-")]
    assert sections
    assert all(b.content.endswith("\nOwned by Checkout.\n\n") for b in sections)
    # Without the template its sections are no longer generated: they go, unedited.
    # (The blank line each was inserted after is team text now, and stays.)
    template.unlink()
    assert update("checkout") == 0
    assert "\n\n\n" not in original
    assert RUNBOOK.read_text().replace("\n\n\n", "\n\n") == original
    capsys.readouterr()


def test_an_edited_custom_section_is_a_conflict(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_section("dashboards.md.j2", DASHBOARDS)
    assert update("checkout") == 0
    capsys.readouterr()
    text = RUNBOOK.read_text()
    RUNBOOK.write_text(text.replace("- [ ] Poll less often", "- [ ] We poll less often", 1))
    change_catalog()
    before = RUNBOOK.read_text()
    line = before.splitlines().index(
        next(s for s in before.splitlines() if "begin dashboards-rate_limited" in s)
    )
    assert update("checkout") == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"runbooks/checkout/runbook.md:{line + 1}:1: generated section 'dashboards-rate_limited' "
        "was edited; the runbook was left unchanged\n"
    )
    assert "-- [ ] We poll less often" in err
    assert RUNBOOK.read_text() == before
    assert update("checkout", "--keep-edits") == 0
    capsys.readouterr()
    after = RUNBOOK.read_text()
    kept = blocks(after)["dashboards-rate_limited"]
    assert kept.owned, "the team's text is team-owned now"
    assert "- [ ] We poll less often" in kept.content
    # The playbook above it was not edited: it follows the catalog.
    assert "give each pipeline its own key" in blocks(after)["playbook-rate_limited"].content


def test_hostile_catalog_values_come_out_escaped(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = Path("catalog/errors.yml")
    text = errors.read_text()
    assert "    title: Rate limited\n" in text
    errors.write_text(
        text.replace("    title: Rate limited\n", "    title: <img src=x onerror=alert(1)>\n")
        .replace(
            "      - Poll less often, or use a separate key per pipeline.\n",
            "      - '<script>alert(1)</script> **bold** <!-- zofdocs:end x -->'\n",
        )
    )  # fmt: skip
    # Every way a value reaches the output: printed bare, through a filter, joined.
    write_section(
        "dashboards.md.j2",
        "{{ code.title }}\n\n{{ code.title | inline }}\n\n{{ code.fixes | join(' / ') }}\n\n"
        "{% for line in code.fixes %}\n- {{ line | inline }}\n{% endfor %}\n",
    )
    assert update("checkout") == 0
    capsys.readouterr()
    section = blocks(RUNBOOK.read_text())["dashboards-rate_limited"].content
    assert "<img" not in section
    assert "<script" not in section
    assert "<!--" not in section
    # Bare or joined, a value shows as the text it is; through `inline`, it keeps the
    # emphasis and code spans an inline field may hold.
    script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert section == (
        "\n&lt;img src=x onerror=alert(1)&gt;\n\n&lt;img src=x onerror=alert(1)&gt;\n\n"
        "Wait as long as \\`Retry-After\\` says before the next request. / "
        f"{script} \\*\\*bold\\*\\* &lt;!-- zofdocs:end x --&gt;\n\n"
        "- Wait as long as `Retry-After` says before the next request.\n"
        f"- {script} **bold** &lt;!-- zofdocs:end x --&gt;\n\n"
    )
    assert section.count("&lt;img src=x onerror=alert(1)&gt;") == 2
    # The site build publishes it as it is in the file: escaped.
    assert main(["generate", "--out", "site"]) == 0
    capsys.readouterr()
    page = Path("site/runbooks/checkout.md").read_text()
    assert "dashboards-rate_limited" in page
    assert "<img" not in page
    assert "<script" not in page


FILE = "runbooks/checkout/sections/dashboards.md.j2"
CONTEXT = (
    "(hint: a section template sees 'code' (the error code: code.code, code.title, "
    "code.fixes...) and 'team' (the team's answers: team.service, team.on_call...); "
)
UNSAFE = CONTEXT + "names starting with '_' and Python internals are out of reach)"
UNDEFINED = CONTEXT + "a field a code may lack needs {% if code.FIELD %})"
NAME_HINT = (
    "(hint: name each file NAME.md.j2, NAME being lowercase letters and digits, words joined "
    "by '-', such as 'dashboards.md.j2'; keep other files out of this folder)"
)

BAD = [
    pytest.param(
        "dashboards.md.j2",
        "Dashboards\n\n{% if code.status %}\n{{ code.code }}\n",
        f"{FILE}:4:1: template syntax error: Unexpected end of template. Jinja was looking "
        "for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs "
        "to be closed is 'if' (hint: check the tags ({% ... %}) and expressions ({{ ... }}) "
        "on this line)",
        id="syntax-error",
    ),
    pytest.param(
        "dashboards.md.j2",
        "Dashboards\n\nSee {{ code.titel }}.\n",
        f"{FILE}:3:13: undefined for code 'invalid_request': 'zofdocs.model.ErrorCode object' "
        "has no attribute 'titel' " + UNDEFINED,
        id="undefined-attribute",
    ),
    pytest.param(
        "dashboards.md.j2",
        "{{ catalog.codes }}\n",
        f"{FILE}:1:4: undefined for code 'invalid_request': 'catalog' is undefined " + UNDEFINED,
        id="undefined-name",
    ),
    pytest.param(
        "dashboards.md.j2",
        "Dashboards\n{{ code.__class__.__mro__ }}\n",
        f"{FILE}:2:9: unsafe in a section template for code 'invalid_request': access to "
        "attribute '__class__' of 'ErrorCode' object is unsafe " + UNSAFE,
        id="sandbox-code-class",
    ),
    pytest.param(
        "dashboards.md.j2",
        "{{ 'x' * 10**10 }}\n",
        f"{FILE}:1:1: unsafe in a section template for code 'invalid_request': a repetition "
        "this long is too large for a runbook " + UNSAFE,
        id="sandbox-memory",
    ),
    pytest.param(
        "dashboards.md.j2",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
        f"{FILE}:1:7: unsafe in a section template for code 'invalid_request': access to "
        "attribute '__class__' of 'str' object is unsafe " + UNSAFE,
        id="sandbox-str-class",
    ),
    pytest.param(
        "dashboards.md.j2",
        "{{ '{0.__class__}'.format(code) }}\n",
        f"{FILE}:1:8: unsafe in a section template for code 'invalid_request': access to "
        "attribute '__class__' of 'ErrorCode' object is unsafe " + UNSAFE,
        id="sandbox-format-string",
    ),
    pytest.param(
        "dashboards.md.j2",
        "{{ code.title | safe }}\n",
        f"{FILE}:1:17: template syntax error: No filter named 'safe' (hint: use the project's "
        "filters (inline, block, cell, literal, code...) or Jinja's; not 'safe': a value is "
        "safe only as a project filter writes it)",
        id="no-safe-filter",
    ),
    pytest.param(
        "dashboards.md.j2",
        "Dashboards\n  <!-- zofdocs:end playbook-{{ code.code }} -->\n",
        f"{FILE}:2:3: the section for code 'invalid_request' writes a zofdocs marker line "
        "('<!-- zofdocs:end playbook-invalid_request -->'), which would break the runbook's "
        "generated sections (hint: remove the marker; the generator writes each section's "
        "markers itself)",
        id="marker-in-output",
    ),
    pytest.param(
        "dashboards.md.j2",
        "Dashboards\n\n{{ 1 // 0 }}\n",
        f"{FILE}:3:1: cannot render the template for code 'invalid_request': "
        "ZeroDivisionError: integer division or modulo by zero",
        id="runtime-error",
    ),
    pytest.param(
        "dashboards.md.j2",
        "{% include 'dashboards.md.j2' %}\n",
        f"{FILE}:1:1: the template includes or calls itself without end for code "
        "'invalid_request' (hint: remove the include or macro call that repeats)",
        id="endless-include",
    ),
    pytest.param(
        "dashboards.md.j2",
        "{% include 'runbook.md.j2' %}\n",
        f"{FILE}:1:1: no section template 'runbook.md.j2' to include for code "
        "'invalid_request' (hint: a section template can include the team's other section "
        "templates only)",
        id="include-a-package-template",
    ),
    pytest.param(
        "dashboards.md.j2",
        b"Dashboards\nCaf\xe9\n",
        f"{FILE}:2:4: invalid UTF-8 byte 0xe9 (hint: save the file as UTF-8)",
        id="not-utf8",
    ),
    pytest.param(
        "Dashboards.md.j2",
        "x\n",
        f"runbooks/checkout/sections/Dashboards.md.j2: 'Dashboards.md.j2' is not a section "
        f"template name {NAME_HINT}",
        id="uppercase-name",
    ),
    pytest.param(
        "dash_boards.md.j2",
        "x\n",
        f"runbooks/checkout/sections/dash_boards.md.j2: 'dash_boards.md.j2' is not a section "
        f"template name {NAME_HINT}",
        id="underscore-name",
    ),
    pytest.param(
        "dashboards.md",
        "x\n",
        f"runbooks/checkout/sections/dashboards.md: 'dashboards.md' is not a section "
        f"template name {NAME_HINT}",
        id="no-j2-suffix",
    ),
    pytest.param(
        "playbook.md.j2",
        "x\n",
        "runbooks/checkout/sections/playbook.md.j2: section name 'playbook' is reserved: its "
        "sections would take the IDs of the runbook's own 'playbook-...' sections (hint: "
        "choose another name, such as 'dashboards' or 'escalation-notes')",
        id="reserved-name",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD)
def test_a_broken_template_is_a_located_error_and_nothing_is_written(
    checkout: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    text: str | bytes,
    expected: str,
) -> None:
    runbooks = {p: p.read_bytes() for p in sorted(Path("runbooks").glob("*/runbook.md"))}
    write_section(name, text)
    for command in (["runbook", "update"], ["runbook", "update", "checkout", "--keep-edits"]):
        assert main(command) == 2
        captured = capsys.readouterr()
        assert captured.err.splitlines() == [expected]
        assert "Traceback" not in captured.err
    assert {p: p.read_bytes() for p in runbooks} == runbooks
    # The site build and the checker read the teams the same way.
    assert main(["generate", "--out", "site"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [expected]
    assert not Path("site").exists()
    assert main(["check"]) == 2
    assert capsys.readouterr().err.splitlines() == [expected]


def test_hidden_files_are_no_templates(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = RUNBOOK.read_text()
    write_section(".gitkeep", "")
    assert update("--check", "checkout") == 0
    capsys.readouterr()
    assert RUNBOOK.read_text() == before


def test_a_sections_file_instead_of_a_folder(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SECTIONS.write_text("dashboards\n")
    assert update() == 2
    assert capsys.readouterr().err == (
        "runbooks/checkout/sections: not a folder (hint: a team's section templates go in a "
        "folder named 'sections')\n"
    )


def test_a_new_team_has_no_sections(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Section templates of another team are that team's only.
    write_section("dashboards.md.j2", DASHBOARDS)
    assert main(["runbook", "new", "payments", *FLAGS]) == 0
    capsys.readouterr()
    text = Path("runbooks/payments/runbook.md").read_text()
    assert order(text).count("playbook-rate_limited") == 1
    assert "dashboards-" not in text
