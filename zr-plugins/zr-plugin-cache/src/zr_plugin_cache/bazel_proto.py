"""Just enough protobuf for a Bazel ``ActionResult`` naming zr's entry blob.

Bazel-style HTTP caches (bazel-remote) expect ``/ac/<key>`` to hold an
``ActionResult`` message and check it parses; ``/cas/<sha256>`` holds blobs.
zr's ``/ac/`` entry lists its archive as one ``OutputFile`` (and, when
signing is on, the signature as a second one with inline contents), so the
same server serves Bazel and zr. Field numbers are from
``build/bazel/remote/execution/v2/remote_execution.proto``:
ActionResult.output_files = 2; OutputFile.path = 1, digest = 2, contents = 5;
Digest.hash = 1, size_bytes = 2.
"""

from __future__ import annotations

_VARINT, _BYTES = 0, 2


class OutputFile:
    __slots__ = ("path", "hash", "size", "contents")

    def __init__(self, path: str, hash: str = "", size: int = 0, contents: bytes = b""):
        self.path = path
        self.hash = hash
        self.size = size
        self.contents = contents


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | _BYTES) + _varint(len(payload)) + payload


def encode_action_result(files) -> bytes:
    out = bytearray()
    for item in files:
        digest = _field(1, item.hash.encode()) + _varint(2 << 3 | _VARINT) + _varint(item.size)
        message = _field(1, item.path.encode()) + _field(2, digest)
        if item.contents:
            message += _field(5, item.contents)
        out += _field(2, message)
    return bytes(out)


def _fields(data: bytes):
    """(field number, wire type, value) of one message; ValueError if malformed."""
    position = 0
    while position < len(data):
        tag, position = _read_varint(data, position)
        number, wire = tag >> 3, tag & 7
        if wire == _VARINT:
            value, position = _read_varint(data, position)
        elif wire == _BYTES:
            length, position = _read_varint(data, position)
            if position + length > len(data):
                raise ValueError("truncated field")
            value, position = data[position:position + length], position + length
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            value, position = data[position:position + width], position + width
        else:
            raise ValueError(f"unsupported wire type {wire}")
        yield number, wire, value


def _read_varint(data: bytes, position: int):
    result = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise ValueError("bad varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7


def decode_action_result(data: bytes) -> list:
    """The ``OutputFile``s of an ``ActionResult``; ValueError if it is not one."""
    files = []
    for number, wire, value in _fields(data):
        if number != 2 or wire != _BYTES:
            continue
        item = OutputFile("")
        for sub_number, sub_wire, sub_value in _fields(value):
            if sub_number == 1 and sub_wire == _BYTES:
                item.path = sub_value.decode("utf-8")
            elif sub_number == 2 and sub_wire == _BYTES:
                for d_number, d_wire, d_value in _fields(sub_value):
                    if d_number == 1 and d_wire == _BYTES:
                        item.hash = d_value.decode("ascii")
                    elif d_number == 2 and d_wire == _VARINT:
                        item.size = d_value
            elif sub_number == 5 and sub_wire == _BYTES:
                item.contents = bytes(sub_value)
        files.append(item)
    return files
