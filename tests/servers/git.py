"""Real git servers: `git daemon` (git://) and smart HTTP (`git http-backend` behind nginx).

Both serve the bare repositories under their `base_dir`; a test creates its
repositories in a directory of its own below it (`repo_dir(...)`) and clones
`url_for(relative path)`. The HTTP server is nginx passing `/git/...` to
`git http-backend` through Debian's fcgiwrap, with an optional `limit_rate`
so that a test can kill it in the middle of a transfer.

    git_daemon_server   session scope, git://127.0.0.1:PORT/
    git_http_server     session scope, http://127.0.0.1:PORT/git/
"""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest

from .nginx import nginx_command, write_config
from .process import READY_DEADLINE_SECONDS, READY_POLL_SECONDS, ServerProcess, free_port
from .programs import system_program
from .service import RealService, serve_for_session

GIT_HTTP_BACKEND = "/usr/lib/git-core/git-http-backend"


class SocketReadyProcess(ServerProcess):
    """A server that speaks no HTTP: ready once `ready()` (a connect) succeeds."""

    def __init__(self, name: str, command, *, workdir: Path, ready: Callable[[], bool],
                 describe: str) -> None:
        super().__init__(name, command, workdir=workdir, ready_url=describe)
        self.ready = ready

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_DEADLINE_SECONDS
        while not self.ready():
            exit_code = self._popen.poll()
            if exit_code is not None:
                self.fail(f"exited with code {exit_code} before accepting on {self.ready_url}")
            if time.monotonic() > deadline:
                self.kill()
                self.fail(f"did not accept on {self.ready_url} within "
                          f"{READY_DEADLINE_SECONDS:.0f} s")
            time.sleep(READY_POLL_SECONDS)


def _connects(family: int, address) -> Callable[[], bool]:
    def attempt() -> bool:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            try:
                sock.connect(address)
            except OSError:
                return False
            return True
    return attempt


class GitServer(RealService):
    """What both servers share: a base directory and URLs below it."""

    url: str

    def __init__(self, process: ServerProcess, base_dir: Path) -> None:
        super().__init__(process)
        self.base_dir = base_dir

    def repo_dir(self, *parts: str) -> Path:
        """A directory under the served base (created), for one test's repositories."""
        path = self.base_dir.joinpath(*parts)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def url_for(self, path: Path) -> str:
        """The clone URL of the bare repository at `path` (under `base_dir`)."""
        return f"{self.url}/{Path(path).relative_to(self.base_dir).as_posix()}"


class GitDaemonServer(GitServer):
    """`git daemon` exporting every repository under `base_dir` over git://."""

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        base_dir = workdir / "repos"
        base_dir.mkdir()
        self.url = f"git://127.0.0.1:{port}"
        command = [
            system_program("git"), "daemon", "--reuseaddr", "--listen=127.0.0.1",
            f"--port={port}", f"--base-path={base_dir}", "--export-all", "--informative-errors",
        ]
        super().__init__(SocketReadyProcess(
            "git-daemon", command, workdir=workdir,
            ready=_connects(socket.AF_INET, ("127.0.0.1", port)), describe=self.url), base_dir)


GIT_HTTP_SERVER_BLOCK = """\
        location = /ready {{
            return 200 "ready";
        }}
        location ~ ^/git(/.*)$ {{
            {limit_rate}
            fastcgi_pass unix:{socket};
            fastcgi_param SCRIPT_FILENAME {backend};
            fastcgi_param GIT_PROJECT_ROOT {base_dir};
            fastcgi_param GIT_HTTP_EXPORT_ALL "";
            fastcgi_param PATH_INFO $1;
            fastcgi_param QUERY_STRING $query_string;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param CONTENT_TYPE $content_type;
            fastcgi_param CONTENT_LENGTH $content_length;
            fastcgi_param GIT_PROTOCOL $http_git_protocol;
            fastcgi_param REMOTE_ADDR $remote_addr;
        }}
"""


class GitHttpServer(GitServer):
    """nginx + fcgiwrap + `git http-backend`: git's smart HTTP protocol.

    Two processes: fcgiwrap (started first, listening on a unix socket) and
    nginx in front of it. `stop()`/`kill()` take both away.
    """

    def __init__(self, workdir: Path, limit_rate: Optional[str] = None) -> None:
        port = free_port()
        base_dir = workdir / "repos"
        base_dir.mkdir()
        self.url = f"http://127.0.0.1:{port}/git"
        sock = workdir / "fcgiwrap.sock"
        self.fcgiwrap = SocketReadyProcess(
            "fcgiwrap", [system_program("fcgiwrap"), "-c", "8", "-s", f"unix:{sock}"],
            workdir=workdir, ready=_connects(socket.AF_UNIX, str(sock)), describe=str(sock))
        config = write_config(workdir, port, GIT_HTTP_SERVER_BLOCK.format(
            socket=sock, backend=GIT_HTTP_BACKEND, base_dir=base_dir,
            limit_rate=f"limit_rate {limit_rate};" if limit_rate else ""))
        nginx = ServerProcess(
            "nginx-git", nginx_command(workdir, config), workdir=workdir, ready_url=f"http://127.0.0.1:{port}/ready")
        self._socket = sock
        super().__init__(nginx, base_dir)

    def is_running(self) -> bool:
        return self.process.is_running() and self.fcgiwrap.is_running()

    def start(self) -> None:
        if self._socket.exists() and not self.fcgiwrap.is_running():
            self._socket.unlink()
        self.fcgiwrap.start()
        self.process.start()

    def stop(self) -> None:
        self.process.stop()
        self.fcgiwrap.stop()

    def kill(self) -> None:
        self.process.kill()
        self.fcgiwrap.kill()


@pytest.fixture(scope="session")
def git_daemon_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GitDaemonServer]:
    yield from serve_for_session(GitDaemonServer(tmp_path_factory.mktemp("git_daemon_server")))


@pytest.fixture(scope="session")
def git_http_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GitHttpServer]:
    yield from serve_for_session(GitHttpServer(tmp_path_factory.mktemp("git_http_server")))
