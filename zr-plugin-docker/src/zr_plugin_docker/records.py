"""What zr remembers about the images a project built: one JSON file per
project in zr's cache directory (never in the project).

Per image task: the keys of its last successful build (see
:mod:`.fingerprint`), the image ID (``sha256:...``, the digest dependents
see), its tags and, once pushed, its registry digests (``repo@sha256:...``).
Writes are atomic; two zr processes finishing builds at once keep the last
writer's view of the other task, which costs at most one rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os


def _records_path(project_root: str) -> str:
    from zr.api import cache_dir

    name = hashlib.sha256(os.path.abspath(project_root).encode()).hexdigest()[:24]
    return os.path.join(cache_dir(), "docker", f"{name}.json")


def work_dir(project_root: str) -> str:
    """A directory of the project's own for files the docker CLI writes (image ID files)."""
    return _records_path(project_root)[:-len(".json")]


class ImageRecords:
    """The recorded builds of one project, by task name."""

    def __init__(self, project_root: str):
        self.path = _records_path(project_root)
        try:
            with open(self.path, encoding="utf-8") as fh:
                self.images = json.load(fh)
        except (OSError, ValueError):
            self.images = {}

    def get(self, task: str) -> dict | None:
        return self.images.get(task)

    def digest(self, task: str) -> str | None:
        record = self.images.get(task)
        return record["image_id"] if record else None

    def save(self, task: str, record: dict) -> None:
        self.images[task] = record
        self._write()

    def forget(self, tasks) -> None:
        for task in tasks:
            self.images.pop(task, None)
        self._write()

    def _write(self) -> None:
        from zr.api import atomic_write

        atomic_write(self.path, json.dumps(self.images, indent=1, sort_keys=True).encode())
