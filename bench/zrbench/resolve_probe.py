"""Time graph resolution in-process: build a task graph and order it, no processes.

Run by zr's own interpreter: ``python resolve_probe.py GRAPH.json ITERATIONS``,
where GRAPH.json is ``[[name, cmd, [deps...]], ...]``. Prints a JSON list of
``{name, status, median, best, runs, note}``: zr's graph module, and the
standard library's ``graphlib`` on the same graph as a reference floor.
"""

import json
import statistics
import sys
import time


def timed(fn, iterations):
    fn()  # warm-up: first-call costs (lazy imports, caches) are not resolution
    walls = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
    return {"status": "ok", "median": statistics.median(walls), "best": min(walls),
            "runs": iterations}


def graphlib_order(graph):
    from graphlib import TopologicalSorter

    return list(TopologicalSorter({name: deps for name, _, deps in graph}).static_order())


def zr_resolver(graph):
    """A function that builds zr's graph from ``graph`` and orders it, or raises LookupError.

    Timed: making the ``Task`` objects, ``TaskGraph(tasks)`` (dependency
    checks and cycle detection) and ``closure([target])``, the start order
    ``zr run`` uses. The target is the last task, which depends on all others.
    """
    try:
        from zr.graph import TaskGraph
        from zr.model import Task
    except ImportError as exc:
        raise LookupError(f"zr.graph is not importable ({exc})") from None
    if not hasattr(TaskGraph, "closure"):
        raise LookupError("zr.graph.TaskGraph has no closure(): this probe needs updating")
    target = graph[-1][0]

    def build_and_order():
        tasks = {name: Task(name, cmds=[cmd], deps=deps) for name, cmd, deps in graph}
        order = TaskGraph(tasks).closure([target])
        assert len(order) == len(graph)
        return order

    return build_and_order


def main():
    graph = json.load(open(sys.argv[1]))
    iterations = int(sys.argv[2])
    results = [dict(name="graphlib (stdlib)", note="reference: TopologicalSorter.static_order()",
                    **timed(lambda: graphlib_order(graph), iterations))]
    try:
        resolver = zr_resolver(graph)
        resolver()
        results.insert(0, dict(name="zr", note="in-process: Task objects + TaskGraph() + closure()",
                               **timed(resolver, iterations)))
    except LookupError as exc:
        results.insert(0, {"name": "zr", "status": "pending", "note": str(exc)})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
