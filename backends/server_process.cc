#include "backends/server_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "counters/clock.h"
#include "counters/proc.h"

namespace ctrbench {

namespace {

std::string Describe(int status) {
  if (WIFEXITED(status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status)) {
    return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return "stopped";
}

}  // namespace

Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env,
    const ProcessOptions& options) {
  // The child reports a failed exec through this pipe (closed on exec).
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    return Status::FromErrno("start " + argv[0] + ": pipe", errno);
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int e = errno;
    close(report[0]);
    close(report[1]);
    return Status::FromErrno("start " + argv[0] + ": fork", e);
  }
  if (pid == 0) {
    setpgid(0, 0);
    if (options.uid != static_cast<uid_t>(-1)) {
      if (setgroups(0, nullptr) != 0 || setgid(options.gid) != 0 ||
          setuid(options.uid) != 0) {
        const int e = errno;
        if (write(report[1], &e, sizeof(e)) < 0) _exit(127);
        _exit(127);
      }
    }
    prctl(PR_SET_PDEATHSIG, options.stop_signal);
    if (getppid() != parent) _exit(127);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    for (const auto& [name, value] : env) {
      if (value.empty()) {
        unsetenv(name.c_str());
      } else {
        setenv(name.c_str(), value.c_str(), 1);
      }
    }
    if (options.output_path.empty()) {
      const int null = open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, STDOUT_FILENO);
    } else {
      // As the server's user already, and never through a link.
      const int out = open(options.output_path.c_str(),
                           O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
      if (out >= 0) {
        dup2(out, STDOUT_FILENO);
        dup2(out, STDERR_FILENO);
      }
    }
    std::vector<char*> args;
    std::vector<std::string> copy = argv;
    for (std::string& a : copy) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    const int e = errno;
    if (write(report[1], &e, sizeof(e)) < 0) _exit(127);
    _exit(127);
  }
  close(report[1]);
  int exec_errno = 0;
  const ssize_t n = read(report[0], &exec_errno, sizeof(exec_errno));
  close(report[0]);
  if (n == sizeof(exec_errno)) {
    waitpid(pid, nullptr, 0);
    return Status::FromErrno("cannot execute " + argv[0], exec_errno);
  }
  return std::unique_ptr<ServerProcess>(new ServerProcess(pid, options));
}

ServerProcess::~ServerProcess() { Stop().ok(); }

bool ServerProcess::Running() {
  if (exited_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exited_ = true;
    exit_description_ = Describe(status);
    if (WIFEXITED(status)) exit_code_ = WEXITSTATUS(status);
    return false;
  }
  return true;
}

double ServerProcess::CpuSeconds() const {
  if (exited_) return last_cpu_s_;
  ProcStat self;
  if (!ReadProcStat(pid_, &self)) return -1;
  unsigned long long ticks = self.utime + self.stime;
  if (options_.count_children) {
    // Reaped children are in cutime/cstime; live ones are read one by one.
    ticks += self.cutime + self.cstime;
    for (pid_t child : ProcIds("/proc")) {
      ProcStat st;
      if (child != pid_ && ReadProcStat(child, &st) && st.ppid == pid_) {
        ticks += st.utime + st.stime;
      }
    }
  }
  return static_cast<double>(ticks) / sysconf(_SC_CLK_TCK);
}

bool ServerProcess::WaitExit(int timeout_ms) {
  const int64_t deadline = NowNs() + int64_t{timeout_ms} * 1000000;
  while (Running()) {
    if (NowNs() >= deadline) return false;
    usleep(2000);
  }
  return true;
}

Status ServerProcess::Stop(int grace_ms) {
  if (exited_) return Status::OK();
  last_cpu_s_ = CpuSeconds();
  kill(pid_, options_.stop_signal);
  const int64_t deadline = NowNs() + int64_t{grace_ms} * 1000000;
  while (Running()) {
    if (NowNs() >= deadline) {
      // Whatever it started too: its process group, and each process that
      // descends from it in a session of its own (PostgreSQL's backends),
      // found before the kill orphans them. SIGKILL ends a stopped process
      // as well; left alone, a stopped backend would outlive its server.
      const std::vector<pid_t> tree = ProcessTree(pid_);
      kill(-pid_, SIGKILL);
      for (pid_t p : tree) kill(p, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
      exited_ = true;
      exit_description_ = Describe(status);
      return Status::IOError("server pid " + std::to_string(pid_) +
                             " did not stop within " +
                             std::to_string(grace_ms) + " ms; killed");
    }
    usleep(2000);
  }
  return Status::OK();
}

std::string LogTail(const std::string& path, int lines) {
  if (path.empty()) return "";
  // The log may be the server user's: read without following a link.
  Result<std::string> tail = ReadTail(path, 8192);
  if (!tail.ok()) return "";
  std::vector<std::string> last;
  std::stringstream in(*tail);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.erase(last.begin());
  }
  if (last.empty()) return "";
  std::string out = "; the last lines of its log:";
  for (const std::string& l : last) out += "\n    " + l;
  return out;
}

Status EmbeddedServer::MakeDir(Ledger* ledger, const std::string& base,
                               const ProcessOptions& as) {
  ledger_ = ledger;
  const bool hand_over = as.uid != static_cast<uid_t>(-1);
  Result<MadeDir> made = MakeTempDir("ctrbench-" + name_ + "-", base);
  if (!made.ok()) return made.status().WithContext(name_);
  top_ = dir_ = made->path;
  top_id_ = made->id;
  Status st =
      dir_entry_.Record(ledger_, "dir", WithId({{"path", top_}}, top_id_));
  if (st.ok() && hand_over) {
    // Ours, and only passable for the server's user: it cannot rename or
    // replace the child it owns.
    dir_ = top_ + "/server";
    if (chmod(top_.c_str(), 0711) != 0 || mkdir(dir_.c_str(), 0700) != 0 ||
        chown(dir_.c_str(), as.uid, as.gid) != 0) {
      st = Status::FromErrno("prepare " + dir_ + " for uid " +
                                 std::to_string(as.uid),
                             errno);
    }
  }
  return st.ok() ? st : st.WithContext(name_);
}

Status EmbeddedServer::Start(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& env,
    const std::function<Status()>& answers, const std::string& hint,
    const ProcessOptions& options, int64_t timeout_ns) {
  Result<std::unique_ptr<ServerProcess>> process =
      ServerProcess::Start(argv, env, options);
  if (!process.ok()) return process.status().WithContext(name_);
  process_ = std::move(*process);
  Status st = process_entry_.Record(
      ledger_, "process",
      {{"pid", std::to_string(process_->pid())},
       {"start", std::to_string(ProcessStartTime(process_->pid()))}});
  if (!st.ok()) return st.WithContext(name_);
  const int64_t deadline = NowNs() + timeout_ns;
  for (;;) {
    if (!process_->Running()) {
      return Status::IOError(name_ + ": " + argv[0] + " " +
                             process_->ExitDescription() +
                             " before answering" + hint +
                             LogTail(options.output_path));
    }
    st = answers();
    if (st.ok()) return st;
    if (NowNs() > deadline) {
      return Status::IOError(name_ + ": the server did not answer within " +
                             std::to_string(timeout_ns / 1000000000) + " s (" +
                             st.message() + ")" +
                             LogTail(options.output_path));
    }
    usleep(5000);
  }
}

Status EmbeddedServer::Stop() {
  Status status;
  if (process_) {
    status = process_->Stop();
    process_.reset();
    process_entry_.Forget();
  }
  if (!top_.empty()) {
    // Our own directory, if it still is: whatever the server left in it
    // goes, by handle, never following a link it planted.
    Status removed = RemoveTree(top_, &top_id_);
    if (!removed.ok()) {
      if (status.ok()) status = removed.WithContext(name_);
      return status;  // Kept, in the ledger too.
    }
    top_.clear();
    dir_.clear();
    dir_entry_.Forget();
  }
  return status;
}

}  // namespace ctrbench
