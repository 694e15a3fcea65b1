"""`zr plugin search` against plugin indexes: the shipped one, files, and real
HTTP servers (good, failing, garbage and silent)."""

import json

import pytest

ACME = {
    "name": "acme-deploy", "summary": "Deploy to ACME cloud from zr tasks", "version": "2.1.0",
    "homepage": "https://acme.example/zr", "install": "git+https://git.acme.example/zr.git@v2",
    "requires_zr": ">=0.1,<0.2",
}
FUTURE = {
    "name": "zr-plugin-future", "summary": "Needs a zr that does not exist yet",
    "version": "9.0.0", "install": "zr-plugin-future", "requires_zr": ">=9",
}


def index_document(*entries) -> str:
    return json.dumps({"format": 1, "name": "test index", "plugins": list(entries)})


def test_the_official_index_lists_the_official_plugins(zr_project):
    result = zr_project.run("plugin", "search", "--json")

    assert result.returncode == 0, result.output
    names = [row["name"] for row in json.loads(result.stdout)]
    assert names == [f"zr-plugin-{n}" for n in (
        "workflows", "matrix", "profiles", "expr", "cache", "cache-s3", "cache-gcs",
        "cache-azure", "watch", "history", "env", "git", "notify", "docker", "toolchains",
        "workspace", "repos", "resources", "tui", "wasm", "dask", "manager")]


def test_search_marks_installed_plugins(zr_project):
    result = zr_project.run("plugin", "search", "PLUGIN MANAGER")

    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        "zr-plugin-manager 0.1.0  [installed 0.1.0]",
        "    Plugin manager: `zr plugin install/remove/update/info/search/create` and "
        "[plugins] required",
        "    installed; update with: zr plugin update manager",
    ]


def test_search_matches_names_and_summaries_ignoring_case(zr_project, tmp_path):
    (tmp_path / "index.json").write_text(index_document(ACME, FUTURE))

    def names(term):
        result = zr_project.run("plugin", "search", term, "--json", "--index",
                                str(tmp_path / "index.json"))
        return [row["name"] for row in json.loads(result.stdout)]

    assert names("acme CLOUD") == ["acme-deploy"]
    assert names("FUTURE") == ["zr-plugin-future"]
    assert names("zr") == ["acme-deploy", "zr-plugin-future"]


def test_search_with_no_match_says_so(zr_project):
    result = zr_project.run("plugin", "search", "kubernetes")

    assert result.returncode == 0
    assert result.stdout.startswith("no plugin matches 'kubernetes' in the index ")


def test_index_served_over_http(zr_project, http_recorder):
    http_recorder.respond_with(200, index_document(ACME, FUTURE),
                               {"Content-Type": "application/json"})

    result = zr_project.run("plugin", "search", "--index", f"{http_recorder.url}/index.json")

    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        "acme-deploy 2.1.0",
        "    Deploy to ACME cloud from zr tasks",
        "    install: zr plugin install acme-deploy",
        "zr-plugin-future 9.0.0  [needs zr-core >=9 (INCOMPATIBLE with this zr 0.1.0)]",
        "    Needs a zr that does not exist yet",
        "    install: zr plugin install future",
    ]
    request = http_recorder.requests[0]
    assert (request.method, request.path) == ("GET", "/index.json")
    assert request.headers["User-Agent"] == "zr-plugin-manager/0.1.0"


def test_index_from_zr_toml_relative_to_the_project(zr_project):
    zr_project.file("plugins/index.json", index_document(ACME))
    zr_project.write("""
        [plugins]
        index = "plugins/index.json"
    """)
    (zr_project.path / "sub").mkdir()

    result = zr_project.run("plugin", "search", "acme", cwd=zr_project.path / "sub")

    assert result.returncode == 0, result.output
    assert result.stdout.splitlines()[0] == "acme-deploy 2.1.0"


def test_environment_variable_beats_zr_toml_and_option_beats_both(zr_project, tmp_path):
    (tmp_path / "env.json").write_text(index_document(ACME))
    (tmp_path / "option.json").write_text(index_document(FUTURE))
    zr_project.write("""
        [plugins]
        index = "missing.json"
    """)
    env = {"ZR_PLUGIN_INDEX": str(tmp_path / "env.json")}

    from_env = zr_project.run("plugin", "search", "--json", env=env)
    from_option = zr_project.run("plugin", "search", "--json", "--index",
                                 (tmp_path / "option.json").as_uri(), env=env)

    assert [r["name"] for r in json.loads(from_env.stdout)] == ["acme-deploy"]
    assert [r["name"] for r in json.loads(from_option.stdout)] == ["zr-plugin-future"]


@pytest.mark.parametrize("status, body, why", [
    (404, "not here", "the server answered HTTP 404 Not Found"),
    (200, "<html>hello</html>", "it is not valid JSON"),
    (200, json.dumps({"plugins": {}}), 'expected a JSON object with a "plugins" array'),
    (200, json.dumps({"plugins": [{"name": "x"}]}), 'plugins[0] has no "install" string'),
    (200, json.dumps({"plugins": [{**ACME, "version": 2}]}),
     'plugins[0] ("acme-deploy"): "version" must be a string'),
    (200, json.dumps({"format": 2, "plugins": []}), 'it has "format": 2'),
])
def test_a_broken_index_is_one_clear_error(zr_project, http_recorder, status, body, why):
    http_recorder.respond_with(status, body)
    url = f"{http_recorder.url}/index.json"

    result = zr_project.run("plugin", "search", "--index", url)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"zr: error: cannot use the plugin index {url} (from "
                                     f"--index): {why}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_index_server_that_never_answers_times_out(zr_project, hanging_server):
    result = zr_project.run("plugin", "search", "--timeout", "0.5", "--index",
                            f"{hanging_server.url}/index.json")

    assert result.returncode == 2
    assert "no answer within 0.5 s" in result.stderr


def test_an_index_nobody_serves_is_one_clear_error(zr_project, tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free, and nothing listens once closed

    result = zr_project.run("plugin", "search", "--index", f"http://127.0.0.1:{port}/i.json")
    missing = zr_project.run("plugin", "search", "--index", str(tmp_path / "none.json"))

    assert result.returncode == 2
    assert "cannot connect (" in result.stderr
    assert missing.returncode == 2
    assert f"cannot use the plugin index {tmp_path / 'none.json'} (from --index): No such " \
           "file or directory" in missing.stderr


def test_install_refuses_what_the_index_says_needs_another_zr(zr_project, tmp_path):
    (tmp_path / "index.json").write_text(index_document(FUTURE))

    result = zr_project.run("plugin", "install", "future", "--index",
                            str(tmp_path / "index.json"))

    assert result.returncode == 2
    assert ("zr-plugin-future 9.0.0 needs zr-core >=9 (INCOMPATIBLE with this zr 0.1.0) "
            "(says the plugin index)") in result.stderr
    assert "installing" not in result.stderr


def test_an_index_entry_without_a_version_gives_no_broken_command(zr_project, tmp_path):
    unversioned = {key: value for key, value in FUTURE.items() if key != "version"}
    (tmp_path / "index.json").write_text(index_document(unversioned))

    result = zr_project.run("plugin", "install", "future", "--index",
                            str(tmp_path / "index.json"))

    assert result.returncode == 2
    assert ("zr-plugin-future needs zr-core >=9 (INCOMPATIBLE with this zr 0.1.0) (says the "
            "plugin index); install a version made for this zr, or upgrade zr") in result.stderr
    assert "<'" not in result.stderr
