"""Cache entries as objects in a Google Cloud Storage bucket.

Settings (``[cache.remote]``): ``bucket`` (required), ``prefix``,
``project`` and ``endpoint_url`` (another JSON API endpoint). Credentials
are Google's application default credentials; with
``STORAGE_EMULATOR_HOST`` set (an emulator such as gcp-storage-emulator
or fake-gcs-server), anonymous ones.

Every request is one attempt (``retry=None``) bounded by the remote's
``timeout``. Entries above 8 MiB go up as a resumable upload in
:data:`~zr_plugin_cache.object_store.backend.PART_SIZE` chunks, and smaller
ones in a single request; either way GCS creates the object only when the
last byte has arrived, so an upload cut off halfway leaves no entry.
Downloads read ranges of the generation they started with, so an entry
rewritten meanwhile cannot mix into it.
"""

from __future__ import annotations

import os

from zr_plugin_cache.object_store.backend import PART_SIZE, Found, ObjectStoreBackend, one_line
from zr_plugin_cache.remote import string_setting

from .plugin import SPEC

DEFAULT_ENDPOINT = "https://storage.googleapis.com"
EMULATOR_VARIABLE = "STORAGE_EMULATOR_HOST"


class GcsBackend(ObjectStoreBackend):
    spec = SPEC

    def __init__(self, settings: dict, project_root=None):
        super().__init__(settings, project_root)
        self.project = string_setting(settings, "project") or None
        self.endpoint_url = string_setting(settings, "endpoint_url") or None

    def endpoint(self) -> str:
        return self.endpoint_url or os.environ.get(EMULATOR_VARIABLE) or DEFAULT_ENDPOINT

    def location(self) -> str:
        endpoint = self.endpoint()
        return "" if endpoint == DEFAULT_ENDPOINT else f" at {endpoint}"

    def connect(self):
        from google.cloud import storage

        options = {"api_endpoint": self.endpoint_url} if self.endpoint_url else None
        if os.environ.get(EMULATOR_VARIABLE):
            from google.auth.credentials import AnonymousCredentials

            client = storage.Client(project=self.project or "zr", client_options=options,
                                    credentials=AnonymousCredentials())
        else:
            client = storage.Client(project=self.project, client_options=options)
        return client.bucket(self.container)

    def open(self, name: str):
        blob = self.client.get_blob(name, retry=None, timeout=self.timeout)
        if blob is None:
            return None
        # The blob carries its generation: every range read asks for that one.
        reader = blob.open("rb", chunk_size=PART_SIZE, retry=None, timeout=self.timeout)
        return Found(_ranges(reader), blob.size or 0, blob.metadata)

    def upload(self, name: str, path: str, metadata: dict) -> None:
        blob = self.client.blob(name, chunk_size=PART_SIZE)
        blob.metadata = metadata or None
        blob.upload_from_filename(path, content_type="application/octet-stream", retry=None,
                                  timeout=self.timeout)

    def remove(self, name: str) -> None:
        from google.api_core.exceptions import NotFound

        try:
            self.client.delete_blob(name, retry=None, timeout=self.timeout)
        except NotFound:
            pass

    def explain(self, error: Exception):
        import requests
        from google.api_core import exceptions as api
        from google.auth import exceptions as auth

        if isinstance(error, auth.DefaultCredentialsError):
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            return (f"no usable Google credentials ({first_line}); run `gcloud auth "
                    f"application-default login`, set GOOGLE_APPLICATION_CREDENTIALS, or "
                    f"{EMULATOR_VARIABLE} for an emulator")
        if isinstance(error, auth.RefreshError):
            return f"the Google credentials were refused ({one_line(error)})"
        if isinstance(error, auth.TransportError):
            return (f"cannot reach Google's token service to use the credentials "
                    f"({one_line(error)})")
        if isinstance(error, api.NotFound):
            return f"bucket '{self.container}' does not exist{self.location()}"
        if isinstance(error, (api.Forbidden, api.Unauthorized)):
            return (f"access denied to bucket '{self.container}' ({error.code}: "
                    f"{one_line(error.message)}); the credentials need roles/storage.objectUser "
                    f"or storage.objects.get and storage.objects.create")
        if isinstance(error, api.GoogleAPICallError):
            return f"the server answered {error.code}: {one_line(error.message)}"
        if isinstance(error, requests.exceptions.Timeout):
            return f"no answer within {self.timeout:g}s"
        if isinstance(error, requests.exceptions.ConnectionError):
            return f"cannot connect to {self.endpoint()}"
        return None


def _ranges(reader):
    with reader:
        yield from iter(lambda: reader.read(PART_SIZE), b"")

