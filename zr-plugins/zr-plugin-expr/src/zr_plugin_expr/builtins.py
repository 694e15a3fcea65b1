"""This plugin's own functions, registered the way any plugin registers its own.

:func:`register_builtins` is what the plugin's ``zr_expr_functions`` hook
calls; a third-party plugin does the same with its functions::

    @zr.hookimpl
    def zr_expr_functions(register):
        register("git.branch", current_branch, help="the checked-out branch", arity=0)
"""

from __future__ import annotations

from . import files, semver, shell


def register_builtins(register) -> None:
    register("file.exists", files.file_exists, arity=1,
             help="file.exists(path): true if the file or directory exists")
    register("file.newer", files.file_newer, arity=2,
             help="file.newer(target, source): true if target is missing or older than"
                  " the newest file in source (directories are walked)")
    register("file.hash", files.file_hash, arity=1,
             help="file.hash(path): SHA-256 of the file's contents, in hex")
    register("shell", shell.shell, arity=1,
             help="shell(cmd): true if `sh -c cmd` exits 0 (run in the task's cwd,"
                  " output discarded, time-bounded)")
    for name, test, meaning in (
            ("gte", semver.semver_gte, ">="), ("gt", semver.semver_gt, ">"),
            ("lte", semver.semver_lte, "<="), ("lt", semver.semver_lt, "<"),
            ("eq", semver.semver_eq, "==")):
        register(f"semver.{name}", test, arity=2,
                 help=f"semver.{name}(a, b): true if version a {meaning} version b")
