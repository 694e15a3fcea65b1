"""The HTML graph in a real headless Chromium (Debian's chromium driven by
Playwright): the page renders, every member is a node, clicking a node
highlights its dependencies and dependents and fades the rest, search
finds a node. A screenshot is kept under tmp/artefacts/ (ZR_TEST_ARTEFACTS
overrides) for a human to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.services

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
REPO = Path(__file__).resolve().parents[3]


def _artefacts() -> Path:
    path = Path(os.environ.get("ZR_TEST_ARTEFACTS") or REPO / "tmp" / "artefacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "chromium is missing: scripts/install-test-services.sh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("window.zrGraph && window.zrGraph.cy.nodes().length > 0")
    return page, requests, errors


def _click_node(page, node_id: str) -> None:
    """Click where the node is drawn on the canvas, as a user would."""
    point = page.evaluate("""(id) => {
        const cy = window.zrGraph.cy;
        const node = cy.getElementById(id);
        cy.center(node);
        const rect = document.getElementById('cy').getBoundingClientRect();
        const pos = node.renderedPosition();
        return {x: rect.left + pos.x, y: rect.top + pos.y};
    }""", node_id)
    page.mouse.click(point["x"], point["y"])


def _classes(page, node_id: str) -> list:
    return page.evaluate("(id) => window.zrGraph.cy.getElementById(id).classes()", node_id)


def test_member_graph_renders_and_click_highlights_neighbours(zr, monorepo, browser,
                                                              tmp_path):
    root, deps = monorepo
    out = tmp_path / "members.html"
    result = zr(root, "graph", "--format", "html", "--affected", "main", "-o", out)
    assert result.returncode == 0, result.output
    page, requests, errors = _open(browser, out)
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests  # no CDN
    ids = set(page.evaluate("window.zrGraph.cy.nodes().map(n => n.id())"))
    assert ids == set(deps)
    assert page.evaluate("window.zrGraph.cy.edges().length") == \
        sum(len(d) for d in deps.values())
    # the canvas drew something: cytoscape's layers are in the container
    assert page.locator("#cy canvas").count() >= 1
    assert "affected" in _classes(page, "lib-13")
    assert "affected" not in _classes(page, "app-8")

    _click_node(page, "lib-3")
    assert "focused" in _classes(page, "lib-3")
    for dep in deps["lib-3"]:  # lib-2, shared-1
        assert "dependency" in _classes(page, dep)
    dependents = [m for m, ds in deps.items() if "lib-3" in ds]
    for dependent in dependents:  # lib-4
        assert "dependent" in _classes(page, dependent)
    assert "faded" in _classes(page, "app-199")
    assert "lib-3 depends on" in page.locator("#info").inner_text()
    page.screenshot(path=str(_artefacts() / "workspace-graph-members.png"))

    page.fill("#search", "app-19")
    matched = page.evaluate("window.zrGraph.cy.nodes('.match').map(n => n.id())")
    assert set(matched) == {m for m in deps if "app-19" in m}
    page.close()


def test_task_graph_page(zr, monorepo, browser, tmp_path):
    root, _ = monorepo
    out = tmp_path / "tasks.html"
    assert zr(root, "graph", "lib-4:test", "--format", "html", "-o", out).returncode == 0
    page, _, errors = _open(browser, out)
    assert errors == []
    ids = set(page.evaluate("window.zrGraph.cy.nodes().map(n => n.id())"))
    assert ids == {"lib-4:test", "lib-4:build", "lib-3:build", "lib-2:build",
                   "shared-1:build", "shared-0:build"}
    _click_node(page, "lib-4:build")
    assert "dependent" in _classes(page, "lib-4:test")
    assert "dependency" in _classes(page, "lib-3:build")
    page.screenshot(path=str(_artefacts() / "workspace-graph-tasks.png"))
    page.close()
