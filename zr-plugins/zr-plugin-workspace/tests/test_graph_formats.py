"""`zr graph` over members (no task named) and tasks, in every format."""

from __future__ import annotations

import json
import re


def test_text_tree_of_members(zr, monorepo):
    root, _ = monorepo
    result = zr(root, "graph")
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    app8 = lines.index("app-8 [app, scope:a]")
    assert lines[app8 + 1] == "├── lib-6 [lib, scope:a] (see above)"
    assert lines[app8 + 2] == "└── lib-7 [lib, scope:a] (see above)"
    assert any(line.endswith("(see above)") for line in lines)


def test_json_members(zr, monorepo):
    root, deps = monorepo
    result = zr(root, "graph", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["kind"] == "members"
    assert {n["id"] for n in payload["nodes"]} == set(deps)
    assert {(e["from"], e["to"]) for e in payload["edges"]} == \
        {(m, d) for m, ds in deps.items() for d in ds}


def test_dot_members_to_a_file(zr, monorepo, tmp_path):
    root, deps = monorepo
    out = tmp_path / "members.dot"
    result = zr(root, "graph", "--format", "dot", "-o", out)
    assert result.returncode == 0 and result.stdout == ""
    text = out.read_text()
    assert text.startswith('digraph "members" {')
    assert '"lib-3" -> "lib-2";' in text
    assert text.count(" -> ") == sum(len(ds) for ds in deps.values())


def test_mermaid_members_with_affected_class(zr, monorepo):
    root, _ = monorepo
    result = zr(root, "graph", "--format", "mermaid", "--affected", "main")
    text = result.stdout
    assert text.startswith("graph LR\n")
    ids = dict(re.findall(r'  (n\d+)\["([^"]+)"\]', text))
    by_name = {name: node for node, name in ids.items()}
    assert f"  {by_name['lib-3']} --> {by_name['lib-2']}" in text
    affected = text.split("  class ")[1].split()[0].split(",")
    assert by_name["lib-13"] in affected and by_name["app-8"] not in affected


def test_task_graph_in_dot_and_mermaid(zr, monorepo):
    root, _ = monorepo
    dot = zr(root, "graph", "app-9:build", "--format", "dot")
    assert dot.returncode == 0, dot.output
    assert '"app-9:build" -> "lib-6:build";' in dot.stdout
    assert '"lib-2:build" -> "shared-1:build";' in dot.stdout
    mermaid = zr(root, "graph", "lib-3:test", "--format", "mermaid")
    assert '["lib-3:test"]' in mermaid.stdout and '["lib-3:build"]' in mermaid.stdout
    text = zr(root, "graph", "lib-3:build")
    assert text.stdout.splitlines()[0] == "lib-3:build"


def test_html_is_self_contained(zr, monorepo, tmp_path):
    root, deps = monorepo
    out = tmp_path / "graph.html"
    result = zr(root, "graph", "--format", "html", "-o", out)
    assert result.returncode == 0, result.output
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "cytoscape" in page and "<script src" not in page and "http://" not in page.split(
        "<script>")[0]
    data = json.loads(page.split('<script id="zr-graph-data" type="application/json">')[1]
                      .split("</script>")[0])
    assert len(data["nodes"]) == len(deps)


def test_unknown_format_is_a_usage_error(zr, monorepo):
    root, _ = monorepo
    result = zr(root, "graph", "--format", "svg")
    assert result.returncode == 2
    assert "no installed plugin draws 'svg'" in result.stderr


def test_task_graph_formats_without_a_workspace(zr, tmp_path):
    (tmp_path / "zr.toml").write_text('[tasks.a]\ncmd = "true"\n[tasks.b]\ncmd = "true"\n'
                                      'deps = ["a"]\n')
    assert '"b" -> "a";' in zr(tmp_path, "graph", "--format", "dot").stdout
    assert zr(tmp_path, "graph").stdout == "b\n└── a\n"


def test_filter_narrows_the_member_graph(zr, monorepo):
    root, deps = monorepo
    result = zr(root, "graph", "--format", "json", "--filter", "app-9...")
    payload = json.loads(result.stdout)
    assert {n["id"] for n in payload["nodes"]} == {"app-9", "lib-7", "lib-6", "lib-5", "lib-4",
                                                    "lib-3", "lib-2", "shared-1", "shared-0"}
    assert ("app-9", "lib-7") in {(e["from"], e["to"]) for e in payload["edges"]}
