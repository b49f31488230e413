#!/usr/bin/env python3
"""Increments/s of the sqlite backend across its main knobs, as one table.

Runs `ctrbench run --backend sqlite --strategy atomic` for workers 1, 2, 4, 8
in threads and processes mode, with journal_mode wal and delete, keys 1 and
1024, and txn_ops 1 and 100, writes the CSV files to results/ (or --dir),
and prints a markdown table of increments/s (one column per worker count).

Usage: scripts/sqlite_table.py [--build DIR] [--duration 1s] [--dir DIR]
"""

import argparse
import csv
import os
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--duration", default="1s")
    parser.add_argument("--dir", default="results")
    opts = parser.parse_args()
    os.makedirs(opts.dir, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")

    rows = {}
    for journal in ("wal", "delete"):
        for txn_ops in (1, 100):
            out = os.path.join(
                opts.dir, f"{stamp}-sqlite-{journal}-txn{txn_ops}.csv")
            cmd = [os.path.join(opts.build, "ctrbench"), "run",
                   "--backend", "sqlite", "--strategy", "atomic",
                   "--workers", "1,2,4,8", "--mode", "threads,processes",
                   "--keys", "1,1024", "--duration", opts.duration,
                   "--warmup", "100ms",
                   "--set", f"sqlite.journal_mode={journal}",
                   "--set", f"sqlite.txn_ops={txn_ops}",
                   "--out", out, "--quiet"]
            print("+ " + " ".join(cmd), file=sys.stderr)
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            with open(out, newline="") as f:
                for r in csv.DictReader(f):
                    key = (r["mode"], journal, r["keys"], txn_ops)
                    rows.setdefault(key, {})[int(r["workers"])] = (
                        float(r["increments_per_s"]), r["verified"])

    workers = [1, 2, 4, 8]
    print("| mode | journal | keys | txn_ops | " +
          " | ".join(f"w={w}" for w in workers) + " |")
    print("|---|---|---|---|" + "---:|" * len(workers))
    for key in sorted(rows):
        cells = []
        for w in workers:
            rate, verified = rows[key].get(w, (0.0, "?"))
            cells.append(f"{rate:,.0f}" + ("" if verified == "true" else " (!)"))
        mode, journal, keys, txn_ops = key
        print(f"| {mode} | {journal} | {keys} | {txn_ops} | " +
              " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
