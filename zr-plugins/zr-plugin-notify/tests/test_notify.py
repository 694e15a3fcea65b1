"""Notifications as a user meets them: real `zr` runs against real local HTTP servers."""

from __future__ import annotations

import os

FAILING = """
    [tasks.build]
    cmd = "echo building"

    [tasks.test]
    cmd = "echo testing; exit 42"
    deps = ["build"]
    """

PASSING = """
    [tasks.build]
    cmd = "echo building"
    """


def webhook(fmt: str = "json", on: str = "always", extra: str = "") -> str:
    return f"""
    [[notify.webhooks]]
    url_env = "ZR_TEST_HOOK"
    format = "{fmt}"
    on = "{on}"
    {extra}
    """


def test_a_failed_run_posts_json_with_the_failing_task(zr_project, http_recorder):
    zr_project.write(FAILING + webhook("json", "failure"))
    result = zr_project.run("run", "test", env={"ZR_TEST_HOOK": http_recorder.url + "/hook"})
    assert result.returncode == 1
    (request,) = http_recorder.wait_for_requests(1)
    assert (request.method, request.path) == ("POST", "/hook")
    assert request.headers["Content-Type"] == "application/json"
    body = request.json()
    assert body["outcome"] == "failed" and body["exit_code"] == 1
    assert body["failed"] == ["test"] and body["targets"] == ["test"]
    assert {t["task"]: t["exit_code"] for t in body["tasks"]} == {"build": 0, "test": 42}
    assert "zr test failed in project (exit 1" in body["text"]
    assert "test failed (exit 42)" in body["text"]


def test_slack_and_discord_formats(zr_project, http_recorder):
    zr_project.write(FAILING + """
    [[notify.webhooks]]
    url_env = "ZR_SLACK"
    format = "slack"
    on = "always"

    [[notify.webhooks]]
    url_env = "ZR_DISCORD"
    format = "discord"
    on = "always"
    """)
    zr_project.run("run", "test", env={"ZR_SLACK": http_recorder.url + "/slack",
                                       "ZR_DISCORD": http_recorder.url + "/discord"})
    bodies = {r.path: r.json() for r in http_recorder.wait_for_requests(2)}
    assert set(bodies["/slack"]) == {"text"}
    assert bodies["/slack"]["text"].startswith(":x: zr test failed in project")
    assert bodies["/discord"]["username"] == "zr"
    assert bodies["/discord"]["content"].startswith("zr test failed in project")


def test_on_decides_which_outcomes_are_sent(zr_project, http_recorder):
    zr_project.write(PASSING + webhook("json", "failure"))
    env = {"ZR_TEST_HOOK": http_recorder.url}
    assert zr_project.run("run", "build", env=env).returncode == 0
    zr_project.write(PASSING + webhook("json", "success"))
    assert zr_project.run("run", "build", env=env).returncode == 0
    (request,) = http_recorder.wait_for_requests(1)
    assert request.json()["outcome"] == "succeeded"
    zr_project.write(FAILING + webhook("json", "success"))
    assert zr_project.run("run", "test", env=env).returncode == 1
    assert len(http_recorder.requests) == 1  # each zr run waits for its own deliveries


def test_a_hanging_endpoint_cannot_hold_the_run(zr_project, hanging_server):
    zr_project.write(FAILING + webhook("json", "always", 'timeout = "1s"\nretries = 5'))
    result = zr_project.run("run", "test", env={"ZR_TEST_HOOK": hanging_server.url},
                            timeout=20)
    assert result.returncode == 1  # the task's failure, unchanged
    assert "testing" in result.stdout
    assert result.stderr.count("warning: notification to webhook $ZR_TEST_HOOK failed") == 1
    assert "timed out after 1s" in result.stderr
    assert hanging_server.connection_count >= 1


def test_a_dead_endpoint_warns_once_and_the_exit_code_is_unchanged(zr_project, tmp_path):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    zr_project.write(PASSING + webhook("json", "always", 'retries = 2\ntimeout = "3s"'))
    result = zr_project.run("run", "build", env={"ZR_TEST_HOOK": f"http://127.0.0.1:{port}"})
    assert result.returncode == 0
    assert result.stderr.count("warning: notification to webhook") == 1
    assert "cannot connect" in result.stderr


def test_server_errors_are_retried_client_errors_are_not(zr_project, http_recorder):
    zr_project.write(PASSING + webhook("json", "always", "retries = 2"))
    env = {"ZR_TEST_HOOK": http_recorder.url}
    http_recorder.enqueue(503)
    http_recorder.enqueue(200)
    result = zr_project.run("run", "build", env=env)
    assert len(http_recorder.wait_for_requests(2)) == 2
    assert "warning" not in result.stderr
    http_recorder.respond_with(404, "no such hook")
    result = zr_project.run("run", "build", env=env)
    assert len(http_recorder.requests) == 3
    assert "failed (HTTP 404 Not Found)" in result.stderr
    assert result.returncode == 0


def test_an_unset_url_variable_sends_nothing_and_says_so_only_when_verbose(zr_project,
                                                                           http_recorder):
    zr_project.write(PASSING + webhook())
    quiet = zr_project.run("run", "build")
    assert quiet.returncode == 0 and "ZR_TEST_HOOK" not in quiet.stderr
    verbose = zr_project.run("run", "build", "--verbose")
    assert "webhook ZR_TEST_HOOK skipped: the variable is not set" in verbose.stderr
    assert http_recorder.requests == []


def test_a_url_written_into_zr_toml_is_refused(zr_project):
    zr_project.write(PASSING + """
    [[notify.webhooks]]
    url_env = "https://hooks.slack.com/services/T000/B000/XXXX"
    """)
    result = zr_project.run("run", "build")
    assert result.returncode == 2
    assert ("zr.toml:5: notify.webhooks[0].url_env: put the URL in an environment variable"
            in result.stderr)


def test_desktop_notifications_use_notify_send_and_are_skipped_without_it(zr_project,
                                                                          tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "notify-send.args"
    script = bin_dir / "notify-send"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\n')
    script.chmod(0o755)
    zr_project.write(FAILING + '[notify]\ndesktop = true\non = "failure"\n')
    with_tool = zr_project.run("run", "test",
                               env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    assert with_tool.returncode == 1
    args = record.read_text().splitlines()
    assert args[:2] == ["--app-name=zr", "zr: failed"]
    assert args[2].startswith("zr test failed in project")
    plain_path = {"PATH": "/bin:/usr/bin"}  # the zr script itself is run by absolute path
    without = zr_project.run("run", "test", env=plain_path)
    assert without.returncode == 1 and "desktop" not in without.stderr
    verbose = zr_project.run("run", "test", "-v", env=plain_path)
    assert "desktop notification skipped: no notify-send or osascript on PATH" in verbose.stderr


def test_config_mistakes_name_the_key(zr_project):
    zr_project.write(PASSING + """
    [notify]
    on = "sometimes"
    """)
    result = zr_project.run("run", "build")
    assert result.returncode == 2
    assert "zr.toml:5: notify.on: expected one of 'failure', 'success', 'always'" in result.stderr
    zr_project.write(PASSING + """
    [[notify.webhooks]]
    url_env = "HOOK"
    timout = "3s"
    """)
    result = zr_project.run("run", "build")
    assert "notify.webhooks[0].timout: unknown key 'timout' (did you mean 'timeout'?)" \
        in result.stderr
