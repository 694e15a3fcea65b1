"""``includes``: tasks from other files, under a namespace.

``includes = { docs = "docs/zr.toml", ci = { path = "ci/tasks.toml",
optional = true } }`` pulls the tasks of ``docs/zr.toml`` in as
``docs:NAME``. An included task's ``cwd`` is relative to its own file's
directory (as if zr were run there), and its dependencies on tasks of the
same file are namespaced with it; a dependency on any other name refers to
the including project. Included files may include others; a cycle, a name
clash or a missing file that is not ``optional`` is a configuration error.
"""

from __future__ import annotations

import os

from ..errors import ConfigError
from .kinds import FieldError, Kind, show

ALLOWED_IN_INCLUDED = ("tasks", "includes")


def _includes(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f'expected a table like {{ docs = "docs/zr.toml" }}, got {show(value)}')
    out = {}
    for namespace, spec in value.items():
        if not namespace or any(c in namespace for c in " :[]=,"):
            raise FieldError([namespace], "a namespace must be a plain word (no spaces, ':', "
                             "brackets, '=' or ',')")
        if isinstance(spec, str):
            spec = {"path": spec}
        if not isinstance(spec, dict) or not isinstance(spec.get("path"), str):
            raise FieldError([namespace], 'expected "path/zr.toml" or { path = "...", '
                             "optional = true }")
        extra = set(spec) - {"path", "optional"}
        if extra:
            raise FieldError([namespace, sorted(extra)[0]],
                             f"unknown key '{sorted(extra)[0]}'; expected path, optional")
        optional = spec.get("optional", False)
        if not isinstance(optional, bool):
            raise FieldError([namespace, "optional"], f"expected true or false, got "
                             f"{show(optional)}")
        out[namespace] = {"path": spec["path"], "optional": optional}
    return out


INCLUDES = Kind("includes", _includes, {"type": "object", "additionalProperties": {
    "anyOf": [{"type": "string"}, {"type": "object", "properties": {
        "path": {"type": "string"}, "optional": {"type": "boolean"}}, "required": ["path"],
        "additionalProperties": False}]}}, 'table of NAME = "path" or { path, optional }')


def _where(path: str, namespace: str) -> dict:
    """File, line and key of one include, for errors about it."""
    from .load import display_path, read_text
    from .locate import find_line

    shown = display_path(path)
    line = find_line(read_text(path, shown), ["includes", namespace])
    return {"file": shown, "line": line, "key": f"includes.{namespace}"}


def merge_includes(doc: dict, path: str, root: str, load, stack=()) -> list:
    """Fold the tasks of ``doc``'s includes into ``doc["tasks"]``.

    ``load(file) -> (validated doc, shown name, text)`` reads one file.
    Returns the paths read (for the config cache's staleness check);
    records each task's file in ``doc["task_sources"]``.
    """
    from .load import display_path
    from .locate import find_line

    stack = stack + (os.path.realpath(path),)
    tasks = doc.setdefault("tasks", {})
    sources = doc.setdefault("task_sources", {})
    read = []
    base = os.path.dirname(path)
    for namespace, spec in doc.get("includes", {}).items():
        target = os.path.normpath(os.path.join(base, spec["path"]))
        where = _where(path, namespace)
        read.append(target)
        if os.path.realpath(target) in stack:
            chain = " -> ".join(display_path(p) for p in stack + (target,))
            raise ConfigError(f"include cycle: {chain}", **where)
        if not os.path.isfile(target):
            if spec["optional"]:
                continue
            raise ConfigError(f"included file '{spec['path']}' does not exist ({target}); "
                              "add `optional = true` if it may be absent", **where)
        child, shown, text = load(target)
        for section in child:
            if section not in ALLOWED_IN_INCLUDED:
                raise ConfigError(f"an included file may only define [tasks] and includes, "
                                  f"not [{section}]", file=shown,
                                  line=find_line(text, [section]), key=section)
        read += merge_includes(child, target, root, load, stack)
        own = set(child.get("tasks", {}))
        child_sources = child.get("task_sources", {})
        for name, task in child.get("tasks", {}).items():
            full = f"{namespace}:{name}"
            if full in tasks:
                raise ConfigError(f"included task '{full}' clashes with a task of the same "
                                  "name", **where)
            task = dict(task)
            task_dir = os.path.join(os.path.dirname(target), task.get("cwd", "."))
            task["cwd"] = os.path.relpath(os.path.normpath(task_dir), root)
            for key in ("deps", "deps_serial"):
                if key in task:
                    task[key] = [f"{namespace}:{d}" if d in own else d for d in task[key]]
            tasks[full] = task
            sources[full] = child_sources.get(name, shown)
    return read
