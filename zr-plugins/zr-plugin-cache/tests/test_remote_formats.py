"""Wire formats shared with other tools: Bazel's ActionResult, Turborepo's tag."""

import base64
import hashlib
import hmac

import pytest

from zr_plugin_cache.bazel_proto import OutputFile, decode_action_result, encode_action_result
from zr_plugin_cache.remote import SignatureError
from zr_plugin_cache.signing import artifact_tag, verified_chunks


def test_action_result_round_trips_with_large_sizes_and_inline_contents():
    files = [OutputFile("zr-entry.tar.gz", "ab" * 32, 5_000_000_000),
             OutputFile("zr-signature", "cd" * 32, 3, b"tag")]
    decoded = decode_action_result(encode_action_result(files))
    assert [(f.path, f.hash, f.size, f.contents) for f in decoded] == [
        ("zr-entry.tar.gz", "ab" * 32, 5_000_000_000, b""),
        ("zr-signature", "cd" * 32, 3, b"tag")]


def test_garbage_is_not_an_action_result():
    with pytest.raises(ValueError):
        decode_action_result(b"\x12\xff\xff\xff\xff\x0f<html>")


def test_tag_is_computed_as_turborepo_computes_it(tmp_path):
    body = bytes([5, 72, 219, 39, 156])
    path = tmp_path / "body"
    path.write_bytes(body)
    expected = hmac.new(b"x3vq8mFz0J", b"d5b7e4688f" + b"tH7sL1Rn9K" + body, hashlib.sha256)
    tag = artifact_tag(b"x3vq8mFz0J", "d5b7e4688f", "tH7sL1Rn9K", path)
    assert tag == base64.b64encode(expected.digest()).decode()


def test_verification_fails_for_tampered_body_other_key_or_missing_tag(tmp_path):
    path = tmp_path / "body"
    path.write_bytes(b"outputs")
    tag = artifact_tag(b"secret", "k" * 64, "team", path)
    assert b"".join(verified_chunks([b"out", b"puts"], b"secret", "k" * 64, "team", tag)) == b"outputs"
    for chunks, key, secret, given in [([b"outputs!"], "k" * 64, b"secret", tag),
                                       ([b"outputs"], "j" * 64, b"secret", tag),
                                       ([b"outputs"], "k" * 64, b"other", tag),
                                       ([b"outputs"], "k" * 64, b"secret", None),
                                       ([b"outputs"], "k" * 64, b"secret", "!!notbase64")]:
        with pytest.raises(SignatureError):
            b"".join(verified_chunks(chunks, secret, key, "team", given))
