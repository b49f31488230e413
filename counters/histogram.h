// A log-linear latency histogram of nanosecond values.
//
// Plain data with no pointers, so it can live in a shared mapping that
// forked workers fill and the parent merges. Values below 64 ns are exact;
// above, each power of two is split into 64 linear buckets, so a reported
// percentile is within 1/64 (1.6%) of the true value. Max and mean are
// exact.

#ifndef CTRBENCH_COUNTERS_HISTOGRAM_H_
#define CTRBENCH_COUNTERS_HISTOGRAM_H_

#include <cstdint>

namespace ctrbench {

class Histogram {
 public:
  static constexpr int kSubBits = 6;
  static constexpr int kSub = 1 << kSubBits;  // Linear buckets per octave.
  static constexpr int kMaxExponent = 42;     // 2^42 ns is about 73 minutes.
  static constexpr int kBuckets = (kMaxExponent - kSubBits + 2) * kSub;

  void Clear();
  void Record(int64_t ns) {
    if (ns < 0) ns = 0;
    ++counts_[BucketOf(static_cast<uint64_t>(ns))];
    ++count_;
    sum_ += ns;
    if (ns > max_) max_ = ns;
  }
  void Merge(const Histogram& other);
  // For export and import (JSON results, merged across runs and hosts):
  // the count of bucket b, and adding n values to it. `max` is the largest
  // of those values, if known (else the bucket's top is assumed).
  int64_t CountAt(int b) const { return counts_[b]; }
  void AddToBucket(int b, int64_t n, int64_t max = -1);

  int64_t count() const { return count_; }
  int64_t max() const { return max_; }
  // The sum of the recorded values, exact; unknown (false) once a bucket
  // was added without its values (AddToBucket) or the sum overflowed.
  bool sum_known() const { return sum_known_; }
  int64_t sum() const { return sum_; }
  // The exact mean of the recorded values; < 0 when empty or unknown.
  double Mean() const;
  // The value at quantile q in [0, 1]: the midpoint of the bucket that holds
  // it, capped at max. 0 when empty.
  int64_t Percentile(double q) const;

  static int BucketOf(uint64_t v) {
    if (v < kSub) return static_cast<int>(v);
    const int exponent = 63 - __builtin_clzll(v);
    if (exponent > kMaxExponent) return kBuckets - 1;
    const int sub = static_cast<int>((v >> (exponent - kSubBits)) & (kSub - 1));
    return (exponent - kSubBits + 1) * kSub + sub;
  }
  // The smallest value in bucket b, and the bucket's width.
  static uint64_t BucketLow(int b);
  static uint64_t BucketWidth(int b);

 private:
  int64_t count_ = 0;
  int64_t max_ = 0;
  int64_t sum_ = 0;
  bool sum_known_ = true;
  int64_t counts_[kBuckets] = {};
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_HISTOGRAM_H_
