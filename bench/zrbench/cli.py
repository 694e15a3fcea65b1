"""``bench/run`` / ``python bench/run.py``: install peers, run the scenarios, write the results."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

from . import environment, machine, profiling, projects, report, scenarios, tools

ALL_TOOLS = ("zr", "make", "task", "just", "poe", "invoke", "doit", "turbo")


def csv(text: str) -> list:
    return [p.strip() for p in text.split(",") if p.strip()]


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench/run",
        description="Benchmark zr against make, just, task, poe, invoke, doit and turbo; "
                    "prints zr ÷ runner ratios and writes JSON and a chart.")
    p.add_argument("--quick", action="store_true",
                   help="tiny sizes and few runs: seconds, for checking the harness")
    p.add_argument("--tools", type=csv, default=list(ALL_TOOLS),
                   help=f"comma-separated runners (default: {','.join(ALL_TOOLS)})")
    p.add_argument("--scenarios", type=csv, default=list(scenarios.SCENARIOS),
                   help=f"comma-separated scenarios (default: {','.join(scenarios.SCENARIOS)})")
    p.add_argument("--zr", default=str(environment.default_zr()),
                   help="the zr executable under test (default: the checkout's .venv/bin/zr)")
    p.add_argument("--out", type=Path, default=None,
                   help="results directory (default: bench/results, or bench/work/results-quick "
                        "with --quick)")
    p.add_argument("--workdir", type=Path, default=environment.WORK / "projects",
                   help="where the generated projects are written")
    p.add_argument("--no-install", action="store_true",
                   help="do not install peers; runners that are missing are reported as such")
    p.add_argument("--profile", action="store_true",
                   help="also profile zr: -X importtime of `zr list`, cProfile of the smallest graph")
    p.add_argument("--profile-only", action="store_true",
                   help="only profile zr, on the projects an earlier run generated")
    knobs = p.add_argument_group("sizes (defaults: the full suite, or tiny with --quick)")
    knobs.add_argument("--list-tasks", type=int, help="tasks in the start-up project (100)")
    knobs.add_argument("--graph-sizes", type=lambda t: tuple(int(x) for x in csv(t)),
                       help="task counts of the DAG scenario (1000,10000)")
    knobs.add_argument("--resolve-tasks", type=int, help="tasks for graph resolution (100)")
    knobs.add_argument("--output-tasks", type=int, help="tasks of the output scenario (50)")
    knobs.add_argument("--output-mib", type=float, help="MiB each of them prints (10)")
    knobs.add_argument("--cache-files", type=int, help="input files of the cached task (1000)")
    knobs.add_argument("--timeout", type=float, help="seconds before one run is killed (60)")
    args = p.parse_args(argv)
    unknown = [t for t in args.tools if t not in ALL_TOOLS] + \
              [s for s in args.scenarios if s not in scenarios.SCENARIOS]
    if unknown:
        p.error(f"unknown runner or scenario: {', '.join(unknown)}")
    return args


def sizes_from(args) -> scenarios.Sizes:
    sizes = scenarios.Sizes.quick() if args.quick else scenarios.Sizes()
    overrides = {"list_tasks": args.list_tasks, "graph_sizes": args.graph_sizes,
                 "resolve_tasks": args.resolve_tasks, "output_tasks": args.output_tasks,
                 "cache_files": args.cache_files, "timeout": args.timeout,
                 "output_bytes": int(args.output_mib * 2**20) if args.output_mib else None}
    for key, value in overrides.items():
        if value is not None:
            setattr(sizes, key, value)
    return sizes


def run_environment(workdir: Path) -> dict:
    """The environment every runner gets: the caller's, minus what would skew a run."""
    env = dict(os.environ)
    for key in ("PYTHONDONTWRITEBYTECODE", "MAKEFLAGS", "MFLAGS", "MAKELEVEL",
                environment.IN_VENV_MARKER):
        env.pop(key, None)
    env.update(NO_COLOR="1", TURBO_TELEMETRY_DISABLED="1", DO_NOT_TRACK="1",
               TURBO_NO_UPDATE_NOTIFIER="1", ZR_HOME=str(workdir / "zr-home"),
               ZR_CACHE_DIR=str(workdir / "zr-home" / "cache"))
    return env


def install_peers(args, log) -> list:
    peers = [t for t in args.tools if t not in ("zr", "make")]
    if args.no_install or not peers:
        return []
    problems = [environment.ensure_python_peers(log)]
    if "turbo" in args.tools:
        problems.append(environment.ensure_turbo(log))
    return [p for p in problems if p]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    problems = install_peers(args, log)
    if not args.no_install and not problems:
        environment.reexec_in_bench_venv(str(environment.BENCH / "run.py"), argv)
    out = (args.out or (environment.WORK / "results-quick" if args.quick
                        else environment.BENCH / "results")).resolve()
    out.mkdir(parents=True, exist_ok=True)
    args.workdir = args.workdir.resolve()
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = sizes_from(args)
    env = run_environment(args.workdir)
    zr_python = tools.script_interpreter(args.zr)
    if args.profile_only:
        write_profiles(args, sizes, zr_python, env, out)
        return 0
    runners = tools.build_tools(args.zr, str(environment.peer_bin()), str(environment.node_bin()))
    versions = {name: runners[name].detect_version() or "not installed" for name in args.tools}
    bench = scenarios.Bench(runners, args.tools, args.workdir, env, sizes, zr_python, log)

    load_at_start = load_average()
    rows = []
    for name in args.scenarios:
        log(f"scenario {name}")
        rows += scenarios.SCENARIOS[name](bench)

    target_items = report.targets(rows, sizes)
    meta = {
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "machine": machine.describe(zr_python, environment.REPO),
        "versions": versions,
        "sizes": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(sizes).items()},
        "rss_method": "sampled from /proc every 5 ms on the warm-up run: 'max' is the largest "
                      "VmHWM (kernel high-water mark) of any one process of the runner's tree, "
                      "'tree' the largest sum of VmRSS over the runner and its descendants",
        "install_problems": problems,
        "load_average": {"start": load_at_start, "end": load_average()},
    }
    text = render_text(rows, target_items, meta)
    print(text)
    (out / "table.txt").write_text(text + "\n")
    report.write_json(out / "results.json", rows, target_items, meta)
    chart_problem = report.write_chart(out / "chart.png", rows)
    if chart_problem:
        log(f"no chart: {chart_problem}")
    if args.profile:
        write_profiles(args, sizes, zr_python, env, out)
    log(f"results written to {out}")
    return 1 if any(r.tool == "zr" and r.status == "failed" for r in rows) else 0


def render_text(rows, target_items, meta) -> str:
    m = meta["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    load = meta.get("load_average")
    load_lines = [f"load average (1, 5, 15 min): {load['start']} at the start, "
                  f"{load['end']} at the end"] if load else []
    lines = [f"zr benchmark ({meta['mode']}), {meta['generated']}",
             f"machine: {m['cpu']}, {m['usable_cores']} cores, {m['memory_mib']} MiB, {m['os']}, "
             f"Linux {m['kernel']}, Python {m['zr_python']} (zr commit {m['zr_commit']})",
             f"versions: {versions}",
             *load_lines,
             *(f"install problem: {p}" for p in meta["install_problems"]),
             "", report.table(rows), "", "targets:", report.targets_table(target_items), "",
             f"RSS: {meta['rss_method']}."]
    return "\n".join(lines)


def load_average() -> str:
    """The machine's load averages, "1.02 0.98 0.71" (the machine is shared: they say
    how much other work the numbers were measured beside)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def write_profiles(args, sizes, zr_python, env, out: Path) -> None:
    if not zr_python:
        print("no profile: zr is not a Python console script", file=sys.stderr)
        return
    profile_dir = out / "profile"
    profile_dir.mkdir(exist_ok=True)
    startup_dir = args.workdir / "startup" / "zr"
    if startup_dir.exists():
        leaf = projects.layered_graph(sizes.list_tasks).tasks[0].name
        for tail, label in ((["list"], "zr-list"), (["run", leaf, "--quiet"], "zr-run-one")):
            print("\n" + profiling.import_times(zr_python, args.zr, tail, startup_dir, env,
                                                profile_dir, label))
        text = profiling.cprofile_run(zr_python, args.zr, ["run", leaf, "--quiet"], startup_dir,
                                      env, profile_dir, "zr-run-one")
        print("\n" + "\n".join(text.splitlines()[:45]))
    if sizes.graph_sizes:
        smallest = min(sizes.graph_sizes)
        graph_dir = args.workdir / f"graph-{smallest}" / "zr"
        if graph_dir.exists():
            text = profiling.cprofile_run(zr_python, args.zr, ["run", "all", "-j", "2", "--quiet"],
                                          graph_dir, env, profile_dir, f"graph-{smallest}")
            print("\n" + "\n".join(text.splitlines()[:45]))
