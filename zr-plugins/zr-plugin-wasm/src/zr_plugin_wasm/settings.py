"""``[plugins.wasm.NAME]``: which WASM plugins a project loads and what each may touch.

::

    [plugins.wasm.lint]
    path = "plugins/lint.wasm"           # or url = "https://..." with sha256
    sha256 = "9f2c..."                   # checked before the module is used
    allowed_paths = { "./src" = "/src", "./out" = { guest = "/out", writable = true } }
    allowed_env = ["CI"]                 # copied from zr's environment; nothing else is
    allowed_hosts = ["api.example.com"]  # HTTP from the plugin; none by default
    memory = "64MB"                      # each linear memory's cap
    timeout = "2s"                       # wall clock per hook call
    fuel = 1_000_000_000                 # instructions per hook call
    config = { level = "strict" }        # what the plugin reads with config_get

    [lint]                               # or, instead of config: its own table
    level = "strict"

The ``[plugins]`` table belongs to the manager plugin, which accepts a
``wasm`` table and leaves its contents to this plugin: :func:`check_all`
checks it (``zr_validate``, so every load reports a mistake with its line)
and :func:`specs_for` turns it into :class:`PluginSpec` objects. A
top-level ``[NAME]`` is claimed for its plugin by :func:`declared_sections`
(the registry's ``sections_from``) and becomes the plugin's settings. Nothing
here imports wasmtime.
"""

from __future__ import annotations

import os
import re

from zr.errors import ConfigError

DEFAULT_MEMORY = 64 * 1000 * 1000
DEFAULT_TIMEOUT = 2.0
# Fuel is a deterministic budget; by default it is generous enough that the
# wall-clock timeout is what stops a runaway plugin.
DEFAULT_FUEL = 10_000_000_000
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
FIELDS = ("path", "url", "sha256", "allowed_paths", "allowed_env", "allowed_hosts",
          "memory", "timeout", "fuel", "config")


class Mount:
    """A host directory the plugin sees at ``guest`` (read-only unless writable)."""

    __slots__ = ("host", "guest", "writable")

    def __init__(self, host: str, guest: str, writable: bool):
        self.host = host
        self.guest = guest
        self.writable = writable

    def describe(self) -> str:
        return f"{self.host} -> {self.guest} ({'read-write' if self.writable else 'read-only'})"


class PluginSpec:
    """One ``[plugins.wasm.NAME]``, checked and with paths resolved."""

    def __init__(self, name: str, *, path=None, url=None, sha256=None, mounts=(),
                 allowed_env=(), allowed_hosts=(), memory=DEFAULT_MEMORY,
                 timeout=DEFAULT_TIMEOUT, fuel=DEFAULT_FUEL, config=None):
        self.name = name
        self.path = path
        self.url = url
        self.sha256 = sha256
        self.mounts = list(mounts)
        self.allowed_env = list(allowed_env)
        self.allowed_hosts = list(allowed_hosts)
        self.memory = memory
        self.timeout = timeout
        self.fuel = fuel
        self.config = dict(config or {})
        self.section = None  # the project's top-level [NAME] table, if it has one

    @property
    def source(self) -> str:
        return self.path or self.url

    def permissions(self) -> dict:
        """What the plugin is granted, for ``zr plugins`` and the docs."""
        return {"paths": [m.describe() for m in self.mounts], "env": self.allowed_env,
                "hosts": self.allowed_hosts, "memory": self.memory, "timeout": self.timeout,
                "fuel": self.fuel}


class SettingError(ValueError):
    """A bad value at ``key`` (a path below ``plugins.wasm``)."""

    def __init__(self, key: list, message: str):
        super().__init__(message)
        self.key = key


def _string_list(value, key) -> list:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingError(key, f"expected an array of strings, got {value!r}")
    return list(value)


def _mounts(value, key, root: str) -> list:
    if not isinstance(value, dict):
        raise SettingError(key, 'expected a table like { "./src" = "/src" }, got '
                           f"{value!r}")
    mounts = []
    for host, target in value.items():
        writable = False
        if isinstance(target, dict):
            unknown = set(target) - {"guest", "writable"}
            if unknown or not isinstance(target.get("guest"), str) \
                    or not isinstance(target.get("writable", False), bool):
                raise SettingError(key + [host], 'expected a guest path or { guest = "/out", '
                                   f"writable = true }}, got {target!r}")
            target, writable = target["guest"], target.get("writable", False)
        if not isinstance(target, str) or not target.startswith("/"):
            raise SettingError(key + [host], "expected an absolute guest path like "
                               f'"/src", got {target!r}')
        full = os.path.normpath(os.path.join(root, host))
        if not os.path.isdir(full):
            raise SettingError(key + [host], f"{host} is not a directory")
        mounts.append(Mount(full, target, writable))
    return mounts


def _spec(name: str, table, root: str) -> PluginSpec:
    from zr.api import parse_duration, parse_size

    key = [name]
    if not _NAME.match(name):
        raise SettingError(key, f"'{name}' is not a usable plugin name: use lowercase letters, "
                           "digits and underscores (it prefixes the plugin's expression "
                           "functions)")
    if not isinstance(table, dict):
        raise SettingError(key, f'expected a table like {{ path = "x.wasm" }}, got {table!r}')
    for field in table:
        if field not in FIELDS:
            from zr.errors import did_you_mean

            raise SettingError(key + [field], f"unknown key '{field}'"
                               f"{did_you_mean(field, FIELDS)}; expected {', '.join(FIELDS)}")
    given = {}
    for field in ("path", "url", "sha256"):
        if field in table:
            if not isinstance(table[field], str) or not table[field]:
                raise SettingError(key + [field], f"expected a string, got {table[field]!r}")
            given[field] = table[field]
    if ("path" in given) == ("url" in given):
        raise SettingError(key, "give exactly one of path (a .wasm file) and url")
    if "sha256" in given and not _SHA256.match(given["sha256"]):
        raise SettingError(key + ["sha256"], "expected 64 lowercase hex digits")
    if "url" in given and "sha256" not in given:
        raise SettingError(key + ["sha256"], "a plugin loaded from a url must be pinned by "
                           "sha256 (64 hex digits of the .wasm file's SHA-256)")
    spec = PluginSpec(name, path=os.path.normpath(os.path.join(root, given["path"]))
                      if "path" in given else None, url=given.get("url"),
                      sha256=given.get("sha256"))
    if spec.path and not os.path.isfile(spec.path):
        raise SettingError(key + ["path"], f"{given['path']} does not exist (a .wasm file, "
                           "relative to this zr.toml)")
    if "allowed_paths" in table:
        spec.mounts = _mounts(table["allowed_paths"], key + ["allowed_paths"], root)
    for field in ("allowed_env", "allowed_hosts"):
        if field in table:
            setattr(spec, field, _string_list(table[field], key + [field]))
    if "memory" in table:
        spec.memory = _checked(parse_size, table["memory"], key + ["memory"])
        if spec.memory < 65536:
            raise SettingError(key + ["memory"], "expected at least one wasm page (64KiB)")
    if "timeout" in table:
        spec.timeout = _checked(parse_duration, table["timeout"], key + ["timeout"])
        if spec.timeout <= 0:
            raise SettingError(key + ["timeout"], "expected a duration above zero")
    if "fuel" in table:
        fuel = table["fuel"]
        if not isinstance(fuel, int) or isinstance(fuel, bool) or fuel < 1:
            raise SettingError(key + ["fuel"], f"expected a positive integer, got {fuel!r}")
        spec.fuel = fuel
    if "config" in table:
        config = table["config"]
        if not isinstance(config, dict) or not all(
                isinstance(v, (str, int, float, bool)) for v in config.values()):
            raise SettingError(key + ["config"], "expected a table of strings, numbers and "
                               f"booleans, got {config!r}")
        spec.config = {k: _text(v) for k, v in config.items()}
    return spec


def _checked(parse, value, key):
    try:
        return parse(value)
    except ValueError as exc:
        raise SettingError(key, str(exc)) from None


def _text(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def raw_table(config) -> dict:
    """``[plugins.wasm]`` of a loaded config, or ``{}``."""
    plugins = config.doc.get("plugins") or {}
    return plugins.get("wasm") or {} if isinstance(plugins, dict) else {}


def parse(table: dict, root: str) -> list:
    """Every :class:`PluginSpec` of ``table``; :class:`SettingError` on the first mistake."""
    if not isinstance(table, dict):
        raise SettingError([], f"expected a table of plugins, got {table!r}")
    return [_spec(name, value, root) for name, value in table.items()]


def error_for(config, exc: SettingError) -> ConfigError:
    """A located one-paragraph error for ``exc`` in ``config``'s zr.toml."""
    path = ["plugins", "wasm"] + exc.key
    line = None
    try:
        from zr.api import find_line

        with open(config.path, encoding="utf-8") as fh:
            line = find_line(fh.read(), path)
    except OSError:
        pass
    return ConfigError(str(exc), file=config.path, line=line, key=".".join(map(str, path)))


_parsed: dict = {}  # id(config) -> (config, [PluginSpec])


def specs_for(config) -> list:
    """The project's WASM plugins (parsed once per loaded config)."""
    cached = _parsed.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    try:
        specs = parse(raw_table(config), os.path.dirname(os.path.abspath(config.path)))
        for spec in specs:
            _take_section(spec, config.doc.get(spec.name), raw_table(config)[spec.name])
    except SettingError as exc:
        raise error_for(config, exc) from None
    _parsed[id(config)] = (config, specs)
    return specs


# -- the plugin's own top-level [NAME] table ----------------------------------


def declared_sections(doc: dict) -> dict:
    """``{NAME: SECTION}`` for each ``[plugins.wasm.NAME]`` whose project has a
    top-level ``[NAME]`` table: the kernel's ``registry.sections_from``
    callback, so that table is the plugin's own rather than "unhandled".
    Gets the raw document, so it tolerates any shape."""
    plugins = doc.get("plugins")
    wasm = plugins.get("wasm") if isinstance(plugins, dict) else None
    if not isinstance(wasm, dict):
        return {}
    return {name: SECTION for name, table in wasm.items()
            if isinstance(table, dict) and name in doc and _NAME.match(name)}


def _plain(value):
    """A TOML value as JSON data: dates and times become their ISO text."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (str, int, float, bool)):
        return value
    return value.isoformat()


def _check_section(value) -> dict:
    if not isinstance(value, dict):
        from zr.api import show

        raise ValueError(f"expected a table of the WASM plugin's settings, got {show(value)}")
    return _plain(value)


def _section_kind():
    from zr.api import Kind

    return Kind("wasm-plugin-settings", _check_section, {"type": "object"},
                "table of a WASM plugin's settings (checked by its zr_validate export)")


SECTION = _section_kind()


def _take_section(spec: PluginSpec, section, table: dict) -> None:
    """Make ``[NAME]`` the plugin's settings: what its ``zr_validate`` checks
    and what ``config_get`` reads (tables and arrays as JSON text). Settings
    in both places would leave one silently unused, so that is an error."""
    if not isinstance(section, dict):
        return
    if "config" in table:
        raise SettingError([spec.name, "config"], f"the plugin's settings are in [{spec.name}] "
                           "too; keep them in one place (the [NAME] table or this config)")
    import json

    spec.section = section
    spec.config = {key: value if isinstance(value, str) else
                   _text(value) if isinstance(value, (bool, int, float)) else
                   json.dumps(value) for key, value in section.items()}
