// `ctrbench server`: a counter server process that owns the counters and
// answers clients over a Unix socket or TCP (docs/PROTOCOL.md), like
// Python's multiprocessing.Manager but lean. Two concurrency models:
//
//   loop     one thread and an epoll event loop; no locks, the way Redis
//            works.
//   threads  a thread per connection and a mutex per counter, the way
//            Python's Manager serves its clients.
//
// Each model has a file (models.h); what a request means is written once
// for both (commands.h).
//
// A malformed or oversized frame gets an error reply and its connection is
// closed; everyone else is served on. A lock held by a connection is
// released when it closes. SIGTERM or SIGINT: stop accepting, close, remove
// the Unix socket, return OK.

#ifndef CTRBENCH_BACKENDS_MANAGER_SERVER_H_
#define CTRBENCH_BACKENDS_MANAGER_SERVER_H_

#include <string>

#include "backends/manager/net.h"
#include "counters/status.h"

namespace ctrbench {
namespace manager {

enum class Model { kLoop, kThreads };
Result<Model> ParseModel(const std::string& name);
const char* ModelName(Model m);

struct ServerOptions {
  Address listen;
  Model model = Model::kLoop;
  int max_connections = 1024;
  uint32_t max_counters = 1u << 26;
  // Empty: no handshake (allowed on loopback and Unix sockets only).
  // Otherwise every client must prove it holds the key (auth.h).
  std::string auth_key;
  int auth_timeout_ms = 5000;  // To finish the handshake.
  // Connections that have not proved who they are (with a key: not through
  // the handshake; without: no whole frame yet) hold at most this many
  // slots, and are the first to go when the server is full: a client that
  // has proved itself always gets in while one of them holds a slot. A new
  // one past this budget closes the oldest of them, as OpenSSH's
  // MaxStartups keeps the unauthenticated from filling the server.
  int max_unauthenticated = 64;
  // A frame must arrive whole within this long of its first byte.
  int frame_timeout_ms = 2000;
  // A connection with nothing in flight, no lock held and none waited for
  // is closed after this long; 0: never. When the server is full, the
  // longest idle connection makes room for a new client.
  int idle_timeout_s = 300;
  // The loop model: after serving, look for the next request this long
  // before sleeping (busy polling); 0: sleep at once, as Redis does.
  int busy_poll_us = 30;
};

// True for a TCP address on the loopback interface (127.0.0.0/8, ::1,
// localhost); a Unix socket counts too.
bool IsLocalAddress(const Address& address);

// Serves until SIGTERM or SIGINT. Prints "listening on ADDRESS" to stdout
// once it accepts connections.
Status RunServer(const ServerOptions& options);

}  // namespace manager
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_MANAGER_SERVER_H_
