// Who gets into the manager server, and how a flood is kept from locking it:
// the source a connection counts against (OpenSSH's PerSourceMaxStartups),
// an acceptor that stays calm out of file descriptors, and a log of
// refusals that a flood cannot flood. Both server models use them
// (loop_model.cc, threads_model.cc); the budgets themselves are
// ServerOptions'.

#ifndef CTRBENCH_BACKENDS_MANAGER_ADMISSION_H_
#define CTRBENCH_BACKENDS_MANAGER_ADMISSION_H_

#include <cstdint>
#include <mutex>
#include <string>

namespace ctrbench {
namespace manager {

// Where a connection comes from, for the budget of the unauthenticated:
// the peer's user on a Unix socket ("uid 1000"), its address over TCP. A
// flood from one source then takes the slots of that source, not another's.
std::string SourceOf(int fd);

// Sends one error frame to a connection about to be refused, and closes it.
void Refuse(int fd, const std::string& message);

// Lines about refused clients on stderr, at most kLinesPerSecond a second,
// then a count of the rest. Safe for concurrent use (the threads model).
class RefusalLog {
 public:
  void Say(const std::string& what);

 private:
  static constexpr int kLinesPerSecond = 5;
  std::mutex mu_;
  int64_t window_start_ = 0;
  int said_ = 0;
  uint64_t suppressed_ = 0;
};

// Takes new clients. Out of descriptors, accept() fails and the listening
// socket stays readable, so an event loop would spin on it and the client
// would wait without a word: a descriptor kept in reserve is let go to take
// the client, tell it and close it, and is then taken back.
class Acceptor {
 public:
  Acceptor(int listen_fd, int flags);
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // A new client, or -1: none waits (EAGAIN), one was turned away for want
  // of descriptors, or (*starved) not even the reserve is left, and the
  // caller should stop accepting for a while.
  int Next(RefusalLog* log, bool* starved);

 private:
  void Reserve();
  const int listen_fd_;
  const int flags_;
  int reserve_ = -1;
};

}  // namespace manager
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_MANAGER_ADMISSION_H_
