"""The ``profiles`` plugin's hooks. Kept thin: without ``--profile`` and
without ``[profiles]`` each hook returns at once."""

from __future__ import annotations

from zr import hookimpl

PROFILE_HELP = ("Apply the profile [profiles.NAME] of zr.toml (repeatable or "
                "comma-separated; later profiles win; also ZR_PROFILE).")


@hookimpl
def zr_config_sections(registry):
    from .section import ProfilesSection

    registry.section("profiles", ProfilesSection(),
                     help="Named sets of overrides of env, settings and task fields, "
                          "chosen with --profile NAME. See docs/profiles.md.")


@hookimpl
def zr_options(registry):
    registry.add("profile", ["--profile"], help=PROFILE_HELP, multiple=True,
                 envvar="ZR_PROFILE", metavar="NAME")


@hookimpl
def zr_configure(config):
    if not config.options.get("profile"):
        return
    from .apply import apply_settings

    apply_settings(config)


@hookimpl
def zr_validate(config):
    if "profiles" not in config.doc:
        return None
    from .apply import unknown_task_problems

    return unknown_task_problems(config)


@hookimpl(tryfirst=True)
def zr_expand_tasks(config, tasks):
    if not config.options.get("profile"):
        return
    from .apply import apply_task_overrides

    apply_task_overrides(config, tasks)
