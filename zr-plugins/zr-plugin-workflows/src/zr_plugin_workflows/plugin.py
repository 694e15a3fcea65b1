"""The ``workflows`` plugin's hooks. Kept thin: a project without
``[workflows]`` pays for a dictionary lookup per load."""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_config_sections(registry):
    from .section import WORKFLOWS

    registry.section("workflows", WORKFLOWS,
                     help="Named sequences of stages of tasks, run by `zr workflow NAME`: "
                          "[workflows.NAME] with description and [[workflows.NAME.stages]] "
                          "(name, tasks, parallel, fail_fast, condition). "
                          "See docs/workflows.md.")


@hookimpl
def zr_list_entries(config):
    workflows = config.doc.get("workflows") or {}
    return [(name, "workflow", workflow.get("description", ""))
            for name, workflow in workflows.items()]


@hookimpl
def zr_unknown_task(name, config):
    if name in (config.doc.get("workflows") or {}):
        return f"'{name}' is a workflow, not a task: run it with `zr workflow {name}`"
    return None


@hookimpl
def zr_validate(config):
    if not config.doc.get("workflows"):
        return None
    from .checks import workflow_problems

    return workflow_problems(config)


@hookimpl
def zr_cli_commands(cli):
    from .command import command

    cli.add_command(command)
