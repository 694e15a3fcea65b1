"""What an image build depends on, reduced to two keys.

A build's output is decided by the files of its context that
``.dockerignore`` lets through, its Dockerfile, its settings (args,
target, platforms, tags, labels, secrets, network, push), the digests of
the image tasks it depends on (a base image rebuilt is a change) and the
daemon it goes to. ``content_key`` hashes all of that by content; ``stat_key`` hashes
the same list of files by path, mode, size, mtime and inode, the way git's
index does, so an unchanged tree is recognised without reading a byte and
a touched but identical file costs one content hash before it is a hit again.
"""

from __future__ import annotations

import hashlib
import os
import stat

from .dockerignore import DockerIgnore

_CHUNK = 1 << 20


class BuildInputs:
    """The files and settings of one image task's build, resolved to paths."""

    def __init__(self, build: dict, push: bool, cwd: str, daemon: str, upstream: dict):
        self.context = os.path.normpath(os.path.join(cwd, build["context"]))
        self.dockerfile = os.path.normpath(os.path.join(
            cwd, build["dockerfile"]) if build["dockerfile"] else
            os.path.join(self.context, "Dockerfile"))
        self.settings = _canonical_text({
            "args": build["args"], "target": build["target"], "platforms": build["platforms"],
            "tags": build["tags"], "labels": build["labels"], "secrets": build["secrets"],
            "network": build["network"], "push": push, "daemon": daemon, "upstream": upstream,
            "dockerfile": self.dockerfile, "context": self.context,
        })

    def files(self) -> list:
        """(relative path, lstat) of every context entry the daemon would get, sorted."""
        ignore = DockerIgnore.read(self.context)
        found = []
        for top, dirs, names in os.walk(self.context):
            rel_top = os.path.relpath(top, self.context).replace(os.sep, "/")
            rel_top = "" if rel_top == "." else rel_top + "/"
            kept = []
            for name in sorted(dirs):
                rel = rel_top + name
                if ignore.prunes(rel):
                    continue
                path = os.path.join(top, name)
                if os.path.islink(path):  # os.walk does not descend links: hash the link
                    if not ignore.excludes(rel):
                        found.append((rel, os.lstat(path)))
                    continue
                kept.append(name)
                if not ignore.excludes(rel):
                    found.append((rel, os.lstat(path)))
            dirs[:] = kept
            for name in names:
                rel = rel_top + name
                if not ignore.excludes(rel):
                    found.append((rel, os.lstat(os.path.join(top, name))))
        found.sort()
        return found

    def _dockerfile_stat(self):
        try:
            return os.stat(self.dockerfile)
        except FileNotFoundError:
            return None

    def stat_key(self, files: list) -> str:
        digest = hashlib.sha256(self.settings.encode())
        for rel, st in files + [("\0dockerfile", self._dockerfile_stat())]:
            if st is None:
                digest.update(f"{rel}\0missing\n".encode())
            else:
                digest.update(f"{rel}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0"
                              f"{st.st_ino}\n".encode())
        return digest.hexdigest()

    def content_key(self, files: list) -> str:
        digest = hashlib.sha256(self.settings.encode())
        for rel, st in files:
            path = os.path.join(self.context, rel)
            if stat.S_ISLNK(st.st_mode):
                body = "link:" + os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                body = _file_digest(path)
            else:
                body = "dir"
            digest.update(f"{rel}\0{st.st_mode & 0o7777 | stat.S_IFMT(st.st_mode)}\0"
                          f"{body}\n".encode())
        try:
            digest.update(b"dockerfile\0" + _file_digest(self.dockerfile).encode())
        except FileNotFoundError:
            digest.update(b"dockerfile\0missing")
        return digest.hexdigest()


def _canonical(value):
    """``value`` (dicts, lists, strings, numbers, booleans, None) with every
    dict as its items sorted by key: equal settings give equal text."""
    if isinstance(value, dict):
        return tuple(sorted((key, _canonical(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(item) for item in value)
    return value


def _canonical_text(value) -> str:
    # repr, not json.dumps: json (and the re and enum it imports) would cost a
    # cache hit more than the whole fingerprint of a small context.
    return repr(_canonical(value))


def _file_digest(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return digest.hexdigest()
            digest.update(chunk)
