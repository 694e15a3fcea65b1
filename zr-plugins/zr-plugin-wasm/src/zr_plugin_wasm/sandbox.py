"""The sandbox policy, in one place: what a WASM plugin gets and how it is stopped.

- One :class:`wasmtime.Engine` per process, with fuel metering, epoch
  interruption and a stack limit switched on (:data:`ENGINE_FLAGS`, which are
  also part of the compiled-module cache key).
- A new :class:`wasmtime.Store` for every hook call (:func:`new_store`), so
  no state leaks from one call to the next, carrying that plugin's limits:
  each linear memory capped at ``memory`` bytes, ``fuel`` instructions, and an
  epoch deadline of ``timeout`` seconds kept by one ticker thread.
- WASI that inherits nothing: no arguments but the plugin's name, only the
  ``allowed_env`` variables, only the ``allowed_paths`` directories
  (read-only unless marked writable), no stdin, stdout dropped, stderr to a
  private file that is quoted when a call fails. WASI preview 1 has no
  sockets; HTTP goes through the ``http_request`` host function, which checks
  ``allowed_hosts``.
- :func:`explain` turns every way a call can end badly (trap, fuel, timeout,
  exit, missing import) into one sentence for the user.
"""

from __future__ import annotations

import os
import threading

import wasmtime

EPOCH_TICK = 0.01  # seconds between epoch increments
STACK_LIMIT = 1 << 20  # bytes of wasm stack a call may use
ENGINE_FLAGS = {"consume_fuel": True, "epoch_interruption": True, "max_wasm_stack": STACK_LIMIT}
# Stores hold two instances (the kernel and the plugin), a memory each.
_STORE_INSTANCES = 4
_STORE_MEMORIES = 4
_STORE_TABLES = 4

_lock = threading.Lock()
_engine = None


def engine() -> wasmtime.Engine:
    """The process's engine, created on first use and started ticking."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                config = wasmtime.Config()
                config.consume_fuel = ENGINE_FLAGS["consume_fuel"]
                config.epoch_interruption = ENGINE_FLAGS["epoch_interruption"]
                config.max_wasm_stack = ENGINE_FLAGS["max_wasm_stack"]
                created = wasmtime.Engine(config)
                _start_ticker(created)
                _engine = created
    return _engine


def _start_ticker(target: wasmtime.Engine) -> None:
    """One daemon thread advances the engine's epoch every :data:`EPOCH_TICK`;
    a store's deadline is a number of ticks. A running wasm call does not
    hold the GIL, so the ticker runs beside it."""
    import time

    def tick():
        while True:
            time.sleep(EPOCH_TICK)
            target.increment_epoch()

    threading.Thread(target=tick, name="zr-wasm-epoch", daemon=True).start()


_stderr_dir: list = []


def _stderr_path(name: str) -> str:
    """A private file per plugin and thread for the plugin's stderr."""
    if not _stderr_dir:
        import atexit
        import shutil
        import tempfile

        directory = tempfile.mkdtemp(prefix="zr-wasm-stderr-")
        atexit.register(shutil.rmtree, directory, True)
        _stderr_dir.append(directory)
    return os.path.join(_stderr_dir[0], f"{name}-{threading.get_ident()}.stderr")


def new_store(spec, *, wasi: bool = True, environ=None) -> tuple:
    """A fresh store for one call of ``spec``'s plugin, and its stderr file
    (None when the module imports no WASI, which then gets none)."""
    store = wasmtime.Store(engine())
    store.set_limits(memory_size=spec.memory, instances=_STORE_INSTANCES,
                     tables=_STORE_TABLES, memories=_STORE_MEMORIES)
    store.set_fuel(spec.fuel)
    store.set_epoch_deadline(max(1, int(spec.timeout / EPOCH_TICK + 0.999)))
    if not wasi:
        return store, None
    config = wasmtime.WasiConfig()
    config.argv = [spec.name]
    source = os.environ if environ is None else environ
    config.env = [(key, source[key]) for key in spec.allowed_env if key in source]
    for mount in spec.mounts:
        config.preopen_dir(mount.host, mount.guest, fs_mutable=mount.writable)
    stderr = _stderr_path(spec.name)
    config.stderr_file = stderr
    store.set_wasi(config)
    return store, stderr


def memory_at_limit(store, memories, spec) -> bool:
    """Whether one of ``memories`` cannot grow another page under the cap."""
    for memory in memories:
        try:
            if (memory.size(store) + 1) * 65536 > spec.memory:
                return True
        except wasmtime.WasmtimeError:
            continue
    return False


def explain(exc: BaseException, spec, *, at_memory_limit: bool = False) -> str:
    """One sentence saying how a call ended, for a plugin error."""
    from zr.api import format_duration

    if isinstance(exc, wasmtime.ExitTrap):
        return f"exited with code {exc.code}"
    if isinstance(exc, wasmtime.Trap):
        code = exc.trap_code
        if code == wasmtime.TrapCode.OUT_OF_FUEL:
            return f"ran out of fuel after {spec.fuel:,} units (raise fuel to allow more)"
        if code == wasmtime.TrapCode.INTERRUPT:
            return (f"timed out after {format_duration(spec.timeout)} (raise timeout to "
                    "allow more)")
        if code == wasmtime.TrapCode.STACK_OVERFLOW:
            return f"overflowed its stack (limit {STACK_LIMIT // 1024} KiB)"
        reason = {
            wasmtime.TrapCode.UNREACHABLE: "hit `unreachable` (the plugin aborted or panicked)",
            wasmtime.TrapCode.MEMORY_OUT_OF_BOUNDS: "accessed memory out of bounds",
            wasmtime.TrapCode.INTEGER_DIVISION_BY_ZERO: "divided by zero",
        }.get(code, f"trapped ({_first_line(exc)})")
        if at_memory_limit:
            reason += f"; its memory limit of {_size(spec.memory)} was reached"
        return reason
    text = _first_line(exc)
    if "unknown import" in text:
        return (f"needs an import zr does not provide: {text.split(':', 1)[-1].strip()} "
                "(zr offers WASI preview 1 and the Extism host functions)")
    if "exceeds memory limits" in text or "memory minimum size" in text:
        return (f"needs more memory than its limit of {_size(spec.memory)} to start "
                f"({text}); raise memory to allow more")
    return text


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _size(value: int) -> str:
    for unit, scale in (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if value >= scale and value % scale == 0:
            return f"{value // scale}{unit}"
    if value % (1 << 20) == 0:
        return f"{value >> 20}MiB"
    return f"{value} bytes"
