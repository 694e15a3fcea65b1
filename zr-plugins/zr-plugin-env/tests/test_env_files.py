"""`.env` files as a user meets them: the real `zr` command on temporary projects."""

from __future__ import annotations

import itertools
import re

# Lowest precedence first (DESIGN: .env files only fill in what is unset).
LAYERS = ("dotenv", "env_file", "process", "table", "task", "cli")


def task_line(result, task: str) -> list:
    """The lines ``task`` printed, without zr's ``task | `` prefix."""
    return re.findall(rf"^{re.escape(task)} *\| (.*)$", result.stdout, re.MULTILINE)


def test_precedence_matrix_every_combination_of_layers(zr_project):
    """Each variable is set in one combination of layers; the highest layer wins."""
    combos = [c for n in range(1, len(LAYERS) + 1) for c in itertools.combinations(LAYERS, n)]
    names = {combo: "V_" + "_".join(combo).upper() for combo in combos}
    lines = {layer: [] for layer in LAYERS}
    for combo, name in names.items():
        for layer in combo:
            lines[layer].append((name, layer))
    zr_project.file(".env", "".join(f"{k}={v}\n" for k, v in lines["dotenv"]))
    zr_project.file(".env.extra", "".join(f"{k}={v}\n" for k, v in lines["env_file"]))
    table = "".join(f'{k} = "{v}"\n' for k, v in lines["table"])
    task_env = ", ".join(f'{k} = "{v}"' for k, v in lines["task"])
    zr_project.write(f"""
        [env]
        {table.replace(chr(10), chr(10) + ' ' * 8)}
        [tasks.show]
        cmd = "env | grep '^V_' | sort"
        env_file = ".env.extra"
        env = {{ {task_env} }}
        """)
    cli = [arg for k, v in lines["cli"] for arg in ("--env", f"{k}={v}")]
    result = zr_project.run("run", "show", *cli, env=dict(lines["process"]))
    assert result.returncode == 0, result.output
    seen = dict(line.split("=", 1) for line in task_line(result, "show"))
    expected = {name: combo[-1] for combo, name in names.items()}
    assert seen == expected


def test_dotenv_next_to_zr_toml_is_loaded_from_a_subdirectory(zr_project):
    zr_project.file(".env", "GREETING=hello from .env\n")
    zr_project.file("sub/readme.txt", "")
    zr_project.write("""
        [tasks.greet]
        cmd = "echo $GREETING"
        cwd = "sub"
        """)
    result = zr_project.run("run", "greet", cwd=zr_project.path / "sub")
    assert result.returncode == 0, result.output
    assert task_line(result, "greet") == ["hello from .env"]


def test_interpolation_uses_process_env_then_earlier_lines_then_project_dotenv(zr_project):
    zr_project.file(".env", 'BASE=/opt/app\nUSER_DIR=${HOME_ROOT}/me\nQUOTED="a b"\n')
    zr_project.file(".env.paths", "BIN=${BASE}/bin\nLOGS=${LOG_DIR:-/var/log/app}\n"
                                  "DATA=${BIN}/../data\n")
    zr_project.write("""
        [tasks.show]
        cmd = "echo $BIN $LOGS $DATA $USER_DIR [$QUOTED]"
        env_file = [".env.paths"]
        """)
    result = zr_project.run("run", "show", env={"HOME_ROOT": "/home"})
    assert result.returncode == 0, result.output
    assert task_line(result, "show") == ["/opt/app/bin /var/log/app /opt/app/bin/../data "
                                         "/home/me [a b]"]


def test_later_env_files_win_over_earlier_ones_and_over_dotenv(zr_project):
    zr_project.file(".env", "MODE=dev\nONLY_DOTENV=1\n")
    zr_project.file(".env.test", "MODE=test\n")
    zr_project.file(".env.local", "MODE=local\n")
    zr_project.write("""
        [tasks.show]
        cmd = "echo $MODE $ONLY_DOTENV"
        env_file = [".env.test", { path = ".env.local", required = false }]
        """)
    result = zr_project.run("run", "show")
    assert task_line(result, "show") == ["local 1"], result.output


def test_a_missing_optional_file_is_fine(zr_project):
    zr_project.write("""
        [tasks.show]
        cmd = "echo ok"
        env_file = [{ path = ".env.local", required = false }]
        """)
    result = zr_project.run("run", "show")
    assert result.returncode == 0, result.output
    assert task_line(result, "show") == ["ok"]


def test_a_missing_required_file_stops_the_run_naming_the_task_and_file(zr_project):
    zr_project.write("""
        [tasks.first]
        cmd = "touch first-ran"

        [tasks.test]
        cmd = "echo testing"
        deps = ["first"]
        env_file = [".env.test"]
        """)
    result = zr_project.run("run", "test")
    assert result.returncode == 2
    assert ("zr.toml:7: tasks.test.env_file: env file '.env.test' not found"
            in result.stderr)
    assert "Traceback" not in result.output
    assert not (zr_project.path / "first-ran").exists()  # nothing started


def test_a_malformed_line_is_an_error_naming_file_and_line(zr_project):
    zr_project.file(".env", "GOOD=1\n# a comment\nthis is not an assignment\nLATER=2\n")
    zr_project.write("""
        [tasks.show]
        cmd = "echo $GOOD"
        """)
    result = zr_project.run("run", "show")
    assert result.returncode == 2
    assert ".env:3: malformed line 'this is not an assignment'" in result.stderr
    assert "Traceback" not in result.output
    assert task_line(result, "show") == []


def test_dotenv_false_and_no_dotenv_turn_the_project_file_off(zr_project):
    zr_project.file(".env", "FROM_FILE=yes\n")
    zr_project.file(".env.task", "FROM_TASK_FILE=yes\n")
    toml = """
        [tasks.show]
        cmd = "echo [$FROM_FILE] [$FROM_TASK_FILE]"
        env_file = ".env.task"
        """
    zr_project.write(toml)
    assert task_line(zr_project.run("run", "show"), "show") == ["[yes] [yes]"]
    assert task_line(zr_project.run("run", "show", "--no-dotenv"), "show") == ["[] [yes]"]
    zr_project.write("[settings]\ndotenv = false\n" + toml)
    assert task_line(zr_project.run("run", "show"), "show") == ["[] [yes]"]


def test_a_wrong_env_file_shape_is_a_config_error(zr_project):
    zr_project.write("""
        [tasks.show]
        cmd = "true"
        env_file = [{ file = ".env.test" }]
        """)
    result = zr_project.run("run", "show")
    assert result.returncode == 2
    assert "tasks.show.env_file: unknown key 'file'" in result.stderr
