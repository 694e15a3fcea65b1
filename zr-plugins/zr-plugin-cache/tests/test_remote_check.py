"""`zr cache remote check` against the real HTTP servers: a good and a
broken configuration of each remote type."""

import uuid

from zr_plugin_cache.probe import LASTING_PROBE_KEY

from tests.servers.process import free_port

TOKEN_ENV = "ZR_TEST_TURBO_TOKEN"
SIGNING_ENV = "ZR_TEST_SIGNING_KEY"


def remote_project(zr_project, remote: str, extra: str = ""):
    zr_project.write(f"""
        [cache]
        {extra}
        remote = {{ {remote}, timeout = "5s" }}

        [tasks.build]
        cmd = "true"
    """)
    return zr_project


def test_http_check_writes_reads_back_and_deletes_a_signed_probe(zr_project,
                                                                 webdav_cache_server):
    folder = f"check-{uuid.uuid4().hex[:8]}"
    url = f"{webdav_cache_server.url}/{folder}"
    project = remote_project(zr_project, f'type = "http", url = "{url}"',
                             f'signing_key_env = "{SIGNING_ENV}"')
    result = project.run("cache", "remote", "check", env={SIGNING_ENV: "team secret"})
    assert result.returncode == 0, result.output
    assert result.stdout == (f"ok: http cache at {url}: wrote, read back and deleted a "
                             f"probe object\n")
    stored = webdav_cache_server.root_dir / folder
    assert (stored / "cas").is_dir(), "the probe went to the server"
    assert list((stored / "ac").iterdir()) == [], "and its entry was deleted"


def test_http_check_names_what_fails(zr_project):
    url = f"http://127.0.0.1:{free_port()}/zr"
    project = remote_project(zr_project, f'type = "http", url = "{url}"')
    result = project.run("cache", "remote", "check")
    assert result.returncode == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("zr: error: cannot write probe entry "), result.stderr
    assert "cannot connect (connection refused)" in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr


def turbo_remote(server) -> str:
    return (f'type = "turbo", url = "{server.url}", team = "{server.team}", '
            f'token_env = "{TOKEN_ENV}"')


def test_turbo_check_writes_and_reads_back_one_lasting_probe(zr_project, turbo_cache_server):
    project = remote_project(zr_project, turbo_remote(turbo_cache_server))
    for _ in range(2):
        result = project.run("cache", "remote", "check",
                             env={TOKEN_ENV: turbo_cache_server.token})
        assert result.returncode == 0, result.output
        assert result.stdout == (f"ok: turbo cache at {turbo_cache_server.url}: wrote and read "
                                 f"back a probe object (it stays: turbo remotes cannot delete "
                                 f"entries)\n")
    probes = [p for p in turbo_cache_server.storage_dir.rglob(f"{LASTING_PROBE_KEY}*")
              if p.is_file()]
    assert len(probes) == 1, probes


def test_turbo_check_says_the_token_is_refused(zr_project, turbo_cache_server):
    project = remote_project(zr_project, turbo_remote(turbo_cache_server))
    result = project.run("cache", "remote", "check", env={TOKEN_ENV: "not-the-token"})
    assert result.returncode == 1, result.output
    assert "zr: error: cannot write probe entry" in result.stderr
    assert "answered HTTP 401 (not authorized: the token is missing or wrong" in result.stderr

    unset = project.run("cache", "remote", "check", env={TOKEN_ENV: ""})
    assert unset.returncode == 1, unset.output
    assert f"zr: warning: remote cache: ${TOKEN_ENV} (cache.remote.token_env) is not set" \
        in unset.stderr


def test_check_without_a_remote_or_with_an_unknown_type_is_a_usage_error(zr_project):
    zr_project.write("""
        [tasks.build]
        cmd = "true"
    """)
    nothing = zr_project.run("cache", "remote", "check")
    assert nothing.returncode == 2, nothing.output
    assert nothing.stderr == "zr: error: no [cache.remote] in zr.toml: nothing to check\n"

    remote_project(zr_project, 'type = "pigeon", url = "coop://"')
    unknown = zr_project.run("cache", "remote", "check")
    assert unknown.returncode == 2, unknown.output
    assert 'no installed plugin provides the remote cache type "pigeon"' in unknown.stderr
