// Runs one benchmark run: sets up a backend, starts the workers (threads or
// forked processes) together, measures, verifies every counter, tears down.
//
// Workers publish their counts, histograms and CPU use in an anonymous
// shared mapping, so the same code serves threads and processes and the
// parent can print progress and merge results. Process workers are forked
// from the calling thread, which must be the only thread of the process.

#ifndef CTRBENCH_COUNTERS_RUNNER_H_
#define CTRBENCH_COUNTERS_RUNNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "counters/affinity.h"
#include "counters/backend.h"
#include "counters/histogram.h"
#include "counters/metrics.h"
#include "counters/run_config.h"
#include "counters/schedule.h"
#include "counters/workload.h"

namespace ctrbench {

// One interval of a run's series (series_interval): what all workers (of
// every MPI rank) did in it. Intervals are handed out as they close
// (IntervalFn) and not kept: the run's histograms are their sums.
struct SeriesPoint {
  uint32_t index = 0;             // 0, 1, ... in the run.
  double start_s = 0, end_s = 0;  // From the start of the measured time.
  int64_t ops = 0;                // Backend calls.
  int64_t increments = 0;         // Of calls that returned OK.
  int64_t retries = 0;            // As the row's `retries`.
  int64_t errors = 0;             // Failed for good (measured time only).
  Histogram latency;              // Service time (sampled, as the run's).
  Histogram response;             // Open loop: every operation's response.
  // Under MPI, the ranks whose interval it holds: fewer than the run's
  // when one fell too far behind (RankSeries); 1 without MPI.
  int ranks = 1;
  // Its load phase (RunConfig::stages, from 0); -1 for a run without.
  int32_t stage = -1;

  // Adds another worker's (or rank's) counts and histograms of the same
  // interval; its times and ranks are the caller's to combine.
  void Merge(const SeriesPoint& other);
};

// Receives each interval of the series once it closed on every worker (of
// every rank: under MPI on rank 0 only), in order; `run_id` is the run's.
using IntervalFn =
    std::function<void(const std::string& run_id, const SeriesPoint&)>;

// One run's outcome. Its columns are described in counters/metrics.h,
// which reads them from here.
struct RunResult {
  RunConfig config;
  std::string run_id;
  std::string started_at;  // ISO 8601, UTC.
  // The workers' counts, combined (every rank's under MPI).
  WorkerCounts counts;
  double duration_s = 0;
  double throughput_ops_s = 0;
  double increments_per_s = 0;
  double lat_p50_us = 0, lat_p90_us = 0, lat_p99_us = 0, lat_p999_us = 0,
         lat_max_us = 0;
  int64_t latency_samples = 0;
  int lat_sample_every = 1;
  int ranks = 1, hosts = 1;  // Under MPI: the ranks, on how many hosts.
  double host_fairness = 1;  // Jain's index over each host's operations.
  int64_t expected_total = 0;
  int64_t actual_total = 0;
  int64_t lost_updates = 0;
  // Inventory: units sold beyond a key's stock, over the measured keys
  // (-1: not verified), and units gone from any key that nobody sold.
  int64_t oversold = -1;
  int64_t phantom = 0;
  // Increments of the measured time that a read found after it, per
  // second (counters/run_merge.cc, Verify); < 0: the counters were not
  // read.
  double goodput_per_s = -1;
  bool verified = false;
  int64_t worker_ops_min = 0, worker_ops_max = 0;
  double fairness = 0;
  std::string backend_version;
  Histogram latency;                // Every latency sample of the run.
  // Subsets of `latency`: the timed reads, and the timed takes that were
  // answered sold out (inventory), so that what a reader and a refused
  // buyer wait shows apart from the rest.
  Histogram reads;
  Histogram refused;
  // Open loop: the response time of every operation (from its intended
  // start to its completion), and what the schedule saw.
  Histogram response;
  double resp_p50_us = 0, resp_p90_us = 0, resp_p99_us = 0, resp_p999_us = 0,
         resp_max_us = 0;
  double rate_achieved = 0;     // Logical operations per second.
  // The intervals of the series handed to the IntervalFn (they are not
  // kept here: a long run at short intervals would hold them all).
  int64_t series_intervals = 0;
  double cpu_steal_s = -1;          // Host-wide; < 0: unknown.
  // Every option of the backend as it ran (Backend::EffectiveOptions).
  OptionMap effective_options;
  // Where the workers (and an embedded server) ran, as sched_getaffinity
  // read it back: "w0:0;w1:1;server:1"; empty when nothing was pinned.
  std::string cpu_placement;
  // ctrbench's own memory at the end of the measured time: the proportional
  // set size of this process and its worker processes, summed; < 0: unknown.
  int64_t harness_pss_bytes = -1;
  double setup_s = 0;  // The backend's Setup: a server start, the counters.
  // With connections > 1: the busy polling the workers ran with (`auto`
  // resolved); -1: none.
  int64_t busy_poll_used_ns = -1;
  // The store's own statistics over the measured time (Backend::Stats):
  // the names its BackendInfo declares; an unknown one is absent.
  StatValues backend_stats;
  // One of them; null (an empty cell) when absent.
  const Cell& stat(const std::string& name) const;
  std::string error;         // Empty, or why the run failed.
  bool interrupted = false;  // Stopped by SIGINT/SIGTERM: no row is written.
  bool worker_died = false;  // A worker crashed: the sweep stops.
};

// Receives progress while a run goes on (about once a second), from this
// process's workers (under MPI, rank 0's alone).
struct Progress {
  double elapsed_s = 0;   // Of the measured time.
  double duration_s = 0;  // The measured time planned; 0: limited by ops.
  // Since the previous report: backend calls, and increments of calls that
  // returned OK, per second.
  double interval_ops_s = 0;
  double interval_increments_s = 0;
  bool stock = false;  // Kind inventory: the increments are units sold.
  int64_t total_ops = 0;  // Of the measured time so far.
  int64_t errors = 0;     // Operations that failed for good (the row's).
  // The service time's p50 and p99 in the last closed interval of the
  // series (series_interval); < 0 until one closed with samples.
  double last_p50_us = -1, last_p99_us = -1;
  // Open loop: the response time's p99 in that interval; < 0 until one
  // closed with responses.
  double last_resp_p99_us = -1;
};
using ProgressFn = std::function<void(const Progress&)>;

// Executes one run. Failures of the run itself (a backend error, lost
// updates, a dead worker) come back as a RunResult with `error` set and
// verified=false; a Status error means the run could not start at all.
// `ledger` records what the run creates (may be null); `servers` keeps a
// server that is slow to start for the next run (null: none is kept);
// `interval` receives the series as it goes (may be null).
Result<RunResult> ExecuteRun(const RunConfig& config, const BackendInfo& info,
                             const ProgressFn& progress,
                             Ledger* ledger = nullptr,
                             ServerPool* servers = nullptr,
                             const IntervalFn& interval = nullptr);

// Why a run cannot have config.connections per worker on a backend with
// `caps` (none of its own, or write-behind); "" if it can.
std::string RefuseConnections(const RunConfig& config, const Capabilities& caps);

// The most physical counters (keys x shards) a run may have.
inline constexpr uint64_t kMaxCounters = uint64_t{1} << 26;

// Bytes of memory a run needs: the workers' slots and acknowledgement
// caches, the shared acknowledged counts, what a worker may hold back per
// key it touches, the parent's verification, and an allowance of 64 bytes
// per counter for the backend.
uint64_t EstimateRunBytes(const RunConfig& config);

// A run id unique across hosts and processes: "<pid>-<n>-<12 hex digits>",
// the last part random. Backends name what they create after it.
std::string NewRunId();

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_RUNNER_H_
