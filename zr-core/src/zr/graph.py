"""The task graph: dependency checks, cycle paths and start orders.

Everything here is O(V+E). ``TaskGraph`` is built once per invocation from
the expanded task table; it does not know how tasks run.
"""

from __future__ import annotations

from .errors import ConfigError, UsageError, did_you_mean


def find_cycle(deps) -> list | None:
    """The first cycle in ``deps`` (name -> the names it depends on), as a
    path that ends where it starts (``[a, b, c, a]``); None if acyclic.

    Iterative DFS with colours, so deep graphs do not hit the recursion
    limit; a name that is not a key of ``deps`` is a leaf. Plugins with
    graphs of their own (workspace members, repositories) use it too.
    """
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(deps, WHITE)
    for root in deps:
        if colour[root] != WHITE:
            continue
        colour[root] = GREY
        stack, path = [(root, iter(deps[root]))], [root]
        while stack:
            node, children = stack[-1]
            for child in children:
                state = colour.get(child, BLACK)
                if state == GREY:
                    return path[path.index(child):] + [child]
                if state == WHITE:
                    colour[child] = GREY
                    stack.append((child, iter(deps[child])))
                    path.append(child)
                    break
            else:
                colour[node] = BLACK
                stack.pop()
                path.pop()
    return None


class TaskGraph:
    """Dependencies between tasks, validated on construction.

    Raises :class:`ConfigError` for an unknown dependency (with a
    did-you-mean) or a cycle anywhere in the table (with its path), even one
    the requested tasks do not reach: a config with a cycle is broken.
    """

    def __init__(self, tasks: dict):
        self.tasks = tasks
        self.deps: dict = {}
        # Order-only edges from deps_serial: name -> {task it starts after:
        # the task whose chain asks for it}. They order tasks that run
        # anyway and never pull a task into a run.
        self.after: dict = {}
        for name, task in tasks.items():
            deps = task.all_deps
            for dep in deps:
                if dep not in tasks:
                    raise ConfigError(
                        f"depends on unknown task '{dep}'{did_you_mean(dep, tasks)}",
                        file=task.source, key=f"tasks.{name}.deps")
            self.deps[name] = deps
        self._order_serial_chains()
        cycle = self.find_cycle()
        if cycle:
            first = tasks[cycle[0]]
            raise ConfigError("dependency cycle: " + " -> ".join(cycle),
                              file=first.source, key=f"tasks.{cycle[0]}.deps")

    def _order_serial_chains(self) -> None:
        """Make ``deps_serial`` mean what "serial" says, as edges.

        In ``deps_serial = ["a", "b"]``, ``b`` waits for ``a`` and so does
        everything ``b`` needs that ``a`` does not: each such task gets an
        order-only edge to ``a`` (:attr:`after`), and a copy of it with the
        edge in :attr:`zr.model.Task.after` replaces it in ``tasks`` (the
        table the caller passed) for the scheduler. An order edge is not a
        dependency: :meth:`closure` does not follow it (``zr run b`` alone
        does not run ``a``) but orders by it, and when ``a`` fails only the
        chain stops (:class:`zr.graphstate.GraphState`), not another task
        that needs ``b``. ``zr graph`` and the dry run show the edges. A
        task the earlier steps need too is not delayed.
        """
        tasks = self.tasks
        for name in list(tasks):
            steps = [step for step in tasks[name].deps_serial if step in tasks]
            earlier: set = set()
            for before, step in zip(steps, steps[1:]):
                earlier.update(self.closure([before]))
                for needed in self.closure([step]):
                    if (needed in earlier or before in self.deps[needed]
                            or before in self.after.get(needed, ())):
                        continue
                    self.after.setdefault(needed, {})[before] = name
                    task = tasks[needed]
                    tasks[needed] = task.copy(after={**task.after, before: name})

    def edges(self, name: str) -> list:
        """What ``name`` waits for when they run: its dependencies, then
        the tasks it starts after (:attr:`after`)."""
        after = self.after.get(name)
        return self.deps[name] + list(after) if after else self.deps[name]

    def find_cycle(self) -> list | None:
        """The first cycle found, as a path ``[a, b, c, a]``; None if acyclic.
        Order-only edges count: a chain that orders a task after its own
        dependent can never start."""
        return find_cycle({name: self.edges(name) for name in self.deps})

    def closure(self, targets) -> list:
        """``targets`` and everything they depend on, dependencies first.

        The order is a valid start order (a topological order, order-only
        edges between members included) that keeps declaration order where
        the graph allows it.
        """
        members = None
        if self.after:
            members = set(self._walk(targets, lambda name: self.deps[name]))
            return self._walk(targets, lambda name: [c for c in self.edges(name)
                                                     if c in members])
        return self._walk(targets, lambda name: self.deps[name])

    @staticmethod
    def _walk(targets, children_of) -> list:
        """Post-order DFS from ``targets`` (iterative: deep graphs are fine)."""
        order: list = []
        seen: set = set()
        for target in targets:
            if target in seen:
                continue
            stack = [(target, iter(children_of(target)))]
            seen.add(target)
            while stack:
                node, children = stack[-1]
                for child in children:
                    if child not in seen:
                        seen.add(child)
                        stack.append((child, iter(children_of(child))))
                        break
                else:
                    stack.pop()
                    order.append(node)
        return order

    def layers(self, names) -> list:
        """``names`` grouped into layers: each layer depends only on earlier ones."""
        members = set(names)
        depth: dict = {}
        for name in self.closure(names):
            if name in members:
                depth[name] = 1 + max((depth[d] for d in self.edges(name) if d in depth),
                                      default=-1)
        result: list = [[] for _ in range(max(depth.values(), default=-1) + 1)]
        for name, level in depth.items():
            result[level].append(name)
        return result

    def dependents(self, names) -> dict:
        """For each of ``names``, the tasks among ``names`` that depend on it."""
        members = set(names)
        out: dict = {n: [] for n in names}
        for name in names:
            for dep in self.edges(name):
                if dep in members:
                    out[dep].append(name)
        return out


def resolve_task_name(name: str, tasks: dict, aliases: dict) -> str:
    """The task called ``name`` on the command line (aliases allowed).

    Raises :class:`UsageError` with a did-you-mean for an unknown or private
    name; private tasks only run as dependencies.
    """
    if name in aliases:
        name = aliases[name]
    task = tasks.get(name)
    if task is None:
        from .missing import hint

        provides = hint("commands", name)
        if provides:  # `zr watch` without the plugin that adds `watch`
            raise UsageError(f"no task or command named '{name}': `zr {name}` is a "
                             f"plugin's command; {provides}")
        public = [n for n, t in tasks.items() if not t.private] + list(aliases)
        raise UsageError(f"no task named '{name}'{did_you_mean(name, public)}; "
                         "`zr list` shows the tasks")
    if task.private:
        raise UsageError(f"task '{name}' is private: it runs only as a dependency of "
                         "another task")
    return name
