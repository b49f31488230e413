// The per-second series of a run, collected by the parent from the
// workers' interval buffers (SharedState). Internal to the runner.

#ifndef CTRBENCH_COUNTERS_SERIES_H_
#define CTRBENCH_COUNTERS_SERIES_H_

#include <algorithm>
#include <vector>

#include "counters/clock.h"
#include "counters/histogram.h"
#include "counters/run_state.h"
#include "counters/runner.h"

namespace ctrbench {

// The per-second series. The parent opens interval k+1 every
// series_interval (Control::interval), once every worker has moved to k;
// it drains interval k from each worker's buffer once that worker has moved
// past it (or has finished, and will write no more). Workers keep two
// buffers, so memory stays the same however long the run. The run's whole
// latency histogram is the sum of the drained intervals.
class SeriesCollector {
 public:
  SeriesCollector(SharedState* shared, int64_t interval_ns)
      : shared_(shared), interval_ns_(interval_ns) {}

  // The measured time starts: interval 0 is open.
  void Start(int64_t now) {
    start_ = now;
    opened_at_ = {now};
    next_ = now + interval_ns_;
  }

  void Poll(int64_t now) {
    if (opened_at_.empty()) return;
    Drain(false, now);
    if (now < next_ || drained_ != open_ || !AllAt(open_)) return;
    ++open_;
    opened_at_.push_back(now);
    shared_->control().interval.store(open_, std::memory_order_release);
    shared_->ring();
    // Boundaries stay on the grid unless a worker held one up.
    next_ = start_ + static_cast<int64_t>(open_ + 1) * interval_ns_;
    if (next_ <= now) next_ = now + interval_ns_;
  }

  // Every worker has stopped: drains what is left, up to `end`.
  void Finish(int64_t end) {
    if (opened_at_.empty()) return;
    Drain(true, end);
  }

  // When Poll() next has something to do (INT64_MAX: nothing).
  int64_t NextDeadline() const {
    if (opened_at_.empty()) return INT64_MAX;
    // An interval that closed waits for its workers to move on: soon.
    return drained_ < open_ ? 0 : next_;
  }

  const Histogram& total() const { return total_; }
  // The last interval drained; null before the first.
  const SeriesPoint* last() const {
    return points_.empty() ? nullptr : &points_.back();
  }
  std::vector<SeriesPoint> TakePoints() { return std::move(points_); }

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
      Histogram interval;
      SeriesPoint p;
      for (int w = 0; w < shared_->workers(); ++w) {
        const int64_t ack = Ack(w);
        // Its interval-k buffer holds interval k if it moved past k, or
        // if k is where it stopped (or was stopped).
        if (ack < kk) continue;
        IntervalTally& t = shared_->slot(w).intervals[k & 1];
        p.ops += t.ops;
        p.increments += t.increments;
        interval.Merge(t.latency);
        if (ack > kk || !all) t.Clear();
      }
      p.start_s = (opened_at_[k] - start_) / 1e9;
      p.end_s = ((k + 1 < opened_at_.size() ? opened_at_[k + 1] : end) -
                 start_) / 1e9;
      p.samples = interval.count();
      p.p50_us = interval.Percentile(0.50) / 1000.0;
      p.p99_us = interval.Percentile(0.99) / 1000.0;
      total_.Merge(interval);
      points_.push_back(p);
      ++drained_;
      if (all && k == open_) break;
    }
  }

  SharedState* const shared_;
  const int64_t interval_ns_;
  int64_t start_ = 0, next_ = 0;
  uint32_t open_ = 0;     // The interval workers record into.
  uint32_t drained_ = 0;  // Intervals before this one are drained.
  std::vector<int64_t> opened_at_;
  Histogram total_;
  std::vector<SeriesPoint> points_;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SERIES_H_
