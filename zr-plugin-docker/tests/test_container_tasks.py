"""Container tasks against a real dockerd: ownership of outputs, exit codes,
streamed output, and no container left after a timeout or Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from zr.testing import wait_for_file

pytestmark = pytest.mark.services

IMAGE_TASK = """
[tasks.image]
docker = { build = { context = "img", target = "app", tags = ["zrtest/app:dev"], network = "none" } }
"""


def _project(docker_project, tasks: str) -> None:
    docker_project.write(IMAGE_TASK + tasks)


def test_outputs_belong_to_the_caller_and_to_an_explicit_user(docker_project):
    _project(docker_project, """
        [tasks.as-caller]
        deps = ["image"]
        container = { image = "zrtest/app:dev", network = "none" }
        cwd = "out"
        cmd = "echo made by $(id -u):$(id -g) in $(pwd) > caller.txt"

        [tasks.as-user]
        deps = ["image"]
        container = { image = "zrtest/app:dev", network = "none", user = "1234:2345" }
        cmd = "echo made by $(id -u):$(id -g) > out/user.txt"
    """)
    out = docker_project.path / "out"
    out.mkdir()
    out.chmod(0o777)  # so that uid 1234 may write there too
    result = docker_project.run("run", "--parallel", "as-caller", "as-user")
    assert result.returncode == 0, result.output

    caller = out / "caller.txt"
    assert (caller.stat().st_uid, caller.stat().st_gid) == (os.getuid(), os.getgid())
    # The project is mounted at the same path and the command starts in the task's cwd.
    assert caller.read_text().strip() == f"made by {os.getuid()}:{os.getgid()} in {out}"
    user = out / "user.txt"
    assert (user.stat().st_uid, user.stat().st_gid) == (1234, 2345)
    assert user.read_text().strip() == "made by 1234:2345"


def test_exit_code_output_and_env_are_the_commands(docker_project, printed):
    _project(docker_project, """
        [env]
        SHARED = "from [env]"

        [tasks.fails]
        deps = ["image"]
        container = { image = "zrtest/app:dev", network = "none", env = { INSIDE = "yes" } }
        env = { GREETING = "hi there" }
        cmd = ["echo $GREETING / $SHARED / $INSIDE / home=${HOME:-unset}", "exit 7", "echo never"]
    """)
    result = docker_project.run("run", "fails")
    assert result.returncode == 1, result.output
    assert printed(result.stdout, "fails", "hi there / from [env] / yes / home=/")
    assert "fails failed (exit 7)" in result.stderr
    assert "never" not in result.stdout


def test_timeout_stops_and_removes_the_container(docker_project, printed):
    _project(docker_project, """
        [tasks.slow]
        deps = ["image"]
        container = { image = "zrtest/app:dev", network = "none" }
        cmd = "echo started; sleep 300"
        timeout = "3s"
    """)
    result = docker_project.run("run", "slow")
    assert result.returncode == 1, result.output
    assert printed(result.stdout, "slow", "started")
    assert "timed out" in result.stderr
    assert docker_project.daemon.containers(docker_project.label) == []


@pytest.mark.parametrize("trap", ["", "trap '' INT TERM; "], ids=["plain", "ignores-signals"])
def test_ctrl_c_stops_and_removes_the_container(docker_project, trap):
    _project(docker_project, f"""
        [tasks.slow]
        deps = ["image"]
        container = {{ image = "zrtest/app:dev", network = "none" }}
        cmd = "{trap}echo up > started; while true; do sleep 1; done"
    """)
    zr = docker_project.popen("run", "slow")
    try:
        wait_for_file(docker_project.path / "started", timeout=60)
        assert docker_project.daemon.containers(docker_project.label) != []
        os.killpg(zr.pid, signal.SIGINT)
        out, err = zr.communicate(timeout=60)
    finally:
        if zr.poll() is None:
            zr.kill()
    assert zr.returncode == 130, out + err
    assert "interrupted" in err
    assert docker_project.daemon.containers(docker_project.label) == []


def test_the_current_docker_context_chooses_the_daemon(docker_project, tmp_path, printed):
    """No DOCKER_HOST: zr (for its ping) and the CLI follow `docker context use`."""
    _project(docker_project, """
        [tasks.hello]
        deps = ["image"]
        container = { image = "zrtest/app:dev", network = "none" }
        cmd = "echo hello from the context"
    """)
    daemon = docker_project.daemon
    config_dir = tmp_path / "docker-config"
    env = {"DOCKER_CONFIG": str(config_dir), "DOCKER_HOST": ""}
    for args in (["context", "create", "zr-test", "--docker", f"host={daemon.host}"],
                 ["context", "create", "nowhere", "--docker",
                  f"host=unix://{tmp_path}/nowhere.sock"],
                 ["context", "use", "zr-test"]):
        subprocess.run([daemon.cli, *args], env={**os.environ, **env}, check=True,
                       capture_output=True)
    docker_project.project.env.pop("DOCKER_HOST")
    docker_project.project.env["DOCKER_CONFIG"] = str(config_dir)

    result = docker_project.run("run", "hello")
    assert result.returncode == 0, result.output
    assert printed(result.stdout, "hello", "hello from the context")

    away = docker_project.run("run", "hello", env={"DOCKER_CONTEXT": "nowhere"})
    assert away.returncode == 1, away.output
    assert (f"cannot reach the Docker daemon at unix://{tmp_path}/nowhere.sock "
            "(docker context 'nowhere'; DOCKER_HOST is not set)") in away.stderr
