"""An image task's commands: ``docker build`` (in the best builder the CLI
offers) and ``docker push`` of each tag, plus what is read back afterwards.

Every image zr builds carries the labels of :mod:`.labels`.
"""

from __future__ import annotations

import json
import os

from zr.api import ZrError

from . import cli as docker


def iid_path(work_dir: str, task_name: str) -> str:
    from .records import file_name

    return os.path.join(work_dir, f"{file_name(task_name)}.iid")


def _unsupported(task_name: str, builder: str, build: dict) -> str | None:
    """Why ``builder`` cannot do this build, or None."""
    if builder == docker.BUILDX:
        return None
    needs = []
    if len(build["platforms"]) > 1:
        needs.append(f"a multi-platform build ({', '.join(build['platforms'])})")
    if build["cache_to"]:
        needs.append("cache_to (cache export)")
    if builder == docker.CLASSIC and build["secrets"]:
        needs.append("secrets")
    if not needs:
        return None
    return (f"image task {task_name}: {' and '.join(needs)} needs docker buildx, which this "
            f"docker CLI does not have; {docker.BUILDX_HINT}")


def build_plan(cli: str, task_name: str, image: dict, inputs, label_map: dict,
               iid_file: str) -> tuple:
    """(argvs, extra env) that build the image (and push it when asked)."""
    build = image["build"]
    builder = docker.builder(cli)
    problem = _unsupported(task_name, builder, build)
    if problem:
        raise ZrError(problem)
    argv = [cli, "buildx", "build"] if builder == docker.BUILDX else [cli, "build"]
    argv += ["--file", inputs.dockerfile, "--iidfile", iid_file]
    for tag in build["tags"]:
        argv += ["--tag", tag]
    for name, value in build["args"].items():
        argv += ["--build-arg", f"{name}={value}"]
    for name, value in {**build["labels"], **label_map}.items():
        argv += ["--label", f"{name}={value}"]
    if build["target"]:
        argv += ["--target", build["target"]]
    if build["platforms"]:
        argv += ["--platform", ",".join(build["platforms"])]
    if build["network"]:
        argv += ["--network", build["network"]]
    for source in build["cache_from"]:
        argv += ["--cache-from", source]
    for sink in build["cache_to"]:
        argv += ["--cache-to", sink]
    for secret in build["secrets"]:
        argv += ["--secret", secret]
    multi_platform_push = builder == docker.BUILDX and len(build["platforms"]) > 1
    if builder == docker.BUILDX:
        # A multi-platform image cannot be loaded into the daemon: it goes to the registry.
        argv.append("--push" if multi_platform_push else "--load")
    argv.append(inputs.context)
    argvs = [argv]
    if image["push"] and not multi_platform_push:
        argvs += [[cli, "push", tag] for tag in build["tags"]]
    env = {"DOCKER_BUILDKIT": "0" if builder == docker.CLASSIC else "1"}
    return argvs, env


def read_image_id(iid_file: str) -> str:
    try:
        with open(iid_file, encoding="utf-8") as fh:
            image_id = fh.read().strip()
    except FileNotFoundError:
        image_id = ""
    if not image_id.startswith("sha256:"):
        raise ZrError(f"docker build succeeded but wrote no image ID to {iid_file}")
    return image_id


def repo_digests(cli: str, image_id: str, env=None) -> list:
    """The registry digests (``name@sha256:...``) the daemon knows for an image."""
    out = docker.capture([cli, "image", "inspect", "--format", "{{json .RepoDigests}}",
                          image_id], env=env, what="docker image inspect")
    return json.loads(out or "[]") or []
