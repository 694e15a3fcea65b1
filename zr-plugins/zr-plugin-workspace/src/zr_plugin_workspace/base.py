"""Which ref ``--affected`` compares with.

``--affected REF`` names it. ``--affected`` alone leaves it to the
environment, in this order: ``ZR_AFFECTED_BASE``; in CI (``CI`` set and not
``0``/``false``/``no``, as zr's terminal output tells CI) the default
branch, as ``--affected auto``; otherwise it is a usage error, because a
developer's machine has no single right answer. ``auto`` is the default
branch: ``[workspace] default_branch``, else origin's HEAD, else
main/master (see :func:`.changes.default_base`).

The same resolution runs once per git repository: once for a workspace in
one repository, once per member for members that are repositories of their
own (a synthetic workspace of zr-plugin-repos), each with its own default
branch.

Public for other plugins: :data:`NO_REF`, :func:`requested_ref`,
:func:`resolve_ref` and :func:`shown` are this plugin's one answer to
"which base", so a plugin with an ``--affected`` of its own (``zr repo run
--affected`` of zr-plugin-repos, which depends on this plugin) asks here
instead of keeping a copy that could drift. The module imports only ``os``
at load time.
"""

from __future__ import annotations

import os

# The value of ``--affected`` given without a REF. A colon is never part
# of a git ref name, so no branch or tag can be mistaken for it.
NO_REF = ":from-environment"

FALSE_WORDS = ("0", "false", "no")


def in_ci() -> bool:
    """True in CI: ``CI`` set to anything but ``0``/``false``/``no`` (what
    GitHub Actions, GitLab CI, CircleCI, Buildkite and others set)."""
    value = os.environ.get("CI", "").strip().lower()
    return bool(value) and value not in FALSE_WORDS


def shown(given: str) -> str:
    """``--affected REF`` as the user typed it, for messages."""
    return "--affected" if given == NO_REF else f"--affected {given}"


def requested_ref(given: str) -> str:
    """The ref asked for, before ``auto`` is looked up: explicit REF >
    ``ZR_AFFECTED_BASE`` > ``auto`` in CI; a usage error otherwise."""
    from zr.errors import UsageError

    if given != NO_REF:
        return given
    from_env = os.environ.get("ZR_AFFECTED_BASE", "").strip()
    if from_env:
        return from_env
    if in_ci():
        return "auto"
    raise UsageError("--affected without a REF needs a base to compare with: pass one "
                     "(--affected origin/main, or --affected auto for the default branch) "
                     "or set ZR_AFFECTED_BASE; in CI (CI=true) it defaults to the merge-base "
                     "with the default branch")


def resolve_ref(given: str, root: str, default_branch: str | None = None) -> str:
    """The git ref to take the merge-base with, in the repository at ``root``."""
    from .changes import default_base

    ref = requested_ref(given)
    return default_base(root, default_branch) if ref == "auto" else ref
