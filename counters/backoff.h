// Randomized exponential backoff, for every wait on a lock someone else
// holds: a Redis lock key, a busy SQLite database.
//
//   Backoff backoff({/*first_ns=*/20000, /*max_ns=*/1000000}, seed);
//   while (Busy()) SleepNs(backoff.Next());
//
// Delays are drawn from [d/2, d] so that waiting clients do not retry in
// lock step; d starts at first_ns and doubles up to max_ns.

#ifndef CTRBENCH_COUNTERS_BACKOFF_H_
#define CTRBENCH_COUNTERS_BACKOFF_H_

#include <time.h>

#include <algorithm>
#include <cstdint>

#include "counters/workload.h"

namespace ctrbench {

struct BackoffPolicy {
  int64_t first_ns = 20000;
  int64_t max_ns = 1000000;
  // 0: no delay at all (a backend that has already waited, like SQLite's
  // own busy handler, just tries again).
  bool sleeps() const { return first_ns > 0; }
};

class Backoff {
 public:
  Backoff(BackoffPolicy policy, uint64_t seed)
      : policy_(policy), rng_(seed), next_ns_(policy.first_ns) {}

  // Starts over at first_ns (after a wait that ended).
  void Reset() { next_ns_ = policy_.first_ns; }

  // The next delay in nanoseconds; 0 when the policy does not sleep.
  int64_t Next() {
    if (!policy_.sleeps()) return 0;
    const int64_t d = next_ns_;
    next_ns_ = std::min(d * 2, policy_.max_ns);
    return d / 2 +
           static_cast<int64_t>(rng_.Below(static_cast<uint32_t>(d / 2 + 1)));
  }

 private:
  const BackoffPolicy policy_;
  Rng rng_;
  int64_t next_ns_;
};

// nanosleep for `ns` (> 0), resumed after a signal.
inline void SleepNs(int64_t ns) {
  if (ns <= 0) return;
  timespec ts = {static_cast<time_t>(ns / 1000000000),
                 static_cast<long>(ns % 1000000000)};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_BACKOFF_H_
