"""Image tasks against a real dockerd: build, cache hit, digests for dependents,
tag, push to a real registry and pull back by digest, failures."""

from __future__ import annotations

import json
import os
import re
import tempfile

import pytest

pytestmark = pytest.mark.services

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
APP_BASE = ('FROM scratch\nCOPY busybox /bin/busybox\n'
            'RUN ["/bin/busybox", "--install", "-s", "/bin"]\n')


def _image_project(docker_project, extra: str = "", push: str = "") -> None:
    docker_project.write(f"""
        [tasks.image]
        docker = {{ build = {{ context = "img", tags = ["zrtest/app:dev"], target = "app", args = {{ GREETING = "bonjour" }}, network = "none" }}{push} }}

        [tasks.show]
        deps = ["image"]
        cmd = "echo env=$ZR_DOCKER_DIGEST_IMAGE field=${{docker.image.digest}}"
        {extra}
    """)


def test_build_with_args_and_target_gives_dependents_the_digest(docker_project, printed):
    _image_project(docker_project, extra="""
        [tasks.greet]
        deps = ["image"]
        container = { image = "${docker.image.digest}", network = "none" }
        cmd = "cat /greeting /message.txt; test ! -e /other"

        [tasks.indirect]
        deps = ["show"]
        env = { FROM_FIELD = "${docker.image.digest}" }
        cmd = "echo indirect=$ZR_DOCKER_DIGEST_IMAGE env=$FROM_FIELD"
    """)
    result = docker_project.run("run", "show", "greet", "indirect")
    assert result.returncode == 0, result.output
    shown = re.search(r"env=(\S+) field=(\S+)", result.stdout)
    assert shown and shown.group(1) == shown.group(2) and DIGEST.fullmatch(shown.group(1))
    # The app stage was built with the build arg, not the default nor the other stage.
    assert printed(result.stdout, "greet", "bonjour")
    assert printed(result.stdout, "greet", "v1")
    inspected = docker_project.daemon.docker("image", "inspect", "--format", "{{.Id}}",
                                             "zrtest/app:dev").stdout.strip()
    assert inspected == shown.group(1)
    assert printed(result.stdout, "indirect", f"indirect={inspected} env={inspected}")


def test_unchanged_build_is_a_cache_hit_without_the_daemon(docker_project):
    _image_project(docker_project)
    calls = docker_project.log_docker_calls()
    first = docker_project.run("run", "show")
    assert first.returncode == 0, first.output
    assert "build" in calls.read_text()
    digest = re.search(r"env=(\S+)", first.stdout).group(1)

    calls.write_text("")
    second = docker_project.run("run", "show")
    assert second.returncode == 0, second.output
    assert "image cached" in second.output
    assert f"env={digest}" in second.stdout
    assert calls.read_text() == ""  # the docker CLI was not started at all

    # A file .dockerignore leaves out does not count; one the build sees does.
    (docker_project.path / "img" / ".dockerignore").write_text("notes/\n")
    (docker_project.path / "img" / "notes").mkdir()
    (docker_project.path / "img" / "notes" / "todo.txt").write_text("ignored\n")
    docker_project.run("run", "image")  # the .dockerignore itself is context: one rebuild
    (docker_project.path / "img" / "notes" / "todo.txt").write_text("still ignored\n")
    calls.write_text("")
    assert "image cached" in docker_project.run("run", "image").output
    assert calls.read_text() == ""

    forced = docker_project.run("run", "--force", "image")
    assert forced.returncode == 0, forced.output
    assert "image cached" not in forced.output and "build" in calls.read_text()

    (docker_project.path / "img" / "message.txt").write_text("v2\n")
    third = docker_project.run("run", "show")
    assert third.returncode == 0, third.output
    assert "image cached" not in third.output
    assert re.search(r"env=(\S+)", third.stdout).group(1) != digest


def test_a_cache_hit_needs_no_daemon_and_imports_nothing_heavy(docker_project):
    """The daemon is reached through a link to its socket; once the image is
    built the link goes, and the hit still answers (it never pings). What a
    hit imports beyond a run of a task with no commands is the plugin's own
    modules and hashlib: no Docker SDK, requests, socket or subprocess."""
    _image_project(docker_project, extra="""
        [tasks.nothing]
        description = "no commands"
    """)
    link_dir = tempfile.mkdtemp(prefix="zrl", dir="/tmp")  # a unix socket path is short
    link = os.path.join(link_dir, "d.sock")
    os.symlink(docker_project.daemon.socket_path, link)
    env = {"DOCKER_HOST": f"unix://{link}"}
    try:
        built = docker_project.run("run", "image", env=env)
        assert built.returncode == 0, built.output
        assert "image cached" not in built.output
    finally:
        os.unlink(link)
        os.rmdir(link_dir)

    hit = docker_project.run("run", "image", env=env)
    assert hit.returncode == 0, hit.output
    assert "image cached" in hit.output

    nothing = docker_project.project.loaded_modules("run", "nothing", env=env)
    cached = docker_project.project.loaded_modules("run", "image", env=env)
    assert {"docker", "requests"}.isdisjoint(cached)
    added = {name for name in cached - nothing if not name.startswith("zr_plugin_docker")}
    assert added <= {"hashlib", "_hashlib", "_blake2", "_sha256", "_sha2"}, added
    assert not {"zr_plugin_docker.cli", "zr_plugin_docker.build"} & cached


def test_tag_push_remove_and_pull_back_by_digest(docker_project, docker_registry):
    repo = f"{docker_registry.address}/zrtest/app"
    docker_project.write(f"""
        [tasks.image]
        docker = {{ build = {{ context = "img", target = "app", tags = ["{repo}:dev"], network = "none" }} }}
    """)
    built = docker_project.run("docker", "build", "image")
    assert built.returncode == 0, built.output
    image_id = DIGEST.search(built.stdout).group(0)

    tagged = docker_project.run("docker", "tag", "image", f"{repo}:v1")
    assert tagged.returncode == 0, tagged.output
    pushed = docker_project.run("docker", "push", "image")
    assert pushed.returncode == 0, pushed.output
    repo_digest = re.search(rf"pushed ({re.escape(repo)}@sha256:[0-9a-f]{{64}})",
                            pushed.stdout).group(1)
    status, body = _registry_get(docker_registry, "/v2/zrtest/app/tags/list")
    assert status == 200 and sorted(json.loads(body)["tags"]) == ["dev", "v1"]

    daemon = docker_project.daemon
    daemon.docker("image", "rm", "--force", image_id)
    assert image_id not in daemon.image_ids()
    daemon.docker("pull", repo_digest)
    assert daemon.docker("image", "inspect", "--format", "{{.Id}}",
                         repo_digest).stdout.strip() == image_id


def test_push_true_pushes_during_the_run(docker_project, docker_registry):
    repo = f"{docker_registry.address}/zrtest/pushed"
    docker_project.write(f"""
        [tasks.image]
        docker = {{ build = {{ context = "img", target = "app", tags = ["{repo}:1"], network = "none" }}, push = true }}
    """)
    result = docker_project.run("run", "image")
    assert result.returncode == 0, result.output
    status, body = _registry_get(docker_registry, "/v2/zrtest/pushed/tags/list")
    assert status == 200 and json.loads(body)["tags"] == ["1"]


def _registry_get(registry, path: str):
    from tests.servers.process import http_request

    return http_request("GET", f"http://{registry.address}{path}")


def test_failing_dockerfile_fails_the_task_with_exit_1(docker_project):
    (docker_project.path / "img" / "Dockerfile").write_text(
        'FROM scratch AS app\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", '
        '"echo about to fail; exit 3"]\n')
    _image_project(docker_project)
    result = docker_project.run("run", "show")
    assert result.returncode == 1, result.output
    assert "about to fail" in result.output  # the build's own output streams
    assert "image failed" in result.stderr
    assert "show" not in result.stdout  # the dependent did not run
    assert "env=" not in result.stdout


def test_multi_platform_without_buildx_says_what_to_install(docker_project):
    docker_project.write("""
        [tasks.image]
        docker = { build = { context = "img", platforms = ["linux/amd64", "linux/arm64"] } }
    """)
    result = docker_project.run("run", "image")
    assert result.returncode == 1, result.output
    assert "multi-platform" in result.stderr and "buildx" in result.stderr
    assert "docker-buildx-plugin" in result.stderr


def test_an_image_built_from_another_is_rebuilt_when_its_base_is(docker_project, printed):
    """`FROM` a base image task's tag, with its digest as a build arg: a new
    base rebuilds the app even though the app's own context did not change."""
    app = docker_project.path / "app"
    app.mkdir()
    (app / "Dockerfile").write_text(
        "FROM zrtest/base:dev\nARG BASE_DIGEST\nRUN echo \"$BASE_DIGEST\" > /base-digest\n")
    docker_project.write("""
        [tasks.base]
        docker = { build = { context = "img", target = "app", tags = ["zrtest/base:dev"], network = "none" } }

        [tasks.app]
        deps = ["base"]
        docker = { build = { context = "app", tags = ["zrtest/chained:dev"], args = { BASE_DIGEST = "${docker.base.digest}" }, network = "none" } }

        [tasks.check]
        deps = ["app"]
        container = { image = "zrtest/chained:dev", network = "none" }
        cmd = "echo built-on=$(cat /base-digest) base=$ZR_DOCKER_DIGEST_BASE"
    """)
    first = docker_project.run("run", "check")
    assert first.returncode == 0, first.output
    base_v1 = re.search(r"base=(\S+)", first.stdout).group(1)
    assert printed(first.stdout, "check", f"built-on={base_v1} base={base_v1}")

    (docker_project.path / "img" / "message.txt").write_text("v2\n")
    second = docker_project.run("run", "check")
    assert second.returncode == 0, second.output
    assert "base cached" not in second.output and "app cached" not in second.output
    base_v2 = re.search(r"base=(\S+)", second.stdout).group(1)
    assert base_v2 != base_v1
    assert printed(second.stdout, "check", f"built-on={base_v2} base={base_v2}")

    third = docker_project.run("docker", "build")  # in dependency order, both unchanged
    assert third.returncode == 0, third.output
    lines = third.stdout.splitlines()
    assert len(lines) == 2 and lines[0] == f"base: unchanged, {base_v2}"
    assert lines[1].startswith("app: unchanged, sha256:")


def test_build_secrets_reach_run_steps(docker_project, printed):
    secret = docker_project.path / "sec"
    docker_project.daemon.base_context(secret, APP_BASE + (
        "RUN --mount=type=secret,id=token cat /run/secrets/token > /token-copy\n"))
    (docker_project.path / "token.txt").write_text("s3cret\n")
    docker_project.write("""
        [tasks.image]
        docker = { build = { context = "sec", tags = ["zrtest/secret:dev"], secrets = ["id=token,src=token.txt"], network = "none" } }

        [tasks.read]
        deps = ["image"]
        container = { image = "zrtest/secret:dev", network = "none" }
        cmd = "cat /token-copy"
    """)
    result = docker_project.run("run", "read")
    assert result.returncode == 0, result.output
    assert printed(result.stdout, "read", "s3cret")
