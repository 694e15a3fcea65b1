"""Fixtures for the cache plugin's end-to-end tests: checkouts of one project.

A *checkout* is a directory with the same files and its own ``ZR_HOME`` (so
its own local cache), as two developers' machines or two CI jobs would be.
Each test gets a unique ``[env] TEST_ID`` in its zr.toml, which is part of
every cache key, so tests sharing one session-wide remote server never see
each other's entries.
"""

from __future__ import annotations

import shutil
import textwrap
import uuid

import pytest
from zr.testing import ZrProject

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


class Checkouts:
    """Makes checkouts of one project; ``runs()`` counts how often build ran."""

    def __init__(self, base, plugin_index):
        self.base = base
        self.plugin_index = plugin_index
        self.test_id = uuid.uuid4().hex
        self.counter = base / "build-runs.txt"
        self.made = 0

    def new(self, extra: str = "", *, files=None) -> ZrProject:
        self.made += 1
        path = self.base / f"checkout{self.made}"
        home = self.base / f"home{self.made}"
        path.mkdir()
        if self.plugin_index.is_dir():
            shutil.copytree(self.plugin_index, home / "cache" / "plugins")
        project = ZrProject(path, home)
        project.write(BUILD_PROJECT.format(test_id=self.test_id, counter=self.counter,
                                           extra=textwrap.dedent(extra)))
        for name, text in (files or {"src/main.txt": "hello\n"}).items():
            project.file(name, text)
        return project

    @staticmethod
    def tree(root) -> dict:
        """Every file under ``root`` (posix relative path -> bytes)."""
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    def runs(self) -> int:
        return len(self.counter.read_text().splitlines()) if self.counter.exists() else 0


@pytest.fixture
def checkouts(tmp_path, zr_plugin_index) -> Checkouts:
    return Checkouts(tmp_path, zr_plugin_index)



@pytest.fixture(scope="module")
def tag_storing_turbo_server(tmp_path_factory):
    """turborepo-remote-cache that keeps ``x-artifact-tag``: the server stores
    (never checks) tags only when it has TURBO_REMOTE_CACHE_SIGNATURE_KEY set."""
    from tests.servers.service import serve_for_session
    from tests.servers.turbo_cache import TurboCacheServer

    server = TurboCacheServer(tmp_path_factory.mktemp("tag_storing_turbo"))
    server.process.env["TURBO_REMOTE_CACHE_SIGNATURE_KEY"] = "enables-tag-storage"
    yield from serve_for_session(server)
