"""A real Dask cluster for the plugin's tests: the session's `dask_scheduler`
(tests/servers), a real remote cache (`webdav_cache_server`, nginx), a
generated example project in a git repository, and two workers, each in
its own clone of it: w1 is `zr worker`, w2 a stock `dask worker` with
`--preload zr_plugin_dask.preload` (both ways of making a worker run every
test). Tests run `zr run --executor` in further clones
(:meth:`Cluster.checkout`)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.servers.process import _die_with_parent
from tests.servers.programs import python_script
from zr.testing import ZrProject, zr_executable

WORKER_NAMES = ("w1", "w2")
DASK_WORKER = "w2"  # started as `dask worker --preload zr_plugin_dask.preload`
READY_SECONDS = 60


def git(*args, cwd) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "zr", "GIT_AUTHOR_EMAIL": "zr@test",
                               "GIT_COMMITTER_NAME": "zr", "GIT_COMMITTER_EMAIL": "zr@test"})
    return done.stdout.strip()


def example_project(cache_url: str, shared: Path) -> str:
    """zr.toml of the example project: a 50-task graph whose tasks write
    where they ran and read their dependencies' outputs, and tasks that
    fail, time out, wait to be interrupted or killed."""
    parts = [f"""
        [env]
        SHARED = "{shared}"

        [cache]
        remote = {{ type = "http", url = "{cache_url}/zr", timeout = "5s" }}

        [tasks.fail]
        cmd = 'echo "about to fail"; echo "boom" >&2; exit 3'

        [tasks.slow]
        cmd = 'echo "$ZR_WORKER $$" > "$SHARED/slow.pid"; sleep 300'
        timeout = "4s"

        [tasks.wait]
        cmd = 'echo "$ZR_WORKER $$" > "$SHARED/wait.pid"; sleep 300'

        [tasks.survivor]  # the first attempt waits to be killed with its worker
        cmd = 'echo "$ZR_WORKER $$" >> "$SHARED/survivor.pids"; if [ $(wc -l < "$SHARED/survivor.pids") -eq 1 ]; then sleep 60; fi; mkdir -p out; echo "$ZR_WORKER" > out/survivor.txt'
        outputs = ["out/survivor.txt"]

        [tasks.cached]
        cmd = 'echo "$ZR_WORKER" >> "$SHARED/cached.runs"; mkdir -p out; echo "built on $ZR_WORKER" | tee out/cached.txt'
        cache = true
        outputs = ["out/cached.txt"]

        [tasks.gpu]
        cmd = 'mkdir -p out; echo "$ZR_WORKER" > out/gpu.txt'
        outputs = ["out/gpu.txt"]
        resources = {{ gpu = 1 }}
    """]
    for i in range(50):
        deps = [f"t{(i - 1) // 2:02d}"] if i else []
        read = f'cat out/t{(i - 1) // 2:02d}.txt >> out/t{i:02d}.txt; ' if i else ""
        parts.append(f"""
        [tasks.t{i:02d}]
        cmd = 'sleep 0.1; mkdir -p out; echo "$ZR_WORKER" > out/t{i:02d}.txt; {read}true'
        deps = {deps!r}
        outputs = ["out/t{i:02d}.txt"]
        """.replace("'", "'") )
    parts.append("""
        [tasks.graph]
        cmd = 'true'
        deps = [%s]
    """ % ", ".join(f'"t{i:02d}"' for i in range(50)))
    return "\n".join(textwrap.dedent(part) for part in parts)


class Worker:
    """One worker process serving its own clone: `zr worker`, or with
    ``dask=True`` a stock `dask worker` that loads the plugin's preload
    (started elsewhere than its checkout, which ``--zr-project`` names)."""

    def __init__(self, name: str, checkout: Path, home: Path, address: str, plugin_index: Path,
                 resources="", dask=False):
        self.dask = dask
        self.name = name
        self.plugin_index = plugin_index
        self.checkout = checkout
        self.home = home
        self.address = address
        self.resources = resources
        self.log = checkout.parent / f"{name}.log"
        self.process = None

    def command(self) -> list:
        if self.dask:
            command = [str(python_script("dask")), "worker", self.address, "--name", self.name,
                       "--nthreads", "1", "--no-dashboard",
                       "--preload", "zr_plugin_dask.preload", "--zr-project", str(self.checkout)]
        else:
            command = [zr_executable(), "worker", self.address, "--name", self.name]
        return command + (["--resources", self.resources] if self.resources else [])

    def start(self) -> None:
        command = self.command()
        if self.plugin_index.is_dir() and not self.home.exists():
            shutil.copytree(self.plugin_index, self.home / "cache" / "plugins")
        env = {**os.environ, "ZR_HOME": str(self.home), "NO_COLOR": "1"}
        started = self.starts()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=self.home.parent if self.dask
                                            else self.checkout, env=env,
                                            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            start_new_session=True, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + READY_SECONDS
        while self.starts() == started:  # the log is kept across restarts
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"worker {self.name} ({command[1]}) did not start:\n"
                            f"{self.log.read_text(errors='replace')[-4000:]}", pytrace=False)
            time.sleep(0.05)

    def starts(self) -> int:
        """How many times the log says the worker served its checkout."""
        return self.log.read_text(errors="replace").count(" serving ") if self.log.exists() \
            else 0

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the worker's process group, as a crash would."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def stop(self) -> None:
        if not self.running():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


class Cluster:
    def __init__(self, base: Path, scheduler, cache_server, plugin_index: Path):
        self.base = base
        self.plugin_index = plugin_index
        self.scheduler = scheduler
        self.cache = cache_server
        self.shared = base / "shared"
        self.shared.mkdir()
        self.origin = base / "origin"
        self.origin.mkdir()
        (self.origin / "zr.toml").write_text(example_project(cache_server.url, self.shared))
        (self.origin / ".gitignore").write_text("out/\n.zr/\n")
        git("init", "-q", "-b", "main", cwd=self.origin)
        git("add", ".", cwd=self.origin)
        git("commit", "-q", "-m", "example", cwd=self.origin)
        self.commit = git("rev-parse", "HEAD", cwd=self.origin)
        self.workers = {}
        self.made = 0

    def clone(self, name: str) -> Path:
        path = self.base / name
        git("clone", "-q", str(self.origin), str(path), cwd=self.base)
        return path

    def start_workers(self) -> None:
        for name in WORKER_NAMES:
            worker = Worker(name, self.clone(f"worker-{name}"), self.base / f"home-{name}",
                            self.scheduler.address, self.plugin_index,
                            resources="gpu=1" if name == "w2" else "", dask=name == DASK_WORKER)
            worker.start()
            self.workers[name] = worker

    def ensure_workers(self) -> None:
        for worker in self.workers.values():
            if not worker.running():
                worker.start()

    def checkout(self) -> ZrProject:
        """A fresh clone to run zr in, with its own ZR_HOME."""
        self.made += 1
        path = self.clone(f"run{self.made}")
        home = self.base / f"home-run{self.made}"
        if self.plugin_index.is_dir():  # a warm plugin index: zr starts faster
            shutil.copytree(self.plugin_index, home / "cache" / "plugins")
        project = ZrProject(path, home)
        project.env["ZR_EXECUTOR"] = "dask://" + self.scheduler.address[len("tcp://"):]
        return project

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, dask_scheduler, webdav_cache_server, zr_plugin_index):
    made = Cluster(tmp_path_factory.mktemp("dask-cluster"), dask_scheduler, webdav_cache_server,
                   zr_plugin_index)
    made.start_workers()
    yield made
    made.stop()


@pytest.fixture
def dask_cluster(cluster, dask_scheduler, webdav_cache_server):
    """The session's cluster with both workers up (a test may have killed one)."""
    cluster.ensure_workers()
    return cluster
