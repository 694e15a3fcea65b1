"""Native file events (inotify, FSEvents, ReadDirectoryChangesW through
watchdog) or polling, delivering relevant paths to a callback.

To keep the number of inotify watches small in big trees, the project root
is watched on its own and each top-level directory recursively, skipping
directories that are never relevant (``.git``, ``node_modules`` when it is
in ``.gitignore``...). A top-level directory created later is added when it
appears. When native watching is unavailable (no inotify, watch limit
reached) zr falls back to polling and says so.
"""

from __future__ import annotations

import os

_CHANGES = frozenset({"created", "modified", "deleted", "moved"})


def _handler_class():
    from watchdog.events import FileSystemEventHandler

    class Handler(FileSystemEventHandler):
        def __init__(self, watcher):
            self.watcher = watcher

        def on_any_event(self, event):
            if event.event_type not in _CHANGES:
                return
            if event.is_directory and event.event_type == "modified":
                return  # a file inside changed; its own event says which
            paths = [event.src_path] + ([event.dest_path] if event.dest_path else [])
            for path in paths:
                self.watcher.seen(os.fsdecode(path), event.is_directory,
                                  event.event_type == "created")

    return Handler


class Watcher:
    """Starts an observer over the project; ``on_change(path)`` for each
    relevant change (called from the observer's thread)."""

    def __init__(self, change_filter, on_change, *, poll: bool, poll_interval: float):
        self.filter = change_filter
        self.on_change = on_change
        self.poll_interval = poll_interval
        self.fallback_reason = None
        self.handler = _handler_class()(self)
        self.observer = None
        if not poll:
            try:
                self.observer = self._start(native=True)
            except OSError as exc:
                self.fallback_reason = exc.strerror or str(exc)
        if self.observer is None:
            self.observer = self._start(native=False)
        self.polling = self.observer.__class__.__name__ == "PollingObserver"

    def describe(self) -> str:
        if self.polling:
            return f"polling every {self.poll_interval:g}s"
        name = self.observer.__class__.__name__.replace("Observer", "").lower()
        return {"inotify": "inotify", "fsevents": "FSEvents", "kqueue": "kqueue",
                "read_directory_changes": "ReadDirectoryChangesW"}.get(name, name or "native")

    def _start(self, native: bool):
        if native:
            from watchdog.observers import Observer

            observer = Observer()
        else:
            from watchdog.observers.polling import PollingObserver

            observer = PollingObserver(timeout=self.poll_interval)
        try:
            root = self.filter.root
            observer.schedule(self.handler, root, recursive=False)
            for entry in os.scandir(root):
                if entry.is_dir(follow_symlinks=False) and not self.filter.skipped_dir(
                        entry.path):
                    observer.schedule(self.handler, entry.path, recursive=True)
            observer.start()
        except BaseException:
            observer.stop()
            raise
        return observer

    def seen(self, path: str, is_dir: bool, created: bool) -> None:
        if is_dir and created and os.path.dirname(path) == self.filter.root \
                and not self.filter.skipped_dir(path):
            try:
                self.observer.schedule(self.handler, path, recursive=True)
            except OSError:
                pass
        if self.filter.relevant(path, is_dir):
            self.on_change(path)

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(5)
