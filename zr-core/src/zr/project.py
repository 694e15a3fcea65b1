"""From command-line options to a ready task table: load, configure,
validate, expand, graph. Shared by every command that reads ``zr.toml``."""

from __future__ import annotations

from .config import Config, alias_table, build_tasks, find_config
from .config.load import display_path, load_document
from .errors import ConfigError, ConfigProblem
from .graph import TaskGraph


def load_project(options: dict, plugins, *, warn=None) -> Config:
    """The configuration with tasks expanded and the graph checked.

    Raises :class:`ConfigError` for anything wrong in the files, including a
    dependency cycle anywhere in the table.
    """
    path = find_config(options.get("config"))
    doc = load_document(path, plugins)
    config = Config(path, doc, options, plugins)
    shown = display_path(path)
    config.tasks = build_tasks(doc, config.root, shown)
    plugins.call("zr_configure", config=config)
    problems = collect_problems(config)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise problem_error(config, errors[0])
    if warn:
        for problem in problems:
            warn(render_problem(config, problem))
    tasks = dict(config.tasks)
    try:
        plugins.call("zr_expand_tasks", config=config, tasks=tasks)
        config.tasks = tasks
        config.aliases = alias_table(tasks)
        config.graph = TaskGraph(tasks)
    except ConfigError as exc:
        raise locate(config, exc) from None
    return config


def locate(config, error: ConfigError) -> ConfigError:
    """Add the line number to an error about the main zr.toml found after
    parsing (unknown dependency, cycle, alias clash)."""
    shown = display_path(config.path)
    if error.line is not None or not error.key or error.file != shown:
        return error
    from .config.load import read_text
    from .config.locate import find_line

    line = find_line(read_text(config.path, shown), error.key.split("."))
    return ConfigError(error.message, file=error.file, line=line, key=error.key)


def collect_problems(config) -> list:
    problems = []
    for result in config.plugins.call("zr_validate", config=config):
        problems.extend(result or ())
    return problems


def problem_error(config, problem: ConfigProblem) -> ConfigError:
    return locate(config, ConfigError(problem.message, file=display_path(config.path),
                                      line=problem.line, key=problem.key))


def render_problem(config, problem: ConfigProblem) -> str:
    return problem_error(config, problem).render()
