"""Memory and CPU limits on real processes, through the real `zr`: by a
cgroup (these machines let root make cgroup v1 groups) and by the
process-tree monitor with cgroups turned off."""

from __future__ import annotations

import json
import os

import pytest

SCRIPTS = {
    "child": 'x = bytes(1) * (1 << 30)\nprint("survived")\n',
    # The allocation happens in a grandchild: sh -> python -> forked python.
    "grandchild": ('import os\nif os.fork() == 0:\n    x = bytes(1) * (1 << 30)\n'
                   '    os._exit(0)\nos.wait()\nprint("parent survived")\n'),
}
MECHANISMS = {"cgroup": {}, "monitor": {"ZR_RESOURCES_CGROUPS": "0"}}


def zr_cgroups() -> list:
    """zr's cgroups below this process's own memory cgroup that no running
    launcher owns (tests running beside this one may own others)."""
    from zr.testing import process_gone

    with open("/proc/self/cgroup") as fh:
        own = next(line.split(":", 2)[2].strip() for line in fh if ":memory:" in line)
    parent = os.path.join("/sys/fs/cgroup/memory", own.lstrip("/"))
    return [name for name in os.listdir(parent)
            if name.startswith("zr-") and process_gone(int(name.split("-")[1]))]


@pytest.mark.parametrize("mechanism", sorted(MECHANISMS))
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_a_task_over_its_memory_limit_is_killed_and_says_so(zr_project, mechanism, script):
    zr_project.file("hog.py", SCRIPTS[script])
    zr_project.write('''
        [tasks.hog]
        cmd = "python3 hog.py"
        max_memory = "200MB"
        finally = "echo cleanup ran"
    ''')

    result = zr_project.run("run", "hog", "-v", env=MECHANISMS[mechanism])

    assert result.returncode == 1, result.output
    if script == "child":  # the allocating process itself never gets to print
        assert "survived" not in result.stdout
    assert "hog | cleanup ran" in result.stdout
    expected = "cgroup v1" if mechanism == "cgroup" else "monitor"
    assert (f"hog failed (killed: used more memory than max_memory 200 MB (peak "
            in result.stderr), result.stderr
    assert f"{expected}))" in result.stderr
    assert f"hog: limits enforced by {expected}" in result.stderr
    assert zr_cgroups() == []


def test_a_task_within_its_limit_runs_and_reports_its_peak(zr_project):
    zr_project.write('''
        [tasks.small]
        cmd = "python3 -c 'x = bytes(1) * (50 << 20); print(len(x))'"
        max_memory = "300MB"
    ''')

    result = zr_project.run("run", "small", "--format", "json")

    assert result.returncode == 0, result.output
    extra = json.loads(result.stdout[result.stdout.index("{"):])["tasks"][0]["extra"]
    assert 50e6 < extra["peak_rss"] < 300e6
    assert extra["limit_mechanism"] == "cgroup v1"


@pytest.mark.parametrize("mechanism", sorted(MECHANISMS))
def test_half_a_core_gets_about_half_a_core(zr_project, mechanism):
    zr_project.file("spin.py", "import time\nt = time.time()\nwhile time.time() - t < 3:\n    pass\n")
    zr_project.write('''
        [tasks.spin]
        cmd = "python3 spin.py"
        max_cpu = 0.5
    ''')

    result = zr_project.run("run", "spin", "--format", "json", env=MECHANISMS[mechanism])

    assert result.returncode == 0, result.output
    task = json.loads(result.stdout)["tasks"][0]
    share = task["extra"]["cpu_seconds"] / task["duration"]
    # Unlimited it would be close to 1.0 on an idle machine; how far below
    # 0.5 it gets depends on what else the machine runs.
    assert 0.05 < share < 0.6, task


def test_a_daemon_left_in_the_cgroup_is_stopped_and_the_cgroup_removed(zr_project):
    zr_project.write('''
        [tasks.leaves]
        cmd = "sleep 300 & echo $! > daemon.pid"
        max_memory = "100MB"
    ''')

    result = zr_project.run("run", "leaves")

    assert result.returncode == 0, result.output
    from zr.testing import process_gone

    assert process_gone(int((zr_project.path / "daemon.pid").read_text()))
    assert zr_cgroups() == []


def test_a_timeout_ends_a_limited_task_and_leaves_no_cgroup(zr_project):
    zr_project.write('''
        [tasks.stuck]
        cmd = "sleep 300"
        max_memory = "100MB"
        timeout = "1s"
    ''')

    result = zr_project.run("run", "stuck")

    assert result.returncode == 1
    assert "stuck timed out" in result.stderr
    assert zr_cgroups() == []


@pytest.mark.parametrize("field, value, expected", [
    ("max_memory", '"lots"', 'expected a size like "512MB" or "2GiB", got "lots"'),
    ("max_memory", "12", "expected at least 1 MiB, got 12"),
    ("max_cpu", "nan", "expected a number of cores above 0"),
    ("max_cpu", "0", "expected a number of cores above 0"),
    ("memory", '"1e999GB"', 'expected a size like "512MB" or "2GiB"'),
])
def test_a_limit_written_wrongly_is_a_config_error_naming_the_key(zr_project, field, value,
                                                                  expected):
    zr_project.write(f'''
        [tasks.t]
        cmd = "true"
        {field} = {value}
    ''')

    result = zr_project.run("run", "t")

    assert result.returncode == 2
    assert f"tasks.t.{field}: {expected}" in result.stderr
    assert "Traceback" not in result.stderr


def test_monitor_shows_live_use_and_history_keeps_peaks(zr_project):
    zr_project.file("hold.py", "import time\nx = bytes(1) * (80 << 20)\ntime.sleep(3)\n")
    zr_project.write('''
        [tasks.hold]
        cmd = "python3 hold.py"

        [tasks.limited]
        cmd = "python3 -c 'x = bytes(1) * (30 << 20)'"
        max_memory = "200MB"
    ''')

    monitored = zr_project.run("run", "hold", "--monitor")
    limited = zr_project.run("run", "limited")
    history = zr_project.run("history", "hold")
    limited_history = zr_project.run("history", "limited", "--format", "json")

    assert monitored.returncode == 0, monitored.output
    line = next(line for line in monitored.stderr.splitlines() if line.startswith("zr: monitor:"))
    assert "hold" in line and "% CPU" in line and " MB" in line
    assert limited.returncode == 0, limited.output
    assert history.returncode == 0, history.output
    header, row = history.stdout.splitlines()[1:3]
    assert header.split()[-4:] == ["peak", "memory", "CPU", "time"]
    peak = int(row.split()[-3])
    assert 80 <= peak < 200, row
    entry = json.loads(limited_history.stdout)["history"][0]
    assert entry["limit_mechanism"] == "cgroup v1"
    assert 30e6 <= entry["peak_rss"] < 200e6


def test_a_plain_run_loads_only_the_plugins_hook_module(zr_project):
    zr_project.write('''
        [tasks.hello]
        cmd = "echo hello"
    ''')
    loaded = zr_project.loaded_modules("run", "hello")
    ours = {name for name in loaded if name.startswith("zr_plugin_resources")}
    # the hook module (and its small kinds module); no reports, monitor or launcher
    assert ours <= {"zr_plugin_resources", "zr_plugin_resources.plugin",
                    "zr_plugin_resources.kinds"}, ours
    assert "psutil" not in loaded and "tempfile" not in loaded
