"""The commit a project is at, read from ``.git`` without running git.

History records it for every run, so it must cost microseconds and never
fail: a missing repository, a detached head, a worktree's ``.git`` file
and packed refs are handled; anything unexpected gives None.
"""

from __future__ import annotations

import os


def _git_dir(start: str):
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, ".git")
        if os.path.isdir(candidate):
            return candidate
        if os.path.isfile(candidate):  # a worktree or submodule: "gitdir: <path>"
            with open(candidate, encoding="utf-8") as handle:
                text = handle.read().strip()
            if text.startswith("gitdir:"):
                return os.path.normpath(os.path.join(directory, text[7:].strip()))
            return None
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _read(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return None


def _resolve_ref(git_dir: str, ref: str):
    common = _read(os.path.join(git_dir, "commondir"))
    roots = [git_dir] + ([os.path.normpath(os.path.join(git_dir, common))] if common else [])
    for root in roots:
        value = _read(os.path.join(root, ref))
        if value:
            return value
        packed = _read(os.path.join(root, "packed-refs"))
        for line in (packed or "").splitlines():
            sha, _, name = line.partition(" ")
            if name == ref:
                return sha
    return None


def head_commit(start: str):
    """The full commit id HEAD points at, or None (not a repository, no commit yet)."""
    try:
        git_dir = _git_dir(start)
        if git_dir is None:
            return None
        head = _read(os.path.join(git_dir, "HEAD"))
        if not head:
            return None
        if head.startswith("ref:"):
            return _resolve_ref(git_dir, head[4:].strip())
        return head
    except (OSError, UnicodeDecodeError, ValueError):
        return None
