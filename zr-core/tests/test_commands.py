"""`zr list`, `graph`, `init`, `completion` and `--help`, as a user sees them."""

import json


PROJECT = """
    [tasks.test]
    description = "Run the tests"
    deps = ["build"]
    cmd = "true"
    [tasks.build]
    description = "Compile everything"
    deps = ["_gen"]
    aliases = ["b"]
    cmd = "true"
    [tasks._gen]
    cmd = "true"
    [tasks.lint]
    cmd = "true"
    private = false
    [tasks.secret]
    private = true
    cmd = "echo secret ran"
"""


def test_list_sorted_with_descriptions_hiding_private(zr_project):
    zr_project.write(PROJECT)
    result = zr_project.run("list")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "build (b)  Compile everything",
        "lint",
        "test       Run the tests",
    ]
    unsorted = zr_project.run("list", "--unsorted").stdout.splitlines()
    assert [line.split()[0] for line in unsorted] == ["test", "build", "lint"]
    rows = json.loads(zr_project.run("list", "--format", "json").stdout)
    assert [r["name"] for r in rows] == ["build", "lint", "test"]
    assert rows[0] == {"name": "build", "description": "Compile everything",
                       "deps": ["_gen"], "aliases": ["b"], "kind": "task"}


def test_private_task_refused_on_command_line_but_runs_as_dependency(zr_project):
    zr_project.write(PROJECT + '\n[tasks.uses_secret]\ndeps = ["secret"]\ncmd = "true"\n')
    refused = zr_project.run("run", "secret")
    assert refused.returncode == 2
    assert "task 'secret' is private" in refused.stderr
    ok = zr_project.run("run", "uses_secret")
    assert ok.returncode == 0 and "secret ran" in ok.stdout


def test_alias_runs_the_task(zr_project):
    zr_project.write(PROJECT)
    result = zr_project.run("b", "-v")
    assert result.returncode == 0
    assert "build $ true" in result.stderr


def test_graph_ascii_tree_and_json(zr_project):
    zr_project.write(PROJECT)
    assert zr_project.run("graph", "test").stdout == (
        "test\n"
        "└── build\n"
        "    └── _gen\n")
    everything = zr_project.run("graph").stdout
    assert everything.startswith("lint\n") and "test\n└── build" in everything
    payload = json.loads(zr_project.run("graph", "test", "--format", "json").stdout)
    assert payload["roots"] == ["test"]
    assert {(e["from"], e["to"]) for e in payload["edges"]} == {("test", "build"),
                                                                ("build", "_gen")}
    layers = {n["name"]: n["layer"] for n in payload["nodes"]}
    assert layers == {"_gen": 0, "build": 1, "test": 2}


def test_graph_marks_repeated_subtrees(zr_project):
    zr_project.write("""
        [tasks.base]
        cmd = "true"
        [tasks.mid]
        deps = ["base"]
        [tasks.left]
        deps = ["mid"]
        [tasks.top]
        deps = ["left", "mid"]
    """)
    assert zr_project.run("graph", "top").stdout == (
        "top\n├── left\n│   └── mid\n│       └── base\n└── mid (see above)\n")


def test_init_detects_project_files_and_refuses_to_overwrite(zr_project):
    zr_project.file("package.json", '{"scripts": {"build": "tsc", "test": "jest"}}')
    zr_project.file("go.mod", "module example.com/x\n")
    result = zr_project.run("init")
    assert result.returncode == 0, result
    listing = zr_project.run("list").stdout
    assert "build" in listing and "package.json script 'test'" in listing
    assert "Vet the Go code" in listing
    assert zr_project.run("run", "lint", "--dry-run").stdout.splitlines()[1] == \
        "  $ go vet ./..."
    again = zr_project.run("init")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert zr_project.run("init", "--force").returncode == 0


def test_completion_scripts_and_task_name_completion(zr_project):
    zr_project.write(PROJECT)
    for shell in ("bash", "zsh", "fish"):
        script = zr_project.run("completion", shell)
        assert script.returncode == 0 and "_ZR_COMPLETE" in script.stdout
    env = {"_ZR_COMPLETE": "bash_complete", "COMP_WORDS": "zr run b", "COMP_CWORD": "2"}
    completed = zr_project.run(env=env)
    assert "plain,build" in completed.stdout and "plain,b" in completed.stdout


def test_help_lists_commands_and_options(zr_project):
    result = zr_project.run("--help")
    assert result.returncode == 0
    for word in ("run", "list", "graph", "validate", "init", "completion", "plugins",
                 "--jobs", "--dry-run", "--keep-going"):
        assert word in result.stdout
    bad = zr_project.run("--no-such-flag")
    assert bad.returncode == 2 and "No such option" in bad.stderr


def test_bare_zr_runs_the_default_task_or_shows_help(zr_project):
    zr_project.write('[settings]\ndefault = "hello"\n[tasks.hello]\ncmd = "echo hi"\n')
    assert "hello | hi" in zr_project.run().stdout
    zr_project.write('[tasks.hello]\ncmd = "echo hi"\n')
    assert "Usage: zr" in zr_project.run().stdout
