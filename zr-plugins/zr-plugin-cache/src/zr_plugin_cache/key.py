"""A task's cache key: everything that can change what the task produces.

Parts, in order (each one line of ``zr cache key --explain``): the hash
algorithm, zr's and this plugin's versions and the entry format, the platform, the task's name
and its cwd relative to the project root, its commands and shell, the
``env`` zr.toml gives it, the values of its ``env_inputs``, its declared
outputs, every input file (path and content hash, sorted, so a renamed or
deleted file changes the key), the keys of its dependencies, and whatever
other plugins add through ``zr_cache_key``.

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

    Dependencies' keys are computed on demand (a dependency that is not
    cacheable still has a key: its command and inputs), each task once.
    """

    def __init__(self, run, settings):
        self.run = run
        self.settings = settings
        self.root = Path(run.config.root)
        self.keys: dict = {}

    def key(self, name: str) -> str:
        if name not in self.keys:
            self.keys[name] = self.explain(name).hexdigest()
        return self.keys[name]

    def explain(self, name: str) -> KeyHasher:
        """A hasher holding every part of ``name``'s key (not memoised)."""
        task = self.run.tasks[name]
        hasher = KeyHasher()
        import zr

        from . import __version__
        from .archive import ENTRY_FORMAT

        # Entries of another format never share a key: an older zr must not
        # restore members it cannot decode.
        hasher.update("zr", f"{zr.__version__} (zr-plugin-cache {__version__}, "
                            f"entry format {ENTRY_FORMAT})")
        hasher.update("platform", f"{sys.platform} {platform.machine()}")
        hasher.update("task", task.name)
        hasher.update("cwd", Path(os.path.relpath(task.cwd, self.root)).as_posix())
        from zr.commands_text import task_shell

        shell = task_shell(task, self.run.config)
        hasher.update("command", json.dumps({"cmd": task.cmds, "shell": shell}))
        env = {**self.run.config.env, **task.env}
        if env:
            hasher.update("env", json.dumps(env, sort_keys=True))
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
        self.run.config.plugins.call("zr_cache_key", task=task, hasher=hasher, run=self.run)
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
