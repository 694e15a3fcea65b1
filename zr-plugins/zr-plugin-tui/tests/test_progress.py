"""The progress block under a real terminal, and its absence everywhere else."""

from __future__ import annotations

import re
import subprocess

from zr.testing import process_gone, wait_for_file, zr_executable

WAIT_FOR_GO = "until [ -e go ]; do sleep 0.05; done"

TWO_WAITING = f"""
    [tasks.compile]
    cmd = "echo compiling started; {WAIT_FOR_GO}; echo compile finished"
    [tasks.assets]
    cmd = "echo bundling assets; {WAIT_FOR_GO}; echo assets finished"
    [tasks.all]
    deps = ["compile", "assets"]
    cmd = "echo everything built"
"""

BLOCK_HEAD = re.compile(r"^zr \d+/\d+ done, \d+ running", re.MULTILINE)


def test_block_shows_running_tasks_with_their_last_line_then_disappears(zr_project, terminal):
    zr_project.write(TWO_WAITING)
    terminal.type("zr all; echo EXIT=$?")
    screen = terminal.wait_for(lambda s: "0/3 done, 2 running" in s
                               and re.search(r"^  compile +\d+\.\ds +compiling started$", s,
                                             re.MULTILINE)
                               and re.search(r"^  assets +\d+\.\ds +bundling assets$", s,
                                             re.MULTILINE))
    # the block is below the streamed output
    lines = screen.rstrip("\n").splitlines()
    head = next(i for i, line in enumerate(lines) if BLOCK_HEAD.match(line))
    assert any("| compiling started" in line for line in lines[:head])
    (zr_project.path / "go").write_text("")
    screen = terminal.wait_for("EXIT=0")
    assert not BLOCK_HEAD.search(screen), screen
    assert not re.search(r"^  (compile|assets) +\d", screen, re.MULTILINE), screen
    output = [line for line in screen.splitlines() if " | " in line]
    assert output[-1] == "all     | everything built"
    assert sorted(output[:-1]) == sorted([
        "compile | compiling started", "compile | compile finished",
        "assets  | bundling assets", "assets  | assets finished"])
    assert "3 tasks in" in screen


def test_failures_and_cache_hits_are_counted(zr_project, terminal):
    zr_project.file("input.txt", "v1")
    zr_project.write(f"""
        [tasks.broken]
        cmd = "echo broken; exit 4"
        [tasks.cached]
        cmd = "echo caching"
        cache = true
        inputs = ["input.txt"]
        [tasks.slow]
        cmd = "echo waiting; {WAIT_FOR_GO}"
        [tasks.both]
        deps = ["broken", "cached", "slow"]
        cmd = "true"
    """)
    assert zr_project.run("cached").returncode == 0
    terminal.type("zr --keep-going both; echo EXIT=$?")
    terminal.wait_for(lambda s: "2/4 done, 1 running, 1 failed, 1 cached" in s)
    (zr_project.path / "go").write_text("")
    screen = terminal.wait_for("EXIT=1")
    assert not BLOCK_HEAD.search(screen)


def test_piped_output_has_no_escape_sequences(zr_project):
    zr_project.write(TWO_WAITING.replace(WAIT_FOR_GO, "true"))
    env = {k: v for k, v in zr_project.env.items() if k not in ("NO_COLOR", "CI")}
    for progress in ("auto", "plain", "none"):
        done = subprocess.run([zr_executable(), "all", "--progress", progress],
                              cwd=zr_project.path, env=env, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=60)
        assert done.returncode == 0, done.stderr
        assert b"\x1b" not in done.stdout and b"\x1b" not in done.stderr, progress
        assert b"everything built" in done.stdout


def test_plain_progress_is_one_line_per_finished_task(zr_project):
    zr_project.write(TWO_WAITING.replace(WAIT_FOR_GO, "true"))
    result = zr_project.run("all", "--progress", "plain")
    assert result.returncode == 0, result.output
    finished = re.findall(r"^zr: \[(\d)/3\] (\w+) succeeded in \d", result.stderr, re.MULTILINE)
    assert [n for n, _ in finished] == ["1", "2", "3"]
    assert finished[-1][1] == "all"
    assert sorted(name for _, name in finished[:2]) == ["assets", "compile"]


def test_ci_on_a_terminal_writes_not_one_escape_sequence(zr_project, terminal):
    zr_project.write(TWO_WAITING.replace(WAIT_FOR_GO, "true"))
    assert terminal.run("CI=true zr all") == 0
    assert terminal.run("TERM=dumb zr all") == 0
    # both runs' own "EXIT-<marker>=0" lines (the typed commands read "=$?")
    recorded = terminal.recorded(re.compile(rb"EXIT-\w+=0.*EXIT-\w+=0", re.DOTALL))
    assert recorded.count(b"everything built") >= 2
    assert b"\x1b" not in recorded, recorded[:2000]


def test_the_block_on_a_terminal_does_use_escape_sequences(zr_project, terminal):
    """The counterpart of the test above: the same bytes check sees the block."""
    zr_project.write(TWO_WAITING)
    terminal.type("zr all")
    terminal.wait_for("0/3 done, 2 running")
    (zr_project.path / "go").write_text("")
    terminal.wait_for("3 tasks in")
    assert b"\x1b[J" in terminal.recorded(b"3 tasks in")


def test_progress_none_shows_no_block(zr_project, terminal):
    zr_project.write(TWO_WAITING)
    terminal.type("zr all --progress none; echo EXIT=$?")
    terminal.wait_for("| bundling assets")
    terminal.wait_for("| compiling started")
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")
    assert b"\x1b[J" not in terminal.recorded(b"EXIT=0")


def test_chatty_task_long_lines_and_resizing(zr_project, terminal):
    zr_project.write(f"""
        [tasks.chatty]
        cmd = "seq 1 100000; {WAIT_FOR_GO}; echo chatty done"
        [tasks.wide]
        cmd = "printf 'w%.0s' $(seq 1 5000); echo; echo wide printed; {WAIT_FOR_GO}"
        [tasks.both]
        deps = ["chatty", "wide"]
        cmd = "true"
    """)
    terminal.type("zr both; echo EXIT=$?")
    # one screen line per running task however long its lines are
    terminal.wait_for(lambda s: "0/3 done, 2 running" in s
                      and re.search(r"^  chatty +\d+\.\ds +100000$", s, re.MULTILINE)
                      and re.search(r"^  wide +\d+\.\ds +wide printed$", s, re.MULTILINE))
    terminal.resize(70, 30)
    terminal.wait_for(lambda s: len(max(s.splitlines(), key=len)) <= 70 and "running" in s)
    (zr_project.path / "go").write_text("")
    screen = terminal.wait_for("EXIT=0")
    assert "chatty | chatty done" in screen
    assert not BLOCK_HEAD.search(screen)


def test_ctrl_c_erases_the_block_and_leaves_no_process(zr_project, terminal):
    zr_project.write(f"""
        [tasks.waits]
        cmd = "echo $$ > waits.pid; echo waiting; {WAIT_FOR_GO}"
    """)
    terminal.type("zr waits; echo EXIT=$?")
    terminal.wait_for("0/1 done, 1 running")
    pid = int(wait_for_file(zr_project.path / "waits.pid")[0])
    terminal.keys("C-c")
    screen = terminal.wait_for("EXIT=130")
    assert not BLOCK_HEAD.search(screen)
    assert terminal.flag("cursor_flag") == "1"
    assert process_gone(pid)


def block_head_drawn(screen: str) -> bool:
    return any("0/3 done" in line for line in screen.splitlines())


def test_the_block_is_coloured_unless_no_color(zr_project, terminal):
    zr_project.write(TWO_WAITING)
    terminal.type("env -u NO_COLOR zr all; echo EXIT=$?")
    terminal.wait_for("0/3 done, 2 running")
    # captured again with its escapes, at a moment the block is drawn (a
    # redraw erases it for an instant)
    coloured = terminal.wait_for(block_head_drawn, escapes=True)
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")
    head = next(line for line in coloured.splitlines() if "0/3 done" in line)
    assert head.startswith("\x1b[1mzr"), repr(head)
    (zr_project.path / "go").unlink()
    assert terminal.run("clear") == 0
    terminal.type("zr all; echo EXIT=$?")               # NO_COLOR=1 from the fixture
    terminal.wait_for("0/3 done, 2 running")
    plain = terminal.wait_for(block_head_drawn, escapes=True)
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")
    head = next(line for line in plain.splitlines() if "0/3 done" in line)
    assert head.startswith("zr 0/3 done") and "\x1b[" not in head, repr(head)


def test_an_eta_from_the_run_history(zr_project, terminal):
    zr_project.write(TWO_WAITING)
    terminal.type("zr all; echo EXIT=$?")
    screen = terminal.wait_for("0/3 done, 2 running")
    assert "ETA" not in screen                          # nothing recorded yet
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")
    (zr_project.path / "go").unlink()
    assert terminal.run("clear") == 0
    terminal.type("zr all; echo EXIT=$?")
    terminal.wait_for(re.compile(r"^zr 0/3 done, 2 running, ETA \d", re.MULTILINE))
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")
