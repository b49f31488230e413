// One connection to a Redis server, through hiredis: connecting (AUTH,
// SELECT, PING, timeouts), commands in and replies out, with hiredis's
// errors turned into Status that name the server and the command.
//
//   Result<std::unique_ptr<RedisConnection>> c =
//       RedisConnection::Open(url, options);
//   Result<ReplyPtr> r = (*c)->Command({"GET", "ctrbench:run:0"});

#ifndef CTRBENCH_BACKENDS_REDIS_CONNECTION_H_
#define CTRBENCH_BACKENDS_REDIS_CONNECTION_H_

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backends/redis_options.h"
#include "counters/ring.h"
#include "counters/status.h"
#include "counters/strategy.h"

namespace ctrbench {

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
  static void Install(redisReader* reader, ReplyPool* pool);

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

  redisReply* New(int type);
  // A reply inside an array is its parent's element.
  static void* Placed(const redisReadTask* task, redisReply* r);
  static ReplyPool* Of(const redisReadTask* task) {
    return static_cast<ReplyPool*>(task->privdata);
  }
  static void* String(const redisReadTask* task, char* str, size_t len);
  static void* Array(const redisReadTask* task, int elements);
  static void* Integer(const redisReadTask* task, long long value);
  static void* Nil(const redisReadTask* task);
  static void Free(void* reply);

  static redisReplyObjectFunctions functions_;
  std::vector<redisReply*> spare_;
};

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

struct RedisContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};

// `args` in Redis's wire format (RESP), appended to `out`.
inline void AppendCommand(const std::vector<std::string>& args,
                          std::string* out) {
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

// A command in Redis's wire format (RESP), ready for AppendFormatted.
std::string FormatCommand(const std::vector<std::string>& args);

// `password`, or else the one in REDISCLI_AUTH ("" if none).
std::string AuthOr(const std::string& password);

// One connection: commands in, replies out, with errors as Status. Not
// safe for concurrent use: each worker connection has its own.
class RedisConnection {
 public:
  // `password`: the AUTH password (a cluster the run started); null: the
  // one in REDISCLI_AUTH, if any.
  static Result<std::unique_ptr<RedisConnection>> Open(
      const RedisUrl& url, const RedisOptions& o,
      const std::string* password = nullptr);

  ~RedisConnection() {
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
  void Push();

  // Waits up to `timeout_ns` until `want` replies have come (kept for
  // Receive, in order) or the connection failed; false on a timeout.
  bool Ready(size_t want, int64_t timeout_ns);

  // Takes in what the socket has now, without waiting (one recv), parsed
  // into replies for Receive. False if it had nothing. A socket closed or
  // failed is closed(): Ready is then true at once, and Receive reads the
  // end and says so, with the server's address.
  bool ReadNow();
  bool closed() const { return closed_; }

  // The next reply; `what` names the command in messages.
  Result<ReplyPtr> Receive(const char* what);

  // The text of the last error reply (a cluster's "MOVED 12 host:port").
  const std::string& last_error() const { return last_error_; }

 private:
  RedisConnection(std::unique_ptr<redisContext, RedisContextFree> ctx,
                  RedisUrl url, int timeout_ms)
      : ctx_(std::move(ctx)), url_(std::move(url)), timeout_ms_(timeout_ms) {
    ReplyPool::Install(ctx_->reader, &pool_);
  }

  // Before ctx_: the reader's replies come from it.
  ReplyPool pool_;
  std::unique_ptr<redisContext, RedisContextFree> ctx_;
  const RedisUrl url_;
  const int timeout_ms_;  // The command timeout: the run's timeout.
  std::string out_;  // Commands not yet written.
  int write_error_ = 0;  // errno of a write that failed.
  bool gone_ = false;
  // ReadNow met the end of the socket, or a write failed.
  bool closed_ = false;
  Ring<redisReply*> arrived_;  // Taken from the reader, for Receive.
  std::string last_error_;
};

// Defined here, inline: every request of the measured path goes through
// them.

inline void RedisConnection::Push() {
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

inline bool RedisConnection::Ready(size_t want, int64_t timeout_ns) {
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

inline bool RedisConnection::ReadNow() {
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

inline Result<ReplyPtr> RedisConnection::Receive(const char* what) {
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

// "redis 7.0.15", from the server's INFO; "redis" if it does not say.
std::string ServerVersion(RedisConnection* conn);

// The integer in a GET reply; nil counts as 0.
Result<int64_t> IntegerOf(const redisReply* r, const std::string& key);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_REDIS_CONNECTION_H_
