"""Profiles as a user meets them: the real `zr` command on temporary projects."""

from __future__ import annotations

import re

import pytest

STACKED = """
    [env]
    STAGE = "base"

    [tasks.show]
    cmd = "echo stage=$STAGE region=$REGION"

    [profiles.ci]
    env = { STAGE = "ci", REGION = "eu" }

    [profiles.prod]
    env = { STAGE = "prod" }
"""


def printed_lines(result, task: str) -> list:
    return re.findall(rf"^{re.escape(task)} *\| (.*)$", result.output, re.MULTILINE)


def test_without_a_profile_the_base_configuration_applies(zr_project):
    zr_project.write(STACKED)
    result = zr_project.run("run", "show")
    assert result.returncode == 0, result.output
    assert printed_lines(result, "show") == ["stage=base region="]


@pytest.mark.parametrize("args, env, expected", [
    (["--profile", "ci", "--profile", "prod"], {}, "stage=prod region=eu"),
    (["--profile", "prod", "--profile", "ci"], {}, "stage=ci region=eu"),
    (["--profile", "ci,prod"], {}, "stage=prod region=eu"),
    (["--profile", "prod,ci"], {}, "stage=ci region=eu"),
    ([], {"ZR_PROFILE": "ci,prod"}, "stage=prod region=eu"),
    ([], {"ZR_PROFILE": "prod,ci"}, "stage=ci region=eu"),
])
def test_stacked_profiles_apply_in_order_and_the_later_one_wins(zr_project, args, env,
                                                                expected):
    zr_project.write(STACKED)
    result = zr_project.run("run", "show", *args, env=env)
    assert result.returncode == 0, result.output
    assert printed_lines(result, "show") == [expected]


def test_profiles_given_before_the_command_apply_too(zr_project):
    zr_project.write(STACKED)
    result = zr_project.run("--profile", "prod", "run", "show", "--no-color")
    assert result.returncode == 0, result.output
    assert printed_lines(result, "show") == ["stage=prod region="]


def test_an_unknown_profile_is_an_error_listing_the_known_ones(zr_project):
    zr_project.write(STACKED)
    result = zr_project.run("run", "show", "--profile", "prd")
    assert result.returncode == 2
    assert result.stderr.strip().endswith(
        "zr: error: unknown profile 'prd' (did you mean 'prod'?); the profiles in zr.toml "
        "are ci, prod")
    assert "stage=" not in result.stdout


def test_an_unknown_profile_from_the_environment_says_where_it_came_from(zr_project):
    zr_project.write(STACKED)
    result = zr_project.run("list", env={"ZR_PROFILE": "staging"})
    assert result.returncode == 2
    assert ("unknown profile 'staging'; the profiles in zr.toml are ci, prod "
            "(ZR_PROFILE is set to 'staging')") in result.stderr


def test_a_profile_asked_for_in_a_project_without_profiles(zr_project):
    zr_project.write('[tasks.show]\ncmd = "true"\n')
    result = zr_project.run("run", "show", "--profile", "ci")
    assert result.returncode == 2
    assert "unknown profile 'ci': zr.toml defines no [profiles]" in result.stderr


def test_a_profile_overrides_task_fields(zr_project):
    # Fails on its first attempt, succeeds on the second.
    zr_project.write("""
        [tasks.flaky]
        cmd = "test -f attempted || { touch attempted; echo first attempt; exit 1; }"
        description = "Sometimes fails"

        [profiles.ci.tasks.flaky]
        retry = 1
        description = "Retried on CI"
    """)
    plain = zr_project.run("run", "flaky")
    assert plain.returncode == 1
    (zr_project.path / "attempted").unlink()
    ci = zr_project.run("run", "flaky", "--profile", "ci")
    assert ci.returncode == 0, ci.output
    assert "flaky exit 1; retrying (1/1)" in ci.stderr
    listed = zr_project.run("list", "--profile", "ci")
    assert re.search(r"^flaky +Retried on CI$", listed.stdout, re.MULTILINE), listed.output


def test_task_env_is_merged_and_other_fields_replaced(zr_project):
    zr_project.write("""
        [tasks.deploy]
        cmd = "echo target=$TARGET region=$REGION"
        env = { TARGET = "staging", REGION = "eu" }

        [profiles.prod]
        env = { TARGET = "ignored: the task's own env is closer" }

        [profiles.prod.tasks.deploy]
        env = { TARGET = "production" }
        cmd = ["echo deploying", "echo target=$TARGET region=$REGION"]
    """)
    result = zr_project.run("run", "deploy", "--profile", "prod")
    assert result.returncode == 0, result.output
    assert printed_lines(result, "deploy") == ["deploying", "target=production region=eu"]
    overridden = zr_project.run("run", "deploy", "--profile", "prod", "-e", "TARGET=cli")
    assert printed_lines(overridden, "deploy")[-1] == "target=cli region=eu"


def test_a_profile_overrides_settings(zr_project):
    zr_project.write("""
        [settings]
        default = "quick"

        [tasks.quick]
        cmd = "echo quick"
        [tasks.full]
        cmd = "echo full"

        [profiles.ci.settings]
        default = "full"
        shell = ["bash", "-c"]
    """)
    plain = zr_project.run("run")
    assert printed_lines(plain, "quick") == ["quick"]
    ci = zr_project.run("run", "--profile", "ci")
    assert ci.returncode == 0, ci.output
    assert printed_lines(ci, "full") == ["full"]


def test_profile_overrides_come_before_matrix_expansion(zr_project):
    zr_project.write("""
        [tasks.test]
        cmd = "echo py ${matrix.py} mode=$MODE"
        matrix = { py = ["3.12"] }

        [profiles.ci.tasks.test]
        matrix = { py = ["3.11", "3.12", "3.13"] }
        env = { MODE = "ci" }
    """)
    plain = zr_project.run("list")
    assert plain.stdout.split() == ["test", "matrix:", "1", "cell", "over", "py",
                                    "test[py=3.12]"]
    ci = zr_project.run("run", "test", "--profile", "ci")
    assert ci.returncode == 0, ci.output
    for py in ("3.11", "3.12", "3.13"):
        assert printed_lines(ci, f"test[py={py}]") == [f"py {py} mode=ci"]


@pytest.mark.parametrize("profile, message", [
    ("""
        [profiles.ci.tasks.test]
        retry = "three"
     """, 'zr.toml:5: profiles.ci.tasks.test.retry: expected a retry count or a table'),
    ("""
        [profiles.ci.tasks.test]
        retri = 3
     """, "zr.toml:5: profiles.ci.tasks.test.retri: unknown task field 'retri' "
          "(did you mean 'retry'?)"),
    ("""
        [profiles.ci.tasks.tset]
        retry = 3
     """, "zr.toml:4: profiles.ci.tasks.tset: unknown task 'tset' (did you mean 'test'?)"),
    ("""
        [profiles.ci]
        descripton = "CI"
     """, "zr.toml:5: profiles.ci.descripton: unknown key 'descripton' (did you mean "
          "'description'?); a profile has description, env, settings, tasks"),
    ("""
        [profiles.ci.settings]
        jobs = 0
     """, "zr.toml:5: profiles.ci.settings.jobs: expected an integer from 1 to 100000, got 0"),
    ("""
        [profiles.ci.env]
        A = [1]
     """, "zr.toml:5: profiles.ci.env.A: expected a string, number or boolean"),
    ("""
        [profiles."a,b"]
        env = {}
     """, "zr.toml:4: profiles.a,b: profile name 'a,b' is not allowed"),
])
def test_a_wrong_profile_is_a_config_error_with_its_line_and_key(zr_project, profile,
                                                                   message):
    zr_project.write('[tasks.test]\ncmd = "true"\n' + profile)
    result = zr_project.run("list")
    assert result.returncode == 2
    assert f"zr: error: {message}" in result.stderr
    assert "Traceback" not in result.stderr
