// Helpers for tests that run the real ctrbench binary or need temporary
// directories: spawn with output to files, wait, read files, find children.

#ifndef CTRBENCH_TESTS_TEST_UTIL_H_
#define CTRBENCH_TESTS_TEST_UTIL_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/status.h"

namespace ctrbench {
namespace testing_util {

std::string ReadFile(const std::string& path);

// Every backend ctrbench is built with.
const Registry& BuiltinRegistry();

// One of them, by name (it must be built in).
const BackendInfo& Builtin(const std::string& name);

// Sets an environment variable for its lifetime, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const std::string& name, const std::string& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  bool had_ = false;
  std::string old_;
};

// A temporary directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Names of the entries in the directory, sorted.
  std::vector<std::string> List() const;

 private:
  std::string path_;
};

// Starts program argv[0] with `argv` in `dir`, its stdout and stderr
// going to dir/stdout.txt and dir/stderr.txt.
pid_t Spawn(const std::string& dir, std::vector<std::string> argv);
// The same for the ctrbench binary with `args`.
pid_t SpawnCtrbench(const std::string& dir,
                    const std::vector<std::string>& args);
// Waits for `pid`: its exit status, or 128 + signal.
int WaitExit(pid_t pid);
// Pids of the direct children of `pid`.
std::vector<pid_t> ChildrenOf(pid_t pid);
// Polls until `pid` has at least `n` children or `timeout_ms` passes.
std::vector<pid_t> WaitForChildren(pid_t pid, size_t n, int timeout_ms);
// The server a backend of run `pid` started: the child that leads its own
// process group, once `pid` also has `workers` worker children. 0 if none
// shows up within `timeout_ms`.
pid_t WaitForServerChild(pid_t pid, size_t workers, int timeout_ms);

// Rows of a CSV file (header first), and one column of one row by name.
std::vector<std::vector<std::string>> ReadCsv(const std::string& path);
std::string Column(const std::vector<std::vector<std::string>>& rows,
                   size_t row, const std::string& name);

// Results files for report's tests. A row with the contract's columns,
// plausible values in the usual ones; `set` overrides some.
std::vector<std::string> Row(const std::map<std::string, std::string>& set);

// Rows of one group, one per repetition, with these increments/s.
void AddReps(std::vector<std::vector<std::string>>* rows,
             std::map<std::string, std::string> set,
             const std::vector<double>& values);

// Writes `rows` under the CSV header as dir/name; returns its path.
std::string WriteCsv(const TempDir& dir, const std::string& name,
                     const std::vector<std::vector<std::string>>& rows);

}  // namespace testing_util
}  // namespace ctrbench

#endif  // CTRBENCH_TESTS_TEST_UTIL_H_
