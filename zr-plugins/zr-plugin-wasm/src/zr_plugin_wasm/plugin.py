"""The ``wasm`` plugin's hooks: each returns at once for a project without
``[plugins.wasm]`` and otherwise hands over to :mod:`.hooks`, so that a
project without WASM plugins never imports wasmtime (nor anything else of
this package)."""

from __future__ import annotations

from zr import hookimpl

_project = []  # [config]: the loaded project, for zr_expr_functions (which gets none)


def _wasm(config) -> bool:
    plugins = config.doc.get("plugins") if config is not None else None
    return bool(isinstance(plugins, dict) and plugins.get("wasm"))


@hookimpl
def zr_configure(config):
    _project[:] = [config]
    if _wasm(config):
        from .settings import specs_for

        specs_for(config)  # a mistake in [plugins.wasm] stops the load, with its line


@hookimpl
def zr_config_sections(registry):
    """``[NAME]`` of each declared ``[plugins.wasm.NAME]`` is that plugin's own
    table; which names exist only the document knows."""
    from .settings import declared_sections

    registry.sections_from(declared_sections, help="a WASM plugin's own settings, "
                           "checked by its zr_validate export")


@hookimpl
def zr_validate(config):
    if not _wasm(config):
        return None
    from .hooks import validate

    return validate(config)


@hookimpl(optionalhook=True)  # a hook of the expr plugin, if installed
def zr_expr_functions(register):
    if not _project or not _wasm(_project[0]):
        return
    from .hooks import register_functions

    register_functions(_project[0], register)


@hookimpl
def zr_run_start(run):
    if _wasm(run.config):
        from .hooks import run_start

        run_start(run)


@hookimpl
def zr_task_start(task, run):
    if _wasm(run.config):
        from .hooks import task_start

        task_start(task, run)


@hookimpl
def zr_task_finish(task, result, run):
    if _wasm(run.config):
        from .hooks import task_finish

        task_finish(task, result, run)


@hookimpl
def zr_run_finish(run, summary):
    if _wasm(run.config):
        from .hooks import run_finish

        run_finish(run, summary)


@hookimpl
def zr_task_plan(task, plan, run):
    if _wasm(run.config):
        from .hooks import task_plan

        task_plan(task, plan, run)


@hookimpl
def zr_cli_commands(cli):
    from .commands import wasm_group

    cli.add_command(wasm_group)


@hookimpl
def zr_plugin_rows(config):
    """``zr plugins`` in a project lists its WASM plugins too (as ``zr wasm
    list`` does: hooks, functions, what each is granted)."""
    if not _wasm(config):
        return None
    from .commands import plugin_rows

    return plugin_rows(config)
