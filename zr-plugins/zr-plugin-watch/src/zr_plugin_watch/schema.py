"""The ``[watch]`` table, checked when zr.toml is loaded::

    [watch]
    patterns = ["src/**", "zr.toml"]   # what to watch, relative to zr.toml's directory
    ignore = ["**/*.log"]              # never a reason to re-run
    debounce = "200ms"                 # quiet time that ends a burst of saves
    on_change = "restart"              # restart | queue
    poll = false                       # poll instead of native events
    poll_interval = "500ms"
"""

from __future__ import annotations

from zr.config import kinds
from zr.config.kinds import show
from zr.config.registry import Kind
from zr.errors import did_you_mean

DEFAULTS = {"patterns": [], "ignore": [], "debounce": 0.2, "on_change": "restart",
            "poll": False, "poll_interval": 0.5}

_FIELDS = {"patterns": kinds.STRING_LIST, "ignore": kinds.STRING_LIST,
           "debounce": kinds.DURATION, "on_change": kinds.one_of("restart", "queue"),
           "poll": kinds.BOOL, "poll_interval": kinds.DURATION}


def _check(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table, got {show(value)}")
    out = {}
    for key, item in value.items():
        kind = _FIELDS.get(key)
        if kind is None:
            raise ValueError(f"unknown key '{key}'{did_you_mean(key, _FIELDS)}; "
                             f"expected {', '.join(_FIELDS)}")
        try:
            out[key] = kind.check(item)
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    if out.get("poll_interval", 1) <= 0:
        raise ValueError("poll_interval: must be more than 0")
    return out


def settings(doc_value) -> dict:
    """The ``[watch]`` table with defaults filled in."""
    return {**DEFAULTS, **(doc_value or {})}


WATCH = Kind("watch", _check, {
    "type": "object", "additionalProperties": False,
    "properties": {name: kind.schema for name, kind in _FIELDS.items()}},
    "table { patterns, ignore, debounce, on_change, poll, poll_interval }")
