// The loop model of `ctrbench server` (models.h): one thread and an epoll
// event loop, no locks, the way Redis works. A connection whose LOCK waits
// is parked in the counter's queue while the loop serves the others; its
// later requests wait in its socket until the LOCK is answered.

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/manager/admission.h"
#include "backends/manager/auth.h"
#include "backends/manager/commands.h"
#include "backends/manager/models.h"
#include "backends/manager/protocol.h"
#include "counters/clock.h"

namespace ctrbench {
namespace manager {

namespace {

// A connection whose replies pile up past this (a client that sends and
// never reads) is not read from until they drain: its memory stays bounded.
constexpr size_t kMaxPendingOutput = 4 * 1024 * 1024;

struct Conn final : Connection {
  Conn(uint64_t id, std::deque<uint64_t>* dirty)
      : Connection(id), dirty_(dirty) {}

  int fd = -1;
  std::string in;
  size_t in_off = 0;
  std::string out;
  size_t out_off = 0;
  bool closing = false;     // Close once the output is written.
  bool want_flush = false;
  uint32_t events = 0;      // What epoll watches now.
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

 private:
  // The answer to its LOCK joins its replies, and the loop serves it on
  // (its pipelined requests resume).
  bool Granted() override {
    if (closing) return false;
    EncodeReply(Op::kLock, Reply(), &out);
    dirty_->push_back(id());
    return true;
  }
  void Refused(const char* why) override {
    EncodeReply(Op::kLock, Error(why), &out);
    dirty_->push_back(id());
  }

  std::deque<uint64_t>* const dirty_;  // The loop's list of work.
};

using ConnMap = std::unordered_map<uint64_t, std::unique_ptr<Conn>>;

// The loop model's counters (a Table, commands.h): vectors that only the
// loop's thread touches, so nothing is guarded, and queues only for the
// counters that have LOCKs waiting.
class LoopTable {
 public:
  using Tally = uint64_t;
  static constexpr const char* kModel = "loop";

  struct Bulk {
    explicit Bulk(LoopTable*) {}  // One thread: nothing to guard.
  };

  class Ref {
   public:
    Ref(LoopTable* table, uint32_t key, bool exists)
        : table_(table), key_(key), exists_(exists) {}
    explicit operator bool() const { return exists_; }
    int64_t& value() { return table_->values_[key_]; }
    uint64_t& owner() { return table_->owner_[key_]; }
    void set_live(bool live) { table_->live_[key_] = live ? 1 : 0; }
    void Enqueue(Connection* c) { table_->waiters_[key_].Push(c); }
    Connection* Dequeue() {
      auto it = table_->waiters_.find(key_);
      if (it == table_->waiters_.end()) return nullptr;
      Connection* c = it->second.Pop();
      if (it->second.empty()) table_->waiters_.erase(it);
      return c;
    }
    void Cancel(Connection* c) {
      auto it = table_->waiters_.find(key_);
      if (it == table_->waiters_.end()) return;
      it->second.Remove(c);
      if (it->second.empty()) table_->waiters_.erase(it);
    }
    // The loop serves others meanwhile; the answer comes with the grant.
    bool Park(Connection*) { return true; }
    void Wake() {}

   private:
    LoopTable* const table_;
    const uint32_t key_;
    const bool exists_;
  };

  explicit LoopTable(const ConnMap* conns) : conns_(conns) {}

  Ref Find(uint32_t key) {
    return Ref(this, key, key < values_.size() && live_[key] != 0);
  }
  Ref At(uint32_t key) { return Ref(this, key, true); }
  uint32_t Size() const { return static_cast<uint32_t>(values_.size()); }

  void Extend(uint32_t size) {
    values_.resize(size, 0);
    owner_.resize(size, 0);
    live_.resize(size, 1);
  }

  void Reset(uint32_t count, const char* why) {
    values_.assign(count, 0);
    owner_.assign(count, 0);
    live_.assign(count, 1);
    Compact();
    for (auto& [key, queue] : waiters_) queue.RefuseAll(why);
    waiters_.clear();
  }

  // The table ends at `top`, and gives memory back when it shrinks.
  void Truncate(uint32_t top) {
    if (top >= values_.size()) return;
    values_.resize(top);
    owner_.resize(top);
    live_.resize(top);
    Compact();
  }

  uint64_t Allocated() const { return values_.capacity(); }
  uint64_t Connections() const { return conns_->size(); }

 private:
  // Returns memory when the table is much smaller than what it holds.
  void Compact() {
    if (values_.capacity() > 2 * values_.size() + 4096) {
      values_.shrink_to_fit();
      owner_.shrink_to_fit();
      live_.shrink_to_fit();
    }
  }

  const ConnMap* const conns_;
  std::vector<int64_t> values_;
  std::vector<uint64_t> owner_;  // Connection holding each LOCK; 0: none.
  std::vector<uint8_t> live_;    // 0: in a freed gap between ranges.
  std::unordered_map<uint32_t, WaitQueue> waiters_;
};

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
      if (!TakeEvents(events, n, &new_clients)) return Status::OK();
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

  // Nothing in flight, no lock held or waited for, and no range of
  // counters: a run's owner connection is quiet for the whole run, and
  // closing it would free the run's counters.
  bool Idle(const Conn& c) {
    return c.auth == 0 && !c.waiting() && c.in.size() == c.in_off &&
           c.out.size() == c.out_off && !commands_.Holds(c);
  }

  // What epoll reported: false for a signal; new clients (taken after
  // what the others sent); each connection's bytes, hang-up or room to
  // write, noted for ProcessDirty.
  bool TakeEvents(const epoll_event* events, int n, bool* new_clients) {
    for (int i = 0; i < n; ++i) {
      const uint64_t id = events[i].data.u64;
      if (id == kSignalId) return false;
      if (id == kListenId) {
        *new_clients = true;
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
    return true;
  }

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
      } else if (conn->frame_started_ns != 0 && !conn->waiting() &&
                 !conn->capped &&
                 now - conn->frame_started_ns >
                     int64_t{options_.frame_timeout_ms} * 1000000) {
        log_.Say(FrameTimeout(options_));
        conn->in.clear();
        conn->in_off = 0;
        conn->frame_started_ns = 0;
        EncodeReply(Op::kPing, Error(kFrameTooSlow), &conn->out);
        conn->closing = true;
        dirty_.push_back(id);
      } else if (options_.idle_timeout_s > 0 && Idle(*conn) &&
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
      if (conn->closing || !Idle(*conn)) continue;
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
      auto conn = std::make_unique<Conn>(next_id_++, &dirty_);
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
        dirty_.push_back(conn->id());
      }
      Watch(fd, conn->id(), conn->events, EPOLL_CTL_ADD);
      conns_[conn->id()] = std::move(conn);
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
    while (!c->waiting() && !c->closing && c->auth == 0) {
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
        EncodeReply(Op::kPing, Error(kMalformedFrame), &c->out);
        c->closing = true;
        break;
      }
      c->in_off += used;
      c->frame_started_ns = 0;
      Authenticated(c);  // With a key it was already, by the handshake.
      Reply r;
      if (commands_.Execute(c, req, &r)) {
        char frame[kMaxReplyFrame];
        c->out.append(frame, EncodeReply(req.op, r, frame));
      }
    }
    if (c->in_off > 0 && c->in_off == c->in.size()) {
      c->in.clear();
      c->in_off = 0;
    } else if (c->in_off > kReadChunk) {
      c->in.erase(0, c->in_off);
      c->in_off = 0;
    }
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
      dirty_.push_back(c->id());  // Serve the requests that waited.
    }
    if (c->closing && c->out.empty()) {
      Close(c);
      return;
    }
    // Read only while requests can be served: a blocked connection's
    // pipelined requests wait in the socket (backpressure).
    uint32_t events = EPOLLRDHUP;
    if (!c->waiting() && !c->closing &&
        c->out.size() - c->out_off < kMaxPendingOutput) {
      events |= EPOLLIN;
    }
    if (!c->out.empty()) events |= EPOLLOUT;
    if (events != c->events) {
      c->events = events;
      Watch(c->fd, c->id(), events, EPOLL_CTL_MOD);
    }
  }

  void Close(Conn* c) {
    // Its locks go to the next in line, its ranges are freed; nothing it
    // held leaks.
    commands_.Leave(c);
    Authenticated(c);  // Out of its source's budget.
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c->fd, nullptr);
    close(c->fd);
    conns_.erase(c->id());
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
  ConnMap conns_;
  std::deque<uint64_t> dirty_;
  Commands<LoopTable> commands_{options_.max_counters, &conns_};
};

}  // namespace

Status RunLoopModel(const ServerOptions& options, int listen_fd,
                    int signal_fd) {
  LoopServer server(options, listen_fd, signal_fd);
  return server.Run();
}

}  // namespace manager
}  // namespace ctrbench
