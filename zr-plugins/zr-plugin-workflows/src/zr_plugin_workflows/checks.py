"""What ``[workflows]`` refers to: tasks that exist, conditions that parse.

Run on every load (``zr_validate``) and by ``zr validate``. A stage's task
with ``[`` or ``=`` in its name (a matrix cell, a task with parameters) is
resolved when the workflow runs, after expansion, and reported then.
Each problem names the stage and points at the stage's own line.
"""

from __future__ import annotations

from zr.errors import ConfigProblem, did_you_mean

from .conditions import condition_problems


def workflow_problems(config) -> list:
    workflows = config.doc.get("workflows") or {}
    problems: list = []
    lines = StageLines(config)
    for workflow_name, workflow in workflows.items():
        stage_names = [stage["name"] for stage in workflow["stages"]]
        for index, stage in enumerate(workflow["stages"]):
            def problem(key: str, message: str) -> ConfigProblem:
                return ConfigProblem(f"stage '{stage['name']}': {message}",
                                     key=f"workflows.{workflow_name}.stages.{key}",
                                     line=lines.find(workflow_name, index, key))
            for task in stage["tasks"]:
                if not _resolved_later(task) and task not in config.tasks \
                        and task not in config.aliases:
                    problems.append(problem("tasks", f"unknown task '{task}'"
                                                     f"{did_you_mean(task, config.tasks)}"))
            if stage["condition"] is not None:
                problems.extend(problem("condition", message) for message in
                                condition_problems(config, stage["condition"], stage_names))
    return problems


def _resolved_later(task_word: str) -> bool:
    return "[" in task_word or "=" in task_word


class StageLines:
    """Finds ``key = ...`` inside the N-th ``[[workflows.NAME.stages]]`` table
    (or that table's header line when the key is not written there).

    The kernel's locator finds the first occurrence of a key path; stages
    are an array of tables, so the N-th one is found here by counting its
    headers. None (the kernel then points at the first) for stages written
    inline. Used only when there is a problem to report, so ``re`` is not
    imported on every load.
    """

    def __init__(self, config):
        self.config = config
        self._lines = None

    def _text_lines(self) -> list:
        if self._lines is None:
            try:
                with open(self.config.path, encoding="utf-8") as handle:
                    self._lines = handle.read().splitlines()
            except OSError:
                self._lines = []
        return self._lines

    def find(self, workflow: str, index: int, key: str):
        import re

        header = re.compile(r"^\s*\[\[\s*workflows\s*\.\s*(?:\"|')?" + re.escape(workflow)
                            + r"(?:\"|')?\s*\.\s*stages\s*\]\]")
        setting = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        seen = -1
        stage_line = None
        for number, line in enumerate(self._text_lines(), 1):
            if header.match(line):
                seen += 1
                if seen == index:
                    stage_line = number
                elif stage_line is not None:
                    break
            elif line.lstrip().startswith("["):
                if stage_line is not None:
                    break
            elif stage_line is not None and setting.match(line):
                return number
        return stage_line
