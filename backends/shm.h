// The shm backend: counters in a Boost.Interprocess shared-memory segment,
// std::atomic<int64_t> and interprocess_mutex slots, shared by forked worker
// processes (and threads). The segment is named ctrbench-<pid>-<n> after the
// creating process, created owner-only, and removed at teardown.

#ifndef CTRBENCH_BACKENDS_SHM_H_
#define CTRBENCH_BACKENDS_SHM_H_

#include <string>
#include <vector>

#include "counters/backend.h"

namespace ctrbench {

BackendInfo ShmBackendInfo();

// The prefix of every segment this backend creates, in /dev/shm.
inline constexpr char kShmSegmentPrefix[] = "ctrbench-";

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_SHM_H_
