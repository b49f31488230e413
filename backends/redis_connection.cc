#include "backends/redis_connection.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace ctrbench {

namespace {

timeval Millis(int ms) {
  timeval tv;
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return tv;
}

}  // namespace

void ReplyPool::Install(redisReader* reader, ReplyPool* pool) {
  reader->fn = &functions_;
  reader->privdata = pool;
}

redisReply* ReplyPool::New(int type) {
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

void* ReplyPool::Placed(const redisReadTask* task, redisReply* r) {
  if (r != nullptr && task->parent != nullptr) {
    static_cast<redisReply*>(task->parent->obj)->element[task->idx] = r;
  }
  return r;
}

void* ReplyPool::String(const redisReadTask* task, char* str, size_t len) {
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

void* ReplyPool::Array(const redisReadTask* task, int elements) {
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

void* ReplyPool::Integer(const redisReadTask* task, long long value) {
  redisReply* r = Of(task)->New(task->type);
  if (r != nullptr) r->integer = value;
  return Placed(task, r);
}

// A nil bulk string or array ("$-1", "*-1") is a nil, whatever its task's
// type.
void* ReplyPool::Nil(const redisReadTask* task) {
  return Placed(task, Of(task)->New(REDIS_REPLY_NIL));
}

// What the reader frees itself (a reply it gave up on) is freed, not kept:
// it has no pool at hand.
void ReplyPool::Free(void* reply) { freeReplyObject(reply); }

redisReplyObjectFunctions ReplyPool::functions_ = {
    &ReplyPool::String, &ReplyPool::Array, &ReplyPool::Integer,
    &ReplyPool::Nil, &ReplyPool::Free};

std::string FormatCommand(const std::vector<std::string>& args) {
  std::string out;
  AppendCommand(args, &out);
  return out;
}

std::string AuthOr(const std::string& password) {
  const char* env = std::getenv("REDISCLI_AUTH");
  return !password.empty() || env == nullptr ? password : env;
}

Result<std::unique_ptr<RedisConnection>> RedisConnection::Open(
    const RedisUrl& url, const RedisOptions& o, const std::string* password) {
  redisContext* raw =
      url.unix_socket
          ? redisConnectUnixWithTimeout(url.path.c_str(),
                                        Millis(o.connect_timeout_ms))
          : redisConnectWithTimeout(url.host.c_str(), url.port,
                                    Millis(o.connect_timeout_ms));
  std::unique_ptr<redisContext, RedisContextFree> ctx(raw);
  if (raw == nullptr || raw->err) {
    return Status::IOError("redis: cannot reach the server at " +
                           url.ToString() + ": " +
                           (raw ? raw->errstr : "out of memory"));
  }
  redisSetTimeout(raw, Millis(o.command_timeout_ms));
  std::unique_ptr<RedisConnection> c(
      new RedisConnection(std::move(ctx), url, o.command_timeout_ms));
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

std::string ServerVersion(RedisConnection* conn) {
  Result<ReplyPtr> info = conn->Command({"INFO", "server"});
  if (!info.ok() || (*info)->type != REDIS_REPLY_STRING) return "redis";
  const std::string text((*info)->str, (*info)->len);
  const size_t at = text.find("redis_version:");
  if (at == std::string::npos) return "redis";
  const size_t end = text.find_first_of("\r\n", at);
  return "redis " + text.substr(at + 14, end - at - 14);
}

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

}  // namespace ctrbench
