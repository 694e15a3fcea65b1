"""`s3_server`: a real S3 API (moto's standalone server) with a bucket ready for use."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator

import pytest

from .process import ServerProcess, free_port, http_request
from .programs import python_script
from .service import RealService, serve_for_session


class S3Server(RealService):
    """moto_server on 127.0.0.1; it accepts any credentials, these are the conventional ones."""

    region = "us-east-1"
    access_key_id = "testing"
    secret_access_key = "testing"
    bucket = "zr-cache"

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{port}"
        super().__init__(
            ServerProcess(
                "moto_server",
                [python_script("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                workdir=workdir,
                ready_url=self.endpoint_url + "/",
            )
        )

    def prepare(self) -> None:
        # moto does not check signatures, so a plain PUT creates the bucket.
        status, body = http_request("PUT", f"{self.endpoint_url}/{self.bucket}", body=b"")
        if status != 200:
            self.process.fail(f"refused to create bucket {self.bucket}: HTTP {status} {body[:500]!r}")

    @property
    def env(self) -> Dict[str, str]:
        """Environment that points boto3 (and so a `zr` subprocess) at this server."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
        }


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    yield from serve_for_session(S3Server(tmp_path_factory.mktemp("s3_server")))
