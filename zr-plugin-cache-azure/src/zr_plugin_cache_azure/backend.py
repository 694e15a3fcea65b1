"""Cache entries as block blobs in an Azure Blob Storage container.

Settings (``[cache.remote]``): ``container`` (required), ``prefix``, and
where the account is when no connection string gives it:
``endpoint_url`` (``https://ACCOUNT.blob.core.windows.net``) or
``account_name``. Credentials, first found wins:

1. a connection string in the variable ``connection_string_env`` names
   (default ``AZURE_STORAGE_CONNECTION_STRING``);
2. an account key in ``account_key_env`` (default ``AZURE_STORAGE_KEY``);
3. a SAS token in ``sas_token_env`` (default ``AZURE_STORAGE_SAS_TOKEN``);
4. ``DefaultAzureCredential`` (managed identity, workload identity,
   ``az login``...) when azure-identity is installed.

Every request is one attempt (``retry_total=0``) bounded by the remote's
``timeout``. Entries above :data:`~zr_plugin_cache.object_store.backend.PART_SIZE`
go up as staged blocks that become the blob only when the block list is
committed, so an upload cut off halfway leaves no entry (Azure discards
uncommitted blocks after a week).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from zr_plugin_cache.object_store.backend import PART_SIZE, Found, ObjectStoreBackend, one_line
from zr_plugin_cache.remote import RemoteError, string_setting

from .plugin import SPEC

# Error codes that mean the credentials themselves are wrong, not missing rights.
REFUSED_CREDENTIALS = frozenset({"AuthenticationFailed", "AuthorizationFailure",
                                 "InvalidAuthenticationInfo"})


class AzureBackend(ObjectStoreBackend):
    spec = SPEC

    def __init__(self, settings: dict, project_root=None):
        super().__init__(settings, project_root)
        self.endpoint_url = string_setting(settings, "endpoint_url") or None
        self.account_name = string_setting(settings, "account_name") or None
        if self.endpoint_url is None and self.account_name:
            self.endpoint_url = f"https://{self.account_name}.blob.core.windows.net"
        self.variables = {
            "connection string": string_setting(settings, "connection_string_env")
            or "AZURE_STORAGE_CONNECTION_STRING",
            "account key": string_setting(settings, "account_key_env") or "AZURE_STORAGE_KEY",
            "SAS token": string_setting(settings, "sas_token_env") or "AZURE_STORAGE_SAS_TOKEN",
        }

    def location(self) -> str:
        return f" at {self.endpoint_url}" if self.endpoint_url else ""

    def connect(self):
        from azure.storage.blob import BlobServiceClient

        options = {"retry_total": 0, "connection_timeout": self.timeout,
                   "read_timeout": self.timeout, "max_single_put_size": PART_SIZE,
                   "max_block_size": PART_SIZE, "max_single_get_size": PART_SIZE,
                   "max_chunk_get_size": PART_SIZE}
        variable = self.variables["connection string"]
        connection_string = os.environ.get(variable)
        if connection_string:
            try:
                service = BlobServiceClient.from_connection_string(connection_string, **options)
            except ValueError as error:
                raise RemoteError(f"${variable} is not a usable connection string ({error})") \
                    from None
            self.endpoint_url = service.url.rstrip("/")  # for messages
        elif self.endpoint_url:
            service = BlobServiceClient(self.endpoint_url, credential=self._credential(),
                                        **options)
        else:
            raise RemoteError(f"${variable} is not set and [cache.remote] has no endpoint_url "
                              f"or account_name: zr does not know which storage account to use")
        return service.get_container_client(self.container)

    def _credential(self):
        key = os.environ.get(self.variables["account key"])
        if key:
            return {"account_name": self.account_name or _account_from_url(self.endpoint_url),
                    "account_key": key}
        sas = os.environ.get(self.variables["SAS token"])
        if sas:
            return sas
        try:
            from azure.identity import DefaultAzureCredential
        except ImportError:
            names = ", ".join(f"${v} ({what})" for what, v in self.variables.items())
            raise RemoteError(f"no Azure credentials: none of {names} is set, and "
                              f"azure-identity (for DefaultAzureCredential) is not "
                              f"installed") from None
        return DefaultAzureCredential()

    def open(self, name: str):
        from azure.core.exceptions import ResourceNotFoundError

        try:
            download = self.client.download_blob(name, max_concurrency=1)
        except ResourceNotFoundError as error:
            if error.error_code == "BlobNotFound":
                return None
            raise
        return Found(download.chunks(), download.size, download.properties.metadata)

    def upload(self, name: str, path: str, metadata: dict) -> None:
        # One block at a time, in this thread: the SDK's worker threads would
        # be joined at interpreter exit, holding zr open for an upload the
        # cache plugin has given up on.
        with open(path, "rb") as data:
            self.client.upload_blob(name, data, length=os.path.getsize(path), overwrite=True,
                                    metadata=metadata or None, max_concurrency=1)

    def remove(self, name: str) -> None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            self.client.delete_blob(name)
        except ResourceNotFoundError as error:
            if error.error_code != "BlobNotFound":
                raise

    def explain(self, error: Exception):
        from azure.core import exceptions as azure

        if isinstance(error, azure.ClientAuthenticationError) and error.status_code is None:
            return f"DefaultAzureCredential found no usable credentials ({one_line(error)})"
        if isinstance(error, azure.HttpResponseError):
            code = str(getattr(error.error_code, "value", error.error_code) or "")
            if code == "ContainerNotFound":
                return f"container '{self.container}' does not exist{self.location()}"
            if code in REFUSED_CREDENTIALS:
                return f"the Azure credentials were refused ({code})"
            if error.status_code == 403:
                return (f"access denied to container '{self.container}' ({code}); the "
                        f"credentials need the Storage Blob Data Contributor role or a SAS "
                        f"allowing read, write (and delete, to remove bad entries and for "
                        f"zr cache remote check)")
            return f"the server answered {error.status_code} {code}".rstrip()
        if isinstance(error, azure.ServiceRequestError):
            return f"cannot connect to {self.endpoint_url or 'the storage account'}"
        if isinstance(error, azure.ServiceResponseError):
            return f"no complete answer within {self.timeout:g}s ({one_line(error)})"
        return None


def _account_from_url(url: str) -> str:
    """``acct`` from ``https://acct.blob.core.windows.net`` or, for an
    emulator, ``http://127.0.0.1:10000/acct``."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.replace(".", "").isdigit() or host == "localhost":
        return parts.path.strip("/").split("/")[0]
    return host.split(".")[0]

