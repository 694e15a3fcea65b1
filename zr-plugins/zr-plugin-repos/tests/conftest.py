"""Upstream repositories with real history, and a workspace to sync them into.

``upstreams`` makes bare repositories under a directory a real git server
serves (or any directory, for ``file://``), each with a work clone to add
commits from, as another developer would push them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
           "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}

# Five repositories and who depends on whom (cli and util are independent roots).
FIVE = {"core": [], "util": [], "api": ["core", "util"], "web": ["api"], "cli": ["core"]}

# Each repo's build writes when it started and ended, and sleeps in between.
# A repo whose file LOG-partners/NAME (written by a test that checks overlap)
# names a partner first waits, at most 20 s, for that partner to start:
# overlapping is then certain when allowed, whatever the machine's load.
BUILD_TOML = """\
[tasks.build]
cmd = "{python} {stamp} {log} {name}"
"""

STAMP_SCRIPT = """\
import os, sys, time
log, name = sys.argv[1], sys.argv[2]
with open(f"{log}/{name}.start", "w") as fh:
    fh.write(repr(time.time()))
try:
    with open(f"{log}-partners/{name}") as fh:
        partner = fh.read().strip()
except FileNotFoundError:
    partner = None
deadline = time.time() + 20
while partner and not os.path.exists(f"{log}/{partner}.start") and time.time() < deadline:
    time.sleep(0.02)
time.sleep(1.5)
with open(f"{log}/{name}.end", "w") as fh:
    fh.write(repr(time.time()))
"""


def git(*args, cwd=None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True)
    assert proc.returncode == 0, f"git {' '.join(args)} failed: {proc.stderr}"
    return proc.stdout


class Upstream:
    """One bare repository plus a work clone that commits and pushes to it."""

    def __init__(self, bare: Path, work: Path):
        self.bare = bare
        self.work = work

    def commit(self, name: str, text: str, message: str = "change") -> str:
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        git("add", name, cwd=self.work)
        git("commit", "-q", "-m", message, cwd=self.work)
        git("push", "-q", "origin", "HEAD", cwd=self.work)
        return git("rev-parse", "HEAD", cwd=self.work).strip()

    def head(self) -> str:
        return git("rev-parse", "HEAD", cwd=self.work).strip()


def make_upstream(bare_dir: Path, work_dir: Path, name: str, files: dict) -> Upstream:
    """A repository with two commits of history on ``main``, pushed to a bare copy."""
    work = work_dir / name
    work.mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=work)
    (work / "README").write_text(f"{name}\n")
    git("add", "README", cwd=work)
    git("commit", "-q", "-m", f"{name}: start", cwd=work)
    for path, text in files.items():
        (work / path).write_text(text)
    git("add", "-A", cwd=work)
    git("commit", "-q", "--allow-empty", "-m", f"{name}: files", cwd=work)
    bare = bare_dir / f"{name}.git"
    git("clone", "-q", "--bare", str(work), str(bare))
    git("remote", "add", "origin", str(bare), cwd=work)
    git("fetch", "-q", "origin", cwd=work)
    git("branch", "-q", "-u", "origin/main", cwd=work)
    return Upstream(bare, work)


@pytest.fixture
def stamp_dir(tmp_path) -> Path:
    path = tmp_path / "stamps"
    path.mkdir()
    return path


@pytest.fixture
def five_upstreams(tmp_path, stamp_dir):
    """Factory: the five repositories under ``bare_dir``, each with a zr.toml
    whose ``build`` writes start/end stamps into ``stamp_dir``."""
    script = tmp_path / "stamp.py"
    script.write_text(STAMP_SCRIPT)

    def make(bare_dir: Path, names=tuple(FIVE)) -> dict:
        work_dir = tmp_path / "upstream-work"
        out = {}
        for name in names:
            toml = BUILD_TOML.format(python=sys.executable, stamp=script, log=stamp_dir, name=name)
            out[name] = make_upstream(bare_dir, work_dir, name, {"zr.toml": toml})
        return out

    return make


@pytest.fixture
def synced_five(zr_project, five_upstreams, tmp_path):
    """The five repos over file://, synced into the test's project with
    ``zr repo sync``; their upstreams by name."""
    bare_dir = tmp_path / "bare"
    bare_dir.mkdir()
    ups = five_upstreams(bare_dir)
    zr_project.write(manifest_text({n: up.bare.as_uri() for n, up in ups.items()}),
                     "zr-repos.toml")
    result = zr_project.run("repo", "sync")
    assert result.returncode == 0, result.output
    return ups


def manifest_text(urls: dict, deps=FIVE, extra: dict | None = None) -> str:
    """A zr-repos.toml for ``urls`` (name -> url) with ``deps``."""
    parts = ['[workspace]\nname = "acme"\nroot = "src"\n']
    for name, url in urls.items():
        lines = [f"[repos.{name}]", f'url = "{url}"', 'branch = "main"']
        if deps.get(name):
            lines.append("deps = [" + ", ".join(f'"{d}"' for d in deps[name]) + "]")
        lines.extend((extra or {}).get(name, []))
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def kit():
    """The helpers above, for test modules (which cannot import conftest)."""
    import types

    return types.SimpleNamespace(git=git, manifest_text=manifest_text, FIVE=FIVE,
                                 make_upstream=make_upstream, dedent=dedent)
