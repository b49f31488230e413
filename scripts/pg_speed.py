#!/usr/bin/env python3
"""The postgres backend against pgbench, on one server, as ratios.

Starts one PostgreSQL server of its own (initdb in a temporary directory,
a Unix socket there, TCP off; as root it runs as the `postgres` user) with
fsync, synchronous_commit and full_page_writes off (the two clients are
compared, not the disk: ctrbench's embedded server keeps PostgreSQL's
defaults, which flush every commit) and shared_buffers 128MB, then runs
ROUNDS interleaved rounds, for each client count N, of:

  - pgbench -n -M prepared -c N -j N -T SECONDS -f (one statement:
    UPDATE counters SET value = value + 1 WHERE id = 1),
  - ctrbench run --backend postgres --set postgres.url=... --strategy atomic
    --keys 1 --workers N --duration SECONDS (its own table, the same
    UPDATE on one row, prepared),

and prints the medians of each and the median of the per-round ratios.

Usage: scripts/pg_speed.py [--build DIR] [--rounds 3] [--seconds 3]
                           [--clients 1,2,8] [--mode threads|processes]
"""

import argparse
import csv
import os
import pwd
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def bindir():
    out = subprocess.run(["pg_config", "--bindir"], capture_output=True,
                         text=True)
    path = out.stdout.strip()
    if out.returncode != 0 or not os.path.exists(os.path.join(path, "initdb")):
        sys.exit("pg_speed: PostgreSQL is not installed (apt-get install "
                 "postgresql)")
    return path


class Server:
    """initdb + postgres in a temporary directory, stopped on exit."""

    def __init__(self, bin_dir):
        self.bin = bin_dir
        self.dir = tempfile.mkdtemp(prefix="ctrbench-pgspeed-", dir="/tmp")
        # As root the server runs as `postgres` (the postmaster itself is
        # our child, so that stop() reaches it).
        as_user = {}
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            as_user = {"user": pw.pw_uid, "group": pw.pw_gid,
                       "extra_groups": []}
        subprocess.run([
            os.path.join(self.bin, "initdb"), "-D", self.dir + "/data", "-A",
            "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
            "--locale=C"], check=True, capture_output=True, **as_user)
        self.proc = subprocess.Popen([
            os.path.join(self.bin, "postgres"), "-D", self.dir + "/data",
            "-k", self.dir, "-c", "listen_addresses=", "-c",
            "unix_socket_permissions=0700", "-c", "fsync=off", "-c",
            "synchronous_commit=off", "-c", "full_page_writes=off", "-c",
            "shared_buffers=128MB", "-c", "max_connections=100"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **as_user)
        for _ in range(300):
            if self.psql("SELECT 1", check=False).returncode == 0:
                break
            time.sleep(0.1)
        self.psql("CREATE TABLE counters (id integer PRIMARY KEY, value "
                  "bigint NOT NULL); INSERT INTO counters VALUES (1, 0)")

    def conninfo(self):
        return "host=%s port=5432 user=postgres dbname=postgres" % self.dir

    def psql(self, sql, check=True):
        return subprocess.run([os.path.join(self.bin, "psql"), "-h", self.dir,
                               "-U", "postgres", "-d", "postgres", "-qAt",
                               "-c", sql], check=check, capture_output=True,
                              text=True)

    def stop(self):
        self.proc.send_signal(3)  # SIGQUIT: immediate shutdown.
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def pgbench(server, script, clients, seconds):
    out = subprocess.run([
        os.path.join(server.bin, "pgbench"), "-n", "-M", "prepared", "-f",
        script, "-c", str(clients), "-j", str(clients), "-T", str(seconds),
        "-h", server.dir, "-U", "postgres", "postgres"],
        check=True, capture_output=True, text=True)
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)",
                  out.stdout)
    if not m:
        sys.exit("pg_speed: no tps in pgbench's output:\n" + out.stdout)
    return float(m.group(1))


def ctrbench(build, server, clients, seconds, mode):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.csv")
        subprocess.run([os.path.join(build, "ctrbench"), "run", "--backend",
                        "postgres", "--set", "postgres.url=" +
                        server.conninfo(), "--strategy", "atomic", "--keys",
                        "1", "--workers", str(clients), "--mode", mode,
                        "--duration", "%ss" % seconds, "--warmup", "0",
                        "--out", out, "--quiet"],
                       check=True, capture_output=True, text=True)
        with open(out, newline="") as f:
            row = next(csv.DictReader(f))
        if row["verified"] != "true":
            sys.exit("pg_speed: run not verified: " + row["error"])
        return float(row["increments_per_s"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=3)
    ap.add_argument("--clients", default="1,2,8")
    ap.add_argument("--mode", default="threads")
    args = ap.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    server = Server(bindir())
    script = os.path.join(server.dir, "incr.sql")
    with open(script, "w") as f:
        f.write("UPDATE counters SET value = value + 1 WHERE id = 1;\n")
    os.chmod(script, 0o644)
    results = {c: {"pgbench": [], "ctrbench": [], "ratio": []}
               for c in clients}
    try:
        for r in range(args.rounds):
            for c in clients:
                p = pgbench(server, script, c, args.seconds)
                k = ctrbench(args.build, server, c, args.seconds, args.mode)
                results[c]["pgbench"].append(p)
                results[c]["ctrbench"].append(k)
                results[c]["ratio"].append(k / p)
                print("round %d, %d clients: pgbench %.0f tps, ctrbench %.0f "
                      "incr/s, ratio %.3f" % (r + 1, c, p, k, k / p),
                      flush=True)
    finally:
        server.stop()
    print("\nclients  pgbench tps  ctrbench incr/s  ratio (median of %d "
          "interleaved pairs)" % args.rounds)
    for c in clients:
        res = results[c]
        print("%7d  %11.0f  %15.0f  %.3f" % (
            c, statistics.median(res["pgbench"]),
            statistics.median(res["ctrbench"]),
            statistics.median(res["ratio"])))


if __name__ == "__main__":
    main()
