"""``zr repo sync`` cases that need no server (file:// upstreams): pinned
revisions, checkouts on another branch, a directory that is not a checkout."""

from __future__ import annotations

import pytest


@pytest.fixture
def upstream(tmp_path, kit):
    bare_dir = tmp_path / "bare"
    bare_dir.mkdir()
    return kit.make_upstream(bare_dir, tmp_path / "work", "core", {"zr.toml": ""})


def write_manifest(zr_project, url: str, extra: str = "") -> None:
    zr_project.write(f'[repos.core]\nurl = "{url}"\n{extra}', "zr-repos.toml")


def test_rev_checks_out_a_tag_and_follows_it(zr_project, upstream, kit):
    kit.git("tag", "v1", cwd=upstream.work)
    kit.git("push", "-q", "origin", "v1", cwd=upstream.work)
    v1 = upstream.head()
    upstream.commit("NEWS", "2\n")
    write_manifest(zr_project, upstream.bare.as_uri(), 'rev = "v1"\n')
    first = zr_project.run("repo", "sync")
    assert first.returncode == 0, first.output
    checkout = zr_project.path / "core"
    assert kit.git("rev-parse", "HEAD", cwd=checkout).strip() == v1
    assert "detached" in first.stdout

    kit.git("tag", "v2", cwd=upstream.work)
    kit.git("push", "-q", "origin", "v2", cwd=upstream.work)
    write_manifest(zr_project, upstream.bare.as_uri(), 'rev = "v2"\n')
    second = zr_project.run("repo", "sync")
    assert second.returncode == 0, second.output
    assert "updated" in second.stdout
    assert kit.git("rev-parse", "HEAD", cwd=checkout).strip() == upstream.head()
    again = zr_project.run("repo", "sync")
    assert "up to date" in again.stdout


def test_checkout_on_another_branch_is_left_alone(zr_project, upstream, kit):
    write_manifest(zr_project, upstream.bare.as_uri(), 'branch = "main"\n')
    assert zr_project.run("repo", "sync").returncode == 0
    checkout = zr_project.path / "core"
    kit.git("checkout", "-q", "-b", "feature", cwd=checkout)
    upstream.commit("NEWS", "2\n")
    result = zr_project.run("repo", "sync")
    assert result.returncode == 0, result.output
    assert "left alone" in result.stdout and "on branch feature, not main" in result.stdout
    assert kit.git("rev-parse", "--abbrev-ref", "HEAD", cwd=checkout).strip() == "feature"
    assert not (checkout / "NEWS").exists()


def test_a_directory_that_is_not_a_checkout_fails_and_is_kept(zr_project, upstream):
    write_manifest(zr_project, upstream.bare.as_uri())
    (zr_project.path / "core").mkdir()
    (zr_project.path / "core" / "mine.txt").write_text("keep me\n")
    result = zr_project.run("repo", "sync", "--format", "json")
    assert result.returncode == 1
    assert '"state": "failed"' in result.stdout and "not a git checkout" in result.stdout
    assert (zr_project.path / "core" / "mine.txt").read_text() == "keep me\n"


def test_a_wrong_url_fails_without_prompting_and_leaves_nothing(zr_project, tmp_path):
    write_manifest(zr_project, (tmp_path / "nowhere.git").as_uri())
    result = zr_project.run("repo", "sync")
    assert result.returncode == 1
    assert "core: failed" in result.stderr
    assert sorted(p.name for p in zr_project.path.iterdir()) == ["zr-repos.toml"]
