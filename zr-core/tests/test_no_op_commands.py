"""A command that is only ``true`` or ``false`` behaves as the shell's builtin.

zr may start the system's ``true``/``false`` instead of the shell for such
a command (one program start fewer); these tests pin down that nothing a
user can see changes: exit codes, arguments ignored, PATH ignored, shell
flags honoured, a task's own directory.
"""

import os
import stat

import pytest

pytestmark = pytest.mark.crossversion  # how commands are started differs between versions


def test_true_and_false_exit_as_the_builtins_do(zr_project):
    zr_project.write("""
        [tasks.yes]
        cmd = "true"
        [tasks.no]
        cmd = "false"
        [tasks.after_yes]
        deps = ["yes"]
        cmd = "echo after yes"
        [tasks.after_no]
        deps = ["no"]
        cmd = "echo after no"
        [tasks.all]
        deps = ["after_yes", "after_no"]
    """)
    result = zr_project.run("run", "all", "-j", "2", "--keep-going")
    assert result.returncode == 1, result
    assert "after yes" in result.stdout
    assert "after no" not in result.stdout
    assert "no failed (exit 1)" in result.stderr
    assert "Traceback" not in result.stderr


def test_arguments_go_to_the_builtin_which_ignores_them(zr_project):
    # The system's true prints its help for --help; the builtin prints nothing.
    zr_project.write("""
        [tasks.help]
        cmd = "true --help"
    """)
    result = zr_project.run("run", "help", "--quiet")
    assert result.returncode == 0, result
    assert result.stdout == ""


def test_a_true_on_the_tasks_path_is_not_run(zr_project):
    # The shell runs its builtin whatever PATH holds.
    bin_dir = zr_project.path / "bin"
    bin_dir.mkdir()
    impostor = bin_dir / "true"
    impostor.write_text(f"#!/bin/sh\ntouch '{zr_project.path / 'impostor-ran'}'\nexit 3\n")
    impostor.chmod(impostor.stat().st_mode | stat.S_IXUSR)
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', os.defpath)}"
    zr_project.write(f"""
        [tasks.yes]
        cmd = "true"
        env = {{ PATH = "{path}" }}
    """)
    result = zr_project.run("run", "yes")
    assert result.returncode == 0, result
    assert not (zr_project.path / "impostor-ran").exists()


def test_a_shell_that_traces_still_traces(zr_project):
    zr_project.write("""
        [tasks.traced]
        cmd = "true"
        shell = ["sh", "-x", "-c"]
    """)
    result = zr_project.run("run", "traced")
    assert result.returncode == 0, result
    assert "+ true" in result.stderr


def test_in_a_directory_of_its_own(zr_project):
    (zr_project.path / "sub").mkdir()
    zr_project.write("""
        [tasks.yes]
        cmd = "true"
        cwd = "sub"
        [tasks.no]
        cmd = "false"
        cwd = "sub"
    """)
    assert zr_project.run("run", "yes").returncode == 0
    result = zr_project.run("run", "no")
    assert result.returncode == 1, result
    assert "no failed (exit 1)" in result.stderr
