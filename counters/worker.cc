#include "counters/worker.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstring>
#include <queue>
#include <utility>
#include <vector>

#include "counters/backoff.h"
#include "counters/cells.h"
#include "counters/clock.h"
#include "counters/held_counts.h"
#include "counters/interrupt.h"
#include "counters/open_loop.h"
#include "counters/schedule.h"

namespace ctrbench {

int SampleEvery(const RunConfig& config, const Capabilities& caps) {
  if (config.hold_ns + config.think_ns >= 1000) return 1;
  if (config.connections > 1) return 1;  // The loop times every operation.
  return std::max(1, caps.latency_sample_every);
}

namespace {

int64_t TimevalNs(const timeval& tv) {
  return static_cast<int64_t>(tv.tv_sec) * 1000000000 + tv.tv_usec * 1000;
}

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
        shard_(WarmupShard(config, index_)),
        shards_(static_cast<uint32_t>(config.shards)),
        cells_(config.shard_by, shards_, ShardOf(config, index_, 0),
               config.seed * 0xbf58476d1ce4e5b9ULL + index_,
               &shared->control().cells),
        chooser_(config.distribution, config.keys,
                 config.seed * 0x9e3779b97f4a7c15ULL + index_,
                 std::move(zipf)),
        read_rng_(config.seed ^ (0xabcdef12345ULL + index_)),
        sample_every_(SampleEvery(config, caps)),
        countdown_(sample_every_),
        publish_every_(sample_every_ > 1 ? kPublishEvery : 1),
        batching_(config.batch > 1),
        write_behind_(config.flush_every_ns > 0),
        think_ns_(config.think_ns),
        read_fraction_(config.read_fraction) {
    if (!config_.stages.empty()) ApplyStage(0);  // The warm-up's too.
  }

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
    // The parent stored measure_start_ns before it turned the phase (a
    // release); the loops saw the turn with relaxed loads: an acquire load
    // of the phase makes the store seen (TSan does not model fences).
    (void)control_.phase.load(std::memory_order_acquire);
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

    shard_ = ShardOf(config_, index_, 0);  // An inventory's measured stock.
    slot_.tally.first_sold_out_ns = 0;
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

    SettleMeasured(&ops);
    slot_.counts.end_ns = NowNs();
    MoveTallyToInterval();  // The last interval's retries and errors.
    rusage usage_after;
    getrusage(RUSAGE_THREAD, &usage_after);
    session_.reset();
    conns_.reset();

    slot_.counts.ops = ops;
    slot_.counts.logical = logical;
    slot_.counts.late_ops += slot_.tally.late;  // Counted by a pipelined session.
    slot_.counts.increments = AckedSum() - acked_before;
    slot_.counts.retries = slot_.tally.retries - before.retries;
    slot_.counts.sold_out = slot_.tally.sold_out - before.sold_out;
    slot_.counts.sold_out_at_ns = slot_.tally.first_sold_out_ns;
    slot_.counts.cells = cells_.cells();
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
    Publish(ops);
    slot_.finished.store(true, std::memory_order_release);
  }

 private:
  int64_t AckedSum() const { return slot_.tally.AckedSum(); }

  // The end of the measured time: what is held back (partial batches, or
  // write-behind's keys) goes out, as measured calls like any other, and
  // whatever the session or the connections have in flight is settled.
  void SettleMeasured(int64_t* ops) {
    if (conns_) return FinishMany(ops);
    if (slot_.failed) {
      // A failed worker still takes in what it has in flight, so that what
      // the backend applied is acknowledged (the run fails either way).
      session_->Flush().ok();
      return;
    }
    if (time_ops_) {
      SendHeld<true, true>(ops);
    } else {
      SendHeld<true, false>(ops);
    }
    Check(session_->Flush());
  }

  // The increment to send for one more increment of `key`: 1, or with
  // batching 0 while the key's batch fills, then the whole batch.
  int64_t TakeBatch(uint32_t key) {
    if (!batching_) return 1;
    int64_t& held = pending_[key].count;
    if (++held < config_.batch) return 0;
    held = 0;
    return config_.batch;
  }

  // One Add(delta) of `key` on this worker's shard: a backend call.
  template <bool kMeasured, bool kTimed>
  bool SendAdd(Session* session, uint32_t key, int64_t delta, int64_t* ops) {
    ++*ops;
    const uint32_t shard =
        cells_.moves() ? cells_.Pick(slot_.tally.CollisionMark()) : shard_;
    const uint32_t counter = key * shards_ + shard;
    return Call<kMeasured, kTimed>(
        delta, [&] { return session->Add(counter, delta); });
  }

  // Sends everything held back: write-behind's keys, or partial batches.
  template <bool kMeasured, bool kTimed>
  bool SendHeld(int64_t* ops) {
    if (write_behind_) return FlushHeld<kMeasured, kTimed>(session_.get(), ops);
    for (const auto& [key, delta] : pending_.TakeAll()) {
      if (!SendAdd<kMeasured, kTimed>(session_.get(), key, delta, ops)) {
        return false;
      }
    }
    return true;
  }

  // The worker's session, or with connections > 1 its connections.
  Status Connect() {
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
        conn_shard_.push_back(ShardOf(config_, index_, c));
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
    slot_.progress_errors.store(slot_.tally.errors, std::memory_order_relaxed);
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
                       !write_behind_ && config_.think_ns == 0 &&
                       config_.stages.empty();
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
    int64_t publish_in = publish_every_;
    while (logical < limit &&
           phase_word.load(std::memory_order_relaxed) == phase) {
      if (parked_) {
        Park<kMeasured>(phase_word, phase);
        continue;
      }
      const bool ok =
          OneOp<kMeasured, kTimed>(session, chooser_.Next(), &ops);
      ++logical;
      if (kMeasured && --publish_in == 0) {
        Publish(ops);
        publish_in = publish_every_;
      }
      if (!ok) break;
    }
    if (kMeasured) Publish(ops);
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
    const uint32_t shards = shards_;
    uint32_t shard = shard_;
    // One key (the hot key): every counter of every block is the same,
    // written once; a key choice per increment was a tenth of its cost.
    const bool one_key = config_.keys == 1;
    if (one_key) std::fill(counters, counters + kBlock, shard);
    // shard_by cpu or adaptive: the shard is picked again for each block.
    const bool moves = cells_.moves();
    // Blocks are for backends whose increment costs nanoseconds (those that
    // sample latency); a server's round trips go one at a time, so that a
    // worker sees a change of phase after one of them, not 64 (with 1,000
    // clients, 64 round trips took seconds).
    const int64_t block = sample_every_ > 1 ? kBlock : 1;
    while (logical < limit &&
           phase_word.load(std::memory_order_relaxed) == phase) {
      if (kMeasured) NextIntervalIfDue();
      if (moves) {
        const uint32_t now = cells_.Pick(slot_.tally.CollisionMark());
        if (one_key && now != shard) {
          std::fill(counters, counters + kBlock, now);
        }
        shard = now;
      }
      if (kTimed && countdown == 1) {
        const int64_t sold_out = slot_.tally.sold_out;
        const int64_t start = NowNs();
        const Status status = session->Add(chooser_.Next() * shards + shard, 1);
        RecordTimed(NowNs() - start, sold_out);
        ++interval_->ops;
        if (status.ok()) ++interval_->increments;
        countdown = sample_every_;
        ++logical;
        if (kMeasured) Publish(logical);
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
      logical += static_cast<int64_t>(done);
      // Every block: the test it replaces (a store every 1,024th
      // operation) cost as much, and left a slow run at 0 for seconds.
      if (kMeasured) Publish(logical);
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
    // Each worker has its share of the rate; constant schedules are
    // staggered over one gap, worker by worker. With load phases the
    // measured time follows them from the parent's start of it (the
    // warm-up runs at the first phase's rate).
    const std::vector<Stage>& stages = config_.stages;
    const bool staged = kMeasured && !stages.empty();
    const double rate = stages.empty() || staged ? config_.rate : stages[0].rate;
    const int64_t start =
        staged ? control_.measure_start_ns.load(std::memory_order_relaxed)
               : NowNs();
    StagedSchedule schedule(
        config_.arrival, staged ? stages : std::vector<Stage>(), rate,
        1.0 / config_.workers, start,
        static_cast<double>(index_) / config_.workers,
        config_.seed * 0x2545f4914f6cdd1dULL + index_);
    DrainWatch drain(staged ? stages : std::vector<Stage>(),
                     1.0 / config_.workers, start);
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
          interval_->response.Record(response);
        }
      }
      if (kMeasured) {
        Publish(*ops);  // An operation waits for its start anyway.
        drain.Sent(intended, sent);
      }
      if (!ok) break;
    }
    slot_.tally.intended_ns = 0;
    if (drain.active()) {
      if (drain.drained()) {
        slot_.counts.drain_ns = drain.drain_ns();
      } else {
        slot_.counts.undrained = 1;
      }
    }
    if (kMeasured && logical < limit) {
      // Due by the end of the measured time, never sent.
      const int64_t end = NowNs();
      slot_.counts.unsent_ops +=
          (due >= 0 && due <= end ? 1 : 0) + DueBy(&schedule, end);
    }
    *logical_out = logical;
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
      schedules = ConnectionSchedules(config_, index_, conns_->size(), begin);
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
      if (kMeasured) Publish(*ops);
      if (!ok) break;
    }
    if (kMeasured && open && logical < limit) {
      const int64_t end = NowNs();
      for (Schedule& s : schedules) slot_.counts.unsent_ops += DueBy(&s, end);
    }
    *logical_out = logical;
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
    const int64_t delta = TakeBatch(key);
    if (delta == 0) return false;
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
        interval_->response.Record(response);
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

  // One logical operation of the general case: think, then a read of every
  // shard, or an increment that batching may hold back. Only the backend
  // calls are timed: not the think time, not a batched increment that only
  // adds to pending_.
  template <bool kMeasured, bool kTimed>
  bool OneOp(Session* session, uint32_t key, int64_t* ops) {
    SpinFor(think_ns_);
    if (read_fraction_ > 0 && read_rng_.NextDouble() < read_fraction_) {
      // Each shard's read is a call of its own; the read of the key, all
      // its shards, is timed whole (every one: reads are the fewer).
      const int64_t start = kTimed ? NowNs() : 0;
      for (uint32_t s = 0; s < shards_; ++s) {
        ++*ops;
        const uint32_t counter = key * shards_ + s;
        if (!Call<kMeasured, kTimed>(0, [&] {
              const Result<int64_t> value = session->Read(counter);
              // A stock below zero, as take = compensate shows readers.
              if (kMeasured && value.ok() && *value < 0) {
                ++slot_.counts.negative_reads;
              }
              return value.status();
            })) {
          return false;
        }
      }
      if (kTimed) slot_.reads.Record(NowNs() - start);
      return true;
    }
    if (write_behind_) return Hold<kMeasured, kTimed>(session, key, ops);
    const int64_t delta = TakeBatch(key);
    if (delta == 0) return true;
    return SendAdd<kMeasured, kTimed>(session, key, delta, ops);
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
      ok = SendAdd<kMeasured, kTimed>(session, key, delta, ops);
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
      const int64_t sold_out = slot_.tally.sold_out;
      const int64_t start = NowNs();
      status = op();
      RecordTimed(NowNs() - start, sold_out);
    } else {
      status = op();
    }
    ++interval_->ops;
    if (status.ok()) interval_->increments += delta;
    return Check(status);
  }

  // A timed call's service time: in the interval, and apart as well when
  // it was a take answered sold out (the tally's sold_out moved from
  // `sold_out` during the call).
  void RecordTimed(int64_t ns, int64_t sold_out) {
    interval_->latency.Record(ns);
    if (slot_.tally.sold_out != sold_out) slot_.refused.Record(ns);
  }

  // Tells the parent (the progress line) what the measured time has done
  // so far: two relaxed stores (plain moves on x86) to a line of this
  // worker's own slot that stays in its cache; the parent's read, once a
  // second, costs one miss. Fast backends publish once per block of 64
  // increments (RunPlain) or per kPublishEvery operations, microseconds
  // apart; a slow backend's operations (sample_every 1) one by one.
  void Publish(int64_t ops) {
    slot_.progress_ops.store(ops, std::memory_order_relaxed);
    slot_.progress_increments.store(
        closed_increments_ + interval_->increments -
            (slot_.tally.sold_out - sold_out_seen_),
        std::memory_order_relaxed);
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
    // The interval left behind is the parent's to drain once the ack below
    // moves past it: its increments are read now, its retries and errors
    // written.
    MoveTallyToInterval();
    if (interval_ != nullptr) closed_increments_ += interval_->increments;
    interval_no_ = control_.interval.load(std::memory_order_acquire);
    interval_ = &slot_.intervals[interval_no_ & 1];
    // A pipelined session records its own latencies and responses through
    // the tally.
    slot_.tally.latency = &interval_->latency;
    slot_.tally.response = &interval_->response;
    if (!config_.stages.empty()) {
      ApplyStage(control_.stage.load(std::memory_order_relaxed));
    }
    slot_.interval_ack.store(interval_no_, std::memory_order_release);
  }

  // A closed-loop load phase's think time, read share and workers (those
  // after its count are parked); an open-loop one's read share.
  void ApplyStage(uint32_t k) {
    const Stage& stage = config_.stages[std::min<size_t>(
        k, config_.stages.size() - 1)];
    think_ns_ = stage.think_ns >= 0 ? stage.think_ns : config_.think_ns;
    read_fraction_ =
        stage.read_fraction >= 0 ? stage.read_fraction : config_.read_fraction;
    parked_ = stage.workers > 0 && index_ >= stage.workers;
  }

  // A parked worker waits for a phase that runs it (or the end of this
  // one), moving through the intervals so that the series goes on.
  template <bool kMeasured>
  void Park(const std::atomic<uint32_t>& phase_word, Phase phase) {
    while (parked_ && phase_word.load(std::memory_order_relaxed) == phase) {
      if (kMeasured) NextIntervalIfDue();
      SleepNs(1000000);
    }
  }

  // The retries and errors the tally counted since the last call go to the
  // interval recorded into now: once per interval, not per call.
  // (None yet: the measured time starts, warm-up's are not the series'.)
  // A take that found the stock sold out was counted as an increment when
  // its call returned; it leaves the interval's increments here.
  void MoveTallyToInterval() {
    if (interval_ != nullptr) {
      interval_->retries += slot_.tally.retries - retries_seen_;
      interval_->errors += slot_.tally.errors - errors_seen_;
      interval_->increments -= slot_.tally.sold_out - sold_out_seen_;
    }
    retries_seen_ = slot_.tally.retries;
    errors_seen_ = slot_.tally.errors;
    sold_out_seen_ = slot_.tally.sold_out;
  }

  const RunConfig& config_;
  Backend* const backend_;
  Control& control_;
  const int bell_;  // Rings when control_ changes.
  WorkerSlot& slot_;
  const int index_;
  uint32_t shard_;  // WarmupShard(), then ShardOf(0) for the measured time.
  const uint32_t shards_;
  CellPicker cells_;  // After shards_, whose value it takes.
  KeyChooser chooser_;
  Rng read_rng_;
  const int sample_every_;
  int countdown_;  // Timed calls until the next sample.
  // Operations of the general loop between two Publish() calls: 1 for a
  // backend whose calls are slow (sample_every 1), kPublishEvery for one
  // that takes nanoseconds (at most microseconds for them all).
  static constexpr int64_t kPublishEvery = 64;
  const int64_t publish_every_;
  // Increments of the measured time's intervals the worker has left.
  int64_t closed_increments_ = 0;
  uint32_t interval_no_ = 0;            // The interval recorded into now,
  IntervalTally* interval_ = nullptr;  // and its buffer.
  // The tally's retries and errors already moved into intervals.
  int64_t retries_seen_ = 0, errors_seen_ = 0, sold_out_seen_ = 0;
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
  // The load phase's settings (RunConfig::stages; the run's without):
  // think time, read share, and whether this worker sits the phase out.
  int64_t think_ns_;
  double read_fraction_;
  bool parked_ = false;
  HeldCounts pending_;
  std::vector<std::pair<uint32_t, int64_t>> held_keys_;
  int64_t held_ = 0;
  int64_t next_flush_ = 0;
};

}  // namespace

void RunWorker(const RunConfig& config, const Capabilities& caps,
               Backend* backend, SharedState* shared, int index,
               std::shared_ptr<const ZipfTable> zipf) {
  Worker(config, caps, backend, shared, index, std::move(zipf)).Run();
}

}  // namespace ctrbench
