"""The shapes of ``[tools]`` and a task's ``toolchain`` in zr.toml."""

from __future__ import annotations

from zr.api import FieldError, Kind, show

from .versions import SpecError, parse_spec

TOOLS_HELP = ('Toolchains every task runs with: node = "20", go = "^1.22", '
              'python = { version = "3.12", verify = false }, zig = { version = "0.13", '
              'minisign_key = "RW..." }; [tools.mirrors] node = "URL" downloads from a '
              "mirror. See docs/toolchains.md.")
TOOLCHAIN_HELP = ('Toolchains this task runs with, beside [tools]: ["node@20", "go"] '
                  "(a name alone takes its version from [tools], .tool-versions or files "
                  "such as .nvmrc).")


def _spec(value, path: list) -> str:
    if isinstance(value, bool) or isinstance(value, float):
        raise FieldError(path, f"expected a version string, got {show(value)}"
                         + (" (write versions such as 3.10 in quotes)"
                            if isinstance(value, float) else ""))
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise FieldError(path, f"expected a version string, got {show(value)}")
    try:
        parse_spec(value)
    except SpecError as exc:
        raise FieldError(path, str(exc)) from None
    return value


def _tools(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table, got {show(value)}")
    out = {}
    for name, item in value.items():
        if name == "mirrors":
            if not isinstance(item, dict) or not all(isinstance(v, str) for v in item.values()):
                raise FieldError([name], 'expected a table of URLs: node = "https://..."')
            out[name] = dict(item)
        elif isinstance(item, dict):
            out[name] = _tool_table(name, item)
        else:
            out[name] = _spec(item, [name])
    return out


_TOOL_KEYS = ("version", "verify", "verify_signatures", "minisign_key")


def _tool_table(name: str, item: dict) -> dict:
    """``node = { version = "20", verify = false }`` (also ``[tools.node]``)."""
    unknown = set(item) - set(_TOOL_KEYS)
    if unknown:
        raise FieldError([name, sorted(unknown)[0]],
                         "unknown key; expected " + ", ".join(_TOOL_KEYS))
    for key in ("verify", "verify_signatures"):
        if key in item and not isinstance(item[key], bool):
            raise FieldError([name, key], f"expected true or false, got {show(item[key])}")
    out = {"version": _spec(item.get("version", "latest"), [name, "version"]),
           "verify": item.get("verify", True),
           "verify_signatures": item.get("verify_signatures", True)}
    if "minisign_key" in item:
        from .signatures import SignatureError, parse_public_key

        key = item["minisign_key"]
        try:
            if not isinstance(key, str):
                raise SignatureError(f"expected a minisign public key (RW...), got {show(key)}")
            parse_public_key(key)
        except SignatureError as exc:
            raise FieldError([name, "minisign_key"], str(exc)) from None
        out["minisign_key"] = key
    return out


def _toolchain(value) -> list:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f'expected an array such as ["node@20", "go"], got {show(value)}')
    for index, item in enumerate(items):
        name, _, spec = item.partition("@")
        if not name.strip():
            raise FieldError([index], f"'{item}' names no toolchain; expected NAME or NAME@VERSION")
        if spec.strip():
            _spec(spec.strip(), [index])
    return list(items)


TOOLS = Kind("tools", _tools, {"type": "object", "additionalProperties": {
    "anyOf": [{"type": "string"}, {"type": "object"}]}}, "table of tool = version")
TOOLCHAIN = Kind("toolchain", _toolchain, {"anyOf": [
    {"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
    'array of "tool" or "tool@version"')
