"""How dependents see an image task's digest.

``${docker.TASK.digest}`` in a dependent's commands, env values or
``container`` image is replaced by the image ID (``sha256:...``) of TASK's
latest build; ``ZR_DOCKER_DIGEST_<TASK>`` (TASK upper-cased, every other
character than a letter or digit as ``_``) is set in the environment of every
task that depends on TASK, directly or not. The digest also goes into the
dependent's cache key, so a rebuilt image re-runs what uses it.
"""

from __future__ import annotations

from zr.api import ZrError

REFERENCE = r"\$\{docker\.([^}]+)\.digest\}"


def env_name(task_name: str) -> str:
    return "ZR_DOCKER_DIGEST_" + "".join(
        c if c.isascii() and c.isalnum() else "_" for c in task_name).upper()


def image_dependencies(task, tasks: dict) -> list:
    """Names of the image tasks ``task`` depends on, directly or not, in graph order."""
    seen, order, stack = set(), [], list(reversed(task.all_deps))
    while stack:
        name = stack.pop()
        if name in seen or name not in tasks:
            continue
        seen.add(name)
        dep = tasks[name]
        if dep.field("docker") is not None:
            order.append(name)
        stack.extend(reversed(dep.all_deps))
    return order


def substitute(text: str, lookup, where: str) -> str:
    """``text`` with every ``${docker.X.digest}`` replaced; ``lookup(X)`` gives the digest."""
    if "${docker." not in text:
        return text

    def replace(match):
        name = match.group(1)
        digest = lookup(name)
        if digest is None:
            raise ZrError(f"{where}: ${{docker.{name}.digest}}: no image has been built for "
                          f"{name!r} (is it an image task this task depends on?)")
        return digest

    import re  # only when a field names a digest: re is not on zr's start-up path

    return re.sub(REFERENCE, replace, text)
