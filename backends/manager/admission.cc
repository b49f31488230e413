#include "backends/manager/admission.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "backends/manager/protocol.h"
#include "counters/clock.h"

namespace ctrbench {
namespace manager {

std::string SourceOf(int fd) {
  sockaddr_storage peer = {};
  socklen_t length = sizeof(peer);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) {
    return "?";
  }
  if (peer.ss_family == AF_UNIX) {
    ucred cred = {};
    socklen_t size = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &size) == 0) {
      return "uid " + std::to_string(cred.uid);
    }
    return "unix";
  }
  char host[INET6_ADDRSTRLEN] = {};
  const void* address =
      peer.ss_family == AF_INET
          ? static_cast<const void*>(
                &reinterpret_cast<sockaddr_in*>(&peer)->sin_addr)
          : static_cast<const void*>(
                &reinterpret_cast<sockaddr_in6*>(&peer)->sin6_addr);
  inet_ntop(peer.ss_family, address, host, sizeof(host));
  return host;
}

void Refuse(int fd, const std::string& message) {
  Reply error;
  error.status = ReplyStatus::kError;
  error.text = message;
  std::string frame;
  EncodeReply(Op::kPing, error, &frame);
  send(fd, frame.data(), frame.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  close(fd);
}

void RefusalLog::Say(const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = NowNs();
  if (now - window_start_ >= 1000000000) {
    if (suppressed_ > 0) {
      std::fprintf(stderr, "ctrbench server: %llu more refusal(s) not shown\n",
                   static_cast<unsigned long long>(suppressed_));
    }
    window_start_ = now;
    said_ = 0;
    suppressed_ = 0;
  }
  if (said_ >= kLinesPerSecond) {
    ++suppressed_;
    return;
  }
  ++said_;
  std::fprintf(stderr, "ctrbench server: %s\n", what.c_str());
  std::fflush(stderr);
}

Acceptor::Acceptor(int listen_fd, int flags)
    : listen_fd_(listen_fd), flags_(flags) {
  Reserve();
}

Acceptor::~Acceptor() {
  if (reserve_ >= 0) close(reserve_);
}

void Acceptor::Reserve() {
  reserve_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int Acceptor::Next(RefusalLog* log, bool* starved) {
  *starved = false;
  const int fd = accept4(listen_fd_, nullptr, nullptr, flags_);
  if (fd >= 0 || (errno != EMFILE && errno != ENFILE)) return fd;
  const int err = errno;
  if (reserve_ >= 0) {
    close(reserve_);
    reserve_ = -1;
    const int turned = accept4(listen_fd_, nullptr, nullptr, flags_);
    if (turned >= 0) {
      Refuse(turned, "the server is out of file descriptors; try again later");
    }
  }
  log->Say(std::string("out of file descriptors (") + std::strerror(err) +
           "); a client was turned away");
  Reserve();
  *starved = reserve_ < 0;
  errno = EAGAIN;
  return -1;
}

}  // namespace manager
}  // namespace ctrbench
