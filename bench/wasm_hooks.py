"""What a WASM plugin costs a run: one hook call per task on the 1000-task graph.

The project is the suite's layered 1000-task DAG (``zrbench.projects``) plus
a WASM plugin (Extism ABI, written as WAT) whose ``zr_task_start`` reads
the task's JSON through the kernel and answers. Measured with the real
``zr run all -j 2``:

- ``plain``: the project without the plugin;
- ``cold``: with the plugin and an empty zr cache (the kernel and the plugin
  are compiled, the compiled code is written to the cache);
- ``warm``: with the plugin and the compiled modules in the cache
  (interleaved with ``plain`` runs, medians compared).

Reported as ratios to ``plain`` and as the added time per hook call
((warm - plain) / tasks), in wall time and in CPU time (of zr and the tasks
it waited for, which a busy machine does not inflate); goal: warm under 1 ms
a call. Also the in-process cost of one call (``WasmPlugin.call``), without
zr around it.

    .venv/bin/python bench/wasm_hooks.py [--tasks 1000] [--runs 5] [--quick] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from zrbench.formats import render_zr  # noqa: E402
from zrbench.projects import layered_graph  # noqa: E402

# zr_task_start: reads the whole input 8 bytes at a time (as the PDKs do),
# answers {} through an allocated output block.
PLUGIN_WAT = """
(module
  (import "extism:host/env" "input_length" (func $input_length (result i64)))
  (import "extism:host/env" "input_load_u64" (func $input_load_u64 (param i64) (result i64)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (func (export "zr_task_start") (result i32)
    (local $n i64) (local $i i64) (local $sum i64) (local $h i64)
    (local.set $n (call $input_length))
    (block $done (loop $next
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $sum (i64.xor (local.get $sum) (call $input_load_u64 (local.get $i))))
      (local.set $i (i64.add (local.get $i) (i64.const 8)))
      (br $next)))
    (local.set $h (call $alloc (i64.const 2)))
    (call $store_u8 (local.get $h) (i32.const 123))
    (call $store_u8 (i64.add (local.get $h) (i64.const 1)) (i32.const 125))
    (call $output_set (local.get $h) (i64.const 2))
    (i32.const 0)))
"""


def zr_binary() -> str:
    return str(Path(sys.executable).parent / "zr")


def write_project(root: Path, tasks: int, with_plugin: bool) -> None:
    import wasmtime

    root.mkdir(parents=True, exist_ok=True)
    files = render_zr(layered_graph(tasks))
    text = files.pop("zr.toml")
    if with_plugin:
        (root / "timing.wasm").write_bytes(wasmtime.wat2wasm(PLUGIN_WAT))
        text = '[plugins.wasm.timing]\npath = "timing.wasm"\n\n' + text
    (root / "zr.toml").write_text(text)
    for name, content in files.items():
        (root / name).write_text(content)


def timed_run(root: Path, home: Path) -> tuple:
    """``(wall seconds, CPU seconds)`` of one ``zr run all``: the CPU time of
    zr and the tasks it waited for, which other work on the machine does not
    inflate as it does the wall time."""
    env = {**os.environ, "ZR_HOME": str(home), "NO_COLOR": "1"}
    env.pop("ZR_CACHE_DIR", None)
    start = time.perf_counter()
    proc = subprocess.Popen([zr_binary(), "run", "all", "-j", "2", "--quiet"], cwd=root,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or "wasm plugin" in stderr:
        raise SystemExit(f"zr run failed in {root}:\n{stderr[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime


def in_process_call_us(calls: int) -> float:
    """Microseconds per warm ``WasmPlugin.call`` with a task-sized input."""
    import wasmtime

    from zr_plugin_wasm.runtime import WasmPlugin
    from zr_plugin_wasm.settings import PluginSpec

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ZR_CACHE_DIR"] = os.path.join(tmp, "cache")
        path = os.path.join(tmp, "timing.wasm")
        Path(path).write_bytes(wasmtime.wat2wasm(PLUGIN_WAT))
        plugin = WasmPlugin(PluginSpec("timing", path=path))
        payload = json.dumps({"task": {"name": "t123", "commands": ["true"], "cwd": ".",
                                       "env": {}, "deps": ["t001", "t002"],
                                       "description": "layer 1 task 123"}}).encode()
        plugin.call("zr_task_start", payload, "zr_task_start")
        start = time.perf_counter()
        for _ in range(calls):
            plugin.call("zr_task_start", payload, "zr_task_start")
        return (time.perf_counter() - start) / calls * 1e6


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each warm measurement")
    parser.add_argument("--out", default=str(HERE / "results" / "wasm_hooks.json"))
    parser.add_argument("--calls", type=int, default=2000, help="in-process calls timed")
    parser.add_argument("--quick", action="store_true", help="100 tasks, one run: seconds")
    args = parser.parse_args(argv)
    if args.quick:
        args.tasks, args.runs, args.calls = 100, 1, 100
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="zr-bench-wasm-"))
    try:
        plain, plugged = work / "plain", work / "plugged"
        write_project(plain, args.tasks, False)
        write_project(plugged, args.tasks, True)
        home = work / "home"
        timed_run(plain, home)  # warm zr's own caches (parsed zr.toml, plugin index)
        cold_times = []
        for _ in range(min(args.runs, 3)):
            shutil.rmtree(home / "cache" / "wasm", ignore_errors=True)
            cold_times.append(timed_run(plugged, home))
        plain_times, warm_times = [], []
        for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
            plain_times.append(timed_run(plain, home))
            warm_times.append(timed_run(plugged, home))
        per_call = in_process_call_us(args.calls)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    plain_s, cold_s, warm_s = (statistics.median(t[0] for t in times)
                               for times in (plain_times, cold_times, warm_times))
    plain_cpu, warm_cpu = (statistics.median(t[1] for t in times)
                           for times in (plain_times, warm_times))
    added_ms = (warm_s - plain_s) / args.tasks * 1000
    added_cpu_ms = (warm_cpu - plain_cpu) / args.tasks * 1000
    result = {
        "tasks": args.tasks, "runs": args.runs, "python": sys.version.split()[0],
        "plain_s": plain_s, "cold_s": cold_s, "warm_s": warm_s,
        "cold_ratio": cold_s / plain_s, "warm_ratio": warm_s / plain_s,
        "added_ms_per_call_warm": added_ms, "plain_cpu_s": plain_cpu, "warm_cpu_s": warm_cpu,
        "added_cpu_ms_per_call_warm": added_cpu_ms, "in_process_us_per_call": per_call,
        "goal": "warm < 1 ms a call", "met": added_ms < 1.0, "met_in_cpu": added_cpu_ms < 1.0,
        "cpus": os.cpu_count(), "load_average": [load_before, os.getloadavg()[0]],
    }
    busy = max(result["load_average"]) > (os.cpu_count() or 1)
    print(f"{args.tasks}-task graph, zr run all -j 2, median of {args.runs} "
          f"({os.cpu_count()} CPUs, load average {load_before:.1f} -> "
          f"{os.getloadavg()[0]:.1f}{': busy, every number is inflated' if busy else ''})")
    print(f"  without the plugin   {plain_s:7.3f} s")
    print(f"  cold (compile)       {cold_s:7.3f} s   {cold_s / plain_s:5.2f}x")
    print(f"  warm (cached module) {warm_s:7.3f} s   {warm_s / plain_s:5.2f}x")
    print(f"  added per hook call  {added_ms:7.3f} ms  (goal < 1 ms: "
          f"{'met' if result['met'] else 'NOT met'})")
    print(f"  ... in CPU time      {added_cpu_ms:7.3f} ms  (zr and its tasks: {plain_cpu:.3f} s "
          f"-> {warm_cpu:.3f} s; goal {'met' if result['met_in_cpu'] else 'NOT met'})")
    print(f"  one call in-process  {per_call:7.1f} µs")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
