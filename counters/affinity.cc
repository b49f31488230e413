#include "counters/affinity.h"

#include <sched.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "counters/proc.h"

namespace ctrbench {

const char* PinModeName(PinMode mode) {
  switch (mode) {
    case PinMode::kOff: return "off";
    case PinMode::kWorkers: return "workers";
    case PinMode::kAll: return "all";
  }
  return "?";
}

Result<PinMode> ParsePinMode(const std::string& text) {
  for (PinMode m : {PinMode::kOff, PinMode::kWorkers, PinMode::kAll}) {
    if (text == PinModeName(m)) return m;
  }
  return Status::InvalidArgument("pin '" + text +
                                 "'; allowed: off, workers, all");
}

namespace {

std::vector<int> CpusOf(const cpu_set_t& set) {
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  return cpus;
}

cpu_set_t SetOf(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : cpus) {
    if (c >= 0 && c < CPU_SETSIZE) CPU_SET(c, &set);
  }
  return set;
}

}  // namespace

std::vector<int> AllowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return {0};
  return CpusOf(set);
}

CpuPlan PlanCpus(PinMode mode, int workers, const std::vector<int>& allowed,
                 bool server) {
  CpuPlan plan;
  if (mode == PinMode::kOff || allowed.empty()) return plan;
  std::vector<int> for_workers = allowed;
  if (mode == PinMode::kAll && server) {
    plan.server = allowed.back();
    if (static_cast<int>(allowed.size()) > workers) for_workers.pop_back();
  }
  for (int w = 0; w < workers; ++w) {
    plan.workers.push_back(for_workers[w % for_workers.size()]);
  }
  return plan;
}

Status PinCurrentThread(int cpu) {
  const cpu_set_t set = SetOf({cpu});
  if (sched_setaffinity(0, sizeof(set), &set) != 0) {
    return Status::FromErrno("pin: CPU " + std::to_string(cpu), errno);
  }
  return Status::OK();
}

Status PinProcessTree(pid_t root, const std::vector<int>& cpus) {
  const cpu_set_t set = SetOf(cpus);
  int pinned = 0;
  for (pid_t pid : ProcessTree(root)) {
    for (pid_t tid : ProcIds("/proc/" + std::to_string(pid) + "/task")) {
      // A thread that ended meanwhile is no error.
      if (sched_setaffinity(tid, sizeof(set), &set) == 0) {
        ++pinned;
      } else if (errno != ESRCH) {
        return Status::FromErrno("pin: server thread " + std::to_string(tid),
                                 errno);
      }
    }
  }
  if (pinned == 0) {
    return Status::IOError("pin: no process " + std::to_string(root));
  }
  return Status::OK();
}

std::string CpuList(pid_t tid) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(tid, sizeof(set), &set) != 0) return "";
  const std::vector<int> cpus = CpusOf(set);
  std::string out;
  for (size_t i = 0; i < cpus.size();) {
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ",";
    out += std::to_string(cpus[i]);
    if (j > i) out += "-" + std::to_string(cpus[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace ctrbench
