"""``zr graph`` in a workspace, and the formats the kernel does not draw.

With no task named, a workspace's graph is its members (an edge from a
member to each member it depends on); with tasks, the task graph. The
kernel draws the task graph as text and json; this module draws members in
every format, and both graphs as DOT, Mermaid and a self-contained HTML
page. ``--affected REF`` marks the affected members; ``--filter`` keeps only the
selected members (and the edges between them).
"""

from __future__ import annotations

import json

FORMATS = ("text", "json", "dot", "mermaid", "html")


class GraphView:
    """Nodes (id -> attributes) and edges ``(from, to)``: from depends on to."""

    def __init__(self, kind: str, title: str):
        self.kind = kind
        self.title = title
        self.nodes: dict = {}
        self.edges: list = []

    def to_json(self) -> dict:
        return {"kind": self.kind, "title": self.title,
                "nodes": [{"id": n, **attrs} for n, attrs in self.nodes.items()],
                "edges": [{"from": a, "to": b} for a, b in self.edges]}


def render(config, targets: list, format: str):
    """The hook's answer: the drawn graph, or None to leave it to the kernel."""
    from .workspace import get_workspace

    workspace = get_workspace(config)
    if format not in FORMATS:
        return None
    if workspace is not None and not targets:
        view = member_view(config, workspace)
    elif format in ("text", "json"):
        return None
    else:
        view = task_view(config, targets)
    return DRAW[format](view)


def member_view(config, workspace) -> GraphView:
    affected = None
    if config.options.get("affected"):
        from .affected import affected_for_options

        affected = affected_for_options(config, workspace)
    from .selection import selected_members

    chosen = selected_members(config, workspace)
    view = GraphView("members", f"workspace {config.root}")
    for name in workspace.order:
        if name not in chosen:
            continue
        member = workspace.members[name]
        reason = affected.member_reason(name) if affected else None
        view.nodes[name] = {"label": name, "path": member.rel, "tags": member.tags,
                            "tasks": sorted(member.tasks), "affected": reason is not None,
                            **({"reason": reason.render()} if reason else {})}
        view.edges += [(name, dep) for dep in member.dependencies if dep in chosen]
    return view


def task_view(config, targets: list) -> GraphView:
    from zr.api import graph_roots

    roots = graph_roots(config, targets)
    view = GraphView("tasks", "tasks " + " ".join(roots))
    for name in config.graph.closure(roots):
        task = config.tasks[name]
        view.nodes[name] = {"label": name, "description": task.description,
                            "affected": False, "tags": []}
        view.edges += [(name, dep) for dep in config.graph.deps[name]]
    return view


def draw_text(view: GraphView) -> str:
    """An indented tree from each node nothing depends on (by name); a node
    shown before is marked instead of drawn again."""
    deps: dict = {n: [] for n in view.nodes}
    for a, b in view.edges:
        deps[a].append(b)
    depended = {b for _, b in view.edges}
    lines: list = []
    shown: set = set()

    def label(name: str) -> str:
        attrs = view.nodes[name]
        extra = [f"[{', '.join(attrs['tags'])}]"] if attrs.get("tags") else []
        if attrs.get("affected"):
            extra.append("(affected)")
        return " ".join([name] + extra)

    def walk(name: str, prefix: str, last: bool, top: bool) -> None:
        connector = "" if top else ("└── " if last else "├── ")
        repeat = name in shown and deps[name]
        lines.append(f"{prefix}{connector}{label(name)}" + (" (see above)" if repeat else ""))
        if repeat:
            return
        shown.add(name)
        child_prefix = prefix if top else prefix + ("    " if last else "│   ")
        for index, child in enumerate(deps[name]):
            walk(child, child_prefix, index == len(deps[name]) - 1, False)

    for name in sorted(n for n in view.nodes if n not in depended):
        walk(name, "", True, True)
    return "\n".join(lines) + "\n"


def draw_json(view: GraphView) -> str:
    return json.dumps(view.to_json(), indent=2) + "\n"


def _dot_id(text: str) -> str:
    """A quoted DOT string; a newline becomes DOT's line break."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def draw_dot(view: GraphView) -> str:
    lines = [f"digraph {_dot_id(view.kind)} {{", "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fillcolor="#eef2f7"];']
    for name, attrs in view.nodes.items():
        extra = ', fillcolor="#f6c7c7", color="#b42318"' if attrs.get("affected") else ""
        tags = attrs.get("tags")
        label = name + (f"\n{', '.join(tags)}" if tags else "")
        lines.append(f"  {_dot_id(name)} [label={_dot_id(label)}{extra}];")
    lines += [f"  {_dot_id(a)} -> {_dot_id(b)};" for a, b in view.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def draw_mermaid(view: GraphView) -> str:
    ids = {name: f"n{index}" for index, name in enumerate(view.nodes)}
    lines = ["graph LR"]
    for name in view.nodes:
        label = name.replace('"', "#quot;")
        lines.append(f'  {ids[name]}["{label}"]')
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in view.edges]
    affected = [ids[n] for n, attrs in view.nodes.items() if attrs.get("affected")]
    if affected:
        lines.append("  classDef affected fill:#f6c7c7,stroke:#b42318")
        lines.append(f"  class {','.join(affected)} affected")
    return "\n".join(lines) + "\n"


def draw_html(view: GraphView) -> str:
    from .html import page

    return page(view)


DRAW = {"text": draw_text, "json": draw_json, "dot": draw_dot, "mermaid": draw_mermaid,
        "html": draw_html}
