// What a run's workers did, made into its result: their counts combined
// (counters/metrics.h's rules), the latency and response percentiles, the
// fairness, the store's declared statistics, and every counter verified
// against the increments acknowledged for it. Internal to the runner.

#ifndef CTRBENCH_COUNTERS_RUN_MERGE_H_
#define CTRBENCH_COUNTERS_RUN_MERGE_H_

#include <vector>

#include "counters/run_state.h"
#include "counters/runner.h"

namespace ctrbench {

// The statistics a backend reported that its BackendInfo declares, of the
// declared types; others are dropped (a test holds every backend to it).
StatValues DeclaredStats(const BackendInfo& info, StatValues reported);

// Jain's fairness index: 1 when every x is equal, 1/n when one has all.
double JainFairness(const std::vector<int64_t>& xs);

// The workers' slots (every rank's, under MPI) into `r`: their counts by
// the rules of counters/metrics.h, the duration and rates, the
// percentiles of `latency` and `response` (the sums of the series'
// intervals), and the fairness.
void Merge(SharedState* shared, const Histogram& latency,
           const Histogram& response, RunResult* r);

// Compares every counter with the increments acknowledged for it.
void Verify(SharedState* shared, const std::vector<int64_t>& totals,
            RunResult* r);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_RUN_MERGE_H_
