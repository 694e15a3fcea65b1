"""Calling a WASM plugin's exported function with the Extism ABI, on wasmtime.

An Extism plugin exports functions ``() -> i32`` (0 = success) and imports
``extism:host/env``: the *kernel* (an allocator, input, output and error in
a memory of its own) and a few host functions. zr links its kernel
(``kernel.wat``, compiled once) into every call's store beside the plugin,
so a PDK's data moves by wasm-to-wasm calls, and defines the host
functions that need zr in Python (:mod:`.host_functions`).

One call (:meth:`WasmPlugin.call`): a fresh store with the sandbox limits,
instantiate the kernel and the plugin, place the input, run ``_initialize``
(for WASI reactors) and the function, then read the output or the error the
plugin set. Everything that can go wrong becomes a :class:`WasmPluginError`
naming the plugin and the hook.
"""

from __future__ import annotations

import os
import struct
import threading
import time

import wasmtime

from . import sandbox
from .compile_cache import load_module, remember_exports
from .errors import WasmPluginError
from .host_functions import ENV_MODULE, CallState, HostCallError, define_all
from .source import module_bytes

_KERNEL_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel.wat")
_kernel = None
_kernel_lock = threading.Lock()


def kernel_module() -> wasmtime.Module:
    """zr's Extism kernel, compiled once per process (through the cache)."""
    global _kernel
    if _kernel is None:
        with _kernel_lock:
            if _kernel is None:
                import hashlib

                with open(_KERNEL_PATH, encoding="utf-8") as fh:
                    wasm = wasmtime.wat2wasm(fh.read())
                _kernel = load_module(sandbox.engine(), bytes(wasm),
                                      hashlib.sha256(wasm).hexdigest())
    return _kernel


class WasmPlugin:
    """One ``[plugins.wasm.NAME]``: its module, loaded on first call."""

    def __init__(self, spec, log=None):
        self.spec = spec
        self.name = spec.name
        self.vars: dict = {}  # Extism variables, kept for the whole zr process
        self._log = log
        self._module = None
        self._linker = None
        self._exports = None  # exported function names -> whether each is () -> i32
        self._wasi = False
        self._lock = threading.Lock()

    # --- loading ---------------------------------------------------------

    def load(self) -> None:
        if self._module is not None:
            return
        data, digest = module_bytes(self.spec)
        if not data.startswith(b"\0asm"):
            if not self.spec.source.endswith(".wat"):
                raise WasmPluginError(self.name, None, f"{self.spec.source} is not a "
                                      "WebAssembly module (a .wasm file starts with \\0asm)")
            try:
                data = bytes(wasmtime.wat2wasm(data.decode("utf-8", "replace")))
            except wasmtime.WasmtimeError as exc:
                raise WasmPluginError(self.name, None, f"{self.spec.source}: "
                                      f"{sandbox.explain(exc, self.spec)}") from None
        engine = sandbox.engine()
        try:
            module = load_module(engine, data, digest)
        except wasmtime.WasmtimeError as exc:
            raise WasmPluginError(self.name, None, f"{self.spec.source} is not a valid "
                                  f"WebAssembly module: {sandbox.explain(exc, self.spec)}") \
                from None
        linker = wasmtime.Linker(engine)
        linker.allow_shadowing = True
        linker.define_wasi()
        define_all(linker)
        self._exports = {export.name: _is_plugin_function(export.type)
                         for export in module.exports
                         if isinstance(export.type, wasmtime.FuncType)}
        self._wasi = any(item.module.startswith("wasi") for item in module.imports)
        remember_exports(digest, module)
        self._linker = linker
        self._module = module

    def exports(self) -> list:
        """Names of the module's exported functions."""
        self.load()
        return list(self._exports)

    def log(self, level: str, message: str) -> None:
        if self._log is not None:
            self._log(self.name, level, message)

    # --- one call --------------------------------------------------------

    def call(self, function: str, payload: bytes, hook: str) -> bytes:
        """Run export ``function`` with ``payload`` as its input; its output."""
        try:
            self.load()
        except WasmPluginError as exc:
            raise WasmPluginError(self.name, hook, exc.reason) from None
        callable_ = self._exports.get(function)
        if callable_ is None:
            raise WasmPluginError(self.name, hook, f"does not export {function}")
        if not callable_:
            raise WasmPluginError(self.name, hook, f"export {function} must be an Extism "
                                  "plugin function () -> i32")
        store, stderr = sandbox.new_store(self.spec, wasi=self._wasi)
        memories: list = []
        try:
            return self._run(store, function, payload, hook, memories)
        except WasmPluginError:
            raise
        except HostCallError as exc:
            raise WasmPluginError(self.name, hook, str(exc)) from None
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:
            at_limit = sandbox.memory_at_limit(store, memories, self.spec)
            reason = sandbox.explain(exc, self.spec, at_memory_limit=at_limit)
            cause = _host_error(exc)
            if cause is not None:
                reason = str(cause)
            raise WasmPluginError(self.name, hook, reason + _stderr_tail(stderr)) from None

    def check(self) -> None:
        """Load and instantiate the module without calling anything: it
        compiles, links against what zr offers and fits its memory limit."""
        self.load()
        store, _ = sandbox.new_store(self.spec, wasi=self._wasi)
        try:
            self._instantiate(store)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as exc:
            raise WasmPluginError(self.name, None, sandbox.explain(exc, self.spec)) from None

    def _instantiate(self, store):
        kernel = wasmtime.Instance(store, kernel_module(), [])
        with self._lock:  # the linker is shared; the kernel it holds is this call's
            self._linker.define_instance(store, ENV_MODULE, kernel)
            return self._linker.instantiate(store, self._module)

    def _run(self, store, function, payload, hook, memories) -> bytes:
        instance = self._instantiate(store)
        get = self._linker.get
        memory = get(store, ENV_MODULE, "memory")
        memories.append(memory)
        exports = instance.exports(store)
        own_memory = exports.get("memory")
        if isinstance(own_memory, wasmtime.Memory):
            memories.append(own_memory)
        if not place_input(store, memory, payload):
            raise WasmPluginError(self.name, hook, "its memory limit is too small to hold "
                                  f"the {len(payload)}-byte input")
        state = CallState(self, memory, lambda name: get(store, ENV_MODULE, name),
                          time.monotonic() + self.spec.timeout)
        with state:
            initialize = exports.get("_initialize")
            if isinstance(initialize, wasmtime.Func):
                initialize(store)
            code = exports[function](store)
        out_offset, out_length, error = struct.unpack("<QQQ", memory.read(store, 24, 48))
        if error:
            message = _read(store, memory, error, get(store, ENV_MODULE, "length")(store, error))
            if message is None:
                raise WasmPluginError(self.name, hook, "set an error at a bad handle")
            raise WasmPluginError(self.name, hook, message.decode("utf-8", "replace").strip()
                                  or f"failed (returned {code})")
        if code != 0:
            raise WasmPluginError(self.name, hook, f"{function} returned {code} (failure) "
                                  "without an error message")
        if out_length == 0:
            return b""
        output = _read(store, memory, out_offset, out_length)
        if output is None:
            raise WasmPluginError(self.name, hook, f"set its output to {out_length} bytes at "
                                  f"{out_offset}, outside its memory")
        return output


# The kernel's state sits at the start of its memory (see kernel.wat): next
# header, input offset and length, output offset and length, error handle.
# Blocks start at 48; the input is the first block of a fresh kernel.
_FIRST_BLOCK = 48


def place_input(store, memory, payload: bytes) -> bool:
    """Write ``payload`` as the input of a fresh kernel, with one memory write
    (instead of calls into wasm); False when the memory limit forbids it."""
    size = len(payload)
    if size == 0:
        return True
    data = _FIRST_BLOCK + 16
    end = (data + size + 7) & ~7
    have = memory.data_len(store)
    if end > have:
        try:
            memory.grow(store, (end - have + 65535) >> 16)
        except wasmtime.WasmtimeError:
            return False
    memory.write(store, struct.pack("<QQQ", end, data, size) + bytes(24)
                 + struct.pack("<QQ", size, size) + payload, 0)
    return True


def _is_plugin_function(kind) -> bool:
    """Whether an export has the type of an Extism plugin function, () -> i32."""
    return not list(kind.params) and [str(r) for r in kind.results] == ["i32"]


def _read(store, memory, offset: int, length: int) -> bytes | None:
    """``length`` bytes at ``offset`` of ``memory``, or None when out of bounds."""
    if offset < 0 or length < 0 or offset + length > memory.data_len(store):
        return None
    return bytes(memory.read(store, offset, offset + length))


def _host_error(exc: BaseException):
    """The :class:`HostCallError` a trap carries, if a host function raised it."""
    seen = exc
    while seen is not None:
        if isinstance(seen, HostCallError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _stderr_tail(path: str | None, lines: int = 5) -> str:
    if path is None:
        return ""
    try:
        with open(path, "rb") as fh:
            text = fh.read()[-2000:].decode("utf-8", "replace").strip()
    except OSError:
        return ""
    if not text:
        return ""
    tail = " | ".join(text.splitlines()[-lines:])
    return f" (its stderr: {tail})"
