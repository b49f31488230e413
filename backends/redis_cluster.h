// Redis Cluster slot routing: where a key lives (its hash slot), which node
// serves each slot (the slot map, kept current by MOVED), and the hash tags
// that spread a counter's shards over the nodes.
//
//   uint16_t slot = KeySlot("ctrbench:run:{17}");   // CRC16 of "17" % 16384
//   Result<SlotMap> map = SlotMap::Load(seeds, password);
//   int node = map->NodeOf(slot);

#ifndef CTRBENCH_BACKENDS_REDIS_CLUSTER_H_
#define CTRBENCH_BACKENDS_REDIS_CLUSTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_REDIS_CLUSTER_H_
