"""``[[constraints]]``: rules about which members may depend on which,
checked by ``zr lint``.

- ``rule = "tag-based"``: members matching ``from`` may not depend on
  members matching ``to`` (``allow = false``, the default), or may depend
  only on members matching ``to`` (``allow = true``). Checked on direct
  dependencies.
- ``rule = "banned-dependency"``: members matching ``from`` (every member
  when it is left out) may not depend on a member matching ``to``, directly
  or through others; the violation shows the whole path.
- ``rule = "no-circular"``: no cycle between members. A cycle is always a
  configuration error (exit 2) as task cycles are, so this rule documents
  the intent and never reports on a loaded workspace.

``from`` and ``to`` are a member name, a glob over names, or ``tag:NAME``.
Each check is O(members + dependencies) per rule.
"""

from __future__ import annotations

from fnmatch import fnmatchcase


class Violation:
    """One broken rule: the dependency ``path`` (member names) and the rule."""

    __slots__ = ("index", "rule", "path", "message", "file", "line")

    def __init__(self, index: int, rule: dict, path: list, message: str, file: str, line):
        self.index = index
        self.rule = rule
        self.path = path
        self.message = message
        self.file = file
        self.line = line

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (f"{where}: {' -> '.join(self.path)}: {self.message} "
                f"(constraints[{self.index}], {self.rule['rule']})")

    def to_json(self) -> dict:
        return {"rule": self.rule["rule"], "index": self.index, "path": self.path,
                "message": self.message, "file": self.file, "line": self.line,
                "from": self.rule.get("from"), "to": _as_list(self.rule.get("to")),
                "allow": self.rule.get("allow", False)}


def _as_list(value) -> list:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def matches(member, selector: str) -> bool:
    """``selector`` (a name, a glob, or ``tag:NAME``) matches ``member``."""
    if selector.startswith("tag:"):
        return any(fnmatchcase(tag, selector[4:]) for tag in member.tags)
    return member.name == selector or fnmatchcase(member.name, selector)


def check(workspace, rules: list, file: str, text: str) -> list:
    """Every violation of ``rules`` (the ``[[constraints]]`` array)."""
    from zr.api import find_line

    violations = []
    for index, rule in enumerate(rules):
        line = find_line(text, ["constraints", index])
        kind = rule["rule"]
        if kind == "tag-based":
            violations += _tag_based(workspace, index, rule, file, line)
        elif kind == "banned-dependency":
            violations += _banned(workspace, index, rule, file, line)
    return violations


def _sources(workspace, rule: dict) -> list:
    selector = rule.get("from")
    return [m for m in workspace.members.values() if selector is None or matches(m, selector)]


def _tag_based(workspace, index: int, rule: dict, file: str, line) -> list:
    targets = _as_list(rule.get("to"))
    allow = rule.get("allow", False)
    out = []
    for member in _sources(workspace, rule):
        for dep in member.dependencies:
            hit = any(matches(workspace.members[dep], t) for t in targets)
            if allow and not hit:
                message = (f"{rule.get('from', 'every member')} may depend only on "
                           f"{' or '.join(targets) or 'nothing'}")
            elif not allow and hit:
                message = f"{rule.get('from', 'every member')} may not depend on " \
                          f"{' or '.join(targets)}"
            else:
                continue
            out.append(Violation(index, rule, [member.name, dep],
                                 rule.get("description") or message, file, line))
    return out


def _banned(workspace, index: int, rule: dict, file: str, line) -> list:
    targets = _as_list(rule.get("to"))
    banned = {m.name for m in workspace.members.values()
              if any(matches(m, t) for t in targets)}
    message = rule.get("description") or (
        f"{' or '.join(targets)} is a banned dependency"
        + (f" of {rule['from']}" if rule.get("from") else ""))
    out = []
    if not banned:
        return out
    for member in _sources(workspace, rule):
        previous = _shortest_paths(workspace, member.name)
        for name in sorted(banned & previous.keys() - {member.name}):
            out.append(Violation(index, rule, _path_to(previous, name), message, file, line))
    return out


def _shortest_paths(workspace, start: str) -> dict:
    """Breadth-first predecessors of everything ``start`` depends on."""
    previous = {start: None}
    queue = [start]
    for node in queue:
        for dep in workspace.deps[node]:
            if dep not in previous:
                previous[dep] = node
                queue.append(dep)
    return previous


def _path_to(previous: dict, goal: str) -> list:
    path = []
    node = goal
    while node is not None:
        path.append(node)
        node = previous[node]
    return path[::-1]


def unmatched_selectors(workspace, rules: list, file: str, text: str) -> list:
    """``file:line: constraints[i].from: 'tag:lbi' matches no member`` for
    each selector that selects nothing: most likely a typo, and a rule that
    can never be broken."""
    from zr.api import find_line

    members = list(workspace.members.values())
    out = []
    for index, rule in enumerate(rules):
        for key in ("from", "to"):
            for selector in _as_list(rule.get(key)):
                if not any(matches(m, selector) for m in members):
                    line = find_line(text, ["constraints", index, key])
                    where = f"{file}:{line}" if line else file
                    out.append(f"{where}: constraints[{index}].{key}: '{selector}' matches "
                               "no member")
    return out
