"""The benchmark suite in quick mode, zr only: it runs, prints its table, and writes valid files.

No timing is asserted (timings depend on the machine); what is checked is
what someone running ``bench/run --quick`` relies on: exit 0, a table with a
zr number for every scenario, results JSON, and every runner's generated
file describing the same graph as the scenario data it came from.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))

from zrbench import projects  # noqa: E402

LIST_TASKS = 12
GRAPH_SIZES = (30, 60)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-results")
    workdir = tmp_path_factory.mktemp("bench-projects")
    zr = Path(sys.executable).parent / "zr"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--no-install", "--tools", "zr",
         "--zr", str(zr), "--out", str(out), "--workdir", str(workdir),
         "--list-tasks", str(LIST_TASKS), "--graph-sizes", ",".join(map(str, GRAPH_SIZES)),
         "--output-tasks", "2", "--cache-files", "10"],
        capture_output=True, text=True, timeout=300)
    return proc, out, workdir


def test_quick_run_prints_a_table_with_zr_in_every_scenario(quick_run):
    proc, _, _ = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = proc.stdout
    assert "zr ÷ runner" in table and "targets:" in table
    for scenario, size in [("startup-list", f"{LIST_TASKS} tasks"),
                           ("startup-run", f"{LIST_TASKS} tasks"),
                           ("graph", f"{GRAPH_SIZES[0]} tasks -j2"),
                           ("graph", f"{GRAPH_SIZES[1]} tasks -j2"),
                           ("resolve", "100 tasks"), ("output", "2 x 0.25 MiB -j2")]:
        line = next((ln for ln in table.splitlines()
                     if ln.startswith(scenario) and size in ln and " zr " in ln), None)
        assert line is not None, f"no zr row for {scenario} [{size}] in:\n{table}"
        assert re.search(r"\d+\.\d+ m?s", line), f"zr has no time in: {line}"
    assert re.search(r"^startup-list .* python -c pass .* \d+\.\d+x", table, re.M)


def test_results_json_has_zr_numbers_and_targets(quick_run):
    proc, out, _ = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads((out / "results.json").read_text())
    zr_rows = [r for r in doc["rows"] if r["tool"] == "zr"]
    assert {r["scenario"] for r in zr_rows} >= {"startup-list", "startup-run", "graph",
                                               "resolve", "output", "cache"}
    for row in zr_rows:
        if row["scenario"] == "cache":
            assert row["status"] in ("ok", "pending"), row
        else:
            assert row["status"] == "ok" and row["median"] > 0, row
    assert doc["machine"]["cores"] >= 1 and doc["versions"]["zr"]
    assert any(t["target"].startswith("zr list") for t in doc["targets"])
    assert (out / "table.txt").read_text().startswith("zr benchmark (quick)")


def zr_graph(d: Path) -> dict:
    tasks = tomllib.loads((d / "zr.toml").read_text())["tasks"]
    assert all(t["cmd"] and t["description"] for t in tasks.values())
    return {n: list(t.get("deps", [])) for n, t in tasks.items()}


def poe_graph(d: Path) -> dict:
    tasks = tomllib.loads((d / "pyproject.toml").read_text())["tool"]["poe"]["tasks"]
    return {n: list(t.get("deps", [])) for n, t in tasks.items()}


def task_graph(d: Path) -> dict:
    doc = json.loads((d / "Taskfile.yml").read_text())  # JSON is YAML
    assert doc["version"] == "3" and doc["run"] == "once"
    return {n: list(t.get("deps", [])) for n, t in doc["tasks"].items()}


def just_graph(d: Path) -> dict:
    graph = {}
    for line in (d / "justfile").read_text().splitlines():
        m = re.fullmatch(r"([\w-]+):((?: [\w-]+)*)", line)
        if m:
            graph[m.group(1)] = m.group(2).split()
    return graph


def invoke_graph(d: Path) -> dict:
    tree = ast.parse((d / "tasks.py").read_text())
    by_function, graph = {}, {}
    for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        (decorator,) = fn.decorator_list
        kwargs = {k.arg: k.value for k in decorator.keywords}
        name = ast.literal_eval(kwargs["name"])
        by_function[fn.name] = name
        graph[name] = [by_function[e.id] for e in kwargs["pre"].elts]
    return graph


def doit_graph(d: Path) -> dict:
    namespace: dict = {}
    exec(compile((d / "dodo.py").read_text(), str(d / "dodo.py"), "exec"), namespace)
    return {name[len("task_"):]: fn()["task_dep"] for name, fn in namespace.items()
            if name.startswith("task_")}


def make_graph(d: Path) -> dict:
    graph = {}
    for line in (d / "Makefile").read_text().splitlines():
        m = re.fullmatch(r"([\w-]+):((?: [\w-]+)*)", line)
        if m and m.group(1) != ".PHONY":
            graph[m.group(1)] = m.group(2).split()
    return graph


READERS = {"zr": zr_graph, "poe": poe_graph, "task": task_graph, "just": just_graph,
           "invoke": invoke_graph, "doit": doit_graph, "make": make_graph}


@pytest.mark.parametrize("runner", sorted(READERS))
@pytest.mark.parametrize("size", GRAPH_SIZES)
def test_every_runner_file_describes_the_scenario_graph(quick_run, runner, size):
    _, _, workdir = quick_run
    expected = {t.name: list(t.deps) for t in projects.layered_graph(size).tasks}
    assert READERS[runner](workdir / f"graph-{size}" / runner) == expected


def test_generated_makefile_runs_every_task_once(quick_run):
    _, _, workdir = quick_run
    size = GRAPH_SIZES[0]
    proc = subprocess.run(["make", "-n", "all"], cwd=workdir / f"graph-{size}" / "make",
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["true"] * (size + 1)


def test_cache_scenario_files_declare_inputs_and_outputs(quick_run):
    _, _, workdir = quick_run
    zr_task = tomllib.loads((workdir / "cache" / "zr" / "zr.toml").read_text())["tasks"]["build"]
    assert zr_task["cache"] is True
    assert zr_task["inputs"] == ["src/**"] and zr_task["outputs"] == ["dist/**"]
    assert len(list((workdir / "cache" / "zr" / "src").rglob("*.txt"))) == 10
    turbo = json.loads((workdir / "cache" / "turbo" / "turbo.json").read_text())
    assert turbo["tasks"]["build"]["inputs"] == ["src/**"]
    assert (workdir / "cache" / "turbo" / "packages" / "app" / "src").is_dir()
