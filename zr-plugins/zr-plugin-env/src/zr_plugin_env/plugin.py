"""The ``env`` plugin: the project's ``.env``, per-task ``env_file``, and
``${VAR}`` in ``[env]`` and task ``env`` values (:mod:`.interpolate`).

Hooks stay thin: claims are declared here, the work is in :mod:`.files`
(reading one file) and :mod:`.layers` (which files a task gets), imported
only when a run starts.
"""

from __future__ import annotations

from zr import hookimpl

ENV_FILE_HELP = (
    'Extra .env files for this task, relative to the zr.toml directory: ".env.test", or '
    '[".env.test", { path = ".env.local", required = false }]. Later files win over earlier '
    "ones; all of them only fill in variables nothing else sets.")


@hookimpl
def zr_config_sections(registry):
    from zr.api import BOOL

    from .schema import ENV_FILE

    registry.task_field("env_file", ENV_FILE, help=ENV_FILE_HELP)
    registry.setting("dotenv", BOOL, default=True,
                     help="Load the .env next to zr.toml into every task (variables it does "
                          "not already have). false turns it off; so does --no-dotenv.")


@hookimpl
def zr_options(registry):
    registry.add("no_dotenv", ["--no-dotenv"], takes_value=False,
                 help="Do not load the project's .env file.")


@hookimpl
def zr_run_start(run):
    from .layers import prepare

    prepare(run, run.plan)


@hookimpl(tryfirst=True)
def zr_task_env(task, env, run):
    """``.env`` values fill in what is unset, then ``${VAR}`` in ``[env]``
    and the task's ``env`` is expanded (first, so that later plugins, a
    toolchain prepending to PATH, see the expanded values)."""
    from .layers import values_for

    dotenv = values_for(run, task)
    for key, value in dotenv.items():
        env.setdefault(key, value)
    layers = (run.config.env, task.env)
    if any("$" in value for layer in layers for value in layer.values()):
        import os

        from .interpolate import interpolate  # (and re) only when there is something to do

        interpolate(env, layers, {**dotenv, **os.environ})
