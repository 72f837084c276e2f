"""The JSON Schemas, the loader and the model stay in step.

The schemas are what editors validate against; `zofdocs.schema` interprets them for
located messages. These tests check the schemas against the JSON Schema meta-schema,
check every verdict against the reference implementation (`jsonschema`), and check that
the typed model has a field for every property.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import CATALOG, ROOT, SHIPPED_CATALOG
from zofdocs.catalog import FILES
from zofdocs.model import CommonIssue, ErrorCode, Label, ResponseField, RetryPolicy, Status
from zofdocs.schema import KNOWN_KEYWORDS, SCHEMAS, load_schema, validate
from zofdocs.yamlsource import load_yaml


def keywords(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            yield key
            if key in ("properties", "$defs"):
                for sub in value.values():
                    yield from keywords(sub)
            elif key not in ("enum", "const", "examples", "default", "required"):
                yield from keywords(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from keywords(item)


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_json_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema(name))


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_uses_only_keywords_the_validator_knows(name: str) -> None:
    used = set(keywords(load_schema(name)))
    assert used <= KNOWN_KEYWORDS, used - KNOWN_KEYWORDS


@pytest.mark.parametrize(
    "folder",
    [pytest.param(SHIPPED_CATALOG, marks=pytest.mark.shipped, id="shipped"),
     pytest.param(CATALOG, id="fixture")],
)  # fmt: skip
@pytest.mark.parametrize(("name", "filename"), FILES.items())
def test_yaml_file_names_its_schema_for_editors(name: str, filename: str, folder: Path) -> None:
    first = (folder / filename).read_text().splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"{folder / filename} must start with the yaml-language-server modeline"
    target = (folder / match.group(1)).resolve()
    assert target == ROOT / "tools" / "zofdocs" / "schemas" / f"{name}.schema.json"


def mutations(data: Any) -> Iterator[Any]:
    """Yield copies of `data` with one value broken in one of several ways."""
    paths: list[tuple[Any, ...]] = []

    def collect(value: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, (*path, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                collect(v, (*path, i))

    collect(data, ())
    for path in paths[1::3]:  # Every third value keeps the run short and still broad.
        breakages: tuple[Any, ...] = (None, 7, "x", [], {"unexpected": 1}, True)
        for broken in breakages:
            copy_ = copy.deepcopy(data)
            parent = copy_
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = broken
            yield copy_
        if isinstance(path[-1], str):
            copy_ = copy.deepcopy(data)
            parent = copy_
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
            yield copy_


@pytest.mark.parametrize(("name", "filename"), FILES.items())
def test_verdicts_agree_with_the_reference_implementation(name: str, filename: str) -> None:
    schema = load_schema(name)
    reference = jsonschema.Draft202012Validator(schema)
    source = load_yaml(CATALOG / filename)
    assert validate(source, schema) == []
    assert reference.is_valid(source.data)
    checked = 0
    for data in mutations(source.data):
        source.data = data
        ours = validate(source, schema) == []
        assert ours == reference.is_valid(data), json.dumps(data)[:300]
        checked += 1
    assert checked > 100


def properties(schema: dict[str, Any], name: str) -> set[str]:
    return set(schema["$defs"][name]["properties"])


def fields(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls) if f.init}


def test_model_has_a_field_for_every_schema_property() -> None:
    errors = load_schema("errors")
    glossary = load_schema("glossary")
    shape_fields = errors["$defs"]["response_shape"]["properties"]["fields"]["items"]
    assert fields(ErrorCode) == properties(errors, "code")
    assert fields(Status) == properties(errors, "status")
    assert fields(RetryPolicy) == properties(errors, "retry")
    assert fields(CommonIssue) == properties(errors, "common_issue")
    assert fields(ResponseField) == set(shape_fields["properties"])
    assert fields(Label) == properties(glossary, "label")


def test_schema_files_are_formatted_json() -> None:
    for path in (ROOT / "tools" / "zofdocs" / "schemas").glob("*.json"):
        json.loads(path.read_text())
        assert Path(path).read_text().endswith("}\n")
