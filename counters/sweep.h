// A sweep: the cartesian product of a scenario's backends, strategies and
// workload axes, times `repeat`, run one after another, each row written to
// the CSV as soon as its run finishes.

#ifndef CTRBENCH_COUNTERS_SWEEP_H_
#define CTRBENCH_COUNTERS_SWEEP_H_

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/runner.h"
#include "counters/scenario.h"

namespace ctrbench {

// Exit codes of `ctrbench run`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRunFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;

struct SweepPlan {
  std::vector<RunConfig> runs;
  std::vector<std::string> notes;  // Combinations skipped, and why.
  std::set<std::string> swept;     // Fields and backend.options with lists.
};

// Expands a scenario. Combinations a backend cannot run are skipped with a
// note; if nothing is left to run, the error says what would work.
Result<SweepPlan> PlanSweep(const Scenario& scenario, const Registry& registry);

// A run in a line: "sqlite lock threads workers=2 keys=1 hold=100us
// [journal_mode=delete]": the fields always shown, those away from their
// defaults, those swept, and the options asked for.
std::string DescribeRun(const RunConfig& c, const std::set<std::string>& swept);

// Facts about the machine and the build, recorded in every row.
struct HostInfo {
  std::string host;
  std::string cpu_model;
  int cpus = 0;
  std::string version;
  std::string build_type;
};
HostInfo CurrentHost();

// The CSV schema: 2 since lat_* times only the backend call (1 also timed
// think time, and each logical increment of a batch).
inline constexpr int kSchemaVersion = 2;

// The CSV columns, in the order of the contract (new ones only appended).
const std::vector<std::string>& CsvHeader();
std::vector<std::string> CsvRow(const RunResult& result, const HostInfo& host);

struct SweepOptions {
  std::string out_path;  // Empty: results/<YYYYmmdd-HHMMSS>-<scenario>.csv.
  bool quiet = false;    // No progress lines.
  std::FILE* out = stdout;
  std::FILE* err = stderr;
};

// Plans and runs the sweep; returns the exit code.
int RunSweep(const Scenario& scenario, const Registry& registry,
             const SweepOptions& options);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SWEEP_H_
