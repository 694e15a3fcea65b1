"""``zr plugin install x.wasm``: add a WASM plugin to the project.

The module is checked first (it compiles, links against what zr offers and
exports at least one zr hook or expression function), copied to
``.zr/wasm/NAME.wasm`` beside zr.toml and pinned there by its SHA-256 in a
new ``[plugins.wasm.NAME]`` table appended to zr.toml. Both writes are
atomic, and zr.toml is only written when the result still parses. The
plugin is granted nothing; the message says how to grant more.
"""

from __future__ import annotations

import hashlib
import os
import re

from zr.errors import UsageError


def plugin_name(path: str) -> str:
    stem = os.path.basename(path)[:-len(".wasm")].lower()
    name = re.sub(r"[^a-z0-9_]+", "_", stem).strip("_")
    if not name or name[0].isdigit():
        name = "plugin_" + name
    return name


def install_wasm(path: str, *, config_path: str | None = None, say=print) -> str:
    """Install the module at ``path`` into the project; its plugin name."""
    from zr.config import find_config
    from zr.api import atomic_write

    from .errors import WasmPluginError
    from .hooks import EXPR_PREFIX, HOOKS
    from .settings import PluginSpec

    if not os.path.isfile(path):
        raise UsageError(f"{path}: no such file")
    toml_path = find_config(config_path)
    root = os.path.dirname(os.path.abspath(toml_path))
    name = plugin_name(path)
    with open(path, "rb") as fh:
        data = fh.read()
    digest = hashlib.sha256(data).hexdigest()

    from .runtime import WasmPlugin

    try:
        candidate = WasmPlugin(PluginSpec(name, path=os.path.abspath(path)))
        exports = candidate.exports()
        candidate.check()
    except WasmPluginError as error:
        raise UsageError(f"{path} cannot be installed: {error.reason}") from None
    hooks = [e for e in exports if e in HOOKS or (e.startswith(EXPR_PREFIX) and
                                                  len(e) > len(EXPR_PREFIX))]
    if not hooks:
        raise UsageError(f"{path} exports no zr hook ({', '.join(HOOKS)}) and no expression "
                         f"function ({EXPR_PREFIX}NAME); it is not a zr plugin")
    with open(toml_path, encoding="utf-8") as fh:
        text = fh.read()
    if re.search(rf"^\s*\[plugins\.wasm\.{re.escape(name)}\]", text, re.MULTILINE):
        raise UsageError(f"[plugins.wasm.{name}] is already in {toml_path}; remove it first "
                         "(or install the file under another name)")
    relative = f".zr/wasm/{name}.wasm"
    table = (f'\n[plugins.wasm.{name}]\npath = "{relative}"\nsha256 = "{digest}"\n'
             "# granted nothing yet: allowed_paths, allowed_env, allowed_hosts, memory, "
             "timeout, fuel\n")
    updated = text + ("" if text.endswith("\n") or not text else "\n") + table
    _check_toml(updated, toml_path)
    atomic_write(os.path.join(root, relative), data)
    atomic_write(toml_path, updated.encode("utf-8"))
    say(f"installed WASM plugin '{name}' ({relative}, sha256 {digest[:12]}...) "
        f"implementing {', '.join(hooks)}; [plugins.wasm.{name}] added to "
        f"{os.path.basename(toml_path)}")
    return name


def _check_toml(text: str, toml_path: str) -> None:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"cannot add [plugins.wasm] to {toml_path} without breaking it "
                         f"({exc}); add the table by hand") from None
