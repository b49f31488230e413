// Every column of a results row, described once: its name, unit and type,
// how its value combines across workers and MPI ranks and across
// repetitions, a one-line description, and how it is read from a run. The
// CSV header and rows, the JSON object, the workers' merge, `ctrbench list
// --columns`, the Python baseline and the results README's column list all
// come from this one table, as the run's settings come from fields.h.
//
// Adding a result: a row in Columns() (counters/metrics.cc) and the code
// that computes its value; a value every worker counts is a WorkerCounts
// member with its Combine rule in the row.
//
//   for (const Column& c : Columns()) row.push_back(c.value(run, host).Text());

#ifndef CTRBENCH_COUNTERS_METRICS_H_
#define CTRBENCH_COUNTERS_METRICS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/csv.h"

namespace ctrbench {

struct RunResult;
struct HostInfo;

// What one worker counted in the measured time; the parent combines the
// workers' (and, under MPI, every rank's workers') by the rules of
// CountRules(). Plain data: it sits in the shared mapping that forked
// workers fill, and travels between MPI ranks as bytes.
struct WorkerCounts {
  int64_t ops = 0;         // Backend operations (Add and Read calls).
  int64_t increments = 0;  // Logical increments acknowledged.
  int64_t logical = 0;     // Logical operations (open loop: completed).
  int64_t retries = 0;
  int64_t redirects = 0;   // A cluster's MOVED and ASK replies.
  int64_t lock_wait_ns = 0;
  int64_t errors = 0;
  int64_t disk_peak_bytes = 0;  // Largest the backend's files got.
  int64_t start_ns = 0, end_ns = 0;  // Of the measured time; 0: none.
  int64_t cpu_user_ns = 0, cpu_sys_ns = 0;
  int64_t nvcsw = 0, nivcsw = 0;  // Context switches.
  // Open loop.
  int64_t sched_lag_max_ns = 0;  // Largest delay of a send past its start.
  int64_t late_ops = 0;          // Over latency_limit (every operation).
  int64_t unsent_ops = 0;        // Due by the end, never sent.
  // Write-behind: the longest a held increment waited for its flush, and
  // the most increments held at once (summed: what a crash could lose).
  int64_t stale_max_ns = 0;
  int64_t held_max = 0;
  // Inventory: takes answered "sold out", and when the first came.
  int64_t sold_out = 0;
  int64_t sold_out_at_ns = 0;
  int64_t negative_reads = 0;  // Reads that saw a value below zero.
  int64_t cells = 0;  // shard_by = adaptive: cells per key at the end.
  // Load phases, open loop: how long after the busiest phase the backlog
  // was back to its level before it (DrainWatch); workers never back.
  int64_t drain_ns = 0;
  int64_t undrained = 0;
};

// How the values of several workers (and MPI ranks) make the run's.
enum class Combine {
  kSum,
  kMax,
  kEarliest,   // The smallest value that is set (> 0).
  kHistogram,  // From the run's merged histogram (a percentile, a mean).
  kDerived,    // From other combined values (a rate: ops / duration).
  kRun,        // The harness's own, once per run (an id, a verdict).
  kStore,      // The store's own statistic (Backend::Stats), by name.
  kSetting,    // A setting of the run (counters/fields.h).
  kHost,       // The machine and the build.
};

// How `report` treats the column across the repetitions of a group.
enum class Across {
  kMedian,  // Summarized: median, min and max.
  kKey,     // Part of what makes a group.
  kNone,    // Kept in the rows only.
};

// "sum", "max", ...; "median", "key", "" for `ctrbench list --columns`.
const char* CombineName(Combine combine);
const char* AcrossName(Across across);

struct Column {
  const char* name;
  const char* unit;  // "us", "s", "ops/s", "MiB", or "".
  Cell::Type type;   // Of its values (an empty cell is null).
  Combine combine;
  // The worker count it combines (kSum, kMax, kEarliest); null for none.
  int64_t WorkerCounts::*count;
  Across across;
  const char* description;  // One line.
  std::function<Cell(const RunResult&, const HostInfo&)> value;
};

// Every column, in the order of the CSV contract (new ones appended).
const std::vector<Column>& Columns();
const Column* FindColumn(const std::string& name);

// `ctrbench list --columns`: a line per column, tab-separated: name, type,
// unit, how workers combine, how report treats repetitions, description.
std::string DescribeColumns();

// A run's store statistics that fill no column of their own: those of the
// backend_stats column.
StatValues UncolumnedStats(const RunResult& r);

// The rules by which workers' counts combine: those of the columns, and
// those of the counts that feed derived columns (start, end, logical).
struct CountRule {
  int64_t WorkerCounts::*count;
  Combine combine;
};
const std::vector<CountRule>& CountRules();
// Adds one worker's counts into `total` by those rules.
void CombineCounts(const WorkerCounts& worker, WorkerCounts* total);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_METRICS_H_
