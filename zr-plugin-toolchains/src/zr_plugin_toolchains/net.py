"""HTTP for indexes and archives: retries, resumable downloads, progress.

stdlib only (urllib), imported when a download is needed. What the
research on other managers' bug trackers asked for:

- a 5xx answer, a reset connection or a body cut short is retried (three
  attempts, short backoff); a 404 is not;
- an interrupted download keeps its ``.part`` file and resumes with a
  ``Range`` request; a server that ignores ``Range`` (``python -m
  http.server`` does) answers 200 with the whole file, which replaces the
  partial one;
- every read has a timeout (``ZR_TOOLS_TIMEOUT`` seconds, default 30), so a
  hung server is an error, not a hung zr;
- ``GITHUB_TOKEN`` is sent to api.github.com, and a 403 from it says that
  the rate limit is the likely cause.
"""

from __future__ import annotations

import os
import time

from zr.api import ZrError

ATTEMPTS = 3
CHUNK = 1 << 16
MAX_DOCUMENT = 64 << 20
USER_AGENT = "zr-plugin-toolchains/0.1"


class FetchError(ZrError):
    """A download failed. ``offline`` is true when the server could not be
    reached at all (the cached index may stand in)."""

    def __init__(self, message: str, *, offline: bool = False, status: int | None = None):
        super().__init__(message)
        self.offline = offline
        self.status = status


def timeout() -> float:
    try:
        return float(os.environ.get("ZR_TOOLS_TIMEOUT", "") or 30)
    except ValueError:
        return 30.0


def _request(url: str, headers: dict | None = None):
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    token = os.environ.get("GITHUB_TOKEN")
    if token and url.startswith("https://api.github.com/"):
        request.add_header("Authorization", f"Bearer {token}")
    return urllib.request.urlopen(request, timeout=timeout())


def _describe(url: str, exc: BaseException) -> FetchError:
    import urllib.error

    if isinstance(exc, urllib.error.HTTPError):
        hint = ""
        if exc.code == 403 and "api.github.com" in url:
            hint = (" (GitHub's API rate limit, most likely: set GITHUB_TOKEN, or use a "
                    "mirror with ZR_MIRROR_<TOOL>)")
        return FetchError(f"{url}: HTTP {exc.code} {exc.reason}{hint}", status=exc.code)
    reason = getattr(exc, "reason", None) or exc
    offline = isinstance(exc, (urllib.error.URLError, ConnectionError, OSError)) and not \
        isinstance(exc, TimeoutError)
    return FetchError(f"{url}: {reason}", offline=offline)


def _retryable(error: FetchError) -> bool:
    return error.status is None or error.status >= 500 or error.status == 429


def _with_retries(url: str, attempt):
    """Call ``attempt()`` up to :data:`ATTEMPTS` times on retryable errors."""
    import http.client
    import socket
    import urllib.error

    last = None
    for number in range(ATTEMPTS):
        try:
            return attempt()
        except (FetchError, urllib.error.URLError, http.client.HTTPException, socket.timeout,
                ConnectionError, TimeoutError, OSError) as exc:
            last = exc if isinstance(exc, FetchError) else _describe(url, exc)
            if not _retryable(last):
                raise last from None
        if number + 1 < ATTEMPTS:
            time.sleep(0.25 * (2 ** number))
    raise last


def local_path(url: str) -> str | None:
    """The file a ``file://`` URL names (a static mirror's query dropped), or None."""
    if not url.startswith("file://"):
        return None
    from urllib.parse import unquote

    return unquote(url[len("file://"):].split("?", 1)[0])


def fetch(url: str) -> bytes:
    """The whole body of ``url`` (an index or a checksum file)."""
    path = local_path(url)
    if path is not None:
        try:
            with open(path, "rb") as fh:
                return fh.read(MAX_DOCUMENT + 1)
        except OSError as exc:
            raise FetchError(f"{url}: {exc.strerror}", offline=True,
                             status=404 if isinstance(exc, FileNotFoundError) else None) from None

    def attempt():
        with _request(url) as response:
            body = response.read(MAX_DOCUMENT + 1)
            length = response.headers.get("Content-Length")
            if length is not None and len(body) != int(length):
                raise FetchError(f"{url}: body cut short ({len(body)} of {length} bytes)")
            return body

    return _with_retries(url, attempt)


def download(url: str, part: str, progress=None) -> None:
    """Fetch ``url`` into the file ``part``, resuming what is already there.

    ``progress(done, total)`` is called as bytes arrive (total may be None).
    The caller verifies the result: a resumed file is only as good as its
    checksum.
    """

    def attempt():
        have = os.path.getsize(part) if os.path.exists(part) else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        with _request(url, headers) as response:
            status = getattr(response, "status", 200)
            if status == 206:
                mode = "ab"
            else:  # 200: the server sent the whole file (Range ignored or not asked)
                have, mode = 0, "wb"
            length = response.headers.get("Content-Length")
            total = have + int(length) if length is not None else None
            done = have
            with open(part, mode) as fh:
                while True:
                    chunk = response.read1(CHUNK)  # what has arrived, not a full chunk
                    if not chunk:
                        break
                    fh.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            if total is not None and done != total:
                raise FetchError(f"{url}: connection closed after {done} of {total} bytes")

    _with_retries(url, attempt)
