#include "counters/runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <regex>
#include <set>
#include <string>

#include "tests/test_util.h"

namespace ctrbench {
namespace {

// Run ids name what a run creates in a store that several hosts (and pids
// reused over time) may share, so they carry a random part, not only
// "<pid>-<n>".
TEST(RunId, StartsWithThePidAndEndsWithARandomPart) {
  const std::regex shape("([0-9]+)-([0-9]+)-([0-9a-f]{12})");
  std::set<std::string> random_parts;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRunId();
    std::smatch m;
    ASSERT_TRUE(std::regex_match(id, m, shape)) << id;
    EXPECT_EQ(m[1].str(), std::to_string(getpid()));
    random_parts.insert(m[3].str());
  }
  EXPECT_EQ(random_parts.size(), 1000u);
}

// Think time is the worker's own, outside the backend call: a run that
// thinks 100 us between 0.05 us increments must not report 100 us.
TEST(Runner, LatencyLeavesOutThinkTime) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 1;
  c.ops = 2000;
  c.think_ns = 100000;
  Result<RunResult> r =
      ExecuteRun(c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->lat_sample_every, 1);
  EXPECT_EQ(r->latency_samples, r->counts.ops);  // Every call timed, once.
  EXPECT_LT(r->lat_p50_us, 10.0);         // Not the 100 us think.
}

// Open loop: a backend that keeps up achieves the rate, and its response
// time (from each intended start) stays near its service time. Tails are
// not asserted: a descheduled worker on a loaded machine adds milliseconds.
TEST(Runner, OpenLoopAchievesARateABackendCanKeepUpWith) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 2;
  c.rate = 20000;
  c.duration_ns = 1000000000;
  c.latency_limit_ns = 1000000000;
  Result<RunResult> r =
      ExecuteRun(c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_NEAR(r->rate_achieved, 20000, 400) << "within 2 %";
  EXPECT_NEAR(r->increments_per_s, 20000, 400);
  ASSERT_GT(r->response.count(), 0);
  EXPECT_LT(r->resp_p50_us, r->lat_p50_us + 200) << "within a small slack";
  EXPECT_GE(r->resp_p50_us, r->lat_p50_us * 0.5);
  EXPECT_EQ(r->counts.late_ops, 0);
  EXPECT_LT(r->counts.unsent_ops, 400) << "what is due at the end: under 2 %";
}

// Pacing: the schedule is the rate, not faster; an ops-limited open-loop
// run takes about ops / (rate / workers).
TEST(Runner, OpenLoopPacesItsOperations) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 2;
  c.rate = 4000;
  c.ops = 400;  // Per worker: 400 / 2000 per second = 0.2 s.
  Result<RunResult> r =
      ExecuteRun(c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->counts.increments, 800);
  EXPECT_GT(r->duration_s, 0.19);
  EXPECT_EQ(r->counts.unsent_ops, 0);
}

// --pin: each worker runs on the CPU the plan gives it (round-robin over
// the allowed CPUs), in threads and in processes, and the row says where,
// as sched_getaffinity reads it back.
TEST(Runner, PinPlacesWorkersRoundRobinAndRecordsIt) {
  const std::vector<int> allowed = AllowedCpus();
  for (WorkerMode mode : {WorkerMode::kThreads, WorkerMode::kProcesses}) {
    RunConfig c;
    c.backend = mode == WorkerMode::kThreads ? "inproc" : "shm";
    c.mode = mode;
    c.workers = 3;
    c.ops = 1000;
    c.pin = PinMode::kWorkers;
    Result<RunResult> r = ExecuteRun(
        c, *testing_util::BuiltinRegistry().Find(c.backend), nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->verified) << r->error;
    std::string expected;
    for (int w = 0; w < 3; ++w) {
      expected += (w ? ";w" : "w") + std::to_string(w) + ":" +
                  std::to_string(allowed[w % allowed.size()]);
    }
    EXPECT_EQ(r->cpu_placement, expected);
    c.pin = PinMode::kOff;
    r = ExecuteRun(c, *testing_util::BuiltinRegistry().Find(c.backend),
                   nullptr);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->cpu_placement, "");
  }
}

// Memory does not grow with workers x keys: 64 workers on 1 M zipf keys,
// threads and processes, stay far under what one acknowledged count per
// worker and counter (8 MiB each) and one alias table per worker (16 MiB
// each) took: 1.5 GiB; with batching too, whose per-key arrays took another
// 8 MiB per worker. Measured as the PSS of every process of the run.
TEST(Runner, MemoryStaysSmallWithManyWorkersAndKeys) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer's shadow memory is not the harness's";
#endif
  for (WorkerMode mode : {WorkerMode::kThreads, WorkerMode::kProcesses}) {
    for (int batch : {1, 10}) {
      RunConfig c;
      c.backend = mode == WorkerMode::kThreads ? "inproc" : "shm";
      c.mode = mode;
      c.workers = 64;
      c.keys = 1000000;
      c.distribution = *Distribution::Parse("zipf:0.99");
      c.ops = 5000;
      c.batch = batch;
      Result<RunResult> r = ExecuteRun(
          c, *testing_util::BuiltinRegistry().Find(c.backend), nullptr);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_TRUE(r->verified) << r->error;
      EXPECT_EQ(r->actual_total, 64 * 5000);
      ASSERT_GT(r->harness_pss_bytes, 0);
      EXPECT_LT(r->harness_pss_bytes, int64_t{256} << 20)
          << WorkerModeName(mode) << " batch " << batch << ": "
          << (r->harness_pss_bytes >> 20) << " MiB";
    }
  }
}

TEST(PlanCpus, GivesAServerItsOwnCpuWhenOneIsSpare) {
  CpuPlan p = PlanCpus(PinMode::kAll, 1, {0, 1}, true);
  EXPECT_EQ(p.workers, std::vector<int>({0}));
  EXPECT_EQ(p.server, 1);
  p = PlanCpus(PinMode::kAll, 2, {0, 1}, true);  // None spare: shared.
  EXPECT_EQ(p.workers, std::vector<int>({0, 1}));
  EXPECT_EQ(p.server, 1);
  p = PlanCpus(PinMode::kWorkers, 3, {2, 5}, true);
  EXPECT_EQ(p.workers, std::vector<int>({2, 5, 2}));
  EXPECT_EQ(p.server, -1);
  EXPECT_TRUE(PlanCpus(PinMode::kOff, 2, {0, 1}, true).workers.empty());
}

// Write-behind: increments held by the workers reach the backend every
// flush_every and at the end, the totals stay exact, and the staleness is
// at least the interval (an increment held just after a flush waits for the
// next one).
TEST(Runner, FlushEveryKeepsTotalsExactAndReportsStaleness) {
  for (WorkerMode mode : {WorkerMode::kThreads, WorkerMode::kProcesses}) {
    RunConfig c;
    c.backend = mode == WorkerMode::kThreads ? "inproc" : "shm";
    c.mode = mode;
    c.workers = 2;
    c.keys = 16;
    c.flush_every_ns = 50000000;
    c.duration_ns = 300000000;
    Result<RunResult> r = ExecuteRun(
        c, *testing_util::BuiltinRegistry().Find(c.backend), nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->verified) << r->error;
    EXPECT_EQ(r->actual_total, r->expected_total);
    EXPECT_GT(r->counts.increments, r->counts.ops) << "one Add(n) carries many";
    EXPECT_GE(r->counts.stale_max_ns, 45000000);
    EXPECT_GT(r->counts.held_max, 0);
  }
}

TEST(Schedule, PoissonGapsHaveTheMeanAndAVariationNearOne) {
  Schedule s(Arrival::kPoisson, /*rate_per_s=*/10000, /*start_ns=*/0, 0, 7);
  constexpr int kGaps = 200000;
  int64_t last = s.Next();
  double sum = 0, sum2 = 0;
  for (int i = 0; i < kGaps; ++i) {
    const int64_t t = s.Next();
    const double gap = static_cast<double>(t - last);
    sum += gap;
    sum2 += gap * gap;
    last = t;
  }
  const double mean = sum / kGaps;
  const double cv = std::sqrt(sum2 / kGaps - mean * mean) / mean;
  EXPECT_NEAR(mean, 100000, 1000);  // 100 us, within 1 %.
  EXPECT_NEAR(cv, 1.0, 0.02);
}

TEST(Schedule, ConstantSchedulesAreEvenAndStaggered) {
  Schedule a(Arrival::kConstant, 1000, 5000, 0, 1);
  Schedule b(Arrival::kConstant, 1000, 5000, 500000, 1);
  EXPECT_EQ(a.Next(), 5000);
  EXPECT_EQ(a.Next(), 5000 + 1000000);
  EXPECT_EQ(b.Next(), 5000 + 500000);
  for (int i = 0; i < 999997; ++i) a.Next();
  EXPECT_EQ(a.Next(), 5000 + int64_t{999999} * 1000000) << "no drift";
}

}  // namespace
}  // namespace ctrbench
