"""The shape of ``[notify]``, checked when zr.toml is loaded.

::

    [notify]
    desktop = true          # notify-send / osascript where available
    on = "failure"          # default of every target: failure | success | always

    [[notify.webhooks]]
    url_env = "SLACK_WEBHOOK"   # the URL is read from this variable, never zr.toml
    format = "slack"            # json | slack | discord
    on = "always"
    timeout = "5s"              # the most zr waits for this webhook, retries included
    retries = 2

Normalised to plain values (durations in seconds) with every default
filled in, so the dispatcher reads a dict.
"""

from __future__ import annotations

from zr.api import kinds
from zr.api import show
from zr.api import Kind

WHEN = ("failure", "success", "always")
FORMATS = ("json", "slack", "discord")
DEFAULT_TIMEOUT = 5.0
DEFAULT_RETRIES = 2


def _env_name(value) -> str:
    if isinstance(value, str) and value and all(c.isalnum() or c == "_" for c in value):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        raise ValueError("put the URL in an environment variable and name the variable "
                         "here (url_env = \"SLACK_WEBHOOK\"); zr.toml is no place for secrets")
    raise ValueError(f"expected an environment variable name, got {show(value)}")


def _retries(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number >= 0, got {show(value)}")
    return value


_WHEN = kinds.one_of(*WHEN)
WEBHOOK = kinds.table("webhook", {
    "url_env": Kind("env-name", _env_name, {"type": "string"}, "environment variable name"),
    "format": kinds.one_of(*FORMATS), "on": _WHEN, "timeout": kinds.DURATION,
    "retries": Kind("retries", _retries, {"type": "integer", "minimum": 0}, "count >= 0"),
}, required=("url_env",))
_TABLE = kinds.table("notify", {
    "desktop": kinds.BOOL, "on": _WHEN,
    "webhooks": kinds.array_of("webhooks", WEBHOOK, describe="[[notify.webhooks]] tables"),
})


def _check(value) -> dict:
    settings = _TABLE.check(value)
    default_on = settings.setdefault("on", "failure")
    settings.setdefault("desktop", False)
    for hook in settings.setdefault("webhooks", []):
        hook.setdefault("format", "json")
        hook.setdefault("on", default_on)
        hook.setdefault("timeout", DEFAULT_TIMEOUT)
        hook.setdefault("retries", DEFAULT_RETRIES)
    return settings


NOTIFY = Kind("notify", _check, _TABLE.schema,
              "table { desktop, on, webhooks = [{ url_env, format, on, timeout, retries }] }")
