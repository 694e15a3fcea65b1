"""The ``toolchains`` plugin's hooks; each is thin and imports its work.

A project that names no toolchain (no ``[tools]``, no task ``toolchain``,
no ``--tool``, no ``.tool-versions``) pays a dict lookup per hook call.
"""

from __future__ import annotations

import os

from zr.api import hookimpl


def wants_toolchains(config, tasks) -> bool:
    """Cheap: does anything ask for a toolchain (``tasks``: those of the run)?"""
    return bool(config.doc.get("tools") or config.options.get("tool")
                or any(t.field("toolchain") for t in tasks)
                or os.path.exists(os.path.join(config.root, ".tool-versions")))


@hookimpl
def zr_addhooks(pluginmanager):
    from .hookspecs import ToolchainSpecs

    pluginmanager.add_hookspecs(ToolchainSpecs)


@hookimpl
def zr_toolchains(register):
    from .providers import builtin_toolchains

    for provider in builtin_toolchains():
        register(provider)


@hookimpl
def zr_config_sections(registry):
    from .schema import TOOLCHAIN, TOOLCHAIN_HELP, TOOLS, TOOLS_HELP

    registry.section("tools", TOOLS, help=TOOLS_HELP)
    registry.task_field("toolchain", TOOLCHAIN, help=TOOLCHAIN_HELP)


@hookimpl
def zr_options(registry):
    registry.add("tool", ["--tool"], multiple=True, metavar="TOOL@VERSION",
                 help="Run the tasks with this toolchain (repeatable): --tool node@20.")


@hookimpl
def zr_cli_commands(cli):
    from .commands import exec_command, tools_group

    cli.add_command(tools_group)
    cli.add_command(exec_command)


def _validated_marker(config) -> str:
    """A file whose existence says these toolchain names and this
    .tool-versions were already checked with these plugins: the check
    imports every provider, which a run should not pay for each time."""
    import zlib

    from zr.api import cache_dir

    try:
        stat = os.stat(os.path.join(config.root, ".tool-versions"))
        tool_versions = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        tool_versions = None
    tools = config.doc.get("tools") or {}
    names = (sorted(tools), sorted(tools.get("mirrors") or ()),
             sorted({str(item).partition("@")[0] for task in config.tasks.values()
                     for item in (task.field("toolchain") or ())}),
             tool_versions, config.root, getattr(config.plugins, "digest", ""))
    key = "%08x" % zlib.crc32(repr(names).encode())
    return os.path.join(cache_dir(), "toolchains", "validated", key)


@hookimpl
def zr_validate(config):
    if not wants_toolchains(config, config.tasks.values()):
        return None
    marker = _validated_marker(config)
    if os.path.exists(marker):
        return None
    from .validate import problems

    found = problems(config)
    if not found:
        os.makedirs(os.path.dirname(marker), exist_ok=True)
        open(marker, "w").close()
    return found


@hookimpl
def zr_run_start(run):
    """Resolve and install the run's toolchains before any task starts. A
    version that does not exist refuses the run (exit 2, the nearest
    versions named); other failures fail the tasks that need the toolchain."""
    from zr.api import ZrError

    from .runtime import prepare

    try:
        prepare(run)
    except ZrError as exc:
        from .errors import NoSuchVersion

        if isinstance(exc, NoSuchVersion):
            raise
        # else kept by prepare: each task that needs the toolchain fails with it


@hookimpl
def zr_task_plan(task, plan, run):
    if run.options.get("dry_run"):
        return  # a toolchain changes the environment, which `zr run -n` does not show
    prepared = run.state.get("toolchains")
    if prepared is not None and not prepared.by_task:
        return
    from .runtime import activations_for
    from .activations import activate_plan

    activations = activations_for(run, task)
    activate_plan(plan, activations)
    for item in activations:
        plan.add_key(f"toolchain {item['tool']}", f"{item['version']} {item['platform']}")
