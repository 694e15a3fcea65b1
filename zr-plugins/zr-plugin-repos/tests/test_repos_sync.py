"""``zr repo sync`` and ``zr repo status`` against real git servers on 127.0.0.1.

Five repositories with real history are served over git:// (git daemon),
smart HTTP (git http-backend behind nginx) and file://, and synced into a
fresh workspace by the real ``zr`` command.
"""

from __future__ import annotations

import json
import os
import time

import pytest

pytestmark = pytest.mark.services


@pytest.fixture
def served(request, git_daemon_server, git_http_server, five_upstreams, tmp_path):
    """The five repos: core, util over git://; api, web over HTTP; cli over file://."""
    test_dir = request.node.name.replace("[", "-").replace("]", "")
    daemon_dir = git_daemon_server.repo_dir(test_dir)
    http_dir = git_http_server.repo_dir(test_dir)
    local_dir = tmp_path / "local"
    local_dir.mkdir()
    ups = {}
    ups.update(five_upstreams(daemon_dir, ("core", "util")))
    ups.update(five_upstreams(http_dir, ("api", "web")))
    ups.update(five_upstreams(local_dir, ("cli",)))
    urls = {
        "core": git_daemon_server.url_for(ups["core"].bare),
        "util": git_daemon_server.url_for(ups["util"].bare),
        "api": git_http_server.url_for(ups["api"].bare),
        "web": git_http_server.url_for(ups["web"].bare),
        "cli": ups["cli"].bare.as_uri(),
    }
    return ups, urls


def size_of(path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def checkout(project, name):
    return project.path / "src" / name


def test_sync_from_empty_clones_all_five_over_three_protocols(zr_project, served, kit):
    ups, urls = served
    zr_project.write(kit.manifest_text(urls), "zr-repos.toml")
    result = zr_project.run("repo", "sync", "-j", "5")
    assert result.returncode == 0, result.output
    for name, upstream in ups.items():
        assert kit.git("rev-parse", "HEAD", cwd=checkout(zr_project, name)).strip() == \
            upstream.head()
        # one progress line per repo
        assert sum(line.startswith(f"{name} ") for line in result.stdout.splitlines()) == 1
        assert "cloned" in next(line for line in result.stdout.splitlines()
                                if line.startswith(f"{name} "))
    assert "synced 5 repo(s): 5 cloned" in result.stdout
    assert not [p for p in (zr_project.path / "src").iterdir() if "zr-clone" in p.name]

    status = zr_project.run("repo", "status", "--format", "json")
    assert status.returncode == 0, status.output
    rows = {row["name"]: row for row in json.loads(status.stdout)["repos"]}
    assert set(rows) == set(ups)
    for row in rows.values():
        assert (row["branch"], row["ahead"], row["behind"], row["changed"], row["untracked"]) \
            == ("main", 0, 0, 0, 0)


def test_sync_again_updates_leaves_dirty_and_diverged_alone(zr_project, served, kit):
    ups, urls = served
    zr_project.write(kit.manifest_text(urls), "zr-repos.toml")
    assert zr_project.run("repo", "sync").returncode == 0
    # upstream moves on in every repo but web
    new_heads = {name: ups[name].commit("NEWS", f"{name} 2\n", "news")
                 for name in ("core", "util", "api", "cli")}
    # util has uncommitted work; api has a local commit (diverges from its upstream)
    (checkout(zr_project, "util") / "README").write_text("my edit\n")
    (checkout(zr_project, "util") / "scratch.txt").write_text("untracked\n")
    api_dir = checkout(zr_project, "api")
    (api_dir / "LOCAL").write_text("mine\n")
    kit.git("add", "LOCAL", cwd=api_dir)
    kit.git("commit", "-q", "-m", "local work", cwd=api_dir)
    local_api_head = kit.git("rev-parse", "HEAD", cwd=api_dir).strip()

    status = zr_project.run("repo", "status", "--format", "json")
    rows = {row["name"]: row for row in json.loads(status.stdout)["repos"]}
    assert (rows["util"]["changed"], rows["util"]["untracked"], rows["util"]["dirty"]) == \
        (1, 1, True)
    assert rows["core"]["dirty"] is False
    assert rows["api"]["ahead"] == 1

    result = zr_project.run("repo", "sync")
    assert result.returncode == 0, result.output
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "updated" in lines["core"] and "updated" in lines["cli"]
    assert "up to date" in lines["web"]
    assert "left alone" in lines["util"] and "changed file" in lines["util"]
    assert "left alone" in lines["api"] and "diverged" in lines["api"]
    for name in ("core", "cli"):
        assert kit.git("rev-parse", "HEAD", cwd=checkout(zr_project, name)).strip() == \
            new_heads[name]
        assert (checkout(zr_project, name) / "NEWS").read_text() == f"{name} 2\n"
    # never reset: the edit, the untracked file and the local commit are all still there
    assert (checkout(zr_project, "util") / "README").read_text() == "my edit\n"
    assert (checkout(zr_project, "util") / "scratch.txt").exists()
    assert kit.git("rev-parse", "HEAD", cwd=api_dir).strip() == local_api_head

    status = zr_project.run("repo", "status")
    assert status.returncode == 0
    api_line = next(line for line in status.stdout.splitlines() if line.startswith("api "))
    assert "+1 -1" in api_line


def test_branch_that_does_not_exist_fails_that_repo_only(zr_project, served, kit):
    _, urls = served
    zr_project.write(kit.manifest_text(urls).replace(
        '[repos.web]\nurl = "' + urls["web"] + '"\nbranch = "main"',
        '[repos.web]\nurl = "' + urls["web"] + '"\nbranch = "no-such-branch"'), "zr-repos.toml")
    result = zr_project.run("repo", "sync")
    assert result.returncode == 1, result.output
    assert "no-such-branch" in result.output
    assert "web: failed" in result.stderr
    assert not checkout(zr_project, "web").exists()
    for name in ("core", "util", "api", "cli"):
        assert (checkout(zr_project, name) / "zr.toml").is_file()
    assert not [p for p in (zr_project.path / "src").iterdir() if "zr-clone" in p.name]


def test_shallow_and_selection(zr_project, served, kit):
    _, urls = served
    zr_project.write(kit.manifest_text(urls, extra={"cli": ['tags = ["tools"]'],
                                                    "web": ['tags = ["tools", "ui"]']}),
                     "zr-repos.toml")
    result = zr_project.run("repo", "sync", "--shallow", "--tags", "tools",
                            "--repos", "core,web,cli")
    assert result.returncode == 0, result.output
    assert sorted(p.name for p in (zr_project.path / "src").iterdir()) == ["cli", "web"]
    for name in ("cli", "web"):
        assert kit.git("rev-parse", "--is-shallow-repository",
                       cwd=checkout(zr_project, name)).strip() == "true"
        assert kit.git("rev-list", "--count", "HEAD", cwd=checkout(zr_project, name)).strip() == "1"
    bad = zr_project.run("repo", "sync", "--repos", "cor")
    assert bad.returncode == 2
    assert "no repo 'cor'" in bad.stderr and "did you mean 'core'" in bad.stderr


def test_credentials_in_urls_are_masked_everywhere(zr_project, served, kit):
    _, urls = served
    secret = "s3cr3t-t0ken"
    with_token = {name: url.replace("http://", f"http://ci:{secret}@")
                  for name, url in urls.items()}
    with_token["web"] = with_token["web"].replace("/git/", f"/git/missing-{secret}/")
    # a token may also come from the environment
    with_token["api"] = urls["api"].replace("http://", "http://ci:${REPO_TOKEN}@")
    zr_project.write(kit.manifest_text(with_token), "zr-repos.toml")
    zr_project.env["REPO_TOKEN"] = secret
    outputs = []
    sync = zr_project.run("repo", "sync")
    outputs.append(sync.output)
    assert sync.returncode == 1  # web's URL points nowhere
    assert (checkout(zr_project, "api") / "zr.toml").is_file()  # cloned with the token URL
    for args in (("repo", "sync", "--format", "json"), ("repo", "status"),
                 ("repo", "status", "--format", "json"), ("repo", "graph", "--format", "json")):
        outputs.append(zr_project.run(*args).output)
    joined = "\n".join(outputs)
    assert "ci:***@127.0.0.1" in joined
    assert secret not in joined.replace(f"missing-{secret}", "")


@pytest.fixture
def slow_clone(zr_project, tmp_path, tmp_path_factory, git_daemon_server, five_upstreams, kit):
    """Four small repos over git:// and ``web``, 3 MiB served at 128 KiB/s by
    a smart-HTTP server of its own; ``start_sync()`` runs ``zr repo sync`` and
    returns once web's clone is well into receiving its pack."""
    from tests.servers.git import GitHttpServer

    slow = GitHttpServer(tmp_path_factory.mktemp("slow_git_http"), limit_rate="128k")
    slow.start()
    test_dir = tmp_path.name
    ups = five_upstreams(git_daemon_server.repo_dir(test_dir), ("core", "util", "api", "cli"))
    big = kit.make_upstream(slow.repo_dir("big"), tmp_path / "big-work", "web",
                            {"blob.bin": os.urandom(3 << 20).hex()})
    urls = {name: git_daemon_server.url_for(up.bare) for name, up in ups.items()}
    urls["web"] = slow.url_for(big.bare)
    zr_project.write(kit.manifest_text(urls), "zr-repos.toml")
    src = zr_project.path / "src"

    def start():
        proc = zr_project.popen("repo", "sync", "-j", "5")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            staging = [p for p in src.iterdir() if p.name.startswith(".web.zr-clone-")] \
                if src.exists() else []
            packs = [f for s in staging
                     for f in (s / ".git" / "objects" / "pack").glob("tmp_pack_*")]
            if any(size_of(f) > 64 << 10 for f in packs):  # well into the transfer
                return proc
            time.sleep(0.05)
        proc.kill()
        pytest.fail("the slow clone never started receiving its pack")

    import types

    yield types.SimpleNamespace(server=slow, start_sync=start, src=src)
    slow.stop()


def test_server_killed_mid_clone_leaves_no_partial_directory(slow_clone):
    proc = slow_clone.start_sync()
    slow_clone.server.kill()
    stdout, stderr = proc.communicate(timeout=60)
    src = slow_clone.src
    assert proc.returncode == 1, stdout + stderr
    assert "web: failed" in stderr
    assert not (src / "web").exists()
    assert not [p for p in src.iterdir() if "zr-clone" in p.name]
    for name in ("core", "util", "api", "cli"):
        assert (src / name / "zr.toml").is_file()


def test_interrupted_sync_leaves_no_partial_directory(slow_clone):
    import signal

    proc = slow_clone.start_sync()
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches zr and its git processes
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr
    assert not (slow_clone.src / "web").exists()
    assert not [p for p in slow_clone.src.iterdir() if "zr-clone" in p.name]
