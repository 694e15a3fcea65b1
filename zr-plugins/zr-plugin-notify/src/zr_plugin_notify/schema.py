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

from zr.config import kinds
from zr.config.kinds import show
from zr.config.registry import Kind
from zr.errors import did_you_mean
from zr.units import parse_duration

WHEN = ("failure", "success", "always")
FORMATS = ("json", "slack", "discord")
DEFAULT_TIMEOUT = 5.0
DEFAULT_RETRIES = 2


class _Located(ValueError):
    """A problem whose message already starts with its key path."""


def _table(value, checks: dict, where: str = "") -> dict:
    """Check each key of a table with its checker; unknown keys are errors.
    ``where`` is the table's own path inside [notify] (``webhooks[2]``)."""
    prefix = f"{where}: " if where else ""
    if not isinstance(value, dict):
        raise _Located(f"{prefix}expected a table, got {show(value)}")
    out = {}
    for key, item in value.items():
        check = checks.get(key)
        if check is None:
            raise _Located(f"{prefix}unknown key '{key}'{did_you_mean(key, checks)}; "
                           f"expected {', '.join(checks)}")
        try:
            out[key] = check(item)
        except _Located:
            raise
        except ValueError as exc:
            raise _Located(f"{where + '.' if where else ''}{key}: {exc}") from None
    return out


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


_WEBHOOK = {"url_env": _env_name, "format": kinds.one_of(*FORMATS).check,
            "on": kinds.one_of(*WHEN).check, "timeout": parse_duration, "retries": _retries}


def _webhooks(value) -> list:
    if not isinstance(value, list):
        raise ValueError(f"expected an array of tables ([[notify.webhooks]]), got {show(value)}")
    hooks = []
    for index, item in enumerate(value, 1):
        where = f"webhooks[{index}]"
        hook = _table(item, _WEBHOOK, where)
        if "url_env" not in hook:
            raise _Located(f"{where}: url_env is required (the variable holding the URL)")
        hooks.append(hook)
    return hooks


_NOTIFY = {"desktop": kinds.BOOL.check, "on": kinds.one_of(*WHEN).check,
           "webhooks": _webhooks}


def _check(value) -> dict:
    settings = _table(value, _NOTIFY, "")
    default_on = settings.setdefault("on", "failure")
    settings.setdefault("desktop", False)
    for hook in settings.setdefault("webhooks", []):
        hook.setdefault("format", "json")
        hook.setdefault("on", default_on)
        hook.setdefault("timeout", DEFAULT_TIMEOUT)
        hook.setdefault("retries", DEFAULT_RETRIES)
    return settings


_WHEN_SCHEMA = {"enum": list(WHEN)}
NOTIFY = Kind("notify", _check, {
    "type": "object", "additionalProperties": False, "properties": {
        "desktop": {"type": "boolean"}, "on": _WHEN_SCHEMA,
        "webhooks": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["url_env"],
            "properties": {
                "url_env": {"type": "string"}, "format": {"enum": list(FORMATS)},
                "on": _WHEN_SCHEMA, "timeout": kinds.DURATION.schema,
                "retries": {"type": "integer", "minimum": 0}}}}}},
    "table { desktop, on, webhooks = [{ url_env, format, on, timeout, retries }] }")
