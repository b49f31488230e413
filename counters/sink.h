// Where a sweep's results go. The sweep feeds every sink the same events,
// the way google/benchmark feeds its reporters: Begin once, for each run
// RunStarting, IntervalClosed for each interval of its series as the run
// goes, and RunFinished, End once. The console lines, the CSV file and
// the JSON Lines file are one class each, so another format is one more.
//
//   std::vector<std::unique_ptr<ResultSink>> sinks;
//   sinks.push_back(NewCsvSink(std::move(*file)));
//   for (auto& s : sinks) s->Begin(context);

#ifndef CTRBENCH_COUNTERS_SINK_H_
#define CTRBENCH_COUNTERS_SINK_H_

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "counters/csv.h"
#include "counters/runner.h"
#include "counters/status.h"

namespace ctrbench {

struct SweepPlan;

// Facts about the machine and the build, recorded in every row.
struct HostInfo {
  std::string host;
  std::string cpu_model;
  int cpus = 0;
  std::string version;
  std::string build_type;
};
HostInfo CurrentHost();

// What makes a run comparable across machines and days; in every JSON
// object.
struct Provenance {
  std::vector<std::string> command_line;
  std::string scenario_file;    // Empty: the built-in default.
  std::string scenario_sha256;  // Of the file's bytes.
  std::string kernel;           // uname: release and version.
  std::string cpu_affinity;     // CPUs this process may run on: "0-1".
  std::string cgroup_cpu_max;   // The cgroup's CPU quota ("max 100000").
  double clock_read_ns = 0;     // Cost of one clock read, measured.
};
Provenance CurrentProvenance(const std::vector<std::string>& command_line,
                             const std::string& scenario_file);

struct SweepContext {
  const SweepPlan* plan = nullptr;
  const HostInfo* host = nullptr;
  const Provenance* provenance = nullptr;
};

class ResultSink {
 public:
  ResultSink() = default;
  ResultSink(const ResultSink&) = delete;
  ResultSink& operator=(const ResultSink&) = delete;
  virtual ~ResultSink() = default;

  virtual Status Begin(const SweepContext& /*context*/) { return Status::OK(); }
  // Run `index` (0-based) of the plan is about to start.
  virtual void RunStarting(size_t /*index*/, const RunConfig& /*config*/) {}
  // An interval of the running run's series closed (in order; under MPI,
  // every rank's, on rank 0). A sink that cannot write it says so at
  // RunFinished.
  virtual void IntervalClosed(const std::string& /*run_id*/,
                              const SeriesPoint& /*point*/) {}
  // A run finished (verified or not). An error stops the sweep.
  virtual Status RunFinished(const RunResult& result) = 0;
  // A run could not start at all, or was interrupted: no result.
  virtual void RunAbandoned(const std::string& /*why*/) {}
  // Where the results went, for the closing line ("" for the console).
  virtual std::string Destination() const { return ""; }
};

// "[1/4] sqlite atomic threads workers=1 keys=1 ... 146.4 k incr/s,
// p99 (service) 5.60 us, verified [journal_mode=wal;synchronous=normal]";
// an open loop's response p99 comes first. `redraw`: `out` is the terminal
// a status line is drawn on while a run goes on (over the line's start),
// so each line is erased and printed whole once its run ends.
std::unique_ptr<ResultSink> NewConsoleSink(std::FILE* out,
                                           const Registry* registry,
                                           bool redraw = false);
// One CSV row per run (results/README.md).
std::unique_ptr<ResultSink> NewCsvSink(ResultFile file);
// JSON Lines: for each run, an object per interval of its series as it
// closes ("type": "interval"), then the run's ("type": "run": every CSV
// field as a typed value, the provenance, the latency histograms).
std::unique_ptr<ResultSink> NewJsonSink(ResultFile file);

// The CSV schema: 2 since lat_* times only the backend call (1 also timed
// think time, and each logical increment of a batch).
inline constexpr int kSchemaVersion = 2;

// The CSV columns, in the order of the contract (counters/metrics.h's
// table; new ones only appended), and a run's row.
const std::vector<std::string>& CsvHeader();
std::vector<std::string> CsvRow(const RunResult& result, const HostInfo& host);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SINK_H_
