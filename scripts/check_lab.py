#!/usr/bin/env python3
"""Checks the claims of docs/LAB.md against a lab run's report.

Every claim the lab text makes about the numbers a student gets is a
predicate over results/.../report/summary.csv here, with the exercise and
the words it checks. Prints each claim with PASS or FAIL and the numbers
behind it; exits 1 if any fails. Run it on several quick runs before
changing the lab's wording:

  scripts/run_lab.sh --quick --out results/q1 && scripts/check_lab.py results/q1

Usage: scripts/check_lab.py LAB_DIR [LAB_DIR...]   (each with report/summary.csv)
"""

import csv
import math
import os
import sys


class Summary:
    def __init__(self, lab_dir):
        self.lab_dir = lab_dir
        with open(os.path.join(lab_dir, "report", "summary.csv"),
                  newline="") as f:
            self.rows = list(csv.DictReader(f))

    def raw(self, name):
        """The rows of the lab's own CSV file NAME.csv (every run)."""
        with open(os.path.join(self.lab_dir, name + ".csv"), newline="") as f:
            return list(csv.DictReader(f))

    def find(self, scenario, backend, strategy, options=(), **fields):
        """The one group that matches; fields use summary.csv's columns;
        options are whole items of backend_options ("pipeline=1")."""
        defaults = {"mode": "threads", "keys": "1", "batch": "1",
                    "shards": "1", "hold_us": "0.000"}
        defaults.update({k: str(v) for k, v in fields.items()})
        hits = []
        for r in self.rows:
            if (r["scenario"], r["backend"], r["strategy"]) != (
                    scenario, backend, strategy):
                continue
            if any(r.get(k) != v for k, v in defaults.items()):
                continue
            items = set(r["backend_options"].split(";"))
            if not all(o in items for o in options):
                continue
            hits.append(r)
        if len(hits) != 1:
            raise LookupError(f"{len(hits)} groups for {scenario} {backend} "
                              f"{strategy} {options} {fields}")
        return hits[0]

    def value(self, column, *args, **kwargs):
        cell = self.find(*args, **kwargs)[column]
        return float(cell) if cell else math.nan


CLAIMS = []


def claim(exercise, words):
    def register(fn):
        CLAIMS.append((exercise, words, fn))
        return fn
    return register


MEMORY = ["inproc", "shm"]
SERVERS = ["manager", "redis"]
EVERY = ["inproc", "shm", "sqlite", "manager", "redis"]
L1, L2, L3 = "lab1_race_conditions", "lab2_atomic_lock_cas", "lab3_hot_row"
L4, L5, L6 = ("lab4_mitigations", "lab5_threads_vs_processes",
              "lab6_where_should_it_live")
L3B = "lab3b_isolation"
L7, L7B = "lab7_open_loop", "lab7b_write_behind"
WAL, DELETE = "journal_mode=wal", "journal_mode=delete"


def ips(s, *args, **kwargs):
    return s.value("increments_per_s_median", *args, **kwargs)


@claim(1, "atomic loses nothing, on every backend")
def _(s):
    shown = []
    for b in EVERY:
        for w in (2, 4, 8):
            r = s.find(L1, b, "atomic", workers=w)
            shown.append(f"{b}/{w}: {r['lost_share_median']}")
            if float(r["lost_share_median"]) != 0 or r["all_verified"] != "true":
                return False, shown
    return True, shown[:3]


@claim(1, "with 8 workers every backend loses updates under naive")
def _(s):
    lost = {b: s.value("lost_share_median", L1, b, "naive", workers=8)
            for b in EVERY}
    return all(v > 0 for v in lost.values()), lost


@claim(1, "from 2 to 8 workers the share lost grows (sqlite, manager, redis)")
def _(s):
    pairs = {b: (s.value("lost_share_median", L1, b, "naive", workers=2),
                 s.value("lost_share_median", L1, b, "naive", workers=8))
             for b in ["sqlite", "manager", "redis"]}
    return all(b > a for a, b in pairs.values()), pairs


@claim(1, "with 2 workers SQLite loses far less than the others (under half the least of theirs)")
def _(s):
    lost = {b: s.value("lost_share_median", L1, b, "naive", workers=2)
            for b in EVERY}
    others = min(v for b, v in lost.items() if b != "sqlite")
    return lost["sqlite"] < others / 2, lost


@claim(1, "on a server backend the loss is large (8 workers: over 30 %)")
def _(s):
    lost = {b: s.value("lost_share_median", L1, b, "naive", workers=8)
            for b in SERVERS}
    return all(v > 0.3 for v in lost.values()), lost


@claim(2, "with 1024 keys, 4 workers: lock recovers everywhere, cas in memory; cas retries fall on a server")
def _(s):
    ratio = {f"{b} {st}": ips(s, L2, b, st, workers=4, keys=1024) /
             ips(s, L2, b, st, workers=4, keys=1)
             for b in MEMORY + SERVERS for st in ("lock", "cas")}
    ok = all(v > 1.2 for k, v in ratio.items()
             if k.endswith("lock") or k.split()[0] in MEMORY)
    for b in SERVERS:
        one = s.value("retries_per_1k_ops_median", L2, b, "cas", workers=4)
        many = s.value("retries_per_1k_ops_median", L2, b, "cas", workers=4,
                       keys=1024)
        ratio[f"{b} cas retries/1k"] = (one, many)
        ok &= many < one / 2
    return ok, ratio


@claim(2, "1 worker: atomic beats lock everywhere; on a server atomic > cas > lock")
def _(s):
    ok, shown = True, {}
    for b in MEMORY + SERVERS:
        a, l, c = (ips(s, L2, b, st, workers=1) for st in ("atomic", "lock", "cas"))
        shown[b] = (a, c, l)
        ok &= a > l
        if b in SERVERS:
            ok &= a > c > l
    return ok, shown


# On a server the ratio would be 4 (four round trips against one) if round
# trips were all; this VM's wake-ups make it 2 to 5 (a full run here gave
# the manager 2.14, its repetitions 15 k to 113 k for atomic).
@claim(2, "atomic over lock (1 worker): 1.5x to 4x in memory, 2x or more on a server")
def _(s):
    ratio = {b: ips(s, L2, b, "atomic", workers=1) / ips(s, L2, b, "lock", workers=1)
             for b in MEMORY + SERVERS}
    ok = all(1.5 <= ratio[b] <= 4 for b in MEMORY) and all(
        ratio[b] >= 2 for b in SERVERS)
    return ok, ratio


@claim(2, "cas retries: more than once per success on a server, rarely in memory")
def _(s):
    ret = {b: s.value("retries_per_1k_ops_median", L2, b, "cas", workers=4)
           for b in MEMORY + SERVERS}
    ok = all(ret[b] > 700 for b in SERVERS) and all(ret[b] < 600 for b in MEMORY)
    return ok, ret


@claim(2, "atomic with 4 workers: servers get faster, memory slower")
def _(s):
    speedup = {b: s.value("speedup_vs_1_worker", L2, b, "atomic", workers=4)
               for b in MEMORY + SERVERS}
    ok = all(speedup[b] > 1.2 for b in SERVERS) and all(
        speedup[b] < 1 for b in MEMORY)
    return ok, speedup


@claim(3, "one key under lock with a 100 us hold stays at or under 10,000/s")
def _(s):
    rate = {w: ips(s, L3, "inproc", "lock", workers=w, hold_us="100.000")
            for w in (1, 2, 4, 8)}
    return all(6000 < v <= 10300 for v in rate.values()), rate


@claim(3, "in memory 1024 keys nearly double it (2 cores)")
def _(s):
    ratio = {w: ips(s, L3, "inproc", "lock", workers=w, keys=1024, hold_us="100.000") /
             ips(s, L3, "inproc", "lock", workers=w, hold_us="100.000")
             for w in (2, 4, 8)}
    return all(v > 1.5 for v in ratio.values()), ratio


# Not "within 30 %": with 2 workers and no hold one run is noisy (SQLite's
# busy retries back off at random), 0.699 to 1.39 in single runs.
@claim(3, "in SQLite 1024 rows gain nothing (under 1.5 times one row's rate)")
def _(s):
    ratio = {}
    for w in (2, 4, 8):
        for hold in ("0.000", "100.000"):
            ratio[f"w{w} hold {hold}"] = (
                ips(s, L3, "sqlite", "lock", [WAL], workers=w, keys=1024, hold_us=hold) /
                ips(s, L3, "sqlite", "lock", [WAL], workers=w, hold_us=hold))
    return all(v < 1.5 for v in ratio.values()), ratio


@claim(3, "with 8 workers SQLite's p99 climbs tenfold or more over 1 worker's")
def _(s):
    p99 = [s.value("lat_p99_us_median", L3, "sqlite", "lock", [WAL], workers=w)
           for w in (1, 8)]
    return p99[1] > 10 * p99[0], p99


@claim(3, "with 8 workers most of SQLite's time is lock wait, and it retries")
def _(s):
    r = s.find(L3, "sqlite", "lock", [WAL], workers=8)
    share, ret = float(r["lock_wait_share_median"]), float(r["retries_per_1k_ops_median"])
    return share > 0.5 and ret > 0, {"lock wait share": share, "retries/1k": ret}


@claim(3, "the rollback journal is an order of magnitude slower than WAL")
def _(s):
    ratio = {f"{st} w{w}": ips(s, L3, "sqlite", st, [WAL], workers=w) /
             ips(s, L3, "sqlite", st, [DELETE], workers=w)
             for st in ("atomic", "lock") for w in (1, 8)}
    return all(v >= 5 for v in ratio.values()), ratio


@claim(3, "one PostgreSQL row under lock with a 100 us hold stays under 10,000/s")
def _(s):
    rate = {w: ips(s, L3, "postgres", "lock", workers=w, hold_us="100.000")
            for w in (1, 2, 4, 8)}
    return all(v < 10000 for v in rate.values()), rate


# Over 1.5 times, not twice: with 2 workers the gain ran from 1.69 to 3.5
# in the 5 quick and 5 full runs of stop 30 (3.1 to 3.9 in stop 29's);
# with 4 and 8 workers 2.4 to 3.1.
@claim(3, "with 1024 rows PostgreSQL runs over 1.5 times one row's rate (2, 4 and 8 workers)")
def _(s):
    many = {w: ips(s, L3, "postgres", "lock", workers=w, keys=1024,
                   hold_us="100.000") for w in (2, 4, 8)}
    one = {w: ips(s, L3, "postgres", "lock", workers=w, hold_us="100.000")
           for w in (2, 4, 8)}
    ratio = {w: many[w] / one[w] for w in many}
    return all(v > 1.5 for v in ratio.values()), ratio


@claim(3, "one PostgreSQL worker is slower than two")
def _(s):
    rate = {w: ips(s, L3, "postgres", "lock", workers=w) for w in (1, 2)}
    return rate[2] > rate[1], rate


@claim(3, "8 workers on one row queue on Lock:tuple/transactionid; on 1024 rows hardly ever")
def _(s):
    waits = {}
    for keys in ("1", "1024"):
        rows = [r for r in s.raw("3_hot_row")
                if r["backend"] == "postgres" and r["strategy"] == "lock"
                and r["workers"] == "8" and r["keys"] == keys
                and r["hold_us"] == "100.000"]
        waits[keys] = sum(int(r["wait_lock_tuple"]) +
                          int(r["wait_lock_transactionid"]) for r in rows)
    # A --quick run looks about once per connection (8 looks): one chance
    # wait on 1024 rows there is noise, not a queue (it came in 1 quick run
    # of 4 as {1: 6, 1024: 1}); the reference has {1: 42, 1024: 0}.
    return waits["1"] > 0 and waits["1024"] * 4 <= waits["1"], waits


@claim("3b", "naive loses updates under read committed, none under repeatable read or serializable, which retry instead")
def _(s):
    shown, ok = {}, True
    for level in ("read_committed", "repeatable_read", "serializable"):
        for w in (2, 4):
            opt = [f"isolation={level}"]
            lost = s.value("lost_updates_median", L3B, "postgres", "naive",
                           opt, workers=w)
            retries = s.value("retries_per_1k_ops_median", L3B, "postgres",
                              "naive", opt, workers=w)
            shown[f"{level} w{w}"] = (lost, retries)
            if level == "read_committed":
                ok &= lost > 0
            else:
                ok &= lost == 0 and retries > 0
    return ok, shown


@claim("3b", "lock retries under serializable, and never under read committed")
def _(s):
    opt = lambda level: [f"isolation={level}"]
    retries = {level: s.value("retries_per_1k_ops_median", L3B, "postgres",
                              "lock", opt(level), workers=2)
               for level in ("read_committed", "serializable")}
    return retries["serializable"] > 0 and retries["read_committed"] == 0, retries


def sqlite4(s, txn=1, **fields):
    return ips(s, L4, "sqlite", "atomic", [f"txn_ops={txn}"], workers=4, **fields)


@claim(4, "sharding helps shm several times and does not help SQLite")
def _(s):
    shm = ips(s, L4, "shm", "atomic", workers=4, shards=8) / ips(
        s, L4, "shm", "atomic", workers=4)
    sq = sqlite4(s, shards=8) / sqlite4(s)
    return shm >= 2 and sq <= 1.3, {"shm": shm, "sqlite": sq}


@claim(4, "batching 100 multiplies the database and servers by tens, shm by several")
def _(s):
    ratio = {b: ips(s, L4, b, "atomic", workers=4, batch=100) /
             ips(s, L4, b, "atomic", workers=4) for b in ["shm"] + SERVERS}
    ratio["sqlite"] = sqlite4(s, batch=100) / sqlite4(s)
    ok = all(ratio[b] >= 10 for b in ["sqlite"] + SERVERS) and ratio["shm"] >= 2
    return ok, ratio


@claim(4, "100 increments per transaction (txn_ops) multiply SQLite several times")
def _(s):
    ratio = sqlite4(s, txn=100) / sqlite4(s)
    return ratio >= 3, ratio


@claim(4, "out of the database: the manager is faster, Redis at least as fast, shared memory hundreds of times")
def _(s):
    # Redis's round trips on a VM run 25 us or 60 us as the two sides'
    # wake-ups go (exercise 7): 0.999 to 2.3 times SQLite here.
    sq = sqlite4(s)
    ratio = {b: ips(s, L4, b, "atomic", workers=4) / sq for b in ["shm"] + SERVERS}
    ok = ratio["manager"] > 1.1 and ratio["redis"] >= 0.9 and ratio["shm"] >= 100
    return ok, ratio


@claim(5, "in C++ threads and processes on shared memory are within noise (2x)")
def _(s):
    ratio = {st: ips(s, L5, "shm", st, workers=2, mode="processes") /
             ips(s, L5, "shm", st, workers=2) for st in ("atomic", "lock")}
    return all(0.5 <= v <= 2 for v in ratio.values()), ratio


@claim(5, "Python: threading.Lock is several times faster than a locked Value")
def _(s):
    ratio = ips(s, L5, "py-threading", "lock", workers=2) / ips(
        s, L5, "py-value", "lock", workers=2, mode="processes")
    return ratio >= 2, ratio


@claim(5, "Python: threading.Lock loses nothing; the unlocked Value loses updates")
def _(s):
    kept = s.value("lost_share_median", L5, "py-threading", "lock", workers=2)
    lost = s.value("lost_share_median", L5, "py-value", "naive", workers=2,
                   mode="processes")
    return kept == 0 and lost > 0, {"threading lost": kept, "Value naive lost": lost}


@claim(5, "Python's Manager is two orders of magnitude slower than threading.Lock")
def _(s):
    ratio = ips(s, L5, "py-threading", "lock", workers=2) / ips(
        s, L5, "py-manager", "lock", workers=2, mode="processes")
    return ratio >= 30, ratio


@claim(5, "our manager server is faster than Python's Manager")
def _(s):
    ratio = ips(s, L5, "manager", "lock", workers=2, mode="processes") / ips(
        s, L5, "py-manager", "lock", workers=2, mode="processes")
    return ratio >= 1.2, ratio


LOOP1 = ["model=loop", "pipeline=1"]


@claim(6, "a round trip to a local server costs tens of microseconds (p50, 1 worker)")
def _(s):
    p50 = {"manager": s.value("lat_p50_us_median", L6, "manager", "atomic", LOOP1, workers=1),
           "redis": s.value("lat_p50_us_median", L6, "redis", "atomic", ["pipeline=1"], workers=1)}
    return all(5 <= v <= 100 for v in p50.values()), p50


@claim(6, "with 8 workers on 2 cores the thread-per-connection manager beats the loop")
def _(s):
    ratio = ips(s, L6, "manager", "atomic", ["model=threads", "pipeline=1"], workers=8) / ips(
        s, L6, "manager", "atomic", LOOP1, workers=8)
    return ratio > 1.1, ratio


@claim(6, "pipelining (16 in flight) multiplies a server's rate several times")
def _(s):
    ratio = {"manager": ips(s, L6, "manager", "atomic", ["model=loop", "pipeline=16"], workers=1) /
             ips(s, L6, "manager", "atomic", LOOP1, workers=1),
             "redis": ips(s, L6, "redis", "atomic", ["pipeline=16"], workers=1) /
             ips(s, L6, "redis", "atomic", ["pipeline=1"], workers=1)}
    return all(v >= 3 for v in ratio.values()), ratio


@claim(6, "shared memory is hundreds to thousands of times faster than a server")
def _(s):
    ratio = {}
    for w in (1, 8):
        shm = ips(s, L6, "shm", "atomic", workers=w)
        ratio[f"manager w{w}"] = shm / ips(s, L6, "manager", "atomic", LOOP1, workers=w)
        ratio[f"redis w{w}"] = shm / ips(s, L6, "redis", "atomic", ["pipeline=1"], workers=w)
    return all(v >= 100 for v in ratio.values()), ratio


def open_loop(s, share):
    """Exercise 7's group at SHARE ("50%"), or the closed loop ("")."""
    fields = {"workers": 1, "rate": share}
    if share:
        fields.update(arrival="poisson")
    return s.find(L7, "redis", "atomic", **fields)


def num(row, column):
    return float(row[column]) if row[column] else math.nan


@claim(7, "at 50 % of capacity the response p50 stays near the closed loop's service p50 (under 3x)")
def _(s):
    resp = num(open_loop(s, "50%"), "resp_p50_us_median")
    service = num(open_loop(s, ""), "lat_p50_us_median")
    return resp < 3 * service, {"resp p50 at 50%": resp, "closed p50": service}


@claim(7, "the closed loop's p99 hides the queue: at 95 % the response p99 is over 10x it")
def _(s):
    resp = num(open_loop(s, "95%"), "resp_p99_us_median")
    closed = num(open_loop(s, ""), "lat_p99_us_median")
    return resp > 10 * closed, {"resp p99 at 95%": resp, "closed p99": closed}


@claim(7, "service time hardly moves with load: service p99 at 110 % within 3x of the closed loop's")
def _(s):
    busy = num(open_loop(s, "110%"), "lat_p99_us_median")
    closed = num(open_loop(s, ""), "lat_p99_us_median")
    return busy < 3 * closed, {"service p99 at 110%": busy, "closed": closed}


# Not "50 % < 95 % < 110 %": near and past capacity both runs queue, and
# how deep is the VM's call (its round trips run 10 us or 70 us as its
# wake-ups go): one quick run had 60 ms at 95 % and 36 ms at 110 %.
@claim(7, "response p50 near and past capacity (95 %, 110 %) is over ten times that at 50 %")
def _(s):
    p50 = [num(open_loop(s, x), "resp_p50_us_median")
           for x in ("50%", "95%", "110%")]
    return p50[1] > 10 * p50[0] and p50[2] > 10 * p50[0], p50


# Not "under 5 % at 50 %": one stall of this VM at 50 % made 6.7 % late in
# a full run here (its response p99 23 ms), which is the lab's own point
# about stalls; the share still grows tenfold with the load.
@claim(7, "late operations (over 1 ms): over half at 110 %, a tenth of that or less at 50 %")
def _(s):
    late = {}
    for r in s.raw("7_open_loop"):
        if r["rate"] in ("50%", "110%"):
            late.setdefault(r["rate"], []).append(
                int(r["late_ops"]) / max(1, int(r["ops"])))
    low, high = max(late["50%"]), min(late["110%"])
    return high > 0.5 and low <= high / 10, {"50%": low, "110%": high}


def write_behind(s, backend, flush_us):
    return s.find(L7B, backend, "atomic", workers=2, keys=100,
                  flush_every_us=flush_us)


@claim("7b", "flushing every 10 ms multiplies throughput over 100x (sqlite, redis)")
def _(s):
    ratio = {b: num(write_behind(s, b, "10000.000"), "increments_per_s_median") /
             num(write_behind(s, b, ""), "increments_per_s_median")
             for b in ("sqlite", "redis")}
    return all(v > 100 for v in ratio.values()), ratio


@claim("7b", "the stored counter is stale for at least the interval (or the run, if shorter), longer with a longer interval")
def _(s):
    ok, shown = True, {}
    for r in s.raw("7b_write_behind"):
        if not r["flush_every_us"]:
            continue
        bound = 0.9 * min(float(r["flush_every_us"]), float(r["duration_s"]) * 1e6)
        stale = float(r["stale_max_us"])
        shown.setdefault(r["backend"], []).append(stale)
        ok &= stale >= bound
    for b in ("sqlite", "redis"):
        ok &= (num(write_behind(s, b, "100000.000"), "stale_max_us_median") >
               num(write_behind(s, b, "10000.000"), "stale_max_us_median"))
    return ok, shown


@claim("7b", "what a crash would lose grows with the interval (held at 100 ms over 10x held at 1 ms)")
def _(s):
    held = {b: (num(write_behind(s, b, "1000.000"), "held_max_median"),
                num(write_behind(s, b, "100000.000"), "held_max_median"))
            for b in ("sqlite", "redis")}
    return all(h > 10 * l for l, h in held.values()), held


@claim("7b", "and the totals stay exact: every write-behind run verified")
def _(s):
    rows = [r for r in s.rows if r["scenario"] == L7B]
    return bool(rows) and all(r["all_verified"] == "true" for r in rows), len(rows)


def cluster_rows(s, nodes, keys, shards):
    """The runs of exercise 8 with NODES nodes, KEYS keys and SHARDS shards."""
    return [r for r in s.raw("8_cluster")
            if f"cluster_nodes={nodes}" in r["backend_options"].split(";")
            and r["keys"] == str(keys) and r["shards"] == str(shards)]


def node_shares(row):
    """Each node's share of the commands of one run."""
    counts = [int(c) for c in row["node_commands"].split("/")]
    return [c / sum(counts) for c in counts]


@claim(8, "a hot key lives on one node: on 3 nodes one of them does all its commands")
def _(s):
    shares = [max(node_shares(r)) for r in cluster_rows(s, 3, 1, 1)]
    return bool(shares) and all(x > 0.99 for x in shares), shares


@claim(8, "1024 keys, or the hot key in 3 shards, spread over all 3 nodes (each node over 15 %)")
def _(s):
    shown, ok = {}, True
    for keys, shards in ((1024, 1), (1, 3)):
        rows = cluster_rows(s, 3, keys, shards)
        least = [min(node_shares(r)) for r in rows]
        shown[f"{keys} keys x {shards} shards"] = least
        ok &= bool(rows) and all(x > 0.15 for x in least)
    return ok, shown


@claim(8, "every cluster run verified, with no redirect")
def _(s):
    rows = s.raw("8_cluster")
    return bool(rows) and all(r["verified"] == "true" and r["redirects"] == "0"
                              for r in rows), len(rows)


L9, L9B, L9C, L9D = ("lab9_flash_sale", "lab9b_hot_item", "lab9c_spike",
                     "lab9d_custom_take")
STORES = ["sqlite", "manager", "redis", "postgres"]
ROUND_TRIPS = ["manager", "redis", "postgres"]
LASTS = "1000000000"  # Exercises 9b to 9d: a stock that does not run out.


@claim(9, "atomic never oversells: 1,000 units sold, oversold 0, on every backend")
def _(s):
    shown, ok = {}, True
    for b in EVERY + ["postgres"]:
        r = s.find(L9, b, "atomic", workers=4)
        shown[b] = (r["sold_median"], r["oversold_median"])
        ok &= r["sold_median"] == "1000" and r["oversold_median"] == "0"
    return ok, shown


@claim(9, "naive with a hold of 20 us oversells on every backend (over 100 units)")
def _(s):
    over = {b: s.value("oversold_median", L9, b, "naive", workers=4,
                       hold_us="20.000")
            for b in EVERY + ["postgres"]}
    return all(v > 100 for v in over.values()), over


@claim("9b", "on every server atomic sells over twice as fast as lock")
def _(s):
    pairs = {b: (ips(s, L9B, b, "atomic", workers=4, stock=LASTS),
                 ips(s, L9B, b, "lock", workers=4, stock=LASTS))
             for b in ROUND_TRIPS}
    return all(a > 2 * l for a, l in pairs.values()), pairs


@claim("9b", "on every server atomic sells faster than cas, whose retries show")
def _(s):
    shown, ok = {}, True
    for b in ROUND_TRIPS:
        a = ips(s, L9B, b, "atomic", workers=4, stock=LASTS)
        c = ips(s, L9B, b, "cas", workers=4, stock=LASTS)
        retries = s.value("retries_per_1k_ops_median", L9B, b, "cas",
                          workers=4, stock=LASTS)
        shown[b] = (a, c, retries)
        ok &= a > c and retries > 0
    return ok, shown


@claim("9b", "no safe strategy oversells: every run verified, oversold 0")
def _(s):
    rows = [r for r in s.rows if r["scenario"] == L9B]
    return len(rows) == 12 and all(
        r["all_verified"] == "true" and r["oversold_median"] == "0"
        for r in rows), len(rows)


@claim("9c", "during the spike the queue shows: response p99 over 100 times the service p99, on every store")
def _(s):
    pairs = {b: (s.value("resp_p99_us_median", L9C, b, "atomic", workers=2,
                         stock=LASTS),
                 s.value("lat_p99_us_median", L9C, b, "atomic", workers=2,
                         stock=LASTS))
             for b in STORES}
    return all(r > 100 * l for r, l in pairs.values()), pairs


@claim("9c", "the backlog takes over half a second to drain after the spike (or does not drain in the last phase)")
def _(s):
    drains = {b: s.find(L9C, b, "atomic", workers=2, stock=LASTS)["drain_s_median"]
              for b in STORES}
    return all(d == "" or float(d) > 0.5 for d in drains.values()), drains


def custom_take(s, own):
    """Exercise 9d's group with ctrbench's own take (OWN) or the SKIP LOCKED one."""
    rows = [r for r in s.rows if r["scenario"] == L9D and
            ("sql_take=" in r["backend_options"].split(";")) == own]
    if len(rows) != 1:
        raise LookupError(f"{len(rows)} groups of {L9D} (own: {own})")
    return rows[0]


@claim("9d", "claiming a slot row with SKIP LOCKED sells over 1.5 times the one row's rate with 8 workers, and verifies")
def _(s):
    own, slots = custom_take(s, True), custom_take(s, False)
    a = float(own["increments_per_s_median"])
    b = float(slots["increments_per_s_median"])
    return (b > 1.5 * a and slots["all_verified"] == "true" and
            slots["oversold_median"] == "0"), (a, b)


def short(value):
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(short(v) for v in value) + "]"
    return str(value)


def check(lab_dir):
    summary = Summary(lab_dir)
    failed = 0
    for exercise, words, fn in CLAIMS:
        try:
            ok, shown = fn(summary)
        except (LookupError, ZeroDivisionError, ValueError, OSError, KeyError) as e:
            ok, shown = False, f"cannot check: {e}"
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'} ex{exercise}: {words}: {short(shown)}")
    return failed


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    total = 0
    for lab_dir in sys.argv[1:]:
        print(f"== {lab_dir}")
        failed = check(lab_dir)
        print(f"{len(CLAIMS) - failed} of {len(CLAIMS)} claims hold")
        total += failed
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
