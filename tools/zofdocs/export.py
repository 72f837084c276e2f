"""Machine-readable catalogs: what SDKs, support tools, API descriptions and editors read.

- `errors.json`: the whole catalog, stable and documented (`format_version` 1).
- `openapi.json`: an OpenAPI 3.1 fragment: the error schema with the code enum, and one
  response per status with a real example.
- `problems/CODE.json`: an RFC 9457 problem document per code, whose `type` is the
  code's page.
- `vale/`: a Vale style from the glossary: accepted labels, and substitutions for
  known wrong spellings.

Each is a pure function of the sources, so the output is deterministic.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from zofdocs.jsontext import indented
from zofdocs.layout import ERRORS_JSON, OPENAPI_JSON, PROBLEMS_DIR, VALE_DIR, problem_file
from zofdocs.model import Catalog, ErrorCode, Glossary, RetryPolicy, Sources

__all__ = [
    "FORMATS",
    "VALE_FILES",
    "errors_json",
    "export_paths",
    "exports",
    "openapi",
    "problem",
    "vale",
]

FORMAT_VERSION = 1
"""Raised when a field of errors.json changes meaning or disappears."""


def _retry(retry: RetryPolicy) -> dict[str, Any]:
    data: dict[str, Any] = {"policy": retry.policy}
    if retry.change:
        data["change"] = retry.change
    if retry.methods:
        data["methods"] = list(retry.methods)
    if retry.max_attempts is not None:
        data["max_attempts"] = retry.max_attempts
    if retry.initial_delay_seconds is not None:
        data["initial_delay_seconds"] = retry.initial_delay_seconds
    return data


def _code(catalog: Catalog, code: ErrorCode) -> dict[str, Any]:
    # Every key is always there (null when the catalog does not say), except the
    # lifecycle and imported ones, which appear only when set.
    data: dict[str, Any] = {
        "code": code.code,
        "status": code.status.status if code.status else None,
        "title": code.title,
        "description": code.description,
        "example": code.response(),
        "params": list(code.params),
        "causes": list(code.causes),
        "fixes": list(code.fixes),
        "retry": _retry(code.retry) if code.retry else None,
        "labels": [label.label for label in code.labels],
        "added": code.added,
        "doc_url": catalog.doc_url(code),
    }
    if code.deprecated:
        data["deprecated"] = code.deprecated
        data["replaced_by"] = code.replaced_by
    optional = {
        "updated": code.updated,
        "group": code.group,
        "severity": code.severity,
        "aliases": list(code.aliases),
        "details": code.details,
    }
    data.update((key, value) for key, value in optional.items() if value)
    return data


def errors_json(sources: Sources) -> dict[str, Any]:
    """The whole catalog as JSON data.

    Args:
        sources: The loaded sources.

    Returns:
        Data with `format_version`, `response_shape`, `statuses`, `codes` and
        `common_issues`, in catalog order.
    """
    catalog = sources.catalog
    shape = catalog.response_shape
    return {
        "format_version": FORMAT_VERSION,
        "doc_base_url": catalog.doc_base_url,
        "response_shape": {
            "fields": [
                {"name": f.name, "type": f.type, "required": f.required,
                 "description": f.description}
                for f in shape.fields
            ],
            "example": shape.example,
        } if shape else None,
        "statuses": [
            {"status": s.status, "title": s.title, "meaning": s.meaning,
             "retry": _retry(s.retry) if s.retry else None}
            for s in catalog.statuses
        ],
        "codes": [_code(catalog, code) for code in catalog.codes],
        "common_issues": [
            {"id": i.id, "title": i.title, "summary": i.summary, "symptom": i.symptom,
             "cause": i.cause, "fix": list(i.fix),
             "statuses": [s.status for s in i.statuses], "codes": [c.code for c in i.codes],
             "labels": [label.label for label in i.labels]}
            for i in catalog.common_issues
        ],
    }  # fmt: skip


def openapi(sources: Sources) -> dict[str, Any]:
    """An OpenAPI 3.1 fragment: the error schema, and one response per status.

    Args:
        sources: The loaded sources.

    Returns:
        An OpenAPI document with `components` only, to merge into the API's own.

    Raises:
        ValueError: The catalog has no response shape to build the error schema from.
    """
    catalog = sources.catalog
    shape = catalog.response_shape
    if shape is None:
        raise ValueError("the catalog has no response_shape to build the error schema from")
    codes = list(catalog.codes)
    responses: dict[str, Any] = {}
    for status in catalog.statuses:
        examples = {
            code.code: {"summary": code.title, "value": code.response()}
            for code in catalog.codes_for(status)
        }
        responses[f"Error{status.status}"] = {
            "description": f"{status.status} {status.title}: {status.meaning}",
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/ErrorResponse"},
                    "examples": examples,
                }
            },
        }
    error: dict[str, Any] = {
        "type": "object",
        "required": [f.name.removeprefix("error.") for f in shape.fields if f.required],
        "properties": {
            f.name.removeprefix("error."): {"type": f.type, "description": f.description}
            for f in shape.fields
        },
        "additionalProperties": False,
    }  # fmt: skip
    error["properties"]["code"]["enum"] = [code.code for code in codes]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Zof API errors",
            "version": str(FORMAT_VERSION),
            "description": "The error responses of the Zof API, generated from its catalog.",
        },
        "components": {
            "schemas": {
                "Error": error,
                "ErrorResponse": {
                    "description": shape.summary,
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"$ref": "#/components/schemas/Error"}},
                },
            },
            "responses": responses,
        },
    }


def problem(sources: Sources, code: ErrorCode) -> dict[str, Any]:
    """An RFC 9457 problem document for one code, as an example.

    Args:
        sources: The loaded sources.
        code: The code.

    Returns:
        The problem: `type` is the code's page, `status` its HTTP status, `detail` its
        example message; `code` and `param` are extension members. A catalog without
        statuses or examples leaves out `status` or `detail`, as RFC 9457 allows.
    """
    data: dict[str, Any] = {"type": sources.catalog.doc_url(code), "title": code.title}
    if code.status is not None:
        data["status"] = code.status.status
    if code.example is not None:
        data["detail"] = code.example.message
    data["code"] = code.code
    if code.example is not None and code.example.param is not None:
        data["param"] = code.example.param
    return data


VALE_FILES = ("styles/Zof/Labels.yml", "styles/config/vocabularies/Zof/accept.txt")
"""The files of the Vale style (`vale`), by their path in it."""


def vale(glossary: Glossary) -> dict[str, str]:
    """A Vale style from the glossary.

    Args:
        glossary: The glossary.

    Returns:
        Files by path: `styles/Zof/Labels.yml` (a substitution rule for every known wrong
        spelling) and `styles/config/vocabularies/Zof/accept.txt` (every label).
    """
    import yaml

    swaps = {wrong: label.label for label in glossary.labels for wrong in label.wrong_spellings}
    rule = {
        "extends": "substitution",
        "message": "Use the Console label '%s' instead of '%s'.",
        "link": "https://docs.zof.example/glossary/",
        "level": "error",
        "ignorecase": False,
        "swap": swaps,
    }
    header = "# Generated from catalog/glossary.yml by `zofdocs export vale`.\n"
    accept = "".join(f"{_vocabulary(label.label)}\n" for label in glossary.labels)
    labels, vocabulary = VALE_FILES
    return {
        labels: header + yaml.safe_dump(rule, sort_keys=False, allow_unicode=True),
        vocabulary: accept,
    }


def _vocabulary(term: str) -> str:
    # Vale vocabularies are regular expressions: keep the label literal.
    return "".join("\\" + c if c in r".^$*+?()[]{}|\\" else c for c in term)


def exports(sources: Sources) -> dict[str, str]:
    """Every export as files, by path, for the site and `zofdocs export`.

    Args:
        sources: The loaded sources.

    Returns:
        Text by path: `errors.json`, `openapi.json`, `problems/CODE.json`, `vale/...`.
        A catalog without a response shape has no `openapi.json`, and a glossary
        without labels no `vale/`.
    """
    return {path: make() for path, make in _planned(sources).items()}


def export_paths(sources: Sources) -> list[str]:
    """The paths `exports` gives, in its order, without making any file's text.

    Listing them is cheap; making the texts takes longer (0.02 s at 1,953 codes), which
    `zofdocs.pipeline.render` spends while code pages render.

    Args:
        sources: The loaded sources.

    Returns:
        The paths.
    """
    return list(_planned(sources))


def _planned(sources: Sources) -> dict[str, Callable[[], str]]:
    """How to make each export, by path: the one list `exports` and `export_paths` read."""

    def dump(data: Callable[[], Any]) -> Callable[[], str]:
        return lambda: indented(data()) + "\n"

    plan = {ERRORS_JSON: dump(lambda: errors_json(sources))}
    if sources.catalog.response_shape is not None:
        plan[OPENAPI_JSON] = dump(lambda: openapi(sources))
    for code in sources.catalog.codes:
        plan[problem_file(code.code)] = dump(functools.partial(problem, sources, code))
    if sources.glossary.labels:
        style = functools.cache(lambda: vale(sources.glossary))
        for path in VALE_FILES:
            plan[VALE_DIR + path] = functools.partial(lambda path: style()[path], path)
    return plan


FORMATS = {
    "json": ERRORS_JSON,
    "openapi": OPENAPI_JSON,
    "problems": PROBLEMS_DIR,
    "vale": VALE_DIR,
}
"""The formats of `zofdocs export`, and the path each writes below `--out`."""
