"""Using a remote backend during one run without ever failing or stalling it.

Downloads happen in the task's turn (a hit saves the run); uploads go to a
single background thread so a slow remote never delays the next task, and
:meth:`RemoteCache.finish` waits for them when the run ends, as long as
they move at a useful rate (:data:`~zr_plugin_cache.remote.SLOWEST_RATE`,
which downloads must keep too): a 1 GB entry to a far-away bucket is worth
a minute, a server that trickles is not. The first fault (refused, timeout, HTTP error, garbage, bad
signature) prints one warning and switches the remote off for the rest of
the run, so a dead server costs at most one timeout. A bad entry (see
:class:`~zr_plugin_cache.remote.BadEntry`) is not a fault: it is a miss,
and :meth:`RemoteCache.remove_bad` deletes it from the remote.
"""

from __future__ import annotations

import os
import queue
import threading

from .remote import SLOWEST_RATE, BadEntry, Cancelled, cancelled_by


class RemoteCache:
    def __init__(self, backend, warn, *, read_only: bool, timeout: float):
        self.backend = backend
        self.warn = warn
        self.read_only = read_only
        self.timeout = timeout
        self.disabled = False
        self._lock = threading.Lock()
        self._uploads: queue.Queue = queue.Queue()
        self._worker = None
        self._unfinished_bytes = 0  # queued or being uploaded
        self._said_cannot_delete = False

    def fault(self, doing: str, error: BaseException) -> None:
        """Warn about the first fault of the run and stop using the remote."""
        with self._lock:
            if self.disabled:
                return
            self.disabled = True
        reason = str(error) or type(error).__name__
        self.warn(f"remote cache ({self.backend.describe()}) failed {doing}: {reason}; "
                  f"it is off for the rest of this run, tasks run and cache locally")

    def fetch(self, key: str, destination, cancelled=None) -> bool:
        """Download ``key`` into the file ``destination``; True on a hit.

        A bad entry (signature, digest) is a miss with a warning and is
        removed (:meth:`remove_bad`); the remote stays on, since other
        entries may be fine. ``cancelled`` (a :class:`threading.Event`,
        the attempt's) ends the download early as a miss, with no warning:
        the task's timeout or Ctrl-C is not the remote's fault.
        """
        if self.disabled:
            return False
        try:
            with cancelled_by(cancelled):
                chunks = self.backend.get(key)
                if chunks is None:
                    return False
                with open(destination, "wb") as out:
                    for chunk in chunks:
                        if cancelled is not None and cancelled.is_set():
                            raise Cancelled("cancelled")
                        out.write(chunk)
            return True
        except BadEntry as error:
            self.warn(f"remote cache entry {key} ignored: {error}"
                      + self.remove_bad(key, cancelled))
        except Exception as error:  # any backend problem is a fault, never a failure
            if not (cancelled is not None and cancelled.is_set()):
                self.fault("to download", error)
        try:
            os.unlink(destination)
        except OSError:
            pass
        return False

    def remove_bad(self, key: str, cancelled=None) -> str:
        """Delete the entry ``key``, found bad (tampered, corrupt, unsigned,
        unsafe to restore), from the remote so that no run downloads it
        again; what became of it, as the end of the caller's warning.

        Deleting is writing: a ``read_only`` remote keeps the entry. A
        backend without ``delete`` (the Turborepo API) keeps it too, which
        the first such warning of a run says. A failed delete is not a
        fault: reading may still work. It runs before the task does, so it
        can never remove the fresh entry the task's run uploads."""
        if self.read_only:
            return "; it stays on the remote (read_only)"
        delete = getattr(self.backend, "delete", None)
        if not callable(delete):
            if self._said_cannot_delete:
                return "; it stays on the remote"
            self._said_cannot_delete = True
            return (f"; it stays on the remote: the {self.backend.describe()} cannot "
                    f"delete entries")
        if self.disabled:
            return "; it stays on the remote (off for this run)"
        try:
            with cancelled_by(cancelled):
                delete(key)
        except Exception as error:
            return f"; removing it from the remote failed: {str(error) or type(error).__name__}"
        return "; removed it from the remote"

    def upload_later(self, key: str, path) -> None:
        """Queue ``path`` for upload; the file is deleted once handled."""
        if self.disabled or self.read_only:
            _remove(path)
            return
        if self._worker is None:
            self._worker = threading.Thread(target=self._upload_loop, name="zr-cache-upload",
                                            daemon=True)
            self._worker.start()
        size = os.path.getsize(path)
        with self._lock:
            self._unfinished_bytes += size
        self._uploads.put((key, path, size))

    def _upload_loop(self) -> None:
        while True:
            item = self._uploads.get()
            if item is None:
                return
            key, path, size = item
            try:
                if not self.disabled:
                    self.backend.put(key, path)
            except Exception as error:
                self.fault("to upload", error)
            finally:
                _remove(path)
                with self._lock:
                    self._unfinished_bytes -= size

    def finish(self) -> None:
        """Wait for the uploads still queued or running when the run ended,
        for as long as they could take at ``SLOWEST_RATE`` plus
        three timeouts each; warn about any left unfinished. (Every request
        is bounded by ``timeout``, so a stalled upload fails sooner.)"""
        if self._worker is None:
            return
        with self._lock:
            pending = self._uploads.qsize() + 1  # the one being uploaded, if any
            budget = 3 * self.timeout * pending + self._unfinished_bytes / SLOWEST_RATE
        self._uploads.put(None)
        self._worker.join(timeout=budget)
        if self._worker.is_alive():
            self.warn(f"remote cache ({self.backend.describe()}): uploads did not finish "
                      f"within {budget:.0f}s (slower than 1 MB/s) and were abandoned")


def _remove(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
