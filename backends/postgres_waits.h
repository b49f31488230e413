// The postgres backend's wait-event statistics (wait_samples,
// wait_lock_tuple, ...): a thread that looks at the run's connections in
// pg_stat_activity during the measured time and counts what they wait on.
//
//   sampler.Start(std::move(conn), "ctrbench_<run id>_w", timeout_ns);
//   ... the measured time ...
//   sampler.Stop();
//   sampler.waits().AddTo(&stats);

#ifndef CTRBENCH_BACKENDS_POSTGRES_WAITS_H_
#define CTRBENCH_BACKENDS_POSTGRES_WAITS_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "backends/postgres_connection.h"
#include "counters/backend.h"

namespace ctrbench {
namespace postgres {

// Of `samples` looks at the run's connections, how many found one
// waiting, by wait event; -1: unknown.
struct WaitCounts {
  int64_t samples = -1;
  int64_t lock_tuple = -1;          // Lock:tuple (queued for a row lock).
  int64_t lock_transactionid = -1;  // Lock:transactionid (on its holder).
  int64_t lock_other = -1;          // Any other heavyweight lock.
  int64_t other = -1;               // LWLock, IO, IPC and the rest.

  // As the backend's statistics (the wait_* columns), when known.
  void AddTo(StatValues* stats) const;
};

// The declarations of the wait_* statistics, for BackendInfo::stats.
std::vector<StatSpec> WaitStats();

// Looks at the run's connections in pg_stat_activity every 100 ms from a
// connection of its own, and counts what the active ones wait on.
class WaitSampler {
 public:
  WaitSampler() = default;
  ~WaitSampler() { Stop(); }
  WaitSampler(const WaitSampler&) = delete;
  WaitSampler& operator=(const WaitSampler&) = delete;

  // Samples the connections whose application_name starts with `prefix`,
  // each look within `timeout_ns`.
  void Start(ConnPtr conn, const std::string& prefix, int64_t timeout_ns);
  void Stop();

  // After Stop().
  const WaitCounts& waits() const { return waits_; }

 private:
  void Loop();
  void Count(const std::string& state, const std::string& type,
             const std::string& event);

  ConnPtr conn_;
  std::string prefix_;
  int64_t timeout_ns_ = 0;
  WaitCounts waits_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace postgres
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_POSTGRES_WAITS_H_
