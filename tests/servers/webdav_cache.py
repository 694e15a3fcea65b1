"""`webdav_cache_server`: nginx with WebDAV PUT as a Bazel-style HTTP cache.

Clients GET, PUT and HEAD `/ac/<key>` and `/cas/<sha256>`; nginx stores each
body as a file under `root_dir` and answers 404 for what it does not have,
which is all a Bazel remote cache needs. The config, pid file, logs and temp
paths all live in the fixture's temp dir, so no root privileges are needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from .process import ServerProcess, free_port
from .programs import system_program
from .service import RealService, serve_for_session

NGINX_CONFIG = """\
daemon off;
# One process, no workers: it dies with the test run even when pytest is
# killed, and it writes files as the user running the tests.
master_process off;
pid {workdir}/nginx.pid;
error_log stderr info;

events {{
    worker_connections 256;
}}

http {{
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/client_body_temp;
    proxy_temp_path {workdir}/proxy_temp;
    fastcgi_temp_path {workdir}/fastcgi_temp;
    uwsgi_temp_path {workdir}/uwsgi_temp;
    scgi_temp_path {workdir}/scgi_temp;
    client_max_body_size 0;
    default_type application/octet-stream;

    server {{
        listen 127.0.0.1:{port};
        root {root_dir};
        location / {{
            dav_methods PUT DELETE;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
        }}
    }}
}}
"""


class WebdavCacheServer(RealService):
    """nginx on 127.0.0.1 serving and storing files under `root_dir`."""

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.root_dir = workdir / "root"
        self.root_dir.mkdir()
        config_path = workdir / "nginx.conf"
        config_path.write_text(
            NGINX_CONFIG.format(
                workdir=workdir,
                port=port,
                root_dir=self.root_dir,
            )
        )
        command = [
            system_program("nginx"),
            "-p", str(workdir),
            "-c", str(config_path),
            # Without -e nginx first opens its built-in /var/log/nginx/error.log;
            # on stderr, its messages land in the log that a failure shows.
            "-e", "stderr",
        ]
        super().__init__(
            ServerProcess("nginx", command, workdir=workdir, ready_url=self.url + "/")
        )


@pytest.fixture(scope="session")
def webdav_cache_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebdavCacheServer]:
    yield from serve_for_session(WebdavCacheServer(tmp_path_factory.mktemp("webdav_cache_server")))
