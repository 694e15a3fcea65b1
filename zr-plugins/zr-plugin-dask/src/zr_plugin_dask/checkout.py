"""The checkout a Dask worker serves: its root, its commit, its name and
the project's remote cache, for the tasks that run in it.

One process serves one checkout, opened by :func:`open_checkout` for both
ways of making a worker: ``zr worker SCHEDULER`` and a stock ``dask
worker`` with ``--preload zr_plugin_dask.preload``."""

from __future__ import annotations

import subprocess


class Checkout:
    __slots__ = ("root", "commit", "name", "backend")

    def __init__(self, root: str, commit: str, name: str, backend):
        self.root = root
        self.commit = commit
        self.name = name
        self.backend = backend

    def describe(self, address: str, scheduler: str) -> str:
        """The line a worker prints once it serves this checkout."""
        return (f"zr worker {self.name}: {address} serving {self.root} at commit "
                f"{self.commit[:12]}, scheduler {scheduler}")


def open_checkout(config, name: str, warn) -> Checkout:
    """The checkout of the loaded project ``config``, for a worker named
    ``name``: its git commit and its remote cache. Raises
    :class:`zr.api.UsageError` outside a git checkout and
    :class:`zr.api.ConfigError` without a remote cache, saying why."""
    from zr.api import ConfigError, UsageError
    from zr_plugin_cache.transfer import remote_backend

    root = str(config.root)
    try:
        commit = git_commit(root)
    except ValueError as error:
        raise UsageError(str(error)) from None
    backend = remote_backend(config, warn)
    if backend is None:
        raise ConfigError("a zr worker needs a remote cache: outputs travel between the "
                          "workers and the machine running zr through it; add "
                          '[cache] remote = { type = "http", url = "..." } to zr.toml',
                          file=config.display_path)
    return Checkout(root, commit, name, backend)


_current: list = []


def serve(checkout: Checkout) -> None:
    """Make ``checkout`` the one this process's tasks run in."""
    _current[:] = [checkout]


def current() -> Checkout:
    """The checkout of this worker; RuntimeError when the worker was not
    started by ``zr worker``."""
    if not _current:
        raise RuntimeError("this Dask worker serves no checkout of the project: start it "
                           "with `zr worker tcp://SCHEDULER:PORT` in a checkout, or as "
                           "`dask worker tcp://SCHEDULER:PORT --preload zr_plugin_dask.preload`"
                           " (its log says why that failed)")
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
