"""zr.testing, the pytest plugin for plugin authors: its fixtures as the
plugin docs show them."""

import pytest

pytestmark = pytest.mark.crossversion


def test_run_inprocess_captures_zr_and_its_tasks(zr_project):
    zr_project.write('''
        [tasks.hello]
        cmd = "echo hello from the task; echo to stderr >&2"
    ''')
    result = zr_project.run_inprocess("run", "hello")
    assert result.returncode == 0, result
    assert "hello from the task" in result.stdout
    assert "to stderr" in result.stderr
    assert "1 task" in result.stderr


def test_run_inprocess_reports_failures_and_usage_errors(zr_project):
    zr_project.write('''
        [tasks.boom]
        cmd = "exit 3"
    ''')
    failed = zr_project.run_inprocess("run", "boom")
    assert failed.returncode == 1
    assert "boom failed (exit 3)" in failed.stderr
    missing = zr_project.run_inprocess("run", "nope")
    assert missing.returncode == 2
    assert "nope" in missing.stderr


def test_run_inprocess_can_be_called_twice_and_leaves_the_process_as_it_was(zr_project):
    import os
    import sys

    zr_project.write('''
        [tasks.a]
        cmd = "echo one"
    ''')
    cwd, environ = os.getcwd(), dict(os.environ)
    first = zr_project.run_inprocess("run", "a")
    second = zr_project.run_inprocess("list")
    assert "one" in first.stdout and "a" in second.stdout
    assert os.getcwd() == cwd and dict(os.environ) == environ
    print("pytest still captures this")  # sys.stdout still works
    sys.stdout.flush()


def test_checkouts_share_nothing_but_what_they_are_given(checkouts):
    first = checkouts.new('[tasks.t]\ncmd = "echo $ZR_HOME"\n')
    second = checkouts.new('[tasks.t]\ncmd = "echo $ZR_HOME"\n')
    a, b = first.run("run", "t"), second.run("run", "t")
    assert a.returncode == b.returncode == 0
    assert a.stdout.strip() != b.stdout.strip()


def test_loaded_modules_lists_what_a_run_imported(zr_project):
    zr_project.write('''
        [tasks.hello]
        cmd = "echo hello"
    ''')
    loaded = zr_project.loaded_modules("run", "hello")
    assert "zr" in loaded and "zr.scheduler" in loaded
    assert "click" not in loaded  # a plain run never builds the click app
