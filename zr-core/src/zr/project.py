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
    plugins.call("zr_expand_tasks", config=config, tasks=tasks)
    config.tasks = tasks
    config.aliases = alias_table(tasks)
    config.graph = TaskGraph(tasks)
    return config


def collect_problems(config) -> list:
    problems = []
    for result in config.plugins.call("zr_validate", config=config):
        problems.extend(result or ())
    return problems


def problem_error(config, problem: ConfigProblem) -> ConfigError:
    line = problem.line
    if line is None and problem.key:
        from .config.load import read_text
        from .config.locate import find_line

        shown = display_path(config.path)
        line = find_line(read_text(config.path, shown), problem.key.split("."))
    return ConfigError(problem.message, file=display_path(config.path), line=line,
                       key=problem.key)


def render_problem(config, problem: ConfigProblem) -> str:
    return problem_error(config, problem).render()
