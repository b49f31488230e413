#include "backends/redis_primitives.h"

#include <hiredis/hiredis.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "counters/clock.h"
#include "counters/ring.h"

namespace ctrbench {

namespace {

// Deletes our lock only while it still holds our token.
constexpr char kReleaseScript[] =
    "if redis.call('get', KEYS[1]) == ARGV[1] then "
    "return redis.call('del', KEYS[1]) else return 0 end";

// Redis's requests for the strategy layer (counters/strategy.h). A lock is
// a key `<counter key>:lock` set NX with an expiry and the session's token;
// a read for compare-and-set WATCHes the key, and the compare-and-set is
// MULTI/SET/EXEC, which Redis refuses (a nil EXEC) once the key changed.
// On a cluster each request goes to the node of its key's slot (the lock
// key shares the counter's hash tag): a connection per node, opened when
// first needed, watched together through an epoll set of their own (fd(),
// for the client loop). MOVED updates the map and sends the request again
// there; ASK sends ASKING and the request there once. A request that
// follows a redirection goes over a side connection to its node, with
// nothing else in flight, so that pipelined replies stay in order. A
// compare-and-set that is redirected is a conflict: its WATCH was on the
// node it left. One server is node 0, its connection opened beforehand and
// watched alone (fd() is its socket), with no slot to look up.
class RedisPrimitives final : public Primitives {
 public:
  // `conn`: one server's connection (a cluster's are opened as needed).
  RedisPrimitives(std::unique_ptr<RedisConnection> conn,
                  std::shared_ptr<const RunKeys> keys,
                  const RedisOptions& options, int worker, int connection,
                  WorkerTally* tally)
      : keys_(std::move(keys)),
        cluster_(keys_->cluster),
        options_(options),
        prefix_(keys_->prefix),
        lock_ttl_(std::to_string(options.lock_ttl_ms)),
        // Starts with the run's key prefix, so that Teardown can tell the
        // run's own leftover locks from anything else.
        token_(prefix_ + "w" + std::to_string(worker) + "c" +
               std::to_string(connection) + ":" +
               std::to_string(getpid()) + ":" + std::to_string(NowNs())),
        tally_(tally) {
    if (cluster_) {
      map_ = keys_->map;
      conns_.resize(map_.nodes().size());
      epfd_ = epoll_create1(EPOLL_CLOEXEC);
      if (epfd_ < 0) {
        open_error_ = Status::FromErrno("redis: epoll_create1", errno);
      }
    } else {
      conns_.push_back(std::move(conn));
    }
  }
  ~RedisPrimitives() override {
    if (epfd_ >= 0) close(epfd_);
  }

  void Send(const Request& r) override {
    const int node = cluster_ ? map_.NodeOf(keys_->slots[r.counter]) : 0;
    RedisConnection* conn = Node(node);
    sent_.push_back({r, conn ? node : -1});
    if (conn == nullptr) return;
    Append(conn, r);
    if (cluster_) {
      if (static_cast<size_t>(node) >= in_flight_.size()) {
        in_flight_.resize(node + 1);
      }
      ++in_flight_[node];
    }
  }

  void Push() override {
    for (auto& c : conns_) {
      if (c) c->Push();
    }
  }

  int fd() const override {
    if (cluster_) return epfd_;
    return conns_[0] ? conns_[0]->fd() : -1;
  }

  bool Ready(int64_t timeout_ns) override {
    if (sent_.empty() || sent_.front().node < 0) return true;
    const Request& r = sent_.front().request;
    const size_t replies = r.prim == Prim::kCompareAndSet          ? 3
                           : r.prim == Prim::kRead && r.for_cas ? 2
                                                                : 1;
    if (cluster_ && timeout_ns == kReadyReadable) {
      // One of the nodes' sockets is readable, not necessarily this
      // request's: take in what each node with requests in flight has (so
      // that the epoll set is quiet until more comes), then look at what
      // came. If none had anything, a node with nothing in flight woke us:
      // a socket its server closed, which leaves the set.
      bool took = false;
      for (size_t i = 0; i < in_flight_.size(); ++i) {
        if (in_flight_[i] > 0) took |= conns_[i]->ReadNow();
      }
      if (!took) {
        epoll_event ready[16];
        const int n = epoll_wait(epfd_, ready, 16, 0);
        for (int i = 0; i < n; ++i) {
          RedisConnection* c = conns_[ready[i].data.u32].get();
          c->ReadNow();
          if (c->closed()) epoll_ctl(epfd_, EPOLL_CTL_DEL, c->fd(), nullptr);
        }
      }
      timeout_ns = kReadyBuffered;
    }
    return conns_[sent_.front().node]->Ready(replies, timeout_ns);
  }

  Reply Receive() override {
    const Sent s = sent_.front();
    sent_.pop_front();
    if (s.node < 0) return Reply::Lost(open_error_);
    if (cluster_) --in_flight_[s.node];
    redirected_ = false;
    Reply reply = Interpret(conns_[s.node].get(), s.request);
    // A cluster's redirections: a few hops at most (a slot that moves on
    // while we follow it).
    for (int hops = 0; redirected_; ++hops) {
      const Redirect to = redirect_;
      redirected_ = false;
      ++tally_->redirects;
      if (hops == 5) {
        return Reply::Failed(Status::IOError(
            "redis: " + Key(s.request.counter) + " was redirected 5 times "
            "(last to " + to.host + ":" + std::to_string(to.port) + ")"));
      }
      if (!to.ask) map_.Move(to.slot, to.host, to.port);
      // A compare-and-set, or its read, goes again from its read: the
      // WATCH must be on the connection that sends the MULTI/EXEC, the
      // node the map names (during a migration, until it ends).
      if (s.request.prim == Prim::kCompareAndSet ||
          (s.request.prim == Prim::kRead && s.request.for_cas)) {
        return Reply::Conflict();
      }
      RedisConnection* conn = Side(map_.IndexOf(to.host, to.port));
      if (conn == nullptr) return Reply::Lost(open_error_);
      if (to.ask) conn->Append({"ASKING"});
      Append(conn, s.request);
      conn->Push();
      if (to.ask) {
        Result<ReplyPtr> asking = conn->Receive("ASKING");
        if (!asking.ok()) {
          return conn->gone() ? Reply::Lost(asking.status())
                              : Reply::Failed(asking.status());
        }
      }
      reply = Interpret(conn, s.request);
    }
    return reply;
  }

 private:
  struct Sent {
    Request request;
    int node;  // Its connection; -1: it could not be opened.
  };
  struct Replies {
    Reply reply;   // Done, or the first error.
    ReplyPtr last;  // The last reply, when every one came.
  };

  // The connection to node `i` (opened now if need be, and watched); null
  // if it cannot be opened (open_error_ says why).
  RedisConnection* Node(int i) {
    if (i < 0 || (cluster_ && epfd_ < 0)) return nullptr;
    if (static_cast<size_t>(i) >= conns_.size()) conns_.resize(i + 1);
    if (!conns_[i] && cluster_) {
      conns_[i] = OpenNode(i);
      if (!conns_[i]) return nullptr;
      epoll_event e = {};
      e.events = EPOLLIN;
      e.data.u32 = static_cast<uint32_t>(i);
      if (epoll_ctl(epfd_, EPOLL_CTL_ADD, conns_[i]->fd(), &e) != 0) {
        open_error_ = Status::FromErrno("redis: epoll_ctl", errno);
        conns_[i].reset();
        return nullptr;
      }
    }
    return conns_[i].get();
  }

  // The side connection to node `i`, for a redirected request.
  RedisConnection* Side(int i) {
    if (static_cast<size_t>(i) >= side_.size()) side_.resize(i + 1);
    if (!side_[i]) side_[i] = OpenNode(i);
    return side_[i].get();
  }

  std::unique_ptr<RedisConnection> OpenNode(int i) {
    Result<std::unique_ptr<RedisConnection>> conn = keys_->Open(
        RedisUrl::Tcp(map_.nodes()[i].host, map_.nodes()[i].port), options_);
    if (!conn.ok()) {
      open_error_ = conn.status();
      return nullptr;
    }
    return std::move(*conn);
  }

  void Append(RedisConnection* conn, const Request& r) {
    if (r.prim == Prim::kIncrement && r.value == 1 &&
        r.counter < kCachedCommands && options_.script_add.empty()) {
      // The hot path: "INCR key" is formatted once per counter. (INCR, not
      // INCRBY key 1: the server parses one argument less, and at a
      // server's limit that is about 10 % of its time.)
      if (r.counter >= incr_one_.size()) incr_one_.resize(r.counter + 1);
      std::string& cmd = incr_one_[r.counter];
      if (cmd.empty()) cmd = FormatCommand({"INCR", Key(r.counter)});
      conn->AppendFormatted(cmd);
      return;
    }
    const std::string key = Key(r.counter);
    switch (r.prim) {
      case Prim::kIncrement:
        if (!options_.script_add.empty()) {
          conn->Append({"EVALSHA", options_.script_add.sha, "1", key,
                        std::to_string(r.value)});
        } else if (r.value == 1) {
          conn->Append({"INCR", key});
        } else {
          conn->Append({"INCRBY", key, std::to_string(r.value)});
        }
        break;
      case Prim::kLock:
        conn->Append({"SET", key + ":lock", token_, "NX", "PX", lock_ttl_});
        break;
      case Prim::kRead:
        if (r.for_cas) conn->Append({"WATCH", key});
        if (options_.script_read.empty()) {
          conn->Append({"GET", key});
        } else {
          conn->Append({"EVALSHA", options_.script_read.sha, "1", key, "0"});
        }
        break;
      case Prim::kWrite:
        conn->Append({"SET", key, std::to_string(r.value)});
        break;
      case Prim::kCompareAndSet:
        conn->Append({"MULTI"});
        conn->Append({"SET", key, std::to_string(r.value)});
        conn->Append({"EXEC"});
        break;
      case Prim::kUnlock:
        conn->Append({"EVAL", kReleaseScript, "1", key + ":lock", token_});
        break;
      case Prim::kTake:
        // A cas's WATCH after a take that found the key sold out stays
        // set until the next EXEC; harmless, since a sold-out key never
        // changes again under a safe strategy.
        conn->Append({"EVALSHA", Taker().sha, "1", key,
                      std::to_string(r.value)});
        break;
      case Prim::kAddGet:
        conn->Append({"INCRBY", key, std::to_string(r.value)});
        break;
      case Prim::kBegin:
      case Prim::kCommit:
      case Prim::kAbort:
        break;  // Never sent: no transactions.
    }
  }

  Reply Interpret(RedisConnection* conn, const Request& r) {
    switch (r.prim) {
      case Prim::kIncrement:
        if (!options_.script_add.empty()) {
          return Evaluated(conn, options_.script_add, "EVALSHA script_add")
              .reply;
        }
        return Expect(conn, r.value == 1 ? "INCR" : "INCRBY", 1).reply;
      case Prim::kLock: {
        Replies got = Expect(conn, "SET NX", 1);
        if (got.reply.outcome != Reply::Outcome::kDone) return got.reply;
        if (got.last->type == REDIS_REPLY_STATUS) return Reply::Done();
        return Reply::Busy(Status::Busy("redis: lock " + Key(r.counter) +
                                        ":lock not acquired"));
      }
      case Prim::kRead: {
        Replies got =
            !options_.script_read.empty()
                ? Evaluated(conn, options_.script_read, "EVALSHA script_read")
                : Expect(conn, r.for_cas ? "WATCH, GET" : "GET",
                         r.for_cas ? 2 : 1);
        if (got.reply.outcome == Reply::Outcome::kConflict) {
          // The server had lost script_read (now loaded again): a read
          // has no retry, and no value to answer.
          return Reply::Failed(Status::IOError(
              "redis: the server lost script_read (NOSCRIPT: a restart or "
              "SCRIPT FLUSH) during the run"));
        }
        if (got.reply.outcome != Reply::Outcome::kDone) return got.reply;
        Result<int64_t> v = IntegerOf(got.last.get(), Key(r.counter));
        if (!v.ok()) return Reply::Failed(v.status());
        return Reply::Value(*v);
      }
      case Prim::kWrite:
        return Expect(conn, "SET", 1).reply;
      case Prim::kCompareAndSet: {
        Replies got = Expect(conn, "MULTI, SET, EXEC", 3);
        if (got.reply.outcome != Reply::Outcome::kDone) return got.reply;
        if (got.last->type == REDIS_REPLY_ARRAY) return Reply::Done();
        return Reply::Conflict();  // Nil: the key changed after WATCH.
      }
      case Prim::kUnlock: {
        Replies got = Expect(conn, "EVAL release", 1);
        if (got.reply.outcome != Reply::Outcome::kDone) return got.reply;
        if (got.last->type == REDIS_REPLY_INTEGER && got.last->integer == 1) {
          return Reply::Done();
        }
        return Reply::Failed(Status::IOError(
            "redis: lock " + Key(r.counter) + ":lock expired under its "
            "holder (raise redis.lock_ttl_ms)"));
      }
      case Prim::kTake: return Took(conn, r);
      case Prim::kAddGet: {
        Replies got = Expect(conn, "INCRBY", 1);
        if (got.reply.outcome != Reply::Outcome::kDone) return got.reply;
        Result<int64_t> v = IntegerOf(got.last.get(), Key(r.counter));
        if (!v.ok()) return Reply::Failed(v.status());
        return Reply::Value(*v);
      }
      case Prim::kBegin:
      case Prim::kCommit:
      case Prim::kAbort:
        break;
    }
    return Reply::Done();
  }

  // The take script: the user's, else ours.
  const LuaScript& Taker() const {
    return options_.script_take.empty() ? TakeScript() : options_.script_take;
  }

  // The take script's answer: sold (ours answers 1, the user's any number
  // but 0) or sold out (0, or nil).
  Reply Took(RedisConnection* conn, const Request& r) {
    Replies got = Evaluated(conn, Taker(), "EVALSHA take");
    if (got.reply.outcome != Reply::Outcome::kDone) return got.reply;
    Result<int64_t> v = IntegerOf(got.last.get(), Key(r.counter));
    if (!v.ok()) return Reply::Failed(v.status().WithContext("take script"));
    return Reply::Value(*v != 0 ? 1 : 0);
  }

  // The reply of an EVALSHA of `script`. A server that lost the script
  // (NOSCRIPT: a restart, SCRIPT FLUSH) gets it again, and the request
  // goes again, as a retry (a conflict).
  Replies Evaluated(RedisConnection* conn, const LuaScript& script,
                    const char* what) {
    Replies got = Expect(conn, what, 1);
    if (got.reply.outcome == Reply::Outcome::kFailed &&
        got.reply.status.message().find("NOSCRIPT") != std::string::npos) {
      const Status loaded = LoadScript(conn, script);
      got.reply = loaded.ok()    ? Reply::Conflict()
                  : conn->gone() ? Reply::Lost(loaded)
                                 : Reply::Failed(loaded);
    }
    return got;
  }

  // Reads the `n` replies of one request; an error reply is kFailed (the
  // rest are still read, to stay in step), a lost connection kLost. On a
  // cluster, a redirection is kept in redirect_ instead.
  Replies Expect(RedisConnection* conn, const char* what, int n) {
    Replies out;
    for (int i = 0; i < n; ++i) {
      Result<ReplyPtr> got = conn->Receive(what);
      if (got.ok()) {
        out.last = std::move(*got);
        continue;
      }
      if (conn->gone()) {
        out.reply = Reply::Lost(got.status());
        return out;
      }
      if (cluster_ && !redirected_ &&
          ParseRedirect(conn->last_error(), &redirect_)) {
        redirected_ = true;
        continue;
      }
      if (out.reply.outcome == Reply::Outcome::kDone) {
        out.reply = Reply::Failed(got.status());
      }
    }
    if (redirected_ && out.reply.outcome == Reply::Outcome::kDone) {
      // Not an answer: Receive sends the request where it was sent to.
      out.reply = Reply::Failed(Status::IOError("redis: redirected"));
    }
    return out;
  }

  std::string Key(uint32_t counter) const {
    return cluster_ ? keys_->keys[counter]
                    : prefix_ + std::to_string(counter);
  }

  const std::shared_ptr<const RunKeys> keys_;
  const bool cluster_;  // Else one server: node 0, and no slot to look up.
  const RedisOptions options_;
  SlotMap map_;  // This worker's: MOVED updates it.
  // By node; one server's alone at [0].
  std::vector<std::unique_ptr<RedisConnection>> conns_;
  std::vector<std::unique_ptr<RedisConnection>> side_;  // By node.
  int epfd_ = -1;  // A cluster's: conns_' sockets.
  std::vector<int> in_flight_;  // A cluster's: requests sent, by node.
  Status open_error_;
  Redirect redirect_;
  bool redirected_ = false;
  const std::string prefix_;
  const std::string lock_ttl_;
  const std::string token_;
  WorkerTally* const tally_;
  Ring<Sent> sent_;  // Requests whose replies are not yet received.
  static constexpr uint32_t kCachedCommands = 65536;
  std::vector<std::string> incr_one_;  // "INCR key", formatted.
};

}  // namespace

std::unique_ptr<Primitives> NewRedisPrimitives(
    std::unique_ptr<RedisConnection> conn, std::shared_ptr<const RunKeys> keys,
    const RedisOptions& options, int worker, int connection,
    WorkerTally* tally) {
  return std::make_unique<RedisPrimitives>(std::move(conn), std::move(keys),
                                           options, worker, connection, tally);
}

}  // namespace ctrbench
