// The conformance suite every registered backend must pass, in every worker
// mode it supports: no lost update under the safe strategies, reads see
// writes, batching and sharding keep totals exact, teardown leaves nothing.
// A new backend gets the whole suite by being registered.

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "counters/plan.h"
#include "counters/runner.h"
#include "counters/scenario.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

struct Param {
  std::string backend;
  WorkerMode mode;
  OptionMap options;    // A variant of the backend ("model=threads").
  std::string variant;  // Its name in test listings.
};

// Names the parameter in test listings ("shm processes").
void PrintTo(const Param& p, std::ostream* os) {
  *os << p.backend << p.variant << " " << WorkerModeName(p.mode);
}

bool Declares(const BackendInfo& b, const std::string& option) {
  for (const OptionSpec& o : b.options) {
    if (o.name == option) return true;
  }
  return false;
}

// Options of this suite's runs on `b`: a backend that starts `ctrbench
// server` needs the real ctrbench binary for it (not this test binary),
// and the suite checks logic, not durability: PostgreSQL's own server
// runs with fsync off (a durable one commits about 5 k/s on a 2-core VM
// instead of 44 k/s; tests/postgres_test.cc runs it with its defaults).
OptionMap BaseOptions(const BackendInfo& b) {
  OptionMap base;
  if (Declares(b, "server_path")) base["server_path"] = CTRBENCH_BINARY;
  if (Declares(b, "fsync")) base["fsync"] = "off";
  return base;
}

// The variants each backend is tested in, from the options it declares:
// one with server models runs each.
std::vector<std::pair<std::string, OptionMap>> Variants(const BackendInfo& b) {
  const OptionMap base = BaseOptions(b);
  if (!Declares(b, "model")) return {{"", base}};
  OptionMap loop = base, threads = base;
  loop["model"] = "loop";
  threads["model"] = "threads";
  return {{"_loop", loop}, {"_threadsmodel", threads}};
}

const Registry& Builtins() { return testing_util::BuiltinRegistry(); }

std::vector<Param> AllParams() {
  std::vector<Param> params;
  for (const BackendInfo& b : Builtins().backends()) {
    for (WorkerMode m : {WorkerMode::kThreads, WorkerMode::kProcesses}) {
      if (!b.capabilities.Supports(m)) continue;
      for (const auto& [variant, options] : Variants(b)) {
        params.push_back({b.name, m, options, variant});
      }
    }
  }
  return params;
}

// Segments in /dev/shm named after this process.
std::set<std::string> OurSegments() {
  std::set<std::string> names;
  const std::string prefix = "ctrbench-" + std::to_string(getpid()) + "-";
  if (DIR* dir = opendir("/dev/shm")) {
    while (dirent* e = readdir(dir)) {
      if (std::string(e->d_name).rfind(prefix, 0) == 0) names.insert(e->d_name);
    }
    closedir(dir);
  }
  return names;
}

class ConformanceTest : public ::testing::TestWithParam<Param> {
 protected:
  const BackendInfo& info() const { return *Builtins().Find(GetParam().backend); }

  RunConfig Config(Strategy strategy) const {
    RunConfig c;
    c.scenario = "conformance";
    c.backend = GetParam().backend;
    c.options = GetParam().options;
    c.mode = GetParam().mode;
    c.strategy = strategy;
    c.workers = 2;
    c.keys = 1;
    c.ops = 5000;
    return c;
  }

  RunResult Run(const RunConfig& config) const {
    Result<RunResult> r = ExecuteRun(config, info(), nullptr);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : RunResult{};
  }

  // A backend that cannot run here (a server program not installed) is
  // skipped with its reason, as a sweep over every backend would.
  void SetUp() override {
    if (info().available) {
      const Status st = info().available(GetParam().options);
      if (!st.ok()) GTEST_SKIP() << st.message();
    }
  }

  void TearDown() override {
    EXPECT_TRUE(OurSegments().empty());
    EXPECT_TRUE(tmp_.List().empty());
  }

  // Backends put their temporary files under TMPDIR: point it at a
  // directory of the test's own, so that leftovers show.
  testing_util::TempDir tmp_;
  testing_util::ScopedEnv tmpdir_{"TMPDIR", tmp_.path()};
};

TEST_P(ConformanceTest, SafeStrategiesLoseNoUpdate) {
  for (Strategy s : {Strategy::kAtomic, Strategy::kLock, Strategy::kCas}) {
    if (!info().capabilities.Supports(s)) continue;
    SCOPED_TRACE(StrategyName(s));
    const RunResult r = Run(Config(s));
    EXPECT_TRUE(r.verified) << r.error;
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.counts.errors, 0);
    EXPECT_EQ(r.expected_total, 2 * 5000);
    EXPECT_EQ(r.actual_total, 2 * 5000);
    EXPECT_EQ(r.lost_updates, 0);
    EXPECT_EQ(r.counts.ops, 2 * 5000);
    EXPECT_EQ(r.worker_ops_min, 5000);
    EXPECT_GT(r.duration_s, 0);
    EXPECT_GT(r.latency_samples, 0);
    // Waiting for locks is a part of the workers' time, never more.
    EXPECT_LE(r.counts.lock_wait_ns, r.duration_s * 1e9 * r.config.workers * 1.01)
        << r.counts.lock_wait_ns;
  }
}

TEST_P(ConformanceTest, NaiveAccountsForWhatItLoses) {
  if (!info().capabilities.Supports(Strategy::kNaive)) GTEST_SKIP();
  RunConfig c = Config(Strategy::kNaive);
  c.hold_ns = 2000;  // Widen the window so that losses are likely.
  c.ops = 2000;
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.expected_total, 2 * 2000);
  EXPECT_LE(r.actual_total, r.expected_total);
  EXPECT_EQ(r.lost_updates, r.expected_total - r.actual_total);
}

// Kind inventory: every safe strategy sells exactly the stock and no more
// under contention, and answers the rest sold out.
TEST_P(ConformanceTest, InventorySafeStrategiesSellExactlyTheStock) {
  if (!info().capabilities.inventory) GTEST_SKIP() << "no kind inventory";
  for (Strategy s : {Strategy::kAtomic, Strategy::kLock, Strategy::kCas}) {
    if (!info().capabilities.Supports(s)) continue;
    SCOPED_TRACE(StrategyName(s));
    RunConfig c = Config(s);
    c.kind = Kind::kInventory;
    c.stock = 3000;
    c.ops = 2000;  // 4,000 takes of 3,000 units.
    const RunResult r = Run(c);
    EXPECT_TRUE(r.verified) << r.error;
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(r.counts.increments, 3000);  // Sold.
    EXPECT_EQ(r.counts.sold_out, 1000);
    EXPECT_EQ(r.counts.ops, 4000);
    EXPECT_EQ(r.oversold, 0);
    EXPECT_EQ(r.phantom, 0);
    EXPECT_EQ(r.lost_updates, 0);
    EXPECT_EQ(r.expected_total, 3000);
    EXPECT_EQ(r.actual_total, 3000);
    EXPECT_GT(r.counts.sold_out_at_ns, r.counts.start_ns);
  }
  // Four keys, each of its own stock: each sells out, none lends to another.
  RunConfig c = Config(info().capabilities.strategies.front());
  c.kind = Kind::kInventory;
  c.keys = 4;
  c.stock = 500;
  c.ops = 2000;  // About 1,000 takes of each key's 500 units.
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.counts.increments, 4 * 500);
  EXPECT_EQ(r.counts.sold_out, 2 * 2000 - 4 * 500);
  EXPECT_EQ(r.oversold, 0);
  EXPECT_EQ(r.lost_updates, 0);
}

// Naive reads, checks and writes: under contention two workers sell the
// same unit, and past the stock that is overselling. It must never make
// units vanish unsold.
TEST_P(ConformanceTest, InventoryNaiveOversellsAndInventsNothing) {
  if (!info().capabilities.inventory ||
      !info().capabilities.Supports(Strategy::kNaive)) {
    GTEST_SKIP() << "no naive inventory";
  }
  RunConfig c = Config(Strategy::kNaive);
  c.kind = Kind::kInventory;
  c.stock = 200;
  c.workers = 4;
  c.ops = 200;
  c.hold_ns = 50000;  // Between the read and the write: a wide window.
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.phantom, 0);
  EXPECT_EQ(r.counts.errors, 0);
  EXPECT_EQ(r.counts.increments + r.counts.sold_out, 4 * 200);
  EXPECT_EQ(r.oversold, std::max<int64_t>(0, r.counts.increments - 200));
  // In memory and on PostgreSQL the read and the write are apart: it
  // oversells. (SQLite's naive write waits for the database's one lock
  // as well, and may or may not.)
  if (c.backend == "inproc" || c.backend == "shm" || c.backend == "postgres") {
    EXPECT_GT(r.oversold, 0) << "sold " << r.counts.increments;
    EXPECT_GT(r.lost_updates, 0);
  }
}

// take = compensate: decrement, give back below zero. It sells exactly
// the stock in the end; readers may see it below zero in between, and
// every read is counted one way or the other.
TEST_P(ConformanceTest, InventoryCompensatingTakesEndExact) {
  if (!info().capabilities.inventory) GTEST_SKIP() << "no kind inventory";
  RunConfig c = Config(Strategy::kAtomic);
  c.kind = Kind::kInventory;
  c.take = TakeMode::kCompensate;
  c.stock = 1000;
  c.workers = 3;
  c.ops = 1000;
  c.read_fraction = 0.3;
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.counts.increments, 1000);
  EXPECT_EQ(r.oversold, 0);
  EXPECT_EQ(r.lost_updates, 0);
  EXPECT_EQ(r.phantom, 0);
  EXPECT_GT(r.counts.sold_out, 0);
  EXPECT_GE(r.counts.negative_reads, 0);
  EXPECT_LE(r.counts.negative_reads, r.counts.ops - 1000 - r.counts.sold_out);
}

// The warm-up takes from a stock of its own: the measured time starts
// with the whole stock, and sells it out.
TEST_P(ConformanceTest, InventoryWarmupTakesFromItsOwnStock) {
  if (!info().capabilities.inventory) GTEST_SKIP() << "no kind inventory";
  RunConfig c = Config(info().capabilities.strategies.front());
  c.kind = Kind::kInventory;
  c.stock = 200;
  c.ops = 0;
  c.warmup_ns = 100000000;
  c.duration_ns = 300000000;
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.counts.increments, 200);  // The measured time's: all of it.
  EXPECT_EQ(r.expected_total, 2 * 200);  // And the warm-up's own 200.
  EXPECT_EQ(r.actual_total, 2 * 200);
  EXPECT_GT(r.counts.sold_out, 0);
  EXPECT_GT(r.counts.sold_out_at_ns, r.counts.start_ns);
  EXPECT_LT(r.counts.sold_out_at_ns, r.counts.end_ns);
}

TEST_P(ConformanceTest, BatchingAndShardingKeepTotalsExact) {
  RunConfig c = Config(info().capabilities.strategies.front());
  c.keys = 16;
  c.distribution = *Distribution::Parse("zipf:0.99");
  c.batch = 7;
  c.shards = 3;
  c.workers = 3;
  c.ops = 10001;  // Not a multiple of the batch: partial batches flush.
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.expected_total, 3 * 10001);
  EXPECT_EQ(r.actual_total, 3 * 10001);
  // Pre-aggregation: far fewer backend operations than increments.
  EXPECT_LT(r.counts.ops, r.counts.increments / 3);
}

TEST_P(ConformanceTest, ReadsAreCountedAsOperations) {
  RunConfig c = Config(info().capabilities.strategies.front());
  c.read_fraction = 0.5;
  c.keys = 8;
  c.shards = 2;
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_GT(r.counts.increments, 0);
  EXPECT_LT(r.counts.increments, 2 * 5000);
  // A read of a sharded counter reads every shard.
  EXPECT_EQ(r.counts.ops, r.counts.increments + 2 * (2 * 5000 - r.counts.increments));
}

TEST_P(ConformanceTest, TimedRunWithWarmupVerifies) {
  RunConfig c = Config(info().capabilities.strategies.front());
  c.ops = 0;
  c.duration_ns = 200 * 1000000;
  // Long enough that a worker gets some warm-up increments even on a
  // loaded machine (with 50 ms one once got none).
  c.warmup_ns = 150 * 1000000;
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_GT(r.counts.increments, 0);
  // Warm-up increments are in the totals, not in the metrics.
  EXPECT_GT(r.expected_total, r.counts.increments);
  EXPECT_EQ(r.actual_total, r.expected_total);
  EXPECT_GT(r.duration_s, 0.15);
  EXPECT_GT(r.counts.cpu_user_ns + r.counts.cpu_sys_ns, 0);
  EXPECT_GT(r.fairness, 0);
  EXPECT_LE(r.fairness, 1.0);
}

// Open loop on every backend: the schedule is kept and every increment
// verified. A pipelining session sends each request at its intended start
// with others in flight: its response time is near its service time, not
// the wait for a batch to fill (with 8 in flight at 1,000/s per worker,
// that wait alone would be 3.5 ms at the median).
TEST_P(ConformanceTest, OpenLoopKeepsItsScheduleAndPipelinesOnTime) {
  RunConfig c = Config(Strategy::kAtomic);
  c.ops = 0;
  c.duration_ns = 400 * 1000000;
  c.warmup_ns = 100 * 1000000;
  c.rate = 2000;
  const bool pipelines = Declares(info(), "pipeline");
  if (pipelines) c.options["pipeline"] = "8";
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_GT(r.rate_achieved, 0.9 * c.rate);
  EXPECT_EQ(r.response.count(), r.counts.ops) << "every operation's response";
  if (pipelines) {
    EXPECT_LT(r.resp_p50_us, 1000) << "sent on time, not in batches";
  }
}

// Several connections per worker, driven by one event loop: every
// strategy keeps its meaning per connection, batches, shards and reads
// included, and the open loop keeps its schedule over the connections.
TEST_P(ConformanceTest, ConnectionsPerWorkerKeepEveryMeaning) {
  if (!info().capabilities.connections) {
    RunConfig c = Config(Strategy::kAtomic);
    c.connections = 4;
    const Result<RunResult> r = ExecuteRun(c, info(), nullptr);
    ASSERT_FALSE(r.ok()) << "refused, not run with one connection";
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("one connection per worker"),
              std::string::npos)
        << r.status().message();
    return;
  }
  for (Strategy s : info().capabilities.strategies) {
    SCOPED_TRACE(StrategyName(s));
    RunConfig c = Config(s);
    c.connections = 4;
    c.ops = 1500;
    if (s == Strategy::kNaive) c.hold_ns = 20000;
    const RunResult r = Run(c);
    EXPECT_TRUE(r.verified) << r.error;
    EXPECT_EQ(r.counts.errors, 0);
    EXPECT_EQ(r.expected_total, 2 * 1500);
    EXPECT_EQ(r.counts.ops, 2 * 1500);
    EXPECT_EQ(r.latency_samples, r.counts.ops) << "every operation is timed";
    if (s == Strategy::kNaive) {
      // Connections of one worker overlap: a hold does not stall the others.
      EXPECT_GT(r.lost_updates, 0);
    } else {
      EXPECT_EQ(r.actual_total, 2 * 1500);
    }
  }
  RunConfig c = Config(info().capabilities.strategies.front());
  c.connections = 4;
  c.keys = 16;
  c.distribution = *Distribution::Parse("zipf:0.99");
  c.batch = 7;
  c.shards = 3;
  c.read_fraction = 0.2;
  c.ops = 3001;
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.actual_total, r.expected_total);
  EXPECT_GT(r.counts.increments, 0);
}

TEST_P(ConformanceTest, ConnectionsInAnOpenLoopKeepTheirSchedule) {
  if (!info().capabilities.connections) GTEST_SKIP() << "one per worker";
  RunConfig o = Config(Strategy::kAtomic);
  o.connections = 4;
  o.ops = 0;
  o.duration_ns = 400 * 1000000;
  o.warmup_ns = 100 * 1000000;
  o.rate = 2000;
  const RunResult open = Run(o);
  EXPECT_TRUE(open.verified) << open.error;
  EXPECT_GT(open.rate_achieved, 0.9 * o.rate);
  EXPECT_EQ(open.response.count(), open.counts.ops) << "every operation's response";
}

// A lock is held by a connection: the other connections of the same worker
// wait for it (one event loop, no deadlock), and the holds add up.
TEST_P(ConformanceTest, ALockHeldByAConnectionBlocksTheWorkersOthers) {
  if (!info().capabilities.connections) GTEST_SKIP() << "one per worker";
  RunConfig c = Config(Strategy::kLock);
  c.workers = 1;
  c.connections = 4;
  c.hold_ns = 300000;
  c.ops = 100;
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.lost_updates, 0);
  EXPECT_EQ(r.actual_total, 100);
  // One holder at a time: at least 100 holds of 300 us, one after another.
  EXPECT_GE(r.duration_s, 100 * 300e-6);
  EXPECT_GT(r.counts.lock_wait_ns, 0);
}

TEST_P(ConformanceTest, ReadsSeeWrites) {
  Result<std::unique_ptr<Backend>> backend = info().factory(GetParam().options);
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 4;
  spec.strategy = info().capabilities.strategies.front();
  spec.mode = GetParam().mode;
  spec.workers = 2;
  spec.run_id = NewRunId();
  ASSERT_TRUE((*backend)->Setup(spec).ok());
  (*backend)->MeasurementStarted();
  WorkerTally tally;
  OwnedAcks acks(&tally, 4);
  Histogram latency;
  tally.latency = &latency;
  Result<std::unique_ptr<Session>> a = (*backend)->Connect(0, &tally);
  Result<std::unique_ptr<Session>> b = (*backend)->Connect(1, &tally);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->Add(2, 5).ok());
  ASSERT_TRUE((*a)->Flush().ok());
  Result<int64_t> seen = (*b)->Read(2);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(*seen, 5);
  // The store's statistics are the ones its BackendInfo declares, of the
  // declared types (the runner drops any other).
  (*backend)->MeasurementEnded();
  for (const auto& [name, cell] : (*backend)->Stats()) {
    const StatSpec* spec = nullptr;
    for (const StatSpec& s : info().stats) {
      if (s.name == name) spec = &s;
    }
    ASSERT_NE(spec, nullptr) << name << " is not declared";
    EXPECT_EQ(cell.type(), spec->type) << name;
  }
  EXPECT_EQ(*(*b)->Read(1), 0);
  EXPECT_EQ(tally.Acked(2), 5);
  Result<std::vector<int64_t>> totals = (*backend)->ReadTotals();
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(*totals, (std::vector<int64_t>{0, 0, 5, 0}));
  a->reset();
  b->reset();
  EXPECT_TRUE((*backend)->Teardown().ok());
  EXPECT_TRUE((*backend)->Teardown().ok());  // Idempotent.
}

// The factory checks options against the declarations: an unknown name
// and a value out of its declared range are refused, saying what is
// allowed.
TEST_P(ConformanceTest, RefusesOptionsItDoesNotDeclare) {
  Result<std::unique_ptr<Backend>> made =
      info().factory({{"no_such_option", "1"}});
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.status().message().find("unknown option '" + info().name +
                                         ".no_such_option'"),
            std::string::npos)
      << made.status().ToString();
  for (const OptionSpec& spec : info().options) {
    if (spec.allowed.rfind("an integer from", 0) != 0) continue;
    made = info().factory({{spec.name, "-5"}});
    ASSERT_FALSE(made.ok()) << spec.name;
    EXPECT_NE(made.status().message().find("allowed: " + spec.allowed),
              std::string::npos)
        << made.status().ToString();
  }
}

// Every row records every option of its backend as it ran: each declared
// option once, and what was asked for as asked.
TEST_P(ConformanceTest, RecordsEveryEffectiveOption) {
  RunConfig c = Config(info().capabilities.strategies.front());
  c.ops = 100;
  const RunResult r = Run(c);
  EXPECT_TRUE(r.verified) << r.error;
  std::set<std::string> declared, recorded;
  for (const OptionSpec& o : info().options) declared.insert(o.name);
  for (const auto& [key, value] : r.effective_options) recorded.insert(key);
  EXPECT_EQ(recorded, declared);
  for (const auto& [key, value] : GetParam().options) {
    EXPECT_EQ(r.effective_options.at(key), value) << key;
  }
}

// 1,000 clients against each server (descriptor limits raised, the
// embedded servers sized for them) run and verify.
TEST(ThousandClients, RunOnEveryServerBackend) {
  for (const char* name : {"redis", "manager", "postgres"}) {
    SCOPED_TRACE(name);
    if (Builtins().Find(name) == nullptr) continue;  // Not in this build.
    const BackendInfo& info = *Builtins().Find(name);
    const OptionMap options = BaseOptions(info);
    if (info.available && !info.available(options).ok()) continue;
    RunConfig c;
    c.scenario = "thousand";
    c.backend = name;
    c.options = options;
    c.keys = 100;
    // As 1,000 workers, and as 4 workers with 250 connections each: 5
    // operations per client (`ops` counts per worker).
    for (const auto& [workers, connections] : {std::pair{1000, 1}, {4, 250}}) {
      c.workers = workers;
      c.connections = connections;
      c.ops = 5 * connections;
      Result<RunResult> r = ExecuteRun(c, info, nullptr);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_TRUE(r->verified) << r->error;
      EXPECT_EQ(r->actual_total, 1000 * 5);
      EXPECT_EQ(r->counts.ops, 1000 * 5);
    }
  }
}

std::string ParamName(const ::testing::TestParamInfo<Param>& p) {
  return p.param.backend + p.param.variant + "_" +
         WorkerModeName(p.param.mode);
}

// A combination of options and strategy that a store cannot run is refused
// when the sweep is planned, by the store's own check (Backend::CheckRun)
// on the values its factory parsed: pipelining with a strategy that waits
// for each reply, on every store that pipelines.
TEST(StoreChecks, PipelineWithLockIsRefusedWhenPlanned) {
  const Registry& registry = testing_util::BuiltinRegistry();
  int checked = 0;
  for (const std::string backend : {"redis", "manager", "postgres"}) {
    if (registry.Find(backend) == nullptr) continue;  // Not in this build.
    SCOPED_TRACE(backend);
    Scenario s = DefaultScenario();
    s.source = "test";
    s.backends = {backend};
    ASSERT_TRUE(ApplyOverride(&s, "strategies", "lock", "--strategy").ok());
    s.backend_options[backend] = {{"pipeline", {"4"}}};
    Result<SweepPlan> plan = PlanSweep(s, registry);
    ASSERT_FALSE(plan.ok());
    EXPECT_TRUE(plan.status().IsInvalidArgument());
    EXPECT_NE(plan.status().message().find(
                  backend + ".pipeline = 4 is allowed with atomic only"),
              std::string::npos)
        << plan.status().message();
    // With atomic the same options plan a run.
    ASSERT_TRUE(ApplyOverride(&s, "strategies", "atomic", "--strategy").ok());
    EXPECT_TRUE(PlanSweep(s, registry).ok()) << backend;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

INSTANTIATE_TEST_SUITE_P(Builtin, ConformanceTest,
                         ::testing::ValuesIn(AllParams()), ParamName);

}  // namespace
}  // namespace ctrbench
