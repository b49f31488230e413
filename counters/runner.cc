#include "counters/runner.h"

#include <linux/futex.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <new>
#include <queue>
#include <system_error>
#include <thread>
#include <vector>

#include "counters/backoff.h"
#include "counters/clock.h"
#include "counters/interrupt.h"
#include "counters/mpi.h"
#include "counters/proc.h"
#include "counters/schedule.h"

namespace ctrbench {

namespace {

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
void SleepUntil(int64_t until) {
  const timespec ts = {static_cast<time_t>(until / 1000000000),
                       static_cast<long>(until % 1000000000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) ==
         EINTR) {
    if (Interrupted()) return;
  }
}

struct alignas(64) Control {
  std::atomic<uint32_t> phase{kWaiting};  // Also a futex word.
  // The interval of the per-second series that workers record into now;
  // the parent advances it (see SeriesCollector).
  std::atomic<uint32_t> interval{0};
  alignas(64) std::atomic<uint32_t> ready{0};
  std::atomic<uint32_t> done{0};
};

// What a worker did in one interval of the series.
struct IntervalTally {
  int64_t ops = 0;         // Backend calls.
  int64_t increments = 0;  // Increments of calls that returned OK.
  Histogram latency;

  void Clear() {
    ops = increments = 0;
    latency.Clear();
  }
};

// One worker's results. Only the worker writes it, except progress_ops,
// which the parent reads while the run goes on.
struct alignas(64) WorkerSlot {
  std::atomic<int64_t> progress_ops{0};
  alignas(64) std::atomic<bool> finished{false};
  WorkerCounts counts;  // Of the measured time.
  bool failed = false;
  char error[512] = {};
  WorkerTally tally;
  // Two intervals: the worker fills intervals[i & 1] of interval i while
  // the parent drains the other. interval_ack is the interval the worker
  // has moved to (-1: not measuring yet); the parent reads a buffer only
  // once the worker has moved past it.
  IntervalTally intervals[2];
  std::atomic<int64_t> interval_ack{-1};
  Histogram response;  // Open loop: every operation's response time.
  // The CPUs the worker ran on, as sched_getaffinity read them ("0").
  char cpus[32] = {};

  void Fail(const std::string& message) {
    if (failed) return;
    failed = true;
    std::snprintf(error, sizeof(error), "%s", message.c_str());
  }
};

long Futex(std::atomic<uint32_t>* word, int op, uint32_t value,
           const timespec* timeout) {
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
  // Not FUTEX_PRIVATE: the word is shared with forked workers.
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value,
                 timeout, nullptr, 0);
}

// Control, the worker slots, each worker's acknowledgement cache and the
// shared per-counter acknowledgements, in one anonymous shared mapping that
// forked workers inherit. Its size is workers x 64 KiB plus 8 bytes per
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

void WaitForStop(Control& control) {
  const timespec timeout = {0, 100 * 1000000};
  for (;;) {
    const uint32_t phase = control.phase.load(std::memory_order_acquire);
    if (phase == kStop) return;
    Futex(&control.phase, FUTEX_WAIT, phase, &timeout);
  }
}

void WaitWhileWaiting(Control& control) {
  const timespec timeout = {0, 100 * 1000000};
  while (control.phase.load(std::memory_order_acquire) == kWaiting) {
    Futex(&control.phase, FUTEX_WAIT, kWaiting, &timeout);
  }
}

int64_t TimevalNs(const timeval& tv) {
  return static_cast<int64_t>(tv.tv_sec) * 1000000000 + tv.tv_usec * 1000;
}

// 1 in how many calls the runner times. Sampling keeps two clock reads
// (about 21 ns each) away from a 5 ns increment; an operation that holds or
// thinks for a microsecond or more is timed every time.
int SampleEvery(const RunConfig& config, const Capabilities& caps) {
  if (config.hold_ns + config.think_ns >= 1000) return 1;
  if (config.connections > 1) return 1;  // The loop times every operation.
  return std::max(1, caps.latency_sample_every);
}

// What a worker holds back per key (batching, write-behind). Its space
// grows with the keys the worker touched (32 to 64 bytes each), not with
// all keys (as arrays, 256 workers x 1 M keys held 2 GiB of zeros). Open
// addressing with linear probing; an entry, once made, stays.
class HeldCounts {
 public:
  struct Entry {
    uint32_t key = kEmpty;
    int64_t count = 0;
  };

  HeldCounts() : slots_(64) {}

  Entry& operator[](uint32_t key) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      Entry& e = slots_[i];
      if (e.key == key) return e;
      if (e.key != kEmpty) continue;
      if (2 * (used_ + 1) > slots_.size()) {
        Grow();
        return (*this)[key];
      }
      ++used_;
      e.key = key;
      return e;
    }
  }

  // The keys with a count and their counts, which are then zero.
  std::vector<std::pair<uint32_t, int64_t>> TakeAll() {
    std::vector<std::pair<uint32_t, int64_t>> held;
    for (Entry& e : slots_) {
      if (e.key == kEmpty || e.count == 0) continue;
      held.emplace_back(e.key, e.count);
      e.count = 0;
    }
    std::sort(held.begin(), held.end());
    return held;
  }

 private:
  static constexpr uint32_t kEmpty = 0xffffffff;  // Keys are below 2^24.
  static size_t Hash(uint32_t key) {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> 32);
  }
  void Grow() {
    std::vector<Entry> old(slots_.size() * 2);
    old.swap(slots_);
    used_ = 0;
    for (const Entry& e : old) {
      if (e.key != kEmpty) (*this)[e.key] = e;
    }
  }

  std::vector<Entry> slots_;
  size_t used_ = 0;
};

// The body of a worker, thread or process. Everything it reports goes
// into its slot.
class Worker {
 public:
  Worker(const RunConfig& config, const Capabilities& caps, Backend* backend,
         SharedState* shared, int index,
         std::shared_ptr<const ZipfTable> zipf)
      : config_(config),
        backend_(backend),
        control_(shared->control()),
        bell_(shared->bell()),
        slot_(shared->slot(index)),
        // Under MPI, this rank's workers are a part of the run's: the
        // worker's identity is its index in the run.
        index_(config.first_worker + index),
        shard_(ShardOf(0)),  // Before shards_: ShardOf reads config_.
        shards_(static_cast<uint32_t>(config.shards)),
        chooser_(config.distribution, config.keys,
                 config.seed * 0x9e3779b97f4a7c15ULL + index_,
                 std::move(zipf)),
        read_rng_(config.seed ^ (0xabcdef12345ULL + index_)),
        sample_every_(SampleEvery(config, caps)),
        countdown_(sample_every_),
        batching_(config.batch > 1),
        write_behind_(config.flush_every_ns > 0) {}

  void Run() {
    const Status connected = Connect();
    if (!connected.ok()) {
      slot_.Fail(connected.ToString());
      slot_.finished.store(true, std::memory_order_release);
      control_.ready.fetch_add(1);
      return;
    }
    control_.ready.fetch_add(1);
    WaitWhileWaiting(control_);

    // Warm-up: operations go into the totals but not into the metrics.
    int64_t ops = 0, logical = 0;
    next_flush_ = NowNs() + config_.flush_every_ns;
    Loop<false>(kWarmup, INT64_MAX, &ops, &logical);
    // What the warm-up held goes out before the measured time starts, and
    // what it has in flight (a pipelining session) is settled: otherwise it
    // would be acknowledged, and timed, in the measured time.
    if (write_behind_) FlushHeld<false, false>(session_.get(), &ops);
    if (conns_ && !slot_.failed) {
      Check(conns_->Flush(&done_));
      TakeDone<false>(&ops);
    } else if (!slot_.failed) {
      Check(session_->Flush());
    }
    next_flush_ = NowNs() + config_.flush_every_ns;

    const WorkerTally before = slot_.tally;
    const int64_t acked_before = AckedSum();
    // The series starts with the measured time; a pipelined session's
    // warm-up samples go with the cleared buffers.
    slot_.intervals[0].Clear();
    slot_.intervals[1].Clear();
    SwitchInterval();
    rusage usage_before;
    getrusage(RUSAGE_THREAD, &usage_before);
    slot_.counts.start_ns = NowNs();
    ops = logical = 0;
    const int64_t limit = config_.ops > 0 ? config_.ops : INT64_MAX;
    if (!slot_.failed) Loop<true>(kMeasure, limit, &ops, &logical);
    control_.done.fetch_add(1);

    // Settle partial batches and whatever the session holds back. These
    // Adds are measured backend calls like any other.
    if (conns_) {
      FinishMany(&ops);
    } else if (!slot_.failed && write_behind_) {
      if (time_ops_) {
        FlushHeld<true, true>(session_.get(), &ops);
      } else {
        FlushHeld<true, false>(session_.get(), &ops);
      }
      Check(session_->Flush());
    } else if (!slot_.failed) {
      for (const auto& held : pending_.TakeAll()) {
        ++ops;
        const uint32_t counter = held.first * shards_ + shard_;
        const int64_t delta = held.second;
        auto add = [&] { return session_->Add(counter, delta); };
        const bool ok = time_ops_ ? Call<true, true>(delta, add)
                                  : Call<true, false>(delta, add);
        if (!ok) break;
      }
      Check(session_->Flush());
    } else {
      // A failed worker still takes in what it has in flight, so that what
      // the backend applied is acknowledged (the run fails either way).
      session_->Flush().ok();
    }
    slot_.counts.end_ns = NowNs();
    rusage usage_after;
    getrusage(RUSAGE_THREAD, &usage_after);
    session_.reset();
    conns_.reset();

    slot_.counts.ops = ops;
    slot_.counts.logical = logical;
    slot_.counts.late_ops += slot_.tally.late;  // Counted by a pipelined session.
    slot_.counts.increments = AckedSum() - acked_before;
    slot_.counts.retries = slot_.tally.retries - before.retries;
    slot_.counts.redirects = slot_.tally.redirects - before.redirects;
    slot_.counts.lock_wait_ns = slot_.tally.lock_wait_ns - before.lock_wait_ns;
    slot_.counts.errors = slot_.tally.errors;
    slot_.counts.disk_peak_bytes = slot_.tally.disk_peak_bytes;
    slot_.counts.cpu_user_ns =
        TimevalNs(usage_after.ru_utime) - TimevalNs(usage_before.ru_utime);
    slot_.counts.cpu_sys_ns =
        TimevalNs(usage_after.ru_stime) - TimevalNs(usage_before.ru_stime);
    slot_.counts.nvcsw = usage_after.ru_nvcsw - usage_before.ru_nvcsw;
    slot_.counts.nivcsw = usage_after.ru_nivcsw - usage_before.ru_nivcsw;
    slot_.progress_ops.store(ops, std::memory_order_relaxed);
    slot_.finished.store(true, std::memory_order_release);
  }

 private:
  int64_t AckedSum() const { return slot_.tally.AckedSum(); }

  // The worker's session, or with connections > 1 its connections.
  Status Connect() {
    slot_.tally.response = &slot_.response;
    slot_.tally.late_limit_ns = config_.latency_limit_ns;
    if (config_.connections > 1) {
      Result<std::unique_ptr<Connections>> conns = backend_->ConnectMany(
          index_, config_.connections, &slot_.tally);
      if (!conns.ok()) return conns.status();
      conns_ = std::move(*conns);
      conns_->SetBusyPoll(std::max<int64_t>(0, config_.busy_poll_ns));
      Status bell = conns_->SetBell(bell_);
      if (!bell.ok()) return bell;
      time_ops_ = false;  // RunMany times every operation itself.
      reads_left_.assign(config_.connections, 0);
      read_key_.assign(config_.connections, 0);
      for (int c = 0; c < config_.connections; ++c) {
        conn_shard_.push_back(ShardOf(c));
      }
      return Status::OK();
    }
    Result<std::unique_ptr<Session>> session =
        backend_->Connect(index_, &slot_.tally);
    if (!session.ok()) return session.status();
    session_ = std::move(*session);
    time_ops_ = !session_->RecordsLatency();
    return Status::OK();
  }

  // Returns false when the worker must stop. Busy errors (a lock timeout)
  // are counted and the worker goes on; any other error ends it.
  bool Check(const Status& status) {
    if (__builtin_expect(status.ok(), 1)) return true;
    return Failed(status);
  }
  __attribute__((noinline)) bool Failed(const Status& status) {
    ++slot_.tally.errors;
    if (!slot_.failed) {
      slot_.Fail("worker " + std::to_string(index_) + ": " +
                 status.ToString());
    }
    return status.code() == Status::Code::kBusy;
  }

  // Runs operations while the phase is `phase`, up to `limit` logical ones.
  // The plain case (increments only: no reads, batching or think time) has
  // a loop of its own, since every instruction between two increments of a
  // contended counter shows in the result.
  template <bool kMeasured>
  void Loop(Phase phase, int64_t limit, int64_t* ops, int64_t* logical) {
    if (conns_) return RunMany<kMeasured>(phase, limit, ops, logical);
    if (config_.rate > 0) {
      if (!kMeasured) return RunOpen<false, false>(phase, limit, ops, logical);
      if (time_ops_) return RunOpen<kMeasured, true>(phase, limit, ops, logical);
      return RunOpen<kMeasured, false>(phase, limit, ops, logical);
    }
    const bool plain = config_.read_fraction == 0 && !batching_ &&
                       !write_behind_ && config_.think_ns == 0;
    if (!kMeasured) {
      if (plain) return RunPlain<false, false>(phase, limit, ops, logical);
      return RunOps<false, false>(phase, limit, ops, logical);
    }
    if (plain && time_ops_) {
      RunPlain<kMeasured, true>(phase, limit, ops, logical);
    } else if (plain) {
      RunPlain<kMeasured, false>(phase, limit, ops, logical);
    } else if (time_ops_) {
      RunOps<kMeasured, true>(phase, limit, ops, logical);
    } else {
      RunOps<kMeasured, false>(phase, limit, ops, logical);
    }
  }

  template <bool kMeasured, bool kTimed>
  void RunOps(Phase phase, int64_t limit, int64_t* ops_out,
              int64_t* logical_out) {
    int64_t ops = *ops_out, logical = *logical_out;
    Session* const session = session_.get();
    const std::atomic<uint32_t>& phase_word = control_.phase;
    while (logical < limit &&
           phase_word.load(std::memory_order_relaxed) == phase) {
      const bool ok =
          OneOp<kMeasured, kTimed>(session, chooser_.Next(), &ops);
      ++logical;
      if ((logical & 1023) == 0) {
        slot_.progress_ops.store(ops, std::memory_order_relaxed);
      }
      if (!ok) break;
    }
    *ops_out = ops;
    *logical_out = logical;
  }

  // Increments only: keys are drawn a block at a time and handed to
  // Session::AddMany, so a backend whose increment costs nanoseconds is not
  // measured through a virtual call per increment. Every sample_every-th
  // operation is a single timed Add.
  template <bool kMeasured, bool kTimed>
  void RunPlain(Phase phase, int64_t limit, int64_t* ops_out,
                int64_t* logical_out) {
    constexpr int64_t kBlock = 64;
    uint32_t counters[kBlock];
    int64_t logical = *logical_out;
    int64_t countdown = sample_every_;
    Session* const session = session_.get();
    const std::atomic<uint32_t>& phase_word = control_.phase;
    const uint32_t shards = shards_, shard = shard_;
    // One key (the hot key): every counter of every block is the same,
    // written once; a key choice per increment was a tenth of its cost.
    const bool one_key = config_.keys == 1;
    if (one_key) std::fill(counters, counters + kBlock, shard);
    // Blocks are for backends whose increment costs nanoseconds (those that
    // sample latency); a server's round trips go one at a time, so that a
    // worker sees a change of phase after one of them, not 64 (with 1,000
    // clients, 64 round trips took seconds).
    const int64_t block = sample_every_ > 1 ? kBlock : 1;
    while (logical < limit &&
           phase_word.load(std::memory_order_relaxed) == phase) {
      if (kMeasured) NextIntervalIfDue();
      if (kTimed && countdown == 1) {
        const int64_t start = NowNs();
        const Status status = session->Add(chooser_.Next() * shards + shard, 1);
        interval_->latency.Record(NowNs() - start);
        ++interval_->ops;
        if (status.ok()) ++interval_->increments;
        countdown = sample_every_;
        ++logical;
        if ((logical & 1023) == 0) {
          slot_.progress_ops.store(logical, std::memory_order_relaxed);
        }
        if (!Check(status)) break;
        continue;
      }
      int64_t n = std::min(block, limit - logical);
      if (kTimed) n = std::min(n, countdown - 1);
      if (!one_key) {
        for (int64_t i = 0; i < n; ++i) {
          counters[i] = chooser_.Next() * shards + shard;
        }
      }
      size_t done = 0;
      const bool ok = Check(session->AddMany(counters, n, 1, &done));
      if (kTimed) countdown -= static_cast<int64_t>(done);
      if (kMeasured) {
        interval_->ops += static_cast<int64_t>(done) + (ok ? 0 : 1);
        interval_->increments += static_cast<int64_t>(done);
      }
      const int64_t before = logical;
      logical += static_cast<int64_t>(done);
      if ((before ^ logical) & ~int64_t{1023}) {
        slot_.progress_ops.store(logical, std::memory_order_relaxed);
      }
      if (!ok) {
        ++logical;  // The operation that failed.
        break;
      }
    }
    // Without reads or batching, each logical operation is one Add.
    *ops_out += logical - *logical_out;
    *logical_out = logical;
  }

  // Open loop: each operation has an intended start on this worker's
  // schedule (its share of the rate). The worker waits for it (sleeping
  // while it is far, spinning the last stretch, since nanosleep overshoots
  // by tens of microseconds), or sends at once when it is behind; the
  // response time runs from the intended start to the completion, so a
  // backlog shows. Service time is timed inside Call as in the closed loop.
  template <bool kMeasured, bool kTimed>
  void RunOpen(Phase phase, int64_t limit, int64_t* ops, int64_t* logical_out) {
    // The kernel may defer a sleeping thread's wake-up by its timer slack
    // (50 us by default), more than the spin below covers; an open-loop
    // worker asks for none (here about 30 us of wake-up latency is left).
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    const double share = config_.rate / config_.workers;
    const double gap_ns = 1e9 / share;
    // Constant schedules are staggered over one gap, worker by worker.
    Schedule schedule(config_.arrival, share, NowNs(),
                      static_cast<int64_t>(gap_ns * index_ / config_.workers),
                      config_.seed * 0x2545f4914f6cdd1dULL + index_);
    const std::atomic<uint32_t>& phase_word = control_.phase;
    Session* const session = session_.get();
    int64_t logical = *logical_out;
    int64_t due = -1;  // An intended start not sent when the phase ended.
    // One clock read per operation: its completion, which is also where
    // the wait for the next start begins.
    int64_t now = NowNs();
    while (logical < limit) {
      const int64_t intended = schedule.Next();
      if (now < intended) {
        if (!WaitUntil(intended, phase_word, phase, session)) {
          due = intended;
          break;
        }
        now = NowNs();
      } else if (phase_word.load(std::memory_order_relaxed) != phase) {
        due = intended;
        break;
      }
      const int64_t sent = now;
      const int64_t ops_before = *ops;
      if (!time_ops_) slot_.tally.intended_ns = kMeasured ? intended : 0;
      const bool ok = OneOp<kMeasured, kTimed>(session, chooser_.Next(), ops);
      ++logical;
      now = NowNs();
      if (kMeasured && *ops != ops_before) {  // A batch sends 1 in B.
        slot_.counts.sched_lag_max_ns = std::max(slot_.counts.sched_lag_max_ns, sent - intended);
        if (time_ops_) {
          // Every operation: its completion was read anyway. A pipelined
          // session times its requests' responses itself.
          const int64_t response = now - intended;
          if (config_.latency_limit_ns > 0 &&
              response > config_.latency_limit_ns) {
            ++slot_.counts.late_ops;
          }
          slot_.response.Record(response);
        }
      }
      if ((logical & 1023) == 0) {
        slot_.progress_ops.store(*ops, std::memory_order_relaxed);
      }
      if (!ok) break;
    }
    slot_.tally.intended_ns = 0;
    if (kMeasured && logical < limit) {
      // Due by the end of the measured time, never sent.
      const int64_t end = NowNs();
      slot_.counts.unsent_ops +=
          (due >= 0 && due <= end ? 1 : 0) + DueBy(&schedule, end);
    }
    *logical_out = logical;
  }

  // The starts of `schedule` up to `end`, which it moves past.
  static int64_t DueBy(Schedule* schedule, int64_t end) {
    const double behind =
        static_cast<double>(end - schedule->Peek()) / schedule->interval_ns();
    // Far behind: counted, not walked (for poisson, its expectation).
    if (behind > 1e6) return static_cast<int64_t>(behind) + 1;
    int64_t n = 0;
    while (schedule->Peek() <= end) {
      schedule->Next();
      ++n;
    }
    return n;
  }

  // Several connections (connections > 1), driven by one event loop: each
  // is a closed-loop client of its own (its next operation starts when
  // one ends, after `think`; with `pipeline`, while it has room), or
  // follows its own share of the open loop's schedule. Every operation is
  // timed, from its first request to its last reply, and in an open loop
  // its response from its intended start.
  template <bool kMeasured>
  void RunMany(Phase phase, int64_t limit, int64_t* ops, int64_t* logical_out) {
    Connections* const conns = conns_.get();
    const int n = conns->size();
    const bool open = config_.rate > 0;
    const int64_t begin = NowNs();
    std::vector<Schedule> schedules;
    if (open) {
      prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);  // See RunOpen.
      const int clients = config_.workers * n;
      const double share = config_.rate / clients;
      schedules.reserve(n);
      for (int c = 0; c < n; ++c) {
        // Constant schedules are staggered over one gap, client by client.
        const int client = index_ * n + c;
        schedules.emplace_back(
            config_.arrival, share, begin,
            static_cast<int64_t>(1e9 / share * client / clients),
            config_.seed * 0x2545f4914f6cdd1dULL + client);
      }
    }
    // Connections with room, by the start of their next operation.
    using Due = std::pair<int64_t, int>;
    std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due;
    std::vector<char> waiting(n, 0);
    std::fill(reads_left_.begin(), reads_left_.end(), 0);
    // Without think time a closed loop's connections start again at once:
    // they go straight to `ready`, not through the heap.
    const bool at_once = !open && config_.think_ns == 0;
    std::vector<int> ready;
    auto enqueue = [&](int c, int64_t closed_at) {
      if (waiting[c] || reads_left_[c] > 0 || conns->Room(c) == 0) return;
      waiting[c] = 1;
      if (at_once) {
        ready.push_back(c);
      } else {
        due.push({open ? schedules[c].Peek() : closed_at, c});
      }
    };
    for (int c = 0; c < n; ++c) enqueue(c, begin);
    const std::atomic<uint32_t>& phase_word = control_.phase;
    int64_t logical = *logical_out;
    while (phase_word.load(std::memory_order_relaxed) == phase) {
      if (kMeasured) NextIntervalIfDue();
      // Closed, without think: every connection with room starts now (a
      // pipelining one until it is full).
      for (size_t i = 0; i < ready.size() && logical < limit; ++i) {
        const int c = ready[i];
        waiting[c] = 0;
        StartOne(c, 0);
        ++logical;
        enqueue(c, 0);
      }
      ready.clear();
      const int64_t now = NowNs();
      while (logical < limit && !due.empty() && due.top().first <= now) {
        const int c = due.top().second;
        due.pop();
        waiting[c] = 0;
        int64_t intended = 0;
        if (open) intended = schedules[c].Next();
        // A batched increment held back is sent by a later operation.
        if (StartOne(c, intended) && open && kMeasured) {
          slot_.counts.sched_lag_max_ns = std::max(slot_.counts.sched_lag_max_ns, now - intended);
        }
        ++logical;
        enqueue(c, now + config_.think_ns);
      }
      // Enough: what is in flight is settled by the flush that follows
      // (which commits each connection as soon as it is idle), once every
      // read has read its last shard.
      if (logical >= limit &&
          std::all_of(reads_left_.begin(), reads_left_.end(),
                      [](int left) { return left == 0; })) {
        break;
      }
      int64_t wake = now + kLoopLookNs;  // The bell tells of a new phase.
      bool precise = false;
      if (logical < limit && !due.empty() && due.top().first < wake) {
        wake = due.top().first;
        precise = true;
      }
      conns->Run(wake, precise, &done_);
      bool ok = true;
      for (const Connections::Done& d : done_) {
        const int c = d.connection;
        // A pipelining connection may have increments in flight before a
        // read: only a read's reply is one of its shards.
        const bool last = reads_left_[c] == 0 || d.delta != 0;
        if (!TakeOne<kMeasured>(d, last, ops)) ok = false;
        if (last) {
          enqueue(c, d.end_ns + config_.think_ns);
        } else {  // The next shard of a read.
          conns->Start(c, read_key_[c] * shards_ + (shards_ - reads_left_[c]--),
                       0, d.intended_ns);
        }
      }
      done_.clear();
      slot_.progress_ops.store(*ops, std::memory_order_relaxed);
      if (!ok) break;
    }
    if (kMeasured && open && logical < limit) {
      const int64_t end = NowNs();
      for (Schedule& s : schedules) slot_.counts.unsent_ops += DueBy(&s, end);
    }
    *logical_out = logical;
  }

  // The shard that connection `c` writes (a worker without connections:
  // c = 0). The run's clients (each worker's
  // connections in turn) are split into `shards` even blocks, a block a
  // shard (fewer clients than shards: a shard each). A worker's
  // connections thus share a shard where they can, so that on a cluster a
  // worker's requests go to one node together, as redis-benchmark
  // --cluster gives each node a thread of its own. Spread over the nodes
  // instead, 3 workers x 3 connections woke every node for each request
  // alone, and made 0.65x of redis-benchmark's throughput, not 1.0x.
  uint32_t ShardOf(int c) const {
    const int64_t clients = int64_t{config_.workers} * config_.connections;
    const int64_t client = int64_t{index_} * config_.connections + c;
    return static_cast<uint32_t>(client * config_.shards / clients);
  }

  // One logical operation on connection `c`: a read of every shard (one at
  // a time), or an increment that batching may hold back. False when it
  // sent nothing (held back).
  bool StartOne(int c, int64_t intended) {
    const uint32_t key = chooser_.Next();
    if (config_.read_fraction > 0 &&
        read_rng_.NextDouble() < config_.read_fraction) {
      reads_left_[c] = static_cast<int>(shards_) - 1;
      read_key_[c] = key;
      conns_->Start(c, key * shards_, 0, intended);
      return true;
    }
    int64_t delta = 1;
    if (batching_) {
      int64_t& held = pending_[key].count;
      if (++held < config_.batch) return false;
      held = 0;
      delta = config_.batch;
    }
    conns_->Start(c, key * shards_ + conn_shard_[c], delta, intended);
    return true;
  }

  // Takes in the operations in done_: each is a backend call, and in the
  // measured time its latency (and response) is recorded. False when the
  // worker must stop.
  template <bool kMeasured>
  bool TakeDone(int64_t* ops) {
    bool ok = true;
    for (const Connections::Done& d : done_) {
      if (!TakeOne<kMeasured>(d, true, ops)) ok = false;
    }
    done_.clear();
    return ok;
  }

  // One operation that ended; `last`: the last backend call of its logical
  // operation (a read of a sharded counter makes one per shard), whose
  // response an open loop records.
  template <bool kMeasured>
  bool TakeOne(const Connections::Done& d, bool last, int64_t* ops) {
    ++*ops;
    if (kMeasured) {
      interval_->latency.Record(d.end_ns - d.start_ns);
      ++interval_->ops;
      if (d.status.ok()) interval_->increments += d.delta;
      if (d.intended_ns > 0 && last) {
        const int64_t response = d.end_ns - d.intended_ns;
        if (config_.latency_limit_ns > 0 &&
            response > config_.latency_limit_ns) {
          ++slot_.counts.late_ops;
        }
        slot_.response.Record(response);
      }
    }
    return Check(d.status);
  }

  // The end of the measured time with connections: partial batches go out
  // (measured calls like any other), and everything in flight is settled.
  void FinishMany(int64_t* ops) {
    if (slot_.failed) {
      // What the backend applied is still acknowledged; the run fails.
      conns_->Flush(&done_).ok();
      done_.clear();
      return;
    }
    bool ok = true;
    for (const auto& [key, delta] : pending_.TakeAll()) {
      int c = 0;
      while (ok && conns_->Room(c) == 0) {
        if (++c < conns_->size()) continue;
        conns_->Run(NowNs() + 1000000, false, &done_);
        ok = TakeDone<true>(ops);
        c = 0;
      }
      if (!ok) break;  // The rest is lost with the worker, as in a crash.
      NextIntervalIfDue();
      conns_->Start(c, key * shards_ + conn_shard_[c], delta, 0);
    }
    const Status flushed = conns_->Flush(&done_);
    std::fill(reads_left_.begin(), reads_left_.end(), 0);
    TakeDone<true>(ops);
    Check(flushed);
  }

  // Waits until `until`; false if the phase changes first. A session with
  // requests in flight is polled meanwhile, so that each reply is timed
  // when it comes, not at the next start.
  static bool WaitUntil(int64_t until, const std::atomic<uint32_t>& phase_word,
                        Phase phase, Session* session) {
    constexpr int64_t kSpinNs = kSpinWindowNs;
    for (;;) {
      if (phase_word.load(std::memory_order_relaxed) != phase) return false;
      const int64_t left = until - NowNs();
      if (left <= 0) return true;
      const bool in_flight = session->InFlight() > 0;
      if (left <= kSpinNs) {
        if (!in_flight) {
          SpinUntil(until);
          return true;
        }
        session->Poll(0);
        continue;
      }
      // At most 1 ms at a time, to see the end of the phase.
      const int64_t step = std::min<int64_t>(left - kSpinNs, 1000000);
      if (in_flight) {
        session->Poll(step);
      } else {
        SleepNs(step);
      }
    }
  }

  // One logical operation of the general case: think, then a read of every
  // shard, or an increment that batching may hold back. Only the backend
  // calls are timed: not the think time, not a batched increment that only
  // adds to pending_.
  template <bool kMeasured, bool kTimed>
  bool OneOp(Session* session, uint32_t key, int64_t* ops) {
    SpinFor(config_.think_ns);
    if (config_.read_fraction > 0 &&
        read_rng_.NextDouble() < config_.read_fraction) {
      for (uint32_t s = 0; s < shards_; ++s) {
        ++*ops;
        const uint32_t counter = key * shards_ + s;
        if (!Call<kMeasured, kTimed>(
                0, [&] { return session->Read(counter).status(); })) {
          return false;
        }
      }
      return true;
    }
    if (write_behind_) return Hold<kMeasured, kTimed>(session, key, ops);
    int64_t delta = 1;
    if (batching_) {
      int64_t& held = pending_[key].count;
      if (++held < config_.batch) return true;
      held = 0;
      delta = config_.batch;
    }
    ++*ops;
    const uint32_t counter = key * shards_ + shard_;
    return Call<kMeasured, kTimed>(
        delta, [&] { return session->Add(counter, delta); });
  }

  // Write-behind: the increment stays with the worker until the next
  // flush, which sends one Add(n) per key held. Nothing reaches the backend
  // in between, which is the point, and what a crash would lose.
  template <bool kMeasured, bool kTimed>
  bool Hold(Session* session, uint32_t key, int64_t* ops) {
    const int64_t now = NowNs();
    if (pending_[key].count++ == 0) held_keys_.push_back({key, now});
    ++held_;
    if (kMeasured) slot_.counts.held_max = std::max(slot_.counts.held_max, held_);
    if (now < next_flush_) return true;
    next_flush_ = now + config_.flush_every_ns;
    return FlushHeld<kMeasured, kTimed>(session, ops);
  }

  // Sends every held key's increments, one Add(n) each (measured calls
  // like any other), and records how long each had waited for it.
  template <bool kMeasured, bool kTimed>
  bool FlushHeld(Session* session, int64_t* ops) {
    bool ok = true;
    for (const auto& [key, since] : held_keys_) {
      HeldCounts::Entry& e = pending_[key];
      const int64_t delta = e.count;
      e.count = 0;
      if (!ok) continue;  // Lost with the worker, as in a crash.
      ++*ops;
      const uint32_t counter = key * shards_ + shard_;
      ok = Call<kMeasured, kTimed>(
          delta, [&] { return session->Add(counter, delta); });
      if (kMeasured && ok) {
        slot_.counts.stale_max_ns =
            std::max(slot_.counts.stale_max_ns, NowNs() - since);
      }
    }
    held_keys_.clear();
    held_ = 0;
    return ok;
  }

  // One backend call that adds `delta` (0: a read). Measured calls count in
  // the current interval, and every sample_every-th timed call records its
  // latency, so the samples are exactly the timed calls (1 in
  // sample_every_).
  template <bool kMeasured, bool kTimed, typename Op>
  bool Call(int64_t delta, Op op) {
    if (!kMeasured) return Check(op());
    NextIntervalIfDue();
    Status status;
    if (kTimed && --countdown_ == 0) {
      countdown_ = sample_every_;
      const int64_t start = NowNs();
      status = op();
      interval_->latency.Record(NowNs() - start);
    } else {
      status = op();
    }
    ++interval_->ops;
    if (status.ok()) interval_->increments += delta;
    return Check(status);
  }

  // Moves to the interval the parent has opened, if it has opened one.
  void NextIntervalIfDue() {
    if (__builtin_expect(
            control_.interval.load(std::memory_order_relaxed) != interval_no_,
            0)) {
      SwitchInterval();
    }
  }
  __attribute__((noinline)) void SwitchInterval() {
    interval_no_ = control_.interval.load(std::memory_order_acquire);
    interval_ = &slot_.intervals[interval_no_ & 1];
    // A pipelined session records its own latencies through the tally.
    slot_.tally.latency = &interval_->latency;
    slot_.interval_ack.store(interval_no_, std::memory_order_release);
  }

  const RunConfig& config_;
  Backend* const backend_;
  Control& control_;
  const int bell_;  // Rings when control_ changes.
  WorkerSlot& slot_;
  const int index_;
  const uint32_t shard_;
  const uint32_t shards_;
  KeyChooser chooser_;
  Rng read_rng_;
  const int sample_every_;
  int countdown_;  // Timed calls until the next sample.
  uint32_t interval_no_ = 0;            // The interval recorded into now,
  IntervalTally* interval_ = nullptr;  // and its buffer.
  bool time_ops_ = true;
  std::unique_ptr<Session> session_;
  // With connections > 1, instead of session_: the connections, what ended
  // on them, and per connection the shards a read has left and its key.
  std::unique_ptr<Connections> conns_;
  std::vector<Connections::Done> done_;
  std::vector<int> reads_left_;
  std::vector<uint32_t> read_key_;
  std::vector<uint32_t> conn_shard_;  // ShardOf each connection.
  // Batching and write-behind: the increments held back per key, the keys
  // held (with when the oldest of each came), how many increments are
  // held, and when the next flush is due.
  const bool batching_;
  const bool write_behind_;
  HeldCounts pending_;
  std::vector<std::pair<uint32_t, int64_t>> held_keys_;
  int64_t held_ = 0;
  int64_t next_flush_ = 0;
};

// Steal time of every CPU of the host so far, in clock ticks (the "cpu"
// line of /proc/stat, 8th value); -1 if it cannot be read.
int64_t HostStealTicks() {
  std::FILE* f = std::fopen("/proc/stat", "r");
  if (f == nullptr) return -1;
  long long v[8] = {};
  const int n = std::fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld",
                            &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                            &v[7]);
  std::fclose(f);
  return n == 8 ? v[7] : -1;
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm;
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string DescribeWait(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "was killed by signal " + std::to_string(sig) + " (" +
           strsignal(sig) + ")";
  }
  if (WIFEXITED(status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return "stopped";
}

// Starts, watches and stops the workers of one run.
class WorkerGroup {
 public:
  WorkerGroup(const RunConfig& config, const Capabilities& caps,
              Backend* backend, SharedState* shared, const CpuPlan& cpus)
      : config_(config),
        caps_(caps),
        backend_(backend),
        shared_(shared),
        cpus_(cpus),
        // Zipf's table is built once, before the workers start: threads
        // share it, forked processes share its pages.
        zipf_(config.distribution.kind == Distribution::Kind::kZipf
                  ? BuildZipfTable(config.distribution.theta, config.keys)
                  : nullptr) {}
  ~WorkerGroup() { Stop(); }

  Status Start() {
    const int n = config_.LocalWorkers();
    if (config_.mode == WorkerMode::kThreads) {
      try {
        for (int w = 0; w < n; ++w) {
          threads_.emplace_back([this, w] {
            if (Place(w)) {
              Worker(config_, caps_, backend_, shared_, w, zipf_).Run();
            }
          });
        }
      } catch (const std::system_error& e) {
        return Status::IOError(std::string("runner: start worker thread: ") +
                               e.what());
      }
      return Status::OK();
    }
    const pid_t parent = getpid();
    for (int w = 0; w < n; ++w) {
      const pid_t pid = fork();
      if (pid < 0) return Status::FromErrno("runner: fork worker", errno);
      if (pid == 0) {
        // The parent stops us: a Ctrl-C meant for the run must not kill a
        // worker in the middle of a critical section first.
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_DFL);
        // A server that goes away must be an error from write(), not a
        // SIGPIPE that kills the worker (hiredis's own writes use
        // write()).
        signal(SIGPIPE, SIG_IGN);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(3);
        if (!Place(w)) _exit(1);
        Worker worker(config_, caps_, backend_, shared_, w, zipf_);
        worker.Run();
        // Alive until the stop, so that the parent measures every worker's
        // memory at one moment.
        WaitForStop(shared_->control());
        _exit(shared_->slot(w).failed ? 1 : 0);
      }
      pids_.push_back(pid);
    }
    return Status::OK();
  }

  // Reaps process workers that ended. Returns a message when one died
  // before it finished its work (a crash, not a clean exit).
  std::string CheckDeaths() {
    for (size_t i = 0; i < pids_.size(); ++i) {
      if (pids_[i] <= 0) continue;
      int status = 0;
      const pid_t r = waitpid(pids_[i], &status, WNOHANG);
      if (r != pids_[i]) continue;
      const pid_t pid = pids_[i];
      pids_[i] = 0;
      const bool clean = WIFEXITED(status) &&
                         shared_->slot(static_cast<int>(i))
                             .finished.load(std::memory_order_acquire);
      if (!clean) {
        return "worker " + std::to_string(i) + " (pid " +
               std::to_string(pid) + ") " + DescribeWait(status);
      }
    }
    return "";
  }

  bool AllFinished() {
    for (int w = 0; w < config_.LocalWorkers(); ++w) {
      if (!shared_->slot(w).finished.load(std::memory_order_acquire)) {
        return false;
      }
    }
    return true;
  }

  // Tells workers to stop and waits for them. Processes get `grace_ns` to
  // finish, then SIGTERM, then SIGKILL: a dead peer may hold a lock forever.
  // Returns false if a process had to be killed.
  bool Stop(int64_t grace_ns = kStopGraceNs) {
    shared_->SetPhase(kStop);
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    bool clean = true;
    const int64_t deadline = NowNs() + grace_ns;
    bool termed = false;
    int64_t kill_at = 0;
    for (;;) {
      bool alive = false;
      for (pid_t& pid : pids_) {
        if (pid <= 0) continue;
        if (waitpid(pid, nullptr, WNOHANG) == pid) {
          pid = 0;
        } else {
          alive = true;
        }
      }
      if (!alive) break;
      const int64_t now = NowNs();
      if (!termed && now >= deadline) {
        for (pid_t pid : pids_) {
          if (pid > 0) kill(pid, SIGTERM);
        }
        termed = true;
        clean = false;
        kill_at = now + kKillGraceNs;
      } else if (termed && now >= kill_at) {
        for (pid_t pid : pids_) {
          if (pid > 0) kill(pid, SIGKILL);
        }
        kill_at = INT64_MAX;
      }
      SpinSleep();
    }
    pids_.clear();
    return clean;
  }

  static void SpinSleep() {
    const timespec ts = {0, kPollNs};
    nanosleep(&ts, nullptr);
  }

  // The worker processes (0: reaped); empty in threads mode.
  const std::vector<pid_t>& pids() const { return pids_; }


 private:
  // Pins worker `w`'s thread as planned and records where it runs; false
  // (the worker failed, and says why) when the kernel refused.
  bool Place(int w) {
    WorkerSlot& slot = shared_->slot(w);
    if (!cpus_.workers.empty()) {
      Status st = PinCurrentThread(cpus_.workers[w]);
      if (!st.ok()) {
        slot.Fail(st.ToString());
        slot.finished.store(true, std::memory_order_release);
        shared_->control().ready.fetch_add(1);
        return false;
      }
    }
    const std::string where = CpuList(0);
    std::snprintf(slot.cpus, sizeof(slot.cpus), "%s", where.c_str());
    return true;
  }

  const RunConfig& config_;
  const Capabilities& caps_;
  Backend* const backend_;
  SharedState* const shared_;
  const CpuPlan cpus_;
  const std::shared_ptr<const ZipfTable> zipf_;
  std::vector<std::thread> threads_;
  std::vector<pid_t> pids_;
};

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

// The statistics a backend reported that its BackendInfo declares, of the
// declared types; others are dropped (a test holds every backend to it).
StatValues DeclaredStats(const BackendInfo& info, StatValues reported) {
  StatValues kept;
  for (const StatSpec& spec : info.stats) {
    auto it = reported.find(spec.name);
    if (it != reported.end() && it->second.type() == spec.type) {
      kept.insert(std::move(*it));
    }
  }
  return kept;
}

double JainFairness(const std::vector<int64_t>& xs) {
  double sum = 0, squares = 0;
  for (int64_t x : xs) {
    sum += static_cast<double>(x);
    squares += static_cast<double>(x) * static_cast<double>(x);
  }
  if (squares == 0) return 1.0;
  return sum * sum / (static_cast<double>(xs.size()) * squares);
}

void Merge(SharedState* shared, const Histogram& latency, RunResult* r) {
  std::vector<int64_t> worker_ops;
  for (int w = 0; w < shared->workers(); ++w) {
    const WorkerSlot& s = shared->slot(w);
    CombineCounts(s.counts, &r->counts);
    worker_ops.push_back(s.counts.ops);
    if (s.failed && r->error.empty()) r->error = s.error;
    r->response.Merge(s.response);
  }
  const WorkerCounts& t = r->counts;
  if (t.start_ns > 0 && t.end_ns > t.start_ns) {
    r->duration_s = (t.end_ns - t.start_ns) / 1e9;
  }
  if (r->duration_s > 0) {
    r->throughput_ops_s = t.ops / r->duration_s;
    r->increments_per_s = t.increments / r->duration_s;
    r->rate_achieved = t.logical / r->duration_s;
  }
  r->resp_p50_us = r->response.Percentile(0.50) / 1000.0;
  r->resp_p90_us = r->response.Percentile(0.90) / 1000.0;
  r->resp_p99_us = r->response.Percentile(0.99) / 1000.0;
  r->resp_p999_us = r->response.Percentile(0.999) / 1000.0;
  r->resp_max_us = r->response.max() / 1000.0;
  r->latency_samples = latency.count();
  r->lat_p50_us = latency.Percentile(0.50) / 1000.0;
  r->lat_p90_us = latency.Percentile(0.90) / 1000.0;
  r->lat_p99_us = latency.Percentile(0.99) / 1000.0;
  r->lat_p999_us = latency.Percentile(0.999) / 1000.0;
  r->lat_max_us = latency.max() / 1000.0;
  r->latency = latency;
  r->worker_ops_min = *std::min_element(worker_ops.begin(), worker_ops.end());
  r->worker_ops_max = *std::max_element(worker_ops.begin(), worker_ops.end());
  r->fairness = JainFairness(worker_ops);
}

// Compares every counter with the increments acknowledged for it.
void Verify(SharedState* shared, const std::vector<int64_t>& totals,
            RunResult* r) {
  const uint32_t counters = shared->counters();
  const std::vector<int64_t> acknowledged = shared->Acknowledged();
  int64_t mismatched = 0, over = 0;
  std::string first;
  for (uint32_t c = 0; c < counters; ++c) {
    const int64_t expected = acknowledged[c];
    const int64_t actual = c < totals.size() ? totals[c] : 0;
    r->expected_total += expected;
    r->actual_total += actual;
    if (actual != expected) {
      ++mismatched;
      if (actual > expected) ++over;
      if (first.empty()) {
        first = "counter " + std::to_string(c) + " expected " +
                std::to_string(expected) + ", read " + std::to_string(actual);
      }
    }
  }
  r->lost_updates = r->expected_total - r->actual_total;
  const bool naive = r->config.strategy == Strategy::kNaive;
  // Naive loses updates by design; it still must not invent any.
  const bool counters_ok = naive ? over == 0 : mismatched == 0;
  r->verified = counters_ok && r->counts.errors == 0 && r->error.empty();
  if (!counters_ok && r->error.empty()) {
    r->error = std::to_string(mismatched) + " of " +
               std::to_string(counters) +
               " counters differ from the acknowledged increments (" + first +
               ")";
  } else if (r->counts.errors > 0 && r->error.empty()) {
    r->error = std::to_string(r->counts.errors) + " operations failed";
  }
}

}  // namespace

std::string RefuseConnections(const RunConfig& config,
                              const Capabilities& caps) {
  if (config.connections <= 1) return "";
  if (!caps.connections) {
    return "connections " + std::to_string(config.connections) +
           ": this backend has one connection per worker; allowed: "
           "connections = 1";
  }
  if (config.flush_every_ns > 0) {
    return "connections " + std::to_string(config.connections) +
           " with flush_every: write-behind sends from one connection; "
           "allowed: connections = 1";
  }
  return "";
}

uint64_t EstimateRunBytes(const RunConfig& config) {
  const uint64_t counters =
      uint64_t{config.keys} * static_cast<uint64_t>(std::max(1, config.shards));
  const uint64_t workers = static_cast<uint64_t>(std::max(1, config.workers));
  // The shared mapping (slots, acknowledgement caches, one acknowledged
  // count per counter), and what the parent reads back.
  uint64_t bytes = sizeof(Control) +
                   workers * (sizeof(WorkerSlot) + sizeof(AckCache)) +
                   counters * sizeof(int64_t);
  bytes += 2 * counters * sizeof(int64_t);  // Totals and acknowledgements.
  // Held increments (batching, write-behind): the keys a worker touches,
  // at most every key (or every operation of a run of `ops` without a
  // warm-up), up to 96 bytes each while the table grows, and the list of
  // keys held.
  if (config.batch > 1 || config.flush_every_ns > 0) {
    uint64_t touched = config.keys;
    if (config.ops > 0 && config.warmup_ns == 0) {
      touched = std::min<uint64_t>(touched, config.ops);
    }
    bytes += workers * touched * (96 + 16);
  }
  // A connection's buffers (hiredis, libpq, the strategy machine).
  bytes += workers * static_cast<uint64_t>(std::max(1, config.connections)) *
           (64 << 10);
  bytes += counters * 64;               // The backend's own counters.
  return bytes;
}

const Cell& RunResult::stat(const std::string& name) const {
  static const Cell* const kNull = new Cell();
  const auto it = backend_stats.find(name);
  return it == backend_stats.end() ? *kNull : it->second;
}

std::string NewRunId() {
  static std::atomic<int> next{0};
  // 48 random bits from the kernel make the id unique across hosts that
  // share one store (and across pid reuse); the pid stays first because
  // `ctrbench cleanup` reads it from segment names.
  uint64_t random = 0;
  if (getrandom(&random, sizeof(random), 0) != sizeof(random)) {
    random = static_cast<uint64_t>(NowNs()) ^
             (static_cast<uint64_t>(getpid()) << 40);
  }
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "%012llx",
                static_cast<unsigned long long>(random & 0xffffffffffffULL));
  return std::to_string(getpid()) + "-" + std::to_string(next.fetch_add(1)) +
         "-" + suffix;
}

namespace {

// Under MPI: what one rank measured, for rank 0 to merge. Its workers'
// slots (their times moved onto the time base of the barrier that started
// the measured time), its latency histogram and its series.
constexpr int64_t kRankEpochNs = int64_t{1} << 40;  // Keeps moved times > 0.

template <typename T>
void Put(std::string* out, const T& value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}
template <typename T>
bool Take(const std::string& in, size_t* at, T* value) {
  if (*at + sizeof(T) > in.size()) return false;
  std::memcpy(static_cast<void*>(value), in.data() + *at, sizeof(T));
  *at += sizeof(T);
  return true;
}

// The layout of what PackRank sends: ranks must run the same build (the
// README says so); a rank of another build is an error, not a misread.
struct PackHeader {
  uint64_t slot_bytes = sizeof(WorkerSlot);
  uint64_t histogram_bytes = sizeof(Histogram);
  uint64_t point_bytes = sizeof(SeriesPoint);
};

std::string PackRank(SharedState* shared, int first, const Histogram& latency,
                     const std::vector<SeriesPoint>& series, int64_t time_base,
                     const RunResult& outcome) {
  std::string out;
  Put(&out, PackHeader());
  Put(&out, first);
  Put(&out, shared->workers());
  // Raw bytes of each slot, as they sit in the shared mapping (forked
  // workers share them the same way); the receiver restores the pointers.
  for (int w = 0; w < shared->workers(); ++w) {
    WorkerSlot& slot = shared->slot(w);
    for (int64_t* t : {&slot.counts.start_ns, &slot.counts.end_ns}) {
      if (*t > 0) *t = *t - time_base + kRankEpochNs;
    }
    out.append(reinterpret_cast<const char*>(&slot), sizeof(WorkerSlot));
  }
  Put(&out, latency);
  Put(&out, series.size());
  for (const SeriesPoint& p : series) Put(&out, p);
  const std::string host = mpi::HostName();
  Put(&out, host.size());
  out += host;
  Put(&out, outcome.worker_died);
  Put(&out, outcome.error.size());
  out += outcome.error;
  return out;
}

// Rank 0: every rank's part in one SharedState of the run's workers, and
// the merged latency histogram and series; `r` gets the hosts, their
// fairness, and the first rank's error. Percentiles of a series interval
// cannot be merged from the ranks' points: with several ranks they are
// empty (-1).
Status UnpackRanks(const std::vector<std::string>& parts, SharedState* all,
                   Histogram* latency, std::vector<SeriesPoint>* series,
                   RunResult* r) {
  // Per host: operations and workers.
  std::map<std::string, std::pair<int64_t, int64_t>> hosts;
  *latency = Histogram();
  series->clear();
  for (size_t k = 0; k < parts.size(); ++k) {
    const std::string& in = parts[k];
    const Status short_part =
        Status::IOError("mpi: rank " + std::to_string(k) +
                        " sent a result this build cannot read (every rank "
                        "must run the same ctrbench)");
    size_t at = 0;
    PackHeader header;
    int first = 0, n = 0;
    if (!Take(in, &at, &header) ||
        header.slot_bytes != sizeof(WorkerSlot) ||
        header.histogram_bytes != sizeof(Histogram) ||
        header.point_bytes != sizeof(SeriesPoint) || !Take(in, &at, &first) ||
        !Take(in, &at, &n) || first < 0 || n < 0 ||
        first + n > all->workers() ||
        at + sizeof(WorkerSlot) * static_cast<size_t>(n) > in.size()) {
      return short_part;
    }
    int64_t rank_ops = 0;
    for (int w = 0; w < n; ++w) {
      WorkerSlot& slot = all->slot(first + w);
      const WorkerTally kept = slot.tally;  // Pointers into this process.
      std::memcpy(static_cast<void*>(&slot), in.data() + at,
                  sizeof(WorkerSlot));
      at += sizeof(WorkerSlot);
      slot.tally.acks = kept.acks;
      slot.tally.shared_acked = kept.shared_acked;
      slot.tally.latency = kept.latency;
      slot.tally.response = kept.response;
      rank_ops += slot.counts.ops;
    }
    Histogram part;
    size_t points = 0;
    if (!Take(in, &at, &part) || !Take(in, &at, &points)) return short_part;
    latency->Merge(part);
    for (size_t i = 0; i < points; ++i) {
      SeriesPoint p;
      if (!Take(in, &at, &p)) return short_part;
      if (i >= series->size()) {
        series->push_back(p);
        continue;
      }
      SeriesPoint& q = (*series)[i];
      q.ops += p.ops;
      q.increments += p.increments;
      q.samples += p.samples;
      q.end_s = std::max(q.end_s, p.end_s);
    }
    size_t host_size = 0, error_size = 0;
    bool died = false;
    if (!Take(in, &at, &host_size) || at + host_size > in.size()) {
      return short_part;
    }
    const std::string host = in.substr(at, host_size);
    at += host_size;
    if (!Take(in, &at, &died) || !Take(in, &at, &error_size) ||
        at + error_size > in.size()) {
      return short_part;
    }
    const std::string error = in.substr(at, error_size);
    hosts[host].first += rank_ops;
    hosts[host].second += n;
    r->worker_died = r->worker_died || died;
    if (r->error.empty() && !error.empty()) {
      r->error = "MPI rank " + std::to_string(k) + ": " + error;
    }
  }
  if (parts.size() > 1) {
    for (SeriesPoint& p : *series) p.p50_us = p.p99_us = -1;
  }
  // Fairness between hosts: each host's operations per worker, so that an
  // uneven split of the workers (5 over 2 hosts) is not counted as unfair.
  std::vector<int64_t> per_worker;
  for (const auto& entry : hosts) {
    per_worker.push_back(entry.second.first / std::max<int64_t>(1, entry.second.second));
  }
  r->hosts = static_cast<int>(hosts.size());
  r->host_fairness = JainFairness(per_worker);
  return Status::OK();
}

// Under MPI: OK on every rank when `mine` is OK on every rank; else, on
// every rank, the first failing rank's error, saying which rank.
Status AgreeOk(const Status& mine) {
  if (mpi::Size() == 1) return mine;
  const std::vector<std::string> all =
      mpi::Gather(mine.ok() ? "" : mine.ToString());
  std::string first;
  if (mpi::Rank() == 0 && all.empty()) first = "interrupted";
  for (size_t r = 0; r < all.size() && first.empty(); ++r) {
    if (!all[r].empty()) first = "MPI rank " + std::to_string(r) + ": " + all[r];
  }
  if (!mpi::Broadcast(&first) || Interrupted()) {
    return Status::IOError("interrupted while the MPI ranks agreed");
  }
  return first.empty() ? Status::OK() : Status::IOError(first);
}

// Every rank learns from rank 0 how the run went (the sweep's decisions
// follow it: a failed run, a capacity for relative rates).
void FollowRoot(RunResult* r) {
  std::string word;
  if (mpi::Rank() == 0) {
    Put(&word, r->verified);
    Put(&word, r->interrupted);
    Put(&word, r->worker_died);
    for (double v : {r->increments_per_s, r->throughput_ops_s,
                     r->rate_achieved, r->resp_p99_us}) {
      Put(&word, v);
    }
    word += r->error;
  }
  if (!mpi::Broadcast(&word)) {
    r->interrupted = true;
    return;
  }
  if (mpi::Rank() == 0) return;
  size_t at = 0;
  RunResult got = *r;
  if (!Take(word, &at, &got.verified) || !Take(word, &at, &got.interrupted) ||
      !Take(word, &at, &got.worker_died) ||
      !Take(word, &at, &got.increments_per_s) ||
      !Take(word, &at, &got.throughput_ops_s) ||
      !Take(word, &at, &got.rate_achieved) ||
      !Take(word, &at, &got.resp_p99_us)) {
    r->interrupted = true;  // Another build: the sweep stops.
    return;
  }
  got.error = word.substr(at);
  *r = std::move(got);
}

}  // namespace

Result<RunResult> ExecuteRun(const RunConfig& config, const BackendInfo& info,
                             const ProgressFn& progress, Ledger* ledger,
                             ServerPool* servers) {
  if (config.rate_share > 0 && config.rate <= 0) {
    return Status::InvalidArgument(
        "a rate relative to capacity needs the capacity first (the sweep "
        "measures it)");
  }
  const std::string refused = RefuseConnections(config, info.capabilities);
  if (!refused.empty()) return Status::InvalidArgument(refused);
  RunResult result;
  result.config = config;  // As asked: `report` groups on it.
  // What the workers run with: busy polling only where it takes no CPU a
  // server would need.
  RunConfig run = config;
  if (config.connections > 1 && config.busy_poll_ns < 0) {
    run.busy_poll_ns =
        static_cast<size_t>(config.workers) < AllowedCpus().size() ? 30000 : 0;
  }
  if (config.connections > 1) result.busy_poll_used_ns = run.busy_poll_ns;
  // Under MPI every rank runs its share of the workers: rank 0 the first.
  const int ranks = mpi::Size(), rank = mpi::Rank();
  result.ranks = ranks;
  if (ranks > 1) {
    if (!info.capabilities.mpi) {
      return Status::InvalidArgument(
          info.name + " under mpirun: its counters live in one process or "
          "on one host, where the other ranks cannot reach them; allowed "
          "under mpirun: redis, manager, postgres");
    }
    if (config.workers < ranks) {
      return Status::InvalidArgument(
          "workers " + std::to_string(config.workers) + " under " +
          std::to_string(ranks) + " MPI ranks: the workers are split over "
          "the ranks; allowed: at least one worker per rank");
    }
    const int each = config.workers / ranks, extra = config.workers % ranks;
    run.rank_workers = each + (rank < extra ? 1 : 0);
    run.first_worker = rank * each + std::min(rank, extra);
  }
  const int local = run.LocalWorkers();
  result.run_id = NewRunId();
  mpi::Broadcast(&result.run_id);  // Rank 0's: one store, one run.
  result.started_at = UtcNow();
  result.lat_sample_every = SampleEvery(config, info.capabilities);

  // Under MPI a failure on one rank must not leave the others waiting in
  // the next collective: it becomes that rank's setup error, which every
  // rank learns.
  Result<std::unique_ptr<Backend>> made = info.factory(config.options);
  if (!made.ok() && ranks == 1) return made.status();
  std::unique_ptr<Backend> backend = made.ok() ? std::move(*made) : nullptr;

  SetupSpec spec;
  spec.counters = config.keys * static_cast<uint32_t>(config.shards);
  spec.shards = static_cast<uint32_t>(config.shards);
  spec.strategy = config.strategy;
  spec.mode = config.mode;
  spec.workers = config.workers;
  spec.connections = config.connections;
  spec.hold_ns = config.hold_ns;
  spec.timeout_ns = config.timeout_ns;
  spec.run_id = result.run_id;
  spec.ledger = ledger;
  spec.servers = servers;

  Result<SharedState*> shared_or = SharedState::Create(local, spec.counters);
  if (!shared_or.ok() && ranks == 1) return shared_or.status();
  std::unique_ptr<SharedState> shared(shared_or.ok() ? *shared_or : nullptr);
  const Status ready_to_set_up = made.ok() ? shared_or.status() : made.status();

  const int64_t setup_start = NowNs();
  // Under MPI, rank 0 sets the store up and tells the others what they
  // need to reach it ("ok\n" and that, or "error\n" and why).
  Status setup = ready_to_set_up;
  if (rank == 0 && setup.ok()) setup = backend->Setup(spec);
  if (ranks > 1) {
    std::string word;
    if (rank == 0) {
      Result<std::string> shared_setup =
          setup.ok() ? backend->Share() : Result<std::string>(setup);
      if (setup.ok() && !shared_setup.ok()) {
        setup = shared_setup.status().WithContext(
            config.backend + " under MPI");
      }
      word = setup.ok() ? "ok\n" + *shared_setup : "error\n" + setup.ToString();
    }
    if (!mpi::Broadcast(&word)) word = "error\ninterrupted";
    if (rank > 0 && setup.ok()) {
      setup = word.rfind("ok\n", 0) == 0
                  ? backend->Join(spec, word.substr(3))
                  : Status::IOError("rank 0: " + word.substr(6));
    }
    setup = AgreeOk(setup);
  }
  result.setup_s = (NowNs() - setup_start) / 1e9;
  // After Setup: a server backend learns its version from the server.
  if (backend) {
    result.backend_version = backend->Version();
    result.effective_options = backend->EffectiveOptions();
  }
  if (!setup.ok()) {
    if (backend) backend->Teardown().ok();
    result.error = setup.ToString();
    return result;
  }

  // CPU placement. A pooled server may keep a pinning from an earlier run:
  // it gets the plan's CPU, or every CPU this process may use.
  const std::vector<int> allowed = AllowedCpus();
  // A cluster's nodes share the server's CPU.
  const std::vector<pid_t> server_pids = backend->ServerPids();
  const CpuPlan cpus =
      PlanCpus(config.pin, local, allowed, !server_pids.empty());
  for (pid_t server : server_pids) {
    Status pinned = PinProcessTree(
        server, cpus.server >= 0 ? std::vector<int>{cpus.server} : allowed);
    if (!pinned.ok() && config.pin == PinMode::kAll) {
      result.error = pinned.ToString();
      if (ranks > 1) break;  // The other ranks learn it before measuring.
      backend->Teardown().ok();
      return result;
    }
  }

  WorkerGroup group(run, info.capabilities, backend.get(), shared.get(),
                    cpus);
  Control& control = shared->control();
  std::string death;
  if (result.error.empty()) {
    Status started = group.Start();
    if (!started.ok()) result.error = started.ToString();
  }

  // Wait until every worker has connected.
  const int64_t ready_deadline = NowNs() + kReadyTimeoutNs;
  while (result.error.empty() && !Interrupted() &&
         control.ready.load() < static_cast<uint32_t>(local)) {
    death = group.CheckDeaths();
    if (!death.empty()) break;
    if (NowNs() > ready_deadline) {
      result.error = "workers did not connect within 30 s";
      break;
    }
    WorkerGroup::SpinSleep();
  }

  for (int w = 0; w < local && result.error.empty(); ++w) {
    if (shared->slot(w).failed) result.error = shared->slot(w).error;
  }
  // Every rank's workers are connected before any rank measures.
  if (ranks > 1) {
    const Status started = AgreeOk(
        !result.error.empty() ? Status::IOError(result.error)
        : !death.empty()      ? Status::IOError(death)
                              : Status::OK());
    if (!started.ok() && result.error.empty() && death.empty()) {
      result.error = started.message();
    }
  }
  if (config.pin != PinMode::kOff) {
    for (int w = 0; w < local; ++w) {
      result.cpu_placement += (w > 0 ? ";w" : "w") + std::to_string(w) + ":" +
                              shared->slot(w).cpus;
    }
    for (size_t i = 0; i < server_pids.size(); ++i) {
      result.cpu_placement +=
          (i == 0 ? ";server:" : "/") + CpuList(server_pids[i]);
    }
  }
  SeriesCollector series(shared.get(), config.series_interval_ns);
  int64_t steal_before = -1;
  int64_t time_base = NowNs();  // Under MPI: when the ranks set off.
  bool given_up = false;        // Under MPI: the ranks gave the run up.
  if (result.error.empty() && death.empty() && !Interrupted()) {
    // Where the measured time starts: the series, the steal and the
    // store's statistics (a server's CPU: not its start, nor the
    // connections' setup and teardown) start counting.
    auto start_measuring = [&](int64_t now) {
      series.Start(now);
      steal_before = HostStealTicks();
      if (rank == 0) backend->MeasurementStarted();  // Rank 0's to watch.
    };
    mpi::Watch watch;
    int64_t interrupted_at = 0;
    const int64_t begin = NowNs();
    time_base = begin;
    shared->SetPhase(config.warmup_ns > 0 ? kWarmup : kMeasure);
    const int64_t measure_at = begin + config.warmup_ns;
    bool measuring = config.warmup_ns == 0;
    if (measuring) start_measuring(begin);
    int64_t last_report = measure_at, last_ops = 0;
    for (;;) {
      const int64_t now = NowNs();
      if (!measuring && now >= measure_at) {
        shared->SetPhase(kMeasure);
        measuring = true;
        start_measuring(now);
      }
      bool done = false;
      if (measuring) {
        series.Poll(now);
        done = (config.duration_ns > 0 &&
                now >= measure_at + config.duration_ns) ||
               (config.ops > 0 &&
                control.done.load() >= static_cast<uint32_t>(local));
      }
      // Every worker stopped on an error, or one died.
      if (death.empty()) death = group.CheckDeaths();  // Said once.
      // Workers that all finished before their operations were done
      // stopped on errors (done ones finish too).
      const bool failed =
          !death.empty() || (!done && group.AllFinished());
      // Under MPI the ranks leave together: when one must stop, or when
      // all are done. (A rank that failed says why in what it sends rank
      // 0; an interrupted one makes them all give up the run, and stops
      // waiting for the others after a while: they may be gone.)
      if (Interrupted() && interrupted_at == 0) interrupted_at = now;
      const mpi::Watch::Stop stop = interrupted_at > 0 ? mpi::Watch::kAbandon
                                    : failed ? mpi::Watch::kFailed
                                             : mpi::Watch::kNone;
      if (watch.Over(stop, done)) {
        given_up = watch.stopped() == mpi::Watch::kAbandon;
        break;
      }
      if (interrupted_at > 0 && now - interrupted_at > kGiveUpNs) break;
      if (progress && measuring && now - last_report >= 1000000000) {
        int64_t total = 0;
        for (int w = 0; w < local; ++w) {
          total += shared->slot(w).progress_ops.load(std::memory_order_relaxed);
        }
        progress({(now - measure_at) / 1e9,
                  (total - last_ops) * 1e9 / (now - last_report), total});
        last_report = now;
        last_ops = total;
      }
      int64_t wake = now + kMeasurePollNs;
      if (!measuring) wake = std::min(wake, measure_at);
      if (measuring && config.duration_ns > 0) {
        wake = std::min(wake, measure_at + config.duration_ns);
      }
      wake = std::min(wake, std::max(series.NextDeadline(), now + kPollNs));
      if (progress && measuring) wake = std::min(wake, last_report + 1000000000);
      SleepUntil(wake);
    }
    if (measuring) {
      // The harness's own memory, with every worker still holding its
      // state (worker processes wait for the stop to exit): this process
      // and the worker processes at one moment, so that shared pages count
      // once. Read before the server's CPU, so that the server's window
      // holds the time it takes, as the workers' measured time does.
      if (death.empty()) {
        int64_t pss = PssBytes(getpid());
        for (pid_t pid : group.pids()) {
          const int64_t p = pid > 0 ? PssBytes(pid) : -1;
          pss = pss < 0 || p < 0 ? -1 : pss + p;
        }
        result.harness_pss_bytes = pss;
      }
      if (rank == 0) {
        backend->MeasurementEnded();
        result.backend_stats = DeclaredStats(info, backend->Stats());
      }
    }
  }

  if (!death.empty()) {
    // A crashed worker: stop the others at once, SIGTERM then SIGKILL.
    group.Stop(0);
    result.worker_died = true;
  } else if (!group.Stop()) {
    result.error = "workers did not stop within 5 s and were killed";
  }
  result.interrupted = Interrupted();
  series.Finish(NowNs());
  if (steal_before >= 0) {
    const int64_t steal_after = HostStealTicks();
    if (steal_after >= steal_before) {
      result.cpu_steal_s = static_cast<double>(steal_after - steal_before) /
                           static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }

  if (!death.empty()) result.error = death;
  // Under MPI, rank 0 merges every rank's workers into one SharedState of
  // the run's, and verifies against every rank's acknowledgements.
  SharedState* merged = shared.get();
  Histogram latency = series.total();
  result.series = series.TakePoints();
  std::unique_ptr<SharedState> all;
  // Interrupted (Ctrl-C, or mpirun stopping every rank because one died):
  // no more collectives, which a dead rank would never join. Rank 0 goes
  // straight to its teardown; the row is abandoned.
  const bool abandoned =
      ranks > 1 && (given_up || Interrupted() || mpi::Broken());
  if (abandoned && result.error.empty() && !Interrupted()) {
    result.error = "an MPI rank went away";
  }
  result.interrupted = result.interrupted || abandoned;
  if (ranks > 1 && !abandoned) {
    std::vector<int64_t> acked = shared->Acknowledged();
    const bool summed = mpi::SumToRoot(&acked);
    const std::vector<std::string> parts = mpi::Gather(
        PackRank(shared.get(), run.first_worker, latency, result.series,
                 time_base, result));
    if (!summed || Interrupted()) {
      result.interrupted = true;  // Given up: a rank went away.
    } else if (rank == 0) {
      Result<SharedState*> made_all =
          SharedState::Create(config.workers, spec.counters);
      Status st = made_all.status();
      if (st.ok()) {
        all.reset(*made_all);
        st = UnpackRanks(parts, all.get(), &latency, &result.series,
                         &result);
        all->AddAcknowledged(acked);
        merged = all.get();
      }
      if (!st.ok() && result.error.empty()) result.error = st.ToString();
    }
  }
  Merge(merged, latency, &result);
  if (rank > 0) {
    // The row is rank 0's to write; it says how the run went.
    if (!abandoned) FollowRoot(&result);
    return result;
  }
  Result<std::vector<int64_t>> totals = backend->ReadTotals();
  if (totals.ok()) {
    Verify(merged, *totals, &result);
  } else {
    result.verified = false;
    if (result.error.empty()) result.error = totals.status().ToString();
  }
  Status teardown = backend->Teardown();
  if (!teardown.ok()) {
    // Said even after another error: it names what was left behind.
    result.verified = false;
    result.error += (result.error.empty() ? "" : "; then at teardown: ") +
                    teardown.ToString();
  }
  if (ranks > 1 && !abandoned) FollowRoot(&result);
  return result;
}

}  // namespace ctrbench
