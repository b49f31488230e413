#include "counters/histogram.h"

#include <cmath>
#include <cstring>

namespace ctrbench {

void Histogram::Clear() {
  // Empty: every bucket is zero already (a closed loop's response
  // histograms, an idle interval), and the pages stay untouched.
  if (count_ == 0) {
    max_ = sum_ = 0;
    sum_known_ = true;
    return;
  }
  count_ = max_ = sum_ = 0;
  sum_known_ = true;
  std::memset(counts_, 0, sizeof(counts_));
}

void Histogram::Merge(const Histogram& other) {
  if (other.count_ == 0) return;  // Nothing, not even an unknown sum.
  for (int b = 0; b < kBuckets; ++b) counts_[b] += other.counts_[b];
  count_ += other.count_;
  if (other.max_ > max_) max_ = other.max_;
  sum_known_ = sum_known_ && other.sum_known_ &&
               !__builtin_add_overflow(sum_, other.sum_, &sum_);
}

void Histogram::AddToBucket(int b, int64_t n, int64_t max) {
  if (b < 0 || b >= kBuckets || n <= 0) return;
  counts_[b] += n;
  count_ += n;
  sum_known_ = false;  // Only the bucket is known, not the values.
  if (max < 0) max = static_cast<int64_t>(BucketLow(b) + BucketWidth(b) - 1);
  if (max > max_) max_ = max;
}

uint64_t Histogram::BucketLow(int b) {
  if (b < kSub) return static_cast<uint64_t>(b);
  const int exponent = b / kSub + kSubBits - 1;
  const uint64_t sub = static_cast<uint64_t>(b % kSub);
  return (uint64_t{1} << exponent) + (sub << (exponent - kSubBits));
}

uint64_t Histogram::BucketWidth(int b) {
  if (b < kSub) return 1;
  const int exponent = b / kSub + kSubBits - 1;
  return uint64_t{1} << (exponent - kSubBits);
}

double Histogram::Mean() const {
  if (count_ == 0 || !sum_known_ || sum_ < 0) return -1;
  return static_cast<double>(sum_) / static_cast<double>(count_);
}

int64_t Histogram::Percentile(double q) const {
  if (count_ == 0) return 0;
  if (q < 0) q = 0;
  if (q > 1) q = 1;
  // The rank of the wanted sample, 1-based, as in a sorted array.
  int64_t rank = static_cast<int64_t>(std::ceil(q * count_));
  if (rank < 1) rank = 1;
  int64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += counts_[b];
    if (seen >= rank) {
      const uint64_t mid = BucketLow(b) + (BucketWidth(b) - 1) / 2;
      return static_cast<int64_t>(mid) > max_ ? max_
                                              : static_cast<int64_t>(mid);
    }
  }
  return max_;
}

}  // namespace ctrbench
