"""Import the error responses and error schema of an OpenAPI 3.x document.

Every 4xx and 5xx response, under the paths and in `components.responses`, is read
for its JSON examples and schema:

| OpenAPI | catalog |
| --- | --- |
| a response's status key (`404`) | a status: its reason phrase; the `description` |
| `error.code` (or `code`) in an example | a code under that status: message, param |
| an example's `summary`, `description` | the code's `title`, `description` |
| the `enum` of the error schema's `code` | codes too; no status unless an example says |
| the error schema `{error: {code, message, ...}}` | `response_shape` |

A `components.responses` entry that no path uses takes its status from its name or
description (`Error404`, "404 Not Found: ..."), as a fragment such as `zofdocs export
openapi` has no paths. Ranges (`4XX`), `default`, flat error schemas and a code found
under two statuses are reported; so is everything else not kept.
"""

from __future__ import annotations

import http
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zofdocs.errors import CatalogError, Problem
from zofdocs.importers import MAX_BYTES, Imported, fits, humanize, is_code_name
from zofdocs.yamlsource import Loc, Source, load_yaml

__all__ = ["read"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAM = ("$defs", "code", "properties", "params", "items")
_FIELD = ("$defs", "response_shape", "properties", "fields", "items", "properties")
_NUMBER = re.compile(r"(?<!\d)([45]\d\d)(?!\d)")


@dataclass
class _Response:
    status: int
    data: dict[str, Any]
    loc: Loc


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.doc: dict[str, Any] = source.data
        self.problems: list[Problem] = []
        info = self.doc.get("info")
        title = info.get("title") if isinstance(info, dict) else None
        self.imported = Imported(title if isinstance(title, str) and title else "the API")

    def fail(self, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(self.source.problem(loc, message, hint))

    def mapping(self, value: Any, loc: Loc) -> dict[str, Any]:
        """The value when it is a mapping; {} when absent; reported when anything else."""
        if isinstance(value, dict):
            return value
        if value is not None:
            self.fail(loc, f"'{'.'.join(map(str, loc))}' must be a mapping, not "
                      f"{type(value).__name__}", "see the OpenAPI 3 specification")  # fmt: skip
        return {}

    def resolve(self, value: Any, loc: Loc) -> tuple[Any, Loc]:
        """Follow local `$ref`s; report any other."""
        for _ in range(32):  # A cycle of references is reported, not followed forever.
            if not (isinstance(value, dict) and "$ref" in value):
                return value, loc
            ref = value["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                self.fail(
                    (*loc, "$ref"),
                    f"cannot follow $ref {ref!r}",
                    "only references inside the document ('#/...') are read",
                )
                return None, loc
            target: Any = self.doc
            path: list[str | int] = []
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    self.fail(
                        (*loc, "$ref"),
                        f"$ref {ref!r} points at nothing",
                        "check the path after '#/'",
                    )
                    return None, loc
                target = target[part]
                path.append(part)
            value, loc = target, tuple(path)
        self.fail(loc, "$ref chain too long or circular")
        return None, loc

    def responses(self) -> list[_Response]:
        found: list[_Response] = []
        used: set[str] = set()
        for route, item in self.mapping(self.doc.get("paths"), ("paths",)).items():
            item = self.mapping(item, ("paths", route))
            for method in _METHODS:
                operation = self.mapping(item.get(method), ("paths", route, method))
                at: Loc = ("paths", route, method, "responses")
                for key, response in self.mapping(operation.get("responses"), at).items():
                    loc: Loc = (*at, key)
                    if isinstance(response, dict) and isinstance(response.get("$ref"), str):
                        used.add(response["$ref"].rsplit("/", 1)[-1])
                    status = self.status_key(key, loc)
                    if status is not None:
                        data, where = self.resolve(response, loc)
                        if isinstance(data, dict):
                            found.append(_Response(status, data, where))
        components = self.mapping(self.doc.get("components"), ("components",))
        shared: Loc = ("components", "responses")
        for name, response in self.mapping(components.get("responses"), shared).items():
            response = self.mapping(response, (*shared, name))
            if name in used or not response:
                continue
            guess = _NUMBER.search(str(name)) or _NUMBER.match(str(response.get("description", "")))
            if guess is None:
                self.imported.note(
                    f"components.responses.{name}: not kept, no path uses it and neither "
                    "its name nor its description gives a status"
                )
                continue
            self.imported.note(
                "statuses of components.responses that no path uses: taken from their names"
            )
            found.append(
                _Response(int(guess.group(1)), response, ("components", "responses", name))
            )
        return found

    def status_key(self, key: Any, loc: Loc) -> int | None:
        text = str(key)
        if re.fullmatch(r"[45]\d\d", text):
            return int(text)
        if re.fullmatch(r"[45]XX|default", text, re.IGNORECASE):
            self.imported.note(f"'{text}' responses: not kept, the catalog holds exact statuses")
        elif not re.fullmatch(r"[1-3](\d\d|XX)", text, re.IGNORECASE):
            self.fail(
                loc,
                f"response key {text!r} is not an HTTP status",
                "use a status such as '404', a range such as '4XX', or 'default'",
            )
        return None

    def read(self) -> Imported:
        imported = self.imported
        version = self.doc.get("openapi")
        if not (isinstance(version, str) and version.startswith("3.")):
            swagger = "swagger" in self.doc
            self.fail(
                ("openapi",) if "openapi" in self.doc else (),
                "Swagger 2.0 is not read" if swagger else "not an OpenAPI 3.x document",
                "convert it to OpenAPI 3 first" if swagger else "it needs 'openapi: 3.x.y'",
            )
            raise CatalogError(self.problems)
        codes: dict[str, dict[str, Any]] = {}
        meanings: dict[int, str] = {}
        schemas: list[tuple[dict[str, Any], Loc]] = []
        for response in self.responses():
            description = response.data.get("description")
            if isinstance(description, str) and description.strip():
                meanings.setdefault(response.status, _meaning(response.status, description))
            at = (*response.loc, "content")
            for media, body in self.mapping(response.data.get("content"), at).items():
                loc: Loc = (*at, media)
                body = self.mapping(body, loc)
                if "json" not in str(media):
                    if "example" in body or "examples" in body:
                        imported.note(f"examples under {media}: not read, only JSON ones are")
                    continue
                schema, where = self.resolve(body.get("schema"), (*loc, "schema"))
                if isinstance(schema, dict):
                    schemas.append((schema, where))
                for example, summary, text, at in self.examples(body, loc):
                    self.example(codes, response.status, example, summary, text, at)
        shape, enum = self.shape(schemas, codes)
        for name in enum:
            if name not in codes:
                codes[name] = {"code": name, "title": humanize(name)}
                imported.note("codes of the schema's enum that no example names: no status")
        statuses = {code["status"] for code in codes.values() if "status" in code}
        for number in meanings:
            if number not in statuses:
                imported.note(f"status {number}: not kept, no example names a code under it")
        for number in sorted(statuses):
            try:
                title = http.HTTPStatus(number).phrase
            except ValueError:
                title = meanings.get(number, f"Status {number}")
            imported.statuses.append(
                {"status": number, "title": title, "meaning": meanings.get(number, title)}
            )
        imported.codes = list(codes.values())
        imported.response_shape = shape
        if self.problems:
            raise CatalogError(self.problems)
        if not imported.codes:
            raise CatalogError(
                [
                    self.source.problem(
                        (),
                        "no error codes found",
                        (
                            "give 4xx/5xx responses JSON examples with a 'code', or an error "
                            "schema with a 'code' enum"
                        ),
                    )
                ]
            )
        return imported

    def examples(
        self, body: dict[str, Any], loc: Loc
    ) -> list[tuple[Any, str | None, str | None, Loc]]:
        found: list[tuple[Any, str | None, str | None, Loc]] = []
        if "example" in body:
            found.append((body["example"], None, None, (*loc, "example")))
        examples = self.mapping(body.get("examples"), (*loc, "examples"))
        for name, example in examples.items():
            data, where = self.resolve(example, (*loc, "examples", name))
            if isinstance(data, dict) and "value" in data:
                summary = data.get("summary")
                text = data.get("description")
                found.append((data["value"], summary, text, (*where, "value")))
            elif isinstance(data, dict) and "externalValue" in data:
                self.imported.note("examples given by externalValue: not read")
        return found

    def example(
        self,
        codes: dict[str, dict[str, Any]],
        status: int,
        value: Any,
        summary: Any,
        text: Any,
        loc: Loc,
    ) -> None:
        error = value.get("error") if isinstance(value, dict) else None
        if not isinstance(error, dict):
            error = value if isinstance(value, dict) else {}
        name = error.get("code")
        if name is None:
            self.imported.note("examples without a code: not kept")
            return
        name = str(name)
        if not is_code_name(name):
            self.fail(
                (*loc, "code"),
                f"code {name[:40]!r} cannot be a code name",
                "codes are up to 100 letters and digits, with single '_', '.' or '-' between",
            )
            return
        code = codes.setdefault(name, {"code": name, "title": None})
        if "status" not in code:
            code["status"] = status
        elif code["status"] != status:
            self.imported.note(
                f"code {name} under {code['status']} and {status}: kept under {code['status']}"
            )
            return
        elif "example" in code:
            self.imported.note("further examples of a code: not kept, a code holds one")
            return
        if code["title"] is None:
            code["title"] = _line(summary) or humanize(name)
        if "description" not in code and _line(text):
            code["description"] = str(text).strip()
        message, param = error.get("message"), error.get("param")
        if "example" not in code and isinstance(message, str) and message.strip():
            code["example"] = {"message": message}
            if isinstance(param, str) and param:
                code["example"]["param"] = param
        if isinstance(param, str) and fits(param, *_PARAM):
            params = code.setdefault("params", [])
            if param not in params:
                params.append(param)

    def shape(
        self, schemas: list[tuple[dict[str, Any], Loc]], codes: dict[str, dict[str, Any]]
    ) -> tuple[dict[str, Any] | None, list[str]]:
        """The response shape and the code enum, from the first error schema with a code."""
        for schema, loc in schemas:
            properties = self.mapping(schema.get("properties"), (*loc, "properties"))
            envelope, where = self.resolve(properties.get("error"), (*loc, "properties", "error"))
            inner = self.mapping(envelope, where) if isinstance(envelope, dict) else {}
            if "code" in self.mapping(inner.get("properties"), (*where, "properties")):
                return self.envelope(envelope, where, schema, codes), self.enum(envelope, where)
            if "code" in properties:
                self.imported.note(
                    "the error schema is flat ({code, message}): its shape is not kept, "
                    "since the catalog holds an {error: {...}} envelope; messages are"
                )
                return None, self.enum(schema, loc)
        return None, []

    def enum(self, schema: dict[str, Any], loc: Loc) -> list[str]:
        prop, _ = self.resolve(schema["properties"]["code"], (*loc, "properties", "code"))
        values = prop.get("enum") if isinstance(prop, dict) else None
        if values is None:
            return []
        if not isinstance(values, list):
            self.fail((*loc, "properties", "code", "enum"), "'enum' must be a list",
                      "list the codes, such as [invalid_request, not_found]")  # fmt: skip
            return []
        names = [str(v) for v in values if is_code_name(str(v))]
        if len(names) < len(values):
            self.imported.note("enum values that cannot be code names: not kept")
        return names

    def envelope(
        self,
        error: dict[str, Any],
        loc: Loc,
        outer: dict[str, Any],
        codes: dict[str, dict[str, Any]],
    ) -> dict[str, Any] | None:
        example = next((c for c in codes.values() if "example" in c), None)
        if example is None:
            self.imported.note("the error schema: not kept, no example shows a message")
            return None
        required = error.get("required") or []
        fields = []
        for name, prop in self.mapping(error.get("properties"), (*loc, "properties")).items():
            prop, _ = self.resolve(prop, (*loc, "properties", name))
            kind = prop.get("type") if isinstance(prop, dict) else None
            if not (fits(f"error.{name}", *_FIELD, "name") and fits(str(kind), *_FIELD, "type")):
                self.imported.note(
                    f"error.{name} ({kind}): not kept in the response shape, "
                    "which holds lowercase names of type string, integer or object"
                )
                continue
            description = _line(prop.get("description"))
            if not description:
                description = humanize(str(name)) + "."
                self.imported.note("response fields without a description: named after the field")
            fields.append(
                {
                    "name": f"error.{name}",
                    "type": kind,
                    "required": name in required,
                    "description": description,
                }
            )
        summary = _line(outer.get("description")) or _line(error.get("description"))
        if not summary:
            summary = "Every error response carries this JSON error object."
            self.imported.note("the error schema has no description: a plain summary is used")
        return {
            "summary": summary,
            "fields": fields,
            "example": {"code": example["code"], **example["example"]},
        }


def _line(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _meaning(status: int, description: str) -> str:
    # `zofdocs export openapi` writes "404 Not Found: meaning"; keep only the meaning.
    text = " ".join(description.split())
    match = re.match(rf"{status}\s+[^:]{{1,40}}:\s+(.+)", text)
    return match.group(1) if match else text


def read(path: Path) -> Imported:
    """Read the error responses of an OpenAPI 3.x document.

    Args:
        path: The document, as YAML or JSON.

    Returns:
        The imported catalog.

    Raises:
        CatalogError: The file is not an OpenAPI 3.x document, a `$ref` cannot be
            followed, or no error code is found; every problem names its line and column.
    """
    source = load_yaml(path, MAX_BYTES)
    if not isinstance(source.data, dict):
        raise CatalogError([source.problem((), "not an OpenAPI document: expected a mapping")])
    return _Reader(source).read()
