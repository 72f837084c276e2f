"""Machine-readable catalogs, each checked by an independent validator."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi

from tests.conftest import CATALOG, CORPORA
from zofdocs import load_sources
from zofdocs.cli import main
from zofdocs.export import errors_json, export_paths, exports, openapi, problem, vale
from zofdocs.pipeline import render as render_site

PROBLEM_SCHEMA = CORPORA / "rfc9457_problem.schema.json"


def test_errors_json_holds_the_whole_catalog() -> None:
    sources = load_sources(CATALOG)
    data = errors_json(sources)
    assert data["format_version"] == 1
    assert [s["status"] for s in data["statuses"]] == [400, 401, 403, 404, 409, 429, 500]
    codes = {c["code"]: c for c in data["codes"]}
    assert codes.keys() == {c.code for c in sources.catalog.codes}
    assert codes["rate_limited"]["retry"] == {"policy": "retry_after", "max_attempts": 5}
    assert codes["missing_api_key"]["replaced_by"] == "invalid_api_key"
    assert codes["invalid_request"]["doc_url"] == (
        "https://docs.zof.example/errors/codes/invalid_request/"
    )
    assert json.loads(json.dumps(data)) == data


def test_openapi_fragment_validates_and_matches_the_catalog() -> None:
    sources = load_sources(CATALOG)
    document = openapi(sources)
    validate_openapi(document)
    schemas, responses = document["components"]["schemas"], document["components"]["responses"]
    assert schemas["Error"]["properties"]["code"]["enum"] == [c.code for c in sources.catalog.codes]
    assert schemas["Error"]["required"] == ["code", "message"]
    assert sorted(responses) == [f"Error{s.status}" for s in sources.catalog.statuses]
    # The response schema with its $ref to Error written out, for jsonschema.
    response_schema = {**schemas["ErrorResponse"], "properties": {"error": schemas["Error"]}}
    validator = jsonschema.Draft202012Validator(response_schema)
    for status in sources.catalog.statuses:
        examples = responses[f"Error{status.status}"]["content"]["application/json"]["examples"]
        assert sorted(examples) == sorted(c.code for c in sources.catalog.codes_for(status))
        for name, example in examples.items():
            assert example["value"]["error"]["code"] == name
            validator.validate(example["value"])


def test_problem_documents_validate_and_their_types_resolve_to_pages() -> None:
    sources = load_sources(CATALOG)
    validator = jsonschema.Draft202012Validator(
        json.loads(PROBLEM_SCHEMA.read_text()), format_checker=jsonschema.FormatChecker()
    )
    pages = render_site(sources).pages
    for code in sources.catalog.codes:
        document = problem(sources, code)
        validator.validate(document)
        path = urlparse(document["type"]).path.strip("/")
        assert f"{path.removesuffix('/')}.md" in pages, document["type"]
        assert code.status is not None
        assert document["status"] == code.status.status


def test_vale_style_swaps_every_wrong_spelling() -> None:
    sources = load_sources(CATALOG)
    files = vale(sources.glossary)
    rule = yaml.safe_load(files["styles/Zof/Labels.yml"])
    assert rule["extends"] == "substitution"
    assert rule["ignorecase"] is False
    expected = {w: lb.label for lb in sources.glossary.labels for w in lb.wrong_spellings}
    assert rule["swap"] == expected
    accepted = files["styles/config/vocabularies/Zof/accept.txt"].splitlines()
    assert "Admin Center" in accepted
    assert "runs:create" in accepted


def test_exports_are_deterministic() -> None:
    sources = load_sources(CATALOG)
    assert exports(sources) == exports(load_sources(CATALOG))


@pytest.mark.parametrize("without", ["nothing", "response shape", "labels"])
def test_export_paths_are_the_paths_of_the_exports(without: str) -> None:
    # The code pages are rendered knowing only the paths; the texts come later.
    sources = load_sources(CATALOG)
    if without == "response shape":
        catalog = dataclasses.replace(sources.catalog, response_shape=None)
        sources = dataclasses.replace(sources, catalog=catalog)
    elif without == "labels":
        glossary = dataclasses.replace(sources.glossary, labels=())
        sources = dataclasses.replace(sources, glossary=glossary)
    assert export_paths(sources) == list(exports(sources))
    assert ("openapi.json" in exports(sources)) == (without != "response shape")
    assert any(p.startswith("vale/") for p in exports(sources)) == (without != "labels")


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "json", "--catalog", str(CATALOG)]) == 0
    assert json.loads(capsys.readouterr().out)["format_version"] == 1
    out = tmp_path / "out"
    assert main(["export", "problems", "--catalog", str(CATALOG), "--out", str(out)]) == 0
    written = capsys.readouterr().out.splitlines()
    assert len(written) == len(load_sources(CATALOG).catalog.codes)
    assert (out / "problems" / "rate_limited.json").is_file()
    assert main(["export", "yaml"]) == 2
    assert "invalid choice: 'yaml'" in capsys.readouterr().err
