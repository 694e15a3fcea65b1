"""`turbo_cache_server`: the npm turborepo-remote-cache serving Turborepo's `/v8/artifacts` API."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator

import pytest

from .process import ServerProcess, free_port
from .programs import node_script
from .service import RealService, serve_for_session


class TurboCacheServer(RealService):
    """turborepo-remote-cache on 127.0.0.1 with local-disk storage and a static token.

    Clients send `Authorization: Bearer <token>` and `?teamId=<team>` (or
    `?slug=<team>`) with GET/PUT/HEAD `/v8/artifacts/<hash>`.
    """

    token = "zr-test-token"
    team = "zr-team"

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.storage_dir = workdir / "storage"
        self.storage_dir.mkdir()
        env = {
            "NODE_ENV": "production",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "STORAGE_PROVIDER": "local",
            "STORAGE_PATH": str(self.storage_dir),
            # Otherwise STORAGE_PATH is taken relative to the system temp dir.
            "STORAGE_PATH_USE_TMP_FOLDER": "false",
            "TURBO_TOKEN": self.token,
        }
        super().__init__(
            ServerProcess(
                "turborepo-remote-cache",
                [node_script("turborepo-remote-cache")],
                workdir=workdir,
                ready_url=self.url + "/v8/artifacts/status",
                env=env,
            )
        )

    @property
    def env(self) -> Dict[str, str]:
        """What the `turbo` CLI itself reads to use this cache."""
        return {"TURBO_API": self.url, "TURBO_TOKEN": self.token, "TURBO_TEAM": self.team}


@pytest.fixture(scope="session")
def turbo_cache_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TurboCacheServer]:
    yield from serve_for_session(TurboCacheServer(tmp_path_factory.mktemp("turbo_cache_server")))
