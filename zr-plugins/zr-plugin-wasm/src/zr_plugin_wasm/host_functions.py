"""The Extism host functions only zr can answer: the plugin's config, its
variables, logging and HTTP (every other ``extism:host/env`` import is the
wasm kernel's, see ``kernel.wat``).

Each reads its arguments from the kernel's memory through handles and
checks them: a handle that is not an allocated block, or a request the
plugin was not granted (a host outside ``allowed_hosts``), raises
:class:`HostCallError`, which ends the call as a plugin error naming the
host function.
"""

from __future__ import annotations

import json
import threading

import wasmtime

ENV_MODULE = "extism:host/env"
_calls = threading.local()  # .current: the CallState of the call on this thread


class HostCallError(Exception):
    """A host function refused a call; ends the plugin call."""

    def __init__(self, function: str, message: str):
        super().__init__(f"host call {function}: {message}")


class CallState:
    """What host functions of one call need: the kernel's memory and
    allocator in this call's store, the plugin's settings and variables, and
    the deadline of the call."""

    def __init__(self, plugin, memory, kernel_function, deadline: float):
        self.plugin = plugin
        self.memory = memory
        self._kernel_function = kernel_function  # name -> the kernel's Func (looked up lazily)
        self._functions: dict = {}
        self.deadline = deadline
        self.http_status = 0
        self.http_headers = {}

    def __enter__(self):
        self._outer = getattr(_calls, "current", None)
        _calls.current = self
        return self

    def __exit__(self, *exc):
        _calls.current = self._outer

    def _call(self, name: str, caller, *args):
        func = self._functions.get(name)
        if func is None:
            func = self._functions[name] = self._kernel_function(name)
        return func(caller, *args)

    def read(self, caller, function: str, handle: int, *, optional=False) -> bytes | None:
        """The bytes of the block at ``handle`` in the kernel's memory."""
        if handle == 0:
            if optional:
                return None
            raise HostCallError(function, "got a null handle")
        size = self._call("length", caller, handle)
        if size == 0:  # alloc(0) gives no block, so every real block has a length
            raise HostCallError(function, f"handle {handle} is not an allocated block")
        return bytes(self.memory.read(caller, handle, handle + size))

    def write(self, caller, function: str, data: bytes) -> int:
        """A new block holding ``data``; its handle (0 for no bytes: the
        kernel has no empty blocks)."""
        if not data:
            return 0
        handle = self._call("alloc", caller, len(data))
        if handle == 0:
            raise HostCallError(function, f"could not allocate {len(data)} bytes: the "
                                "plugin's memory limit was reached")
        self.memory.write(caller, data, handle)
        return handle


def _current() -> CallState:
    return _calls.current


def _text(caller, function, handle) -> str:
    data = _current().read(caller, function, handle)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HostCallError(function, "the argument is not UTF-8 text") from None


def config_get(caller, key_handle):
    state = _current()
    value = state.plugin.spec.config.get(_text(caller, "config_get", key_handle))
    return 0 if value is None else state.write(caller, "config_get", value.encode())


def var_get(caller, key_handle):
    state = _current()
    value = state.plugin.vars.get(_text(caller, "var_get", key_handle))
    return 0 if value is None else state.write(caller, "var_get", value)


MAX_VARS_BYTES = 1 << 20


def var_set(caller, key_handle, value_handle):
    state = _current()
    key = _text(caller, "var_set", key_handle)
    value = state.read(caller, "var_set", value_handle, optional=True)
    variables = state.plugin.vars
    if value is None:
        variables.pop(key, None)
        return
    if sum(map(len, variables.values())) + len(value) > MAX_VARS_BYTES:
        raise HostCallError("var_set", f"variables are limited to {MAX_VARS_BYTES} bytes")
    variables[key] = value


def _log(level):
    def log(caller, handle):
        state = _current()
        message = state.read(caller, f"log_{level}", handle).decode("utf-8", "replace")
        state.plugin.log(level, message)
    return log


def get_log_level(caller):
    return 2  # info: zr shows info, warn and error lines, drops debug and trace


def http_request(caller, request_handle, body_handle):
    import time
    import urllib.error
    import urllib.request
    from fnmatch import fnmatch
    from urllib.parse import urlsplit

    state = _current()
    try:
        request = json.loads(state.read(caller, "http_request", request_handle))
        url = request["url"]
        method = request.get("method") or "GET"
        headers = request.get("headers") or {}
    except (ValueError, KeyError, TypeError):
        raise HostCallError("http_request", "the request is not JSON like "
                            '{"url": "...", "method": "GET", "headers": {}}') from None
    host = urlsplit(url).hostname or ""
    allowed = state.plugin.spec.allowed_hosts
    if not any(fnmatch(host, pattern) for pattern in allowed):
        granted = ", ".join(allowed) if allowed else "none"
        raise HostCallError("http_request", f"host '{host}' is not in allowed_hosts "
                            f"(granted: {granted})")
    body = state.read(caller, "http_request", body_handle, optional=True)
    remaining = max(0.05, state.deadline - time.monotonic())
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=remaining) as response:
            data = response.read(state.plugin.spec.memory + 1)
            state.http_status = response.status
            state.http_headers = dict(response.headers.items())
    except urllib.error.HTTPError as error:
        data = error.read()
        state.http_status = error.code
        state.http_headers = dict(error.headers.items())
    except (OSError, ValueError) as exc:
        raise HostCallError("http_request", f"{method} {url} failed: {exc}") from None
    if len(data) > state.plugin.spec.memory:
        raise HostCallError("http_request", "the response is larger than the plugin's memory")
    return state.write(caller, "http_request", data) if data else 0


def http_status_code(caller):
    return _current().http_status


def http_headers(caller):
    state = _current()
    return state.write(caller, "http_headers", json.dumps(state.http_headers).encode())


def define_all(linker: wasmtime.Linker) -> None:
    """Define every zr host function on ``linker`` under ``extism:host/env``."""
    i32, i64 = wasmtime.ValType.i32(), wasmtime.ValType.i64()
    table = {
        "config_get": ([i64], [i64], config_get),
        "var_get": ([i64], [i64], var_get),
        "var_set": ([i64, i64], [], var_set),
        "http_request": ([i64, i64], [i64], http_request),
        "http_status_code": ([], [i32], http_status_code),
        "http_headers": ([], [i64], http_headers),
        "get_log_level": ([], [i32], get_log_level),
    }
    for level in ("trace", "debug", "info", "warn", "error"):
        table[f"log_{level}"] = ([i64], [], _log(level))
    for name, (params, results, func) in table.items():
        linker.define_func(ENV_MODULE, name, wasmtime.FuncType(params, results), func,
                           access_caller=True)
