// Redis Cluster: where a key lives (its hash slot), and a cluster of
// redis-server nodes that a run starts for itself.
//
//   uint16_t slot = KeySlot("ctrbench:run:{17}");   // CRC16 of "17" % 16384
//   Result<std::unique_ptr<EmbeddedCluster>> cluster =
//       EmbeddedCluster::Start("/usr/bin/redis-server", 3, ledger);
//   ... (*cluster)->nodes()[0].port, (*cluster)->password() ...
//   Status st = (*cluster)->Stop();

#ifndef CTRBENCH_BACKENDS_REDIS_CLUSTER_H_
#define CTRBENCH_BACKENDS_REDIS_CLUSTER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backends/server_process.h"
#include "counters/backend.h"
#include "counters/ledger.h"
#include "counters/status.h"

namespace ctrbench {

inline constexpr int kClusterSlots = 16384;

// CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), the checksum
// Redis Cluster hashes keys with. Crc16("123456789") == 0x31C3.
uint16_t Crc16(std::string_view data);

// The hash slot of `key`, as Redis Cluster computes it: CRC16 of the key
// mod 16384, or of its hash tag (what is between the first '{' and the
// first '}' after it, when that is not empty), so that keys sharing a tag
// share a slot.
uint16_t KeySlot(std::string_view key);

// A redirection in an error reply: "MOVED 3999 127.0.0.1:6381" (the slot
// lives there now) or "ASK 3999 127.0.0.1:6381" (during a migration: ask
// there once, after ASKING).
struct Redirect {
  bool ask = false;  // ASK; else MOVED.
  uint16_t slot = 0;
  std::string host;
  int port = 0;
};
// The redirection in `error` (the text of an error reply); false if it is
// none.
bool ParseRedirect(std::string_view error, Redirect* out);

// Which node serves each slot, by index into nodes(). Built from CLUSTER
// SLOTS, and kept current by MOVED replies (Move).
class SlotMap {
 public:
  struct Address {
    std::string host;
    int port = 0;
    std::string ToString() const { return host + ":" + std::to_string(port); }
  };

  // Asks `seed` (then each other address in turn) for CLUSTER SLOTS, with
  // `password` ("" for none). Fails if a slot is served by no node.
  static Result<SlotMap> Load(const std::vector<Address>& seeds,
                              const std::string& password);

  const std::vector<Address>& nodes() const { return nodes_; }
  // The node serving `slot`; -1 if none.
  int NodeOf(uint16_t slot) const { return owner_[slot]; }
  // The index of the node at host:port, added if new.
  int IndexOf(const std::string& host, int port);
  // A MOVED reply: `slot` is served at host:port now.
  void Move(uint16_t slot, const std::string& host, int port) {
    owner_[slot] = static_cast<int16_t>(IndexOf(host, port));
  }

 private:
  std::vector<Address> nodes_;
  std::vector<int16_t> owner_ = std::vector<int16_t>(kClusterSlots, -1);
};

// The hash tag of physical counter `counter` (key k, shard s of `shards`):
// "17" for an unsharded counter; for a sharded one, a tag ("17", "17.1",
// "17.2", ...) whose slot lands on a different node for each shard of the
// same key where the nodes allow, so that sharding spreads a hot counter
// over the cluster.
std::string CounterTag(uint32_t counter, uint32_t shards, const SlotMap& map);

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
      const std::string& binary, int nodes, Ledger* ledger);
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
};

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_REDIS_CLUSTER_H_
