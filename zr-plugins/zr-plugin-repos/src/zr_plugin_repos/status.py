"""What state each checkout is in: branch, ahead/behind, changed and untracked files.

One ``git status --porcelain=v2 --branch -z`` per repo gives everything, so
the status of many repos costs one short process each, run side by side.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from .git import GitError, git, is_checkout
from .secrets import mask


def read_status(directory: str) -> dict:
    """``{branch, commit, upstream, ahead, behind, changed, untracked}`` of a checkout."""
    out = git(["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=normal"],
              cwd=directory)
    info = {"branch": None, "commit": None, "upstream": None, "ahead": None, "behind": None,
            "changed": 0, "untracked": 0}
    fields = out.split("\0")
    index = 0
    while index < len(fields):
        entry = fields[index]
        index += 1
        if entry.startswith("# branch.oid "):
            oid = entry.split()[2]
            info["commit"] = None if oid == "(initial)" else oid[:12]
        elif entry.startswith("# branch.head "):
            head = entry.split(" ", 2)[2]
            info["branch"] = None if head == "(detached)" else head
        elif entry.startswith("# branch.upstream "):
            info["upstream"] = entry.split(" ", 2)[2]
        elif entry.startswith("# branch.ab "):
            ahead, behind = entry.split()[2:4]
            info["ahead"], info["behind"] = int(ahead), -int(behind)
        elif entry[:2] in ("1 ", "u "):
            info["changed"] += 1
        elif entry[:2] == "2 ":
            info["changed"] += 1
            index += 1  # a rename is followed by its original path
        elif entry[:2] == "? ":
            info["untracked"] += 1
    return info


def repo_status(repo) -> dict:
    """The status row of one manifest repo (JSON-ready, URL masked)."""
    row = {"name": repo.name, "path": repo.path, "url": mask(repo.url), "cloned": False,
           "branch": None, "commit": None, "upstream": None, "ahead": None, "behind": None,
           "changed": None, "untracked": None, "dirty": None, "error": None}
    if not os.path.isdir(repo.directory):
        return row
    if not is_checkout(repo.directory):
        row["error"] = "exists but is not a git checkout"
        return row
    row["cloned"] = True
    try:
        row.update(read_status(repo.directory))
    except GitError as exc:
        row["error"] = str(exc)
    else:
        row["dirty"] = row["changed"] > 0
    return row


def statuses(repos: list, jobs: int) -> list:
    """Status rows of ``repos`` in their order, read ``jobs`` at a time."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(repo_status, repos))


def status_table_rows(rows: list) -> list:
    """The table's cells: what a person wants to scan for."""
    out = []
    for row in rows:
        if row["error"]:
            state = row["error"]
        elif not row["cloned"]:
            state = "not cloned (zr repo sync)"
        else:
            parts = []
            if row["changed"]:
                parts.append(f"{row['changed']} changed")
            if row["untracked"]:
                parts.append(f"{row['untracked']} untracked")
            state = ", ".join(parts) or "clean"
        branch = row["branch"] or (f"({row['commit'][:7]})" if row["commit"] else "")
        sync = ""
        if row["cloned"] and not row["error"]:
            if row["upstream"] is None:
                sync = "no upstream"
            else:
                sync = f"+{row['ahead']} -{row['behind']}" if (row["ahead"] or row["behind"]) \
                    else "up to date"
        out.append([row["name"], branch, sync, state])
    return out
