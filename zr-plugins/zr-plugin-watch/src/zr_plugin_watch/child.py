"""One iteration of the watch loop: a ``zr run`` child process.

Running each iteration as a separate ``python -m zr run ...`` keeps the
watch loop simple and robust: the child is an ordinary zr run (its own
Ctrl-C handling, its own task process groups, history, notifications),
and cancelling it is one signal. The child gets SIGTERM, which zr treats
like Ctrl-C: it interrupts every task's process group, waits
``kill_grace``, kills what is left and exits. If the child itself does not
exit in time it is killed, and any task processes it left behind (they are
re-parented to this process, a child subreaper) are killed by group and
reaped, so nothing is orphaned and nothing is stacked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading


class RunProcess:
    """A running ``zr run``; ``on_exit`` is called (from a thread) when it ends."""

    def __init__(self, argv: list, env: dict, on_exit):
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "zr", *argv], env=env, stdin=subprocess.DEVNULL,
            start_new_session=True)
        self.pid = self.popen.pid
        waiter = threading.Thread(target=self._wait, args=(on_exit,), daemon=True,
                                  name="zr watch child")
        waiter.start()

    def _wait(self, on_exit) -> None:
        self.popen.wait()
        on_exit()

    @property
    def returncode(self):
        return self.popen.poll()

    def _signal(self, sig: int) -> None:
        from zr.api import signal_group

        signal_group(self.pid, sig)

    def interrupt(self) -> None:
        """Ask the run to stop as after Ctrl-C (zr forwards it to every task)."""
        self._signal(signal.SIGTERM)

    def stop(self, grace: float) -> int:
        """Interrupt, wait up to ``grace`` seconds, then kill; always reaps."""
        if self.popen.poll() is None:
            self.interrupt()
            try:
                self.popen.wait(grace)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.popen.wait()
        kill_orphans()
        return self.popen.returncode


def become_subreaper() -> None:
    """Have orphaned task processes re-parented here rather than to init."""
    from zr.api import become_subreaper as kernel_subreaper

    kernel_subreaper()


def _children() -> list:
    """Pids whose parent is this process (Linux; empty elsewhere)."""
    from zr.api import orphan_pids

    return orphan_pids()


def kill_orphans(rounds: int = 20) -> None:
    """Kill and reap processes re-parented to us (left by a killed child).

    Each orphan's whole process group is killed, since a task's group holds
    everything the task started; a round may uncover grandchildren that
    were re-parented meanwhile, hence several rounds.
    """
    for _ in range(rounds):
        orphans = _children()
        if not orphans:
            return
        for pid in orphans:
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
