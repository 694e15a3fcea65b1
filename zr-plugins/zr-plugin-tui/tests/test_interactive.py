"""``zr interactive-run``: pause, resume, cancel and the failure prompt."""

from __future__ import annotations

import re

from zr.testing import process_gone, wait_for_file

ENDED = re.compile(r"^EXIT=\d+$", re.MULTILINE)

# Counts while it runs (busy between sleeps), so a stopped process is visible
# both in `ps` and in a counter that does not move.
TICKER = f"""
    [tasks.tick]
    cmd = "echo $$ > tick.pid; i=0; while [ ! -e go ]; do i=$((i+1)); echo tick-$i; echo $i > count; sleep 0.05; done; echo tick finished"
    timeout = "60s"
"""


def test_pause_stops_the_group_and_resume_continues(zr_project, terminal, ps_state):
    zr_project.write(TICKER)
    terminal.type("zr interactive-run tick; echo EXIT=$?")
    terminal.wait_for("keys: p pause")
    pid = int(wait_for_file(zr_project.path / "tick.pid")[0])
    terminal.wait_for("| tick-3")
    terminal.keys("p")
    terminal.wait_for("[paused]")
    terminal.wait_for(lambda s: ps_state(pid) == "T")
    count = (zr_project.path / "count").read_text()
    # stopped: the screen says so, the shell's group is stopped and the
    # counter no longer moves (read again after the screen was read twice)
    screen = terminal.wait_for(lambda s: "paused" in s and ps_state(pid) == "T")
    assert " paused " in screen
    assert (zr_project.path / "count").read_text() == count
    terminal.keys("r")
    terminal.wait_for(lambda s: (zr_project.path / "count").read_text() != count)
    assert ps_state(pid) != "T"
    (zr_project.path / "go").write_text("")
    screen = terminal.wait_for("EXIT=0")
    assert "tick | tick finished" in screen
    assert "keys: p pause" not in screen


def test_a_failure_prompts_and_retry_reruns_it(zr_project, terminal):
    zr_project.write("""
        [tasks.flaky]
        cmd = "echo attempt >> attempts.txt; echo run $(wc -l < attempts.txt); [ $(wc -l < attempts.txt) -ge 2 ]"
    """)
    terminal.type("zr interactive-run flaky; echo EXIT=$?")
    terminal.wait_for("flaky failed (exit")
    assert "r retry, s skip, a abort?" in terminal.screen()
    terminal.keys("r")
    screen = terminal.wait_for("EXIT=0")
    assert "flaky | run 1" in screen and "flaky | run 2" in screen
    assert (zr_project.path / "attempts.txt").read_text().count("attempt") == 2


def test_skip_lets_dependents_run_and_abort_fails(zr_project, terminal):
    zr_project.write("""
        [tasks.broken]
        cmd = "exit 5"
        [tasks.after]
        deps = ["broken"]
        cmd = "echo after ran"
    """)
    terminal.type("zr interactive-run after; echo EXIT=$?")
    terminal.wait_for("r retry, s skip, a abort?")
    terminal.keys("s")
    screen = terminal.wait_for(ENDED)
    assert "EXIT=0" in screen and re.search(r"^after +\| after ran$", screen, re.MULTILINE)
    assert terminal.run("clear") == 0
    terminal.wait_for(lambda s: "abort?" not in s)
    terminal.type("zr interactive-run after; echo EXIT=$?")
    terminal.wait_for("r retry, s skip, a abort?")
    terminal.keys("a")
    screen = terminal.wait_for(ENDED)
    assert "EXIT=1" in screen and "after ran" not in screen


def test_cancel_ends_the_task_and_its_group(zr_project, terminal):
    zr_project.write(TICKER)
    terminal.type("zr interactive-run tick; echo EXIT=$?")
    pid = int(wait_for_file(zr_project.path / "tick.pid")[0])
    terminal.wait_for("| tick-2")
    terminal.keys("c")
    screen = terminal.wait_for(ENDED)
    assert "EXIT=1" in screen and "cancelled" in screen
    assert process_gone(pid)


def test_ctrl_c_while_paused_ends_everything_and_restores_the_terminal(zr_project, terminal):
    zr_project.write(TICKER)
    terminal.type("zr interactive-run tick; echo EXIT=$?")
    pid = int(wait_for_file(zr_project.path / "tick.pid")[0])
    terminal.wait_for("| tick-2")
    terminal.keys("p")
    terminal.wait_for("[paused]")
    terminal.keys("C-c")
    terminal.wait_for("EXIT=130")
    assert process_gone(pid)
    assert terminal.flag("cursor_flag") == "1"
    assert terminal.run("stty -a | tr ' ;' '\\n\\n' | grep -c -x -e icanon -e echo -e isig "
                        "> modes.txt") == 0
    assert (zr_project.path / "modes.txt").read_text().strip() == "3"


ASKS = """
    [tasks.ask]
    cmd = "printf 'name? '; read name; echo hello $name"
    interactive = true
    [tasks.after]
    deps = ["ask"]
    cmd = "echo after the question"
"""


def test_an_interactive_task_gets_the_terminal_in_its_usual_mode(zr_project, terminal):
    zr_project.write(ASKS)
    for command in ("interactive-run", "live"):
        assert terminal.run("clear") == 0
        terminal.type(f"zr {command} after; echo EXIT=$?")
        terminal.wait_for("name?")  # (the screen has no trailing spaces)
        terminal.type("bob")
        terminal.wait_for("name? bob")  # echoed: the terminal is in cooked mode
        screen = terminal.wait_for(ENDED)
        assert "EXIT=0" in screen, screen
        assert "hello bob" in screen or command == "live"  # live keeps it in its pane
        assert terminal.flag("alternate_on") == "0"
