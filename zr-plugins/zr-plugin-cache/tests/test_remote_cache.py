"""Remote caches against real servers: nginx WebDAV (Bazel-style) and
turborepo-remote-cache, plus servers that fail, hang or lie."""

import hashlib
import io
import json
import shutil
import sys
import tarfile

import pytest
import requests

from zr_plugin_cache.bazel_proto import OutputFile, encode_action_result
from zr_plugin_cache.http_backend import ENTRY_NAME

TURBO_TOKEN_ENV = "ZR_TEST_TURBO_TOKEN"
SIGNING_ENV = "ZR_TEST_SIGNING_KEY"


def http_remote(server, extra=""):
    return f"""
        [cache]
        {extra}
        remote = {{ type = "http", url = "{server.url}/zr", timeout = "5s" }}
    """


def turbo_remote(server, extra=""):
    return f"""
        [cache]
        {extra}
        remote = {{ type = "turbo", url = "{server.url}", team = "{server.team}", token_env = "{TURBO_TOKEN_ENV}", timeout = "5s" }}
    """


@pytest.fixture(params=["http", "turbo"])
def remote(request):
    """(zr.toml [cache] text, env for zr) for each real remote server."""
    if request.param == "http":
        server = request.getfixturevalue("webdav_cache_server")
        return http_remote(server), {}
    server = request.getfixturevalue("turbo_cache_server")
    return turbo_remote(server), {TURBO_TOKEN_ENV: server.token}


def test_a_second_checkout_runs_nothing_and_gets_identical_outputs(checkouts, remote):
    settings, env = remote
    first = checkouts.new(settings)
    ran = first.run("run", "build", env=env)
    assert ran.returncode == 0, ran.output
    assert "zr: warning" not in ran.stderr

    second = checkouts.new(settings)
    hit = second.run("run", "build", env=env)
    assert hit.returncode == 0, hit.output
    assert checkouts.runs() == 1
    assert checkouts.tree(second.path / "dist") == checkouts.tree(first.path / "dist")
    assert "build | compiling hello" in hit.stdout
    assert "build | a note on stderr" in hit.stderr
    assert "build cached" in hit.stderr

    shutil.rmtree(second.path / "dist")
    again = second.run("run", "build", env=env)  # now from its local store
    assert again.returncode == 0 and checkouts.runs() == 1
    assert (second.path / "dist" / "app.bin").read_text() == "hello\nhello\n"


WAIT_UNTIL_REFUSED = (
    "import socket, sys, time\n"
    "while True:\n"
    "    try: socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()\n"
    "    except OSError: break\n"
    "    time.sleep(0.05)\n")


def test_a_server_stopped_mid_run_gives_one_warning_and_a_local_run(checkouts,
                                                                   webdav_cache_server):
    port = webdav_cache_server.url.rsplit(":", 1)[1]
    script = checkouts.base / "wait_refused.py"
    script.write_text(WAIT_UNTIL_REFUSED)
    extra = http_remote(webdav_cache_server) + f"""
        [tasks.stop_server]
        cmd = '[ -z "$STOP_PID" ] || {{ kill -9 $STOP_PID; "{sys.executable}" "{script}" {port}; }}'
        deps = ["build"]

        [tasks.package]
        cmd = 'echo package >> "{checkouts.base / 'package-runs.txt'}"; cp dist/app.bin app.pkg'
        deps = ["stop_server"]
        cache = true
        inputs = ["dist/**"]
        outputs = ["app.pkg"]
    """
    first = checkouts.new(extra)
    assert first.run("run", "package").returncode == 0

    second = checkouts.new(extra)
    result = second.run("run", "package", env={"STOP_PID": str(webdav_cache_server.pid)})
    assert result.returncode == 0, result.output
    assert checkouts.runs() == 1, "build came from the remote"
    assert (checkouts.base / "package-runs.txt").read_text() == "package\npackage\n"
    assert (second.path / "app.pkg").read_text() == "hello\nhello\n"
    assert result.stderr.count("zr: warning") == 1
    assert "remote cache (http cache at" in result.stderr
    assert "cannot connect" in result.stderr


def test_a_server_that_never_answers_costs_one_bounded_wait(checkouts, hanging_server):
    settings = f"""
        [cache]
        remote = {{ type = "http", url = "{hanging_server.url}", timeout = "1s" }}

        [tasks.second]
        cmd = "echo second"
        deps = ["build"]
        cache = true
        inputs = ["src/**"]
    """
    project = checkouts.new(settings)
    result = project.run("run", "second", timeout=30)
    assert result.returncode == 0, result.output
    assert result.stderr.count("zr: warning") == 1
    assert "no answer within 1s" in result.stderr
    assert checkouts.runs() == 1
    shutil.rmtree(project.path / "dist")
    again = project.run("run", "build", timeout=30)
    assert again.returncode == 0 and "build cached" in again.stderr
    assert (project.path / "dist" / "app.bin").exists()


@pytest.mark.parametrize("status, body", [(500, b"Internal Server Error"),
                                          (200, b"<html>not an action result</html>")])
def test_error_answers_and_garbage_are_a_warning_and_a_local_run(checkouts, http_recorder,
                                                                status, body):
    http_recorder.respond_with(status, body)
    project = checkouts.new(f"""
        [cache]
        remote = {{ type = "http", url = "{http_recorder.url}", timeout = "5s" }}
    """)
    result = project.run("run", "build")
    assert result.returncode == 0, result.output
    assert checkouts.runs() == 1
    assert result.stderr.count("zr: warning") == 1
    assert "remote cache (http cache at" in result.stderr


def test_a_tampered_turbo_entry_is_a_miss_with_signing_on(checkouts, tag_storing_turbo_server):
    turbo_cache_server = tag_storing_turbo_server
    settings = turbo_remote(turbo_cache_server, f'signing_key_env = "{SIGNING_ENV}"')
    env = {TURBO_TOKEN_ENV: turbo_cache_server.token, SIGNING_ENV: "team secret"}
    first = checkouts.new(settings)
    assert first.run("run", "build", env=env).returncode == 0
    key = first.run("cache", "key", "build", env=env).stdout.split()[0]
    stored = [p for p in turbo_cache_server.storage_dir.rglob("*")
              if key in p.name and p.is_file() and "tag" not in p.name]
    assert stored, "the entry was uploaded"
    intact = second_checkout_hit(checkouts, settings, env)
    assert intact, "a correctly signed entry is a hit"
    data = bytearray(stored[0].read_bytes())
    data[-20] ^= 0x01
    stored[0].write_bytes(bytes(data))

    tampered = checkouts.new(settings)
    result = tampered.run("run", "build", env=env)
    assert result.returncode == 0, result.output
    assert checkouts.runs() == 2
    assert "signature does not match" in result.stderr
    assert (tampered.path / "dist" / "app.bin").read_text() == "hello\nhello\n"


def second_checkout_hit(checkouts, settings, env) -> bool:
    result = checkouts.new(settings).run("run", "build", env=env)
    return result.returncode == 0 and "build cached" in result.stderr and checkouts.runs() == 1


def test_an_unsigned_entry_is_a_miss_when_signing_is_on(checkouts, webdav_cache_server):
    unsigned = checkouts.new(http_remote(webdav_cache_server))
    assert unsigned.run("run", "build").returncode == 0

    signed = checkouts.new(http_remote(webdav_cache_server, f'signing_key_env = "{SIGNING_ENV}"'))
    result = signed.run("run", "build", env={SIGNING_ENV: "team secret"})
    assert result.returncode == 0, result.output
    assert checkouts.runs() == 2
    assert "entry is not signed" in result.stderr

    third = checkouts.new(http_remote(webdav_cache_server, f'signing_key_env = "{SIGNING_ENV}"'))
    hit = third.run("run", "build", env={SIGNING_ENV: "team secret"})
    assert hit.returncode == 0 and "build cached" in hit.stderr
    assert checkouts.runs() == 2


def hostile_archive(members) -> bytes:
    """A gzipped tar with a valid meta.json and the given (TarInfo, bytes) members."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        meta = json.dumps({"task": "build", "duration": 1.0}).encode()
        info = tarfile.TarInfo("meta.json")
        info.size = len(meta)
        tar.addfile(info, io.BytesIO(meta))
        for info, data in members:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def member(name, data=b"", link=None):
    info = tarfile.TarInfo(name)
    if link is not None:
        info.type = tarfile.SYMTYPE
        info.linkname = link
    return info, data


HOSTILE = {
    "dot-dot": hostile_archive([member("files/../../escaped.txt", b"pwned")]),
    "symlink-out": hostile_archive([member("files/dist/evil", link="../../escaped.txt"),
                                    member("files/dist/app.bin", b"fake")]),
    "garbage": b"<html>502 Bad Gateway</html>",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_remote_entry_is_refused_and_the_task_runs(checkouts, webdav_cache_server,
                                                            kind):
    project = checkouts.new(http_remote(webdav_cache_server))
    key = project.run("cache", "key", "build").stdout.split()[0]
    blob = HOSTILE[kind]
    digest = hashlib.sha256(blob).hexdigest()
    base = f"{webdav_cache_server.url}/zr"
    requests.put(f"{base}/cas/{digest}", data=blob, timeout=5).raise_for_status()
    action = encode_action_result([OutputFile(ENTRY_NAME, digest, len(blob))])
    requests.put(f"{base}/ac/{key}", data=action, timeout=5).raise_for_status()

    result = project.run("run", "build")
    assert result.returncode == 0, result.output
    assert checkouts.runs() == 1
    assert "was not restored" in result.stderr
    assert not (checkouts.base / "escaped.txt").exists()
    assert not (project.path.parent / "escaped.txt").exists()
    assert (project.path / "dist" / "app.bin").read_text() == "hello\nhello\n"
    assert not (project.path / "dist" / "evil").exists()
