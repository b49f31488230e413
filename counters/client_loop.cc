#include "counters/client_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "counters/clock.h"
#include "counters/ring.h"

namespace ctrbench {

namespace {

// The bell's mark in the epoll set (a connection's is its index).
constexpr uint32_t kBell = UINT32_MAX;
// A deadline closer than this is spun, serving the other connections.
constexpr int64_t kSpinNs = kSpinWindowNs;
// How often connections waiting for a reply are checked for a timeout.
constexpr int64_t kTimeoutScanNs = 100000000;

class ClientLoop final : public Connections {
 public:
  ClientLoop(int epfd, std::vector<std::unique_ptr<Primitives>> wires,
             const StrategyConfig& config, WorkerTally* tally)
      : epfd_(epfd),
        config_(config),
        tally_(tally),
        depth_(PipelineDepth(config)),
        queued_(depth_ > 1) {
    conns_.reserve(wires.size());
    for (size_t c = 0; c < wires.size(); ++c) {
      StrategyConfig own = config;
      own.seed = config.seed + 0x9e3779b97f4a7c15ULL * (c + 1);
      conns_.emplace_back(std::move(wires[c]), own, tally);
    }
    events_.resize(std::min<size_t>(conns_.size() + 1, 1024));  // And the bell.
    last_scan_ = NowNs();
  }
  ~ClientLoop() override { close(epfd_); }

  // Puts every socket in the epoll set; false (errno set) if one cannot be.
  bool WatchAll() {
    for (size_t c = 0; c < conns_.size(); ++c) {
      if (!Watch(static_cast<int>(c))) return false;
    }
    return true;
  }

  int size() const override { return static_cast<int>(conns_.size()); }

  int Room(int c) const override {
    const Conn& k = conns_[c];
    // Start fails at once, once until Run hands the failure out (a worker
    // that starts every connection with room would go round forever).
    if (k.dead) return k.failing ? 0 : 1;
    if (queued_) return depth_ - static_cast<int>(k.queue.size());
    return k.busy ? 0 : 1;
  }

  void Start(int c, uint32_t counter, int64_t delta,
             int64_t intended_ns) override {
    Conn& k = conns_[c];
    if (k.dead) {
      const int64_t now = NowNs();
      ended_.push_back({c, delta, now, now, intended_ns, k.why});
      k.failing = true;
      return;
    }
    ++in_flight_;
    if (queued_) {
      // Atomic increments outside transactions, `pipeline` in flight: one
      // request each, answered in order. Its start is stamped when it is
      // written (PushAll), with the others of that write.
      const Prim prim = delta != 0 ? Prim::kIncrement : Prim::kRead;
      k.wire->Send({prim, counter, delta, 0, false});
      k.queue.push_back({counter, delta, 0, intended_ns});
      Written(c);
      return;
    }
    k.busy = true;
    k.flushing = false;
    k.op = {counter, delta, 0, intended_ns};  // Stamped when written.
    if (delta != 0) {
      k.machine.StartAdd(counter, delta);
    } else {
      k.machine.StartRead(counter);
    }
    Advance(c);
  }

  void Run(int64_t until, bool precise, std::vector<Done>* done) override {
    for (;;) {
      PushAll();
      const int64_t now = NowNs();
      int64_t wake = until;
      if (timed_ > 0) wake = std::min(wake, ResumeDue(now));
      if (now - last_scan_ >= kTimeoutScanNs) {
        last_scan_ = now;
        FailSilent(now);
      }
      if (!ended_.empty()) break;
      const int64_t left = wake - now;
      if (left <= 0 && wake == until) break;
      // A deadline is kept by spinning its last stretch; a time to look up
      // (`precise` false) is not worth the CPU.
      const int64_t spin = wake == until && !precise ? 0 : kSpinNs;
      timespec wait = {0, 0};
      if (left > spin) {
        const int64_t sleep = left - spin;
        wait = {static_cast<time_t>(sleep / 1000000000),
                static_cast<long>(sleep % 1000000000)};
      }
      PushAll();  // What the deadlines sent.
      int n = 0;
      if (busy_poll_ns_ > 0 && in_flight_ > 0) {
        // Replies are due: looking for them for a while saves the wake-up
        // (on a VM it cost more than the reply: with 8 connections
        // pipelining 16, 0.85x of redis-benchmark became 1.08x).
        const timespec none = {0, 0};
        const int64_t spin_until = std::min(now + busy_poll_ns_, wake);
        do {
          n = Wait(&none);
        } while (n == 0 && NowNs() < spin_until);
      }
      if (n == 0) n = Wait(&wait);
      if (Take(n)) break;  // The bell: the runner has something to see.
      if (!ended_.empty()) {
        // What has come meanwhile is taken in too, so that the next
        // requests go out together: each write to a sleeping server wakes
        // it, which on a VM costs the writer more than the write (with 8
        // connections pipelining 16, this look took 0.83x of
        // redis-benchmark to 0.9x).
        const timespec none = {0, 0};
        Take(Wait(&none));
        break;
      }
    }
    PushAll();  // What the last replies' operations sent next.
    for (const Done& d : ended_) conns_[d.connection].failing = false;
    if (done->empty()) {
      done->swap(ended_);
    } else {
      done->insert(done->end(), ended_.begin(), ended_.end());
    }
    ended_.clear();
  }

  int InFlight() const override { return in_flight_; }

  void SetBusyPoll(int64_t ns) override { busy_poll_ns_ = ns; }

  Status SetBell(int fd) override {
    // Edge-triggered: each loop sees each ring once, and nobody reads it.
    epoll_event e = {};
    e.events = EPOLLIN | EPOLLET;
    e.data.u32 = kBell;
    if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &e) != 0) {
      return Status::FromErrno("client loop: epoll_ctl of the bell", errno);
    }
    return Status::OK();
  }

  // Each connection commits as soon as its last operation has ended: an
  // operation in flight may be waiting for a row lock that another
  // connection's open transaction holds (txn_ops > 1), and that wait goes
  // through this loop, where no server can see the deadlock.
  Status Flush(std::vector<Done>* done) override {
    flush_error_ = Status::OK();
    std::vector<char> committed(conns_.size(), 0);
    for (;;) {
      for (size_t c = 0; c < conns_.size(); ++c) {
        Conn& k = conns_[c];
        if (committed[c] || k.busy || !k.queue.empty()) continue;
        committed[c] = 1;
        if (k.dead || !InTransactions(config_)) continue;
        ++in_flight_;
        k.busy = true;
        k.flushing = true;
        k.machine.StartFlush();
        Advance(static_cast<int>(c));
      }
      if (in_flight_ == 0 && ended_.empty()) break;
      Run(NowNs() + kTimeoutScanNs, false, done);
    }
    return std::exchange(flush_error_, Status::OK());
  }

 private:
  struct Op {
    uint32_t counter = 0;
    int64_t delta = 0;
    int64_t start_ns = 0;
    int64_t intended_ns = 0;
  };
  struct Conn {
    Conn(std::unique_ptr<Primitives> w, const StrategyConfig& config,
         WorkerTally* tally)
        : wire(std::move(w)), machine(config, tally) {}
    std::unique_ptr<Primitives> wire;
    StrategyMachine machine;
    // With a machine: the operation it runs, whether a request of it
    // awaits its reply (sent at sent_ns), or until when it holds or backs
    // off (0: it does not); `flushing`: the operation is a commit.
    bool busy = false;
    bool flushing = false;
    bool awaiting = false;
    int64_t sent_ns = 0;
    int64_t deadline = 0;
    Op op;
    Ring<Op> queue;  // Pipelining: sent, unanswered, in order.
    bool watched = false;  // Its socket is in the epoll set.
    bool unpushed = false;  // It has requests queued, not written.
    bool dead = false;     // Lost; every operation on it fails with `why`.
    bool failing = false;  // Dead, with a failure Run has not handed out.
    Status why;
  };

  // Acts on the first `n` events; true if the bell rang.
  bool Take(int n) {
    bool rang = false;
    for (int i = 0; i < n; ++i) {
      const uint32_t c = events_[i].data.u32;
      if (c == kBell) {
        rang = true;
      } else {
        OnReadable(static_cast<int>(c));
      }
    }
    return rang;
  }

  bool Watch(int c) {
    epoll_event e = {};
    e.events = EPOLLIN;
    e.data.u32 = static_cast<uint32_t>(c);
    if (epoll_ctl(epfd_, EPOLL_CTL_ADD, conns_[c].wire->fd(), &e) != 0) {
      return false;
    }
    conns_[c].watched = true;
    return true;
  }
  void Unwatch(int c) {
    if (!conns_[c].watched) return;
    epoll_ctl(epfd_, EPOLL_CTL_DEL, conns_[c].wire->fd(), nullptr);
    conns_[c].watched = false;
  }

  // A request of `c` is queued: it goes out with the others queued before
  // the loop waits (one write per connection, however many requests), and
  // its reply is watched for.
  void Written(int c) {
    Conn& k = conns_[c];
    if (!k.unpushed) {
      k.unpushed = true;
      unpushed_.push_back(c);
    }
    if (!k.watched) Watch(c);
  }
  void PushAll() {
    if (unpushed_.empty()) return;
    const int64_t now = NowNs();  // One clock read for every write.
    for (const int c : unpushed_) {
      Conn& k = conns_[c];
      k.unpushed = false;
      if (k.busy && k.op.start_ns == 0) k.op.start_ns = now;
      for (size_t i = k.queue.size(); i > 0 && k.queue[i - 1].start_ns == 0;
           --i) {
        k.queue[i - 1].start_ns = now;
      }
      k.wire->Push();
    }
    unpushed_.clear();
  }

  bool Waiting(const Conn& k) const {
    return queued_ ? !k.queue.empty() : k.awaiting;
  }

  // Acts on the machine of `c` until it waits for a reply or a deadline,
  // or its operation is over.
  void Advance(int c) {
    using Kind = StrategyMachine::Action::Kind;
    Conn& k = conns_[c];
    for (;;) {
      const StrategyMachine::Action& a = k.machine.action();
      switch (a.kind) {
        case Kind::kSend:
          k.wire->Send(a.request);
          Written(c);
          // A request some backends answer without the server (an unlock
          // that COMMIT does) is answered now.
          if (k.wire->Ready(kReadyBuffered)) {
            const Reply r = k.wire->Receive();
            k.machine.OnReply(r);
            if (r.outcome == Reply::Outcome::kLost) {
              Advance(c);
              return Kill(c, r.status);
            }
            continue;
          }
          k.awaiting = true;
          k.sent_ns = NowNs();
          return;
        case Kind::kHold:
        case Kind::kBackoff:
          k.deadline = a.until;
          ++timed_;
          return;
        case Kind::kDone:
          return Finish(c, k.machine.status());
      }
    }
  }

  void Finish(int c, Status status) {
    Conn& k = conns_[c];
    k.busy = k.awaiting = false;
    --in_flight_;
    if (k.flushing) {
      k.flushing = false;
      if (!status.ok() && flush_error_.ok()) flush_error_ = std::move(status);
      return;
    }
    const int64_t now = NowNs();
    ended_.push_back({c, k.op.delta, k.op.start_ns > 0 ? k.op.start_ns : now,
                      now, k.op.intended_ns, std::move(status)});
  }

  // Resumes the connections whose hold or backoff is over; returns the
  // earliest deadline left (INT64_MAX: none).
  int64_t ResumeDue(int64_t now) {
    int64_t next = INT64_MAX;
    for (size_t c = 0; c < conns_.size(); ++c) {
      Conn& k = conns_[c];
      if (k.deadline == 0) continue;
      if (k.deadline > now) {
        next = std::min(next, k.deadline);
        continue;
      }
      k.deadline = 0;
      --timed_;
      k.machine.Resume();
      Advance(static_cast<int>(c));
    }
    return next;
  }

  void OnReadable(int c) {
    Conn& k = conns_[c];
    if (!Waiting(k)) {
      // Readable with nothing asked: the server closed it, or talks out of
      // turn. Looked at again when a request goes out.
      Unwatch(c);
      return;
    }
    if (!k.wire->Ready(kReadyReadable)) return;
    // Replies that came in one read came together: one clock read for all.
    const int64_t now = NowNs();
    do {
      TakeReply(c, now);
    } while (!k.dead && Waiting(k) && k.wire->Ready(kReadyBuffered));
  }

  void TakeReply(int c, int64_t now) {
    Conn& k = conns_[c];
    if (!queued_) {
      k.awaiting = false;
      const Reply r = k.wire->Receive();
      k.machine.OnReply(r);
      Advance(c);
      if (r.outcome == Reply::Outcome::kLost) Kill(c, r.status);
      return;
    }
    const Op op = k.queue.front();
    k.queue.pop_front();
    --in_flight_;
    const Reply r = k.wire->Receive();
    if (r.outcome == Reply::Outcome::kDone) {
      if (op.delta != 0) tally_->Ack(op.counter, op.delta);
      ended_.push_back({c, op.delta, op.start_ns, now, op.intended_ns,
                        Status::OK()});
      return;
    }
    Status why = r.status.ok()
                     ? Status::IOError("a pipelined request was not done")
                     : r.status;
    ended_.push_back({c, op.delta, op.start_ns, now, op.intended_ns, why});
    if (r.outcome == Reply::Outcome::kLost) Kill(c, why);
  }

  // The connection is gone: what it has in flight fails, and so does every
  // later operation on it.
  void Kill(int c, const Status& why) {
    Conn& k = conns_[c];
    Unwatch(c);
    k.dead = true;
    k.why = why;
    const int64_t now = NowNs();
    for (size_t i = 0; i < k.queue.size(); ++i) {
      const Op& op = k.queue[i];
      --in_flight_;
      ended_.push_back({c, op.delta, op.start_ns, now, op.intended_ns, why});
    }
    k.queue.clear();
    if (k.deadline != 0) {
      k.deadline = 0;
      --timed_;
    }
    if (k.busy) Finish(c, why);
  }

  // Fails the connections that have waited longer than the reply timeout.
  void FailSilent(int64_t now) {
    for (size_t c = 0; c < conns_.size(); ++c) {
      Conn& k = conns_[c];
      if (k.dead || !Waiting(k)) continue;
      const int64_t since = queued_ ? k.queue.front().start_ns : k.sent_ns;
      if (now - since < config_.reply_timeout_ns) continue;
      Kill(static_cast<int>(c),
           Status::IOError("no reply in " +
                           std::to_string(config_.reply_timeout_ns / 1000000) +
                           " ms; the connection is given up"));
    }
  }

  // epoll_pwait2 (Linux 5.11) where the kernel has it, else epoll_wait
  // with the timeout rounded up to a millisecond. A signal is no event.
  int Wait(const timespec* timeout) {
    const int max = static_cast<int>(events_.size());
    if (pwait2_) {
      const int n = epoll_pwait2(epfd_, events_.data(), max, timeout, nullptr);
      if (n >= 0) return n;
      if (errno != ENOSYS) return 0;
      pwait2_ = false;
    }
    const int64_t ns = timeout->tv_sec * int64_t{1000000000} + timeout->tv_nsec;
    const int n = epoll_wait(epfd_, events_.data(), max,
                             static_cast<int>((ns + 999999) / 1000000));
    return n < 0 ? 0 : n;
  }

  const int epfd_;
  const StrategyConfig config_;
  WorkerTally* const tally_;
  const int depth_;
  const bool queued_;  // Pipelining: queues, not machines.
  std::vector<Conn> conns_;
  std::vector<epoll_event> events_;
  std::vector<Done> ended_;  // Not yet handed out by Run.
  std::vector<int> unpushed_;  // Connections with requests not written.
  int in_flight_ = 0;
  int timed_ = 0;  // Connections holding or backing off.
  int64_t last_scan_ = 0;
  int64_t busy_poll_ns_ = 0;
  bool pwait2_ = true;  // The kernel has epoll_pwait2.
  Status flush_error_;
};

}  // namespace

Result<std::unique_ptr<Connections>> NewClientLoop(
    std::vector<std::unique_ptr<Primitives>> wires,
    const StrategyConfig& config, WorkerTally* tally) {
  for (const auto& w : wires) {
    if (w->fd() < 0) {
      return Status::NotSupported("client loop: a connection without a socket");
    }
  }
  const int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return Status::FromErrno("client loop: epoll_create1", errno);
  auto loop = std::make_unique<ClientLoop>(epfd, std::move(wires), config,
                                           tally);
  if (!loop->WatchAll()) {
    return Status::FromErrno("client loop: epoll_ctl", errno);
  }
  return std::unique_ptr<Connections>(std::move(loop));
}

Result<std::unique_ptr<Connections>> ConnectEach(
    int n,
    const std::function<Result<std::unique_ptr<Primitives>>(int)>& open,
    const StrategyConfig& config, WorkerTally* tally) {
  std::vector<std::unique_ptr<Primitives>> wires;
  for (int c = 0; c < n; ++c) {
    Result<std::unique_ptr<Primitives>> wire = open(c);
    if (!wire.ok()) return wire.status();
    wires.push_back(std::move(*wire));
  }
  return NewClientLoop(std::move(wires), config, tally);
}

}  // namespace ctrbench
