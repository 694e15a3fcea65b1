"""`dask_scheduler`: a real Dask scheduler (`dask scheduler`) on 127.0.0.1.

Its dashboard port answers `/health` once it is up, which is what the
readiness wait polls. Workers belong to the tests that use it (each needs
its own checkout of a project: see zr-plugins/zr-plugin-dask/tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from .process import ServerProcess, free_port
from .programs import python_script
from .service import RealService, serve_for_session


class DaskScheduler(RealService):
    """`dask scheduler` with `address` (tcp://127.0.0.1:PORT) for clients and workers."""

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        dashboard = free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        command = [
            python_script("dask"), "scheduler",
            "--host", "127.0.0.1", "--port", str(port),
            "--dashboard-address", f"127.0.0.1:{dashboard}",
        ]
        super().__init__(ServerProcess("dask-scheduler", command, workdir=workdir,
                                       ready_url=f"http://127.0.0.1:{dashboard}/health"))


@pytest.fixture(scope="session")
def dask_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskScheduler]:
    yield from serve_for_session(DaskScheduler(tmp_path_factory.mktemp("dask_scheduler")))
