"""``zr plugin info NAME``: one plugin distribution in detail.

What the kernel's plugin index knows (hooks, claims, load errors) joined
with the distribution's metadata (version, summary, homepage, where it was
installed from, the zr-core range it declares).
"""

from __future__ import annotations

from zr.errors import UsageError

from .installed import InstalledDistribution, compatibility
from .names import distribution_name, normalize, short_name


def describe(name: str, records: list, index_loader) -> dict:
    """Everything known about the plugin or distribution ``name``."""
    wanted = {normalize(name), distribution_name(name)}
    mine = [r for r in records if r["name"] == name or normalize(r["dist"] or "") in wanted]
    dist_name = normalize(mine[0]["dist"]) if mine and mine[0]["dist"] else None
    installed = _installed(dist_name) if dist_name else None
    if installed is None and not mine:  # installed, but registers no plugin?
        installed = _installed(distribution_name(name))
    if installed is None and not mine:
        return _not_installed(name, records, index_loader)
    info = {"installed": True, "plugins": [_plugin(r) for r in mine]}
    if installed is not None:
        ok, explanation = compatibility(installed.requires_zr)
        info.update({
            "distribution": installed.display_name, "version": installed.version,
            "summary": installed.summary, "homepage": installed.homepage,
            "origin": installed.origin.to_dict(), "requires_zr": installed.requires_zr,
            "compatible": ok, "compatibility": explanation,
        })
    else:  # a plugin without distribution metadata
        info.update({"distribution": mine[0]["dist"], "version": mine[0]["version"]})
    return info


def _installed(dist: str):
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        return InstalledDistribution(distribution(dist))
    except PackageNotFoundError:
        return None


def _plugin(record: dict) -> dict:
    """The plugin as `zr plugins --json` shows it, without what `info` shows
    at the distribution level."""
    from zr.api import plugin_row

    row = plugin_row(record)
    for key in ("distribution", "version"):
        row.pop(key)
    return row


def _not_installed(name: str, records: list, index_loader) -> dict:
    from zr.errors import ZrError

    from .registry_index import find_entry

    try:
        entry = find_entry(index_loader(), name)
    except ZrError:
        entry = None
    if entry is None:
        from zr.errors import did_you_mean

        choices = [r["name"] for r in records] + [r["dist"] for r in records if r["dist"]]
        raise UsageError(f"no plugin '{name}' is installed or listed in the plugin "
                         f"index{did_you_mean(name, choices)}; `zr plugin list` shows what "
                         "is installed, `zr plugin search` what can be")
    ok, explanation = compatibility(entry.requires_zr)
    return {"installed": False, "distribution": entry.name, "version": entry.version,
            "summary": entry.summary, "homepage": entry.homepage,
            "origin": {"kind": "index", "spec": entry.install,
                       "description": "not installed; "
                                      f"`zr plugin install {short_name(entry.name)}`"},
            "requires_zr": entry.requires_zr, "compatible": ok, "compatibility": explanation,
            "plugins": []}


def render(info: dict) -> list:
    """Lines for a terminal."""
    lines = [f"{info['distribution']} {info.get('version') or ''}".rstrip()]

    def field(label, value):
        if value:
            lines.append(f"  {label + ':':<13}{value}")

    field("summary", info.get("summary"))
    field("homepage", info.get("homepage"))
    origin = info.get("origin")
    field("from", origin["description"] if origin else None)
    kernel_only = info["plugins"] and all(p["builtin"] for p in info["plugins"])
    if info.get("installed") and not kernel_only:
        field("update", f"zr plugin update {short_name(info['distribution'])}")
    if "compatibility" in info:
        field("needs", info["compatibility"] if info.get("requires_zr") is not None
              else "does not declare a zr-core dependency (add `zr-core>=X,<Y` to it)")
    for plugin in info["plugins"]:
        state = f"BROKEN: {plugin['error']}" if plugin["error"] else "loads"
        if plugin["builtin"]:
            state += " (part of zr-core)"
        lines.append(f"  plugin '{plugin['name']}' ({plugin['module']}): {state}")
        for label, key, shown in (("hooks", "hooks", "{}"), ("sections", "sections", "[{}]"),
                                  ("task fields", "task_fields", "tasks.*.{}"),
                                  ("settings", "settings", "settings.{}"),
                                  ("commands", "commands", "zr {}"),
                                  ("options", "options", "{}")):
            if plugin[key]:
                values = ", ".join(shown.format(v) for v in plugin[key])
                lines.append(f"    {label + ':':<13}{values}")
    return lines
