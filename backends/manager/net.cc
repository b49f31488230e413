#include "backends/manager/net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "counters/clock.h"

namespace ctrbench {
namespace manager {

namespace {

// Resolves a TCP address to a sockaddr; only literals and "localhost",
// since ctrbench never needs DNS.
Status Resolve(const Address& a, sockaddr_storage* out, socklen_t* len) {
  std::memset(out, 0, sizeof(*out));
  const std::string host = a.host == "localhost" ? "127.0.0.1" : a.host;
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(a.port));
    *len = sizeof(*v4);
    return Status::OK();
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(a.port));
    *len = sizeof(*v6);
    return Status::OK();
  }
  return Status::InvalidArgument("'" + a.host + "' is not an IP address");
}

Status UnixSockaddr(const Address& a, sockaddr_un* out) {
  std::memset(out, 0, sizeof(*out));
  out->sun_family = AF_UNIX;
  if (a.path.size() >= sizeof(out->sun_path)) {
    return Status::InvalidArgument("unix socket path is too long: " + a.path);
  }
  std::memcpy(out->sun_path, a.path.c_str(), a.path.size());
  return Status::OK();
}

void SetTimeout(int fd, int option, int ms) {
  timeval tv;
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  setsockopt(fd, SOL_SOCKET, option, &tv, sizeof(tv));
}

}  // namespace

std::string Address::ToString() const {
  if (kind == Kind::kUnix) return "unix:" + path;
  if (host.find(':') != std::string::npos) {
    return "tcp:[" + host + "]:" + std::to_string(port);
  }
  return "tcp:" + host + ":" + std::to_string(port);
}

Result<Address> ParseAddress(const std::string& text) {
  const std::string expected =
      "expected unix:PATH, tcp:HOST:PORT or tcp:PORT (127.0.0.1), e.g. "
      "tcp:127.0.0.1:7000";
  Address a;
  if (text.rfind("unix:", 0) == 0) {
    a.kind = Address::Kind::kUnix;
    a.path = text.substr(5);
    if (a.path.empty()) {
      return Status::InvalidArgument("'" + text + "': " + expected);
    }
    sockaddr_un probe;
    Status st = UnixSockaddr(a, &probe);
    if (!st.ok()) return st;
    return a;
  }
  if (text.rfind("tcp:", 0) == 0) {
    a.kind = Address::Kind::kTcp;
    std::string rest = text.substr(4);
    // "tcp:PORT": loopback, so nothing listens beyond this machine unless
    // the user names another address.
    if (!rest.empty() &&
        rest.find_first_not_of("0123456789") == std::string::npos) {
      rest = "127.0.0.1:" + rest;
    }
    size_t colon;
    if (!rest.empty() && rest[0] == '[') {
      const size_t close = rest.find(']');
      if (close == std::string::npos || close + 1 >= rest.size() ||
          rest[close + 1] != ':') {
        return Status::InvalidArgument("'" + text + "': " + expected);
      }
      a.host = rest.substr(1, close - 1);
      colon = close + 1;
    } else {
      colon = rest.rfind(':');
      if (colon == std::string::npos) {
        return Status::InvalidArgument("'" + text + "': " + expected);
      }
      a.host = rest.substr(0, colon);
    }
    const std::string port = rest.substr(colon + 1);
    char* end = nullptr;
    const long p = std::strtol(port.c_str(), &end, 10);
    if (a.host.empty() || port.empty() || *end != '\0' || p < 0 ||
        p > 65535) {
      return Status::InvalidArgument("'" + text + "': " + expected);
    }
    a.port = static_cast<int>(p);
    sockaddr_storage ss;
    socklen_t len;
    Status st = Resolve(a, &ss, &len);
    if (!st.ok()) {
      return Status::InvalidArgument("'" + text + "': " + st.message() +
                                     "; " + expected);
    }
    return a;
  }
  return Status::InvalidArgument("'" + text + "': " + expected);
}

Result<int> Listen(const Address& a, int backlog) {
  if (a.kind == Address::Kind::kUnix) {
    sockaddr_un sa;
    Status st = UnixSockaddr(a, &sa);
    if (!st.ok()) return st;
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Status::FromErrno("socket", errno);
    // Owner-only from the start: umask covers the window before chmod.
    const mode_t old = umask(0077);
    const int rc = bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa));
    const int bind_errno = errno;
    umask(old);
    if (rc != 0) {
      close(fd);
      return Status::FromErrno("bind " + a.ToString(), bind_errno);
    }
    chmod(a.path.c_str(), 0600);
    if (listen(fd, backlog) != 0) {
      const int e = errno;
      close(fd);
      unlink(a.path.c_str());
      return Status::FromErrno("listen " + a.ToString(), e);
    }
    return fd;
  }
  sockaddr_storage ss;
  socklen_t len;
  Status st = Resolve(a, &ss, &len);
  if (!st.ok()) return st;
  const int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno("socket", errno);
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
      listen(fd, backlog) != 0) {
    const int e = errno;
    close(fd);
    return Status::FromErrno("listen " + a.ToString(), e);
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  }
  if (ss.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  }
  return 0;
}

Result<int> ConnectTo(const Address& a, int timeout_ms, int io_timeout_ms) {
  sockaddr_storage ss;
  socklen_t len;
  int family;
  if (a.kind == Address::Kind::kUnix) {
    Status st = UnixSockaddr(a, reinterpret_cast<sockaddr_un*>(&ss));
    if (!st.ok()) return st;
    len = sizeof(sockaddr_un);
    family = AF_UNIX;
  } else {
    Status st = Resolve(a, &ss, &len);
    if (!st.ok()) return st;
    family = ss.ss_family;
  }
  const int64_t deadline = NowNs() + int64_t{timeout_ms} * 1000000;
  int fd = -1;
  int rc = 0;
  for (;;) {
    fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return Status::FromErrno("socket", errno);
    rc = connect(fd, reinterpret_cast<sockaddr*>(&ss), len);
    if (rc == 0 || errno != EAGAIN || family != AF_UNIX ||
        NowNs() >= deadline) {
      break;
    }
    // A Unix socket whose backlog is full (a busy server, or a flood)
    // says EAGAIN at once instead of waiting: wait for room, up to the
    // timeout.
    close(fd);
    usleep(1000);
  }
  if (rc != 0) {
    if (errno != EINPROGRESS) {
      const int e = errno;
      close(fd);
      return Status::FromErrno("connect " + a.ToString(), e);
    }
    pollfd p = {fd, POLLOUT, 0};
    const int ready = poll(&p, 1, timeout_ms);
    int err = 0;
    socklen_t err_len = sizeof(err);
    if (ready <= 0) {
      close(fd);
      return Status::IOError("connect " + a.ToString() + ": no answer within " +
                             std::to_string(timeout_ms) + " ms");
    }
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
    if (err != 0) {
      close(fd);
      return Status::FromErrno("connect " + a.ToString(), err);
    }
  }
  const int flags = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  SetTimeout(fd, SO_RCVTIMEO, io_timeout_ms);
  SetTimeout(fd, SO_SNDTIMEO, io_timeout_ms);
  if (family != AF_UNIX) {
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  return fd;
}

Status SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    return Status::FromErrno("fcntl O_NONBLOCK", errno);
  }
  return Status::OK();
}

Status WriteAll(int fd, const char* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = send(fd, data + done, size - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return Status::IOError("send: timed out");
      }
      return Status::FromErrno("send", errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

}  // namespace manager
}  // namespace ctrbench
