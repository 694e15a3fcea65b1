"""Fixtures of the Docker plugin's tests: a zr project wired to the session's
real dockerd (tests/servers/docker.py), with a busybox build context."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

APP_DOCKERFILE = """\
FROM scratch AS base
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]

FROM base AS app
ARG GREETING=hello
COPY message.txt /message.txt
RUN echo "$GREETING" > /greeting

FROM base AS other
RUN echo other > /greeting
"""


class DockerProject:
    """A zr project whose `zr` talks to the test daemon; `img/` is a build context."""

    def __init__(self, project, daemon):
        self.project = project
        self.daemon = daemon
        self.path = project.path
        self.label = f"dev.zr.project={os.path.abspath(project.path)}"
        project.env.update(daemon.env)
        daemon.base_context(project.path / "img", APP_DOCKERFILE)
        (project.path / "img" / "message.txt").write_text("v1\n")

    def write(self, text: str):
        return self.project.write(text)

    def run(self, *args, **kwargs):
        return self.project.run(*args, **kwargs)

    def popen(self, *args, **kwargs):
        return self.project.popen(*args, **kwargs)

    def log_docker_calls(self) -> Path:
        """Make zr use a docker CLI that logs each call, then runs the real one;
        returns the log (for "the daemon was not contacted")."""
        log = self.path.parent / "docker-calls.log"
        wrapper = self.path.parent / "docker-logged"
        wrapper.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {self.daemon.cli} "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        self.project.env["ZR_DOCKER_CLI"] = str(wrapper)
        return log


@pytest.fixture
def docker_project(zr_project, docker_daemon):
    made = DockerProject(zr_project, docker_daemon)
    yield made
    # Whatever a test left behind on the shared daemon is removed by label.
    names = docker_daemon.containers(made.label)
    if names:
        docker_daemon.docker("rm", "--force", *names, check=False)


def _printed(output: str, task: str, text: str) -> bool:
    return re.search(rf"^{re.escape(task)} *\| {re.escape(text)}$", output, re.M) is not None


@pytest.fixture
def printed():
    """``printed(output, task, text)``: True when ``task`` printed the line
    ``text`` (prefixes are padded to the longest task name of the run)."""
    return _printed
