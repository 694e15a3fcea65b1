"""Extism plugins written as WAT text, for the tests (no toolchain needed).

:func:`plugin` wraps function bodies in a module that imports the Extism
kernel functions and has helpers every body can use:

- ``(call $output (i32.const PTR) (i32.const LEN))`` copies bytes of the
  plugin's memory into a kernel block and makes it the output;
- ``(call $fail (i32.const PTR) (i32.const LEN))`` sets them as the error;
- ``(call $echo)`` makes the input the output, copied through the plugin's
  memory 8 bytes at a time, as the PDKs do; ``(call $echo_slice (i32.const
  1) (i32.const 1))`` leaves out the first and last byte (``["x"]`` gives
  ``"x"``);
- ``(call $handle (i32.const PTR) (i32.const LEN))`` returns a kernel
  block holding them (an argument for a host function).

Strings are placed with ``data``: ``{offset: "text"}``.
"""

from __future__ import annotations

import json

PRELUDE = """
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "input_load_u8" (func $input_load_u8 (param i64) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "store_u64" (func $store_u64 (param i64 i64)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (import "extism:host/env" "error_set" (func $error_set (param i64)))
  {imports}
  (memory (export "memory") {pages})
  (func $handle (param $ptr i32) (param $len i32) (result i64)
    (local $h i64) (local $i i32)
    (local.set $h (call $alloc (i64.extend_i32_u (local.get $len))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (call $store_u8 (i64.add (local.get $h) (i64.extend_i32_u (local.get $i)))
                      (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $h))
  (func $output (param $ptr i32) (param $len i32)
    (call $output_set (call $handle (local.get $ptr) (local.get $len))
                      (i64.extend_i32_u (local.get $len))))
  (func $fail (param $ptr i32) (param $len i32)
    (call $error_set (call $handle (local.get $ptr) (local.get $len))))
  (func $echo (call $echo_slice (i32.const 0) (i32.const 0)))
  ;; input -> plugin memory at 65536 (8 bytes a call, then the tail) -> output,
  ;; less $skip bytes at the start and $trim at the end
  (func $echo_slice (param $skip i32) (param $trim i32)
    (local $n i64) (local $i i64)
    (local.set $n (call $input_length))
    (if (i64.gt_u (local.get $n) (i64.const 0))
      (then (drop (memory.grow (i32.wrap_i64 (i64.add (i64.shr_u (local.get $n) (i64.const 16))
                                                       (i64.const 1)))))))
    (block $done (loop $next
      (br_if $done (i64.gt_u (i64.add (local.get $i) (i64.const 8)) (local.get $n)))
      (i64.store (i32.add (i32.const 65536) (i32.wrap_i64 (local.get $i)))
                 (call $input_load_u64 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $next)))
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (i32.const 65536) (i32.wrap_i64 (local.get $i)))
                  (call $input_load_u8 (local.get $i)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))
    (call $output (i32.add (i32.const 65536) (local.get $skip))
                  (i32.sub (i32.sub (i32.wrap_i64 (local.get $n)) (local.get $skip))
                           (local.get $trim))))
"""


def plugin(functions: dict, *, data: dict | None = None, imports: str = "",
           pages: int = 1) -> str:
    """A module exporting each ``name: body`` of ``functions`` as ``() -> i32``."""
    parts = ["(module", PRELUDE.replace("{imports}", imports).replace("{pages}", str(pages))]
    for offset, text in (data or {}).items():
        escaped = "".join(f"\\{b:02x}" for b in text.encode())
        parts.append(f'  (data (i32.const {offset}) "{escaped}")')
    for name, body in functions.items():
        parts.append(f'  (func (export "{name}") (result i32)\n    {body})')
    parts.append(")")
    return "\n".join(parts)


def answer(text: str, offset: int = 0) -> tuple:
    """``(data, body)`` of a function whose output is ``text``."""
    size = len(text.encode())
    return {offset: text}, f"(call $output (i32.const {offset}) (i32.const {size})) (i32.const 0)"


def answering(**outputs) -> str:
    """A plugin whose every export ``name`` answers the JSON of its value."""
    data, functions, offset = {}, {}, 0
    for name, value in outputs.items():
        text = value if isinstance(value, str) else json.dumps(value)
        more, body = answer(text, offset)
        data.update(more)
        functions[name] = body
        offset += len(text.encode()) + 8
    return plugin(functions, data=data)


LOG_IMPORT = '(import "extism:host/env" "log_info" (func $log_info (param i64)))'


def logging(*hooks: str) -> str:
    """A plugin whose hooks log ``<hook>: <their input>`` through log_info."""
    data, functions, offset = {}, {}, 0
    for hook in hooks:
        prefix = f"{hook}: "
        data[offset] = prefix
        # copy the input after the prefix, then log prefix+input
        functions[hook] = (
            "(local $n i64) (local $i i64)\n"
            "    (local.set $n (call $input_length))\n"
            "    (block $done (loop $next\n"
            "      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))\n"
            f"      (i32.store8 (i32.add (i32.const {offset + len(prefix)}) "
            "(i32.wrap_i64 (local.get $i)))\n"
            "                  (call $input_load_u8 (local.get $i)))\n"
            "      (local.set $i (i64.add (local.get $i) (i64.const 1)))\n"
            "      (br $next)))\n"
            f"    (call $log_info (call $handle (i32.const {offset}) (i32.add (i32.const "
            f"{len(prefix)}) (i32.wrap_i64 (local.get $n)))))\n"
            "    (i32.const 0)")
        offset += 8192
    return plugin(functions, data=data, imports=LOG_IMPORT, pages=1)
