"""A workspace: its members, loaded from their ``zr.toml``, and the
dependency graph between them.

Loaded once per invocation (:func:`get_workspace` keeps it on the config).
Every mistake is a configuration error naming the file: a member directory
without ``zr.toml``, two members with one name, a dependency that names no
member, a cycle between members.
"""

from __future__ import annotations

import os

from zr.config import build_tasks
from zr.api import display_path, find_cycle, load_document
from zr.errors import ConfigError, did_you_mean

from .members import member_dirs, relpath

# What a member's zr.toml may contain; the rest belongs to the root.
MEMBER_SECTIONS = ("tasks", "metadata", "env", "includes", "task_sources")


class Member:
    """One member: its name, directory, tags, dependencies and own tasks
    (plain names, cwd already inside the member)."""

    __slots__ = ("name", "path", "rel", "config_path", "shown", "doc", "tags",
                 "dependencies", "tasks", "env", "description")

    def __init__(self, name, path, rel, config_path, shown, doc):
        meta = doc.get("metadata", {})
        self.name = name
        self.path = path
        self.rel = rel
        self.config_path = config_path
        self.shown = shown
        self.doc = doc
        self.tags = list(meta.get("tags", ()))
        self.dependencies = list(meta.get("dependencies", ()))
        self.description = meta.get("description", "")
        self.env = dict(doc.get("env", {}))
        self.tasks = build_tasks(doc, path, shown)

    def to_json(self) -> dict:
        return {"name": self.name, "path": self.rel, "tags": self.tags,
                "dependencies": self.dependencies, "tasks": sorted(self.tasks),
                "description": self.description}


class Workspace:
    """Members by name (in path order) and the member dependency graph."""

    def __init__(self, root: str, members: list):
        self.root = root
        self.members = {m.name: m for m in members}
        self.deps = {m.name: m.dependencies for m in members}
        self.dependents: dict = {name: [] for name in self.members}
        for name, deps in self.deps.items():
            for dep in deps:
                self.dependents[dep].append(name)
        self.order = _topological(self.deps)
        self._by_dir = {m.rel: m.name for m in members}

    def member_of(self, rel_path: str):
        """The member whose directory holds ``rel_path`` (relative to the
        root, ``/`` separators), or None; nested members win."""
        parts = rel_path.split("/")
        for end in range(len(parts) - 1, 0, -1):
            name = self._by_dir.get("/".join(parts[:end]))
            if name:
                return name
        return None

    def with_dependencies(self, names) -> set:
        return _reach(names, self.deps)

    def with_dependents(self, names) -> set:
        return _reach(names, self.dependents)


def _reach(names, edges: dict) -> set:
    seen = set(names)
    stack = list(names)
    while stack:
        for other in edges[stack.pop()]:
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def _topological(deps: dict) -> list:
    """Members, dependencies first, keeping path order where possible."""
    order: list = []
    done: set = set()
    for root in deps:
        if root in done:
            continue
        stack = [(root, iter(deps[root]))]
        done.add(root)
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in done:
                    done.add(child)
                    stack.append((child, iter(deps[child])))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def get_workspace(config):
    """The workspace of ``config`` (None without ``[workspace]``), loaded once."""
    if "workspace" not in config.doc:
        return None
    workspace = getattr(config, "workspace", None)
    if workspace is None:
        workspace = load_workspace(config)
        config.workspace = workspace
    return workspace


def load_workspace(config) -> Workspace:
    root_shown = config.display_path
    members = []
    by_name: dict = {}
    for path, origin in member_dirs(config):
        member = _load_member(config, path, origin, root_shown)
        other = by_name.get(member.name)
        if other is not None:
            raise ConfigError(
                f"two workspace members are named '{member.name}': {other.shown} and "
                f"{member.shown}; give one of them another [metadata] name",
                file=member.shown, key="metadata.name")
        by_name[member.name] = member
        members.append(member)
    if (config.doc.get("workspace") or {}).get("infer_dependencies"):
        from .infer import infer_dependencies

        infer_dependencies(members)
    for member in members:
        for dep in member.dependencies:
            if dep not in by_name:
                raise ConfigError(
                    f"'{dep}' is not a workspace member{did_you_mean(dep, by_name)}; the "
                    f"members are listed by `zr workspace list`",
                    file=member.shown, line=_line(member, ["metadata", "dependencies"]),
                    key="metadata.dependencies")
            if dep == member.name:
                raise ConfigError("a member cannot depend on itself", file=member.shown,
                                  line=_line(member, ["metadata", "dependencies"]),
                                  key="metadata.dependencies")
    cycle = find_cycle({m.name: m.dependencies for m in members})
    if cycle:
        files = ", ".join(by_name[name].shown for name in cycle[:-1])
        first = by_name[cycle[0]]
        raise ConfigError(f"dependency cycle between workspace members: "
                          f"{' -> '.join(cycle)} (in {files})", file=first.shown,
                          line=_line(first, ["metadata", "dependencies"]),
                          key="metadata.dependencies")
    return Workspace(config.root, members)


def _load_member(config, path: str, origin: str, root_shown: str) -> Member:
    config_path = os.path.join(path, "zr.toml")
    rel = relpath(path, config.root)
    if not os.path.isfile(config_path):
        where = "[workspace] members" if origin == "workspace.members" else origin
        raise ConfigError(f"workspace member '{rel}' (matched by {where}) has no zr.toml; "
                          f"create {display_path(config_path)} or exclude the directory with "
                          "[workspace] exclude", file=root_shown, key="workspace.members")
    doc = load_document(config_path, config.plugins)
    shown = display_path(config_path)
    for section in doc:
        if section not in MEMBER_SECTIONS:
            raise ConfigError(f"a workspace member's zr.toml may only have [tasks], "
                              f"[metadata], [env] and includes, not [{section}] (it belongs "
                              f"in the root {root_shown})", file=shown, key=section)
    name = doc.get("metadata", {}).get("name") or os.path.basename(path)
    if any(c in name for c in " \t:[]=,"):
        raise ConfigError(f"member name {name!r} is not allowed: use letters, digits and "
                          "- _ . / @ (':' separates a member from its task)", file=shown,
                          key="metadata.name")
    return Member(name, path, rel, config_path, shown, doc)


def _line(member: Member, keys: list):
    from zr.api import read_text
    from zr.api import find_line

    return find_line(read_text(member.config_path, member.shown), keys)
