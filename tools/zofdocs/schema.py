r"""Validate loaded YAML against the project's JSON Schemas, with located messages.

The JSON Schemas in `zofdocs/schemas/` are the single statement of each file's shape:
editors (VS Code's YAML language server, through the modeline on each file's first
line) read them to autocomplete and underline the YAML, and this module validates
against the same files. The verdict comes from the maintained reference implementation
of JSON Schema 2020-12, `jsonschema.Draft202012Validator`, so an editor and `zofdocs`
accept and refuse the same documents; this module only words each error for a person:
it names the file's line and column through the marks that `zofdocs.yamlsource` keeps,
and says how to fix the value, with the schema's own `x-hint` where it has one.

Most files are valid, and for them a quicker validator answers first: `jsonschema_rs`
(JSON Schema in Rust) takes a hundredth of a second on 2,000 codes where the reference
takes a third. Only its "valid" is taken; a file it refuses is validated again by the
reference, whose errors are worded. Where the two could differ, the quick one is made
to agree or is not asked (`_quick_verdict`).

One keyword is this project's own: `x-markdown` (`inline` or `block`) marks a text
field and says which Markdown it allows (`zofdocs.markdown.problems`). Editors skip it
as an unknown annotation; `validate` runs it after JSON Schema's own keywords, on a
validator that `jsonschema.validators.extend` made, so a link to `javascript:` is
refused with the field's line and column.

Every rule on a single value is stated in the schema, where editors see it too. Text
that must not be blank, for one, carries the pattern `\S` (`NOT_BLANK`), so that a
title of only spaces is refused by both. What a schema cannot say (unique codes,
references between files, integers written with a decimal point) is checked afterwards
by the cross-checks of `zofdocs.catalog` and `zofdocs.runbooks.team`.

`tests/test_schema_sync.py` generates valid and broken documents from each schema and
checks that `validate` gives the reference implementation's verdict on every one.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from zofdocs.errors import Problem
from zofdocs.suggest import did_you_mean
from zofdocs.yamlsource import Loc, Source

if TYPE_CHECKING:  # jsonschema takes a tenth of a second to import: only `validate` does.
    import jsonschema_rs
    from jsonschema import Draft202012Validator, ValidationError
    from referencing import Registry

__all__ = [
    "ANNOTATIONS",
    "KNOWN_KEYWORDS",
    "NOT_BLANK",
    "PROJECT_KEYWORDS",
    "SCHEMAS",
    "describe",
    "follow",
    "load_schema",
    "registry",
    "schema_text",
    "validate",
]

SCHEMAS = ("errors", "glossary", "pages", "team")
"""The schema names; `load_schema(name)` reads `schemas/NAME.schema.json`."""
_PACKAGED = {f"{name}.schema.json": name for name in SCHEMAS}

NOT_BLANK = r"\S"
"""The pattern of text that must not be blank: at least one character that is not a
space. `validate` words its failure as `must not be empty`."""

ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
     "x-hint"}
)  # fmt: skip
"""Keywords that describe and do not validate; `x-hint` is this project's hint."""

PROJECT_KEYWORDS = frozenset({"x-markdown"})
"""Keywords that validate and are this project's own, not JSON Schema's."""

_Words = Callable[[Source, "ValidationError", Loc], Iterator[Problem]]
_WORDING: dict[str, _Words] = {}


def _words(*keywords: str) -> Callable[[_Words], _Words]:
    def register(function: _Words) -> _Words:
        for keyword in keywords:
            _WORDING[keyword] = function
        return function

    return register


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Read one of the packaged JSON Schemas.

    Args:
        name: One of `SCHEMAS`.

    Returns:
        The schema as a dict; the same dict on every call, which `validate` compiles
        once.
    """
    schema: dict[str, Any] = json.loads(schema_text(name))
    return schema


@cache
def registry() -> Registry:
    """The packaged schemas by their `$id`, for a `$ref` from one schema to another.

    The team schema takes its error code pattern from the errors schema, so that the
    pattern is written in one place. Editors resolve the same reference from the
    published copies, which sit side by side as they do in the package.

    Returns:
        A registry to give `jsonschema` validators as `registry=`.
    """
    from referencing import Registry, Resource

    return Registry().with_resources(
        (load_schema(name)["$id"], Resource.from_contents(load_schema(name))) for name in SCHEMAS
    )


def follow(root: dict[str, Any], ref: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Find the definition a `$ref` of a packaged schema names.

    Args:
        root: The schema the reference stands in.
        ref: A definition of the same schema (`#/$defs/text`) or of another packaged
            one (`errors.schema.json#/$defs/code_name`).

    Returns:
        The definition, and the schema it is in (against which its own references
        resolve).

    Raises:
        ValueError: The reference names anything else.
    """
    document, _, pointer = ref.partition("#")
    name = pointer.removeprefix("/$defs/")
    if document:
        if document not in _PACKAGED:
            raise ValueError(f"{ref!r} names no packaged schema")
        root = load_schema(_PACKAGED[document])
    if not pointer.startswith("/$defs/") or name not in root.get("$defs", {}):
        raise ValueError(f"{ref!r} names no definition")
    definition: dict[str, Any] = root["$defs"][name]
    return definition, root


def schema_text(name: str) -> str:
    """Read a schema as its JSON text, as the site publishes it.

    Args:
        name: One of `SCHEMAS`.

    Returns:
        The text of `schemas/NAME.schema.json`.
    """
    # The package folder of schemas (the site publishes them under layout.SCHEMAS_DIR).
    return resources.files("zofdocs").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")


def validate(source: Source, schema: dict[str, Any]) -> list[Problem]:
    """Check a loaded file against a schema.

    The verdict is `jsonschema.Draft202012Validator`'s: the result is empty exactly
    when it finds the document valid (which `jsonschema_rs` may say first, where the
    two are known to agree: `_quick_verdict`). Each of its errors becomes one or more problems
    (one for each missing or unknown key, one for each repeated item); a value of the
    wrong type gets that one problem, not also one for each rule its type skips.

    Args:
        source: The loaded YAML file.
        schema: A schema from `load_schema`. It is compiled on first use and the
            compiled form is kept, so the schema must not be changed afterwards.

    Returns:
        Every problem found, in line and column order; empty when the file conforms.
    """
    if _quick_verdict(schema, source.data):
        return []
    errors = [_specific(error) for error in _compiled(schema).iter_errors(source.data)]
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    problems: dict[Problem, None] = {}
    for error in errors:
        loc: Loc = tuple(error.absolute_path)
        if error.validator != "type" and loc in mistyped:
            continue
        word = _WORDING.get(str(error.validator), _fallback)
        found = list(word(source, error, loc)) or list(_fallback(source, error, loc))
        problems.update(dict.fromkeys(found))
    return sorted(problems)


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


# -- compiling --------------------------------------------------------------------------


@dataclass
class _Prepared:
    """What validating against one schema object needs, made once for it.

    Attributes:
        schema: The schema, kept so that no other object takes its id.
        inlined: The schema with its references written out; None when one cannot be.
        quick: The quick validator (`_quick_verdict`); None where it may not judge.
        reference: The reference validator, made on first need (`_compiled`): importing
            jsonschema takes a tenth of a second, which a valid file does without.
    """

    schema: dict[str, Any]
    inlined: dict[str, Any] | None
    quick: jsonschema_rs.Validator | None
    reference: Draft202012Validator | None = None


_PREPARED: dict[int, _Prepared] = {}


def _prepared(schema: dict[str, Any]) -> _Prepared:
    """The validators of a schema, and the schema inlined once for both."""
    entry = _PREPARED.get(id(schema))
    if entry is None or entry.schema is not schema:
        if len(_PREPARED) > 64:  # Only tests make schemas of their own.
            _PREPARED.clear()
            _VALID_ITEMS.clear()  # Its keys hold the ids of schemas no longer kept alive.
        inlined = _inlined(schema)
        entry = _PREPARED[id(schema)] = _Prepared(schema, inlined, _quick_validator(inlined))
    return entry


def _compiled(schema: dict[str, Any]) -> Draft202012Validator:
    """The reference validator for a schema, made once for each schema object."""
    entry = _prepared(schema)
    if entry.reference is None:
        from jsonschema import Draft202012Validator, validators

        # The packaged schemas are checked against the meta-schema by the tests, not
        # here: that would add a twentieth of a second to every run.
        checker = validators.extend(
            Draft202012Validator, {"x-markdown": _markdown_keyword, "items": _items_keyword}
        )
        # jsonschema follows a reference `_inline` cannot write out as it is.
        entry.reference = checker(entry.inlined or schema, registry=registry())
    return entry.reference


_VALID_ITEMS: set[tuple[int, str]] = set()
"""Items found valid before, by their schema and their value: the preview validates the
whole catalog on every save, and most of its 2,000 codes did not change."""


def _items_keyword(
    validator: Any, items: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """`items`, as jsonschema checks it, but an item valid before is not checked again.

    Only valid items are remembered (a schema's verdict on a value never changes; the
    schemas refer to nothing outside them), so every error is still found and reported
    with its path. The packaged schemas use no `prefixItems`; a schema with them, or
    with `items: false`, is checked by jsonschema's own rule.
    """
    from jsonschema._keywords import items as checked

    if not isinstance(items, dict) or "prefixItems" in schema:
        yield from checked(validator, items, instance, schema)
        return
    if not validator.is_type(instance, "array"):
        return
    if len(_VALID_ITEMS) > 100_000:  # A long preview of a changing catalog.
        _VALID_ITEMS.clear()
    for index, item in enumerate(instance):
        key = (id(items), repr(item))
        if key in _VALID_ITEMS:
            continue
        errors = list(validator.descend(item, items, path=index))
        if errors:
            yield from errors
        else:
            _VALID_ITEMS.add(key)


def _markdown_keyword(
    validator: Any, kind: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """`x-markdown`: a text field holds only the Markdown its kind allows."""
    from jsonschema import ValidationError

    fault = _markdown_fault(instance, kind)
    if fault:
        yield ValidationError(fault)


def _markdown_fault(instance: Any, kind: str) -> str:
    """What `x-markdown` finds wrong with a value, for either validator; empty if nothing."""
    from zofdocs.markdown import problems

    if isinstance(instance, str) and problems(instance, kind):
        return f"holds Markdown a {kind} text field may not hold"
    return ""


def _inlined(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The schema with its references written out, or None when one cannot be."""
    try:
        inlined: dict[str, Any] = _inline(schema, schema, ())
    except _CannotInlineError:  # A recursive or remote $ref.
        return None
    return inlined


# -- the quick verdict ------------------------------------------------------------------


def _quick_verdict(schema: dict[str, Any], data: Any) -> bool:
    r"""Whether `jsonschema_rs` finds a document valid, where its verdict is the reference's.

    A "valid" is taken, anything else is left to the reference, so the two may differ
    only where the quick one accepts what the reference refuses. Each known cause of
    that is ruled out:

    - A `pattern` is searched with Python's `re`, as the reference does: Rust's `\s`
      and `\d` are not Python's (`\x1c` is white space only to Python).
    - `x-markdown` runs the same `zofdocs.markdown.problems`.
    - A document holding what JSON cannot (NaN or infinity, which Rust compares
      differently, or a key that is not text) is not asked about; nor is a schema with a
      reference `_inline` cannot write out, or a keyword outside `KNOWN_KEYWORDS`
      (`multipleOf`, for one: Rust finds 0.3 a multiple of 0.1). Should it fail on a
      value all the same (a lone surrogate, which it cannot encode), the reference is
      asked.

    `tests/test_schema_sync.py` compares `validate` with the reference on generated
    documents and on broken copies of the fixtures.
    """
    quick = _prepared(schema).quick
    if quick is None or not _json_only(data):
        return False
    try:
        return quick.is_valid(data)
    except Exception:  # Whatever it cannot take, the reference is there to judge.
        return False


def _quick_validator(inlined: dict[str, Any] | None) -> jsonschema_rs.Validator | None:
    """The quick validator of an inlined schema; None where it may not judge."""
    if inlined is None:
        return None
    import jsonschema_rs

    try:
        return jsonschema_rs.validator_for(
            _python_patterns(inlined),
            keywords={"x-markdown": _MarkdownKeyword, "x-python-pattern": _PatternKeyword},
        )
    except _UnvettedError:
        return None


class _UnvettedError(Exception):
    """A keyword the two validators are not known to agree on."""


def _python_patterns(node: Any) -> Any:
    """A copy of an inlined schema with each `pattern` renamed `x-python-pattern`.

    Raises:
        _UnvettedError: The schema has a keyword outside `KNOWN_KEYWORDS`.
    """
    if isinstance(node, list):
        return [_python_patterns(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy: dict[str, Any] = {}
    for key, value in node.items():
        if key not in KNOWN_KEYWORDS and key != "allOf":  # `_inline` may add `allOf`.
            raise _UnvettedError(key)
        if key == "properties":  # Names, not keywords.
            copy[key] = {name: _python_patterns(sub) for name, sub in value.items()}
        elif key in ("enum", "const", "examples", "default", "required"):  # Values.
            copy[key] = value
        else:
            copy["x-python-pattern" if key == "pattern" else key] = _python_patterns(value)
    return copy


def _json_only(data: Any) -> bool:
    """Whether a loaded document holds only what JSON can: text keys, finite numbers."""
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            if not all(type(key) is str for key in value):
                return False
            stack.extend(value.values())
        elif kind is list:
            stack.extend(value)
        elif kind is float:
            if not math.isfinite(value):
                return False
        elif not (kind is str or kind is int or kind is bool or value is None):
            return False
    return True


class _PatternKeyword:
    """`pattern` as the reference implementation runs it: Python's `re.search`."""

    def __init__(self, parent_schema: dict[str, Any], value: str, schema_path: Any) -> None:
        self.pattern = re.compile(value)

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not self.pattern.search(instance):
            raise ValueError(f"does not match {self.pattern.pattern!r}")


class _MarkdownKeyword:
    """`x-markdown`, as `_markdown_keyword` runs it for the reference."""

    def __init__(self, parent_schema: dict[str, Any], value: str, schema_path: Any) -> None:
        self.kind = value

    def validate(self, instance: Any) -> None:
        fault = _markdown_fault(instance, self.kind)
        if fault:
            raise ValueError(fault)


class _CannotInlineError(Exception):
    """A `$ref` that `_inline` leaves to jsonschema."""


def _inline(node: Any, root: dict[str, Any], refs: tuple[str, ...]) -> Any:
    """Copy a schema with each local `$ref` replaced by what it names.

    jsonschema resolves a `$ref` on every visit, which takes most of its time on a
    catalog of thousands of codes; the same schema with its references written out
    validates about two and a half times as fast, with the same verdict (the agreement test compares
    with the schema as written). The keywords beside a `$ref` are merged over the
    definition's, so a property's own `description` or `x-hint` wins; should both set
    the same validation keyword, the two are kept apart under `allOf`.
    """
    if isinstance(node, list):
        return [_inline(item, root, refs) for item in node]
    if not isinstance(node, dict):
        return node
    copy: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$ref", "$defs"):
            continue
        if key == "properties":
            copy[key] = {name: _inline(sub, root, refs) for name, sub in value.items()}
        elif key in ("enum", "const", "examples", "default"):
            copy[key] = value
        else:
            copy[key] = _inline(value, root, refs)
    ref = node.get("$ref")
    if ref is None:
        return copy
    if not isinstance(ref, str) or ref in refs:
        raise _CannotInlineError(ref)
    try:
        definition, root = follow(root, ref)
    except ValueError:  # Not a plain definition: leave it to jsonschema.
        raise _CannotInlineError(ref) from None
    target = _inline(definition, root, (*refs, ref))
    if (copy.keys() & target.keys()) - ANNOTATIONS:
        return {**copy, "allOf": [*copy.get("allOf", []), target]}
    return {**target, **copy}


def _specific(error: ValidationError) -> ValidationError:
    """For `anyOf` and `oneOf`, the error of the branch that came closest."""
    if error.context:
        from jsonschema.exceptions import best_match

        return best_match(error.context)
    return error


# -- wording ----------------------------------------------------------------------------

_ARTICLE = {"object": "a mapping", "array": "a list", "integer": "an integer"}
_QUOTE_IT = (
    "put the value in quotes; unquoted yes, no, on, off, numbers and an empty value are "
    "not text in YAML"
)


def _hint(error: ValidationError) -> str:
    return str(error.schema.get("x-hint", "")) if isinstance(error.schema, dict) else ""


def _type_name(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true/false"
    for name, kind in (("object", dict), ("array", list), ("string", str), ("integer", int)):
        if isinstance(value, kind):
            return _ARTICLE.get(name, f"a {name}")
    return "a number"


def _fallback(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    yield source.problem(loc, f"{describe(loc)}: {error.message}", _hint(error))


@_words("type")
def _type(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    wanted = error.validator_value
    names = wanted if isinstance(wanted, list) else [wanted]
    value = error.instance
    hint = _hint(error)
    if "string" in names and (value is None or isinstance(value, bool | int | float)):
        hint = _QUOTE_IT
    elif "string" in names and isinstance(value, dict):
        hint = "put text that contains ': ' in quotes"
    listed = " or ".join(_ARTICLE.get(n, f"a {n}") for n in names)
    yield source.problem(loc, f"{describe(loc)} must be {listed}, not {_type_name(value)}", hint)


@_words("const")
def _const(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    message = f"{describe(loc)} must be {error.validator_value!r}, not {error.instance!r}"
    yield source.problem(loc, message, _hint(error))


@_words("enum")
def _enum(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    value = error.instance
    names = [str(choice) for choice in error.validator_value]
    # A prefix counts too: "prod" means "production", though difflib finds them apart.
    prefixed = [name for name in names if str(value) and name.startswith(str(value))]
    hint = did_you_mean(str(value), names) or (
        f"did you mean {prefixed[0]!r}?" if prefixed else _hint(error)
    )
    message = f"{describe(loc)} must be one of: {', '.join(names)}; not {value!r}"
    yield source.problem(loc, message, hint)


@_words("pattern")
def _pattern(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    if error.validator_value == NOT_BLANK:
        message = f"{describe(loc)} must not be empty"
    else:
        value, pattern = error.instance, error.validator_value
        message = f"{describe(loc)} is {value!r}, which does not match {pattern}"
    yield source.problem(loc, message, _hint(error))


@_words("minLength")
def _min_length(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    least = error.validator_value
    message = (
        f"{describe(loc)} must not be empty"
        if least <= 1
        else f"{describe(loc)} is {len(error.instance):,} characters, fewer than {least}"
    )
    yield source.problem(loc, message, _hint(error))


@_words("maxLength")
def _max_length(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    length = len(error.instance)
    message = f"{describe(loc)} is {length:,} characters, more than {error.validator_value}"
    yield source.problem(loc, message, "shorten it")


@_words("minimum", "maximum")
def _range(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    low, high = error.schema.get("minimum"), error.schema.get("maximum")
    message = f"{describe(loc)} is {error.instance}, outside {low} to {high}"
    yield source.problem(loc, message, _hint(error))


@_words("minItems")
def _min_items(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    message = f"{describe(loc)} needs at least {error.validator_value} item(s)"
    yield source.problem(loc, message, _hint(error))


def _same(a: Any, b: Any) -> bool:
    """Equality as JSON Schema has it: true is not 1, though 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@_words("uniqueItems")
def _unique_items(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    items = error.instance
    for index, item in enumerate(items):
        first = next((i for i in range(index) if _same(items[i], item)), None)
        if first is not None:
            where = (*loc, index)
            yield source.problem(
                where, f"{describe(where)} repeats item {first}", "remove the repeated item"
            )


@_words("required")
def _required(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    # jsonschema reports each missing key apart, naming it only in its message text;
    # every error words all of them, and `validate` drops the repeats.
    properties = error.schema.get("properties", {})
    for name in error.validator_value:
        if name in error.instance:
            continue
        about = properties.get(name)
        what = about.get("description") if isinstance(about, dict) else None
        hint = f"add '{name}:' ({what})" if what else f"add '{name}:'"
        yield source.problem(loc, f"{describe(loc)} is missing the required key '{name}'", hint)


@_words("additionalProperties")
def _additional(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    allowed = list(error.schema.get("properties", {}))
    for key in error.instance:
        if key in allowed:
            continue
        hint = did_you_mean(str(key), allowed) or "allowed keys: " + ", ".join(allowed)
        message = f"unknown key '{key}' in {describe(loc)}"
        yield source.problem((*loc, key), message, hint, key=True)


@_words("x-markdown")
def _markdown(source: Source, error: ValidationError, loc: Loc) -> Iterator[Problem]:
    from zofdocs.markdown import problems

    for message, hint in problems(error.instance, str(error.validator_value)):
        yield source.problem(loc, f"{describe(loc)}: {message}", hint)


KNOWN_KEYWORDS = frozenset(_WORDING.keys() | {"$ref", "properties", "items"} | ANNOTATIONS)
"""Every keyword the schemas may use: those `validate` words a message for, the
applicators `$ref`, `properties` and `items` (whose errors are their subschemas'), and
the annotations. A test fails on any other, so that a new keyword comes with its
wording."""
