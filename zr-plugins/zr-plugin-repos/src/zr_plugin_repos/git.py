"""Running the real ``git``: never prompting, messages in English, secrets masked.

Every call goes through :func:`git`, so the environment that keeps git from
waiting on a password prompt (``GIT_TERMINAL_PROMPT=0``) and the masking of
credentials in its error output are in one place.
"""

from __future__ import annotations

import os
import subprocess

from .secrets import mask

_ENV = {
    **os.environ,
    "GIT_TERMINAL_PROMPT": "0",  # a missing credential is an error, not a hung prompt
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "LC_ALL": "C",
}


class GitError(Exception):
    """A git command failed; ``str()`` is git's own message, credentials masked."""

    def __init__(self, args: list, code: int, stderr: str):
        self.code = code
        lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
        # git's last lines say what went wrong; earlier ones are progress.
        message = "; ".join(lines[-2:]) if lines else f"git {args[0]} exited with {code}"
        super().__init__(mask(message))


def git(args: list, cwd: str | None = None, check: bool = True) -> str:
    """Run ``git ARGS`` in ``cwd`` and return its stdout; raise :class:`GitError`."""
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, env=_ENV, capture_output=True,
                              text=True, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError(args, 127, "git is not installed (not found on PATH)") from None
    if check and proc.returncode != 0:
        raise GitError(args, proc.returncode, proc.stderr)
    return proc.stdout


def is_checkout(directory: str) -> bool:
    """True when ``directory`` is the top of a git work tree."""
    return os.path.exists(os.path.join(directory, ".git"))


def resolves(directory: str, ref: str) -> bool:
    """True when ``ref`` names a commit in the repository at ``directory``."""
    proc = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                          cwd=directory, env=_ENV, capture_output=True, stdin=subprocess.DEVNULL)
    return proc.returncode == 0
