"""Load-time checks that need the providers: unknown toolchain names in
``[tools]`` and ``toolchain`` (with a suggestion), and ``.tool-versions``."""

from __future__ import annotations

from zr.api import ConfigProblem, did_you_mean

from .registry import toolchains
from .sources import split_item, tools_table
from .toolversions import read_tool_versions


def problems(config) -> list:
    registry = toolchains(config.plugins)
    known = sorted(registry.providers)
    found = []

    def unknown(name: str, key: str) -> None:
        found.append(ConfigProblem(f"unknown toolchain '{name}'"
                                   f"{did_you_mean(name, registry.names)}; known "
                                   f"toolchains: {', '.join(known)}", key=key))

    for name in tools_table(config):
        if registry.find(name) is None:
            unknown(name, f"tools.{name}")
    for name in (config.doc.get("tools") or {}).get("mirrors") or {}:
        if registry.find(name) is None:
            unknown(name, f"tools.mirrors.{name}")
    for task in config.tasks.values():
        for index, item in enumerate(task.field("toolchain") or ()):
            name, _ = split_item(item)
            if registry.find(name) is None:
                unknown(name, f"tasks.{task.name}.toolchain.{index}")
    read_tool_versions(config.root)  # raises ConfigError with the line
    return found
