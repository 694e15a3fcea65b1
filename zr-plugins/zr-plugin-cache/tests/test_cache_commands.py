"""`zr cache stats|clean|key`, shared stores, and mistakes in [cache]."""

import os
import shutil
import time


def test_two_zr_processes_storing_the_same_key_at_once_lose_nothing(checkouts, tmp_path):
    store = tmp_path / "shared-store"
    setting = f'[cache]\ndir = "{store}"\n'
    first, second = checkouts.new(setting), checkouts.new(setting)
    running = [first.popen("run", "build"), second.popen("run", "build")]
    for process in running:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    entries = list((store / "entries").rglob("*"))
    assert [p.suffix for p in entries if p.is_file()] == [".zrc"]
    shutil.rmtree(first.path / "dist")
    hit = first.run("run", "build")
    assert hit.returncode == 0 and "build cached" in hit.stderr
    assert checkouts.tree(first.path / "dist") == checkouts.tree(second.path / "dist")


def test_stats_and_clean_report_on_the_local_store(checkouts):
    project = checkouts.new('[cache]\nmax_size = "200MB"\n')
    assert project.run("run", "build").returncode == 0
    stats = project.run("cache", "stats")
    assert stats.returncode == 0, stats.output
    assert f"location: {project.home / 'cache' / 'tasks'}" in stats.stdout
    assert "entries:  1" in stats.stdout
    assert "of 200.0 MB" in stats.stdout

    kept = project.run("cache", "clean", "--older-than", "7d")
    assert kept.stdout.strip() == "removed 0 entries, freed 0 B"
    entry = next((project.home / "cache" / "tasks" / "entries").rglob("*.zrc"))
    eight_days_ago = time.time() - 8 * 86400
    os.utime(entry, (eight_days_ago, eight_days_ago))
    cleaned = project.run("cache", "clean", "--older-than", "7d")
    assert cleaned.stdout.startswith("removed 1 entry, freed ")
    assert "entries:  0" in project.run("cache", "stats").stdout

    bad = project.run("cache", "clean", "--older-than", "a week")
    assert bad.returncode == 2
    assert "--older-than" in bad.stderr and "Traceback" not in bad.stderr


def test_key_explain_shows_what_went_into_the_key(checkouts):
    project = checkouts.new(files={"src/main.txt": "hello\n", "src/lib/util.txt": "u"})
    explained = project.run("cache", "key", "build", "--explain")
    assert explained.returncode == 0, explained.output
    lines = explained.stdout.splitlines()
    assert len(lines[0]) == 64
    labels = [line.split()[0] + (" " + line.split()[1] if line.split()[0] == "input" else "")
              for line in lines[1:]]
    for expected in ("algorithm", "zr", "platform", "task", "cwd", "command", "env",
                     "outputs", "input src/lib/util.txt", "input src/main.txt"):
        assert expected in labels
    (project.path / "src" / "main.txt").write_text("changed\n")
    assert project.run("cache", "key", "build").stdout.split()[0] != lines[0]

    unknown = project.run("cache", "key", "biuld")
    assert unknown.returncode == 2 and "did you mean 'build'" in unknown.stderr


def test_mistakes_in_the_cache_table_are_one_line_errors(checkouts):
    cases = {
        'max_size = "lots"': 'cache.max_size: expected a size like',
        "read_only = 1": "cache.read_only: expected true or false",
        'remote = { type = "http", url = "http://x", token = "s3cr3t" }':
            "cache.remote.token: secrets do not belong in zr.toml",
        'remote = { url = "http://x" }': 'cache.remote: missing type = "http"',
        'remote = { type = "http", url = "http://x", tokn_env = "T" }':
            "cache.remote.tokn_env: unknown setting 'tokn_env' for remote type \"http\" "
            "(did you mean 'token_env'?)",
        'remote = { type = "http", url = "http://x", tokenenv = "T" }':
            "cache.remote.tokenenv: secrets do not belong in zr.toml ('tokenenv' looks like one "
            "(did you mean 'token_env'?))",
        'remote = { type = "turbo", url = "http://x", team = "t", api_key = "k" }':
            "cache.remote.api_key: secrets do not belong in zr.toml ('api_key' looks like one)",
        'remote = { type = "http" }': 'cache.remote: the http remote cache needs url = "..."',
        'colour = "blue"': "cache.colour: unknown key 'colour'",
    }
    for line, message in cases.items():
        project = checkouts.new(f"[cache]\n{line}\n")
        result = project.run("run", "build")
        assert result.returncode == 2, (line, result.output)
        assert message in result.stderr, (line, result.stderr)
        assert "Traceback" not in result.stderr


def test_an_unknown_remote_type_lists_the_installed_ones(checkouts):
    project = checkouts.new('[cache]\nremote = { type = "pigeon", url = "coop://" }\n')
    result = project.run("run", "build")
    assert result.returncode == 2
    assert 'no installed plugin provides the remote cache type "pigeon"' in result.stderr
    assert "http" in result.stderr and "turbo" in result.stderr
    assert checkouts.runs() == 0


def test_other_plugins_add_to_the_key_through_the_hook(checkouts):
    project = checkouts.new()
    project.file("plugins/toolchain_version.py", '''
        import os
        from zr import hookimpl

        @hookimpl
        def zr_cache_key(task, hasher, run):
            hasher.update("toolchain", os.environ.get("FAKE_TOOLCHAIN", "1.0"))
    ''')
    env = {"ZR_PLUGINS": "toolchain_version", "PYTHONPATH": str(project.path / "plugins")}
    explained = project.run("cache", "key", "build", "--explain", env=env)
    assert explained.returncode == 0, explained.output
    assert "toolchain" in explained.stdout and "1.0" in explained.stdout
    assert project.run("run", "build", env=env).returncode == 0
    assert project.run("run", "build", env=env).returncode == 0
    assert checkouts.runs() == 1
    upgraded = project.run("run", "build", env={**env, "FAKE_TOOLCHAIN": "2.0"})
    assert upgraded.returncode == 0 and checkouts.runs() == 2
