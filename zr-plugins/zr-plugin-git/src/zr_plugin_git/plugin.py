"""The ``git`` plugin: ``git.branch``, ``git.dirty``, ``git.commit`` and
``file.changed(glob)`` in conditions, and ``--since REF`` for the latter.

The functions live in :mod:`.functions`; git is asked lazily, once per
invocation, and only when a condition calls one of them.
"""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_options(registry):
    registry.add("since", ["--since"], metavar="REF", envvar="ZR_SINCE",
                 help="file.changed() compares with the merge-base of REF and HEAD "
                      "(e.g. origin/main) instead of HEAD (also ZR_SINCE).")


@hookimpl
def zr_configure(config):
    from . import invocation

    invocation.start(config.options.get("since"))


@hookimpl(optionalhook=True)  # a hook of the expr plugin, if installed
def zr_expr_functions(register):
    from . import functions

    register("git.branch", functions.branch,
             help="git.branch (or git.branch()): the checked-out branch, '' when detached")
    register("git.commit", functions.commit,
             help="git.commit: the full commit id of HEAD, '' before the first commit")
    register("git.dirty", functions.dirty,
             help="git.dirty: true if tracked files are modified or staged, or untracked "
                  "files exist (ignored files do not count)")
    register("file.changed", functions.file_changed,
             help="file.changed(glob): true if a file matching the glob (relative to the "
                  "task's cwd) changed in the working tree or index vs HEAD, or vs the "
                  "merge-base with --since REF")
