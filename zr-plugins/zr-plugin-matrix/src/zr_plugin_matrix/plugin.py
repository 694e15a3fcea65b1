"""The ``matrix`` plugin's hooks. Kept thin: a project without matrix tasks
pays for one loop over its tasks and imports nothing else."""

from __future__ import annotations

from zr import hookimpl

MATRIX_HELP = (
    "Run the task once per combination of values: { py = [\"3.11\", \"3.12\"], "
    "os = [\"linux\", \"mac\"] }, with exclude = [{ ... }] and include = [{ ... }] as in "
    "GitHub Actions; ${matrix.KEY} is replaced in cmd, env, cwd, description. "
    "See docs/matrix.md.")


@hookimpl
def zr_config_sections(registry):
    from .field import MATRIX

    registry.task_field("matrix", MATRIX, default=None, help=MATRIX_HELP)


@hookimpl
def zr_expand_tasks(config, tasks):
    if not any("matrix" in task.fields for task in tasks.values()):
        return
    from .expand import expand_matrices

    expand_matrices(config, tasks)
