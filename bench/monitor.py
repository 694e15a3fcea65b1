#!/usr/bin/env python3
"""Monitor benchmark: what ``zr run --monitor`` (zr-plugin-resources) costs.

The N-task layered graph of the main suite (``bench/run``'s ``graph-N``,
tasks of ``true``), ``zr run all -j 2 --quiet`` with ``--monitor`` against
the same without it. Target: at most 1.05 (the monitor costs at most 5%).

Both wall time and CPU time (user + system of zr and of its tasks, from
``wait4``) are compared: the machines this runs on are shared, and a busy
machine stretches wall times far more than the CPU time each run spends.
Runs are interleaved, the order alternating each round, after one warm-up
each; reported as ratios of medians with the load average at the start and
the end. Results go to ``bench/results/monitor.json``.

    bench/monitor.py                  # graph of 1000 tasks, 9 rounds
    bench/monitor.py --quick          # 100 tasks, 3 rounds: seconds
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from zrbench.formats import render_zr  # noqa: E402
from zrbench.projects import layered_graph  # noqa: E402

TARGET = 1.05
MODES = {"monitor": ["--monitor"], "plain": []}


def graph_project(workdir: Path, size: int) -> Path:
    root = workdir / f"graph-{size}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name, text in render_zr(layered_graph(size)).items():
        (root / name).write_text(text)
    return root


def run_once(argv: list, root: Path, env: dict) -> tuple:
    """(wall seconds, CPU seconds of zr and its tasks) of one run. The CPU
    time is what this process's RUSAGE_CHILDREN gained: zr, reaped here,
    and every task zr reaped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.run(argv, cwd=root, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)  # (the monitor's few lines)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed (exit {process.returncode}): "
                         f"{process.stderr.decode(errors='replace')[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(zr: str, env: dict, root: Path, rounds: int) -> dict:
    times: dict = {mode: {"wall": [], "cpu": []} for mode in MODES}
    for round_number in range(rounds + 1):
        # alternate which goes first, so neither always runs on a cooler machine
        order = list(MODES) if round_number % 2 else list(MODES)[::-1]
        for mode in order:
            wall, cpu = run_once([zr, "run", "all", "-j", "2", "--quiet", *MODES[mode]],
                                 root, env)
            if round_number:  # round 0 is the warm-up
                times[mode]["wall"].append(wall)
                times[mode]["cpu"].append(cpu)
    return times


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="100 tasks, 3 rounds")
    parser.add_argument("--zr", default=str(REPO / ".venv" / "bin" / "zr"))
    parser.add_argument("--workdir", type=Path, default=HERE / "work" / "monitor")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "monitor.json")
    args = parser.parse_args()
    if args.quick:
        args.size, args.rounds = 100, 3
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env.update(ZR_HOME=str(args.workdir / "home"), NO_COLOR="1")
    root = graph_project(args.workdir, args.size)
    load_start = load_average()
    times = measure(args.zr, env, root, args.rounds)
    load_end = load_average()
    medians = {mode: {kind: statistics.median(values) for kind, values in runs.items()}
               for mode, runs in times.items()}
    ratios = {kind: medians["monitor"][kind] / medians["plain"][kind] for kind in ("wall", "cpu")}
    print(f"graph of {args.size} tasks, zr run all -j 2, {args.rounds} rounds; "
          f"load average {load_start} at the start, {load_end} at the end")
    print(f"{'':<6} {'--monitor':>10} {'without':>10} {'ratio':>7}  target")
    for kind in ("wall", "cpu"):
        verdict = "met" if ratios[kind] <= TARGET else "MISSED"
        print(f"{kind:<6} {medians['monitor'][kind]:>9.3f}s {medians['plain'][kind]:>9.3f}s "
              f"{ratios[kind]:>7.3f}  <= {TARGET:.2f} {verdict}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "size": args.size, "rounds": args.rounds, "python": sys.version.split()[0],
        "load_average": {"start": load_start, "end": load_end}, "target": TARGET,
        "medians": medians, "ratios": ratios, "runs": times}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
