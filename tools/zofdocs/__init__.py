"""zofdocs: the Zof error catalog and Console glossary, rendered into documentation.

The public surface is what this module exports: load the sources with `load_sources`,
render them with `render_site`, and catch `ZofError`. The names are imported on first
use, so that `zofdocs --help` does not pay for YAML, Jinja and the checker.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zofdocs.catalog import load_sources
    from zofdocs.errors import CatalogError, Problem, RenderError, ZofError
    from zofdocs.model import Catalog, ErrorCode, Glossary, Label, Sources, Status
    from zofdocs.render import Site, render_site

__all__ = [
    "Catalog",
    "CatalogError",
    "ErrorCode",
    "Glossary",
    "Label",
    "Problem",
    "RenderError",
    "Site",
    "Sources",
    "Status",
    "ZofError",
    "__version__",
    "load_sources",
    "render_site",
]

__version__ = "0.1.0"

_HOMES = {
    "load_sources": "catalog",
    "CatalogError": "errors",
    "Problem": "errors",
    "RenderError": "errors",
    "ZofError": "errors",
    "Catalog": "model",
    "ErrorCode": "model",
    "Glossary": "model",
    "Label": "model",
    "Sources": "model",
    "Status": "model",
    "Site": "render",
    "render_site": "render",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'zofdocs' has no attribute {name!r}")
    return getattr(importlib.import_module(f"zofdocs.{home}"), name)
