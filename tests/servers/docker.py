"""A real Docker daemon and a real registry, for the Docker plugin's tests.

    docker_daemon    session scope: Debian's dockerd with its own data root,
                     exec root and a unix socket in a short temporary
                     directory (`DOCKER_HOST`), no bridge and no iptables;
                     `base_context(path)` writes a build context with
                     busybox-static in it (no image can be pulled here, so
                     test images are `FROM scratch` plus that binary)
    docker_registry  session scope: Debian's docker-registry on 127.0.0.1

The daemon's containers have no network (`--network none`), and BuildKit
`RUN` steps need `--network none` too: with `--bridge=none` the default
build network does not exist. `cli` is Debian's 20.10 client, whose
`DOCKER_BUILDKIT=1` needs no buildx plugin.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from .process import READY_DEADLINE_SECONDS, READY_POLL_SECONDS, ServerProcess, free_port
from .programs import system_program
from .service import RealService, serve_for_session

DEBIAN_DOCKER_CLI = "/usr/bin/docker"
BUSYBOX = "/bin/busybox"

BASE_DOCKERFILE = """\
FROM scratch AS base
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
"""


def _pings(socket_path: str) -> bool:
    """True once the daemon answers `GET /_ping` on its socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2.0)
        try:
            sock.connect(socket_path)
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            return sock.recv(64).startswith(b"HTTP/1.")
        except OSError:
            return False


class DockerdProcess(ServerProcess):
    """dockerd, ready when its unix socket answers `/_ping`."""

    def __init__(self, command, *, workdir: Path, socket_path: str) -> None:
        super().__init__("dockerd", command, workdir=workdir, ready_url=f"unix://{socket_path}",
                         stop_grace_seconds=30.0)
        self.socket_path = socket_path

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_DEADLINE_SECONDS
        while not _pings(self.socket_path):
            exit_code = self._popen.poll()
            if exit_code is not None:
                self.fail(f"exited with code {exit_code} before answering on {self.ready_url}")
            if time.monotonic() > deadline:
                self.kill()
                self.fail(f"did not answer on {self.ready_url} within "
                          f"{READY_DEADLINE_SECONDS:.0f} s")
            time.sleep(READY_POLL_SECONDS)


class DockerDaemon(RealService):
    """A private dockerd; `env` points the docker CLI (and zr) at it."""

    cli = DEBIAN_DOCKER_CLI

    def __init__(self, workdir: Path) -> None:
        # Unix socket paths are limited to 108 bytes, and containerd puts its
        # own sockets under the exec root: both live in a short /tmp directory.
        self.short_dir = tempfile.mkdtemp(prefix="zrd", dir="/tmp")
        self.socket_path = os.path.join(self.short_dir, "d.sock")
        self.host = f"unix://{self.socket_path}"
        super().__init__(DockerdProcess([
            system_program("dockerd"), "-H", self.host,
            "--data-root", os.path.join(self.short_dir, "data"),
            "--exec-root", os.path.join(self.short_dir, "x"),
            "--pidfile", os.path.join(self.short_dir, "d.pid"),
            "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-masq=false",
        ], workdir=workdir, socket_path=self.socket_path))

    @property
    def env(self) -> Dict[str, str]:
        return {"DOCKER_HOST": self.host, "ZR_DOCKER_CLI": self.cli}

    def docker(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run the docker CLI against this daemon (text output captured)."""
        done = subprocess.run([self.cli, *args], env={**os.environ, **self.env},
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            pytest.fail(f"docker {' '.join(args)} failed ({done.returncode}): "
                        f"{done.stderr.strip()}", pytrace=False)
        return done

    def containers(self, label: str) -> List[str]:
        """Names of all containers (running or not) carrying `label`."""
        out = self.docker("ps", "--all", "--filter", f"label={label}",
                          "--format", "{{.Names}}").stdout
        return out.split()

    def image_ids(self) -> List[str]:
        out = self.docker("image", "ls", "--all", "--no-trunc", "--format", "{{.ID}}").stdout
        return sorted(set(out.split()))

    @staticmethod
    def base_context(path: Path, dockerfile: str = BASE_DOCKERFILE) -> Path:
        """A build context with busybox-static and `dockerfile` in it."""
        path.mkdir(parents=True, exist_ok=True)
        shutil.copy2(BUSYBOX, path / "busybox")
        (path / "Dockerfile").write_text(dockerfile)
        return path

    def remove_files(self) -> None:
        shutil.rmtree(self.short_dir, ignore_errors=True)


class DockerRegistry(RealService):
    """docker-registry (distribution) on 127.0.0.1, storing under its workdir."""

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        self.address = f"127.0.0.1:{port}"
        config = workdir / "registry.yml"
        workdir.mkdir(parents=True, exist_ok=True)
        config.write_text(
            "version: 0.1\n"
            "log:\n  level: warn\n"
            f"storage:\n  filesystem:\n    rootdirectory: {workdir / 'data'}\n"
            "  delete:\n    enabled: true\n"
            f"http:\n  addr: {self.address}\n")
        super().__init__(ServerProcess(
            "docker-registry", [system_program("docker-registry"), "serve", str(config)],
            workdir=workdir, ready_url=f"http://{self.address}/v2/"))


@pytest.fixture(scope="session")
def docker_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DockerDaemon]:
    if not os.path.isfile(BUSYBOX) or not os.path.isfile(DEBIAN_DOCKER_CLI):
        pytest.fail(f"{BUSYBOX} and {DEBIAN_DOCKER_CLI} are needed (Debian busybox-static, "
                    "docker.io); install them with scripts/install-test-services.sh",
                    pytrace=False)
    daemon = DockerDaemon(tmp_path_factory.mktemp("dockerd"))
    try:
        yield from serve_for_session(daemon)
    finally:
        daemon.remove_files()


@pytest.fixture(scope="session")
def docker_registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DockerRegistry]:
    yield from serve_for_session(DockerRegistry(tmp_path_factory.mktemp("docker_registry")))
