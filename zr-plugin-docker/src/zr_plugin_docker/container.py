"""Container tasks: each command of the plan becomes a ``docker run``.

What the wrapper guarantees, and how:

- the project is mounted at the same path and the command starts in the
  task's own directory, so paths in commands and outputs mean the same
  thing inside and out;
- the process runs as the caller's uid:gid (unless ``user`` says
  otherwise), so what it writes belongs to the user, not to root;
- ``--init`` puts a real PID 1 in the container that passes signals on:
  the CLI forwards zr's SIGTERM (timeout) and SIGINT (Ctrl-C) to it, and
  the command stops as it would outside;
- ``--rm`` and a name zr chooses for each attempt (see :func:`attempt_names`)
  let zr remove exactly that attempt's container when the CLI itself was
  killed before it could, and nobody else's: two zr processes running the
  same task of one checkout at once get different names;
- only the variables zr set for the task (``[env]``, task ``env``,
  ``--env``, plugins) are passed in, by name, so values never appear on a
  command line and the host's PATH and HOME stay outside.
"""

from __future__ import annotations

import hashlib
import os
import re

from .labels import PROJECT_LABEL, TASK_LABEL

_NOT_PASSED = frozenset({"PATH", "HOME", "HOSTNAME", "PWD", "OLDPWD", "SHLVL", "TERM", "_"})


def attempt_names(project_root: str, task_name: str, count: int) -> list:
    """Names for the ``count`` containers of one attempt of a task:
    ``zr-<project>-<task>-<pid>-<token>-<n>``.

    The project hash and task name say whose container it is (``docker
    ps``); zr's pid and a random token drawn for this attempt make it unique
    among concurrent zr processes (the pid alone is not enough when zr runs
    in containers that share the host's daemon), and among the attempts of
    one process (a retry must not meet the container of the attempt before).
    The names stay out of the cache key (:meth:`zr.api.ProcessPlan.wrap`).
    """
    root = hashlib.sha256(os.path.abspath(project_root).encode()).hexdigest()[:8]
    slug = re.sub(r"[^a-zA-Z0-9_.-]+", "-", task_name).strip("-.") or "task"
    attempt = f"{os.getpid()}-{os.urandom(3).hex()}"
    return [f"zr-{root}-{slug}-{attempt}-{index}" for index in range(1, count + 1)]


def _volume(spec: str, base: str) -> str:
    """A bind source that is a path is made absolute (``~`` is home, a relative
    path is relative to the project); a bare word is a named volume."""
    source, _, rest = spec.partition(":")
    if source.startswith("~"):
        source = os.path.expanduser(source)
    elif source.startswith(".") or "/" in source:
        source = os.path.normpath(os.path.join(base, source))
    return f"{source}:{rest}"


def passed_env(plan) -> list:
    """Names of the variables zr declared, set or changed for the task (the
    rest of the plan's environment is merely inherited from the host)."""
    return sorted(name for name, value in plan.env.items()
                  if name not in _NOT_PASSED
                  and (name in plan.declared_env or plan.inherited_env.get(name) != value))


def key_label(container: dict, image: str) -> str:
    """What of a container changes what its commands compute, as zr.toml
    says it (no absolute path, uid or CLI location): the cache key's part."""
    import json

    described = {"image": image, **{name: container[name] for name in
                                    ("volumes", "workdir", "user", "network")}}
    return "container " + json.dumps(described, sort_keys=True)


def wrapper(cli: str, *, container: dict, image: str, cwd: str,
            project_root: str, task_name: str, env_names: list, names: list):
    """A function of a command's index giving the ``docker run`` words
    before it (each command its own container, ``names[index]``, for zr to
    clean up): a prefix for :meth:`zr.api.ProcessPlan.wrap`."""
    root = os.path.abspath(project_root)
    user = container["user"] or f"{os.getuid()}:{os.getgid()}"
    common = ["run", "--rm", "--init", "--user", user,
              "--label", f"{PROJECT_LABEL}={root}", "--label", f"{TASK_LABEL}={task_name}",
              "--volume", f"{root}:{root}",
              "--workdir", container["workdir"] or cwd]
    if container["network"]:
        common += ["--network", container["network"]]
    for volume in container["volumes"]:
        common += ["--volume", _volume(volume, root)]
    for name in sorted(set(env_names) | set(container["env"])):
        common += ["--env", name]

    def prefix(index: int) -> list:
        return [cli, *common, "--name", names[index], image]

    return prefix
