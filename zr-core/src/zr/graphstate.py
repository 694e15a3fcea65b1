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

    Order-only edges (:attr:`zr.model.Task.after`, from ``deps_serial``
    chains) make a task wait until the earlier step has ended, however it
    ended. When that step does not succeed its chain stops: a task ordered
    after it runs only if something still to run wants it (a task here
    that depends on it, one of ``targets``, or a task of ``plan`` outside
    ``names``: a later stage), so a failed chain never blocks another
    target that shares a task with it.
    """

    def __init__(self, tasks: dict, names: list, finished=None, *, plan=(), targets=()):
        finished = finished or {}
        self.tasks = tasks
        self.members = members = set(names)
        waiting_on: dict = {}
        dependents: dict = {n: [] for n in names}
        # before -> [(task ordered after it, the task whose chain asks)]
        self.order_waiters: dict = {}
        stopped_earlier: list = []
        for name in names:
            task = tasks[name]
            deps = [d for d in task.all_deps if d in members]
            for dep in deps:
                dependents[dep].append(name)
            waiting_on[name] = len(deps)
            for before, owner in task.after.items():
                if before in members:
                    self.order_waiters.setdefault(before, []).append((name, owner))
                    waiting_on[name] += 1
                elif before in finished and not finished[before][0]:
                    stopped_earlier.append((name, before, owner, finished[before][1]))
        self.dependents = dependents
        self.waiting_on = waiting_on
        self.remaining = set(names)
        self.group_counts: dict = {}
        # (name, reason) of tasks that will not run: read and clear it after
        # each call that can block (the constructor, finish()).
        self.blocked: list = []
        # Tasks whose deps_serial chain stopped -> why (see _stop_chain).
        self.stopped: dict = {}
        self._plan, self._targets, self._finished = plan, targets, finished
        self._wanted_outside = None
        self.ready: deque = deque()  # filled below; a block may add to it meanwhile
        for name in names:  # in start order, so blocks propagate to dependents
            for dep in tasks[name].all_deps:
                if dep in finished and not finished[dep][0]:
                    self.block(name, f"dependency '{dep}' {finished[dep][1]}")
                    break
        if stopped_earlier:
            for name, before, owner, status_text in stopped_earlier:
                self.stopped.setdefault(name, _chain_reason(before, status_text, owner))
            for name, _, _, _ in stopped_earlier:
                if name in self.remaining and not self.wanted(name):
                    self.block(name, self.stopped[name])
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
            self._one_less(dependent, newly_ready)
        if name in self.order_waiters:
            if not proceed:
                for waiter, reason in self._stop_chain(name, status_text, newly_ready):
                    self.block(waiter, reason, newly_ready)
            else:
                for waiter, _ in self.order_waiters[name]:
                    if waiter in self.remaining:
                        self._one_less(waiter, newly_ready)
        return newly_ready

    def _one_less(self, name: str, newly_ready: list) -> None:
        """``name`` waits for one task less; it is ready at none, unless its
        chain stopped and nothing wants it any more."""
        self.waiting_on[name] -= 1
        if self.waiting_on[name] == 0:
            if name in self.stopped and not self.wanted(name):
                self.block(name, self.stopped[name], newly_ready)
            else:
                self.ready.append(name)
                newly_ready.append(name)

    def block(self, name: str, reason: str, newly_ready=None) -> None:
        """Mark ``name`` and everything that depends on it as not run; the
        chains it is a step of stop (:meth:`_stop_chain`): tasks ordered
        after it that become ready are added to ``newly_ready`` if given."""
        newly_ready = [] if newly_ready is None else newly_ready
        pending = [(name, reason)]
        while pending:
            ended = []
            for start, why in pending:
                stack = [start]
                while stack:
                    current = stack.pop()
                    if current not in self.remaining:
                        continue
                    self.remaining.discard(current)
                    self.blocked.append((current, why))
                    ended.append(current)
                    stack.extend(self.dependents.get(current, ()))
            pending = []
            if self.order_waiters:  # once every dependent is marked, so wanted() sees them
                for current in ended:
                    if current in self.order_waiters:
                        pending.extend(self._stop_chain(current, "not run", newly_ready))

    def _stop_chain(self, before: str, status_text: str, newly_ready: list) -> list:
        """``before`` ended without success: the tasks ordered after it stop
        waiting for it (those that become ready go to ``newly_ready``), and
        those nothing still wants are returned as ``(name, reason)`` for the
        caller to block."""
        waiters = [(w, owner) for w, owner in self.order_waiters[before] if w in self.remaining]
        for waiter, owner in waiters:  # all first: whether one is wanted may hang on another
            self.stopped.setdefault(waiter, _chain_reason(before, status_text, owner))
        unwanted = []
        for waiter, _ in waiters:
            self.waiting_on[waiter] -= 1
            if not self.wanted(waiter):
                unwanted.append((waiter, self.stopped[waiter]))
            elif self.waiting_on[waiter] == 0:
                self.ready.append(waiter)
                newly_ready.append(waiter)
        return unwanted

    def wanted(self, name: str) -> bool:
        """Whether something still to run needs ``name``: a target, a task of
        a later stage, or a task here that is not itself in a stopped chain
        nothing wants. A task that nothing here depends on is a target."""
        if not self.dependents[name]:
            return True
        outside = self._outside()
        seen = {name}
        stack = [name]
        while stack:
            current = stack.pop()
            if current in outside or not self.dependents[current]:
                return True
            for dependent in self.dependents[current]:
                if dependent in self.remaining and dependent not in seen:
                    if dependent not in self.stopped:
                        return True
                    seen.add(dependent)
                    stack.append(dependent)
        return False

    def _outside(self) -> set:
        """The targets and what tasks of the plan outside this set need
        (computed once, on the first stopped chain)."""
        if self._wanted_outside is None:
            members, finished, tasks = self.members, self._finished, self.tasks
            wanted = set(self._targets)
            for name in self._plan:
                if name not in members and name not in finished and name in tasks:
                    wanted.update(d for d in tasks[name].all_deps if d in members)
            self._wanted_outside = wanted
        return self._wanted_outside

    def stop(self) -> None:
        """Start nothing more (Ctrl-C, or a failure without --keep-going)."""
        self.ready.clear()


def _chain_reason(before: str, status_text: str, owner: str) -> str:
    """Why a task ordered after ``before`` in ``owner``'s chain is not run."""
    return f"deps_serial of {owner} stopped: '{before}' {status_text}"
