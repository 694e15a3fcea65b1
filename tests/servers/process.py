"""One real server program under test control: start, wait until it answers, stop by pid.

Every service fixture runs its server through `ServerProcess`, so starting,
readiness, log capture and shutdown behave the same for moto, azurite, nginx
and the rest. A server that does not come up fails the test with the reason
and the server's own log, never a skip: a backend test that silently does not
run would hide a broken backend.
"""

from __future__ import annotations

import ctypes
import http.client
import os
import random
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Mapping, Optional, Sequence

import pytest

READY_DEADLINE_SECONDS = 60.0
READY_POLL_SECONDS = 0.05
LOG_TAIL_CHARS = 6000

# Requests to our own loopback servers must never go through a proxy that the
# environment may configure for the package registries.
_direct_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now.

    Chosen below the kernel's ephemeral range: a port the kernel hands out
    for ``bind(0)`` can be handed out again, between this check and the
    server's own bind, as the local port of any outgoing connection (the
    tests open many), which made a server fail with "Address already in
    use" now and then. Ports below that range are only ever taken by
    someone binding them by number.
    """
    low = _ephemeral_range_start()
    if low > 11000:
        for _ in range(200):
            port = random.randrange(low - 10000, low)
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ephemeral_range_start() -> int:
    """The first port of the kernel's ephemeral range (Linux), else 0."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as fh:
            return int(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def http_request(
    method: str,
    url: str,
    body: Optional[bytes] = None,
    headers: Optional[Mapping[str, str]] = None,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    """Send one HTTP request and return (status, body), error statuses included."""
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    try:
        with _direct_opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def http_answers(url: str) -> bool:
    """True once something at `url` answers HTTP at all, whatever the status."""
    try:
        http_request("GET", url, timeout=2.0)
    except (OSError, http.client.HTTPException):
        return False
    return True


def _die_with_parent() -> None:
    """Runs in the child before exec: a crashed test run must not leave servers behind."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


class ServerProcess:
    """A server program bound to a fixed port, restartable, stopped by its pid.

    The program runs in its own process group (so anything it forks stops
    with it), dies with the test process, writes stdout and stderr to a log
    file in `workdir`, and counts as ready when `ready_url` answers HTTP.
    """

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        workdir: Path,
        ready_url: str,
        env: Optional[Mapping[str, str]] = None,
        stop_grace_seconds: float = 5.0,
    ) -> None:
        self.name = name
        self.command = [str(part) for part in command]
        self.workdir = Path(workdir)
        self.ready_url = ready_url
        self.env = {**os.environ, **(env or {})}
        self.stop_grace_seconds = stop_grace_seconds
        self.log_path = self.workdir / f"{name}.log"
        self._popen: Optional[subprocess.Popen] = None

    @property
    def pid(self) -> Optional[int]:
        """The server's pid while it runs (also its process-group id)."""
        return self._popen.pid if self.is_running() else None

    def is_running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def start(self) -> None:
        """Start the program and return once it answers; fail the test otherwise."""
        if self.is_running():
            return
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"--- starting: {shlex.join(self.command)}\n".encode())
            log.flush()
            try:
                self._popen = subprocess.Popen(
                    self.command,
                    cwd=self.workdir,
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
            except OSError as error:
                pytest.fail(f"{self.name} could not be started: {error}", pytrace=False)
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_DEADLINE_SECONDS
        while not http_answers(self.ready_url):
            exit_code = self._popen.poll()
            if exit_code is not None:
                self.fail(f"exited with code {exit_code} before answering on {self.ready_url}")
            if time.monotonic() > deadline:
                self.kill()
                self.fail(f"did not answer on {self.ready_url} within {READY_DEADLINE_SECONDS:.0f} s")
            time.sleep(READY_POLL_SECONDS)

    def fail(self, reason: str) -> None:
        """Fail the current test with `reason`, the command line and the server's log."""
        pytest.fail(
            f"{self.name} {reason}\n"
            f"command: {shlex.join(self.command)}\n"
            f"--- end of {self.log_path} ---\n{self.log_tail()}",
            pytrace=False,
        )

    def log_tail(self) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log written)"
        return text[-LOG_TAIL_CHARS:]

    def stop(self) -> None:
        """SIGTERM the process group; SIGKILL it if it has not exited after the grace period."""
        if not self.is_running():
            return
        self._signal_group(signal.SIGTERM)
        try:
            self._popen.wait(timeout=self.stop_grace_seconds)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the process group at once, as a crash would (for fault tests)."""
        if self._popen is None:
            return
        self._signal_group(signal.SIGKILL)
        self._popen.wait()

    def restart(self) -> None:
        """Stop and start again on the same port."""
        self.stop()
        self.start()

    def _signal_group(self, signum: int) -> None:
        try:
            os.killpg(self._popen.pid, signum)
        except ProcessLookupError:
            pass
