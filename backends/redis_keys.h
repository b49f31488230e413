// A run's keys: what each counter's key is called, which node holds it,
// and what a run does with them on every node: create them (SET NX), read
// the totals, delete its own, and `ctrbench cleanup`'s undo of a killed
// run's. One server is a cluster of one node: its node list has one entry,
// which holds every key, and no slot is ever computed for it.
//
//   RunKeys keys = RunKeys::OnServer(url, "ctrbench:run:", 8);
//   Status st = CreateRunKeys(keys, options, &created, &version);
//   Result<std::vector<int64_t>> totals = ReadRunTotals(keys, options);
//   st = DeleteRunKeys(keys, options, /*locks=*/false, &created);

#ifndef CTRBENCH_BACKENDS_REDIS_KEYS_H_
#define CTRBENCH_BACKENDS_REDIS_KEYS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backends/redis_cluster.h"
#include "backends/redis_connection.h"
#include "backends/redis_options.h"
#include "counters/ledger.h"
#include "counters/status.h"

namespace ctrbench {

// The counters whose keys one node holds, in order: every counter of the
// run (one server; never listed, as a run may have 2^26), or a cluster
// node's list.
class NodeCounters {
 public:
  static NodeCounters All(uint32_t counters) {
    NodeCounters all;
    all.all_ = counters;
    return all;
  }
  explicit NodeCounters(std::vector<uint32_t> list)
      : list_(std::move(list)), listed_(true) {}

  size_t size() const { return listed_ ? list_.size() : all_; }
  bool empty() const { return size() == 0; }
  uint32_t operator[](size_t i) const {
    return listed_ ? list_[i] : static_cast<uint32_t>(i);
  }

 private:
  NodeCounters() = default;
  std::vector<uint32_t> list_;
  uint32_t all_ = 0;
  bool listed_ = false;
};

// Where a run's keys live and what they are called, as the run set them
// up. Shared, read-only, by every worker; a worker's own slot map follows
// MOVED from here.
struct RunKeys {
  // A node, and the counters whose keys it holds.
  struct Node {
    RedisUrl url;
    NodeCounters counters;
  };

  // One server at `url`: counter N's key is `prefix`N.
  static RunKeys OnServer(RedisUrl url, std::string prefix,
                          uint32_t counters);
  // A cluster that `map` routes to: counter N's key is `prefix`{tag},
  // with a hash tag that spreads the shards of a key (`shards` counters
  // each) over the nodes. `password`: the workers' ("": REDISCLI_AUTH).
  static RunKeys OnCluster(SlotMap map, std::string password,
                           std::string prefix, uint32_t counters,
                           uint32_t shards);
  // A cluster whose keys another MPI rank named.
  static RunKeys Named(SlotMap map, std::string password, std::string prefix,
                       std::vector<std::string> keys);

  std::string Key(uint32_t counter) const {
    return cluster ? keys[counter] : prefix + std::to_string(counter);
  }
  // For RedisConnection::Open: null sends the one in REDISCLI_AUTH.
  const std::string* auth() const {
    return password.empty() ? nullptr : &password;
  }
  // For SlotMap::Load: the password, or the one in REDISCLI_AUTH.
  std::string map_auth() const { return AuthOr(password); }

  // Each node and the keys it holds: as the slot map of setup time says
  // (`now` false), or as the cluster says now (slots may have moved during
  // the run). One server: itself, with every key.
  Result<std::vector<Node>> Nodes(bool now) const;
  Result<std::unique_ptr<RedisConnection>> Open(
      const RedisUrl& node, const RedisOptions& options) const {
    return RedisConnection::Open(node, options, auth());
  }

  std::string prefix;  // "ctrbench:<run id>:"
  uint32_t counters = 0;
  bool cluster = false;
  RedisUrl server;  // One server's address.
  // A cluster's: its slot map when the run set up, each counter's key and
  // slot, and its password ("": a user's cluster, REDISCLI_AUTH if any).
  SlotMap map;
  std::vector<std::string> keys;
  std::vector<uint16_t> slots;
  std::string password;
};

// Takes ARGV[1] units of KEYS[1] only if that many are left, in one step
// on the server: 1 if it did (sold), 0 if not (sold out). Kind inventory's
// atomic take: loaded once (SCRIPT LOAD on every node at setup) and called
// by its SHA1 (EVALSHA); a server that lost it (a restart, SCRIPT FLUSH)
// answers NOSCRIPT, and the session loads it again. The user's scripts
// (RedisOptions::script_*) are called the same way.
const LuaScript& TakeScript();
// SCRIPT LOAD of `script` over `conn`, checked against its SHA1.
Status LoadScript(RedisConnection* conn, const LuaScript& script);

// Creates each counter's key (SET NX `initial`) on the node that holds it,
// and loads the scripts the run calls there (with `take`, the take script
// unless the user's replaces it). A key that exists already is
// someone else's: never written, never deleted; it fails the run once the
// keys sent with it are in *created, which marks the keys this run
// created. *version: what the first node says it is.
Status CreateRunKeys(const RunKeys& keys, const RedisOptions& options,
                     int64_t initial, bool take, std::vector<bool>* created,
                     std::string* version);

// Every counter's value, read where its key is now (with the user's
// script_read when there is one).
Result<std::vector<int64_t>> ReadRunTotals(const RunKeys& keys,
                                           const RedisOptions& options);

// Deletes each key *created marks, and (`locks`) its lock key while that
// holds one of the run's tokens, on the node that holds it now. A node
// that cannot be reached keeps its keys (the first error says which); the
// others are deleted all the same, and *created then marks what is left.
Status DeleteRunKeys(const RunKeys& keys, const RedisOptions& options,
                     bool locks, std::vector<bool>* created);

// `ctrbench cleanup` of the keys a killed run left on a user's server
// ("redis.keys") or cluster ("redis.cluster_keys").
Status UndoRedisKeys(const std::string& kind, const LedgerFields& fields,
                     std::string* done);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_REDIS_KEYS_H_
