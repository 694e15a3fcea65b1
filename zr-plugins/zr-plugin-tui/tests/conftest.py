"""A real terminal for the tests: a tmux server on a private socket per test,
120x40, running ``sh`` in the test's project, with every byte the pane
receives recorded (``pipe-pane``). Tests type with ``send-keys`` and read the
screen with ``capture-pane``, as a user would see it.

tmux comes from Debian (scripts/install-test-services.sh installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid

import pytest

from zr.testing import zr_executable

WAIT = 20.0  # seconds a test waits for the screen before it fails
SHELL_LIFETIME = 900  # seconds


class Terminal:
    """One tmux session: ``type``, ``keys``, ``screen``, ``wait_for``."""

    def __init__(self, cwd, env: dict, log_path):
        self.socket = f"zr-tui-{uuid.uuid4().hex[:10]}"
        self.log_path = log_path
        self.env = env
        bin_dir = os.path.dirname(zr_executable())
        env = {**env, "PATH": bin_dir + os.pathsep + env.get("PATH", ""), "PS1": "$ ",
               "ENV": "", "TERM": "xterm-256color"}
        # The shell ends itself after SHELL_LIFETIME, and the server with it,
        # even if this test process is killed before it can kill the server.
        self._tmux("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40",
                   "-c", str(cwd), f"timeout {SHELL_LIFETIME} sh", env=env)
        self._tmux("set-option", "-g", "history-limit", "1000")
        self._tmux("pipe-pane", "-o", f"cat >> {log_path}")
        self.wait_for(lambda screen: screen.strip())  # the prompt

    def _tmux(self, *args, env=None) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], env=env or self.env,
                              capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def type(self, text: str, enter: bool = True) -> None:
        self._tmux("send-keys", "-l", text)
        if enter:
            self._tmux("send-keys", "Enter")

    def keys(self, *names: str) -> None:
        """tmux key names: ``Up``, ``Enter``, ``C-c``, ``Escape``, ``q``..."""
        self._tmux("send-keys", *names)

    def screen(self, escapes: bool = False) -> str:
        return self._tmux("capture-pane", "-p", *(["-e"] if escapes else []))

    def flag(self, name: str) -> str:
        """A tmux format of the pane: ``alternate_on``, ``cursor_flag``..."""
        return self._tmux("display-message", "-p", f"#{{{name}}}").strip()

    def recorded(self, until, timeout: float = WAIT) -> bytes:
        """Every byte written to the terminal so far, read once the log holds
        ``until`` (bytes to find or a bytes regex). tmux hands the pane's
        output to a ``cat`` that appends it to the log, and on a loaded
        machine that ``cat`` can lag behind the screen: waiting for the last
        bytes a check depends on makes sure everything before them is there."""
        if isinstance(until, bytes):
            found = lambda log: until in log  # noqa: E731
        else:
            found = lambda log: until.search(log) is not None  # noqa: E731
        deadline = time.monotonic() + timeout
        while True:
            try:
                log = self.log_path.read_bytes()
            except FileNotFoundError:
                log = b""
            if found(log):
                return log
            if time.monotonic() > deadline:
                raise AssertionError(f"the terminal's log never held {until!r}; "
                                     f"it ends with:\n{log[-2000:]!r}")
            time.sleep(0.05)

    def resize(self, columns: int, rows: int) -> None:
        self._tmux("resize-window", "-x", str(columns), "-y", str(rows))

    def wait_for(self, condition, timeout: float = WAIT, escapes: bool = False) -> str:
        """Poll the screen until ``condition`` (a string to find, a regex or a
        predicate on the screen text) holds; the screen then (with its
        escape sequences when ``escapes``)."""
        if isinstance(condition, str):
            text = condition
            condition = lambda screen: text in screen  # noqa: E731
        elif isinstance(condition, re.Pattern):
            pattern = condition
            condition = lambda screen: pattern.search(screen) is not None  # noqa: E731
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(escapes=escapes)
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"the terminal never showed what was expected; "
                                     f"it shows:\n{screen}")
            time.sleep(0.05)

    def run(self, command: str) -> int:
        """Type ``command``, wait for it to end; its exit status."""
        marker = uuid.uuid4().hex[:8]
        self.type(f"{command}; echo EXIT-{marker}=$?")
        screen = self.wait_for(re.compile(rf"^EXIT-{marker}=\d+", re.MULTILINE))
        return int(re.search(rf"^EXIT-{marker}=(\d+)", screen, re.MULTILINE).group(1))

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       timeout=30)


@pytest.fixture
def terminal(zr_project, tmp_path):
    """A 120x40 terminal running ``sh`` in ``zr_project``'s directory, with its
    environment (isolated ZR_HOME, NO_COLOR, CI unset)."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: run scripts/install-test-services.sh")
    env = {k: v for k, v in zr_project.env.items() if k not in ("CI", "ZR_PROGRESS")}
    term = Terminal(zr_project.path, env, tmp_path / "terminal.log")
    yield term
    term.close()


@pytest.fixture
def ps_state():
    """``ps_state(pid)``: the ``ps`` state letter of a process (``T`` stopped,
    ``S`` sleeping, ``R`` running...), ``""`` when it is gone."""
    def state(pid: int) -> str:
        done = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True,
                              text=True)
        return done.stdout.strip()[:1]

    return state
