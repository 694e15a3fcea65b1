#!/usr/bin/env python3
"""Multi-repo benchmark: ``zr repo sync`` and ``zr repo status`` against plain git.

- sync: ``zr repo sync -j CORES`` of N local repositories (cloned over
  ``file://``, so git runs its pack protocol as it would over a network)
  against a sequential ``git clone`` loop of the same URLs, and against the
  slowest single clone (the floor of a perfectly parallel sync);
- status: ``zr repo status`` of M checkouts against a sequential
  ``git status`` loop, plus its own time (the goal is under a second).

Reported as ratios (zr ÷ peer), medians of ``--rounds`` interleaved rounds.
Everything is written under ``--workdir`` (default ``bench/work/repos``).

    bench/repos.py                  # 20 repos to sync, 50 for status
    bench/repos.py --quick          # 4 and 6, one round: seconds
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com",
           "GIT_CONFIG_NOSYSTEM": "1"}


def run(argv, cwd=None, env=None) -> float:
    """Run ``argv`` to completion (failing loudly) and return its wall time."""
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env or GIT_ENV, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, argv))}\n{proc.stderr}")
    return elapsed


def make_upstreams(directory: Path, count: int, files: int, commits: int) -> list:
    """``count`` bare repositories with ``commits`` commits of ``files`` files each."""
    directory.mkdir(parents=True, exist_ok=True)
    bares = []
    for index in range(count):
        bare = directory / f"repo{index:02d}.git"
        bares.append(bare)
        if bare.exists():
            continue
        work = directory / f"work{index:02d}"
        shutil.rmtree(work, ignore_errors=True)
        run(["git", "init", "-q", "-b", "main", str(work)])
        for commit in range(commits):
            for number in range(files):
                path = work / f"src/f{number:03d}.txt"
                path.parent.mkdir(exist_ok=True)
                path.write_text(f"repo {index} commit {commit} file {number}\n"
                                + os.urandom(512).hex() + "\n")
            run(["git", "add", "-A"], cwd=work)
            run(["git", "commit", "-q", "-m", f"commit {commit}"], cwd=work)
        run(["git", "clone", "-q", "--bare", str(work), str(bare)])
        shutil.rmtree(work)
    return bares


def write_manifest(directory: Path, bares: list) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    lines = ['[workspace]\nname = "bench"\nroot = "src"\n']
    for bare in bares:
        lines.append(f'[repos.{bare.stem}]\nurl = "{bare.as_uri()}"\nbranch = "main"\n')
    (directory / "zr-repos.toml").write_text("\n".join(lines))


def median(values: list) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one round")
    parser.add_argument("--sync-repos", type=int, default=20)
    parser.add_argument("--status-repos", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="zr repo sync -j (default: the CPU count)")
    parser.add_argument("--zr", default=str(HERE.parent / ".venv" / "bin" / "zr"))
    parser.add_argument("--workdir", default=str(HERE / "work" / "repos"))
    parser.add_argument("--json", dest="json_path", default=None,
                        help="also write the results as JSON to this file")
    args = parser.parse_args()
    if args.quick:
        args.sync_repos, args.status_repos, args.rounds = 4, 6, 1
    work = Path(args.workdir)
    home = work / "zr-home"
    zr_env = {**os.environ, "ZR_HOME": str(home), "NO_COLOR": "1"}
    files, commits = (20, 2) if args.quick else (200, 5)
    bares = make_upstreams(work / "upstream", max(args.sync_repos, args.status_repos),
                           files, commits)

    # sync: zr in parallel vs a sequential clone loop vs the slowest single clone
    sync_bares = bares[:args.sync_repos]
    zr_times, loop_times, slowest = [], [], []
    for _ in range(args.rounds):
        target = work / "sync-zr"
        shutil.rmtree(target, ignore_errors=True)
        write_manifest(target, sync_bares)
        zr_times.append(run([args.zr, "repo", "sync", "-j", str(args.jobs)], cwd=target,
                            env=zr_env))
        loop_dir = work / "sync-loop"
        shutil.rmtree(loop_dir, ignore_errors=True)
        loop_dir.mkdir()
        singles = [run(["git", "clone", "-q", "--branch", "main", bare.as_uri(),
                        str(loop_dir / bare.stem)]) for bare in sync_bares]
        loop_times.append(sum(singles))
        slowest.append(max(singles))

    # status: zr over many checkouts vs a sequential git status loop
    status_dir = work / "status"
    write_manifest(status_dir, bares[:args.status_repos])
    run([args.zr, "repo", "sync", "-j", str(args.jobs)], cwd=status_dir, env=zr_env)
    checkouts = [status_dir / "src" / bare.stem for bare in bares[:args.status_repos]]
    run([args.zr, "repo", "status"], cwd=status_dir, env=zr_env)  # warm
    status_zr, status_loop = [], []
    for _ in range(max(args.rounds, 3)):
        status_zr.append(run([args.zr, "repo", "status"], cwd=status_dir, env=zr_env))
        status_loop.append(sum(run(["git", "status", "--porcelain=v2", "--branch"], cwd=c)
                               for c in checkouts))

    results = {
        "cores": os.cpu_count(), "jobs": args.jobs, "rounds": args.rounds,
        "sync_repos": args.sync_repos, "status_repos": args.status_repos,
        "files_per_repo": files, "commits_per_repo": commits,
        "sync_zr_s": median(zr_times), "sync_git_loop_s": median(loop_times),
        "sync_slowest_clone_s": median(slowest),
        "status_zr_s": median(status_zr), "status_git_loop_s": median(status_loop),
    }
    rows = [
        (f"sync {args.sync_repos} repos, zr -j{args.jobs} ÷ sequential git clone loop",
         results["sync_zr_s"] / results["sync_git_loop_s"]),
        (f"sync {args.sync_repos} repos, zr -j{args.jobs} ÷ slowest single clone",
         results["sync_zr_s"] / results["sync_slowest_clone_s"]),
        (f"status {args.status_repos} repos, zr ÷ sequential git status loop",
         results["status_zr_s"] / results["status_git_loop_s"]),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"machine: {os.cpu_count()} cores; medians of {args.rounds} round(s)")
    for label, ratio in rows:
        print(f"{label.ljust(width)}  {ratio:6.2f}x")
    print(f"zr repo sync: {results['sync_zr_s']:.2f} s, git clone loop: "
          f"{results['sync_git_loop_s']:.2f} s, slowest clone: "
          f"{results['sync_slowest_clone_s']:.2f} s")
    print(f"zr repo status of {args.status_repos}: {results['status_zr_s']:.2f} s "
          f"(goal: under 1 s: {'met' if results['status_zr_s'] < 1 else 'NOT met'})")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
