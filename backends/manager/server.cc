// `ctrbench server`'s life (server.h): the listening socket and the
// signals, the model that serves on them (models.h), and what is left to
// remove at the end.

#include "backends/manager/server.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "backends/manager/models.h"

namespace ctrbench {
namespace manager {

namespace {

// Blocks SIGTERM and SIGINT for this thread and the threads it starts, and
// returns a descriptor that reads them.
Result<int> SignalFd() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) {
    return Status::FromErrno("server: block signals", errno);
  }
  const int fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) return Status::FromErrno("server: signalfd", errno);
  return fd;
}

}  // namespace

bool IsLocalAddress(const Address& address) {
  if (address.kind == Address::Kind::kUnix) return true;
  const std::string& h = address.host;
  return h == "localhost" || h == "::1" || h == "[::1]" || h.rfind("127.", 0) == 0;
}

Result<Model> ParseModel(const std::string& name) {
  if (name == "loop") return Model::kLoop;
  if (name == "threads") return Model::kThreads;
  return Status::InvalidArgument("unknown model '" + name +
                                 "'; allowed: loop, threads");
}

const char* ModelName(Model m) {
  return m == Model::kLoop ? "loop" : "threads";
}

Status RunServer(const ServerOptions& options) {
  Result<int> signal_fd = SignalFd();
  if (!signal_fd.ok()) return signal_fd.status();
  Result<int> listen_fd = Listen(options.listen, 512);
  if (!listen_fd.ok()) {
    close(*signal_fd);
    return listen_fd.status().WithContext("server");
  }
  // What our socket is, to remove it and nothing else at the end.
  struct stat bound = {};
  if (options.listen.kind == Address::Kind::kUnix) {
    lstat(options.listen.path.c_str(), &bound);
  }
  Address shown = options.listen;
  if (shown.kind == Address::Kind::kTcp) shown.port = BoundPort(*listen_fd);
  std::printf("listening on %s (model %s)\n", shown.ToString().c_str(),
              ModelName(options.model));
  std::fflush(stdout);
  const Status st = options.model == Model::kLoop
                        ? RunLoopModel(options, *listen_fd, *signal_fd)
                        : RunThreadsModel(options, *listen_fd, *signal_fd);
  close(*listen_fd);
  if (options.listen.kind == Address::Kind::kUnix) {
    // Our socket only: a name someone put in its place stays.
    struct stat now;
    if (lstat(options.listen.path.c_str(), &now) == 0 && S_ISSOCK(now.st_mode) &&
        now.st_dev == bound.st_dev && now.st_ino == bound.st_ino) {
      unlink(options.listen.path.c_str());
    }
  }
  close(*signal_fd);
  return st;
}

}  // namespace manager
}  // namespace ctrbench
