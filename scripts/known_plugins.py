#!/usr/bin/env python
"""Write ``zr-core/src/zr/known_plugins.json``: what each official plugin
provides, from the plugins' own claims.

Run it in the development venv (every official plugin installed) after a
plugin gains or loses a command, section, task field, setting, option or
expression name: ``.venv/bin/python scripts/known_plugins.py``. With
``--check`` it only says whether the file is current (exit 1 if not);
``zr-core/tests/test_known_plugins.py`` runs that.

The plugins listed are those of the official index the plugin manager
ships, so the kernel's hints only ever name distributions an index has.
The claims come from the kernel's plugin index (what ``zr plugins`` reads);
expression names from calling each plugin's ``zr_expr_functions`` with a
recorder, as the expr plugin would.
"""

from __future__ import annotations

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "zr-core", "src", "zr", "known_plugins.json")
OFFICIAL_INDEX = os.path.join(ROOT, "zr-plugins", "zr-plugin-manager", "src",
                              "zr_plugin_manager", "official-index.json")
# The distribution whose `zr plugin install` installs by short name.
INSTALLER = {"dist": "zr-plugin-manager", "command": "zr plugin install {short}"}
PREFIX = "zr-plugin-"


def _expr_names(plugins, record) -> list:
    if "zr_expr_functions" not in record["hooks"]:
        return []
    module = plugins.load(record)
    names: list = []
    getattr(module, record["impls"]["zr_expr_functions"]["function"])(
        register=lambda name, *args, **kwargs: names.append(name))
    return names


def collect() -> dict:
    """The data the kernel reads, from the installed official plugins."""
    from zr.plugins import PluginHost

    with open(OFFICIAL_INDEX, encoding="utf-8") as fh:
        official = {entry["name"] for entry in json.load(fh)["plugins"]}
    plugins = PluginHost()
    provides: dict = {}
    for record in plugins.records:
        dist = record["dist"]
        if dist not in official or record["error"]:
            continue
        claims = record["claims"]
        entry = provides.setdefault(dist, {})
        for kind in ("commands", "sections", "task_fields", "settings"):
            entry.setdefault(kind, []).extend(claims.get(kind, ()))
        entry.setdefault("options", []).extend(
            flag for option in claims.get("options", ()) for flag in option["flags"]
            if flag.startswith("--"))
        entry.setdefault("expr_names", []).extend(_expr_names(plugins, record))
    for entry in provides.values():
        for kind in list(entry):
            entry[kind] = sorted(set(entry[kind]))
            if not entry[kind]:
                del entry[kind]
    return {"format": 1, "installer": INSTALLER, "prefix": PREFIX,
            "plugins": {dist: provides[dist] for dist in sorted(provides) if provides[dist]}}


def render(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def main(argv: list) -> int:
    text = render(collect())
    if "--check" in argv:
        with open(OUTPUT, encoding="utf-8") as fh:
            current = fh.read()
        if current != text:
            sys.stderr.write(f"{OUTPUT} is out of date: run scripts/known_plugins.py\n")
            return 1
        return 0
    tmp = OUTPUT + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, OUTPUT)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
