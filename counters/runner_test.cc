#include "counters/runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

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

}  // namespace
}  // namespace ctrbench
