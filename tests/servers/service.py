"""What every service fixture yields, and the session life cycle they share.

A service object carries what a client needs (endpoint, credentials, bucket)
plus controls over the real process (`pid`, `stop()`, `kill()`, `restart()`)
so a fault test can take the server away mid-run. Servers keep their data in
memory, so `prepare()` recreates buckets and containers after every start.

A test that leaves its server dead does not break the tests after it: an
autouse fixture (tests/servers/__init__.py) starts a stopped service again
before the next test that uses it.
"""

from __future__ import annotations

from typing import Iterator, Optional, TypeVar

from .process import ServerProcess

ServiceT = TypeVar("ServiceT", bound="RealService")


class RealService:
    """A running real server plus what its clients need; subclasses add the details."""

    def __init__(self, process: ServerProcess) -> None:
        self.process = process

    def prepare(self) -> None:
        """Create what clients expect to exist (buckets, containers); runs after each start."""

    @property
    def pid(self) -> Optional[int]:
        return self.process.pid

    def is_running(self) -> bool:
        return self.process.is_running()

    def start(self) -> None:
        self.process.start()
        self.prepare()

    def stop(self) -> None:
        """Stop the server gracefully (SIGKILL after a grace period)."""
        self.process.stop()

    def kill(self) -> None:
        """Kill the server at once, as a crash would."""
        self.process.kill()

    def restart(self) -> None:
        """Bring the server back on the same port (in-memory servers come back empty, buckets recreated)."""
        self.process.stop()
        self.start()

    def ensure_running(self) -> None:
        if not self.is_running():
            self.start()


def serve_for_session(service: ServiceT) -> Iterator[ServiceT]:
    """Fixture body: start `service`, hand it to the tests, stop it by pid at the end."""
    service.start()
    try:
        yield service
    finally:
        service.stop()
