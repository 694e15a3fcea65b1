"""Matrix tasks as a user meets them: the real `zr` command on temporary projects."""

from __future__ import annotations

import re

THREE_BY_THREE = """
    [tasks.test]
    description = "Test on ${matrix.py} / ${matrix.os}"
    cmd = "echo cell py=${matrix.py} os=${matrix.os} label=$LABEL"
    env = { LABEL = "${matrix.os}-${matrix.py}" }
    matrix = { py = ["3.11", "3.12", "3.13"], os = ["linux", "mac", "win"], exclude = [
        { py = "3.11", os = "win" },
        { py = "3.12", os = "win" },
    ] }
"""

SEVEN_CELLS = [
    "test[py=3.11,os=linux]", "test[py=3.11,os=mac]",
    "test[py=3.12,os=linux]", "test[py=3.12,os=mac]",
    "test[py=3.13,os=linux]", "test[py=3.13,os=mac]", "test[py=3.13,os=win]",
]


def printed_lines(result, task: str) -> list:
    """What ``task`` printed (zr prefixes each line with the padded task name)."""
    return re.findall(rf"^{re.escape(task)} *\| (.*)$", result.output, re.MULTILINE)


def test_three_by_three_minus_excludes_runs_seven_named_cells(zr_project):
    zr_project.write(THREE_BY_THREE)
    result = zr_project.run("run", "test")
    assert result.returncode == 0, result.output
    ran = sorted(set(re.findall(r"^(test\[[^\]]*\]) *\| cell", result.stdout, re.MULTILINE)))
    assert ran == sorted(SEVEN_CELLS)
    assert printed_lines(result, "test[py=3.13,os=win]") == [
        "cell py=3.13 os=win label=win-3.13"]
    assert "win-3.11" not in result.stdout and "win-3.12" not in result.stdout


def test_list_shows_the_group_and_every_cell_with_its_description(zr_project):
    zr_project.write(THREE_BY_THREE)
    result = zr_project.run("list")
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == ["test"] + sorted(SEVEN_CELLS)
    assert re.match(r"^test +Test on <py> / <os> \(matrix: 7 cells\)$", lines[0])
    assert any(re.match(r"^test\[py=3\.13,os=win\] +Test on 3\.13 / win$", line)
               for line in lines)


def test_one_cell_runs_alone_by_its_name(zr_project):
    zr_project.write(THREE_BY_THREE)
    result = zr_project.run("run", "test[py=3.12,os=mac]")
    assert result.returncode == 0, result.output
    assert printed_lines(result, "test[py=3.12,os=mac]") == [
        "cell py=3.12 os=mac label=mac-3.12"]
    assert result.stdout.count("| cell") == 1


def test_a_dependent_of_the_matrix_task_waits_for_every_cell(zr_project):
    zr_project.write("""
        [tasks.build]
        cmd = "echo built"
        [tasks.unit]
        deps = ["build"]
        cmd = "echo unit ${matrix.n} >> cells.log"
        matrix = { n = [1, 2, 3, 4] }
        [tasks.report]
        deps = ["unit"]
        cmd = "cat cells.log | sort"
    """)
    result = zr_project.run("run", "report", "-j", "4")
    assert result.returncode == 0, result.output
    assert printed_lines(result, "report") == ["unit 1", "unit 2", "unit 3", "unit 4"]
    assert printed_lines(result, "build") == ["built"]


def test_dry_run_and_graph_show_the_cells(zr_project):
    zr_project.write("""
        [tasks.test]
        cmd = "pytest --python ${matrix.py}"
        matrix = { py = ["3.11", "3.12"] }
        [tasks.ci]
        deps = ["test"]
        cmd = "echo done"
    """)
    dry = zr_project.run("run", "--dry-run", "ci")
    assert dry.returncode == 0, dry.output
    assert dry.stdout.splitlines() == [
        "[1/4] test[py=3.11]", "  $ pytest --python 3.11",
        "[2/4] test[py=3.12]", "  $ pytest --python 3.12",
        "[3/4] test", "[4/4] ci", "  $ echo done",
    ]
    graph = zr_project.run("graph", "ci")
    assert graph.returncode == 0, graph.output
    assert graph.stdout.splitlines() == [
        "ci", "└── test", "    ├── test[py=3.11]", "    └── test[py=3.12]"]


def test_include_adds_a_cell_and_brings_back_an_excluded_one(zr_project):
    zr_project.write("""
        [tasks.t]
        cmd = "echo ${matrix.os}-${matrix.arch}"
        [tasks.t.matrix]
        os = ["linux", "mac"]
        arch = ["x64", "arm"]
        exclude = [{ arch = "arm" }]
        include = [{ os = "mac", arch = "arm" }, { os = "bsd", arch = "riscv" }]
    """)
    result = zr_project.run("list")
    assert result.returncode == 0, result.output
    assert result.stdout.split() == [
        "t", "matrix:", "4", "cells", "over", "os,", "arch",
        "t[os=bsd,arch=riscv]", "t[os=linux,arch=x64]", "t[os=mac,arch=arm]",
        "t[os=mac,arch=x64]"]
    run = zr_project.run("run", "t[os=bsd,arch=riscv]")
    assert printed_lines(run, "t[os=bsd,arch=riscv]") == ["bsd-riscv"]


def test_cwd_and_dependencies_can_name_matrix_values(zr_project):
    for package in ("alpha", "beta"):
        zr_project.file(f"packages/{package}/NAME", package + "\n")
    zr_project.write("""
        [tasks.build]
        cwd = "packages/${matrix.pkg}"
        cmd = "echo built $(cat NAME)"
        matrix = { pkg = ["alpha", "beta"] }
        [tasks.test]
        deps = ["build[pkg=${matrix.pkg}]"]
        cmd = "echo tested ${matrix.pkg}"
        matrix = { pkg = ["alpha", "beta"] }
    """)
    result = zr_project.run("run", "test[pkg=beta]")
    assert result.returncode == 0, result.output
    assert printed_lines(result, "build[pkg=beta]") == ["built beta"]
    assert printed_lines(result, "test[pkg=beta]") == ["tested beta"]
    assert "alpha" not in result.stdout


def test_max_concurrent_limits_how_many_cells_run_at_once(zr_project):
    # Each cell holds a lock directory while it runs; a second cell running
    # at the same time cannot create it and fails.
    zr_project.write("""
        [tasks.t]
        cmd = "mkdir lock || { echo overlap; exit 1; }; sleep 0.2; rmdir lock"
        matrix = { n = [1, 2, 3, 4] }
        max_concurrent = 1
    """)
    result = zr_project.run("run", "t", "-j", "4")
    assert result.returncode == 0, result.output
    assert "overlap" not in result.output
    assert "5 succeeded" in result.stderr


def test_without_max_concurrent_cells_do_run_at_once(zr_project):
    # The counterpart of the test above: the lock does detect overlap.
    zr_project.write("""
        [tasks.t]
        cmd = "mkdir lock || { echo overlap; exit 1; }; sleep 1; rmdir lock"
        matrix = { n = [1, 2] }
    """)
    result = zr_project.run("run", "t", "-j", "2")
    assert result.returncode == 1
    assert "overlap" in result.stdout


def test_a_failing_cell_fails_the_run_and_is_named(zr_project):
    zr_project.write("""
        [tasks.t]
        cmd = "test ${matrix.os} != mac || exit 3"
        matrix = { os = ["linux", "mac"] }
    """)
    result = zr_project.run("run", "t")
    assert result.returncode == 1
    assert "t[os=mac] failed (exit 3)" in result.stderr
