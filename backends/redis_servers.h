// The Redis servers the redis backend starts for a run when no one names
// a server of theirs: one redis-server on a Unix socket, or a Redis Cluster
// of N nodes on loopback (slow to start, so kept for a sweep).
//
//   RedisUrl url;
//   Status st = StartEmbeddedRedis(options, ledger, &server, &url);
//   Result<std::unique_ptr<EmbeddedCluster>> cluster =
//       EmbeddedCluster::Start("/usr/bin/redis-server", 3, ledger);
//   ... (*cluster)->nodes()[0].port, (*cluster)->password() ...
//   st = (*cluster)->Stop();

#ifndef CTRBENCH_BACKENDS_REDIS_SERVERS_H_
#define CTRBENCH_BACKENDS_REDIS_SERVERS_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "backends/redis_options.h"
#include "backends/server_process.h"
#include "counters/backend.h"
#include "counters/ledger.h"
#include "counters/status.h"

namespace ctrbench {

inline constexpr char kNoRedisServer[] =
    "redis: redis-server is not installed (Debian package redis-server: "
    "apt-get install redis-server), and no redis.url names a running server";

// Starts redis-server as `server`, on a Unix socket in its directory (TCP
// off, persistence as options.persistence says), and waits until it
// answers; *url is its address.
Status StartEmbeddedRedis(const RedisOptions& options, Ledger* ledger,
                          EmbeddedServer* server, RedisUrl* url);

// N redis-server processes in cluster mode, each on two free loopback TCP
// ports (clients and the cluster bus: the bus needs TCP), with a password
// of their own (in an owner-only config file, never on a command line),
// the 16384 slots split evenly, and cluster_state:ok on every node before
// Start returns. Each node's directory and process are in the run ledger
// before they exist. Slow to start (about a second): a sweep keeps it in
// its ServerPool.
class EmbeddedCluster final : public SharedServer {
 public:
  struct Node {
    std::string host;  // 127.0.0.1
    int port = 0;
    int bus_port = 0;
    int first_slot = 0, last_slot = 0;  // Its slots at the start.
  };

  static Result<std::unique_ptr<EmbeddedCluster>> Start(
      const std::string& binary, int nodes, Ledger* ledger,
      RedisPersistence persistence = RedisPersistence::kOff);
  ~EmbeddedCluster() override { Stop().ok(); }

  const std::vector<Node>& nodes() const { return nodes_; }
  const std::string& password() const { return password_; }
  // "127.0.0.1:7001,127.0.0.1:7002", for messages and the CSV.
  std::string Addresses() const;

  // False once any node has exited.
  bool running();
  // Every node's process (for CPU time and placement).
  std::vector<ServerProcess*> processes() const;

  // Stops every node and removes their directories.
  Status Stop();

 private:
  EmbeddedCluster() = default;
  Status StartNode(const std::string& binary, size_t i, Ledger* ledger);
  Status Form();

  std::vector<Node> nodes_;
  std::vector<std::unique_ptr<EmbeddedServer>> servers_;
  std::string password_;
  RedisPersistence persistence_ = RedisPersistence::kOff;
};

// The name under which a ServerPool keeps the embedded cluster of `nodes`
// nodes of the redis-server at `binary`, with `persistence`.
std::string EmbeddedClusterKey(const std::string& binary, int nodes,
                               RedisPersistence persistence);

// The embedded cluster of `nodes` nodes with `persistence` for a run: the
// one `pool` keeps (null: no sweep) if it is still whole, else a new one,
// which `pool` keeps, or else *own.
Result<EmbeddedCluster*> UseEmbeddedCluster(
    int nodes, RedisPersistence persistence, ServerPool* pool, Ledger* ledger,
    std::unique_ptr<EmbeddedCluster>* own);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_REDIS_SERVERS_H_
