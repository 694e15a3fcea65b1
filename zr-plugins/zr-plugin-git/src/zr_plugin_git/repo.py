"""Asking git, once per invocation.

A run may evaluate many conditions (a matrix of 50 cells all asking
``file.changed('src/**')``); each git question is answered once per
repository and cached in :mod:`.invocation` until the next invocation
starts (``zr_configure``).
"""

from __future__ import annotations

import os
import subprocess

from zr.errors import ZrError

from . import invocation

GIT_TIMEOUT = 60


def git(args: list, cwd: str, *, check: bool = True) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise ZrError("git is not installed (it is needed to answer this)") from None
    except subprocess.TimeoutExpired:
        raise ZrError(f"`git {' '.join(args)}` took more than {GIT_TIMEOUT}s") from None
    if check and done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise ZrError(f"`git {' '.join(args)}` failed: {message[-1] if message else ''}")
    return done


def toplevel(cwd: str) -> str:
    """The root of the repository containing ``cwd``; a clear error outside one."""
    found = invocation.toplevels.get(cwd)
    if found is None:
        if not os.path.isdir(cwd):
            found = ZrError(f"{cwd} does not exist")
        else:
            done = git(["rev-parse", "--show-toplevel"], cwd, check=False)
            found = (done.stdout.decode().strip() if done.returncode == 0 else
                     ZrError(f"{cwd} is not inside a git repository"))
        invocation.toplevels[cwd] = found
    if isinstance(found, ZrError):
        raise found
    return found


def _cached(root: str, question: str, compute):
    key = (root, question)
    if key not in invocation.answers:
        invocation.answers[key] = compute()
    return invocation.answers[key]


def has_commits(root: str) -> bool:
    return _cached(root, "has_commits", lambda: git(
        ["rev-parse", "--verify", "-q", "HEAD^{commit}"], root, check=False).returncode == 0)


def branch(root: str) -> str:
    def compute():
        done = git(["symbolic-ref", "--short", "-q", "HEAD"], root, check=False)
        return done.stdout.decode().strip() if done.returncode == 0 else ""
    return _cached(root, "branch", compute)


def commit(root: str) -> str:
    def compute():
        if not has_commits(root):
            return ""
        return git(["rev-parse", "HEAD"], root).stdout.decode().strip()
    return _cached(root, "commit", compute)


def status_entries(root: str) -> list:
    """``git status --porcelain`` entries (untracked included, ignored not)."""
    def compute():
        out = git(["status", "--porcelain=v1", "-z", "--untracked-files=all"], root).stdout
        return [e for e in out.decode(errors="surrogateescape").split("\0") if e]
    return _cached(root, "status", compute)


def _base(root: str) -> str | None:
    """What file.changed compares with: HEAD, the merge-base with --since, or
    None in a repository without commits (then every file is new)."""
    def compute():
        if invocation.since:
            done = git(["merge-base", invocation.since, "HEAD"], root, check=False)
            if done.returncode != 0:
                raise ZrError(f"--since {invocation.since}: no common ancestor with HEAD in "
                              f"{root} (is the ref fetched? `git fetch origin main`)")
            return done.stdout.decode().strip()
        return "HEAD" if has_commits(root) else None
    return _cached(root, "base", compute)


def changed_files(root: str) -> frozenset:
    """Absolute paths that differ from the base: committed since it (with
    --since), staged, modified, deleted, or untracked and not ignored."""
    def compute():
        base = _base(root)
        names: list = []
        if base is not None:
            out = git(["diff", "--name-only", "--no-renames", "-z", base, "--"], root).stdout
            names += out.decode(errors="surrogateescape").split("\0")
        else:
            out = git(["ls-files", "-z", "--cached"], root).stdout
            names += out.decode(errors="surrogateescape").split("\0")
        out = git(["ls-files", "-z", "--others", "--exclude-standard"], root).stdout
        names += out.decode(errors="surrogateescape").split("\0")
        return frozenset(os.path.join(root, n) for n in names if n)
    return _cached(root, "changed", compute)
