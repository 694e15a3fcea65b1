"""Each built-in toolchain through its real index format and archive
layout, served by the test mirror: resolved, verified, unpacked (rust via
its install.sh), smoke-tested, and on a task's PATH with its env vars."""

from __future__ import annotations

import pytest


def output_of(result, task: str) -> list:
    """The lines task ``task`` printed (zr prefixes them ``task | ``)."""
    return [line.split("| ", 1)[1] for line in result.stdout.splitlines()
            if line.split("|", 1)[0].strip() == task]

CASES = [
    # (toolchain item, task command, expected line in the task's output);
    # zig, whose archives are signed, is in test_signatures.py
    ("deno@1", "deno --version", "deno 1.40.0 (release, x86_64-unknown-linux-gnu)"),
    ("bun@latest", "bun --version && bunx", "1.1.0"),
    ("python@3.12", "python --version && python3 --version", "Python 3.12.4"),
    ("python@~3.11", "python3 --version", "Python 3.11.9"),
    ("rust@1.75", "rustc --version && cargo --version", "rustc 1.75.0 (82e1608df 2023-12-28)"),
    ("rust@stable", "cargo --version", "cargo 1.75.0"),
    ("rust@beta", "rustc --version", "rustc 1.76.0-beta.5 (82e1608df 2024-01-10)"),
    ("rust@nightly", "rustc --version", "rustc 1.77.0-nightly (82e1608df 2024-01-10)"),
    ("rust@nightly-2024-01-09", "rustc --version", "rustc 1.77.0-nightly (82e1608df 2024-01-09)"),
    ("java@21", "java -version", 'openjdk version "21.0.5"'),
    ("java@lts", "java -version 2>&1", "JAVA_HOME="),
]


@pytest.mark.parametrize("item,command,expected", CASES, ids=[c[0] for c in CASES])
def test_toolchain_installs_and_runs(project, mirror, item, command, expected):
    project.write(f"""
        [tasks.t]
        cmd = "{command}"
        toolchain = ["{item}"]
    """)

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert expected in result.output


def test_rust_installer_leaves_docs_out_and_a_clean_prefix(project, mirror):
    project.write("""
        [tools]
        rust = "1.75.0"

        [tasks.t]
        cmd = "true"
    """)

    assert project.run("run", "t").returncode == 0
    home = project.home / "data" / "toolchains" / "rust" / "1.75.0"
    assert sorted(p.name for p in (home / "bin").iterdir()) == ["cargo", "rustc"]
    assert not (home / "share").exists() and not (home / "install.sh").exists()


def test_rust_nightlies_are_told_apart_by_date_and_pinned_in_zr_lock(project, mirror):
    project.write("""
        [tools]
        rust = "nightly"

        [tasks.t]
        cmd = "rustc --version"
        [tasks.old]
        cmd = "rustc --version"
        toolchain = ["rust@nightly-2024-01-09"]
    """)

    first = project.run("run", "t", "old")
    requests = len(mirror.requests())
    again = project.run("run", "t", "old", "--force")

    assert first.returncode == 0, first.output
    assert output_of(first, "t") == ["rustc 1.77.0-nightly (82e1608df 2024-01-10)"]
    assert output_of(first, "old") == ["rustc 1.77.0-nightly (82e1608df 2024-01-09)"]
    rust = project.home / "data" / "toolchains" / "rust"
    assert sorted(p.name for p in rust.iterdir() if not p.name.startswith(".")) == [
        "1.77.0-nightly-2024-01-09", "1.77.0-nightly-2024-01-10"]
    lock = (project.path / "zr.lock").read_text()
    assert '[tools."rust@nightly"]\nversion = "1.77.0-nightly-2024-01-10"' in lock
    assert '[tools."rust@nightly-2024-01-09"]\nversion = "1.77.0-nightly-2024-01-09"' in lock
    assert again.returncode == 0, again.output
    assert output_of(again, "t") == output_of(first, "t")
    assert len(mirror.requests()) == requests  # zr.lock and the installs: no index read


def test_a_rust_channel_from_rust_toolchain_toml(project, mirror):
    project.file("rust-toolchain.toml", '[toolchain]\nchannel = "beta"\n')
    project.write("""
        [tasks.t]
        cmd = "rustc --version"
        toolchain = ["rust"]
    """)

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert "t | rustc 1.76.0-beta.5 (82e1608df 2024-01-10)" in result.stdout
    assert "GET /rust/dist/channel-rust-beta.toml 200" in mirror.requests()


def test_a_nightly_that_was_not_published_is_a_clear_error(project, mirror):
    project.write("""
        [tasks.t]
        cmd = "rustc --version"
        toolchain = ["rust@nightly-2024-01-11"]
    """)

    result = project.run("run", "t")

    assert result.returncode == 2, result.output
    assert "rust has no version matching 'nightly-2024-01-11' (from tasks.t.toolchain): " \
        f"{mirror.url}/rust/dist/2024-01-11/channel-rust-nightly.toml: HTTP 404" \
        in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_java_home_is_the_install_dir(project, mirror):
    project.write("""
        [tools]
        java = "21"

        [tasks.t]
        cmd = "java -version 2>&1"
    """)

    result = project.run("run", "t")

    home = project.home / "data" / "toolchains" / "java" / "21.0.5+11"
    assert f"JAVA_HOME={home})" in result.stdout, result.output


def test_tool_versions_with_asdf_names(project, mirror):
    project.file(".tool-versions", "nodejs 18.19.0\ngolang 1.22.1  # pinned\nterraform 1.5.0\n")
    project.write("""
        [tasks.t]
        cmd = "node --version; go version"
    """)

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert "t | v18.19.0" in result.stdout and "go1.22.1" in result.stdout


def test_idiomatic_files_only_for_a_tool_asked_for_without_version(project, mirror):
    project.file(".nvmrc", "lts/hydrogen\n")
    project.file("svc/go.mod", "module example.com/svc\n\ngo 1.21\n\ntoolchain go1.21.6\n")
    project.write("""
        [tasks.web]
        cmd = "node --version"
        toolchain = ["node"]

        [tasks.svc]
        cmd = "go version"
        cwd = "svc"
        toolchain = ["go"]

        [tasks.plain]
        cmd = "command -v node || echo no-node"
    """)

    result = project.run("run", "web", "svc", "plain")

    assert result.returncode == 0, result.output
    assert output_of(result, "web") == ["v18.19.0"]
    assert output_of(result, "svc")[0].startswith("go version go1.21.6")
    plain = output_of(result, "plain")
    assert plain == ["no-node"] or "toolchains" not in plain[0]


def test_mirror_from_the_ecosystem_variable(project, mirror):
    project.env.pop("ZR_MIRROR_NODE")
    project.write("""
        [tasks.t]
        cmd = "node --version"
        toolchain = ["node@21"]
    """)

    result = project.run("run", "t", env={"NODEJS_ORG_MIRROR": f"{mirror.url}/node/"})

    assert "t | v21.6.1" in result.stdout, result.output


def test_mirror_from_zr_toml(project, mirror):
    project.env.pop("ZR_MIRROR_GO")
    project.write(f"""
        [tools]
        go = "1.22"

        [tools.mirrors]
        go = "{mirror.url}/go"

        [tasks.t]
        cmd = "go version"
    """)

    result = project.run("run", "t")

    assert "go1.22.1" in result.stdout, result.output
    assert any(line.startswith("GET /go/index.json") for line in mirror.requests())
