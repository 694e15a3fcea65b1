"""Files changed since the merge-base of a git ref and HEAD.

Committed changes since the merge-base, staged and unstaged changes in the
work tree, and untracked files (not ignored ones) all count. A rename
counts as its old and its new path, a deletion as the deleted path. Paths
are returned relative to the workspace root, with ``/`` separators; files
outside the root are left out.
"""

from __future__ import annotations

import os
import subprocess

from zr.errors import ZrError


class Change:
    """One changed file: ``status`` is git's letter (A, M, D, R, ?).
    ``repo`` names the member whose own repository it is in (paths are then
    relative to that repository), None for the workspace's repository."""

    __slots__ = ("path", "status", "old_path", "repo")

    def __init__(self, path: str, status: str, old_path: str | None = None,
                 repo: str | None = None):
        self.path = path
        self.status = status
        self.old_path = old_path
        self.repo = repo

    @property
    def shown(self) -> str:
        """The path as reports show it: ``member:path`` in a member's own repository."""
        return f"{self.repo}:{self.path}" if self.repo else self.path

    def describe(self) -> str:
        words = {"A": "added", "M": "modified", "D": "deleted", "R": "renamed",
                 "?": "untracked", "T": "changed type", "C": "copied"}
        what = words.get(self.status, "changed")
        if self.old_path:
            return f"{self.shown} ({what} from {self.old_path})"
        return f"{self.shown} ({what})"


def _git(root: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        proc = subprocess.run(["git", "-C", root, *args], capture_output=True,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise ZrError("--affected needs git, and git is not installed") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip().splitlines()
        raise ZrError(f"git {' '.join(args)} failed: {message[-1] if message else ''}")
    return proc


def is_repository(root: str) -> bool:
    return _git(root, "rev-parse", "--is-inside-work-tree", check=False).returncode == 0


def require_repository(root: str, option: str) -> None:
    """``option``: the option as given, ``--affected REF``, for the message."""
    if not is_repository(root):
        raise ZrError(f"{option}: {root} is not inside a git repository")


def default_base(root: str, default_branch: str | None) -> str:
    """The ref ``--affected auto`` compares with: ``origin/<default branch>``
    (``[workspace] default_branch``, else origin's HEAD, else main/master)."""
    if default_branch:
        return default_branch if "/" in default_branch else f"origin/{default_branch}"
    head = _git(root, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", check=False)
    if head.returncode == 0:
        return head.stdout.decode().strip().replace("refs/remotes/", "", 1)
    for candidate in ("origin/main", "origin/master", "main", "master"):
        if _git(root, "rev-parse", "--verify", "--quiet", candidate + "^{commit}",
                check=False).returncode == 0:
            return candidate
    raise ZrError(f"--affected: cannot tell the default branch of {root} (no origin/HEAD, "
                  "origin/main or origin/master); give a ref: --affected origin/main, or set "
                  "[workspace] default_branch")


def merge_base(root: str, ref: str) -> str:
    """The commit ``ref`` and HEAD share; a clear error when the clone lacks
    ``ref`` or the history between them (a shallow clone)."""
    require_repository(root, f"--affected {ref}")
    shallow = _git(root, "rev-parse", "--is-shallow-repository",
                   check=False).stdout.decode().strip() == "true"
    if _git(root, "rev-parse", "--verify", "--quiet", ref + "^{commit}",
            check=False).returncode != 0:
        remote, _, branch = ref.partition("/")
        fetch = (f"git fetch {remote} {branch}" if branch and _is_remote(root, remote)
                 else f"git fetch origin {ref}")
        raise ZrError(f"--affected {ref}: this clone has no '{ref}'"
                      + (" (it is a shallow clone)" if shallow else "")
                      + f"; fetch it first: `{fetch}`"
                      + (", with --depth or `git fetch --unshallow` so that the merge-base "
                         "with HEAD is there too" if shallow else ""))
    proc = _git(root, "merge-base", ref, "HEAD", check=False)
    if proc.returncode != 0:
        hint = ("this shallow clone does not reach it; fetch more history: "
                "`git fetch --unshallow` (or `git fetch --deepen=N`)" if shallow
                else "the histories are unrelated")
        raise ZrError(f"--affected {ref}: no merge-base between {ref} and HEAD: {hint}")
    return proc.stdout.decode().strip()


def _is_remote(root: str, name: str) -> bool:
    proc = _git(root, "remote", check=False)
    return name in proc.stdout.decode().split()


def changed_files(root: str, base: str, repo: str | None = None) -> list:
    """Every :class:`Change` between ``base`` and the work tree (``repo``:
    see :class:`Change`)."""
    top = _git(root, "rev-parse", "--show-toplevel").stdout.decode().strip()
    prefix = os.path.relpath(os.path.realpath(root), os.path.realpath(top)).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    changes = []
    fields = _git(top, "diff", "--name-status", "-M", "-z", "--no-ext-diff", base,
                  "--").stdout.decode(errors="surrogateescape").split("\0")
    i = 0
    while i < len(fields) - 1:
        status = fields[i][:1]
        if status in ("R", "C"):
            old, new = fields[i + 1], fields[i + 2]
            changes.append(Change(new, status, old))
            i += 3
        else:
            changes.append(Change(fields[i + 1], status))
            i += 2
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    changes += [Change(p, "?") for p in untracked.stdout.decode(errors="surrogateescape")
                .split("\0") if p]
    result = []
    for change in changes:
        paths = [change.path] + ([change.old_path] if change.old_path else [])
        if not any(p.startswith(prefix) for p in paths):
            continue
        result.append(Change(_strip(change.path, prefix), change.status,
                             _strip(change.old_path, prefix) if change.old_path else None,
                             repo))
    return result


def _strip(path: str, prefix: str) -> str:
    return path[len(prefix):] if path.startswith(prefix) else "../" + path
