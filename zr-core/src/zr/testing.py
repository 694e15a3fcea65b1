"""pytest fixtures for testing zr and zr plugins for real (entry point ``pytest11``).

``zr_project`` gives a temporary project directory with its own ``ZR_HOME``
(so caches, history and the plugin index never touch the user's), and runs
the real ``zr`` command in it::

    def test_hello(zr_project):
        zr_project.write('''
            [tasks.hello]
            cmd = "echo hello"
        ''')
        result = zr_project.run("run", "hello")
        assert result.returncode == 0
        assert "hello" in result.stdout

``run`` starts ``zr`` as a subprocess (what a user sees, exit codes and
all); ``run_inprocess`` calls the CLI in this interpreter (faster, and
debuggable with breakpoints); ``popen`` starts it in the background (for
Ctrl-C and watch tests). ``checkouts`` makes several checkouts of one
project, each with its own ``ZR_HOME``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def zr_executable() -> str:
    """The ``zr`` script of the running interpreter's environment."""
    candidate = Path(sys.executable).parent / "zr"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("zr")
    if not found:
        raise RuntimeError("the zr command is not installed in this environment")
    return found


class Result:
    """What a zr invocation printed and returned."""

    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        return (f"Result(returncode={self.returncode}, stdout={self.stdout!r}, "
                f"stderr={self.stderr!r})")


class ZrProject:
    """A temporary project: write files, run zr, inspect results."""

    def __init__(self, path: Path, home: Path):
        self.path = path
        self.home = home
        self.env = {
            **os.environ, "ZR_HOME": str(home), "NO_COLOR": "1", "PYTHONUNBUFFERED": "1",
        }
        for var in ("ZR_CACHE_DIR", "ZR_PROFILE", "FORCE_COLOR", "CLICOLOR_FORCE"):
            self.env.pop(var, None)

    def write(self, text: str, name: str = "zr.toml") -> Path:
        """Write ``zr.toml`` (or another file), dedented."""
        return self.file(name, text)

    def file(self, name: str, text: str = "", mode: int | None = None) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        if mode is not None:
            path.chmod(mode)
        return path

    def run(self, *args: str, cwd=None, env: dict | None = None, timeout: float = 60,
            input: str | None = None) -> Result:
        """Run the real ``zr`` command and wait for it."""
        proc = subprocess.run(
            [zr_executable(), *args], cwd=cwd or self.path, env={**self.env, **(env or {})},
            capture_output=True, text=True, timeout=timeout, input=input,
            stdin=None if input is not None else subprocess.DEVNULL)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def popen(self, *args: str, cwd=None, env: dict | None = None, **kwargs):
        """Start ``zr`` in the background (own session, so it can be signalled)."""
        return subprocess.Popen(
            [zr_executable(), *args], cwd=cwd or self.path, env={**self.env, **(env or {})},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            stdin=subprocess.DEVNULL, start_new_session=True, **kwargs)

    def loaded_modules(self, *args: str, env: dict | None = None) -> set:
        """The names of the modules ``zr ARGS`` has imported when it exits,
        on its second run (the parsed zr.toml and the plugin index are then
        cached, as for a user's every run after the first): for tests that
        a plugin stays off the start-up path. (``-X importtime`` does not
        list modules imported with importlib, as zr imports plugins.)"""
        listing = self.home.parent / f"modules-{os.getpid()}.txt"
        for _ in range(2):
            proc = subprocess.run(
                [sys.executable, "-c", _LIST_LOADED_MODULES, str(listing), *args],
                cwd=self.path, env={**self.env, **(env or {})}, capture_output=True,
                text=True, timeout=300, stdin=subprocess.DEVNULL)
            if proc.returncode not in (0, 1):
                raise AssertionError(f"zr {' '.join(args)} exited {proc.returncode}: "
                                     f"{proc.stderr}")
        names = set(listing.read_text().split())
        listing.unlink()
        return names

    def run_inprocess(self, *args: str, env: dict | None = None) -> Result:
        """Call zr's CLI in this interpreter (faster than :meth:`run`, and
        breakpoints work) with its output captured.

        Output is captured at the file-descriptor level, so what zr writes
        and what its tasks' processes write (they inherit descriptors 1
        and 2) both land in the result, as with :meth:`run`.
        """
        import tempfile

        from .cli import main

        saved_env = dict(os.environ)
        saved_cwd = os.getcwd()
        sys.stdout.flush()
        sys.stderr.flush()
        saved_fds = os.dup(1), os.dup(2)
        saved_streams = sys.stdout, sys.stderr
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            # pytest (and IDEs) replace sys.stdout with objects that do not
            # write to descriptor 1: zr must see the real descriptors.
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False, buffering=1)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)
            try:
                os.environ.clear()
                os.environ.update({**self.env, **(env or {})})
                os.chdir(self.path)
                try:
                    code = main(list(args))
                except SystemExit as exc:  # click's standalone mode, sys.exit in a plugin
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None
                                                                        else 1)
            finally:
                sys.stdout.close()
                sys.stderr.close()
                sys.stdout, sys.stderr = saved_streams
                os.dup2(saved_fds[0], 1)
                os.dup2(saved_fds[1], 2)
                for fd in saved_fds:
                    os.close(fd)
                os.chdir(saved_cwd)
                os.environ.clear()
                os.environ.update(saved_env)
            captured = []
            for stream in (out, err):
                stream.seek(0)
                captured.append(stream.read().decode("utf-8", "replace"))
        return Result(code or 0, *captured)


# Runs zr's main module, then writes the name of every loaded module to argv[1].
_LIST_LOADED_MODULES = (
    "import runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "sys.argv[0] = 'zr'\n"
    "try:\n"
    "    runpy.run_module('zr', run_name='__main__')\n"
    "finally:\n"
    "    open(out, 'w').write('\\n'.join(sorted(sys.modules)))\n")


@pytest.fixture(scope="session")
def zr_plugin_index(tmp_path_factory) -> Path:
    """A warm plugin index, built once per session and copied into each
    project's home, so every test does not re-import every plugin."""
    home = tmp_path_factory.mktemp("zr-home-template")
    env = {**os.environ, "ZR_HOME": str(home)}
    env.pop("ZR_CACHE_DIR", None)
    subprocess.run([zr_executable(), "plugins"], env=env, capture_output=True,
                   stdin=subprocess.DEVNULL)
    return home / "cache" / "plugins"


@pytest.fixture
def zr_project(tmp_path, zr_plugin_index) -> ZrProject:
    """A temporary zr project with an isolated ZR_HOME."""
    project = tmp_path / "project"
    project.mkdir()
    home = tmp_path / "zr-home"
    if zr_plugin_index.is_dir():
        shutil.copytree(zr_plugin_index, home / "cache" / "plugins")
    return ZrProject(project, home)


class Checkouts:
    """Several checkouts of one project, each with its own ``ZR_HOME``, as
    two developers' machines or two CI jobs would be: for testing what they
    share (a remote cache) and what they do not (the local cache, history)::

        def test_second_checkout_restores(checkouts):
            first = checkouts.new(ZR_TOML, {"src/main.c": "int main;"})
            assert first.run("run", "build").returncode == 0
            second = checkouts.new(ZR_TOML, {"src/main.c": "int main;"})
            assert "build cached" in second.run("run", "build").stderr

    Checkout ``n`` is ``base/checkout<n>`` with ``base/home<n>``; ``base``
    itself is free for files the checkouts share (a counter, a script).
    """

    def __init__(self, base: Path, plugin_index: Path):
        self.base = base
        self.plugin_index = plugin_index
        self.made = 0

    def new(self, zr_toml: str, files: dict | None = None, *, env: dict | None = None,
            project_class=ZrProject) -> ZrProject:
        """A new checkout with this ``zr.toml`` and ``files`` (path -> text);
        ``env`` is added to its environment (a None value unsets a variable).
        ``project_class`` is :class:`ZrProject` or a subclass of it."""
        self.made += 1
        path = self.base / f"checkout{self.made}"
        home = self.base / f"home{self.made}"
        path.mkdir()
        if self.plugin_index.is_dir():
            shutil.copytree(self.plugin_index, home / "cache" / "plugins")
        project = project_class(path, home)
        for name, value in (env or {}).items():
            if value is None:
                project.env.pop(name, None)
            else:
                project.env[name] = value
        project.write(zr_toml)
        for name, text in (files or {}).items():
            project.file(name, text)
        return project

    def remove(self) -> None:
        """Delete every checkout and its home: tests of large outputs would
        otherwise leave them for pytest to keep for three sessions."""
        for index in range(1, self.made + 1):
            for name in (f"checkout{index}", f"home{index}"):
                shutil.rmtree(self.base / name, ignore_errors=True)


@pytest.fixture
def checkouts(tmp_path, zr_plugin_index):
    """A :class:`Checkouts` in the test's temporary directory, removed after it."""
    made = Checkouts(tmp_path, zr_plugin_index)
    yield made
    made.remove()


def process_gone(pid: int) -> bool:
    """True if ``pid`` is dead or a zombie (an orphan that PID 1 of a
    container does not reap still shows as a zombie: it is gone all the same)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def wait_for_file(path, timeout: float = 10.0) -> list:
    """Wait until ``path`` exists with content; its whitespace-split words."""
    import time

    path = Path(path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().split()
        time.sleep(0.02)
    raise AssertionError(f"{path} did not appear within {timeout}s")
