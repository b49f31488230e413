// The plan of a sweep: the cartesian product of a scenario's backends,
// strategies and workload axes, times `repeat`, with the combinations a
// backend cannot run left out (and why); and a run described in a line.

#ifndef CTRBENCH_COUNTERS_PLAN_H_
#define CTRBENCH_COUNTERS_PLAN_H_

#include <set>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/runner.h"
#include "counters/scenario.h"

namespace ctrbench {

struct SweepPlan {
  std::vector<RunConfig> runs;
  std::vector<std::string> notes;  // Combinations skipped, and why.
  std::set<std::string> swept;     // Fields and backend.options with lists.
};

// Expands a scenario. Combinations a backend cannot run are skipped with a
// note; if nothing is left to run, the error says what would work.
Result<SweepPlan> PlanSweep(const Scenario& scenario, const Registry& registry);

// A run with load phases (RunConfig::stages) gets its run length, rate
// and workers from them: the sum of their durations, the time-weighted
// mean of their rates (a share of capacity while unresolved), and the
// largest worker count of a closed-loop phase. Nothing without phases.
void ResolveStages(RunConfig* c);

// The closed-loop run whose capacity a rate given as a share (rate =
// "80%", or phases' shares) is a share of: the run without its open-loop
// fields, one load for at most 2 s with phases, and for an inventory a
// stock it cannot sell out (it must measure takes, not the quick refusals
// of an empty key).
RunConfig CapacityProbe(const RunConfig& c);
// Sets the rate of a run given as a share, and its phases', from the
// capacity measured; the phases keep their shares for their column, and
// the run's rate is their time-weighted mean.
void TakeShareOf(double capacity, RunConfig* c);

// A run in a line: "sqlite lock threads workers=2 keys=1 hold=100us
// [journal_mode=delete]": the fields always shown, those away from their
// defaults, those swept, and the options asked for.
std::string DescribeRun(const RunConfig& c, const std::set<std::string>& swept);
// The same without the options: the console line of a run puts them at
// its end, as they ran (OptionsToShow).
std::string DescribeRunFields(const RunConfig& c,
                              const std::set<std::string>& swept);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_PLAN_H_
