"""The ``http`` backend: a Bazel-style HTTP cache (``/ac/`` and ``/cas/``).

Works with any server that answers ``GET``/``PUT``/``HEAD`` on
``{url}/ac/{key}`` and ``{url}/cas/{sha256}``: bazel-remote, or nginx with
WebDAV ``PUT``. The archive goes to ``/cas/`` under its SHA-256 (uploaded
only if the server lacks it) and ``/ac/{key}`` points at it
(:mod:`zr_plugin_cache.bazel_proto`). A downloaded blob is checked against
its SHA-256, so a truncated or swapped blob is a bad entry, never restored.
"""

from __future__ import annotations

import hashlib
import os

from .bazel_proto import OutputFile, decode_action_result, encode_action_result
from .hashing import sha256_file
from .http_client import HttpClient
from .redact import mask_url
from .remote import DEFAULT_TIMEOUT, BadEntry, RemoteError, string_setting
from .signing import artifact_tag, verified_chunks

ENTRY_NAME = "zr-entry.tar"
SIGNATURE_NAME = "zr-signature"


class HttpBackend:
    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT, token=None,
                 signing_key: bytes | None = None):
        self.url = url
        self.client = HttpClient(url, timeout=timeout, token=token)
        self.signing_key = signing_key

    def describe(self) -> str:
        return f"http cache at {mask_url(self.url)}"

    def get(self, key: str):
        response = self.client.request("GET", f"ac/{key}", missing_ok=True)
        if response is None:
            return None
        try:
            files = {f.path: f for f in decode_action_result(response.content)}
        except (ValueError, UnicodeDecodeError):
            raise RemoteError(f"/ac/{key} is not an ActionResult") from None
        entry = files.get(ENTRY_NAME)
        if entry is None or len(entry.hash) != 64:
            return None  # an action result some other tool stored: not ours
        blob = self.client.download(f"cas/{entry.hash}")
        if blob is None:
            return None
        chunks = _checked_sha256(blob[1], entry.hash)
        if self.signing_key is not None:
            signature = files.get(SIGNATURE_NAME)
            tag = signature.contents.decode("ascii", "replace") if signature else None
            chunks = verified_chunks(chunks, self.signing_key, key, "", tag)
        return chunks

    def put(self, key: str, path) -> None:
        digest = sha256_file(path)
        size = os.path.getsize(path)
        if self.client.request("HEAD", f"cas/{digest}", missing_ok=True) is None:
            with open(path, "rb") as body:
                self.client.request("PUT", f"cas/{digest}", data=body, body_size=size,
                                    headers={"Content-Type": "application/octet-stream"})
        files = [OutputFile(ENTRY_NAME, digest, size)]
        if self.signing_key is not None:
            tag = artifact_tag(self.signing_key, key, "", path).encode("ascii")
            files.append(OutputFile(SIGNATURE_NAME, hashlib.sha256(tag).hexdigest(), len(tag), tag))
        self.client.request("PUT", f"ac/{key}", data=encode_action_result(files),
                            headers={"Content-Type": "application/octet-stream"})

    def delete(self, key: str) -> None:
        """Remove ``/ac/{key}`` (WebDAV ``DELETE``). Its ``/cas/`` blob stays:
        blobs are shared by content with other entries, and servers such as
        bazel-remote evict them by age."""
        self.client.request("DELETE", f"ac/{key}", missing_ok=True)


def _checked_sha256(chunks, expected: str):
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != expected:
        raise BadEntry(f"/cas/{expected} does not match its digest")


def make_http_backend(settings: dict, project_root) -> HttpBackend:
    url = string_setting(settings, "url", required=True, example='url = "http://host:port/path"')
    return HttpBackend(url, timeout=settings.get("timeout") or DEFAULT_TIMEOUT,
                       token=settings.get("token"), signing_key=settings.get("signing_key"))
