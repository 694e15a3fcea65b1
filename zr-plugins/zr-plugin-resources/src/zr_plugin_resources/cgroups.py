"""One cgroup per limited command: create, limit, join, measure, remove.

Where zr may create cgroups decides which kind is used: cgroup v2 when the
unified hierarchy delegates the ``memory`` and ``cpu`` controllers to the
cgroup zr runs in, else cgroup v1 when the ``memory`` (and ``cpu``)
hierarchies are writable. Each group is made below the caller's own cgroup
(as systemd's delegation expects), named ``zr-<pid>-<n>`` so a group left
by a launcher that was SIGKILLed is recognised and removed by the next one.
"""

from __future__ import annotations

import os
import signal
import time

ROOT = "/sys/fs/cgroup"
PREFIX = "zr-"


class Unavailable(Exception):
    """No cgroup can be created here (read-only, not mounted, not delegated)."""


def _own_paths() -> dict:
    """``{controller or "": path inside its hierarchy}`` from /proc/self/cgroup."""
    paths = {}
    with open("/proc/self/cgroup") as fh:
        for line in fh:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in (controllers.split(",") if controllers else [""]):
                paths[controller] = path
    return paths


def _write(path: str, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


def _read(path: str) -> str:
    with open(path) as fh:
        return fh.read()


class CgroupV1:
    """Limits in the v1 ``memory`` and ``cpu`` hierarchies (``cpuacct`` for
    the CPU time when it is mounted)."""

    kind = "cgroup v1"

    def __init__(self, dirs: dict):
        self.dirs = dirs  # controller -> directory of this group

    @classmethod
    def create(cls, name: str, controllers: list) -> "CgroupV1":
        own = _own_paths()
        dirs = {}
        try:
            for controller in controllers + ["cpuacct"]:
                base = os.path.join(ROOT, controller)
                if controller == "cpuacct" and not os.path.isdir(base):
                    continue
                if not os.path.isfile(os.path.join(base, "cgroup.procs")):
                    raise Unavailable(f"the cgroup v1 {controller} controller is not mounted")
                parent = os.path.join(base, own.get(controller, "/").lstrip("/"))
                remove_stale(parent)
                path = os.path.join(parent, name)
                os.mkdir(path)
                dirs[controller] = path
        except OSError as exc:
            cls(dirs).remove()
            raise Unavailable(f"cannot create a cgroup ({exc.strerror})") from None
        except Unavailable:
            cls(dirs).remove()
            raise
        return cls(dirs)

    def limit(self, memory: int | None, cpu: float | None) -> None:
        if memory:
            folder = self.dirs["memory"]
            _write(os.path.join(folder, "memory.limit_in_bytes"), str(memory))
            swap = os.path.join(folder, "memory.memsw.limit_in_bytes")
            if os.path.exists(swap):  # no escape into swap
                try:
                    _write(swap, str(memory))
                except OSError:
                    pass
        if cpu:
            folder = self.dirs["cpu"]
            _write(os.path.join(folder, "cpu.cfs_period_us"), "100000")
            _write(os.path.join(folder, "cpu.cfs_quota_us"), str(max(1000, int(cpu * 100000))))

    def join_files(self) -> list:
        return [os.path.join(d, "cgroup.procs") for d in self.dirs.values()]

    def peak_memory(self) -> int | None:
        folder = self.dirs.get("memory")
        if folder is None:
            return None
        return int(_read(os.path.join(folder, "memory.max_usage_in_bytes")))

    def oom_killed(self) -> bool:
        folder = self.dirs.get("memory")
        if folder is None:
            return False
        for line in _read(os.path.join(folder, "memory.oom_control")).splitlines():
            key, _, value = line.partition(" ")
            if key == "oom_kill" and int(value) > 0:
                return True
        return int(_read(os.path.join(folder, "memory.failcnt"))) > 0 and \
            self.peak_memory() >= int(_read(os.path.join(folder, "memory.limit_in_bytes")))

    def oom_watch(self) -> int | None:
        """An eventfd that becomes readable on an OOM event in the group
        (v1's ``cgroup.event_control``), or None where that is refused."""
        folder = self.dirs.get("memory")
        if folder is None or not hasattr(os, "eventfd"):
            return None
        efd = os.eventfd(0, os.EFD_CLOEXEC)
        control = os.open(os.path.join(folder, "memory.oom_control"), os.O_RDONLY | os.O_CLOEXEC)
        try:
            _write(os.path.join(folder, "cgroup.event_control"), f"{efd} {control}")
        except OSError:
            os.close(efd)
            return None
        finally:
            os.close(control)
        return efd

    def kill_all(self) -> None:
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def cpu_seconds(self) -> float | None:
        folder = self.dirs.get("cpuacct")
        if folder is None:
            return None
        return int(_read(os.path.join(folder, "cpuacct.usage"))) / 1e9

    def pids(self) -> list:
        found = set()
        for procs in self.join_files():
            try:
                found.update(int(p) for p in _read(procs).split())
            except OSError:
                pass
        return sorted(found)

    def remove(self) -> None:
        _empty_and_remove(self, list(self.dirs.values()))


class CgroupV2:
    """Limits in the unified hierarchy, where ``memory`` and ``cpu`` are
    delegated to the caller's cgroup."""

    kind = "cgroup v2"

    def __init__(self, path: str | None):
        self.dirs = {"": path} if path else {}
        self.path = path

    @classmethod
    def create(cls, name: str, controllers: list) -> "CgroupV2":
        own = _own_paths().get("")
        mount = ROOT if os.path.isfile(os.path.join(ROOT, "cgroup.controllers")) \
            else os.path.join(ROOT, "unified")
        if own is None or not os.path.isfile(os.path.join(mount, "cgroup.controllers")):
            raise Unavailable("cgroup v2 is not mounted")
        parent = os.path.join(mount, own.lstrip("/"))
        try:
            enabled = _read(os.path.join(parent, "cgroup.subtree_control")).split()
        except OSError:
            raise Unavailable("cgroup v2: cannot read the delegated controllers") from None
        missing = [c for c in controllers if c not in enabled]
        if missing:
            raise Unavailable(f"cgroup v2 does not delegate {', '.join(missing)} here")
        remove_stale(parent)
        path = os.path.join(parent, name)
        try:
            os.mkdir(path)
        except OSError as exc:
            raise Unavailable(f"cannot create a cgroup ({exc.strerror})") from None
        return cls(path)

    def limit(self, memory: int | None, cpu: float | None) -> None:
        if memory:
            _write(os.path.join(self.path, "memory.max"), str(memory))
            try:  # an OOM kill stops every process of the task, not just one
                _write(os.path.join(self.path, "memory.oom.group"), "1")
            except OSError:
                pass
            try:
                _write(os.path.join(self.path, "memory.swap.max"), "0")
            except OSError:
                pass
        if cpu:
            _write(os.path.join(self.path, "cpu.max"), f"{max(1000, int(cpu * 100000))} 100000")

    def join_files(self) -> list:
        return [os.path.join(self.path, "cgroup.procs")]

    def oom_watch(self) -> None:
        return None  # memory.oom.group already stops the whole group

    def kill_all(self) -> None:
        _write(os.path.join(self.path, "cgroup.kill"), "1")

    def peak_memory(self) -> int | None:
        try:
            return int(_read(os.path.join(self.path, "memory.peak")))
        except OSError:
            return None

    def oom_killed(self) -> bool:
        try:
            events = _read(os.path.join(self.path, "memory.events"))
        except OSError:
            return False
        return any(line.split()[0] == "oom_kill" and int(line.split()[1]) > 0
                   for line in events.splitlines() if line.strip())

    def cpu_seconds(self) -> float | None:
        for line in _read(os.path.join(self.path, "cpu.stat")).splitlines():
            key, _, value = line.partition(" ")
            if key == "usage_usec":
                return int(value) / 1e6
        return None

    def pids(self) -> list:
        try:
            return sorted(int(p) for p in _read(self.join_files()[0]).split())
        except OSError:
            return []

    def remove(self) -> None:
        _empty_and_remove(self, [self.path] if self.path else [])


def create(name: str, *, memory: bool, cpu: bool):
    """A cgroup with the controllers the limits need: v2 first, then v1.
    Raises :class:`Unavailable` with the reason when neither works."""
    controllers = [c for c, wanted in (("memory", memory), ("cpu", cpu)) if wanted]
    reasons = []
    for kind in (CgroupV2, CgroupV1):
        try:
            return kind.create(name, controllers)
        except Unavailable as exc:
            reasons.append(f"{kind.kind}: {exc}")
    raise Unavailable("; ".join(reasons))


def _empty_and_remove(group, dirs: list) -> None:
    """Kill what is left in the group (a daemon the command left behind),
    wait for it to leave, remove the directories."""
    deadline = time.monotonic() + 5.0
    while group.pids() and time.monotonic() < deadline:
        for pid in group.pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.01)
    for folder in dirs:
        for _ in range(100):
            try:
                os.rmdir(folder)
                break
            except FileNotFoundError:
                break
            except OSError:  # EBUSY until the kernel has let the last task go
                time.sleep(0.01)


def remove_stale(parent: str) -> None:
    """Remove empty ``zr-<pid>-*`` groups whose launcher is gone (it was
    SIGKILLed before it could clean up)."""
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        if not name.startswith(PREFIX):
            continue
        try:
            owner = int(name[len(PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if owner == os.getpid() or _alive(owner):
            continue
        try:
            os.rmdir(os.path.join(parent, name))
        except OSError:
            pass  # still has tasks: its owner's successor removes it later


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False
