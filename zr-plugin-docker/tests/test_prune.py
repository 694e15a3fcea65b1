"""`zr docker prune` removes this project's images and containers, and nothing else."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.services


def test_prune_leaves_unrelated_images_alone(docker_project, tmp_path):
    daemon = docker_project.daemon
    docker_project.write("""
        [tasks.image]
        docker = { build = { context = "img", target = "app", tags = ["zrtest/prune-me:1"], network = "none" } }
    """)
    built = docker_project.run("run", "image")
    assert built.returncode == 0, built.output
    ours = daemon.docker("image", "inspect", "--format", "{{.Id}}",
                         "zrtest/prune-me:1").stdout.strip()
    # An image built by hand from a similar context, and one retagged by hand.
    unrelated_context = daemon.base_context(tmp_path / "unrelated")
    daemon.docker("build", "--network", "none", "--tag", "someone/else:1",
                  str(unrelated_context))
    unrelated = daemon.docker("image", "inspect", "--format", "{{.Id}}",
                              "someone/else:1").stdout.strip()
    assert unrelated != ours

    listed = docker_project.run("docker", "prune", "--dry-run")
    assert listed.returncode == 0, listed.output
    assert re.search(rf"image {ours} zrtest/prune-me:1", listed.stdout)
    assert unrelated not in listed.stdout and "someone/else" not in listed.stdout

    refused = docker_project.run("docker", "prune")  # no terminal, no --yes
    assert refused.returncode == 2, refused.output
    assert "--yes" in refused.stderr
    assert ours in daemon.image_ids()

    pruned = docker_project.run("docker", "prune", "--yes")
    assert pruned.returncode == 0, pruned.output
    assert ours not in daemon.image_ids()
    assert unrelated in daemon.image_ids()
    assert daemon.docker("image", "inspect", "someone/else:1").returncode == 0

    # The record went with the image: the next run builds again.
    rebuilt = docker_project.run("run", "image")
    assert rebuilt.returncode == 0, rebuilt.output
    assert "image cached" not in rebuilt.output
