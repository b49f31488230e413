#include "backends/manager/server.h"

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "backends/manager/admission.h"
#include "backends/manager/auth.h"
#include "backends/manager/protocol.h"
#include "counters/clock.h"

namespace ctrbench {
namespace manager {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
// A connection whose replies pile up past this (a client that sends and
// never reads) is not read from until they drain: its memory stays bounded.
constexpr size_t kMaxPendingOutput = 4 * 1024 * 1024;

// The log line of both models for a client that ran out of handshake time.
std::string HandshakeTimeout(const ServerOptions& options) {
  return "a client did not finish the handshake within " +
         std::to_string(options.auth_timeout_ms) + " ms; closed";
}

Reply Error(const std::string& message) {
  Reply r;
  r.status = ReplyStatus::kError;
  r.text = message;
  return r;
}

std::string NoCounter(uint32_t key) {
  return "no counter " + std::to_string(key) +
         " (ALLOC or RESET makes counters)";
}

// The checks ALLOC and FREE share between the two models.
std::string AllocError(uint32_t count, uint32_t top, uint32_t max_counters) {
  if (count == 0) return "ALLOC 0: the count must be at least 1";
  if (count > max_counters - top) {
    return "ALLOC " + std::to_string(count) + ": the server holds at most " +
           std::to_string(max_counters) + " counters (" + std::to_string(top) +
           " in use)";
  }
  return "";
}

// As Redis answers an INCRBY past the range: nothing changes.
std::string Overflow(uint32_t key) {
  return "ADD " + std::to_string(key) +
         ": the value would overflow a signed 64-bit integer";
}

std::string NotYourRange(uint32_t base) {
  return "FREE " + std::to_string(base) +
         ": no range of this connection's starts there";
}

constexpr char kLockFreed[] = "LOCK interrupted: the counter was freed";

// A range of counters that ALLOC gave a connection.
struct Range {
  uint32_t count = 0;
  uint64_t conn = 0;
};

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

// ------------------------------------------------------------ loop model

class LoopServer {
 public:
  LoopServer(const ServerOptions& options, int listen_fd, int signal_fd)
      : options_(options), listen_fd_(listen_fd), signal_fd_(signal_fd) {}

  ~LoopServer() {
    for (auto& [id, conn] : conns_) close(conn->fd);
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }

  Status Run() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) return Status::FromErrno("server: epoll", errno);
    Status st = SetNonBlocking(listen_fd_);
    if (!st.ok()) return st;
    Watch(listen_fd_, kListenId, EPOLLIN, EPOLL_CTL_ADD);
    Watch(signal_fd_, kSignalId, EPOLLIN, EPOLL_CTL_ADD);
    epoll_event events[256];
    int64_t next_sweep = NowNs() + kSweepNs;
    const int64_t busy_poll_ns = int64_t{options_.busy_poll_us} * 1000;
    int64_t busy_until = 0;
    for (;;) {
      // Busy polling: for a while after serving, the loop looks for the
      // next request instead of sleeping, so that a client's next request
      // does not pay for waking the server (on a VM that wake-up took
      // longer than serving: 1 client went from 16 k to 36 k requests/s).
      int n = 0;
      do {
        n = epoll_wait(epoll_fd_, events, 256, 0);
      } while (n == 0 && NowNs() < busy_until);
      if (n == 0) n = epoll_wait(epoll_fd_, events, 256, 250);
      if (n > 0 && busy_poll_ns > 0) busy_until = NowNs() + busy_poll_ns;
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno("server: epoll_wait", errno);
      }
      if (NowNs() >= next_sweep) {
        Sweep();
        next_sweep = NowNs() + kSweepNs;
        if (accept_paused_) {
          accept_paused_ = false;
          Watch(listen_fd_, kListenId, EPOLLIN, EPOLL_CTL_ADD);
        }
      }
      bool new_clients = false;
      for (int i = 0; i < n; ++i) {
        const uint64_t id = events[i].data.u64;
        if (id == kSignalId) return Status::OK();
        if (id == kListenId) {
          new_clients = true;  // After what the others sent (below).
          continue;
        }
        auto it = conns_.find(id);
        if (it == conns_.end()) continue;  // Closed earlier in this batch.
        Conn* conn = it->second.get();
        const uint32_t ev = events[i].events;
        if (ev & EPOLLIN) {
          conn->last_active_ns = NowNs();
          OnReadable(conn);
        } else if (ev & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
          conn->closing = true;  // A blocked client that went away.
          conn->out.clear();
          conn->out_off = 0;
        }
        if (ev & EPOLLOUT) conn->want_flush = true;
        dirty_.push_back(id);
      }
      // Handshakes that arrived are done before new clients come in (one
      // of whom might otherwise push a client out just as it answers).
      ProcessDirty();
      if (new_clients) {
        Accept();
        ProcessDirty();  // Their challenges.
      }
    }
  }

 private:
  static constexpr uint64_t kListenId = 0;
  static constexpr uint64_t kSignalId = UINT64_MAX;
  static constexpr int64_t kSweepNs = 250000000;
  static constexpr int kAcceptBatch = 32;

  struct Conn {
    uint64_t id = 0;
    int fd = -1;
    std::string in;
    size_t in_off = 0;
    std::string out;
    size_t out_off = 0;
    bool blocked = false;     // Waiting for a LOCK grant (in a queue).
    bool closing = false;     // Close once the output is written.
    bool want_flush = false;
    uint32_t events = 0;      // What epoll watches now.
    std::vector<uint32_t> held;
    std::vector<uint32_t> allocs;  // Bases of its ALLOC ranges.
    // The handshake: 0 done (or none), 1 our challenge is out, 2 the
    // client has answered it and its own challenge is due.
    int auth = 0;
    std::string challenge;
    int64_t auth_deadline_ns = 0;
    int64_t last_active_ns = 0;
    int64_t accepted_ns = 0;
    // Through the handshake, or (without a key) one whole frame sent:
    // until then it holds a slot of the small unauthenticated budget.
    bool authenticated = false;
    std::string source;  // SourceOf(): whose budget it counts in.
    int64_t frame_started_ns = 0;  // A partial frame's first byte; 0: none.
    bool capped = false;   // Requests wait for its output to drain.
    int64_t closing_seen_ns = 0;  // When a sweep first saw it closing.

    // Nothing in flight, no lock held or waited for, and no range of
    // counters: a run's owner connection is quiet for the whole run, and
    // closing it would free the run's counters.
    bool Idle() const {
      return auth == 0 && !blocked && held.empty() &&
             allocs.empty() && in.size() == in_off && out.size() == out_off;
    }
  };

  // Connections a released lock has woken, and everything touched.
  void ProcessDirty() {
    while (!dirty_.empty()) {
      const uint64_t id = dirty_.front();
      dirty_.pop_front();
      auto it = conns_.find(id);
      if (it == conns_.end()) continue;
      Conn* conn = it->second.get();
      Process(conn);
      Flush(conn);
    }
  }

  // Closes connections that did not finish the handshake in time, and
  // idle ones past the idle timeout.
  void Sweep() {
    const int64_t now = NowNs();
    std::vector<Conn*> expired;
    for (auto& [id, conn] : conns_) {
      if (conn->closing) {
        // A client that never reads its last replies cannot keep its
        // slot: after 5 s the connection goes without them.
        if (conn->closing_seen_ns == 0) {
          conn->closing_seen_ns = now;
        } else if (now - conn->closing_seen_ns > 5000000000LL) {
          expired.push_back(conn.get());
        }
        continue;
      }
      if (conn->auth != 0 && now > conn->auth_deadline_ns) {
        log_.Say(HandshakeTimeout(options_));
        conn->in.clear();
        conn->in_off = 0;
        EncodeReply(Op::kPing, Error("no handshake in time; closing"),
                    &conn->out);
        conn->closing = true;
        dirty_.push_back(id);  // Flushed, then closed.
      } else if (conn->frame_started_ns != 0 && !conn->blocked &&
                 !conn->capped &&
                 now - conn->frame_started_ns >
                     int64_t{options_.frame_timeout_ms} * 1000000) {
        log_.Say("a client did not finish a frame within " +
                 std::to_string(options_.frame_timeout_ms) + " ms; closed");
        conn->in.clear();
        conn->in_off = 0;
        conn->frame_started_ns = 0;
        EncodeReply(Op::kPing, Error("a frame did not arrive whole in time; "
                                     "closing"),
                    &conn->out);
        conn->closing = true;
        dirty_.push_back(id);
      } else if (options_.idle_timeout_s > 0 && conn->Idle() &&
                 now - conn->last_active_ns >
                     int64_t{options_.idle_timeout_s} * 1000000000) {
        expired.push_back(conn.get());
      }
    }
    for (Conn* c : expired) Close(c);
  }

  // The idle connection that has been idle longest, or null.
  Conn* LongestIdle() {
    Conn* oldest = nullptr;
    for (auto& [id, conn] : conns_) {
      if (conn->closing || !conn->Idle()) continue;
      if (oldest == nullptr || conn->last_active_ns < oldest->last_active_ns) {
        oldest = conn.get();
      }
    }
    return oldest;
  }

  // The oldest connection from `source` that has not proved itself; with
  // "" the oldest of the source that holds the most of them. Null if none.
  Conn* OldestStranger(const std::string& source) {
    std::string from = source;
    if (from.empty()) {
      int most = 0;
      for (const auto& [where, count] : strangers_) {
        if (count > most) {
          most = count;
          from = where;
        }
      }
    }
    Conn* oldest = nullptr;
    for (auto& [id, conn] : conns_) {
      if (conn->authenticated || conn->source != from) continue;
      if (oldest == nullptr || conn->accepted_ns < oldest->accepted_ns) {
        oldest = conn.get();
      }
    }
    return oldest;
  }

  // A connection has proved itself: it leaves its source's budget.
  void Authenticated(Conn* c) {
    if (c->authenticated) return;
    c->authenticated = true;
    auto it = strangers_.find(c->source);
    if (it != strangers_.end() && --it->second == 0) strangers_.erase(it);
  }

  // Room for one more, not yet authenticated, connection from `source`:
  // false if there is none to be made. Each source has a small budget of
  // strangers, past which its own oldest goes; when the server is full the
  // strangers go first (of the source that holds the most), and an
  // authenticated client loses its slot only when it is idle and no
  // stranger holds one.
  bool MakeRoom(const std::string& source) {
    auto mine = strangers_.find(source);
    if (mine != strangers_.end() &&
        mine->second >= options_.max_unauthenticated) {
      log_.Say("unauthenticated connections from " + source +
               " at their limit (" +
               std::to_string(options_.max_unauthenticated) +
               "); the oldest closed");
      Close(OldestStranger(source));
      return true;
    }
    if (static_cast<int>(conns_.size()) < options_.max_connections) return true;
    Conn* victim = strangers_.empty() ? LongestIdle() : OldestStranger("");
    if (victim == nullptr) return false;
    Close(victim);
    return true;
  }

  void Watch(int fd, uint64_t id, uint32_t events, int op) {
    epoll_event ev = {};
    ev.events = events;
    ev.data.u64 = id;
    epoll_ctl(epoll_fd_, op, fd, &ev);
  }

  // Takes up to kAcceptBatch new clients (a burst waits for the next
  // round, after the handshakes that came meanwhile).
  void Accept() {
    for (int taken = 0; taken < kAcceptBatch; ++taken) {
      bool starved = false;
      const int fd = acceptor_.Next(&log_, &starved);
      if (starved) {
        // Not even the reserve descriptor: stop watching for new clients
        // until the next sweep, instead of waking for them in a spin.
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        accept_paused_ = true;
      }
      if (fd < 0) return;  // EAGAIN, or a client that left already.
      const std::string source = SourceOf(fd);
      if (!MakeRoom(source)) {
        log_.Say("too many connections (limit " +
                 std::to_string(options_.max_connections) +
                 ", none idle); a client refused");
        Refuse(fd, "too many connections (limit " +
                       std::to_string(options_.max_connections) +
                       ", none idle)");
        continue;
      }
      auto conn = std::make_unique<Conn>();
      conn->id = next_id_++;
      conn->fd = fd;
      conn->events = EPOLLIN | EPOLLRDHUP;
      conn->last_active_ns = conn->accepted_ns = NowNs();
      conn->source = source;
      ++strangers_[source];
      if (!options_.auth_key.empty()) {
        conn->auth = 1;
        conn->challenge = NewChallenge();
        conn->auth_deadline_ns =
            conn->last_active_ns + int64_t{options_.auth_timeout_ms} * 1000000;
        conn->out = AuthFrame(kAuthChallenge, conn->challenge);
        dirty_.push_back(conn->id);
      }
      Watch(fd, conn->id, conn->events, EPOLL_CTL_ADD);
      conns_[conn->id] = std::move(conn);
    }
  }

  void OnReadable(Conn* c) {
    char buffer[kReadChunk];
    const ssize_t n = recv(c->fd, buffer, sizeof(buffer), 0);
    if (n > 0) {
      c->in.append(buffer, static_cast<size_t>(n));
      return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    // The client went away, perhaps mid-request: drop it and what it sent.
    c->closing = true;
    c->in.clear();
    c->in_off = 0;
    c->out.clear();
    c->out_off = 0;
  }

  // The handshake's frames, before any request (auth.h).
  void Authenticate(Conn* c) {
    while (c->auth != 0 && !c->closing) {
      uint8_t head = 0;
      std::string payload;
      size_t used = 0;
      const Decode d = DecodeAuthFrame(c->in.data() + c->in_off,
                                       c->in.size() - c->in_off, &head,
                                       &payload, &used);
      if (d == Decode::kNeedMore) return;
      const bool good =
          d == Decode::kOk &&
          (c->auth == 1 ? head == kAuthResponse &&
                              MacMatches(options_.auth_key, c->challenge,
                                         payload)
                        : head == kAuthChallenge);
      if (!good) {
        log_.Say("a client failed authentication; closed");
        EncodeReply(Op::kPing, Error("authentication failed; closing"),
                    &c->out);
        c->closing = true;
        return;
      }
      c->in_off += used;
      if (c->auth == 1) {
        c->auth = 2;
      } else {
        c->out += AuthFrame(kAuthResponse, Mac(options_.auth_key, payload));
        c->auth = 0;
        Authenticated(c);
      }
    }
  }

  void Process(Conn* c) {
    Authenticate(c);
    c->capped = false;
    while (!c->blocked && !c->closing && c->auth == 0) {
      if (c->out.size() - c->out_off >= kMaxPendingOutput) {
        c->capped = true;
        break;
      }
      Request req;
      size_t used = 0;
      const Decode d = DecodeRequest(c->in.data() + c->in_off,
                                     c->in.size() - c->in_off, &req, &used);
      if (d == Decode::kNeedMore) {
        // A frame's first bytes start its deadline (Sweep).
        if (c->in.size() > c->in_off && c->frame_started_ns == 0) {
          c->frame_started_ns = NowNs();
        }
        break;
      }
      if (d == Decode::kMalformed) {
        EncodeReply(Op::kPing, Error("malformed frame; closing"), &c->out);
        c->closing = true;
        break;
      }
      c->in_off += used;
      c->frame_started_ns = 0;
      Authenticated(c);  // With a key it was already, by the handshake.
      Execute(c, req);
    }
    if (c->in_off > 0 && c->in_off == c->in.size()) {
      c->in.clear();
      c->in_off = 0;
    } else if (c->in_off > kReadChunk) {
      c->in.erase(0, c->in_off);
      c->in_off = 0;
    }
  }

  void Reply(Conn* c, Op op, const manager::Reply& r) {
    char frame[kMaxReplyFrame];
    c->out.append(frame, EncodeReply(op, r, frame));
  }

  void Execute(Conn* c, const Request& q) {
    ++requests_;
    manager::Reply r;
    switch (q.op) {
      case Op::kPing:
        break;
      case Op::kAdd:
      case Op::kGet:
      case Op::kSet:
      case Op::kCas:
      case Op::kLock:
      case Op::kUnlock:
        if (q.key >= values_.size() || !live_[q.key]) {
          r = Error(NoCounter(q.key));
          break;
        }
        if (q.op == Op::kAdd) {
          if (__builtin_add_overflow(values_[q.key], q.a, &r.value)) {
            r = Error(Overflow(q.key));
            break;
          }
          values_[q.key] = r.value;
        } else if (q.op == Op::kGet) {
          r.value = values_[q.key];
        } else if (q.op == Op::kSet) {
          values_[q.key] = q.a;
        } else if (q.op == Op::kCas) {
          r.swapped = values_[q.key] == q.a;
          if (r.swapped) values_[q.key] = q.b;
          r.value = values_[q.key];
        } else if (q.op == Op::kLock) {
          if (owner_[q.key] == c->id) {
            r = Error("LOCK " + std::to_string(q.key) + ": already held");
          } else if (owner_[q.key] != 0) {
            waiters_[q.key].push_back(c->id);  // Answered when granted.
            c->blocked = true;
            return;
          } else {
            owner_[q.key] = c->id;
            c->held.push_back(q.key);
          }
        } else if (!Unlock(c, q.key)) {
          r = Error("UNLOCK " + std::to_string(q.key) + ": not held");
        }
        break;
      case Op::kReset:
        if (q.key > options_.max_counters) {
          r = Error("RESET " + std::to_string(q.key) + ": at most " +
                    std::to_string(options_.max_counters) + " counters");
          break;
        }
        // The whole server: every range and lock goes.
        values_.assign(q.key, 0);
        owner_.assign(q.key, 0);
        live_.assign(q.key, 1);
        Compact();
        waiters_.clear();
        ranges_.clear();
        legacy_ = q.key;
        for (auto& [id, conn] : conns_) {
          conn->held.clear();
          conn->allocs.clear();
          if (conn->blocked) {  // Its LOCK is gone with the old counters.
            conn->blocked = false;
            Reply(conn.get(), Op::kLock, Error("LOCK interrupted by RESET"));
            dirty_.push_back(id);
          }
        }
        break;
      case Op::kAlloc: {
        const uint32_t top = static_cast<uint32_t>(values_.size());
        const std::string error =
            AllocError(q.key, top, options_.max_counters);
        if (!error.empty()) {
          r = Error(error);
          break;
        }
        values_.resize(top + q.key, 0);
        owner_.resize(top + q.key, 0);
        live_.resize(top + q.key, 1);
        ranges_[top] = {q.key, c->id};
        c->allocs.push_back(top);
        r.value = top;
        break;
      }
      case Op::kFree: {
        auto it = ranges_.find(q.key);
        if (it == ranges_.end() || it->second.conn != c->id) {
          r = Error(NotYourRange(q.key));
          break;
        }
        Release(c, q.key);
        break;
      }
      case Op::kStats:
        r.text = "model=loop connections=" + std::to_string(conns_.size()) +
                 " requests=" + std::to_string(requests_) +
                 " counters=" + std::to_string(values_.size()) +
                 " ranges=" + std::to_string(ranges_.size()) +
                 " allocated=" + std::to_string(values_.capacity());
        break;
    }
    Reply(c, q.op, r);
  }

  // Frees the range at `base` that `c` allocated: its counters stop
  // existing, their locks go, and LOCKs waiting for them get an error.
  void Release(Conn* c, uint32_t base) {
    auto range = ranges_.find(base);
    const uint32_t end = base + range->second.count;
    ranges_.erase(range);
    c->allocs.erase(std::find(c->allocs.begin(), c->allocs.end(), base));
    for (uint32_t key = base; key < end; ++key) {
      live_[key] = 0;
      values_[key] = 0;
      if (owner_[key] != 0) {
        auto holder = conns_.find(owner_[key]);
        if (holder != conns_.end()) {
          std::vector<uint32_t>& held = holder->second->held;
          auto at = std::find(held.begin(), held.end(), key);
          if (at != held.end()) held.erase(at);
        }
        owner_[key] = 0;
      }
      auto waiting = waiters_.find(key);
      if (waiting == waiters_.end()) continue;
      for (uint64_t id : waiting->second) {
        auto w = conns_.find(id);
        if (w == conns_.end() || !w->second->blocked) continue;
        w->second->blocked = false;
        Reply(w->second.get(), Op::kLock, Error(kLockFreed));
        dirty_.push_back(id);
      }
      waiters_.erase(waiting);
    }
    // The table ends at the last range still in use (or RESET's count),
    // and gives memory back when it shrinks.
    uint32_t top = legacy_;
    if (!ranges_.empty()) {
      const auto& last = *ranges_.rbegin();
      top = std::max(top, last.first + last.second.count);
    }
    if (top < values_.size()) {
      values_.resize(top);
      owner_.resize(top);
      live_.resize(top);
      Compact();
    }
  }

  // Returns memory when the table is much smaller than what it holds.
  void Compact() {
    if (values_.capacity() > 2 * values_.size() + 4096) {
      values_.shrink_to_fit();
      owner_.shrink_to_fit();
      live_.shrink_to_fit();
    }
  }

  // Releases `key` if `c` holds it and grants it to the next live waiter.
  bool Unlock(Conn* c, uint32_t key) {
    if (key >= owner_.size() || owner_[key] != c->id) return false;
    auto held = std::find(c->held.begin(), c->held.end(), key);
    if (held != c->held.end()) c->held.erase(held);
    owner_[key] = 0;
    auto it = waiters_.find(key);
    while (it != waiters_.end() && !it->second.empty()) {
      const uint64_t next = it->second.front();
      it->second.pop_front();
      auto w = conns_.find(next);
      if (w == conns_.end() || w->second->closing) continue;
      Conn* waiter = w->second.get();
      owner_[key] = waiter->id;
      waiter->held.push_back(key);
      waiter->blocked = false;
      Reply(waiter, Op::kLock, manager::Reply());
      dirty_.push_back(waiter->id);  // Resume its pipelined requests.
      break;
    }
    if (it != waiters_.end() && it->second.empty()) waiters_.erase(it);
    return true;
  }

  void Flush(Conn* c) {
    while (c->out_off < c->out.size()) {
      const ssize_t n = send(c->fd, c->out.data() + c->out_off,
                             c->out.size() - c->out_off, MSG_NOSIGNAL);
      if (n > 0) {
        c->out_off += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      c->closing = true;  // The peer is gone.
      c->out.clear();
      c->out_off = 0;
      break;
    }
    if (c->out_off == c->out.size()) {
      c->out.clear();
      c->out_off = 0;
    }
    if (c->capped && c->out.size() - c->out_off < kMaxPendingOutput) {
      c->capped = false;
      dirty_.push_back(c->id);  // Serve the requests that waited.
    }
    if (c->closing && c->out.empty()) {
      Close(c);
      return;
    }
    // Read only while requests can be served: a blocked connection's
    // pipelined requests wait in the socket (backpressure).
    uint32_t events = EPOLLRDHUP;
    if (!c->blocked && !c->closing &&
        c->out.size() - c->out_off < kMaxPendingOutput) {
      events |= EPOLLIN;
    }
    if (!c->out.empty()) events |= EPOLLOUT;
    if (events != c->events) {
      c->events = events;
      Watch(c->fd, c->id, events, EPOLL_CTL_MOD);
    }
  }

  void Close(Conn* c) {
    // Its locks go to the next in line, its ranges are freed; nothing it
    // held leaks.
    const std::vector<uint32_t> held = c->held;
    for (uint32_t key : held) Unlock(c, key);
    const std::vector<uint32_t> allocs = c->allocs;
    for (uint32_t base : allocs) Release(c, base);
    Authenticated(c);  // Out of its source's budget.
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
    close(c->fd);
    conns_.erase(c->id);
  }

  const ServerOptions& options_;
  const int listen_fd_;
  const int signal_fd_;
  Acceptor acceptor_{listen_fd_, SOCK_NONBLOCK | SOCK_CLOEXEC};
  RefusalLog log_;
  bool accept_paused_ = false;
  // Connections not yet authenticated, by SourceOf().
  std::unordered_map<std::string, int> strangers_;
  int epoll_fd_ = -1;
  uint64_t next_id_ = 1;
  uint64_t requests_ = 0;
  std::unordered_map<uint64_t, std::unique_ptr<Conn>> conns_;
  std::deque<uint64_t> dirty_;
  std::vector<int64_t> values_;
  std::vector<uint64_t> owner_;  // Connection holding each LOCK; 0: none.
  std::vector<uint8_t> live_;    // 0: in a freed gap between ranges.
  std::unordered_map<uint32_t, std::deque<uint64_t>> waiters_;
  uint32_t legacy_ = 0;  // Counters 0..legacy_-1 of the last RESET.
  std::map<uint32_t, Range> ranges_;  // By base.
};

// --------------------------------------------------------- threads model

// Shared with its connection threads (shared_ptr): a thread that outlives
// Stop() keeps the server's state alive until it leaves, instead of
// touching a destroyed object.
class ThreadsServer : public std::enable_shared_from_this<ThreadsServer> {
 public:
  ThreadsServer(const ServerOptions& options, int listen_fd, int signal_fd)
      : options_(options),
        listen_fd_(listen_fd),
        signal_fd_(signal_fd),
        chunks_(new std::atomic<Counter*>[options.max_counters / kChunk + 1]) {
    for (uint32_t i = 0; i <= options.max_counters / kChunk; ++i) {
      chunks_[i].store(nullptr);
    }
  }

  ~ThreadsServer() {
    for (uint32_t i = 0; i <= options_.max_counters / kChunk; ++i) {
      delete[] chunks_[i].load();
    }
  }

  Status Run() {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {signal_fd_, POLLIN, 0}};
    for (;;) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno("server: poll", errno);
      }
      if (fds[1].revents) break;
      if (!(fds[0].revents & POLLIN)) continue;
      bool starved = false;
      const int fd = acceptor_.Next(&log_, &starved);
      if (starved) usleep(100000);  // Not even the reserve: wait, not spin.
      if (fd < 0) continue;
      const uint64_t id = next_id_++;
      const std::string source = SourceOf(fd);
      {
        std::lock_guard<std::mutex> lock(fds_mu_);
        if (!MakeRoomLocked(source)) {
          log_.Say("too many connections (limit " +
                   std::to_string(options_.max_connections) +
                   ", none unauthenticated); a client refused");
          Refuse(fd, "too many connections (limit " +
                         std::to_string(options_.max_connections) + ")");
          continue;
        }
        clients_[id] = {fd, NowNs(), false, false, source};
      }
      ++active_;
      std::thread([self = shared_from_this(), fd, id] {
        self->Serve(fd, id);
      }).detach();
    }
    Stop();
    return Status::OK();
  }

 private:
  static constexpr uint32_t kChunk = 4096;

  struct Counter {
    std::mutex mu;
    std::condition_variable cv;
    int64_t value = 0;
    uint64_t owner = 0;  // Connection holding the LOCK; 0: none.
    uint64_t next_ticket = 0, serving = 0;  // FIFO among LOCK waiters.
    bool live = false;        // False: freed, or never allocated.
    uint64_t generation = 0;  // Bumped when freed or RESET: waiters leave.
  };

  // Under c.mu: the counter starts over (zero, unlocked) and every LOCK
  // waiting for it leaves with an error.
  static void Renew(Counter& c, bool live) {
    c.value = 0;
    c.owner = 0;
    c.next_ticket = c.serving = 0;
    c.live = live;
    ++c.generation;
    c.cv.notify_all();
  }

  Counter* Find(uint32_t key) {
    if (key >= size_.load(std::memory_order_acquire)) return nullptr;
    return &chunks_[key / kChunk].load(std::memory_order_acquire)[key % kChunk];
  }

  // Under fds_mu_: room for one more connection from `source`, as the
  // loop model makes it (LoopServer::MakeRoom), except that an idle
  // authenticated client is never closed here: its thread sleeps in recv,
  // and its idle timeout ends it. A connection shut down leaves on its own
  // thread.
  bool MakeRoomLocked(const std::string& source) {
    std::map<std::string, std::pair<int, Client*>> strangers;  // Oldest.
    int live = 0;
    for (auto& [id, client] : clients_) {
      if (client.evicted) continue;
      ++live;
      if (client.authenticated) continue;
      auto& [count, oldest] = strangers[client.source];
      ++count;
      if (oldest == nullptr || client.accepted_ns < oldest->accepted_ns) {
        oldest = &client;
      }
    }
    Client* victim = nullptr;
    auto mine = strangers.find(source);
    if (mine != strangers.end() &&
        mine->second.first >= options_.max_unauthenticated) {
      log_.Say("unauthenticated connections from " + source +
               " at their limit (" +
               std::to_string(options_.max_unauthenticated) +
               "); the oldest closed");
      victim = mine->second.second;
    } else if (live >= options_.max_connections) {
      int most = 0;
      for (auto& [where, entry] : strangers) {
        if (entry.first > most) {
          most = entry.first;
          victim = entry.second;
        }
      }
      if (victim == nullptr) return false;
    }
    if (victim != nullptr) {
      victim->evicted = true;
      shutdown(victim->fd, SHUT_RDWR);
    }
    return true;
  }

  void MarkAuthenticated(uint64_t id) {
    std::lock_guard<std::mutex> lock(fds_mu_);
    auto it = clients_.find(id);
    if (it != clients_.end()) it->second.authenticated = true;
  }

  // Wakes every connection thread and waits (briefly) for them to finish.
  void Stop() {
    stopping_.store(true);
    {
      std::lock_guard<std::mutex> lock(fds_mu_);
      for (auto& [id, client] : clients_) shutdown(client.fd, SHUT_RDWR);
    }
    {
      // Under grow_mu_: threads woken by the shutdown may free ranges (and
      // chunks) meanwhile; they wait for this walk.
      std::lock_guard<std::mutex> grow(grow_mu_);
      const uint32_t size = size_.load();
      for (uint32_t chunk = 0; chunk * kChunk < size; ++chunk) {
        Counter* counters = chunks_[chunk].load();
        if (counters == nullptr) continue;
        for (uint32_t i = 0; i < kChunk; ++i) {
          std::lock_guard<std::mutex> lock(counters[i].mu);
          counters[i].cv.notify_all();
        }
      }
    }
    const int64_t deadline = NowNs() + 2000000000LL;
    while (active_.load() > 0 && NowNs() < deadline) {
      usleep(1000);
    }
  }

  manager::Reply Execute(const Request& q, uint64_t id,
                         std::vector<uint32_t>* held,
                         std::vector<uint32_t>* allocs) {
    ++requests_;
    manager::Reply r;
    if (q.op == Op::kPing) return r;
    if (q.op == Op::kStats) {
      std::lock_guard<std::mutex> grow(grow_mu_);
      r.text = "model=threads connections=" + std::to_string(active_.load()) +
               " requests=" + std::to_string(requests_.load()) +
               " counters=" + std::to_string(size_.load()) +
               " ranges=" + std::to_string(ranges_.size()) +
               " allocated=" + std::to_string(AllocatedLocked());
      return r;
    }
    if (q.op == Op::kReset) return Reset(q.key);
    if (q.op == Op::kAlloc) return Alloc(q.key, id, allocs);
    if (q.op == Op::kFree) {
      std::lock_guard<std::mutex> grow(grow_mu_);
      auto it = ranges_.find(q.key);
      if (it == ranges_.end() || it->second.conn != id) {
        return Error(NotYourRange(q.key));
      }
      ReleaseLocked(q.key);
      allocs->erase(std::find(allocs->begin(), allocs->end(), q.key));
      return r;
    }
    Counter* c = Find(q.key);
    if (c == nullptr) return Error(NoCounter(q.key));
    std::unique_lock<std::mutex> lock(c->mu);
    if (!c->live) return Error(NoCounter(q.key));
    switch (q.op) {
      case Op::kAdd:
        if (__builtin_add_overflow(c->value, q.a, &r.value)) {
          return Error(Overflow(q.key));
        }
        c->value = r.value;
        break;
      case Op::kGet:
        r.value = c->value;
        break;
      case Op::kSet:
        c->value = q.a;
        break;
      case Op::kCas:
        r.swapped = c->value == q.a;
        if (r.swapped) c->value = q.b;
        r.value = c->value;
        break;
      case Op::kLock: {
        if (c->owner == id) {
          return Error("LOCK " + std::to_string(q.key) + ": already held");
        }
        const uint64_t ticket = c->next_ticket++;
        const uint64_t generation = c->generation;
        c->cv.wait(lock, [&] {
          return stopping_.load() || c->generation != generation ||
                 (c->owner == 0 && c->serving == ticket);
        });
        if (stopping_.load()) return Error("server is stopping");
        if (c->generation != generation) {
          return Error(c->live ? "LOCK interrupted by RESET" : kLockFreed);
        }
        c->owner = id;
        ++c->serving;
        held->push_back(q.key);
        break;
      }
      case Op::kUnlock:
        if (c->owner != id) {
          return Error("UNLOCK " + std::to_string(q.key) + ": not held");
        }
        c->owner = 0;
        held->erase(std::find(held->begin(), held->end(), q.key));
        c->cv.notify_all();
        break;
      default:
        break;
    }
    return r;
  }

  // The whole server, as in the loop model: every range and every lock
  // goes, waiting LOCKs get an error.
  manager::Reply Reset(uint32_t count) {
    if (count > options_.max_counters) {
      return Error("RESET " + std::to_string(count) + ": at most " +
                   std::to_string(options_.max_counters) + " counters");
    }
    std::lock_guard<std::mutex> grow(grow_mu_);
    Grow(count);
    const uint32_t old = size_.load();
    for (uint32_t key = 0; key < std::max(old, count); ++key) {
      Counter& c = chunks_[key / kChunk].load()[key % kChunk];
      std::lock_guard<std::mutex> lock(c.mu);
      Renew(c, key < count);
    }
    size_.store(count, std::memory_order_release);
    ranges_.clear();
    legacy_ = count;
    Shrink(count);
    return manager::Reply();
  }

  manager::Reply Alloc(uint32_t count, uint64_t id,
                       std::vector<uint32_t>* allocs) {
    std::lock_guard<std::mutex> grow(grow_mu_);
    const uint32_t top = size_.load();
    const std::string error = AllocError(count, top, options_.max_counters);
    if (!error.empty()) return Error(error);
    Grow(top + count);
    for (uint32_t key = top; key < top + count; ++key) {
      Counter& c = chunks_[key / kChunk].load()[key % kChunk];
      std::lock_guard<std::mutex> lock(c.mu);
      Renew(c, true);
    }
    size_.store(top + count, std::memory_order_release);
    ranges_[top] = {count, id};
    allocs->push_back(top);
    manager::Reply r;
    r.value = top;
    return r;
  }

  // Under grow_mu_: frees the range at `base`. The chunks stay allocated
  // (a connection thread may hold a pointer into them) and are reused.
  void ReleaseLocked(uint32_t base) {
    auto range = ranges_.find(base);
    const uint32_t end = base + range->second.count;
    ranges_.erase(range);
    for (uint32_t key = base; key < end; ++key) {
      Counter& c = chunks_[key / kChunk].load()[key % kChunk];
      std::lock_guard<std::mutex> lock(c.mu);
      Renew(c, false);
    }
    uint32_t top = legacy_;
    if (!ranges_.empty()) {
      const auto& last = *ranges_.rbegin();
      top = std::max(top, last.first + last.second.count);
    }
    if (top < size_.load()) size_.store(top, std::memory_order_release);
    Shrink(top);
  }

  // Under grow_mu_: counters that have memory.
  uint64_t AllocatedLocked() const {
    uint64_t n = 0;
    for (uint32_t chunk = 0; chunk <= options_.max_counters / kChunk; ++chunk) {
      if (chunks_[chunk].load() != nullptr) n += kChunk;
    }
    return n;
  }

  // Under grow_mu_: gives back the chunks wholly above `top`, when the
  // connection asking is the only one: then no other thread can hold a
  // pointer into them (Find() never hands out one above size_).
  void Shrink(uint32_t top) {
    if (active_.load() > 1) return;
    for (uint32_t chunk = (top + kChunk - 1) / kChunk;
         chunk <= options_.max_counters / kChunk; ++chunk) {
      delete[] chunks_[chunk].exchange(nullptr);
    }
  }

  // Under grow_mu_: makes sure counters 0..count-1 have memory.
  void Grow(uint32_t count) {
    for (uint32_t chunk = 0; chunk * kChunk < count; ++chunk) {
      if (chunks_[chunk].load() == nullptr) {
        chunks_[chunk].store(new Counter[kChunk], std::memory_order_release);
      }
    }
  }

  static void SetReceiveTimeout(int fd, int64_t ms) {
    timeval tv = {static_cast<time_t>(ms / 1000),
                  static_cast<suseconds_t>(ms % 1000 * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }

  void Serve(int fd, uint64_t id) {
    std::string in, out;
    size_t in_off = 0;
    std::vector<uint32_t> held;
    std::vector<uint32_t> allocs;
    char buffer[kReadChunk];
    bool open = true;
    if (!options_.auth_key.empty()) {
      const Status st = AuthenticateClient(fd, options_.auth_key, &in,
                                           options_.auth_timeout_ms);
      if (!st.ok()) {
        log_.Say(st.code() == Status::Code::kBusy
                       ? HandshakeTimeout(options_)
                       : "a client failed authentication (" + st.message() +
                             "); closed");
        open = false;
      }
    }
    bool authenticated = false;
    if (open && !options_.auth_key.empty()) {
      authenticated = true;
      MarkAuthenticated(id);
    }
    const int64_t frame_ns = int64_t{options_.frame_timeout_ms} * 1000000;
    int64_t frame_started = 0;  // A partial frame's first byte; 0: none.
    bool short_timeout = false;  // recv() waits for a frame's deadline.
    // recv() waits at most the idle timeout: a connection that holds no
    // lock is then closed (a LOCK waiter waits in Execute, not here).
    SetReceiveTimeout(fd, int64_t{options_.idle_timeout_s} * 1000);
    bool pending = !in.empty();  // Frames that came with the handshake.
    while (open && !stopping_.load()) {
      if (!pending) {
        if (frame_started != 0) {
          // A partial frame: recv() waits only for what is left of its
          // deadline.
          const int64_t left = frame_started + frame_ns - NowNs();
          if (left <= 0) {
            log_.Say("a client did not finish a frame within " +
                     std::to_string(options_.frame_timeout_ms) +
                     " ms; closed");
            EncodeReply(Op::kPing,
                        Error("a frame did not arrive whole in time; closing"),
                        &out);
            WriteAll(fd, out.data(), out.size()).ok();
            break;
          }
          SetReceiveTimeout(fd, std::max<int64_t>(1, left / 1000000));
          short_timeout = true;
        }
        const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
            frame_started != 0) {
          continue;  // The deadline above says whether it is over.
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
            (!held.empty() || !allocs.empty())) {
          continue;  // Quiet, but holding a lock or a run's counters.
        }
        if (n <= 0) break;  // The client left, was idle too long, or we stop.
        in.append(buffer, static_cast<size_t>(n));
      }
      pending = false;
      for (;;) {
        Request req;
        size_t used = 0;
        const Decode d = DecodeRequest(in.data() + in_off, in.size() - in_off,
                                       &req, &used);
        if (d == Decode::kNeedMore) break;
        if (d == Decode::kMalformed) {
          EncodeReply(Op::kPing, Error("malformed frame; closing"), &out);
          open = false;
          break;
        }
        in_off += used;
        frame_started = 0;
        if (!authenticated) {  // Without a key: one whole frame proves it.
          authenticated = true;
          MarkAuthenticated(id);
        }
        char frame[kMaxReplyFrame];
        out.append(frame,
                   EncodeReply(req.op, Execute(req, id, &held, &allocs),
                               frame));
      }
      in.erase(0, in_off);
      in_off = 0;
      if (!in.empty() && frame_started == 0) frame_started = NowNs();
      if (in.empty() && short_timeout) {
        SetReceiveTimeout(fd, int64_t{options_.idle_timeout_s} * 1000);
        short_timeout = false;
      }
      if (!out.empty() && !WriteAll(fd, out.data(), out.size()).ok()) break;
      out.clear();
    }
    Leave(fd, id, held, allocs);
  }

  // A connection's end: its locks go to the next in line, its ranges are
  // freed (unless a RESET took them already), its slot is given back.
  void Leave(int fd, uint64_t id, const std::vector<uint32_t>& held,
             const std::vector<uint32_t>& allocs) {
    for (uint32_t key : held) {
      Counter* c = Find(key);
      if (c == nullptr) continue;
      std::lock_guard<std::mutex> lock(c->mu);
      if (c->owner == id) {
        c->owner = 0;
        c->cv.notify_all();
      }
    }
    {
      std::lock_guard<std::mutex> grow(grow_mu_);
      for (uint32_t base : allocs) {
        auto it = ranges_.find(base);
        if (it != ranges_.end() && it->second.conn == id) ReleaseLocked(base);
      }
    }
    {
      std::lock_guard<std::mutex> lock(fds_mu_);
      clients_.erase(id);
    }
    close(fd);
    --active_;
  }

  const ServerOptions options_;  // A copy: threads may outlive the caller's.
  const int listen_fd_;
  const int signal_fd_;
  std::unique_ptr<std::atomic<Counter*>[]> chunks_;
  std::atomic<uint32_t> size_{0};
  std::mutex grow_mu_;  // Guards ranges_, legacy_ and changes of size_.
  std::map<uint32_t, Range> ranges_;  // By base.
  uint32_t legacy_ = 0;               // Counters 0..legacy_-1 of RESET.
  std::atomic<bool> stopping_{false};
  std::atomic<int> active_{0};
  std::atomic<uint64_t> requests_{0};
  uint64_t next_id_ = 1;
  Acceptor acceptor_{listen_fd_, SOCK_CLOEXEC};
  RefusalLog log_;
  // Every connection's thread, by id: what the acceptor may shut down.
  struct Client {
    int fd = -1;
    int64_t accepted_ns = 0;
    bool authenticated = false;  // As the loop model's Conn.
    bool evicted = false;        // Shut down to make room; leaving.
    std::string source;          // SourceOf().
  };
  std::mutex fds_mu_;
  std::map<uint64_t, Client> clients_;
};

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
  Status st;
  if (options.model == Model::kLoop) {
    LoopServer server(options, *listen_fd, *signal_fd);
    st = server.Run();
  } else {
    auto server =
        std::make_shared<ThreadsServer>(options, *listen_fd, *signal_fd);
    st = server->Run();
  }
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
