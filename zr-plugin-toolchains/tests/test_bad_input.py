"""Mistakes a user makes: one clear paragraph, the right exit code, and no
download attempted for what cannot be right."""

from __future__ import annotations


def test_unknown_tool_in_tools_table(project, mirror):
    project.write("""
        [tools]
        nodee = "20"

        [tasks.t]
        cmd = "true"
    """)

    result = project.run("run", "t")

    assert result.returncode == 2
    assert "zr.toml:2: tools.nodee: unknown toolchain 'nodee' (did you mean 'node'?)" \
        in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert mirror.requests() == []


def test_unknown_tool_in_a_task_and_on_the_command_line(project, mirror):
    project.write("""
        [tasks.t]
        cmd = "true"
        toolchain = ["pyhton@3.12"]
    """)
    in_task = project.run("list")
    project.write("""
        [tasks.t]
        cmd = "true"
    """)
    on_command_line = project.run("tools", "install", "golang@1.22", "zag@1")

    assert in_task.returncode == 2
    assert "tasks.t.toolchain.0: unknown toolchain 'pyhton' (did you mean 'python'?)" \
        in in_task.stderr, in_task.stderr
    assert on_command_line.returncode == 2
    assert "unknown toolchain 'zag' (did you mean 'zig'?)" in on_command_line.stderr


def test_bad_version_spec_is_a_config_error(project, mirror):
    project.write("""
        [tools]
        node = "twenty"

        [tasks.t]
        cmd = "true"
    """)

    result = project.run("run", "t")

    assert result.returncode == 2
    assert "tools.node: 'twenty' is not a version spec; expected an exact or partial " \
        "version" in result.stderr, result.stderr


def test_float_version_is_refused_with_a_hint(project, mirror):
    project.write("""
        [tools]
        python = 3.10

        [tasks.t]
        cmd = "true"
    """)

    result = project.run("run", "t")

    assert result.returncode == 2
    assert "write versions such as 3.10 in quotes" in result.stderr, result.stderr


def test_nonexistent_version_names_the_nearest(project, mirror):
    project.write("""
        [tasks.t]
        cmd = "node --version"
        toolchain = ["node@19"]
    """)

    install = project.run("tools", "install")
    run = project.run("run", "t")

    assert install.returncode == 2
    message = "node has no version matching '19'"
    assert message in install.stderr and "nearest: 20.11.1, 20.9.0, 18.19.0" in install.stderr, \
        install.stderr
    assert run.returncode == 2, run.output  # the run refused to start: a usage error
    assert message in run.stderr and "nearest: 20.11.1, 20.9.0, 18.19.0" in run.stderr
    assert "Traceback" not in run.stderr
    assert "t failed" not in run.stderr and " tasks in " not in run.stderr  # no task started


def test_a_nonexistent_version_stops_the_run_before_any_download(project, mirror):
    """node@20 exists and would be downloaded; go@1.99 does not: the run is
    refused (exit 2) before anything is installed, and no task runs."""
    project.write("""
        [tasks.js]
        cmd = "node --version"
        toolchain = ["node@20"]

        [tasks.goes]
        cmd = "go version"
        toolchain = ["go@1.99"]
    """)

    result = project.run("run", "--parallel", "js", "goes")

    assert result.returncode == 2, result.output
    assert "go has no version matching '1.99'" in result.stderr, result.stderr
    assert "nearest: 1.22.1, 1.21.6" in result.stderr, result.stderr
    assert "v20" not in result.stdout
    assert not any(".tar" in line or ".zip" in line for line in mirror.requests()), \
        mirror.requests()
    assert not (project.home / "data" / "toolchains" / "node").exists()


def test_unknown_lts_codename_lists_the_codenames(project, mirror):
    result = project.run("tools", "install", "node@lts/argon")

    assert result.returncode == 2
    assert "LTS codenames in the index: hydrogen, iron" in result.stderr, result.stderr


def test_malformed_tool_versions(project, mirror):
    project.write("""
        [tasks.t]
        cmd = "true"
    """)
    cases = {
        "nodejs\n": ".tool-versions:1: 'nodejs' has no version",
        "golang 1.22\ngolang 1.21\n": ".tool-versions:2: 'golang' is listed twice (also on line 1)",
        "# tools\nnodejs ref:main\n": ".tool-versions:2: nodejs ref:main: zr installs released",
        "python 3..12\n": ".tool-versions:1: python: '3..12' is not a version spec",
    }
    for text, message in cases.items():
        project.file(".tool-versions", text)
        result = project.run("run", "t")
        assert result.returncode == 2, (text, result.output)
        assert message in result.stderr, (text, result.stderr)
    assert mirror.requests() == []
