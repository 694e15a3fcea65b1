"""End to end through the real zr command and a real HTTP mirror: node and
go resolved from their index formats, verified, unpacked, and on a task's
PATH with their env vars."""

from __future__ import annotations

import json
import os


def test_task_runs_with_node_from_tools_table(project, mirror):
    project.write("""
        [tools]
        node = "20"

        [tasks.show]
        cmd = "node --version && node -e hello"
    """)

    result = project.run("run", "show")

    assert result.returncode == 0, result.output
    assert "show | v20.11.1" in result.stdout
    assert "show | node-e hello" in result.stdout
    assert "installed node 20.11.1" in result.stderr
    lock = (project.path / "zr.lock").read_text()
    assert '[tools."node@20"]' in lock and 'version = "20.11.1"' in lock
    assert "sha256 = " in lock


def test_go_gets_goroot_and_local_toolchain(project, mirror):
    project.write("""
        [tasks.build]
        cmd = "go version"
        toolchain = ["go@1.21"]
    """)

    result = project.run("run", "build")

    assert result.returncode == 0, result.output
    home = project.home / "data" / "toolchains" / "go" / "1.21.6"
    assert f"go version go1.21.6 linux/amd64 GOROOT={home} GOTOOLCHAIN=local" in result.stdout


def test_second_run_makes_no_request_even_with_the_server_gone(project, mirror):
    project.write("""
        [tools]
        node = "lts"
        go = "^1.21"

        [tasks.show]
        cmd = "node --version; go version"
    """)
    first = project.run("run", "show")
    assert first.returncode == 0, first.output
    assert "v20.11.1" in first.stdout and "go1.22.1" in first.stdout
    requests_before = mirror.requests()
    mirror.stop()

    second = project.run("run", "show")

    assert second.returncode == 0, second.output
    assert "v20.11.1" in second.stdout and "go1.22.1" in second.stdout
    assert mirror.requests() == requests_before
    assert "downloading" not in second.stderr


def test_lts_codename_and_ranges_resolve_from_the_index(project, mirror):
    project.write("""
        [tasks.a]
        cmd = "node --version"
        toolchain = ["node@lts/hydrogen"]

        [tasks.b]
        cmd = "node --version"
        toolchain = ["node@>=20 <21"]

        [tasks.c]
        cmd = "node --version"
        toolchain = ["node@latest"]
    """)

    result = project.run("run", "a", "b", "c")

    assert result.returncode == 0, result.output
    assert "a | v18.19.0" in result.stdout
    assert "b | v20.11.1" in result.stdout
    assert "c | v21.6.1" in result.stdout


def test_tool_option_and_env_override_versions(project, mirror):
    project.write("""
        [tools]
        node = "20"

        [tasks.show]
        cmd = "node --version"
    """)

    by_env = project.run("run", "show", env={"ZR_TOOL_NODE": "18"})
    by_option = project.run("run", "show", "--tool", "node@21", env={"ZR_TOOL_NODE": "18"})

    assert "show | v18.19.0" in by_env.stdout, by_env.output
    assert "show | v21.6.1" in by_option.stdout, by_option.output


def test_an_installed_version_is_used_before_the_index(project, mirror):
    project.write("""
        [tasks.show]
        cmd = "node --version"
        toolchain = ["node@20.9.0"]
    """)
    assert project.run("run", "show").returncode == 0
    (project.path / "zr.lock").unlink()
    project.write("""
        [tasks.show]
        cmd = "node --version"
        toolchain = ["node@20.9"]
    """)
    before = len(mirror.requests())

    result = project.run("run", "show")

    assert "show | v20.9.0" in result.stdout, result.output
    assert len(mirror.requests()) == before


def test_json_tools_commands(project, mirror):
    project.write("""
        [tools]
        node = "20"
        go = "1.22"

        [tasks.noop]
        cmd = "true"
    """)

    installed = project.run("tools", "install", "--format", "json")
    listed = project.run("tools", "list", "--format", "json")
    which = project.run("tools", "which", "gofmt")
    env = project.run("tools", "env", "--format", "json")
    executed = project.run("exec", "--", "go", "version")

    assert installed.returncode == 0, installed.output
    versions = {t["tool"]: t["version"] for t in json.loads(installed.stdout)["installed"]}
    assert versions == {"go": "1.22.1", "node": "20.11.1"}
    rows = json.loads(listed.stdout)["tools"]
    assert {(r["tool"], r["version"], r["project_spec"]) for r in rows} == {
        ("go", "1.22.1", "1.22"), ("node", "20.11.1", "20")}
    assert which.stdout.strip() == str(project.home / "data" / "toolchains" / "go" / "1.22.1"
                                       / "bin" / "gofmt")
    variables = json.loads(env.stdout)["env"]
    assert variables["GOROOT"].endswith(os.path.join("go", "1.22.1"))
    assert variables["PATH"].split(os.pathsep)[0].endswith(os.path.join("go", "1.22.1", "bin"))
    assert executed.returncode == 0 and "go1.22.1" in executed.stdout, executed.output


def test_the_tool_version_is_part_of_the_cache_key(project, mirror):
    project.write("""
        [tools]
        node = "20"

        [tasks.build]
        cmd = "node --version > out.txt"
        cache = true
        outputs = ["out.txt"]
    """)

    first = project.run("run", "build")
    again = project.run("run", "build")
    other = project.run("run", "build", env={"ZR_TOOL_NODE": "18"})
    explain = project.run("cache", "key", "build", "--explain")

    assert first.returncode == 0, first.output
    assert "cached" in again.stderr, again.output
    assert "cached" not in other.stderr, other.output
    assert (project.path / "out.txt").read_text() == "v18.19.0\n"
    assert "toolchain node" in explain.stdout and "20.11.1" in explain.stdout, explain.output


def test_remembered_activation_follows_changes(project, mirror):
    project.file(".nvmrc", "20\n")
    project.write("""
        [tasks.show]
        cmd = "node --version"
        toolchain = ["node"]
    """)
    assert "show | v20.11.1" in project.run("run", "show").stdout

    project.file(".nvmrc", "18\n")
    after_edit = project.run("run", "show")
    removed = project.run("tools", "uninstall", "node@18")
    after_uninstall = project.run("run", "show")

    assert "show | v18.19.0" in after_edit.stdout, after_edit.output
    assert removed.returncode == 0, removed.output
    assert "installed node 18.19.0" in after_uninstall.stderr
    assert "show | v18.19.0" in after_uninstall.stdout, after_uninstall.output
