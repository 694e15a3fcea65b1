"""Scenario projects as plain data: tasks with names, dependencies and a command.

Every runner's file is generated from these objects, so all runners get
exactly the same graph. Graphs are generated from a fixed seed: two runs of
the suite (and two machines) benchmark the same DAG.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

TRIVIAL_CMD = "true"
GRAPH_SEED = 20240611


@dataclass(frozen=True)
class TaskSpec:
    """One task: what it runs and what must finish before it."""

    name: str
    cmd: str = TRIVIAL_CMD
    deps: tuple = ()
    description: str = ""


@dataclass(frozen=True)
class CacheSpec:
    """Declared inputs/outputs of the cached task (globs relative to its project)."""

    inputs: tuple
    outputs: tuple


@dataclass(frozen=True)
class Project:
    """A runnable project: its tasks, the task a run starts from, and extra files.

    ``files`` maps relative paths to contents (the cache scenario's source
    tree); ``cache`` is set only on the task named ``target`` of the cache
    scenario.
    """

    name: str
    tasks: tuple
    target: str
    files: dict = field(default_factory=dict)
    cache: CacheSpec | None = None

    @property
    def task_names(self) -> list:
        return [t.name for t in self.tasks]


def task_name(index: int, width: int) -> str:
    return f"t{index:0{width}d}"


def layered_graph(size: int, layers: int = 10, min_deps: int = 2, max_deps: int = 3,
                  seed: int = GRAPH_SEED, cmd: str = TRIVIAL_CMD) -> Project:
    """A DAG of ``size`` tasks in ``layers`` layers plus an ``all`` task.

    Each task outside the first layer depends on 2-3 tasks of the layer
    before it (chosen with a fixed seed); ``all`` depends on every task that
    nothing else depends on, so running ``all`` runs the whole graph.
    """
    rng = random.Random(seed)
    width = len(str(max(size - 1, 1)))
    per_layer = max(1, size // layers)
    layer_of = [min(i // per_layer, layers - 1) for i in range(size)]
    members = {}
    for index, layer in enumerate(layer_of):
        members.setdefault(layer, []).append(index)
    tasks, depended_on = [], set()
    for index, layer in enumerate(layer_of):
        deps = ()
        previous = members.get(layer - 1, [])
        if previous:
            count = min(len(previous), rng.randint(min_deps, max_deps))
            deps = tuple(task_name(i, width) for i in sorted(rng.sample(previous, count)))
            depended_on.update(deps)
        name = task_name(index, width)
        tasks.append(TaskSpec(name, cmd, deps, f"layer {layer} task {index}"))
    sinks = tuple(t.name for t in tasks if t.name not in depended_on)
    tasks.append(TaskSpec("all", TRIVIAL_CMD, sinks, "every task of the graph"))
    return Project(f"graph-{size}", tuple(tasks), "all")


def output_heavy(tasks: int, bytes_per_task: int) -> Project:
    """``tasks`` independent tasks, each writing ``bytes_per_task`` bytes of text lines."""
    line = "0123456789" * 6 + "zr"  # 62 characters + newline
    cmd = f"yes {line} | head -c {bytes_per_task}"
    specs = [TaskSpec(f"out{i:02d}", cmd, (), f"prints {bytes_per_task} bytes") for i in range(tasks)]
    specs.append(TaskSpec("all", TRIVIAL_CMD, tuple(s.name for s in specs), "every printer"))
    return Project(f"output-{tasks}x{bytes_per_task}", tuple(specs), "all")


def cache_project(files: int, counter_path: str) -> Project:
    """One ``build`` task reading a ``files``-file source tree into ``dist/bundle.txt``.

    The command appends a line to ``counter_path`` (outside the declared
    inputs and outputs), so the harness can tell a cache hit from a re-run.
    """
    tree = {}
    for i in range(files):
        tree[f"src/pkg{i % 10:02d}/mod{i:05d}.txt"] = f"module {i}\n" + "x" * 200 + "\n"
    cmd = ("mkdir -p dist && find src -type f | sort | xargs cat > dist/bundle.txt"
           f" && echo run >> {counter_path}")
    build = TaskSpec("build", cmd, (), f"bundles {files} source files")
    return Project(f"cache-{files}", (build,), "build", tree,
                   CacheSpec(("src/**",), ("dist/**",)))
