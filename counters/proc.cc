#include "counters/proc.h"

#include <dirent.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace ctrbench {

bool ReadProcStat(pid_t pid, ProcStat* out) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  // Fields after the command name, which may hold spaces: "(...)".
  const size_t close = text.rfind(')');
  if (close == std::string::npos || close + 2 > text.size()) return false;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 17 && fields >> field; ++i) {
    const unsigned long long v = std::strtoull(field.c_str(), nullptr, 10);
    if (i == 4) out->ppid = static_cast<pid_t>(v);
    if (i == 14) out->utime = v;
    if (i == 15) out->stime = v;
    if (i == 16) out->cutime = v;
    if (i == 17) out->cstime = v;
  }
  return true;
}

std::vector<pid_t> ProcIds(const std::string& dir) {
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

std::vector<pid_t> ProcessTree(pid_t root) {
  std::map<pid_t, pid_t> parent;
  for (pid_t pid : ProcIds("/proc")) {
    ProcStat st;
    parent[pid] = ReadProcStat(pid, &st) ? st.ppid : -1;
  }
  auto descends = [&parent, root](pid_t pid) {
    for (int depth = 0; pid > 0 && depth < 64; ++depth) {
      if (pid == root) return true;
      auto it = parent.find(pid);
      pid = it == parent.end() ? -1 : it->second;
    }
    return false;
  };
  std::vector<pid_t> tree;
  for (const auto& [pid, ppid] : parent) {
    if (descends(pid)) tree.push_back(pid);
  }
  return tree;
}

int64_t PssBytes(pid_t pid) {
  std::FILE* f = std::fopen(
      ("/proc/" + std::to_string(pid) + "/smaps_rollup").c_str(), "r");
  if (f == nullptr) return -1;
  char line[256];
  int64_t kb = -1;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    long long v = 0;
    if (std::sscanf(line, "Pss: %lld kB", &v) == 1) {
      kb = v;
      break;
    }
  }
  std::fclose(f);
  return kb < 0 ? -1 : kb * 1024;
}

}  // namespace ctrbench
