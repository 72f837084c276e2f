"""`zofdocs import`: real catalogs written elsewhere become catalogs that load and build.

The corpus tests read the real catalogs vendored in `tests/data/corpora/`: Twilio's
1,953 codes and PostgreSQL's errcodes.txt. Each expectation is computed
from the source file, so a dropped or changed entry fails. Small samples in
`tests/data/import/` pin the output as golden files.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CATALOG, CORPORA, GOLDEN, ROOT, match_goldens
from zofdocs import load_sources
from zofdocs.cli import main
from zofdocs.diff import diff_sources
from zofdocs.export import exports
from zofdocs.model import ErrorCode, Sources
from zofdocs.pipeline import render as render_site

DATA = ROOT / "tests" / "data" / "import"
TWILIO = CORPORA / "twilio-error-codes.json"
POSTGRES = CORPORA / "postgres_errcodes.txt"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def imported(capsys: pytest.CaptureFixture[str], fmt: str, file: Path, out: Path) -> Sources:
    status, stdout, err = run(capsys, "import", fmt, file, "--out", out)
    assert (status, err) == (0, ""), err
    assert f"imported from {file.name}" in stdout
    return load_sources(out)


# -- Twilio ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def twilio_entries() -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads(TWILIO.read_text(encoding="utf-8"))
    return entries


def test_twilio_corpus_keeps_every_code_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], twilio_entries: list[dict[str, object]]
) -> None:
    status, out, _ = run(capsys, "import", "twilio", TWILIO, "--out", tmp_path)
    assert status == 0
    sources = load_sources(tmp_path)
    codes = {code.code: code for code in sources.catalog.codes}
    assert list(codes) == [str(e["code"]) for e in twilio_entries]
    levels = Counter(str(e["log_level"]).lower() for e in twilio_entries)
    assert Counter(c.severity for c in codes.values()) == levels
    for entry in twilio_entries:
        code = codes[str(entry["code"])]
        assert code.title == " ".join(str(entry["message"]).split())
        assert code.group == (str(entry["product"]).strip() if entry["product"] else None)
        assert code.added == str(entry["date_created"])[:10]
        assert code.updated in (None, str(entry["last_updated"])[:10])
        for key, items in (("causes", code.causes), ("solutions", code.fixes)):
            if re.search(r"\w", str(entry[key] or "")):  # Some hold only a space or '- '.
                assert items, f"{entry['code']}: {key} lost"
    # What the schema cannot hold is reported with its count, not dropped silently.
    log_types = sum(1 for e in twilio_entries if e["log_type"])
    assert re.search(rf"\b{log_types:,}\s+log_type \(APPLICATION", out), out
    # Links relative to twilio.com would be broken links on our site.
    text = (tmp_path / "errors.yml").read_text(encoding="utf-8")
    assert not re.search(r"\]\(\s*/(?!/)|^\s*\[[^\]]+\]:\s*/(?!/)", text, re.MULTILINE)


def test_twilio_docs_fill_empty_fields_and_extra_text_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], twilio_entries: list[dict[str, object]]
) -> None:
    codes = {c.code: c for c in imported(capsys, "twilio", TWILIO, tmp_path).catalog.codes}
    by_code = {str(e["code"]): e for e in twilio_entries}
    # 62034 has no causes or solutions fields; its page text has both.
    assert not by_code["62034"]["causes"]
    assert codes["62034"].causes == ("No useful parameters provided",)
    assert codes["62034"].fixes[0].startswith("The request you made expected")
    # 40121's page text has an example that no field holds: it is kept as details.
    assert "CA0123456789abcdef0123456789abcdef" in (codes["40121"].details or "")


# -- PostgreSQL ------------------------------------------------------------------------


def test_postgres_corpus_keeps_every_sqlstate_section_and_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = imported(capsys, "postgres", POSTGRES, tmp_path)
    codes = {code.code: code for code in sources.catalog.codes}
    lines = [
        line.split()
        for line in POSTGRES.read_text(encoding="utf-8").splitlines()
        if re.match(r"[0-9A-Z]{5}\s", line)
    ]
    assert set(codes) == {fields[0] for fields in lines}
    for state, kind, macro, *name in lines:
        code = codes[state]
        assert macro in code.aliases
        assert set(name) <= set(code.aliases)
        assert code.severity == {"E": "error", "W": "warning", "S": "success"}[kind]
    sections = re.findall(r"^Section: (.+)$", POSTGRES.read_text(encoding="utf-8"), re.M)
    assert [name for name, _ in sources.catalog.groups()] == sections
    assert codes["22012"].title == "Division by zero"
    assert codes["22012"].group == "Class 22 - Data Exception"
    # 34000 is listed again under class 42 with a second macro: one code, both names.
    assert {"invalid_cursor_name", "ERRCODE_UNDEFINED_CURSOR"} <= set(codes["34000"].aliases)


# -- OpenAPI ---------------------------------------------------------------------------


def test_openapi_reads_responses_examples_refs_and_the_error_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "import", "openapi", DATA / "openapi-shop.yaml", "--out", tmp_path)
    assert status == 0
    catalog = load_sources(tmp_path).catalog
    codes = {code.code: code for code in catalog.codes}
    assert [s.status for s in catalog.statuses] == [400, 404, 429]
    assert catalog.statuses[0].meaning == "The order cannot be accepted as sent."
    bad = codes["quantity_out_of_range"]
    assert bad.status is not None
    assert bad.status.status == 400
    assert (bad.title, bad.description) == (
        "Quantity out of range",
        "The quantity is below 1 or above the stock.",
    )
    assert bad.example is not None
    assert bad.example.param == "quantity"
    assert codes["unknown_product"].params == ("sku",)  # Through components.examples.
    assert codes["rate_limited"].status is not None  # Through components.responses.
    assert codes["payment_declined"].status is None  # In the enum only.
    shape = catalog.response_shape
    assert shape is not None
    assert [f.name for f in shape.fields] == [
        "error.code", "error.message", "error.param", "error.request_id"
    ]  # fmt: skip
    for reported in ("'4XX' responses", "status 500", "error.retryAfter"):
        assert reported in out, out


def test_openapi_export_round_trips_through_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zof = load_sources(CATALOG)
    spec = tmp_path / "openapi.json"
    spec.write_text(exports(zof)["openapi.json"], encoding="utf-8")
    back = imported(capsys, "openapi", spec, tmp_path / "catalog").catalog
    assert [(s.status, s.title, s.meaning) for s in back.statuses] == [
        (s.status, s.title, s.meaning) for s in zof.catalog.statuses
    ]

    # OpenAPI has no place for a code's other params: only the example's come back.
    def facts(sources_codes: tuple[ErrorCode, ...]) -> list[tuple[object, ...]]:
        return [
            (c.code, c.title, c.status.status if c.status else None, c.example)
            for c in sources_codes
        ]

    assert facts(back.codes) == facts(zof.catalog.codes)
    original = zof.catalog.response_shape
    assert original is not None
    assert back.response_shape is not None
    assert back.response_shape.fields == original.fields
    assert back.response_shape.summary == original.summary


def test_exports_of_an_imported_catalog_say_only_what_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema

    from tests.test_export import PROBLEM_SCHEMA

    sources = imported(capsys, "postgres", DATA / "postgres-sample.txt", tmp_path)
    files = exports(sources)
    assert "openapi.json" not in files  # No response shape to build its schema from.
    assert not any(path.startswith("vale/") for path in files)  # No labels.
    data = json.loads(files["errors.json"])
    assert data["response_shape"] is None
    code = next(c for c in data["codes"] if c["code"] == "22012")
    assert (code["status"], code["retry"], code["example"]) == (None, None, None)
    assert code["aliases"] == ["division_by_zero", "ERRCODE_DIVISION_BY_ZERO",
                               "ERRCODE_DIVISION_BY_ZERO_AGAIN"]  # fmt: skip
    validator = jsonschema.Draft7Validator(json.loads(PROBLEM_SCHEMA.read_text()))
    for path, text in files.items():
        if path.startswith("problems/"):
            problem = json.loads(text)
            validator.validate(problem)
            assert "status" not in problem
            assert "detail" not in problem
    status, _, err = run(capsys, "export", "openapi", "--catalog", tmp_path)
    assert status == 2
    assert "nothing to export as openapi: the catalog has no response_shape" in err


def test_diff_reports_a_status_taken_away(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = imported(capsys, "openapi", DATA / "openapi-shop.yaml", tmp_path / "old")
    shutil.copytree(tmp_path / "old", tmp_path / "new")
    errors = tmp_path / "new" / "errors.yml"
    text = errors.read_text(encoding="utf-8")
    status_404 = "- status: 404\n  title: Not Found\n  meaning: No order has this ID.\n"
    assert status_404 in text
    text = text.replace(status_404, "").replace("  status: 404\n", "")
    errors.write_text(text, encoding="utf-8")
    new = load_sources(tmp_path / "new")
    changes = diff_sources(old, new)
    assert [(c.kind, c.subject, c.breaking) for c in changes] == [
        ("status-removed", "404", True),
        ("status-changed", "order_not_found", True),
    ]
    assert changes[1].message == "code 'order_not_found' moved from status 404 to none"


# -- strict sites ----------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "corpus"), [("twilio", TWILIO), ("postgres", POSTGRES)])
def test_imported_corpus_builds_a_strict_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, corpus: Path
) -> None:
    project = tmp_path / "site"
    shutil.copytree(ROOT / "examples" / "imported", project)
    sources = imported(capsys, fmt, corpus, project / "catalog")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    built = {p.parent.name for p in (project / "site" / "errors" / "codes").glob("*/index.html")}
    assert built == {code.code for code in sources.catalog.codes}


# -- golden output ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "sample"),
    [
        ("twilio", "twilio-sample.json"),
        ("postgres", "postgres-sample.txt"),
        ("openapi", "openapi-shop.yaml"),
    ],
)
def test_sample_imports_match_golden_files(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    sample: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # Outside the repository: the schema modeline is a URL.
    status, out, _ = run(capsys, "import", fmt, DATA / sample, "--out", "out")
    assert status == 0
    golden = GOLDEN / "import" / fmt
    produced = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()}
    produced["report.txt"] = out
    # The pages too: what a catalog without statuses, examples or labels renders to.
    for page, text in render_site(load_sources(tmp_path / "out")).pages.items():
        produced["pages/" + page.replace("/", "__")] = text
    match_goldens(request, golden, produced)


# -- bad input and what is never lost -------------------------------------------------

BAD = [
    ("twilio", "bad.json", '[{"code": 1, "message": "x"},\n  {"code": 1 "message": "y"}]',
     "bad.json:2:14: not valid JSON: Expecting ',' delimiter"),
    ("twilio", "bad.json", '{"code": 1}', "bad.json:1:1: expected a list of error entries"),
    ("twilio", "bad.json", '[\n  {"code": "x", "message": "m"}\n]',
     "bad.json:2:12: entry 0: 'code' must be a whole number"),
    ("twilio", "bad.json", '[{"code": 5, "message": "a"},\n {"code": 5, "message": "b"}]',
     "bad.json:2:11: code 5 again (first in entry 0)"),
    ("twilio", "bad.json", '[{"code": 5, "message": "a", "date_created": "yesterday"}]',
     "bad.json:1:46: code 5: 'date_created' is not a date: 'yesterday'"),
    ("postgres", "bad.txt", "Section: Class 22 - X\n22012 E ERRCODE_DIVISION_BY_ZERO\n  22x\n",
     "bad.txt:3:3: cannot read '22x' as a code line"),
    ("postgres", "bad.txt", "22012 E ERRCODE_A a\n22012 W ERRCODE_B\n",
     "bad.txt:2:7: SQLSTATE 22012 is W here but error on line 1"),
    ("postgres", "bad.txt", "# only comments\n", "bad.txt:1:1: no code lines"),
    ("openapi", "bad.yaml", "swagger: '2.0'\n", "bad.yaml:1:1: Swagger 2.0 is not read"),
    ("openapi", "bad.yaml", "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n"
     "        '404': {$ref: 'other.yaml#/R'}\n",
     "bad.yaml:6:23: cannot follow $ref 'other.yaml#/R'"),
    ("openapi", "bad.yaml", "openapi: 3.1.0\npaths: {}\n", "bad.yaml:1:1: no error codes found"),
    ("openapi", "bad.yaml", "openapi: 3.1.0\ncomponents: [1]\n",
     "bad.yaml:2:13: 'components' must be a mapping, not list"),
    ("openapi", "bad.yaml", "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses: [1]\n",
     "bad.yaml:5:18: 'paths./a.get.responses' must be a mapping, not list"),
    ("openapi", "bad.yaml", "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n"
     "        '404':\n          description: x\n          content:\n            application/json:\n"
     "              example: {code: " + "a" * 101 + ", message: m}\n",
     "bad.yaml:10:31: code 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' cannot be a code name"),
    ("openapi", "bad.yaml", "openapi: 3.1.0\ncomponents:\n  schemas:\n    E:\n      properties:\n"
     "        code: {enum: a_b}\npaths:\n  /a:\n    get:\n      responses:\n        '404':\n"
     "          description: x\n          content:\n            application/json:\n"
     "              schema: {$ref: '#/components/schemas/E'}\n",
     "bad.yaml:6:22: 'enum' must be a list"),
    ("twilio", "bad.json", '[{"code": 5, "message": "a", "date_created": "2022-13-45T00:00:00Z"}]',
     "bad.json:1:46: code 5: 'date_created' is not a date: '2022-13-45T00:00:00Z'"),
]  # fmt: skip


@pytest.mark.parametrize(("fmt", "name", "text", "expected"), BAD)
def test_bad_input_names_line_and_column_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    name: str,
    text: str,
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "import", fmt, name, "--out", "out")
    assert status == 2
    assert expected in err, err
    assert "Traceback" not in err
    assert not Path("out").exists()


def test_a_changed_errors_file_is_not_overwritten_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = DATA / "postgres-sample.txt"
    run(capsys, "import", "postgres", sample, "--out", tmp_path)
    errors = tmp_path / "errors.yml"
    edited = errors.read_text(encoding="utf-8").replace("Division by zero", "Divide by zero")
    errors.write_text(edited, encoding="utf-8")
    (tmp_path / "pages.yml").write_text(
        (tmp_path / "pages.yml").read_text(encoding="utf-8").replace("Errors\n", "Faults\n", 1)
    )
    status, _, err = run(capsys, "import", "postgres", sample, "--out", tmp_path)
    assert status == 2
    assert "exists and differs from the import; it may hold edits (hint: pass --force" in err
    assert errors.read_text(encoding="utf-8") == edited
    status, out, _ = run(capsys, "import", "postgres", sample, "--out", tmp_path, "--force")
    assert status == 0
    assert "wrote errors.yml;" in out or "wrote errors.yml\n" in out
    assert "Division by zero" in errors.read_text(encoding="utf-8")
    # The page text is the maintainers' own: an import never replaces it.
    assert "Faults" in (tmp_path / "pages.yml").read_text(encoding="utf-8")
    status, out, _ = run(capsys, "import", "postgres", sample, "--out", tmp_path)
    assert (status, "wrote nothing (already up to date)" in out) == (0, True)


def test_imported_catalog_that_does_not_load_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A pages.yml the maintainers broke is kept, so the result cannot load: the
    # import says why, pointing at the file in --out, and writes nothing.
    (tmp_path / "pages.yml").write_text("errors: {}\n", encoding="utf-8")
    status, _, err = run(capsys, "import", "postgres", DATA / "postgres-sample.txt",
                         "--out", tmp_path)  # fmt: skip
    assert status == 2
    assert "does not load; nothing was written" in err
    assert f"{tmp_path.name}/pages.yml:1:" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages.yml"]
