// shard_by: which cell of a key a worker adds to (counters/cells.h), run
// through the real runner on the in-memory backends, threads and forked
// processes; and the reads' and refused takes' own latency columns.

#include "counters/cells.h"

#include <gtest/gtest.h>

#include <string>

#include "counters/runner.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

Result<RunResult> RunIt(const RunConfig& c) {
  return ExecuteRun(c, *testing_util::BuiltinRegistry().Find(c.backend),
                    nullptr);
}

RunConfig Sharded(const std::string& backend, WorkerMode mode, ShardBy by,
                  Strategy strategy) {
  RunConfig c;
  c.backend = backend;
  c.mode = mode;
  c.workers = 3;
  c.keys = 2;
  c.shards = 4;
  c.shard_by = by;
  c.strategy = strategy;
  c.ops = 20000;
  return c;
}

// Every way of picking a cell, every safe strategy, threads and processes:
// each increment lands in some cell of its key, and the sum of the cells
// (what verification reads) is every acknowledged increment.
TEST(Cells, EveryShardByVerifiesOnThreadsAndProcesses) {
  for (const auto& [backend, mode] :
       {std::pair<const char*, WorkerMode>{"inproc", WorkerMode::kThreads},
        {"shm", WorkerMode::kProcesses}}) {
#if defined(__SANITIZE_THREAD__)
    // TSan does not survive a fork after threads.
    if (mode == WorkerMode::kProcesses) continue;
#endif
    for (ShardBy by : {ShardBy::kWorker, ShardBy::kCpu, ShardBy::kAdaptive}) {
      for (Strategy s : {Strategy::kAtomic, Strategy::kCas, Strategy::kLock}) {
        SCOPED_TRACE(std::string(backend) + " " + ShardByName(by) + " " +
                     StrategyName(s));
        Result<RunResult> r = RunIt(Sharded(backend, mode, by, s));
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_TRUE(r->verified) << r->error;
        EXPECT_EQ(r->lost_updates, 0);
        EXPECT_EQ(r->counts.increments, 3 * 20000);
      }
    }
  }
}

// Adaptive grows the cells only when increments collide: a lock held
// 20 us by one of 2 workers makes the other wait for it, so the cells
// double up to shards; atomic's fetch_add never fails, so one cell stays.
TEST(Cells, AdaptiveAddsCellsWhenIncrementsCollideAndOnlyThen) {
  RunConfig c = Sharded("inproc", WorkerMode::kThreads, ShardBy::kAdaptive,
                        Strategy::kLock);
  c.workers = 2;
  c.keys = 1;
  c.shards = 8;
  c.hold_ns = 20000;
  c.ops = 2000;
  Result<RunResult> r = RunIt(c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_GT(r->counts.lock_wait_ns, 0);
  EXPECT_GT(r->counts.cells, 1);
  EXPECT_LE(r->counts.cells, 8);

  c.strategy = Strategy::kAtomic;
  c.hold_ns = 0;
  c.ops = 20000;
  r = RunIt(c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->counts.retries, 0);
  EXPECT_EQ(r->counts.cells, 1);
}

// The picker itself: one shard picks 0 whatever the way; cpu picks within
// the shards; adaptive doubles at each new collision, up to shards.
TEST(Cells, ThePickerStaysWithinTheShards) {
  std::atomic<uint32_t> cells{1};
  CellPicker one(ShardBy::kCpu, 1, 0, 7, &cells);
  EXPECT_FALSE(one.moves());
  EXPECT_EQ(one.Pick(0), 0u);
  CellPicker cpu(ShardBy::kCpu, 4, 2, 7, &cells);
  EXPECT_TRUE(cpu.moves());
  EXPECT_LT(cpu.Pick(0), 4u);
  CellPicker adaptive(ShardBy::kAdaptive, 6, 0, 7, &cells);
  EXPECT_EQ(adaptive.Pick(0), 0u);  // No collision yet: one cell.
  EXPECT_EQ(adaptive.cells(), 1u);
  EXPECT_LT(adaptive.Pick(1), 2u);
  EXPECT_EQ(adaptive.cells(), 2u);
  EXPECT_EQ(adaptive.Pick(1), adaptive.Pick(1));  // No new collision.
  adaptive.Pick(2);
  EXPECT_EQ(adaptive.cells(), 4u);
  adaptive.Pick(3);
  EXPECT_EQ(adaptive.cells(), 6u);  // Capped at shards.
  for (int64_t i = 4; i < 100; ++i) EXPECT_LT(adaptive.Pick(i), 6u);
  EXPECT_EQ(adaptive.cells(), 6u);
}

// Reads and refused takes are timed apart from the rest: every read of a
// key whole, and the timed takes answered sold out.
TEST(Cells, ReadsAndRefusedTakesHaveTheirOwnLatency) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 2;
  c.keys = 1;
  c.shards = 4;
  c.read_fraction = 0.3;
  c.ops = 5000;
  Result<RunResult> r = RunIt(c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  // Every read of the key is timed once, whole: its 4 shards' calls.
  EXPECT_GT(r->reads.count(), 0);
  EXPECT_EQ(r->reads.count() * 4, r->counts.ops - r->counts.increments);
  EXPECT_EQ(r->refused.count(), 0);

  RunConfig t;
  t.backend = "inproc";
  t.workers = 2;
  t.kind = Kind::kInventory;
  // 60,000 takes of 20,000 units: a third sold, then refusals (1 call in
  // sample_every is timed, so both kinds need thousands).
  t.stock = 20000;
  t.ops = 30000;
  r = RunIt(t);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->counts.increments, 20000);
  EXPECT_GT(r->refused.count(), 0);
  EXPECT_LT(r->refused.count(), r->latency.count());
  EXPECT_EQ(r->reads.count(), 0);
}

}  // namespace
}  // namespace ctrbench
