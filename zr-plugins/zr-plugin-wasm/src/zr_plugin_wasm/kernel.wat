;; zr's Extism-compatible kernel: the memory a plugin's input, output, error
;; and host-call arguments live in, with the functions Extism PDKs import from
;; `extism:host/env` (alloc, free, length, load_*/store_*, input_*, output_*,
;; error_*, reset, memory_bytes).
;;
;; Extism runs its kernel as a wasm module linked beside the plugin, so the
;; PDKs' many small calls (they move data 8 bytes a call) stay wasm-to-wasm.
;; zr does the same on wasmtime: this module is instantiated in the plugin's
;; store, and only the host functions that need zr (logging, config, vars,
;; HTTP) are Python. Written from the ABI (signatures as the PDKs declare
;; them: every offset and length is an i64, a byte is an i32).
;;
;; Layout: a block is a 16-byte header [capacity u64][used u64] followed by
;; its data; a handle is the offset of the data (never 0: 0 means "none" or a
;; failed allocation). A freed block has used = -1. Allocation bumps; freeing
;; the last block gives its space back. Every call gets a fresh store, so a
;; call's memory is thrown away with it. Offsets above 4 GiB trap.
(module
  (memory (export "memory") 1)
  (global $first i64 (i64.const 16))
  (global $pos (mut i64) (i64.const 16))        ;; where the next header goes
  (global $in_off (mut i64) (i64.const 0))
  (global $in_len (mut i64) (i64.const 0))
  (global $out_off (mut i64) (i64.const 0))
  (global $out_len (mut i64) (i64.const 0))
  (global $err (mut i64) (i64.const 0))

  ;; A wasm32 address for offset p, trapping when p cannot be one.
  (func $addr (param $p i64) (result i32)
    (if (i64.ne (i64.shr_u (local.get $p) (i64.const 32)) (i64.const 0))
      (then unreachable))
    (i32.wrap_i64 (local.get $p)))

  (func $align8 (param $n i64) (result i64)
    (i64.and (i64.add (local.get $n) (i64.const 7)) (i64.const -8)))

  (func $alloc (export "alloc") (param $n i64) (result i64)
    (local $h i64) (local $end i64) (local $have i64) (local $pages i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    (if (i64.gt_u (local.get $n) (i64.const 0xFFFF0000)) (then (return (i64.const 0))))
    (local.set $h (i64.add (global.get $pos) (i64.const 16)))
    (local.set $end (call $align8 (i64.add (local.get $h) (local.get $n))))
    (local.set $have (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
    (if (i64.gt_u (local.get $end) (local.get $have))
      (then
        (local.set $pages (i64.shr_u (i64.add (i64.sub (local.get $end) (local.get $have))
                                              (i64.const 65535)) (i64.const 16)))
        (if (i32.eq (memory.grow (i32.wrap_i64 (local.get $pages))) (i32.const -1))
          (then (return (i64.const 0))))))
    (i64.store (call $addr (global.get $pos)) (local.get $n))
    (i64.store (call $addr (i64.add (global.get $pos) (i64.const 8))) (local.get $n))
    (global.set $pos (local.get $end))
    (local.get $h))

  ;; The used length of the block whose data starts at $h, walking the blocks
  ;; (so any other offset gives 0); -1 for a freed block.
  (func $find (param $h i64) (result i64)
    (local $b i64) (local $cap i64)
    (local.set $b (global.get $first))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $b) (global.get $pos)))
        (local.set $cap (i64.load (call $addr (local.get $b))))
        (if (i64.eq (i64.add (local.get $b) (i64.const 16)) (local.get $h))
          (then (return (i64.load (call $addr (i64.add (local.get $b) (i64.const 8)))))))
        (local.set $b (call $align8 (i64.add (i64.add (local.get $b) (i64.const 16))
                                             (local.get $cap))))
        (br $next)))
    (i64.const -1))

  (func (export "length") (param $h i64) (result i64)
    (local $used i64)
    (local.set $used (call $find (local.get $h)))
    (select (i64.const 0) (local.get $used) (i64.eq (local.get $used) (i64.const -1))))

  ;; Checks only that $h is inside the heap: cheaper, as Extism's.
  (func (export "length_unsafe") (param $h i64) (result i64)
    (local $used i64)
    (if (i32.or (i64.lt_u (local.get $h) (i64.const 32))
                (i64.gt_u (local.get $h) (global.get $pos)))
      (then (return (i64.const 0))))
    (local.set $used (i64.load (call $addr (i64.sub (local.get $h) (i64.const 8)))))
    (select (i64.const 0) (local.get $used) (i64.eq (local.get $used) (i64.const -1))))

  (func (export "free") (param $h i64)
    (local $cap i64)
    (if (i64.eq (call $find (local.get $h)) (i64.const -1)) (then (return)))
    (local.set $cap (i64.load (call $addr (i64.sub (local.get $h) (i64.const 16)))))
    (i64.store (call $addr (i64.sub (local.get $h) (i64.const 8))) (i64.const -1))
    (if (i64.eq (local.get $h) (global.get $in_off)) (then (global.set $in_len (i64.const 0))))
    (if (i64.eq (call $align8 (i64.add (local.get $h) (local.get $cap))) (global.get $pos))
      (then (global.set $pos (i64.sub (local.get $h) (i64.const 16))))))

  (func (export "load_u8") (param $p i64) (result i32)
    (i32.load8_u (call $addr (local.get $p))))
  (func (export "load_u64") (param $p i64) (result i64)
    (i64.load (call $addr (local.get $p))))
  (func (export "store_u8") (param $p i64) (param $v i32)
    (i32.store8 (call $addr (local.get $p)) (local.get $v)))
  (func (export "store_u64") (param $p i64) (param $v i64)
    (i64.store (call $addr (local.get $p)) (local.get $v)))

  (func (export "input_load_u8") (param $o i64) (result i32)
    (i32.load8_u (call $addr (i64.add (global.get $in_off) (local.get $o)))))
  (func (export "input_load_u64") (param $o i64) (result i64)
    (i64.load (call $addr (i64.add (global.get $in_off) (local.get $o)))))
  (func (export "input_set") (param $h i64) (param $n i64)
    (global.set $in_off (local.get $h)) (global.set $in_len (local.get $n)))
  (func (export "input_length") (result i64) (global.get $in_len))
  (func (export "input_offset") (result i64) (global.get $in_off))

  (func (export "output_set") (param $p i64) (param $n i64)
    (global.set $out_off (local.get $p)) (global.set $out_len (local.get $n)))
  (func (export "output_length") (result i64) (global.get $out_len))
  (func (export "output_offset") (result i64) (global.get $out_off))

  (func (export "error_set") (param $h i64) (global.set $err (local.get $h)))
  (func (export "error_get") (result i64) (global.get $err))

  (func (export "reset")
    (global.set $pos (global.get $first))
    (global.set $in_off (i64.const 0)) (global.set $in_len (i64.const 0))
    (global.set $out_off (i64.const 0)) (global.set $out_len (i64.const 0))
    (global.set $err (i64.const 0)))

  (func (export "memory_bytes") (result i64)
    (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))

  ;; For zr (not part of the PDK ABI): one call to place the input, one to
  ;; read the outcome, since each call from Python costs tens of µs.
  (func (export "zr_input") (param $n i64) (result i64)
    (local $h i64)
    (local.set $h (call $alloc (select (local.get $n) (i64.const 1) (i64.ne (local.get $n) (i64.const 0)))))
    (global.set $in_off (local.get $h))
    (global.set $in_len (local.get $n))
    (local.get $h))
  (func (export "zr_outcome") (result i64 i64 i64 i64)
    (global.get $out_off) (global.get $out_len) (global.get $err)
    (if (result i64) (i64.eqz (global.get $err))
      (then (i64.const 0))
      (else (call $find (global.get $err)))))
)
