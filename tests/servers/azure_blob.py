"""`azure_blob_server`: a real Azure Blob API (azurite) with a container ready for use."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from .process import ServerProcess, free_port
from .programs import node_script
from .service import RealService, serve_for_session

# Azurite's built-in development account; the key is public by design.
DEV_ACCOUNT_NAME = "devstoreaccount1"
DEV_ACCOUNT_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)


class AzureBlobServer(RealService):
    """azurite-blob on 127.0.0.1, in memory, with the development account."""

    account_name = DEV_ACCOUNT_NAME
    account_key = DEV_ACCOUNT_KEY
    container = "zr-cache"

    def __init__(self, workdir: Path) -> None:
        port = free_port()
        self.blob_endpoint = f"http://127.0.0.1:{port}/{DEV_ACCOUNT_NAME}"
        command = [
            node_script("azurite-blob"),
            "--blobHost", "127.0.0.1",
            "--blobPort", str(port),
            "--inMemoryPersistence",
            "--skipApiVersionCheck",
            "--loose",
        ]
        # Azurite can take seconds to close on SIGTERM; it keeps nothing on
        # disk, so SIGKILL after a short grace loses nothing.
        super().__init__(
            ServerProcess(
                "azurite-blob",
                command,
                workdir=workdir,
                ready_url=f"http://127.0.0.1:{port}/",
                stop_grace_seconds=0.5,
            )
        )

    @property
    def connection_string(self) -> str:
        return (
            "DefaultEndpointsProtocol=http;"
            f"AccountName={self.account_name};"
            f"AccountKey={self.account_key};"
            f"BlobEndpoint={self.blob_endpoint};"
        )

    def prepare(self) -> None:
        # Creating a container needs a SharedKey-signed request, which is the
        # SDK's job; the backend under test needs the SDK anyway.
        try:
            from azure.storage.blob import BlobServiceClient
        except ImportError:
            pytest.fail(
                "azure-storage-blob is needed to create the test container; "
                "install it with scripts/install-test-services.sh",
                pytrace=False,
            )
        client = BlobServiceClient.from_connection_string(self.connection_string)
        client.create_container(self.container)


@pytest.fixture(scope="session")
def azure_blob_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AzureBlobServer]:
    yield from serve_for_session(AzureBlobServer(tmp_path_factory.mktemp("azure_blob_server")))
