// What one run is: the backend and its options, the strategy, the
// workers, the workload and the load, as a sweep plans it
// (counters/plan.h) and the run fields set it (counters/fields.h).

#ifndef CTRBENCH_COUNTERS_RUN_CONFIG_H_
#define CTRBENCH_COUNTERS_RUN_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "counters/affinity.h"
#include "counters/backend.h"
#include "counters/schedule.h"
#include "counters/stages.h"
#include "counters/workload.h"

namespace ctrbench {

// One point of a sweep.
struct RunConfig {
  std::string scenario = "default";
  std::string backend;
  OptionMap options;
  Strategy strategy = Strategy::kAtomic;
  WorkerMode mode = WorkerMode::kThreads;
  int workers = 1;
  // Under MPI: the workers this rank runs, first_worker.. of `workers`
  // (0: all of them, a plain run). Not a field of the scenario.
  int rank_workers = 0;
  int first_worker = 0;
  int LocalWorkers() const { return rank_workers > 0 ? rank_workers : workers; }
  // Connections per worker, driven by one event loop (a backend with the
  // capability); the server sees workers x connections clients.
  int connections = 1;
  // With connections > 1: how long a worker's event loop looks for replies
  // before it sleeps; -1 (auto): 30 us when the workers leave a CPU free
  // (a local server's), else 0 (RunResult::busy_poll_used_ns).
  int64_t busy_poll_ns = -1;
  uint32_t keys = 1;
  Distribution distribution;
  int batch = 1;
  int shards = 1;
  // Which shard a worker's increments go to (shards > 1).
  ShardBy shard_by = ShardBy::kWorker;
  // Counters, or stock that each take decrements by one while any is left
  // (SetupSpec::kind); `stock` is every key's starting value.
  Kind kind = Kind::kCounter;
  int64_t stock = 100000;
  // How atomic takes: one conditional operation, or decrement and give
  // back (inventory only).
  TakeMode take = TakeMode::kConditional;
  // The physical counters the store holds: keys x shards, and for an
  // inventory as many again, the warm-up's own stock (counters/worker.cc).
  uint64_t Counters() const {
    return uint64_t{keys} * static_cast<uint64_t>(shards < 1 ? 1 : shards) *
           (kind == Kind::kInventory ? 2 : 1);
  }
  double read_fraction = 0;
  int64_t hold_ns = 0;
  int64_t think_ns = 0;
  // Each request's deadline at a server (SetupSpec::timeout_ns).
  int64_t timeout_ns = kDefaultTimeoutNs;
  // Load phases ([[phase]], --phases): the measured time's load, stage by
  // stage; empty for one load throughout. ResolveStages (counters/plan.h)
  // sets duration_ns, rate and workers from them.
  std::vector<Stage> stages;
  int64_t duration_ns = 0;  // Timed run; or:
  int64_t ops = 0;          // logical operations per worker.
  int64_t warmup_ns = 0;
  int repetition = 1;
  uint64_t seed = 42;
  int64_t series_interval_ns = 1000000000;  // Of the per-second series.
  // Open loop: logical operations per second for the whole run, split
  // evenly over the workers; 0: closed loop.
  double rate = 0;
  // A rate relative to capacity ("80%"): the sweep first measures this
  // configuration's closed-loop capacity and sets `rate` to this share of
  // it; 0: `rate` is absolute.
  double rate_share = 0;
  double capacity = 0;  // That capacity (operations/s), for the row.
  Arrival arrival = Arrival::kConstant;
  int64_t latency_limit_ns = 0;  // Open loop: what counts as late; 0: none.
  // Write-behind: each worker holds increments and sends one Add(n) per
  // key every flush_every_ns (and at the end); 0: off.
  int64_t flush_every_ns = 0;
  // CPU placement of the workers (and of an embedded server).
  PinMode pin = PinMode::kOff;
};

// What a backend is told about a run of `c` (everything but its id, ledger
// and server pool, which the runner adds).
inline SetupSpec SetupSpecOf(const RunConfig& c) {
  SetupSpec spec;
  spec.counters = static_cast<uint32_t>(c.Counters());
  spec.kind = c.kind;
  spec.stock = c.stock;
  spec.take = c.take;
  spec.shards = static_cast<uint32_t>(c.shards);
  spec.strategy = c.strategy;
  spec.mode = c.mode;
  spec.workers = c.workers;
  spec.connections = c.connections;
  spec.hold_ns = c.hold_ns;
  spec.timeout_ns = c.timeout_ns;
  return spec;
}

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_RUN_CONFIG_H_
