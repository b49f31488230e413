#include "counters/run_state.h"

#include <sys/syscall.h>

#include "counters/interrupt.h"

namespace ctrbench {

// Sleeps until NowNs() reaches `until` (CLOCK_MONOTONIC, absolute).
void SleepUntil(int64_t until) {
  const timespec ts = {static_cast<time_t>(until / 1000000000),
                       static_cast<long>(until % 1000000000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) ==
         EINTR) {
    if (Interrupted()) return;
  }
}

long Futex(std::atomic<uint32_t>* word, int op, uint32_t value,
           const timespec* timeout) {
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
  // Not FUTEX_PRIVATE: the word is shared with forked workers.
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value,
                 timeout, nullptr, 0);
}

void WaitForStop(Control& control) {
  const timespec timeout = {0, 100 * 1000000};
  for (;;) {
    const uint32_t phase = control.phase.load(std::memory_order_acquire);
    if (phase == kStop) return;
    Futex(&control.phase, FUTEX_WAIT, phase, &timeout);
  }
}

void WaitWhileWaiting(Control& control) {
  const timespec timeout = {0, 100 * 1000000};
  while (control.phase.load(std::memory_order_acquire) == kWaiting) {
    Futex(&control.phase, FUTEX_WAIT, kWaiting, &timeout);
  }
}

}  // namespace ctrbench
