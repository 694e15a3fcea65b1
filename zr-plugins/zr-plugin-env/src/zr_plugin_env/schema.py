"""The shape of ``env_file``: compose's spelling, normalised to one form.

Accepted: ``".env.test"``, ``[".env.test", ...]`` and entries
``{ path = ".env.local", required = false }``. Normalised to a list of
``{"path": str, "required": bool}`` so the rest of the plugin sees one shape.
"""

from __future__ import annotations

from zr.api import show
from zr.api import Kind

_ENTRY_KEYS = ("path", "required")
_EXPECTED = 'a path, or an array of paths and { path = "...", required = false } tables'


def _entry(item) -> dict:
    if isinstance(item, str):
        return {"path": item, "required": True}
    if not isinstance(item, dict):
        raise ValueError(f"expected {_EXPECTED}, got {show(item)}")
    for key in item:
        if key not in _ENTRY_KEYS:
            from zr.errors import did_you_mean

            raise ValueError(f"unknown key '{key}'{did_you_mean(key, _ENTRY_KEYS)}; "
                             "an entry has path and required")
    path, required = item.get("path"), item.get("required", True)
    if not isinstance(path, str) or not path:
        raise ValueError(f"path: expected a file name, got {show(path)}")
    if not isinstance(required, bool):
        raise ValueError(f"required: expected true or false, got {show(required)}")
    return {"path": path, "required": required}


def _check(value) -> list:
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        raise ValueError(f"expected {_EXPECTED}, got {show(value)}")
    return [_entry(item) for item in value]


ENV_FILE = Kind(
    "env-file", _check,
    {"anyOf": [{"type": "string"}, {"type": "array", "items": {"anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": False, "required": ["path"],
         "properties": {"path": {"type": "string"}, "required": {"type": "boolean"}}}]}}]},
    'path or [path, { path, required }]')
