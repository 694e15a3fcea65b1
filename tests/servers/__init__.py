"""Real servers for zr's tests, as pytest fixtures (loaded by the repo's root conftest.py).

Session-scoped, one real server per xdist worker, on free ports of 127.0.0.1:

    s3_server            moto_server (S3 API), bucket `zr-cache`
    azure_blob_server    azurite-blob, container `zr-cache`, connection string
    gcs_server           gcp-storage-emulator, bucket `zr-cache`
    webdav_cache_server  nginx WebDAV as a Bazel-style cache (/ac/, /cas/)
    turbo_cache_server   turborepo-remote-cache (/v8/artifacts), token and team
    docker_daemon        dockerd on a unix socket of its own (DOCKER_HOST), no network
    docker_registry      docker-registry (distribution) on 127.0.0.1
    git_daemon_server    git daemon (git://), bare repositories under base_dir
    git_http_server      nginx + fcgiwrap + git http-backend (smart HTTP)
    dask_scheduler       dask scheduler (distributed); workers are the tests' own

Per test:

    hanging_server       accepts connections, never answers (timeouts)
    http_recorder        records requests, answers as told (webhooks)

Each server object has `pid`, `stop()`, `kill()` and `restart()`; a server a
test left stopped is started again before the next test that uses it. The programs come
from scripts/install-test-services.sh; when one is missing or does not start,
the tests that need it fail with the reason and the server's log.
"""

from __future__ import annotations

from typing import List

import pytest

pytest_plugins = [
    "tests.servers.s3",
    "tests.servers.azure_blob",
    "tests.servers.gcs",
    "tests.servers.webdav_cache",
    "tests.servers.turbo_cache",
    "tests.servers.docker",
    "tests.servers.git",
    "tests.servers.hanging",
    "tests.servers.recorder",
    "tests.servers.dask",
]

SERVICE_FIXTURES = frozenset(
    {"s3_server", "azure_blob_server", "gcs_server", "webdav_cache_server", "turbo_cache_server",
     "docker_daemon", "docker_registry", "git_daemon_server", "git_http_server",
     "dask_scheduler"}
)


@pytest.fixture(autouse=True)
def _revive_stopped_services(request: pytest.FixtureRequest) -> None:
    """A fault test that killed a session server must not break the tests after it."""
    for name in SERVICE_FIXTURES.intersection(request.fixturenames):
        request.getfixturevalue(name).ensure_running()


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Mark every test that uses a real server `services`, so `-m "not services"` works."""
    for item in items:
        if SERVICE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.services)
