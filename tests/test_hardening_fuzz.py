"""Property test of the real ``zr`` on generated zr.toml files.

Values of every documented type, extremes included (``nan``, ``inf``,
``1e309``, 64-bit and larger integers, huge durations, NUL characters,
``=`` in env names, unknown tasks, missing directories, broken
expressions): ``zr validate`` answers 0 or 2 without a traceback, and a
project it accepts runs to an end (exit 0, 1, 2 or 127) within a bound,
without a traceback.

About ten seconds of examples by default; ``ZR_FUZZ_EXAMPLES=500`` for a
longer search.
"""

from __future__ import annotations

import math
import os
import subprocess

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from zr.testing import zr_executable

EXAMPLES = int(os.environ.get("ZR_FUZZ_EXAMPLES", "12"))
RUN_BOUND = 60  # seconds: far above what any accepted example needs

# -- TOML values ---------------------------------------------------------------


def toml(value) -> str:
    """``value`` as a TOML value (strings escaped so that any text survives)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        out = []
        for char in value:
            if char in '"\\':
                out.append("\\" + char)
            elif ord(char) < 0x20 or ord(char) == 0x7F:
                out.append(f"\\u{ord(char):04x}")
            else:
                out.append(char)
        return '"' + "".join(out) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml(str(k))} = {toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


EXTREME_NUMBERS = st.sampled_from([
    math.nan, math.inf, -math.inf, 1e308, 1e-300, -1.0, 0, 1, 2, 30, 2**31, 2**63 - 1, 2**64,
    10**30, -(2**63)])
NUMBERS = st.one_of(EXTREME_NUMBERS, st.integers(-5, 5), st.floats(allow_nan=True))
DURATION_TEXT = st.sampled_from([
    "0s", "10ms", "1s", "5m", "1h30m", "7d", "8d", "30d", "99999999999999999999d", "1.2.3s", "",
    "s", "-5s", "1e9s", "9" * 400 + "s", "5 m"])
DURATIONS = st.one_of(NUMBERS, DURATION_TEXT)
HOSTILE_TEXT = st.sampled_from(["", "a=b", "x\x00y", "\x00", "é", "${NOPE}", "$$", "$${A}",
                                "${A:-d}", "\u202e", "a\nb", "'", '"', "\\"])
TEXT = st.one_of(HOSTILE_TEXT, st.text(max_size=8))
ENV_NAMES = st.one_of(st.sampled_from(["A", "PATH_X", "", "A=B", "N\x00", "é", "1X"]),
                      st.text(min_size=0, max_size=6))
ENV_VALUES = st.one_of(TEXT, NUMBERS, st.booleans())
# Commands are harmless words: the point is how zr treats them, not the shell.
COMMANDS = st.sampled_from(["true", "echo hi", "exit 3", "printf '%s' \"$A\"",
                            "no-such-command-zr", "echo \x00", "echo é", ""])
EXPRESSIONS = st.sampled_from([
    "true", "false", "env.A == 'x'", "file.exists('zr.toml')", "file.exists()",
    "file.exists('a', 'b')", "semver.gte('1.2.0', '1.0')", "semver.gte('1')",
    "file.hash('/dev/zero') == 'x'", "1" * 80 + " == 1", "(((", "tasks['nope'].success",
    "tasks['t0'].success", "platform == 'linux'", "shell('true')", "&&"])


def field_values(names: list) -> dict:
    """A strategy per task field: values of the documented shape and not."""
    task_names = st.sampled_from(names + ["missing", ""])
    return {
        "cmd": st.one_of(COMMANDS, st.lists(COMMANDS, max_size=3), NUMBERS),
        "description": TEXT,
        "cwd": st.sampled_from([".", "sub", "missing", "sub/../sub", "\x00", "/", "${A}"]),
        "deps": st.lists(task_names, max_size=3),
        "deps_serial": st.lists(task_names, max_size=3),
        "env": st.dictionaries(ENV_NAMES, ENV_VALUES, max_size=3),
        "retry": st.one_of(NUMBERS, st.fixed_dictionaries({}, optional={
            "count": NUMBERS, "delay": DURATIONS, "backoff": NUMBERS,
            "max_delay": DURATIONS})),
        "timeout": DURATIONS,
        "allow_failure": st.one_of(st.booleans(), NUMBERS),
        "max_concurrent": NUMBERS,
        "shell": st.one_of(st.sampled_from(["sh", "bash", "sh\x00", "", "'unclosed",
                                            "nosuchshell-zr"]),
                           st.lists(st.sampled_from(["sh", "-c", "-e", "\x00"]), max_size=3)),
        "private": st.booleans(),
        "aliases": st.lists(st.sampled_from(["al", "t0", ""]), max_size=2),
        "finally": st.one_of(COMMANDS, st.lists(COMMANDS, max_size=2)),
        "condition": EXPRESSIONS,
        "require": st.lists(st.one_of(EXPRESSIONS, st.fixed_dictionaries(
            {"if": EXPRESSIONS}, optional={"message": TEXT})), max_size=2),
        "matrix": st.one_of(
            st.dictionaries(st.sampled_from(["py", "os", "bad name", "x"]),
                            st.lists(st.one_of(TEXT, NUMBERS), max_size=3), max_size=2),
            st.just({"a": list(range(200)), "b": list(range(200))})),
        "cache": st.one_of(st.booleans(), TEXT),
        "inputs": st.lists(st.sampled_from(["src/**", "nope/*", "", "!x", "["]), max_size=2),
        "outputs": st.lists(st.sampled_from(["out", "dist/**", ""]), max_size=2),
        "params": st.dictionaries(st.sampled_from(["p", "bad-name"]), st.one_of(
            TEXT, NUMBERS), max_size=1),
    }


def usual_values(names: list) -> dict:
    """Values a careful user writes, so that many projects pass validation
    and get run, each with a few hostile values mixed in."""
    durations = st.sampled_from(["10ms", "1s", "5m", 0, 2.5, "7d"])
    return {
        "cmd": COMMANDS, "description": st.text(max_size=5), "cwd": st.sampled_from([".", "sub"]),
        "deps": st.lists(st.sampled_from(names), max_size=2, unique=True),
        "deps_serial": st.lists(st.sampled_from(names), max_size=2, unique=True),
        "env": st.dictionaries(st.sampled_from(["A", "B", "PATH_X"]), st.one_of(
            st.sampled_from(["x", "${A}/y", "$$", "${NOPE:-d}"]), st.integers(-9, 9),
            st.booleans()), max_size=2),
        "retry": st.one_of(st.integers(0, 2), st.fixed_dictionaries({}, optional={
            "count": st.integers(0, 2), "backoff": st.sampled_from([1, 2.0, 100])})),
        "timeout": durations, "allow_failure": st.booleans(),
        "max_concurrent": st.integers(1, 3), "shell": st.sampled_from(["sh", "bash"]),
        "private": st.booleans(), "finally": COMMANDS,
        "condition": st.sampled_from(["true", "env.A == 'x'", "file.exists('zr.toml')",
                                      "platform == 'linux'", "shell('true')"]),
        "require": st.lists(st.sampled_from(["true", "env.A == 'x'"]), max_size=1),
        "matrix": st.dictionaries(st.sampled_from(["py", "os"]), st.lists(
            st.sampled_from(["a", "b", 3, True]), min_size=1, max_size=2, unique=True),
            min_size=1, max_size=2),
        "cache": st.booleans(),
        "inputs": st.lists(st.sampled_from(["src/**", "zr.toml"]), max_size=2),
        "outputs": st.lists(st.sampled_from(["src"]), max_size=1),
        "params": st.dictionaries(st.sampled_from(["p"]), st.sampled_from(["v", 1]),
                                  max_size=1),
        "aliases": st.just([]),
    }


@st.composite
def projects(draw) -> str:
    """The text of a zr.toml with up to three tasks."""
    names = [f"t{i}" for i in range(draw(st.integers(1, 3)))]
    hostile, usual = field_values(names), usual_values(names)
    hostile_left = [draw(st.integers(0, 2))]

    class Fields(dict):
        def __getitem__(self, key):
            if hostile_left[0] > 0 and draw(st.booleans()):
                hostile_left[0] -= 1
                return hostile[key]
            return usual[key]

    fields = Fields(hostile)
    lines = []
    if draw(st.booleans()):
        lines.append("[settings]")
        for key, strategy in (
                ("jobs", st.one_of(st.integers(1, 4), st.integers(1, 4), NUMBERS)),
                ("kill_grace", st.one_of(st.sampled_from(["1s", 0.5]), DURATIONS)),
                ("default", st.sampled_from(names + ["nope"])),
                ("shell", st.sampled_from(["sh", "bash", "sh\x00"]))):
            if draw(st.booleans()):
                lines.append(f"{key} = {toml(draw(strategy))}")
    if draw(st.booleans()):
        lines.append("[env]")
        env_names = st.one_of(st.sampled_from(["A", "B"]), st.sampled_from(["A", "B"]), ENV_NAMES)
        env_values = st.one_of(st.sampled_from(["x", "${A}/z", "$$y"]), ENV_VALUES)
        for name, value in draw(st.dictionaries(env_names, env_values, max_size=3)).items():
            lines.append(f"{toml(name)} = {toml(value)}")
    for name in names:
        lines.append(f"[tasks.{name}]")
        chosen = draw(st.lists(st.sampled_from(sorted(fields)), max_size=4, unique=True))
        if "cmd" not in chosen and draw(st.booleans()):
            chosen.append("cmd")
        for key in chosen:
            lines.append(f"{key} = {toml(draw(fields[key]))}")
    if draw(st.sampled_from([False] * 9 + [True])):  # now and then, nesting beyond the limit
        lines.append("deep = " + "[" * 150 + "]" * 150)
    return "\n".join(lines) + "\n"


# -- the property ----------------------------------------------------------------


def zr(project_dir, home, *args):
    env = {**os.environ, "ZR_HOME": str(home), "NO_COLOR": "1", "A": "x"}
    env.pop("ZR_CACHE_DIR", None)
    return subprocess.run([zr_executable(), *args], cwd=project_dir, env=env,
                          capture_output=True, text=True, timeout=RUN_BOUND,
                          stdin=subprocess.DEVNULL)


def could_wait_long(text: str) -> bool:
    """A failing command with retries and a delay may legitimately take as
    long as it says; such a project is validated but not run."""
    return "retry" in text and ("delay" in text or "max_delay" in text)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory, zr_plugin_index):
    import shutil

    root = tmp_path_factory.mktemp("fuzz")
    project, home = root / "project", root / "home"
    (project / "sub").mkdir(parents=True)
    (project / "src").mkdir()
    (project / "src" / "a.txt").write_text("a\n")
    if zr_plugin_index.is_dir():
        shutil.copytree(zr_plugin_index, home / "cache" / "plugins")
    return project, home


@settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=projects())
def test_validate_answers_cleanly_and_what_it_accepts_runs_to_an_end(fuzz_project, text):
    project, home = fuzz_project
    (project / "zr.toml").write_text(text, encoding="utf-8")
    checked = zr(project, home, "validate")
    assert "Traceback" not in checked.stderr, text + checked.stderr
    assert checked.returncode in (0, 2), text + checked.stderr
    event(f"validate exit {checked.returncode}")
    if checked.returncode == 0:
        listed = zr(project, home, "list")
        assert listed.returncode == 0 and "Traceback" not in listed.stderr, text + listed.stderr
    if checked.returncode != 0 or could_wait_long(text):
        return
    names = [line[len("[tasks."):-1] for line in text.splitlines()
             if line.startswith("[tasks.")]
    ran = zr(project, home, "run", "-k", *names)
    event(f"run exit {ran.returncode}")
    assert "Traceback" not in ran.stderr, text + ran.stderr
    assert ran.returncode in (0, 1, 2, 127), text + ran.stdout + ran.stderr
