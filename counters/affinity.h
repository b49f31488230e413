// CPU placement: which CPUs this process may use, a plan that pins workers
// round-robin (and an embedded server to a CPU of its own when one is
// spare), pinning, and reading placement back as the kernel has it.
//
//   CpuPlan plan = PlanCpus(PinMode::kAll, 2, AllowedCpus(), true);
//   PinCurrentThread(plan.workers[0]);        // In worker 0.
//   PinProcessTree(server_pid, {plan.server});
//   std::string where = CpuList(0);           // "0"

#ifndef CTRBENCH_COUNTERS_AFFINITY_H_
#define CTRBENCH_COUNTERS_AFFINITY_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "counters/status.h"

namespace ctrbench {

enum class PinMode {
  kOff,      // The kernel places everything.
  kWorkers,  // Workers round-robin over the allowed CPUs.
  kAll,      // And an embedded server on a CPU of its own.
};
const char* PinModeName(PinMode mode);
Result<PinMode> ParsePinMode(const std::string& text);

// The CPUs this process may run on (sched_getaffinity), ascending.
std::vector<int> AllowedCpus();

struct CpuPlan {
  std::vector<int> workers;  // Worker w's CPU; empty: workers not pinned.
  int server = -1;           // -1: the server not pinned.
};
// kAll with a server: the server gets the last allowed CPU; the workers
// go round-robin over the others when there are more CPUs than workers
// (so the server has its CPU to itself), else over all of them.
CpuPlan PlanCpus(PinMode mode, int workers, const std::vector<int>& allowed,
                 bool server);

// Pins the calling thread to `cpu`.
Status PinCurrentThread(int cpu);
// Sets the affinity of every thread of process `pid` and of all its
// descendants (an embedded server and its children) to `cpus`.
Status PinProcessTree(pid_t pid, const std::vector<int>& cpus);
// The CPUs thread or process `tid` (0: the calling thread) may run on, as
// a list: "0", "0-3", "0,2"; empty when it cannot be read.
std::string CpuList(pid_t tid);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_AFFINITY_H_
