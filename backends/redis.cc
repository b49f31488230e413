#include "backends/redis.h"

#include <hiredis/hiredis.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/options.h"
#include "backends/redis_cluster.h"
#include "backends/server_process.h"
#include "counters/client_loop.h"
#include "counters/clock.h"
#include "counters/program.h"
#include "counters/ring.h"
#include "counters/strategy.h"
#include "counters/workload.h"

namespace ctrbench {

namespace {

// The effective `url` when the backend starts its own server.
constexpr char kEmbedded[] = "(embedded)";

constexpr char kNoRedisServer[] =
    "redis: redis-server is not installed (Debian package redis-server: "
    "apt-get install redis-server), and no redis.url names a running server";

// Deletes our lock only while it still holds our token.
constexpr char kReleaseScript[] =
    "if redis.call('get', KEYS[1]) == ARGV[1] then "
    "return redis.call('del', KEYS[1]) else return 0 end";

// Teardown: deletes each lock key whose token starts with this run's prefix
// (ARGV[1]): a lock a killed worker left behind, never a key of someone
// else's that happens to share the name.
constexpr char kReleaseRunLocksScript[] =
    "local n = 0 "
    "for _, key in ipairs(KEYS) do "
    "local v = redis.call('get', key) "
    "if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then "
    "n = n + redis.call('del', key) end end "
    "return n";

struct RedisUrl {
  bool unix_socket = false;
  std::string path;  // unix_socket.
  std::string host;
  int port = 6379;
  int db = 0;

  std::string ToString() const {
    if (unix_socket) return "unix:" + path;
    return "redis://" + host + ":" + std::to_string(port) +
           (db ? "/" + std::to_string(db) : "");
  }
};

struct RedisOptions {
  bool embedded = true;
  RedisUrl url;
  int connect_timeout_ms = 2000;
  // The run field timeout, unless given here (an older name of it, kept).
  int command_timeout_ms = 2000;
  bool command_timeout_given = false;
  int lock_ttl_ms = 0;  // 0: the default, max(10 s, command timeout).
  bool lock_ttl_given = false;
  int pipeline = 1;
  int cluster_nodes = 0;  // An embedded cluster of N nodes; 0: none.
  // A user's cluster: the addresses to ask for its slot map; empty: none.
  std::vector<SlotMap::Address> cluster;

  bool clustered() const { return cluster_nodes > 0 || !cluster.empty(); }
};

// "HOST:PORT,HOST:PORT" (each a TCP address), in order; false if any is not.
bool ParseSeeds(const std::string& text, std::vector<SlotMap::Address>* out) {
  std::vector<SlotMap::Address> seeds;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    const std::string one = text.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t colon = one.rfind(':');
    long port = 0;
    if (colon == std::string::npos || colon == 0 ||
        !ParseIntOption(one.substr(colon + 1), 1, 65535, &port)) {
      return false;
    }
    seeds.push_back({one.substr(0, colon), static_cast<int>(port)});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  *out = std::move(seeds);
  return true;
}

// "redis://:secret@host" -> "redis://***@host": a message never repeats a
// password someone put in a url.
std::string WithoutUserInfo(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.rfind('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) {
    return url;
  }
  return url.substr(0, scheme + 3) + "***" + url.substr(at);
}

Result<RedisUrl> ParseUrl(const std::string& text) {
  RedisUrl url;
  if (text.rfind("unix:", 0) == 0 && text.size() > 5) {
    url.unix_socket = true;
    url.path = text.substr(5);
    return url;
  }
  const std::string scheme = "redis://";
  if (text.rfind(scheme, 0) != 0) return Status::InvalidArgument("scheme");
  std::string rest = text.substr(scheme.size());
  const size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    long db = 0;
    if (!ParseIntOption(rest.substr(slash + 1), 0, 15, &db)) {
      return Status::InvalidArgument("db");
    }
    url.db = static_cast<int>(db);
    rest = rest.substr(0, slash);
  }
  if (rest.find('@') != std::string::npos) {
    return Status::InvalidArgument("password in url");
  }
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos) {
    url.host = rest;
  } else {
    long port = 0;
    if (!ParseIntOption(rest.substr(colon + 1), 1, 65535, &port)) {
      return Status::InvalidArgument("port");
    }
    url.port = static_cast<int>(port);
    url.host = rest.substr(0, colon);
  }
  if (url.host.empty()) return Status::InvalidArgument("host");
  return url;
}

OptionSpec LockTtlOption() {
  OptionSpec spec = IntOption(
      "lock_ttl_ms", 10, 600000, 10000,
      "expiry of the lock key of the lock strategy (by default the larger "
      "of 10000 and the command timeout)");
  spec.allowed += ", at least the command timeout";
  return spec;
}

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec>* specs = [] {
    OptionSpec url = TextOption(
        "url", "redis://HOST:PORT[/DB] or unix:PATH", kEmbedded,
        "a running server; the password comes from REDISCLI_AUTH. Without "
        "it the backend starts redis-server on a Unix socket in a "
        "temporary directory (TCP and persistence off) and stops it "
        "afterwards",
        [](const std::string& value) {
          return ParseUrl(value).ok()
                     ? Status::OK()
                     : Status::InvalidArgument(
                           "redis://HOST:PORT[/DB] or unix:PATH (the "
                           "password goes in REDISCLI_AUTH, not the url)");
        });
    url.shown = &WithoutUserInfo;
    return new std::vector<OptionSpec>{
        url,
        IntOption("connect_timeout_ms", 10, 600000, 2000, "connect timeout"),
        IntOption("command_timeout_ms", 10, 600000, 2000,
                  "reply timeout for redis alone; an older name of the run "
                  "field timeout (--timeout), which sets it when this is "
                  "not given"),
        LockTtlOption(),
        IntOption("pipeline", 1, 1024, 1,
                  "increments in flight per worker connection (atomic "
                  "only)"),
        IntOption("cluster_nodes", 0, 16, 0,
                  "start a Redis Cluster of N nodes on loopback (kept for "
                  "the sweep) and spread the keys over it; a counter's "
                  "shards go to different nodes",
                  "none"),
        TextOption("cluster", "HOST:PORT[,HOST:PORT...]", "(none)",
                   "a running Redis Cluster, reached through any of these "
                   "nodes; the password comes from REDISCLI_AUTH. The run "
                   "creates its own keys (SET NX) and deletes only those",
                   [](const std::string& value) {
                     std::vector<SlotMap::Address> seeds;
                     return ParseSeeds(value, &seeds) && seeds.size() <= 64
                                ? Status::OK()
                                : Status::InvalidArgument(
                                      "HOST:PORT[,HOST:PORT...], up to 64 "
                                      "nodes of a running cluster (the "
                                      "password goes in REDISCLI_AUTH)");
                   }),
    };
  }();
  return *specs;
}

Result<RedisOptions> ParseOptions(const OptionMap& given) {
  Result<OptionValues> v = OptionValues::Parse("redis", Specs(), given);
  if (!v.ok()) return v.status();
  RedisOptions o;
  o.embedded = !v->Given("url");
  if (!o.embedded) o.url = *ParseUrl(v->Text("url"));
  o.connect_timeout_ms = v->Int("connect_timeout_ms");
  o.command_timeout_ms = v->Int("command_timeout_ms");
  o.command_timeout_given = v->Given("command_timeout_ms");
  o.lock_ttl_given = v->Given("lock_ttl_ms");
  o.lock_ttl_ms = o.lock_ttl_given ? v->Int("lock_ttl_ms") : 0;
  o.pipeline = v->Int("pipeline");
  o.cluster_nodes = v->Int("cluster_nodes");
  if (v->Given("cluster")) ParseSeeds(v->Text("cluster"), &o.cluster);
  const int places = (o.cluster_nodes > 0) + !o.cluster.empty() + !o.embedded;
  if (places > 1) {
    return Status::InvalidArgument(
        "options 'redis.url', 'redis.cluster' and 'redis.cluster_nodes' each "
        "say where the keys live; allowed: one of them");
  }
  if (!o.cluster.empty()) o.embedded = false;
  if (o.lock_ttl_ms == 0) {
    o.lock_ttl_ms = std::max(10000, o.command_timeout_ms);
  } else if (o.lock_ttl_ms < o.command_timeout_ms) {
    return Status::InvalidArgument(
        "option 'redis.lock_ttl_ms': " + std::to_string(o.lock_ttl_ms) +
        " is shorter than redis.command_timeout_ms (" +
        std::to_string(o.command_timeout_ms) + "); a lock that expires "
        "under its holder loses updates; allowed: at least the command "
        "timeout");
  }
  return o;
}

timeval Millis(int ms) {
  timeval tv;
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return tv;
}

// The reply objects of one connection, kept for its next replies: a
// pipelining connection takes in thousands a second, and hiredis's own
// functions calloc and free each one (with 9 connections pipelining 16,
// that was a fifth of the client's user time). A reply's string and array
// are still its own allocations, freed with it.
class ReplyPool {
 public:
  ReplyPool() = default;
  ReplyPool(const ReplyPool&) = delete;
  ReplyPool& operator=(const ReplyPool&) = delete;
  ~ReplyPool() {
    for (redisReply* r : spare_) std::free(r);
  }

  // The reader's functions: the objects of `reader`'s replies come from
  // `pool`.
  static void Install(redisReader* reader, ReplyPool* pool) {
    reader->fn = &functions_;
    reader->privdata = pool;
  }

  // `r`, and what it holds, is done with.
  void Recycle(redisReply* r) {
    if (r->type == REDIS_REPLY_ARRAY || spare_.size() >= kSpare) {
      freeReplyObject(r);
      return;
    }
    std::free(r->str);
    spare_.push_back(r);
  }

 private:
  static constexpr size_t kSpare = 1024;

  redisReply* New(int type) {
    redisReply* r = nullptr;
    if (spare_.empty()) {
      r = static_cast<redisReply*>(std::calloc(1, sizeof(redisReply)));
      if (r == nullptr) return nullptr;
    } else {
      r = spare_.back();
      spare_.pop_back();
      *r = redisReply{};
    }
    r->type = type;
    return r;
  }
  // A reply inside an array is its parent's element.
  static void* Placed(const redisReadTask* task, redisReply* r) {
    if (r != nullptr && task->parent != nullptr) {
      static_cast<redisReply*>(task->parent->obj)->element[task->idx] = r;
    }
    return r;
  }
  static ReplyPool* Of(const redisReadTask* task) {
    return static_cast<ReplyPool*>(task->privdata);
  }

  static void* String(const redisReadTask* task, char* str, size_t len) {
    redisReply* r = Of(task)->New(task->type);
    if (r == nullptr) return nullptr;
    r->str = static_cast<char*>(std::malloc(len + 1));
    if (r->str == nullptr) {
      freeReplyObject(r);
      return nullptr;
    }
    std::memcpy(r->str, str, len);
    r->str[len] = '\0';
    r->len = len;
    return Placed(task, r);
  }
  static void* Array(const redisReadTask* task, int elements) {
    redisReply* r = Of(task)->New(task->type);
    if (r == nullptr) return nullptr;
    if (elements > 0) {
      r->element = static_cast<redisReply**>(
          std::calloc(static_cast<size_t>(elements), sizeof(redisReply*)));
      if (r->element == nullptr) {
        freeReplyObject(r);
        return nullptr;
      }
    }
    r->elements = static_cast<size_t>(elements);
    return Placed(task, r);
  }
  static void* Integer(const redisReadTask* task, long long value) {
    redisReply* r = Of(task)->New(task->type);
    if (r != nullptr) r->integer = value;
    return Placed(task, r);
  }
  // A nil bulk string or array ("$-1", "*-1") is a nil, whatever its
  // task's type.
  static void* Nil(const redisReadTask* task) {
    return Placed(task, Of(task)->New(REDIS_REPLY_NIL));
  }
  // What the reader frees itself (a reply it gave up on) is freed, not
  // kept: it has no pool at hand.
  static void Free(void* reply) { freeReplyObject(reply); }

  static redisReplyObjectFunctions functions_;
  std::vector<redisReply*> spare_;
};

redisReplyObjectFunctions ReplyPool::functions_ = {
    &ReplyPool::String, &ReplyPool::Array, &ReplyPool::Integer,
    &ReplyPool::Nil, &ReplyPool::Free};

// A reply back to its connection's pool (or freed, without one).
struct ReplyFree {
  ReplyPool* pool = nullptr;
  void operator()(redisReply* r) const {
    if (pool != nullptr) {
      pool->Recycle(r);
    } else {
      freeReplyObject(r);
    }
  }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

// `args` in Redis's wire format (RESP), appended to `out`.
void AppendCommand(const std::vector<std::string>& args, std::string* out) {
  *out += '*';
  *out += std::to_string(args.size());
  *out += "\r\n";
  for (const std::string& a : args) {
    *out += '$';
    *out += std::to_string(a.size());
    *out += "\r\n";
    *out += a;
    *out += "\r\n";
  }
}

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};

// One connection: commands in, replies out, with errors as Status.
class Connection {
 public:
  // `password`: the AUTH password (a cluster the run started); null: the
  // one in REDISCLI_AUTH, if any.
  static Result<std::unique_ptr<Connection>> Open(
      const RedisUrl& url, const RedisOptions& o,
      const std::string* password = nullptr) {
    redisContext* raw =
        url.unix_socket
            ? redisConnectUnixWithTimeout(url.path.c_str(),
                                          Millis(o.connect_timeout_ms))
            : redisConnectWithTimeout(url.host.c_str(), url.port,
                                      Millis(o.connect_timeout_ms));
    std::unique_ptr<redisContext, ContextFree> ctx(raw);
    if (raw == nullptr || raw->err) {
      return Status::IOError("redis: cannot reach the server at " +
                             url.ToString() + ": " +
                             (raw ? raw->errstr : "out of memory"));
    }
    redisSetTimeout(raw, Millis(o.command_timeout_ms));
    std::unique_ptr<Connection> c(
        new Connection(std::move(ctx), url, o.command_timeout_ms));
    const char* from_env = std::getenv("REDISCLI_AUTH");
    if (password != nullptr || from_env != nullptr) {
      Result<ReplyPtr> r =
          c->Command({"AUTH", password ? *password : std::string(from_env)});
      if (!r.ok()) return r.status();
    }
    if (url.db != 0) {
      Result<ReplyPtr> r = c->Command({"SELECT", std::to_string(url.db)});
      if (!r.ok()) return r.status();
    }
    // A server that wants a password says so here, clearly.
    Result<ReplyPtr> pong = c->Command({"PING"});
    if (!pong.ok()) return pong.status();
    return c;
  }

  ~Connection() {
    for (size_t i = 0; i < arrived_.size(); ++i) pool_.Recycle(arrived_[i]);
  }

  // Sends one command and waits for its reply. An error reply is an error.
  Result<ReplyPtr> Command(const std::vector<std::string>& args) {
    Append(args);
    return Receive(args[0].c_str());
  }

  // Queues a command already in the wire format (see FormatCommand).
  void AppendFormatted(const std::string& command) { out_ += command; }

  void Append(const std::vector<std::string>& args) {
    AppendCommand(args, &out_);
  }

  // True once the connection is lost (hiredis fails every later call).
  bool gone() const { return gone_; }
  int fd() const { return ctx_->fd; }

  // Writes every queued command now, from a buffer that keeps its room
  // (hiredis's frees and grows its own at every write). A failed write
  // shows at the next Ready and Receive.
  void Push() {
    size_t done = 0;
    while (done < out_.size() && write_error_ == 0) {
      const ssize_t n = send(ctx_->fd, out_.data() + done, out_.size() - done,
                             MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        // EAGAIN: the send timeout (the command timeout) ran out.
        write_error_ = n < 0 ? errno : EPIPE;
        closed_ = true;
      }
    }
    out_.clear();
  }

  // Waits up to `timeout_ns` until `want` replies have come (kept for
  // Receive, in order) or the connection failed; false on a timeout.
  bool Ready(size_t want, int64_t timeout_ns) {
    if (closed_ && arrived_.size() < want) return true;  // Receive tells.
    for (;;) {
      while (arrived_.size() < want) {
        void* raw = nullptr;
        if (redisGetReplyFromReader(ctx_.get(), &raw) != REDIS_OK) return true;
        if (raw == nullptr) break;
        arrived_.push_back(static_cast<redisReply*>(raw));
      }
      if (arrived_.size() >= want) return true;
      // A real wait sends what is queued first; a look (kReadyBuffered,
      // kReadyReadable) never writes: the client loop writes every
      // connection's requests together, and stamps their start then.
      if (timeout_ns >= 0 && !out_.empty()) Push();
      const int n = WaitReadable(ctx_->fd, timeout_ns);
      if (n == 0) return false;
      if (n < 0 || redisBufferRead(ctx_.get()) != REDIS_OK) return true;
      // One wait (or one read); then only what has come.
      timeout_ns = timeout_ns == kReadyReadable ? kReadyBuffered : 0;
    }
  }

  // Takes in what the socket has now, without waiting (one recv), parsed
  // into replies for Receive. False if it had nothing. A socket closed or
  // failed is closed(): Ready is then true at once, and Receive reads the
  // end and says so, with the server's address.
  bool ReadNow() {
    char buf[16384];
    const ssize_t n = recv(ctx_->fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      return false;
    }
    if (n <= 0 || redisReaderFeed(ctx_->reader, buf, n) != REDIS_OK) {
      closed_ = true;
      return true;
    }
    void* raw = nullptr;
    while (redisGetReplyFromReader(ctx_.get(), &raw) == REDIS_OK && raw) {
      arrived_.push_back(static_cast<redisReply*>(raw));
      raw = nullptr;
    }
    return true;
  }
  bool closed() const { return closed_; }

  // The next reply; `what` names the command in messages.
  Result<ReplyPtr> Receive(const char* what) {
    if (!out_.empty()) Push();
    void* raw = nullptr;
    if (!arrived_.empty()) {
      raw = arrived_.front();
      arrived_.pop_front();
    } else if (write_error_ != 0) {
      gone_ = true;
      return Status::IOError("redis: the server at " + url_.ToString() +
                             " went away during " + what + " (" +
                             std::strerror(write_error_) + ")");
    } else if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) {
      gone_ = true;
      if (ctx_->err == REDIS_ERR_IO &&
          std::strcmp(ctx_->errstr, std::strerror(EAGAIN)) == 0) {
        // hiredis's read timeout: the server is there, but silent.
        return Status::IOError("redis: the server at " + url_.ToString() +
                               " did not answer " + what + " within " +
                               std::to_string(timeout_ms_) +
                               " ms (the run field timeout): a stopped or "
                               "stuck server");
      }
      return Status::IOError("redis: the server at " + url_.ToString() +
                             " went away during " + what + " (" +
                             ctx_->errstr + ")");
    }
    ReplyPtr reply(static_cast<redisReply*>(raw), ReplyFree{&pool_});
    if (reply->type == REDIS_REPLY_ERROR) {
      last_error_.assign(reply->str, reply->len);
      return Status::IOError(std::string("redis: ") + what + ": " +
                             last_error_);
    }
    return reply;
  }

  // The text of the last error reply (a cluster's "MOVED 12 host:port").
  const std::string& last_error() const { return last_error_; }

 private:
  Connection(std::unique_ptr<redisContext, ContextFree> ctx, RedisUrl url,
             int timeout_ms)
      : ctx_(std::move(ctx)), url_(std::move(url)), timeout_ms_(timeout_ms) {
    ReplyPool::Install(ctx_->reader, &pool_);
  }

  // Before ctx_: the reader's replies come from it.
  ReplyPool pool_;
  std::unique_ptr<redisContext, ContextFree> ctx_;
  const RedisUrl url_;
  const int timeout_ms_;  // The command timeout: the run's timeout.
  std::string out_;  // Commands not yet written.
  int write_error_ = 0;  // errno of a write that failed.
  bool gone_ = false;
  bool closed_ = false;  // ReadNow met the end of the socket, or a write failed.
  Ring<redisReply*> arrived_;  // Taken from the reader, for Receive.
  std::string last_error_;
};

// A command in Redis's wire format (RESP), ready for AppendFormatted.
std::string FormatCommand(const std::vector<std::string>& args) {
  std::string out;
  AppendCommand(args, &out);
  return out;
}

// "redis 7.0.15", from the server's INFO; "redis" if it does not say.
std::string ServerVersion(Connection* conn) {
  Result<ReplyPtr> info = conn->Command({"INFO", "server"});
  if (!info.ok() || (*info)->type != REDIS_REPLY_STRING) return "redis";
  const std::string text((*info)->str, (*info)->len);
  const size_t at = text.find("redis_version:");
  if (at == std::string::npos) return "redis";
  const size_t end = text.find_first_of("\r\n", at);
  return "redis " + text.substr(at + 14, end - at - 14);
}

// The integer in a GET reply; nil counts as 0.
Result<int64_t> IntegerOf(const redisReply* r, const std::string& key) {
  if (r->type == REDIS_REPLY_NIL) return int64_t{0};
  if (r->type == REDIS_REPLY_INTEGER) return static_cast<int64_t>(r->integer);
  if (r->type == REDIS_REPLY_STRING) {
    char* end = nullptr;
    const std::string text(r->str, r->len);
    errno = 0;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    if (!text.empty() && *end == '\0' && errno == 0) return int64_t{v};
  }
  return Status::IOError("redis: " + key + " does not hold an integer");
}

// DEL of a run's counter keys <prefix>0..counters-1 (those `ours` marks;
// null: all of them), and of their lock keys only where a lock still holds
// one of the run's tokens, which start with the prefix.
Status DeleteRunKeys(Connection* conn, const std::string& prefix,
                     uint32_t counters, const std::vector<bool>* ours,
                     bool locks) {
  constexpr uint32_t kChunk = 1000;
  for (uint32_t first = 0; first < counters; first += kChunk) {
    const uint32_t last = std::min(counters, first + kChunk);
    std::vector<std::string> del = {"DEL"};
    std::vector<std::string> release = {"EVAL", kReleaseRunLocksScript, ""};
    for (uint32_t c = first; c < last; ++c) {
      if (ours != nullptr && !(*ours)[c]) continue;
      del.push_back(prefix + std::to_string(c));
      release.push_back(prefix + std::to_string(c) + ":lock");
    }
    if (del.size() == 1) continue;
    release[2] = std::to_string(release.size() - 3);
    release.push_back(prefix);
    Status st = conn->Command(del).status();
    if (st.ok() && locks) st = conn->Command(release).status();
    if (!st.ok()) return st;
  }
  return Status::OK();
}

// Each address as "host:port".
std::vector<std::string> Addresses(const std::vector<SlotMap::Address>& nodes) {
  std::vector<std::string> out;
  for (const SlotMap::Address& a : nodes) out.push_back(a.ToString());
  return out;
}

// "a,b,c".
std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ",") + w;
  return out;
}

// `password`, or else the one in REDISCLI_AUTH ("" if none).
std::string AuthOr(const std::string& password) {
  const char* env = std::getenv("REDISCLI_AUTH");
  return !password.empty() || env == nullptr ? password : env;
}

// The cluster a run's keys live in, as the run set it up: the slot map of
// that moment, each counter's key (its hash tag spreads a counter's shards
// over the nodes) and slot, and the cluster's password. Shared, read-only,
// by every worker; a worker's own map follows MOVED from there.
struct ClusterView {
  SlotMap map;
  std::vector<std::string> keys;
  std::vector<uint16_t> slots;
  std::string password;  // "": a user's cluster (REDISCLI_AUTH, if any).

  // For Connection::Open: null sends the one in REDISCLI_AUTH.
  const std::string* auth() const {
    return password.empty() ? nullptr : &password;
  }
  // For SlotMap::Load: the password, or the one in REDISCLI_AUTH.
  std::string map_auth() const { return AuthOr(password); }
};

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
// node it left.
class RedisPrimitives final : public Primitives {
 public:
  RedisPrimitives(std::unique_ptr<Connection> conn,
                  std::shared_ptr<const ClusterView> cluster,
                  std::string prefix, const RedisOptions& options, int worker,
                  int connection, WorkerTally* tally)
      : cluster_(std::move(cluster)),
        options_(options),
        prefix_(std::move(prefix)),
        lock_ttl_(std::to_string(options.lock_ttl_ms)),
        // Starts with the run's key prefix, so that Teardown can tell the
        // run's own leftover locks from anything else.
        token_(prefix_ + "w" + std::to_string(worker) + "c" +
               std::to_string(connection) + ":" +
               std::to_string(getpid()) + ":" + std::to_string(NowNs())),
        tally_(tally) {
    if (cluster_) {
      map_ = cluster_->map;
      conns_.resize(map_.nodes().size());
      epfd_ = epoll_create1(EPOLL_CLOEXEC);
      if (epfd_ < 0) open_error_ = Status::FromErrno("redis: epoll_create1", errno);
    } else {
      conns_.push_back(std::move(conn));
    }
  }
  ~RedisPrimitives() override {
    if (epfd_ >= 0) close(epfd_);
  }

  void Send(const Request& r) override {
    const int node = cluster_ ? map_.NodeOf(cluster_->slots[r.counter]) : 0;
    Connection* conn = Node(node);
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
          Connection* c = conns_[ready[i].data.u32].get();
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
      Connection* conn = Side(map_.IndexOf(to.host, to.port));
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
  Connection* Node(int i) {
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
  Connection* Side(int i) {
    if (static_cast<size_t>(i) >= side_.size()) side_.resize(i + 1);
    if (!side_[i]) side_[i] = OpenNode(i);
    return side_[i].get();
  }

  std::unique_ptr<Connection> OpenNode(int i) {
    RedisUrl url;
    url.host = map_.nodes()[i].host;
    url.port = map_.nodes()[i].port;
    Result<std::unique_ptr<Connection>> conn =
        Connection::Open(url, options_, cluster_->auth());
    if (!conn.ok()) {
      open_error_ = conn.status();
      return nullptr;
    }
    return std::move(*conn);
  }

  void Append(Connection* conn, const Request& r) {
    if (r.prim == Prim::kIncrement && r.value == 1 &&
        r.counter < kCachedCommands) {
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
        if (r.value == 1) {
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
        conn->Append({"GET", key});
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
      case Prim::kBegin:
      case Prim::kCommit:
      case Prim::kAbort:
        break;  // Never sent: no transactions.
    }
  }

  Reply Interpret(Connection* conn, const Request& r) {
    switch (r.prim) {
      case Prim::kIncrement:
        return Expect(conn, r.value == 1 ? "INCR" : "INCRBY", 1).reply;
      case Prim::kLock: {
        Replies got = Expect(conn, "SET NX", 1);
        if (got.reply.outcome != Reply::Outcome::kDone) return got.reply;
        if (got.last->type == REDIS_REPLY_STATUS) return Reply::Done();
        return Reply::Busy(Status::Busy("redis: lock " + Key(r.counter) +
                                        ":lock not acquired"));
      }
      case Prim::kRead: {
        Replies got = Expect(conn, r.for_cas ? "WATCH, GET" : "GET",
                             r.for_cas ? 2 : 1);
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
      case Prim::kBegin:
      case Prim::kCommit:
      case Prim::kAbort:
        break;
    }
    return Reply::Done();
  }

  // Reads the `n` replies of one request; an error reply is kFailed (the
  // rest are still read, to stay in step), a lost connection kLost. On a
  // cluster, a redirection is kept in redirect_ instead.
  Replies Expect(Connection* conn, const char* what, int n) {
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
    return cluster_ ? cluster_->keys[counter]
                    : prefix_ + std::to_string(counter);
  }

  const std::shared_ptr<const ClusterView> cluster_;  // Null: one server.
  const RedisOptions options_;
  SlotMap map_;  // This worker's: MOVED updates it.
  std::vector<std::unique_ptr<Connection>> conns_;  // By node; [0] alone.
  std::vector<std::unique_ptr<Connection>> side_;   // By node.
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

class RedisBackend final : public Backend {
 public:
  explicit RedisBackend(RedisOptions options) : options_(std::move(options)) {}
  ~RedisBackend() override { Teardown().ok(); }

  Status Setup(const SetupSpec& spec) override {
    Teardown().ok();
    Status timed = TakeTimeout(spec.timeout_ns);
    if (!timed.ok()) return timed;
    strategy_ = spec.strategy;
    hold_ns_ = spec.hold_ns;
    counters_ = spec.counters;
    ledger_ = spec.ledger;
    prefix_ = "ctrbench:" + spec.run_id + ":";
    url_ = options_.url;
    Status st;
    if (options_.clustered()) {
      st = UseCluster(spec);
      if (st.ok()) st = CreateClusterKeys();
    } else {
      st = options_.embedded ? StartServer() : Status::OK();
      if (st.ok()) st = CreateKeys();
    }
    if (!st.ok()) {
      Teardown().ok();
      return st;
    }
    if (server_.process()) server_.process()->MarkCpu();
    if (cluster_) {
      for (ServerProcess* p : cluster_->processes()) p->MarkCpu();
    }
    return Status::OK();
  }

  Result<std::unique_ptr<Session>> Connect(int worker,
                                           WorkerTally* tally) override {
    Result<std::unique_ptr<Primitives>> wire = Open(worker, 0, tally);
    if (!wire.ok()) return wire.status();
    return NewStrategySession(std::move(*wire), Config(worker), tally);
  }

  Result<std::unique_ptr<Connections>> ConnectMany(
      int worker, int n, WorkerTally* tally) override {
    return ConnectEach(
        n, [&](int c) { return Open(worker, c, tally); }, Config(worker),
        tally);
  }

  Result<std::vector<int64_t>> ReadTotals() override {
    if (view_) return ReadClusterTotals();
    Result<std::unique_ptr<Connection>> conn = Connection::Open(url_, options_);
    if (!conn.ok()) return conn.status();
    std::vector<int64_t> totals(counters_, 0);
    constexpr uint32_t kChunk = 1000;
    for (uint32_t first = 0; first < counters_; first += kChunk) {
      std::vector<std::string> args = {"MGET"};
      for (uint32_t c = first; c < std::min(counters_, first + kChunk); ++c) {
        args.push_back(prefix_ + std::to_string(c));
      }
      Result<ReplyPtr> r = (*conn)->Command(args);
      if (!r.ok()) return r.status();
      for (size_t i = 0; i < (*r)->elements; ++i) {
        Result<int64_t> v = IntegerOf((*r)->element[i], args[i + 1]);
        if (!v.ok()) return v.status();
        totals[first + i] = *v;
      }
    }
    return totals;
  }

  // Under MPI: where the keys live (a server's url, or a cluster's nodes,
  // password and keys), for the other ranks.
  Result<std::string> Share() const override {
    nlohmann::json j;
    if (!view_) j["url"] = url_.ToString();
    if (view_) {
      j["nodes"] = Addresses(view_->map.nodes());
      j["password"] = view_->password;
      j["keys"] = view_->keys;
    }
    return j.dump();
  }

  Status Join(const SetupSpec& spec, const std::string& shared) override {
    Teardown().ok();
    Status timed = TakeTimeout(spec.timeout_ns);
    if (!timed.ok()) return timed;
    strategy_ = spec.strategy;
    hold_ns_ = spec.hold_ns;
    counters_ = spec.counters;
    prefix_ = "ctrbench:" + spec.run_id + ":";
    const nlohmann::json j = nlohmann::json::parse(shared, nullptr, false);
    if (!j.is_object()) return Status::IOError("redis: rank 0 sent nothing");
    if (!j.contains("nodes")) {
      Result<RedisUrl> url = j.contains("url")
                                 ? ParseUrl(j["url"].get<std::string>())
                                 : Result<RedisUrl>(Status::InvalidArgument(""));
      if (!url.ok()) return Status::IOError("redis: rank 0 sent no address");
      url_ = *url;
      return Status::OK();
    }
    std::vector<SlotMap::Address> seeds;
    if (!ParseSeeds(JoinWords(j["nodes"].get<std::vector<std::string>>()),
                    &seeds)) {
      return Status::IOError("redis: rank 0 sent bad cluster nodes");
    }
    auto view = std::make_shared<ClusterView>();
    view->password = j["password"].get<std::string>();
    view->keys = j["keys"].get<std::vector<std::string>>();
    if (view->keys.size() != counters_) {
      return Status::IOError("redis: rank 0 sent " +
                             std::to_string(view->keys.size()) + " keys for " +
                             std::to_string(counters_) + " counters");
    }
    Result<SlotMap> map = SlotMap::Load(seeds, view->map_auth());
    if (!map.ok()) return map.status();
    view->map = *map;
    for (const std::string& key : view->keys) {
      view->slots.push_back(KeySlot(key));
    }
    view_ = std::move(view);
    return Status::OK();
  }

  Status Teardown() override {
    Status status;
    if (options_.cluster_nodes > 0) {
      // The cluster is the run's own (or the sweep's), without
      // persistence: keys that cannot be deleted now go with it.
      if (view_ && !created_.empty()) status = DeleteClusterKeys();
      created_.clear();
    } else if (!options_.cluster.empty()) {
      // A user's cluster: only the keys this run created. Kept when they
      // could not be deleted: the ledger keeps them for `ctrbench cleanup`.
      if (view_ && !created_.empty()) status = DeleteClusterKeys();
      if (status.ok()) created_.clear();
    } else if (!created_.empty()) {
      // Only the keys this run created, never FLUSHDB: a user's server
      // stays as it was, and a key of our name that was there before is
      // the user's.
      Result<std::unique_ptr<Connection>> conn = Connection::Open(url_, options_);
      if (conn.ok()) {
        status = DeleteRunKeys(conn->get(), prefix_, counters_, &created_,
                               strategy_ == Strategy::kLock);
      } else if (!server_.process() || server_.running()) {
        status = conn.status();
      }
      // Kept when they could not be deleted: the destructor tries again,
      // and the ledger keeps them for `ctrbench cleanup`.
      if (status.ok()) created_.clear();
    }
    if (!status.ok() && !created_.empty() && options_.cluster_nodes == 0) {
      status = Status::IOError(
          "redis: could not delete this run's keys " + prefix_ + "0.." +
          prefix_ + std::to_string(counters_ - 1) + " on " +
          (options_.cluster.empty() ? url_.ToString()
                                    : SeedList()) +
          " (" + status.message() + "); the run ledger keeps them, and "
          "`ctrbench cleanup` will try again");
    }
    if (created_.empty()) keys_entry_.Forget();
    view_.reset();
    stats_conns_.clear();
    stats_before_.clear();
    stats_after_.clear();
    cluster_ = nullptr;
    own_cluster_.reset();  // A pooled cluster stays for the sweep.
    Status stopped = server_.Stop();
    if (status.ok()) status = stopped;
    return status;
  }

  // The run's timeout as the command timeout, unless
  // redis.command_timeout_ms (its older name) was given; the lock's TTL
  // follows it unless given too.
  Status TakeTimeout(int64_t timeout_ns) {
    if (!options_.command_timeout_given) {
      options_.command_timeout_ms = static_cast<int>(
          std::min<int64_t>(timeout_ns / 1000000, 3600000));
    }
    if (!options_.lock_ttl_given) {
      options_.lock_ttl_ms = std::max(10000, options_.command_timeout_ms);
    } else if (options_.lock_ttl_ms < options_.command_timeout_ms) {
      return Status::InvalidArgument(
          "option 'redis.lock_ttl_ms': " +
          std::to_string(options_.lock_ttl_ms) + " is shorter than the "
          "timeout (" + std::to_string(options_.command_timeout_ms) +
          " ms); a lock that expires under its holder loses updates; "
          "allowed: at least the timeout");
    }
    return Status::OK();
  }

  std::string Version() const override { return version_; }

  OptionMap EffectiveOptions() const override {
    return {
        {"url", options_.embedded          ? kEmbedded
                : !options_.cluster.empty() ? "(none)"
                                            : options_.url.ToString()},
        {"connect_timeout_ms", std::to_string(options_.connect_timeout_ms)},
        {"command_timeout_ms", std::to_string(options_.command_timeout_ms)},
        {"lock_ttl_ms", std::to_string(options_.lock_ttl_ms)},
        {"pipeline", std::to_string(options_.pipeline)},
        {"cluster_nodes", std::to_string(options_.cluster_nodes)},
        {"cluster", options_.cluster.empty() ? "(none)" : SeedList()},
    };
  }

  void MeasurementStarted() override {
    stats_conns_.clear();
    if (!view_) return;
    for (size_t i = 0; i < view_->map.nodes().size(); ++i) {
      Result<std::unique_ptr<Connection>> conn =
          OpenNode(view_->map, static_cast<int>(i));
      stats_conns_.push_back(conn.ok() ? std::move(*conn) : nullptr);
    }
    stats_before_ = NodeStats();
    stats_after_.clear();
    cpu_.Start(ServerCpu());
  }
  void MeasurementEnded() override {
    if (view_) stats_after_ = NodeStats();
    stats_conns_.clear();
    cpu_.End(ServerCpu());
  }

  StatValues Stats() const override {
    StatValues stats;
    const std::string commands = NodeCommands();
    if (!commands.empty()) stats["node_commands"] = Cell::Text(commands);
    cpu_.AddTo(&stats);
    return stats;
  }

  // A cluster's: the commands each node processed in the measured time,
  // "n0/n1/..."; "" when not a cluster (or a node did not say).
  std::string NodeCommands() const {
    if (stats_after_.empty() || stats_after_.size() != stats_before_.size()) {
      return "";
    }
    std::string out;
    for (size_t i = 0; i < stats_after_.size(); ++i) {
      if (stats_before_[i].commands < 0 || stats_after_[i].commands < 0) {
        return "";
      }
      // Less the INFO that took the first figure.
      out += (i ? "/" : "") + std::to_string(stats_after_[i].commands -
                                             stats_before_[i].commands - 1);
    }
    return out;
  }

  // The servers' CPU seconds so far: a user's cluster's at the last look
  // (INFO), or the processes the backend started; < 0: unknown.
  double ServerCpu() const {
    if (!options_.cluster.empty()) {
      // A user's cluster says what its processes used, at the last look.
      const std::vector<NodeStat>& last =
          stats_after_.empty() ? stats_before_ : stats_after_;
      double sum = 0;
      for (const NodeStat& n : last) {
        if (n.cpu_s < 0) return -1;
        sum += n.cpu_s;
      }
      return last.empty() ? -1 : sum;
    }
    if (cluster_) {
      double sum = 0;
      for (ServerProcess* p : cluster_->processes()) {
        const double s = p->CpuSinceMark();
        if (s < 0) return -1;
        sum += s;
      }
      return sum;
    }
    return server_.process() ? server_.process()->CpuSinceMark() : -1;
  }
  std::vector<pid_t> ServerPids() const override {
    std::vector<pid_t> pids;
    if (server_.process()) pids.push_back(server_.process()->pid());
    if (cluster_) {
      for (ServerProcess* p : cluster_->processes()) pids.push_back(p->pid());
    }
    return pids;
  }

 private:
  Result<std::unique_ptr<Primitives>> Open(int worker, int connection,
                                           WorkerTally* tally) {
    std::unique_ptr<Connection> single;
    if (!view_) {
      Result<std::unique_ptr<Connection>> conn =
          Connection::Open(url_, options_);
      if (!conn.ok()) return conn.status();
      single = std::move(*conn);
    }
    return std::unique_ptr<Primitives>(std::make_unique<RedisPrimitives>(
        std::move(single), view_, prefix_, options_, worker, connection,
        tally));
  }

  // What a node's INFO says: commands processed and CPU seconds (user
  // and system) so far; -1 where it did not answer.
  struct NodeStat {
    int64_t commands = -1;
    double cpu_s = -1;
  };
  std::vector<NodeStat> NodeStats() {
    std::vector<NodeStat> out(stats_conns_.size());
    for (size_t i = 0; i < stats_conns_.size(); ++i) {
      if (!stats_conns_[i]) continue;
      // Plain INFO (its default sections hold both): Redis 6 takes one
      // section name at most.
      Result<ReplyPtr> info = stats_conns_[i]->Command({"INFO"});
      if (!info.ok() || (*info)->type != REDIS_REPLY_STRING) continue;
      const std::string text((*info)->str, (*info)->len);
      auto number = [&text](const std::string& field) -> double {
        const size_t at = text.find("\n" + field + ":");
        if (at == std::string::npos) return -1;
        return std::strtod(text.c_str() + at + field.size() + 2, nullptr);
      };
      out[i].commands =
          static_cast<int64_t>(number("total_commands_processed"));
      const double sys = number("used_cpu_sys"), user = number("used_cpu_user");
      out[i].cpu_s = sys < 0 || user < 0 ? -1 : sys + user;
    }
    return out;
  }

  std::string SeedList() const { return JoinWords(Addresses(options_.cluster)); }

  // The run's cluster: the user's, the sweep's, or a new one. Each
  // counter's key gets its hash tag (the shards of a counter on different
  // nodes).
  Status UseCluster(const SetupSpec& spec) {
    if (!options_.cluster.empty()) {
      return MapCluster(spec, options_.cluster, AuthOr(""), "");
    }
    const std::string binary = FindProgram("redis-server");
    if (binary.empty()) return Status::NotSupported(kNoRedisServer);
    const std::string key = "redis-cluster|" + binary + "|" +
                            std::to_string(options_.cluster_nodes);
    if (spec.servers) {
      auto* kept = static_cast<EmbeddedCluster*>(spec.servers->Find(key));
      if (kept && kept->running()) cluster_ = kept;
      if (kept && !cluster_) spec.servers->Remove(key);  // A node died.
    }
    if (!cluster_) {
      Result<std::unique_ptr<EmbeddedCluster>> started =
          EmbeddedCluster::Start(binary, options_.cluster_nodes, spec.ledger);
      if (!started.ok()) return started.status();
      if (spec.servers) {
        cluster_ = static_cast<EmbeddedCluster*>(
            spec.servers->Add(key, std::move(*started)));
      } else {
        own_cluster_ = std::move(*started);
        cluster_ = own_cluster_.get();
      }
    }
    std::vector<SlotMap::Address> seeds;
    for (const auto& n : cluster_->nodes()) seeds.push_back({n.host, n.port});
    return MapCluster(spec, seeds, cluster_->password(), cluster_->password());
  }

  // The cluster's slot map, asked of `seeds` with `auth`, and each
  // counter's key. `password`: for the workers ("": REDISCLI_AUTH).
  Status MapCluster(const SetupSpec& spec,
                    const std::vector<SlotMap::Address>& seeds,
                    const std::string& auth, const std::string& password) {
    Result<SlotMap> map = SlotMap::Load(seeds, auth);
    if (!map.ok()) return map.status();
    auto view = std::make_shared<ClusterView>();
    view->map = *map;
    view->password = password;
    view->keys.resize(counters_);
    view->slots.resize(counters_);
    for (uint32_t c = 0; c < counters_; ++c) {
      const std::string tag = CounterTag(c, spec.shards, *map);
      view->keys[c] = prefix_ + "{" + tag + "}";
      view->slots[c] = KeySlot(tag);
    }
    view_ = std::move(view);
    return Status::OK();
  }

  // A connection to node `node` of `map`.
  Result<std::unique_ptr<Connection>> OpenNode(const SlotMap& map, int node) {
    RedisUrl url;
    url.host = map.nodes()[node].host;
    url.port = map.nodes()[node].port;
    return Connection::Open(url, options_, view_->auth());
  }

  // The counters each node of `map` serves.
  std::vector<std::vector<uint32_t>> ByNode(const SlotMap& map) const {
    std::vector<std::vector<uint32_t>> out(map.nodes().size());
    for (uint32_t c = 0; c < counters_; ++c) {
      out[map.NodeOf(view_->slots[c])].push_back(c);
    }
    return out;
  }

  // Sends `command(c)` for each of `counters` over `conn`, 1000 at a time,
  // and hands each reply to `take(c, reply)`.
  template <typename Command, typename Take>
  Status Pipelined(Connection* conn, const std::vector<uint32_t>& counters,
                   const char* what, Command command, Take take) {
    constexpr size_t kChunk = 1000;
    for (size_t first = 0; first < counters.size(); first += kChunk) {
      const size_t last = std::min(counters.size(), first + kChunk);
      for (size_t i = first; i < last; ++i) conn->Append(command(counters[i]));
      for (size_t i = first; i < last; ++i) {
        Result<ReplyPtr> r = conn->Receive(what);
        if (!r.ok()) return r.status();
        Status st = take(counters[i], r->get());
        if (!st.ok()) return st;
      }
    }
    return Status::OK();
  }

  Status CreateClusterKeys() {
    created_.assign(counters_, false);
    if (!options_.cluster.empty()) {
      // On a user's cluster: written down first, marked created once every
      // key is, so that `cleanup` deletes keys only known to be ours.
      Status st = keys_entry_.Record(
          ledger_, "redis.cluster_keys",
          {{"nodes", SeedList()}, {"prefix", prefix_},
           {"counters", std::to_string(counters_)}, {"state", "pending"}});
      if (!st.ok()) return st.WithContext("redis");
    }
    const std::vector<std::vector<uint32_t>> by_node = ByNode(view_->map);
    for (size_t node = 0; node < by_node.size(); ++node) {
      Result<std::unique_ptr<Connection>> conn =
          OpenNode(view_->map, static_cast<int>(node));
      if (!conn.ok()) return conn.status();
      if (node == 0) {
        version_ = ServerVersion(conn->get()) + " cluster of " +
                   std::to_string(by_node.size());
      }
      Status st = Pipelined(
          conn->get(), by_node[node], "SET NX",
          [this](uint32_t c) {
            return std::vector<std::string>{"SET", view_->keys[c], "0", "NX"};
          },
          [this](uint32_t c, const redisReply* r) {
            if (r->type == REDIS_REPLY_NIL) {
              return Status::IOError("redis: key " + view_->keys[c] +
                                     " exists already in the cluster; it is "
                                     "not this run's, so it is left as it "
                                     "is");
            }
            created_[c] = true;
            return Status::OK();
          });
      if (!st.ok()) return st;
    }
    keys_entry_.Update({{"state", "created"}});
    return Status::OK();
  }

  // From a map read now: slots that moved during the run are read where
  // they are.
  Result<std::vector<int64_t>> ReadClusterTotals() {
    std::vector<SlotMap::Address> seeds = view_->map.nodes();
    Result<SlotMap> map = SlotMap::Load(seeds, view_->map_auth());
    if (!map.ok()) return map.status();
    std::vector<int64_t> totals(counters_, 0);
    const std::vector<std::vector<uint32_t>> by_node = ByNode(*map);
    for (size_t node = 0; node < by_node.size(); ++node) {
      if (by_node[node].empty()) continue;
      Result<std::unique_ptr<Connection>> conn =
          OpenNode(*map, static_cast<int>(node));
      if (!conn.ok()) return conn.status();
      Status st = Pipelined(
          conn->get(), by_node[node], "GET",
          [this](uint32_t c) {
            return std::vector<std::string>{"GET", view_->keys[c]};
          },
          [this, &totals](uint32_t c, const redisReply* r) {
            Result<int64_t> v = IntegerOf(r, view_->keys[c]);
            if (!v.ok()) return v.status();
            totals[c] = *v;
            return Status::OK();
          });
      if (!st.ok()) return st;
    }
    return totals;
  }

  // Each counter key this run created, and its lock key while it holds one
  // of the run's tokens, on the node that serves it now. A node that is
  // gone keeps its keys (the first error says which); the others are
  // cleaned all the same, and created_ then holds only what is left.
  Status DeleteClusterKeys() {
    std::vector<SlotMap::Address> seeds = view_->map.nodes();
    Result<SlotMap> map = SlotMap::Load(seeds, view_->map_auth());
    if (!map.ok()) return map.status();
    const std::vector<std::vector<uint32_t>> by_node = ByNode(*map);
    Status first;
    for (size_t node = 0; node < by_node.size(); ++node) {
      std::vector<uint32_t> ours;
      for (uint32_t c : by_node[node]) {
        if (created_[c]) ours.push_back(c);
      }
      if (ours.empty()) continue;
      Status st = DeleteOnNode(*map, static_cast<int>(node), ours);
      if (!st.ok()) {
        if (first.ok()) first = st;
        continue;
      }
      for (uint32_t c : ours) created_[c] = false;
    }
    return first;
  }

  Status DeleteOnNode(const SlotMap& map, int node,
                      const std::vector<uint32_t>& ours) {
    Result<std::unique_ptr<Connection>> conn = OpenNode(map, node);
    if (!conn.ok()) return conn.status();
    auto ignore = [](uint32_t, const redisReply*) { return Status::OK(); };
    Status st = Pipelined(
        conn->get(), ours, "DEL",
        [this](uint32_t c) {
          return std::vector<std::string>{"DEL", view_->keys[c]};
        },
        ignore);
    if (st.ok() && strategy_ == Strategy::kLock) {
      st = Pipelined(
          conn->get(), ours, "EVAL release",
          [this](uint32_t c) {
            return std::vector<std::string>{
                "EVAL", kReleaseRunLocksScript, "1",
                view_->keys[c] + ":lock", prefix_};
          },
          ignore);
    }
    return st;
  }

  StrategyConfig Config(int worker) const {
    StrategyConfig config;
    config.strategy = strategy_;
    config.hold_ns = hold_ns_;
    config.pipeline = options_.pipeline;
    // A lock held by a worker that died expires after lock_ttl_ms: wait
    // that long, and a reply's time, before giving up.
    config.busy_limit_ns =
        int64_t{options_.lock_ttl_ms + options_.command_timeout_ms} * 1000000;
    config.reply_timeout_ns = int64_t{options_.command_timeout_ms} * 1000000;
    config.backoff = {/*first_ns=*/10000, /*max_ns=*/500000};
    config.seed = NowNs() ^ (static_cast<uint64_t>(worker) << 32);
    return config;
  }

  Status StartServer() {
    const std::string binary = FindProgram("redis-server");
    if (binary.empty()) return Status::NotSupported(kNoRedisServer);
    Status st = server_.MakeDir(ledger_);
    if (!st.ok()) return st;
    url_ = RedisUrl();
    url_.unix_socket = true;
    url_.path = server_.dir() + "/redis.sock";
    RedisOptions quick = options_;
    quick.connect_timeout_ms = 200;
    return server_.Start(
        {binary, "--port", "0", "--unixsocket", url_.path, "--unixsocketperm",
         "700", "--save", "", "--appendonly", "no", "--dir", server_.dir(),
         "--daemonize", "no", "--logfile", ""},
        {},
        [this, &quick]() -> Status {
          if (access(url_.path.c_str(), F_OK) != 0) {
            return Status::IOError("no socket at " + url_.path + " yet");
          }
          return Connection::Open(url_, quick).status();  // Open() pings.
        },
        "");
  }

  Status CreateKeys() {
    Result<std::unique_ptr<Connection>> conn = Connection::Open(url_, options_);
    if (!conn.ok()) return conn.status();
    version_ = ServerVersion(conn->get());
    // SET NX, pipelined in chunks: a key that exists already is someone
    // else's; it is never written, and never deleted (created_ says which
    // keys are ours).
    created_.assign(counters_, false);
    if (!options_.embedded) {
      // On a user's server: written down first, marked created once every
      // key is, so that `cleanup` deletes keys only known to be ours.
      Status st = keys_entry_.Record(
          ledger_, "redis.keys",
          {{"url", url_.ToString()}, {"prefix", prefix_},
           {"counters", std::to_string(counters_)}, {"state", "pending"}});
      if (!st.ok()) return st.WithContext("redis");
    }
    std::string taken;
    constexpr uint32_t kChunk = 1000;
    for (uint32_t first = 0; first < counters_; first += kChunk) {
      const uint32_t last = std::min(counters_, first + kChunk);
      for (uint32_t c = first; c < last; ++c) {
        (*conn)->Append({"SET", prefix_ + std::to_string(c), "0", "NX"});
      }
      for (uint32_t c = first; c < last; ++c) {
        Result<ReplyPtr> r = (*conn)->Receive("SET NX");
        if (!r.ok()) return r.status();
        if ((*r)->type == REDIS_REPLY_NIL) {
          if (taken.empty()) taken = prefix_ + std::to_string(c);
        } else {
          created_[c] = true;
        }
      }
      if (!taken.empty()) {
        return Status::IOError("redis: key " + taken + " exists already on " +
                               url_.ToString() + "; it is not this run's, so "
                               "it is left as it is");
      }
    }
    keys_entry_.Update({{"state", "created"}});
    return Status::OK();
  }





  RedisOptions options_;  // Its command timeout set by each Setup.
  Strategy strategy_ = Strategy::kAtomic;
  int64_t hold_ns_ = 0;
  uint32_t counters_ = 0;
  std::string prefix_;
  RedisUrl url_;
  std::string version_;
  std::vector<bool> created_;  // Per counter: its key is this run's.
  Ledger* ledger_ = nullptr;
  LedgerEntry keys_entry_;
  EmbeddedServer server_{"redis"};
  // cluster_nodes > 0: the cluster (the sweep's, or own_cluster_) and what
  // the workers need to know of it.
  EmbeddedCluster* cluster_ = nullptr;
  std::unique_ptr<EmbeddedCluster> own_cluster_;
  std::shared_ptr<const ClusterView> view_;
  // A cluster's nodes during the measured time: a connection to each, and
  // what they said at its start and end.
  std::vector<std::unique_ptr<Connection>> stats_conns_;
  std::vector<NodeStat> stats_before_, stats_after_;
  CpuWindow cpu_;
};

// Deletes the keys of `node` that start with `prefix` (lock keys only
// while they hold a token that does), adding the count to *deleted.
Status DeleteByPrefix(const SlotMap::Address& node, const std::string& prefix,
                      int64_t* deleted) {
  RedisUrl url;
  url.host = node.host;
  url.port = node.port;
  Result<std::unique_ptr<Connection>> conn = Connection::Open(url, RedisOptions());
  if (!conn.ok()) return conn.status();
  std::string cursor = "0";
  do {
    Result<ReplyPtr> page = (*conn)->Command(
        {"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"});
    if (!page.ok()) return page.status();
    const redisReply* r = page->get();
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
      return Status::IOError("redis: SCAN: an unexpected reply");
    }
    cursor.assign(r->element[0]->str, r->element[0]->len);
    for (size_t i = 0; i < r->element[1]->elements; ++i) {
      const redisReply* k = r->element[1]->element[i];
      const std::string key(k->str, k->len);
      const bool lock =
          key.size() > 5 && key.compare(key.size() - 5, 5, ":lock") == 0;
      Result<ReplyPtr> gone =
          lock ? (*conn)->Command({"EVAL", kReleaseRunLocksScript, "1", key,
                                   prefix})
               : (*conn)->Command({"DEL", key});
      if (!gone.ok()) return gone.status();
      *deleted += (*gone)->type == REDIS_REPLY_INTEGER ? (*gone)->integer : 0;
    }
  } while (cursor != "0");
  return Status::OK();
}

// On a user's cluster the keys carry hash tags that depended on the slot
// map, so each node is scanned for the run's prefix instead: the counter
// keys go, and a lock key only while it holds one of the run's tokens.
Status UndoClusterKeys(const LedgerFields& fields, std::string* done) {
  const std::string prefix = FieldOf(fields, "prefix");
  std::vector<SlotMap::Address> seeds;
  if (prefix.rfind("ctrbench:", 0) != 0 ||
      prefix.find_first_of("*?[]\\") != std::string::npos ||
      !ParseSeeds(FieldOf(fields, "nodes"), &seeds)) {
    return Status::InvalidArgument("not a redis cluster entry");
  }
  if (FieldOf(fields, "state") != "created") {
    return Status::InvalidArgument("not known to be this run's; left");
  }
  Result<SlotMap> map = SlotMap::Load(seeds, AuthOr(""));
  if (!map.ok()) return map.status();
  // Every node that answers is cleaned; the first that does not fails the
  // undo (the entry stays for another try), after the others.
  int64_t deleted = 0;
  Status first;
  for (const SlotMap::Address& node : map->nodes()) {
    Status st = DeleteByPrefix(node, prefix, &deleted);
    if (!st.ok() && first.ok()) first = st;
  }
  if (!first.ok()) return first;
  *done = "deleted " + std::to_string(deleted) + " keys " + prefix +
          "* from the cluster at " + FieldOf(fields, "nodes");
  return Status::OK();
}

// `ctrbench cleanup` for the keys a killed run left on a user's server:
// only once every key of it was created (a key of its name that was there
// before is the user's), and a lock key only while it holds the run's token.
Status UndoKeys(const std::string& kind, const LedgerFields& fields,
                std::string* done) {
  if (kind == "redis.cluster_keys") return UndoClusterKeys(fields, done);
  auto field = [&fields](const char* key) { return FieldOf(fields, key); };
  const std::string prefix = field("prefix");
  long counters = 0;
  if (kind != "redis.keys" || prefix.rfind("ctrbench:", 0) != 0 ||
      !ParseIntOption(field("counters"), 1, 1L << 26, &counters)) {
    return Status::InvalidArgument("not a redis entry");
  }
  if (field("state") != "created") {
    return Status::InvalidArgument("not known to be this run's; left");
  }
  Result<RedisUrl> url = ParseUrl(field("url"));
  if (!url.ok()) return Status::InvalidArgument("bad url in the ledger");
  Result<std::unique_ptr<Connection>> conn = Connection::Open(*url, RedisOptions());
  if (!conn.ok()) return conn.status();
  Status st = DeleteRunKeys(conn->get(), prefix,
                            static_cast<uint32_t>(counters), nullptr, true);
  if (!st.ok()) return st;
  *done = "deleted keys " + prefix + "0.." + std::to_string(counters - 1) +
          " from " + url->ToString();
  return Status::OK();
}

}  // namespace

BackendInfo RedisBackendInfo() {
  BackendInfo info;
  info.name = "redis";
  info.description =
      "a Redis string key per counter, through hiredis (an embedded "
      "redis-server by default)";
  info.capabilities.threads = true;
  info.capabilities.processes = true;
  info.capabilities.strategies = {Strategy::kAtomic, Strategy::kLock,
                                  Strategy::kCas, Strategy::kNaive};
  info.capabilities.latency_sample_every = 1;
  info.capabilities.connections = true;
  info.capabilities.mpi = true;
  info.stats = {
      ServerCpuStat(),
      {"node_commands", Cell::Type::kText, "",
       "a cluster's: the commands each node processed in the measured "
       "time, a/b/c in the order of the slot map"},
  };
  info.options = Specs();
  info.factory = [](const OptionMap& options)
      -> Result<std::unique_ptr<Backend>> {
    Result<RedisOptions> parsed = ParseOptions(options);
    if (!parsed.ok()) return parsed.status();
    return std::unique_ptr<Backend>(new RedisBackend(*parsed));
  };
  info.undo = &UndoKeys;
  info.check_run = [](const OptionMap& options, Strategy strategy) -> Status {
    Result<RedisOptions> parsed = ParseOptions(options);
    if (!parsed.ok()) return parsed.status();
    return PipelineAllowed("redis", parsed->pipeline, strategy);
  };
  info.available = [](const OptionMap& options) -> Status {
    if (options.count("url") || !FindProgram("redis-server").empty()) {
      return Status::OK();
    }
    return Status::NotSupported(kNoRedisServer);
  };
  return info;
}

}  // namespace ctrbench
