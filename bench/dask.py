"""What a Dask cluster costs and gains: 64 tasks of 0.5 s of CPU each.

The same project runs two ways, interleaved, medians compared:

- ``local``: ``zr run cpu -j 2`` on this machine;
- ``dask``: ``zr run cpu -j 2 --executor dask://...`` on a cluster of two
  ``zr worker`` processes (one thread each) in their own clones, started
  here on 127.0.0.1 with a ``dask scheduler``; outputs go through a
  remote cache (a small HTTP cache server in this process).

On one machine the two use the same cores, so the ratio shows the
executor's cost, not a speed-up (that needs workers on other machines).
The per-task overhead is measured on no-op tasks run one at a time
(``-j 1``), as the slope between graphs of 64 and 16 of them: what one
more task costs on the cluster beyond what it costs locally, in
milliseconds (goal: under 20 ms); the fixed cost of a run (connecting to
the scheduler) is reported beside it.

    .venv/bin/python bench/dask.py [--tasks 64] [--cpu 0.5] [--runs 3] [--quick] [--out FILE]
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BURN = ("import time; end = time.process_time() + {seconds}; "
        "all(iter(lambda: time.process_time() < end, False))")


def zr_binary() -> str:
    return str(Path(sys.executable).parent / "zr")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CacheHandler(http.server.BaseHTTPRequestHandler):
    """GET and PUT of whole files under the server's directory (Bazel-style)."""

    def _path(self) -> Path:
        return Path(self.server.root) / self.path.lstrip("/").replace("..", "_")

    def do_GET(self):
        path = self._path()
        if not path.is_file():
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        path = self._path()
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        temp = path.with_suffix(".tmp")
        temp.write_bytes(data)
        os.replace(temp, path)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start_cache(root: Path) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CacheHandler)
    server.root = str(root)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def project_toml(tasks: int, cpu: float, cache_url: str) -> str:
    burn = BURN.format(seconds=cpu)
    lines = [f'[cache]\nremote = {{ type = "http", url = "{cache_url}/zr" }}\n']
    for i in range(tasks):
        lines.append(f"[tasks.cpu{i}]\ncmd = 'python3 -c \"{burn}\"'\n")
        lines.append(f"[tasks.noop{i}]\ncmd = 'true'\n")
    for name, prefix, count in (("cpu", "cpu", tasks), ("noop", "noop", tasks),
                                ("noop_quarter", "noop", tasks // 4)):
        deps = ", ".join(f'"{prefix}{i}"' for i in range(count))
        lines.append(f"[tasks.{name}]\ncmd = 'true'\ndeps = [{deps}]\n")
    return "\n".join(lines)


def git(*args, cwd) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b",
                        "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@b"})


def wait_for(predicate, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench/dask.py: {what} did not start")
        time.sleep(0.05)


class Cluster:
    def __init__(self, base: Path, origin: Path):
        self.processes = []
        port = free_port()
        self.address = f"127.0.0.1:{port}"
        dask = str(Path(sys.executable).parent / "dask")
        log = open(base / "scheduler.log", "wb")
        self._spawn([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                     "--dashboard-address", f"127.0.0.1:{free_port()}"], base, log)
        wait_for(lambda: b"Scheduler at" in (base / "scheduler.log").read_bytes(), "the scheduler")
        for name in ("w1", "w2"):
            clone = base / f"worker-{name}"
            git("clone", "-q", str(origin), str(clone), cwd=base)
            log_path = base / f"{name}.log"
            env = {**os.environ, "ZR_HOME": str(base / f"home-{name}")}
            self._spawn([zr_binary(), "worker", f"tcp://{self.address}", "--name", name],
                        clone, open(log_path, "wb"), env)
            wait_for(lambda: b"serving" in log_path.read_bytes(), f"zr worker {name}")

    def _spawn(self, command, cwd, log, env=None) -> None:
        self.processes.append(subprocess.Popen(command, cwd=cwd, stdout=log, stderr=log,
                                               stdin=subprocess.DEVNULL, env=env,
                                               start_new_session=True))

    def stop(self) -> None:
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


def timed(command, cwd, env) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=64)
    parser.add_argument("--cpu", type=float, default=0.5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="8 tasks of 0.1 s, one run")
    parser.add_argument("--out", default=str(HERE / "results" / "dask.json"))
    args = parser.parse_args()
    if args.quick:
        args.tasks, args.cpu, args.runs = 8, 0.1, 1
    base = Path(tempfile.mkdtemp(prefix="zr-bench-dask-"))
    cluster = None
    try:
        cache_url = start_cache(base / "cache")
        origin = base / "origin"
        origin.mkdir()
        (origin / "zr.toml").write_text(project_toml(args.tasks, args.cpu, cache_url))
        git("init", "-q", cwd=origin)
        git("add", ".", cwd=origin)
        git("commit", "-q", "-m", "bench", cwd=origin)
        cluster = Cluster(base, origin)
        here = base / "coordinator"
        git("clone", "-q", str(origin), str(here), cwd=base)
        env = {**os.environ, "ZR_HOME": str(base / "home"), "NO_COLOR": "1"}
        zr = zr_binary()
        remote = ["--executor", f"dask://{cluster.address}"]
        times = {"local": [], "dask": []}
        for graph in ("noop", "noop_quarter"):
            times.update({f"{graph}_local": [], f"{graph}_dask": []})
        timed([zr, "run", "noop", "-j", "2", *remote], here, env)  # warm: connect, imports
        for _ in range(args.runs):
            times["local"].append(timed([zr, "run", "cpu", "-j", "2", "--quiet"], here, env))
            times["dask"].append(timed([zr, "run", "cpu", "-j", "2", "--quiet", *remote],
                                       here, env))
            for graph in ("noop", "noop_quarter"):
                times[f"{graph}_local"].append(timed([zr, "run", graph, "-j", "1", "--quiet"],
                                                     here, env))
                times[f"{graph}_dask"].append(timed([zr, "run", graph, "-j", "1", "--quiet",
                                                     *remote], here, env))
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    # The slope between the two no-op graphs: what one more task costs on the
    # cluster beyond what it costs here (connecting, the client's start and
    # its close are the same for both sizes and drop out).
    extra_tasks = args.tasks - args.tasks // 4
    added = {where: medians[f"noop_{where}"] - medians[f"noop_quarter_{where}"]
             for where in ("local", "dask")}
    overhead_ms = (added["dask"] - added["local"]) / extra_tasks * 1000
    fixed = (medians["noop_quarter_dask"] - medians["noop_quarter_local"]
             - overhead_ms / 1000 * (args.tasks // 4 + 1))
    result = {
        "tasks": args.tasks, "cpu_seconds_each": args.cpu, "runs": args.runs,
        "medians_seconds": medians, "dask_over_local": medians["dask"] / medians["local"],
        "overhead_ms_per_task": overhead_ms, "goal_ms_per_task": 20,
        "fixed_seconds_per_run": fixed,
        "cpus": os.cpu_count(), "load_average": os.getloadavg(),
    }
    print(f"{args.tasks} tasks x {args.cpu}s CPU, 2 workers vs -j 2 locally "
          f"({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}):")
    print(f"  local  {medians['local']:.2f}s")
    print(f"  dask   {medians['dask']:.2f}s  ({result['dask_over_local']:.2f}x local)")
    print(f"  overhead per task (no-op tasks, -j 1): {overhead_ms:.1f} ms (goal: under 20 ms)")
    print(f"  fixed cost per run (connecting to the cluster): {fixed:.2f}s")
    if not args.quick:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
