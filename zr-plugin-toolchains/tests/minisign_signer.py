"""minisign signing for the test mirror, with the same Ed25519 library zr
verifies with (``cryptography``): the mirror signs its zig tarballs as
ziglang.org does, with a test key the test projects trust.

Formats (minisign's): the public key is ``base64("Ed" + id + key)``; a
``.minisig`` holds an untrusted comment, ``base64(alg + id + signature)``
(``ED``: over the file's BLAKE2b-512, ``Ed``: over the file itself), a
trusted comment and ``base64(signature over signature + trusted comment)``.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


class MinisignKey:
    def __init__(self, seed: bytes | None = None):
        seed = seed if seed is not None else os.urandom(32)
        self.private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest())
        self.key_id = hashlib.sha256(b"id" + seed).digest()[:8]
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        #: the public key as zig's download page and zr's config write it
        self.public = base64.b64encode(b"Ed" + self.key_id + raw).decode()

    def signature(self, path, trusted_comment: str | None = None, *,
                  prehashed: bool = True) -> str:
        """The ``.minisig`` text of the file at ``path``."""
        data = open(path, "rb").read()
        if trusted_comment is None:
            trusted_comment = f"timestamp:1718127497\tfile:{os.path.basename(path)}\thashed"
        message = hashlib.blake2b(data, digest_size=64).digest() if prehashed else data
        algorithm = b"ED" if prehashed else b"Ed"
        signature = self.private.sign(message)
        global_signature = self.private.sign(signature + trusted_comment.encode())
        return ("untrusted comment: signature from minisign secret key\n"
                + base64.b64encode(algorithm + self.key_id + signature).decode() + "\n"
                + f"trusted comment: {trusted_comment}\n"
                + base64.b64encode(global_signature).decode() + "\n")

    def sign(self, path, trusted_comment: str | None = None, *, prehashed: bool = True) -> str:
        """Write ``<path>.minisig``; its path."""
        target = f"{path}.minisig"
        with open(target, "w") as fh:
            fh.write(self.signature(path, trusted_comment, prehashed=prehashed))
        return target


#: the key the test mirror signs with; fixed, so the repacked real-zig tree
#: (built once per machine, see real_toolchains.py) stays valid across sessions
MIRROR_KEY = MinisignKey(b"zr-plugin-toolchains test mirror")
