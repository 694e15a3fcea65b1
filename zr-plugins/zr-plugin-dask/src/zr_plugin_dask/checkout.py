"""The checkout a ``zr worker`` process serves: its root, its commit, its
name and the project's remote cache, for the tasks that run in it."""

from __future__ import annotations

import subprocess


class Checkout:
    __slots__ = ("root", "commit", "name", "backend")

    def __init__(self, root: str, commit: str, name: str, backend):
        self.root = root
        self.commit = commit
        self.name = name
        self.backend = backend


_current: list = []


def serve(checkout: Checkout) -> None:
    """Make ``checkout`` the one this process's tasks run in."""
    _current[:] = [checkout]


def current() -> Checkout:
    """The checkout of this worker; RuntimeError when the worker was not
    started by ``zr worker``."""
    if not _current:
        raise RuntimeError("this Dask worker was not started by `zr worker` (run "
                           "`zr worker tcp://SCHEDULER:PORT` in a checkout of the project)")
    return _current[0]


def git_commit(root: str) -> str:
    """The commit checked out at ``root``; ValueError with a message when
    ``root`` is not a git checkout."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=30)
    except OSError as error:
        raise ValueError(f"cannot run git to find the commit of {root}: {error}") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["git rev-parse HEAD failed"])[0]
        raise ValueError(f"{root} is not a git checkout with a commit: distributed runs send "
                         f"tasks to workers that check out the same commit ({reason})")
    return done.stdout.strip()
