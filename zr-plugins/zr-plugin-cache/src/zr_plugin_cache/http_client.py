"""A small HTTP client for cache servers: bounded timeouts, faults as RemoteError.

Shared by the Bazel-style and Turborepo backends. ``requests`` is imported
when a client is made, which happens only when a run uses a remote.
"""

from __future__ import annotations

import threading
from typing import Iterator

from .remote import RemoteError, within_deadline

CHUNK = 1 << 16
# What an answer means for the user, where a status alone says little.
_STATUS_MEANING = {
    401: " (not authorized: the token is missing or wrong; see cache.remote.token_env)",
    403: " (forbidden: the token lacks access, or the server refuses this method)",
    405: " (the server does not allow this method here)",
}


class HttpClient:
    def __init__(self, base_url: str, *, timeout: float, token=None):
        """``token``, when given, goes with every request as a bearer token."""
        import requests

        self._requests = requests
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.headers = {"User-Agent": "zr-cache"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self._local = threading.local()

    @property
    def session(self):
        """One session per thread: downloads run in the scheduler's thread
        while uploads run in the background, and sessions are not shared
        safely across threads."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._requests.Session()
            session.headers.update(self.headers)
        return session

    def request(self, method: str, path: str, *, missing_ok: bool = False, **kwargs):
        """Send a request; the response, or None for a 404 when ``missing_ok``.

        Any connection problem, timeout or status other than 2xx (or an
        allowed 404) raises :class:`RemoteError` with a short reason.
        """
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = self.session.request(method, url, timeout=(self.timeout, self.timeout),
                                            allow_redirects=False, **kwargs)
        except self._requests.exceptions.Timeout:
            raise RemoteError(f"no answer within {self.timeout:g}s") from None
        except self._requests.exceptions.ConnectionError as error:
            raise RemoteError(f"cannot connect ({_reason(error)})") from None
        except self._requests.exceptions.RequestException as error:
            raise RemoteError(f"request failed ({_reason(error)})") from None
        if missing_ok and response.status_code == 404:
            response.close()
            return None
        if not 200 <= response.status_code < 300:
            response.close()
            why = _STATUS_MEANING.get(response.status_code, "")
            raise RemoteError(f"{method} {url} answered HTTP {response.status_code}{why}")
        return response

    def body_chunks(self, response) -> Iterator[bytes]:
        """The response body in chunks, within a total deadline of 3x the timeout."""
        def chunks():
            try:
                yield from response.iter_content(CHUNK)
            except self._requests.exceptions.RequestException as error:
                raise RemoteError(f"download failed ({_reason(error)})") from None
            finally:
                response.close()

        return within_deadline(chunks(), 3 * self.timeout)


def _reason(error) -> str:
    """The innermost message of a requests exception, without the noise."""
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "timed out",
                   "Connection reset", "RemoteDisconnected"):
        if marker in text:
            return marker.lower() if marker != "RemoteDisconnected" else "connection closed"
    return text[:200]
