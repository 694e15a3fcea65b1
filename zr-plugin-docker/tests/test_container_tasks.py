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


def test_a_retry_after_a_timeout_leaves_no_container(docker_project):
    """The command ignores SIGTERM, so each timed-out attempt's CLI is killed
    and zr removes the container: the first attempt's before the retry starts
    (which then gets a container of its own), the retry's at the end."""
    _project(docker_project, """
        [tasks.stuck]
        deps = ["image"]
        container = { image = "zrtest/app:dev", network = "none" }
        cmd = "trap '' INT TERM; mktemp attempt.XXXXXX >/dev/null; while true; do sleep 1; done"
        timeout = "15s"
        retry = 1
    """)
    result = docker_project.run("run", "stuck", timeout=180)
    assert result.returncode == 1, result.output
    assert "stuck timed out after 15s; retrying (1/1)" in result.output
    assert "timed out" in result.stderr
    assert len(list(docker_project.path.glob("attempt.*"))) == 2, result.output
    assert docker_project.daemon.containers(docker_project.label) == []


# Each container's command leaves a file of its own, then waits (a minute at
# most) until both containers have: proof that they ran at the same time.
BOTH_RUNNING = ("mktemp started.XXXXXX >/dev/null; i=0; "
                "while [ $(ls started.* | wc -l) -lt 2 ]; do "
                "i=$((i+1)); [ $i -lt 600 ] || exit 3; sleep 0.1; done")


def test_two_zr_processes_run_the_same_container_task_at_once(docker_project, printed):
    _project(docker_project, f"""
        [tasks.together]
        deps = ["image"]
        container = {{ image = "zrtest/app:dev", network = "none" }}
        cmd = ["{BOTH_RUNNING}", "echo both were running"]
    """)
    built = docker_project.run("run", "image")  # built once, before the race
    assert built.returncode == 0, built.output
    runs = [docker_project.popen("run", "together") for _ in range(2)]
    try:
        outputs = [zr.communicate(timeout=180) for zr in runs]
    finally:
        for zr in runs:
            if zr.poll() is None:
                zr.kill()
    for zr, (out, err) in zip(runs, outputs):
        assert zr.returncode == 0, out + err
        assert printed(out, "together", "both were running")
    assert len(list(docker_project.path.glob("started.*"))) == 2
    assert docker_project.daemon.containers(docker_project.label) == []


def test_ctrl_c_removes_its_own_container_not_another_runs(docker_project, printed):
    """Two runs of one task; Ctrl-C on the first (whose command ignores it, so
    zr removes the container itself) leaves the second's container running."""
    _project(docker_project, f"""
        [tasks.held]
        deps = ["image"]
        container = {{ image = "zrtest/app:dev", network = "none" }}
        cmd = ["trap '' INT TERM; {BOTH_RUNNING}; while [ ! -e released ]; do sleep 0.1; done",
               "echo released"]
    """)
    built = docker_project.run("run", "image")
    assert built.returncode == 0, built.output
    first, second = runs = [docker_project.popen("run", "held") for _ in range(2)]
    try:
        _wait_for_files(docker_project.path, "started.*", 2, timeout=120)  # both are up
        os.killpg(first.pid, signal.SIGINT)
        out, err = first.communicate(timeout=120)
        assert first.returncode == 130, out + err
        # The second run's container is still there, and still running.
        assert len(docker_project.daemon.containers(docker_project.label)) == 1
        assert second.poll() is None
        (docker_project.path / "released").write_text("go\n")
        out, err = second.communicate(timeout=120)
    finally:
        for zr in runs:
            if zr.poll() is None:
                zr.kill()
    assert second.returncode == 0, out + err
    assert printed(out, "held", "released")
    assert docker_project.daemon.containers(docker_project.label) == []


def _wait_for_files(directory, pattern: str, count: int, timeout: float) -> None:
    import time

    deadline = time.monotonic() + timeout
    while len(list(directory.glob(pattern))) < count:
        assert time.monotonic() < deadline, f"{count} files {pattern} within {timeout}s"
        time.sleep(0.05)


HELLO = """
    [tasks.hello]
    deps = ["image"]
    container = { image = "zrtest/app:dev", network = "none" }
    cmd = "echo hello from the context"
"""


def _contexts(docker_project, tmp_path, current: str) -> None:
    """Docker contexts in ``tmp_path/docker-config``: ``zr-test`` (the test
    daemon) and ``nowhere`` (``tmp_path/nowhere.sock``, where nobody listens),
    ``current`` the one in use; the project's zr sees them through
    DOCKER_CONFIG, without DOCKER_HOST."""
    daemon = docker_project.daemon
    config_dir = tmp_path / "docker-config"
    env = {**os.environ, "DOCKER_CONFIG": str(config_dir)}
    env.pop("DOCKER_HOST", None)
    for args in (["context", "create", "zr-test", "--docker", f"host={daemon.host}"],
                 ["context", "create", "nowhere", "--docker",
                  f"host=unix://{tmp_path}/nowhere.sock"],
                 ["context", "use", current]):
        subprocess.run([daemon.cli, *args], env=env, check=True, capture_output=True)
    docker_project.project.env.pop("DOCKER_HOST")
    docker_project.project.env["DOCKER_CONFIG"] = str(config_dir)


def test_the_current_docker_context_chooses_the_daemon(docker_project, tmp_path, printed):
    """No DOCKER_HOST: zr (for its ping) and the CLI follow `docker context use`."""
    _project(docker_project, HELLO)
    _contexts(docker_project, tmp_path, current="zr-test")

    result = docker_project.run("run", "hello")
    assert result.returncode == 0, result.output
    assert printed(result.stdout, "hello", "hello from the context")

    away = docker_project.run("run", "hello", env={"DOCKER_CONTEXT": "nowhere"})
    assert away.returncode == 1, away.output
    assert (f"cannot reach the Docker daemon at unix://{tmp_path}/nowhere.sock "
            "(docker context 'nowhere'; DOCKER_HOST is not set)") in away.stderr


def test_docker_context_overrides_the_current_context(docker_project, tmp_path, printed):
    """DOCKER_CONTEXT wins over `docker context use` for every way zr talks
    to the daemon: its ping, builds and runs through the CLI, and `zr docker`
    commands. The daemon is part of an image's fingerprint: the image built
    through one context is not a cache hit for another."""
    _project(docker_project, HELLO)
    _contexts(docker_project, tmp_path, current="nowhere")
    chosen = {"DOCKER_CONTEXT": "zr-test"}

    result = docker_project.run("run", "hello", env=chosen)
    assert result.returncode == 0, result.output
    assert printed(result.stdout, "hello", "hello from the context")
    assert "image cached" not in result.output  # it was built, through the context

    listed = docker_project.run("docker", "prune", "--dry-run", env=chosen)
    assert listed.returncode == 0, listed.output
    assert "zrtest/app:dev" in listed.stdout

    again = docker_project.run("run", "image", env=chosen)
    assert "image cached" in again.output, again.output

    current = docker_project.run("run", "image")  # the current context: nowhere
    assert current.returncode == 1, current.output
    assert f"unix://{tmp_path}/nowhere.sock (docker context 'nowhere'" in current.stderr
