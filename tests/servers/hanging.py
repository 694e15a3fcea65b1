"""`hanging_server`: accepts TCP connections and never answers, for timeout tests.

A closed port fails fast with "connection refused"; a real outage often looks
like this instead: the connection opens and then nothing comes back, so only
the client's own timeout saves it.
"""

from __future__ import annotations

import socket
import threading
from typing import Iterator, List

import pytest


class HangingServer:
    """A listening socket on 127.0.0.1 that holds every connection open in silence."""

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.host, self.port = self._listener.getsockname()
        self.url = f"http://{self.host}:{self.port}"
        self._connections: List[socket.socket] = []
        self._thread = threading.Thread(target=self._accept_forever, name="hanging-server", daemon=True)
        self._thread.start()

    @property
    def connection_count(self) -> int:
        """How many connections clients have opened so far."""
        return len(self._connections)

    def _accept_forever(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:  # the listener was closed
                return
            self._connections.append(connection)

    def close(self) -> None:
        # shutdown() wakes the blocked accept(); close() alone would not on Linux.
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        for connection in self._connections:
            connection.close()
        self._thread.join(timeout=5)


@pytest.fixture
def hanging_server() -> Iterator[HangingServer]:
    server = HangingServer()
    try:
        yield server
    finally:
        server.close()
