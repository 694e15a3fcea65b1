"""The task picker of a bare ``zr`` on a terminal (the plugin's ``zr_choose_targets``)."""

from __future__ import annotations

import subprocess

from zr.testing import zr_executable

from zr_plugin_tui.fuzzy import rank

TASKS = """
    [tasks.build]
    description = "Compile the app"
    cmd = "echo building"
    aliases = ["b"]
    [tasks.test]
    description = "Run the unit tests"
    deps = ["build"]
    cmd = "echo testing"
    [tasks.deploy]
    description = "Ship it to production"
    deps = ["build", "test"]
    cmd = ["echo deploying", "echo deployed"]
    [tasks.secret]
    private = true
    cmd = "echo hidden"
"""


def test_bare_zr_opens_the_picker_filters_previews_and_runs_the_choice(zr_project, terminal):
    zr_project.write(TASKS)
    terminal.type("zr; echo EXIT=$?")
    screen = terminal.wait_for("3/3 tasks")
    assert "build" in screen and "Run the unit tests" in screen
    assert "secret" not in screen                      # private tasks are not offered
    assert terminal.flag("alternate_on") == "1"
    terminal.type("shp", enter=False)                  # fuzzy: s-h-i-p of "Ship it"
    screen = terminal.wait_for("1/3 tasks")
    assert "deploy" in screen and "Compile" not in screen
    assert "deps: build, test" in screen               # the preview
    assert "$ echo deploying" in screen and "$ echo deployed" in screen
    terminal.keys("Enter")
    screen = terminal.wait_for("EXIT=0")
    assert terminal.flag("alternate_on") == "0"
    assert "deploy | deploying" in screen and "deploy | deployed" in screen
    assert "build  | building" in screen               # with its dependencies, as zr run


def test_arrows_move_the_selection(zr_project, terminal):
    zr_project.write(TASKS)
    terminal.type("zr; echo EXIT=$?")
    terminal.wait_for("3/3 tasks")
    terminal.keys("Down", "Down", "Up")                # build, deploy, test -> deploy
    terminal.wait_for("Ship it to production\n")       # the preview's first line
    terminal.keys("Enter")
    screen = terminal.wait_for("EXIT=0")
    assert "deploy | deployed" in screen


def test_an_alias_finds_its_task(zr_project, terminal):
    zr_project.write(TASKS)
    terminal.type("zr; echo EXIT=$?")
    terminal.wait_for("3/3 tasks")
    terminal.type("b", enter=False)
    screen = terminal.wait_for(lambda s: "tasks ·" in s and "3/3" not in s)
    first = next(line for line in screen.splitlines() if line.startswith("  ") and "(" in line)
    assert first.split()[0] == "build"                 # the alias ranks its task first
    terminal.keys("Escape")
    screen = terminal.wait_for("EXIT=0")
    assert "building" not in screen


def test_ctrl_c_leaves_the_picker_with_130(zr_project, terminal):
    zr_project.write(TASKS)
    terminal.type("zr; echo EXIT=$?")
    terminal.wait_for("3/3 tasks")
    terminal.keys("C-c")
    terminal.wait_for("EXIT=130")
    assert terminal.flag("alternate_on") == "0"
    assert terminal.flag("cursor_flag") == "1"


def test_a_default_task_still_runs_and_pipes_still_get_the_help(zr_project, terminal):
    zr_project.write(TASKS)
    piped = subprocess.run([zr_executable()], cwd=zr_project.path, env=zr_project.env,
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert piped.returncode == 0 and "Everyday use" in piped.stdout
    zr_project.write('[settings]\ndefault = "test"\n' + TASKS)
    assert terminal.run("zr") == 0
    assert "test  | testing" in terminal.screen()


def test_ranking_prefers_names_then_word_starts():
    class Item:
        def __init__(self, name, description=""):
            self.name, self.description = name, description

    def fields(item):
        return [(item.name, 3), (item.description, 1)]

    items = [Item("lint"), Item("test-integration"), Item("test"), Item("deploy", "tests too")]
    assert [i.name for i in rank("test", items, fields)][:2] == ["test", "test-integration"]
    assert [i.name for i in rank("ti", items, fields)][0] == "test-integration"
    assert rank("zzz", items, fields) == []
