"""``zr live``: a full-screen pane per task, in a real terminal."""

from __future__ import annotations

import re

from zr.testing import process_gone, wait_for_file

WAIT_FOR_GO = "until [ -e go ]; do sleep 0.05; done"

TWO_TASKS = f"""
    [tasks.alpha]
    cmd = "echo alpha says one; echo alpha says two; {WAIT_FOR_GO}"
    [tasks.beta]
    cmd = "echo beta says hello; echo $$ > beta.pid; {WAIT_FOR_GO}; exit $BETA_EXIT"
    env = {{ BETA_EXIT = "0" }}
    [tasks.both]
    deps = ["alpha", "beta"]
    cmd = "echo both done"
"""


def body(screen: str) -> str:
    """The pane's text: between the tab bar and the help line."""
    lines = screen.splitlines()
    return "\n".join(lines[2:-1])


def test_panes_switch_with_the_keyboard_and_the_outcome_is_zr_runs(zr_project, terminal):
    zr_project.write(TWO_TASKS)
    terminal.type("zr live both; echo EXIT=$?")
    screen = terminal.wait_for(lambda s: "1:alpha running" in s and "2:beta running" in s)
    assert terminal.flag("alternate_on") == "1"
    terminal.keys("1")
    screen = terminal.wait_for(lambda s: "alpha says two" in body(s))
    assert "beta says hello" not in body(screen)
    assert body(screen).splitlines()[:2] == ["alpha says one", "alpha says two"]
    terminal.keys("Right")
    screen = terminal.wait_for(lambda s: "beta says hello" in body(s))
    assert "alpha says" not in body(screen)
    terminal.keys("Left")
    terminal.wait_for(lambda s: "alpha says one" in body(s))
    (zr_project.path / "go").write_text("")
    screen = terminal.wait_for("EXIT=0")
    assert terminal.flag("alternate_on") == "0"
    assert "3 tasks in" in screen and "3 succeeded" in screen


def test_a_failed_task_gives_exit_1_and_its_last_lines_after_the_view(zr_project, terminal):
    zr_project.write(TWO_TASKS.replace('BETA_EXIT = "0"', 'BETA_EXIT = "3"'))
    terminal.type("zr live both; echo EXIT=$?")
    terminal.wait_for("2:beta running")
    (zr_project.path / "go").write_text("")
    screen = terminal.wait_for("EXIT=1")
    assert "zr: last lines of beta:\n  beta says hello" in screen
    assert re.search(r"beta failed \(exit (code|status)? ?3\)", screen), screen


def test_scrolling_a_chatty_pane(zr_project, terminal):
    zr_project.write(f"""
        [tasks.chatty]
        cmd = "seq 1 100000; {WAIT_FOR_GO}"
    """)
    terminal.type("zr live chatty; echo EXIT=$?")
    screen = terminal.wait_for(lambda s: "100000 lines, following" in s)
    assert body(screen).splitlines()[-1] == "100000"
    terminal.keys("PageUp")
    screen = terminal.wait_for(lambda s: re.search(r"line \d+/100000", s))
    shown = [int(n) for n in body(screen).split()]
    assert shown == list(range(shown[0], shown[0] + len(shown))) and shown[-1] < 100000
    terminal.keys("End")
    terminal.wait_for("100000 lines, following")
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")


def test_resizing_redraws_the_view_and_the_picker(zr_project, terminal):
    zr_project.write(TWO_TASKS)
    terminal.type("zr live both; echo EXIT=$?")
    terminal.wait_for("2:beta running")
    terminal.resize(60, 20)
    screen = terminal.wait_for(lambda s: s.splitlines()[-1].lstrip().startswith(
        tuple("0123456789")) and len(s.splitlines()) == 20)
    assert max(len(line) for line in screen.splitlines()) <= 60
    assert "switch" in screen.splitlines()[-1]
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")
    terminal.type("zr pick; echo EXIT=$?")
    terminal.wait_for("3/3 tasks")
    terminal.resize(100, 30)
    # the rule above the preview spans the new width
    terminal.wait_for(lambda s: "─" * 99 in s and "─" * 100 not in s)
    terminal.keys("Escape")
    terminal.wait_for("EXIT=0")


def test_ctrl_c_restores_the_terminal_and_leaves_no_process(zr_project, terminal):
    zr_project.write(TWO_TASKS)
    terminal.type("zr live both; echo EXIT=$?")
    terminal.wait_for("2:beta running")
    pid = int(wait_for_file(zr_project.path / "beta.pid")[0])
    terminal.keys("C-c")
    screen = terminal.wait_for("EXIT=130")
    assert "interrupted" in screen
    assert terminal.flag("alternate_on") == "0"
    assert terminal.flag("cursor_flag") == "1"
    assert process_gone(pid)
    # canonical input, echo and signals are back: `stty -a` lists them without a "-"
    assert terminal.run("stty -a | tr ' ;' '\\n\\n' | grep -c -x -e icanon -e echo -e isig "
                        "> modes.txt") == 0
    assert (zr_project.path / "modes.txt").read_text().strip() == "3"


def test_without_a_terminal_the_views_are_a_usage_error(zr_project):
    zr_project.write(TWO_TASKS)
    for command in ("live", "interactive-run"):
        result = zr_project.run(command, "alpha")
        assert result.returncode == 2
        assert f"zr {command} needs a terminal" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (zr_project.path / "beta.pid").exists()
    result = zr_project.run("run", "alpha", "--progress", "bogus")
    assert result.returncode == 2
    assert "--progress: expected one of auto, tty, plain, none" in result.stderr
