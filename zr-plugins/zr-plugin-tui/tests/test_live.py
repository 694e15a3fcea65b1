"""``zr live``: a full-screen grid with a pane per task, in a real terminal."""

from __future__ import annotations

import re
from typing import NamedTuple

from zr.testing import process_gone, wait_for_file


def wait_for_go(name: str = "go") -> str:
    return f"until [ -e {name} ]; do sleep 0.05; done"


TWO_TASKS = f"""
    [tasks.alpha]
    cmd = "echo alpha says one; echo alpha says two; {wait_for_go()}"
    [tasks.beta]
    cmd = "echo beta says hello; echo $$ > beta.pid; {wait_for_go()}"
    [tasks.both]
    deps = ["alpha", "beta"]
    cmd = "echo both done; {wait_for_go('go2')}"
"""

# A pane's title bar: a focus mark, its number, the task and how it is doing.
TITLE = re.compile(r"([ >])(\d+):(\S+) (.*)")


class Shown(NamedTuple):
    """One pane as the screen shows it."""
    name: str
    number: int
    focused: bool
    title: str
    row: int
    column: int
    lines: list

    def last_number(self) -> int:
        return int(self.lines[-1].rsplit("-", 1)[1])


def panes(screen: str) -> dict:
    """The panes on ``screen`` by task name: each title bar starts a pane at
    the left edge or right after a ``│`` rule, and its lines run down to the
    next row of title bars (or the help line)."""
    rows = screen.splitlines()
    found = []
    for row, line in enumerate(rows[1:-1], start=1):
        starts = [0] + [i + 1 for i, char in enumerate(line) if char == "│"]
        for column in starts:
            end = line.find("│", column)
            end = None if end < 0 else end
            match = TITLE.match(line[column:end])
            if match:
                found.append((row, column, end, match))
    title_rows = {row for row, *_ in found}
    shown = {}
    for row, column, end, match in found:
        lines = []
        for below in range(row + 1, len(rows) - 1):
            if below in title_rows:
                break
            lines.append(rows[below][column:end].rstrip())
        while lines and not lines[-1]:
            lines.pop()
        shown[match.group(3)] = Shown(match.group(3), int(match.group(2)),
                                      match.group(1) == ">", match.group(4).strip(), row,
                                      column, lines)
    return shown


def focused_pane(screen: str) -> Shown:
    (pane,) = [pane for pane in panes(screen).values() if pane.focused]
    return pane


def when(condition):
    """A screen condition on the panes shown (a dict by task name) that is
    simply not met while a pane it looks at is missing or still empty."""
    def met(screen: str) -> bool:
        try:
            return bool(condition(panes(screen)))
        except (KeyError, IndexError, ValueError):
            return False

    return met


def test_two_tasks_show_at_once_and_the_outcome_is_zr_runs(zr_project, terminal):
    zr_project.write(TWO_TASKS)
    terminal.type("zr live both; echo EXIT=$?")
    screen = terminal.wait_for(when(
        lambda p: p["alpha"].lines == ["alpha says one", "alpha says two"] and
        p["beta"].lines == ["beta says hello"]))
    assert terminal.flag("alternate_on") == "1"
    shown = panes(screen)
    # side by side on a 120-column terminal, numbered in the plan's order
    assert shown["alpha"].row == shown["beta"].row
    assert shown["alpha"].column == 0 < shown["beta"].column
    assert (shown["alpha"].number, shown["beta"].number) == (1, 2)
    assert shown["alpha"].title.startswith("running")
    assert "both" not in shown  # not started yet: no pane
    (zr_project.path / "go").write_text("")
    # `both` gets a pane when it starts; the finished ones show their result
    screen = terminal.wait_for(when(lambda p: p["both"].lines == ["both done"]))
    shown = panes(screen)
    assert shown["alpha"].title.startswith("ok ") and shown["beta"].title.startswith("ok ")
    assert shown["both"].title.startswith("running")
    assert shown["both"].row > shown["alpha"].row == shown["beta"].row
    (zr_project.path / "go2").write_text("")
    screen = terminal.wait_for("EXIT=0")
    assert terminal.flag("alternate_on") == "0"
    assert "3 tasks in" in screen and "3 succeeded" in screen


def test_a_failed_task_shows_its_result_then_exit_1_and_its_last_lines(zr_project,
                                                                         terminal):
    zr_project.write(f"""
        [tasks.alpha]
        cmd = "echo alpha works; {wait_for_go()}"
        [tasks.beta]
        cmd = "echo beta says hello; exit 3"
    """)
    terminal.type("zr live --keep-going --parallel alpha beta; echo EXIT=$?")
    screen = terminal.wait_for(when(lambda p: p["beta"].title.startswith("failed (exit 3)")))
    shown = panes(screen)
    assert shown["beta"].lines == ["beta says hello"]
    assert shown["alpha"].title.startswith("running")
    assert "1 failed" in screen.splitlines()[0]
    (zr_project.path / "go").write_text("")
    screen = terminal.wait_for("EXIT=1")
    assert "zr: last lines of beta:\n  beta says hello" in screen
    assert re.search(r"beta failed \(exit (code|status)? ?3\)", screen), screen


def test_focus_and_scrolling_move_only_the_focused_pane(zr_project, terminal):
    zr_project.write(f"""
        [tasks.alpha]
        cmd = "seq -f 'alpha-%g' 1 300; {wait_for_go()}"
        [tasks.beta]
        cmd = "seq -f 'beta-%g' 1 300; {wait_for_go()}"
    """)
    terminal.type("zr live --parallel alpha beta; echo EXIT=$?")
    screen = terminal.wait_for(when(lambda p: len(p) == 2 and all(
        pane.lines[-1] == f"{pane.name}-300" for pane in p.values())))
    first = focused_pane(screen).name
    second = "beta" if first == "alpha" else "alpha"

    def moved(name):
        return when(lambda p: p[name].lines[-1] != f"{name}-300")

    terminal.keys("PageUp")
    screen = terminal.wait_for(moved(first))
    scrolled = panes(screen)[first]
    numbers = [int(line.rsplit("-", 1)[1]) for line in scrolled.lines]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert scrolled.title.endswith(f"line {numbers[-1]}/300")
    assert panes(screen)[second].lines[-1] == f"{second}-300"  # the other one did not move
    assert panes(screen)[second].title.endswith("300 lines")

    terminal.keys("Tab")
    screen = terminal.wait_for(when(lambda p: p[second].focused))
    terminal.keys("PageUp")
    screen = terminal.wait_for(moved(second))
    assert panes(screen)[first].lines == scrolled.lines  # held still
    bottom = panes(screen)[second].last_number()
    terminal.keys("Up")
    terminal.wait_for(when(lambda p: p[second].last_number() == bottom - 1))
    terminal.keys("End")
    screen = terminal.wait_for(when(lambda p: p[second].lines[-1] == f"{second}-300"))
    assert panes(screen)[first].lines == scrolled.lines

    terminal.keys("Tab")  # back to the first pane, which follows again after End
    terminal.wait_for(when(lambda p: p[first].focused))
    terminal.keys("End")
    terminal.wait_for(when(lambda p: p[first].lines[-1] == f"{first}-300"))
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")


def test_zoom_shows_the_focused_pane_full_screen_and_back(zr_project, terminal):
    zr_project.write(TWO_TASKS)
    terminal.type("zr live both; echo EXIT=$?")
    screen = terminal.wait_for(when(lambda p: p["beta"].lines == ["beta says hello"] and
                                    p["alpha"].lines))
    first = focused_pane(screen).name
    second = "beta" if first == "alpha" else "alpha"
    terminal.keys("z")
    # one pane, full width (waiting for the whole frame: tmux may show the
    # top of a new frame above the bottom of the last one for an instant)
    screen = terminal.wait_for(lambda s: list(panes(s)) == [first] and "│" not in s)
    assert "zoomed" in screen.splitlines()[0]
    assert panes(screen)[first].lines == {"alpha": ["alpha says one", "alpha says two"],
                                          "beta": ["beta says hello"]}[first]
    terminal.keys("Tab")  # switching while zoomed zooms the next pane
    terminal.wait_for(lambda s: list(panes(s)) == [second])
    terminal.keys("z")
    screen = terminal.wait_for(lambda s: set(panes(s)) == {"alpha", "beta"})
    assert "zoomed" not in screen.splitlines()[0]
    assert focused_pane(screen).name == second
    terminal.keys("Enter")  # Enter zooms too, and Esc comes back
    terminal.wait_for(lambda s: list(panes(s)) == [second])
    terminal.keys("Escape")
    terminal.wait_for(lambda s: set(panes(s)) == {"alpha", "beta"})
    (zr_project.path / "go").write_text("")
    (zr_project.path / "go2").write_text("")
    terminal.wait_for("EXIT=0")


def test_more_tasks_than_fit_show_four_panes_and_tab_reaches_the_others(zr_project,
                                                                        terminal):
    zr_project.write("\n".join(f"""
        [tasks.{name}]
        cmd = "echo {name} is here; {wait_for_go()}"
    """ for name in ("t1", "t2", "t3", "t4", "t5")))
    terminal.type("zr live -p -j5 t1 t2 t3 t4 t5; echo EXIT=$?")
    screen = terminal.wait_for(lambda s: "5 running" in s.splitlines()[0] and when(
        lambda p: len(p) == 4 and all(pane.lines == [f"{pane.name} is here"]
                                      for pane in p.values()))(s))
    assert "4 of 5 panes" in screen.splitlines()[0]
    rows = sorted({pane.row for pane in panes(screen).values()})
    assert len(rows) == 2  # a 2x2 grid
    terminal.keys("5")
    screen = terminal.wait_for(when(lambda p: p["t5"].focused))
    assert len(panes(screen)) == 4 and panes(screen)["t5"].lines == ["t5 is here"]
    terminal.keys("1")
    # the window moved back
    terminal.wait_for(when(lambda p: p["t1"].focused and sorted(p) == ["t1", "t2", "t3", "t4"]))
    (zr_project.path / "go").write_text("")
    screen = terminal.wait_for("EXIT=0")
    assert "5 succeeded" in screen


def test_scrolling_a_chatty_pane(zr_project, terminal):
    zr_project.write(f"""
        [tasks.chatty]
        cmd = "seq 1 100000; {wait_for_go()}"
    """)
    terminal.type("zr live chatty; echo EXIT=$?")
    terminal.wait_for(when(lambda p: p["chatty"].title.endswith("100000 lines") and
                           p["chatty"].lines[-1] == "100000"))
    terminal.keys("PageUp")
    screen = terminal.wait_for(when(lambda p: p["chatty"].lines[-1] != "100000"))
    shown = [int(n) for n in panes(screen)["chatty"].lines]
    assert shown == list(range(shown[0], shown[0] + len(shown))) and shown[-1] < 100000
    assert panes(screen)["chatty"].title.endswith(f"line {shown[-1]}/100000")
    terminal.keys("End")
    terminal.wait_for(when(lambda p: p["chatty"].title.endswith("100000 lines")))
    (zr_project.path / "go").write_text("")
    terminal.wait_for("EXIT=0")


def test_resizing_re_lays_out_the_grid(zr_project, terminal):
    zr_project.write(TWO_TASKS)
    terminal.type("zr live both; echo EXIT=$?")

    def both_shown(p):
        return p["alpha"].lines and p["beta"].lines == ["beta says hello"]

    screen = terminal.wait_for(when(both_shown))
    assert panes(screen)["alpha"].row == panes(screen)["beta"].row  # side by side
    terminal.resize(60, 30)
    # too narrow for two columns: stacked, and nothing wider than the terminal
    screen = terminal.wait_for(lambda s: len(s.splitlines()) == 30 and when(
        lambda p: both_shown(p) and p["alpha"].row < p["beta"].row)(s))
    assert max(len(line) for line in screen.splitlines()) <= 60
    assert panes(screen)["alpha"].column == panes(screen)["beta"].column == 0
    assert panes(screen)["alpha"].lines == ["alpha says one", "alpha says two"]
    assert "scroll" in screen.splitlines()[-1]
    terminal.resize(120, 40)
    terminal.wait_for(when(lambda p: both_shown(p) and p["alpha"].row == p["beta"].row))
    (zr_project.path / "go").write_text("")
    (zr_project.path / "go2").write_text("")
    terminal.wait_for("EXIT=0")


def test_resizing_redraws_the_picker(zr_project, terminal):
    zr_project.write(TWO_TASKS)
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
