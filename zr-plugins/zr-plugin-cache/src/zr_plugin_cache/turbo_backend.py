"""The ``turbo`` backend: the Turborepo remote cache API (``/v8/artifacts``).

Works with Vercel's cache and self-hosted servers that speak the same API
(turborepo-remote-cache, ...): ``GET``/``PUT {url}/v8/artifacts/{key}
?teamId=..&slug=..`` with ``Authorization: Bearer <token>``. With a signing
key, uploads carry ``x-artifact-tag`` computed as Turborepo computes it
(:mod:`zr_plugin_cache.signing`) and downloads without a valid one are
refused.
"""

from __future__ import annotations

import os

from .http_client import HttpClient
from .redact import mask_url
from .remote import DEFAULT_TIMEOUT, BackendConfigError, string_setting
from .signing import artifact_tag, verified_chunks

TAG_HEADER = "x-artifact-tag"


class TurboBackend:
    def __init__(self, url: str, *, team: str = "", slug: str = "",
                 timeout: float = DEFAULT_TIMEOUT, token=None,
                 signing_key: bytes | None = None):
        self.url = url
        self.team = team
        self.params = {k: v for k, v in (("teamId", team), ("slug", slug)) if v}
        self.client = HttpClient(url, timeout=timeout, token=token)
        self.signing_key = signing_key

    def describe(self) -> str:
        return f"turbo cache at {mask_url(self.url)}"

    def get(self, key: str):
        answer = self.client.download(f"v8/artifacts/{key}", params=self.params)
        if answer is None:
            return None
        headers, chunks = answer
        if self.signing_key is not None:
            chunks = verified_chunks(chunks, self.signing_key, key, self.team,
                                     headers.get(TAG_HEADER))
        return chunks

    def put(self, key: str, path) -> None:
        size = os.path.getsize(path)
        headers = {"Content-Type": "application/octet-stream", "Content-Length": str(size)}
        if self.signing_key is not None:
            headers[TAG_HEADER] = artifact_tag(self.signing_key, key, self.team, path)
        with open(path, "rb") as body:
            self.client.request("PUT", f"v8/artifacts/{key}", params=self.params, data=body,
                                body_size=size, headers=headers)


def make_turbo_backend(settings: dict, project_root) -> TurboBackend:
    url = string_setting(settings, "url", required=True,
                         example='url = "https://host" (the API base)')
    team, slug = settings.get("team") or "", settings.get("slug") or ""
    if not team and not slug:
        raise BackendConfigError('the turbo backend needs team = "team_..." (or slug = "...")')
    return TurboBackend(url, team=team, slug=slug,
                        timeout=settings.get("timeout") or DEFAULT_TIMEOUT,
                        token=settings.get("token"), signing_key=settings.get("signing_key"))
