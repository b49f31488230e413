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
