// Under MPI (counters/mpi.h): what one rank measured, sent to rank 0 and
// merged there into the run's one result, and the ranks' agreement on
// whether a step worked and how the run went. Internal to the runner.

#ifndef CTRBENCH_COUNTERS_RANK_EXCHANGE_H_
#define CTRBENCH_COUNTERS_RANK_EXCHANGE_H_

#include <string>
#include <vector>

#include "counters/run_state.h"
#include "counters/runner.h"

namespace ctrbench {

// Under MPI: what this rank measured (its workers' slots, its latency
// histogram, its series, its host and how it ended), for rank 0.
std::string PackRank(SharedState* shared, int first, const Histogram& latency,
                     const std::vector<SeriesPoint>& series, int64_t time_base,
                     const RunResult& outcome);

// Rank 0: every rank's part in one SharedState of the run's workers, and
// the merged latency histogram and series; `r` gets the hosts, their
// fairness, and the first rank's error. Percentiles of a series interval
// cannot be merged from the ranks' points: with several ranks they are
// empty (-1).
Status UnpackRanks(const std::vector<std::string>& parts, SharedState* all,
                   Histogram* latency, std::vector<SeriesPoint>* series,
                   RunResult* r);

// Under MPI: OK on every rank when `mine` is OK on every rank; else, on
// every rank, the first failing rank's error, saying which rank.
Status AgreeOk(const Status& mine);

// Every rank learns from rank 0 how the run went (the sweep's decisions
// follow it: a failed run, a capacity for relative rates).
void FollowRoot(RunResult* r);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_RANK_EXCHANGE_H_
