"""The cache during one ``zr run``: look up before a task, store after it.

Made by the plugin at ``zr_run_start`` when some task of the run has
``cache = true`` (a run without one never builds it). It owns the local
store, the remote (if configured) and a scratch directory for archives.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from zr import model

from . import archive, globs
from .key import KeyMaker
from .settings import CacheSettings, is_cacheable
from .store import LocalStore


def printer_for(run):
    """(printer, is_our_own): the kernel's printer for this run if it shares
    it, else one made the same way (same prefixes, colours and mode), so
    replayed output and warnings look like live ones."""
    printer = getattr(run, "printer", None)
    if printer is not None:
        return printer, False
    from zr.cli import make_printer

    printer = make_printer(run.options, run.config)
    printer.set_names(run.plan)
    return printer, True


class CacheSession:
    def __init__(self, run):
        config = run.config
        self.run = run
        self.root = Path(config.root)
        self.settings = CacheSettings(config.doc.get("cache"), config.root)
        self.store = LocalStore(self.settings.directory, self.settings.max_size)
        self.keys = KeyMaker(run, self.settings)
        self.printer, self._own_printer = printer_for(run)
        self.scratch = None
        self.remote = make_remote(run, self.settings, self.printer.warn)
        self.looked_up: set = set()

    def applies_to(self, task) -> bool:
        return is_cacheable(task) and not self.run.options.get("no_cache")

    def _scratch(self) -> Path:
        if self.scratch is None:
            base = Path(self.settings.directory) / "tmp"
            base.mkdir(parents=True, exist_ok=True)
            self.scratch = Path(tempfile.mkdtemp(prefix="run-", dir=base))
        return self.scratch

    # -- before a task ------------------------------------------------------

    def lookup(self, task):
        """A CACHED result after restoring outputs and replaying the log, or None."""
        if task.name in self.looked_up:
            return None  # a retry: the first attempt already missed
        self.looked_up.add(task.name)
        started = time.monotonic()
        key = self.keys.key(task.name)  # also needed to store a forced run
        if task.name in self.run.force:
            return None
        source, entry = "local", self.store.open_verified(key)
        if entry is None and self.remote is not None:
            download = self._scratch() / f"{key}.download"
            if self.remote.fetch(key, download):
                source, entry = "remote", download
        if entry is None:
            return None
        try:
            allowed = archive.declared_outputs(task.field("outputs") or (), task.cwd, self.root)
            restored = archive.unpack(entry, self.root, allowed)
        except archive.ArchiveError as error:
            self.printer.warn(f"cache entry of '{task.name}' ({source}) was not restored: {error}")
            if source == "local":
                self.store.remove(key)
            return None
        finally:
            if source == "local":
                entry.close()
        if source == "remote":
            self.store.put(key, entry)
            os.unlink(entry)
        self._replay(task, restored.log)
        return model.TaskResult(
            task.name, model.CACHED, exit_code=0, duration=time.monotonic() - started,
            message=f"restored from the {source} cache",
            extra={"saved_seconds": float(restored.meta.get("duration", 0.0)),
                   "cache_key": key, "cache_source": source})

    def _replay(self, task, log: bytes) -> None:
        if not log:
            return
        from zr.logfile import replay

        path = self._scratch() / f"{task.name.replace('/', '_')}.replay"
        path.write_bytes(log)
        try:
            replay(str(path), task.name, self.printer)
        finally:
            path.unlink()
        if self._own_printer:
            # The kernel ends the task's output on its printer, not on ours:
            # close dangling lines and release output held by --output group.
            self.printer.end_task_output(task.name, True)

    # -- after a task -------------------------------------------------------

    def record(self, task, result) -> None:
        """Store a successful run's outputs and log; fail it if a declared
        output is missing."""
        key = self.keys.keys.get(task.name)
        if result.status != model.SUCCESS or key is None:
            return
        files = self._outputs(task, result)
        if files is None:
            return
        packed = self._scratch() / f"{key}.{os.getpid()}.tar"
        meta = {"task": task.name, "key": key, "duration": result.duration,
                "created": time.time()}
        archive.pack(packed, self.root, files, meta, result.log_path)
        self.store.put(key, packed)
        if self.remote is not None and not self.settings.read_only:
            self.remote.upload_later(key, packed)
        else:
            packed.unlink()

    def _outputs(self, task, result):
        """Output files relative to the project root, or None after failing
        ``result`` (missing output) or warning (output outside the project)."""
        declared = task.field("outputs") or ()
        if not declared:
            return []
        cwd = Path(task.cwd)
        selection = globs.select(declared, cwd, project_root=self.root)
        if selection.unmatched:
            missing = ", ".join(f"'{p}'" for p in selection.unmatched)
            where = os.path.relpath(cwd, self.root)
            result.status = model.FAILED
            result.exit_code = result.exit_code or 1
            result.message = (f"declared output {missing} was not produced (outputs are "
                              f"relative to the task's cwd, "
                              f"{'the project root' if where == '.' else repr(where)})")
            result.extra["failed_by_plugin"] = True
            return None
        files = []
        for relative in selection.files:
            from_root = Path(os.path.relpath(cwd / relative, self.root)).as_posix()
            if from_root.startswith("../"):
                self.printer.warn(f"'{task.name}' was not cached: output '{relative}' is "
                                  f"outside the project")
                return None
            files.append(from_root)
        return files

    # -- end of run -----------------------------------------------------------

    def finish(self) -> None:
        try:
            if self.remote is not None:
                self.remote.finish()
        finally:
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)


def make_remote(run, settings, warn):
    """The run's :class:`RemoteCache`, or None without ``[cache.remote]``."""
    if not settings.remote:
        return None
    from .backends import make_backend
    from .remote import DEFAULT_TIMEOUT
    from .remote_cache import RemoteCache

    backend = make_backend(run.config, settings, warn)

    return RemoteCache(backend, warn, read_only=settings.read_only,
                       timeout=settings.remote.get("timeout", DEFAULT_TIMEOUT))
