"""The cache as one developer sees it: `zr run` twice, change things, look inside."""

import os
import shutil


def test_second_run_restores_outputs_and_replays_the_log(checkouts):
    project = checkouts.new()
    first = project.run("run", "build")
    assert first.returncode == 0, first.output
    built = checkouts.tree(project.path / "dist")
    shutil.rmtree(project.path / "dist")

    second = project.run("run", "build")
    assert second.returncode == 0, second.output
    assert checkouts.runs() == 1
    assert checkouts.tree(project.path / "dist") == built
    assert "build | compiling hello" in second.stdout
    assert "build | a note on stderr" in second.stderr
    assert "build cached" in second.stderr
    assert "1 cached" in second.stderr


def test_changing_renaming_or_deleting_an_input_runs_the_task_again(checkouts):
    project = checkouts.new(files={"src/main.txt": "hello\n", "src/other.txt": "x\n"})
    assert project.run("run", "build").returncode == 0
    (project.path / "src" / "main.txt").write_text("changed\n")
    assert project.run("run", "build").returncode == 0
    assert checkouts.runs() == 2
    os.rename(project.path / "src" / "other.txt", project.path / "src" / "renamed.txt")
    assert project.run("run", "build").returncode == 0
    assert checkouts.runs() == 3
    (project.path / "src" / "renamed.txt").unlink()
    assert project.run("run", "build").returncode == 0
    assert checkouts.runs() == 4
    assert project.run("run", "build").returncode == 0
    assert checkouts.runs() == 4


def test_env_inputs_are_part_of_the_key(checkouts):
    project = checkouts.new()
    text = (project.path / "zr.toml").read_text()
    (project.path / "zr.toml").write_text(text.replace('outputs = ["dist"]',
                                                       'outputs = ["dist"]\nenv_inputs = ["MODE"]'))
    for mode, expected_runs in (("dev", 1), ("dev", 1), ("prod", 2), ("dev", 2)):
        result = project.run("run", "build", env={"MODE": mode})
        assert result.returncode == 0, result.output
        assert checkouts.runs() == expected_runs


def test_a_failed_run_is_never_stored(checkouts):
    project = checkouts.new(extra="""
        [tasks.flaky]
        cmd = 'echo try >> "{}"; test -f ok'
        cache = true
        inputs = ["src/**"]
    """.format(checkouts.base / "flaky-runs.txt"))
    assert project.run("run", "flaky").returncode == 1
    project.file("ok", "")
    assert project.run("run", "flaky").returncode == 0
    assert project.run("run", "flaky").returncode == 0
    assert (checkouts.base / "flaky-runs.txt").read_text().count("try") == 2


def test_a_declared_output_that_was_not_produced_fails_the_task(checkouts):
    project = checkouts.new(extra="""
        [tasks.lazy]
        cmd = "mkdir -p out && echo made > out/a.txt"
        cache = true
        inputs = ["src/**"]
        outputs = ["out/a.txt", "out/report.html"]

        [tasks.after]
        cmd = "echo after"
        deps = ["lazy"]
    """)
    result = project.run("run", "after")
    assert result.returncode == 1
    assert "declared output 'out/report.html' was not produced" in result.stderr
    assert "after |" not in result.stdout
    again = project.run("run", "lazy")
    assert again.returncode == 1, "a run with a missing output must not have been stored"


def test_outputs_and_inputs_are_relative_to_the_task_cwd(checkouts):
    project = checkouts.new(extra="""
        [tasks.pkg]
        cwd = "packages/web"
        cmd = 'echo pkg >> "{}"; mkdir -p build; cp index.txt build/'
        cache = true
        inputs = ["index.txt"]
        outputs = ["build"]
    """.format(checkouts.base / "pkg-runs.txt"),
        files={"src/main.txt": "x", "packages/web/index.txt": "web"})
    assert project.run("run", "pkg").returncode == 0
    shutil.rmtree(project.path / "packages" / "web" / "build")
    result = project.run("run", "pkg")
    assert result.returncode == 0, result.output
    assert (project.path / "packages/web/build/index.txt").read_text() == "web"
    assert (checkouts.base / "pkg-runs.txt").read_text() == "pkg\n"


def test_a_corrupted_local_entry_is_a_miss_never_restored(checkouts):
    project = checkouts.new()
    assert project.run("run", "build").returncode == 0
    entries = list((project.home / "cache" / "tasks" / "entries").rglob("*.zrc"))
    assert len(entries) == 1
    data = bytearray(entries[0].read_bytes())
    data[len(data) // 2] ^= 0x55
    entries[0].write_bytes(bytes(data))
    shutil.rmtree(project.path / "dist")

    result = project.run("run", "build")
    assert result.returncode == 0, result.output
    assert checkouts.runs() == 2
    assert (project.path / "dist" / "app.bin").read_text() == "hello\nhello\n"
    assert "cached" not in result.stderr


def test_no_cache_and_force_run_the_task(checkouts):
    project = checkouts.new()
    assert project.run("run", "build").returncode == 0
    assert project.run("run", "build", "--no-cache").returncode == 0
    assert checkouts.runs() == 2
    assert project.run("run", "build", "--force").returncode == 0
    assert checkouts.runs() == 3
    assert project.run("run", "build").returncode == 0
    assert checkouts.runs() == 3


def test_dependencies_keys_are_part_of_the_key(checkouts):
    project = checkouts.new(extra="""
        [tasks.gen]
        cmd = "cat version.txt > src/generated.txt"

        [tasks.pack]
        cmd = 'echo pack >> "{}"'
        deps = ["gen"]
        cache = true
        inputs = ["README"]
    """.format(checkouts.base / "pack-runs.txt"), files={"src/main.txt": "x", "version.txt": "1",
                                                         "README": "r"})
    assert project.run("run", "pack").returncode == 0
    assert project.run("run", "pack").returncode == 0
    project.file("version.txt", "2")
    assert project.run("run", "pack").returncode == 0
    assert (checkouts.base / "pack-runs.txt").read_text() == "pack\npack\n"


def test_replayed_output_follows_the_output_mode(checkouts):
    project = checkouts.new()
    assert project.run("run", "build").returncode == 0
    shutil.rmtree(project.path / "dist")
    grouped = project.run("run", "build", "--output", "group")
    assert grouped.returncode == 0, grouped.output
    assert "build | compiling hello" in grouped.stdout
    quiet = project.run("run", "build", "--output", "errors-only")
    assert quiet.returncode == 0, quiet.output
    assert "compiling" not in quiet.stdout
