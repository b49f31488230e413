#include "backends/redis_options.h"

#include <algorithm>
#include <utility>

#include <openssl/evp.h>

#include "backends/options.h"
#include "counters/hex.h"

namespace ctrbench {

namespace {

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

// The `url` option. Its check parses the value, into *into unless null, so
// that ParseRedisOptions parses it once.
OptionSpec UrlOption(RedisUrl* into) {
  OptionSpec url = TextOption(
      "url", "redis://HOST:PORT[/DB] or unix:PATH", kEmbeddedServer,
      "a running server; the password comes from REDISCLI_AUTH. Without "
      "it the backend starts redis-server on a Unix socket in a "
      "temporary directory (TCP off, persistence as redis.persistence "
      "says) and stops it afterwards",
      [into](const std::string& value) {
        Result<RedisUrl> parsed = ParseUrl(value);
        if (!parsed.ok()) {
          return Status::InvalidArgument(
              "redis://HOST:PORT[/DB] or unix:PATH (the password goes in "
              "REDISCLI_AUTH, not the url)");
        }
        if (into != nullptr) *into = std::move(*parsed);
        return Status::OK();
      });
  url.shown = &WithoutUserInfo;
  return url;
}

// The `cluster` option; its check parses into *into, as UrlOption's does.
OptionSpec ClusterOption(std::vector<SlotMap::Address>* into) {
  return TextOption(
      "cluster", "HOST:PORT[,HOST:PORT...]", "(none)",
      "a running Redis Cluster, reached through any of these nodes; the "
      "password comes from REDISCLI_AUTH. The run creates its own keys (SET "
      "NX) and deletes only those",
      [into](const std::string& value) {
        std::vector<SlotMap::Address> seeds;
        if (!ParseSeeds(value, &seeds) || seeds.size() > 64) {
          return Status::InvalidArgument(
              "HOST:PORT[,HOST:PORT...], up to 64 nodes of a running cluster "
              "(the password goes in REDISCLI_AUTH)");
        }
        if (into != nullptr) *into = std::move(seeds);
        return Status::OK();
      });
}

OptionSpec LockTtlOption() {
  OptionSpec spec = IntOption(
      "lock_ttl_ms", 10, 600000, 10000,
      "expiry of the lock key of the lock strategy (by default the larger "
      "of 10000 and the command timeout)");
  spec.allowed += ", at least the command timeout";
  return spec;
}

// A Lua script of the user's, loaded once on every node.
OptionSpec ScriptOption(const char* name, const char* help) {
  OptionSpec spec = TextOption(name,
                               "a Lua script: KEYS[1] is the key, ARGV[1] the "
                               "amount; it touches that key only",
                               "", help, nullptr);
  spec.sweep = true;  // A scenario's list: ours against yours.
  return spec;
}

// The declarations; the url and cluster given are parsed into *into
// (null: only checked).
std::vector<OptionSpec> Declarations(RedisOptions* into) {
  return {
      UrlOption(into ? &into->url : nullptr),
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
      ClusterOption(into ? &into->cluster : nullptr),
      ChoiceOption("persistence", {"off", "rdb", "aof"}, "off",
                   "the backend's own server or cluster: what it keeps on "
                   "disk: nothing, RDB snapshots on Redis's default "
                   "schedule (each forks the server, mid-run), or an "
                   "append-only file synced every second")
          .WithStoreDefault("rdb"),
      ScriptOption("script_add",
                   "replaces the increment of the atomic strategy (INCRBY) "
                   "with your script"),
      ScriptOption("script_take",
                   "replaces the take of an inventory (atomic, take = "
                   "conditional): a unit is sold when the script returns "
                   "a number other than 0 (0 or nil: sold out)"),
      ScriptOption("script_read",
                   "replaces the read of a key (GET): the script returns "
                   "the key's value; it also reads the totals that verify "
                   "the run, so a script that loses updates is caught"),
  };
}

}  // namespace

const char* PersistenceName(RedisPersistence p) {
  switch (p) {
    case RedisPersistence::kOff: return "off";
    case RedisPersistence::kRdb: return "rdb";
    case RedisPersistence::kAof: return "aof";
  }
  return "?";
}

std::vector<std::vector<std::string>> PersistenceSettings(RedisPersistence p) {
  switch (p) {
    case RedisPersistence::kRdb:  // Redis's default schedule, written out.
      return {{"save", "3600", "1"},
              {"save", "300", "100"},
              {"save", "60", "10000"},
              {"appendonly", "no"}};
    case RedisPersistence::kAof:
      return {{"save", ""}, {"appendonly", "yes"}, {"appendfsync", "everysec"}};
    case RedisPersistence::kOff:
      break;
  }
  return {{"save", ""}, {"appendonly", "no"}};
}

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

LuaScript MakeScript(const std::string& text) {
  LuaScript script;
  if (text.empty()) return script;
  script.text = text;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr);
  script.sha = ToHex(std::string(reinterpret_cast<char*>(digest), size));
  return script;
}

const std::vector<OptionSpec>& RedisOptionSpecs() {
  static const std::vector<OptionSpec>* specs =
      new std::vector<OptionSpec>(Declarations(nullptr));
  return *specs;
}

Result<RedisOptions> ParseRedisOptions(const OptionMap& given) {
  RedisOptions o;
  Result<OptionValues> v =
      OptionValues::Parse("redis", Declarations(&o), given);
  if (!v.ok()) return v.status();
  o.embedded = !v->Given("url");
  o.connect_timeout_ms = v->Int("connect_timeout_ms");
  o.command_timeout_ms = v->Int("command_timeout_ms");
  o.command_timeout_given = v->Given("command_timeout_ms");
  o.lock_ttl_given = v->Given("lock_ttl_ms");
  o.lock_ttl_ms = o.lock_ttl_given ? v->Int("lock_ttl_ms") : 0;
  o.pipeline = v->Int("pipeline");
  o.cluster_nodes = v->Int("cluster_nodes");
  o.script_add = MakeScript(v->Text("script_add"));
  o.script_take = MakeScript(v->Text("script_take"));
  o.script_read = MakeScript(v->Text("script_read"));
  const int places = (o.cluster_nodes > 0) + !o.cluster.empty() + !o.embedded;
  if (places > 1) {
    return Status::InvalidArgument(
        "options 'redis.url', 'redis.cluster' and 'redis.cluster_nodes' each "
        "say where the keys live; allowed: one of them");
  }
  const std::string& persistence = v->Text("persistence");
  o.persistence = persistence == "rdb"   ? RedisPersistence::kRdb
                  : persistence == "aof" ? RedisPersistence::kAof
                                         : RedisPersistence::kOff;
  if (v->Given("persistence") && (!o.embedded || !o.cluster.empty())) {
    return Status::InvalidArgument(
        std::string("option 'redis.persistence' sets up the backend's own "
                    "server and cannot be used with 'redis.") +
        (o.cluster.empty() ? "url" : "cluster") +
        "' (a user's server keeps its own); allowed: one of them");
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

Status ApplyRunTimeout(int64_t timeout_ns, RedisOptions* options) {
  if (!options->command_timeout_given) {
    options->command_timeout_ms = static_cast<int>(
        std::min<int64_t>(timeout_ns / 1000000, 3600000));
  }
  if (!options->lock_ttl_given) {
    options->lock_ttl_ms = std::max(10000, options->command_timeout_ms);
  } else if (options->lock_ttl_ms < options->command_timeout_ms) {
    return Status::InvalidArgument(
        "option 'redis.lock_ttl_ms': " +
        std::to_string(options->lock_ttl_ms) + " is shorter than the "
        "timeout (" + std::to_string(options->command_timeout_ms) +
        " ms); a lock that expires under its holder loses updates; "
        "allowed: at least the timeout");
  }
  return Status::OK();
}

}  // namespace ctrbench
