"""`zr run --shard k/N`: four shards of a 200-task graph, run one after
another in four checkouts sharing a real remote cache (nginx), together
run every task exactly once and produce what one local run produces."""

from __future__ import annotations

import json
import uuid

import pytest

pytestmark = pytest.mark.services

COUNT = 200


def graph_toml(cache_url: str | None) -> str:
    """A tree of COUNT cached tasks, each reading its parent's output; every
    run of a task leaves its own marker file ``$RUNS/NAME.XXXXXX`` (one file
    per writer: no log shared by concurrent tasks)."""
    parts = []
    if cache_url:
        parts.append(f'[cache]\nremote = {{ type = "http", url = "{cache_url}", '
                     f'timeout = "10s" }}\n')
    for i in range(COUNT):
        parent = f"t{(i - 1) // 4:03d}" if i else None
        read = f"cat out/{parent}.txt; " if parent else ""
        parts.append(f"""
[tasks.t{i:03d}]
cmd = 'mkdir -p out; {{ {read}echo t{i:03d}; }} > out/t{i:03d}.txt; mktemp "$RUNS/t{i:03d}.XXXXXX" >/dev/null'
deps = {[parent] if parent else []!r}
cache = true
inputs = {[f"out/{parent}.txt"] if parent else []!r}
outputs = ["out/t{i:03d}.txt"]
""")
    parts.append("[tasks.all]\ndeps = [%s]\ncmd = 'true'\n"
                 % ", ".join(f'"t{i:03d}"' for i in range(COUNT)))
    return "\n".join(parts)


def fresh_remote(server) -> str:
    """A prefix of the session's cache server that no other run has used."""
    return f"{server.url}/shards-{uuid.uuid4().hex}"


def outputs_of(project) -> dict:
    return {path.name: path.read_text() for path in (project.path / "out").glob("*.txt")}


def runs_per_task(runs) -> dict:
    counts: dict = {}
    for marker in runs.iterdir():
        name = marker.name.split(".")[0]
        counts[name] = counts.get(name, 0) + 1
    return counts


def test_four_shards_run_every_task_once_and_match_a_local_run(checkouts,
                                                               webdav_cache_server, tmp_path):
    """Shards 1..4 one after another (as `needs:` orders CI jobs), each in
    its own checkout and ZR_HOME: every task leaves one marker file per run,
    and each task has exactly one across the four."""
    runs = tmp_path / "runs"
    runs.mkdir()
    toml = graph_toml(fresh_remote(webdav_cache_server))
    union: dict = {}
    ran_by_shard = []
    for k in range(1, 5):
        shard = checkouts.new(toml, env={"RUNS": str(runs)})
        result = shard.run("run", "all", "--shard", f"{k}/4", "--format", "json", timeout=300)
        assert result.returncode == 0, result.output
        report = {task["task"]: task for task in json.loads(result.stdout)["tasks"]}
        ran = {name for name, task in report.items() if task["status"] == "success"}
        skipped = {name: task for name, task in report.items() if task["status"] == "skipped"}
        hits = {name: task for name, task in report.items() if task["status"] == "cached"}
        assert ran, f"shard {k}/4 ran nothing"
        assert all("shard" in task["message"] and f"{k}/4" not in task["message"]
                   for task in skipped.values()), skipped
        assert all(task["extra"]["cache_source"] == "remote" for task in hits.values()), hits
        ran_by_shard.append(ran - {"all"})
        for name, text in outputs_of(shard).items():
            assert union.setdefault(name, text) == text, name
    names = [f"t{i:03d}" for i in range(COUNT)]
    counts = runs_per_task(runs)
    assert {name: n for name, n in counts.items() if n != 1} == {}, "a task ran twice"
    assert sorted(counts) == names, "every task ran"
    assert sorted(set().union(*ran_by_shard)) == names
    assert sum(len(ran) for ran in ran_by_shard) == COUNT, "each task in one shard's report"
    assert all(ran_by_shard), "every shard ran some of the tasks"

    local_runs = tmp_path / "local-runs"
    local_runs.mkdir()
    local = checkouts.new(graph_toml(None), env={"RUNS": str(local_runs)})
    result = local.run("run", "all", timeout=300)
    assert result.returncode == 0, result.output
    assert union == outputs_of(local)
    assert len(union) == COUNT


def test_four_shards_at_the_same_time_produce_what_a_local_run_does(
        checkouts, webdav_cache_server, tmp_path):
    """A plain CI matrix: the shards overlap. Each task runs at least once
    (a dependency several shards need may run in more than one, as the
    docs say) and the union of their outputs is a local run's."""
    runs = tmp_path / "runs"
    runs.mkdir()
    toml = graph_toml(fresh_remote(webdav_cache_server))
    shards = [checkouts.new(toml, env={"RUNS": str(runs)}) for _ in range(4)]
    started = [shard.popen("run", "all", "--shard", f"{k}/4", "-j", "2")
               for k, shard in enumerate(shards, start=1)]
    for k, process in enumerate(started, start=1):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, f"shard {k}/4:\n{out}\n{err}"
    assert sorted(runs_per_task(runs)) == [f"t{i:03d}" for i in range(COUNT)]
    union: dict = {}
    for shard in shards:
        for name, text in outputs_of(shard).items():
            assert union.setdefault(name, text) == text, name

    local_runs = tmp_path / "local-runs"
    local_runs.mkdir()
    local = checkouts.new(graph_toml(None), env={"RUNS": str(local_runs)})
    result = local.run("run", "all", timeout=300)
    assert result.returncode == 0, result.output
    assert union == outputs_of(local)


def test_a_shard_that_is_not_k_of_n_is_a_usage_error(zr_project):
    zr_project.write("""
        [tasks.hello]
        cmd = "echo hello"
    """)
    for bad in ("5/4", "0/4", "two", "1/0"):
        result = zr_project.run("run", "hello", "--shard", bad)
        assert result.returncode == 2, (bad, result.output)
        assert "expected K/N" in result.stderr
        assert "hello" not in result.stdout


def test_the_split_is_the_same_everywhere(zr_project):
    """Which shard owns a task depends on its name only: two projects (two
    machines) listing the same tasks skip the same ones."""
    toml = "\n".join(f"[tasks.x{i}]\ncmd = 'true'\n" for i in range(12)) + \
        "[tasks.all]\ncmd = 'true'\ndeps = [%s]\n" % ", ".join(f'"x{i}"' for i in range(12))
    zr_project.write(toml)
    first = zr_project.run("run", "all", "--shard", "2/3", "--format", "json")
    again = zr_project.run("run", "all", "--shard", "2/3", "--format", "json",
                           env={"PYTHONHASHSEED": "123"})
    assert first.returncode == again.returncode == 0, first.output + again.output

    def statuses(result):
        return {t["task"]: t["status"] for t in json.loads(result.stdout)["tasks"]}

    assert statuses(first) == statuses(again)
    assert "skipped" in statuses(first).values() and "success" in statuses(first).values()
