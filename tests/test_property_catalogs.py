"""Property: every catalog the schemas accept works, from `validate` to the built HTML.

The catalogs come from the project's own JSON Schemas (`hypothesis-jsonschema`): a file
of the fixture project drawn whole from its schema, or the fixture's files with one
value replaced by a value drawn from the schema of its place, so that many are accepted
and reach the later steps. Text fields also get text made of markup. On each, in a
fresh copy of the fixture project, this proves:

- The sources are accepted, or refused with exit status 2 and every line of the report
  in the form `path:line:column: message`, naming a file of the project; never with a
  traceback. `validate` judges the catalog, `runbook update --check` the teams' answers,
  and `generate` the two together (a team to publish needs a `runbooks` section).
- On accepted sources, `runbook new`, `generate`, `check` and `runbook update` exit as
  the command line documents (`check` may exit 1 on findings), write nothing to
  standard error, and leave every runbook current.
- Every generated page, converted to HTML by Python-Markdown with the extensions of
  the fixture's `mkdocs.yml`, holds nothing that `zofdocs.htmlcheck.unsafe_markup`
  refuses: no value reaches a page as markup.
- A few accepted projects (marked `slow`) build with `mkdocs build --strict`, or fail
  only on the checker's findings: never on a traceback, an HTML check, a broken link
  or anchor, or another plugin error.

Each test prints how many examples it ran and how many were accepted (`pytest -s`).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import markdown as python_markdown  # type: ignore[import-untyped]  # no stubs in the lock
import pytest
from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from tests.conftest import FIXTURE, RUNBOOKS
from tests.test_schema_sync import load, small
from tests.test_site import build
from zofdocs.catalog import FILES
from zofdocs.cli import main
from zofdocs.htmlcheck import unsafe_markup
from zofdocs.schema import NOT_BLANK, describe, follow, load_schema, registry
from zofdocs.yamlsource import Loc, load_yaml

SCHEMA_EXAMPLES = 40
"""Projects with a file drawn whole from its schema: most are refused, cheaply."""
MUTATION_EXAMPLES = 30
"""Fixture projects with one value replaced: half or more are accepted, a second each."""
BUILD_EXAMPLES = 3
"""Accepted projects built strictly by MkDocs, a few seconds each."""

DOCUMENTS: dict[str, str] = {
    **{f"catalog/{filename}": name for name, filename in FILES.items()},
    **{
        path.relative_to(FIXTURE).as_posix(): "team" for path in sorted(RUNBOOKS.glob("*/team.yml"))
    },
}
"""The YAML files of the fixture project that a schema states, by path in the project."""

NEW_TEAM = "proptest"
"""A team that `runbook new` creates: not one of the fixture's."""
ANSWERS = (
    "--team-name", "Prop Test", "--service", "Prop Service", "--owner", "Ada",
    "--on-call", "prop-primary", "--escalation", "Prop lead", "--ci", "GitHub Actions",
    "--project", "staging=prj_stag1", "--env-id", "staging=env_stag1",
    "--secret", "staging=ZOF_STAGING", "--project", "production=prj_prod1",
    "--env-id", "production=env_prod1", "--secret", "production=ZOF_PRODUCTION",
    "--last-reviewed", "2026-01-15",
)  # fmt: skip
"""Every answer `runbook new` asks for, as flags: the tests run without a terminal."""

SOURCES = ("--catalog", "catalog", "--runbooks", "runbooks")
LOCATED = re.compile(r"(?P<path>[^:\n]+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): \S.*")
"""A line of a refusal: a file, a line and a column from 1, and the message."""

FREE_TEXT = (NOT_BLANK, load_schema("glossary")["$defs"]["label"]["properties"]["label"]["pattern"])
"""The patterns of text fields: what is not blank, and a label without spaces at its ends."""

RUNS: Counter[str] = Counter()
"""Examples run and accepted, by test: the number each test reports."""


# -- drawing catalogs ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The documents a drawn project replaces, by path in the project, and what changed.

    Attributes:
        documents: The new data of each replaced YAML file.
        what: The change, for the failure report.
    """

    documents: dict[str, Any]
    what: str


@functools.cache
def fixture_data(relative: str) -> Any:
    return load_yaml(FIXTURE / relative).data


MARKUP = (
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<a href='javascript:alert(1)'>a</a>", "<iframe src=x>", "<style>", "<details ontoggle=x>",
    "<!-- c -->", "<!-- zofdocs:begin header -->", "<!-- zofdocs:end header -->",
    "[a](javascript:alert(1))", "[a](java&#x09;script:x)", "[a](https://example.com)",
    "[a]: javascript:alert(1)", "[a][a]", "<https://example.com>", "![i](x.png)",
    '{: onclick="alert(1)" }', "{ #id .c }", "*[HTML]: Hyper", "[^1]", ":material-alert:",
    "`", "``", "**", "*", "_", "~~", "|", "#", "- ", "1. ", "> ", "---", "===", "!!! note",
    "??? note", "```", "~~~", "    ", "\\", "&lt;", "&#60;", "&amp;", "<", ">", '"', "'",
    "=", ":", "{{ x }}", "{% raw %}", "\x02", "\x03", "\x02wzxhzdk:0\x03", "\n", "\n\n",
    "\r", "\t", "\u2028", "\x85", "javascript:", "data:text/html,", "Admin Center", "429",
)  # fmt: skip
"""Pieces of the markup that a text field must show as text: HTML, Markdown and its
extensions' syntax, Python-Markdown's placeholder characters, links of every kind."""

markup = st.lists(st.sampled_from(MARKUP) | st.text(max_size=3), min_size=1, max_size=8).map(
    "".join
)
"""Text made of markup pieces: random text alone would hardly ever hold any."""


@functools.cache
def narrowed(name: str) -> dict[str, Any]:
    """A schema whose references take only the names the fixture has, and real dates.

    A value drawn from the schema alone names labels, codes, statuses and areas at
    random, so that the cross-checks refuse nearly every one; drawn from this one, it
    is often accepted, and exercises every later step. Every document it allows, the
    schema allows too.
    """
    schema = copy.deepcopy(load_schema(name))
    defs = schema["$defs"]
    glossary, errors = fixture_data("catalog/glossary.yml"), fixture_data("catalog/errors.yml")
    labels = {"enum": [label["label"] for label in glossary["labels"]]}
    codes = {"enum": [code["code"] for code in errors["codes"] if "deprecated" not in code]}
    # The date pattern's \d takes any digit, such as '٣': a day of the calendar instead.
    date = {"type": "string", "format": "date"}
    if name in ("errors", "pages"):
        defs["label_ref"] = labels
    if name == "errors":
        defs["status_number"] = {"enum": [status["status"] for status in errors["statuses"]]}
        defs["date"] = date
        defs["code"]["properties"]["replaced_by"] = codes
        defs["example_object"]["properties"]["code"] = codes
        defs["common_issue"]["properties"]["codes"]["items"] = codes
    elif name == "glossary":
        label = defs["label"]["properties"]
        label["area"] = {"enum": [area["name"] for area in glossary["areas"]]}
        label["path"] = {"enum": [item["path"] for item in glossary["labels"] if "path" in item]}
    elif name == "team":
        schema["properties"]["codes"]["items"] = codes
        schema["properties"]["last_reviewed"] = date
    return schema


@functools.cache
def strategy(name: str, narrow: bool, node: str) -> st.SearchStrategy[Any]:
    """Values that a part of schema `name` (as JSON) allows, its definitions in reach.

    Cached by the part's text: `from_schema` takes a while to read a schema, and many
    places share one part (every code's `title`, say).
    """
    root = narrowed(name) if narrow else load_schema(name)
    part = {"$defs": root["$defs"], **json.loads(node)}  # A whole schema keeps its own.
    drawn = from_schema(small(part))
    target = _definition(root, part)
    if target.get("type") == "string" and target.get("pattern", NOT_BLANK) in FREE_TEXT:
        # Text fields also get markup, kept to what the schema's own keywords allow.
        valid = jsonschema.Draft202012Validator(part, registry=registry()).is_valid
        return drawn | markup.filter(valid)
    return drawn


def _definition(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node, root = follow(root, node["$ref"])
    return node


def _places(
    root: dict[str, Any], node: dict[str, Any], value: Any, loc: Loc
) -> Iterator[tuple[Loc, dict[str, Any]]]:
    if loc:
        yield loc, node
    target = _definition(root, node)
    if isinstance(value, dict):
        for key, sub in target.get("properties", {}).items():
            if key in value:
                yield from _places(root, sub, value[key], (*loc, key))
            else:  # An optional key the fixture leaves out: `details` is only ever set here.
                yield (*loc, key), sub
    elif isinstance(value, list) and isinstance(target.get("items"), dict):
        for index, item in enumerate(value):
            yield from _places(root, target["items"], item, (*loc, index))


@functools.cache
def places(relative: str, narrow: bool) -> list[tuple[Loc, str]]:
    """Every place in a fixture file a value can be put, with its schema as JSON."""
    name = DOCUMENTS[relative]
    root = narrowed(name) if narrow else load_schema(name)
    return [
        (loc, json.dumps(node, sort_keys=True))
        for loc, node in _places(root, root, fixture_data(relative), ())
    ]


def _put(document: Any, loc: Loc, value: Any) -> None:
    for part in loc[:-1]:
        document = document[part]
    document[loc[-1]] = value


@st.composite
def mutated(draw: st.DrawFn) -> Change:
    """The fixture project with one value replaced by one its schema allows there."""
    # The file first, then the place: errors.yml alone holds most of the places. The
    # teams share one chance among the four schemas, or they would take half the draws.
    teams = sorted(path for path, name in DOCUMENTS.items() if name == "team")
    relative = draw(
        st.sampled_from([*(path for path in DOCUMENTS if path not in teams), teams[0]]),
        label="file",
    )
    if relative in teams:
        relative = draw(st.sampled_from(teams), label="team")
    index = draw(st.sampled_from(range(len(places(relative, False)))), label="place")
    # A value that names only what the fixture has (the simplest draw, so that the
    # first examples are accepted too), or any value the schema allows there.
    narrow = not draw(st.booleans(), label="any the schema allows")
    loc, node = places(relative, narrow)[index]
    value = draw(strategy(DOCUMENTS[relative], narrow, node), label="value")
    document = copy.deepcopy(fixture_data(relative))
    _put(document, loc, value)
    return Change({relative: document}, f"{relative}: {describe(loc)} = {value!r}")


@st.composite
def generated(draw: st.DrawFn) -> Change:
    """The fixture project with one of its files drawn whole from its schema."""
    relative = draw(st.sampled_from(sorted(DOCUMENTS)), label="file")
    name = DOCUMENTS[relative]
    document = draw(
        strategy(name, False, json.dumps(load_schema(name)))
        | strategy(name, True, json.dumps(narrowed(name))),
        label="document",
    )
    return Change({relative: document}, f"{relative}: drawn whole")


# -- running the commands -----------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    """Run `zofdocs` in this process: its exit status, standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    # An exception escaping main() is itself the failure: nothing here catches it.
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    note(f"$ zofdocs {' '.join(argv)}  -> exit {status}\n{err.getvalue()}")
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return status, out.getvalue(), err.getvalue()


def refused(project: Path, status: int, err: str) -> bool:
    """Whether a command refused the sources: exit status 2, every line placed in a file."""
    if status != 2:
        return False
    lines = err.splitlines()
    assert lines, "refused without a word"
    for line in lines:
        match = LOCATED.fullmatch(line)
        assert match, f"not located as path:line:column: {line!r}"
        assert (project / match["path"]).is_file(), f"names no file of the project: {line!r}"
    return True


@functools.cache
def markdown_options() -> tuple[list[Any], dict[str, Any]]:
    """The extensions and their options of the fixture's `mkdocs.yml`, as MkDocs reads them."""
    config = load_config(str(FIXTURE / "mkdocs.yml"))
    return list(config.markdown_extensions), dict(config.mdx_configs)


def unsafe_pages(out: Path) -> dict[str, list[str]]:
    """The generated pages whose HTML holds what the allow-list refuses, with what it is."""
    extensions, options = markdown_options()
    found: dict[str, list[str]] = {}
    for page in sorted(out.rglob("*.md")):
        # MkDocs takes the front matter off before Python-Markdown sees the page.
        body, _ = get_data(page.read_text(encoding="utf-8"))
        # A converter per page, as MkDocs makes one: extensions keep state between calls.
        converter = python_markdown.Markdown(extensions=extensions, extension_configs=options)
        html = converter.convert(body)
        unsafe = unsafe_markup(html)
        if unsafe:
            found[page.relative_to(out).as_posix()] = unsafe
    return found


def write(project: Path, change: Change) -> None:
    """Put a drawn change into a copy of the fixture project."""
    note(change.what)
    for relative, document in change.documents.items():
        source = load(document, project / relative)
        # The YAML must say what was drawn, or the verdict would be about something else.
        assert source.data == document
        note(f"--- {relative}\n{source.path.read_text(encoding='utf-8')}")


def works(project: Path, out: Path) -> bool:
    """Run every command on the project: True when its sources were accepted.

    A refusal may come from `validate` (the catalog), from the runbooks (the teams'
    answers), or from `generate`, the first to put the two together (a team to publish
    needs the page text's `runbooks` section); it must be clean. After it, nothing may
    refuse or crash.
    """
    status, _, err = run("validate", "--catalog", "catalog")
    if refused(project, status, err):
        return False
    assert (status, err) == (0, "")
    status, _, err = run("runbook", "update", "--check", *SOURCES)
    if refused(project, status, err):
        return False
    assert (status in (0, 1), err) == (True, "")  # 1: a runbook the change made stale.
    # A new team before `generate`, so that its runbook is published and checked too.
    assert run("runbook", "new", NEW_TEAM, *SOURCES, *ANSWERS)[::2] == (0, "")
    status, _, err = run("generate", *SOURCES, "--out", str(out))
    if refused(project, status, err):
        return False
    assert (status, err) == (0, "")
    status, _, err = run("check", *SOURCES, "--docs", "docs")
    assert (status in (0, 1), err) == (True, "")  # 1: findings, such as stale runbooks.
    assert run("runbook", "update", *SOURCES)[::2] == (0, "")
    # An update brings every runbook up to date: a second one has nothing to do.
    assert run("runbook", "update", "--check", *SOURCES)[::2] == (0, "")
    assert unsafe_pages(out) == {}
    return True


@contextlib.contextmanager
def fresh_project(folder: Path) -> Iterator[Path]:
    """A fresh copy of the fixture project in `folder`, as the working folder."""
    project = folder / "project"
    with pytest.MonkeyPatch.context() as patch:
        # rmtree opens `catalog`, `docs` and `runbooks` by their bare names: from the
        # repository, the shipped-content guard would take them for the shipped ones.
        patch.chdir(folder)
        shutil.rmtree(project, ignore_errors=True)
        shutil.rmtree(folder / "out", ignore_errors=True)
        shutil.copytree(FIXTURE, project)
        # Messages name files relative to the working folder: the project's own paths.
        patch.chdir(project)
        yield project


def verdict(test: str, ok: bool) -> None:
    RUNS[f"{test}: examples"] += 1
    RUNS[f"{test}: accepted"] += ok
    event("accepted" if ok else "refused")


def report(test: str) -> None:
    print(f"\n{test}: {RUNS[f'{test}: examples']} examples, {RUNS[f'{test}: accepted']} accepted")


# -- the properties -----------------------------------------------------------------------

FAST = settings(
    deadline=None,
    # A project takes about a second to run through every command.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _property(
    name: str, changes: st.SearchStrategy[Change], examples: int, folder: Path
) -> Callable[[], None]:
    @settings(FAST, max_examples=examples)
    @given(change=changes)
    def check(change: Change) -> None:
        with fresh_project(folder) as project:
            write(project, change)
            verdict(name, works(project, folder / "out"))

    return check


def test_schema_drawn_files_are_refused_cleanly_or_work(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    name = "schema-drawn"
    _property(name, generated(), SCHEMA_EXAMPLES, tmp_path_factory.mktemp("drawn"))()
    report(name)
    assert RUNS[f"{name}: examples"] >= SCHEMA_EXAMPLES


def test_fixture_with_one_value_from_its_schema_is_refused_cleanly_or_works(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    name = "mutated"
    _property(name, mutated(), MUTATION_EXAMPLES, tmp_path_factory.mktemp("mutated"))()
    report(name)
    # Half to two thirds are accepted (a renamed code or label breaks its references);
    # fewer than a quarter would leave the later steps hardly exercised.
    assert RUNS[f"{name}: accepted"] * 4 >= RUNS[f"{name}: examples"]


# -- a strict build -----------------------------------------------------------------------

FINDING = re.compile(r"\bZOF\d{3}\b")
"""A checker finding's rule id: the only reason a strict build may fail on."""


@pytest.mark.slow
def test_accepted_projects_build_strictly_or_fail_on_findings_only(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("built")
    name = "strict-build"

    @settings(FAST, max_examples=BUILD_EXAMPLES)
    @given(change=mutated())
    def check(change: Change) -> None:
        with fresh_project(folder) as project:
            write(project, change)
            assume(works(project, folder / "out"))  # Only accepted projects are built.
            verdict(name, True)
            result = build("mkdocs", project / "mkdocs.yml", folder / "site")
            note(result.stderr)
            assert "Traceback" not in result.stdout + result.stderr
            # Whatever MkDocs logs as a warning or an error is a checker finding: no broken
            # link or anchor, no HTML check, no other plugin error. A failed build has one.
            logged = [
                line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))
            ]
            assert [line for line in logged if not FINDING.search(line)] == []
            assert result.returncode == 0 or logged

    check()
    report(name)


# -- defects the property found ---------------------------------------------------------
# Each is fixed where it arose and has its regression test beside the tests of that
# part: tests/test_runbook_cli.py (a code with only a title; an imported catalog's
# runbook and its missing `runbooks` section) and tests/test_loader_bad_input.py (a
# response shape without `error.code`; a value's line break inside a message). This one
# was in zofdocs/plugin.py, which kept the nav's entry for a page not generated.


@pytest.mark.slow
def test_page_text_without_a_checks_section_builds(project: Path, tmp_path: Path) -> None:
    # pages.yml may leave out a page's section, and then the page is not generated; but
    # mkdocs.yml's nav still names tooling/checks.md, and MkDocs' own warning about it
    # fails the strict build.
    pages = project / "catalog" / "pages.yml"
    data = load_yaml(pages).data
    del data["checks"]
    load(data, pages)
    assert main(["validate", "--catalog", "catalog"]) == 0
    result = build("mkdocs", project / "mkdocs.yml", tmp_path / "site")
    assert "'tooling/checks.md' is included in the 'nav'" not in result.stderr
    assert result.returncode == 0, result.stderr
