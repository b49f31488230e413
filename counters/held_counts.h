// What a worker holds back per key (batching, write-behind), in a table
// of the keys it touched. Internal to the worker (counters/worker.cc).

#ifndef CTRBENCH_COUNTERS_HELD_COUNTS_H_
#define CTRBENCH_COUNTERS_HELD_COUNTS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ctrbench {

// What a worker holds back per key (batching, write-behind). Its space
// grows with the keys the worker touched (32 to 64 bytes each), not with
// all keys (as arrays, 256 workers x 1 M keys held 2 GiB of zeros). Open
// addressing with linear probing; an entry, once made, stays.
class HeldCounts {
 public:
  struct Entry {
    uint32_t key = kEmpty;
    int64_t count = 0;
  };

  HeldCounts() : slots_(64) {}

  Entry& operator[](uint32_t key) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      Entry& e = slots_[i];
      if (e.key == key) return e;
      if (e.key != kEmpty) continue;
      if (2 * (used_ + 1) > slots_.size()) {
        Grow();
        return (*this)[key];
      }
      ++used_;
      e.key = key;
      return e;
    }
  }

  // The keys with a count and their counts, which are then zero.
  std::vector<std::pair<uint32_t, int64_t>> TakeAll() {
    std::vector<std::pair<uint32_t, int64_t>> held;
    for (Entry& e : slots_) {
      if (e.key == kEmpty || e.count == 0) continue;
      held.emplace_back(e.key, e.count);
      e.count = 0;
    }
    std::sort(held.begin(), held.end());
    return held;
  }

 private:
  static constexpr uint32_t kEmpty = 0xffffffff;  // Keys are below 2^24.
  static size_t Hash(uint32_t key) {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> 32);
  }
  void Grow() {
    std::vector<Entry> old(slots_.size() * 2);
    old.swap(slots_);
    used_ = 0;
    for (const Entry& e : old) {
      if (e.key != kEmpty) (*this)[e.key] = e;
    }
  }

  std::vector<Entry> slots_;
  size_t used_ = 0;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_HELD_COUNTS_H_
