// Addresses and sockets for the manager server and its clients.
//
//   Result<Address> a = ParseAddress("unix:/tmp/x/sock");  // or tcp:HOST:PORT
//   Result<int> fd = ConnectTo(*a, /*timeout_ms=*/2000);

#ifndef CTRBENCH_BACKENDS_MANAGER_NET_H_
#define CTRBENCH_BACKENDS_MANAGER_NET_H_

#include <string>

#include "counters/status.h"

namespace ctrbench {
namespace manager {

struct Address {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kUnix;
  std::string path;  // kUnix.
  std::string host;  // kTcp: an IPv4 or IPv6 literal, or "localhost".
  int port = 0;      // kTcp.

  std::string ToString() const;
};

// "unix:PATH", "tcp:HOST:PORT" ("tcp:[::1]:PORT" for IPv6), or "tcp:PORT"
// for 127.0.0.1.
Result<Address> ParseAddress(const std::string& text);

// A listening socket. A Unix socket is created owner-only (0600); TCP sets
// SO_REUSEADDR. Port 0 picks a free port (see BoundPort).
Result<int> Listen(const Address& address, int backlog);
int BoundPort(int fd);

// Connects within `timeout_ms`; the socket is blocking, with send and
// receive timeouts of `io_timeout_ms`, and TCP_NODELAY for TCP.
Result<int> ConnectTo(const Address& address, int timeout_ms,
                      int io_timeout_ms);

Status SetNonBlocking(int fd);

// Writes all of `size` bytes (retrying short writes and EINTR).
Status WriteAll(int fd, const char* data, size_t size);

}  // namespace manager
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_MANAGER_NET_H_
