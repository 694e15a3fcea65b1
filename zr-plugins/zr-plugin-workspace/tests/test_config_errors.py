"""Bad workspaces are configuration errors (exit 2) naming the files."""

from __future__ import annotations

import textwrap

import pytest


def _workspace(root, members: dict, extra: str = ""):
    (root / "zr.toml").write_text('[workspace]\nmembers = ["packages/*"]\n' + extra)
    for name, text in members.items():
        path = root / "packages" / name
        path.mkdir(parents=True)
        if text is not None:
            (path / "zr.toml").write_text(textwrap.dedent(text))


@pytest.mark.parametrize("command", [["list"], ["run", "build"], ["lint"], ["graph"]])
def test_member_without_zr_toml(zr, tmp_path, command):
    _workspace(tmp_path, {"a": '[tasks.build]\ncmd = "true"\n', "b": None})
    result = zr(tmp_path, *command)
    assert result.returncode == 2, result.output
    assert result.stderr.startswith("zr: error: zr.toml:2: workspace.members: ")
    assert "workspace member 'packages/b'" in result.stderr
    assert "packages/b/zr.toml" in result.stderr


def test_dependency_naming_no_member(zr, tmp_path):
    _workspace(tmp_path, {"core": '[tasks.build]\ncmd = "true"\n',
                          "web": '[metadata]\ndependencies = ["cor"]\n'})
    result = zr(tmp_path, "run", "build")
    assert result.returncode == 2
    assert ("packages/web/zr.toml:2: metadata.dependencies: 'cor' is not a workspace "
            "member (did you mean 'core'?)") in result.stderr


def test_two_members_with_one_name(zr, tmp_path):
    _workspace(tmp_path, {"a": '[metadata]\nname = "same"\n',
                          "b": '[metadata]\nname = "same"\n'})
    result = zr(tmp_path, "list")
    assert result.returncode == 2
    assert ("two workspace members are named 'same': packages/a/zr.toml and "
            "packages/b/zr.toml") in result.stderr


def test_cycle_between_members(zr, tmp_path):
    _workspace(tmp_path, {"a": '[metadata]\ndependencies = ["b"]\n',
                          "b": '[metadata]\ndependencies = ["c"]\n',
                          "c": '[metadata]\ndependencies = ["a"]\n'})
    result = zr(tmp_path, "graph")
    assert result.returncode == 2
    assert "dependency cycle between workspace members: a -> b -> c -> a" in result.stderr
    assert "packages/a/zr.toml, packages/b/zr.toml, packages/c/zr.toml" in result.stderr


def test_member_with_a_root_only_section(zr, tmp_path):
    _workspace(tmp_path, {"a": '[workspace]\nmembers = []\n'})
    result = zr(tmp_path, "list")
    assert result.returncode == 2
    assert "packages/a/zr.toml: workspace: a workspace member's zr.toml may only" \
        in result.stderr


def test_bad_metadata_shape(zr, tmp_path):
    _workspace(tmp_path, {"a": '[metadata]\ntags = "lib"\n'})
    result = zr(tmp_path, "list")
    assert result.returncode == 2
    assert "packages/a/zr.toml:2: metadata.tags: expected an array of strings" in result.stderr


def test_filter_without_a_workspace(zr, tmp_path):
    (tmp_path / "zr.toml").write_text('[tasks.a]\ncmd = "true"\n')
    result = zr(tmp_path, "run", "a", "--filter", "x")
    assert result.returncode == 2
    assert "--filter selects workspace members" in result.stderr
    # ZR_AFFECTED_BASE set for the whole CI job leaves such projects alone
    assert zr(tmp_path, "run", "a", env={"ZR_AFFECTED_BASE": "main"}).returncode == 0


def test_inferred_dependencies_from_package_json(zr, tmp_path):
    _workspace(tmp_path, {"core": '[tasks.build]\ncmd = "echo core >> ../../log"\n',
                          "web": '[tasks.build]\ndeps = ["^build"]\n'
                                 'cmd = "echo web >> ../../log"\n'},
               extra="infer_dependencies = true\n")
    (tmp_path / "packages/core/package.json").write_text('{"name": "@acme/core"}')
    (tmp_path / "packages/web/package.json").write_text(
        '{"name": "@acme/web", "dependencies": {"@acme/core": "workspace:*"}}')
    result = zr(tmp_path, "run", "build", "-j", "2")
    assert result.returncode == 0, result.output
    assert (tmp_path / "log").read_text().split() == ["core", "web"]
