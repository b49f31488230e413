// The state a run's parent and its workers share: the phase and the
// series interval (Control), each worker's results (WorkerSlot) and the
// acknowledgements, in one anonymous shared mapping (SharedState), so that
// threads and forked processes use the same code. Internal to the runner
// (counters/runner.cc, worker.cc, worker_group.h, series.h, run_merge.cc,
// rank_exchange.cc).

#ifndef CTRBENCH_COUNTERS_RUN_STATE_H_
#define CTRBENCH_COUNTERS_RUN_STATE_H_

#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <new>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/histogram.h"
#include "counters/metrics.h"

namespace ctrbench {

enum Phase : uint32_t { kWaiting = 0, kWarmup = 1, kMeasure = 2, kStop = 3 };

// How long the parent waits for workers at each step before it gives up.
constexpr int64_t kReadyTimeoutNs = 30LL * 1000000000;
constexpr int64_t kStopGraceNs = 5LL * 1000000000;
constexpr int64_t kKillGraceNs = 500LL * 1000000;
constexpr int64_t kPollNs = 2LL * 1000000;
// While workers are measured the parent sleeps until its next deadline (the
// end of the warm-up or of the run, a series boundary, a progress line), and
// at most this long, to notice a dead worker or Ctrl-C: the harness should
// not be part of what it measures. On a 2-core VM a thread waking every
// 2 ms moved results both ways: it took about 8 % from 8 manager or redis
// workers (a core they needed) and added about 12 % to 2 (it kept idle
// vCPUs from sleeping deeply); 20 ms is 50 wake-ups a second.
constexpr int64_t kMeasurePollNs = 20LL * 1000000;
// How often the parent reports progress while measuring, on a terminal
// too: a redraw is work for the terminal, on the machine being measured.
constexpr int64_t kProgressEveryNs = 1000LL * 1000000;
// How long a worker's event loop sleeps at most without a reply or a ring
// of the bell (SharedState::bell): a safety net, far beyond a scheduler
// tick, so that its timer is seldom the CPU's next event.
constexpr int64_t kLoopLookNs = 100LL * 1000000;
// Under MPI, how long an interrupted rank waits for the others to agree to
// stop before it stops alone: a few rounds of the watch, and well within
// the second mpirun leaves between its SIGTERM and its SIGKILL when a rank
// died.
constexpr int64_t kGiveUpNs = 300LL * 1000000;

// Sleeps until NowNs() reaches `until` (CLOCK_MONOTONIC, absolute).
void SleepUntil(int64_t until);

struct alignas(64) Control {
  std::atomic<uint32_t> phase{kWaiting};  // Also a futex word.
  // The interval of the per-second series that workers record into now;
  // the parent advances it (see SeriesCollector).
  std::atomic<uint32_t> interval{0};
  // Load phases (RunConfig::stages): the stage of that interval, which
  // the parent stores before the interval (a stage starts an interval),
  // and when the measured time started (CLOCK_MONOTONIC), stored before
  // the phase turns to kMeasure, so that every worker's open-loop
  // schedule changes rate at the same instants.
  std::atomic<uint32_t> stage{0};
  std::atomic<int64_t> measure_start_ns{0};
  alignas(64) std::atomic<uint32_t> ready{0};
  std::atomic<uint32_t> done{0};
  // shard_by = adaptive: the cells each key has now (of shards), on a line
  // of its own that workers read at each pick and write when they grow it.
  alignas(64) std::atomic<uint32_t> cells{1};
};

// What a worker did in one interval of the series. The run's histograms
// are the sums of its intervals': a worker records into the interval only.
struct IntervalTally {
  int64_t ops = 0;         // Backend calls.
  int64_t increments = 0;  // Increments of calls that returned OK.
  // Retries and operations that failed for good in the interval: counted by
  // the session in the worker's tally, and moved here when the worker
  // leaves the interval (or stops), so that they cost nothing per call.
  int64_t retries = 0;
  int64_t errors = 0;
  Histogram latency;   // Service time: the backend call (sampled).
  Histogram response;  // Open loop: every operation's response time.

  void Clear() {
    ops = increments = retries = errors = 0;
    latency.Clear();
    response.Clear();
  }
};

// One worker's results. Only the worker writes it; the parent reads the
// progress_* counts while the run goes on, the rest once it is over.
struct alignas(64) WorkerSlot {
  // The progress line's counts of the measured time so far: backend calls,
  // increments of calls that returned OK (as the series counts them), and
  // operations that failed for good (the row's `errors`, warm-up's too).
  // They share a cache line that no other worker writes: the parent's read
  // (once a second) costs the worker one cache miss at its next store.
  std::atomic<int64_t> progress_ops{0};
  std::atomic<int64_t> progress_increments{0};
  std::atomic<int64_t> progress_errors{0};
  alignas(64) std::atomic<bool> finished{false};
  WorkerCounts counts;  // Of the measured time.
  bool failed = false;
  char error[512] = {};
  WorkerTally tally;
  // Two intervals: the worker fills intervals[i & 1] of interval i while
  // the parent drains the other. interval_ack is the interval the worker
  // has moved to (-1: not measuring yet); the parent reads a buffer only
  // once the worker has moved past it (or has finished).
  IntervalTally intervals[2];
  std::atomic<int64_t> interval_ack{-1};
  // Of the measured time: every read of a key (all its shards) timed
  // whole, and the timed takes answered sold out, a subset of the
  // intervals' service times. About 39 KiB a worker, zeroed with the slot.
  Histogram reads;
  Histogram refused;
  // The CPUs the worker ran on, as sched_getaffinity read them ("0").
  char cpus[32] = {};

  void Fail(const std::string& message) {
    if (failed) return;
    failed = true;
    std::snprintf(error, sizeof(error), "%s", message.c_str());
  }
};

// The futex syscall on a word of the shared mapping (not private: forked
// workers share it).
long Futex(std::atomic<uint32_t>* word, int op, uint32_t value,
           const timespec* timeout);

// Control, the worker slots, each worker's acknowledgement cache and the
// shared per-counter acknowledgements, in one anonymous shared mapping that
// forked workers inherit. Its size is workers x about 180 KiB (a slot's
// six histograms, 117 KiB, and the cache, 64 KiB) plus 8 bytes per
// counter: it does not grow with workers x counters.
class SharedState {
 public:
  static Result<SharedState*> Create(int workers, uint32_t counters) {
    const size_t slots_offset = sizeof(Control);
    const size_t caches_offset = slots_offset + sizeof(WorkerSlot) * workers;
    const size_t acked_offset =
        caches_offset + sizeof(AckCache) * static_cast<size_t>(workers);
    const size_t bytes =
        acked_offset + sizeof(std::atomic<int64_t>) * counters;
    void* base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
      return Status::FromErrno("runner: map shared results", errno);
    }
    const int bell = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (bell < 0) {
      const int err = errno;
      munmap(base, bytes);
      return Status::FromErrno("runner: eventfd", err);
    }
    auto* state = new SharedState(base, bytes, workers, counters, bell);
    auto* bytes_base = static_cast<char*>(base);
    state->control_ = new (bytes_base) Control;
    state->slots_ = reinterpret_cast<WorkerSlot*>(bytes_base + slots_offset);
    // Zero pages are zero atomics: the shared array needs no writes (and
    // takes no memory) until a cache evicts into it.
    state->acked_ =
        reinterpret_cast<std::atomic<int64_t>*>(bytes_base + acked_offset);
    for (int w = 0; w < workers; ++w) {
      WorkerSlot* slot = new (&state->slots_[w]) WorkerSlot;
      slot->tally.acks = new (bytes_base + caches_offset +
                              sizeof(AckCache) * static_cast<size_t>(w))
          AckCache;
      slot->tally.shared_acked = state->acked_;
      slot->tally.latency = &slot->intervals[0].latency;
      slot->tally.response = &slot->intervals[0].response;
    }
    return state;
  }
  ~SharedState() {
    close(bell_);
    munmap(base_, bytes_);
  }

  Control& control() { return *control_; }

  // An eventfd that rings (ring()) when control changes, for the workers'
  // event loops to watch (Connections::SetBell), so that a loop need not
  // wake every millisecond to look at control. Such a short timeout is the
  // CPU's next timer event, programmed and cancelled at every sleep, and on
  // the reference VM that cost more than the replies: 3 workers x 3
  // connections pipelining 16 on a 3-node cluster made 1.5-1.95 M
  // increments/s with it, 2.05-2.35 M with the bell (kLoopLookNs). Forked
  // workers share it.
  int bell() const { return bell_; }
  void ring() {
    const uint64_t one = 1;
    // Full (2^64 - 2 rings) cannot happen; a loop still looks in time.
    if (write(bell_, &one, sizeof(one)) < 0) return;
  }

  // The workers' phase, told to those waiting on the futex and to the
  // event loops.
  void SetPhase(Phase phase) {
    control_->phase.store(phase, std::memory_order_release);
    Futex(&control_->phase, FUTEX_WAKE, INT32_MAX, nullptr);
    ring();
  }
  WorkerSlot& slot(int w) { return slots_[w]; }
  int workers() const { return workers_; }
  uint32_t counters() const { return counters_; }

  // Acknowledgements made elsewhere (other MPI ranks' workers), added to
  // the shared array.
  void AddAcknowledged(const std::vector<int64_t>& extra) {
    for (uint32_t c = 0; c < counters_ && c < extra.size(); ++c) {
      acked_[c].fetch_add(extra[c], std::memory_order_relaxed);
    }
  }

  // Every counter's acknowledged increments: what the caches evicted plus
  // what they hold. Once the workers have stopped.
  std::vector<int64_t> Acknowledged() {
    std::vector<int64_t> acked(counters_);
    for (uint32_t c = 0; c < counters_; ++c) {
      acked[c] = acked_[c].load(std::memory_order_relaxed);
    }
    for (int w = 0; w < workers_; ++w) {
      for (const AckCache::Entry& e : slots_[w].tally.acks->entries) {
        if (e.key < counters_) acked[e.key] += e.count;
      }
    }
    return acked;
  }

 private:
  SharedState(void* base, size_t bytes, int workers, uint32_t counters,
              int bell)
      : base_(base),
        bytes_(bytes),
        workers_(workers),
        counters_(counters),
        bell_(bell) {}

  void* base_;
  size_t bytes_;
  int workers_;
  uint32_t counters_;
  int bell_;
  Control* control_ = nullptr;
  WorkerSlot* slots_ = nullptr;
  std::atomic<int64_t>* acked_ = nullptr;
};

// Block on the phase word until the parent says stop, or leaves waiting.
void WaitForStop(Control& control);
void WaitWhileWaiting(Control& control);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_RUN_STATE_H_
