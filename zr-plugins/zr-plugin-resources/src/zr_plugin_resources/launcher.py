"""The process that runs one limited command: ``python -m
zr_plugin_resources.launcher [--memory BYTES] [--cpu CORES] [--monitor] --
ARGV...``.

It puts the command in a cgroup of its own with the limits (the kernel
enforces them, counting every process the command starts), or, where no
cgroup can be made (or ``--monitor`` asks for it), samples the command's
whole process tree with psutil, kills the tree past the memory limit and
throttles it (SIGSTOP/SIGCONT) past the CPU limit. When the command ends it
removes the cgroup, leaves a report for zr (mechanism, peak memory, CPU
time, whether the memory limit killed it; see :mod:`.reports`) and ends
the way the command ended: same exit status, or the same signal.

It is kept to the standard library on the cgroup path, so a limited
command costs one Python start more, not an import of psutil.
"""

from __future__ import annotations

import os
import signal
import sys
import time

USAGE = "usage: python -m zr_plugin_resources.launcher [--memory BYTES] [--cpu CORES] " \
        "[--monitor] -- ARGV..."
SAMPLE_SECONDS = 0.05


def parse(argv: list) -> tuple:
    memory, cpu, monitor = None, None, False
    i = 0
    while i < len(argv) and argv[i] != "--":
        if argv[i] == "--memory" and i + 1 < len(argv):
            memory = int(argv[i + 1])
            i += 2
        elif argv[i] == "--cpu" and i + 1 < len(argv):
            cpu = float(argv[i + 1])
            i += 2
        elif argv[i] == "--monitor":
            monitor = True
            i += 1
        else:
            raise SystemExit(USAGE)
    command = argv[i + 1:]
    if not command:
        raise SystemExit(USAGE)
    return memory, cpu, monitor, command


def main(argv: list | None = None) -> None:
    memory, cpu, force_monitor, command = parse(sys.argv[1:] if argv is None else argv)
    # zr signals the whole process group; the command gets the signal
    # itself. The launcher outlives it to clean up (a handler, unlike
    # SIG_IGN, is not inherited by the command).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _note_signal)
    group, why_not = None, ""
    if os.environ.get("ZR_RESOURCES_CGROUPS", "1") == "0":
        why_not = "turned off by ZR_RESOURCES_CGROUPS=0"
    elif not force_monitor:
        from . import cgroups

        try:
            group = cgroups.create(f"{cgroups.PREFIX}{os.getpid()}-{time.monotonic_ns()}",
                                   memory=bool(memory), cpu=bool(cpu))
            group.limit(memory, cpu)
        except (cgroups.Unavailable, OSError) as exc:
            if group is not None:
                group.remove()
            group, why_not = None, str(exc)
    started = time.monotonic()
    pid = _spawn(command, group.join_files() if group else [])
    if group is not None:
        status, usage = _wait_in_group(pid, group, memory)
        report = _cgroup_report(group, memory)
        group.remove()
    else:
        from .monitor import TreeMonitor

        status, usage, report = TreeMonitor(pid, memory, cpu).run(_wait_nohang)
        report["mechanism"] = "monitor"
        if why_not:
            report["cgroup_unavailable"] = why_not
    report.update(memory_limit=memory, cpu_limit=cpu, wall_seconds=time.monotonic() - started)
    report["peak_rss"] = max(report.get("peak_rss") or 0, usage.ru_maxrss * 1024)
    if report.get("cpu_seconds") is None:
        report["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    _leave_report(report)
    _exit_like(status)


def _note_signal(signum, frame) -> None:
    pass


def _spawn(command: list, join_files: list) -> int:
    pid = os.fork()
    if pid == 0:  # the command: join the cgroup, then become it
        try:
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_DFL)
            for procs in join_files:
                with open(procs, "w") as fh:
                    fh.write(str(os.getpid()))
            os.execvp(command[0], command)
        except OSError as exc:
            os.write(2, f"zr: cannot run {command[0]!r}: {exc.strerror}\n".encode())
            os._exit(127 if isinstance(exc, (FileNotFoundError, PermissionError)) else 126)
        finally:
            os._exit(126)
    return pid


def _wait(pid: int) -> tuple:
    while True:
        try:
            _, status, usage = os.wait4(pid, 0)
            return status, usage
        except InterruptedError:
            continue


def _wait_nohang(pid: int):
    _, status, usage = os.wait4(pid, os.WNOHANG)
    return (status, usage) if _ else None


def _wait_in_group(pid: int, group, memory) -> tuple:
    """Wait for the command. When the kernel's OOM killer kills any process
    in the group (a shell's child, a grandchild), the whole group is
    stopped: a task past its memory limit fails as a whole, as with the
    monitor (cgroup v2 does this itself with ``memory.oom.group``)."""
    watch = group.oom_watch() if memory else None
    if watch is None:
        return _wait(pid)
    import select

    exited = os.pidfd_open(pid)
    try:
        while True:
            ready, _, _ = select.select([exited, watch], [], [])
            if exited in ready:
                return _wait(pid)
            os.read(watch, 8)
            if group.oom_killed():
                group.kill_all()
                return _wait(pid)
    finally:
        os.close(exited)
        os.close(watch)


def _cgroup_report(group, memory) -> dict:
    killed = bool(memory) and group.oom_killed()
    return {"mechanism": group.kind, "peak_rss": group.peak_memory(),
            "cpu_seconds": group.cpu_seconds(), "killed_for": "memory" if killed else None}


def _leave_report(report: dict) -> None:
    from . import reports

    task = os.environ.get("ZR_TASK")
    if task:
        try:
            reports.write(reports.task_dir(os.getppid(), task), report)
        except OSError:
            pass  # a report is information; the command's outcome stands


def _exit_like(status: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        if signum not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        time.sleep(1)  # a signal the process cannot receive: fall through
        os._exit(128 + signum)
    os._exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
