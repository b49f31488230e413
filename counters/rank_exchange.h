// Under MPI (counters/mpi.h): what one rank measured, sent to rank 0 and
// merged there into the run's one result, and the ranks' agreement on
// whether a step worked and how the run went. Internal to the runner.

#ifndef CTRBENCH_COUNTERS_RANK_EXCHANGE_H_
#define CTRBENCH_COUNTERS_RANK_EXCHANGE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "counters/run_state.h"
#include "counters/runner.h"

namespace ctrbench {

// Under MPI: what this rank measured at the end (its workers' slots, its
// latency and response histograms, its host and how it ended), for rank 0.
// Its series went to rank 0 interval by interval (PackInterval).
std::string PackRank(SharedState* shared, int first, const Histogram& latency,
                     const Histogram& response, int64_t time_base,
                     const RunResult& outcome);

// Rank 0: every rank's part in one SharedState of the run's workers, and
// the merged latency and response histograms; `r` gets the hosts, their
// fairness, and the first rank's error.
Status UnpackRanks(const std::vector<std::string>& parts, SharedState* all,
                   Histogram* latency, Histogram* response, RunResult* r);

// One interval of a rank's series as a message to rank 0 (the histograms'
// buckets that are not empty: a few hundred bytes, not 40 KiB), and the
// message a rank sends after its last interval.
std::string PackInterval(const SeriesPoint& point);
std::string PackSeriesEnd();
// What a message is: an interval (into *point), the end of a rank's
// series, or neither (another build's, or damaged).
enum class SeriesMessage { kInterval, kEnd, kUnknown };
SeriesMessage UnpackInterval(const std::string& message, SeriesPoint* point);

// Rank 0, under MPI: every rank's intervals as they come (its own too),
// merged by index into the run's and handed to `emit` in order once every
// rank's part has come. Memory stays bounded: at most kMaxPending intervals
// wait; beyond, the oldest goes out with the ranks it has (its `ranks`
// says how many), and a part that comes later is left out of the series
// (the run's histograms, sent at the end, still hold it).
class RankSeries {
 public:
  static constexpr size_t kMaxPending = 64;

  RankSeries(int ranks, std::function<void(const SeriesPoint&)> emit)
      : ranks_(ranks), emit_(std::move(emit)) {}
  void Add(const SeriesPoint& part);
  // Every rank's series has ended (or the ranks gave up): what waits goes.
  void Flush();
  int64_t left_out() const { return left_out_; }  // Parts that came late.

 private:
  struct Pending {
    SeriesPoint point;
    int ranks = 0;  // Parts merged into it; 0: none yet.
  };
  void EmitFront();

  const int ranks_;
  const std::function<void(const SeriesPoint&)> emit_;
  std::deque<Pending> pending_;  // Intervals next_, next_ + 1, ...
  uint32_t next_ = 0;
  int64_t left_out_ = 0;
};

// Under MPI: OK on every rank when `mine` is OK on every rank; else, on
// every rank, the first failing rank's error, saying which rank.
Status AgreeOk(const Status& mine);

// Every rank learns from rank 0 how the run went (the sweep's decisions
// follow it: a failed run, a capacity for relative rates).
void FollowRoot(RunResult* r);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_RANK_EXCHANGE_H_
