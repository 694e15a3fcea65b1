#!/usr/bin/env python3
"""Monorepo benchmark: planning a workspace build and an affected build,
zr against Turborepo and Nx on the same generated workspace.

Scenarios (each on a workspace of N generated members, the generator of the
workspace plugin's tests: shared/lib/app members with dependency chains,
``build`` with ``^build`` and ``inputs = ["src/**"]``):

- ``plan-N``: plan ``build`` in every member without running it:
  ``zr -n run build`` / ``turbo run build --dry=json`` /
  ``nx run-many -t build --graph=FILE``;
- ``affected-N``: the same for what one committed change on a branch
  affects: ``zr -n run build --affected main`` / ``turbo run build
  --affected --dry=json`` (``TURBO_SCM_BASE=main``) / ``nx affected -t
  build --base=main --graph=FILE``.

Each command runs once to warm caches (zr's config cache, Nx's project
graph, turbo's daemon-less hashing), then ``--rounds`` interleaved rounds;
reported as ratios of medians (zr ÷ peer: below 1, zr is faster). Turbo
and Nx are npm-installed into each generated workspace (the root
``package.json`` pins them), so they see the workspace as they would in a
real repository. Everything lives under ``--workdir`` (default
``bench/work/workspace``).

    bench/workspace.py                      # 200 and 1000 members, 5 rounds
    bench/workspace.py --sizes 200 --rounds 2 --tools zr,turbo
    bench/workspace.py --quick              # 50 members, zr only: seconds
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "zr-plugins" / "zr-plugin-workspace" / "tests"))

import workspace_fixture  # noqa: E402

TURBO = "2.11.11"  # the version bench/zrbench installs
NX = "24.0.7"
QUIET_ENV = {"NX_DAEMON": "false", "NX_NO_CLOUD": "true", "NX_TUI": "false",
             "NX_SKIP_NX_CACHE": "true", "NX_VERBOSE_LOGGING": "false",
             "TURBO_TELEMETRY_DISABLED": "1", "DO_NOT_TRACK": "1",
             "TURBO_NO_UPDATE_NOTIFIER": "1", "NO_COLOR": "1", "CI": "1"}


def sh(argv, cwd, env=None, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run(argv, cwd=cwd, env={**os.environ, **QUIET_ENV, **(env or {})},
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed in {cwd} "
                         f"(exit {proc.returncode}):\n{(proc.stderr or proc.stdout)[-2000:]}")
    return proc


def timed(argv, cwd, env=None) -> float:
    started = time.perf_counter()
    sh(argv, cwd, env)
    return time.perf_counter() - started


def make_workspace(workdir: Path, size: int, tools: list) -> Path:
    """The generated workspace with git history: ``main``, then a branch
    ``feature`` changing one lib's sources (checked out)."""
    root = workdir / f"members-{size}"
    stamp = root / ".bench-ready"
    wanted_stamp = f"{','.join(tools)} turbo {TURBO} nx {NX}"
    if stamp.exists() and stamp.read_text() == wanted_stamp:
        return root
    shutil.rmtree(root, ignore_errors=True)
    workspace_fixture.generate(root, size, peers=True, git=False)
    package = json.loads((root / "package.json").read_text())
    wanted = {"turbo": TURBO, "nx": NX}
    package["devDependencies"] = {t: wanted[t] for t in tools if t in wanted}
    (root / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    if package["devDependencies"]:
        print(f"npm install in {root} ({', '.join(package['devDependencies'])}) ...",
              flush=True)
        sh(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], root)
    workspace_fixture.commit_all(root, "initial")
    workspace_fixture.git(root, "checkout", "-q", "-b", "feature")
    (root / "packages/lib-13/src/index.txt").write_text("changed\n")
    workspace_fixture.commit_all(root, "change lib-13")
    stamp.write_text(wanted_stamp)
    return root


def commands(tool: str, scenario: str, root: Path, zr: str, scratch: Path):
    """``(argv, env)`` of one tool in one scenario."""
    affected = scenario.startswith("affected")
    graph_file = str(scratch / f"nx-{scenario}.json")
    if tool == "zr":
        return ([zr, "-n", "run", "build", "-q"] + (["--affected", "main"] if affected else []),
                {})
    if tool == "turbo":
        return ([str(root / "node_modules/.bin/turbo"), "run", "build", "--dry=json"]
                + (["--affected"] if affected else []), {"TURBO_SCM_BASE": "main"})
    if tool == "nx":
        nx = str(root / "node_modules/.bin/nx")
        if affected:
            return [nx, "affected", "-t", "build", "--base=main", f"--graph={graph_file}"], {}
        return [nx, "run-many", "-t", "build", f"--graph={graph_file}"], {}
    raise ValueError(tool)


def measure(root: Path, scenario: str, tools: list, rounds: int, zr: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        plans = {t: commands(t, scenario, root, zr, Path(scratch)) for t in tools}
        for tool, (argv, env) in plans.items():
            timed(argv, root, env)  # warm-up
        times: dict = {t: [] for t in tools}
        for _ in range(rounds):
            for tool, (argv, env) in plans.items():
                times[tool].append(timed(argv, root, env))
    return {tool: statistics.median(values) for tool, values in times.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,1000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tools", default="zr,turbo,nx")
    parser.add_argument("--zr", default=str(REPO / ".venv" / "bin" / "zr"))
    parser.add_argument("--workdir", default=str(HERE / "work" / "workspace"))
    parser.add_argument("--out", default=str(HERE / "results" / "workspace.json"))
    parser.add_argument("--quick", action="store_true", help="50 members, zr only, 1 round")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.tools, args.rounds = "50", "zr", 1
        args.out = str(Path(args.workdir) / "results-quick.json")
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in sizes:
        root = make_workspace(workdir, size, tools)
        scenarios = [f"plan-{size}"] + ([f"affected-{size}"] if size == max(sizes) else [])
        for scenario in scenarios:
            medians = measure(root, scenario, tools, args.rounds, args.zr)
            row = {"scenario": scenario, "members": size, "seconds": medians,
                   "ratios": {t: medians["zr"] / medians[t] for t in tools if t != "zr"}}
            rows.append(row)
            ratios = "  ".join(f"zr/{t} {r:.2f}" for t, r in row["ratios"].items())
            print(f"{scenario:14} zr {medians['zr']:.3f}s  {ratios}", flush=True)
    payload = {"turbo": TURBO, "nx": NX, "rounds": args.rounds, "cpus": os.cpu_count(),
               "python": sys.version.split()[0], "rows": rows}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    tmp.replace(out)
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
