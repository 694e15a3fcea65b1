"""Fixtures for the cache plugin's end-to-end tests: checkouts of one project.

A *checkout* (``zr.testing.Checkouts``) is a directory with the same files
and its own ``ZR_HOME`` (so its own local cache), as two developers'
machines or two CI jobs would be. Each test gets a unique ``[env] TEST_ID``
in its zr.toml, which is part of every cache key, so tests sharing one
session-wide remote server never see each other's entries.
"""

from __future__ import annotations

import textwrap
import uuid

import pytest

# A task that counts its runs in a file outside the project, prints to both
# streams, reads src/ and writes dist/.
BUILD_PROJECT = """
[env]
TEST_ID = "{test_id}"

[tasks.build]
cmd = '''
echo run >> "{counter}"
echo "compiling $(cat src/main.txt)"
echo "a note on stderr" >&2
mkdir -p dist/assets
cat src/main.txt src/main.txt > dist/app.bin
printf '\\000\\377binary' > dist/assets/blob
'''
cache = true
inputs = ["src/**"]
outputs = ["dist"]
{extra}
"""


class BuildCheckouts:
    """Checkouts of the build project; ``runs()`` counts how often build ran."""

    def __init__(self, checkouts):
        self.checkouts = checkouts
        self.base = checkouts.base
        self.test_id = uuid.uuid4().hex
        self.counter = self.base / "build-runs.txt"

    def new(self, extra: str = "", *, files=None):
        return self.checkouts.new(
            BUILD_PROJECT.format(test_id=self.test_id, counter=self.counter,
                                 extra=textwrap.dedent(extra)),
            files or {"src/main.txt": "hello\n"})

    @staticmethod
    def tree(root) -> dict:
        """Every file under ``root`` (posix relative path -> bytes)."""
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    def runs(self) -> int:
        return len(self.counter.read_text().splitlines()) if self.counter.exists() else 0


@pytest.fixture
def checkouts(checkouts) -> BuildCheckouts:
    """zr.testing's ``checkouts``, of the build project."""
    return BuildCheckouts(checkouts)


@pytest.fixture(scope="module")
def tag_storing_turbo_server(tmp_path_factory):
    """turborepo-remote-cache that keeps ``x-artifact-tag``: the server stores
    (never checks) tags only when it has TURBO_REMOTE_CACHE_SIGNATURE_KEY set."""
    from tests.servers.service import serve_for_session
    from tests.servers.turbo_cache import TurboCacheServer

    server = TurboCacheServer(tmp_path_factory.mktemp("tag_storing_turbo"))
    server.process.env["TURBO_REMOTE_CACHE_SIGNATURE_KEY"] = "enables-tag-storage"
    yield from serve_for_session(server)
