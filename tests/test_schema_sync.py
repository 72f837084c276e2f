"""The JSON Schemas, the validator and the model stay in step.

The schemas are what editors validate against, and `zofdocs.schema.validate` takes its
verdict from the reference implementation (`jsonschema`) and words it with located
messages; a quicker validator (`jsonschema_rs`) passes a valid file first. These tests
check the schemas against the JSON Schema meta-schema; check on documents generated
from each schema (`hypothesis-jsonschema`), and on broken copies of them and of the
fixture files, that `validate` gives the reference's verdict, where the quick one would
differ too; check that text that may not be empty may not be blank either; and check
that the typed model has a field for every property.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from tests.conftest import CATALOG, ROOT, RUNBOOKS, SHIPPED_CATALOG
from zofdocs import schema as schema_module
from zofdocs.catalog import FILES, load_sources
from zofdocs.errors import CatalogError
from zofdocs.model import CommonIssue, ErrorCode, Label, ResponseField, RetryPolicy, Status
from zofdocs.schema import (
    ANNOTATIONS,
    KNOWN_KEYWORDS,
    NOT_BLANK,
    PROJECT_KEYWORDS,
    SCHEMAS,
    follow,
    load_schema,
    registry,
    validate,
)
from zofdocs.yamlsource import Source, load_yaml

VALID_EXAMPLES = 50
"""Generated documents per schema that both must find valid."""
BROKEN_EXAMPLES = 200
"""Broken documents per schema on which both must give the same verdict."""


# -- the schemas themselves ------------------------------------------------------------


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
def test_schema_uses_only_keywords_the_validator_words(name: str) -> None:
    used = set(keywords(load_schema(name)))
    assert used <= KNOWN_KEYWORDS, (
        f"{sorted(used - KNOWN_KEYWORDS)}: word its message in zofdocs.schema first"
    )


def test_known_keywords_are_json_schema_2020_12() -> None:
    assert (KNOWN_KEYWORDS - ANNOTATIONS - PROJECT_KEYWORDS).issubset(
        jsonschema.Draft202012Validator.VALIDATORS
    )


def strings(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every string rule of a schema, by where it stands."""

    def walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            if node.get("type") == "string":
                yield where, node
            for key, value in node.items():
                if key in ("properties", "$defs"):
                    for name, sub in value.items():
                        yield from walk(sub, f"{where}/{key}/{name}")
                elif isinstance(value, dict):
                    yield from walk(value, f"{where}/{key}")

    yield from walk(schema, "#")


BLANKS = ("", " ", "   ", "\t", "\n", " \n\t ", "\u3000", "\x1c")
"""Blank text; `\\x1c` is white space to Python (`str.isspace`), not to Unicode."""


@pytest.mark.parametrize("name", SCHEMAS)
def test_text_that_may_not_be_empty_may_not_be_blank(name: str) -> None:
    """A blank value is refused wherever an empty one is: by the schema, for editors too."""
    schema = load_schema(name)
    for where, rule in strings(schema):
        check = jsonschema.Draft202012Validator({**rule, "$defs": schema.get("$defs", {})})
        if not check.is_valid(""):
            assert not any(check.is_valid(blank) for blank in BLANKS), where


def test_blank_title_is_refused_by_both(tmp_path: Path) -> None:
    schema = load_schema("errors")
    data = {"doc_base_url": "https://docs.example/", "codes": [{"code": "a", "title": "   "}]}
    source = load(data, tmp_path / "errors.yml")
    assert not jsonschema.Draft202012Validator(schema).is_valid(source.data)
    assert [str(p) for p in validate(source, schema)] == [
        f"{source.name}:4:10: 'codes[0].title' must not be empty "
        "(hint: write some text; spaces alone count as empty)"
    ]
    assert schema["$defs"]["code"]["properties"]["title"]["pattern"] == NOT_BLANK


def test_whole_number_written_as_a_decimal_is_a_cross_check(catalog_dir: Path) -> None:
    """JSON Schema counts 404.0 as an integer; the cross-checks refuse it as written."""
    path = catalog_dir / "errors.yml"
    lines = path.read_text().splitlines()
    index = next(i for i, s in enumerate(lines) if re.fullmatch(r" +status: \d+", s))
    number = lines[index].split(": ")[1]
    lines[index] += ".0"
    path.write_text("\n".join(lines) + "\n")
    assert validate(load_yaml(path), load_schema("errors")) == []
    with pytest.raises(CatalogError) as caught:
        load_sources(catalog_dir)
    [problem] = caught.value.problems
    assert re.fullmatch(rf"'codes\[\d+\]\.status' must be a whole number, not {number}\.0",
                        problem.message)  # fmt: skip
    assert (problem.line, problem.hint) == (index + 1, f"write {number}")


@pytest.mark.parametrize(
    ("old", "new", "refused"),
    [
        # An integer in a list item's $ref'd retry policy, in a nested object.
        ("max_attempts: 4,", "max_attempts: 4.0,", "'statuses[6].retry.max_attempts'"),
        # A number may have a decimal point.
        ("initial_delay_seconds: 1}", "initial_delay_seconds: 1.5}", None),
        ("initial_delay_seconds: 1}", "initial_delay_seconds: 0.5e+1}", None),
    ],
)
def test_only_a_place_the_schema_types_as_an_integer_refuses_a_decimal(
    catalog_dir: Path, old: str, new: str, refused: str | None
) -> None:
    path = catalog_dir / "errors.yml"
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    if refused is None:
        load_sources(catalog_dir)
        return
    with pytest.raises(CatalogError) as caught:
        load_sources(catalog_dir)
    [problem] = caught.value.problems
    assert problem.message.startswith(f"{refused} must be a whole number, not 4.0")


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


# -- the verdicts agree with the reference implementation -------------------------------


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # A copied item is written out again.
        return True


def load(data: Any, path: Path) -> Source:
    """Write data as YAML and load it as zofdocs loads a file, with its marks."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)


def small(schema: Any) -> Any:
    """The schema with lists of at most two items: fewer, faster documents, all valid.

    A reference to another packaged schema is written out, as hypothesis-jsonschema
    follows only references inside the schema.
    """
    if isinstance(schema, list):
        return [small(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        target, _ = follow({}, ref)  # Its own references are local to its schema: none yet.
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    out = {k: v if k in ("enum", "const", "required") else small(v) for k, v in schema.items()}
    if out.get("type") == "array":
        out["maxItems"] = max(out.get("minItems", 0), 2)
    return out


def fixtures(name: str) -> list[Any]:
    if name == "team":
        return [load_yaml(path).data for path in sorted(RUNBOOKS.glob("*/team.yml"))]
    return [load_yaml(CATALOG / FILES[name]).data]


WRONG: tuple[Any, ...] = (None, True, False, 0, 7, -1, 700, 404.0, 7.5, "x", "", [], ["x"], {},
         {"x": 1})  # fmt: skip
"""Values of every type, and numbers on and off the edges of the schemas' ranges. Not
`.inf` or `.nan`: the loader refuses them before any schema is asked."""
UNKNOWN_KEYS = ("unexpected", "titel", "Title", "retyr", "x-hint", 7)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _changes(value: Any) -> list[Callable[[st.DataObject], Any]]:
    """Ways to break a value; each draws what it needs and returns the new value."""
    changes: list[Callable[[st.DataObject], Any]] = [
        # A copy: a later break may change inside it, and WRONG is shared.
        lambda data: copy.deepcopy(data.draw(st.sampled_from(WRONG), label="wrong type"))
    ]
    if isinstance(value, str):
        changes += [
            lambda data: data.draw(st.sampled_from(BLANKS), label="blank"),
            lambda data: data.draw(
                st.sampled_from(
                    [
                        value + "!",
                        " " + value,
                        value + " ",
                        value + "\n",
                        value.upper(),
                        value[:-1],
                        value + "s",
                        "-" + value,
                        "x" * 101 + value,
                    ]
                ),
                label="pattern, enum or length miss",
            ),
        ]
    elif isinstance(value, int | float) and not isinstance(value, bool):
        changes.append(lambda data: data.draw(st.sampled_from([value + 1000, -value, value + 0.5])))
    elif isinstance(value, dict):
        changes.append(
            lambda data: {**value, data.draw(st.sampled_from(UNKNOWN_KEYS), label="key"): "x"}
        )
        if value:
            changes.append(lambda data: _without(value, data.draw(st.sampled_from(list(value)))))
    elif isinstance(value, list):
        changes += [
            lambda data: [],
            lambda data: [*value, copy.deepcopy(data.draw(st.sampled_from(WRONG)))],
        ]
        if value:
            changes += [lambda data: [*value, copy.deepcopy(value[0])], lambda data: value[1:]]
    return changes


def _without(mapping: dict[Any, Any], key: Any) -> dict[Any, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def broken(data: st.DataObject, document: Any) -> Any:
    """A copy of a document with one to three values broken."""
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3), label="breaks")):
        path = data.draw(st.sampled_from(list(_paths(document))), label="path")
        parent: Any = None
        value = document
        for part in path:
            parent, value = value, value[part]
        change = data.draw(st.sampled_from(_changes(value)), label="change")
        if parent is None:
            document = change(data)
        else:
            parent[path[-1]] = change(data)
    return document


def agree(source: Source, schema: dict[str, Any]) -> bool:
    """Assert both give the same verdict, with located problems; return the verdict."""
    problems = validate(source, schema)
    valid: bool = jsonschema.Draft202012Validator(schema, registry=registry()).is_valid(source.data)
    note(source.path.read_text(encoding="utf-8"))
    note(f"zofdocs: {[str(p) for p in problems]}")
    assert (problems == []) == valid
    assert all(problem.line >= 1 for problem in problems)
    assert problems == sorted(set(problems))
    return valid


@pytest.mark.parametrize("name", SCHEMAS)
def test_generated_documents_are_valid_for_both(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    schema = load_schema(name)
    path = tmp_path_factory.mktemp(name) / f"{name}.yml"

    @settings(max_examples=VALID_EXAMPLES, deadline=None)
    @given(document=from_schema(small(schema)))
    def check(document: Any) -> None:
        source = load(document, path)
        assert source.data == document
        assert agree(source, schema)

    check()


@pytest.mark.parametrize("name", SCHEMAS)
def test_broken_documents_get_the_same_verdict_from_both(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    schema = load_schema(name)
    path = tmp_path_factory.mktemp(name) / f"{name}.yml"
    bases = st.sampled_from(fixtures(name)) | from_schema(small(schema))
    verdicts: set[bool] = set()

    @settings(max_examples=BROKEN_EXAMPLES, deadline=None)
    @given(base=bases, data=st.data())
    def check(base: Any, data: st.DataObject) -> None:
        verdicts.add(agree(load(broken(data, base), path), schema))

    check()
    assert verdicts == {True, False}, "the broken documents should not all share a verdict"


def test_a_valid_file_is_passed_without_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick verdict answers for a valid file: the reference is not even compiled."""

    def reference(schema: dict[str, Any]) -> Any:
        raise AssertionError("the reference implementation was asked about a valid file")

    monkeypatch.setattr(schema_module, "_compiled", reference)
    for name, filename in FILES.items():
        assert validate(load_yaml(CATALOG / filename), load_schema(name)) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # Rust's regular expressions count only Unicode's white space as `\s`.
        ("    title: Bad Request", '    title: "\\x1C"', "'statuses[0].title' must not be empty"),
        # Rust cannot read a key that is not text.
        ("    title: Bad Request", "    title: Bad Request\n    7: x", "unknown key"),
    ],
)
def test_where_the_quick_verdict_would_differ_the_reference_decides(
    catalog_dir: Path, old: str, new: str, message: str
) -> None:
    path = catalog_dir / "errors.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    source = load_yaml(path)
    problems = validate(source, load_schema("errors"))
    assert len(problems) == 1, problems
    assert message in str(problems[0])
    assert not jsonschema.Draft202012Validator(load_schema("errors")).is_valid(source.data)


def test_a_value_the_quick_validator_cannot_take_goes_to_the_reference() -> None:
    # libyaml refuses a lone surrogate, PyYAML's pure-Python loader reads it; Rust
    # cannot encode it as a key.
    schema = load_schema("errors")
    document = load_yaml(CATALOG / FILES["errors"])
    document.data["codes"][0]["\ud800"] = "x"
    assert not jsonschema.Draft202012Validator(schema, registry=registry()).is_valid(document.data)
    assert len(validate(document, schema)) == 1


def test_infinity_given_as_data_goes_to_the_reference() -> None:
    # The loader refuses `.inf`; data made otherwise may hold it, and Rust finds
    # infinity no greater than 60.
    schema = load_schema("errors")
    document = load_yaml(CATALOG / FILES["errors"])
    retries = [status["retry"] for status in document.data["statuses"] if "retry" in status]
    next(r for r in retries if "initial_delay_seconds" in r)["initial_delay_seconds"] = math.inf
    problems = validate(document, schema)
    assert len(problems) == 1, problems
    assert "is inf, outside 0 to 60" in str(problems[0])


def test_a_schema_with_a_keyword_the_two_differ_on_is_left_to_the_reference(
    tmp_path: Path,
) -> None:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "multipleOf": 0.1}
    source = Source(tmp_path / "n.yml", "n.yml", 0.3, text="0.3\n")
    assert not jsonschema.Draft202012Validator(schema).is_valid(0.3)
    assert len(validate(source, schema)) == 1


# -- the model --------------------------------------------------------------------------


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
