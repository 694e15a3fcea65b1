"""What ``--affected REF`` selects, and why.

A member is affected when a file under it changed since the merge-base of
REF and HEAD (see :mod:`.changes`), when a changed file lies outside every
member and is not listed in ``[workspace] ignore`` (such a file may be
anything the members share), or, unless ``--no-dependents``, when a member
it depends on is affected, transitively.

Decisions are made per task: a member's task that declares ``inputs`` is
affected by its own member's files only when one of them matches those
inputs (relative to the task's directory), so a change to a member's docs
leaves its ``build`` alone when ``build``'s inputs do not cover docs. Each
decision keeps its reason (the file, and the chain of members it came
through) for ``zr affected --explain``.
"""

from __future__ import annotations

import os

from .globs import GlobSet


class Reason:
    """Why something is affected: a changed file, reached through ``via``
    (the members between, from the affected one to the changed one)."""

    __slots__ = ("change", "via", "outside")

    def __init__(self, change, via=(), outside=False):
        self.change = change
        self.via = list(via)
        self.outside = outside

    def render(self) -> str:
        what = self.change.describe()
        if self.outside:
            what += ", outside every member"
        if self.via:
            return f"depends on {' -> '.join(self.via)}: {what}"
        return what

    def to_json(self) -> dict:
        return {"file": self.change.path, "status": self.change.status,
                "old_path": self.change.old_path, "via": self.via, "outside": self.outside}


class Affected:
    """Changes mapped onto members; answers per member and per task."""

    def __init__(self, workspace, ref: str, base: str, changes: list, *, ignore=(),
                 dependents: bool = True, tasks: dict | None = None):
        self.workspace = workspace
        self.ref = ref
        self.base = base
        self.changes = changes
        self.dependents = dependents
        self.tasks = tasks or {}
        self.own: dict = {name: [] for name in workspace.members}
        self.outside: list = []
        self.ignored: list = []
        ignored = GlobSet(ignore)
        for change in changes:
            paths = [change.path] + ([change.old_path] if change.old_path else [])
            owners = {workspace.member_of(p) for p in paths} - {None}
            for owner in owners:
                self.own[owner].append(change)
            if not owners:
                (self.ignored if ignored.matches(change.path) else self.outside).append(change)
        self._memo: dict = {}

    def member_reason(self, member: str):
        """A :class:`Reason` the member is affected, or None."""
        return self.task_reason(member, None)

    def task_reason(self, member: str, task_name):
        """A :class:`Reason` ``member:task_name`` is affected, or None
        (``task_name`` None: the member as a whole)."""
        table = self._memo.get(task_name)
        if table is None:
            table = self._memo[task_name] = self._reasons(task_name)
        return table[member]

    def _reasons(self, task_name) -> dict:
        """Every member's reason for one task name, dependencies first (the
        workspace's topological order), so long chains need no recursion."""
        table: dict = {}
        outside = Reason(self.outside[0], outside=True) if self.outside else None
        for member in self.workspace.order:
            reason = self._own_reason(member, task_name) or outside
            if reason is None and self.dependents:
                for dep in self.workspace.deps[member]:
                    inner = table[dep]
                    if inner is not None:
                        reason = Reason(inner.change, [dep] + inner.via, inner.outside)
                        break
            table[member] = reason
        return table

    def _own_reason(self, member: str, task_name):
        changes = self.own[member]
        if not changes:
            return None
        inputs = self._inputs(member, task_name)
        if inputs is None:
            return Reason(changes[0])
        for change in changes:
            if self._covers(inputs, change):
                return Reason(change)
        return None

    def _covers(self, inputs, change) -> bool:
        """One of ``change``'s paths matches a task's inputs (relative to its cwd)."""
        task, globs = inputs
        for path in filter(None, (change.path, change.old_path)):
            rel = os.path.relpath(os.path.join(self.workspace.root, path), task.cwd)
            if globs.matches(rel.replace(os.sep, "/")):
                return True
        return False

    def _inputs(self, member: str, task_name):
        """``(task, GlobSet)`` of a member task that declares inputs, or None."""
        if task_name is None:
            return None
        task = self.tasks.get(f"{member}:{task_name}")
        patterns = task.field("inputs") if task is not None else None
        if not patterns:
            return None
        if isinstance(patterns, str):
            patterns = [patterns]
        return task, GlobSet(patterns)

    def unmatched(self, member: str, task_name) -> list:
        """The member's own changes that its task's inputs do not cover."""
        inputs = self._inputs(member, task_name)
        if inputs is None:
            return []
        return [c for c in self.own[member] if not self._covers(inputs, c)]


def compute(config, workspace, ref: str, *, tasks=None, dependents=None) -> Affected:
    """The :class:`Affected` of ``--affected REF`` (``auto``: the default branch)."""
    from .changes import changed_files, default_base, merge_base, require_repository

    spec = config.doc.get("workspace") or {}
    require_repository(workspace.root, ref)
    if ref == "auto":
        ref = default_base(workspace.root, spec.get("default_branch"))
    base = merge_base(workspace.root, ref)
    if dependents is None:
        dependents = not config.options.get("no_dependents")
    return Affected(workspace, ref, base, changed_files(workspace.root, base),
                    ignore=spec.get("ignore", ()), dependents=dependents,
                    tasks=config.tasks if tasks is None else tasks)


def affected_for_options(config, workspace, tasks=None) -> Affected:
    """The run's :class:`Affected`, computed once per invocation."""
    cached = getattr(config, "workspace_affected", None)
    if cached is None:
        cached = compute(config, workspace, config.options["affected"], tasks=tasks)
        config.workspace_affected = cached
    return cached
