#include "tests/test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "backends/builtin.h"
#include "counters/clock.h"
#include "counters/csv.h"
#include "counters/sink.h"

namespace ctrbench {
namespace testing_util {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const Registry& BuiltinRegistry() {
  static const Registry* registry = [] {
    auto* r = new Registry;
    RegisterBuiltinBackends(r);
    return r;
  }();
  return *registry;
}

const BackendInfo& Builtin(const std::string& name) {
  return *BuiltinRegistry().Find(name);
}

ScopedEnv::ScopedEnv(const std::string& name, const std::string& value)
    : name_(name) {
  if (const char* old = std::getenv(name.c_str())) {
    had_ = true;
    old_ = old;
  }
  setenv(name.c_str(), value.c_str(), 1);
}

ScopedEnv::~ScopedEnv() {
  if (had_) {
    setenv(name_.c_str(), old_.c_str(), 1);
  } else {
    unsetenv(name_.c_str());
  }
}

TempDir::TempDir() {
  char dir[] = "/tmp/ctrbench-test-XXXXXX";
  if (mkdtemp(dir) == nullptr) std::abort();
  path_ = dir;
}

TempDir::~TempDir() {
  const std::string cmd = "rm -rf '" + path_ + "'";
  if (std::system(cmd.c_str()) != 0) ADD_FAILURE() << "cannot remove " << path_;
}

std::vector<std::string> TempDir::List() const {
  std::vector<std::string> names;
  if (DIR* dir = opendir(path_.c_str())) {
    while (dirent* e = readdir(dir)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

pid_t Spawn(const std::string& dir, std::vector<std::string> argv) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(99);
    const int out = open("stdout.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> raw;
    for (std::string& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(98);
  }
  return pid;
}

pid_t SpawnCtrbench(const std::string& dir,
                    const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CTRBENCH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return Spawn(dir, std::move(argv));
}

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> kids;
  std::istringstream in(ReadFile("/proc/" + std::to_string(pid) + "/task/" +
                                 std::to_string(pid) + "/children"));
  pid_t kid;
  while (in >> kid) kids.push_back(kid);
  return kids;
}

std::vector<pid_t> WaitForChildren(pid_t pid, size_t n, int timeout_ms) {
  std::vector<pid_t> kids;
  const int64_t deadline = NowNs() + int64_t{timeout_ms} * 1000000;
  while (kids.size() < n && NowNs() < deadline) {
    usleep(10000);
    kids = ChildrenOf(pid);
  }
  return kids;
}

pid_t WaitForServerChild(pid_t pid, size_t workers, int timeout_ms) {
  const int64_t deadline = NowNs() + int64_t{timeout_ms} * 1000000;
  while (NowNs() < deadline) {
    const std::vector<pid_t> kids = ChildrenOf(pid);
    if (kids.size() >= workers + 1) {
      for (pid_t kid : kids) {
        if (getpgid(kid) == kid) return kid;
      }
    }
    usleep(10000);
  }
  return 0;
}

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  Result<std::vector<std::vector<std::string>>> rows =
      ParseCsv(ReadFile(path), path);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? *rows : std::vector<std::vector<std::string>>{};
}

std::string Column(const std::vector<std::vector<std::string>>& rows,
                   size_t row, const std::string& name) {
  if (rows.empty() || row >= rows.size()) {
    ADD_FAILURE() << "no row " << row;
    return "";
  }
  const std::vector<std::string>& header = rows[0];
  for (size_t i = 0; i < header.size() && i < rows[row].size(); ++i) {
    if (header[i] == name) return rows[row][i];
  }
  ADD_FAILURE() << "no column " << name;
  return "";
}

std::vector<std::string> Row(const std::map<std::string, std::string>& set) {
  std::map<std::string, std::string> v = {
      {"schema_version", "1"}, {"scenario", "s"}, {"backend", "inproc"},
      {"strategy", "atomic"}, {"mode", "threads"}, {"workers", "1"},
      {"keys", "1"}, {"distribution", "uniform"}, {"batch", "1"},
      {"shards", "1"}, {"read_fraction", "0.000"}, {"hold_us", "0.000"},
      {"think_us", "0.000"}, {"backend_options", ""}, {"ops", "1000"},
      {"retries", "0"}, {"lock_wait_us", "0"}, {"duration_s", "1.0"},
      {"lost_updates", "0"}, {"fairness", "1.0"}, {"verified", "true"},
      {"lat_p50_us", "1.0"}, {"lat_p99_us", "2.0"}, {"expected_total", "1000"},
      {"increments_per_s", "100"}};
  for (const auto& [k, val] : set) v[k] = val;
  std::vector<std::string> row;
  for (const std::string& c : CsvHeader()) row.push_back(v[c]);
  return row;
}

void AddReps(std::vector<std::vector<std::string>>* rows,
             std::map<std::string, std::string> set,
             const std::vector<double>& values) {
  for (double v : values) {
    set["increments_per_s"] = std::to_string(v);
    rows->push_back(Row(set));
  }
}

std::string WriteCsv(const TempDir& dir, const std::string& name,
                     const std::vector<std::vector<std::string>>& rows) {
  std::string text = CsvLine(CsvHeader());
  for (const auto& r : rows) text += CsvLine(r);
  std::ofstream(dir.File(name)) << text;
  return dir.File(name);
}

}  // namespace testing_util
}  // namespace ctrbench
