// The open loop's waits and counts, for the worker (counters/worker.cc).

#ifndef CTRBENCH_COUNTERS_OPEN_LOOP_H_
#define CTRBENCH_COUNTERS_OPEN_LOOP_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

#include "counters/backend.h"
#include "counters/backoff.h"
#include "counters/clock.h"
#include "counters/run_config.h"
#include "counters/run_state.h"
#include "counters/schedule.h"

namespace ctrbench {

// Waits until `until`; false if the phase changes first. A session with
// requests in flight is polled meanwhile, so that each reply is timed
// when it comes, not at the next start.
inline bool WaitUntil(int64_t until, const std::atomic<uint32_t>& phase_word,
                      Phase phase, Session* session) {
  constexpr int64_t kSpinNs = kSpinWindowNs;
  for (;;) {
    if (phase_word.load(std::memory_order_relaxed) != phase) return false;
    const int64_t left = until - NowNs();
    if (left <= 0) return true;
    const bool in_flight = session->InFlight() > 0;
    if (left <= kSpinNs) {
      if (!in_flight) {
        SpinUntil(until);
        return true;
      }
      session->Poll(0);
      continue;
    }
    // At most 1 ms at a time, to see the end of the phase.
    const int64_t step = std::min<int64_t>(left - kSpinNs, 1000000);
    if (in_flight) {
      session->Poll(step);
    } else {
      SleepNs(step);
    }
  }
}

// The starts of `schedule` up to `end`, which it moves past.
template <typename Starts>
int64_t DueBy(Starts* schedule, int64_t end) {
  const double behind =
      static_cast<double>(end - schedule->Peek()) / schedule->interval_ns();
  // Far behind: counted, not walked (for poisson, its expectation).
  if (behind > 1e6) return static_cast<int64_t>(behind) + 1;
  int64_t n = 0;
  while (schedule->Peek() <= end) {
    schedule->Next();
    ++n;
  }
  return n;
}

// In an open loop with connections, each of `worker`'s `n` connections is
// a client with its own share of the rate, from `begin`; constant
// schedules are staggered over one gap, client by client.
inline std::vector<Schedule> ConnectionSchedules(const RunConfig& config,
                                                 int worker, int n,
                                                 int64_t begin) {
  const int clients = config.workers * n;
  const double share = config.rate / clients;
  std::vector<Schedule> schedules;
  schedules.reserve(n);
  for (int c = 0; c < n; ++c) {
    const int client = worker * n + c;
    schedules.emplace_back(config.arrival, share, begin,
                           static_cast<int64_t>(1e9 / share * client / clients),
                           config.seed * 0x2545f4914f6cdd1dULL + client);
  }
  return schedules;
}

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_OPEN_LOOP_H_
