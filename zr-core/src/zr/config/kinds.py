"""Value shapes of the core's own fields (see :class:`.registry.Kind`)."""

from __future__ import annotations

import math

from ..units import MAX_DURATION, parse_duration
from .registry import Kind

#: Bounds of the counts zr.toml accepts (docs/zr-toml.md, "Limits").
MAX_RETRY_COUNT = 1000
MAX_BACKOFF = 100.0
MAX_POSITIVE_INT = 100_000


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
        text = value if len(value) <= 60 else value[:57] + "..."
        # Control characters (NUL, ESC) are shown escaped, never sent to the terminal.
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
        return '"' + text + '"'
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, int) and value.bit_length() > 64:
        return "an integer too large for zr"  # str() of a huge int is slow or refused
    return str(value)


def _nul_message(what: str) -> str:
    return f"{what} contains a NUL character (\\0), which no path, name or process can hold"


def _no_nul(text: str, what: str) -> str:
    """Text that can reach a process (argv, env, cwd) cannot hold NUL."""
    if "\0" in text:
        raise ValueError(_nul_message(what))
    return text


def _string_list(value, what="a string or an array of strings") -> list:
    if isinstance(value, str):
        return [_no_nul(value, "the text")]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return _no_nul_items(value)
    raise ValueError(f"expected {what}, got {show(value)}")


def _no_nul_items(values: list) -> list:
    for index, text in enumerate(values):
        if "\0" in text:
            raise FieldError([index], _nul_message("the text"))
    return list(values)


def _commands(value) -> list:
    return _string_list(value, "a command string or an array of commands")


def _duration(value):
    return parse_duration(value)


def _env_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a string, a finite number or a boolean, got {value}")
    if isinstance(value, int) and value.bit_length() > 64:
        raise ValueError(f"expected a string or a number of at most 64 bits, got "
                         f"{show(value)}; quote it to pass it as text")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return _no_nul(value, "the value")
    raise ValueError(f"expected a string, number or boolean, got {show(value)}")


def env_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an environment variable's name, or None."""
    if not name:
        return "an environment variable's name cannot be empty"
    if "=" in name:
        return f"an environment variable's name cannot contain '=' ({name!r})"
    if "\0" in name:
        return "an environment variable's name cannot contain a NUL character"
    return None


def _env_map(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of NAME = value, got {show(value)}")
    out = {}
    for key, item in value.items():
        problem = env_name_problem(key)
        if problem:
            raise FieldError([key], problem)
        try:
            out[key] = _env_value(item)
        except ValueError as exc:
            raise FieldError([key], str(exc)) from None
    return out


def _shell(value) -> list:
    if isinstance(value, str):
        import shlex

        _no_nul(value, "the shell")
        try:
            words = shlex.split(value)
        except ValueError as exc:  # an unclosed quote
            raise ValueError(f"cannot split the shell {show(value)} into words: {exc}") from None
        if not words:
            raise ValueError('expected a shell like "bash" or ["bash", "-c"], got ""')
        # A bare shell name gets errexit and -c, as just and Task run recipes.
        return words + ["-e", "-c"] if len(words) == 1 else words
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        for word in value:
            _no_nul(word, "the shell")
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
    if (isinstance(count, bool) or not isinstance(count, int)
            or not 0 <= count <= MAX_RETRY_COUNT):
        raise FieldError(["count"], f"expected an integer from 0 to {MAX_RETRY_COUNT}, "
                         f"got {show(count)}")
    backoff = value.get("backoff", 1.0)
    if (isinstance(backoff, bool) or not isinstance(backoff, (int, float))
            or not 1 <= backoff <= MAX_BACKOFF):  # also refuses nan
        raise FieldError(["backoff"], f"expected a number from 1 to {MAX_BACKOFF:g}, "
                         f"got {show(backoff)}")
    if count > 1 and math.log10(backoff) * (count - 1) > 300:
        raise FieldError(["backoff"], f"backoff {backoff:g} over {count} retries grows "
                         f"beyond any number; lower count or backoff")
    # Delays grow by backoff; without a max_delay they stop at the longest
    # duration zr accepts, so no timer is ever set beyond what it can wait.
    out = {"count": count, "delay": 0.0, "backoff": float(backoff),
           "max_delay": MAX_DURATION}
    for key in ("delay", "max_delay"):
        if key in value:
            try:
                out[key] = parse_duration(value[key])
            except ValueError as exc:
                raise FieldError([key], str(exc)) from None
    return out


def _positive_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POSITIVE_INT:
        raise ValueError(f"expected an integer from 1 to {MAX_POSITIVE_INT}, got {show(value)}")
    return value


_STRING_LIST_SCHEMA = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_DURATION_SCHEMA = {"anyOf": [{"type": "string", "pattern": r"^\s*(\d+(\.\d+)?(ms|s|m|h|d)?)+\s*$"},
                              {"type": "number", "minimum": 0, "maximum": MAX_DURATION}]}

COMMANDS = Kind("commands", _commands, _STRING_LIST_SCHEMA, "string or array of strings")
STRING_LIST = Kind("string-list", _string_list, _STRING_LIST_SCHEMA,
                   "string or array of strings")
DURATION = Kind("duration", _duration, _DURATION_SCHEMA, 'duration ("90s", "5m", "1h30m")')
ENV_MAP = Kind("env", _env_map, {"type": "object", "additionalProperties":
                                 {"type": ["string", "number", "boolean"]}},
               "table of NAME = value")
SHELL = Kind("shell", _shell, _STRING_LIST_SCHEMA, 'shell ("bash" or ["bash", "-c"])')
RETRY = Kind("retry", _retry, {"anyOf": [{"type": "integer", "minimum": 0}, {
    "type": "object", "additionalProperties": False, "properties": {
        "count": {"type": "integer", "minimum": 0, "maximum": MAX_RETRY_COUNT},
        "delay": _DURATION_SCHEMA,
        "backoff": {"type": "number", "minimum": 1, "maximum": MAX_BACKOFF},
        "max_delay": _DURATION_SCHEMA}}]},
    "count or { count, delay, backoff, max_delay }")
POSITIVE_INT = Kind("positive-int", _positive_int,
                    {"type": "integer", "minimum": 1, "maximum": MAX_POSITIVE_INT},
                    "positive integer")


def _string(value) -> str:
    if isinstance(value, str):
        return _no_nul(value, "the text")
    raise ValueError(f"expected a string, got {show(value)}")


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, got {show(value)}")


def _string_array(value) -> list:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return _no_nul_items(value)
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
