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

from zr.api import kinds
from zr.api import Kind

DEFAULTS = {"patterns": [], "ignore": [], "debounce": 0.2, "on_change": "restart",
            "poll": False, "poll_interval": 0.5}

def _positive_duration(value) -> float:
    seconds = kinds.DURATION.check(value)
    if seconds <= 0:
        raise ValueError("must be more than 0")
    return seconds


WATCH = kinds.table("watch", {
    "patterns": kinds.STRING_LIST, "ignore": kinds.STRING_LIST, "debounce": kinds.DURATION,
    "on_change": kinds.one_of("restart", "queue"), "poll": kinds.BOOL,
    "poll_interval": Kind("positive-duration", _positive_duration, kinds.DURATION.schema,
                          "duration above 0")})


def settings(doc_value) -> dict:
    """The ``[watch]`` table with defaults filled in."""
    return {**DEFAULTS, **(doc_value or {})}
