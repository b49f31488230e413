#!/usr/bin/env python3
"""Prints every "Reference excerpt" of docs/LAB.md from a lab run.

docs/LAB.md quotes one run, results/reference/. When that run is made
again, each excerpt table, and each reference figure its prose quotes
(marked "in the reference run" or "on the reference machine"), must be
made again from the new files; this prints the tables in the order and
with the rounding LAB.md uses, to paste over the old ones, then the prose
figures, each with the exercise that quotes it:

  scripts/lab_excerpts.py results/reference

Medians come from report/summary.csv, its groups found as
scripts/check_lab.py finds them (Summary.find). Counts that summary.csv
does not hold come from the scenario's own CSV: exercise 3's
wait_samples, wait_lock_tuple and wait_lock_transactionid, exercise 3b's
retries, exercise 7's late_ops / ops, exercise 8's node_commands (summed,
or the median, over a group's repetitions). The header says how many
repetitions each exercise's groups have, for the tables' "medians of N
runs" wording.

Usage: scripts/lab_excerpts.py LAB_DIR   (with report/summary.csv)
"""

import os
import statistics
import sys

sys.dont_write_bytecode = True  # No scripts/__pycache__ in the work tree.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_lab as lab  # noqa: E402  (beside this file, not installed)
from check_lab import ips, num  # noqa: E402

PG = "postgres"
HOLD = "100.000"


def rate(v, m_decimals=None):
    """9.8 k, 113.1 M, 2.85 M: M with 2 decimals under 10 M unless told."""
    if v != v:  # NaN: a group without the column
        return "?"
    if v >= 1e6:
        d = m_decimals if m_decimals is not None else (2 if v < 1e7 else 1)
        return f"{v / 1e6:,.{d}f} M"
    return f"{v / 1e3:,.1f} k"


def pct(share):
    return f"{100 * share:.1f} %"


def count(v):
    return f"{v:,.0f}"


def micros(v):
    """59.6 under 1,000 us, 2,310 above."""
    return f"{v:.1f}" if v < 1000 else f"{v:,.0f}"


def table(header, rows, align=None):
    align = align or ["---"] + ["---:"] * (len(header) - 1)
    return [line(header), line(align)] + [line(r) for r in rows]


def line(cells):
    """A markdown row; an empty cell is "| |", as LAB.md writes it."""
    return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"


def raw_rows(s, name, backend, strategy, options=(), **fields):
    """The runs of NAME.csv in one group (fields as in Summary.find)."""
    want = {"mode": "threads", "keys": "1", "batch": "1", "shards": "1",
            "hold_us": "0.000"}
    want.update({k: str(v) for k, v in fields.items()})
    hits = [r for r in s.raw(name)
            if (r["backend"], r["strategy"]) == (backend, strategy)
            and all(r.get(k) == v for k, v in want.items())
            and set(options) <= set(r["backend_options"].split(";"))]
    if not hits:
        raise LookupError(f"no run in {name}.csv for {backend} {strategy} "
                          f"{options} {fields}")
    return hits


def raw_median(s, name, column, *args, **kwargs):
    return statistics.median(float(r[column])
                             for r in raw_rows(s, name, *args, **kwargs))


def has(s, scenario, backend):
    """Whether the run has BACKEND in SCENARIO (run_lab.sh leaves out
    PostgreSQL where it is not installed)."""
    return any(r["scenario"] == scenario and r["backend"] == backend
               for r in s.rows)


def ex1(s):
    names = [("inproc", "inproc (threads)"), ("shm", "shm (threads)"),
             ("sqlite", "sqlite"), ("manager", "manager"), ("redis", "redis")]
    if has(s, lab.L1, PG):
        names.append((PG, "postgres"))
    rows = [[label] + [pct(s.value("lost_share_median", lab.L1, b, "naive",
                                   workers=w)) for w in (2, 4, 8)]
            for b, label in names]
    return table(["backend", "2 workers", "4 workers", "8 workers"], rows)


def ex2(s):
    rows = []
    for b in lab.MEMORY + lab.SERVERS:
        cells = [rate(ips(s, lab.L2, b, st, workers=w))
                 for st in ("atomic", "lock", "cas") for w in (1, 4)]
        cells.append(count(s.value("retries_per_1k_ops_median", lab.L2, b,
                                   "cas", workers=4)))
        rows.append([b] + cells)
    return table(["backend", "atomic, 1 worker", "atomic, 4", "lock, 1",
                  "lock, 4", "cas, 1", "cas, 4",
                  "cas retries per 1,000 ops, 4 workers"], rows)


def ex3(s):
    cases = [
        ("postgres, 1 row, hold 100 us", PG, [], 1, HOLD),
        ("postgres, 1024 rows, hold 100 us", PG, [], 1024, HOLD),
        ("postgres, 1 row, no hold", PG, [], 1, "0.000"),
        ("postgres, 1024 rows, no hold", PG, [], 1024, "0.000"),
        ("sqlite (WAL), 1 row, hold 100 us", "sqlite", [lab.WAL], 1, HOLD),
        ("sqlite (WAL), 1024 rows, hold 100 us", "sqlite", [lab.WAL], 1024,
         HOLD),
        ("sqlite (WAL), 1 row, no hold", "sqlite", [lab.WAL], 1, "0.000"),
        ("inproc, 1 key, hold 100 us", "inproc", [], 1, HOLD),
        ("inproc, 1024 keys, hold 100 us", "inproc", [], 1024, HOLD),
    ]
    rows = [[label] + [rate(ips(s, lab.L3, b, "lock", opts, workers=w,
                                keys=keys, hold_us=hold))
                       for w in (1, 2, 4, 8)]
            for label, b, opts, keys, hold in cases]
    lines = table(["", "1 worker", "2", "4", "8"], rows)
    waits = []
    for keys in (1, 1024):
        runs = raw_rows(s, "3_hot_row", PG, "lock", workers=8, keys=keys,
                        hold_us=HOLD)
        looks, tup, xid = (sum(int(r[c]) for r in runs) for c in (
            "wait_samples", "wait_lock_tuple", "wait_lock_transactionid"))
        waits.append(f"{keys} row(s): {looks} looks, {tup} on Lock:tuple, "
                     f"{xid} on Lock:transactionid")
    return lines + ["", "PostgreSQL's waits, 8 workers, hold 100 us: " +
                    "; ".join(waits)]


def ex3b(s):
    def cell(strategy, level, w):
        opt = [f"isolation={level}"]
        text = rate(ips(s, lab.L3B, PG, strategy, opt, workers=w))
        if w == 1:
            return text + (", 0, 0 lost" if strategy == "naive" else "")
        retries = raw_median(s, "3b_isolation", "retries", PG, strategy, opt,
                             workers=w)
        lost = s.value("lost_updates_median", lab.L3B, PG, strategy, opt,
                       workers=w)
        text += f", {count(retries)} retries" if retries else ", 0"
        return text + (f", {count(lost)} lost" if strategy == "naive" else "")

    cases = [("naive, read committed", "naive", "read_committed"),
             ("naive, serializable", "naive", "serializable"),
             ("cas, read committed", "cas", "read_committed"),
             ("lock, serializable", "lock", "serializable")]
    rows = [[label] + [cell(st, level, w) for w in (1, 2, 4)]
            for label, st, level in cases]
    return table(["", "1 worker", "2 workers", "4 workers"], rows)


def ex4(s):
    def one(b, **fields):
        opts = ["txn_ops=1"] if b == "sqlite" else []
        return ips(s, lab.L4, b, "atomic", opts, workers=4, **fields)

    rows = [[b] + [rate(one(b, **f)) for f in (
        {}, {"shards": 8}, {"batch": 100}, {"batch": 100, "shards": 8})]
        for b in ("sqlite", "manager", "redis", "shm")]
    lines = table(["backend", "plain", "shards 8", "batch 100",
                   "batch 100 + shards 8"], rows)
    txn = ips(s, lab.L4, "sqlite", "atomic", ["txn_ops=100"], workers=4)
    return lines + ["", f"SQLite with txn_ops = 100: {rate(txn)}/s"]


def ex5(s):
    def both(b, st):
        return " / ".join(rate(ips(s, lab.L5, b, st, workers=2, mode=m))
                          for m in ("threads", "processes"))

    value_naive = s.find(lab.L5, "py-value", "naive", workers=2,
                         mode="processes")
    rows = [
        ["py-threading: `threading.Lock` around an int",
         rate(ips(s, lab.L5, "py-threading", "lock", workers=2)), ""],
        ["py-value: `multiprocessing.Value` with its lock",
         rate(ips(s, lab.L5, "py-value", "lock", workers=2,
                  mode="processes")), ""],
        ["py-value without the lock", "",
         f"{rate(num(value_naive, 'increments_per_s_median'))} "
         f"({pct(num(value_naive, 'lost_share_median'))} lost)"],
        ["py-manager: Manager dict + Manager Lock",
         rate(ips(s, lab.L5, "py-manager", "lock", workers=2,
                  mode="processes")), ""],
        ["shm, threads / processes", both("shm", "lock"),
         both("shm", "naive")],
        ["manager, threads / processes", both("manager", "lock"),
         both("manager", "naive")],
    ]
    return table(["", "lock", "naive (lost %)"], rows)


def ex6(s):
    loop, threads = ["model=loop", "pipeline=1"], ["model=threads",
                                                    "pipeline=1"]
    cases = [("inproc", "inproc", []), ("shm", "shm", []),
             ("sqlite (WAL)", "sqlite", [lab.WAL]),
             ("manager (event loop)", "manager", loop),
             ("manager (thread per connection)", "manager", threads),
             ("manager (event loop), 16 in flight", "manager",
              ["model=loop", "pipeline=16"]),
             ("redis", "redis", ["pipeline=1"]),
             ("redis, 16 in flight", "redis", ["pipeline=16"])]
    if has(s, lab.L6, PG):
        cases.insert(3, ("postgres (durable commits)", PG, ["fsync=on"]))
    rows = [[label] + [rate(ips(s, lab.L6, b, "atomic", opts, workers=w))
                       for w in (1, 8)]
            for label, b, opts in cases]
    return table(["", "1 worker", "8 workers"], rows)


def ex7(s):
    closed = lab.open_loop(s, "")
    capacity = num(closed, "increments_per_s_median")
    rows = [["closed loop", rate(capacity),
             micros(num(closed, "lat_p50_us_median")),
             micros(num(closed, "lat_p99_us_median")), "", "", ""]]
    for share in ("50%", "80%", "95%", "110%"):
        g = lab.open_loop(s, share)
        runs = [r for r in s.raw("7_open_loop") if r["rate"] == share]
        late = sum(int(r["late_ops"]) for r in runs) / max(
            1, sum(int(r["ops"]) for r in runs))
        rows.append([share.replace("%", " %"),
                     rate(num(g, "rate_achieved_median"))] +
                    [micros(num(g, c)) for c in (
                        "lat_p50_us_median", "lat_p99_us_median",
                        "resp_p50_us_median", "resp_p99_us_median")] +
                    [pct(late)])
    return [f"capacity {rate(capacity)} increments/s", ""] + table(
        ["offered", "achieved/s", "service p50", "service p99",
         "response p50", "response p99", "late (over 1 ms)"], rows)


def ex7b(s):
    rows = []
    for b in ("sqlite", "redis"):
        for flush, label in (("", "every increment"),
                             ("1000.000", "flush every 1 ms"),
                             ("10000.000", "flush every 10 ms"),
                             ("100000.000", "flush every 100 ms")):
            g = lab.write_behind(s, b, flush)
            cells = [rate(num(g, "increments_per_s_median"), 2), "", ""]
            if flush:
                cells[1] = f"{num(g, 'stale_max_us_median') / 1000:.1f}"
                cells[2] = count(num(g, "held_max_median"))
            rows.append([f"{b}, {label}"] + cells)
    return table(["", "increments/s", "stale max (ms)", "held at most"], rows)


def ex8(s):
    rows = []
    for label, keys, shards in (("1 key", 1, 1), ("1024 keys", 1024, 1),
                                ("1 key, 3 shards", 1, 3)):
        cells = [label]
        for nodes in (1, 3):
            runs = lab.cluster_rows(s, nodes, keys, shards)
            cells.append(rate(statistics.median(
                float(r["increments_per_s"]) for r in runs)))
        split = [sum(int(r["node_commands"].split("/")[i]) for r in runs)
                 for i in range(3)]
        cells.append(" / ".join(count(c) for c in split))
        rows.append(cells)
    return table(["", "1 node", "3 nodes", "split on 3 nodes"], rows,
                 ["---", "---:", "---:", "---"])


def ratio(a, b):
    return f"{a / b:.1f}x"


def prose_figures(s):
    """The figures LAB.md's prose quotes from the reference run."""
    loop1, loop16 = ["model=loop", "pipeline=1"], ["model=loop", "pipeline=16"]
    lost = s.value("lost_share_median", lab.L1, "sqlite", "naive", workers=2)
    out = [f"ex1: SQLite loses {pct(lost)} with 2 workers"]
    out.append("ex2: lock costs atomic's (1 worker) " + ", ".join(
        f"{b} " + ratio(ips(s, lab.L2, b, "atomic", workers=1),
                        ips(s, lab.L2, b, "lock", workers=1))
        for b in lab.MEMORY + lab.SERVERS))
    durable = [ips(s, sc, PG, "atomic", workers=w) for sc, ws in (
        (lab.L1, (2, 4, 8)), (lab.L6, (1, 8))) if has(s, sc, PG) for w in ws]
    if durable:
        out.append(f"ex3: durable PostgreSQL commits/s (exercises 1 and 6): "
                   f"{count(min(durable))} to {count(max(durable))}")
    out.append("ex3: one PostgreSQL row with a hold peaks at " + rate(max(
        ips(s, lab.L3, PG, "lock", workers=w, hold_us=HOLD)
        for w in (1, 2, 4, 8))))
    batch = [ips(s, lab.L4, b, "atomic", workers=4, batch=100) /
             ips(s, lab.L4, b, "atomic", workers=4) for b in lab.SERVERS]
    batch.append(ips(s, lab.L4, "sqlite", "atomic", ["txn_ops=1"], workers=4,
                     batch=100) /
                 ips(s, lab.L4, "sqlite", "atomic", ["txn_ops=1"], workers=4))
    out.append(f"ex4: batching multiplies sqlite and the servers "
               f"{min(batch):.0f} to {max(batch):.0f} times")
    out.append("ex5: our manager over Python's (lock, processes) " + ratio(
        ips(s, lab.L5, "manager", "lock", workers=2, mode="processes"),
        ips(s, lab.L5, "py-manager", "lock", workers=2, mode="processes")))
    shm = {w: s.find(lab.L6, "shm", "atomic", workers=w) for w in (1, 8)}
    out.append("ex6: shm ns per increment (1 / rate) " + ", ".join(
        f"{w} worker(s) {1e9 / num(r, 'increments_per_s_median'):.0f} ns, "
        f"p50 {1000 * num(r, 'lat_p50_us_median'):.0f} ns"
        for w, r in shm.items()))
    pipe = [ips(s, lab.L6, b, "atomic", o16, workers=w) /
            ips(s, lab.L6, b, "atomic", o1, workers=w)
            for b, o1, o16 in (("manager", loop1, loop16),
                               ("redis", ["pipeline=1"], ["pipeline=16"]))
            for w in (1, 8)]
    out.append(f"ex6: pipelining multiplies {min(pipe):.0f} to "
               f"{max(pipe):.0f} times")
    closed, busy = lab.open_loop(s, ""), lab.open_loop(s, "95%")
    p99 = micros(num(closed, "lat_p99_us_median"))
    out.append(f"ex7: closed-loop p99 {p99} us; at 95 % the response p50 is "
               f"{num(busy, 'resp_p50_us_median') / 1000:.1f} ms, "
               + ratio(num(busy, "resp_p50_us_median"),
                       num(busy, "lat_p50_us_median")) + " the service p50")
    wal = ips(s, lab.L6, "sqlite", "atomic", [lab.WAL], workers=1)
    journal = ips(s, lab.L3, "sqlite", "atomic", [lab.DELETE], workers=1)
    out.append(f"takeaways: a SQLite commit, 1 worker: {1e6 / wal:.0f} us "
               f"(WAL), {1e3 / journal:.2f} ms (rollback journal)")
    return out


EXCERPTS = [("1", lab.L1, ex1), ("2", lab.L2, ex2), ("3", lab.L3, ex3),
            ("3b", lab.L3B, ex3b), ("4", lab.L4, ex4), ("5", lab.L5, ex5),
            ("6", lab.L6, ex6), ("7", lab.L7, ex7), ("7b", lab.L7B, ex7b),
            ("8", "lab8_cluster", ex8)]


def repetitions(s, scenario):
    """How many repetitions the scenario's C++ groups have ("3", "1")."""
    reps = {r["repetitions"] for r in s.rows if r["scenario"] == scenario
            and not r["backend"].startswith("py-")}
    return ", ".join(sorted(reps)) or "none"


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    s = lab.Summary(sys.argv[1])
    failed = 0
    for exercise, scenario, fn in EXCERPTS:
        print(f"## Exercise {exercise} ({scenario}; repetitions per group: "
              f"{repetitions(s, scenario)})\n")
        try:
            print("\n".join(fn(s)))
        except (LookupError, ValueError, OSError, KeyError,
                statistics.StatisticsError) as e:
            failed += 1
            print(f"cannot make it: {e}")
        print()
    print("## Figures the prose quotes\n")
    try:
        print("\n".join(prose_figures(s)))
    except (LookupError, ValueError, OSError, KeyError) as e:
        failed += 1
        print(f"cannot make them: {e}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
