"""Hostile cache entries, through the real ``zr``: a tampered local entry
(with a valid digest, as a shared remote without signing could serve) is a
miss with a warning, writes nothing, is removed, and the task runs."""

from __future__ import annotations

import io
import tarfile

import pytest

from zr_plugin_cache.hashing import ALGORITHM, new_hash

pytestmark = pytest.mark.crossversion

PROJECT = """
[tasks.build]
cmd = "mkdir -p dist && echo built > dist/app.txt && echo ran >> runs.txt"
cache = true
inputs = ["src/**"]
outputs = ["dist"]
"""


def entry_path(project):
    key = project.run("cache", "key", "build").stdout.strip().split()[-1]
    found = list(project.home.rglob(f"{key}.zrc"))
    assert len(found) == 1, (key, list(project.home.rglob("*.zrc")))
    return found[0]


def replace_entry(path, members):
    """Overwrite the stored entry with a tar of ``members`` (name, kind,
    data-or-link-target, mode) and a correct digest header."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT,
                      pax_headers={"ZR.format": "2"}) as tar:
        for name, kind, payload, mode in [("meta.json", "file", b"{}", 0o644), *members]:
            info = tarfile.TarInfo(name)
            info.mode = mode
            if kind == "link":
                info.type = tarfile.SYMTYPE
                info.linkname = payload
                tar.addfile(info)
            else:
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
    body = buffer.getvalue()
    digest = new_hash()
    digest.update(body)
    path.write_bytes(f"ZRC1 {ALGORITHM}:{digest.hexdigest()}\n".encode() + body)


@pytest.fixture
def cached(zr_project):
    zr_project.write(PROJECT)
    zr_project.file("src/main.txt", "hello\n")
    first = zr_project.run("run", "build")
    assert first.returncode == 0, first.output
    return zr_project


def assert_miss_that_changed_nothing(project, entry, result):
    assert result.returncode == 0, result.output
    assert "was not restored" in result.output
    assert "Traceback" not in result.output
    # The task ran again instead of being restored, and the bad entry was
    # replaced by the new run's good one.
    assert (project.path / "runs.txt").read_text() == "ran\nran\n"
    assert (project.path / "dist" / "app.txt").read_text() == "built\n"
    again = project.run("run", "build")
    assert (project.path / "runs.txt").read_text() == "ran\nran\n", again.output


def test_a_chain_of_links_in_an_entry_cannot_write_outside_the_project(cached, tmp_path):
    entry = entry_path(cached)
    outside = tmp_path / "outside"
    outside.mkdir()
    # Read as text, dist/a/a/.../l -> ../../.. stays in the project; but
    # dist/a is dist itself, so the climb starts from dist and reaches /.
    depth = len(cached.path.relative_to("/").parts) + 8
    chain = "/".join(["dist/a"] + ["a"] * depth)
    climb = "/".join([".."] * (depth + 1)) + str(outside)
    replace_entry(entry, [
        ("files/dist/a", "link", ".", 0o777),
        (f"files/{chain}/l", "link", climb, 0o777),
        ("files/dist/l/PWNED", "file", b"pwned", 0o644),
    ])
    result = cached.run("run", "build")
    assert not (outside / "PWNED").exists()
    assert not list(tmp_path.rglob("PWNED"))
    assert_miss_that_changed_nothing(cached, entry, result)


@pytest.mark.parametrize("name,mode", [
    ("zr.toml", 0o644), (".git/hooks/pre-commit", 0o755), ("src/main.txt", 0o644)])
def test_an_entry_may_only_write_the_declared_outputs(cached, name, mode):
    entry = entry_path(cached)
    replace_entry(entry, [("files/dist/app.txt", "file", b"built\n", 0o644),
                          (f"files/{name}", "file", b"pwned", mode)])
    before = (cached.path / name).read_bytes() if (cached.path / name).exists() else None
    result = cached.run("run", "build")
    assert "not one of the task's declared outputs" in result.output
    after = (cached.path / name).read_bytes() if (cached.path / name).exists() else None
    assert after == before
    assert_miss_that_changed_nothing(cached, entry, result)


def test_an_entry_with_a_member_named_twice_is_a_miss_and_is_removed(cached):
    entry = entry_path(cached)
    (cached.path / "dist" / "app.txt").write_text("mine\n")
    replace_entry(entry, [("files/dist/app.txt", "file", b"first\n", 0o644),
                          ("files/dist/app.txt", "file", b"second\n", 0o644)])
    result = cached.run("run", "build")
    assert "appears twice" in result.output
    assert_miss_that_changed_nothing(cached, entry, result)
