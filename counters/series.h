// The per-second series of a run, collected by the parent from the
// workers' interval buffers (SharedState). Internal to the runner.

#ifndef CTRBENCH_COUNTERS_SERIES_H_
#define CTRBENCH_COUNTERS_SERIES_H_

#include <cstdint>
#include <algorithm>
#include <deque>
#include <functional>
#include <vector>

#include "counters/clock.h"
#include "counters/histogram.h"
#include "counters/run_state.h"
#include "counters/runner.h"
#include "counters/stages.h"

namespace ctrbench {

// The per-second series. The parent opens interval k+1 every
// series_interval (Control::interval), once every worker has moved to k;
// it drains interval k from each worker's buffer once that worker has moved
// past it (or has finished, and will write no more), and hands the point
// to `closed` at once. Workers keep two buffers and the collector one
// point, so memory stays the same however long the run. The run's latency
// and response histograms are the sums of the drained intervals.
class SeriesCollector {
 public:
  using PointFn = std::function<void(const SeriesPoint&)>;

  // `stages`: the run's load phases (none: one load); each starts an
  // interval of its own, and each interval carries its stage.
  SeriesCollector(SharedState* shared, int64_t interval_ns,
                  std::vector<Stage> stages, PointFn closed)
      : shared_(shared),
        interval_ns_(interval_ns),
        closed_(std::move(closed)),
        stages_(std::move(stages)) {}

  // The measured time starts: interval 0 is open.
  void Start(int64_t now) {
    started_ = true;
    start_ = now;
    opened_at_ = {now};
    stage_of_ = {stages_.empty() ? -1 : 0};
    next_ = NextBoundary(now);
  }

  void Poll(int64_t now) {
    if (!started_) return;
    Drain(false, now);
    if (now < next_ || drained_ != open_ || !AllAt(open_)) return;
    ++open_;
    opened_at_.push_back(now);
    // A stage starts with the interval that opens at its start (or after
    // it, when a worker held that interval up).
    const int32_t stage =
        stages_.empty() ? -1
                        : static_cast<int32_t>(StageAt(stages_, now - start_));
    stage_of_.push_back(stage);
    if (stage >= 0) {
      shared_->control().stage.store(static_cast<uint32_t>(stage),
                                     std::memory_order_relaxed);
    }
    shared_->control().interval.store(open_, std::memory_order_release);
    shared_->ring();
    next_ = NextBoundary(now);
  }

  // The next boundary after `now`: the grid of interval_ns from the
  // start (without stages a boundary a worker held up moves on a whole
  // interval), or the start of the next stage, if it comes first.
  int64_t NextBoundary(int64_t now) const {
    int64_t next = start_ + static_cast<int64_t>(open_ + 1) * interval_ns_;
    // With stages, intervals are counted on the grid of elapsed time: a
    // stage's start adds an interval that is not on it.
    if (!stages_.empty()) {
      next = start_ + ((now - start_) / interval_ns_ + 1) * interval_ns_;
    }
    if (next <= now) next = now + interval_ns_;
    int64_t stage_start = start_;
    for (const Stage& s : stages_) {
      stage_start += s.duration_ns;
      if (stage_start > now) {
        next = std::min(next, stage_start);
        break;
      }
    }
    return next;
  }

  // Every worker has stopped: drains what is left, up to `end`.
  void Finish(int64_t end) {
    if (!started_) return;
    Drain(true, end);
  }

  // When Poll() next has something to do (INT64_MAX: nothing).
  int64_t NextDeadline() const {
    if (!started_) return INT64_MAX;
    // An interval that closed waits for its workers to move on: soon.
    return drained_ < open_ ? 0 : next_;
  }

  // The run's histograms: every interval drained so far.
  const Histogram& latency() const { return latency_; }
  const Histogram& response() const { return response_; }
  // The last interval drained; null before the first.
  const SeriesPoint* last() const { return drained_ > 0 ? &point_ : nullptr; }
  int64_t intervals() const { return drained_; }

 private:
  bool Finished(int w) const {
    return shared_->slot(w).finished.load(std::memory_order_acquire);
  }
  int64_t Ack(int w) const {
    return shared_->slot(w).interval_ack.load(std::memory_order_acquire);
  }
  // Every worker is in interval k or later, or writes no more.
  bool AllAt(uint32_t k) const {
    for (int w = 0; w < shared_->workers(); ++w) {
      if (Ack(w) < static_cast<int64_t>(k) && !Finished(w)) return false;
    }
    return true;
  }

  // Drains closed intervals whose buffers every worker has left; with
  // `all`, every interval up to the open one, the run being over.
  void Drain(bool all, int64_t end) {
    while (drained_ < open_ || (all && drained_ == open_)) {
      const uint32_t k = drained_;
      const int64_t kk = k;
      if (!all) {
        for (int w = 0; w < shared_->workers(); ++w) {
          if (Ack(w) <= kk && !Finished(w)) return;  // Still writing k.
        }
      }
      point_.ops = point_.increments = point_.retries = point_.errors = 0;
      point_.latency.Clear();
      point_.response.Clear();
      for (int w = 0; w < shared_->workers(); ++w) {
        const int64_t ack = Ack(w);
        // Its interval-k buffer holds interval k if it moved past k, or
        // if k is where it stopped (or was stopped).
        if (ack < kk) continue;
        IntervalTally& t = shared_->slot(w).intervals[k & 1];
        point_.ops += t.ops;
        point_.increments += t.increments;
        point_.retries += t.retries;
        point_.errors += t.errors;
        point_.latency.Merge(t.latency);
        point_.response.Merge(t.response);
        if (ack > kk || !all) t.Clear();
      }
      // opened_at_ holds the openings of intervals drained_ and later.
      point_.index = k;
      point_.stage = stage_of_.front();
      point_.start_s = (opened_at_[0] - start_) / 1e9;
      point_.end_s = ((opened_at_.size() > 1 ? opened_at_[1] : end) - start_) /
                     1e9;
      latency_.Merge(point_.latency);
      response_.Merge(point_.response);
      opened_at_.pop_front();
      stage_of_.pop_front();
      ++drained_;
      if (closed_) closed_(point_);
      if (all && k == open_) break;
    }
  }

  SharedState* const shared_;
  const int64_t interval_ns_;
  const PointFn closed_;
  bool started_ = false;
  int64_t start_ = 0, next_ = 0;
  uint32_t open_ = 0;     // The interval workers record into.
  uint32_t drained_ = 0;  // Intervals before this one are drained.
  const std::vector<Stage> stages_;
  std::deque<int64_t> opened_at_;  // Two at most: drained_ and open_.
  std::deque<int32_t> stage_of_;   // Their stages (-1: no stages).
  Histogram latency_, response_;
  SeriesPoint point_;  // The last drained.
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SERIES_H_
