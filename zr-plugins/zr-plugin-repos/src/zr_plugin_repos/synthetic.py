"""A synthetic workspace: the repos of ``zr-repos.toml`` as members of one
workspace of the workspace plugin (``zr-plugin-workspace``).

``zr repo workspace sync`` writes, under the user's zr state dir
(``zr.api.state_dir()``, one directory per manifest):

- ``zr.toml``: a workspace root (``[workspace]``) with no member globs;
- ``members/NAME/zr.toml`` for every cloned repo: ``[metadata]`` (name,
  tags, dependencies and description from ``zr-repos.toml``) and one task
  per public task of the repo, which runs that task with the real ``zr`` in
  the checkout (so the repo's own ``zr.toml`` still decides how) after the
  same task of the members it depends on (``^TASK``);
- ``.zr-repos-workspace.json``: the manifest it came from, the member
  directories, which :func:`.members.members_of` hands to the workspace plugin
  through its ``zr_workspace_members`` hook, and each member's checkout,
  which :func:`.members.repositories_of` hands to its
  ``zr_workspace_member_repositories`` hook, so that ``--affected`` compares
  each repo with its own history.

The whole directory is rebuilt beside the old one and swapped in, so a
reader never sees half of it. ``zr repo workspace remove`` deletes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import tempfile

from .graph import restricted
from .members import STATE_FILE, workspaces_dir
from .tasks import ZR, public_tasks


def workspace_dir(manifest) -> str:
    """Where the synthetic workspace of ``manifest`` lives: one per manifest file."""
    digest = hashlib.sha256(os.path.realpath(manifest.path).encode()).hexdigest()[:12]
    return os.path.join(workspaces_dir(), f"{manifest.name}-{digest}")


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def member_toml(repo, deps: list, tasks: list, manifest_shown: str) -> str:
    lines = [
        f"# Written by `zr repo workspace sync` from {manifest_shown}; rewritten on every",
        "# sync: do not edit. Each task runs the repo's own task in its checkout.",
        "",
        "[metadata]",
        f"name = {_toml_string(repo.name)}",
        f"tags = [{', '.join(map(_toml_string, repo.tags))}]",
        f"dependencies = [{', '.join(map(_toml_string, deps))}]",
    ]
    if repo.description:
        lines.append(f"description = {_toml_string(repo.description)}")
    for task in tasks:
        name = task["name"]
        command = shlex.join([*ZR, "run", "--quiet", name])
        lines += [
            "",
            f"[tasks.{_toml_string(name)}]",
            f"description = {_toml_string(task.get('description') or f'{name} in {repo.path}')}",
            f"cmd = {_toml_string(command)}",
            f"cwd = {_toml_string(repo.directory)}",
            f"deps = [{_toml_string('^' + name)}]",
        ]
    return "\n".join(lines) + "\n"


def sync_workspace(manifest) -> tuple:
    """Write (or rewrite) the synthetic workspace; returns ``(directory,
    members written, {repo: why it was left out})``."""
    left_out: dict = {}
    tasks_of: dict = {}
    for name, repo in manifest.repos.items():
        if not os.path.isdir(repo.directory):
            left_out[name] = "not cloned (zr repo sync)"
            continue
        try:
            tasks_of[name] = public_tasks(repo.directory)
        except RuntimeError as exc:
            left_out[name] = f"its zr.toml does not load: {exc}"
    graph = restricted({n: list(r.deps) for n, r in manifest.repos.items()}, list(tasks_of))
    target = workspace_dir(manifest)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".staging-", dir=os.path.dirname(target))
    try:
        members = []
        for name, tasks in tasks_of.items():
            member = os.path.join(staging, "members", name)
            os.makedirs(member)
            with open(os.path.join(member, "zr.toml"), "w", encoding="utf-8") as fh:
                fh.write(member_toml(manifest.repos[name], graph[name], tasks,
                                     manifest.path))
            members.append(os.path.join(target, "members", name))
        with open(os.path.join(staging, "zr.toml"), "w", encoding="utf-8") as fh:
            fh.write(f"# The synthetic workspace of {manifest.path}, written by `zr repo "
                     "workspace sync`.\n# Its members come from zr-plugin-repos; do not "
                     "edit.\n\n[workspace]\n")
        with open(os.path.join(staging, STATE_FILE), "w", encoding="utf-8") as fh:
            json.dump({"manifest": manifest.path, "workspace": manifest.name,
                       "members": members,
                       "repositories": {name: manifest.repos[name].directory
                                        for name in tasks_of}}, fh, indent=2)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target, list(tasks_of), left_out


def _swap_in(staging: str, target: str) -> None:
    """Replace ``target`` by ``staging`` with two renames (the old one is
    deleted afterwards), so the directory is always whole."""
    old = None
    if os.path.exists(target):
        old = tempfile.mkdtemp(prefix=".old-", dir=os.path.dirname(target))
        os.rename(target, os.path.join(old, "workspace"))
    os.rename(staging, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def remove_workspace(manifest) -> str | None:
    """Delete the synthetic workspace of ``manifest``; its path, or None if none."""
    target = workspace_dir(manifest)
    if not os.path.isdir(target):
        return None
    trash = tempfile.mkdtemp(prefix=".old-", dir=os.path.dirname(target))
    os.rename(target, os.path.join(trash, "workspace"))
    shutil.rmtree(trash)
    return target
