"""The ``[plugins]`` table of zr.toml.

::

    [plugins]
    required = ["zr-plugin-docker>=1.2", "matrix"]   # checked on every load
    index = "https://plugins.example.com/index.json" # for `zr plugin search`

    [plugins.wasm.lint]                              # zr-plugin-wasm checks these
    path = "plugins/lint.wasm"

The ``zr plugin`` commands read this table straight from the file rather
than through a full project load: ``zr plugin install --required`` must
work precisely when the project does not load because plugins are missing.
"""

from __future__ import annotations

from zr.api import kinds
from zr.api import STRING, STRING_ARRAY
from zr.api import Kind

SECTION_HELP = ("Plugins this project needs (`required`, checked on every load; "
                "`zr plugin install --required` installs them) and the plugin index "
                "`zr plugin search` reads (`index`, a URL or a path).")


def _required(value) -> list:
    """Each entry parsed and checked against what is installed now (see
    :mod:`.requirements` for why the verdict is kept)."""
    items = STRING_ARRAY.check(value)
    from .requirements import parse_required

    return [plugin.to_entry() for plugin in parse_required(items)]


def _wasm(value) -> dict:
    """``[plugins.wasm.NAME]`` tables, kept as written: the wasm plugin owns
    their contents and checks them when it loads the project."""
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ValueError('expected a table of WASM plugins like [plugins.wasm.NAME] '
                         'path = "x.wasm", got ' + kinds.show(value))
    return value


PLUGINS_SECTION = kinds.table("plugins", {
    "required": Kind("requirements", _required, {
        "type": "array", "items": {"type": "string"},
        "description": "Requirements like \"zr-plugin-docker>=1.2\"."}, "array of requirements"),
    "index": Kind("index", STRING.check, {
        "type": "string", "description": "URL or path of a plugin index."}, "URL or path"),
    "wasm": Kind("wasm-plugins", _wasm, {
        "type": "object", "additionalProperties": {"type": "object"},
        "description": "WASM plugins by name (zr-plugin-wasm, docs/wasm-plugins.md)."},
        "table of WASM plugins"),
}, describe="table { required = [...], index = \"...\", wasm = {...} }")


class ProjectPlugins:
    """``[plugins]`` of the nearest zr.toml, read without loading the project."""

    def __init__(self, table: dict, path: str | None, shown: str | None, text: str = ""):
        self.required = [entry["text"] for entry in table.get("required") or ()]
        self.index = table.get("index")
        self.path = path
        self.shown = shown
        self.text = text

    @property
    def root(self) -> str | None:
        import os

        return os.path.dirname(self.path) if self.path else None

    @classmethod
    def read(cls, explicit: str | None = None) -> "ProjectPlugins":
        from zr.config import find_config
        from zr.api import display_path, parse_toml, read_text
        from zr.errors import ConfigError

        try:
            path = find_config(explicit)
        except ConfigError:
            if explicit:
                raise
            return cls({}, None, None)
        shown = display_path(path)
        text = read_text(path, shown)
        raw = parse_toml(text, shown).get("plugins")
        if raw is None:
            return cls({}, path, shown, text)
        from zr.api import Validator

        table = Validator(None, shown, text).convert(["plugins"], raw, PLUGINS_SECTION)
        return cls(table, path, shown, text)
