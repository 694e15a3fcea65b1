"""The ``[cache]`` table and the cache task fields: shapes, checks, defaults.

Checked when zr.toml is validated, so a mistake is reported with its file,
line and key (``zr.toml:7: cache.max_size: expected a size like "500MB"``);
at run time the plugin reads the normalised values from ``config.doc``.
"""

from __future__ import annotations

import os

from zr.api import FieldError, show
from zr.api import Kind
from zr.api import parse_duration, parse_size

DEFAULT_MAX_SIZE = 5 * 1000**3
# Keys with a known shape; a backend may read more of its own. What depends
# on the remote's type (unknown settings, secrets) is checked on every load
# by :mod:`.remote_validation`.
_REMOTE_STRINGS = ("type", "url", "token_env", "team", "slug")
_TOP_KEYS = ("dir", "max_size", "read_only", "signing_key_env", "respect_gitignore", "remote")


def _check_remote(value) -> dict:
    if not isinstance(value, dict):
        raise FieldError(["remote"], f'expected a table {{ type = "http", url = "..." }}, '
                                     f"got {show(value)}")
    out = {}
    for key, item in value.items():
        if key in _REMOTE_STRINGS and not isinstance(item, str):
            raise FieldError(["remote", key], f"expected a string, got {show(item)}")
        if key == "timeout":
            try:
                item = parse_duration(item)
            except ValueError as error:
                raise FieldError(["remote", key], str(error)) from None
            if item <= 0:
                raise FieldError(["remote", key], "expected a duration above zero")
        elif isinstance(item, (dict, list)):
            raise FieldError(["remote", key], f"expected a string, number or boolean, "
                                              f"got {show(item)}")
        out[key] = item
    if "type" not in out:
        raise FieldError(["remote"], 'missing type = "http" (or "turbo", or a backend a '
                                     "plugin adds)")
    return out


def _check_section(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table, got {show(value)}")
    from zr.errors import did_you_mean

    out: dict = {"max_size": DEFAULT_MAX_SIZE, "read_only": False, "respect_gitignore": False}
    for key, item in value.items():
        if key not in _TOP_KEYS:
            raise FieldError([key], f"unknown key '{key}'{did_you_mean(key, _TOP_KEYS)}; "
                                    f"expected one of {', '.join(_TOP_KEYS)}")
        if key in ("dir", "signing_key_env") and not isinstance(item, str):
            raise FieldError([key], f"expected a string, got {show(item)}")
        if key in ("read_only", "respect_gitignore") and not isinstance(item, bool):
            raise FieldError([key], f"expected true or false, got {show(item)}")
        if key == "max_size":
            try:
                item = parse_size(item)
            except ValueError as error:
                raise FieldError([key], str(error)) from None
        if key == "remote":
            item = _check_remote(item)
        out[key] = item
    return out


CACHE_SECTION = Kind(
    "cache-settings", _check_section,
    {"type": "object", "additionalProperties": False, "properties": {
        "dir": {"type": "string"}, "max_size": {"type": ["string", "integer"]},
        "read_only": {"type": "boolean"}, "signing_key_env": {"type": "string"},
        "respect_gitignore": {"type": "boolean"},
        "remote": {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string"}, "url": {"type": "string"},
            "token_env": {"type": "string"}, "team": {"type": "string"},
            "slug": {"type": "string"}, "timeout": {"type": ["string", "number"]}}}}},
    "table { dir, max_size, read_only, signing_key_env, respect_gitignore, remote }")


class CacheSettings:
    """The ``[cache]`` table with defaults filled in and paths resolved."""

    __slots__ = ("directory", "max_size", "read_only", "signing_key_env",
                 "respect_gitignore", "remote")

    def __init__(self, section: dict | None, project_root: str):
        section = section or {}
        self.directory = default_store_dir()
        if section.get("dir"):
            self.directory = os.path.join(project_root, os.path.expanduser(section["dir"]))
        self.max_size = section.get("max_size", DEFAULT_MAX_SIZE)
        self.read_only = section.get("read_only", False)
        self.signing_key_env = section.get("signing_key_env")
        self.respect_gitignore = section.get("respect_gitignore", False)
        self.remote = section.get("remote")


def default_store_dir() -> str:
    """``<zr cache dir>/tasks``: under ``ZR_CACHE_DIR`` or ``ZR_HOME`` if set,
    else the platform's user cache directory."""
    from zr.api import cache_dir

    return os.path.join(cache_dir(), "tasks")


def is_cacheable(task) -> bool:
    return task.field("cache") is True
