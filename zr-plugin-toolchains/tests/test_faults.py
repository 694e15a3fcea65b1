"""What goes wrong on the wire and in archives, against the real test
mirror with its fault switches: every case ends in either a verified
install or a clear error with nothing installed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import toolchain_upstream as upstream

NODE = "/node/v20.11.1/node-v20.11.1-linux-x64.tar.gz"
ONE_TASK = """
    [tools]
    node = "20.11.1"

    [tasks.t]
    cmd = "node --version"
"""


def toolchains_dir(project):
    return project.home / "data" / "toolchains"


def nothing_installed(project, tool="node"):
    directory = toolchains_dir(project) / tool
    return not directory.exists() or all(p.name.startswith(".lock") for p in directory.iterdir())


def test_404_is_an_error_naming_the_url(project, mirror):
    project.write(ONE_TASK)
    mirror.fault(NODE, "404")

    result = project.run("run", "t")

    assert result.returncode != 0
    assert f"{mirror.url}{NODE}: HTTP 404" in result.stderr
    assert nothing_installed(project)


def test_500_then_success_is_retried(project, mirror):
    project.write(ONE_TASK)
    mirror.fault(NODE, "500", count=2)

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert [r for r in mirror.requests() if NODE in r] == [
        f"GET {NODE} 500", f"GET {NODE} 500", f"GET {NODE} 200"]


def test_truncated_body_resumes_with_range(project, mirror):
    project.write(ONE_TASK)
    mirror.fault(NODE, "truncate", count=1)

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert [r for r in mirror.requests() if NODE in r] == [f"GET {NODE} 200", f"GET {NODE} 206"]


def test_range_ignored_restarts_the_file(project, mirror):
    project.write(ONE_TASK)
    mirror.fault(NODE, "truncate", count=1)
    mirror.fault(NODE, "norange")

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert "t | v20.11.1" in result.stdout


def test_wrong_bytes_fail_the_checksum_and_install_nothing(project, mirror):
    project.write(ONE_TASK)
    mirror.fault(NODE, "wrong")

    result = project.run("run", "t")

    assert result.returncode != 0
    assert "checksum mismatch" in result.stderr and "nothing was installed" in result.stderr
    assert nothing_installed(project)
    assert not list((project.home / "cache" / "toolchains" / "downloads").iterdir())


def test_a_hung_server_times_out(project, mirror):
    project.write(ONE_TASK)
    mirror.fault(NODE, "hang")

    result = project.run("run", "t", env={"ZR_TOOLS_TIMEOUT": "0.5"})

    assert result.returncode != 0
    assert "timed out" in result.stderr
    assert nothing_installed(project)


def test_malicious_archives_are_refused(project, own_mirror):
    tree = str(own_mirror.root)
    upstream.node_release(tree, "30.0.1", files={"node-v30.0.1-linux-x64/../../escape": "x"})
    upstream.node_release(tree, "30.0.2", files={"/tmp/absolute-zr-test": "x"})
    upstream.node_release(tree, "30.0.3", files={}, links={
        "node-v30.0.3-linux-x64/bin/node": "../../../../etc/passwd"})
    expected = {"30.0.1": "escapes the archive with '..'", "30.0.2": "absolute path",
                "30.0.3": "points outside the archive"}
    for version, message in expected.items():
        project.write(ONE_TASK.replace("20.11.1", version))
        result = project.run("tools", "install", f"node@{version}")
        assert result.returncode == 2, result.output
        assert message in result.stderr and "refused" in result.stderr
    assert not os.path.exists("/tmp/absolute-zr-test")
    assert not (project.home / "data" / "escape").exists()
    assert nothing_installed(project)


def test_server_killed_mid_download_leaves_nothing_usable(project, mirror):
    project.write(ONE_TASK)
    mirror.fault(NODE, "stall")
    proc = project.popen("run", "t")
    downloads = project.home / "cache" / "toolchains" / "downloads"
    deadline = time.monotonic() + 20
    while not (downloads.exists() and any(p.stat().st_size for p in downloads.iterdir())):
        assert time.monotonic() < deadline, "the download never started"
        time.sleep(0.05)
    mirror.stop()
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert nothing_installed(project)

    mirror.start()  # same tree, no faults: the next run resumes and installs
    result = project.run("run", "t", env=mirror.env())

    assert result.returncode == 0, result.output
    assert "(resuming)" in result.stderr
    assert "t | v20.11.1" in result.stdout


def test_killed_install_leftovers_are_cleaned(project, mirror):
    project.write(ONE_TASK)
    node_dir = toolchains_dir(project) / "node"
    leftover = node_dir / ".tmp-20.11.1-999-abcdef" / "node-v20.11.1-linux-x64" / "bin"
    leftover.mkdir(parents=True)
    half = node_dir / "20.11.1" / "bin"  # a version dir without .zr-installed
    half.mkdir(parents=True)
    (half / "node").write_text("#!/bin/sh\necho broken\n")
    (half / "node").chmod(0o755)

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert "t | v20.11.1" in result.stdout
    assert not (node_dir / ".tmp-20.11.1-999-abcdef").exists()
    assert (node_dir / "20.11.1" / ".zr-installed").exists()


def test_two_concurrent_installs_download_once(project, mirror):
    project.write(ONE_TASK)
    procs = [project.popen("tools", "install", "node@20.11.1") for _ in range(2)]
    outputs = [p.communicate(timeout=60) for p in procs]

    assert [p.returncode for p in procs] == [0, 0], outputs
    assert [r for r in mirror.requests() if NODE in r] == [f"GET {NODE} 200"]
    assert sum("installed node 20.11.1" in err for _, err in outputs) == 1


def test_offline_uses_the_cached_index_with_a_warning(project, mirror):
    project.write("""
        [tasks.a]
        cmd = "node --version"
        toolchain = ["node@21"]

        [tasks.b]
        cmd = "node --version"
        toolchain = ["node@lts"]
    """)
    assert project.run("run", "a").returncode == 0
    mirror.stop()

    result = project.run("run", "b", env={"ZR_TOOLS_INDEX_TTL": "0"})

    assert "using the copy cached at" in result.stderr
    assert "b | v20.11.1" not in result.stdout  # the archive itself is not cached
    assert "node has no version" not in result.stderr


def test_lock_digest_mismatch_is_refused(project, mirror):
    project.write(ONE_TASK)
    assert project.run("tools", "install").returncode == 0
    lock = project.path / "zr.lock"
    text = lock.read_text()
    digest = text.split('sha256 = "')[1][:64]
    lock.write_text(text.replace(digest, "0" * 64))
    assert project.run("tools", "uninstall", "node@20.11.1").returncode == 0

    result = project.run("run", "t")

    assert result.returncode != 0
    assert "zr.lock records" in result.stderr
    assert nothing_installed(project)


def test_no_checksum_is_refused_unless_verification_is_off(project, own_mirror):
    upstream.node_release(str(own_mirror.root), "30.1.0")
    (own_mirror.root / "node" / "v30.1.0" / "SHASUMS256.txt").write_text("")
    project.write("""
        [tools]
        node = "30.1.0"

        [tasks.t]
        cmd = "node --version"
    """)
    refused = project.run("run", "t")
    project.write("""
        [tools]
        node = { version = "30.1.0", verify = false }

        [tasks.t]
        cmd = "node --version"
    """)
    allowed = project.run("run", "t")

    assert refused.returncode != 0 and "no official SHA-256" in refused.stderr
    assert allowed.returncode == 0 and "t | v30.1.0" in allowed.stdout, allowed.output
