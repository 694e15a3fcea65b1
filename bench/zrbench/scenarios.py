"""The five scenarios: build each project for every runner, run it, return result rows.

A row is one runner in one scenario at one size. Its status says whether it
has a number: ``ok``, ``n/a`` (the runner cannot express the scenario),
``not installed``, ``failed`` (it ran and exited non-zero or timed out),
``pending`` (the zr feature the scenario needs has not landed yet),
``skipped`` (it timed out on a smaller size) or ``no hit`` (a cache run
that re-ran the command).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import formats, projects
from .measure import Job, measure_interleaved, spawn_and_wait

FLOOR = "python -c pass"
GRAPH_RUNNERS = ("zr", "make", "task", "just", "poe", "invoke", "doit", "turbo")
CACHE_RUNNERS = ("zr", "turbo", "make", "task", "doit", "just", "poe", "invoke")


@dataclass
class Row:
    scenario: str
    size: str
    tool: str
    status: str
    median: float | None = None
    best: float | None = None
    runs: int = 0
    rss_max_kib: int | None = None
    tree_peak_kib: int | None = None
    note: str = ""
    cpu: float | None = None  # median CPU time (user + system) of the runner and its tasks

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Sizes:
    """The size knob of every scenario, and how many timed runs each gets."""

    list_tasks: int = 100
    graph_sizes: tuple = (1000, 10000)
    resolve_tasks: int = 100
    output_tasks: int = 50
    output_bytes: int = 10 * 1024 * 1024
    cache_files: int = 1000
    startup_repeat: int = 20
    startup_warmup: int = 2
    graph_repeat: dict = field(default_factory=lambda: {1000: 11, 10000: 1})
    output_repeat: int = 2
    cache_repeat: int = 10
    resolve_iterations: int = 200
    timeout: float = 60.0

    @classmethod
    def quick(cls) -> "Sizes":
        return cls(list_tasks=20, graph_sizes=(50, 200), output_tasks=4,
                   output_bytes=256 * 1024, cache_files=50, startup_repeat=3,
                   startup_warmup=1, graph_repeat={}, output_repeat=2, cache_repeat=3,
                   resolve_iterations=20, timeout=60.0)

    def repeat_for_graph(self, size: int) -> int:
        return self.graph_repeat.get(size, 1 if size >= 5000 else 3)


@dataclass
class Entry:
    """A runner taking part in one measurement: its command, directory and note."""

    tool: str
    argv: list
    cwd: Path
    note: str = ""


@dataclass
class Bench:
    """What every scenario needs: runners, where to build projects, how to run them."""

    tools: dict
    selected: list
    workdir: Path
    env: dict
    sizes: Sizes
    floor_python: str | None
    log: object = print

    def materialize(self, project: projects.Project, scenario: str, only=None) -> dict:
        """Write ``project`` in every runner's format (or those in ``only``).

        Returns ``{runner: directory or NotExpressible}``. Every format is
        written even for runners not selected, so the files can be checked
        without the runners installed.
        """
        out = {}
        for runner, render in formats.RENDERERS.items():
            if only is not None and runner not in only:
                continue
            directory = self.workdir / scenario / runner
            if directory.exists():
                shutil.rmtree(directory)
            try:
                files = render(project)
            except formats.NotExpressible as exc:
                out[runner] = exc
                continue
            for rel, text in files.items():
                path = directory / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
            out[runner] = directory
        return out

    def measure_rows(self, scenario: str, size: str, entries, repeat: int,
                     warmup: int = 1) -> list:
        """Measure ``entries`` side by side (interleaved rounds); one row each."""
        self.log(f"  {scenario} [{size}]: {', '.join(e.tool for e in entries)}")
        jobs = [Job(e.argv, str(e.cwd)) for e in entries]
        measure_interleaved(jobs, self.env, repeat, warmup, self.sizes.timeout, self.log)
        rows = []
        for entry, job in zip(entries, jobs):
            m = job.result
            if job.failure:
                rows.append(Row(scenario, size, entry.tool, "failed", note=job.failure))
            else:
                rows.append(Row(scenario, size, entry.tool, "ok", m.median, m.best,
                                len(m.walls), m.rss_max_kib, m.tree_peak_kib, entry.note,
                                m.cpu_median))
        return rows

    def unavailable_row(self, scenario, size, tool_name, where) -> Row | None:
        """The row for a runner that cannot take part, or None if it can."""
        tool = self.tools[tool_name]
        if isinstance(where, formats.NotExpressible):
            return Row(scenario, size, tool_name, "n/a", note=str(where))
        if not tool.available:
            return Row(scenario, size, tool_name, "not installed",
                       note=f"{tool.executable or tool_name} not found")
        return None

    def runners(self, order) -> list:
        return [name for name in order if name in self.selected]

    def floor_entry(self) -> list:
        if not self.floor_python:
            return []
        return [Entry(FLOOR, [self.floor_python, "-c", "pass"], self.workdir,
                      "zr's own interpreter")]


def in_order(rows, order) -> list:
    rank = {name: i for i, name in enumerate(order)}
    return sorted(rows, key=lambda r: rank.get(r.tool, -1))


def startup(bench: Bench) -> list:
    """``list`` on a project of ``list_tasks`` tasks, and one trivial task, against ``python -c pass``."""
    size = f"{bench.sizes.list_tasks} tasks"
    project = projects.layered_graph(bench.sizes.list_tasks)
    dirs = bench.materialize(project, "startup")
    leaf = project.tasks[0].name
    rows = []
    for scenario in ("startup-list", "startup-run"):
        entries, skipped = bench.floor_entry(), []
        for name in bench.runners(GRAPH_RUNNERS):
            tool = bench.tools[name]
            skip = bench.unavailable_row(scenario, size, name, dirs[name])
            if skip is None and scenario == "startup-list" and tool.list_args is None:
                skip = Row(scenario, size, name, "n/a", note=tool.no_list_reason)
            if skip:
                skipped.append(skip)
            elif scenario == "startup-list":
                entries.append(Entry(name, tool.list_argv(), dirs[name]))
            else:
                entries.append(Entry(name, tool.run_argv(leaf, None), dirs[name]))
        measured = bench.measure_rows(scenario, size, entries, bench.sizes.startup_repeat,
                                      bench.sizes.startup_warmup)
        rows += in_order(measured + skipped, (FLOOR, *GRAPH_RUNNERS))
    return rows


def parallel_run_rows(bench: Bench, scenario: str, size: str, project, dirs, repeat: int,
                      too_slow: dict) -> list:
    """Every selected runner runs ``project.target`` at -j2, side by side."""
    entries, skipped = [], []
    for name in bench.runners(GRAPH_RUNNERS):
        skip = bench.unavailable_row(scenario, size, name, dirs[name])
        if skip is None and name in too_slow:
            skip = Row(scenario, size, name, "skipped", note=too_slow[name])
        if skip:
            skipped.append(skip)
            continue
        tool = bench.tools[name]
        entries.append(Entry(name, tool.run_argv(project.target, 2), dirs[name],
                             tool.serial_reason))
    measured = bench.measure_rows(scenario, size, entries, repeat)
    return in_order(measured + skipped, GRAPH_RUNNERS)


def graph(bench: Bench) -> list:
    """The whole layered DAG of ``true`` at -j2, for every size in ``graph_sizes``."""
    rows, too_slow = [], {}
    for count in sorted(bench.sizes.graph_sizes):
        project = projects.layered_graph(count)
        dirs = bench.materialize(project, f"graph-{count}")
        size = f"{count} tasks -j2"
        sized = parallel_run_rows(bench, "graph", size, project, dirs,
                                  bench.sizes.repeat_for_graph(count), too_slow)
        for row in sized:
            if row.status == "failed" and "timed out" in row.note:
                too_slow[row.tool] = f"{row.note} at {count} tasks"
        rows += sized
    return rows


def output(bench: Bench) -> list:
    """Tasks that each print ``output_bytes`` of lines, run at -j2, stdout to /dev/null."""
    s = bench.sizes
    project = projects.output_heavy(s.output_tasks, s.output_bytes)
    dirs = bench.materialize(project, "output")
    size = f"{s.output_tasks} x {s.output_bytes / 2**20:g} MiB -j2"
    return parallel_run_rows(bench, "output", size, project, dirs, s.output_repeat, {})


def cache(bench: Bench) -> list:
    """A cache hit on a task with ``cache_files`` input files: a first (miss) run, then timed hits.

    Each runner's command appends to its own counter file outside inputs and
    outputs; after the timed runs it must have run exactly once.
    """
    s = bench.sizes
    size = f"{s.cache_files} input files"
    counters = bench.workdir / "cache-runs"
    counters.mkdir(parents=True, exist_ok=True)
    # An entry from an earlier bench run would make the first run a hit too.
    shutil.rmtree(bench.env["ZR_CACHE_DIR"], ignore_errors=True)
    entries, rows = [], []
    for name in CACHE_RUNNERS:
        counter = counters / f"{name}.log"
        counter.unlink(missing_ok=True)
        project = projects.cache_project(s.cache_files, str(counter))
        where = bench.materialize(project, "cache", only=[name])[name]
        if name not in bench.selected:
            continue
        skip = bench.unavailable_row("cache", size, name, where)
        if skip is None:
            skip = first_cache_run(bench, name, project, where, size)
        if skip:
            rows.append(skip)
        else:
            entries.append(Entry(name, bench.tools[name].run_argv(project.target, None), where,
                                 "timed runs are cache hits (inputs unchanged)"))
    for row in bench.measure_rows("cache", size, entries, s.cache_repeat):
        counter = counters / f"{row.tool}.log"
        runs = len(counter.read_text().splitlines()) if counter.exists() else 0
        if row.status == "ok" and runs != 1:
            row = Row("cache", size, row.tool, "no hit", note=f"the command ran {runs} times, not once")
        rows.append(row)
    return in_order(rows, CACHE_RUNNERS)


def first_cache_run(bench: Bench, name: str, project, cwd: Path, size: str) -> Row | None:
    """The first run (a miss that fills the cache); a row only if it failed."""
    if name == "turbo":
        # A repository of its own: turbo hashes inputs through git, and bench/work is
        # ignored by the enclosing checkout's .gitignore.
        subprocess.run(["git", "init", "-q", str(cwd)], check=False)
    argv = bench.tools[name].run_argv(project.target, None)
    first = spawn_and_wait(argv, str(cwd), bench.env, timeout=bench.sizes.timeout)
    if first.returncode == 0:
        return None
    message = (first.stderr_tail.splitlines() or [f"exit {first.returncode}"])[-1]
    status = "pending" if name == "zr" and cache_feature_missing(first.stderr_tail) else "failed"
    return Row("cache", size, name, status, note=f"first run: {message}")


def cache_feature_missing(stderr: str) -> bool:
    """zr rejected the task's ``cache``/``inputs`` fields: the cache plugin is not installed."""
    return "no installed plugin handles" in stderr


RESOLVE_PROBE = Path(__file__).with_name("resolve_probe.py")


def resolve(bench: Bench) -> list:
    """Building and ordering a ``resolve_tasks``-task graph in-process, with zr's graph module."""
    s = bench.sizes
    size = f"{s.resolve_tasks} tasks"
    if "zr" not in bench.selected:
        return []
    if not bench.floor_python:
        return [Row("resolve", size, "zr", "failed", note="zr is not a Python console script")]
    project = projects.layered_graph(s.resolve_tasks)
    graph_file = bench.workdir / "resolve-graph.json"
    graph_file.parent.mkdir(parents=True, exist_ok=True)
    graph_file.write_text(json.dumps([[t.name, t.cmd, list(t.deps)] for t in project.tasks]))
    bench.log(f"  resolve [{size}]: in-process probe")
    out = subprocess.run([bench.floor_python, str(RESOLVE_PROBE), str(graph_file),
                          str(s.resolve_iterations)], capture_output=True, text=True,
                         env=bench.env, timeout=s.timeout)
    if out.returncode != 0:
        return [Row("resolve", size, "zr", "failed", note=out.stderr.strip()[-300:])]
    rows = [Row("resolve", size, e["name"], e["status"], e.get("median"), e.get("best"),
                e.get("runs", 0), note=e.get("note", "")) for e in json.loads(out.stdout)]
    if not any(r.tool == "zr" and r.status == "ok" for r in rows):
        dirs = bench.materialize(project, "resolve", only=["zr"])
        argv = [*bench.tools["zr"].run_argv(project.target, None), "--dry-run"]
        rows += bench.measure_rows("resolve", size, [Entry(
            "zr --dry-run", argv, dirs["zr"],
            "fallback: the whole `zr run --dry-run` process, start-up included")],
            s.startup_repeat, s.startup_warmup)
    return rows


SCENARIOS = {
    "startup": startup,
    "graph": graph,
    "resolve": resolve,
    "output": output,
    "cache": cache,
}
