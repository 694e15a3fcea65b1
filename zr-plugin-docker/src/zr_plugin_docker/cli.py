"""The Docker CLI: which one, which builder it offers, and short calls to it.

zr drives the ``docker`` command rather than the Engine API because the CLI
is what resolves contexts, TLS and ssh hosts, runs BuildKit sessions
(secrets, cache export) and attaches containers' output exactly as users
know it. ``[settings] docker_cli`` or ``ZR_DOCKER_CLI`` choose another
binary (a distribution's 20.10 client beside a newer one, for example).

Builders, best first:

- ``docker buildx build`` when the buildx plugin answers: BuildKit,
  multi-platform, cache export;
- ``DOCKER_BUILDKIT=1 docker build`` on clients older than 23, whose
  built-in BuildKit session needs no buildx;
- the classic builder otherwise (newer clients refuse BuildKit without
  buildx). Features only BuildKit has are then a clear error saying what
  to install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from zr.api import ZrError

BUILDX_HINT = ("install the buildx plugin (Docker's apt repository: docker-buildx-plugin; "
               "or the binary from https://github.com/docker/buildx/releases into "
               "~/.docker/cli-plugins/docker-buildx)")

_BUILDKIT_CLIENT_BEFORE = 23  # from 23.0 the CLI's BuildKit path needs buildx

class DockerError(ZrError):
    """The daemon or the docker CLI failed: exit 1, as a failed task does."""

    exit_code = 1


BUILDX = "buildx"
BUILDKIT = "buildkit"
CLASSIC = "classic"


def docker_cli(config=None) -> str:
    """The docker binary to run: ``ZR_DOCKER_CLI``, ``[settings] docker_cli``, PATH."""
    chosen = os.environ.get("ZR_DOCKER_CLI") or (config.setting("docker_cli")
                                                 if config is not None else None)
    if chosen:
        return chosen
    found = shutil.which("docker")
    if not found:
        raise DockerError("the docker command is not installed (Debian: apt install docker.io; "
                      "or Docker Engine from docs.docker.com); zr runs image and container "
                      "tasks through it")
    return found


def capture(argv: list, *, env=None, check: bool = True, what: str | None = None) -> str:
    """Run a short docker command and return its stdout; a failure is a
    :class:`DockerError` carrying the command's own last error line."""
    try:
        done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True)
    except OSError as exc:
        raise DockerError(f"cannot run {argv[0]}: {exc.strerror}") from None
    if check and done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        detail = lines[-1] if lines else f"exit {done.returncode}"
        raise DockerError(f"{what or ' '.join(argv[1:3])} failed: {detail}")
    return done.stdout


_builders: dict = {}


def builder(cli: str) -> str:
    """Which builder ``cli`` offers (asked once per process: two short commands)."""
    if cli not in _builders:
        if subprocess.run([cli, "buildx", "version"], stdin=subprocess.DEVNULL,
                          capture_output=True).returncode == 0:
            _builders[cli] = BUILDX
        else:
            version = capture([cli, "--version"], check=False)
            match = re.search(r"version (\d+)\.", version)
            old = match is not None and int(match.group(1)) < _BUILDKIT_CLIENT_BEFORE
            _builders[cli] = BUILDKIT if old else CLASSIC
    return _builders[cli]
