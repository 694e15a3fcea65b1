"""``zr list`` and ``zr graph``: showing tasks without running them."""

from __future__ import annotations

import sys

from .graph import resolve_task_name


def list_tasks(config, *, as_json: bool = False, unsorted: bool = False,
               show_all: bool = False) -> int:
    """Public tasks with their descriptions, sorted by name (DESIGN); a
    plugin may fold many of them into summary lines (``zr_list_fold``)
    unless ``show_all``."""
    tasks = [t for t in config.tasks.values() if not t.private]
    if not unsorted:
        tasks.sort(key=lambda t: t.name)
    out = sys.stdout
    others = listed_entries(config)
    if as_json:
        import json

        rows = [{"name": t.name, "description": t.description, "deps": t.all_deps,
                 "aliases": t.aliases, "kind": "task"} for t in tasks]
        rows += [{"name": name, "description": description, "kind": kind}
                 for name, kind, description in others]
        out.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if not tasks and not others:
        out.write(f"no tasks in {config.display_path}\n")
        return 0
    folded = None if show_all else config.plugins.call("zr_list_fold", config=config,
                                                       tasks=tasks)
    extra = [(f"{name} ({kind})", description) for name, kind, description in others]
    if folded:
        sections = list(folded) + ([(None, extra)] if extra else [])
    else:
        sections = [(None, [(_label(t), t.description) for t in tasks] + extra)]
    width = min(max((len(label) for _, rows in sections for label, _ in rows), default=0), 40)
    for index, (heading, rows) in enumerate(sections):
        if index:
            out.write("\n")
        if heading:
            out.write(heading + "\n")
        for label, description in rows:
            out.write((f"{label.ljust(width)}  {description}".rstrip() if description
                       else label) + "\n")
    out.flush()
    return 0


def _label(task) -> str:
    return task.name + (f" ({', '.join(task.aliases)})" if task.aliases else "")


def listed_entries(config) -> list:
    """``(name, kind, description)`` of what plugins list beside tasks (the
    workflows plugin's workflows), from ``zr_list_entries``, sorted by name."""
    found = config.plugins.call("zr_list_entries", config=config)
    return sorted((tuple(entry) for entries in found for entry in entries),
                  key=lambda entry: entry[0])


def graph_text(config, roots: list) -> str:
    """An ASCII tree of each root's dependencies; repeats are marked, and so
    are tasks one starts after only because of a ``deps_serial`` chain."""
    lines: list = []
    shown: set = set()
    graph = config.graph
    members = set(graph.closure(roots))

    def children_of(name: str) -> list:
        after = graph.after.get(name, {})
        return [(dep, "") for dep in graph.deps[name]] + [
            (dep, f" (after it: deps_serial of {owner})")
            for dep, owner in after.items() if dep in members]

    def walk(name: str, note: str, prefix: str, last: bool, top: bool) -> None:
        connector = "" if top else ("└── " if last else "├── ")
        repeat = name in shown and graph.deps[name] and not note
        lines.append(f"{prefix}{connector}{name}{note}" + (" (see above)" if repeat else ""))
        if repeat or note:
            return
        shown.add(name)
        children = children_of(name)
        child_prefix = prefix if top else prefix + ("    " if last else "│   ")
        for index, (child, child_note) in enumerate(children):
            walk(child, child_note, child_prefix, index == len(children) - 1, False)

    for root in roots:
        walk(root, "", "", True, True)
    return "\n".join(lines) + "\n"


def graph_roots(config, targets: list) -> list:
    if targets:
        return [resolve_task_name(t, config.tasks, config.aliases) for t in targets]
    depended = {d for deps in config.graph.deps.values() for d in deps}
    return sorted(n for n, t in config.tasks.items() if n not in depended and not t.private)


def graph_output(config, targets: list, *, as_json: bool = False) -> str:
    """What ``zr graph`` prints in the kernel's own formats (text, json)."""
    roots = graph_roots(config, targets)
    if as_json:
        import json

        names = config.graph.closure(roots)
        payload = {"roots": roots,
                   "nodes": [{"name": n, "description": config.tasks[n].description,
                              "layer": layer}
                             for layer, group in enumerate(config.graph.layers(names))
                             for n in group],
                   "edges": [{"from": n, "to": d} for n in names
                             for d in config.graph.deps[n]]
                   + [{"from": n, "to": d, "order_only": True, "deps_serial_of": owner}
                      for n in names for d, owner in config.graph.after.get(n, {}).items()
                      if d in names]}
        return json.dumps(payload, indent=2) + "\n"
    return graph_text(config, roots)


def show_graph(config, targets: list, *, as_json: bool = False) -> int:
    sys.stdout.write(graph_output(config, targets, as_json=as_json))
    return 0
