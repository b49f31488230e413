#include "backends/redis_keys.h"

#include <hiredis/hiredis.h>

#include <algorithm>

#include "backends/options.h"

namespace ctrbench {

constexpr char kTakeScript[] =
    "local left = tonumber(redis.call('get', KEYS[1]) or '0') "
    "local n = tonumber(ARGV[1]) "
    "if left >= n then redis.call('decrby', KEYS[1], n) return 1 end "
    "return 0";

const LuaScript& TakeScript() {
  static const LuaScript* script = new LuaScript(MakeScript(kTakeScript));
  return *script;
}

namespace {

// Keys per pipelined chunk, and per multi-key command.
constexpr size_t kChunk = 1000;

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

// Sends `command(c)` for each of `counters` over `conn`, 1000 at a time,
// and hands each reply to `take(c, reply)`.
template <typename Command, typename Take>
Status Pipelined(RedisConnection* conn, const NodeCounters& counters,
                 const char* what, Command command, Take take) {
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

// SET NX of the keys of `counters`, pipelined in chunks; a chunk's replies
// are all read (each key created is ours) before a key that was there
// already, or an error reply (a MOVED mid-migration, OOM), fails the run.
Status CreateOnNode(RedisConnection* conn, const RunKeys& keys,
                    const NodeCounters& counters, int64_t initial,
                    std::vector<bool>* created) {
  std::string taken;
  Status refused;
  const std::string value = std::to_string(initial);
  for (size_t first = 0; first < counters.size(); first += kChunk) {
    const size_t last = std::min(counters.size(), first + kChunk);
    for (size_t i = first; i < last; ++i) {
      conn->Append({"SET", keys.Key(counters[i]), value, "NX"});
    }
    for (size_t i = first; i < last; ++i) {
      Result<ReplyPtr> r = conn->Receive("SET NX");
      if (!r.ok() && conn->gone()) return r.status();
      if (!r.ok()) {
        // An error reply keeps the connection in step: the rest of the
        // chunk is still read, so that every key created is marked ours.
        if (refused.ok()) refused = r.status();
      } else if ((*r)->type == REDIS_REPLY_NIL) {
        if (taken.empty()) taken = keys.Key(counters[i]);
      } else {
        (*created)[counters[i]] = true;
      }
    }
    if (!refused.ok()) return refused;
    if (!taken.empty()) {
      return Status::IOError(
          "redis: key " + taken + " exists already " +
          (keys.cluster ? "in the cluster" : "on " + keys.server.ToString()) +
          "; it is not this run's, so it is left as it is");
    }
  }
  return Status::OK();
}

// The values of the keys of `counters`, into *totals: on one server an
// MGET per chunk; a cluster node's keys lie in many slots, so a GET each,
// pipelined.
Status ReadOnNode(RedisConnection* conn, const RunKeys& keys,
                  const NodeCounters& counters, const LuaScript& read,
                  std::vector<int64_t>* totals) {
  if (!read.empty()) {
    // The user's read, loaded again in case the server lost it.
    Status st = LoadScript(conn, read);
    if (!st.ok()) return st;
    return Pipelined(
        conn, counters, "EVALSHA script_read",
        [&keys, &read](uint32_t c) {
          return std::vector<std::string>{"EVALSHA", read.sha, "1",
                                          keys.Key(c), "0"};
        },
        [&keys, totals](uint32_t c, const redisReply* r) {
          Result<int64_t> v = IntegerOf(r, keys.Key(c));
          if (!v.ok()) return v.status().WithContext("script_read");
          (*totals)[c] = *v;
          return Status::OK();
        });
  }
  if (keys.cluster) {
    return Pipelined(
        conn, counters, "GET",
        [&keys](uint32_t c) {
          return std::vector<std::string>{"GET", keys.Key(c)};
        },
        [&keys, totals](uint32_t c, const redisReply* r) {
          Result<int64_t> v = IntegerOf(r, keys.Key(c));
          if (!v.ok()) return v.status();
          (*totals)[c] = *v;
          return Status::OK();
        });
  }
  for (size_t first = 0; first < counters.size(); first += kChunk) {
    const size_t last = std::min(counters.size(), first + kChunk);
    std::vector<std::string> args = {"MGET"};
    for (size_t i = first; i < last; ++i) args.push_back(keys.Key(counters[i]));
    Result<ReplyPtr> r = conn->Command(args);
    if (!r.ok()) return r.status();
    for (size_t i = 0; i < (*r)->elements; ++i) {
      Result<int64_t> v = IntegerOf((*r)->element[i], args[i + 1]);
      if (!v.ok()) return v.status();
      (*totals)[counters[first + i]] = *v;
    }
  }
  return Status::OK();
}

// One server's keys <prefix>N of `counters` (those `ours` marks; null: all
// of them), a DEL of up to 1000 keys at a time, and (`locks`) their lock
// keys, only where a lock still holds one of the run's tokens, which start
// with the prefix.
Status DeleteInChunks(RedisConnection* conn, const std::string& prefix,
                      const NodeCounters& counters,
                      const std::vector<bool>* ours, bool locks) {
  for (size_t first = 0; first < counters.size(); first += kChunk) {
    const size_t last = std::min(counters.size(), first + kChunk);
    std::vector<std::string> del = {"DEL"};
    std::vector<std::string> release = {"EVAL", kReleaseRunLocksScript, ""};
    for (size_t i = first; i < last; ++i) {
      const uint32_t c = counters[i];
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

// The keys of `counters` that `ours` marks, and (`locks`) their lock keys
// while they hold one of the run's tokens: on one server in multi-key
// commands; a cluster node's keys lie in many slots, so a command a key,
// pipelined.
Status DeleteOnNode(RedisConnection* conn, const RunKeys& keys,
                    const NodeCounters& counters,
                    const std::vector<bool>& ours, bool locks) {
  if (!keys.cluster) {
    return DeleteInChunks(conn, keys.prefix, counters, &ours, locks);
  }
  std::vector<uint32_t> list;
  for (size_t i = 0; i < counters.size(); ++i) {
    if (ours[counters[i]]) list.push_back(counters[i]);
  }
  const NodeCounters mine(std::move(list));
  auto ignore = [](uint32_t, const redisReply*) { return Status::OK(); };
  Status st = Pipelined(
      conn, mine, "DEL",
      [&keys](uint32_t c) {
        return std::vector<std::string>{"DEL", keys.Key(c)};
      },
      ignore);
  if (st.ok() && locks) {
    st = Pipelined(
        conn, mine, "EVAL release",
        [&keys](uint32_t c) {
          return std::vector<std::string>{"EVAL", kReleaseRunLocksScript, "1",
                                          keys.Key(c) + ":lock", keys.prefix};
        },
        ignore);
  }
  return st;
}

// A cluster's nodes, as `at` routes the keys of `keys`.
std::vector<RunKeys::Node> NodesOf(const RunKeys& keys, const SlotMap& at) {
  std::vector<std::vector<uint32_t>> lists(at.nodes().size());
  for (uint32_t c = 0; c < keys.counters; ++c) {
    lists[at.NodeOf(keys.slots[c])].push_back(c);
  }
  std::vector<RunKeys::Node> out;
  for (size_t i = 0; i < lists.size(); ++i) {
    out.push_back({RedisUrl::Tcp(at.nodes()[i].host, at.nodes()[i].port),
                   NodeCounters(std::move(lists[i]))});
  }
  return out;
}

bool AnyMarked(const NodeCounters& counters,
               const std::vector<bool>& marked) {
  for (size_t i = 0; i < counters.size(); ++i) {
    if (marked[counters[i]]) return true;
  }
  return false;
}

// Deletes the keys of `node` that start with `prefix` (lock keys only
// while they hold a token that does), adding the count to *deleted.
Status DeleteByPrefix(const SlotMap::Address& node, const std::string& prefix,
                      int64_t* deleted) {
  Result<std::unique_ptr<RedisConnection>> conn =
      RedisConnection::Open(RedisUrl::Tcp(node.host, node.port),
                            RedisOptions());
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

}  // namespace

RunKeys RunKeys::OnServer(RedisUrl url, std::string prefix,
                          uint32_t counters) {
  RunKeys keys;
  keys.prefix = std::move(prefix);
  keys.counters = counters;
  keys.server = std::move(url);
  return keys;
}

RunKeys RunKeys::OnCluster(SlotMap map, std::string password,
                           std::string prefix, uint32_t counters,
                           uint32_t shards) {
  RunKeys keys;
  keys.prefix = std::move(prefix);
  keys.counters = counters;
  keys.cluster = true;
  keys.keys.resize(counters);
  keys.slots.resize(counters);
  for (uint32_t c = 0; c < counters; ++c) {
    const std::string tag = CounterTag(c, shards, map);
    keys.keys[c] = keys.prefix + "{" + tag + "}";
    keys.slots[c] = KeySlot(tag);
  }
  keys.map = std::move(map);
  keys.password = std::move(password);
  return keys;
}

RunKeys RunKeys::Named(SlotMap map, std::string password, std::string prefix,
                       std::vector<std::string> names) {
  RunKeys keys;
  keys.prefix = std::move(prefix);
  keys.counters = static_cast<uint32_t>(names.size());
  keys.cluster = true;
  keys.map = std::move(map);
  keys.password = std::move(password);
  keys.keys = std::move(names);
  for (const std::string& key : keys.keys) keys.slots.push_back(KeySlot(key));
  return keys;
}

Result<std::vector<RunKeys::Node>> RunKeys::Nodes(bool now) const {
  if (!cluster) {
    return std::vector<Node>{{server, NodeCounters::All(counters)}};
  }
  if (!now) return NodesOf(*this, map);
  Result<SlotMap> current = SlotMap::Load(map.nodes(), map_auth());
  if (!current.ok()) return current.status();
  return NodesOf(*this, *current);
}

Status LoadScript(RedisConnection* conn, const LuaScript& script) {
  Result<ReplyPtr> r = conn->Command({"SCRIPT", "LOAD", script.text});
  if (!r.ok()) return r.status();
  const redisReply* reply = r->get();
  if (reply->type == REDIS_REPLY_ERROR) {
    return Status::IOError("redis: SCRIPT LOAD of " + script.text + ": " +
                           std::string(reply->str, reply->len));
  }
  if (reply->type != REDIS_REPLY_STRING ||
      std::string(reply->str, reply->len) != script.sha) {
    return Status::IOError("redis: SCRIPT LOAD of a script did not answer "
                           "its SHA1 " + script.sha);
  }
  return Status::OK();
}

Status CreateRunKeys(const RunKeys& keys, const RedisOptions& options,
                     int64_t initial, bool take, std::vector<bool>* created,
                     std::string* version) {
  Result<std::vector<RunKeys::Node>> nodes = keys.Nodes(/*now=*/false);
  if (!nodes.ok()) return nodes.status();
  for (size_t i = 0; i < nodes->size(); ++i) {
    const RunKeys::Node& node = (*nodes)[i];
    Result<std::unique_ptr<RedisConnection>> conn =
        keys.Open(node.url, options);
    if (!conn.ok()) return conn.status();
    if (i == 0) {
      *version = ServerVersion(conn->get());
      if (keys.cluster) {
        *version += " cluster of " + std::to_string(nodes->size());
      }
    }
    Status st = CreateOnNode(conn->get(), keys, node.counters, initial,
                             created);
    for (const LuaScript* script :
         {&options.script_add, &options.script_take, &options.script_read,
          take && options.script_take.empty() ? &TakeScript() : nullptr}) {
      if (st.ok() && script != nullptr && !script->empty()) {
        st = LoadScript(conn->get(), *script);
      }
    }
    if (!st.ok()) return st;
  }
  return Status::OK();
}

Result<std::vector<int64_t>> ReadRunTotals(const RunKeys& keys,
                                           const RedisOptions& options) {
  Result<std::vector<RunKeys::Node>> nodes = keys.Nodes(/*now=*/true);
  if (!nodes.ok()) return nodes.status();
  std::vector<int64_t> totals(keys.counters, 0);
  for (const RunKeys::Node& node : *nodes) {
    if (node.counters.empty()) continue;
    Result<std::unique_ptr<RedisConnection>> conn =
        keys.Open(node.url, options);
    if (!conn.ok()) return conn.status();
    Status st = ReadOnNode(conn->get(), keys, node.counters,
                           options.script_read, &totals);
    if (!st.ok()) return st;
  }
  return totals;
}

Status DeleteRunKeys(const RunKeys& keys, const RedisOptions& options,
                     bool locks, std::vector<bool>* created) {
  // Nothing created, nothing to delete: no seed is asked (a stopped one
  // would cost its timeout).
  if (std::find(created->begin(), created->end(), true) == created->end()) {
    return Status::OK();
  }
  Result<std::vector<RunKeys::Node>> nodes = keys.Nodes(/*now=*/true);
  if (!nodes.ok()) return nodes.status();
  Status first;
  for (const RunKeys::Node& node : *nodes) {
    if (!AnyMarked(node.counters, *created)) continue;
    Result<std::unique_ptr<RedisConnection>> conn =
        keys.Open(node.url, options);
    Status st = conn.ok() ? DeleteOnNode(conn->get(), keys, node.counters,
                                         *created, locks)
                          : conn.status();
    if (!st.ok()) {
      if (first.ok()) first = st;
      continue;
    }
    for (size_t i = 0; i < node.counters.size(); ++i) {
      (*created)[node.counters[i]] = false;
    }
  }
  return first;
}

// Only once every key of the run was created (a key of its name that was
// there before is the user's), and a lock key only while it holds the
// run's token.
Status UndoRedisKeys(const std::string& kind, const LedgerFields& fields,
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
  const RunKeys keys =
      RunKeys::OnServer(*url, prefix, static_cast<uint32_t>(counters));
  std::vector<bool> ours(keys.counters, true);
  Status st = DeleteRunKeys(keys, RedisOptions(), /*locks=*/true, &ours);
  if (!st.ok()) return st;
  *done = "deleted keys " + prefix + "0.." + std::to_string(counters - 1) +
          " from " + url->ToString();
  return Status::OK();
}

}  // namespace ctrbench
