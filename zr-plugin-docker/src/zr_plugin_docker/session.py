"""The plugin's state during one run: which tasks are image and container
tasks, the digests known so far, the builds waiting to be recorded and the
containers to remove if their CLI was killed.

Created (by :func:`.plugin._session`) only when the run has an image or
container task, so a project without Docker pays one loop over its tasks.
The records (``json``, ``hashlib``) are read when a task first asks for a
digest: the other tasks of a project with image tasks do not pay for them.
"""

from __future__ import annotations

import os

from . import digests


class DockerSession:
    def __init__(self, run):
        self.run = run
        self.project_root = run.config.root
        self._cli = None
        self._records = None
        self.digests: dict = {}     # image task -> image ID, this run
        self.pending: dict = {}     # image task -> images.PreparedBuild of its attempt
        self.containers: dict = {}  # container task -> (names, env) of its attempt
        self.daemon_ok = False
        self._image_deps: dict = {}  # task -> image tasks it depends on (memo)
        self.has_image_tasks = any(task.field("docker") is not None
                                   for task in run.tasks.values())

    @property
    def cli(self) -> str:
        if self._cli is None:
            from .cli import docker_cli

            self._cli = docker_cli(self.run.config)
        return self._cli

    @property
    def records(self):
        """The project's :class:`~.records.ImageRecords`, read on first use."""
        if self._records is None:
            from .records import ImageRecords

            self._records = ImageRecords(self.project_root)
        return self._records

    @property
    def work_dir(self) -> str:
        from .records import work_dir

        return work_dir(self.project_root)

    def digest(self, task_name: str) -> str | None:
        """The image ID of an image task: built or confirmed this run, else recorded."""
        if task_name in self.digests:
            return self.digests[task_name]
        task = self.run.tasks.get(task_name)
        if task is None or task.field("docker") is None:
            return None
        return self.records.digest(task_name)

    def dependency_digests(self, task) -> dict:
        """{image task: digest} for every image task ``task`` depends on."""
        found = {}
        if not self.has_image_tasks:
            return found
        for name in digests.image_dependencies(task, self.run.tasks, self._image_deps):
            digest = self.digest(name)
            if digest:
                found[name] = digest
        return found

    def refers_to_images(self, task, plan) -> bool:
        """Whether ``task`` depends on an image task or names a digest
        (``${docker.X.digest}``); planning skips the other plain tasks."""
        if self.has_image_tasks and digests.image_dependencies(task, self.run.tasks,
                                                               self._image_deps):
            return True
        return (any("${docker." in word for argv in plan.argvs for word in argv)
                or any("${docker." in value for value in plan.env.values()))

    def check_daemon(self, env: dict) -> str | None:
        """The unreachable-daemon error, or None; a daemon that answered once
        in this run is not asked again."""
        if self.daemon_ok:
            return None
        from .endpoint import check

        problem = check(env)
        self.daemon_ok = problem is None
        return problem

    def expect_containers(self, task_name: str, names: list, env: dict) -> None:
        """The attempt of ``task_name`` about to start runs containers ``names``
        with a CLI that gets ``env`` (its DOCKER_HOST, its context)."""
        self.containers[task_name] = (names, env)

    def remove_containers(self, task_name: str) -> None:
        """Remove the containers of the task's last attempt (``docker rm -f``,
        whatever state they are in), on the daemon its CLI talked to."""
        names, env = self.containers.pop(task_name, ((), None))
        if names:
            import subprocess

            subprocess.run([self.cli, "rm", "--force", *names], env=env or os.environ,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
