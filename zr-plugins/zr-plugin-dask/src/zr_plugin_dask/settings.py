"""Where a run's tasks go: ``--executor`` (or ``ZR_EXECUTOR``), else the
``[executor]`` table; and the ``resources`` task field.

``--executor dask://HOST:PORT`` and ``[executor] type = "dask", address =
"tcp://HOST:PORT"`` both name a Dask scheduler; ``--executor local``
runs on this machine even when zr.toml names a cluster.
"""

from __future__ import annotations

from zr.api import FieldError, Kind, show

EXECUTOR_TYPES = ("dask", "local")


def _check_section(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f'expected a table {{ type = "dask", address = "tcp://HOST:PORT" }}, '
                         f"got {show(value)}")
    for key, item in value.items():
        if key not in ("type", "address"):
            raise FieldError([key], f"unknown key '{key}'; expected type or address")
        if not isinstance(item, str):
            raise FieldError([key], f"expected a string, got {show(item)}")
    if value.get("type", "dask") not in EXECUTOR_TYPES:
        raise FieldError(["type"], f"expected one of {', '.join(EXECUTOR_TYPES)}, "
                                   f"got {show(value['type'])}")
    if value.get("type", "dask") == "dask" and not value.get("address"):
        raise FieldError(["address"], 'missing address = "tcp://HOST:PORT" (the Dask '
                                      "scheduler)")
    return dict(value)


EXECUTOR_SECTION = Kind(
    "executor-settings", _check_section,
    {"type": "object", "additionalProperties": False, "properties": {
        "type": {"enum": list(EXECUTOR_TYPES)}, "address": {"type": "string"}}},
    'table { type = "dask", address = "tcp://HOST:PORT" }')


def _check_resources(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f'expected a table like {{ gpu = 1 }}, got {show(value)}')
    for name, amount in value.items():
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0:
            raise FieldError([name], f"expected a number above zero, got {show(amount)}")
    return dict(value)


RESOURCES = Kind(
    "dask-resources", _check_resources,
    {"type": "object", "additionalProperties": {"type": "number", "exclusiveMinimum": 0}},
    "table of resource = amount, e.g. { gpu = 1 }")


def scheduler_address(options: dict, doc: dict) -> str | None:
    """The Dask scheduler this run sends its tasks to, or None (run locally).

    Raises ValueError with a message for an executor zr does not know.
    """
    given = options.get("executor")
    if given:
        return _parse(given)
    section = doc.get("executor") or {}
    if section.get("type", "dask") == "dask" and section.get("address"):
        return _parse(section["address"])
    return None


def _parse(text: str) -> str | None:
    text = text.strip()
    if text == "local":
        return None
    for scheme in ("dask://", "tcp://", "tls://"):
        if text.startswith(scheme):
            rest = text[len(scheme):]
            if not rest or ":" not in rest:
                break
            return ("tcp://" + rest) if scheme == "dask://" else text
    raise ValueError(f"--executor {text!r}: expected dask://HOST:PORT (a Dask scheduler) or "
                     f"local")
