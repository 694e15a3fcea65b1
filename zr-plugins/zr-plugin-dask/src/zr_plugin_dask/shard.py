"""``--shard k/N``: a deterministic split of a run's tasks for CI matrices.

Every task belongs to one shard, by a hash of its name (the same on every
machine and every Python, unlike ``hash()``). Shard k runs its own tasks
and the dependencies they need; the others are skipped with the shard that
owns them as the reason (``--format json`` lists both). A needed
dependency another shard owns runs here only if the cache has no entry
for it: with a shared remote cache each task runs once across the shards.
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


def owner(name: str, count: int) -> int:
    """The shard (1..count) that owns the task ``name``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % count + 1


class Shard:
    def __init__(self, run, index: int, count: int):
        self.index = index
        self.count = count
        mine = [name for name in run.plan if owner(name, count) == index]
        self.needed = set()
        stack = list(mine)
        while stack:
            name = stack.pop()
            if name in self.needed or name not in run.tasks:
                continue
            self.needed.add(name)
            stack.extend(run.tasks[name].all_deps)

    def skip_reason(self, name: str):
        if name in self.needed:
            return None
        return f"shard {owner(name, self.count)}/{self.count} runs it"
