#!/usr/bin/env python3
"""Measures ctrbench's own overhead against a raw std::atomic loop.

Runs, interleaved, ROUNDS times: the raw fetch_add benchmark with 1 and 2
threads and the raw SQLite UPDATE loop (bench/counters_bench.cc), and
`ctrbench run` with inproc atomic on one counter with 1 and 2 workers, shm
atomic with 2 processes, and sqlite atomic with 1 worker (WAL,
synchronous=normal). Prints the median of each and the ratios the issues
set targets for.

With --baseline OLD_BUILD_DIR, each ctrbench case also runs with the
binary in OLD_BUILD_DIR, interleaved with the new one in every round (at
least 9 rounds), and the new/old ratio of each case's medians is printed;
a case below 0.97 of the old is marked. This is how a change near the
measured path shows its cost: build the commit before it into another
directory and compare.

Usage: scripts/harness_speed.py [--build DIR] [--baseline OLD_BUILD_DIR]
                                [--rounds N] [--duration 3s]
"""

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile


def raw_rates(build):
    out = subprocess.run(
        [os.path.join(build, "ctrbench_bench"),
         "--benchmark_filter=BM_RawAtomicFetchAdd|BM_SqliteRawUpdate",
         "--benchmark_min_time=2", "--benchmark_format=csv"],
        check=True, capture_output=True, text=True).stdout
    rates = {}
    rows = [r for r in csv.reader(out.splitlines()) if r]
    header = rows[0]
    for row in rows[1:]:
        record = dict(zip(header, row))
        if "Sqlite" in record["name"]:
            rates["sqlite"] = float(record["items_per_second"])
            continue
        threads = 2 if "threads:2" in record["name"] else 1
        rates[threads] = float(record["items_per_second"])
    return rates


def ctrbench_rate(build, duration, args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.csv")
        subprocess.run(
            [os.path.join(build, "ctrbench"), "run", "--strategy", "atomic",
             "--keys", "1", "--duration", duration, "--out", out, "--quiet"]
            + args, check=True, capture_output=True, text=True)
        with open(out, newline="") as f:
            row = next(csv.DictReader(f))
        if row["verified"] != "true":
            sys.exit("run not verified: " + row["error"])
        return float(row["increments_per_s"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--baseline", default="",
                        help="an older build directory to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="3s")
    opts = parser.parse_args()
    if opts.baseline:
        if not os.access(os.path.join(opts.baseline, "ctrbench"), os.X_OK):
            sys.exit(f"--baseline {opts.baseline}: no ctrbench binary there")
        opts.rounds = max(opts.rounds, 9)

    cases = {
        "inproc threads w1": ["--backend", "inproc", "--workers", "1"],
        "inproc threads w2": ["--backend", "inproc", "--workers", "2"],
        "shm processes w2": ["--backend", "shm", "--mode", "processes",
                             "--workers", "2"],
        "sqlite w1": ["--backend", "sqlite", "--workers", "1"],
    }
    samples = {"raw 1 thread": [], "raw 2 threads": [], "raw sqlite": []}
    samples.update({name: [] for name in cases})
    old = {name: [] for name in cases}  # With --baseline.
    for round_no in range(opts.rounds):
        raw = raw_rates(opts.build)
        samples["raw 1 thread"].append(raw[1])
        samples["raw 2 threads"].append(raw[2])
        samples["raw sqlite"].append(raw["sqlite"])
        for name, args in cases.items():
            samples[name].append(ctrbench_rate(opts.build, opts.duration, args))
            if opts.baseline:
                old[name].append(
                    ctrbench_rate(opts.baseline, opts.duration, args))
        print(f"round {round_no + 1}: " + ", ".join(
            f"{k} {v[-1] / 1e6:.1f}M" for k, v in samples.items()),
            file=sys.stderr)

    med = {k: statistics.median(v) for k, v in samples.items()}
    print(f"{'case':<20} {'median incr/s':>16}")
    for name, value in med.items():
        print(f"{name:<20} {value:>16,.0f}")
    print()
    print("ratios (targets in parentheses):")
    print(f"  inproc w2 / raw 2 threads: "
          f"{med['inproc threads w2'] / med['raw 2 threads']:.2f} (>= 0.9)")
    print(f"  inproc w1 / raw 1 thread:  "
          f"{med['inproc threads w1'] / med['raw 1 thread']:.2f} (>= 0.85)")
    print(f"  shm processes w2 / inproc w2: "
          f"{med['shm processes w2'] / med['inproc threads w2']:.2f} (>= 0.8)")
    print(f"  sqlite w1 / raw sqlite UPDATE loop: "
          f"{med['sqlite w1'] / med['raw sqlite']:.2f} (>= 0.9)")
    if opts.baseline:
        print()
        print(f"new / baseline ({opts.baseline}), medians of {opts.rounds} "
              f"interleaved rounds (target >= 0.97):")
        for name in cases:
            ratio = med[name] / statistics.median(old[name])
            mark = "" if ratio >= 0.97 else "   <- below 0.97"
            print(f"  {name:<20} {ratio:.2f}{mark}")


if __name__ == "__main__":
    main()
