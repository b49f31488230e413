// A server process a backend starts for a run and stops at teardown
// (ctrbench's own manager server, redis-server).
//
// The server runs in its own process group, so that a Ctrl-C meant for the
// run reaches the run first and the run stops it cleanly, and it is set to
// die with the process that started it (PR_SET_PDEATHSIG), so that it never
// outlives a crashed run.
//
//   Result<std::unique_ptr<ServerProcess>> server =
//       ServerProcess::Start({"/usr/bin/redis-server", "--port", "0"});
//   ... (*server)->Running() ... (*server)->CpuSeconds() ...
//   Status st = (*server)->Stop();

#ifndef CTRBENCH_BACKENDS_SERVER_PROCESS_H_
#define CTRBENCH_BACKENDS_SERVER_PROCESS_H_

#include <signal.h>
#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "counters/backend.h"
#include "counters/files.h"
#include "counters/ledger.h"
#include "counters/status.h"

namespace ctrbench {

// How a server process is run, beyond its command line.
struct ProcessOptions {
  // Run as this user and group (a server that refuses root, PostgreSQL);
  // -1: as we are. The child drops to them before it sets its parent-death
  // signal, since the kernel clears that signal when the user id changes.
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
  // What Stop() and the parent's death send (PostgreSQL's postmaster stops
  // its backends on SIGQUIT; SIGKILL would leave them).
  int stop_signal = SIGTERM;
  // Where stdout and stderr go ("": stdout to /dev/null, stderr kept).
  std::string output_path;
  // CpuSeconds() counts the process's children too (a server that forks a
  // process per connection): live ones, and those it has reaped.
  bool count_children = false;
};

class ServerProcess {
 public:
  // Starts argv[0] (a path) in a process group of its own. Fails if the
  // program cannot be executed. `env` sets (or, with an empty value,
  // unsets) variables of the child's environment: a secret goes there,
  // never on the command line, which every user can read.
  static Result<std::unique_ptr<ServerProcess>> Start(
      const std::vector<std::string>& argv,
      const std::vector<std::pair<std::string, std::string>>& env = {},
      const ProcessOptions& options = {});
  ~ServerProcess();  // Stops the server if it still runs.

  pid_t pid() const { return pid_; }
  // False once the process has exited; then ExitDescription() says how.
  bool Running();
  std::string ExitDescription() const { return exit_description_; }
  // Its exit status once it has exited by itself; -1 otherwise.
  int exit_code() const { return exit_code_; }
  // User plus system CPU time so far, read from /proc; < 0 if unknown.
  double CpuSeconds() const;
  // Starts the count of CpuSinceMark(), e.g. once the server is set up.
  void MarkCpu() { cpu_mark_s_ = CpuSeconds(); }
  // CPU seconds since MarkCpu(); < 0 if unknown.
  double CpuSinceMark() const {
    const double now = CpuSeconds();
    return now < 0 || cpu_mark_s_ < 0 ? -1 : now - cpu_mark_s_;
  }
  // The stop signal, up to `grace_ms` to exit, then SIGKILL to its whole
  // process group; reaps the process.
  Status Stop(int grace_ms = 2000);
  // Waits up to `timeout_ms` for the process to exit by itself (a program
  // run to completion, like initdb); false if it still runs.
  bool WaitExit(int timeout_ms);

 private:
  ServerProcess(pid_t pid, const ProcessOptions& options)
      : pid_(pid), options_(options) {}
  pid_t pid_;
  const ProcessOptions options_;
  bool exited_ = false;
  int exit_code_ = -1;
  std::string exit_description_;
  double last_cpu_s_ = -1;
  double cpu_mark_s_ = -1;
};

// "; the last lines of its log:" and up to `lines` lines of the log at
// `path` ("" when there is none), for an error: the log goes with the
// server's directory at teardown, so the message carries what it said.
std::string LogTail(const std::string& path, int lines = 6);

// A server a backend starts for a run (the manager's, redis-server): a
// temporary directory of its own, the process, both written down in the
// run ledger before they exist, and a wait until the server answers.
// Stop() undoes it all.
//
//   EmbeddedServer server("redis");
//   Status st = server.MakeDir(ledger);            // server.dir() for paths
//   st = server.Start({binary, ...}, {}, [&] { return Ping(); }, hint);
class EmbeddedServer {
 public:
  explicit EmbeddedServer(std::string name) : name_(std::move(name)) {}
  ~EmbeddedServer() { Stop().ok(); }
  EmbeddedServer(const EmbeddedServer&) = delete;
  EmbeddedServer& operator=(const EmbeddedServer&) = delete;

  // BASE/ctrbench-<name>-XXXXXX, recorded in `ledger` (may be null) with
  // its device, inode and owner; BASE is `base`, or TempBase() when that is
  // empty. With `as` naming another user (a server that refuses root), the
  // server's directory is a child of that one, BASE/ctrbench-<name>-XXXXXX/
  // server, owned by that user: the parent stays ours (0711), so that the
  // server's user cannot rename its directory and put something of ours in
  // its place.
  Status MakeDir(Ledger* ledger, const std::string& base = "",
                 const ProcessOptions& as = {});
  // Where the server's files go.
  const std::string& dir() const { return dir_; }

  // Starts `argv` (see ServerProcess::Start), records it, and calls
  // `answers` every 5 ms until it is OK; fails if the process exits first
  // (the message ends with `hint`) or nothing answers within 5 s.
  Status Start(const std::vector<std::string>& argv,
               const std::vector<std::pair<std::string, std::string>>& env,
               const std::function<Status()>& answers,
               const std::string& hint, const ProcessOptions& options = {},
               int64_t timeout_ns = 5000000000LL);

  // Null until started.
  ServerProcess* process() const { return process_.get(); }
  bool running() { return process_ != nullptr && process_->Running(); }

  // Stops the process, removes the directory and everything in it, and
  // forgets both in the ledger (a part that could not be undone stays).
  Status Stop();

 private:
  const std::string name_;
  Ledger* ledger_ = nullptr;
  std::string dir_;   // The server's directory: top_ or a child of it.
  std::string top_;   // What teardown removes, if it is still top_id_.
  FileId top_id_;
  std::unique_ptr<ServerProcess> process_;
  LedgerEntry dir_entry_, process_entry_;
};

// A server's CPU over the measured time: the difference of its CPU seconds
// at Backend::MeasurementStarted and MeasurementEnded, reported as the
// statistic server_cpu_s (ServerCpuStat()).
class CpuWindow {
 public:
  void Start(double cpu_s) {
    start_s_ = cpu_s;
    end_s_ = -1;
  }
  void End(double cpu_s) { end_s_ = cpu_s; }
  // Adds server_cpu_s when both readings were known.
  void AddTo(StatValues* stats) const {
    if (start_s_ >= 0 && end_s_ >= 0) {
      (*stats)["server_cpu_s"] = Cell::Float(end_s_ - start_s_, 3);
    }
  }

 private:
  double start_s_ = -1, end_s_ = -1;
};

// The declaration of server_cpu_s, for a backend's BackendInfo::stats.
inline StatSpec ServerCpuStat() {
  return {"server_cpu_s", Cell::Type::kFloat, "s",
          "CPU seconds of the server (and its children) in the measured "
          "time"};
}

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_SERVER_PROCESS_H_
