#include "counters/workload.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace ctrbench {
namespace {

std::vector<double> Frequencies(const Distribution& d, uint32_t keys,
                                int draws) {
  KeyChooser chooser(d, keys, 12345);
  std::vector<double> freq(keys, 0);
  for (int i = 0; i < draws; ++i) {
    const uint32_t k = chooser.Next();
    EXPECT_LT(k, keys);
    freq[k] += 1;
  }
  for (double& f : freq) f /= draws;
  return freq;
}

TEST(Distribution, ParsesAndPrints) {
  EXPECT_EQ(Distribution::Parse("uniform")->ToString(), "uniform");
  EXPECT_EQ(Distribution::Parse("zipf:0.99")->ToString(), "zipf:0.99");
  EXPECT_EQ(Distribution::Parse("hotspot:0.1:0.9")->ToString(),
            "hotspot:0.1:0.9");
  for (const char* bad : {"", "zipf", "zipf:", "zipf:0", "zipf:x", "zipf:11",
                          "hotspot:0.1", "hotspot:0:0.5", "hotspot:0.1:1.5",
                          "uniform:1", "normal"}) {
    EXPECT_FALSE(Distribution::Parse(bad).ok()) << bad;
  }
}

TEST(KeyChooser, UniformIsFlat) {
  const std::vector<double> f = Frequencies(Distribution{}, 16, 1600000);
  for (double x : f) EXPECT_NEAR(x, 1.0 / 16, 0.003);
}

TEST(KeyChooser, ZipfMatchesItsProbabilities) {
  const Distribution d = *Distribution::Parse("zipf:0.99");
  const uint32_t keys = 1024;
  KeyChooser reference(d, keys, 1);
  const std::vector<double> p = reference.Probabilities();
  // Key 0 is the hottest and the law holds: p(k) ~ 1/(k+1)^0.99.
  EXPECT_NEAR(p[0] / p[9], std::pow(10.0, 0.99), 1e-9);
  const int draws = 4000000;
  const std::vector<double> f = Frequencies(d, keys, draws);
  for (uint32_t k : {0u, 1u, 2u, 10u, 100u, 1000u}) {
    // Four standard deviations of a binomial count, plus a little.
    const double sd = std::sqrt(p[k] * (1 - p[k]) / draws);
    EXPECT_NEAR(f[k], p[k], 4 * sd + 1e-5) << "key " << k;
  }
  double top10 = 0, expected_top10 = 0;
  for (int k = 0; k < 10; ++k) {
    top10 += f[k];
    expected_top10 += p[k];
  }
  EXPECT_NEAR(top10, expected_top10, 0.003);
}

TEST(KeyChooser, HotspotSendsTheOpFractionToTheHotKeys) {
  const Distribution d = *Distribution::Parse("hotspot:0.1:0.9");
  const std::vector<double> f = Frequencies(d, 100, 2000000);
  double hot = 0;
  for (int k = 0; k < 10; ++k) hot += f[k];
  EXPECT_NEAR(hot, 0.9, 0.002);
  for (int k = 0; k < 10; ++k) EXPECT_NEAR(f[k], 0.09, 0.002);
  for (int k = 10; k < 100; ++k) EXPECT_NEAR(f[k], 0.1 / 90, 0.0003);
}

TEST(KeyChooser, OneKeyAlwaysZero) {
  KeyChooser chooser(*Distribution::Parse("zipf:2"), 1, 9);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(chooser.Next(), 0u);
}

TEST(KeyChooser, SameSeedSameKeys) {
  const Distribution d = *Distribution::Parse("zipf:0.8");
  KeyChooser a(d, 1000, 77), b(d, 1000, 77);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Next(), b.Next());
}

}  // namespace
}  // namespace ctrbench
