// Key choice for workers: which logical counter the next operation touches.
//
// Draws must be cheap next to a 5 ns atomic increment, so every distribution
// is precomputed: zipf uses Walker's alias table (one random number, one
// table probe, no pow() per draw).
//
//   Result<Distribution> d = Distribution::Parse("zipf:0.99");
//   KeyChooser chooser(*d, /*keys=*/1024, /*seed=*/42);
//   uint32_t key = chooser.Next();

#ifndef CTRBENCH_COUNTERS_WORKLOAD_H_
#define CTRBENCH_COUNTERS_WORKLOAD_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "counters/status.h"

namespace ctrbench {

// SplitMix64: small, fast, and good enough for key choice.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), by Lemire's multiply-shift (no division).
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * uint64_t{n}) >> 32);
  }
  // Uniform in [0, 1).
  double NextDouble() { return (Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

struct Distribution {
  enum class Kind { kUniform, kZipf, kHotspot };
  Kind kind = Kind::kUniform;
  double theta = 0;          // zipf: P(rank r) ~ 1 / r^theta.
  double data_fraction = 0;  // hotspot: share of keys that are hot...
  double op_fraction = 0;    // ...and share of operations that hit them.

  // "uniform", "zipf:THETA" (0 < THETA <= 10) or
  // "hotspot:DATA_FRACTION:OP_FRACTION" (each in (0, 1]).
  static Result<Distribution> Parse(const std::string& text);
  std::string ToString() const;
};

// Zipf's tables: each key's probability and Walker's alias table, which
// turns a draw into one random number and one lookup. 16 bytes per key:
// built once per run and shared, read-only, by every worker.
struct ZipfTable {
  std::vector<uint32_t> threshold;  // Scaled to 2^32.
  std::vector<uint32_t> alias;
  std::vector<double> probs;
};
std::shared_ptr<const ZipfTable> BuildZipfTable(double theta, uint32_t keys);

// Chooses keys in [0, keys). Key 0 is the hottest under zipf; the first
// ceil(data_fraction * keys) keys are the hot set under hotspot. A zipf
// chooser uses `zipf` (built for these keys) or builds its own.
class KeyChooser {
 public:
  KeyChooser(const Distribution& dist, uint32_t keys, uint64_t seed,
             std::shared_ptr<const ZipfTable> zipf = nullptr);

  uint32_t Next() {
    if (keys_ == 1) return 0;
    switch (kind_) {
      case Distribution::Kind::kUniform:
        return rng_.Below(keys_);
      case Distribution::Kind::kZipf: {
        const uint64_t r = rng_.Next();
        const uint32_t slot =
            static_cast<uint32_t>(((r >> 32) * uint64_t{keys_}) >> 32);
        // The low 32 bits decide between the slot and its alias.
        return static_cast<uint32_t>(r) < threshold_[slot] ? slot
                                                           : alias_[slot];
      }
      case Distribution::Kind::kHotspot: {
        const uint64_t r = rng_.Next();
        const uint32_t pick = static_cast<uint32_t>(r);
        const uint32_t pos = static_cast<uint32_t>(r >> 32);
        if (pick < hot_op_threshold_ || hot_keys_ == keys_) {
          return static_cast<uint32_t>((uint64_t{pos} * hot_keys_) >> 32);
        }
        return hot_keys_ + static_cast<uint32_t>(
                               (uint64_t{pos} * (keys_ - hot_keys_)) >> 32);
      }
    }
    return 0;
  }

  // The exact probability of each key, for tests and reports.
  std::vector<double> Probabilities() const;

 private:
  Distribution::Kind kind_;
  uint32_t keys_;
  Rng rng_;
  // zipf: Walker alias table, thresholds scaled to 2^32.
  std::shared_ptr<const ZipfTable> zipf_;
  const uint32_t* threshold_ = nullptr;
  const uint32_t* alias_ = nullptr;
  // hotspot.
  uint32_t hot_keys_ = 0;
  uint32_t hot_op_threshold_ = 0;
  double op_fraction_ = 0;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_WORKLOAD_H_
