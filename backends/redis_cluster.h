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
