"""The cache during one ``zr run``: look up before a task, store after it.

Made by the plugin at ``zr_run_start`` when some task of the run has
``cache = true`` (a run without one never builds it). It owns the local
store, the remote (if configured) and a scratch directory for archives.

A lookup happens in ``zr_task_executor``, with the attempt's final plan
(the key is computed from what would run). A local hit is restored at
once; a remote lookup is a :class:`zr.api.ThreadExecutor`: the download,
restore and replay happen in a worker thread that reports through the
attempt's handle, so a slow server never holds up other tasks' output,
and a miss hands the attempt back to the local runner.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from zr.api import CACHED, FAILED, SUCCESS, TaskResult, ThreadExecutor, log_records

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
    from zr.api import make_printer

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

    def lookup(self, task, plan):
        """A CACHED result after restoring outputs and replaying the log (a
        local hit), an executor that tries the remote, or None (run it).
        Every task's plan is remembered: dependents' keys include its key."""
        self.keys.remember(task.name, plan)
        if not self.applies_to(task) or task.name in self.looked_up:
            return None  # not cached, or a retry: the first attempt already missed
        self.looked_up.add(task.name)
        started = time.monotonic()
        key = self.keys.key(task.name)  # also needed to store a forced run
        if task.name in self.run.force:
            return None
        entry = self.store.open_verified(key)
        if entry is not None:
            try:
                restored = archive.unpack(entry, self.root, self._may_write(task))
            except archive.ArchiveError as error:
                self.printer.warn(f"cache entry of '{task.name}' (local) was not restored: "
                                  f"{error}")
                self.store.remove(key)
                restored = None
            finally:
                entry.close()
            if restored is not None:
                self._replay(task, restored.log)
                return self._hit(task, key, "local", restored, started)
        if self.remote is None or self.remote.disabled:
            return None
        # The download ends when the attempt is cancelled (timeout, Ctrl-C).
        fetch = ThreadExecutor(lambda handle, plan: self._fetch_remote(
            task, key, handle, started, fetch.cancelled), name=f"zr-cache-fetch-{task.name}")
        return fetch

    def _may_write(self, task):
        """What an entry of ``task`` may restore: its declared outputs only
        (an entry is untrusted input; see :mod:`.archive`)."""
        return archive.declared_outputs(task.field("outputs") or (), task.cwd, self.root)

    def _fetch_remote(self, task, key: str, handle, started: float, cancelled) -> None:
        """In a worker thread: download, restore and replay a remote entry
        through ``handle``, or hand the attempt back to the local runner
        (which ends a cancelled attempt instead of running it)."""
        download = self._scratch() / f"{key}.{threading.get_ident()}.download"
        try:
            if not self.remote.fetch(key, download, cancelled):
                handle.run_locally()
                return
            try:
                restored = archive.unpack(download, self.root, self._may_write(task))
            except archive.ArchiveError as error:
                reason = " ".join(str(error).split())  # one line, whatever tarfile said
                self.printer.warn(f"cache entry {key} of '{task.name}' (remote) was not "
                                  f"restored: {reason}" + self.remote.remove_bad(key, cancelled))
                handle.run_locally()
                return
            self.store.put(key, download)
            for stream, data in log_records(restored.log):
                handle.output(stream, data)
            handle.finish(result=self._hit(task, key, "remote", restored, started))
        except Exception as error:  # never fail a build for the cache's sake
            self.printer.warn(f"cache lookup of '{task.name}' failed: {error!r}; running it")
            handle.run_locally()
        finally:
            try:
                os.unlink(download)
            except OSError:
                pass

    @staticmethod
    def _hit(task, key: str, source: str, restored, started: float):
        saved = float(restored.meta.get("duration", 0.0))
        from zr.api import format_duration

        return TaskResult(
            task.name, CACHED, exit_code=0, duration=time.monotonic() - started,
            message=f"saved {format_duration(saved)}" if saved else "",
            extra={"saved_seconds": saved, "cache_key": key, "cache_source": source})

    def _replay(self, task, log: bytes) -> None:
        if not log:
            return
        for stream, data in log_records(log):
            self.printer.task_output(task.name, stream, data)
        if self._own_printer:
            # The kernel ends the task's output on its printer, not on ours:
            # close dangling lines and release output held by --output group.
            self.printer.end_task_output(task.name, True)

    # -- after a task -------------------------------------------------------

    def record(self, task, result) -> None:
        """Store a successful run's outputs and log; fail it if a declared
        output is missing."""
        key = self.keys.keys.get(task.name)
        if result.status != SUCCESS or key is None:
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
            result.status = FAILED
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
