"""The fast half of recording: one record appended per run.

Importing sqlite3 and committing a transaction (with the checkpoint SQLite
does when the last connection closes) costs more than a whole trivial
``zr run``. So a run only appends one record to ``history.journal``
beside the database, with one ``write`` under an exclusive ``flock``; the
first reader of the history (``zr history``, ``history.last_duration``)
moves every journaled run into SQLite in one transaction, under the same
lock, and empties the journal.

A record is a 4-byte big-endian length and the marshal of ``(run_row,
task_rows)``. A torn tail (zr killed in the middle of its write) is shorter
than its length and is dropped. Each run carries a ``record_id``, unique in
the database, so a reader killed between its commit and emptying the
journal cannot insert a run twice.
"""

from __future__ import annotations

import marshal
import os
import struct

_LENGTH = struct.Struct(">I")


def journal_path(database: str) -> str:
    return os.path.splitext(database)[0] + ".journal"


def _locked(path: str, flags: int) -> int:
    import fcntl

    fd = os.open(path, flags, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


def append(database: str, run_row: dict, task_rows: list) -> None:
    """Journal one run (raises OSError when the state dir is unwritable)."""
    data = marshal.dumps((run_row, task_rows))
    path = journal_path(database)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = _locked(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, _LENGTH.pack(len(data)) + data)
    finally:
        os.close(fd)  # releases the lock


def _records(data: bytes) -> list:
    records, offset = [], 0
    while offset + _LENGTH.size <= len(data):
        (length,) = _LENGTH.unpack_from(data, offset)
        start = offset + _LENGTH.size
        if start + length > len(data):
            break  # torn tail
        try:
            records.append(marshal.loads(data[start:start + length]))
        except (ValueError, EOFError, TypeError):
            pass  # a damaged record is skipped, the rest are kept
        offset = start + length
    return records


def drain(database: str, store) -> None:
    """Move journaled runs into the database via ``store(records)``, which
    inserts them in one transaction; then empty the journal."""
    path = journal_path(database)
    try:
        fd = _locked(path, os.O_RDWR)
    except FileNotFoundError:
        return
    try:
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        records = _records(b"".join(chunks))
        if records:
            store(records)
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def pending(database: str) -> bool:
    try:
        return os.path.getsize(journal_path(database)) > 0
    except OSError:
        return False
