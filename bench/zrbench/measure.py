"""Run a command and measure it: wall time, CPU time, and peak RSS of its largest process and of its tree.

Processes are started with ``os.posix_spawn`` and reaped with ``os.wait4``,
the leanest way Python has, so the harness adds as little as possible to a
10 ms start-up. ``wait4`` also gives the CPU time (user + system) of the
runner and of every descendant it waited for (its tasks): a busy machine
stretches wall time while one runner waits for a core, much less the CPU
time each spends, so the CPU time says what a runner costs when the wall
times are noisy.

Memory is sampled from ``/proc`` every ``SAMPLE_INTERVAL`` seconds (Linux),
on the warm-up run only, since sampling costs CPU a timed run should not
pay. Each sample walks the runner's process tree (parent links from
``/proc/*/stat``) and reads every member's ``/proc/PID/status``:

- ``rss_max_kib``: the largest ``VmHWM`` (the kernel's own high-water mark
  of resident memory) of any single process of the tree: for zr, zr itself;
- ``tree_peak_kib``: the largest sum of ``VmRSS`` over the whole tree.

``wait4``'s ``ru_maxrss`` is not used: it also counts the memory of the
spawning process as it was before ``exec``, that is the harness's own.
"""

from __future__ import annotations

import os
import signal
import statistics
import threading
import time
from dataclasses import dataclass, field

SAMPLE_INTERVAL = 0.005


@dataclass
class Sample:
    wall: float
    returncode: int
    cpu: float | None = None
    rss_max_kib: int | None = None
    tree_peak_kib: int | None = None
    timed_out: bool = False
    stderr_tail: str = ""


@dataclass
class Measurement:
    """The timed runs of one command (warm-up excluded) and its memory figures."""

    walls: list = field(default_factory=list)
    cpus: list = field(default_factory=list)
    rss_max_kib: int | None = None
    tree_peak_kib: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def best(self) -> float:
        return min(self.walls)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpus) if self.cpus else None


class RunFailed(Exception):
    """A run exited non-zero or timed out (message: what and the end of its stderr)."""


def spawn_and_wait(argv, cwd: str, env: dict, timeout: float | None = None,
                   sample_tree: bool = False) -> Sample:
    """Run ``argv`` in ``cwd`` with stdout to /dev/null and stderr kept for a failure message."""
    stderr_path = os.path.join(cwd, ".bench-stderr")
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    previous_cwd = os.getcwd()
    os.chdir(cwd)  # posix_spawn has no cwd argument before Python 3.13
    try:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setsid=True)
    finally:
        os.chdir(previous_cwd)
    killer = TimeoutKiller(pid, timeout) if timeout else None
    sampler = TreeSampler(pid) if sample_tree else None
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if killer:
        killer.cancel()
    process_peak, tree_peak = sampler.stop() if sampler else (None, None)
    returncode = os.waitstatus_to_exitcode(status)
    tail = ""
    if returncode != 0:
        with open(stderr_path, "rb") as fh:
            tail = fh.read()[-2000:].decode("utf-8", "replace").strip()
    return Sample(wall, returncode, usage.ru_utime + usage.ru_stime, process_peak, tree_peak,
                  bool(killer and killer.fired), tail)


class TimeoutKiller:
    """Kills the command's process group if it outlives ``timeout`` seconds."""

    def __init__(self, pid: int, timeout: float):
        self.pid, self.fired = pid, False
        self.timer = threading.Timer(timeout, self.fire)
        self.timer.daemon = True
        self.timer.start()

    def fire(self):
        self.fired = True
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def cancel(self):
        self.timer.cancel()


class TreeSampler:
    """Samples a process tree's memory from /proc in a thread until :meth:`stop`."""

    def __init__(self, pid: int):
        self.pid, self.tree_peak, self.process_peak = pid, 0, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.done.is_set():
            total, seen = 0, {}
            for pid, parent in tree_pids(self.pid):
                memory = seen[pid] = status_memory(pid)
                self.process_peak = max(self.process_peak, memory.hwm)
                if not memory.same_image(seen.get(parent)):
                    total += memory.rss
            self.tree_peak = max(self.tree_peak, total)
            self.done.wait(SAMPLE_INTERVAL)

    def stop(self) -> tuple:
        self.done.set()
        self.thread.join()
        return self.process_peak, self.tree_peak


def parent_map() -> dict:
    """``{pid: parent pid}`` of every process, from /proc/*/stat."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name (field 2) may contain spaces: fields after its ')' are fixed
        parents[int(entry)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    return parents


def tree_pids(root: int) -> list:
    """``[(pid, parent pid)]`` of ``root`` and its descendants, parents before children."""
    children = {}
    for pid, parent in parent_map().items():
        children.setdefault(parent, []).append(pid)
    pairs, stack = [], [(root, None)]
    while stack:
        pid, parent = stack.pop()
        pairs.append((pid, parent))
        stack.extend((child, pid) for child in children.get(pid, ()))
    return pairs


@dataclass
class Memory:
    """One process's memory (KiB) and executable, read from /proc."""

    rss: int = 0
    hwm: int = 0
    size: int = 0
    exe: str = ""

    def same_image(self, parent: "Memory | None") -> bool:
        """A child between fork and exec: its pages are its parent's, already counted.

        (With vfork it even shares its parent's address space, so its VmRSS
        is the parent's.)
        """
        return parent is not None and self.exe == parent.exe and self.size == parent.size


def status_memory(pid: int) -> Memory:
    """Memory of ``pid``; zeros once it has exited."""
    memory = Memory()
    fields = {b"VmRSS": "rss", b"VmHWM": "hwm", b"VmSize": "size"}
    try:
        memory.exe = os.readlink(f"/proc/{pid}/exe")
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                name = fields.get(line.split(b":", 1)[0])
                if name:
                    setattr(memory, name, int(line.split()[1]))
    except (OSError, ValueError):
        pass
    return memory


def can_sample() -> bool:
    return os.path.exists(f"/proc/{os.getpid()}/status")


@dataclass
class Job:
    """One command to measure, and what became of it."""

    argv: list
    cwd: str
    result: Measurement = field(default_factory=Measurement)
    failure: str = ""


def measure_interleaved(jobs, env: dict, repeat: int, warmup: int = 1,
                        timeout: float | None = None, log=None) -> list:
    """Warm every job up, then time ``repeat`` rounds of one run per job.

    Round-robin rather than job after job: on a shared machine the load
    drifts, and interleaving spreads that drift over every runner instead
    of skewing the ratios. The first warm-up run of each job samples its
    memory. A job whose run fails or times out gets no further runs and
    keeps its ``failure``.
    """
    sample_tree = can_sample() and warmup > 0
    for job in jobs:
        if log:
            log(f"    warm-up: {' '.join(map(str, job.argv))}")
        for index in range(warmup):
            if not run_into(job, env, timeout, sample_tree and index == 0, timed=False):
                break
    for _ in range(repeat):
        for job in jobs:
            if not job.failure:
                run_into(job, env, timeout, False, timed=True)
    return jobs


def run_into(job: Job, env: dict, timeout, sample_tree: bool, timed: bool) -> bool:
    sample = spawn_and_wait(job.argv, job.cwd, env, timeout=timeout, sample_tree=sample_tree)
    try:
        check(sample, timeout)
    except RunFailed as exc:
        job.failure = str(exc)
        return False
    if sample.tree_peak_kib is not None:
        job.result.rss_max_kib, job.result.tree_peak_kib = sample.rss_max_kib, sample.tree_peak_kib
    if timed:
        job.result.walls.append(sample.wall)
        job.result.cpus.append(sample.cpu)
    return True


def check(sample: Sample, timeout) -> None:
    if sample.timed_out:
        raise RunFailed(f"timed out after {timeout:g} s")
    if sample.returncode != 0:
        detail = sample.stderr_tail.splitlines()[-3:] if sample.stderr_tail else []
        raise RunFailed(f"exit {sample.returncode}" + (": " + " / ".join(detail) if detail else ""))
