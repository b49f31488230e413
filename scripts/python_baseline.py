#!/usr/bin/env python3
"""The hot-key counter with the tools Python programmers use, as ctrbench rows.

Two workers (by default) each add 1 to one shared counter a fixed number of
times (at least --increments, more when a case would end within --min-time:
each case runs again with more until it lasts that long), --repeat times,
with:

  py-threading  lock   threading.Lock around an integer (threads)
  py-value      lock   multiprocessing.Value, with its lock (processes)
  py-value      naive  multiprocessing.Value without the lock: loses updates
  py-manager    lock   a multiprocessing.Manager() dict guarded by a
                       Manager Lock (processes, every access a round trip)

and writes one row per case in ctrbench's CSV schema, so `ctrbench report`
puts them beside the C++ backends. Standard library only.

The columns are ctrbench's, as `ctrbench list --columns` gives them
(--ctrbench names the binary; default build/ctrbench).

Usage: scripts/python_baseline.py [--out FILE] [--increments N]
                                  [--min-time S] [--repeat R]
                                  [--workers W] [--scenario NAME]
                                  [--ctrbench BIN]
"""

import argparse
import math
import multiprocessing as mp
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time

def ctrbench_columns(binary):
    """ctrbench's CSV columns, in order, as `ctrbench list --columns` says."""
    try:
        out = subprocess.run([binary, "list", "--columns"], check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"python_baseline: --ctrbench {binary}: cannot list the "
                 f"columns ({e}); build ctrbench first (cmake --build build)")
    return [line.split("\t")[0] for line in out.splitlines()
            if line and not line.startswith("#")]


def default_ctrbench():
    """build/ctrbench beside this script's repository, else on PATH."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "build", "ctrbench")
    return here if os.access(here, os.X_OK) else (
        shutil.which("ctrbench") or here)


def locked_int_worker(state, lock, n, barrier, out, index):
    """threading: one lock around a plain integer in a shared dict."""
    barrier.wait()
    lat = []
    clock = time.perf_counter_ns
    for _ in range(n):
        t0 = clock()
        with lock:
            state["value"] += 1
        lat.append(clock() - t0)
    out[index] = lat


def value_worker(value, use_lock, n, barrier, queue):
    barrier.wait()
    lat = []
    clock = time.perf_counter_ns
    if use_lock:
        lock = value.get_lock()
        for _ in range(n):
            t0 = clock()
            with lock:
                value.value += 1
            lat.append(clock() - t0)
    else:
        for _ in range(n):
            t0 = clock()
            value.value += 1  # Read, then write: not atomic.
            lat.append(clock() - t0)
    queue.put(lat)


def manager_worker(shared, lock, n, barrier, queue):
    barrier.wait()
    lat = []
    clock = time.perf_counter_ns
    for _ in range(n):
        t0 = clock()
        with lock:
            shared["value"] = shared["value"] + 1
        lat.append(clock() - t0)
    queue.put(lat)


def run_threads(workers, n):
    state = {"value": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(workers + 1)
    out = [None] * workers
    threads = [threading.Thread(target=locked_int_worker,
                                args=(state, lock, n, barrier, out, i))
               for i in range(workers)]
    for t in threads:
        t.start()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    duration = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    return state["value"], duration, out, usage, after, ""


def run_processes(target, make_args, workers, n, read_total):
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(workers + 1)
    queue = ctx.Queue()
    procs = [ctx.Process(target=target, args=make_args() + (n, barrier, queue))
             for _ in range(workers)]
    for p in procs:
        p.start()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    barrier.wait()
    start = time.perf_counter()
    lat = [queue.get() for _ in procs]
    duration = time.perf_counter() - start
    for p in procs:
        p.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    error = ""
    for p in procs:
        if p.exitcode != 0:
            error = f"worker pid {p.pid} exited with {p.exitcode}"
    return read_total(), duration, lat, usage, after, error


def percentile(sorted_ns, q):
    """The value at quantile q in microseconds: the ceil(q * n)-th sample."""
    if not sorted_ns:
        return ""
    rank = min(len(sorted_ns), max(1, math.ceil(q * len(sorted_ns))))
    return f"{sorted_ns[rank - 1] / 1000:.3f}"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def row(columns, scenario, backend, strategy, mode, workers, n, result,
        run_no, repetition):
    actual, duration, lat, usage, after, error = result
    expected = workers * n
    samples = sorted(x for worker in lat for x in worker)
    lost = expected - actual
    verified = not error and (strategy == "naive" or lost == 0)
    if strategy == "lock" and lost != 0 and not error:
        error = f"{lost} updates lost under a lock"
    values = {
        "schema_version": "2",
        "run_id": f"{os.getpid()}-py{run_no}",
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "scenario": scenario,
        "backend": backend,
        "strategy": strategy,
        "mode": mode,
        "workers": str(workers),
        "keys": "1",
        "distribution": "uniform",
        "batch": "1",
        "shards": "1",
        "read_fraction": "0.000",
        "repetition": str(repetition),
        "duration_s": f"{duration:.6f}",
        "ops": str(expected),
        "increments": str(expected),
        "throughput_ops_s": f"{expected / duration:.1f}",
        "increments_per_s": f"{expected / duration:.1f}",
        "lat_p50_us": percentile(samples, 0.50),
        "lat_p90_us": percentile(samples, 0.90),
        "lat_p99_us": percentile(samples, 0.99),
        "lat_p999_us": percentile(samples, 0.999),
        "lat_max_us": f"{samples[-1] / 1000:.3f}" if samples else "",
        "lat_sample_every": "1",
        "retries": "0",
        "lock_wait_us": "0.0",
        "errors": "0",
        "expected_total": str(expected),
        "actual_total": str(actual),
        "lost_updates": str(lost),
        "verified": "true" if verified else "false",
        "worker_ops_min": str(n),
        "worker_ops_max": str(n),
        "fairness": "1.0000",
        "cpu_user_s": f"{after.ru_utime - usage.ru_utime:.3f}",
        "cpu_sys_s": f"{after.ru_stime - usage.ru_stime:.3f}",
        "ctx_voluntary": str(after.ru_nvcsw - usage.ru_nvcsw),
        "ctx_involuntary": str(after.ru_nivcsw - usage.ru_nivcsw),
        "backend_options": "",
        "host": socket.gethostname(),
        "cpu_model": cpu_model(),
        "cpus": str(os.cpu_count()),
        "version": "python " + platform.python_version(),
        "hold_us": "0.000",
        "think_us": "0.000",
        "warmup_s": "0.000",
        "seed": "0",
        "build_type": "python",
        "backend_version": "python " + platform.python_version(),
        "server_cpu_s": "",
        "error": error,
        "duration_target_s": "",
        "ops_target": str(n),
        "series_interval_s": "",
        "cpu_steal_s": "",
        "disk_peak_mb": "",
        "wait_samples": "",
        "wait_lock_tuple": "",
        "wait_lock_transactionid": "",
        "wait_lock_other": "",
        "wait_other": "",
        "rate": "",
        "arrival": "",
        "latency_limit_us": "",
        "rate_achieved": "",
        "resp_p50_us": "",
        "resp_p90_us": "",
        "resp_p99_us": "",
        "resp_p999_us": "",
        "resp_max_us": "",
        "sched_lag_max_us": "",
        "late_ops": "",
        "unsent_ops": "",
        "flush_every_us": "",
        "stale_max_us": "",
        "held_max": "",
        "rate_offered": "",
        "capacity_ops_s": "",
        "pin": "off",
        "cpu_placement": "",
        "harness_pss_mb": "",
        "setup_s": "",
        "connections": "1",
        "busy_poll_us": "",
        "busy_poll_used_us": "",
        "redirects": "0",
        "node_commands": "",
        "ranks": "1",
        "hosts": "1",
        "host_fairness": "1.0000",
        "timeout_ms": "",  # No server, no deadline.
        "lat_mean_us": f"{sum(samples) / len(samples) / 1000:.3f}"
                       if samples else "",
        # One counter: what a read found, up to what was acknowledged.
        "goodput_per_s": f"{min(expected, actual) / duration:.1f}",
        "kind": "counter",
    }
    unknown = sorted(set(values) - set(columns))
    if unknown:
        sys.exit("python_baseline: ctrbench has no column " +
                 ", ".join(unknown) + "; is it an older build?")
    # A column this script does not fill (one added to ctrbench since) is
    # empty, as in ctrbench's own rows that lack a value.
    return [values.get(c, "") for c in columns]


def calibrated(run, n, min_time):
    """The first run of a case that lasts at least min_time seconds, and
    its increments per worker: a shorter one runs again with more (at most
    10 times more at a step, as google/benchmark grows its iterations)."""
    while True:
        result = run(n)
        duration = result[1]
        if duration >= min_time:
            return n, result
        grow = min(10.0, 1.4 * min_time / max(duration, 1e-9))
        n = max(n + 1, math.ceil(n * grow))


def csv_line(fields):
    out = []
    for f in fields:
        if any(ch in f for ch in ',"\r\n'):
            f = '"' + f.replace('"', '""') + '"'
        out.append(f)
    return ",".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--out", help="CSV file to write (must not exist); "
                        "default results/<YYYYmmdd-HHMMSS>-python_baseline.csv")
    parser.add_argument("--increments", type=int, default=5000,
                        help="increments per worker to start from (default "
                        "5000)")
    parser.add_argument("--min-time", type=float, default=0.2,
                        help="seconds a case lasts at least: one that ends "
                        "sooner runs again with more increments (default "
                        "0.2; a few milliseconds are one stall away from "
                        "another answer)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="repetitions of each case (default 3; the "
                        "report takes their median)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ctrbench", default=default_ctrbench(),
                        help="the ctrbench binary whose columns the rows "
                        "take (default build/ctrbench, else on PATH)")
    parser.add_argument("--scenario", default="python_baseline",
                        help="scenario name in the rows, to put them beside "
                        "a ctrbench scenario in the report")
    opts = parser.parse_args()
    if opts.increments < 1 or opts.workers < 1 or opts.repeat < 1:
        parser.error("--increments, --workers and --repeat must be at "
                     "least 1")
    if not 0 <= opts.min_time <= 60:
        parser.error(f"--min-time {opts.min_time}: allowed 0 to 60 seconds")
    columns = ctrbench_columns(opts.ctrbench)
    out = opts.out or time.strftime(
        "results/%Y%m%d-%H%M%S-python_baseline.csv")
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        sys.exit(f"python_baseline: {out}: file exists; name another with "
                 "--out")

    w = opts.workers

    def threading_case(n):
        return run_threads(w, n)

    def value_case(use_lock, n):
        ctx = mp.get_context("fork")
        value = ctx.Value("q", 0, lock=use_lock)
        return run_processes(value_worker, lambda: (value, use_lock), w, n,
                             lambda: value.value)

    def manager_case(n):
        with mp.get_context("fork").Manager() as manager:
            shared = manager.dict(value=0)
            lock = manager.Lock()
            return run_processes(manager_worker, lambda: (shared, lock), w, n,
                                 lambda: shared["value"])

    # The unlocked Value needs its processes to overlap to race: in a few
    # milliseconds one may finish before the other is scheduled, and
    # nothing is lost. --min-time keeps every case long enough for that.
    cases = [
        ("py-threading", "lock", "threads", threading_case),
        ("py-value", "lock", "processes", lambda n: value_case(True, n)),
        ("py-value", "naive", "processes", lambda n: value_case(False, n)),
        ("py-manager", "lock", "processes", manager_case),
    ]
    run_no = 0
    with os.fdopen(fd, "w") as f:
        f.write(csv_line(columns))
        f.flush()
        for backend, strategy, mode, run in cases:
            n, result = calibrated(run, opts.increments, opts.min_time)
            for repetition in range(1, opts.repeat + 1):
                if repetition > 1:
                    result = run(n)
                fields = row(columns, opts.scenario, backend, strategy, mode,
                             w, n, result, run_no, repetition)
                run_no += 1
                f.write(csv_line(fields))
                f.flush()
                rate = float(fields[columns.index("increments_per_s")])
                lost = fields[columns.index("lost_updates")]
                print(f"{backend} {strategy} {mode} workers={w} "
                      f"increments={n} rep {repetition}: {rate:,.0f} "
                      f"incr/s, lost {lost}")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
