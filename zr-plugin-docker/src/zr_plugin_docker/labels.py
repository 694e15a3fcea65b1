"""The labels zr puts on every image and container it makes, so that
``zr docker prune`` can ask the daemon for exactly this project's objects."""

from __future__ import annotations

import os

PROJECT_LABEL = "dev.zr.project"
TASK_LABEL = "dev.zr.task"


def labels(project_root: str, task_name: str) -> dict:
    return {PROJECT_LABEL: os.path.abspath(project_root), TASK_LABEL: task_name}
