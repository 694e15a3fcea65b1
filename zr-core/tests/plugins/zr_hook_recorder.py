"""A test plugin implementing every kernel hook (and, optionally, hooks the
cache and expr plugins add); appends each call's hook
name (and a detail) to the file named by ZR_HOOK_LOG."""

import os

from zr import hookimpl
from zr.model import TaskResult


def _log(name, detail=""):
    path = os.environ.get("ZR_HOOK_LOG")
    if path:
        with open(path, "a") as fh:
            fh.write(f"{name} {detail}\n".rstrip() + "\n")


class RecorderSpecs:
    """A hook this plugin adds, as a plugin extending zr for others would."""

    from zr.hookspecs import hookspec

    @hookspec
    def zr_recorder_extra(value):
        """Called by the recorder's zr_configure when --recorder-flag is given."""


@hookimpl
def zr_addhooks(pluginmanager):
    _log("zr_addhooks")
    pluginmanager.add_hookspecs(RecorderSpecs)


@hookimpl
def zr_recorder_extra(value):
    _log("zr_recorder_extra", value)


@hookimpl
def zr_config_sections(registry):
    _log("zr_config_sections")
    from zr.config import kinds

    registry.task_field("recorded", kinds.STRING, help="A field of the hook-recorder plugin.")


@hookimpl
def zr_options(registry):
    _log("zr_options")
    registry.add("recorder_flag", ["--recorder-flag"], takes_value=False, help="Test flag.")


@hookimpl
def zr_cli_commands(cli):
    _log("zr_cli_commands")
    import click

    @click.command("recorded-command")
    def recorded():
        click.echo("recorded command ran")

    cli.add_command(recorded)


@hookimpl
def zr_configure(config):
    _log("zr_configure", f"flag={config.options.get('recorder_flag')}")
    if config.options.get("recorder_flag"):
        config.plugins.pm.hook.zr_recorder_extra(value="through pluggy")


@hookimpl
def zr_validate(config):
    _log("zr_validate")
    return []


@hookimpl
def zr_expand_tasks(config, tasks):
    _log("zr_expand_tasks", ",".join(sorted(tasks)))


@hookimpl
def zr_run_start(run):
    _log("zr_run_start", ",".join(run.plan))


@hookimpl
def zr_task_skip(task, run):
    _log("zr_task_skip", task.name)
    return "recorder skips it" if task.field("recorded") == "skip" else None


@hookimpl
def zr_task_admit(task, running, run):
    _log("zr_task_admit", f"{task.name} beside {','.join(t.name for t in running)}")
    return False if task.field("recorded") == "wait" else None


@hookimpl
def zr_task_env(task, env, run):
    _log("zr_task_env", task.name)
    env["RECORDED"] = task.field("recorded") or "yes"


@hookimpl
def zr_task_plan(task, plan, run):
    _log("zr_task_plan", task.name)


@hookimpl
def zr_process_started(task, pid, run):
    _log("zr_process_started", f"{task.name}:{pid > 0}")


@hookimpl
def zr_task_failed(task, result, run):
    _log("zr_task_failed", f"{task.name}={result.status}")
    return "skip" if task.field("recorded") == "skip-on-failure" else None


@hookimpl
def zr_unknown_task(name, config):
    _log("zr_unknown_task", name)
    return f"'{name}' is a recording, not a task" if name == "recording" else None


@hookimpl
def zr_task_executor(task, plan, run):
    _log("zr_task_executor", task.name)
    if task.field("recorded") == "short-circuit":
        return TaskResult(task.name, "success", exit_code=0, message="done by the recorder")
    return None


@hookimpl
def zr_task_start(task, run):
    _log("zr_task_start", task.name)


@hookimpl
def zr_task_finish(task, result, run):
    _log("zr_task_finish", f"{task.name}={result.status}")


@hookimpl
def zr_run_finish(run, summary):
    _log("zr_run_finish", f"exit={summary.exit_code}")


@hookimpl(optionalhook=True)  # a hook of another plugin
def zr_cache_key(task, hasher, run):
    _log("zr_cache_key", task.name)


@hookimpl(optionalhook=True)  # a hook of another plugin
def zr_cache_backends(register):
    _log("zr_cache_backends")


@hookimpl(optionalhook=True)  # a hook of another plugin
def zr_expr_functions(register):
    _log("zr_expr_functions")


@hookimpl(tryfirst=True)  # before the expr plugin, which would reject "recorder:"
def zr_evaluate(expression, task, run):
    _log("zr_evaluate", f"{task.name}:{expression}")
    if expression.startswith("recorder:"):
        return expression == "recorder:yes"
    return None


@hookimpl
def zr_list_entries(config):
    _log("zr_list_entries")
    return [("recording", "recording", "made by the recorder")]


@hookimpl
def zr_graph_render(config, targets, format):
    _log("zr_graph_render", format)
    return "recorded graph\n" if format == "recorded" else None


@hookimpl
def zr_choose_targets(config):
    _log("zr_choose_targets")
    return None
