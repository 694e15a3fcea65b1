"""``zr tools mirror DIR ...`` fills a directory in upstream layout that
serves as a mirror with no server at all (ZR_MIRROR_<TOOL>=DIR/<tool>)."""

from __future__ import annotations


def test_mirror_dir_serves_an_offline_install(project, mirror, tmp_path):
    project.write("""
        [tasks.noop]
        cmd = "true"
    """)
    target = tmp_path / "airgap"

    filled = project.run("tools", "mirror", str(target), "node@20", "go@1.22", "java@21",
                         "python@3.12", "rust@1.75")

    assert filled.returncode == 0, filled.output
    assert (target / "node" / "index.json").is_file()
    assert (target / "node" / "v20.11.1" / "node-v20.11.1-linux-x64.tar.gz").is_file()
    assert (target / "node" / "v20.11.1" / "SHASUMS256.txt").is_file()
    assert (target / "go" / "go1.22.1.linux-amd64.tar.gz").is_file()
    assert (target / "java" / "v3" / "assets" / "feature_releases" / "21" / "ga").is_file()
    assert (target / "python" / "releases.json").is_file()
    assert (target / "rust" / "dist" / "channel-rust-1.75.toml").is_file()
    mirror.stop()

    project.write("""
        [tools]
        node = "20"
        go = "1.22"
        java = "21"
        python = "3.12"
        rust = "1.75"

        [tasks.all]
        cmd = "node --version; go version; java -version; python --version; rustc --version"
    """)
    env = {f"ZR_MIRROR_{tool.upper()}": str(target / tool)
           for tool in ("node", "go", "java", "python", "rust")}
    result = project.run("run", "all", env=env)

    assert result.returncode == 0, result.output
    for expected in ("v20.11.1", "go1.22.1", 'openjdk version "21.0.5"', "Python 3.12.4",
                     "rustc 1.75.0"):
        assert expected in result.output


def test_outdated_compares_with_the_index(project, mirror):
    project.write("""
        [tools]
        node = "20.9.0"
        go = "1.21"

        [tasks.noop]
        cmd = "true"
    """)
    assert project.run("tools", "install").returncode == 0

    result = project.run("tools", "outdated", "--format", "json")

    import json

    rows = {r["tool"]: r for r in json.loads(result.stdout)["tools"]}
    assert rows["node"]["current"] == "20.9.0" and rows["node"]["latest"] == "21.6.1"
    assert rows["go"] == {"tool": "go", "spec": "1.21", "current": "1.21.6", "wanted": "1.21.6",
                          "latest": "1.22.1", "outdated": False}
