"""What a run remembers about the toolchains it activated, so that the
next run with the same inputs activates them without importing a provider.

An entry is keyed on what names the requirements (the ``[tools]`` table,
the planned tasks' ``toolchain`` fields and cwds, ``--tool``,
``ZR_TOOL_*``, the platform) and records the files its result depended on
with their size and mtime: ``.tool-versions``, ``zr.lock``, every
idiomatic file looked for (present or not) and each install's
``.zr-installed``. Any change there, or any other key, is a miss and the
full resolution runs. Each activation is a plain dict: ``tool``,
``version``, ``platform``, ``bin`` (dirs for PATH) and ``env``.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

from zr.api import cache_dir

FORMAT = 1


def _signature(path: str):
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _path(config, tasks) -> str:
    inputs = (FORMAT, config.root, repr(config.doc.get("tools")),
              [(t.name, t.field("toolchain"), t.cwd) for t in tasks],
              list(config.options.get("tool") or ()),
              sorted((k, v) for k, v in os.environ.items() if k.startswith("ZR_TOOL_")),
              sys.platform, os.uname().machine)
    key = "%08x" % zlib.crc32(repr(inputs).encode())
    return os.path.join(cache_dir(), "toolchains", "activations", key)


def load(config, tasks) -> dict | None:
    """``{task name: [activation, ...]}`` when nothing changed, else None."""
    try:
        with open(_path(config, tasks), "rb") as fh:
            deps, by_task = marshal.load(fh)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if any(_signature(path) != signature for path, signature in deps.items()):
        return None
    return by_task


def save(config, tasks, by_task: dict, consulted) -> None:
    from zr.api import atomic_write
    from .store import MARKER

    paths = set(consulted)
    paths.add(os.path.join(config.root, ".tool-versions"))
    paths.add(os.path.join(config.root, "zr.lock"))
    for activations in by_task.values():
        for item in activations or ():
            paths.add(os.path.join(item["home"], MARKER))
    deps = {path: _signature(path) for path in sorted(paths)}
    try:
        atomic_write(_path(config, tasks), marshal.dumps((deps, by_task)))
    except OSError:
        pass  # a cache: the next run resolves again


def activate(env: dict, activations: list) -> None:
    """Put toolchains (:meth:`Resolved.activation` dicts) into ``env``: bin
    dirs first on PATH (in the order given), then each toolchain's variables."""
    bins = [d for item in activations for d in item["bin"]]
    for item in activations:
        env.update(item["env"])
    if bins:
        env["PATH"] = os.pathsep.join(bins + ([env["PATH"]] if env.get("PATH") else []))


def activate_plan(plan, activations: list) -> None:
    """:func:`activate` on a task's plan, keeping install locations out of
    its cache key: ``PATH`` and every variable naming an install directory
    (``GOROOT``, ``JAVA_HOME``) differ between machines, while the
    toolchain's version, which the caller keys, says what they stand for."""
    env = dict(plan.env)
    activate(env, activations)
    homes = [item["home"] for item in activations]
    for name, value in env.items():
        if plan.env.get(name) != value:
            where = name == "PATH" or any(home in value for home in homes)
            plan.set_env(name, value, key=not where)
