"""Toolchains in a run: installed before the first task, then put into
each task's environment and cache key.

``prepare`` (from ``zr_run_start``) works out every planned task's
requirements, resolves each distinct tool@spec once (all of them before
any download), installs them and saves ``zr.lock``. A version that does
not exist (:class:`~.errors.NoSuchVersion`) refuses the run: the plugin's
``zr_run_start`` lets it through, so zr exits 2 before any task starts.
Any other failure (a download, a checksum) is kept and raised again for
every task that needs the toolchains, so such a task fails with the reason
even where the run goes on.
"""

from __future__ import annotations

from zr.api import ZrError

from .plugin import wants_toolchains

STATE = "toolchains"


class Prepared:
    def __init__(self):
        self.by_task: dict = {}
        self.error: ZrError | None = None

    def for_task(self, task) -> list:
        if self.error is not None and task.name in self.by_task:
            raise self.error
        return self.by_task.get(task.name) or []


def project_toolbox(config, printer=None, **kwargs):
    from .progress import meter_factory
    from .registry import toolchains
    from .toolbox import Toolbox

    report = printer.info if printer else None
    warn = printer.warn if printer else None
    quiet = bool(config.options.get("quiet"))
    return Toolbox(toolchains(config.plugins), root=config.root,
                   mirrors=(config.doc.get("tools") or {}).get("mirrors") or {},
                   report=report, warn=warn, progress=meter_factory(quiet=quiet), **kwargs)


def prepare(run) -> Prepared:
    prepared = Prepared()
    run.state[STATE] = prepared
    config = run.config
    tasks = [run.tasks[name] for name in run.plan if name in run.tasks]
    if not wants_toolchains(config, tasks):
        return prepared
    from . import activations

    remembered = activations.load(config, tasks)
    if remembered is not None:
        prepared.by_task = remembered
        return prepared
    from .registry import toolchains
    from .sources import project_requirements, task_requirements

    registry = toolchains(config.plugins)
    consulted: list = []  # idiomatic files looked for
    try:
        project = project_requirements(config, registry)
        needs = {t.name: task_requirements(t, config, registry, project, consulted=consulted)
                 for t in tasks}
    except ZrError as exc:
        prepared.error = exc
        prepared.by_task = {t.name: None for t in tasks}
        raise
    prepared.by_task = {name: None for name, reqs in needs.items() if reqs}
    toolbox = project_toolbox(config, run.printer)
    try:
        for requirements in needs.values():  # what cannot exist fails before a download
            for requirement in requirements:
                toolbox.resolve(requirement)
        for name, requirements in needs.items():
            if requirements:
                prepared.by_task[name] = [toolbox.ensure(r).activation() for r in requirements]
    except ZrError as exc:
        prepared.error = exc
        raise
    finally:
        toolbox.save()
    activations.save(config, tasks, prepared.by_task, consulted)
    return prepared


def activations_for(run, task) -> list:
    prepared = run.state.get(STATE)
    if prepared is None:  # the run did not call zr_run_start (a kernel that calls it late)
        try:
            prepared = prepare(run)
        except ZrError:
            prepared = run.state[STATE]
    return prepared.for_task(task)
