"""Rules on JSON examples: they parse, and error examples have the response shape.

Rules ZOF301 to ZOF303 of `zofdocs.findings.RULES`, and ZOF101 for a code in an example.
"""

from __future__ import annotations

import json
import re
from typing import Any

from zofdocs.checks.context import CheckContext
from zofdocs.errors import Problem
from zofdocs.prose import Doc
from zofdocs.suggest import did_you_mean

__all__ = ["json_examples"]

_ERROR_KEYS = ("code", "message", "param")


def json_examples(ctx: CheckContext, doc: Doc, found: list[Problem]) -> None:
    """Fenced JSON: it parses (ZOF301), and an error example has the shape (ZOF302, ZOF303).

    Args:
        ctx: What the catalog allows.
        doc: The document.
        found: Where findings go.
    """
    for block in doc.json_blocks:
        try:
            data = json.loads(block.content)
        except json.JSONDecodeError as exc:
            found.append(
                ctx.at(
                    doc, block.offset + exc.pos, "ZOF301",
                    f"JSON example does not parse: {exc.msg}",
                    "fix the JSON, or mark the block as another language",
                )
            )  # fmt: skip
            continue
        if isinstance(data, dict) and "error" in data:
            _error_example(ctx, doc, block.offset, block.content, data, found)


def _error_example(
    ctx: CheckContext,
    doc: Doc,
    offset: int,
    content: str,
    data: dict[str, Any],
    found: list[Problem],
) -> None:
    def where(key: str) -> int:
        match = re.search(rf'"{re.escape(key)}"\s*:', content)
        return offset + (match.start() if match else 0)

    def shape(key: str, message: str, hint: str) -> None:
        found.append(ctx.at(doc, where(key), "ZOF302", message, hint))

    for key in sorted(set(data) - {"error"}):
        shape(
            key,
            f"unexpected key '{key}' beside 'error'",
            "an error response holds only 'error'",
        )
    error = data["error"]
    if not isinstance(error, dict):
        shape("error", "'error' must be an object", "give it 'code' and 'message'")
        return
    for key in sorted(set(error) - set(_ERROR_KEYS)):
        shape(key, f"unexpected key 'error.{key}'", did_you_mean(key, _ERROR_KEYS) or
              "the error object holds code, message and param")  # fmt: skip
    for key in ("code", "message"):
        if not isinstance(error.get(key), str):
            shape("error", f"'error.{key}' must be a string", f'add "{key}": "..."')
    name = error.get("code")
    if not isinstance(name, str):
        return
    code = ctx.codes.get(name)
    if code is None:
        found.append(
            ctx.at(
                doc, where("code"), "ZOF101", f"unknown error code '{name}' in a JSON example",
                did_you_mean(name, ctx.codes) or "use a code from the catalog",
            )
        )  # fmt: skip
        return
    param = error.get("param")
    if param is not None and param not in code.params:
        can = ", ".join(code.params) if code.params else "none"
        found.append(
            ctx.at(
                doc, where("param"), "ZOF303",
                f"'{param}' is not a param of '{name}'", f"its params: {can}",
            )
        )  # fmt: skip
