"""A task's cache key: everything that can change what the task produces.

The key is computed from the attempt's final process plan (after every
``zr_task_plan``), so whatever changes what runs changes the key: words
after ``--``, ``--env``, parameters, interpolated values, a toolchain's
version, a container's image. What a plugin marked as how the task runs
on this machine stays out (``plan.wrap`` prefixes, variables set with
``plan.set_env(..., key=False)``), so checkouts and machines share keys. Parts, in order (each one line of ``zr cache key
--explain``): the hash algorithm, zr's and this plugin's versions and the
entry format, the platform, the task's name and the plan's cwd relative to
the project root, the plan's commands (unwrapped), the environment the plan declares or
changes (:meth:`zr.api.ProcessPlan.key_env`), the parts plugins added with
``plan.add_key``, the values of its ``env_inputs``, its declared outputs,
every input file (path and content hash, sorted, so a renamed or deleted
file changes the key), the keys of its dependencies, and whatever other
plugins add through ``zr_cache_key``.

Without ``inputs``, a task's inputs are all files below its cwd that git
would not ignore, minus its declared outputs: safe, if slower than a
precise list.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

from . import globs
from .hashing import KeyHasher, file_digest

UNSET = "<unset>"


class KeyMaker:
    """Computes and remembers the keys of one run's tasks.

    A task's key needs its final plan: the one its attempt was given
    (:meth:`remember`), else the one ``run.plan_for`` builds (a dependency
    that did not run in this run, ``zr cache key``). Each key is computed
    once.
    """

    def __init__(self, run, settings):
        self.run = run
        self.settings = settings
        self.root = Path(run.config.root)
        self.keys: dict = {}
        self.plans: dict = {}

    def remember(self, name: str, plan) -> None:
        """The plan ``name``'s attempt runs (the first one counts)."""
        self.plans.setdefault(name, plan)

    def plan(self, name: str):
        if name not in self.plans:
            self.plans[name] = self.run.plan_for(self.run.tasks[name])
        return self.plans[name]

    def key(self, name: str) -> str:
        if name not in self.keys:
            self.keys[name] = self.explain(name).hexdigest()
        return self.keys[name]

    def explain(self, name: str) -> KeyHasher:
        """A hasher holding every part of ``name``'s key (not memoised)."""
        task = self.run.tasks[name]
        plan = self.plan(name)
        hasher = KeyHasher()
        import zr
        from zr.api import command_key_form

        from . import __version__
        from .archive import ENTRY_FORMAT

        # Entries of another format never share a key: an older zr must not
        # restore members it cannot decode.
        hasher.update("zr", f"{zr.__version__} (zr-plugin-cache {__version__}, "
                            f"entry format {ENTRY_FORMAT})")
        hasher.update("platform", f"{sys.platform} {platform.machine()}")
        hasher.update("task", task.name)
        hasher.update("cwd", Path(os.path.relpath(plan.cwd, self.root)).as_posix())
        hasher.update("command", json.dumps([command_key_form(argv) for argv in plan.argvs]))
        env = plan.key_env()
        if env:
            hasher.update("env", json.dumps(env, sort_keys=True))
        for label, value in plan.key_parts:
            hasher.update(label, value)
        for variable in sorted(set(task.field("env_inputs") or ())):
            hasher.update(f"env_input {variable}", os.environ.get(variable, UNSET))
        outputs = list(task.field("outputs") or ())
        if outputs:
            hasher.update("outputs", json.dumps(outputs))
        for path, digest in self.input_digests(task):
            hasher.update(f"input {path}", digest)
        for dependency in task.all_deps:
            if dependency in self.run.tasks:
                hasher.update(f"dependency {dependency}", self.key(dependency))
        self.run.config.plugins.call("zr_cache_key", task=task, hasher=hasher, run=self.run,
                                     plan=plan)
        return hasher

    def input_digests(self, task):
        """(path relative to cwd, content digest) of every input file, sorted."""
        declared = task.field("inputs")
        cwd = Path(task.cwd)
        if declared is None:
            selection = globs.select(["**"], cwd, project_root=self.root, respect_gitignore=True,
                                     exclude=task.field("outputs") or ())
        else:
            selection = globs.select(declared, cwd, project_root=self.root,
                                     respect_gitignore=self.settings.respect_gitignore)
        for relative in selection.files:
            full = cwd / relative
            if full.is_symlink():
                yield relative, "symlink -> " + os.readlink(full)
            else:
                yield relative, file_digest(full)
