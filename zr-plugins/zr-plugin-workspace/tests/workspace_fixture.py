"""A generated monorepo for tests and benchmarks: N members of three kinds
with dependency chains, tags, a root task template and real git history.

Members (``i`` from 0): every tenth pair is ``shared-i`` (tag ``shared``,
under ``packages/``), then six ``lib-i`` (tags ``lib`` and ``scope:S``),
then two ``app-i`` (tags ``app`` and ``scope:S``, under ``apps/``); ``S``
is one of a, b, c, d by tens. A shared member depends on the previous
shared one (a chain), a lib on the previous lib of its scope (a chain per
scope) and the latest shared, an app on the two latest libs of its scope.
Every member has ``build`` (``deps = ["^build"]``, ``inputs = ["src/**"]``,
appending its name to ``order.log`` at the root) and libs and apps a
``test``; the root's ``lint`` is a template every member inherits.

With ``peers=True`` it also writes what Turborepo and Nx read (root and
member ``package.json``, ``turbo.json``, ``nx.json``), for ``bench/``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

SCOPES = "abcd"


def kind(i: int) -> str:
    slot = i % 10
    return "shared" if slot < 2 else ("lib" if slot < 8 else "app")


def member_name(i: int) -> str:
    return f"{kind(i)}-{i}"


def member_dir(i: int) -> str:
    return f"{'apps' if kind(i) == 'app' else 'packages'}/{member_name(i)}"


def scope(i: int) -> str:
    return SCOPES[(i // 10) % len(SCOPES)]


def dependencies(n: int) -> dict:
    """Member name -> names it depends on (always earlier members: acyclic)."""
    deps: dict = {}
    last_shared = None
    last_lib: dict = {}
    libs_by_scope: dict = {}
    for i in range(n):
        name, k, s = member_name(i), kind(i), scope(i)
        if k == "shared":
            deps[name] = [last_shared] if last_shared else []
            last_shared = name
        elif k == "lib":
            deps[name] = [d for d in (last_lib.get(s), last_shared) if d]
            last_lib[s] = name
            libs_by_scope.setdefault(s, []).append(name)
        else:
            deps[name] = libs_by_scope.get(s, [])[-2:]
    return deps


def tags(i: int) -> list:
    return ["shared"] if kind(i) == "shared" else [kind(i), f"scope:{scope(i)}"]


ROOT_TOML = """\
[workspace]
members = ["packages/*", "apps/*"]
ignore = ["*.md", "docs/**"]

[tasks.lint]
inherit = true
description = "Lint a member (a template every member inherits)"
cmd = "echo lint $ZR_WORKSPACE_MEMBER"

[[constraints]]
rule = "tag-based"
from = "tag:lib"
to = "tag:app"

[[constraints]]
rule = "tag-based"
from = "tag:shared"
to = "tag:shared"
allow = true

[[constraints]]
rule = "banned-dependency"
from = "tag:scope:a"
to = "tag:scope:b"

[[constraints]]
rule = "no-circular"
"""


def member_toml(i: int, deps: list) -> str:
    lines = ["[metadata]", f"tags = {json.dumps(tags(i))}",
             f"dependencies = {json.dumps(deps)}", "",
             "[tasks.build]", 'deps = ["^build"]', 'inputs = ["src/**"]',
             'cmd = "echo $ZR_WORKSPACE_MEMBER >> ../../order.log"']
    if kind(i) != "shared":
        lines += ["", "[tasks.test]", 'deps = ["build"]', 'cmd = "echo test ok"']
    return "\n".join(lines) + "\n"


def generate(root: Path, n: int, *, peers: bool = False, git: bool = True) -> dict:
    """Write the workspace under ``root``; returns the dependency map."""
    deps = dependencies(n)
    root.mkdir(parents=True, exist_ok=True)
    (root / "zr.toml").write_text(ROOT_TOML)
    (root / "README.md").write_text("# generated workspace\n")
    (root / "tools").mkdir(exist_ok=True)
    (root / "tools" / "build.sh").write_text("#!/bin/sh\n")
    (root / ".gitignore").write_text("order.log\nnode_modules/\n.turbo/\n.nx/\n")
    for i in range(n):
        path = root / member_dir(i)
        (path / "src").mkdir(parents=True, exist_ok=True)
        (path / "docs").mkdir(exist_ok=True)
        name = member_name(i)
        (path / "zr.toml").write_text(member_toml(i, deps[name]))
        (path / "src" / "index.txt").write_text(f"{name}\n")
        (path / "docs" / "README.md").write_text(f"# {name}\n")
        if peers:
            _peer_member(path, name, deps[name], kind(i) != "shared")
    if peers:
        _peer_root(root)
    if git:
        commit_all(root, "initial")
    return deps


def _peer_member(path: Path, name: str, deps: list, has_test: bool) -> None:
    scripts = {"build": "echo build", **({"test": "echo test"} if has_test else {}),
               "lint": "echo lint"}
    package = {"name": name, "version": "0.0.0", "private": True, "scripts": scripts,
               "dependencies": {d: "*" for d in deps}}
    (path / "package.json").write_text(json.dumps(package, indent=2) + "\n")


def _peer_root(root: Path) -> None:
    package = {"name": "generated-workspace", "version": "0.0.0", "private": True,
               "workspaces": ["packages/*", "apps/*"], "packageManager": "npm@10.0.0"}
    (root / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    turbo = {"$schema": "https://turbo.build/schema.json",
             "tasks": {"build": {"dependsOn": ["^build"], "inputs": ["src/**"]},
                       "test": {"dependsOn": ["build"]}, "lint": {}}}
    (root / "turbo.json").write_text(json.dumps(turbo, indent=2) + "\n")
    nx = {"targetDefaults": {"build": {"dependsOn": ["^build"], "inputs": ["{projectRoot}/src/**/*"]},
                             "test": {"dependsOn": ["build"]}},
          "defaultBase": "main"}
    (root / "nx.json").write_text(json.dumps(nx, indent=2) + "\n")


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "zr", "GIT_AUTHOR_EMAIL": "zr@example.com",
           "GIT_COMMITTER_NAME": "zr", "GIT_COMMITTER_EMAIL": "zr@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


def commit_all(root: Path, message: str) -> None:
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
