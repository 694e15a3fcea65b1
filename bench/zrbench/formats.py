"""Render a :class:`~zrbench.projects.Project` into each runner's own file format.

One function per runner, each returning ``{relative path: text}``. A runner
that cannot express a project raises :class:`NotExpressible` with the reason,
which the report shows as "n/a".
"""

from __future__ import annotations

import json

from .projects import Project


class NotExpressible(Exception):
    """The runner has no way to express this project (the message says why)."""


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML escapes)."""
    return json.dumps(text)


def toml_array(items) -> str:
    return "[" + ", ".join(toml_string(i) for i in items) + "]"


def no_cache(project: Project, runner: str) -> None:
    if project.cache is not None:
        raise NotExpressible(f"{runner} has no up-to-date check or cache for declared inputs")


def render_zr(project: Project) -> dict:
    lines = []
    for t in project.tasks:
        lines.append(f"[tasks.{toml_string(t.name)}]")
        lines.append(f"cmd = {toml_string(t.cmd)}")
        if t.description:
            lines.append(f"description = {toml_string(t.description)}")
        if t.deps:
            lines.append(f"deps = {toml_array(t.deps)}")
        if project.cache is not None and t.name == project.target:
            lines.append("cache = true")
            lines.append(f"inputs = {toml_array(project.cache.inputs)}")
            lines.append(f"outputs = {toml_array(project.cache.outputs)}")
        lines.append("")
    return {"zr.toml": "\n".join(lines), **project.files}


def make_escape(cmd: str) -> str:
    return cmd.replace("$", "$$")


def render_make(project: Project) -> dict:
    if project.cache is not None:
        return {"Makefile": make_cache_makefile(project), **project.files}
    lines = []
    for t in project.tasks:
        if t.description:
            lines.append(f"# {t.description}")
        lines.append(f".PHONY: {t.name}")
        lines.append(f"{t.name}:{''.join(' ' + d for d in t.deps)}")
        lines.append(f"\t{make_escape(t.cmd)}")
        lines.append("")
    return {"Makefile": "\n".join(lines)}


def make_cache_makefile(project: Project) -> str:
    """make's own up-to-date check: a file target newer than every source (mtimes)."""
    (task,) = project.tasks
    inputs = " ".join(f"$(shell find {glob_root(g)} -type f)" for g in project.cache.inputs)
    output = "dist/bundle.txt"
    return (f".PHONY: {task.name}\n{task.name}: {output}\n\n"
            f"{output}: {inputs}\n\t{make_escape(task.cmd)}\n")


def glob_root(glob: str) -> str:
    """``src/**`` -> ``src``: the directory a recursive glob walks."""
    return glob.split("/**")[0] or "."


def render_just(project: Project) -> dict:
    no_cache(project, "just")
    lines = []
    for t in project.tasks:
        if t.description:
            lines.append(f"# {t.description}")
        lines.append(f"{t.name}:{''.join(' ' + d for d in t.deps)}")
        lines.append(f"    @{t.cmd}")
        lines.append("")
    return {"justfile": "\n".join(lines)}


def render_task(project: Project) -> dict:
    """Taskfile.yml, written as JSON (a subset of YAML), so quoting is never an issue.

    ``run: once`` makes a task shared by several dependents run once per
    invocation, as in zr and make (Task's default re-runs it per caller).
    """
    tasks = {}
    for t in project.tasks:
        spec = {"desc": t.description or t.name, "cmds": [t.cmd]}
        if t.deps:
            spec["deps"] = list(t.deps)
        if project.cache is not None and t.name == project.target:
            spec["sources"] = [file_glob(g) for g in project.cache.inputs]
            spec["generates"] = [file_glob(g) for g in project.cache.outputs]
        tasks[t.name] = spec
    doc = {"version": "3", "run": "once", "silent": True, "tasks": tasks}
    return {"Taskfile.yml": json.dumps(doc, indent=1) + "\n", **project.files}


def file_glob(glob: str) -> str:
    """``src/**`` -> ``src/**/*``: Task's globs name files, not directories."""
    return glob + "/*" if glob.endswith("/**") else glob


SHELL_CHARS = set("|&;<>()$`\\\"'*?[#~=%")


def render_poe(project: Project) -> dict:
    """poe tasks in pyproject.toml; ``deps`` make a graph, which poe runs one task at a time."""
    no_cache(project, "poe")
    lines = ['[project]', 'name = "zr-bench"', 'version = "0"', ""]
    for t in project.tasks:
        lines.append(f"[tool.poe.tasks.{toml_string(t.name)}]")
        kind = "shell" if SHELL_CHARS & set(t.cmd) else "cmd"
        lines.append(f"{kind} = {toml_string(t.cmd)}")
        if t.description:
            lines.append(f"help = {toml_string(t.description)}")
        if t.deps:
            lines.append(f"deps = {toml_array(t.deps)}")
        lines.append("")
    return {"pyproject.toml": "\n".join(lines)}


def python_identifier(name: str) -> str:
    return "task_" + "".join(c if c.isalnum() else "_" for c in name)


def render_invoke(project: Project) -> dict:
    """invoke's tasks.py; ``pre=`` tasks are deduplicated and run one at a time."""
    no_cache(project, "invoke")
    lines = ['"""zr benchmark project (generated)."""', "from invoke import task", ""]
    for t in project.tasks:
        pre = ", ".join(python_identifier(d) for d in t.deps)
        lines.append(f"@task(name={t.name!r}, pre=[{pre}])")
        lines.append(f"def {python_identifier(t.name)}(c):")
        lines.append(f"    {t.description or t.name!r}")
        lines.append(f"    c.run({t.cmd!r})")
        lines.append("")
    return {"tasks.py": "\n".join(lines)}


def render_doit(project: Project) -> dict:
    """doit's dodo.py: one ``task_`` function per task, ``task_dep`` for dependencies."""
    lines = ['"""zr benchmark project (generated)."""', "import glob", "import os", "",
             'DOIT_CONFIG = {"verbosity": 0}', ""]
    for t in project.tasks:
        lines.append(f"def task_{t.name}():")
        lines.append(f"    {t.description or t.name!r}")
        lines.append(f"    return {{'actions': [{t.cmd!r}], 'task_dep': {list(t.deps)!r},")
        if project.cache is not None and t.name == project.target:
            inputs = [f"{glob_root(g)}/**" for g in project.cache.inputs]
            lines.append("            'file_dep': sorted(p for g in "
                         f"{inputs!r} for p in glob.glob(g, recursive=True) if os.path.isfile(p)),")
            lines.append("            'targets': ['dist/bundle.txt'],")
        lines.append("            'verbosity': 0}")
        lines.append("")
    return {"dodo.py": "\n".join(lines), **project.files}


TURBO_PACKAGE = "packages/app"


def render_turbo(project: Project) -> dict:
    """A one-package npm workspace whose ``build`` script turbo caches by content."""
    if project.cache is None:
        raise NotExpressible("turbo runs package scripts of a monorepo; a graph of "
                             "trivial tasks would need one package per task")
    (task,) = project.tasks
    root = {"name": "zr-bench", "private": True, "packageManager": "npm@10.0.0",
            "workspaces": ["packages/*"]}
    package = {"name": "app", "version": "0.0.0", "private": True,
               "scripts": {task.name: task.cmd}}
    turbo = {"$schema": "https://turbo.build/schema.json",
             "tasks": {task.name: {"inputs": list(project.cache.inputs),
                                   "outputs": list(project.cache.outputs)}}}
    files = {"package.json": json.dumps(root, indent=2) + "\n",
             "turbo.json": json.dumps(turbo, indent=2) + "\n",
             f"{TURBO_PACKAGE}/package.json": json.dumps(package, indent=2) + "\n",
             ".gitignore": "node_modules/\n.turbo/\ndist/\n"}
    files.update({f"{TURBO_PACKAGE}/{path}": text for path, text in project.files.items()})
    return files


RENDERERS = {
    "zr": render_zr,
    "make": render_make,
    "just": render_just,
    "task": render_task,
    "poe": render_poe,
    "invoke": render_invoke,
    "doit": render_doit,
    "turbo": render_turbo,
}
