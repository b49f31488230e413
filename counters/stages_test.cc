// Load phases (counters/stages.h): their text, their schedules, the drain
// watch, and runs through the real runner whose load changes as they say.

#include "counters/stages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "counters/plan.h"
#include "counters/runner.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

TEST(Stages, TextReadsBackAndSaysWhatIsWrong) {
  Result<std::vector<Stage>> s =
      ParseStages("2000/s 5s; 20% 500ms read_fraction=0.5 ;");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ((*s)[0].rate, 2000);
  EXPECT_EQ((*s)[0].duration_ns, 5000000000);
  EXPECT_DOUBLE_EQ((*s)[1].rate_share, 0.2);
  EXPECT_DOUBLE_EQ((*s)[1].read_fraction, 0.5);
  EXPECT_EQ(FormatStages(*s), "2000/s 5s; 20% 500ms read_fraction=0.5");
  Result<std::vector<Stage>> again = ParseStages(FormatStages(*s));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(FormatStages(*again), FormatStages(*s));
  s = ParseStages("1s workers=2; 2s workers=8 think=10us");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_FALSE((*s)[0].open());
  EXPECT_EQ((*s)[1].workers, 8);
  EXPECT_EQ((*s)[1].think_ns, 10000);
  EXPECT_EQ(StagesDuration(*s), 3000000000);

  const std::map<std::string, std::string> wrong = {
      {"2000/s", "phase 1 has no duration"},
      {"2000/s 1s 2s", "one duration per phase"},
      {"2000/s 3000/s 1s", "one rate"},
      {"1s speed=3", "'speed=' is not a setting a phase has"},
      {"2000/s 1s workers=4", "not its workers"},
      {"2000/s 1s think=10us", "not its think time"},
      {"1s workers=2000", "workers must be an integer from 1 to 1024"},
      {"2000/s 1s; 1s workers=2", "all have a rate"},
      {"", "no phase"},
      {"fast 1s", "'fast' is not a rate, a duration or a setting"},
  };
  for (const auto& [text, why] : wrong) {
    Result<std::vector<Stage>> r = ParseStages(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.status().message().find(why), std::string::npos)
        << text << ": " << r.status().message();
  }
}

TEST(Stages, MeanRateBusiestAndWhereEachStarts) {
  Result<std::vector<Stage>> s = ParseStages("1000/s 1s; 4000/s 2s; 1000/s 1s");
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(StagesMeanRate(*s), (1000 + 8000 + 1000) / 4.0);
  EXPECT_EQ(BusiestStage(*s), 1u);
  EXPECT_EQ(StageStart(*s, 2), 3000000000);
  EXPECT_EQ(StageAt(*s, 0), 0u);
  EXPECT_EQ(StageAt(*s, 2999999999), 1u);
  EXPECT_EQ(StageAt(*s, 9000000000), 2u);  // Past the end: the last.
}

// A constant schedule through two stages gives each stage its own number
// of starts, and the second begins where the first ends.
TEST(Stages, TheScheduleChangesRateAtEachStage) {
  Result<std::vector<Stage>> s = ParseStages("1000/s 1s; 10000/s 1s");
  ASSERT_TRUE(s.ok());
  StagedSchedule schedule(Arrival::kConstant, *s, 0, /*share=*/0.5,
                          /*start_ns=*/0, /*offset_share=*/0, 1);
  int first = 0, second = 0;
  for (;;) {
    const int64_t t = schedule.Next();
    if (t >= 2000000000) break;
    (t < 1000000000 ? first : second)++;
  }
  EXPECT_EQ(first, 500);    // Half of 1000/s for 1 s.
  EXPECT_EQ(second, 5000);  // Half of 10000/s for 1 s.
}

// The drain watch: a client that keeps up drains at once; one that falls
// behind in the busy stage drains when it has caught up; one that never
// catches up never drains.
TEST(Stages, DrainIsWhenTheBacklogIsBackToItsLevel) {
  Result<std::vector<Stage>> s =
      ParseStages("1000/s 1s; 10000/s 1s; 1000/s 2s");
  ASSERT_TRUE(s.ok());
  const int64_t ms = 1000000;
  DrainWatch keeps_up(*s, 1.0, 0);
  keeps_up.Sent(1000 * ms, 1000 * ms);  // On time as the busy stage starts.
  keeps_up.Sent(2000 * ms + 1, 2000 * ms + 1);  // And after it.
  EXPECT_TRUE(keeps_up.drained());
  EXPECT_EQ(keeps_up.drain_ns(), 1);

  DrainWatch behind(*s, 1.0, 0);
  behind.Sent(1000 * ms, 1000 * ms);
  behind.Sent(1200 * ms, 2000 * ms);  // 8,000 due after it by then.
  behind.Sent(1900 * ms, 2500 * ms);  // 1,500.
  EXPECT_FALSE(behind.drained());
  behind.Sent(2799 * ms, 2800 * ms);  // One: caught up.
  EXPECT_TRUE(behind.drained());
  EXPECT_EQ(behind.drain_ns(), 800 * ms);

  DrainWatch never(*s, 1.0, 0);
  never.Sent(1000 * ms, 1000 * ms);
  never.Sent(1500 * ms, 3900 * ms);
  never.Sent(4000 * ms, 4001 * ms);  // Caught up, but after the run's end.
  EXPECT_FALSE(never.drained());
  EXPECT_TRUE(never.active());
  Result<std::vector<Stage>> closed = ParseStages("1s workers=1; 1s");
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE(DrainWatch(*closed, 1.0, 0).active());
}

// An open-loop run with two phases: each phase achieves its own rate
// (within 3 %), and the series shows the step, each interval with its
// phase.
TEST(Stages, AnOpenLoopRunFollowsItsPhases) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 2;
  c.stages = *ParseStages("2000/s 1s; 8000/s 1s");
  c.series_interval_ns = 250000000;
  ResolveStages(&c);
  EXPECT_EQ(c.duration_ns, 2000000000);
  EXPECT_DOUBLE_EQ(c.rate, 5000);
  std::map<int, double> ops, seconds;
  std::vector<int> stages;
  Result<RunResult> r = ExecuteRun(
      c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr, nullptr,
      nullptr, [&](const std::string&, const SeriesPoint& p) {
        ops[p.stage] += p.ops;
        seconds[p.stage] += p.end_s - p.start_s;
        stages.push_back(p.stage);
      });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_NEAR(ops[0] / seconds[0], 2000, 2000 * 0.03);
  EXPECT_NEAR(ops[1] / seconds[1], 8000, 8000 * 0.03);
  // Intervals in order: phase 0's, then phase 1's.
  ASSERT_GE(stages.size(), 8u);
  EXPECT_EQ(stages.front(), 0);
  EXPECT_EQ(stages.back(), 1);
  EXPECT_TRUE(std::is_sorted(stages.begin(), stages.end()));
  // The busiest phase is the last: nothing after it to drain in.
  EXPECT_EQ(r->counts.undrained, 2);
}

// Closed-loop phases change the workers that run: the parked ones add
// nothing while parked, and fairness leaves them out.
TEST(Stages, AClosedLoopPhaseParksTheWorkersAfterItsCount) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 1;
  c.stages = *ParseStages("300ms workers=1; 300ms workers=3");
  ResolveStages(&c);
  EXPECT_EQ(c.workers, 3);
  std::map<int, int64_t> ops;
  Result<RunResult> r = ExecuteRun(
      c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr, nullptr,
      nullptr,
      [&](const std::string&, const SeriesPoint& p) { ops[p.stage] += p.ops; });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_GT(ops[0], 0);
  EXPECT_GT(ops[1], 0);
  EXPECT_EQ(r->fairness, 1.0);  // One worker ran throughout: itself.
}

}  // namespace
}  // namespace ctrbench
