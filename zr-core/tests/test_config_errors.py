"""Every bad input gets one clear paragraph, the right exit code, no traceback."""

import pytest

BAD_CONFIGS = [
    ("bad TOML syntax", '[tasks.a\ncmd = "x"\n',
     "zr.toml:1: invalid TOML: expected ']' at the end of a table declaration"),
    ("wrong type", '[tasks.build]\ncmd = "x"\nretry = "three"\n',
     'zr.toml:3: tasks.build.retry: expected a retry count or a table '
     '{ count, delay, backoff, max_delay }, got "three"'),
    ("wrong type in table", '[tasks.build]\ncmd = "x"\nretry = { count = "3" }\n',
     'zr.toml:3: tasks.build.retry.count: expected an integer from 0 to 1000, got "3"'),
    ("unknown task key", '[tasks.build]\ncmd = "x"\nretyr = 3\n',
     "zr.toml:3: tasks.build.retyr: unknown task field 'retyr' (did you mean 'retry'?)"),
    ("unknown section", '[taks.build]\ncmd = "x"\n',
     "zr.toml:1: taks: unknown section 'taks' (did you mean 'tasks'?)"),
    ("section no plugin provides", '[docker]\nimage = "x"\n',
     "zr.toml:1: docker: unknown section 'docker'; no installed plugin handles [docker]"),
    ("unknown dependency", '[tasks.build]\ncmd = "x"\ndeps = ["tset"]\n[tasks.test]\ncmd = "y"\n',
     "zr.toml:3: tasks.build.deps: depends on unknown task 'tset' (did you mean 'test'?)"),
    ("cycle", '[tasks.a]\ndeps = ["b"]\n[tasks.b]\ndeps = ["c"]\n[tasks.c]\ndeps = ["a"]\n'
     '[tasks.unrelated]\ncmd = "true"\n',
     "zr.toml:2: tasks.a.deps: dependency cycle: a -> b -> c -> a"),
    ("bad duration", '[tasks.a]\ncmd = "x"\ntimeout = "soon"\n',
     'zr.toml:3: tasks.a.timeout: expected a duration like "90s" or "5m", got "soon"'),
    ("bad env value", '[env]\nX = [1]\n',
     "zr.toml:2: env.X: expected a string, number or boolean, got an array"),
    ("bad shell", '[settings]\nshell = 3\n',
     'zr.toml:2: settings.shell: expected a shell like "bash" or ["bash", "-c"], got 3'),
    ("unknown setting", '[settings]\njbos = 3\n',
     "zr.toml:2: settings.jbos: unknown setting 'jbos' (did you mean 'jobs'?)"),
    ("bad task name", '[tasks."a b"]\ncmd = "x"\n', "task name 'a b' is not allowed"),
    ("not UTF-8", b'[tasks.a]\ncmd = "\xff"\n', "zr.toml: not valid UTF-8"),
]


@pytest.mark.parametrize("label,text,message", BAD_CONFIGS, ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_is_one_clear_error(zr_project, label, text, message):
    if isinstance(text, bytes):
        (zr_project.path / "zr.toml").write_bytes(text)
    else:
        (zr_project.path / "zr.toml").write_text(text)
    for args in (("list",), ("run", "unrelated"), ("validate",)):
        result = zr_project.run(*args)
        assert result.returncode == 2, (args, result)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_fixing_the_file_is_noticed_immediately(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo one"\nretry = "x"\n')
    assert zr_project.run("list").returncode == 2
    zr_project.write('[tasks.a]\ncmd = "echo fixed"\n')
    result = zr_project.run("run", "a")
    assert result.returncode == 0 and "fixed" in result.stdout


def test_validate_reports_ok_and_schema(zr_project):
    import json

    zr_project.write('[tasks.a]\ncmd = "true"\n[tasks.b]\ncmd = "true"\n')
    result = zr_project.run("validate")
    assert result.returncode == 0
    assert "zr.toml: valid (2 tasks)" in result.stdout
    schema = json.loads(zr_project.run("validate", "--schema").stdout)
    task_props = schema["properties"]["tasks"]["additionalProperties"]["properties"]
    for field in ("cmd", "deps", "deps_serial", "env", "retry", "timeout", "allow_failure",
                  "max_concurrent", "cwd", "description"):
        assert field in task_props
    assert schema["properties"]["settings"]["properties"]["jobs"]["type"] == "integer"
