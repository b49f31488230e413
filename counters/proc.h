// What /proc says of a process: its parent and CPU times, the processes
// and threads there are, and its proportional set size. One reader for the
// runner, CPU placement and the embedded servers.
//
//   ProcStat st;
//   if (ReadProcStat(pid, &st)) cpu = st.utime + st.stime;   // Clock ticks.
//   for (pid_t p : ProcIds("/proc")) ...

#ifndef CTRBENCH_COUNTERS_PROC_H_
#define CTRBENCH_COUNTERS_PROC_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ctrbench {

struct ProcStat {
  pid_t ppid = 0;
  // Clock ticks: user, system, and of reaped children.
  unsigned long long utime = 0, stime = 0, cutime = 0, cstime = 0;
};
// Fields 4 and 14 to 17 of /proc/PID/stat; false if the process is gone.
bool ReadProcStat(pid_t pid, ProcStat* out);

// The numeric entries of a /proc directory: "/proc" (processes) or
// "/proc/PID/task" (a process's threads).
std::vector<pid_t> ProcIds(const std::string& dir);

// Process `root` and every process that descends from it now (by parent,
// however many sessions or groups they made: PostgreSQL's backends call
// setsid()), read from /proc in one pass.
std::vector<pid_t> ProcessTree(pid_t root);

// The proportional set size of process `pid` (its own pages, and its share
// of pages it shares), from /proc/PID/smaps_rollup; -1 if unknown.
int64_t PssBytes(pid_t pid);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_PROC_H_
