"""Find the line of ``zr.toml`` where a key path is written.

tomllib returns plain dicts without positions, so errors found after
parsing are located by scanning the text: table headers (``[tasks.build]``,
``[[workflows.x.stages]]``) set the current path, ``key = ...`` lines extend
it. The first line whose path equals the wanted one wins; otherwise the
deepest line on the way there (often an inline table holding the key).
"""

from __future__ import annotations

import re

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _split_key(text: str) -> tuple:
    """``tasks."test:unit".cmd`` -> (["tasks", "test:unit", "cmd"], rest)."""
    parts, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in " \t":
            i += 1
        elif ch in "\"'":
            end = text.find(ch, i + 1)
            if end < 0:
                return parts, ""
            parts.append(text[i + 1:end])
            i = end + 1
        elif ch == ".":
            i += 1
        else:
            m = _BARE.match(text, i)
            if not m:
                return parts, text[i:]
            parts.append(m.group())
            i = m.end()
    return parts, ""


def find_line(text: str, path) -> int | None:
    """1-based line where ``path`` (keys, and indices into arrays of tables
    such as ``[[workflows.x.stages]]``) is set, or None."""
    want = [p if isinstance(p, int) else str(p) for p in path]
    if not want:
        return None
    current: list = []
    counts: dict = {}
    best_line, best_len = None, 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            inner = stripped.strip("[]").split("]")[0]
            keys, _ = _split_key(inner)
            if stripped.startswith("[["):  # the n-th table of an array
                index = counts.get(tuple(keys), -1) + 1
                counts[tuple(keys)] = index
                keys = keys + [index]
            current = keys
            full = keys
        else:
            eq = stripped.find("=")
            if eq <= 0:
                continue
            keys, _ = _split_key(stripped[:eq])
            full = current + keys
        common = 0
        for a, b in zip(full, want):
            if a != b:
                break
            common += 1
        if common == len(want) and len(full) >= len(want):
            return number
        if common == len(full) and common > best_len:
            best_line, best_len = number, common
    return best_line
