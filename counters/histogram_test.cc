#include "counters/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace ctrbench {
namespace {

TEST(Histogram, BucketsAreContiguous) {
  for (int b = 0; b + 1 < Histogram::kBuckets; ++b) {
    ASSERT_EQ(Histogram::BucketLow(b) + Histogram::BucketWidth(b),
              Histogram::BucketLow(b + 1))
        << b;
    ASSERT_EQ(Histogram::BucketOf(Histogram::BucketLow(b)), b);
  }
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (int v = 1; v <= 50; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(0.5), 25);
  EXPECT_EQ(h.Percentile(1.0), 50);
  EXPECT_EQ(h.max(), 50);
  EXPECT_EQ(h.count(), 50);
}

// Percentiles against an exact sort of the same samples: within the
// histogram's 1/64 relative resolution.
TEST(Histogram, PercentilesMatchAnExactSort) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(8.0, 1.5);  // ~3 us median.
  std::vector<int64_t> values;
  Histogram h;
  for (int i = 0; i < 200000; ++i) {
    const int64_t v = static_cast<int64_t>(dist(rng));
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const size_t rank = static_cast<size_t>(std::ceil(q * values.size()));
    const double exact = static_cast<double>(values[rank - 1]);
    const double got = static_cast<double>(h.Percentile(q));
    EXPECT_NEAR(got, exact, exact / 64 + 1) << "q=" << q;
  }
  EXPECT_EQ(h.max(), values.back());
}

TEST(Histogram, MergeAddsCounts) {
  Histogram a, b;
  for (int i = 0; i < 100; ++i) a.Record(1000);
  for (int i = 0; i < 300; ++i) b.Record(100000);
  a.Merge(b);
  EXPECT_EQ(a.count(), 400);
  EXPECT_NEAR(a.Percentile(0.2), 1000, 1000 / 64.0);
  EXPECT_NEAR(a.Percentile(0.5), 100000, 100000 / 64.0);
  EXPECT_EQ(a.max(), 100000);
}

TEST(Histogram, HugeValuesLandInTheLastBucket) {
  Histogram h;
  h.Record(INT64_MAX);
  EXPECT_EQ(h.max(), INT64_MAX);
  EXPECT_GT(h.Percentile(1.0), 0);
}

// The mean is exact (summed values over the count), not from buckets; a
// histogram rebuilt from buckets alone does not know it.
TEST(Histogram, MeanIsExactAndUnknownFromBucketsAlone) {
  Histogram h;
  EXPECT_LT(h.Mean(), 0);
  for (int64_t v : {1, 2, 1000, 123457}) h.Record(v);
  EXPECT_EQ(h.sum(), 1 + 2 + 1000 + 123457);
  EXPECT_DOUBLE_EQ(h.Mean(), (1 + 2 + 1000 + 123457) / 4.0);
  Histogram other;
  other.Record(5);
  h.Merge(other);
  EXPECT_DOUBLE_EQ(h.Mean(), (1 + 2 + 1000 + 123457 + 5) / 5.0);
  Histogram imported;
  imported.AddToBucket(Histogram::BucketOf(1000), 3);
  EXPECT_FALSE(imported.sum_known());
  EXPECT_LT(imported.Mean(), 0);
  h.Merge(imported);
  EXPECT_LT(h.Mean(), 0) << "a merge with an unknown sum is unknown";
  h.Clear();
  h.Record(7);
  EXPECT_DOUBLE_EQ(h.Mean(), 7);
}

}  // namespace
}  // namespace ctrbench
