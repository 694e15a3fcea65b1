"""Members' tasks join the task table as ``member:task``, and a task word
run at the root fans out to every (selected) member that has it.

- A member's task ``build`` becomes ``web:build``, running in the member's
  directory with the member's ``[env]`` under the task's own env and
  ``ZR_WORKSPACE_MEMBER`` set to the member's name.
- In a member's ``deps``, ``^build`` is ``build`` in each member this one
  depends on (those that have it); a name of the member's own tasks is
  that task; ``other:task`` names another member's task; anything else is
  a root task.
- A root task with ``inherit = true`` is a template: every member that has
  no task of that name gets a copy running in its directory.
- For every task name some member has and the root does not define, the
  root gets a task of that name that depends on it in every selected
  member (``--filter``, ``--affected``), so ``zr run test`` runs ``test``
  everywhere; ``^build`` orders builds between members.
"""

from __future__ import annotations

from zr.config import build_task
from zr.errors import ConfigError
from zr.model import Task

# The name of the fan-out `zr workspace run TASK` uses when the root has a
# task of that name itself.
FORCED_PREFIX = "*:"


def expand_workspace(config, tasks: dict, workspace) -> None:
    templates = {name: task for name, task in tasks.items() if task.field("inherit")}
    for name in templates:
        del tasks[name]
    raw_root = config.doc.get("tasks", {})
    own = {}
    for member in workspace.members.values():
        table = dict(member.tasks)
        for name, template in templates.items():
            if name not in table:
                table[name] = build_task(name, raw_root[name], member.path, template.source)
        own[member.name] = table
    for member in workspace.members.values():
        for name, task in own[member.name].items():
            full = f"{member.name}:{name}"
            if full in tasks:
                raise ConfigError(f"task '{full}' of workspace member '{member.name}' clashes "
                                  "with a task of the same name", file=task.source,
                                  key=f"tasks.{name}")
            tasks[full] = _member_task(task, full, member, own, workspace)
    _add_fan_outs(config, tasks, workspace, own)


def _member_task(task: Task, full: str, member, own: dict, workspace) -> Task:
    fields = {k: v for k, v in task.fields.items() if k != "inherit"}
    env = {**member.env, **task.env, "ZR_WORKSPACE_MEMBER": member.name}
    return task.copy(name=full, deps=_resolve(task.deps, member, own),
                     deps_serial=_resolve(task.deps_serial, member, own), env=env,
                     aliases=[f"{member.name}:{a}" for a in task.aliases], fields=fields)


def _resolve(deps, member, own: dict) -> list:
    out = []
    for dep in deps:
        if dep.startswith("^"):
            wanted = dep[1:]
            out += [f"{other}:{wanted}" for other in member.dependencies
                    if wanted in own[other]]
        elif dep in own[member.name]:
            out.append(f"{member.name}:{dep}")
        else:
            out.append(dep)
    return out


def _add_fan_outs(config, tasks: dict, workspace, own: dict) -> None:
    from .selection import selected_members

    selected = selected_members(config, workspace)
    affected = None
    if config.options.get("affected"):
        from .affected import affected_for_options

        affected = affected_for_options(config, workspace, tasks)
    forced = set(config.options.get("workspace_fanout") or ())
    names = sorted({name for table in own.values() for name in table})
    for name in names:
        fan_out = name
        if name in tasks:
            if name not in forced:
                continue
            fan_out = FORCED_PREFIX + name
        deps = [f"{member}:{name}" for member in workspace.order
                if member in selected and name in own[member]
                and (affected is None or affected.task_reason(member, name) is not None)]
        tasks[fan_out] = Task(fan_out, deps=deps, source=config.display_path,
                              description=f"{name} in every member that has it "
                                          f"({len(deps)})")


def expand_lone_member(config, tasks: dict) -> None:
    """A member run on its own (zr started in its directory): its tasks get
    ``ZR_WORKSPACE_MEMBER`` as in the workspace, and ``^build`` is left out
    (there are no members to name; run from the root for those)."""
    import os

    name = config.doc["metadata"].get("name") or os.path.basename(config.root)
    for key, task in list(tasks.items()):
        tasks[key] = task.copy(
            deps=[d for d in task.deps if not d.startswith("^")],
            deps_serial=[d for d in task.deps_serial if not d.startswith("^")],
            env={**task.env, "ZR_WORKSPACE_MEMBER": name})
