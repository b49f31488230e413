#!/usr/bin/env python3
"""Server backends against their floors: manager and redis vs redis-benchmark.

Starts a redis-server of its own (Unix socket and a TCP port on 127.0.0.1,
persistence off) in a temporary directory, then runs ROUNDS interleaved
rounds of:

  - the bare socketpair round trip (bench/counters_bench.cc),
  - manager (embedded, loop model, Unix socket), atomic: 1 worker and 8
    workers unpipelined, 8 workers with manager.pipeline=16,
  - redis-benchmark -t incr over the Unix socket: -c 1/8, -P 1/16, and over
    TCP: (1,1), (8,1), (8,16),
  - the redis backend against the same server, same connections and
    pipeline depth, over the Unix socket and over TCP,

and prints the medians and the ratios the issues set targets for.

  - one worker with 8 connections (one event loop, as redis-benchmark
    drives its clients): the redis backend over the Unix socket and TCP,
    with and without pipelining, and the manager,
  - a Redis Cluster of 3 nodes the script starts on loopback (redis-cli
    --cluster create): redis-benchmark --cluster -t incr -c 9 (P1, P16),
    which runs a thread per node (3) with its clients on that node and one
    key there, against the redis backend with redis.cluster, 3 workers x 3
    connections on 1 key of 3 shards (a shard per node; a worker's
    connections add to the same shard: the same 3/3/3 split, a thread per
    node), and the same over 1024 keys, where each connection sends to
    every node; and, on one thread each, redis-benchmark --cluster
    --threads 1 -c 8 against 1 worker x 8 connections,

With --baseline OLD_BUILD_DIR, each ctrbench case (manager, redis
backend) also runs with the binary in OLD_BUILD_DIR, right after the new
one in every round (at least 9 rounds), and the new/old ratio of each
case's medians is printed; a case below 0.97 of the old is marked.

Usage: scripts/server_speed.py [--build DIR] [--baseline OLD_BUILD_DIR]
                               [--rounds 3] [--duration 2s]
                               [--mode threads|processes] [--only REGEX]
"""

import argparse
import csv
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ctrbench(build, duration, mode, args, keys=1):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "run.csv")
        subprocess.run([os.path.join(build, "ctrbench"), "run", "--strategy",
                        "atomic", "--keys", str(keys), "--duration", duration,
                        "--mode", mode, "--out", out, "--quiet"] + args,
                       check=True, capture_output=True, text=True)
        with open(out, newline="") as f:
            row = next(csv.DictReader(f))
        if row["verified"] != "true":
            sys.exit("run not verified: " + row["error"])
        return float(row["increments_per_s"])


def redis_benchmark(target, clients, pipeline, seconds=2.0, guess=None):
    # -n sized for about `seconds` at the expected rate.
    n = int(max(20000, (guess or 50000) * seconds))
    out = subprocess.run(["redis-benchmark"] + target +
                         ["-t", "incr", "-c", str(clients), "-P",
                          str(pipeline), "-n", str(n), "-q"],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"INCR: ([\d.]+) requests per second", out)
    if not m:
        sys.exit("cannot read redis-benchmark output: " + out)
    return float(m.group(1))


def start_cluster(tmp, nodes=3):
    """N cluster nodes on loopback, slots assigned; their processes and the
    first node's port."""
    procs, addresses = [], []
    try:
        return _form_cluster(tmp, nodes, procs, addresses)
    except BaseException:
        for p in procs:
            p.terminate()
            p.wait()
        raise


def _form_cluster(tmp, nodes, procs, addresses):
    for i in range(nodes):
        d = os.path.join(tmp, f"node{i}")
        os.mkdir(d)
        port, bus = free_port(), free_port()
        procs.append(subprocess.Popen(
            ["redis-server", "--port", str(port), "--cluster-port", str(bus),
             "--bind", "127.0.0.1", "--cluster-enabled", "yes",
             "--cluster-config-file", "nodes.conf", "--save", "",
             "--appendonly", "no", "--dir", d, "--logfile", ""],
            stdout=subprocess.DEVNULL))
        addresses.append(f"127.0.0.1:{port}")
    time.sleep(0.5)
    subprocess.run(["redis-cli", "--cluster", "create"] + addresses +
                   ["--cluster-replicas", "0", "--cluster-yes"],
                   check=True, capture_output=True)
    first = addresses[0].split(":")[1]
    for _ in range(300):
        info = subprocess.run(["redis-cli", "-p", first, "cluster", "info"],
                              capture_output=True, text=True).stdout
        if "cluster_state:ok" in info:
            return procs, addresses
        time.sleep(0.05)
    raise RuntimeError("the cluster did not reach cluster_state:ok in 15 s")


def is_ctrbench(case):
    """Whether a case runs the ctrbench binary (not redis-benchmark)."""
    return case.startswith(("manager", "redis backend"))


def socketpair(build):
    out = subprocess.run([os.path.join(build, "ctrbench_bench"),
                          "--benchmark_filter=BM_SocketpairRoundTrip",
                          "--benchmark_min_time=2", "--benchmark_format=csv"],
                         check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(l for l in out.splitlines()
                               if l and not l.startswith("name,") or
                               l.startswith("name,")))
    return float(rows[0]["items_per_second"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="2s")
    parser.add_argument("--mode", default="threads")
    parser.add_argument("--baseline", default="",
                        help="an older build directory to compare against")
    parser.add_argument("--only", default="",
                        help="a regular expression: run only the cases it "
                        "finds (and the ratios between them)")
    opts = parser.parse_args()
    if not shutil.which("redis-server") or not shutil.which("redis-benchmark"):
        sys.exit("needs redis-server and redis-benchmark (Debian package "
                 "redis-server)")
    if opts.baseline:
        if not os.access(os.path.join(opts.baseline, "ctrbench"), os.X_OK):
            sys.exit(f"--baseline {opts.baseline}: no ctrbench binary there")
        opts.rounds = max(opts.rounds, 9)

    tmp = tempfile.mkdtemp(prefix="ctrbench-speed-")
    nodes = []
    sock = os.path.join(tmp, "redis.sock")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
         "--unixsocket", sock, "--unixsocketperm", "700", "--save", "",
         "--appendonly", "no", "--dir", tmp, "--logfile", ""],
        stdout=subprocess.DEVNULL)
    try:
        for _ in range(500):
            if os.path.exists(sock):
                break
            time.sleep(0.01)
        time.sleep(0.2)
        unix = ["-s", sock]
        tcp = ["-h", "127.0.0.1", "-p", str(port)]
        redis_unix = ["--backend", "redis", "--set", "redis.url=unix:" + sock]
        redis_tcp = ["--backend", "redis",
                     "--set", f"redis.url=redis://127.0.0.1:{port}"]
        manager = ["--backend", "manager"]
        d, m, b = opts.duration, opts.mode, opts.build
        # The cluster's cases; their lambdas read cluster_bench and
        # redis_cluster when they run, once the cluster is up.
        w3c3 = ["--workers", "3", "--connections", "3"]
        w1c8 = ["--workers", "1", "--connections", "8"]
        p16 = ["--set", "redis.pipeline=16"]
        cluster_cases = {
            # Long enough that its 250 ms steps do not matter.
            "redis-benchmark cluster c9 P1": lambda: redis_benchmark(
                cluster_bench, 9, 1, seconds=8, guess=150000),
            "redis backend cluster w3c3 P1": lambda: ctrbench(
                b, d, m, redis_cluster + w3c3 + ["--shards", "3"]),
            "redis backend cluster w3c3 P1 1024 keys": lambda: ctrbench(
                b, d, m, redis_cluster + w3c3, keys=1024),
            "redis-benchmark cluster c9 P16": lambda: redis_benchmark(
                cluster_bench, 9, 16, seconds=8, guess=1800000),
            "redis backend cluster w3c3 P16": lambda: ctrbench(
                b, d, m, redis_cluster + w3c3 + p16 + ["--shards", "3"]),
            "redis backend cluster w3c3 P16 1024 keys": lambda: ctrbench(
                b, d, m, redis_cluster + w3c3 + p16, keys=1024),
            "redis-benchmark cluster threads 1 c8 P1": lambda:
                redis_benchmark(cluster_bench + ["--threads", "1"], 8, 1,
                                seconds=8, guess=100000),
            "redis backend cluster w1c8 P1": lambda: ctrbench(
                b, d, m, redis_cluster + w1c8 + ["--shards", "3"]),
            "redis-benchmark cluster threads 1 c8 P16": lambda:
                redis_benchmark(cluster_bench + ["--threads", "1"], 8, 16,
                                seconds=8, guess=1000000),
            "redis backend cluster w1c8 P16": lambda: ctrbench(
                b, d, m, redis_cluster + w1c8 + p16 + ["--shards", "3"]),
        }
        addresses = ["127.0.0.1:0"]
        if not opts.only or any(re.search(opts.only, c)
                                for c in cluster_cases):
            nodes, addresses = start_cluster(tmp)
        cluster_bench = ["--cluster", "-h", "127.0.0.1",
                         "-p", addresses[0].split(":")[1]]
        redis_cluster = ["--backend", "redis",
                         "--set", "redis.cluster=" + ",".join(addresses)]
        cases = {
            "socketpair round trip": lambda: socketpair(b),
            "manager w1": lambda: ctrbench(b, d, m, manager + ["--workers", "1"]),
            "manager w8": lambda: ctrbench(b, d, m, manager + ["--workers", "8"]),
            "manager w8 P16": lambda: ctrbench(
                b, d, m, manager + ["--workers", "8", "--set",
                                    "manager.pipeline=16"]),
            "redis-benchmark unix c1 P1": lambda: redis_benchmark(unix, 1, 1),
            "redis-benchmark unix c8 P1": lambda: redis_benchmark(
                unix, 8, 1, guess=100000),
            "redis-benchmark unix c8 P16": lambda: redis_benchmark(
                unix, 8, 16, guess=1000000),
            "redis backend unix w8 P16": lambda: ctrbench(
                b, d, m, redis_unix + ["--workers", "8", "--set",
                                       "redis.pipeline=16"]),
            "redis backend unix w1c8 P1": lambda: ctrbench(
                b, d, m, redis_unix + ["--workers", "1", "--connections", "8"]),
            "redis backend unix w1c8 P16": lambda: ctrbench(
                b, d, m, redis_unix + ["--workers", "1", "--connections", "8",
                                       "--set", "redis.pipeline=16"]),
            "manager w1c8": lambda: ctrbench(
                b, d, m, manager + ["--workers", "1", "--connections", "8"]),
            "manager w1c8 P16": lambda: ctrbench(
                b, d, m, manager + ["--workers", "1", "--connections", "8",
                                    "--set", "manager.pipeline=16"]),
            "redis-benchmark tcp c1 P1": lambda: redis_benchmark(tcp, 1, 1),
            "redis backend tcp w1 P1": lambda: ctrbench(
                b, d, m, redis_tcp + ["--workers", "1"]),
            "redis-benchmark tcp c8 P1": lambda: redis_benchmark(
                tcp, 8, 1, guess=80000),
            "redis backend tcp w8 P1": lambda: ctrbench(
                b, d, m, redis_tcp + ["--workers", "8"]),
            "redis-benchmark tcp c8 P16": lambda: redis_benchmark(
                tcp, 8, 16, guess=1000000),
            "redis backend tcp w8 P16": lambda: ctrbench(
                b, d, m, redis_tcp + ["--workers", "8", "--set",
                                      "redis.pipeline=16"]),
            "redis backend tcp w1c8 P1": lambda: ctrbench(
                b, d, m, redis_tcp + ["--workers", "1", "--connections", "8"]),
            "redis backend tcp w1c8 P16": lambda: ctrbench(
                b, d, m, redis_tcp + ["--workers", "1", "--connections", "8",
                                      "--set", "redis.pipeline=16"]),
        }
        if nodes:
            cases.update(cluster_cases)
        if opts.only:
            wanted = re.compile(opts.only)
            cases = {k: v for k, v in cases.items() if wanted.search(k)}
        samples = {name: [] for name in cases}
        # With --baseline: the ctrbench cases again with the old binary.
        old = {name: [] for name in cases if is_ctrbench(name)}
        for r in range(opts.rounds):
            for name, run in cases.items():
                samples[name].append(run())
                if opts.baseline and name in old:
                    # The lambdas read `b` when they run.
                    b = opts.baseline
                    old[name].append(run())
                    b = opts.build
            print(f"round {r + 1} done", file=sys.stderr)
    finally:
        for p in [server] + nodes:
            p.terminate()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in samples.items()}
    print(f"| case (median of {opts.rounds}, ctrbench mode {opts.mode}) "
          "| per second | runs |")
    print("|---|---:|---|")
    for name, value in med.items():
        runs = ", ".join(f"{v:,.0f}" for v in samples[name])
        print(f"| {name} | {value:,.0f} | {runs} |")
    if opts.baseline:
        print()
        print(f"| case: new / baseline ({opts.baseline}), medians of "
              f"{opts.rounds} interleaved rounds | ratio | old runs |")
        print("|---|---:|---|")
        for name, values in old.items():
            ratio = med[name] / statistics.median(values)
            mark = "" if ratio >= 0.97 else " (below 0.97)"
            runs = ", ".join(f"{v:,.0f}" for v in values)
            print(f"| {name} | {ratio:.2f}{mark} | {runs} |")
    ratio = lambda a, b: med[a] / med[b]
    print()
    print("| ratio | measured | target |")
    print("|---|---:|---:|")
    for a, b, target in [
        ("manager w1", "socketpair round trip", 0.8),
        ("manager w8", "redis-benchmark unix c8 P1", 1.0),
        ("manager w8 P16", "redis backend unix w8 P16", 1.2),
        ("manager w8 P16", "redis-benchmark unix c8 P16", 0.9),
        ("redis backend tcp w1 P1", "redis-benchmark tcp c1 P1", 0.9),
        ("redis backend tcp w8 P1", "redis-benchmark tcp c8 P1", 0.9),
        ("redis backend tcp w8 P16", "redis-benchmark tcp c8 P16", 0.75),
        # One worker driving 8 connections from one event loop, as
        # redis-benchmark does.
        ("redis backend unix w1c8 P1", "redis-benchmark unix c8 P1", 0.95),
        ("redis backend unix w1c8 P16", "redis-benchmark unix c8 P16", 0.95),
        ("redis backend tcp w1c8 P1", "redis-benchmark tcp c8 P1", 0.95),
        ("redis backend tcp w1c8 P16", "redis-benchmark tcp c8 P16", 0.95),
        ("manager w1c8", "redis backend unix w1c8 P1", 1.2),
        ("manager w1c8 P16", "redis backend unix w1c8 P16", 1.2),
        # redis-benchmark --cluster runs a thread per node: 3 workers.
        ("redis backend cluster w3c3 P1", "redis-benchmark cluster c9 P1",
         0.9),
        ("redis backend cluster w3c3 P16", "redis-benchmark cluster c9 P16",
         0.9),
        # And on one thread each.
        ("redis backend cluster w1c8 P1",
         "redis-benchmark cluster threads 1 c8 P1", 0.9),
        ("redis backend cluster w1c8 P16",
         "redis-benchmark cluster threads 1 c8 P16", 0.9),
    ]:
        if a in med and b in med:
            print(f"| {a} / {b} | {ratio(a, b):.2f} | {target} |")


if __name__ == "__main__":
    main()
