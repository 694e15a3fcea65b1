"""Value shapes of the core's own fields (see :class:`.registry.Kind`)."""

from __future__ import annotations

from ..units import parse_duration
from .registry import Kind


class FieldError(ValueError):
    """A problem at a key inside the checked value (``env.X``, ``retry.count``)."""

    def __init__(self, path: list, message: str):
        super().__init__(message)
        self.path = path


def show(value) -> str:
    """A raw TOML value as the user wrote it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return str(value)


def _string_list(value, what="a string or an array of strings") -> list:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValueError(f"expected {what}, got {show(value)}")


def _duration(value):
    return parse_duration(value)


def _env_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    raise ValueError(f"expected a string, number or boolean, got {show(value)}")


def _env_map(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of NAME = value, got {show(value)}")
    out = {}
    for key, item in value.items():
        try:
            out[key] = _env_value(item)
        except ValueError as exc:
            raise FieldError([key], str(exc)) from None
    return out


def _shell(value) -> list:
    if isinstance(value, str):
        import shlex

        words = shlex.split(value)
        if not words:
            raise ValueError('expected a shell like "bash" or ["bash", "-c"], got ""')
        # A bare shell name gets errexit and -c, as just and Task run recipes.
        return words + ["-e", "-c"] if len(words) == 1 else words
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValueError(f'expected a shell like "bash" or ["bash", "-c"], got {show(value)}')


_RETRY_KEYS = ("count", "delay", "backoff", "max_delay")


def _retry(value) -> dict:
    if isinstance(value, bool) or not isinstance(value, (int, dict)):
        raise ValueError(f"expected a retry count or a table "
                         f"{{ count, delay, backoff, max_delay }}, got {show(value)}")
    if isinstance(value, int):
        value = {"count": value}
    from ..errors import did_you_mean

    for key in value:
        if key not in _RETRY_KEYS:
            raise FieldError([key], f"unknown key '{key}'{did_you_mean(key, _RETRY_KEYS)}; "
                             f"expected {', '.join(_RETRY_KEYS)}")
    count = value.get("count", 1 if len(value) else 0)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise FieldError(["count"], f"expected a non-negative integer, got {show(count)}")
    backoff = value.get("backoff", 1.0)
    if isinstance(backoff, bool) or not isinstance(backoff, (int, float)) or backoff < 1:
        raise FieldError(["backoff"], f"expected a number >= 1, got {show(backoff)}")
    out = {"count": count, "delay": 0.0, "backoff": float(backoff), "max_delay": None}
    for key in ("delay", "max_delay"):
        if key in value:
            try:
                out[key] = parse_duration(value[key])
            except ValueError as exc:
                raise FieldError([key], str(exc)) from None
    return out


def _positive_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a positive integer, got {show(value)}")
    return value


_STRING_LIST_SCHEMA = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_DURATION_SCHEMA = {"anyOf": [{"type": "string", "pattern": r"^\s*(\d+(\.\d+)?(ms|s|m|h|d)?)+\s*$"},
                              {"type": "number", "minimum": 0}]}

COMMANDS = Kind("commands", lambda v: _string_list(v, "a command string or an array of commands"),
                _STRING_LIST_SCHEMA, "string or array of strings")
STRING_LIST = Kind("string-list", _string_list, _STRING_LIST_SCHEMA,
                   "string or array of strings")
DURATION = Kind("duration", _duration, _DURATION_SCHEMA, 'duration ("90s", "5m", "1h30m")')
ENV_MAP = Kind("env", _env_map, {"type": "object", "additionalProperties":
                                 {"type": ["string", "number", "boolean"]}},
               "table of NAME = value")
SHELL = Kind("shell", _shell, _STRING_LIST_SCHEMA, 'shell ("bash" or ["bash", "-c"])')
RETRY = Kind("retry", _retry, {"anyOf": [{"type": "integer", "minimum": 0}, {
    "type": "object", "additionalProperties": False, "properties": {
        "count": {"type": "integer", "minimum": 0}, "delay": _DURATION_SCHEMA,
        "backoff": {"type": "number", "minimum": 1}, "max_delay": _DURATION_SCHEMA}}]},
    "count or { count, delay, backoff, max_delay }")
POSITIVE_INT = Kind("positive-int", _positive_int, {"type": "integer", "minimum": 1},
                    "positive integer")


def _string(value) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"expected a string, got {show(value)}")


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, got {show(value)}")


def _string_array(value) -> list:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValueError(f"expected an array of strings, got {show(value)}")


def one_of(*choices: str) -> Kind:
    def check(value):
        if value in choices:
            return value
        raise ValueError(f"expected one of {', '.join(map(repr, choices))}, got {show(value)}")
    return Kind("one-of", check, {"enum": list(choices)}, " | ".join(map(repr, choices)))


STRING = Kind("string", _string, {"type": "string"}, "string")
BOOL = Kind("bool", _bool, {"type": "boolean"}, "boolean")
STRING_ARRAY = Kind("string-array", _string_array,
                    {"type": "array", "items": {"type": "string"}}, "array of strings")


def _params(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of NAME = default or NAME = {{ default, choices, "
                         f"description }}, got {show(value)}")
    out = {}
    for name, spec in value.items():
        if not name.isidentifier():
            raise FieldError([name], "a parameter name must be a word (letters, digits, _)")
        if isinstance(spec, (str, int, float)) and not isinstance(spec, bool):
            out[name] = {"default": str(spec), "choices": None, "description": ""}
            continue
        if not isinstance(spec, dict):
            raise FieldError([name], f"expected a default value or a table, got {show(spec)}")
        for key in spec:
            if key not in ("default", "choices", "description"):
                from ..errors import did_you_mean

                raise FieldError([name, key], f"unknown key '{key}'"
                                 f"{did_you_mean(key, ('default', 'choices', 'description'))}")
        default = spec.get("default")
        if default is not None:
            default = _env_value(default)
        choices = spec.get("choices")
        if choices is not None:
            if not isinstance(choices, list) or not choices:
                raise FieldError([name, "choices"], "expected a non-empty array")
            choices = [_env_value(c) for c in choices]
            if default is not None and default not in choices:
                raise FieldError([name, "default"], f"{show(default)} is not one of the "
                                 "choices")
        out[name] = {"default": default, "choices": choices,
                     "description": _string(spec.get("description", ""))}
    return out


def _guards(value) -> list:
    items = value if isinstance(value, list) else [value]
    out = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            item = {"if": item}
        if not isinstance(item, dict) or not isinstance(item.get("if"), str):
            raise FieldError([index], 'expected { if = "expression", message = "..." }')
        extra = set(item) - {"if", "message"}
        if extra:
            raise FieldError([index, sorted(extra)[0]], f"unknown key '{sorted(extra)[0]}'")
        out.append({"if": item["if"], "message": _string(item.get("message", ""))})
    return out


PARAMS = Kind("params", _params, {"type": "object", "additionalProperties": {
    "anyOf": [{"type": ["string", "number"]}, {"type": "object", "properties": {
        "default": {"type": ["string", "number", "boolean"]},
        "choices": {"type": "array"}, "description": {"type": "string"}},
        "additionalProperties": False}]}}, "table of parameters")
GUARDS = Kind("guards", _guards, {"type": "array", "items": {"type": "object", "properties": {
    "if": {"type": "string"}, "message": {"type": "string"}}, "required": ["if"],
    "additionalProperties": False}}, 'array of { if = "...", message = "..." }')


def table(name: str, fields: dict, *, required=(), describe: str | None = None) -> Kind:
    """A table whose keys each have their own :class:`Kind` (or checker
    function): unknown keys are errors with a did-you-mean, and an error
    inside a value names its key, so it is reported on that key's line
    (``notify.webhooks.0.format``). ``required`` keys must be present.
    """
    from ..errors import did_you_mean

    def check(value) -> dict:
        if not isinstance(value, dict):
            raise ValueError(f"expected a table, got {show(value)}")
        out = {}
        for key, item in value.items():
            field = fields.get(key)
            if field is None:
                raise FieldError([key], f"unknown key '{key}'{did_you_mean(key, fields)}; "
                                 f"expected {', '.join(fields)}")
            checker = field.check if isinstance(field, Kind) else field
            try:
                out[key] = checker(item)
            except FieldError as exc:
                raise FieldError([key] + exc.path, str(exc)) from None
            except ValueError as exc:
                raise FieldError([key], str(exc)) from None
        for key in required:
            if key not in out:
                raise ValueError(f"{key} is required")
        return out

    schema = {"type": "object", "additionalProperties": False, "properties": {
        key: (field.schema if isinstance(field, Kind) else {}) for key, field in fields.items()}}
    if required:
        schema["required"] = list(required)
    return Kind(name, check, schema, describe or f"table {{ {', '.join(fields)} }}")


def array_of(name: str, item: Kind, *, describe: str | None = None) -> Kind:
    """An array whose items are all ``item``; an error names the item's index."""

    def check(value) -> list:
        if not isinstance(value, list):
            raise ValueError(f"expected an array, got {show(value)}")
        out = []
        for index, element in enumerate(value):
            try:
                out.append(item.check(element))
            except FieldError as exc:
                raise FieldError([index] + exc.path, str(exc)) from None
            except ValueError as exc:
                raise FieldError([index], str(exc)) from None
        return out

    return Kind(name, check, {"type": "array", "items": item.schema},
                describe or f"array of {item.describe}")
