// Load phases: a run whose load changes while it is measured ([[phase]]
// tables in a scenario, --phases on the command line). In code they are
// stages, so that they cannot be confused with the runner's Phase (its
// warm-up and measured time); in files and on the console they are
// phases, as the user wrote them.

#ifndef CTRBENCH_COUNTERS_STAGES_H_
#define CTRBENCH_COUNTERS_STAGES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "counters/schedule.h"
#include "counters/status.h"

namespace ctrbench {

struct Stage {
  // Open loop: operations per second for the whole run, or a share of the
  // closed-loop capacity (0.2 for "20%") that the sweep resolves into
  // `rate`; both 0: a closed-loop stage.
  double rate = 0;
  double rate_share = 0;
  int64_t duration_ns = 0;
  // Closed loop: the workers that run (the others are parked); 0: all.
  int workers = 0;
  int64_t think_ns = -1;      // -1: the run's.
  double read_fraction = -1;  // -1: the run's.

  bool open() const { return rate > 0 || rate_share > 0; }
};

// "2000/s 5s; 20%/s 5s workers=4" (phases separated by ';', each a
// duration and optionally a rate, N/s or P%, and workers=, think=,
// read_fraction=). InvalidArgument with the phase and what is allowed.
Result<std::vector<Stage>> ParseStages(const std::string& text);
// The canonical text of stages, which ParseStages reads back.
std::string FormatStages(const std::vector<Stage>& stages);
// What a phase may be, for messages.
extern const char* const kStagesAllowed;

// The measured time of the stages, their time-weighted mean rate (0 when
// one is closed-loop or still a share), and the stage at `offset_ns` into
// the measured time (the last one past the end).
int64_t StagesDuration(const std::vector<Stage>& stages);
double StagesMeanRate(const std::vector<Stage>& stages);
size_t StageAt(const std::vector<Stage>& stages, int64_t offset_ns);
// Where stage i starts, in ns of the measured time.
int64_t StageStart(const std::vector<Stage>& stages, size_t i);
// Whether a run through `stages` has a drain time: two or more open-loop
// stages (drain_s, DrainWatch).
bool HasDrainTime(const std::vector<Stage>& stages);
// The stage with the highest rate (the first of equals): the one whose
// drain time the row reports.
size_t BusiestStage(const std::vector<Stage>& stages);

// One open-loop client's intended starts through the stages: stage i's
// schedule (this client's `share` of its rate) runs from the stage's start
// until the next stage's, which starts a schedule of its own there (a
// Poisson process restarts memorylessly; constant starts are staggered by
// `offset_share` of the new gap). Without stages, one schedule at `rate`.
class StagedSchedule {
 public:
  StagedSchedule(Arrival arrival, const std::vector<Stage>& stages, double rate,
                 double share, int64_t start_ns, double offset_share,
                 uint64_t seed);

  int64_t Next() { return Advance()->Next(); }
  int64_t Peek() { return Advance()->Peek(); }
  double interval_ns() const { return now_->interval_ns(); }

 private:
  // The schedule of the stage the next start falls in.
  Schedule* Advance() {
    while (step_ + 1 < starts_.size() && now_->Peek() >= starts_[step_ + 1]) {
      Begin(step_ + 1);
    }
    return now_.get();
  }
  void Begin(size_t step);

  const Arrival arrival_;
  const double offset_share_;
  const uint64_t seed_;
  std::vector<int64_t> starts_;  // Each stage's start (CLOCK_MONOTONIC).
  std::vector<double> rates_;    // This client's rate in each.
  size_t step_ = 0;
  std::unique_ptr<Schedule> now_;
};

// The drain time of one open-loop client through the stages. Its backlog
// when it sends an operation due at `intended`: the starts due after that
// one by then (by its share of the stages' rates; none when it was on
// time). The level is the backlog when the busiest stage starts; drained
// is the first operation after that stage ends whose backlog is back to
// that level (within one operation). Never back by the end of the run (an
// operation sent after it does not count; a busiest stage that is the last
// never drains): not drained.
class DrainWatch {
 public:
  DrainWatch(const std::vector<Stage>& stages, double share, int64_t start_ns);

  // An operation due at `intended` is sent at `sent`.
  void Sent(int64_t intended, int64_t sent) {
    if (!active_ || drained_ || sent < busy_start_ || sent > end_) return;
    Check(intended, sent);
  }
  bool active() const { return active_; }
  bool drained() const { return drained_; }
  int64_t drain_ns() const { return drain_ns_; }

 private:
  void Check(int64_t intended, int64_t sent);
  double Due(int64_t now) const;  // Starts due by `now`, expected.

  std::vector<Stage> stages_;
  double share_ = 0;
  int64_t start_ = 0, busy_start_ = 0, busy_end_ = 0;
  int64_t end_ = 0;  // Of the measured time.
  bool active_ = false, have_level_ = false, drained_ = false;
  double level_ = 0;
  int64_t drain_ns_ = 0;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_STAGES_H_
