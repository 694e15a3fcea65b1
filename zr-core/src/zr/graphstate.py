"""Which tasks of one scheduled set may start: pure bookkeeping, no I/O.

The scheduler owns processes, timers and hooks; this owns the graph's
state: how many unfinished dependencies each task waits on, the ready
queue in start order, what a failure blocks, and the concurrency groups
(``max_concurrent``: instances of one task, such as matrix cells, share a
group, :attr:`zr.model.Task.concurrency_group`). Every operation is O(1)
per task plus its dependents, so a whole run is O(V+E). It can be read and
tested on its own (``zr-core/tests/test_graphstate.py``).
"""

from __future__ import annotations

from collections import deque


class GraphState:
    """The state of ``names`` (a closure of ``tasks``, in start order).

    ``finished`` maps names that already have a result (an earlier stage)
    to whether their dependents may proceed; a task depending on one that
    may not is blocked at once (see :attr:`blocked`).
    """

    def __init__(self, tasks: dict, names: list, finished=None):
        finished = finished or {}
        self.tasks = tasks
        members = set(names)
        waiting_on: dict = {}
        dependents: dict = {n: [] for n in names}
        for name in names:
            task = tasks[name]
            deps = [d for d in task.all_deps if d in members]
            serial = [d for d in task.deps_serial if d in members]
            for before, after in zip(serial, serial[1:]):
                if before not in dependents[after] and after != before:
                    dependents[before].append(after)
                    waiting_on[after] = waiting_on.get(after, 0) + 1
            for dep in deps:
                dependents[dep].append(name)
            waiting_on[name] = waiting_on.get(name, 0) + len(deps)
        self.dependents = dependents
        self.waiting_on = waiting_on
        self.remaining = set(names)
        self.group_counts: dict = {}
        # (name, reason) of tasks that will not run: read and clear it after
        # each call that can block (the constructor, finish()).
        self.blocked: list = []
        for name in names:  # in start order, so blocks propagate to dependents
            for dep in tasks[name].all_deps:
                if dep in finished and not finished[dep][0]:
                    self.block(name, f"dependency '{dep}' {finished[dep][1]}")
                    break
        self.ready = deque(n for n in names if waiting_on[n] == 0 and n in self.remaining)

    # -- starting ----------------------------------------------------------

    def take_startable(self, free_slots: int, exclusive_running: bool,
                       anything_running: bool, admit=None) -> list:
        """Pop up to ``free_slots`` ready tasks that may start now, in start
        order. A task whose group is at its ``max_concurrent`` waits (others
        may pass it); an interactive task starts only when nothing runs, and
        nothing starts beside it (``exclusive_running``). ``admit(task,
        started)``, when given, is asked last (``started``: the names taken
        so far in this call); a task it refuses waits like one at its
        ``max_concurrent``."""
        started: list = []
        deferred: list = []
        ready = self.ready
        while ready and len(started) < free_slots and not exclusive_running:
            task = self.tasks[ready[0]]
            if task.interactive and (anything_running or started):
                break
            name = ready.popleft()
            limit = task.max_concurrent
            if limit and self.group_counts.get(task.concurrency_group, 0) >= limit \
                    or admit is not None and not admit(task, started):
                deferred.append(name)
                continue
            started.append(name)
            self.acquire(task)
            if task.interactive:
                break
        ready.extendleft(reversed(deferred))
        return started

    def acquire(self, task) -> None:
        """``task`` holds a place in its concurrency group."""
        group = task.concurrency_group
        self.group_counts[group] = self.group_counts.get(group, 0) + 1

    def release(self, task) -> None:
        """``task`` gives its place back (its attempt ended)."""
        self.group_counts[task.concurrency_group] -= 1

    # -- finishing ---------------------------------------------------------

    def finish(self, name: str, proceed: bool, status_text: str = "failed") -> list:
        """Record that ``name`` ended; return the dependents that became
        ready. When not ``proceed``, everything waiting on it is blocked
        (added to :attr:`blocked` with the reason)."""
        self.remaining.discard(name)
        newly_ready = []
        for dependent in self.dependents.get(name, ()):
            if dependent not in self.remaining:
                continue
            if not proceed:
                self.block(dependent, f"dependency '{name}' {status_text}")
                continue
            self.waiting_on[dependent] -= 1
            if self.waiting_on[dependent] == 0:
                self.ready.append(dependent)
                newly_ready.append(dependent)
        return newly_ready

    def block(self, name: str, reason: str) -> None:
        """Mark ``name`` and everything that waits on it as not run."""
        stack = [name]
        while stack:
            current = stack.pop()
            if current not in self.remaining:
                continue
            self.remaining.discard(current)
            self.blocked.append((current, reason))
            stack.extend(self.dependents.get(current, ()))

    def stop(self) -> None:
        """Start nothing more (Ctrl-C, or a failure without --keep-going)."""
        self.ready.clear()
