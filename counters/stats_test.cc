#include "counters/stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace ctrbench {
namespace {

TEST(MedianInterval, IsMinMaxBelowSixValuesAndSaysItsCoverage) {
  Interval i = MedianInterval({10.4, 9.8, 10.1});
  ASSERT_TRUE(i.present);
  EXPECT_EQ(i.lo, 9.8);
  EXPECT_EQ(i.hi, 10.4);
  EXPECT_DOUBLE_EQ(i.coverage, 0.75);
  EXPECT_DOUBLE_EQ(MedianInterval({1, 2, 3, 4, 5}).coverage, 0.9375);
  EXPECT_FALSE(MedianInterval({1}).present);
}

TEST(MedianInterval, NarrowsToTheOrderStatisticsThatKeep95Percent) {
  // n = 10: [x(2), x(9)] covers 1 - 2 * 11 / 1024 = 97.9 %; [x(3), x(8)]
  // only 89 %.
  Interval i = MedianInterval({10, 1, 9, 2, 8, 3, 7, 4, 6, 5});
  EXPECT_EQ(i.lo, 2);
  EXPECT_EQ(i.hi, 9);
  EXPECT_NEAR(i.coverage, 1 - 2 * 11.0 / 1024, 1e-12);
}

// Every split of the pooled values, counted directly: the definition the
// test's dynamic programme must agree with, ties included.
double BruteForceP(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> pooled = a;
  pooled.insert(pooled.end(), b.begin(), b.end());
  const int total = pooled.size(), n = a.size();
  auto rank_sum = [&](const std::vector<bool>& in_a) {
    double sum = 0;
    for (int i = 0; i < total; ++i) {
      if (!in_a[i]) continue;
      double below = 0, equal = 0;
      for (double v : pooled) {
        below += v < pooled[i];
        equal += v == pooled[i];
      }
      sum += below + (equal + 1) / 2;
    }
    return sum;
  };
  std::vector<bool> observed(total, false);
  for (int i = 0; i < n; ++i) observed[i] = true;
  const double mean = n * (total + 1) / 2.0;
  const double obs = std::fabs(rank_sum(observed) - mean);
  std::vector<bool> pick(total, false);
  std::fill(pick.begin() + (total - n), pick.end(), true);
  double extreme = 0, all = 0;
  do {
    ++all;
    extreme += std::fabs(rank_sum(pick) - mean) >= obs - 1e-9;
  } while (std::next_permutation(pick.begin(), pick.end()));
  return extreme / all;
}

TEST(MannWhitney, ExactPValues) {
  // Hollander and Wolfe's example (R's ?wilcox.test): one-sided 0.1272.
  UTest u = MannWhitney({0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46},
                        {1.15, 0.88, 0.90, 0.74, 1.21});
  EXPECT_NEAR(u.p, 2 * 0.1272, 0.001);
  // Fully separated samples of 4: the most extreme of 70 splits, twice.
  u = MannWhitney({1, 2, 3, 4}, {5, 6, 7, 8});
  EXPECT_NEAR(u.p, 2.0 / 70, 1e-12);
  EXPECT_TRUE(u.can_reject);
  EXPECT_TRUE(u.significant);
  // Ties as midranks, against counting every split.
  const std::vector<double> a = {1, 2, 2, 3, 5}, b = {2, 4, 6, 6, 7};
  EXPECT_NEAR(MannWhitney(a, b).p, BruteForceP(a, b), 1e-12);
  EXPECT_DOUBLE_EQ(MannWhitney({3, 3, 3}, {3, 3, 3}).p, 1);
}

TEST(MannWhitney, ThreeAgainstThreeCanNeverBeSignificant) {
  UTest u = MannWhitney({1, 2, 3}, {10, 11, 12});
  EXPECT_NEAR(u.min_p, 0.1, 1e-12);
  EXPECT_FALSE(u.can_reject);
  EXPECT_FALSE(u.significant);
  EXPECT_NEAR(u.p, 0.1, 1e-12);
}

TEST(MannWhitney, NormalApproximationForLargeSamples) {
  std::vector<double> a, b, c;
  for (int i = 0; i < 40; ++i) {
    a.push_back(i);
    b.push_back(i + 30);  // Mostly above a.
    c.push_back(i + 0.5);  // Interleaved with a.
  }
  EXPECT_LT(MannWhitney(a, b).p, 1e-6);
  EXPECT_GT(MannWhitney(a, c).p, 0.8);
  // 31 against 30 values shifted by 3.5: the exact test of 30 against 30
  // says 0.146; the approximation for one more value must be close.
  std::vector<double> a31(a.begin(), a.begin() + 31), shifted;
  for (int i = 0; i < 30; ++i) shifted.push_back(i + 3.5);
  EXPECT_NEAR(MannWhitney(a31, shifted).p, 0.2, 0.08);
}

TEST(FitUsl, RecoversSigmaAndKappaFromNoisyPoints) {
  UslFit truth;
  truth.lambda = 1e6;
  truth.sigma = 0.05;
  truth.kappa = 0.002;
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> noise(-0.02, 0.02);
  std::vector<UslPoint> points;
  for (double n : {1, 2, 4, 8, 12, 16, 24, 32, 48, 64}) {
    for (int rep = 0; rep < 3; ++rep) {
      points.push_back({n, truth.At(n) * (1 + noise(rng))});
    }
  }
  UslFit fit = FitUsl(points);
  ASSERT_TRUE(fit.ok);
  EXPECT_NEAR(fit.lambda, 1e6, 3e4);
  EXPECT_NEAR(fit.sigma, 0.05, 0.01);
  EXPECT_NEAR(fit.kappa, 0.002, 0.0004);
  EXPECT_GT(fit.r_squared, 0.98);
  EXPECT_NEAR(fit.peak_n, std::sqrt(0.95 / 0.002), 3);
  EXPECT_NEAR(fit.peak_x, truth.At(fit.peak_n), 0.05 * fit.peak_x);
}

TEST(FitUsl, AmdahlHasNoPeakAndLinearHasNoContention) {
  UslFit amdahl;
  amdahl.lambda = 500;
  amdahl.sigma = 0.2;
  std::vector<UslPoint> points;
  for (double n : {1, 2, 3, 4, 6, 8}) points.push_back({n, amdahl.At(n)});
  UslFit fit = FitUsl(points);
  ASSERT_TRUE(fit.ok);
  EXPECT_NEAR(fit.sigma, 0.2, 1e-3);
  EXPECT_LT(fit.kappa, 1e-6);
  EXPECT_GT(fit.r_squared, 0.9999);
  if (fit.kappa == 0) {
    EXPECT_TRUE(std::isinf(fit.peak_n));
  }

  points.clear();
  for (double n : {1, 2, 4, 8}) points.push_back({n, 100 * n});
  fit = FitUsl(points);
  ASSERT_TRUE(fit.ok);
  EXPECT_NEAR(fit.lambda, 100, 1e-3);
  EXPECT_LT(fit.sigma, 1e-6);
  EXPECT_LT(fit.kappa, 1e-8);
}

TEST(FitUsl, NeedsThreeWorkerCountsAndPositiveThroughput) {
  EXPECT_FALSE(FitUsl({{1, 10}, {2, 19}, {2, 18}}).ok);
  EXPECT_FALSE(FitUsl({{1, 10}, {2, 0}, {4, 18}}).ok);
  EXPECT_FALSE(FitUsl({}).ok);
}

}  // namespace
}  // namespace ctrbench
