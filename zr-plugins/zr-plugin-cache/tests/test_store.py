"""The local store: atomic, verified, bounded, shared by processes."""

import multiprocessing
import os
import time

from zr_plugin_cache.store import LocalStore

KEY_A = "a" * 64
KEY_B = "b" * 64
KEY_C = "c" * 64


def payload(tmp_path, name, size=1000, byte=b"x"):
    path = tmp_path / name
    path.write_bytes(byte * size)
    return path


def test_an_entry_reads_back_what_was_stored(tmp_path):
    store = LocalStore(tmp_path / "store")
    store.put(KEY_A, payload(tmp_path, "p", 5000))
    with store.open_verified(KEY_A) as handle:
        assert handle.read() == b"x" * 5000
    assert store.open_verified(KEY_B) is None


def test_a_corrupted_entry_is_a_miss_and_is_removed(tmp_path):
    store = LocalStore(tmp_path / "store")
    path = store.put(KEY_A, payload(tmp_path, "p"))
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    assert store.open_verified(KEY_A) is None
    assert not path.exists()


def test_a_truncated_entry_is_a_miss(tmp_path):
    store = LocalStore(tmp_path / "store")
    path = store.put(KEY_A, payload(tmp_path, "p"))
    path.write_bytes(path.read_bytes()[:30])
    assert store.open_verified(KEY_A) is None


def test_least_recently_used_entries_are_evicted_past_the_limit(tmp_path):
    store = LocalStore(tmp_path / "store", max_size=2500)
    old = time.time() - 1000
    store.put(KEY_A, payload(tmp_path, "a"))
    os.utime(store.path_for(KEY_A), (old, old))
    store.put(KEY_B, payload(tmp_path, "b"))
    os.utime(store.path_for(KEY_B), (old + 10, old + 10))
    store.open_verified(KEY_A).close()  # reading A makes B the least recently used
    store.put(KEY_C, payload(tmp_path, "c"))
    assert store.open_verified(KEY_B) is None
    assert store.open_verified(KEY_A) is not None
    assert store.open_verified(KEY_C) is not None


def test_clean_removes_entries_unused_for_longer_than_asked(tmp_path):
    store = LocalStore(tmp_path / "store")
    store.put(KEY_A, payload(tmp_path, "a"))
    store.put(KEY_B, payload(tmp_path, "b"))
    week_ago = time.time() - 8 * 86400
    os.utime(store.path_for(KEY_A), (week_ago, week_ago))
    removed, _ = store.clean(older_than=7 * 86400)
    assert removed == 1
    assert store.stats().entries == 1
    size_b = store.path_for(KEY_B).stat().st_size
    assert store.clean() == (1, size_b)
    assert store.stats().entries == 0


def write_many(directory, source, key, rounds):
    store = LocalStore(directory)
    for _ in range(rounds):
        store.put(key, source)


def test_two_processes_writing_the_same_key_lose_nothing(tmp_path):
    source = payload(tmp_path, "p", 200_000, b"z")
    directory = tmp_path / "store"
    workers = [multiprocessing.get_context("spawn").Process(
        target=write_many, args=(directory, source, KEY_A, 30)) for _ in range(2)]
    for worker in workers:
        worker.start()
    store = LocalStore(directory)
    reads = 0
    while any(w.is_alive() for w in workers) or reads == 0:
        handle = store.open_verified(KEY_A)
        if handle is not None:
            with handle:
                assert handle.read() == b"z" * 200_000
            reads += 1
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    assert store.stats().entries == 1
    assert not [p for p in store.path_for(KEY_A).parent.iterdir() if p.name.startswith(".tmp-")]
