"""The dependency graph between repos: order, closures, and drawings (cycles
are found by the kernel's ``find_cycle``).

Graphs are plain ``{name: deps}`` mappings in the manifest's order, so every
result is deterministic: ties keep the order the repos are written in.
"""

from __future__ import annotations

import json


def topological_order(deps: dict) -> list:
    """Every name after all its dependencies (the graph has no cycle)."""
    order: list = []
    seen: set = set()

    def visit(name) -> None:
        seen.add(name)
        for dep in deps.get(name, ()):
            if dep not in seen:
                visit(dep)
        order.append(name)

    for name in deps:
        if name not in seen:
            visit(name)
    return order


def dependencies_of(deps: dict, name: str) -> set:
    """Every repo ``name`` depends on, directly or through others."""
    found: set = set()
    todo = list(deps.get(name, ()))
    while todo:
        dep = todo.pop()
        if dep not in found:
            found.add(dep)
            todo.extend(deps.get(dep, ()))
    return found


def dependents_closure(deps: dict, names: set) -> set:
    """``names`` and every repo that depends on one of them, directly or not."""
    users: dict = {name: [] for name in deps}
    for name, its_deps in deps.items():
        for dep in its_deps:
            users[dep].append(name)
    found = set(names)
    todo = list(names)
    while todo:
        for user in users.get(todo.pop(), ()):
            if user not in found:
                found.add(user)
                todo.append(user)
    return found


def restricted(deps: dict, keep: list) -> dict:
    """The graph on ``keep`` only. A path through left-out repos becomes a
    direct edge, so the order between kept repos is what the full graph says."""
    kept = set(keep)
    out: dict = {}
    for name in keep:
        nearest: list = []
        seen: set = set()
        todo = list(deps.get(name, ()))
        while todo:
            dep = todo.pop(0)
            if dep in seen:
                continue
            seen.add(dep)
            if dep in kept:
                nearest.append(dep)
            else:
                todo.extend(deps.get(dep, ()))
        out[name] = [dep for dep in deps if dep in nearest]
    return out


def layers(deps: dict) -> list:
    """Groups that can run side by side: each after every earlier group it needs."""
    depth: dict = {}
    for name in topological_order(deps):
        depth[name] = 1 + max((depth[d] for d in deps.get(name, ())), default=-1)
    out: list = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name in deps:
        out[depth[name]].append(name)
    return out


def render_text(deps: dict) -> str:
    """One line per repo, layer by layer: ``web  <- api, core``."""
    width = max((len(name) for name in deps), default=0)
    lines = []
    for index, layer in enumerate(layers(deps)):
        lines.append(f"layer {index}")
        for name in layer:
            needs = deps.get(name, ())
            lines.append(f"  {name.ljust(width)}" + (f"  <- {', '.join(needs)}" if needs else ""))
    return "\n".join(lines)


def render_dot(deps: dict, name: str) -> str:
    """Graphviz: an edge from each repo to what it depends on."""
    lines = [f"digraph {json.dumps(name)} {{", "  rankdir=LR;"]
    for repo in deps:
        lines.append(f"  {json.dumps(repo)};")
    for repo, needs in deps.items():
        for dep in needs:
            lines.append(f"  {json.dumps(repo)} -> {json.dumps(dep)};")
    lines.append("}")
    return "\n".join(lines)
