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

A member that is a git repository of its own (named by the
``zr_workspace_member_repositories`` hook: the checkouts of a multi-repo
synthetic workspace) is compared with its own history instead, and all its
changes are its own.
"""

from __future__ import annotations

import os

from zr.errors import ZrError

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


class Comparison:
    """One git repository's side of ``--affected``: its directory, the ref
    and their merge-base; ``member`` names the member that is this
    repository (None: the workspace root's repository)."""

    __slots__ = ("directory", "ref", "base", "member")

    def __init__(self, directory: str, ref: str, base: str, member: str | None = None):
        self.directory = directory
        self.ref = ref
        self.base = base
        self.member = member

    def describe(self) -> str:
        return f"{self.base[:12]} (merge-base of {self.ref} and HEAD)"

    def to_json(self) -> dict:
        return {"member": self.member, "directory": self.directory, "ref": self.ref,
                "base": self.base}


class Affected:
    """Changes mapped onto members; answers per member and per task."""

    def __init__(self, workspace, comparisons: list, changes: list, *, ignore=(),
                 dependents: bool = True, tasks: dict | None = None):
        self.workspace = workspace
        self.comparisons = comparisons
        root = next((c for c in comparisons if c.member is None), None)
        self.ref = root.ref if root else None
        self.base = root.base if root else None
        self.directories = {c.member: c.directory for c in comparisons if c.member}
        self.changes = changes
        self.dependents = dependents
        self.tasks = tasks or {}
        self.own: dict = {name: [] for name in workspace.members}
        self.outside: list = []
        self.ignored: list = []
        ignored = GlobSet(ignore)
        for change in changes:
            if change.repo:  # in a member's own repository: that member's
                self.own[change.repo].append(change)
                continue
            paths = [change.path] + ([change.old_path] if change.old_path else [])
            owners = {workspace.member_of(p) for p in paths} - {None}
            for owner in owners:
                self.own[owner].append(change)
            if not owners:
                (self.ignored if ignored.matches(change.path) else self.outside).append(change)
        self._memo: dict = {}

    def since(self) -> str:
        """What the changes are counted from, for summaries."""
        parts = [c.describe() for c in self.comparisons if c.member is None]
        own = [c for c in self.comparisons if c.member]
        if own:
            refs = sorted({c.ref for c in own})
            parts.append(f"the merge-base of {' / '.join(refs)} and HEAD in each of "
                         f"{len(own)} member repositories")
        return " and ".join(parts)

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
        top = self.directories.get(change.repo) if change.repo else self.workspace.root
        for path in filter(None, (change.path, change.old_path)):
            rel = os.path.relpath(os.path.join(top, path), task.cwd)
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


def compute(config, workspace, given: str, *, tasks=None, dependents=None) -> Affected:
    """The :class:`Affected` of ``--affected [REF]`` (see :mod:`.base` for
    how the ref is chosen): the workspace root's repository holds the members
    that are not repositories of their own; each of those is compared with
    its own history."""
    spec = config.doc.get("workspace") or {}
    tasks = config.tasks if tasks is None else tasks
    own = member_repositories(config, workspace)
    comparisons, changes = [], []
    try:
        if len(own) < len(workspace.members) or not own:
            comparisons.append(_compare(workspace.root, given, spec.get("default_branch")))
        for member, directory in own.items():
            try:
                comparisons.append(_compare(directory, given, None, member))
            except ZrError as exc:
                raise ZrError(f"in workspace member '{member}' (a git repository of its "
                              f"own, {directory}): {exc}") from None
    except ZrError as exc:
        if given in tasks or any(name.endswith(":" + given) for name in tasks):
            # `zr run --affected build`: the option took the task word as its REF
            raise ZrError(f"{exc}. '{given}' is a task: --affected took it as its REF; put "
                          f"the tasks first (zr run {given} --affected)") from None
        raise
    for comparison in comparisons:
        changes += changed_files_of(comparison)
    if dependents is None:
        dependents = not config.options.get("no_dependents")
    return Affected(workspace, comparisons, changes, ignore=spec.get("ignore", ()),
                    dependents=dependents, tasks=tasks)


def _compare(directory: str, given: str, default_branch, member=None) -> Comparison:
    from .base import resolve_ref, shown
    from .changes import merge_base, require_repository

    require_repository(directory, shown(given))
    ref = resolve_ref(given, directory, default_branch)
    return Comparison(directory, ref, merge_base(directory, ref), member)


def changed_files_of(comparison: Comparison) -> list:
    from .changes import changed_files

    return changed_files(comparison.directory, comparison.base, comparison.member)


def member_repositories(config, workspace) -> dict:
    """``{member: directory}`` of the members that are git repositories of
    their own, from the ``zr_workspace_member_repositories`` hook."""
    found: dict = {}
    for answer in config.plugins.call("zr_workspace_member_repositories", config=config):
        for name, directory in (answer or {}).items():
            if name in workspace.members:
                found[name] = os.path.abspath(os.fspath(directory))
    return found


def affected_for_options(config, workspace, tasks=None) -> Affected:
    """The run's :class:`Affected`, computed once per invocation."""
    cached = getattr(config, "workspace_affected", None)
    if cached is None:
        cached = compute(config, workspace, config.options["affected"], tasks=tasks)
        config.workspace_affected = cached
    return cached
