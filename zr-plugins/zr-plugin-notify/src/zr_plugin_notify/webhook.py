"""Posting one webhook within a time budget.

``timeout`` bounds the whole delivery, retries included: each attempt gets
what is left of it, and a retry (after a connection error, a timeout, a
5xx or a 429) happens only if time remains. The caller also stops waiting
at the deadline, so a server that trickles bytes cannot hold zr either.
"""

from __future__ import annotations

import json
import time

USER_AGENT = "zr-notify/0.1"
RETRY_PAUSE = 0.25


class Delivery:
    """The outcome of one webhook: ``error`` is None when it was delivered."""

    def __init__(self, name: str):
        self.name = name
        self.error: str | None = "did not finish in time"
        self.attempts = 0


def post(url: str, body: dict, timeout: float, retries: int, delivery: Delivery) -> None:
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode()
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            delivery.error = f"timed out after {timeout:g}s"
            return
        delivery.attempts += 1
        request = urllib.request.Request(url, data=data, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": USER_AGENT})
        retryable = True
        try:
            with urllib.request.urlopen(request, timeout=remaining) as response:
                response.read(65536)
            delivery.error = None
            return
        except urllib.error.HTTPError as exc:
            delivery.error = f"HTTP {exc.code} {exc.reason}"
            retryable = exc.code >= 500 or exc.code == 429
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            delivery.error = ("timed out" if "timed out" in str(reason)
                              else f"cannot connect: {reason}")
        if not retryable or delivery.attempts > retries:
            return
        time.sleep(min(RETRY_PAUSE * delivery.attempts, max(0.0, deadline - time.monotonic())))
