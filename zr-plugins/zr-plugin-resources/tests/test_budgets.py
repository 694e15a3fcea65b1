"""Run-wide budgets through the real `zr`: ``max_total_memory`` and
``max_cpu_percent`` hold a ready task back (the kernel's ``zr_task_admit``)
while its declared need would not fit beside the running tasks.

Order is read from timestamps the tasks write: a task that may overlap
waits for its partner to start (so overlapping is certain when allowed and
impossible to fake); a task that must not overlap only sleeps briefly.
"""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.crossversion

# stamp.py NAME PARTNER|-: write NAME.start, wait for PARTNER.start (if
# given, at most 20 s), sleep a moment, write NAME.end.
STAMP = '''\
import os, sys, time
name, partner = sys.argv[1], sys.argv[2]
with open(name + ".start", "w") as fh:
    fh.write(repr(time.time()))
if partner != "-":
    deadline = time.time() + 20
    while not os.path.exists(partner + ".start") and time.time() < deadline:
        time.sleep(0.02)
time.sleep(0.3)
with open(name + ".end", "w") as fh:
    fh.write(repr(time.time()))
'''


def project(zr_project, settings: str, field: str, value: str, partner: bool):
    zr_project.file("stamp.py", STAMP)
    a, b = ("b", "a") if partner else ("-", "-")
    zr_project.write(f'''
        [settings]
        {settings}

        [tasks.a]
        cmd = "python3 stamp.py a {a}"
        {field} = {value}

        [tasks.b]
        cmd = "python3 stamp.py b {b}"
        {field} = {value}

        [tasks.both]
        deps = ["a", "b"]
    ''')
    return zr_project


def spans(path) -> dict:
    def stamp(name):
        return float((path / name).read_text())
    return {t: (stamp(f"{t}.start"), stamp(f"{t}.end")) for t in ("a", "b")}


def overlapped(times: dict) -> bool:
    (a_start, a_end), (b_start, b_end) = times["a"], times["b"]
    return max(a_start, b_start) < min(a_end, b_end)


def cpu_percent_of_one_core() -> int:
    return max(1, int(100 / (os.cpu_count() or 1)))


def test_tasks_whose_memory_does_not_fit_together_run_one_after_the_other(zr_project):
    project(zr_project, 'max_total_memory = "500MB"', "memory", '"300MB"', partner=False)

    result = zr_project.run("run", "both", "-j", "2")

    assert result.returncode == 0, result.output
    assert not overlapped(spans(zr_project.path)), spans(zr_project.path)


def test_tasks_whose_memory_fits_together_overlap(zr_project):
    project(zr_project, 'max_total_memory = "700MB"', "memory", '"300MB"', partner=True)

    result = zr_project.run("run", "both", "-j", "2")

    assert result.returncode == 0, result.output
    assert overlapped(spans(zr_project.path)), spans(zr_project.path)


def test_max_memory_is_the_need_when_memory_is_not_given(zr_project):
    project(zr_project, 'max_total_memory = "500MB"', "max_memory", '"300MB"',
            partner=False)

    result = zr_project.run("run", "both", "-j", "2")

    assert result.returncode == 0, result.output
    assert not overlapped(spans(zr_project.path))


def test_tasks_whose_cores_pass_max_cpu_percent_run_one_after_the_other(zr_project):
    percent = cpu_percent_of_one_core()
    project(zr_project, f"max_cpu_percent = {percent}", "max_cpu", "0.75", partner=False)

    result = zr_project.run("run", "both", "-j", "2")

    assert result.returncode == 0, result.output
    assert not overlapped(spans(zr_project.path)), spans(zr_project.path)


def test_tasks_whose_cores_fit_in_max_cpu_percent_overlap(zr_project):
    percent = cpu_percent_of_one_core()
    project(zr_project, f"max_cpu_percent = {percent}", "max_cpu", "0.2", partner=True)

    result = zr_project.run("run", "both", "-j", "2")

    assert result.returncode == 0, result.output
    assert overlapped(spans(zr_project.path)), spans(zr_project.path)


def test_a_deferred_task_lets_a_smaller_one_pass(zr_project):
    """big waits for the budget; small, later in start order, fits and
    starts beside the first task instead of queueing behind big."""
    zr_project.file("stamp.py", STAMP)
    zr_project.write('''
        [settings]
        max_total_memory = "500MB"

        [tasks.a]
        cmd = "python3 stamp.py a b"
        memory = "300MB"

        [tasks.big]
        cmd = "python3 stamp.py big -"
        memory = "300MB"

        [tasks.b]
        cmd = "python3 stamp.py b a"
        memory = "100MB"

        [tasks.all]
        deps = ["a", "big", "b"]
    ''')

    result = zr_project.run("run", "all", "-j", "3")

    assert result.returncode == 0, result.output
    times = spans(zr_project.path)
    assert overlapped(times), times
    big_start = float((zr_project.path / "big.start").read_text())
    assert big_start >= times["a"][1], (big_start, times)


def test_a_task_larger_than_the_budget_still_runs_alone(zr_project):
    zr_project.write('''
        [settings]
        max_total_memory = "100MB"

        [tasks.huge]
        cmd = "echo ran"
        memory = "1GB"
    ''')

    result = zr_project.run("run", "huge")

    assert result.returncode == 0, result.output
    assert "ran" in result.stdout
