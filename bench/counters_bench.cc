// Harness cost, made visible: a raw std::atomic fetch_add loop beside
// Session::Add of every registered backend and strategy.
//
//   build/ctrbench_bench --benchmark_filter=Raw
//   build/ctrbench_bench --benchmark_repetitions=3
//
// Multi-threaded benchmarks use UseRealTime(): without it Google Benchmark
// 1.7 reports rates per CPU second, half the truth with 2 threads.

#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "backends/builtin.h"
#include "counters/runner.h"

namespace ctrbench {
namespace {

// The ceiling: one shared counter, nothing else in the loop.
void BM_RawAtomicFetchAdd(benchmark::State& state) {
  static std::atomic<int64_t> counter{0};
  for (auto _ : state) counter.fetch_add(1, std::memory_order_relaxed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawAtomicFetchAdd)->Threads(1)->Threads(2)->UseRealTime();

// The floor for the sqlite backend: the same prepared UPDATE on one
// connection, in WAL mode with synchronous=normal, and nothing else.
void BM_SqliteRawUpdate(benchmark::State& state) {
  char dir[] = "/tmp/ctrbench-bench-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    state.SkipWithError("mkdtemp failed");
    return;
  }
  const std::string path = std::string(dir) + "/raw.db";
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=wal; PRAGMA synchronous=normal;"
               "CREATE TABLE counters(id INTEGER PRIMARY KEY, value INTEGER "
               "NOT NULL); INSERT INTO counters VALUES (0, 0);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* update = nullptr;
  sqlite3_prepare_v2(db, "UPDATE counters SET value = value + ?1 WHERE id = ?2",
                     -1, &update, nullptr);
  for (auto _ : state) {
    sqlite3_bind_int64(update, 1, 1);
    sqlite3_bind_int64(update, 2, 0);
    if (sqlite3_step(update) != SQLITE_DONE) {
      state.SkipWithError(sqlite3_errmsg(db));
      break;
    }
    sqlite3_reset(update);
  }
  sqlite3_finalize(update);
  sqlite3_close(db);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    unlink((path + suffix).c_str());
  }
  rmdir(dir);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SqliteRawUpdate)->UseRealTime();

// The floor for a server backend: a bare request/response of 16 bytes over
// a Unix socketpair between two processes, the child echoing.
void BM_SocketpairRoundTrip(benchmark::State& state) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
    state.SkipWithError("socketpair failed");
    return;
  }
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    char buffer[16];
    while (read(fds[1], buffer, sizeof(buffer)) == sizeof(buffer)) {
      if (write(fds[1], buffer, sizeof(buffer)) != sizeof(buffer)) break;
    }
    _exit(0);
  }
  close(fds[1]);
  char buffer[16] = {};
  for (auto _ : state) {
    if (write(fds[0], buffer, sizeof(buffer)) != sizeof(buffer) ||
        read(fds[0], buffer, sizeof(buffer)) != sizeof(buffer)) {
      state.SkipWithError("echo failed");
      break;
    }
  }
  close(fds[0]);
  waitpid(child, nullptr, 0);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SocketpairRoundTrip)->UseRealTime();

// One session of `backend` doing Add(0, 1) on one counter, single worker.
void BM_SessionAdd(benchmark::State& state, const BackendInfo* info,
                   Strategy strategy) {
  Result<std::unique_ptr<Backend>> backend = info->factory({});
  if (!backend.ok()) {
    state.SkipWithError(backend.status().ToString().c_str());
    return;
  }
  SetupSpec spec;
  spec.counters = 1;
  spec.strategy = strategy;
  spec.run_id = NewRunId();
  Status setup = (*backend)->Setup(spec);
  if (!setup.ok()) {
    state.SkipWithError(setup.ToString().c_str());
    return;
  }
  Histogram latency;
  WorkerTally tally;
  OwnedAcks acks(&tally, 8);
  tally.latency = &latency;
  Result<std::unique_ptr<Session>> session = (*backend)->Connect(0, &tally);
  if (!session.ok()) {
    state.SkipWithError(session.status().ToString().c_str());
    return;
  }
  Session* s = session->get();
  for (auto _ : state) {
    Status st = s->Add(0, 1);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
  }
  Status flushed = s->Flush();
  if (!flushed.ok()) state.SkipWithError(flushed.ToString().c_str());
  session->reset();
  (*backend)->Teardown().ok();
  state.SetItemsProcessed(state.iterations());
}

void RegisterSessionBenchmarks(const Registry& registry) {
  for (const BackendInfo& info : registry.backends()) {
    for (Strategy s : info.capabilities.strategies) {
      const std::string name =
          "BM_SessionAdd/" + info.name + "/" + StrategyName(s);
      // Real time: a backend that writes files or talks to a server waits
      // off the CPU, and that wait is part of its cost.
      benchmark::RegisterBenchmark(name.c_str(), BM_SessionAdd, &info, s)
          ->UseRealTime();
    }
  }
}

}  // namespace
}  // namespace ctrbench

int main(int argc, char** argv) {
  static ctrbench::Registry registry;
  ctrbench::RegisterBuiltinBackends(&registry);
  ctrbench::RegisterSessionBenchmarks(registry);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
