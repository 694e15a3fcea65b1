"""`http_recorder`: a real local HTTP server that records what it receives.

For webhook and notification tests: point zr at `http_recorder.url`, then
assert on `http_recorder.requests`. Answers with a configurable status and
body (`respond_with`), or a queued sequence of answers (`enqueue`) to test
retries.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Deque, Dict, Iterator, List, Mapping, Optional
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: Dict[str, List[str]]
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class CannedResponse:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


class HttpRecorder:
    """ThreadingHTTPServer on 127.0.0.1 in a background thread."""

    def __init__(self) -> None:
        self.requests: List[RecordedRequest] = []
        self._default = CannedResponse()
        self._queued: Deque[CannedResponse] = deque()
        self._arrived = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # how long close() waits for the loop to notice
            name="http-recorder",
            daemon=True,
        )
        self._thread.start()

    def respond_with(self, status: int = 200, body: bytes | str = b"", headers: Optional[Mapping[str, str]] = None) -> None:
        """Answer every request that has no queued answer like this."""
        self._default = _canned(status, body, headers)

    def enqueue(self, status: int = 200, body: bytes | str = b"", headers: Optional[Mapping[str, str]] = None) -> None:
        """Answer the next request like this (queued answers are used in order, once each)."""
        self._queued.append(_canned(status, body, headers))

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> List[RecordedRequest]:
        """Wait until `count` requests have arrived; fail the test after `timeout` seconds."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.requests) >= count, timeout=timeout):
                pytest.fail(
                    f"http_recorder got {len(self.requests)} request(s) within {timeout} s, expected {count}",
                    pytrace=False,
                )
            return list(self.requests)

    def _record(self, request: RecordedRequest) -> CannedResponse:
        with self._arrived:
            self.requests.append(request)
            self._arrived.notify_all()
            return self._queued.popleft() if self._queued else self._default

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler_class(self) -> type:
        recorder = self

        class RecordingHandler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                answer = recorder._record(
                    RecordedRequest(
                        method=self.command,
                        path=parts.path,
                        query=parse_qs(parts.query),
                        headers=dict(self.headers.items()),
                        body=body,
                    )
                )
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(answer.body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output clean; the requests are in `recorder.requests`."""

        return RecordingHandler


def _canned(status: int, body: bytes | str, headers: Optional[Mapping[str, str]]) -> CannedResponse:
    encoded = body.encode() if isinstance(body, str) else body
    return CannedResponse(status=status, body=encoded, headers=dict(headers or {}))


@pytest.fixture
def http_recorder() -> Iterator[HttpRecorder]:
    recorder = HttpRecorder()
    try:
        yield recorder
    finally:
        recorder.close()
