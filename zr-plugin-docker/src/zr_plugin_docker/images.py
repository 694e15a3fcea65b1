"""One image task from start to record, shared by ``zr run`` and ``zr docker build``.

1. :func:`prepare`: fingerprint the build (see :mod:`.fingerprint`) and
   compare with the last recorded build: unchanged means a cache hit, and
   the daemon is not contacted at all (nor the records' JSON read: see
   :meth:`.records.ImageRecords.hit`);
2. otherwise the build's commands (:func:`.build.build_plan`) run as the
   task's process, streaming like any task's output;
3. :func:`record`: read the image ID the CLI wrote, ask the daemon for
   registry digests when the image was pushed, and remember all of it.
"""

from __future__ import annotations

import os
import time

from .endpoint import resolve
from .fingerprint import BuildInputs


class PreparedBuild:
    """A build about to run (``record`` is None) or found unchanged
    (``record`` holds at least the ``image_id`` of the last build)."""

    def __init__(self, task_name: str, image: dict, inputs: BuildInputs, stat_key: str,
                 content_key: str | None, record: dict | None):
        self.task_name = task_name
        self.image = image
        self.inputs = inputs
        self.stat_key = stat_key
        self.content_key = content_key
        self.record = record


def resolved(task, lookup) -> dict:
    """The task's ``docker`` field with ``${docker.X.digest}`` replaced in build args."""
    from .digests import substitute

    image = task.field("docker")
    args = {name: substitute(value, lookup, f"tasks.{task.name}.docker.build.args.{name}")
            for name, value in image["build"]["args"].items()}
    return {**image, "build": {**image["build"], "args": args}}


def prepare(task, cwd: str, records, env: dict, lookup, upstream: dict, *,
            force: bool = False) -> PreparedBuild:
    """Fingerprint ``task``'s build; ``lookup(name)`` gives an image task's
    digest, ``upstream`` the digests of the image tasks it depends on."""
    image = resolved(task, lookup)
    inputs = BuildInputs(image["build"], image["push"], cwd, resolve(env).host, upstream)
    files = inputs.files()
    stat_key = inputs.stat_key(files)
    if not force:
        image_id = records.hit(task.name, stat_key)  # the hit file alone: no JSON
        if image_id:
            return PreparedBuild(task.name, image, inputs, stat_key, None,
                                 {"image_id": image_id})
    previous = records.get(task.name)
    if previous and not force and previous.get("stat_key") == stat_key:
        records.save(task.name, previous)  # a record without its hit file gets one
        return PreparedBuild(task.name, image, inputs, stat_key, previous["content_key"],
                             previous)
    content_key = inputs.content_key(files)
    if previous and not force and previous.get("content_key") == content_key:
        # Same content, new stat data (a checkout, a touch): remember the new stats.
        records.save(task.name, {**previous, "stat_key": stat_key})
        return PreparedBuild(task.name, image, inputs, stat_key, content_key,
                             records.get(task.name))
    return PreparedBuild(task.name, image, inputs, stat_key, content_key, None)


def commands(prepared: PreparedBuild, cli: str, project_root: str, work_dir: str) -> tuple:
    """(argvs, env additions) that build and push ``prepared``."""
    from . import build as builds

    os.makedirs(work_dir, exist_ok=True)
    iid_file = builds.iid_path(work_dir, prepared.task_name)
    try:
        os.unlink(iid_file)
    except FileNotFoundError:
        pass
    from .labels import labels

    return builds.build_plan(cli, prepared.task_name, prepared.image, prepared.inputs,
                             labels(project_root, prepared.task_name), iid_file)


def record(prepared: PreparedBuild, cli: str, records, work_dir: str, env=None) -> dict:
    """Remember a finished build; returns the record (``image_id`` is the digest)."""
    from . import build as builds

    image_id = builds.read_image_id(builds.iid_path(work_dir, prepared.task_name))
    pushed = prepared.image["push"]
    entry = {
        "image_id": image_id,
        "tags": prepared.image["build"]["tags"],
        "repo_digests": builds.repo_digests(cli, image_id, env) if pushed else [],
        "stat_key": prepared.stat_key,
        "content_key": prepared.content_key,
        "built_at": time.time(),
    }
    records.save(prepared.task_name, entry)
    return entry
