// The threads model of `ctrbench server` (models.h): a thread per
// connection and a mutex per counter, the way Python's Manager serves its
// clients. A connection whose LOCK waits blocks its thread until the LOCK
// is answered.

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "backends/manager/admission.h"
#include "backends/manager/auth.h"
#include "backends/manager/commands.h"
#include "backends/manager/models.h"
#include "backends/manager/protocol.h"
#include "counters/clock.h"

namespace ctrbench {
namespace manager {

namespace {

// The threads model's counters (a Table, commands.h): chunks that never
// move, since a connection's thread may hold a pointer into one while
// another grows the table; a mutex per counter; and a bulk lock over the
// table's size and the ranges.
class ThreadsTable {
  struct Counter {
    std::mutex mu;
    std::condition_variable cv;  // Where the LOCK's waiters sleep.
    int64_t value = 0;
    uint64_t owner = 0;  // Connection holding the LOCK; 0: none.
    WaitQueue queue;
    bool live = false;  // False: freed, or never allocated.
  };

 public:
  using Tally = std::atomic<uint64_t>;
  static constexpr const char* kModel = "threads";

  // Guards the ranges and changes of the table's size.
  class Bulk {
   public:
    explicit Bulk(ThreadsTable* table) : lock_(table->grow_mu_) {}

   private:
    std::lock_guard<std::mutex> lock_;
  };

  class Ref {
   public:
    Ref() = default;  // No such counter.
    Ref(Counter* counter, const std::atomic<bool>* stopping)
        : lock_(counter->mu), counter_(counter), stopping_(stopping) {}
    explicit operator bool() const {
      return counter_ != nullptr && counter_->live;
    }
    int64_t& value() { return counter_->value; }
    uint64_t& owner() { return counter_->owner; }
    void set_live(bool live) { counter_->live = live; }
    void Enqueue(Connection* c) { counter_->queue.Push(c); }
    Connection* Dequeue() { return counter_->queue.Pop(); }
    void Cancel(Connection* c) { counter_->queue.Remove(c); }
    // The connection's thread sleeps until its LOCK is answered, or the
    // server stops (false).
    bool Park(Connection* c) {
      counter_->cv.wait(lock_,
                        [&] { return !c->waiting() || stopping_->load(); });
      return !c->waiting();
    }
    void Wake() { counter_->cv.notify_all(); }

   private:
    std::unique_lock<std::mutex> lock_;
    Counter* counter_ = nullptr;
    const std::atomic<bool>* stopping_ = nullptr;
  };

  // `active`: the connection threads (STATS, and whether memory may be
  // given back); `stopping`: the server stops, LOCKs give up waiting.
  ThreadsTable(uint32_t max_counters, const std::atomic<int>* active,
               const std::atomic<bool>* stopping)
      : max_counters_(max_counters),
        active_(active),
        stopping_(stopping),
        chunks_(new std::atomic<Counter*>[max_counters / kChunk + 1]) {
    for (uint32_t i = 0; i <= max_counters_ / kChunk; ++i) {
      chunks_[i].store(nullptr);
    }
  }

  ~ThreadsTable() {
    for (uint32_t i = 0; i <= max_counters_ / kChunk; ++i) {
      delete[] chunks_[i].load();
    }
  }

  ThreadsTable(const ThreadsTable&) = delete;
  ThreadsTable& operator=(const ThreadsTable&) = delete;

  Ref Find(uint32_t key) {
    if (key >= size_.load(std::memory_order_acquire)) return Ref();
    return At(key);
  }
  Ref At(uint32_t key) {
    return Ref(&chunks_[key / kChunk].load(std::memory_order_acquire)
                    [key % kChunk],
               stopping_);
  }
  uint32_t Size() const { return size_.load(); }

  void Extend(uint32_t size) {
    const uint32_t top = size_.load();
    Grow(size);
    for (uint32_t key = top; key < size; ++key) {
      Counter& c = chunks_[key / kChunk].load()[key % kChunk];
      std::lock_guard<std::mutex> lock(c.mu);
      Renew(c, true, kLockFreed);  // Above the table: nobody waits.
    }
    size_.store(size, std::memory_order_release);
  }

  void Reset(uint32_t count, const char* why) {
    Grow(count);
    const uint32_t old = size_.load();
    for (uint32_t key = 0; key < std::max(old, count); ++key) {
      Counter& c = chunks_[key / kChunk].load()[key % kChunk];
      std::lock_guard<std::mutex> lock(c.mu);
      Renew(c, key < count, why);
    }
    size_.store(count, std::memory_order_release);
    Shrink(count);
  }

  // The chunks stay allocated (a connection thread may hold a pointer
  // into them) and are reused, unless Shrink may give them back.
  void Truncate(uint32_t top) {
    if (top < size_.load()) size_.store(top, std::memory_order_release);
    Shrink(top);
  }

  // Under the bulk lock: counters that have memory.
  uint64_t Allocated() const {
    uint64_t n = 0;
    for (uint32_t chunk = 0; chunk <= max_counters_ / kChunk; ++chunk) {
      if (chunks_[chunk].load() != nullptr) n += kChunk;
    }
    return n;
  }

  uint64_t Connections() const { return active_->load(); }

  // The server stops: every LOCK waiting wakes, sees it and gives up.
  void WakeAll() {
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

 private:
  static constexpr uint32_t kChunk = 4096;

  // Under c.mu: the counter starts over (zero, unlocked) and every LOCK
  // waiting for it is refused with `why`.
  static void Renew(Counter& c, bool live, const char* why) {
    c.value = 0;
    c.owner = 0;
    c.queue.RefuseAll(why);
    c.live = live;
    c.cv.notify_all();
  }

  // Under grow_mu_: gives back the chunks wholly above `top`, when the
  // connection asking is the only one: then no other thread can hold a
  // pointer into them (Find() never hands out one above size_).
  void Shrink(uint32_t top) {
    if (active_->load() > 1) return;
    for (uint32_t chunk = (top + kChunk - 1) / kChunk;
         chunk <= max_counters_ / kChunk; ++chunk) {
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

  const uint32_t max_counters_;
  const std::atomic<int>* const active_;
  const std::atomic<bool>* const stopping_;
  std::unique_ptr<std::atomic<Counter*>[]> chunks_;
  std::atomic<uint32_t> size_{0};
  std::mutex grow_mu_;  // Guards the ranges and changes of size_.
};

// A connection of the threads model, owned by its thread. While its LOCK
// waits, the thread sleeps in Commands::Execute, and whoever grants or
// refuses the LOCK writes the answer into `out` (under the counter's
// mutex, which the thread takes again to wake).
struct ThreadSession final : Connection {
  ThreadSession(uint64_t id, int fd) : Connection(id), fd(fd) {}

  const int fd;
  std::string in;   // Received, not yet answered.
  std::string out;  // Replies not yet written.
  bool authenticated = false;  // As the loop model's Conn.
  int64_t frame_started = 0;   // A partial frame's first byte; 0: none.
  bool short_timeout = false;  // recv() waits for a frame's deadline.

 private:
  bool Granted() override {
    EncodeReply(Op::kLock, Reply(), &out);
    return true;
  }
  void Refused(const char* why) override {
    EncodeReply(Op::kLock, Error(why), &out);
  }
};

// Shared with its connection threads (shared_ptr): a thread that outlives
// Stop() keeps the server's state alive until it leaves, instead of
// touching a destroyed object.
class ThreadsServer : public std::enable_shared_from_this<ThreadsServer> {
 public:
  ThreadsServer(const ServerOptions& options, int listen_fd, int signal_fd)
      : options_(options), listen_fd_(listen_fd), signal_fd_(signal_fd) {}

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
      try {
        std::thread([self = shared_from_this(), fd, id] {
          self->Serve(fd, id);
        }).detach();
      } catch (const std::system_error& e) {
        // No thread for it (out of memory or of threads): the client is
        // told and turned away, and the server goes on.
        log_.Say(std::string("could not start a thread (") + e.what() +
                 "); a client was turned away");
        {
          std::lock_guard<std::mutex> lock(fds_mu_);
          clients_.erase(id);
        }
        Refuse(fd, "the server could not start a thread for this connection");
        --active_;
      }
    }
    Stop();
    return Status::OK();
  }

 private:
  // What a wait for the client's bytes ended with.
  enum class Read { kData, kAgain, kEnd };

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
    commands_.table()->WakeAll();
    const int64_t deadline = NowNs() + 2000000000LL;
    while (active_.load() > 0 && NowNs() < deadline) {
      usleep(1000);
    }
  }

  static void SetReceiveTimeout(int fd, int64_t ms) {
    timeval tv = {static_cast<time_t>(ms / 1000),
                  static_cast<suseconds_t>(ms % 1000 * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }

  void Serve(int fd, uint64_t id) {
    ThreadSession s(id, fd);
    bool open = Handshake(&s);
    // recv() waits at most the idle timeout: a connection that holds no
    // lock is then closed (a LOCK waiter waits in Execute, not here).
    SetReceiveTimeout(fd, int64_t{options_.idle_timeout_s} * 1000);
    bool pending = !s.in.empty();  // Frames that came with the handshake.
    while (open && !stopping_.load()) {
      if (!pending) {
        const Read got = ReadMore(&s);
        if (got == Read::kAgain) continue;
        if (got == Read::kEnd) break;
      }
      pending = false;
      open = Answer(&s);
    }
    Leave(&s);
  }

  // With a key, the handshake (auth.h): the frames after it stay in s->in.
  // False: the client failed it, and is told so.
  bool Handshake(ThreadSession* s) {
    if (options_.auth_key.empty()) return true;
    const Status st = AuthenticateClient(s->fd, options_.auth_key, &s->in,
                                         options_.auth_timeout_ms);
    if (!st.ok()) {
      log_.Say(st.code() == Status::Code::kBusy
                   ? HandshakeTimeout(options_)
                   : "a client failed authentication (" + st.message() +
                         "); closed");
      return false;
    }
    s->authenticated = true;
    MarkAuthenticated(s->id());
    return true;
  }

  // Waits for the client's next bytes: no longer than what is left of a
  // partial frame's deadline, or else the idle timeout.
  Read ReadMore(ThreadSession* s) {
    if (s->frame_started != 0) {
      const int64_t left = s->frame_started +
                           int64_t{options_.frame_timeout_ms} * 1000000 -
                           NowNs();
      if (left <= 0) {
        log_.Say(FrameTimeout(options_));
        EncodeReply(Op::kPing, Error(kFrameTooSlow), &s->out);
        WriteAll(s->fd, s->out.data(), s->out.size()).ok();
        return Read::kEnd;
      }
      SetReceiveTimeout(s->fd, std::max<int64_t>(1, left / 1000000));
      s->short_timeout = true;
    }
    char buffer[kReadChunk];
    const ssize_t n = recv(s->fd, buffer, sizeof(buffer), 0);
    if (n < 0 && errno == EINTR) return Read::kAgain;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
        s->frame_started != 0) {
      return Read::kAgain;  // The deadline above says whether it is over.
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
        commands_.Holds(*s)) {
      return Read::kAgain;  // Quiet, but holding a lock or a run's counters.
    }
    if (n <= 0) return Read::kEnd;  // Left, idle too long, or we stop.
    s->in.append(buffer, static_cast<size_t>(n));
    return Read::kData;
  }

  // Answers the whole frames received and writes the replies. False: the
  // connection ends (a malformed frame, or a client gone).
  bool Answer(ThreadSession* s) {
    bool open = true;
    size_t off = 0;
    for (;;) {
      Request req;
      size_t used = 0;
      const Decode d = DecodeRequest(s->in.data() + off, s->in.size() - off,
                                     &req, &used);
      if (d == Decode::kNeedMore) break;
      if (d == Decode::kMalformed) {
        EncodeReply(Op::kPing, Error(kMalformedFrame), &s->out);
        open = false;
        break;
      }
      off += used;
      s->frame_started = 0;
      if (!s->authenticated) {  // Without a key: one whole frame proves it.
        s->authenticated = true;
        MarkAuthenticated(s->id());
      }
      Reply r;
      if (commands_.Execute(s, req, &r)) {
        char frame[kMaxReplyFrame];
        s->out.append(frame, EncodeReply(req.op, r, frame));
      }
    }
    s->in.erase(0, off);
    if (!s->in.empty() && s->frame_started == 0) s->frame_started = NowNs();
    if (s->in.empty() && s->short_timeout) {
      SetReceiveTimeout(s->fd, int64_t{options_.idle_timeout_s} * 1000);
      s->short_timeout = false;
    }
    if (!s->out.empty() && !WriteAll(s->fd, s->out.data(), s->out.size()).ok()) {
      return false;
    }
    s->out.clear();
    return open;
  }

  // A connection's end: its locks go to the next in line, its ranges are
  // freed (unless a RESET took them already), its slot is given back.
  void Leave(ThreadSession* s) {
    commands_.Leave(s);
    {
      std::lock_guard<std::mutex> lock(fds_mu_);
      clients_.erase(s->id());
    }
    close(s->fd);
    --active_;
  }

  const ServerOptions options_;  // A copy: threads may outlive the caller's.
  const int listen_fd_;
  const int signal_fd_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> active_{0};
  Commands<ThreadsTable> commands_{options_.max_counters,
                                   options_.max_counters, &active_,
                                   &stopping_};
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

Status RunThreadsModel(const ServerOptions& options, int listen_fd,
                       int signal_fd) {
  auto server = std::make_shared<ThreadsServer>(options, listen_fd, signal_fd);
  return server->Run();
}

}  // namespace manager
}  // namespace ctrbench
