"""``zr-repos.toml`` mistakes are config errors naming the file and line (exit 2),
and ``zr repo graph`` draws what the file says. No server needed."""

from __future__ import annotations

import json

import pytest

HEADER = '[workspace]\nname = "acme"\n\n'


@pytest.mark.parametrize("body, expected", [
    ('[repos.core]\nurl = "u"\nbranh = "main"\n',
     "zr-repos.toml:6: repos.core.branh: unknown key 'branh' (did you mean 'branch'?)"),
    ('[repos.core]\nurl = "u"\n\n[repos.api]\nurl = "v"\ndeps = ["cor"]\n',
     "zr-repos.toml:9: repos.api.deps: unknown repo 'cor' (did you mean 'core'?)"),
    ('[repos.core]\nurl = "u"\npath = "lib/x"\n\n[repos.api]\nurl = "v"\npath = "lib/x"\n',
     "zr-repos.toml:10: repos.api.path: 'api' and 'core' are both checked out at \"lib/x\""),
    ('[repos.a]\nurl = "u"\ndeps = ["c"]\n[repos.b]\nurl = "u"\ndeps = ["a"]\n'
     '[repos.c]\nurl = "u"\ndeps = ["b"]\n',
     "zr-repos.toml:6: repos.a.deps: dependency cycle: a -> c -> b -> a"),
    ('[repos.core]\nbranch = "main"\n', "zr-repos.toml:4: repos.core: url is required"),
    ('[repos.core]\nurl = "u"\nbranch = "main"\nrev = "v1"\n',
     "zr-repos.toml:7: repos.core.rev: set branch or rev, not both"),
    ('[repos.core]\nurl = "u"\ntags = "lib"\n',
     'zr-repos.toml:6: repos.core.tags: expected an array of strings, got "lib"'),
    ('[workspace2]\nx = 1\n', "zr-repos.toml:4: workspace2: unknown key 'workspace2'"),
    ('[repos.core\nurl = "u"\n', "zr-repos.toml:4: invalid TOML"),
    ('[repos.core]\nurl = "https://ci:${ZR_TEST_UNSET_TOKEN}@host/core.git"\n',
     "zr-repos.toml:5: repos.core.url: ${ZR_TEST_UNSET_TOKEN} is not set in the environment"),
])
def test_config_errors_name_file_and_line(zr_project, body, expected):
    zr_project.write(HEADER + body, "zr-repos.toml")
    for command in (("repo", "status"), ("repo", "graph"), ("repo", "sync")):
        result = zr_project.run(*command)
        assert result.returncode == 2, result.output
        assert expected in result.stderr
        assert "Traceback" not in result.output


def test_manifest_is_found_from_a_subdirectory_and_missing_one_is_exit_2(zr_project):
    result = zr_project.run("repo", "status")
    assert result.returncode == 2
    assert "no zr-repos.toml found" in result.stderr
    zr_project.write(HEADER + '[repos.core]\nurl = "u"\n', "zr-repos.toml")
    (zr_project.path / "deep" / "er").mkdir(parents=True)
    result = zr_project.run("repo", "status", cwd=zr_project.path / "deep" / "er")
    assert result.returncode == 0, result.output
    assert "not cloned" in result.stdout


MANIFEST = HEADER + """\
[repos.core]
url = "https://ci:hunter2@example.com/core.git"
tags = ["lib"]

[repos.util]
url = "file:///srv/util.git"
tags = ["lib"]

[repos.api]
url = "git://example.com/api.git"
deps = ["core", "util"]
tags = ["service"]

[repos.web]
url = "git://example.com/web.git"
deps = ["api"]
tags = ["ui"]
"""


def test_graph_text_dot_and_json(zr_project):
    zr_project.write(MANIFEST, "zr-repos.toml")
    text = zr_project.run("repo", "graph")
    assert text.returncode == 0, text.output
    assert text.stdout.splitlines() == [
        "layer 0", "  core", "  util", "layer 1", "  api   <- core, util", "layer 2",
        "  web   <- api"]
    dot = zr_project.run("repo", "graph", "--format", "dot")
    assert '"api" -> "core";' in dot.stdout and '"web" -> "api";' in dot.stdout
    data = json.loads(zr_project.run("repo", "graph", "--format", "json").stdout)
    assert data["layers"] == [["core", "util"], ["api"], ["web"]]
    core = next(r for r in data["repos"] if r["name"] == "core")
    assert core["url"] == "https://ci:***@example.com/core.git"
    # --tags keeps the order through left-out repos: web still comes after core
    filtered = json.loads(zr_project.run("repo", "graph", "--tags", "lib,ui",
                                         "--format", "json").stdout)
    assert {r["name"]: r["deps"] for r in filtered["repos"]} == {
        "core": [], "util": [], "web": ["core", "util"]}
    out = zr_project.path / "graph.dot"
    assert zr_project.run("repo", "graph", "--format", "dot", "-o", str(out)).returncode == 0
    assert out.read_text().startswith('digraph "acme"')


def test_jobs_must_be_positive(zr_project):
    zr_project.write(MANIFEST, "zr-repos.toml")
    result = zr_project.run("repo", "sync", "-j", "0")
    assert result.returncode == 2
    assert "Traceback" not in result.output
