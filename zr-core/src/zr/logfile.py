"""Captured task output: a file of (stream, chunk) records, replayable.

The scheduler writes one when a plugin asks for capture (the cache plugin
stores it with the outputs); :func:`replay` feeds it back through the
printer so a cache hit looks exactly like the original run.
Record layout: 1 byte stream (1 or 2), 4 bytes big-endian length, data.
"""

from __future__ import annotations

import struct

_HEADER = struct.Struct(">BI")


class LogWriter:
    __slots__ = ("path", "_fh")

    def __init__(self, path: str):
        self.path = path
        self._fh = open(path, "wb")

    def write(self, stream: int, data: bytes) -> None:
        self._fh.write(_HEADER.pack(stream, len(data)))
        self._fh.write(data)

    def close(self) -> None:
        self._fh.close()


def read_records(path: str):
    """Yield ``(stream, data)`` records; stops quietly at a truncated tail."""
    with open(path, "rb") as fh:
        while True:
            header = fh.read(_HEADER.size)
            if len(header) < _HEADER.size:
                return
            stream, length = _HEADER.unpack(header)
            data = fh.read(length)
            if len(data) < length or stream not in (1, 2):
                return
            yield stream, data


def log_records(data: bytes):
    """Yield ``(stream, data)`` records of a captured log held in memory."""
    offset, size = 0, len(data)
    while offset + _HEADER.size <= size:
        stream, length = _HEADER.unpack_from(data, offset)
        offset += _HEADER.size
        chunk = data[offset:offset + length]
        if len(chunk) < length or stream not in (1, 2):
            return
        offset += length
        yield stream, chunk


def replay(path: str, name: str, printer) -> None:
    """Show a captured log as if task ``name`` were printing it now."""
    for stream, data in read_records(path):
        printer.task_output(name, stream, data)
