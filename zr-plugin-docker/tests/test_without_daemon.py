"""What needs no daemon: configuration errors, a daemon that is not there,
and the .dockerignore rules the build fingerprint follows."""

from __future__ import annotations

import pytest

from zr_plugin_docker.dockerignore import DockerIgnore
from zr_plugin_docker.records import file_name


def test_daemon_not_running_is_one_clear_error_and_others_go_on(zr_project, tmp_path, printed):
    missing = f"unix://{tmp_path}/no-daemon.sock"
    zr_project.write("""
        [tasks.boxed]
        container = "busybox:latest"
        cmd = "echo inside"

        [tasks.local]
        cmd = "echo local ran"
    """)
    result = zr_project.run("run", "--parallel", "boxed", "local",
                            env={"DOCKER_HOST": missing})
    assert result.returncode == 1, result.output
    assert f"cannot reach the Docker daemon at {missing} (from DOCKER_HOST)" in result.stderr
    assert printed(result.stdout, "local", "local ran")
    assert "inside" not in result.stdout
    assert "Traceback" not in result.output


def test_image_task_with_daemon_away_fails_before_building(zr_project, tmp_path):
    missing = f"unix://{tmp_path}/no-daemon.sock"
    zr_project.file("Dockerfile", "FROM scratch\n")
    zr_project.write("""
        [tasks.image]
        docker = { build = { context = "." } }
    """)
    result = zr_project.run("run", "image", env={"DOCKER_HOST": missing})
    assert result.returncode == 1, result.output
    assert "cannot reach the Docker daemon" in result.stderr and "DOCKER_HOST" in result.stderr


@pytest.mark.parametrize("field, message", [
    ('docker = { build = { context = "." }, push = true }',
     "tasks.image.docker.push: push = true needs at least one tag"),
    ('docker = { build = { context = ".", tagz = ["a"] } }',
     "tasks.image.docker.build.tagz: unknown key 'tagz'"),
    ('docker = { push = true }', "build is required"),
    ('container = { image = "alpine", volumes = ["data"] }',
     'tasks.image.container.volumes[0]: expected "SOURCE:TARGET[:ro]"'),
    ('container = 3', 'expected an image such as "alpine:3.20"'),
])
def test_configuration_errors_name_the_key(zr_project, field, message):
    zr_project.write(f"""
        [tasks.image]
        {field}
    """)
    result = zr_project.run("run", "image")
    assert result.returncode == 2, result.output
    assert message in result.stderr
    assert "zr.toml:2" in result.stderr
    assert "Traceback" not in result.output


def test_docker_command_with_the_daemon_away_exits_1(zr_project, tmp_path):
    zr_project.write("""
        [tasks.image]
        docker = { build = { context = "." } }
    """)
    result = zr_project.run("docker", "prune", env={"DOCKER_HOST": f"unix://{tmp_path}/x.sock"})
    assert result.returncode == 1, result.output
    assert "cannot reach the Docker daemon" in result.stderr


@pytest.mark.parametrize("patterns, path, excluded", [
    ("notes", "notes/a.txt", True),
    ("*.log", "build.log", True),
    ("*.log", "sub/build.log", False),
    ("**/*.log", "sub/deep/build.log", True),
    ("**/*.log", "top.log", True),
    ("/secrets/", "secrets/key", True),
    ("build\n!build/keep.txt", "build/keep.txt", False),
    ("build\n!build/keep.txt", "build/other.txt", True),
    ("*\n!src", "src/main.c", False),
    ("*\n!src", "README", True),
    ("# comment\n", "# comment", False),
    ("file?.txt", "file1.txt", True),
    ("file[0-9].txt", "filex.txt", False),
])
def test_dockerignore_rules(patterns, path, excluded):
    assert DockerIgnore(patterns).excludes(path) is excluded


def test_task_names_become_distinct_file_names():
    """Hit and image ID files are named after their task: names that differ
    only in characters a file name cannot hold must not share a file."""
    names = ["a:b", "a_b", "a/b", "a%3Ab", "a b", "café", "build.x-1"]
    files = [file_name(name) for name in names]
    assert len(set(files)) == len(names)
    assert all(set(f) <= set("abcdefghijklmnopqrstuvwxyzABCDEF0123456789-_.%") for f in files)
    assert file_name("build.x-1") == "build.x-1"
