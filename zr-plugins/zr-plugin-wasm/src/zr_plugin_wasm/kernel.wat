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
;; Layout: the state is six u64 at the start of the memory (0 next header,
;; 8 input offset, 16 input length, 24 output offset, 32 output length, 40
;; error handle), so zr places the input and reads the outcome with one
;; memory access each instead of calls. Blocks follow from offset 48: a
;; 16-byte header [capacity u64][used u64], then the data; a handle is the
;; offset of the data (never 0: 0 means "none" or a failed allocation). A
;; freed block has used = -1. Allocation bumps; freeing the last block gives
;; its space back. Every call gets a fresh store, so a call's memory is
;; thrown away with it. The plugin's loads and stores cannot reach the state
;; (offsets below 48 trap), nor offsets above 4 GiB.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "\30")                    ;; next header at 48
  (global $first i64 (i64.const 48))
  (func $pos (result i64) (i64.load (i32.const 0)))
  (func $set_pos (param i64) (i64.store (i32.const 0) (local.get 0)))
  (func $in_off (result i64) (i64.load (i32.const 8)))
  (func $in_len (result i64) (i64.load (i32.const 16)))

  ;; A wasm32 address for offset p, trapping when p cannot be one.
  (func $addr (param $p i64) (result i32)
    (if (i64.ne (i64.shr_u (local.get $p) (i64.const 32)) (i64.const 0))
      (then unreachable))
    (i32.wrap_i64 (local.get $p)))

  ;; The address of a plugin load or store: never the state.
  (func $data_addr (param $p i64) (result i32)
    (if (i64.lt_u (local.get $p) (global.get $first)) (then unreachable))
    (call $addr (local.get $p)))

  (func $align8 (param $n i64) (result i64)
    (i64.and (i64.add (local.get $n) (i64.const 7)) (i64.const -8)))

  (func $alloc (export "alloc") (param $n i64) (result i64)
    (local $h i64) (local $end i64) (local $have i64) (local $pages i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    (if (i64.gt_u (local.get $n) (i64.const 0xFFFF0000)) (then (return (i64.const 0))))
    (local.set $h (i64.add (call $pos) (i64.const 16)))
    (local.set $end (call $align8 (i64.add (local.get $h) (local.get $n))))
    (local.set $have (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
    (if (i64.gt_u (local.get $end) (local.get $have))
      (then
        (local.set $pages (i64.shr_u (i64.add (i64.sub (local.get $end) (local.get $have))
                                              (i64.const 65535)) (i64.const 16)))
        (if (i32.eq (memory.grow (i32.wrap_i64 (local.get $pages))) (i32.const -1))
          (then (return (i64.const 0))))))
    (i64.store (call $addr (call $pos)) (local.get $n))
    (i64.store (call $addr (i64.add (call $pos) (i64.const 8))) (local.get $n))
    (call $set_pos (local.get $end))
    (local.get $h))

  ;; The used length of the block whose data starts at $h, walking the blocks
  ;; (so any other offset gives 0); -1 for a freed block.
  (func $find (param $h i64) (result i64)
    (local $b i64) (local $cap i64)
    (local.set $b (global.get $first))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $b) (call $pos)))
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
    (if (i32.or (i64.lt_u (local.get $h) (i64.const 64))
                (i64.gt_u (local.get $h) (call $pos)))
      (then (return (i64.const 0))))
    (local.set $used (i64.load (call $addr (i64.sub (local.get $h) (i64.const 8)))))
    (select (i64.const 0) (local.get $used) (i64.eq (local.get $used) (i64.const -1))))

  (func (export "free") (param $h i64)
    (local $cap i64)
    (if (i64.eq (call $find (local.get $h)) (i64.const -1)) (then (return)))
    (local.set $cap (i64.load (call $addr (i64.sub (local.get $h) (i64.const 16)))))
    (i64.store (call $addr (i64.sub (local.get $h) (i64.const 8))) (i64.const -1))
    (if (i64.eq (local.get $h) (call $in_off)) (then (i64.store (i32.const 16) (i64.const 0))))
    (if (i64.eq (call $align8 (i64.add (local.get $h) (local.get $cap))) (call $pos))
      (then (call $set_pos (i64.sub (local.get $h) (i64.const 16))))))

  (func (export "load_u8") (param $p i64) (result i32)
    (i32.load8_u (call $data_addr (local.get $p))))
  (func (export "load_u64") (param $p i64) (result i64)
    (i64.load (call $data_addr (local.get $p))))
  (func (export "store_u8") (param $p i64) (param $v i32)
    (i32.store8 (call $data_addr (local.get $p)) (local.get $v)))
  (func (export "store_u64") (param $p i64) (param $v i64)
    (i64.store (call $data_addr (local.get $p)) (local.get $v)))

  (func (export "input_load_u8") (param $o i64) (result i32)
    (i32.load8_u (call $data_addr (i64.add (call $in_off) (local.get $o)))))
  (func (export "input_load_u64") (param $o i64) (result i64)
    (i64.load (call $data_addr (i64.add (call $in_off) (local.get $o)))))
  (func (export "input_set") (param $h i64) (param $n i64)
    (i64.store (i32.const 8) (local.get $h)) (i64.store (i32.const 16) (local.get $n)))
  (func (export "input_length") (result i64) (call $in_len))
  (func (export "input_offset") (result i64) (call $in_off))

  (func (export "output_set") (param $p i64) (param $n i64)
    (i64.store (i32.const 24) (local.get $p)) (i64.store (i32.const 32) (local.get $n)))
  (func (export "output_length") (result i64) (i64.load (i32.const 32)))
  (func (export "output_offset") (result i64) (i64.load (i32.const 24)))

  (func (export "error_set") (param $h i64) (i64.store (i32.const 40) (local.get $h)))
  (func (export "error_get") (result i64) (i64.load (i32.const 40)))

  (func (export "reset")
    (call $set_pos (global.get $first))
    (i64.store (i32.const 8) (i64.const 0)) (i64.store (i32.const 16) (i64.const 0))
    (i64.store (i32.const 24) (i64.const 0)) (i64.store (i32.const 32) (i64.const 0))
    (i64.store (i32.const 40) (i64.const 0)))

  (func (export "memory_bytes") (result i64)
    (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))

)
