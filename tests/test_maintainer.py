"""A content maintainer's day, played on a copy of the repository: the suite stays green.

The maintainer adds a code with its status, cause and fix, adds a team with
`zofdocs runbook new`, rewords a fix, renames a Console label (keeping the old spelling
as a wrong spelling the checker points away from), and retires a code with
`deprecated` and `replaced_by`. Then `zofdocs runbook update` and the golden update,
as the docs say, and finally the whole suite on the copy must pass.

Every edit is chosen from the shipped content as it is today, so this test keeps
working as the content grows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from tests.conftest import ROOT

# Browser too: the suite it runs on the copy drives Chromium.
T = TypeVar("T")

pytestmark = [pytest.mark.slow, pytest.mark.shipped, pytest.mark.browser]

# What a fresh clone does not have, or what the copy must build itself.
IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "site", "__pycache__", ".*_cache", ".hypothesis", "*.egg-info", ".cache"
)


class Maintainer:
    """Edits the copy's YAML as a person would: in place, every other line untouched."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.env = {
            **os.environ,
            "PYTHONPATH": str(repo / "tools"),  # The copy's package, not the checkout's.
            "NO_MKDOCS_2_WARNING": "1",
        }

    def run(self, *args: str, ok: tuple[int, ...] = (0,)) -> str:
        result = subprocess.run(
            args, cwd=self.repo, env=self.env, capture_output=True, text=True, check=False
        )
        assert result.returncode in ok, f"{' '.join(args)}:\n{result.stdout}{result.stderr}"
        return result.stdout

    def zofdocs(self, *args: str) -> str:
        return self.run(sys.executable, "-m", "zofdocs", *args)

    def node(self, path: str) -> tuple[str, yaml.Node]:
        text = (self.repo / path).read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        assert root is not None
        return text, root

    def data(self, path: str) -> Any:
        return yaml.safe_load((self.repo / path).read_text(encoding="utf-8"))

    def write(self, path: str, text: str) -> None:
        (self.repo / path).write_text(text, encoding="utf-8")


def value(mapping: yaml.Node, key: str) -> yaml.Node | None:
    assert isinstance(mapping, yaml.MappingNode)
    return next((v for k, v in mapping.value if k.value == key), None)


def item(sequence: yaml.Node | None, key: str, name: str) -> yaml.MappingNode:
    assert isinstance(sequence, yaml.SequenceNode)
    for entry in sequence.value:
        found = value(entry, key)
        if found is not None and found.value == name:
            assert isinstance(entry, yaml.MappingNode)
            return entry
    raise AssertionError(f"no {key} {name!r}")


def content_end(node: yaml.Node) -> int:
    """Where a node's own text ends: a block collection's end mark lies at the next token."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style:
        return content_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style:
        return content_end(node.value[-1])
    return int(node.end_mark.index)


def add_keys(text: str, mapping: yaml.MappingNode, lines: list[str]) -> str:
    """Add `key: value` lines at the end of a block mapping, at its indentation."""
    end = content_end(mapping)
    indent = " " * mapping.start_mark.column
    return text[:end] + "".join(f"\n{indent}{line}" for line in lines) + text[end:]


def replace(text: str, node: yaml.Node, new: str) -> str:
    return text[: node.start_mark.index] + new + text[node.end_mark.index :]


def first(items: Iterable[T], what: str) -> T:
    """The first item, or a failure that says which kind of entry the content lacks."""
    for found in items:
        return found
    pytest.fail(f"the shipped content has no {what}; this test needs one to edit")


def words(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def test_a_maintainer_edits_the_content_and_the_suite_stays_green(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=IGNORE)
    m = Maintainer(repo)
    errors = m.data("catalog/errors.yml")
    codes = [c for c in errors["codes"] if "deprecated" not in c]
    teams = {p.parent.name: m.data(p.relative_to(repo).as_posix())
             for p in sorted((repo / "runbooks").glob("*/team.yml"))}  # fmt: skip
    prose = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [*(repo / "docs").rglob("*.md"), repo / "catalog" / "pages.yml"]
    )

    # 1. A new code, with its status, cause and fix, under the first code's status.
    status = first((c["status"] for c in codes if "status" in c), "code with a status")
    new_code = "maintainer_added_code"
    text, root = m.node("catalog/errors.yml")
    sequence = value(root, "codes")
    assert isinstance(sequence, yaml.SequenceNode)
    dash = " " * sequence.start_mark.column
    entry = "\n".join(
        [
            f"{dash}- code: {new_code}",
            f"{dash}  status: {status}",
            f"{dash}  title: Added by a maintainer",
            f"{dash}  description: A code that the maintainer test adds to the catalog.",
            f"{dash}  causes:",
            f"{dash}    - The request did something this code names.",
            f"{dash}  fixes:",
            f"{dash}    - Do the thing this code asks for, then send the request again.",
            f'{dash}  added: "2026-11-29"',
        ]
    )
    end = content_end(sequence)
    m.write("catalog/errors.yml", text[:end] + "\n\n" + entry + text[end:])

    # 2. A new team, with the new code and one that stays current in scope.
    kept = first((c["code"] for c in codes if c.get("status") == status), "code to keep")
    m.zofdocs(
        "runbook", "new", "maintainers",
        "--team-name", "Maintainers", "--service", "Docs Pipeline", "--owner", "Ada Lin",
        "--on-call", "docs-primary", "--escalation", "Docs lead", "--ci", "GitHub Actions",
        "--project", "staging=prj_Docs1", "--env-id", "staging=env_dS01",
        "--secret", "staging=ZOF_KEY_STAGING", "--project", "production=prj_Docs1",
        "--env-id", "production=env_dP01", "--secret", "production=ZOF_KEY_PRODUCTION",
        "--code", new_code, "--code", kept, "--last-reviewed", "2026-11-29",
    )  # fmt: skip

    # 3. A fix reworded: the first fix of the first code that has one.
    fixed = first((c["code"] for c in codes if c.get("fixes")), "code with a fix")
    text, root = m.node("catalog/errors.yml")
    fixes = value(item(value(root, "codes"), "code", fixed), "fixes")
    assert isinstance(fixes, yaml.SequenceNode)
    reworded = "Reworded by the maintainer: check the request, then send it again."
    m.write("catalog/errors.yml", replace(text, fixes.value[0], json.dumps(reworded)))

    # 4. A Console label renamed everywhere it is written, the old spelling kept as a
    # wrong spelling. The runbook template still names a few labels itself (issue 12),
    # so the label is one no template names.
    templates = "\n".join(
        p.read_text("utf-8") for p in (repo / "tools/zofdocs/templates").glob("*")
    )
    areas = {a["name"] for a in m.data("catalog/glossary.yml")["areas"]}
    runbooks = "\n".join(p.read_text("utf-8") for p in (repo / "runbooks").glob("*/runbook.md"))
    label = first(
        (
            entry["label"]
            for entry in sorted(
                m.data("catalog/glossary.yml")["labels"], key=lambda e: -len(e["label"].split())
            )
            if entry["label"] not in areas
            and not words(entry["label"]).search(templates)
            and not words(entry["label"]).search(runbooks)
        ),
        "label that no template or runbook text names",
    )
    renamed = f"Renamed {label}"
    for path in [*(repo / "catalog").glob("*.yml"), *(repo / "docs").rglob("*.md")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(words(label).sub(renamed, text), encoding="utf-8")
    text, root = m.node("catalog/glossary.yml")
    entry_node = item(value(root, "labels"), "label", renamed)
    spellings = value(entry_node, "wrong_spellings")
    old = [label] + ([s.value for s in spellings.value] if spellings is not None else [])
    if spellings is None:
        text = add_keys(text, entry_node, [f"wrong_spellings: {json.dumps(old)}"])
    else:
        text = replace(text, spellings, json.dumps(old))
    m.write("catalog/glossary.yml", text)

    # 5. A code retired: deprecated, replaced by a code of its status (or any code). It is
    # one that no other text names; retiring a named one means rewording that text too.
    text, root = m.node("catalog/errors.yml")

    def named_elsewhere(code: str) -> bool:
        own = item(value(root, "codes"), "code", code)
        rest = text[: own.start_mark.index] + text[content_end(own) :]
        return bool(words(code).search(rest) or words(code).search(prose))

    retired = first(
        (c for c in codes if c["code"] not in (kept, fixed) and not named_elsewhere(c["code"])),
        "code that no other text names",
    )
    successor = next(
        (c["code"] for c in codes
         if c.get("status") == retired.get("status") and c["code"] != retired["code"]),
        kept,
    )  # fmt: skip
    text = add_keys(
        text,
        item(value(root, "codes"), "code", retired["code"]),
        ['deprecated: "2026-11-29"', f"replaced_by: {successor}"],
    )
    m.write("catalog/errors.yml", text)
    for team, answers in teams.items():  # Teams move to the successor, as the hint says.
        if retired["code"] in answers.get("codes", []):
            answers_file = f"runbooks/{team}/team.yml"
            text, root = m.node(answers_file)
            listed = [c for c in answers["codes"] if c != retired["code"]]
            listed += [successor] if successor not in listed else []
            scope = value(root, "codes")
            assert scope is not None
            m.write(answers_file, replace(text, scope, json.dumps(listed)))

    # Then what the docs say to do after an edit: update the runbooks and the goldens.
    assert "ok" in m.zofdocs("validate")
    m.zofdocs("runbook", "update")
    assert m.zofdocs("runbook", "update", "--check").count("up to date") == len(teams) + 1
    pytest_ = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    m.run(*pytest_, "--update-goldens", "tests/test_golden.py")
    golden = repo / "tests" / "golden" / "site"
    assert (golden / "errors" / "codes" / f"{new_code}.md").is_file()
    assert (golden / "runbooks" / "maintainers.md").is_file()
    assert reworded in (golden / "errors" / "codes" / f"{fixed}.md").read_text("utf-8")
    assert renamed in (golden / "glossary.md").read_text("utf-8")
    assert f"`{successor}`" in (golden / "errors" / "codes" / f"{retired['code']}.md").read_text(
        "utf-8"
    )

    # The suite on the edited copy, but this test: every test that reads the content
    # (marked shipped), and every fast one. The slow tests of the tool alone (the
    # hostile-content browser test, the property test's strict builds) use the fixture
    # project, which a content edit does not touch, and would add minutes for nothing.
    out = m.run(*pytest_, "-m", "shipped or not slow", "--deselect", "tests/test_maintainer.py")
    # run() already failed the test on a red suite; the copy must also have run it all.
    ran = re.search(r"(\d+) passed", out)
    assert ran is not None
    assert int(ran.group(1)) > 300, out[-2000:]
