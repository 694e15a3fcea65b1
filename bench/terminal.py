#!/usr/bin/env python3
"""Terminal benchmark: what the progress block of zr-plugin-tui costs.

Scenarios:

- ``graph-N``: the N-task layered graph of the main suite (``bench/run``'s
  ``graph-N``, tasks of ``echo``), ``zr run all -j 2`` in a real terminal
  (a 120x40 tmux pane) with ``--progress tty`` (the live block) against
  ``--progress none`` (the same streamed output, no block). Target: at most
  1.10 (the block costs at most 10%).
- ``list``: ``zr list`` start-up with the plugin installed against the same
  with it left out (``ZR_DISABLE_PLUGINS=tui``). Target: at most 1.05 (the
  plugin is not imported by ``zr list``; what remains is noise and the
  index entry).

Runs are interleaved (tty, none, none, tty...) after one warm-up each;
reported as ratios of medians. Results go to ``bench/results/terminal.json``.

    bench/terminal.py                 # graph of 1000 tasks, 7 rounds
    bench/terminal.py --quick         # 100 tasks, 3 rounds: seconds
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from zrbench.formats import render_zr  # noqa: E402
from zrbench.projects import layered_graph  # noqa: E402

# Run inside the terminal: the command with the terminal as its stdio, its
# wall time appended to a file.
TIMER = """\
import subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[2:])
with open(sys.argv[1], "a") as fh:
    fh.write(f"{time.perf_counter() - started}\\n")
"""


class Tmux:
    def __init__(self, cwd: Path, env: dict):
        self.socket = f"zr-bench-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40",
                  "-c", str(cwd), "sh")

    def tmux(self, *args) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], env=self.env, check=True,
                              capture_output=True, text=True).stdout

    def run(self, command: str, done: Path) -> None:
        """Type ``command`` and wait until it has touched ``done``."""
        done.unlink(missing_ok=True)
        self.tmux("send-keys", "-l", f"{command}; clear; touch {done}")
        self.tmux("send-keys", "Enter")
        while not done.exists():
            time.sleep(0.02)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def graph_project(workdir: Path, size: int) -> Path:
    project = layered_graph(size, cmd="echo built $ZR_TASK")
    root = workdir / f"graph-{size}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name, text in render_zr(project).items():
        (root / name).write_text(text)
    (root / "timer.py").write_text(TIMER)
    return root


def measure_graph(zr: str, env: dict, root: Path, rounds: int) -> dict:
    term = Tmux(root, env)
    times: dict = {"tty": [], "none": []}
    try:
        for round_number in range(rounds + 1):
            # alternate which goes first, so neither always runs on a cooler machine
            for mode in (list(times) if round_number % 2 else list(times)[::-1]):
                log = root / f"times-{mode}.txt"
                if round_number == 0:
                    log.unlink(missing_ok=True)  # the warm-up is not counted
                term.run(f"{sys.executable} timer.py {log} {zr} run all -j 2 --progress {mode}",
                         root / "done")
                if round_number == 0:
                    log.unlink()
        for mode in times:
            times[mode] = [float(x) for x in (root / f"times-{mode}.txt").read_text().split()]
    finally:
        term.close()
    return times


def measure_list(zr: str, env: dict, root: Path, rounds: int) -> dict:
    times: dict = {"installed": [], "left out": []}
    variants = {"installed": env, "left out": {**env, "ZR_DISABLE_PLUGINS": "tui"}}
    for round_number in range(rounds * 5 + 1):
        for name, variant in variants.items():
            started = time.perf_counter()
            subprocess.run([zr, "list"], cwd=root, env=variant, stdout=subprocess.DEVNULL,
                           check=True)
            if round_number:
                times[name].append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="100 tasks, 3 rounds")
    parser.add_argument("--zr", default=str(REPO / ".venv" / "bin" / "zr"))
    parser.add_argument("--workdir", type=Path, default=HERE / "work" / "terminal")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "terminal.json")
    args = parser.parse_args()
    if args.quick:
        args.size, args.rounds = 100, 3
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed (scripts/install-test-services.sh installs it)")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "ZR_PROGRESS")}
    env.update(ZR_HOME=str(args.workdir / "home"), TERM="xterm-256color")
    root = graph_project(args.workdir, args.size)
    graph = measure_graph(args.zr, env, root, args.rounds)
    listing = measure_list(args.zr, env, root, args.rounds)
    rows = {
        f"graph-{args.size}": {
            "tty": statistics.median(graph["tty"]), "none": statistics.median(graph["none"]),
            "ratio": statistics.median(graph["tty"]) / statistics.median(graph["none"]),
            "target": 1.10, "runs": graph},
        "list": {
            "installed": statistics.median(listing["installed"]),
            "left out": statistics.median(listing["left out"]),
            "ratio": statistics.median(listing["installed"])
            / statistics.median(listing["left out"]),
            "target": 1.05, "runs": listing},
    }
    print(f"{'scenario':<12} {'with':>9} {'without':>9} {'ratio':>7}  target")
    for name, row in rows.items():
        a, b = (row["tty"], row["none"]) if "tty" in row else (row["installed"],
                                                                 row["left out"])
        verdict = "met" if row["ratio"] <= row["target"] else "MISSED"
        print(f"{name:<12} {a:>8.3f}s {b:>8.3f}s {row['ratio']:>7.3f}  "
              f"<= {row['target']:.2f} {verdict}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"size": args.size, "rounds": args.rounds,
                                    "python": sys.version.split()[0], "rows": rows},
                                   indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
