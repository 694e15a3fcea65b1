"""A running `zr watch` for the tests: its output collected line by line as it
arrives, waits bounded by a timeout, and Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest

WAIT = 20.0  # the most any single wait may take before the test fails


class WatchSession:
    def __init__(self, project, *args):
        self.process = project.popen("watch", *args)
        self.lines: list = []
        self._arrived = threading.Condition()
        self._readers = [threading.Thread(target=self._read, args=(stream,), daemon=True)
                         for stream in (self.process.stdout, self.process.stderr)]
        for reader in self._readers:
            reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self._arrived:
                self.lines.append(line.rstrip("\n"))
                self._arrived.notify_all()

    def count(self, text: str) -> int:
        with self._arrived:
            return sum(1 for line in self.lines if text in line)

    def wait_for(self, text: str, count: int = 1, timeout: float = WAIT) -> None:
        """Wait until ``text`` has appeared on ``count`` lines; fail after ``timeout``."""
        with self._arrived:
            if not self._arrived.wait_for(
                    lambda: sum(1 for line in self.lines if text in line) >= count
                    or self.process.poll() is not None, timeout=timeout):
                pytest.fail(f"{text!r} did not appear {count} time(s) within {timeout}s; "
                            f"output so far:\n" + "\n".join(self.lines), pytrace=False)
        if self.count(text) < count:
            pytest.fail(f"zr watch exited ({self.process.returncode}) before {text!r} "
                        "appeared; output:\n" + self.output(), pytrace=False)

    def stays(self, text: str, count: int, seconds: float) -> None:
        """Check that ``text`` does not appear more than ``count`` times in ``seconds``."""
        with self._arrived:
            self._arrived.wait_for(lambda: sum(1 for line in self.lines if text in line)
                                   > count, timeout=seconds)
        assert self.count(text) == count, self.output()

    def interrupt(self) -> int:
        """Ctrl-C, as a terminal delivers it to the foreground process."""
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail("zr watch did not exit after Ctrl-C; output:\n" + self.output(),
                        pytrace=False)
        for reader in self._readers:
            reader.join(timeout=5)
        return code

    def output(self) -> str:
        with self._arrived:
            return "\n".join(self.lines)


@pytest.fixture
def start_watch(zr_project):
    sessions = []

    def start(*args) -> WatchSession:
        session = WatchSession(zr_project, *args)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        if session.process.poll() is None:
            try:
                os.killpg(session.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            session.process.wait(timeout=10)


@pytest.fixture
def wait_dead():
    """``wait_dead(pids) -> still alive``: waits (bounded) for processes to end."""
    return _wait_dead


def is_dead(pid: int) -> bool:
    """Gone, or a zombie (PID 1 here does not reap orphans: a zombie is dead)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return True
    return stat[stat.rfind(b")") + 2:].split()[0] == b"Z"


def _wait_dead(pids, timeout: float = WAIT) -> list:
    """The pids still alive after ``timeout`` (empty when all died)."""
    deadline = time.monotonic() + timeout
    alive = [p for p in pids if not is_dead(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if not is_dead(p)]
    return alive
