#include "counters/report_gnuplot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace ctrbench {

namespace {

// Runs gnuplot on `script` in directory `cwd` (the report's stage, where
// every name it reads and writes is), its messages going to `log` there;
// returns its exit status.
int RunIn(const std::string& gnuplot, int cwd, const std::string& script,
          const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) return 128;  // No child: never waitpid(-1) for someone else's.
  if (pid == 0) {
    if (fchdir(cwd) != 0) _exit(127);
    const int fd =
        open(log.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    if (fd >= 0) dup2(fd, STDERR_FILENO);
    execl(gnuplot.c_str(), gnuplot.c_str(), script.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 128;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// The start of file `name` of the stage: enough of gnuplot's messages to
// say what went wrong.
std::string ReadStart(OutputDir* dir, const std::string& name) {
  Fd fd(openat(dir->stage(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  char text[2048];
  const ssize_t n = fd.valid() ? read(fd.get(), text, sizeof(text)) : 0;
  return n > 0 ? std::string(text, static_cast<size_t>(n)) : std::string();
}

}  // namespace

Status RunGnuplot(const std::string& gnuplot, OutputDir* dir,
                  const std::string& script) {
  // The script's name with .gp replaced: SCENARIO-STRATEGY.log.
  const std::string log_path = script.substr(0, script.rfind('.')) + ".log";
  const int exit_code = RunIn(gnuplot, dir->stage(), script, log_path);
  const std::string log = exit_code != 0 ? ReadStart(dir, log_path) : "";
  unlinkat(dir->stage(), log_path.c_str(), 0);  // Only warnings if it ran.
  if (exit_code != 0) {
    return Status::IOError("gnuplot failed on " + dir->path() + "/" +
                           script + " (exit " + std::to_string(exit_code) +
                           "): " + (log.empty() ? "no message" : log));
  }
  return Status::OK();
}

}  // namespace ctrbench
