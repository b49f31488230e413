// The two concurrency models of `ctrbench server` (server.h), a file each:
// loop_model.cc (one thread, an epoll event loop) and threads_model.cc (a
// thread per connection). RunServer (server.cc) owns the listening socket
// and the signal descriptor; a model serves on them until a signal comes.
// Both answer requests through Commands (commands.h), and say the same to
// and about a client that breaks the rules (below).

#ifndef CTRBENCH_BACKENDS_MANAGER_MODELS_H_
#define CTRBENCH_BACKENDS_MANAGER_MODELS_H_

#include <cstddef>
#include <string>

#include "backends/manager/server.h"
#include "counters/status.h"

namespace ctrbench {
namespace manager {

// Serve the clients of `listen_fd` until `signal_fd` (a signalfd of
// SIGTERM and SIGINT) is readable. Neither descriptor is closed.
Status RunLoopModel(const ServerOptions& options, int listen_fd,
                    int signal_fd);
Status RunThreadsModel(const ServerOptions& options, int listen_fd,
                       int signal_fd);

// What a connection reads at once.
inline constexpr size_t kReadChunk = 64 * 1024;

// The last replies of a connection about to be closed.
inline constexpr char kMalformedFrame[] = "malformed frame; closing";
inline constexpr char kFrameTooSlow[] =
    "a frame did not arrive whole in time; closing";

// The log lines about a client closed for its slowness.
inline std::string HandshakeTimeout(const ServerOptions& options) {
  return "a client did not finish the handshake within " +
         std::to_string(options.auth_timeout_ms) + " ms; closed";
}
inline std::string FrameTimeout(const ServerOptions& options) {
  return "a client did not finish a frame within " +
         std::to_string(options.frame_timeout_ms) + " ms; closed";
}

}  // namespace manager
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_MANAGER_MODELS_H_
