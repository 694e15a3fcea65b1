"""The sandbox policy, one limit a test, with plugins written as WAT.

Each test builds a real module, runs it on wasmtime through the plugin's
runtime (kernel and host functions included) and checks what the user
would read: the plugin error naming the plugin and the hook.
"""

from __future__ import annotations

import http.server
import json
import os
import threading

import pytest
import wasmtime

from zr_plugin_wasm.errors import WasmPluginError
from zr_plugin_wasm.hooks import call_json
from zr_plugin_wasm.runtime import WasmPlugin
from zr_plugin_wasm.settings import Mount, PluginSpec

from wat_plugins import answer, answering, plugin

pytestmark = pytest.mark.crossversion


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ZR_CACHE_DIR", str(tmp_path / "cache"))


def load(tmp_path, wat: str, name: str = "test", **limits) -> WasmPlugin:
    path = tmp_path / f"{name}.wasm"
    path.write_bytes(wasmtime.wat2wasm(wat))
    logged = []
    loaded = WasmPlugin(PluginSpec(name, path=str(path), **limits),
                        log=lambda plugin, level, message: logged.append((level, message)))
    loaded.logged = logged
    return loaded


def failure(loaded, function: str, payload: bytes = b"", hook: str = "zr_task_start") -> str:
    with pytest.raises(WasmPluginError) as caught:
        loaded.call(function, payload, hook)
    message = str(caught.value)
    assert message.startswith(f"wasm plugin '{loaded.name}' ({hook}): "), message
    return message


def test_hello(tmp_path):
    loaded = load(tmp_path, answering(hello='"hello from wasm"'))
    assert loaded.call("hello", b"{}", "zr_task_start") == b'"hello from wasm"'


def test_a_string_round_trip_of_a_mebibyte(tmp_path):
    loaded = load(tmp_path, plugin({"echo": "(call $echo) (i32.const 0)"}))
    text = ("héllo wörld " * 90_000)[:1 << 20].encode()
    assert loaded.call("echo", text, "zr_task_start") == text


def test_an_infinite_loop_ends_at_its_timeout(tmp_path):
    loaded = load(tmp_path, plugin({"spin": "(loop $forever (br $forever)) (i32.const 0)"}),
                  timeout=0.3)
    assert "timed out after 0.30s" in failure(loaded, "spin")


def test_fuel_bounds_the_instructions_of_a_call(tmp_path):
    loaded = load(tmp_path, plugin({"spin": "(loop $forever (br $forever)) (i32.const 0)"}),
                  fuel=100_000, timeout=30)
    assert "ran out of fuel after 100,000 units" in failure(loaded, "spin")


def test_a_memory_grow_bomb_stops_at_the_limit(tmp_path):
    # grows a page at a time until memory.grow fails, then aborts
    bomb = plugin({"bomb": """
        (block $refused (loop $more
          (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
          (br $more)))
        unreachable"""})
    loaded = load(tmp_path, bomb, memory=4 * 1024 * 1024)
    message = failure(loaded, "bomb")
    assert "hit `unreachable`" in message
    assert "memory limit of 4MiB was reached" in message


def test_a_module_asking_for_more_memory_than_allowed_does_not_start(tmp_path):
    loaded = load(tmp_path, plugin({"big": "(i32.const 0)"}, pages=2000), memory=64_000_000)
    message = failure(loaded, "big")
    assert "needs more memory than its limit of 64MB to start" in message


def test_an_unknown_import_is_named(tmp_path):
    wat = plugin({"f": "(call $nope) (i32.const 0)"},
                 imports='(import "env" "nope" (func $nope))')
    message = failure(load(tmp_path, wat), "f")
    assert "needs an import zr does not provide" in message
    assert "env::nope" in message


def test_unreachable_is_a_plugin_error(tmp_path):
    message = failure(load(tmp_path, plugin({"f": "unreachable"})), "f")
    assert "hit `unreachable` (the plugin aborted or panicked)" in message


def test_a_stack_overflow_is_stopped(tmp_path):
    wat = plugin({"f": "(call $deep (i32.const 0)) (i32.const 0)"}).replace(
        "(memory (export", "(func $deep (param i32) (call $deep (i32.add (local.get 0) "
        "(i32.const 1))))\n  (memory (export", 1)
    assert "overflowed its stack" in failure(load(tmp_path, wat), "f")


def test_a_host_function_refusing_a_bad_handle(tmp_path):
    wat = plugin({"f": "(call $log_info (i64.const 123456)) (i32.const 0)"},
                 imports='(import "extism:host/env" "log_info" (func $log_info (param i64)))')
    message = failure(load(tmp_path, wat), "f")
    assert "host call log_info: handle 123456 is not an allocated block" in message


def test_a_bad_output_pointer(tmp_path):
    wat = plugin({"f": "(call $output_set (i64.const 3000000) (i64.const 10)) (i32.const 0)"})
    message = failure(load(tmp_path, wat), "f")
    assert "set its output to 10 bytes at 3000000, outside its memory" in message


def test_an_error_the_plugin_sets_is_its_message(tmp_path):
    data, _ = answer("level must be one of low, high")
    wat = plugin({"f": "(call $fail (i32.const 0) (i32.const 30)) (i32.const 1)"}, data=data)
    assert failure(load(tmp_path, wat), "f").endswith("level must be one of low, high")


def test_invalid_json_out_is_a_plugin_error(tmp_path):
    loaded = load(tmp_path, answering(zr_task_start="not json at all"))
    with pytest.raises(WasmPluginError, match=r"\(zr_task_start\): answered with invalid JSON"):
        call_json(loaded, "zr_task_start", "zr_task_start", {"task": {}})


def test_every_call_gets_a_fresh_store(tmp_path):
    # traps when it finds its global already set: a second call on the same
    # instance would fail
    wat = plugin({"once": "(if (global.get $seen) (then unreachable)) "
                          "(global.set $seen (i32.const 1)) (i32.const 0)"}).replace(
        "(memory (export", "(global $seen (mut i32) (i32.const 0))\n  (memory (export", 1)
    loaded = load(tmp_path, wat)
    for _ in range(3):
        assert loaded.call("once", b"", "zr_task_start") == b""


WASI_IMPORTS = """
  (import "wasi_snapshot_preview1" "path_open" (func $path_open
    (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write
    (param i32 i32 i32 i32) (result i32)))
"""
# Opens (creating) "out.txt" in the first preopened directory (fd 3) and
# writes "written"; fails with the errno when WASI refuses.
WRITE_FILE = plugin({"write": """
    (local $errno i32)
    (local.set $errno (call $path_open (i32.const 3) (i32.const 0) (i32.const 100)
      (i32.const 7) (i32.const 1) (i64.const 0x1ff) (i64.const 0x1ff) (i32.const 0)
      (i32.const 200)))
    (if (local.get $errno) (then
      (i32.store8 (i32.const 41) (i32.add (i32.const 48) (i32.div_u (local.get $errno)
        (i32.const 10))))
      (i32.store8 (i32.const 42) (i32.add (i32.const 48) (i32.rem_u (local.get $errno)
        (i32.const 10))))
      (call $fail (i32.const 20) (i32.const 23))
      (return (i32.const 1))))
    (i32.store (i32.const 300) (i32.const 120)) (i32.store (i32.const 304) (i32.const 7))
    (drop (call $fd_write (i32.load (i32.const 200)) (i32.const 300) (i32.const 1)
      (i32.const 400)))
    (i32.const 0)"""}, data={100: "out.txt", 120: "written", 20: "cannot create, errno 00"},
    imports=WASI_IMPORTS)


def test_a_read_only_path_cannot_be_written(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    loaded = load(tmp_path, WRITE_FILE, mounts=[Mount(str(shared), "/data", False)])
    assert "cannot create, errno" in failure(loaded, "write")
    assert not (shared / "out.txt").exists()


def test_a_writable_path_can_be_written(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    loaded = load(tmp_path, WRITE_FILE, mounts=[Mount(str(shared), "/data", True)])
    loaded.call("write", b"", "zr_task_start")
    assert (shared / "out.txt").read_text() == "written"


def test_no_directory_is_visible_without_allowed_paths(tmp_path):
    assert "cannot create, errno 08" in failure(load(tmp_path, WRITE_FILE), "write")  # EBADF


HTTP_IMPORTS = """
  (import "extism:host/env" "http_request" (func $http_request (param i64 i64) (result i64)))
  (import "extism:host/env" "length" (func $length (param i64) (result i64)))
"""


def fetching(url: str) -> str:
    request = json.dumps({"url": url, "method": "GET"})
    return plugin({"fetch": f"""
        (local $body i64)
        (local.set $body (call $http_request
          (call $handle (i32.const 0) (i32.const {len(request)})) (i64.const 0)))
        (call $output_set (local.get $body) (call $length (local.get $body)))
        (i32.const 0)"""}, data={0: request}, imports=HTTP_IMPORTS)


def test_a_network_call_with_no_allowed_host_is_refused(tmp_path, http_server_of):
    base, hits = http_server_of({"/x": b'{"answer": 42}'})
    message = failure(load(tmp_path, fetching(base + "/x")), "fetch")
    assert hits == []
    assert "host call http_request: host '127.0.0.1' is not in allowed_hosts (granted: none)" \
        in message


def test_an_allowed_host_answers(tmp_path, http_server_of):
    base, _ = http_server_of({"/x": b'{"answer": 42}'})
    loaded = load(tmp_path, fetching(base + "/x"), allowed_hosts=["127.0.0.1"])
    assert json.loads(loaded.call("fetch", b"", "zr_task_start")) == {"answer": 42}


def test_nothing_of_the_environment_is_inherited_but_allowed_env(tmp_path, monkeypatch):
    # environ_sizes_get reports how many variables the plugin sees
    wat = plugin({"count": """
        (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
        (i32.store8 (i32.const 8) (i32.add (i32.const 48) (i32.load (i32.const 0))))
        (call $output (i32.const 8) (i32.const 1)) (i32.const 0)"""},
        imports='(import "wasi_snapshot_preview1" "environ_sizes_get" '
                '(func $environ_sizes_get (param i32 i32) (result i32)))')
    monkeypatch.setenv("ZR_WASM_VISIBLE", "1")
    monkeypatch.setenv("ZR_WASM_HIDDEN", "1")
    assert load(tmp_path, wat).call("count", b"", "h") == b"0"
    assert load(tmp_path, wat, allowed_env=["ZR_WASM_VISIBLE"]).call("count", b"", "h") == b"1"


def test_compiled_modules_are_cached_and_a_damaged_entry_is_rebuilt(tmp_path):
    import zr_plugin_wasm.runtime as runtime

    runtime._kernel = None  # compiled by an earlier test, into another cache
    wat = answering(hello='"hi"')
    assert load(tmp_path, wat).call("hello", b"", "h") == b'"hi"'
    compiled = list((tmp_path / "cache" / "wasm" / "compiled").glob("*.cwasm"))
    assert len(compiled) == 2  # zr's kernel and the plugin
    for entry in compiled:
        entry.write_bytes(b"damaged")
    runtime._kernel = None
    assert load(tmp_path, wat, name="again").call("hello", b"", "h") == b'"hi"'
    assert all(entry.read_bytes() != b"damaged" for entry in compiled)


def test_a_pinned_digest_that_does_not_match_refuses_the_module(tmp_path):
    loaded = load(tmp_path, answering(hello='"hi"'), sha256="0" * 64)
    message = failure(loaded, "hello")
    assert "refusing to load it" in message


def test_a_module_from_a_url_is_pinned_and_downloaded_once(tmp_path, http_server_of):
    import hashlib

    wasm = wasmtime.wat2wasm(answering(hello='"from the network"'))
    base, hits = http_server_of({"/hello.wasm": bytes(wasm)})
    digest = hashlib.sha256(wasm).hexdigest()
    spec = PluginSpec("remote", url=base + "/hello.wasm", sha256=digest)
    assert WasmPlugin(spec).call("hello", b"", "h") == b'"from the network"'
    assert WasmPlugin(spec).call("hello", b"", "h") == b'"from the network"'
    assert hits == ["/hello.wasm"]  # the second load came from zr's cache
    wrong = PluginSpec("remote", url=base + "/hello.wasm", sha256="1" * 64)
    with pytest.raises(WasmPluginError, match="refusing to load it"):
        WasmPlugin(wrong).call("hello", b"", "h")


@pytest.fixture
def http_server_of():
    """Serves fixed bodies by path on 127.0.0.1; records the paths asked for."""
    servers = []

    def start(bodies: dict):
        hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                body = bodies.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}", hits

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_plugin_cannot_overwrite_the_kernels_state(tmp_path):
    # offset 24 holds the output offset: a store there would forge the output
    wat = plugin({"forge": "(call $store_u64 (i64.const 24) (i64.const 5)) (i32.const 0)"})
    assert "hit `unreachable`" in failure(load(tmp_path, wat), "forge")


def test_freed_blocks_have_no_length(tmp_path):
    # alloc 5, free it, then output its length as one digit: 0
    wat = plugin({"f": """
        (local $h i64)
        (local.set $h (call $alloc (i64.const 5)))
        (call $free (local.get $h))
        (i32.store8 (i32.const 0) (i32.add (i32.const 48)
          (i32.wrap_i64 (call $length (local.get $h)))))
        (call $output (i32.const 0) (i32.const 1)) (i32.const 0)"""},
        imports='(import "extism:host/env" "free" (func $free (param i64)))\n'
                '(import "extism:host/env" "length" (func $length (param i64) (result i64)))')
    assert load(tmp_path, wat).call("f", b"input", "h") == b"0"


def test_a_wat_file_is_compiled_as_text(tmp_path):
    path = tmp_path / "hello.wat"
    path.write_text(answering(hello='"from text"'))
    loaded = WasmPlugin(PluginSpec("text", path=str(path)))
    assert loaded.call("hello", b"", "h") == b'"from text"'


def test_an_export_of_the_wrong_type_is_named(tmp_path):
    wat = plugin({}).replace("(memory (export", '(func (export "takes") (param i32))\n'
                             '  (memory (export', 1)
    message = failure(load(tmp_path, wat), "takes")
    assert "export takes must be an Extism plugin function () -> i32" in message
