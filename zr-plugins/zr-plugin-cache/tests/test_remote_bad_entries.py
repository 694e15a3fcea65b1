"""A bad remote entry (hostile archive, blob that does not match its digest,
missing signature) is a miss with a warning naming it, and is removed from
a remote that can delete (nginx WebDAV) before the task runs, so the
task's fresh result replaces it; a Turborepo remote cannot delete, which
the first such warning of a run says. Against the real servers."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

import pytest
import requests

from zr_plugin_cache.bazel_proto import OutputFile, encode_action_result
from zr_plugin_cache.http_backend import ENTRY_NAME

pytestmark = pytest.mark.services

SIGNING_ENV = "ZR_TEST_SIGNING_KEY"
TURBO_TOKEN_ENV = "ZR_TEST_TURBO_TOKEN"
# The task fails when this is set; inherited, so not part of the cache key:
# a failed run uploads nothing, so what is on the remote afterwards is what
# the lookup left there.
FAIL_ENV = "ZR_TEST_FAIL_BUILD"

PROJECT = """
[env]
TEST_ID = "{test_id}"

{cache}

[tasks.build]
cmd = '''
echo run >> "{counter}"
test -z "${FAIL_ENV}" || exit 3
mkdir -p dist
echo built > dist/app.txt
'''
cache = true
inputs = ["src/**"]
outputs = ["dist"]

[tasks.pack]
cmd = "mkdir -p pkg && echo packed > pkg/app.pkg"
cache = true
inputs = ["src/**"]
outputs = ["pkg"]
"""


def new_checkout(checkouts, cache: str):
    return checkouts.checkouts.new(
        PROJECT.format(test_id=checkouts.test_id, counter=checkouts.counter, cache=cache,
                       FAIL_ENV=FAIL_ENV),
        {"src/main.txt": "hello\n"})


def http_cache(server, extra: str = "") -> str:
    return (f'[cache]\n{extra}\n'
            f'remote = {{ type = "http", url = "{server.url}/zr", timeout = "5s" }}\n')


def warnings_in(result) -> list:
    return [line for line in result.stderr.splitlines() if line.startswith("zr: warning")]


def key_of(project, task: str = "build", env=None) -> str:
    return project.run("cache", "key", task, env=env).stdout.split()[0]


def plant(server, key: str, blob: bytes, *, digest: str | None = None) -> None:
    """Store ``blob`` as the entry of ``key`` on the WebDAV cache, under
    ``digest`` (default: its real SHA-256)."""
    digest = digest or hashlib.sha256(blob).hexdigest()
    base = f"{server.url}/zr"
    requests.put(f"{base}/cas/{digest}", data=blob, timeout=5).raise_for_status()
    action = encode_action_result([OutputFile(ENTRY_NAME, digest, len(blob))])
    requests.put(f"{base}/ac/{key}", data=action, timeout=5).raise_for_status()


def action_status(server, key: str) -> int:
    return requests.get(f"{server.url}/zr/ac/{key}", timeout=5).status_code


def escaping_archive() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in (("meta.json", json.dumps({"task": "build"}).encode()),
                           ("files/../../escaped.txt", b"pwned")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


BAD_BLOBS = {
    "hostile-archive": (escaping_archive(), None, "was not restored"),
    "garbage": (b"<html>502 Bad Gateway</html>", None, "was not restored"),
    "wrong-digest": (escaping_archive(), hashlib.sha256(b"other").hexdigest(),
                     "does not match its digest"),
}


@pytest.mark.parametrize("kind", sorted(BAD_BLOBS))
def test_a_bad_entry_is_a_miss_and_is_removed_from_the_remote(checkouts, webdav_cache_server,
                                                              kind):
    blob, digest, why = BAD_BLOBS[kind]
    project = new_checkout(checkouts, http_cache(webdav_cache_server))
    key = key_of(project)
    plant(webdav_cache_server, key, blob, digest=digest)

    failed = project.run("run", "build", env={FAIL_ENV: "1"})
    assert failed.returncode == 1, failed.output
    assert checkouts.runs() == 1, "a miss: the task ran"
    warnings = warnings_in(failed)
    assert len(warnings) == 1, failed.stderr
    assert key in warnings[0] and why in warnings[0], warnings[0]
    assert "removed it from the remote" in warnings[0], warnings[0]
    assert "off for the rest of this run" not in failed.stderr
    assert action_status(webdav_cache_server, key) == 404, "the bad entry is gone"
    assert not (checkouts.base / "escaped.txt").exists()

    built = project.run("run", "build")
    assert built.returncode == 0 and checkouts.runs() == 2, built.output
    assert warnings_in(built) == []
    other = new_checkout(checkouts, http_cache(webdav_cache_server))
    hit = other.run("run", "build")
    assert hit.returncode == 0 and "build cached" in hit.stderr, hit.output
    assert checkouts.runs() == 2, "the fresh result was stored"


def test_an_unsigned_entry_is_removed_when_signing_is_on(checkouts, webdav_cache_server):
    unsigned = new_checkout(checkouts, http_cache(webdav_cache_server))
    assert unsigned.run("run", "build").returncode == 0
    key = key_of(unsigned)
    assert action_status(webdav_cache_server, key) == 200

    signing = http_cache(webdav_cache_server, f'signing_key_env = "{SIGNING_ENV}"')
    signed = new_checkout(checkouts, signing)
    env = {SIGNING_ENV: "team secret"}
    refused = signed.run("run", "build", env={**env, FAIL_ENV: "1"})
    assert refused.returncode == 1 and checkouts.runs() == 2, refused.output
    warnings = warnings_in(refused)
    assert len(warnings) == 1 and key in warnings[0], refused.stderr
    assert "entry is not signed; removed it from the remote" in warnings[0], warnings[0]
    assert action_status(webdav_cache_server, key) == 404

    assert signed.run("run", "build", env=env).returncode == 0
    hit = new_checkout(checkouts, signing).run("run", "build", env=env)
    assert hit.returncode == 0 and "build cached" in hit.stderr, hit.output
    assert checkouts.runs() == 3


def test_a_read_only_remote_keeps_the_bad_entry(checkouts, webdav_cache_server):
    project = new_checkout(checkouts, http_cache(webdav_cache_server, "read_only = true"))
    key = key_of(project)
    plant(webdav_cache_server, key, b"garbage")
    result = project.run("run", "build")
    assert result.returncode == 0 and checkouts.runs() == 1, result.output
    warnings = warnings_in(result)
    assert len(warnings) == 1 and key in warnings[0], result.stderr
    assert "it stays on the remote (read_only)" in warnings[0], warnings[0]
    assert action_status(webdav_cache_server, key) == 200


def test_a_turbo_remote_cannot_delete_and_says_so_once(checkouts, turbo_cache_server):
    """The Turborepo API has no delete: bad entries stay, and the run says
    why once. (This server keeps no tags, so with a signing key every entry
    it serves is unsigned: a bad entry.)"""
    remote = (f'remote = {{ type = "turbo", url = "{turbo_cache_server.url}", '
              f'team = "{turbo_cache_server.team}", token_env = "{TURBO_TOKEN_ENV}", '
              f'timeout = "5s" }}')
    env = {TURBO_TOKEN_ENV: turbo_cache_server.token}
    first = new_checkout(checkouts, f"[cache]\n{remote}\n")
    assert first.run("run", "build", "pack", env=env).returncode == 0

    signed = new_checkout(checkouts, f'[cache]\nsigning_key_env = "{SIGNING_ENV}"\n{remote}\n')
    result = signed.run("run", "build", "pack", env={**env, SIGNING_ENV: "team secret"})
    assert result.returncode == 0 and checkouts.runs() == 2, result.output
    warnings = warnings_in(result)
    assert len(warnings) == 2, result.stderr
    assert all("entry is not signed; it stays on the remote" in w for w in warnings), warnings
    assert sum("cannot delete entries" in w for w in warnings) == 1, warnings
    assert "the turbo cache at" in result.stderr
    for task in ("build", "pack"):
        key = key_of(first, task, env=env)
        stored = requests.get(f"{turbo_cache_server.url}/v8/artifacts/{key}",
                              params={"teamId": turbo_cache_server.team},
                              headers={"Authorization": f"Bearer {turbo_cache_server.token}"},
                              timeout=5)
        assert stored.status_code == 200, (task, stored.status_code)


def test_a_server_that_refuses_delete_keeps_the_entry_and_stays_on(checkouts, http_recorder):
    """bazel-remote answers DELETE with 405: the warning says the entry
    stays, and the remote is still used (the fresh result is uploaded)."""
    project = new_checkout(checkouts, http_cache(http_recorder))
    key = key_of(project)
    blob = b"<html>502 Bad Gateway</html>"
    digest = hashlib.sha256(blob).hexdigest()
    http_recorder.enqueue(200, encode_action_result([OutputFile(ENTRY_NAME, digest, len(blob))]))
    http_recorder.enqueue(200, blob)
    http_recorder.enqueue(405, b"Method 'DELETE' not supported.")
    http_recorder.respond_with(200)  # then the upload: HEAD /cas/ "has it", PUT /ac/

    result = project.run("run", "build")
    assert result.returncode == 0 and checkouts.runs() == 1, result.output
    warnings = warnings_in(result)
    assert len(warnings) == 1 and key in warnings[0], result.stderr
    assert "removing it from the remote failed" in warnings[0], warnings[0]
    assert "405" in warnings[0], warnings[0]
    requests_made = [(r.method, r.path) for r in http_recorder.requests]
    assert ("DELETE", f"/zr/ac/{key}") in requests_made, requests_made
    assert ("PUT", f"/zr/ac/{key}") in requests_made, "the remote stayed on for the upload"
