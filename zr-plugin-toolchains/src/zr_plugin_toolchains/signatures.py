"""Checking minisign signatures (zig signs every tarball it publishes).

A minisign public key is ``base64("Ed" + key id (8 bytes) + Ed25519 key)``.
A ``.minisig`` file has four lines::

    untrusted comment: <anything>
    base64(algorithm (2 bytes) + key id (8 bytes) + signature (64 bytes))
    trusted comment: <text>
    base64(global signature (64 bytes))

The signature is Ed25519 over the file itself (algorithm ``Ed``) or over
its BLAKE2b-512 digest (``ED``, "prehashed", minisign's default since
0.8); the global signature is Ed25519 over ``signature + trusted comment``,
so the trusted comment cannot be altered. Zig's trusted comment names the
file (``timestamp:... file:zig-x86_64-linux-0.13.0.tar.xz hashed``): a
``file:`` that differs from the archive's name is refused, which stops a
mirror from serving an older signed tarball under a newer name.

Ed25519 comes from ``cryptography``, imported only when a signature is
checked (never on a run whose toolchains are installed).
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from zr.api import ZrError

PREHASHED = b"ED"
LEGACY = b"Ed"


class SignatureError(ZrError):
    """A signature is missing, malformed, by another key, or does not match."""


class Expected:
    """A signature an archive must carry: where it is, the trusted key and
    where that key came from (for messages)."""

    __slots__ = ("url", "key", "origin")

    def __init__(self, url: str, key: str, origin: str):
        self.url = url
        self.key = key
        self.origin = origin


class PublicKey:
    """A minisign public key: its 8-byte id and the Ed25519 key."""

    __slots__ = ("key_id", "raw")

    def __init__(self, key_id: bytes, raw: bytes):
        self.key_id = key_id
        self.raw = raw

    @property
    def id_text(self) -> str:
        return key_id_text(self.key_id)


class Signature:
    __slots__ = ("algorithm", "key_id", "signature", "trusted_comment", "global_signature")

    def __init__(self, algorithm, key_id, signature, trusted_comment, global_signature):
        self.algorithm = algorithm
        self.key_id = key_id
        self.signature = signature
        self.trusted_comment = trusted_comment
        self.global_signature = global_signature


def key_id_text(key_id: bytes) -> str:
    """The id as minisign prints it (a little-endian 64-bit number in hex)."""
    return key_id[::-1].hex().upper()


def _b64(text: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what} is not base64") from None
    if len(raw) != size:
        raise SignatureError(f"{what} has {len(raw)} bytes, expected {size}")
    return raw


def parse_public_key(text: str) -> PublicKey:
    """A key from its base64 line (``RWS...``) or a whole ``minisign.pub``."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("untrusted comment:")]
    if len(lines) != 1:
        raise SignatureError("a minisign public key is one base64 line (RW...)")
    raw = _b64(lines[0], 42, "the minisign public key")
    if raw[:2] != LEGACY:
        raise SignatureError("the minisign public key is not an Ed25519 key")
    return PublicKey(raw[2:10], raw[10:])


def parse_signature(text: str) -> Signature:
    lines = text.splitlines()
    if len(lines) < 4 or not lines[0].startswith("untrusted comment:") \
            or not lines[2].startswith("trusted comment: "):
        raise SignatureError("not a minisign signature file (expected an untrusted comment, "
                             "the signature, a trusted comment and the global signature)")
    raw = _b64(lines[1], 74, "the signature")
    if raw[:2] not in (PREHASHED, LEGACY):
        raise SignatureError(f"unknown signature algorithm {raw[:2]!r}")
    trusted = lines[2][len("trusted comment: "):]
    return Signature(raw[:2], raw[2:10], raw[10:], trusted,
                     _b64(lines[3], 64, "the global signature"))


def _blake2b(path: str) -> bytes:
    digest = hashlib.blake2b(digest_size=64)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.digest()


def verify_file(path: str, signature_text: str, key_text: str, filename: str) -> str:
    """Check ``path`` (published as ``filename``) against a ``.minisig``;
    its trusted comment, or :class:`SignatureError` saying what is wrong."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        raise SignatureError("checking it needs the `cryptography` package (pip install "
                             "cryptography)") from None

    key = parse_public_key(key_text)
    sig = parse_signature(signature_text)
    if sig.key_id != key.key_id:
        raise SignatureError(f"it is signed by the key with id {key_id_text(sig.key_id)}, "
                             f"not by the trusted key {key.id_text}")
    public = Ed25519PublicKey.from_public_bytes(key.raw)
    if sig.algorithm == PREHASHED:
        message = _blake2b(path)
    else:
        with open(path, "rb") as fh:
            message = fh.read()
    try:
        public.verify(sig.signature, message)
    except InvalidSignature:
        raise SignatureError("the signature does not match the file") from None
    try:
        public.verify(sig.global_signature, sig.signature + sig.trusted_comment.encode())
    except InvalidSignature:
        raise SignatureError("the trusted comment's signature does not match (the comment "
                             "was altered)") from None
    named = [field[5:] for field in sig.trusted_comment.split() if field.startswith("file:")]
    if named and named[0] != filename:
        raise SignatureError(f"the signature is for {named[0]}, not {filename}")
    return sig.trusted_comment
