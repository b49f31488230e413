#include "counters/runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/test_util.h"

#include <regex>
#include <set>
#include <string>

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
  Result<RunResult> r = ExecuteRun(
      c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->lat_sample_every, 1);
  EXPECT_EQ(r->latency_samples, r->ops);  // Every call timed, once.
  EXPECT_LT(r->lat_p50_us, 10.0);         // Not the 100 us think.
}

}  // namespace
}  // namespace ctrbench
