"""Load, validate and cross-check the sources of truth into the typed model.

`load_sources` reads `errors.yml`, `glossary.yml` and `pages.yml` from a catalog folder,
validates each against its JSON Schema, then checks what a schema cannot say: unique
codes, statuses and labels, that every reference names something that exists, and that
whole numbers are written as such. Every problem of every file is reported at once.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from zofdocs.errors import CatalogError, Problem
from zofdocs.layout import DEVICE_NAMES
from zofdocs.model import (
    Area,
    Catalog,
    CommonIssue,
    ErrorCode,
    Example,
    Glossary,
    Label,
    ResponseField,
    ResponseShape,
    RetryKind,
    RetryPolicy,
    Severity,
    Sources,
    Status,
)
from zofdocs.pagetext import page_text
from zofdocs.schema import describe, load_schema, validate
from zofdocs.suggest import did_you_mean
from zofdocs.yamlsource import Loc, Source, load_yaml

__all__ = ["FILES", "load_sources"]

_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)]
)
"""Names Windows keeps for devices, whatever the extension: no page may have one."""

FILES = {"errors": "errors.yml", "glossary": "glossary.yml", "pages": "pages.yml"}
"""The files of a catalog folder, by schema name."""

_CODE_FIELD = "error.code"
"""The field of the error object that carries the code: every response has it."""


def load_sources(folder: Path, read: Callable[[Path], Source] = load_yaml) -> Sources:
    """Load and check the catalog, the glossary and the page text.

    Args:
        folder: The catalog folder, holding the files named in `FILES`.
        read: Reads each file as `zofdocs.yamlsource.load_yaml` does: it, or what
            gives its result sooner (`zofdocs.ahead.Ahead.read`).

    Returns:
        The checked sources.

    Raises:
        CatalogError: Any file is malformed; carries every problem of every file.
    """
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    for name, filename in FILES.items():
        try:
            source = read(folder / filename)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        if source.data is None:
            problems.append(
                Problem(source.name, 0, 0, "file is empty", "see the schema named on line 1")
            )
            continue
        found = validate(source, load_schema(name))
        problems.extend(found)
        if not found:
            sources[name] = source
    if problems:
        raise CatalogError(problems)
    checker = _CrossChecker(sources)
    result = checker.build()
    if checker.problems:
        raise CatalogError(checker.problems)
    return result


_LISTS: dict[str, Loc] = {
    "status": ("statuses",),
    "code": ("codes",),
    "common issue": ("common_issues",),
    "label": ("labels",),
    "area": ("areas",),
}
"""Where the entries of each kind stand in their file."""


def _integer_at(root: dict[str, Any], loc: Loc) -> bool:
    """Whether the schema types the value at a location as an integer."""
    schema = root
    for part in loc:
        schema, _ = _follow(root, schema)
        if isinstance(part, int):
            child = schema.get("items")
        else:
            child = schema.get("properties", {}).get(part)
        if not isinstance(child, dict):
            return False
        schema = child
    return _follow(root, schema)[1]


def _follow(root: dict[str, Any], schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A schema with its references followed, and whether any of them types an integer."""
    integer = schema.get("type") == "integer"
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
        integer = integer or schema.get("type") == "integer"
    return schema, integer


class _CrossChecker:
    """Build the model from schema-valid data, reporting what the schemas cannot see."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self.sources = sources
        self.problems: list[Problem] = []
        self.glossary_source = sources["glossary"]
        self.wrong: dict[str, str] = {}
        self.code_names: set[str] = set()

    def fail(self, source: Source, loc: Loc, message: str, hint: str = "") -> None:
        self.problems.append(source.problem(loc, message, hint))

    def unique(self, source: Source, items: list[Any], key: str, what: str) -> None:
        first: dict[Any, int] = {}
        for index, item in enumerate(items):
            value = item[key]
            if value in first:
                line, column = source.marks[(*_LISTS[what], first[value], key)]
                self.fail(
                    source,
                    (*_LISTS[what], index, key),
                    f"duplicate {what} {value!r} (first at line {line}, column {column})",
                    "each must appear once; merge the two entries",
                )
            else:
                first[value] = index

    def whole_numbers(self) -> None:
        """Refuse an integer written with a decimal point, such as `status: 404.0`.

        JSON Schema counts 404.0 as an integer, so the schema (and an editor) takes it,
        but the pages would show it as written.
        """
        for name, source in self.sources.items():
            schema = load_schema(name)
            # The loader noted every number written as a decimal: most files have none.
            for loc in filter(functools.partial(_integer_at, schema), source.floats):
                value = source.data
                for part in loc:
                    value = value[part]
                self.fail(
                    source,
                    loc,
                    f"{describe(loc)} must be a whole number, not {value!r}",
                    f"write {int(value)}",
                )

    def build(self) -> Sources:
        self.whole_numbers()
        glossary = self.build_glossary()
        catalog = self.build_catalog(glossary)
        pages = cast(dict[str, Any], self.sources["pages"].data)
        self.check_pages(catalog, glossary)
        return Sources(
            catalog,
            glossary,
            page_text(pages),
            tuple(str(source.path) for source in self.sources.values()),
        )

    # -- the glossary ------------------------------------------------------------------

    def build_glossary(self) -> Glossary:
        source = self.glossary_source
        data = source.data
        self.unique(source, data["areas"], "name", "area")
        self.unique(source, data["labels"], "label", "label")
        areas = tuple(Area(a["name"], a["description"]) for a in data["areas"])
        area_names = {area.name for area in areas}
        labels = tuple(
            Label(
                label=item["label"],
                kind=item["kind"],
                area=item["area"],
                path=item.get("path"),
                definition=item["definition"],
                expansion=item.get("expansion"),
                wrong_spellings=tuple(item.get("wrong_spellings", ())),
            )
            for item in data["labels"]
        )
        known = {label.label for label in labels}
        anchors: dict[str, str] = {}
        for index, label in enumerate(labels):
            loc: Loc = ("labels", index)
            if label.area not in area_names:
                self.fail(
                    source,
                    (*loc, "area"),
                    f"unknown area {label.area!r} for label {label.label!r}",
                    did_you_mean(label.area, area_names)
                    or "areas: " + ", ".join(sorted(area_names)),
                )
            for step in label.path.split(" → ") if label.path else ():
                if any(sep in step for sep in (">", "/", "»")):
                    self.fail(
                        source,
                        (*loc, "path"),
                        f"path {label.path!r} of label {label.label!r} uses a wrong separator",
                        "join labels with ' → ' (a space, the arrow, a space)",
                    )
                    break
                if step not in known:
                    self.fail(
                        source,
                        (*loc, "path"),
                        f"path step {step!r} of label {label.label!r} is not a label",
                        did_you_mean(step, known) or "add it to labels, or fix the path",
                    )
            other = anchors.setdefault(label.anchor, label.label)
            if other != label.label and other.casefold() != label.label.casefold():
                self.fail(
                    source,
                    (*loc, "label"),
                    f"label {label.label!r} has the same anchor '#{label.anchor}' as {other!r}",
                    "labels must differ in letters or digits, not only in punctuation",
                )
            for j, wrong in enumerate(label.wrong_spellings):
                if wrong in known:
                    self.fail(
                        source,
                        (*loc, "wrong_spellings", j),
                        f"{wrong!r} is listed as a wrong spelling of {label.label!r}, "
                        "but it is a label itself",
                        "remove it from wrong_spellings",
                    )
                elif wrong in self.wrong and self.wrong[wrong] != label.label:
                    self.fail(
                        source,
                        (*loc, "wrong_spellings", j),
                        f"{wrong!r} is a wrong spelling of both {self.wrong[wrong]!r} "
                        f"and {label.label!r}",
                        "keep it under one label",
                    )
                self.wrong.setdefault(wrong, label.label)
        return Glossary(areas, labels)

    def labels(
        self, source: Source, loc: Loc, names: list[str] | str, glossary: Glossary
    ) -> tuple[Label, ...]:
        """Look up labels named at `loc`: a list of names, or one name (a str)."""
        found = []
        one = isinstance(names, str)
        for index, name in enumerate([names] if isinstance(names, str) else names):
            label = glossary.by_label.get(name)
            if label is not None:
                found.append(label)
                continue
            if name in self.wrong:
                hint = f"write {self.wrong[name]!r}; {name!r} is a known wrong spelling"
            else:
                hint = did_you_mean(name, glossary.by_label) or "add it to catalog/glossary.yml"
            self.fail(
                source, loc if one else (*loc, index), f"unknown Console label {name!r}", hint
            )
        return tuple(found)

    def kind(self, source: Source, loc: Loc, name: str, kind: str, glossary: Glossary) -> None:
        """Check that `name` is a glossary label of the given kind."""
        for label in self.labels(source, loc, name, glossary):
            if label.kind != kind:
                of_kind = [lb.label for lb in glossary.labels if lb.kind == kind]
                self.fail(
                    source,
                    loc,
                    f"{name!r} is a {label.kind} in the glossary, not a {kind}",
                    f"name a label of kind '{kind}'"
                    + (f", such as {', '.join(map(repr, of_kind[:5]))}" if of_kind else ""),
                )

    def check_pages(self, catalog: Catalog, glossary: Glossary) -> None:
        """Check that each page some content needs has its section, and its labels."""
        source = self.sources["pages"]
        data = source.data
        needs = {
            "issues": ("common issues", bool(catalog.common_issues)),
            "glossary": ("Console labels", bool(glossary.labels)),
        }
        for section, (what, needed) in needs.items():
            if needed and section not in data:
                self.fail(
                    source,
                    (),
                    f"the catalog has {what}, but there is no '{section}' section for their page",
                    f"add '{section}:' with title, summary and intro",
                )
        for key in data["home"]["start"]:
            if key not in data:
                self.fail(
                    source,
                    ("home", "start", key),
                    f"a 'start here' card for {key!r}, which has no section of its own",
                    f"add a '{key}' section, or remove the card",
                )
        refs: list[tuple[Loc, list[str]]] = []
        if "onboarding" in data:
            refs += [
                (("onboarding", "terms", "labels"), data["onboarding"]["terms"]["labels"]),
                (("onboarding", "roles", "labels"), data["onboarding"]["roles"]["labels"]),
            ]
        surface = data["home"].get("surface")
        if surface is not None:
            for i, group in enumerate(surface["groups"]):
                refs.append((("home", "surface", "groups", i, "labels"), group["labels"]))
            view = surface["view"]
            refs.append((("home", "surface", "view", "environment"), [view["environment"]]))
            for i, tile in enumerate(view["tiles"]):
                refs.append((("home", "surface", "view", "tiles", i, "label"), [tile["label"]]))
        for loc, names in refs:
            self.labels(source, loc, names, glossary)
        if "runbooks" in data:
            self.check_runbook_needs(source, data["runbooks"], catalog, glossary)

    def check_runbook_needs(
        self, source: Source, data: dict[str, Any], catalog: Catalog, glossary: Glossary
    ) -> None:
        """Check what runbooks name from the catalog, so that every runbook renders."""
        at: Loc = ("runbooks",)
        for key, name in data.get("console", {}).items():
            self.labels(source, (*at, "console", key), name, glossary)
        automation = data.get("automation")
        if automation is not None:
            base = (*at, "automation")
            self.labels(source, (*base, "account"), automation["account"], glossary)
            for index, role in enumerate(automation["roles"]):
                self.kind(source, (*base, "roles", index), role, "role", glossary)
            self.kind(
                source, (*base, "permission"), automation["permission"], "permission", glossary
            )
        issue = data.get("secrets_issue")
        if issue is not None and issue not in {i.id for i in catalog.common_issues}:
            ids = [i.id for i in catalog.common_issues]
            self.fail(
                source,
                (*at, "secrets_issue"),
                f"no common issue has the ID {issue!r}",
                did_you_mean(issue, ids)
                or "name the 'id' of an entry of common_issues in errors.yml",
            )

    # -- the catalog -------------------------------------------------------------------

    def retry(self, source: Source, loc: Loc, data: dict[str, Any]) -> RetryPolicy:
        policy = cast(RetryKind, data["policy"])
        allowed = {
            "never": set(),
            "after_change": {"change"},
            "retry_after": {"max_attempts"},
            "backoff": {"methods", "max_attempts", "initial_delay_seconds"},
        }[policy]
        for key in sorted(set(data) - {"policy"} - allowed):
            source_problem = source.problem(
                (*loc, key),
                f"'{key}' does not apply to the retry policy {policy!r}",
                "remove it, or change the policy",
                key=True,
            )
            self.problems.append(source_problem)
        needed = {"after_change": "change", "backoff": "methods"}.get(policy)
        if needed and needed not in data:
            self.fail(
                source,
                loc,
                f"the retry policy {policy!r} needs '{needed}'",
                f"add '{needed}:'",
            )
        return RetryPolicy(
            policy=policy,
            change=data.get("change"),
            methods=tuple(data.get("methods", ())),
            max_attempts=data.get("max_attempts"),
            initial_delay_seconds=data.get("initial_delay_seconds"),
        )

    def build_catalog(self, glossary: Glossary) -> Catalog:
        source = self.sources["errors"]
        data = source.data
        data.setdefault("statuses", [])
        data.setdefault("common_issues", [])
        self.unique(source, data["statuses"], "status", "status")
        self.unique(source, data["codes"], "code", "code")
        self.unique(source, data["common_issues"], "id", "common issue")
        statuses = {
            item["status"]: Status(
                item["status"],
                item["title"],
                item["meaning"],
                self.retry(source, ("statuses", i, "retry"), item["retry"])
                if "retry" in item
                else None,
            )
            for i, item in enumerate(data["statuses"])
        }
        code_names = self.code_names = {item["code"] for item in data["codes"]}
        codes: dict[str, ErrorCode] = {}
        for i, item in enumerate(data["codes"]):
            code = self.code(source, ("codes", i), item, statuses, code_names, glossary)
            if code is not None:
                codes.setdefault(code.code, code)
        self.replacement_cycles(source, data["codes"], codes)
        self.file_names(source, "codes", "code", data["codes"])
        self.file_names(source, "common_issues", "id", data["common_issues"])
        for status in statuses.values():
            if not any(code.status == status for code in codes.values()):
                index = next(
                    i for i, s in enumerate(data["statuses"]) if s["status"] == status.status
                )
                self.fail(
                    source,
                    ("statuses", index, "status"),
                    f"status {status.status} has no error code",
                    f"add a code with 'status: {status.status}', or remove the status",
                )
        issues = tuple(
            self.issue(source, ("common_issues", i), item, statuses, codes, glossary)
            for i, item in enumerate(data["common_issues"])
        )
        return Catalog(
            doc_base_url=data["doc_base_url"],
            response_shape=self.shape(source, data.get("response_shape"), code_names, codes),
            statuses=tuple(statuses.values()),
            codes=tuple(codes.values()),
            common_issues=issues,
        )

    def replacement_cycles(
        self, source: Source, items: list[dict[str, Any]], codes: dict[str, ErrorCode]
    ) -> None:
        """Refuse a chain of `replaced_by` that comes back to where it started.

        A schema cannot follow references; a cycle would send a client from code to code
        for ever. Each cycle is reported once, at its first code in the file.
        """
        reported: set[str] = set()
        for index, item in enumerate(items):
            chain = [item["code"]]
            while (code := codes.get(chain[-1])) and code.replaced_by:
                if code.replaced_by in chain:
                    cycle = chain[chain.index(code.replaced_by) :]
                    # A code replaced by itself has its own message already.
                    first = chain[0] == code.replaced_by and len(cycle) > 1
                    if first and not reported & set(cycle):
                        reported.update(cycle)
                        path = " → ".join(f"{name!r}" for name in [*cycle, cycle[0]])
                        self.fail(
                            source,
                            ("codes", index, "replaced_by"),
                            f"'replaced_by' runs in a circle: {path}",
                            "let the last code of the chain be current: remove its "
                            "'deprecated' and 'replaced_by'",
                        )
                    break
                chain.append(code.replaced_by)

    def file_names(self, source: Source, kind: str, key: str, items: list[dict[str, Any]]) -> None:
        """Refuse names whose pages would clash or could not be written everywhere.

        Each code and common issue gets a page named after it. `index` would replace
        the index page above them; names that differ only in case are one file on macOS
        and Windows; and Windows reserves a few device names (CON, NUL, COM1...).
        """
        seen: dict[str, str] = {}
        for index, item in enumerate(items):
            name = item[key]
            loc = (kind, index, key)
            folded = name.casefold()
            if folded == "index":
                self.fail(source, loc, f"{name!r} would replace the index page above it",
                          "choose another name")  # fmt: skip
            elif folded.split(".")[0] in DEVICE_NAMES:
                self.fail(source, loc, f"{name!r} cannot be a file name on Windows",
                          "choose another name")  # fmt: skip
            elif folded in seen and seen[folded] != name:
                self.fail(
                    source, loc,
                    f"{name!r} and {seen[folded]!r} differ only in case, so their pages "
                    "would be one file on macOS and Windows",
                    "choose names that differ in more than case",
                )  # fmt: skip
            seen.setdefault(folded, name)

    def real_dates(
        self, source: Source, loc: Loc, item: dict[str, Any], keys: tuple[str, ...]
    ) -> None:
        """Refuse a date the schema's YYYY-MM-DD pattern lets through, such as 2024-02-30."""
        for key in keys:
            value = item.get(key)
            if isinstance(value, str):
                try:
                    datetime.date.fromisoformat(value)
                except ValueError as exc:
                    self.fail(
                        source,
                        (*loc, key),
                        f"{describe((*loc, key))} is {value!r}, which is not a date ({exc})",
                        "write a date of the calendar as YYYY-MM-DD",
                    )

    def shape(
        self,
        source: Source,
        shape: dict[str, Any] | None,
        code_names: set[str],
        codes: dict[str, ErrorCode],
    ) -> ResponseShape | None:
        if shape is None:
            return None
        self.shape_fields(source, shape["fields"])
        example = shape["example"]
        example_loc: Loc = ("response_shape", "example")
        if example["code"] not in code_names:
            self.fail(
                source,
                (*example_loc, "code"),
                f"unknown error code {example['code']!r} in the response shape example",
                did_you_mean(example["code"], code_names) or "use a code from 'codes'",
            )
        else:
            self.param(source, example_loc, example, codes.get(example["code"]))
        return ResponseShape(
            shape["summary"],
            tuple(ResponseField(**f) for f in shape["fields"]),
            {"error": dict(example)},
        )

    def shape_fields(self, source: Source, fields: list[dict[str, Any]]) -> None:
        """Refuse a response shape without its `error.code` field, or with one twice.

        The exports describe the error object from these fields, one property for each,
        and list every code under `error.code`, which is text.
        """
        loc: Loc = ("response_shape", "fields")
        seen: dict[str, int] = {}
        for index, item in enumerate(fields):
            name = item["name"]
            if name in seen:
                line, column = source.marks[(*loc, seen[name], "name")]
                self.fail(
                    source,
                    (*loc, index, "name"),
                    f"duplicate field {name!r} (first at line {line}, column {column})",
                    "each field must appear once; merge the two entries",
                )
                continue
            seen[name] = index
            if name == _CODE_FIELD and item["type"] != "string":
                self.fail(
                    source,
                    (*loc, index, "type"),
                    f"{name} is {item['type']!r}, but every error code is text",
                    "write 'type: string'",
                )
        if _CODE_FIELD not in seen:
            self.fail(
                source,
                loc,
                f"the response shape has no field {_CODE_FIELD!r}, which every error carries",
                f"add a field with 'name: {_CODE_FIELD}', 'type: string' and 'required: true'",
            )

    def param(
        self, source: Source, loc: Loc, example: dict[str, Any], code: ErrorCode | None
    ) -> None:
        param = example.get("param")
        if code is None or param is None or param in code.params:
            return
        self.fail(
            source,
            (*loc, "param"),
            f"param {param!r} is not among the params of {code.code!r}",
            f"add it to the 'params' of {code.code!r}"
            + (f" ({', '.join(code.params)})" if code.params else ""),
        )

    def code(
        self,
        source: Source,
        loc: Loc,
        item: dict[str, Any],
        statuses: dict[int, Status],
        code_names: set[str],
        glossary: Glossary,
    ) -> ErrorCode | None:
        labels = self.labels(source, (*loc, "labels"), item.get("labels", []), glossary)
        status = statuses.get(item["status"]) if "status" in item else None
        known = "statuses defined: " + ", ".join(str(s) for s in statuses)
        if "status" in item and status is None:
            self.fail(
                source,
                (*loc, "status"),
                f"unknown status {item['status']} for code {item['code']!r}",
                known if statuses else "add the status to 'statuses'",
            )
        replaced_by = item.get("replaced_by")
        if replaced_by is not None:
            if "deprecated" not in item:
                self.fail(
                    source,
                    (*loc, "replaced_by"),
                    f"code {item['code']!r} has 'replaced_by' but is not deprecated",
                    "add 'deprecated: YYYY-MM-DD', or remove 'replaced_by'",
                )
            if replaced_by == item["code"] or replaced_by not in code_names:
                self.fail(
                    source,
                    (*loc, "replaced_by"),
                    f"code {item['code']!r} is replaced by "
                    + ("itself" if replaced_by == item["code"] else f"{replaced_by!r}, not a code"),
                    did_you_mean(replaced_by, code_names - {item["code"]}) or "name another code",
                )
        self.real_dates(source, loc, item, ("added", "updated", "deprecated"))
        retry = self.retry(source, (*loc, "retry"), item["retry"]) if "retry" in item else None
        if status is None and "status" in item:
            return None
        example = item.get("example")
        code = ErrorCode(
            code=item["code"],
            title=item["title"],
            status=status,
            description=item.get("description"),
            example=Example(example["message"], example.get("param")) if example else None,
            params=tuple(item.get("params", ())),
            causes=tuple(item.get("causes", ())),
            fixes=tuple(item.get("fixes", ())),
            retry=retry or (status.retry if status else None),
            labels=labels,
            added=item.get("added"),
            updated=item.get("updated"),
            deprecated=item.get("deprecated"),
            replaced_by=replaced_by,
            group=item.get("group"),
            severity=cast(Severity | None, item.get("severity")),
            aliases=tuple(item.get("aliases", ())),
            details=item.get("details"),
        )
        if example:
            self.param(source, (*loc, "example"), example, code)
        return code

    def issue(
        self,
        source: Source,
        loc: Loc,
        item: dict[str, Any],
        statuses: dict[int, Status],
        codes: dict[str, ErrorCode],
        glossary: Glossary,
    ) -> CommonIssue:
        found_statuses = []
        for i, number in enumerate(item["statuses"]):
            if number in statuses:
                found_statuses.append(statuses[number])
            else:
                self.fail(
                    source,
                    (*loc, "statuses", i),
                    f"unknown status {number} in common issue {item['id']!r}",
                    "statuses defined: " + ", ".join(str(s) for s in statuses),
                )
        found_codes = []
        for i, name in enumerate(item["codes"]):
            if name in codes:
                found_codes.append(codes[name])
            elif name not in self.code_names:  # A code that failed is reported already.
                self.fail(
                    source,
                    (*loc, "codes", i),
                    f"unknown error code {name!r} in common issue {item['id']!r}",
                    did_you_mean(name, codes) or "use a code from 'codes'",
                )
        return CommonIssue(
            id=item["id"],
            title=item["title"],
            summary=item["summary"],
            symptom=item["symptom"],
            cause=item["cause"],
            fix=tuple(item["fix"]),
            statuses=tuple(found_statuses),
            codes=tuple(found_codes),
            labels=self.labels(source, (*loc, "labels"), item["labels"], glossary),
        )
