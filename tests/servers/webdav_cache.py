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

from .nginx import nginx_command, write_config
from .process import ServerProcess, free_port
from .service import RealService, serve_for_session

SERVER_BLOCK = """\
        root {root_dir};
        location / {{
            dav_methods PUT DELETE;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
        }}
"""


class WebdavCacheServer(RealService):
    """nginx on 127.0.0.1 serving and storing files under `root_dir`."""

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.root_dir = workdir / "root"
        self.root_dir.mkdir()
        config = write_config(workdir, port, SERVER_BLOCK.format(root_dir=self.root_dir))
        super().__init__(ServerProcess("nginx", nginx_command(workdir, config),
                                       workdir=workdir, ready_url=self.url + "/"))


@pytest.fixture(scope="session")
def webdav_cache_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebdavCacheServer]:
    yield from serve_for_session(WebdavCacheServer(tmp_path_factory.mktemp("webdav_cache_server")))
