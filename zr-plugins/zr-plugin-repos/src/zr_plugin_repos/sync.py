"""``zr repo sync``: clone what is missing, fast-forward what exists, never lose work.

A clone goes into a temporary directory beside its target and is renamed
into place only when git succeeded, so an interrupted or failed clone (a
server that died mid-transfer, a branch that does not exist) leaves no half
checkout. An existing checkout with local changes, on another branch, or
whose branch has diverged from its upstream is left exactly as it is and
reported: sync fetches and fast-forwards, it never resets or merges.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from .git import GitError, git, is_checkout
from .status import read_status

# Outcome states, as printed.
CLONED, UPDATED, CURRENT, LEFT_ALONE, FAILED = (
    "cloned", "updated", "up to date", "left alone", "failed")


@dataclass
class SyncOutcome:
    name: str
    state: str
    detail: str
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {"name": self.name, "state": self.state, "detail": self.detail,
                "seconds": round(self.seconds, 3)}


def sync_all(repos: list, jobs: int, shallow: bool, on_done) -> list:
    """Sync ``repos`` ``jobs`` at a time; ``on_done(outcome)`` is called in the
    caller's thread as each finishes (progress lines). Returns outcomes in
    the manifest's order, after every repo finished, failed ones included."""
    outcomes: dict = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(sync_repo, repo, shallow): repo for repo in repos}
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[outcome.name] = outcome
            on_done(outcome)
    return [outcomes[repo.name] for repo in repos]


def sync_repo(repo, shallow: bool) -> SyncOutcome:
    """Clone or update one repo; any failure becomes a ``failed`` outcome."""
    started = time.monotonic()
    try:
        if not os.path.lexists(repo.directory):
            state, detail = _clone(repo, shallow)
        elif not is_checkout(repo.directory):
            state, detail = FAILED, f"{repo.path} exists but is not a git checkout; left alone"
        else:
            state, detail = _update(repo)
    except GitError as exc:
        state, detail = FAILED, str(exc)
    except OSError as exc:
        state, detail = FAILED, f"{exc.strerror or exc}"
    return SyncOutcome(repo.name, state, detail, time.monotonic() - started)


def _clone(repo, shallow: bool) -> tuple:
    parent = os.path.dirname(repo.directory)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(repo.directory)}.zr-clone-",
                               dir=parent)
    try:
        args = ["clone", "--quiet"]
        if shallow:
            args += ["--depth", "1"]
        if repo.branch:
            args += ["--branch", repo.branch]
        elif repo.rev and shallow:
            args += ["--branch", repo.rev]  # a shallow clone can only start at a tag or branch
        elif repo.rev:
            args.append("--no-checkout")
        git([*args, "--", repo.url, staging])
        if repo.rev and not shallow:
            git(["checkout", "--quiet", "--detach", repo.rev], cwd=staging)
        os.rename(staging, repo.directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return CLONED, _where(repo.directory)


def _where(directory: str) -> str:
    """``main @ 1a2b3c4`` (one cheap rev-parse: no walk of the work tree)."""
    commit, ref = git(["rev-parse", "HEAD", "--symbolic-full-name", "HEAD"],
                      cwd=directory).split()
    branch = ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else "detached"
    return f"{branch} @ {commit[:7]}"


def _update(repo) -> tuple:
    info = read_status(repo.directory)
    if info["changed"]:
        return LEFT_ALONE, f"{info['changed']} changed file(s); commit or stash them, then sync"
    if repo.rev:
        return _update_to_rev(repo, info)
    branch = repo.branch or info["branch"]
    if branch is None:
        return LEFT_ALONE, "detached HEAD and no branch in zr-repos.toml"
    if info["branch"] != branch:
        return LEFT_ALONE, f"on branch {info['branch'] or '(detached)'}, not {branch}"
    git(["fetch", "--quiet", "--prune", "origin"], cwd=repo.directory)
    upstream = f"refs/remotes/origin/{branch}"
    if not git(["rev-parse", "--verify", "--quiet", upstream], cwd=repo.directory,
               check=False).strip():
        return FAILED, f"branch {branch} does not exist on origin"
    counts = git(["rev-list", "--left-right", "--count", f"HEAD...{upstream}"],
                 cwd=repo.directory).split()
    ahead, behind = int(counts[0]), int(counts[1])
    if behind == 0:
        return CURRENT, _where(repo.directory) + (f", {ahead} ahead" if ahead else "")
    if ahead:
        return LEFT_ALONE, (f"diverged from origin/{branch} ({ahead} ahead, {behind} behind); "
                            f"merge or rebase it yourself")
    git(["merge", "--ff-only", "--quiet", upstream], cwd=repo.directory)
    return UPDATED, f"{_where(repo.directory)}, {behind} new commit(s)"


def _update_to_rev(repo, info: dict) -> tuple:
    git(["fetch", "--quiet", "--tags", "origin"], cwd=repo.directory)
    wanted = git(["rev-parse", f"{repo.rev}^{{commit}}"], cwd=repo.directory).strip()
    head = git(["rev-parse", "HEAD"], cwd=repo.directory).strip()
    if wanted == head:
        return CURRENT, f"{repo.rev} @ {head[:7]}"
    git(["checkout", "--quiet", "--detach", wanted], cwd=repo.directory)
    return UPDATED, f"{repo.rev} @ {wanted[:7]}"
