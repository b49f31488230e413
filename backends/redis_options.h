// The redis backend's options: their declarations (what `ctrbench list`
// shows and OptionValues::Parse checks) and their values once parsed, among
// them where the keys live: a server's url, a user's cluster, or neither
// (the backend starts its own server, or cluster).
//
//   Result<RedisOptions> o = ParseRedisOptions({{"url", "unix:/tmp/r.sock"}});
//   ... o->url.path, o->pipeline ...

#ifndef CTRBENCH_BACKENDS_REDIS_OPTIONS_H_
#define CTRBENCH_BACKENDS_REDIS_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "backends/redis_cluster.h"
#include "counters/backend.h"
#include "counters/status.h"

namespace ctrbench {

// A server's address: redis://HOST:PORT[/DB] or unix:PATH.
struct RedisUrl {
  bool unix_socket = false;
  std::string path;  // unix_socket.
  std::string host;
  int port = 6379;
  int db = 0;

  // A cluster node's address (TCP, db 0).
  static RedisUrl Tcp(const std::string& host, int port) {
    RedisUrl url;
    url.host = host;
    url.port = port;
    return url;
  }

  std::string ToString() const {
    if (unix_socket) return "unix:" + path;
    return "redis://" + host + ":" + std::to_string(port) +
           (db ? "/" + std::to_string(db) : "");
  }
};

// What the backend's own server (or cluster) keeps on disk: nothing
// (ctrbench's default: Redis's snapshots fork the server mid-run), RDB
// snapshots on Redis's default schedule (Redis's own default), or an
// append-only file synced every second (as Redis does with it on).
enum class RedisPersistence { kOff, kRdb, kAof };

// "off", "rdb", "aof", as the option names it.
const char* PersistenceName(RedisPersistence p);

// Redis's settings for `p`, a directive and its arguments each:
// {"save", "3600", "1"}, {"appendonly", "no"}; {"save", ""} turns
// snapshots off. A command line takes them as "--save" "3600" "1", a
// config file as lines.
std::vector<std::vector<std::string>> PersistenceSettings(RedisPersistence p);

// A Lua script, called by its SHA1 (EVALSHA) once loaded (SCRIPT LOAD).
struct LuaScript {
  std::string text;
  std::string sha;  // Hex.
  bool empty() const { return text.empty(); }
};
LuaScript MakeScript(const std::string& text);

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
  RedisPersistence persistence = RedisPersistence::kOff;  // Of those.
  // A user's cluster: the addresses to ask for its slot map; empty: none.
  std::vector<SlotMap::Address> cluster;
  // The user's scripts (script_add, script_take, script_read) that
  // replace the atomic strategy's commands; empty: ours.
  LuaScript script_add, script_take, script_read;
  bool scripted() const {
    return !script_add.empty() || !script_take.empty() ||
           !script_read.empty();
  }

  bool clustered() const { return cluster_nodes > 0 || !cluster.empty(); }
};

// The option declarations, in the order `ctrbench list` shows them.
const std::vector<OptionSpec>& RedisOptionSpecs();

// Checks what a user gave against the declarations and parses it, each
// value once; InvalidArgument naming the option otherwise.
Result<RedisOptions> ParseRedisOptions(const OptionMap& given);

// The run's timeout becomes the command timeout, unless
// redis.command_timeout_ms (its older name) was given; the lock's TTL
// follows it unless given too, and may not be shorter.
Status ApplyRunTimeout(int64_t timeout_ns, RedisOptions* options);

// "redis://HOST:PORT[/DB]" or "unix:PATH"; a password in it is an error.
Result<RedisUrl> ParseUrl(const std::string& text);

// "HOST:PORT,HOST:PORT" (each a TCP address), in order; false if any is not.
bool ParseSeeds(const std::string& text, std::vector<SlotMap::Address>* out);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_REDIS_OPTIONS_H_
