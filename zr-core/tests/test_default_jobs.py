"""``zr_default_jobs``: a plugin sets how many tasks run at once when the
user did not (an executor knows its capacity better than the CPU count);
``-j``, ``ZR_JOBS`` and ``[settings] jobs`` always win and the hook is then
not called."""

import pytest

pytestmark = pytest.mark.crossversion

PLUGIN = """
    import os
    from pathlib import Path

    from zr.api import hookimpl

    @hookimpl
    def zr_default_jobs(config):
        Path(os.environ["JOBS_ASKED"]).write_text("asked")
        return 3
"""

# Each task waits until all three have started: they finish only when three
# run at once (a smaller limit leaves one waiting and the run fails).
TOGETHER = ("'touch started-{n}; for i in $(seq 200); do "
            "[ -e started-a ] && [ -e started-b ] && [ -e started-c ] && exit 0; "
            "sleep 0.05; done; exit 1'")


def project_with_plugin(zr_project, settings: str = ""):
    zr_project.file("jobs_plugin.py", PLUGIN)
    tasks = "".join(f"[tasks.{n}]\ncmd = {TOGETHER.format(n=n)}\ntimeout = \"20s\"\n"
                    for n in "abc")
    zr_project.write(settings + tasks + '[tasks.all]\ncmd = "true"\ndeps = ["a", "b", "c"]\n'
                     '[tasks.one]\ncmd = "echo one ran"\n')
    return {"ZR_PLUGINS": "jobs_plugin", "PYTHONPATH": str(zr_project.path),
            "JOBS_ASKED": str(zr_project.path / "asked")}


def test_a_plugins_default_decides_how_many_tasks_run_at_once(zr_project):
    env = project_with_plugin(zr_project)
    result = zr_project.run("run", "-v", "all", env=env)
    assert result.returncode == 0, result.output
    assert "at most 3 tasks at once (a plugin's default for this run)" in result.output
    assert (zr_project.path / "asked").exists()


@pytest.mark.parametrize("how", ["-j", "ZR_JOBS", "settings"])
def test_jobs_the_user_gave_win_and_the_hook_is_not_asked(zr_project, how):
    env = project_with_plugin(zr_project, '[settings]\njobs = 1\n' if how == "settings" else "")
    args = ["run", "-v", "one"]
    if how == "-j":
        args[1:1] = ["-j", "1"]
    if how == "ZR_JOBS":
        env["ZR_JOBS"] = "1"
    result = zr_project.run(*args, env=env)
    assert result.returncode == 0, result.output
    assert "one ran" in result.stdout
    assert "tasks at once" not in result.output
    assert not (zr_project.path / "asked").exists()
