"""``zr list`` at a workspace root, short enough to read.

A root with 200 members has thousands of ``member:task`` names. The text
listing shows the root's own tasks, then one line per task name the
members have, with how many have it (``test  (in 143 members)``).
``zr list --all`` lists every ``member:task``; ``--format json`` always has
everything.
"""

from __future__ import annotations

# Up to this many members are named on a task's line.
NAMED_MEMBERS = 3


def fold(config, tasks: list):
    """The sections of the folded listing (see the kernel's ``zr_list_fold``),
    or None where there is nothing to fold."""
    from .workspace import get_workspace

    workspace = get_workspace(config)
    if workspace is None:
        return None
    having: dict = {}  # task name -> members that have it
    others = []
    for task in tasks:
        member, colon, name = task.name.partition(":")
        if colon and member in workspace.members:
            having.setdefault(name, []).append(member)
        else:
            others.append(task)
    if not having:
        return None
    defined = {name for name, raw in (config.doc.get("tasks") or {}).items()
               if not (isinstance(raw, dict) and raw.get("inherit"))}  # not templates
    root_rows = [(_label(task), task.description) for task in others
                 if task.name in defined or task.name not in having]
    member_rows = [(name, _summary(name, members, name in defined))
                   for name, members in sorted(having.items())]
    heading = "Member tasks (`zr list --all` lists each member:task):"
    return ([(None, root_rows)] if root_rows else []) + [(heading, member_rows)]


def _summary(name: str, members: list, root_has_it: bool) -> str:
    count = f"{len(members)} member{'s' if len(members) != 1 else ''}"
    if len(members) <= NAMED_MEMBERS:
        count += f": {', '.join(sorted(members))}"
    if root_has_it:  # the root's own task has the plain name
        count += f"; `zr workspace run {name}` runs them"
    return f"(in {count})"


def _label(task) -> str:
    return task.name + (f" ({', '.join(task.aliases)})" if task.aliases else "")
