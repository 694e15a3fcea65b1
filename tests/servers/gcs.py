"""`gcs_server`: a real Google Cloud Storage JSON API (gcp-storage-emulator) with a bucket."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator

import pytest

from .process import ServerProcess, free_port, http_request
from .programs import python_script
from .service import RealService, serve_for_session


class GcsServer(RealService):
    """gcp-storage-emulator on 127.0.0.1, in memory; clients use anonymous credentials."""

    project = "zr-test"
    bucket = "zr-cache"

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{port}"
        command = [
            python_script("gcp-storage-emulator"), "start",
            "--host", "127.0.0.1",
            "--port", str(port),
            "--in-memory",
            # The emulator creates this bucket itself at every start.
            "--default-bucket", self.bucket,
        ]
        super().__init__(
            ServerProcess(
                "gcp-storage-emulator",
                command,
                workdir=workdir,
                ready_url=f"{self.endpoint_url}/storage/v1/b/{self.bucket}",
            )
        )

    def prepare(self) -> None:
        status, body = http_request("GET", f"{self.endpoint_url}/storage/v1/b/{self.bucket}")
        if status != 200:
            self.process.fail(f"has no bucket {self.bucket}: HTTP {status} {body[:500]!r}")

    @property
    def env(self) -> Dict[str, str]:
        """Environment that points google-cloud-storage (and a `zr` subprocess) here."""
        return {"STORAGE_EMULATOR_HOST": self.endpoint_url}


@pytest.fixture(scope="session")
def gcs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GcsServer]:
    yield from serve_for_session(GcsServer(tmp_path_factory.mktemp("gcs_server")))
