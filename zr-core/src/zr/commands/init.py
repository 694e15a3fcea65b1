"""``zr init``: a starter zr.toml from what the project already has."""

import json
import os

import click

from ..paths import atomic_write


def _detect(root: str) -> list:
    """(task name, command, description) proposals from existing build files."""
    found = []

    def has(name):
        return os.path.exists(os.path.join(root, name))

    if has("package.json"):
        try:
            with open(os.path.join(root, "package.json")) as fh:
                scripts = json.load(fh).get("scripts", {}) or {}
        except (OSError, ValueError):
            scripts = {}
        runner = "pnpm" if has("pnpm-lock.yaml") else "yarn" if has("yarn.lock") else "npm"
        for name in scripts:
            found.append((name, f"{runner} run {name}", f"package.json script '{name}'"))
        if not scripts:
            found.append(("install", f"{runner} install", "Install node dependencies"))
    if has("pyproject.toml"):
        found.append(("test", "python -m pytest", "Run the Python tests"))
        found.append(("build", "python -m build", "Build the Python package"))
    if has("Cargo.toml"):
        found += [("build", "cargo build", "Build the Rust crate"),
                  ("test", "cargo test", "Run the Rust tests"),
                  ("lint", "cargo clippy", "Lint the Rust code")]
    if has("go.mod"):
        found += [("build", "go build ./...", "Build the Go module"),
                  ("test", "go test ./...", "Run the Go tests"),
                  ("lint", "go vet ./...", "Vet the Go code")]
    if has("Makefile"):
        found.append(("make", "make", "Run the Makefile's default target"))
    unique, seen = [], set()
    for name, cmd, desc in found:
        if name not in seen:
            seen.add(name)
            unique.append((name, cmd, desc))
    return unique


def _quote(text: str) -> str:
    return json.dumps(text)  # a TOML basic string is JSON-compatible here


def render(tasks: list) -> str:
    lines = ["# zr.toml: tasks for `zr run NAME` (reference: docs/zr-toml.md)", ""]
    if not tasks:
        tasks = [("hello", "echo hello from zr", "A first task: edit me")]
    for name, cmd, desc in tasks:
        key = name if all(c.isalnum() or c in "-_" for c in name) else _quote(name)
        lines += [f"[tasks.{key}]", f"description = {_quote(desc)}", f"cmd = {_quote(cmd)}",
                  ""]
    return "\n".join(lines)


@click.command("init", help="Write a starter zr.toml here, with tasks proposed from "
               "package.json, pyproject.toml, Cargo.toml, go.mod or a Makefile.")
@click.option("--force", is_flag=True, help="Overwrite an existing zr.toml.")
def command(force):
    path = os.path.join(os.getcwd(), "zr.toml")
    if os.path.exists(path) and not force:
        from ..errors import UsageError

        raise UsageError("zr.toml already exists here; use --force to overwrite it")
    tasks = _detect(os.getcwd())
    atomic_write(path, render(tasks).encode())
    count = max(len(tasks), 1)
    click.echo(f"wrote zr.toml with {count} task{'s' if count != 1 else ''}; "
               "`zr list` shows them")
    return 0
