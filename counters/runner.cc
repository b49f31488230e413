#include "counters/runner.h"

#include <signal.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <vector>

#include "counters/clock.h"
#include "counters/interrupt.h"
#include "counters/mpi.h"
#include "counters/proc.h"
#include "counters/rank_exchange.h"
#include "counters/run_merge.h"
#include "counters/run_state.h"
#include "counters/series.h"
#include "counters/worker.h"
#include "counters/worker_group.h"

namespace ctrbench {

namespace {

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
  if (config.kind == Kind::kInventory) {
    return "connections " + std::to_string(config.connections) +
           " with kind inventory: not yet (the connections' counters do not "
           "follow the warm-up's own stock); allowed: connections = 1";
  }
  return "";
}

uint64_t EstimateRunBytes(const RunConfig& config) {
  const uint64_t counters = config.Counters();
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

// Why a run cannot start at all (a Status, not a failed row); OK if it can.
Status CheckRunAllowed(const RunConfig& config, const BackendInfo& info) {
  if (config.rate_share > 0 && config.rate <= 0) {
    return Status::InvalidArgument(
        "a rate relative to capacity needs the capacity first (the sweep "
        "measures it)");
  }
  for (const Stage& stage : config.stages) {
    if (stage.open() && stage.rate <= 0) {
      return Status::InvalidArgument(
          "a phase's rate relative to capacity needs the capacity first (the "
          "sweep measures it)");
    }
  }
  const std::string refused = RefuseConnections(config, info.capabilities);
  if (!refused.empty()) return Status::InvalidArgument(refused);
  if (config.kind == Kind::kInventory && !info.capabilities.inventory) {
    return Status::InvalidArgument(info.name +
                                   " does not run kind inventory yet");
  }
  const int ranks = mpi::Size();
  if (ranks > 1 && !info.capabilities.mpi) {
    return Status::InvalidArgument(
        info.name + " under mpirun: its counters live in one process or "
        "on one host, where the other ranks cannot reach them; allowed "
        "under mpirun: redis, manager, postgres");
  }
  if (ranks > 1 && config.workers < ranks) {
    return Status::InvalidArgument(
        "workers " + std::to_string(config.workers) + " under " +
        std::to_string(ranks) + " MPI ranks: the workers are split over "
        "the ranks; allowed: at least one worker per rank");
  }
  return Status::OK();
}

// One run from the store's setup to its teardown. Each public method is a
// phase, called in order by ExecuteRun (google/benchmark's BenchmarkRunner
// is cut the same way); the members are what the run holds from one phase
// to the next: the store, the shared state, the workers and the series.
// A phase that fails records why in the result, and the later phases see
// it (under MPI every rank still reaches every collective).
class RunExecution {
 public:
  RunExecution(const RunConfig& config, const BackendInfo& info,
               const IntervalFn& interval)
      : config_(config), info_(info), interval_(interval), run_(config) {
    result_.config = config;  // As asked: `report` groups on it.
  }

  // What this rank's workers run with; the run's id and start.
  void PlanWorkers();
  // Makes the store and the shared state, and sets the store up (rank 0,
  // then the others join). A Status error: the run could not start.
  Status SetUp(Ledger* ledger, ServerPool* servers);
  // Pins the store's server processes; false if the run ends here.
  bool PinServers();
  // Starts the workers and waits until every rank's have connected.
  void StartWorkers();
  // Warm-up, then the measured time, until it is over or the run fails.
  void Measure(const ProgressFn& progress);
  // Stops the workers and reads what the measured time cost the host.
  void StopWorkers();
  // Merges every worker (of every rank) into the result, verifies the
  // store's totals and tears the store down.
  RunResult Finish();

  bool set_up() const { return set_up_; }
  // The result of a run that ended before its workers started.
  RunResult TakeResult() { return std::move(result_); }

 private:
  bool Starting() const {
    return result_.error.empty() && death_.empty() && !Interrupted();
  }
  Status AgreeSetup(Status setup);
  void StartMeasuring(int64_t now);
  bool MeasurementDone(int64_t now) const;
  void ReportProgress(const ProgressFn& progress, int64_t now);
  void IntervalClosed(const SeriesPoint& point);
  void Emit(const SeriesPoint& point);
  void ReceiveIntervals(bool wait);
  void FinishSeries(bool abandoned);
  void RecordMeasurementEnd();
  SharedState* MergeRanks(Histogram* latency, Histogram* response,
                          bool abandoned, std::unique_ptr<SharedState>* all);
  void VerifyAndTearDown(SharedState* merged);

  const RunConfig& config_;
  const BackendInfo& info_;
  const IntervalFn& interval_;
  RunConfig run_;  // What the workers run with.
  RunResult result_;
  const int ranks_ = mpi::Size(), rank_ = mpi::Rank();
  SetupSpec spec_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<SharedState> shared_;
  bool set_up_ = false;
  std::vector<pid_t> server_pids_;
  CpuPlan cpus_;
  std::unique_ptr<WorkerGroup> group_;
  std::unique_ptr<SeriesCollector> series_;
  // Under MPI: the series on its way to rank 0 (every rank), and merged
  // there (rank 0), with the ranks whose series has ended.
  std::unique_ptr<mpi::Mailbox> mailbox_;
  std::unique_ptr<RankSeries> rank_series_;
  int series_ends_ = 0;
  std::string death_;  // Why a worker died, said once.
  int64_t steal_before_ = -1;
  int64_t time_base_ = 0;  // Under MPI: when the ranks set off.
  int64_t measure_at_ = 0;
  bool measuring_ = false;
  bool given_up_ = false;  // Under MPI: the ranks gave the run up.
  int64_t last_report_ = 0, last_ops_ = 0, last_increments_ = 0;
};

void RunExecution::PlanWorkers() {
  // Busy polling only where it takes no CPU a server would need.
  if (config_.connections > 1 && config_.busy_poll_ns < 0) {
    run_.busy_poll_ns = static_cast<size_t>(config_.workers) <
                                AllowedCpus().size()
                            ? 30000
                            : 0;
  }
  if (config_.connections > 1) result_.busy_poll_used_ns = run_.busy_poll_ns;
  // Under MPI every rank runs its share of the workers: rank 0 the first.
  result_.ranks = ranks_;
  if (ranks_ > 1) {
    const int each = config_.workers / ranks_,
              extra = config_.workers % ranks_;
    run_.rank_workers = each + (rank_ < extra ? 1 : 0);
    run_.first_worker = rank_ * each + std::min(rank_, extra);
  }
  result_.run_id = NewRunId();
  mpi::Broadcast(&result_.run_id);  // Rank 0's: one store, one run.
  result_.started_at = UtcNow();
  result_.lat_sample_every = SampleEvery(config_, info_.capabilities);
}

Status RunExecution::SetUp(Ledger* ledger, ServerPool* servers) {
  // Under MPI a failure on one rank must not leave the others waiting in
  // the next collective: it becomes that rank's setup error, which every
  // rank learns.
  Result<std::unique_ptr<Backend>> made = info_.factory(config_.options);
  if (!made.ok() && ranks_ == 1) return made.status();
  if (made.ok()) backend_ = std::move(*made);

  // An inventory's warm-up takes from a stock of its own, the counters
  // after the measured keys' (counters/worker.cc), so that the measured
  // time starts from the whole stock.
  spec_ = SetupSpecOf(config_);
  spec_.run_id = result_.run_id;
  spec_.ledger = ledger;
  spec_.servers = servers;

  Result<SharedState*> shared =
      SharedState::Create(run_.LocalWorkers(), spec_.counters);
  if (!shared.ok() && ranks_ == 1) return shared.status();
  if (shared.ok()) shared_.reset(*shared);

  const int64_t setup_start = NowNs();
  Status setup = made.ok() ? shared.status() : made.status();
  if (rank_ == 0 && setup.ok()) setup = backend_->Setup(spec_);
  if (ranks_ > 1) setup = AgreeSetup(setup);
  result_.setup_s = (NowNs() - setup_start) / 1e9;
  // After Setup: a server backend learns its version from the server.
  if (backend_) {
    result_.backend_version = backend_->Version();
    result_.effective_options = backend_->EffectiveOptions();
  }
  if (!setup.ok()) {
    if (backend_) backend_->Teardown().ok();
    result_.error = setup.ToString();
    return Status::OK();
  }
  set_up_ = true;
  return Status::OK();
}

// Under MPI, rank 0 sets the store up and tells the others what they need
// to reach it ("ok\n" and that, or "error\n" and why); every rank learns
// whether all of them are ready.
Status RunExecution::AgreeSetup(Status setup) {
  std::string word;
  if (rank_ == 0) {
    Result<std::string> shared_setup =
        setup.ok() ? backend_->Share() : Result<std::string>(setup);
    if (setup.ok() && !shared_setup.ok()) {
      setup = shared_setup.status().WithContext(config_.backend +
                                                " under MPI");
    }
    word = setup.ok() ? "ok\n" + *shared_setup : "error\n" + setup.ToString();
  }
  if (!mpi::Broadcast(&word)) word = "error\ninterrupted";
  if (rank_ > 0 && setup.ok()) {
    setup = word.rfind("ok\n", 0) == 0
                ? backend_->Join(spec_, word.substr(3))
                : Status::IOError("rank 0: " + word.substr(6));
  }
  return AgreeOk(setup);
}

bool RunExecution::PinServers() {
  // A pooled server may keep a pinning from an earlier run: it gets the
  // plan's CPU, or every CPU this process may use. A cluster's nodes share
  // the server's CPU.
  const std::vector<int> allowed = AllowedCpus();
  server_pids_ = backend_->ServerPids();
  cpus_ = PlanCpus(config_.pin, run_.LocalWorkers(), allowed,
                   !server_pids_.empty());
  for (pid_t server : server_pids_) {
    Status pinned = PinProcessTree(
        server, cpus_.server >= 0 ? std::vector<int>{cpus_.server} : allowed);
    if (!pinned.ok() && config_.pin == PinMode::kAll) {
      result_.error = pinned.ToString();
      if (ranks_ > 1) return true;  // The other ranks learn it before measuring.
      backend_->Teardown().ok();
      return false;
    }
  }
  return true;
}

void RunExecution::StartWorkers() {
  const int local = run_.LocalWorkers();
  group_ = std::make_unique<WorkerGroup>(run_, info_.capabilities,
                                         backend_.get(), shared_.get(), cpus_);
  if (result_.error.empty()) {
    Status started = group_->Start();
    if (!started.ok()) result_.error = started.ToString();
  }
  // Wait until every worker has connected.
  const Control& control = shared_->control();
  const int64_t ready_deadline = NowNs() + kReadyTimeoutNs;
  while (result_.error.empty() && !Interrupted() &&
         control.ready.load() < static_cast<uint32_t>(local)) {
    death_ = group_->CheckDeaths();
    if (!death_.empty()) break;
    if (NowNs() > ready_deadline) {
      result_.error = "workers did not connect within 30 s";
      break;
    }
    WorkerGroup::SpinSleep();
  }
  for (int w = 0; w < local && result_.error.empty(); ++w) {
    if (shared_->slot(w).failed) result_.error = shared_->slot(w).error;
  }
  // Every rank's workers are connected before any rank measures.
  if (ranks_ > 1) {
    const Status started = AgreeOk(
        !result_.error.empty() ? Status::IOError(result_.error)
        : !death_.empty()      ? Status::IOError(death_)
                               : Status::OK());
    if (!started.ok() && result_.error.empty() && death_.empty()) {
      result_.error = started.message();
    }
  }
  if (config_.pin != PinMode::kOff) {
    for (int w = 0; w < local; ++w) {
      result_.cpu_placement += (w > 0 ? ";w" : "w") + std::to_string(w) +
                               ":" + shared_->slot(w).cpus;
    }
    for (size_t i = 0; i < server_pids_.size(); ++i) {
      result_.cpu_placement +=
          (i == 0 ? ";server:" : "/") + CpuList(server_pids_[i]);
    }
  }
}

// Where the measured time starts: the series, the steal and the store's
// statistics (a server's CPU: not its start, nor the connections' setup
// and teardown) start counting.
void RunExecution::StartMeasuring(int64_t now) {
  measuring_ = true;
  series_->Start(now);
  steal_before_ = HostStealTicks();
  if (rank_ == 0) backend_->MeasurementStarted();  // Rank 0's to watch.
  last_report_ = measure_at_;
}

bool RunExecution::MeasurementDone(int64_t now) const {
  if (!measuring_) return false;
  return (config_.duration_ns > 0 &&
          now >= measure_at_ + config_.duration_ns) ||
         (config_.ops > 0 && shared_->control().done.load() >=
                                 static_cast<uint32_t>(run_.LocalWorkers()));
}

void RunExecution::ReportProgress(const ProgressFn& progress, int64_t now) {
  if (!progress || !measuring_ || now - last_report_ < kProgressEveryNs) {
    return;
  }
  Progress p;
  int64_t increments = 0;
  for (int w = 0; w < run_.LocalWorkers(); ++w) {
    const WorkerSlot& slot = shared_->slot(w);
    p.total_ops += slot.progress_ops.load(std::memory_order_relaxed);
    increments += slot.progress_increments.load(std::memory_order_relaxed);
    p.errors += slot.progress_errors.load(std::memory_order_relaxed);
  }
  const double seconds = (now - last_report_) / 1e9;
  p.elapsed_s = (now - measure_at_) / 1e9;
  p.duration_s = config_.duration_ns / 1e9;
  p.stock = config_.kind == Kind::kInventory;
  p.interval_ops_s = (p.total_ops - last_ops_) / seconds;
  p.interval_increments_s = (increments - last_increments_) / seconds;
  // This rank's last interval (under MPI the run's comes later).
  const SeriesPoint* last = series_->last();
  if (last != nullptr && last->latency.count() > 0) {
    p.last_p50_us = last->latency.Percentile(0.50) / 1000.0;
    p.last_p99_us = last->latency.Percentile(0.99) / 1000.0;
  }
  if (last != nullptr && last->response.count() > 0) {
    p.last_resp_p99_us = last->response.Percentile(0.99) / 1000.0;
  }
  progress(p);
  last_report_ = now;
  last_ops_ = p.total_ops;
  last_increments_ = increments;
}

// An interval of this rank's series closed: it goes out (one rank), or to
// the merge of the ranks' on rank 0, or there as a message.
void RunExecution::IntervalClosed(const SeriesPoint& point) {
  if (ranks_ == 1) return Emit(point);
  if (rank_series_) return rank_series_->Add(point);
  if (mailbox_) mailbox_->Send(PackInterval(point));
}

// An interval of the run's series, whole (every rank's), in order.
void RunExecution::Emit(const SeriesPoint& point) {
  ++result_.series_intervals;
  if (interval_) interval_(result_.run_id, point);
}

// Rank 0 under MPI: the other ranks' intervals that have come; with
// `wait`, until every rank's series has ended (or the ranks gave up).
void RunExecution::ReceiveIntervals(bool wait) {
  if (!rank_series_) return;
  std::string message;
  int from = 0;
  auto part = std::make_unique<SeriesPoint>();  // 40 KiB: not the stack.
  while (series_ends_ < ranks_ - 1 &&
         mailbox_->Receive(&message, &from, wait)) {
    switch (UnpackInterval(message, part.get())) {
      case SeriesMessage::kInterval:
        rank_series_->Add(*part);
        break;
      case SeriesMessage::kEnd:
        ++series_ends_;
        break;
      case SeriesMessage::kUnknown:
        if (result_.error.empty()) {
          result_.error = "mpi: rank " + std::to_string(from) +
                          " sent a series interval this build cannot read "
                          "(every rank must run the same ctrbench)";
        }
        break;
    }
  }
}

// Under MPI, once every rank's collector has drained its last interval:
// each rank says its series has ended, and rank 0 takes in the rest and
// hands out what waits. A run given up on leaves its series unfinished.
void RunExecution::FinishSeries(bool abandoned) {
  if (!mailbox_) return;
  if (!abandoned && rank_ > 0 && mailbox_->Send(PackSeriesEnd())) {
    mailbox_->Drain();
  }
  if (!abandoned && rank_series_) {
    ReceiveIntervals(true);
    rank_series_->Flush();
  }
  mailbox_.reset();
}

void RunExecution::Measure(const ProgressFn& progress) {
  series_ = std::make_unique<SeriesCollector>(
      shared_.get(), config_.series_interval_ns, config_.stages,
      [this](const SeriesPoint& point) { IntervalClosed(point); });
  time_base_ = NowNs();
  if (!Starting()) return;
  mpi::Watch watch;
  if (ranks_ > 1) {
    mailbox_ = std::make_unique<mpi::Mailbox>();
    if (rank_ == 0) {
      rank_series_ = std::make_unique<RankSeries>(
          ranks_, [this](const SeriesPoint& point) { Emit(point); });
    }
  }
  int64_t interrupted_at = 0;
  measure_at_ = time_base_ + config_.warmup_ns;
  if (config_.warmup_ns == 0) {
    shared_->control().measure_start_ns.store(time_base_);
    shared_->SetPhase(kMeasure);
    StartMeasuring(time_base_);
  } else {
    shared_->SetPhase(kWarmup);
  }
  for (;;) {
    const int64_t now = NowNs();
    if (!measuring_ && now >= measure_at_) {
      shared_->control().measure_start_ns.store(now);
      shared_->SetPhase(kMeasure);
      StartMeasuring(now);
    }
    if (measuring_) series_->Poll(now);
    ReceiveIntervals(false);
    const bool done = MeasurementDone(now);
    // Every worker stopped on an error, or one died. Workers that all
    // finished before their operations were done stopped on errors (done
    // ones finish too).
    if (death_.empty()) death_ = group_->CheckDeaths();
    const bool failed = !death_.empty() || (!done && group_->AllFinished());
    // Under MPI the ranks leave together: when one must stop, or when all
    // are done. (A rank that failed says why in what it sends rank 0; an
    // interrupted one makes them all give up the run, and stops waiting
    // for the others after a while: they may be gone.)
    if (Interrupted() && interrupted_at == 0) interrupted_at = now;
    const mpi::Watch::Stop stop = interrupted_at > 0 ? mpi::Watch::kAbandon
                                  : failed ? mpi::Watch::kFailed
                                           : mpi::Watch::kNone;
    if (watch.Over(stop, done)) {
      given_up_ = watch.stopped() == mpi::Watch::kAbandon;
      break;
    }
    if (interrupted_at > 0 && now - interrupted_at > kGiveUpNs) break;
    ReportProgress(progress, now);
    int64_t wake = now + kMeasurePollNs;
    if (!measuring_) wake = std::min(wake, measure_at_);
    if (measuring_ && config_.duration_ns > 0) {
      wake = std::min(wake, measure_at_ + config_.duration_ns);
    }
    wake = std::min(wake, std::max(series_->NextDeadline(), now + kPollNs));
    if (progress && measuring_) {
      wake = std::min(wake, last_report_ + kProgressEveryNs);
    }
    SleepUntil(wake);
  }
  if (measuring_) RecordMeasurementEnd();
}

void RunExecution::RecordMeasurementEnd() {
  // The harness's own memory, with every worker still holding its state
  // (worker processes wait for the stop to exit): this process and the
  // worker processes at one moment, so that shared pages count once. Read
  // before the server's CPU, so that the server's window holds the time it
  // takes, as the workers' measured time does.
  if (death_.empty()) {
    int64_t pss = PssBytes(getpid());
    for (pid_t pid : group_->pids()) {
      const int64_t p = pid > 0 ? PssBytes(pid) : -1;
      pss = pss < 0 || p < 0 ? -1 : pss + p;
    }
    result_.harness_pss_bytes = pss;
  }
  if (rank_ == 0) {
    backend_->MeasurementEnded();
    result_.backend_stats = DeclaredStats(info_, backend_->Stats());
  }
}

void RunExecution::StopWorkers() {
  if (!death_.empty()) {
    // A crashed worker: stop the others at once, SIGTERM then SIGKILL.
    group_->Stop(0);
    result_.worker_died = true;
  } else if (!group_->Stop()) {
    result_.error = "workers did not stop within 5 s and were killed";
  }
  result_.interrupted = Interrupted();
  series_->Finish(NowNs());
  if (steal_before_ >= 0) {
    const int64_t steal_after = HostStealTicks();
    if (steal_after >= steal_before_) {
      result_.cpu_steal_s = static_cast<double>(steal_after - steal_before_) /
                            static_cast<double>(sysconf(_SC_CLK_TCK));
    }
  }
  if (!death_.empty()) result_.error = death_;
}

// Under MPI, rank 0 merges every rank's workers into one SharedState of
// the run's (`all`), and verifies against every rank's acknowledgements.
SharedState* RunExecution::MergeRanks(Histogram* latency, Histogram* response,
                                      bool abandoned,
                                      std::unique_ptr<SharedState>* all) {
  if (ranks_ == 1 || abandoned) return shared_.get();
  std::vector<int64_t> acked = shared_->Acknowledged();
  const bool summed = mpi::SumToRoot(&acked);
  const std::vector<std::string> parts =
      mpi::Gather(PackRank(shared_.get(), run_.first_worker, *latency,
                           *response, time_base_, result_));
  if (!summed || Interrupted()) {
    result_.interrupted = true;  // Given up: a rank went away.
    return shared_.get();
  }
  if (rank_ > 0) return shared_.get();
  Result<SharedState*> made = SharedState::Create(config_.workers,
                                                  spec_.counters);
  Status st = made.status();
  if (st.ok()) {
    all->reset(*made);
    st = UnpackRanks(parts, all->get(), latency, response, &result_);
    (*all)->AddAcknowledged(acked);
  }
  if (!st.ok() && result_.error.empty()) result_.error = st.ToString();
  return *all ? all->get() : shared_.get();
}

void RunExecution::VerifyAndTearDown(SharedState* merged) {
  Result<std::vector<int64_t>> totals = backend_->ReadTotals();
  if (totals.ok()) {
    Verify(merged, *totals, &result_);
  } else {
    result_.verified = false;
    if (result_.error.empty()) result_.error = totals.status().ToString();
  }
  Status teardown = backend_->Teardown();
  if (!teardown.ok()) {
    // Said even after another error: it names what was left behind.
    result_.verified = false;
    result_.error += (result_.error.empty() ? "" : "; then at teardown: ") +
                     teardown.ToString();
  }
}

RunResult RunExecution::Finish() {
  // The run's histograms are its intervals' (every rank's, under MPI).
  auto latency = std::make_unique<Histogram>(series_->latency());
  auto response = std::make_unique<Histogram>(series_->response());
  // Interrupted (Ctrl-C, or mpirun stopping every rank because one died):
  // no more collectives, which a dead rank would never join. Rank 0 goes
  // straight to its teardown; the row is abandoned.
  const bool abandoned =
      ranks_ > 1 && (given_up_ || Interrupted() || mpi::Broken());
  if (abandoned && result_.error.empty() && !Interrupted()) {
    result_.error = "an MPI rank went away";
  }
  result_.interrupted = result_.interrupted || abandoned;
  FinishSeries(abandoned);
  std::unique_ptr<SharedState> all;
  SharedState* merged =
      MergeRanks(latency.get(), response.get(), abandoned, &all);
  Merge(merged, *latency, *response, &result_);
  if (rank_ > 0) {
    // The row is rank 0's to write; it says how the run went.
    if (!abandoned) FollowRoot(&result_);
    return std::move(result_);
  }
  VerifyAndTearDown(merged);
  if (ranks_ > 1 && !abandoned) FollowRoot(&result_);
  return std::move(result_);
}

}  // namespace

Result<RunResult> ExecuteRun(const RunConfig& config, const BackendInfo& info,
                             const ProgressFn& progress, Ledger* ledger,
                             ServerPool* servers,
                             const IntervalFn& interval) {
  const Status allowed = CheckRunAllowed(config, info);
  if (!allowed.ok()) return allowed;
  RunExecution run(config, info, interval);
  run.PlanWorkers();
  const Status made = run.SetUp(ledger, servers);
  if (!made.ok()) return made;
  if (!run.set_up() || !run.PinServers()) return run.TakeResult();
  run.StartWorkers();
  run.Measure(progress);
  run.StopWorkers();
  return run.Finish();
}

}  // namespace ctrbench
