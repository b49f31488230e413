#include "counters/affinity.h"

#include <dirent.h>
#include <sched.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

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

// The parent of `pid` (field 4 of /proc/PID/stat), or -1.
pid_t ParentOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // The command (field 2) is in parentheses and may hold spaces.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(text.substr(close + 1));
  std::string state;
  long ppid = -1;
  rest >> state >> ppid;
  return rest ? static_cast<pid_t>(ppid) : -1;
}

// The numeric entries of a /proc directory.
std::vector<pid_t> NumericEntries(const std::string& dir) {
  std::vector<pid_t> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      char* end = nullptr;
      const long v = std::strtol(e->d_name, &end, 10);
      if (*e->d_name != '\0' && *end == '\0' && v > 0) {
        out.push_back(static_cast<pid_t>(v));
      }
    }
    closedir(d);
  }
  return out;
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
  std::map<pid_t, pid_t> parent;
  for (pid_t pid : NumericEntries("/proc")) parent[pid] = ParentOf(pid);
  auto descends = [&parent, root](pid_t pid) {
    for (int depth = 0; pid > 0 && depth < 64; ++depth) {
      if (pid == root) return true;
      auto it = parent.find(pid);
      pid = it == parent.end() ? -1 : it->second;
    }
    return false;
  };
  int pinned = 0;
  for (const auto& [pid, ppid] : parent) {
    if (!descends(pid)) continue;
    for (pid_t tid : NumericEntries("/proc/" + std::to_string(pid) + "/task")) {
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
