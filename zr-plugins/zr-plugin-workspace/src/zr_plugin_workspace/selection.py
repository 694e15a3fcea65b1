"""``--filter``: which members a fan-out runs in, in pnpm/Turborepo syntax.

One filter selects members by:

- ``web`` a name, ``@scope/*`` or ``lib-*`` a glob over names;
- ``tag:NAME`` every member with that tag (a glob works: ``tag:scope-*``);
- ``./packages/web`` or ``{./packages}`` members under a directory
  (relative to where zr runs);
- ``web...`` adds what it depends on, ``...web`` what depends on it,
  ``...web...`` both; ``web^...`` and ``...^web`` leave the member itself
  out;
- ``!web`` removes what it selects.

Several filters select the union of the positive ones minus the negated
ones (only negations: all members minus those). A filter that selects no
member is a usage error: a typo should not silently run nothing.
"""

from __future__ import annotations

import os
from fnmatch import fnmatchcase

from zr.errors import UsageError, did_you_mean

from .members import relpath


def selected_members(config, workspace) -> set:
    """Names of the members a fan-out includes (all without ``--filter``)."""
    filters = [f for f in (config.options.get("filter") or ()) if f.strip()]
    if not filters:
        return set(workspace.members)
    positive = [f for f in filters if not f.startswith("!")]
    negative = [f[1:] for f in filters if f.startswith("!")]
    chosen = set() if positive else set(workspace.members)
    for text in positive:
        chosen |= select(text, workspace)
    for text in negative:
        chosen -= select(text, workspace)
    return chosen


def select(text: str, workspace) -> set:
    """The members one filter (without ``!``) selects."""
    core, with_deps, with_dependents, keep_self = _parse(text)
    base = _match(core, workspace)
    if not base:
        names = list(workspace.members)
        raise UsageError(f"--filter {text}: no workspace member matches "
                         f"'{core}'{did_you_mean(core, names)}; `zr workspace list` shows "
                         "the members")
    result = set(base) if keep_self else set()
    if with_deps:
        result |= workspace.with_dependencies(base) - (set() if keep_self else base)
    if with_dependents:
        result |= workspace.with_dependents(base) - (set() if keep_self else base)
    return result


def _parse(text: str):
    """``(core, with dependencies, with dependents, keep the match itself)``."""
    core = text.strip()
    with_deps = with_dependents = False
    keep_self = True
    if core.endswith("..."):
        with_deps, core = True, core[:-3]
        if core.endswith("^"):
            keep_self, core = False, core[:-1]
    if core.startswith("..."):
        with_dependents, core = True, core[3:]
        if core.startswith("^"):
            keep_self, core = False, core[1:]
    if not core:
        raise UsageError(f"--filter {text}: expected a member name, a glob, tag:NAME or "
                         "./path, with ... before or after it")
    return core, with_deps, with_dependents, keep_self


def _match(core: str, workspace) -> set:
    if core.startswith("{") and core.endswith("}"):
        core = core[1:-1]
    if core.startswith("tag:"):
        pattern = core[4:]
        return {m.name for m in workspace.members.values()
                if any(fnmatchcase(tag, pattern) for tag in m.tags)}
    if core.startswith(("./", "../")) or core in (".", ".."):
        base = relpath(os.path.abspath(core), workspace.root)
        if base == ".":
            return set(workspace.members)
        return {m.name for m in workspace.members.values()
                if m.rel == base or m.rel.startswith(base.rstrip("/") + "/")
                or fnmatchcase(m.rel, base)}
    if core in workspace.members:
        return {core}
    return {name for name in workspace.members if fnmatchcase(name, core)}
