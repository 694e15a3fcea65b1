"""Turning a task's ``cmd`` strings into argvs.

- A plain command runs as ``shell + [cmd]`` (default ``sh -e -c``, so a
  multi-line command stops at its first failing line).
- A command whose first line is a shebang (``#!/usr/bin/env python3``) is
  written to a temporary executable file and run directly.
- Words after ``--`` on the command line replace ``${args}`` where it
  appears (shell-quoted), or are appended to the last command.
"""

from __future__ import annotations

import os

DEFAULT_SHELL = ("sh", "-e", "-c")
_script_dir = None


def _scripts() -> str:
    global _script_dir
    if _script_dir is None:
        import atexit
        import shutil
        import tempfile

        _script_dir = tempfile.mkdtemp(prefix="zr-scripts-")
        atexit.register(shutil.rmtree, _script_dir, True)
    return _script_dir


def _script_file(body: str) -> str:
    import tempfile

    fd, path = tempfile.mkstemp(dir=_scripts(), suffix=".script")
    with os.fdopen(fd, "w") as fh:
        fh.write(body if body.endswith("\n") else body + "\n")
    os.chmod(path, 0o700)
    return path


def command_argvs(cmds, shell, args=()) -> list:
    argvs = []
    if args:
        import shlex

        quoted = " ".join(shlex.quote(a) for a in args)
    else:
        quoted = ""
    last = len(cmds) - 1
    placed = any("${args}" in cmd for cmd in cmds)  # then never appended as well
    for index, cmd in enumerate(cmds):
        if cmd.startswith("#!"):
            argvs.append([_script_file(cmd)] + (list(args) if index == last and not placed
                                                else []))
            continue
        if "${args}" in cmd:
            cmd = cmd.replace("${args}", quoted)
        elif args and index == last and not placed:
            cmd = f"{cmd} {quoted}"
        argvs.append(list(shell) + [cmd])
    return argvs


def task_shell(task, config) -> list:
    """The shell of a task's commands: its own, else ``[settings] shell``,
    else ``sh -e -c``."""
    return task.shell or config.setting("shell") or list(DEFAULT_SHELL)


def task_argvs(task, config, args=()) -> list:
    """The argvs of a task's ``cmd``, with ``args`` (words after ``--``)."""
    return command_argvs(task.cmds, task_shell(task, config), args)


def command_key_form(argv: list) -> list:
    """``argv`` as a cache key sees it: a shebang command's temporary script
    file (a new path each run) replaced by the script it holds."""
    if argv and argv[0].endswith(".script") and os.path.dirname(argv[0]) == _script_dir:
        with open(argv[0]) as fh:
            return ["#!script", fh.read()] + list(argv[1:])
    return list(argv)


def display_command(argv: list) -> str:
    """The command as the user wrote it, for --dry-run and --verbose."""
    if len(argv) >= 2 and argv[-2] in ("-c", "-ec", "-ce") or (
            len(argv) >= 2 and argv[-2].endswith("c") and argv[-2].startswith("-")):
        return argv[-1]
    if len(argv) >= 1 and argv[0].endswith(".script") and os.path.exists(argv[0]):
        with open(argv[0]) as fh:
            return fh.read().rstrip("\n")
    import shlex

    return " ".join(shlex.quote(a) for a in argv)
