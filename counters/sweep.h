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
#include "counters/plan.h"
#include "counters/runner.h"
#include "counters/scenario.h"
#include "counters/sink.h"

namespace ctrbench {

// Exit codes of `ctrbench run`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRunFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;

struct SweepOptions {
  // The CSV file: empty for results/<YYYYmmdd-HHMMSS>-<scenario>.csv, "-"
  // for standard output.
  std::string out_path;
  std::string json_path;    // JSON Lines too: a file, or "-"; empty: none.
  std::string resume_path;  // Append to this CSV, skipping its runs.
  bool dry_run = false;     // Print the plan, run nothing.
  bool quiet = false;       // No progress lines.
  // An MPI rank other than 0: runs its share of each run, prints and
  // writes nothing (rank 0 does).
  bool follower = false;
  std::vector<std::string> command_line;  // For the provenance.
  std::string scenario_path;              // Likewise; empty: built in.
  std::FILE* out = stdout;
  std::FILE* err = stderr;
  // `ctrbench find-rate`: for every planned run, the highest target rate
  // whose response-time p99 stays at or under this (0: a plain sweep).
  int64_t find_rate_p99_ns = 0;
  double find_rate_tolerance = 0.05;  // Of the rate found.
};

// Plans and runs the sweep; returns the exit code.
int RunSweep(const Scenario& scenario, const Registry& registry,
             const SweepOptions& options);

// The runs of `plan` that a results file already holds (by index): a row
// matches a planned run when scenario, backend, repetition, every run
// field's column and every option the run asks for agree. Each row matches
// one run at most.
std::vector<bool> RunsAlreadyIn(const SweepPlan& plan,
                                const std::vector<std::vector<std::string>>& rows);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SWEEP_H_
