"""The hooks the cache plugin adds (through ``zr_addhooks``), for plugins
that extend the cache: what else belongs in a key, which remote backends
exist. They are declared here, not in the kernel, because only this plugin
calls them; a plugin implementing them without this one installed marks
its implementation ``@hookimpl(optionalhook=True)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from zr.api import hookspec

if TYPE_CHECKING:  # pragma: no cover - names for the annotations only
    from zr.api import ProcessPlan, Run, Task

    from .hashing import KeyHasher


@hookspec
def zr_cache_key(task: Task, hasher: KeyHasher, run: Run, plan: ProcessPlan) -> None:
    """Add to a task's cache key.

    ``hasher`` has ``update(label: str, value: bytes | str)``; each call
    appears as one line in ``zr cache key --explain``. ``plan`` is the final
    process plan the key was computed from. The cache plugin hashes the
    plan (argvs, cwd, declared and changed env, parts added with
    ``plan.add_key``), inputs, env inputs, outputs, dependency keys,
    platform and versions itself; a plugin that transforms plans should
    prefer ``plan.add_key`` in ``zr_task_plan``. Return value ignored.
    """


@hookspec
def zr_cache_backends(register: Callable) -> None:
    """Register remote cache backends.

    Called by the cache plugin when a loaded project has a
    ``[cache.remote]`` (to check its settings, and when a run uses it).
    ``register(type_name, factory, *, spec=None)``: ``type_name`` is what
    ``[cache.remote] type = "..."`` selects; ``factory`` is a callable or a
    ``"module:attribute"`` string (imported only when used), and
    ``factory(settings: dict, project_root: pathlib.Path)`` returns an object
    with ``get(key) -> bytes-iterator | None``, ``put(key, path)`` and
    ``describe() -> str``, optionally ``check()`` and ``delete(key)`` (see
    :class:`zr_plugin_cache.remote.RemoteBackend`); ``spec`` declares the
    backend's settings for validation. Import the backend's SDK inside the
    factory, not at module import. Return value ignored.
    """
