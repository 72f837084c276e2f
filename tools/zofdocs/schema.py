"""Validate loaded YAML against the project's JSON Schemas, with located messages.

The JSON Schemas in `zofdocs/schemas/` are the single statement of each file's shape:
editors read them to autocomplete and underline the YAML, and this module reads them to
validate. It implements the small subset of JSON Schema 2020-12 that the schemas use,
which lets every message name the exact line and column and say how to fix the value;
a test checks the same verdicts with the `jsonschema` reference implementation.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from zofdocs.errors import Problem
from zofdocs.yamlsource import Loc, Source

__all__ = ["KNOWN_KEYWORDS", "SCHEMAS", "load_schema", "schema_text", "validate"]

SCHEMAS = ("errors", "glossary", "pages", "team")
"""The schema names; `load_schema(name)` reads `schemas/NAME.schema.json`."""

KNOWN_KEYWORDS = frozenset(
    {
        # Validation keywords this module enforces.
        "$ref", "type", "properties", "required", "additionalProperties", "items",
        "enum", "const", "pattern", "minLength", "maxLength", "minItems", "uniqueItems",
        "minimum", "maximum",
        # Annotations, ignored by validation.
        "$schema", "$id", "$defs", "$comment", "title", "description", "examples",
        "default", "x-hint",
    }
)  # fmt: skip
"""Every keyword the schemas may use; a test fails on any other."""

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}
_ARTICLE = {"object": "a mapping", "array": "a list", "integer": "an integer"}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Read one of the packaged JSON Schemas.

    Args:
        name: One of `SCHEMAS`.

    Returns:
        The schema as a dict.
    """
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


def schema_text(name: str) -> str:
    """Read a schema as its JSON text, as the site publishes it.

    Args:
        name: One of `SCHEMAS`.

    Returns:
        The text of `schemas/NAME.schema.json`.
    """
    return resources.files("zofdocs").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")


def validate(source: Source, schema: dict[str, Any]) -> list[Problem]:
    """Check a loaded file against a schema.

    Args:
        source: The loaded YAML file.
        schema: A schema from `load_schema`.

    Returns:
        Every problem found; empty when the file conforms.
    """
    problems: list[Problem] = []
    _Validator(source, schema, problems).check(source.data, schema, ())
    return problems


def describe(loc: Loc) -> str:
    """Spell a location the way a reader finds it in the file: `codes[2].status`.

    Args:
        loc: A location.

    Returns:
        The location as text; `the document` for the root.
    """
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"'{text}'" if text else "the document"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    for name, types in _TYPES.items():
        if name not in ("number", "boolean") and isinstance(value, types):
            return _ARTICLE.get(name, f"a {name}") if value is not None else "empty (null)"
    return "a number"


def _is_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, _TYPES[name])


class _Validator:
    def __init__(self, source: Source, root: dict[str, Any], problems: list[Problem]) -> None:
        self.source = source
        self.root = root
        self.problems = problems

    def fail(self, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> None:
        self.problems.append(self.source.problem(loc, message, hint, key=key))

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            ref = schema["$ref"]
            assert ref.startswith("#/$defs/"), ref
            schema = self.root["$defs"][ref.removeprefix("#/$defs/")]
        return schema

    def check(self, value: Any, schema: dict[str, Any], loc: Loc) -> None:
        schema = self.resolve(schema)
        if "type" in schema and not self.check_type(value, schema, loc):
            return
        if "const" in schema and value != schema["const"]:
            self.fail(loc, f"{describe(loc)} must be {schema['const']!r}, not {value!r}")
        if "enum" in schema:
            self.check_enum(value, schema, loc)
        if isinstance(value, str):
            self.check_string(value, schema, loc)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.check_number(value, schema, loc)
        elif isinstance(value, list):
            self.check_list(value, schema, loc)
        elif isinstance(value, dict):
            self.check_mapping(value, schema, loc)

    def check_type(self, value: Any, schema: dict[str, Any], loc: Loc) -> bool:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if any(_is_type(value, name) for name in names):
            return True
        wanted = " or ".join(_ARTICLE.get(n, f"a {n}") for n in names)
        hint = schema.get("x-hint", "")
        if "string" in names and (value is None or isinstance(value, bool | int | float)):
            hint = (
                "put the value in quotes; unquoted yes, no, on, off, numbers and an empty "
                "value are not text in YAML"
            )
        elif "string" in names and isinstance(value, dict):
            hint = "put text that contains ': ' in quotes"
        self.fail(loc, f"{describe(loc)} must be {wanted}, not {_type_name(value)}", hint)
        return False

    def check_enum(self, value: Any, schema: dict[str, Any], loc: Loc) -> None:
        choices = schema["enum"]
        if value in choices and not isinstance(value, bool):
            return
        names = [str(c) for c in choices]
        close = difflib.get_close_matches(str(value), names, n=1) or [
            name for name in names if str(value) and name.startswith(str(value))
        ]
        hint = f"did you mean {close[0]!r}?" if close else schema.get("x-hint", "")
        listed = ", ".join(str(c) for c in choices)
        self.fail(loc, f"{describe(loc)} must be one of: {listed}; not {value!r}", hint)

    def check_string(self, value: str, schema: dict[str, Any], loc: Loc) -> None:
        if len(value.strip()) < schema.get("minLength", 0):
            self.fail(loc, f"{describe(loc)} must not be empty", schema.get("x-hint", ""))
        elif len(value) > schema.get("maxLength", len(value)):
            self.fail(
                loc,
                f"{describe(loc)} is {len(value):,} characters, more than {schema['maxLength']}",
                "shorten it",
            )
        elif "pattern" in schema and not re.search(schema["pattern"], value):
            self.fail(
                loc,
                f"{describe(loc)} is {value!r}, which does not match {schema['pattern']}",
                schema.get("x-hint", ""),
            )

    def check_number(self, value: float, schema: dict[str, Any], loc: Loc) -> None:
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(
                loc,
                f"{describe(loc)} is {value}, outside {low} to {high}",
                schema.get("x-hint", ""),
            )

    def check_list(self, value: list[Any], schema: dict[str, Any], loc: Loc) -> None:
        if len(value) < schema.get("minItems", 0):
            self.fail(
                loc,
                f"{describe(loc)} needs at least {schema['minItems']} item(s)",
                schema.get("x-hint", ""),
            )
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            if schema.get("uniqueItems"):
                marker = json.dumps(item, sort_keys=True, default=str)
                if marker in seen:
                    self.fail(
                        (*loc, index),
                        f"{describe((*loc, index))} repeats item {seen[marker]}",
                        "remove the repeated item",
                    )
                seen.setdefault(marker, index)
            if "items" in schema:
                self.check(item, schema["items"], (*loc, index))

    def check_mapping(self, value: dict[Any, Any], schema: dict[str, Any], loc: Loc) -> None:
        properties: dict[str, Any] = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                where = describe(loc)
                self.fail(
                    loc,
                    f"{where} is missing the required key '{name}'",
                    f"add '{name}:' ({self.resolve(properties[name]).get('description', '')})"
                    if name in properties
                    else "",
                )
        for key, item in value.items():
            if key in properties:
                self.check(item, properties[key], (*loc, key))
            elif schema.get("additionalProperties", True) is False:
                close = difflib.get_close_matches(str(key), list(properties), n=1)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "allowed keys: " + ", ".join(properties)
                )
                self.fail((*loc, key), f"unknown key '{key}' in {describe(loc)}", hint, key=True)
            elif isinstance(schema.get("additionalProperties"), dict):
                self.check(item, schema["additionalProperties"], (*loc, key))
