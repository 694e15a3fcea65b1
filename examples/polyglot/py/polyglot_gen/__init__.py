"""Code generation for polyglot: one catalogue of greetings, many languages.

The catalogue (``VERSION`` and ``data/greetings.json``) is the single source
of truth; the C program and the JavaScript module read what this package
generates from it, so they can never disagree about a greeting or a version.
"""

from .catalog import Catalog, CatalogError, load_catalog
from .render import render_c_header, render_js_module

__all__ = ["Catalog", "CatalogError", "load_catalog", "render_c_header", "render_js_module"]
