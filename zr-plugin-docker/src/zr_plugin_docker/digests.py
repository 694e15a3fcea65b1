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


def image_dependencies(task, tasks: dict, memo: dict) -> tuple:
    """Names of the image tasks ``task`` depends on, directly or not.

    ``memo`` keeps each task's answer for the run, so asking for every task
    of a large graph costs one pass over it, not one per task.
    """
    found = memo.get(task.name)
    if found is None:
        memo[task.name] = ()  # a cycle cannot get here (the graph refused it), but stay finite
        names: dict = {}
        for dep_name in task.all_deps:
            dep = tasks.get(dep_name)
            if dep is None:
                continue
            if dep.field("docker") is not None:
                names[dep_name] = None
            names.update(dict.fromkeys(image_dependencies(dep, tasks, memo)))
        found = memo[task.name] = tuple(names)
    return found


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
