"""Packing outputs into entries and restoring them, refusing unsafe archives."""

import gzip
import io
import os
import subprocess
import tarfile

import pytest

from zr_plugin_cache.archive import ArchiveError, pack, unpack


def build(project, files, log=b"hello\n"):
    log_path = project / "task.log"
    log_path.write_bytes(log)
    archive = project.parent / "entry.tar"
    pack(archive, project, files, {"task": "build"}, log_path)
    return archive


def test_outputs_log_and_meta_round_trip_byte_for_byte(tmp_path):
    source = tmp_path / "a"
    (source / "dist" / "bin").mkdir(parents=True)
    (source / "dist" / "app.js").write_bytes(b"\x00binary\xff")
    (source / "dist" / "bin" / "run").write_text("#!/bin/sh\n")
    os.chmod(source / "dist" / "bin" / "run", 0o755)
    (source / "dist" / "latest").symlink_to("app.js")
    archive = build(source, ["dist/app.js", "dist/bin/run", "dist/latest"])

    target = tmp_path / "b"
    target.mkdir()
    restored = unpack(archive, target)
    assert restored.meta == {"task": "build"}
    assert restored.log == b"hello\n"
    assert (target / "dist" / "app.js").read_bytes() == b"\x00binary\xff"
    assert os.stat(target / "dist" / "bin" / "run").st_mode & 0o777 == 0o755
    assert os.readlink(target / "dist" / "latest") == "app.js"
    assert not list((target / ".zr" / "tmp").iterdir())


def hostile(tmp_path, add, *, mode="w:gz", **headers):
    """An archive with a valid meta.json plus whatever ``add`` puts in."""
    path = tmp_path / "hostile.tar"
    with tarfile.open(path, mode, format=tarfile.PAX_FORMAT, pax_headers=headers) as tar:
        meta = b"{}"
        info = tarfile.TarInfo("meta.json")
        info.size = len(meta)
        tar.addfile(info, io.BytesIO(meta))
        add(tar)
    return path


def add_file(name, data=b"pwned"):
    def add(tar):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return add


def add_link(name, target, kind=tarfile.SYMTYPE):
    def add(tar):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.linkname = target
        tar.addfile(info)
    return add


@pytest.mark.parametrize("name", ["files/../escaped", "files/dist/../../escaped",
                                  "files//etc/escaped", "../escaped"])
def test_paths_leaving_the_project_are_refused(tmp_path, name):
    project = tmp_path / "project"
    project.mkdir()
    archive = hostile(tmp_path, add_file(name))
    with pytest.raises(ArchiveError):
        unpack(archive, project)
    assert not (tmp_path / "escaped").exists()
    assert not (project / "escaped").exists()


@pytest.mark.parametrize("target", ["../../outside", "/etc/passwd", "../.."])
def test_symlinks_pointing_out_of_the_project_are_refused(tmp_path, target):
    project = tmp_path / "project"
    project.mkdir()
    archive = hostile(tmp_path, add_link("files/dist/link", target))
    with pytest.raises(ArchiveError, match="outside the project|absolute"):
        unpack(archive, project)
    assert not (project / "dist").exists()


def test_hard_links_and_devices_are_refused(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    with pytest.raises(ArchiveError, match="hard link"):
        unpack(hostile(tmp_path, add_link("files/x", "files/y", tarfile.LNKTYPE)), project)
    with pytest.raises(ArchiveError, match="device"):
        unpack(hostile(tmp_path, add_link("files/null", "", tarfile.CHRTYPE)), project)


def test_a_refused_archive_changes_no_file(tmp_path):
    project = tmp_path / "project"
    (project / "dist").mkdir(parents=True)
    (project / "dist" / "app.js").write_text("old")

    def add(tar):
        add_file("files/dist/app.js", b"new")(tar)
        add_link("files/dist/evil", "../../../x")(tar)

    with pytest.raises(ArchiveError):
        unpack(hostile(tmp_path, add), project)
    assert (project / "dist" / "app.js").read_text() == "old"


def test_a_link_in_the_project_leading_out_is_not_written_through(tmp_path):
    project = tmp_path / "project"
    outside = tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    (project / "dist").symlink_to(outside)
    with pytest.raises(ArchiveError, match="link out of the project"):
        unpack(hostile(tmp_path, add_file("files/dist/app.js")), project)
    assert not (outside / "app.js").exists()


def test_garbage_is_an_archive_error(tmp_path):
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"<html>502 Bad Gateway</html>")
    project = tmp_path / "project"
    project.mkdir()
    with pytest.raises(ArchiveError, match="unreadable"):
        unpack(garbage, project)


def test_members_are_gzipped_only_when_that_pays(tmp_path):
    source = tmp_path / "a"
    source.mkdir()
    text = b"".join(b"line %d of a very regular report\n" % i for i in range(100_000))
    noise = os.urandom(3 << 20)
    (source / "report.txt").write_bytes(text)
    (source / "image.bin").write_bytes(noise)
    (source / "empty").write_bytes(b"")
    archive = build(source, ["report.txt", "image.bin", "empty"])
    assert os.path.getsize(archive) < len(noise) + len(text) // 10

    listed = subprocess.run(["tar", "tvf", str(archive)], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[-1] for line in listed.stdout.splitlines()] == [
        "meta.json", "log", "files/report.txt", "files/image.bin", "files/empty"]
    with tarfile.open(archive) as tar:
        report = tar.getmember("files/report.txt")
        assert report.pax_headers["ZR.encoding"] == "gzip"
        assert gzip.decompress(tar.extractfile(report).read()) == text
        assert "ZR.encoding" not in tar.getmember("files/image.bin").pax_headers
        assert tar.extractfile("files/image.bin").read() == noise

    target = tmp_path / "b"
    target.mkdir()
    unpack(archive, target)
    assert (target / "report.txt").read_bytes() == text
    assert (target / "image.bin").read_bytes() == noise
    assert (target / "empty").read_bytes() == b""


def test_entries_of_the_first_format_are_still_restored(tmp_path):
    archive = hostile(tmp_path, add_file("files/dist/app.js", b"made by zr 0.1"))
    project = tmp_path / "project"
    project.mkdir()
    assert unpack(archive, project).files == ["dist/app.js"]
    assert (project / "dist" / "app.js").read_bytes() == b"made by zr 0.1"


def add_gzipped(name, data, **headers):
    def add(tar):
        packed = gzip.compress(data)
        info = tarfile.TarInfo(name)
        info.size = len(packed)
        info.pax_headers = {"ZR.encoding": "gzip", "ZR.size": str(len(data)), **headers}
        tar.addfile(info, io.BytesIO(packed))
    return add


@pytest.mark.parametrize("add, error", [
    (add_gzipped("files/big", b"x" * 100_000, **{"ZR.size": "10"}), "larger than it says"),
    (add_gzipped("files/short", b"x" * 10, **{"ZR.size": "100000"}), "size it declares"),
    (add_gzipped("files/odd", b"x", **{"ZR.encoding": "zstd"}), "unknown encoding 'zstd'"),
])
def test_a_member_that_does_not_decode_as_declared_is_refused(tmp_path, add, error):
    project = tmp_path / "project"
    project.mkdir()
    with pytest.raises(ArchiveError, match=error):
        unpack(hostile(tmp_path, add, mode="w", **{"ZR.format": "2"}), project)
    assert list(project.iterdir()) == [project / ".zr"]


def test_an_entry_of_a_newer_format_is_refused(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    newer = hostile(tmp_path, add_file("files/app.js"), mode="w", **{"ZR.format": "3"})
    with pytest.raises(ArchiveError, match="entry format '3'"):
        unpack(newer, project)


def test_declared_outputs_are_matched_as_the_task_sees_them(tmp_path):
    from zr_plugin_cache.archive import declared_outputs

    (tmp_path / "pkg").mkdir()
    allowed = declared_outputs(["dist", "../shared/out", "!dist/skip"], tmp_path / "pkg",
                               tmp_path)
    assert [path for path in ("pkg/dist/a", "pkg/dist/skip", "shared/out/x", "pkg/src/a",
                              "zr.toml", ".git/hooks/pre-commit") if allowed(path)] == [
        "pkg/dist/a", "shared/out/x"]


def test_a_member_below_a_link_of_the_entry_is_refused(tmp_path):
    project = tmp_path / "project"
    project.mkdir()

    def add(tar):
        add_link("files/dist/a", ".")(tar)
        add_file("files/dist/a/x")(tar)

    with pytest.raises(ArchiveError, match="below a link"):
        unpack(hostile(tmp_path, add), project)
    assert not (project / "dist").exists()
