// The intended start times of one client's operations at a target rate
// (open-loop load): evenly spaced, or a Poisson process.
//
//   Schedule s(Arrival::kPoisson, /*rate_per_s=*/5000, start, 0, seed);
//   for (;;) {
//     const int64_t intended = s.Next();   // and the schedule moves on
//     ... wait until `intended`, send, and time from `intended` ...
//   }
//
// Response time runs from the intended start, so an operation that waits
// behind a slow one shows that wait (no coordinated omission).

#ifndef CTRBENCH_COUNTERS_SCHEDULE_H_
#define CTRBENCH_COUNTERS_SCHEDULE_H_

#include <cmath>
#include <cstdint>
#include <string>

#include "counters/status.h"
#include "counters/workload.h"

namespace ctrbench {

enum class Arrival { kConstant, kPoisson };
const char* ArrivalName(Arrival a);
Result<Arrival> ParseArrival(const std::string& name);

class Schedule {
 public:
  // `rate_per_s` > 0 is this client's share of the rate. A constant
  // schedule starts at start_ns + offset_ns (clients are staggered by
  // their offsets); a Poisson one at start_ns plus a first draw.
  Schedule(Arrival arrival, double rate_per_s, int64_t start_ns,
           int64_t offset_ns, uint64_t seed)
      : arrival_(arrival),
        interval_ns_(1e9 / rate_per_s),
        origin_(start_ns + (arrival == Arrival::kConstant ? offset_ns : 0)),
        rng_(seed) {
    next_ = arrival_ == Arrival::kConstant ? origin_ : origin_ + Draw();
  }

  // The next intended start, which the schedule then moves past.
  int64_t Next() {
    const int64_t intended = next_;
    if (arrival_ == Arrival::kConstant) {
      // From the origin each time, so that rounding never accumulates.
      ++count_;
      next_ = origin_ + static_cast<int64_t>(count_ * interval_ns_);
    } else {
      next_ += Draw();
    }
    return intended;
  }

  // The start Next() will return, without moving on.
  int64_t Peek() const { return next_; }

  double interval_ns() const { return interval_ns_; }

 private:
  // An exponential gap with mean interval_ns_ (inverse transform).
  int64_t Draw() {
    return static_cast<int64_t>(-std::log1p(-rng_.NextDouble()) *
                                interval_ns_);
  }

  const Arrival arrival_;
  const double interval_ns_;
  const int64_t origin_;
  Rng rng_;
  int64_t next_ = 0;
  int64_t count_ = 0;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SCHEDULE_H_
