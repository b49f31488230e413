#include "counters/suggest.h"

#include <gtest/gtest.h>

namespace ctrbench {
namespace {

TEST(Suggest, FindsNearMissesAndNothingFarAway) {
  const std::vector<std::string> flags = {"--workers", "--keys", "--warmup",
                                          "--version"};
  EXPECT_EQ(Closest("--worker", flags), "--workers");
  EXPECT_EQ(Closest("--verison", flags), "--version");  // A swap.
  EXPECT_EQ(Closest("--KEYS", flags), "--keys");
  EXPECT_EQ(Closest("--banana", flags), "");
  EXPECT_EQ(Closest("", flags), "");
  EXPECT_EQ(DidYouMean("redsi", {"inproc", "redis"}),
            " (did you mean 'redis'?)");
  EXPECT_EQ(DidYouMean("mongo", {"inproc", "redis"}), "");
}

}  // namespace
}  // namespace ctrbench
