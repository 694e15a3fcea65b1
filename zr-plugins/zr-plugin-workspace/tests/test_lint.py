"""`zr lint`: [[constraints]] on the generated workspace; each violation
names the dependency path and the rule, exit 1, --format json."""

from __future__ import annotations

import json
import re


def _add_dependency(root, member_dir: str, dep: str) -> None:
    toml = root / member_dir / "zr.toml"
    text = toml.read_text()
    toml.write_text(re.sub(r"dependencies = \[", f'dependencies = ["{dep}", ', text, count=1))


def test_clean_workspace_passes(zr, monorepo):
    root, _ = monorepo
    result = zr(root, "lint")
    assert result.returncode == 0, result.output
    assert "0 violation(s) of 4 rule(s) in 200 member(s)" in result.stderr


def test_tag_rule_violation_names_path_and_rule(zr, repo_copy):
    root, _ = repo_copy
    _add_dependency(root, "packages/lib-22", "app-9")  # a lib on an app
    result = zr(root, "lint")
    assert result.returncode == 1, result.output
    assert re.search(r"zr\.toml:\d+: lib-22 -> app-9: tag:lib may not depend on tag:app "
                     r"\(constraints\[0\], tag-based\)", result.stdout), result.stdout


def test_allow_list_rule(zr, repo_copy):
    root, _ = repo_copy
    _add_dependency(root, "packages/shared-11", "lib-3")  # shared only on shared
    result = zr(root, "lint")
    assert result.returncode == 1
    assert "shared-11 -> lib-3: tag:shared may depend only on tag:shared " \
           "(constraints[1], tag-based)" in result.stdout


def test_banned_dependency_reports_the_transitive_path_as_json(zr, repo_copy):
    root, _ = repo_copy
    # scope a (lib-5) -> scope b (lib-12) makes every scope-a member after
    # lib-5 reach scope b through the lib chain.
    _add_dependency(root, "packages/lib-5", "lib-12")
    result = zr(root, "lint", "--format", "json")
    assert result.returncode == 1, result.output
    payload = json.loads(result.stdout)
    banned = [v for v in payload["violations"] if v["rule"] == "banned-dependency"]
    paths = {tuple(v["path"]) for v in banned}
    assert ("lib-5", "lib-12") in paths
    assert ("lib-6", "lib-5", "lib-12") in paths
    assert ("app-8", "lib-6", "lib-5", "lib-12") in paths
    sample = banned[0]
    assert sample["index"] == 2 and sample["file"] == "zr.toml" and sample["line"]
    assert sample["from"] == "tag:scope:a" and sample["to"] == ["tag:scope:b"]


def test_cycle_between_members_is_a_config_error_in_lint_too(zr, repo_copy):
    root, _ = repo_copy
    _add_dependency(root, "packages/lib-2", "lib-4")  # lib-4 -> lib-3 -> lib-2 -> lib-4
    result = zr(root, "lint")
    assert result.returncode == 2, result.output
    assert "dependency cycle between workspace members" in result.stderr


def test_lint_of_500_members(zr, tmp_path):
    """Generated, 500 members; lint answers (the timing lives in bench/)."""
    import workspace_fixture

    root = tmp_path / "big"
    workspace_fixture.generate(root, 500, git=False)
    result = zr(root, "lint")
    assert result.returncode == 0, result.output
    assert "in 500 member(s)" in result.stderr


def test_selector_matching_no_member_is_a_warning(zr, repo_copy):
    root, _ = repo_copy
    toml = root / "zr.toml"
    toml.write_text(toml.read_text() + '\n[[constraints]]\nrule = "tag-based"\n'
                                       'from = "tag:lbi"\nto = "tag:app"\n')
    result = zr(root, "lint")
    assert result.returncode == 0, result.output
    assert re.search(r"zr: warning: zr\.toml:\d+: constraints\[4\]\.from: 'tag:lbi' matches "
                     r"no member", result.stderr), result.stderr
