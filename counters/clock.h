// Monotonic time in nanoseconds, comparable across processes, and busy-waits.
//
// `hold` and `think` busy-wait because nanosleep overshoots by tens of
// microseconds here (100 us took about 154 us), which would swamp a hold.

#ifndef CTRBENCH_COUNTERS_CLOCK_H_
#define CTRBENCH_COUNTERS_CLOCK_H_

#include <time.h>

#include <cstdint>
#include <string>

#include "counters/status.h"

namespace ctrbench {

// A wait that must end on time sleeps until this close to its deadline
// and spins the rest: a sleep (nanosleep, epoll_wait) overshoots by about
// 50 us on these machines.
inline constexpr int64_t kSpinWindowNs = 80000;

// CLOCK_MONOTONIC is system-wide, so stamps from forked workers compare.
inline int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Spins until NowNs() reaches `until`.
inline void SpinUntil(int64_t until) {
  while (NowNs() < until) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
}

// Spins until `ns` nanoseconds have passed. A no-op for ns <= 0.
inline void SpinFor(int64_t ns) {
  if (ns <= 0) return;
  SpinUntil(NowNs() + ns);
}

// Parses "3s", "0.5s", "500ms", "200us", "100ns", "1m", "1h" into
// nanoseconds.
// A bare "0" is accepted. Negative values and other units are rejected.
Result<int64_t> ParseDuration(const std::string& text);

// Formats nanoseconds compactly: "3s", "500ms", "200us", "0".
std::string FormatDuration(int64_t ns);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_CLOCK_H_
