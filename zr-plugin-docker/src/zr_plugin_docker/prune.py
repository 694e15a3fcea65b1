"""Finding and removing what this project left on the daemon.

Everything zr creates carries the label ``dev.zr.project=<project dir>``
(images from image tasks, containers from container tasks), so the daemon
itself answers "what is ours" with a label filter: images a user built or
pulled by hand, and other projects' images, never match.
"""

from __future__ import annotations

import os

from .labels import PROJECT_LABEL
from .cli import capture


class ProjectObjects:
    def __init__(self, images: list, containers: list):
        self.images = images            # [(image ID, [names])]
        self.containers = containers    # [(container ID, name)]

    def image_ids(self) -> set:
        return {image_id for image_id, _ in self.images}

    def count(self) -> str:
        parts = []
        if self.images:
            parts.append(f"{len(self.images)} image{'s' * (len(self.images) != 1)}")
        if self.containers:
            parts.append(f"{len(self.containers)} container"
                         f"{'s' * (len(self.containers) != 1)}")
        return " and ".join(parts)

    def describe(self) -> list:
        lines = [f"image {image_id} {' '.join(names) or '<untagged>'}"
                 for image_id, names in self.images]
        lines += [f"container {cid} {name}" for cid, name in self.containers]
        return lines


def find_project_objects(cli: str, project_root: str) -> ProjectObjects:
    label = f"label={PROJECT_LABEL}={os.path.abspath(project_root)}"
    images: dict = {}
    # Top-level images only: the classic builder's intermediate layers carry the
    # label too, and go with the image they belong to.
    out = capture([cli, "image", "ls", "--no-trunc", "--filter", label, "--format",
                   "{{.ID}} {{.Repository}}:{{.Tag}}"], what="docker image ls")
    for line in out.splitlines():
        image_id, _, name = line.partition(" ")
        names = images.setdefault(image_id, [])
        if name and "<none>" not in name:
            names.append(name)
    out = capture([cli, "ps", "--all", "--no-trunc", "--filter", label, "--format",
                   "{{.ID}} {{.Names}}"], what="docker ps")
    containers = [tuple(line.split(" ", 1)) for line in out.splitlines() if line.strip()]
    return ProjectObjects(sorted((k, sorted(v)) for k, v in images.items()), containers)


def remove(cli: str, found: ProjectObjects) -> None:
    if found.containers:
        capture([cli, "rm", "--force", *[cid for cid, _ in found.containers]],
                what="docker rm")
    if found.images:
        capture([cli, "image", "rm", "--force", *found.image_ids()], what="docker image rm")
