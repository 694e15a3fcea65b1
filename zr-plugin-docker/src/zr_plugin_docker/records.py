"""What zr remembers about the images a project built: one JSON file per
project in zr's cache directory (never in the project).

Per image task: the keys of its last successful build (see
:mod:`.fingerprint`), the image ID (``sha256:...``, the digest dependents
see), its tags and, once pushed, its registry digests (``repo@sha256:...``).

A cache hit needs only two of those: the stat key and the image ID. Each
record also leaves them in a one-line *hit file* of its task
(``<work dir>/<task>.hit``), and :meth:`ImageRecords.hit` reads just that,
so a cached image task neither parses the JSON nor imports ``json`` (nor
the ``re`` and ``enum`` it brings). The JSON is written first and the hit
file follows it; both are removed together.

Writes are atomic; two zr processes finishing builds at once keep the last
writer's view of the other task, which costs at most one rebuild.
"""

from __future__ import annotations

import hashlib
import os


def _records_path(project_root: str) -> str:
    from zr.api import cache_dir

    name = hashlib.sha256(os.path.abspath(project_root).encode()).hexdigest()[:24]
    return os.path.join(cache_dir(), "docker", f"{name}.json")


def work_dir(project_root: str) -> str:
    """A directory of the project's own for files zr and the docker CLI
    write (image ID files, hit files)."""
    return _records_path(project_root)[:-len(".json")]


def file_name(task_name: str) -> str:
    """``task_name`` as a file name, reversibly (``a:b`` and ``a_b`` differ):
    letters, digits, ``-``, ``_`` and ``.`` stay, every other byte is ``%XX``."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else
                   "".join(f"%{byte:02X}" for byte in c.encode()) for c in task_name)


class ImageRecords:
    """The recorded builds of one project, by task name (the JSON is read
    on first use)."""

    def __init__(self, project_root: str):
        self.path = _records_path(project_root)
        self.work_dir = self.path[:-len(".json")]
        self._images = None

    @property
    def images(self) -> dict:
        if self._images is None:
            import json

            try:
                with open(self.path, encoding="utf-8") as fh:
                    self._images = json.load(fh)
            except (OSError, ValueError):
                self._images = {}
        return self._images

    def _hit_path(self, task: str) -> str:
        return os.path.join(self.work_dir, file_name(task) + ".hit")

    def hit(self, task: str, stat_key: str) -> str | None:
        """The image ID of ``task``'s last build when its stat key was
        ``stat_key``, else None; reads only the task's hit file."""
        try:
            with open(self._hit_path(task), encoding="utf-8") as fh:
                recorded_key, _, image_id = fh.read().strip().partition(" ")
        except (OSError, ValueError):
            return None
        return image_id if recorded_key == stat_key and image_id else None

    def get(self, task: str) -> dict | None:
        return self.images.get(task)

    def digest(self, task: str) -> str | None:
        record = self.images.get(task)
        return record["image_id"] if record else None

    def save(self, task: str, record: dict) -> None:
        from zr.api import atomic_write

        self.images[task] = record
        self._write()
        atomic_write(self._hit_path(task),
                     f"{record['stat_key']} {record['image_id']}\n".encode())

    def forget(self, tasks) -> None:
        for task in tasks:
            self.images.pop(task, None)
            try:
                os.unlink(self._hit_path(task))
            except FileNotFoundError:
                pass
        self._write()

    def _write(self) -> None:
        import json

        from zr.api import atomic_write

        atomic_write(self.path, json.dumps(self.images, indent=1, sort_keys=True).encode())
