"""Member dependencies read from ``package.json`` and ``pyproject.toml``
(``[workspace] infer_dependencies = true``).

A member depends on another when its ``package.json`` lists the other's
package name under ``dependencies``, ``devDependencies`` or
``peerDependencies``, or its ``pyproject.toml`` ``[project] dependencies``
name the other's ``[project] name``. Inferred dependencies are added to
those ``[metadata] dependencies`` declares.
"""

from __future__ import annotations

import json
import os
import re

_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _package_json(path: str):
    try:
        with open(os.path.join(path, "package.json"), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None, []
    if not isinstance(data, dict):
        return None, []
    wanted = []
    for key in ("dependencies", "devDependencies", "peerDependencies"):
        table = data.get(key)
        if isinstance(table, dict):
            wanted += list(table)
    return data.get("name"), wanted


def _pyproject(path: str):
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib
    try:
        with open(os.path.join(path, "pyproject.toml"), "rb") as fh:
            project = tomllib.load(fh).get("project", {})
    except (OSError, ValueError):
        return None, []
    wanted = []
    for requirement in project.get("dependencies", ()) or ():
        match = _REQUIREMENT_NAME.match(str(requirement))
        if match:
            wanted.append(_normal(match.group(1)))
    name = project.get("name")
    return (_normal(name) if isinstance(name, str) else None), wanted


def infer_dependencies(members: list) -> None:
    """Add inferred dependencies to each member's ``dependencies``."""
    owners: dict = {}
    wants: dict = {}
    for member in members:
        for reader in (_package_json, _pyproject):
            package, wanted = reader(member.path)
            if package:
                owners.setdefault(package, member.name)
            wants.setdefault(member.name, []).extend(wanted)
    for member in members:
        for package in wants.get(member.name, ()):
            dep = owners.get(package)
            if dep and dep != member.name and dep not in member.dependencies:
                member.dependencies.append(dep)
