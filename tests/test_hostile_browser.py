"""No catalog or team value becomes markup or script in a real browser.

Every text field of `errors.yml`, `glossary.yml`, `pages.yml` and each team's `team.yml`
(found by walking the JSON Schemas, so a field added to a schema is covered without
touching this module) is filled with script payloads: `<script>`, event handlers,
`javascript:` in every disguise, `data:` URLs, SVG, quotes that leave an attribute,
Markdown links, images, references, autolinks, attribute lists, headings, fences, raw
HTML, Jinja, YAML and table syntax. Each (payload, field) pair carries a marker of its
own, such as `zofxss017f042`, so that the browser can say where each value went.

The proof, on a copy of the fixture project:

1. `zofdocs validate` and `zofdocs runbook update` refuse a value only with a located
   message (`path:line:column: ...`, exit 2, no traceback); each refused value is
   recorded and replaced by plain text until the sources load.
2. `mkdocs build --strict` succeeds: the plugin's sanitizer check of the built HTML
   finds nothing. (The checker is off in that build, see `build`; `zofdocs check` runs
   on its own, and must place every finding and raise nothing.)
3. Chromium opens every built page: no dialog opens, no request fails or leaves the
   site, no element anywhere has an `on...` attribute or a `javascript:`, `data:` or
   `vbscript:` URL, no `script`, `iframe`, `object`, `embed` or `style` element sits
   inside the page's content, and none outside it holds a marker.
4. Every accepted value's marker is visible text on the page of the entity that holds
   it: shown as text, neither executed nor swallowed.

Fields that occur once (most of `pages.yml`, the response shape, `doc_base_url`) are
filled in `ROUNDS` builds, each field with a different payload in each round; fields of
a list entity (a code, a status, an issue, an area, a label, a team...) get every
payload in the first build, one entity per payload.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import BrowserContext, Dialog
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import FIXTURE, serve
from tests.test_browser import watch
from zofdocs.cli import main
from zofdocs.errors import CatalogError
from zofdocs.layout import PAGES, code_page, issue_page, runbook_page
from zofdocs.schema import follow, load_schema
from zofdocs.yamlsource import Loc, load_yaml

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# -- the payloads --------------------------------------------------------------------
#
# `$M` is replaced by the marker of one (payload, field) pair, `$N` by the payload's
# number, so that a dialog's message names the payload that ran. The marker always sits
# where a correct rendering shows it as text: a value that executes, or that is eaten
# by a comment, a template or an attribute, loses it from the page's visible text.

PAYLOADS: tuple[str, ...] = (
    # Script elements, plain and disguised.
    "<script>alert($N)</script> $M",
    "$M <SCRIPT>alert($N)</SCRIPT>",
    "<scr<script>ipt>alert($N)</scr</script>ipt> $M",
    "<svg><script>alert($N)</script></svg> $M",
    # Event handlers.
    "<img src=x onerror=alert($N)> $M",
    "<img/src=x/onerror=alert($N)> $M",
    "<svg onload=alert($N)> $M",
    "<body onload=alert($N)> $M",
    "<details open ontoggle=alert($N)> $M",
    "<input autofocus onfocus=alert($N)> $M",
    "<x onclick=alert($N)>$M</x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert($N)> $M",
    # Links whose target runs code, written as HTML and as Markdown.
    '<a href="javascript:alert($N)">$M</a>',
    "<a href=jav&#x09;ascript:alert($N)>$M</a>",
    "[$M](javascript:alert($N))",
    "[$M](jav&#x09;ascript:alert($N))",
    "[$M](<java\tscript:alert($N)>)",
    "[$M](&#106;avascript:alert($N))",
    "[$M](JaVaScRiPt:alert($N))",
    "[$M](<  javascript:alert($N)>)",
    "[$M](\x01javascript:alert($N))",
    "[$M](%6Aavascript:alert($N))",
    "[$M](javascript&colon;alert($N))",
    "[$M](vbscript:msgbox($N))",
    "[$M](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[$M](data:image/svg+xml,%3Csvg%20onload=alert($N)%3E)",
    "![$M](javascript:alert($N))",
    "![$M](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[$M][xss$N]\n\n[xss$N]: javascript:alert($N)",
    "[$M]\n\n[$M]: <data:text/html,<script>alert($N)</script>>",
    "<javascript:alert($N)> $M",
    "$M <vbscript:msgbox($N)>",
    "[[$M](javascript:alert($N))](https://example.com/)",
    '[$M](https://example.com/"onmouseover="alert($N))',
    # Quotes that leave an attribute or an element.
    '"><script>alert($N)</script> $M',
    "' onmouseover='alert($N)' data-x='$M",
    '" onfocus="alert($N)" autofocus x="$M',
    "</textarea></title></style></script><script>alert($N)</script> $M",
    "--><img src=x onerror=alert($N)> $M",
    "<!-- $M --><img src=x onerror=alert($N)>",
    # Markdown structure: attribute lists, headings, fences, HTML blocks, extensions.
    '$M {: onclick="alert($N)" }',
    '$M\n{: onmouseover="alert($N)" }',
    "$M { #xss$N onclick=alert($N) }",
    "# $M <img src=x onerror=alert($N)>",
    "$M\n===\n<script>alert($N)</script>",
    "$M\n---\n<svg onload=alert($N)>",
    "```html\n<script>alert($N)</script> $M",
    "$M\n\n```\n</code></pre><script>alert($N)</script>\n```",
    "<div>\n<script>alert($N)</script>\n</div>\n\n$M",
    '<div markdown="1" onclick="alert($N)">$M</div>',
    "> <script>alert($N)</script> $M",
    "- <img src=x onerror=alert($N)> $M\n- two",
    "    <script>alert($N)</script> $M",
    '!!! note "<img src=x onerror=alert($N)>"\n    $M',
    '??? "$M"\n    <svg onload=alert($N)>',
    "*[$M]: <script>alert($N)</script>\n\n$M",
    "$M\n: <script>alert($N)</script>",
    "| $M | <img src=x onerror=alert($N)> |\n| --- | --- |\n| a | b |",
    # Elements that load or run something.
    '<iframe src="javascript:alert($N)"></iframe> $M',
    '<iframe srcdoc="&lt;script&gt;alert($N)&lt;/script&gt;"></iframe> $M',
    '<object data="javascript:alert($N)"></object> $M',
    '<embed src="data:text/html,<script>alert($N)</script>"> $M',
    "<style>body{background:url(javascript:alert($N))}</style> $M",
    '<form action="javascript:alert($N)"><button>$M</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert($N)"> $M',
    '<base href="javascript:alert($N)//"> $M',
    # Template, data and escape syntax: none of it may be read as anything but text.
    "{{ 7*7 }} {{ $M }} {% raw %}alert($N){% endraw %}",
    "{# $M #}{{ self.__init__.__globals__ }} alert($N)",
    "key: value\n- item: <script>alert($N)</script>\n--- $M",
    "!!python/object/apply:os.system ['alert($N)'] $M",
    "&lt;script&gt;alert($N)&lt;/script&gt; $M",
    "&#60;img src=x onerror=alert($N)&#62; $M",
    "\\<script>alert($N)</script> $M \\",
    "`` ` `` <img src=x onerror=alert($N)> ` $M",
    "**<img src=x onerror=alert($N)>** _$M_",
    ":material-alert: $M <svg onload=alert($N)>",
    "$M\x00<script>alert($N)</script>",
    "$M\u202e<script>alert($N)</script>",
)

ROUNDS = 3
"""Builds of the project: the first holds every list entity, each fills the fields that
occur once with a different payload. More rounds try more payloads in those fields, at
some seconds each."""

_MARKER = re.compile(r"zofxss(\d{3})f(\d{3})")


def marker(payload: int, field: int) -> str:
    """The marker of one (payload, field) pair: fixed width, so none is a prefix of another."""
    return f"zofxss{payload:03d}f{field:03d}"


def payload_text(payload: int, field: int) -> str:
    return PAYLOADS[payload].replace("$M", marker(payload, field)).replace("$N", str(payload))


# -- the fields, from the schemas -----------------------------------------------------

DOCS = {
    "errors": "catalog/errors.yml",
    "glossary": "catalog/glossary.yml",
    "pages": "catalog/pages.yml",
}
"""The catalog's files by schema name; each team's answers use the schema `team`."""

FREE_TEXT = frozenset({r"\S", r"^\S(.*\S)?$"})
"""The patterns of a string that is free text: anything but blank or padded."""

Value = Callable[["Generator", int | None], Any]

FIXED: dict[tuple[str, str], Value] = {
    # Names, numbers and dates that other values refer to, and must keep their format.
    ("errors", "response_shape.fields[].name"): lambda g, n: "error.xss_" + _letters(_n(n)),
    ("errors", "response_shape.fields[].required"): lambda g, n: False,
    ("errors", "response_shape.example.code"): lambda g, n: "invalid_request",
    # An example's param must be one of its code's params, which are names.
    ("errors", "response_shape.example.param"): lambda g, n: "environment",
    ("errors", "codes[].example.param"): lambda g, n: "xss_param",
    ("errors", "statuses[].status"): lambda g, n: g.status(_n(n)),
    # The runbook's playbooks say each code's retry policy; a status gives its codes one.
    ("errors", "statuses[].retry"): lambda g, n: {"policy": "never"},
    ("errors", "codes[].code"): lambda g, n: g.code(_n(n)),
    ("errors", "codes[].status"): lambda g, n: g.status(_n(n)),
    ("errors", "codes[].params"): lambda g, n: ["xss_param"],
    ("errors", "codes[].added"): lambda g, n: "2024-03-01",
    ("errors", "codes[].updated"): lambda g, n: "2025-03-01",
    ("errors", "common_issues[].id"): lambda g, n: f"xss-{n}",
    ("errors", "common_issues[].statuses"): lambda g, n: [g.status(_n(n))],
    ("errors", "common_issues[].codes"): lambda g, n: [g.code(_n(n))],
    # A page label is listed under "Where to look" in the runbooks, with its path.
    ("glossary", "labels[].kind"): lambda g, n: "page",
    ("pages", "home.surface.number"): lambda g, n: "01",
    # An https address without quotes, brackets or spaces (the schema's pattern): no
    # payload fits; the query the button adds is percent-encoded.
    ("pages", "helpful.new_issue.url"): lambda g, n: (
        "https://github.com/zof-example/docs/issues/new"
    ),
    ("team", "environments"): lambda g, n: _environments(_n(n)),
    ("team", "codes"): lambda g, n: [g.code(_n(n))],
    ("team", "last_reviewed"): lambda g, n: "2026-11-28",
}
"""Values for the fields that are not free text, by (schema, field)."""

LEFT_OUT = {
    # A page of docs/ by its path; the project has no guide to runbooks.
    ("pages", "runbooks.guide"),
    # Roles and a permission must be labels of those kinds, and every label here is a
    # page; the issue is an ID. Left out, so runbooks leave out the sentences that need
    # them (tests/test_runbook_any_catalog.py covers that). The console labels runbooks
    # name are references, filled like every other.
    ("pages", "runbooks.automation.account"),
    ("pages", "runbooks.automation.roles[]"),
    ("pages", "runbooks.automation.permission"),
    ("pages", "runbooks.secrets_issue"),
    # A deprecated code's page says so with the date and a link to its replacement's
    # page: no text. Left out, so that every code stays current and in every runbook.
    ("errors", "codes[].deprecated"),
    ("errors", "codes[].replaced_by"),
}
"""Fields of a format of their own that no payload goes into, and no value is given."""

AREA, OWN_LABEL, LABEL, SHAPED, TEXT = "area", "own label", "label", "shaped", "text"

ROLES: dict[tuple[str, str], str] = {
    ("glossary", "labels[].area"): AREA,  # One of the areas, by name.
    ("glossary", "labels[].path"): OWN_LABEL,  # Labels joined by ' → ': the label itself.
}

SHAPES: dict[tuple[str, str], tuple[Callable[[str], str], str]] = {
    # Fields with a format of their own get the payload squeezed into it: whitespace
    # becomes `/`, which browsers also read as the space between attributes.
    ("errors", "doc_base_url"): (
        lambda text: "https://docs.zof.example/" + _squeeze(text) + "/",
        "https://docs.zof.example/",
    ),
    ("pages", "home.surface.view.path"): (lambda text: "/" + _squeeze(text), "/home"),
}
"""Shaping and the plain value, for free-format fields that still carry a payload."""

NOT_SHOWN = {
    ("pages", "errors.section"): "loaded into PageText, but no template and no navigation "
    "entry shows it (mkdocs.yml names the nav section)",
    ("errors", "response_shape.summary"): "written into openapi.json only; the Errors page "
    "says pages.yml's errors.overview instead",
}
"""Fields accepted but shown on no page; a field listed here that shows fails the test."""


def _letters(n: int) -> str:
    return "".join(chr(ord("a") + int(digit)) for digit in f"{n:03d}")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "/", text.strip())


def _environments(n: int) -> list[dict[str, str]]:
    return [
        {
            "name": name,
            "project_id": f"prj_Xss{n}",
            "environment_id": f"env_{name[0]}Xs{n}",
            "secret": f"ZOF_XSS_{name.upper()}",
        }
        for name in ("staging", "production")
    ]


def _resolve(root: Mapping[str, Any], node: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """A schema node with its `$ref`s followed, and the name of the last definition."""
    name = ""
    resolved = dict(node)
    while "$ref" in resolved:
        ref = str(resolved.pop("$ref"))
        name = ref.partition("#/$defs/")[2]
        definition, root = follow(dict(root), ref)
        resolved = {**definition, **resolved}
    return resolved, name


def _leaves(
    root: Mapping[str, Any], node: Mapping[str, Any], path: str
) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every string below a schema node: its field path, its node and its definition."""
    node, name = _resolve(root, node)
    if node.get("type") == "object":
        for key, sub in node.get("properties", {}).items():
            yield from _leaves(root, sub, f"{path}.{key}" if path else key)
    elif node.get("type") == "array":
        yield from _leaves(root, node["items"], path + "[]")
    elif node.get("type") == "string":
        yield path, node, name


@dataclasses.dataclass(frozen=True)
class Field:
    """A string field of a schema that carries payloads, or refers to one that does."""

    schema: str
    path: str
    role: str
    markdown: str  # The field's `x-markdown` kind, or "" for plain text.
    index: int

    @property
    def name(self) -> str:
        return f"{self.schema}:{self.path}"


def schema_fields() -> tuple[list[Field], list[str]]:
    """Every string field of the four schemas, and those this module cannot fill."""
    fields: list[Field] = []
    unknown: list[str] = []
    for schema in ("glossary", "errors", "pages", "team"):
        root = load_schema(schema)
        for path, node, definition in _leaves(root, root, ""):
            key = (schema, path)
            if key in FIXED or key in LEFT_OUT or "enum" in node or _under_fixed(schema, path):
                continue
            if definition == "label_ref":
                role = LABEL
            elif key in ROLES:
                role = ROLES[key]
            elif key in SHAPES:
                role = SHAPED
            elif node.get("pattern", r"\S") in FREE_TEXT:
                role = TEXT
            else:
                unknown.append(f"{schema}:{path} (pattern {node.get('pattern')!r})")
                continue
            fields.append(Field(schema, path, role, str(node.get("x-markdown", "")), len(fields)))
    return fields, unknown


def _under_fixed(schema: str, path: str) -> bool:
    return any(s == schema and path.startswith((p + "[]", p + ".")) for s, p in FIXED)


def _join(path: str, below: str) -> str:
    if not below or below.startswith("[]"):
        return path + below
    return f"{path}.{below}" if path else below


FIELDS, UNKNOWN_FIELDS = schema_fields()
BY_NAME = {(f.schema, f.path): f for f in FIELDS}
CARRIERS = [f for f in FIELDS if f.role in (TEXT, SHAPED, OWN_LABEL)]
"""The fields whose values this module chooses: each is one column of (payload, field)."""
CARRIERS_BY_INDEX = {f.index: f for f in FIELDS}


# -- the project -----------------------------------------------------------------------

PairKey = tuple[str, str, int]
"""(schema, field path, payload number); for a team, the number is its team's too."""


@dataclasses.dataclass
class Pair:
    """One payload placed in one field."""

    key: PairKey
    field: Field
    marker: str
    page: str  # The URL path, below the site, of the page of the entity that holds it.
    where: str  # Its location, as `file` and `loc`, for messages.


class _Omit:
    """The value of an optional field that is left out."""


OMIT = _Omit()


class Generator:
    """Write the project's sources with payloads in every field, as one round chooses."""

    def __init__(
        self,
        project: Path,
        entities: Sequence[int],
        singles: Mapping[tuple[str, str], int],
        refused: set[PairKey],
    ) -> None:
        self.project = project
        self.entities = list(entities)
        self.singles = singles
        self.refused = refused
        fixture = yaml.safe_load((FIXTURE / "catalog" / "errors.yml").read_text())
        used = {status["status"] for status in fixture["statuses"]}
        self.free_statuses = [s for s in range(400, 600) if s not in used]
        self.pairs: dict[tuple[Path, Loc], Pair] = {}
        self.names: dict[PairKey, str] = {}
        self.file = project  # The file being written.

    def status(self, n: int) -> int:
        return self.free_statuses[n]

    def code(self, n: int) -> str:
        return f"xss_{n}"

    def write(self) -> list[Path]:
        """Write the catalog and one team per entity; return the files written."""
        self.pairs = {}
        self.names = {}
        written = []
        for schema in ("glossary", "errors", "pages"):
            path = self.project / DOCS[schema]
            # The fixture's own entries stay, before the hostile ones: its teams and
            # pages need its codes and labels, and its pages use every label it has.
            keep = _lists(yaml.safe_load((FIXTURE / DOCS[schema]).read_text()), "")
            self.file = path
            data = self.value(schema, load_schema(schema), "", (), None, keep)
            path.write_text(_dump(data), encoding="utf-8")
            written.append(path)
        for n in self.entities:
            path = self.project / "runbooks" / f"xss{n}" / "team.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.file = path
            path.write_text(_dump(self.value("team", load_schema("team"), "", (), n, {})))
            written.append(path)
        return written

    def value(
        self,
        schema: str,
        node: Mapping[str, Any],
        path: str,
        loc: Loc,
        n: int | None,
        keep: Mapping[str, list[Any]],
    ) -> Any:
        """The value of one schema node for entity `n` (None: outside any entity)."""
        if (schema, path) in FIXED:
            return FIXED[schema, path](self, n)
        resolved, _ = _resolve(load_schema(schema), node)
        kind = resolved.get("type")
        if kind == "object":
            out: dict[str, Any] = {}
            needed = set(resolved.get("required", ()))
            for key, sub in resolved.get("properties", {}).items():
                below = f"{path}.{key}" if path else key
                if key not in needed and not self.carries(schema, sub, below):
                    continue
                item = self.value(schema, sub, below, (*loc, key), n, keep)
                if item is not OMIT:
                    out[key] = item
            return out
        if kind == "array":
            items: list[Any] = list(keep.get(path, []))
            # A list outside any entity holds one entity per payload; inside one, the
            # entity's own payload once.
            for entity in self.entities if n is None else [n]:
                below = path + "[]"
                items.append(
                    self.value(schema, resolved["items"], below, (*loc, len(items)), entity, keep)
                )
            return items
        if kind != "string" or "enum" in resolved:
            assert "enum" in resolved, f"{schema}:{path} needs a value in FIXED"
            return resolved["enum"][0]
        return self.string(BY_NAME[schema, path], loc, n)

    def carries(self, schema: str, node: Mapping[str, Any], path: str) -> bool:
        """Whether an optional property holds a field this module fills."""
        if (schema, path) in FIXED:
            return True
        leaves = _leaves(load_schema(schema), node, "")
        return any((schema, _join(path, below)) in BY_NAME for below, _, _ in leaves)

    def string(self, field: Field, loc: Loc, n: int | None) -> Any:
        """A string field's value: its payload, or plain text once it was refused."""
        if field.role == LABEL:  # A reference: the label of this entity, or the first's.
            return self.names[("glossary", "labels[].label", self.entities[0] if n is None else n)]
        if field.role == AREA:
            assert n is not None
            return self.names[("glossary", "areas[].name", n)]
        number = self.singles[field.schema, field.path] if n is None else n
        key = (field.schema, field.path, number)
        if field.role == OWN_LABEL:
            assert n is not None
            name = self.names[("glossary", "labels[].label", n)]
            mark = _MARKER.search(name)
            if key in self.refused or not mark:
                return OMIT  # A path is optional; a plain label needs no hostile path.
            self.place(key, field, loc, mark.group(0), n)
            return name
        if key in self.refused:  # Plain text in its place, so that the rest still loads.
            text = f"Plain value {number} {field.index}"  # Unique, as names must be.
            if field.role == SHAPED:
                text = SHAPES[field.schema, field.path][1]
        else:
            text = payload_text(number, field.index)
            if field.role == SHAPED:
                text = SHAPES[field.schema, field.path][0](text)
            self.place(key, field, loc, marker(number, field.index), n)
        self.names[key] = text
        return text

    def place(self, key: PairKey, field: Field, loc: Loc, mark: str, n: int | None) -> None:
        where = f"{self.file.relative_to(self.project)}:{_describe(loc)}"
        self.pairs[self.file.resolve(), loc] = Pair(key, field, mark, self.page(field, n), where)

    def page(self, field: Field, n: int | None) -> str:
        """The URL path of the page that shows the entity holding a field."""
        top = field.path.split(".")[0].removesuffix("[]")
        if field.schema == "team":
            return _url(runbook_page(f"xss{n}"))
        if field.schema == "glossary":
            return _url(PAGES["glossary"])
        if field.schema == "pages":
            return _url(PAGES["errors" if top == "helpful" else top])
        if top == "codes":
            return _url(code_page(self.code(_n(n))))
        if top == "common_issues":
            return _url(issue_page(f"xss-{_n(n)}"))
        if top == "doc_base_url":  # Every code's page says its address.
            return _url(code_page(self.code(self.entities[0])))
        return _url(PAGES["errors"])  # Statuses and the response shape.


def _lists(data: Any, path: str) -> dict[str, list[Any]]:
    """The lists of a document that are not inside another list, by field path."""
    if isinstance(data, list):
        return {path: data}
    if not isinstance(data, dict):
        return {}
    found: dict[str, list[Any]] = {}
    for key, value in data.items():
        found.update(_lists(value, f"{path}.{key}" if path else key))
    return found


def _n(n: int | None) -> int:
    assert n is not None
    return n


def _url(page: str) -> str:
    path = page.removesuffix(".md").removesuffix("index")
    return path if not path or path.endswith("/") else path + "/"


def _describe(loc: Loc) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)[1:]


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)


# -- running the tool ------------------------------------------------------------------

LOCATED = re.compile(r"^(?P<file>[^:\n]+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<text>.+)$")
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `zofdocs` in this process; a traceback is part of what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except Exception:  # A crash is a finding, reported with the rest.
            status = -1
            err.write(traceback.format_exc())
    return status, out.getvalue(), err.getvalue()


@dataclasses.dataclass
class Round:
    """What one build of the project showed."""

    number: int
    pairs: dict[PairKey, Pair] = dataclasses.field(default_factory=dict)
    refusals: dict[PairKey, str] = dataclasses.field(default_factory=dict)
    texts: dict[str, str] = dataclasses.field(default_factory=dict)  # Article text by page.
    problems: list[str] = dataclasses.field(default_factory=list)  # Validation trouble.
    build: list[str] = dataclasses.field(default_factory=list)  # Strict build trouble.
    checker: list[str] = dataclasses.field(default_factory=list)  # `zofdocs check` trouble.
    browser: list[Seen] = dataclasses.field(default_factory=list)  # What Chromium saw.
    pages: int = 0

    @functools.cached_property
    def flagged(self) -> set[str]:
        """The pages on which Chromium found something (once it is done)."""
        return {seen.page for seen in self.browser}


def validate(project: Path, generator: Generator, result: Round) -> None:
    """Write the sources, refusing each value the tool refuses, until they load."""
    for command in (("validate",), ("runbook", "update")):
        for _ in range(len(PAYLOADS) * 2):
            files = generator.write()
            status, _, err = run_cli(*command)
            if status == 0:
                break
            new = _refusals(project, files, generator, status, err, command[0], result)
            if not new:
                result.problems.append(
                    f"zofdocs {' '.join(command)} refuses what no payload explains "
                    f"(exit {status}):\n{err}"
                )
                return
        else:
            result.problems.append(f"zofdocs {' '.join(command)} never accepted the sources")
            return
    result.pairs = {pair.key: pair for pair in generator.pairs.values()}


def _refusals(
    project: Path,
    files: list[Path],
    generator: Generator,
    status: int,
    err: str,
    command: str,
    result: Round,
) -> set[PairKey]:
    if status != 2 or "Traceback" in err:
        result.problems.append(f"zofdocs {command} exited {status}, not 2:\n{err}")
        return set()
    where: dict[tuple[Path, int, int], Loc] = {}
    for path in files:
        try:
            source = load_yaml(path)
        except CatalogError as exc:  # The files are dumped by PyYAML: they always parse.
            result.problems.append(f"{path} does not load: {exc}")
            return set()
        for table in (source.key_marks, source.marks):
            for loc, mark in table.items():
                where[path.resolve(), *mark] = loc
    new: set[PairKey] = set()
    for message in err.splitlines():
        found = LOCATED.match(message)
        if found is None:
            result.problems.append(f"zofdocs {command}: a message without a place: {message!r}")
            continue
        spot = ((project / found["file"]).resolve(), int(found["line"]), int(found["column"]))
        at = where.get(spot)
        pair = generator.pairs.get((spot[0], at)) if at is not None else None
        if pair is None:
            result.problems.append(f"zofdocs {command}: placed at no payload: {message}")
            continue
        result.refusals[pair.key] = found["text"]
        new.add(pair.key)
    generator.refused |= new
    return new


def build(project: Path, site: Path, result: Round) -> None:
    """Build strictly, noting every warning and error of a build that fails."""
    config = project / "mkdocs.yml"
    plugin = "  - zofdocs:\n      catalog: catalog\n"
    assert plugin in config.read_text()
    # Hostile label names make findings that no catalog can avoid: the checker looks for
    # a label's name in the Markdown, where it is escaped (ZOF206, "used on no page"),
    # and `**...**` in a value reads as a Console label (ZOF203). The checker runs on its
    # own in `check_findings`; the build's sanitizer check of the HTML still runs.
    config.write_text(config.read_text().replace(plugin, plugin + "      check: false\n"))
    command = [str(BIN / "mkdocs"), "build", "--strict", "-d", str(site)]
    done = subprocess.run(command, cwd=project, env=ENV, capture_output=True, text=True)
    noted = [line for line in done.stderr.splitlines() if re.match(r"(WARNING|ERROR)\b", line)]
    if done.returncode != 0 or noted:
        # MkDocs writes every page before a strict build gives up: Chromium still gets
        # them, so that what a failure means is seen.
        result.build += noted or [done.stderr[-2000:]]


def check_findings(result: Round) -> None:
    """Run `zofdocs check` over the project: every finding at a place, no traceback."""
    status, out, err = run_cli("check")
    if status not in (0, 1) or "Traceback" in err:
        result.checker.append(f"zofdocs check exited {status}:\n{err[-3000:]}")
    for line in out.splitlines():
        if not LOCATED.match(line):
            result.checker.append(f"a finding without line and column: {line}")


# What each page must not hold, evaluated in the page after it loaded. Every <details>
# is opened first, so that folded text counts as shown (and an `ontoggle` would fire).
# Each finding names the marker nearest to it, in the element or its parent, so that
# the failure says which field let it through.
INSPECT = """() => {
  const article = document.querySelector('article');
  for (const d of document.querySelectorAll('article details')) d.open = true;
  const found = [];
  const nearest = (el) => {
    for (let node = el, up = 0; node && up < 2; node = node.parentElement, up++) {
      const m = node.outerHTML.slice(0, 4000).match(/zofxss\\d{3}f\\d{3}/);
      if (m) return m[0];
    }
    return '';
  };
  const note = (what, el) => found.push({
    what: what + ': ' + el.outerHTML.replace(/\\s+/g, ' ').slice(0, 160), marker: nearest(el)});
  const urls = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster',
                'background', 'codebase', 'srcset'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) note('event handler', el);
      if (name === 'srcdoc') note('srcdoc', el);
      if (!urls.includes(name)) continue;
      let scheme = '';
      try { scheme = new URL(attr.value.trim(), document.baseURI).protocol; } catch (e) {}
      if (['javascript:', 'data:', 'vbscript:'].includes(scheme)) note(scheme + ' URL', el);
    }
  }
  const active = 'script,iframe,object,embed,style,frame,frameset,applet,base,form,link,' +
                 'meta[http-equiv]';
  if (article) for (const el of article.querySelectorAll(active)) note('element', el);
  // No template writes these into a page's content: next to a marker, a value made them.
  const made = 'img,input,button,textarea,select,video,audio,source,marquee';
  if (article) for (const el of article.querySelectorAll(made)) {
    if (nearest(el)) note('element made from a value', el);
  }
  for (const el of document.querySelectorAll(active + ',noscript,template,textarea')) {
    if (el.outerHTML.includes('zofxss') && !(article && article.contains(el))) {
      note('element outside the content', el);
    }
  }
  for (const call of window.__zofDialogs || []) found.push({what: 'dialog ' + call, marker: ''});
  return {found, article: Boolean(article), text: article ? article.innerText : ''};
}"""

LOAD_TIMEOUT = 10_000
"""Milliseconds a page may take to load. One that takes longer is held up by script
(a dialog that opens again as soon as it is closed), and counts as a failure."""

# A page whose script ran may open dozens of dialogs, each a round trip to the browser:
# alert, confirm and prompt are replaced before any script of the page runs by a
# recorder that INSPECT reads back, so that such a page is read in a fraction of a
# second. A dialog that opens anyway (a frame, `print`, `beforeunload`) is caught by the
# `dialog` handler; either way the test fails.
RECORD_DIALOGS = """(() => {
  const calls = [];
  Object.defineProperty(window, '__zofDialogs', {value: calls});
  for (const name of ['alert', 'confirm', 'prompt']) {
    window[name] = (...args) => { calls.push(name + '(' + args.join(', ') + ')'); return null; };
  }
})();"""


@dataclasses.dataclass(frozen=True)
class Seen:
    """One thing Chromium found on a page, and the marker nearest to it."""

    page: str
    what: str
    marker: str = ""


class Tab:
    """A Chromium page that notes every dialog, failed request and request off the site."""

    def __init__(self, browser: BrowserContext, base: str) -> None:
        self.page = browser.new_page()
        self.page.add_init_script(RECORD_DIALOGS)
        self.problems = watch(self.page, base)
        self.where = ""
        self.dialogs: Counter[str] = Counter()
        self.page.on("dialog", self.on_dialog)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs[f"dialog {dialog.type}({dialog.message})"] += 1
        with contextlib.suppress(PlaywrightError):  # The page may have moved on already.
            dialog.dismiss()

    def taken(self) -> list[Seen]:
        """The dialogs and the console and network trouble since the last call."""
        seen = [Seen(self.where, f"{text} x{count}") for text, count in self.dialogs.items()]
        seen += [Seen(self.where, f"console or network: {p}") for p in self.problems]
        self.dialogs.clear()
        self.problems.clear()
        return seen

    def close(self) -> list[Seen]:
        """Close the page; return what it saw last."""
        self.page.close(run_before_unload=False)
        return self.taken()


def crawl(browser: BrowserContext, site: Path, result: Round) -> None:
    """Open every built page in Chromium; note dialogs, failed requests and bad markup."""
    files = sorted(site.rglob("*.html"))
    result.pages = len(files)
    with serve(site) as base:
        tab = Tab(browser, base)
        for file in files:
            path = file.relative_to(site).as_posix().removesuffix("index.html")
            tab.where = "/" + path
            try:
                response = tab.page.goto(base + path, timeout=LOAD_TIMEOUT)
                seen = tab.page.evaluate(INSPECT)
            except PlaywrightError as exc:
                # Script held the page up or took it elsewhere: a fresh page goes on.
                first = str(exc).splitlines()[0]
                result.browser.append(Seen(tab.where, f"did not load and hold still: {first}"))
                result.browser += tab.close()
                tab = Tab(browser, base)
                continue
            if response is None or response.status != 200:
                result.browser.append(Seen(tab.where, f"status {response and response.status}"))
            if seen["article"]:
                # Read as the reader sees it, but for case: the site's stylesheet sets
                # the home view's eyebrow labels in capitals (`text-transform`), and
                # innerText follows it. Markers are compared casefolded.
                result.texts[path] = str(seen["text"]).casefold()
            else:
                result.browser.append(Seen(tab.where, "no <article>: the page content is gone"))
            result.browser += [Seen(tab.where, f["what"], f["marker"]) for f in seen["found"]]
            result.browser += tab.taken()
        result.browser += tab.close()


# -- the rounds ------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    """Every round, and how long they took."""

    rounds: list[Round]
    seconds: float = 0.0

    @property
    def pairs(self) -> dict[PairKey, list[tuple[Round, Pair]]]:
        """Each (payload, field) that was accepted, with the rounds it was placed in."""
        placed: dict[PairKey, list[tuple[Round, Pair]]] = defaultdict(list)
        for result in self.rounds:
            for key, pair in result.pairs.items():
                placed[key].append((result, pair))
        return placed

    @property
    def refusals(self) -> dict[PairKey, str]:
        """Each (payload, field) that validation refused, with its message."""
        return {k: v for result in self.rounds for k, v in result.refusals.items()}


def singles(round_number: int) -> dict[tuple[str, str], int]:
    """The payload each field outside any list entity holds in a round: all different."""
    once = [f for f in CARRIERS if "[]" not in f.path and f.schema != "team"]
    step = len(once) * round_number
    return {(f.schema, f.path): (i + step) % len(PAYLOADS) for i, f in enumerate(once)}


def run_round(number: int, entities: Sequence[int], browser: BrowserContext, folder: Path) -> Round:
    """Fill a copy of the fixture project, validate, check, build and browse it."""
    project = folder / f"round{number}" / "project"
    shutil.copytree(FIXTURE, project)
    result = Round(number)
    generator = Generator(project, entities, singles(number), set())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)  # Messages name files relative to the project, as users see them.
        validate(project, generator, result)
        if result.problems and not result.pairs:
            return result
        check_findings(result)
    build(project, project.parent / "site", result)
    crawl(browser, project.parent / "site", result)
    return result


@pytest.fixture(scope="module")
def outcome(browser: BrowserContext, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    start = time.monotonic()
    folder = tmp_path_factory.mktemp("hostile")
    rounds = [run_round(0, range(len(PAYLOADS)), browser, folder)]
    for number in range(1, ROUNDS):
        # Later rounds need one entity only: the label that page text refers to.
        rounds.append(run_round(number, [number - 1], browser, folder))
    return Outcome(rounds, time.monotonic() - start)


# -- the tests -------------------------------------------------------------------------


def test_payloads_and_fields_are_enough() -> None:
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS), "a payload is listed twice"
    assert all("$M" in p for p in PAYLOADS), "each payload needs its marker, $M"
    assert UNKNOWN_FIELDS == [], (
        "a schema field has a format this module cannot fill: give it a value in FIXED, "
        "a role in ROLES or a shape in SHAPES, or list it in LEFT_OUT"
    )
    assert {f.schema for f in CARRIERS} == {"errors", "glossary", "pages", "team"}
    assert len(PAYLOADS) <= 600 - 400 - 7, "one free status number per payload"


def test_every_field_gets_payloads(outcome: Outcome) -> None:
    tried: dict[str, set[int]] = defaultdict(set)
    for key in [*outcome.pairs, *outcome.refusals]:
        tried[f"{key[0]}:{key[1]}"].add(key[2])
    names = {n for s, p, n in outcome.pairs if (s, p) == ("glossary", "labels[].label")}
    wrong = {}
    for field in CARRIERS:
        got = tried[field.name]
        if field.role == OWN_LABEL:  # A label's path is the label: each accepted name.
            if not names <= got:
                wrong[field.name] = f"labels {sorted(names - got)} have no path"
            continue
        # One entity per payload; a field that occurs once, a payload in each round.
        expected = len(PAYLOADS) if "[]" in field.path or field.schema == "team" else ROUNDS
        if len(got) != expected:
            wrong[field.name] = f"{len(got)} payloads, not {expected}"
    assert wrong == {}


def test_validation_refuses_only_with_located_messages(outcome: Outcome) -> None:
    problems = [p for result in outcome.rounds for p in result.problems]
    assert problems == []


def test_strict_build_succeeds(outcome: Outcome) -> None:
    failures = [line for result in outcome.rounds for line in result.build]
    # One line per kind of failure: the page a message names is folded away.
    page = re.compile(r"(generated|docs)/\S+|runbooks/[^/\s]+/runbook\.md")
    assert failures == [], _grouped(
        "mkdocs build --strict fails on sources that zofdocs validate accepts",
        [(page.sub("PAGE", line), next(iter(page.findall(line)), "")) for line in failures],
    )


def test_checker_findings_on_hostile_values_are_located(outcome: Outcome) -> None:
    trouble = [line for result in outcome.rounds for line in result.checker]
    assert trouble == [], _grouped(
        "zofdocs check on the hostile sources", [(line, "") for line in trouble]
    )


def test_no_dialog_script_or_markup_in_chromium(outcome: Outcome) -> None:
    assert all(r.pages > 20 for r in outcome.rounds), "a round built no site to browse"
    seen = [s for r in outcome.rounds for s in r.browser]
    assert seen == [], _browser_report(seen)


def test_every_accepted_value_is_shown_as_text(outcome: Outcome) -> None:
    hidden: list[tuple[str, str]] = []
    not_shown: set[tuple[str, str]] = set()
    for key, places in outcome.pairs.items():
        for result, pair in places:
            if pair.marker.casefold() in result.texts.get(pair.page, ""):
                continue
            field = (pair.field.schema, pair.field.path)
            if field in NOT_SHOWN:
                not_shown.add(field)
                continue
            marker = pair.marker.casefold()
            elsewhere = [p for p, text in result.texts.items() if marker in text]
            reason = f"not on /{pair.page}" + (
                f", only on /{elsewhere[0]}" if elsewhere else ", nor on any page"
            )
            if "/" + pair.page in result.flagged:  # Markup on the page may hide the rest.
                reason += " (the page fails in Chromium too)"
            hidden.append((pair.field.name, f"payload {key[2]}: {reason}"))
    assert hidden == [], _grouped("accepted values that are not shown as text", hidden)
    assert not_shown == set(NOT_SHOWN), "a field listed in NOT_SHOWN is shown now: remove it"


def test_summary(outcome: Outcome, record_property: Callable[[str, object], None]) -> None:
    pairs, refusals = outcome.pairs, outcome.refusals
    shown = {
        key
        for key, places in pairs.items()
        if all(pair.marker.casefold() in result.texts.get(pair.page, "") for result, pair in places)
    }
    per_field: dict[str, Counter[str]] = {f.name: Counter() for f in CARRIERS}
    for key in pairs:
        per_field[f"{key[0]}:{key[1]}"]["shown" if key in shown else "not shown"] += 1
    for key in refusals:
        per_field[f"{key[0]}:{key[1]}"]["refused"] += 1
    summary = {
        "payloads": len(PAYLOADS),
        "fields": len(CARRIERS),
        "reference_fields": len(FIELDS) - len(CARRIERS),
        "pairs_shown_as_text": len(shown),
        "pairs_accepted_not_shown": len(pairs) - len(shown),
        "pairs_refused_at_validation": len(refusals),
        "rounds": ROUNDS,
        "pages_crawled": sum(r.pages for r in outcome.rounds),
        "seconds": round(outcome.seconds, 1),
        "per_field": {name: dict(counts) for name, counts in per_field.items()},
    }
    record_property("hostile_summary", json.dumps(summary))
    kinds = {f.name: f.markdown or "plain" for f in CARRIERS}
    print(
        f"\n{len(PAYLOADS)} payloads x {len(CARRIERS)} fields "
        f"(+{len(FIELDS) - len(CARRIERS)} fields that refer to a label or an area), "
        f"{ROUNDS} builds, {summary['pages_crawled']} pages in {summary['seconds']} s: "
        f"{len(shown)} pairs shown as text, {len(pairs) - len(shown)} accepted but not "
        f"shown, {len(refusals)} refused at validation"
    )
    for name, counts in per_field.items():
        print(f"  {name} [{kinds[name]}]: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    assert set(pairs).isdisjoint(refusals), "a value both refused and accepted"
    # Validation refuses links to code, images and unclosed fences, not the rest.
    assert len(shown) > len(refusals) > 0


def _browser_report(seen: Sequence[Seen]) -> str:
    """What Chromium found, by the field whose marker was nearest, most frequent first."""
    groups: dict[str, list[Seen]] = defaultdict(list)
    payloads: dict[str, set[int]] = defaultdict(set)
    for item in seen:
        found = _MARKER.fullmatch(item.marker)
        ran = re.match(r"dialog \w+\((\d+)", item.what)
        if found:
            key = CARRIERS_BY_INDEX[int(found[2])].name
            payloads[key].add(int(found[1]))
        elif ran:  # The payload is known, not the field: it says alert(N).
            key = "script ran (alert, no marker to name the field)"
            payloads[key].add(int(ran[1]))
        else:
            key = re.sub(r"\d+", "N", re.sub(r"https?://[^/\s]+", "", item.what))[:100]
        groups[key].append(item)
    lines = []
    for key, items in sorted(groups.items(), key=lambda group: -len(group[1])):
        pages = sorted({item.page for item in items})
        numbers = f", payloads {sorted(payloads[key])}" if payloads[key] else ""
        lines.append(
            f"  {key}: {len(items)}x on {len(pages)} pages (such as {pages[0]}){numbers}; "
            f"e.g. {items[0].what[:150]}"
        )
    return (
        f"values became markup or script in Chromium ({len(seen)} findings, by the field "
        "whose marker is nearest):\n" + "\n".join(lines[:60])
    )


def _grouped(title: str, items: Sequence[tuple[str, str]]) -> str:
    """Items grouped by their first part, most frequent first, with two examples each."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key, example in items:
        groups[key].append(example)
    lines = [
        f"  {key}: {len(examples)}x, e.g. " + " | ".join(dict.fromkeys(examples).keys())[:300]
        for key, examples in sorted(groups.items(), key=lambda item: -len(item[1]))
    ]
    more = f"\n  ... and {len(lines) - 80} more" if len(lines) > 80 else ""
    return f"{title} ({len(items)}):\n" + "\n".join(lines[:80]) + more
