"""What the Docker plugin adds to a run, against a real dockerd.

- ``container``: a container task running ``true`` (``zr run boxed``)
  against ``docker run --rm --network none IMAGE sh -c true``, the command a
  user would type for the same work. The number the goal (under 50 ms) is
  about is ``container_overhead_ms``: zr's time minus ``docker run``'s minus
  zr's own start-up (a run of a task with no commands), i.e. what wrapping
  the command, pinging the daemon and handing over to the CLI add. zr's
  start-up is any run's cost, measured against peers by ``bench/run.py``;
  the difference including it is ``container_difference_with_startup_ms``.
- ``cached image``: an image task whose context did not change (a cache hit
  that never contacts the daemon, ``zr run image``) against a task with no
  commands (``zr run nothing``): what remembering an image costs over zr
  doing nothing. Goal: under 10 ms. Also shown: an ordinary task that is a
  hit of zr's own cache (``zr run cached``), for what any cached task costs.

Medians over interleaved rounds, reported as ratios and differences (a
difference is the median of the per-round differences). The
cached-image group is measured in rounds of its own, before any container
runs: a container's teardown keeps dockerd busy for a moment after ``docker
run`` returns, and on two cores that would land on whatever runs next. The
daemon is ``DOCKER_HOST`` when it is set; otherwise the script starts a
private dockerd as the tests do (tests/servers/docker.py: Debian docker.io
and busybox-static, scripts/install-test-services.sh installs them) and
stops it at the end. Like ``bench/run.py`` it removes
``PYTHONDONTWRITEBYTECODE`` from zr's environment (users have ``.pyc``
files), and it records the load average before and after.

    .venv/bin/python bench/docker.py [--runs 15] [--quick] [--json FILE]
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

IMAGE = "zrbench/busybox:1"
ZR_TOML = f"""
[tasks.image]
docker = {{ build = {{ context = "img", tags = ["{IMAGE}"], network = "none" }} }}

[tasks.boxed]
container = {{ image = "{IMAGE}", network = "none" }}
cmd = "true"

[tasks.nothing]
description = "no commands: zr's own cost"

[tasks.cached]
description = "a hit of zr's own cache"
cmd = "true"
cache = true
inputs = ["img/**"]
"""


def _timed(argv: list, env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): "
                         f"{done.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def _rounds(commands: dict, runs: int, env: dict, cwd: Path) -> dict:
    """Seconds per named command and round, the commands interleaved in each
    round and the order rotated between rounds (none always runs first)."""
    times = {name: [] for name in commands}
    names = list(commands)
    for name in names:  # one warm-up each
        _timed(commands[name], env, cwd)
    for round_number in range(runs):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(_timed(commands[name], env, cwd))
    return times


def _paired_ms(times: dict, plus: list, minus: list) -> float:
    """The median over rounds of sum(plus) - sum(minus), in milliseconds.
    Pairing the commands of one round cancels the load that drifts between
    rounds, which a difference of medians of ~300 ms commands does not."""
    return round(statistics.median(
        sum(times[name][i] for name in plus) - sum(times[name][i] for name in minus)
        for i in range(len(times[plus[0]]))) * 1000, 1)


def _project(workdir: Path) -> Path:
    from tests.servers.docker import DockerDaemon

    project = workdir / "project"
    project.mkdir(parents=True)
    DockerDaemon.base_context(project / "img")
    (project / "zr.toml").write_text(ZR_TOML)
    return project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 runs: seconds, for smoke tests")
    parser.add_argument("--zr", default=str(Path(sys.executable).parent / "zr"))
    parser.add_argument("--docker", default=os.environ.get("ZR_DOCKER_CLI", "/usr/bin/docker"))
    parser.add_argument("--json", dest="json_path", default=None)
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs

    load_before = os.getloadavg()[0]
    daemon = None
    if not os.environ.get("DOCKER_HOST"):
        from tests.servers.docker import DockerDaemon

        daemon = DockerDaemon(Path(tempfile.mkdtemp(prefix="zr-bench-dockerd-")))
        daemon.start()
    host = os.environ.get("DOCKER_HOST") or daemon.host
    workdir = Path(tempfile.mkdtemp(prefix="zr-bench-docker-"))
    env = {**os.environ, "DOCKER_HOST": host, "ZR_DOCKER_CLI": args.docker,
           "ZR_HOME": str(workdir / "home"), "NO_COLOR": "1"}
    for name in ("PYTHONDONTWRITEBYTECODE", "ZR_CACHE_DIR"):
        env.pop(name, None)
    project = _project(workdir)
    try:
        _timed([args.zr, "run", "image", "cached"], env, project)  # the build, the cache entry
        cached = _rounds({
            "zr_cached_image": [args.zr, "run", "image", "--quiet"],
            "zr_nothing": [args.zr, "run", "nothing", "--quiet"],
            "zr_cached_task": [args.zr, "run", "cached", "--quiet"],
        }, runs, env, project)
        boxed = _rounds({
            "docker_run": [args.docker, "run", "--rm", "--network", "none", IMAGE,
                           "sh", "-c", "true"],
            "zr_container": [args.zr, "run", "boxed", "--quiet"],
            "zr_startup": [args.zr, "run", "nothing", "--quiet"],  # zr_nothing, in these rounds
        }, runs, env, project)
    finally:
        # The image goes too, on a daemon that outlives the benchmark.
        subprocess.run([args.zr, "docker", "prune", "--yes"], env=env, cwd=project,
                       stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        if daemon is not None:
            daemon.stop()
            daemon.remove_files()
        shutil.rmtree(workdir, ignore_errors=True)

    results = {**{name: statistics.median(values) for name, values in boxed.items()},
               **{name: statistics.median(values) for name, values in cached.items()}}
    report = {
        **{f"{name}_s": round(value, 6) for name, value in results.items()},
        "container_ratio": round(results["zr_container"] / results["docker_run"], 3),
        # The goal's number: what wrapping, pinging and the CLI hand-off add
        # beyond zr starting at all (a run of a task with no commands, measured
        # in the same round).
        "container_overhead_ms": _paired_ms(boxed, ["zr_container"],
                                            ["docker_run", "zr_startup"]),
        "container_difference_with_startup_ms": _paired_ms(boxed, ["zr_container"],
                                                           ["docker_run"]),
        "cached_image_ratio": round(results["zr_cached_image"] / results["zr_nothing"], 3),
        "cached_image_overhead_ms": _paired_ms(cached, ["zr_cached_image"], ["zr_nothing"]),
        "cached_image_vs_cached_task_ms": _paired_ms(cached, ["zr_cached_image"],
                                                     ["zr_cached_task"]),
        "runs": runs,
        # Other work on the machine moves every number here: say how much there was.
        "load_average_1m_before": round(load_before, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(f"medians of {runs} interleaved runs (load average {report['load_average_1m_before']} "
          f"before, {report['load_average_1m']} after)")
    print(f"container task vs docker run:     {report['container_ratio']:.2f}x "
          f"({results['zr_container'] * 1000:.0f} ms vs {results['docker_run'] * 1000:.0f} ms); "
          f"overhead beyond zr's own start-up ({results['zr_startup'] * 1000:.0f} ms): "
          f"{report['container_overhead_ms']:.0f} ms, goal < 50 ms")
    print(f"cached image task vs no commands: {report['cached_image_ratio']:.2f}x "
          f"({results['zr_cached_image'] * 1000:.0f} ms vs "
          f"{results['zr_nothing'] * 1000:.0f} ms; overhead "
          f"{report['cached_image_overhead_ms']:.1f} ms, goal < 10 ms; a hit of zr's own "
          f"cache: {results['zr_cached_task'] * 1000:.0f} ms)")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
