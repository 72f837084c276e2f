"""zofdocs: the Zof error catalog and Console glossary, rendered into documentation.

The public surface is what this module exports: load the sources with `load_sources`,
render them with `render_site`, and catch `ZofError`.
"""

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
