"""``zr repo run TASK`` across synced checkouts: order, parallelism, --affected, -k, -n.

Each repo's ``build`` (its own zr.toml, run by the real zr in the checkout)
writes when it started and ended; order and overlap are read from those
stamps, never from how long anything took.
"""

from __future__ import annotations

import json


def stamps(stamp_dir) -> dict:
    out = {}
    for path in stamp_dir.iterdir():
        name, kind = path.name.split(".")
        out.setdefault(name, {})[kind] = float(path.read_text())
    return out


def summary(stdout: str) -> dict:
    """REPO -> STATUS from the summary table at the end of the output."""
    lines = stdout.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("REPO "))
    rows = {}
    for line in lines[start + 1:]:
        name, rest = line.split(None, 1)
        rows[name] = rest
    return rows


def test_run_follows_dependencies_and_runs_independent_repos_together(
        zr_project, synced_five, stamp_dir, kit):
    partners = stamp_dir.parent / (stamp_dir.name + "-partners")
    partners.mkdir()
    (partners / "core").write_text("util")
    (partners / "util").write_text("core")
    result = zr_project.run("repo", "run", "build", "-j", "3", timeout=120)
    assert result.returncode == 0, result.output
    seen = stamps(stamp_dir)
    assert set(seen) == set(kit.FIVE)
    for name, deps in kit.FIVE.items():
        for dep in deps:
            assert seen[dep]["end"] <= seen[name]["start"], f"{name} started before {dep} ended"
    # core and util depend on nothing: they ran side by side
    assert seen["core"]["start"] < seen["util"]["end"]
    assert seen["util"]["start"] < seen["core"]["end"]
    rows = summary(result.stdout)
    assert set(rows) == set(kit.FIVE)
    assert all(row.startswith("ok") for row in rows.values()), rows
    # output is streamed with the repo's name in front
    assert any(line.startswith("core ") and " | " in line for line in result.stdout.splitlines())


def test_one_job_runs_repos_one_at_a_time(zr_project, synced_five, stamp_dir):
    result = zr_project.run("repo", "run", "build", "-j", "1", "--repos", "core,util,cli",
                            timeout=120)
    assert result.returncode == 0, result.output
    seen = stamps(stamp_dir)
    assert set(seen) == {"core", "util", "cli"}
    spans = sorted((s["start"], s["end"]) for s in seen.values())
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    assert seen["core"]["end"] <= seen["cli"]["start"]


def test_affected_runs_the_changed_repo_and_its_dependents_only(
        zr_project, synced_five, stamp_dir, kit):
    src = zr_project.path / "src"
    for name in kit.FIVE:
        kit.git("tag", "base", cwd=src / name)
    synced_five["util"].commit("lib.txt", "new\n", "util: change")
    assert zr_project.run("repo", "sync").returncode == 0
    result = zr_project.run("repo", "run", "build", "--affected", "base", timeout=120)
    assert result.returncode == 0, result.output
    assert set(stamps(stamp_dir)) == {"util", "api", "web"}
    rows = summary(result.stdout)
    assert rows["core"].startswith("unaffected") and rows["cli"].startswith("unaffected")

    missing = zr_project.run("repo", "run", "build", "--affected", "no-such-ref")
    assert missing.returncode == 2
    assert "no commit 'no-such-ref'" in missing.stderr and "fetch" in missing.stderr


def test_failure_skips_dependents_and_keep_going_runs_the_rest(
        zr_project, synced_five, stamp_dir, kit):
    core = zr_project.path / "src" / "core"
    (core / "zr.toml").write_text('[tasks.build]\ncmd = "exit 3"\n')
    result = zr_project.run("repo", "run", "build", "-k", "-j", "2", "--format", "json",
                            timeout=120)
    assert result.returncode == 1
    report = json.loads(result.stdout)  # the repos' output went to stderr
    assert any(line.startswith("core ") and " | " in line for line in result.stderr.splitlines())
    rows = {row["name"]: row for row in report["repos"]}
    assert (rows["core"]["status"], rows["core"]["exit_code"]) == ("failed", 1)
    assert rows["api"]["status"] == rows["cli"]["status"] == rows["web"]["status"] == "skipped"
    assert rows["api"]["detail"] == "core failed"
    assert rows["util"]["status"] == "ok"
    assert set(stamps(stamp_dir)) == {"util"}


def test_without_keep_going_nothing_new_starts_after_a_failure(zr_project, synced_five, stamp_dir):
    core = zr_project.path / "src" / "core"
    (core / "zr.toml").write_text('[tasks.build]\ncmd = "exit 3"\n')
    result = zr_project.run("repo", "run", "build", "-j", "1", timeout=120)
    assert result.returncode == 1
    rows = summary(result.stdout)
    assert rows["core"].startswith("failed")
    assert all(rows[n].startswith(("not run", "skipped")) for n in ("util", "api", "web", "cli"))
    assert not stamp_dir.exists() or not list(stamp_dir.iterdir())


def test_dry_run_runs_nothing_and_repos_without_the_task_are_listed(
        zr_project, synced_five, stamp_dir):
    (zr_project.path / "src" / "web" / "zr.toml").write_text('[tasks.other]\ncmd = "true"\n')
    result = zr_project.run("repo", "run", "build", "-n", timeout=120)
    assert result.returncode == 0, result.output
    assert not list(stamp_dir.iterdir())
    assert "stamp.py" in result.stdout  # each repo's zr printed its command
    rows = summary(result.stdout)
    assert rows["web"].startswith("no task")
    unknown = zr_project.run("repo", "run", "no-such-task")
    assert unknown.returncode == 2
    assert "no repo has a task 'no-such-task'" in unknown.stderr


def test_repo_not_cloned_is_reported(zr_project, synced_five):
    import shutil

    shutil.rmtree(zr_project.path / "src" / "util")
    result = zr_project.run("repo", "run", "build", "-k", timeout=120)
    assert result.returncode == 1
    rows = summary(result.stdout)
    assert rows["util"].startswith("not cloned")
    assert rows["api"].startswith("skipped") and rows["web"].startswith("skipped")
    assert rows["core"].startswith("ok") and rows["cli"].startswith("ok")


def test_affected_counts_what_the_checkout_changed_not_what_it_lacks(
        zr_project, synced_five, stamp_dir, kit):
    # cli is behind origin/main (fetched, not merged): nothing of its own changed
    synced_five["cli"].commit("NEWS", "upstream only\n")
    kit.git("fetch", "-q", "origin", cwd=zr_project.path / "src" / "cli")
    # web has an uncommitted edit
    (zr_project.path / "src" / "web" / "README").write_text("edited\n")
    result = zr_project.run("repo", "run", "build", "--affected", "origin/main", timeout=120)
    assert result.returncode == 0, result.output
    assert set(stamps(stamp_dir)) == {"web"}
    assert summary(result.stdout)["cli"].startswith("unaffected")


def test_words_after_double_dash_reach_each_repos_task(zr_project, synced_five):
    (zr_project.path / "src" / "core" / "zr.toml").write_text('[tasks.show]\ncmd = "echo got"\n')
    result = zr_project.run("repo", "run", "show", "--", "a", "b c")
    assert result.returncode == 0, result.output
    assert any(line.startswith("core") and line.endswith("got a b c")
               for line in result.stdout.splitlines()), result.stdout
    assert summary(result.stdout)["api"].startswith("no task")
