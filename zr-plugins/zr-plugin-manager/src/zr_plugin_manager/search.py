"""``zr plugin search [TERM]``: the plugins an index lists, matched and marked."""

from __future__ import annotations

from .installed import compatibility
from .names import short_name


def search(entries: list, term: str | None) -> list:
    """Matching entries as dicts, with what is installed and whether they fit."""
    from importlib.metadata import PackageNotFoundError, version

    rows = []
    for entry in entries:
        if term and not entry.matches(term):
            continue
        try:
            installed = version(entry.name)
        except PackageNotFoundError:
            installed = None
        ok, explanation = compatibility(entry.requires_zr)
        rows.append({**entry.to_dict(), "installed": installed, "compatible": ok,
                     "compatibility": explanation})
    return rows


def command_for(row: dict) -> str:
    """The command that gets this entry: install, update, or none needed."""
    from .registry_index import newer

    name = short_name(row["name"])
    if not row["installed"]:
        return f"install: zr plugin install {name}"
    if newer(row["version"], row["installed"]):
        return f"upgrade: zr plugin update {name}  ({row['installed']} -> {row['version']})"
    return f"installed; update with: zr plugin update {name}"


def render(rows: list, term: str | None, where) -> list:
    if not rows:
        what = f"matches '{term}'" if term else "is listed"
        return [f"no plugin {what} in the index {where.location}"]
    lines = []
    for row in rows:
        marks = []
        if row["installed"]:
            marks.append(f"installed {row['installed']}")
        if not row["compatible"]:
            marks.append(f"needs {row['compatibility']}")
        head = f"{row['name']} {row['version']}".rstrip()
        lines.append(head + (f"  [{'; '.join(marks)}]" if marks else ""))
        if row["summary"]:
            lines.append(f"    {row['summary']}")
        if row.get("hooks"):
            lines.append(f"    hooks: {', '.join(row['hooks'])}")
        lines.append(f"    {command_for(row)}")
    return lines
