#include "counters/clock.h"

#include <gtest/gtest.h>

namespace ctrbench {
namespace {

TEST(ParseDuration, AcceptsEveryUnit) {
  EXPECT_EQ(*ParseDuration("3s"), 3000000000);
  EXPECT_EQ(*ParseDuration("0.5s"), 500000000);
  EXPECT_EQ(*ParseDuration("500ms"), 500000000);
  EXPECT_EQ(*ParseDuration("200us"), 200000);
  EXPECT_EQ(*ParseDuration("100ns"), 100);
  EXPECT_EQ(*ParseDuration("1m"), 60000000000);
  EXPECT_EQ(*ParseDuration("1h"), 3600000000000);  // The limit messages name.
  EXPECT_EQ(*ParseDuration("0"), 0);
}

TEST(ParseDuration, RejectsBadText) {
  for (const char* bad : {"", "s", "3", "3 s", "-1s", "3d", "1e3x", "0x10s",
                          "nan", "inf"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(FormatDuration, PicksTheLargestExactUnit) {
  EXPECT_EQ(FormatDuration(0), "0");
  EXPECT_EQ(FormatDuration(3000000000), "3s");
  EXPECT_EQ(FormatDuration(1500000000), "1500ms");
  EXPECT_EQ(FormatDuration(100000), "100us");
  EXPECT_EQ(FormatDuration(7), "7ns");
}

TEST(SpinFor, WaitsAtLeastTheTime) {
  const int64_t start = NowNs();
  SpinFor(200000);
  EXPECT_GE(NowNs() - start, 200000);
}

}  // namespace
}  // namespace ctrbench
