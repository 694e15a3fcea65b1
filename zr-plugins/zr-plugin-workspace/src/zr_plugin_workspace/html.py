"""The self-contained HTML view of ``zr graph --format html``.

One file: the page, its styles, the graph as JSON and the vendored
cytoscape.js (``vendor/``, refreshed by ``scripts/vendor-cytoscape``) are
all inlined, so it opens offline and can be attached to a CI run. The page
has a search box, marks affected members, and a click on a node focuses it:
its dependencies and dependents are highlighted, everything else fades.
"""

from __future__ import annotations

import html
import json
import os

_VENDOR = os.path.join(os.path.dirname(__file__), "vendor")


def _script_safe(text: str) -> str:
    """JSON or JavaScript that cannot close the ``<script>`` element it sits
    in (``<\\/`` means ``</`` inside JSON and JavaScript strings)."""
    import re

    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\u0021--")


def page(view) -> str:
    with open(os.path.join(_VENDOR, "cytoscape.min.js"), encoding="utf-8") as fh:
        library = fh.read()
    data = _script_safe(json.dumps(view.to_json()))
    title = html.escape(view.title)
    return (_TEMPLATE.replace("@TITLE@", title)
            .replace("@COUNT@", str(len(view.nodes)))
            .replace("@DATA@", data)
            .replace("@LIBRARY@", _script_safe(library))
            .replace("@APP@", _APP))


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="zr graph">
<title>zr graph: @TITLE@</title>
<style>
  html, body { margin: 0; height: 100%; font: 14px system-ui, sans-serif; color: #1d2939; }
  header { display: flex; gap: 1em; align-items: center; padding: .5em 1em;
           border-bottom: 1px solid #d0d5dd; background: #f9fafb; }
  header h1 { font-size: 1em; margin: 0; }
  #search { flex: 0 0 16em; padding: .3em .5em; }
  #info { flex: 1; color: #475467; white-space: nowrap; overflow: hidden;
          text-overflow: ellipsis; }
  .legend span { display: inline-block; width: .8em; height: .8em; margin: 0 .3em 0 .8em;
                 border-radius: 2px; vertical-align: middle; }
  #cy { position: absolute; top: 3em; bottom: 0; left: 0; right: 0; }
</style>
</head>
<body>
<header>
  <h1>zr graph</h1>
  <input id="search" type="search" placeholder="search @COUNT@ nodes" aria-label="search">
  <div id="info">click a node to see what it depends on and what depends on it</div>
  <div class="legend"><span style="background:#f6c7c7"></span>affected<span
    style="background:#fdb022"></span>selected<span style="background:#7cd4fd"></span>
    dependency<span style="background:#a6f4c5"></span>dependent</div>
</header>
<div id="cy"></div>
<script id="zr-graph-data" type="application/json">@DATA@</script>
<script>@LIBRARY@</script>
<script>@APP@</script>
</body>
</html>
"""

_APP = r"""
(function () {
  var graph = JSON.parse(document.getElementById('zr-graph-data').textContent);
  var elements = [];
  graph.nodes.forEach(function (n) {
    elements.push({ group: 'nodes', data: { id: n.id, label: n.label },
                    classes: n.affected ? 'affected' : '' });
  });
  graph.edges.forEach(function (e, i) {
    elements.push({ group: 'edges', data: { id: 'e' + i, source: e.from, target: e.to } });
  });
  var big = graph.nodes.length > 400;
  var cy = cytoscape({
    container: document.getElementById('cy'),
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: 'node', style: { 'label': 'data(label)', 'font-size': 11,
        'text-valign': 'center', 'text-halign': 'center', 'shape': 'round-rectangle',
        'width': 'label', 'height': 22, 'padding': '6px', 'background-color': '#eef2f7',
        'border-width': 1, 'border-color': '#98a2b3' } },
      { selector: 'edge', style: { 'width': 1, 'line-color': '#d0d5dd',
        'target-arrow-color': '#d0d5dd', 'target-arrow-shape': 'triangle',
        'curve-style': big ? 'haystack' : 'bezier' } },
      { selector: 'node.affected', style: { 'background-color': '#f6c7c7',
        'border-color': '#b42318' } },
      { selector: 'node.match', style: { 'border-width': 3, 'border-color': '#6941c6' } },
      { selector: 'node.focused', style: { 'background-color': '#fdb022',
        'border-color': '#b54708', 'border-width': 2 } },
      { selector: 'node.dependency', style: { 'background-color': '#7cd4fd' } },
      { selector: 'node.dependent', style: { 'background-color': '#a6f4c5' } },
      { selector: 'edge.highlighted', style: { 'width': 2, 'line-color': '#475467',
        'target-arrow-color': '#475467' } },
      { selector: '.faded', style: { 'opacity': 0.15 } }
    ],
    layout: big ? { name: 'grid', avoidOverlap: true }
                : { name: 'breadthfirst', directed: true, spacingFactor: 1.1 }
  });
  var info = document.getElementById('info');
  var STATES = 'focused highlighted dependency dependent faded';

  function clear() {
    cy.elements().removeClass(STATES);
    info.textContent = 'click a node to see what it depends on and what depends on it';
  }

  function focus(node) {
    cy.elements().removeClass(STATES);
    var deps = node.outgoers('node'), dependents = node.incomers('node');
    var edges = node.connectedEdges();
    node.addClass('focused');
    deps.addClass('highlighted dependency');
    dependents.addClass('highlighted dependent');
    edges.addClass('highlighted');
    cy.elements().not(node).not(deps).not(dependents).not(edges).addClass('faded');
    var names = function (c) { return c.map(function (n) { return n.id(); }).join(', ') || 'nothing'; };
    cy.fit(node.closedNeighborhood().union(deps).union(dependents), 80);
    info.textContent = node.id() + ' depends on ' + names(deps) + '; depended on by ' +
      names(dependents);
  }

  cy.on('tap', 'node', function (evt) { focus(evt.target); });
  cy.on('tap', function (evt) { if (evt.target === cy) { clear(); } });

  document.getElementById('search').addEventListener('input', function (evt) {
    var text = evt.target.value.trim().toLowerCase();
    cy.nodes().removeClass('match');
    if (!text) { return; }
    var found = cy.nodes().filter(function (n) { return n.id().toLowerCase().indexOf(text) >= 0; });
    found.addClass('match');
    if (found.length === 1) { focus(found[0]); cy.center(found[0]); }
    else if (found.length) { cy.fit(found, 40); }
  });

  window.zrGraph = { cy: cy, focus: focus, clear: clear, data: graph };
})();
"""
