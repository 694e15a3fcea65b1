"""``--shard k/N``: a deterministic split of a run's tasks for CI matrices.

Every task belongs to one shard. A task that depends on tasks of several
shards (a join, such as an ``all`` task) belongs to the last shard, N;
any other task belongs to the shard a hash of its name picks (the same on
every machine and every Python, unlike ``hash()``). Shard k runs its own
tasks and the dependencies they need; the others are skipped with the
shard that owns them as the reason (``--format json`` lists both). A
needed dependency that another shard owns runs here only when the cache
has no entry for it.

Exactly once across the shards holds for ``cache = true`` tasks with a
shared remote cache when the shards run one after another: each finds
what the earlier ones stored. Shards that run at the same time may each
run a dependency they both need (same outputs, more work). Waiting for
the owning shard instead would hold a ``-j`` slot per wait, and shards
waiting on each other with every slot held would deadlock, so the split
does not promise exactly once for shards that overlap.
"""

from __future__ import annotations

import hashlib


def parse(text: str) -> tuple:
    """``"2/4"`` -> (2, 4); ValueError with a message otherwise."""
    index, slash, count = str(text).partition("/")
    try:
        k, n = int(index), int(count)
    except ValueError:
        k = n = 0
    if not slash or n < 1 or not 1 <= k <= n:
        raise ValueError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. --shard 2/4")
    return k, n


def hashed_shard(name: str, count: int) -> int:
    """The shard (1..count) a task's name picks."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % count + 1


class Shard:
    def __init__(self, run, index: int, count: int):
        self.index = index
        self.count = count
        self.owners: dict = {}
        for name in run.plan:  # dependencies first: no recursion on long chains
            deps = {self.owners.get(d) or hashed_shard(d, count)
                    for d in run.tasks[name].all_deps if d in run.tasks}
            self.owners[name] = count if len(deps) > 1 else hashed_shard(name, count)
        self.needed = set()
        stack = [name for name in run.plan if self.owners[name] == index]
        while stack:
            name = stack.pop()
            if name in self.needed or name not in run.tasks:
                continue
            self.needed.add(name)
            stack.extend(run.tasks[name].all_deps)

    def skip_reason(self, name: str):
        if name in self.needed:
            return None
        return f"shard {self.owners.get(name, '?')}/{self.count} runs it"
