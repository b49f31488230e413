#!/usr/bin/env python3
"""Soak test: one long mixed sweep on every available backend, sampled.

Runs `ctrbench run` with a mixed sweep (every backend, strategy and mode,
1 and 4 workers, 1 and 1024 keys, 10 % reads; 200 ms runs, so that one
repetition of every backend takes about a minute and each quarter of the
soak holds several) repeated until MINUTES have passed, then stops it with Ctrl-C (SIGINT). Every second it samples
the ctrbench process and its children (workers and servers): resident
memory, open file descriptors, and the disk used by the run's temporary
directory and state directory. It fails (exit 1) if a figure grows without
bound: if the highest value of the last quarter of the soak is more than
1.5 times (plus a small slack) the highest of the first quarter, or if
anything is left behind at the end. It prints a table per minute.

Not part of CI: it runs for MINUTES (default 30).

Usage: scripts/soak.py [--build DIR] [MINUTES]
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

SCENARIO = """
name = "soak"
description = "every backend, strategy and mode, a mixed workload"
strategies = ["atomic", "lock", "cas", "naive"]
mode = ["threads", "processes"]
workers = [1, 4]
keys = [1, 1024]
read_fraction = 0.1
duration = "200ms"
warmup = "0"
repeat = 500
"""


def tree(pid):
    """pid and every descendant of it."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return found


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def disk_kb(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks // 2
            except OSError:
                pass
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("minutes", nargs="?", type=float, default=30)
    parser.add_argument("--build", default="build")
    opts = parser.parse_args()
    binary = os.path.join(opts.build, "ctrbench")
    work = tempfile.mkdtemp(prefix="ctrbench-soak-")
    tmp = os.path.join(work, "tmp")
    state = os.path.join(work, "state")
    os.makedirs(tmp)
    os.makedirs(state)
    scenario = os.path.join(work, "soak.toml")
    with open(scenario, "w") as f:
        f.write(SCENARIO)
    env = dict(os.environ, TMPDIR=tmp, CTRBENCH_STATE_DIR=state)
    log = open(os.path.join(work, "run.log"), "w")
    run = subprocess.Popen(
        [binary, "run", scenario, "--out", os.path.join(work, "soak.csv"),
         "--quiet"], env=env, stdout=log, stderr=subprocess.STDOUT)
    samples = []  # (seconds, parent rss, tree rss, tree fds, disk)
    start = time.time()
    deadline = start + opts.minutes * 60
    while time.time() < deadline and run.poll() is None:
        pids = tree(run.pid)
        samples.append((time.time() - start, rss_kb(run.pid),
                        sum(rss_kb(p) for p in pids),
                        sum(fds(p) for p in pids),
                        disk_kb(tmp) + disk_kb(state)))
        time.sleep(1)
    if run.poll() is None:
        run.send_signal(signal.SIGINT)
    code = run.wait(timeout=60)
    log.close()

    print(f"soak: {opts.minutes:g} min, {len(samples)} samples, "
          f"ctrbench exit {code} (130: stopped by Ctrl-C as planned)")
    print(f"{'minute':>6} {'parent RSS MB':>14} {'tree RSS MB':>12} "
          f"{'tree fds':>9} {'disk MB':>8}   (max in the minute)")
    for minute in range(int(opts.minutes) + 1):
        block = [s for s in samples if minute * 60 <= s[0] < minute * 60 + 60]
        if not block:
            continue
        print(f"{minute:>6} {max(s[1] for s in block) / 1024:>14.1f} "
              f"{max(s[2] for s in block) / 1024:>12.1f} "
              f"{max(s[3] for s in block):>9} "
              f"{max(s[4] for s in block) / 1024:>8.1f}")
    failed = []
    if code not in (0, 130):
        failed.append(f"ctrbench exited with {code}; see {work}/run.log")
    quarter = max(1, len(samples) // 4)
    names = ["parent RSS", "tree RSS", "tree fds", "disk"]
    slack = [8 * 1024, 32 * 1024, 16, 64 * 1024]  # KB, KB, fds, KB
    for i, name in enumerate(names):
        first = max(s[i + 1] for s in samples[:quarter])
        last = max(s[i + 1] for s in samples[-quarter:])
        if last > 1.5 * first + slack[i]:
            failed.append(f"{name} grew: {first} in the first quarter, "
                          f"{last} in the last")
    left = os.listdir(tmp) + [f for f in os.listdir(state)
                              if f.endswith(".ledger")]
    segments = [s for s in os.listdir("/dev/shm")
                if s.startswith(f"ctrbench-{run.pid}-")]
    if left or segments:
        failed.append(f"left behind: {left + segments}")
    for f in failed:
        print(f"soak: FAILED: {f}")
    if not failed:
        print("soak: nothing grew without bound, nothing was left behind")
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
