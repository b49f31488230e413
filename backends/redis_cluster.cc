#include "backends/redis_cluster.h"

#include <hiredis/hiredis.h>

#include <memory>
#include <utility>

#include "backends/options.h"
#include "backends/redis_connection.h"

namespace ctrbench {

uint16_t Crc16(std::string_view data) {
  uint16_t crc = 0;
  for (const char ch : data) {
    crc ^= static_cast<uint16_t>(static_cast<uint8_t>(ch)) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

uint16_t KeySlot(std::string_view key) {
  const size_t open = key.find('{');
  if (open != std::string_view::npos) {
    const size_t close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return Crc16(key) % kClusterSlots;
}

bool ParseRedirect(std::string_view error, Redirect* out) {
  Redirect r;
  if (error.rfind("MOVED ", 0) == 0) {
    error.remove_prefix(6);
  } else if (error.rfind("ASK ", 0) == 0) {
    r.ask = true;
    error.remove_prefix(4);
  } else {
    return false;
  }
  const size_t space = error.find(' ');
  const size_t colon = error.rfind(':');
  if (space == std::string_view::npos || colon == std::string_view::npos ||
      colon < space) {
    return false;
  }
  long slot = 0, port = 0;
  if (!ParseIntOption(std::string(error.substr(0, space)), 0, kClusterSlots - 1,
                      &slot) ||
      !ParseIntOption(std::string(error.substr(colon + 1)), 1, 65535, &port)) {
    return false;
  }
  r.slot = static_cast<uint16_t>(slot);
  r.host = std::string(error.substr(space + 1, colon - space - 1));
  r.port = static_cast<int>(port);
  if (r.host.empty()) return false;
  *out = std::move(r);
  return true;
}

int SlotMap::IndexOf(const std::string& host, int port) {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].host == host && nodes_[i].port == port) {
      return static_cast<int>(i);
    }
  }
  nodes_.push_back({host, port});
  return static_cast<int>(nodes_.size() - 1);
}

Result<SlotMap> SlotMap::Load(const std::vector<Address>& seeds,
                              const std::string& password) {
  Status last = Status::InvalidArgument("redis cluster: no node to ask");
  for (const Address& seed : seeds) {
    const timeval timeout = {1, 0};
    std::unique_ptr<redisContext, RedisContextFree> ctx(
        redisConnectWithTimeout(seed.host.c_str(), seed.port, timeout));
    if (!ctx || ctx->err) {
      last = Status::IOError("redis cluster: cannot reach " + seed.ToString() +
                             ": " + (ctx ? ctx->errstr : "no memory"));
      continue;
    }
    redisSetTimeout(ctx.get(), timeout);
    if (!password.empty()) {
      ReplyPtr auth(static_cast<redisReply*>(redisCommand(
          ctx.get(), "AUTH %b", password.data(), password.size())));
      if (!auth || auth->type == REDIS_REPLY_ERROR) {
        last = Status::IOError("redis cluster: " + seed.ToString() +
                               ": AUTH failed");
        continue;
      }
    }
    ReplyPtr slots(
        static_cast<redisReply*>(redisCommand(ctx.get(), "CLUSTER SLOTS")));
    if (!slots || slots->type != REDIS_REPLY_ARRAY) {
      last = Status::IOError(
          "redis cluster: " + seed.ToString() + ": CLUSTER SLOTS: " +
          (slots && slots->str ? std::string(slots->str, slots->len)
                               : std::string("no answer")));
      continue;
    }
    // Each entry: first slot, last slot, then the master (host, port,
    // id), then its replicas.
    SlotMap map;
    for (size_t i = 0; i < slots->elements; ++i) {
      const redisReply* e = slots->element[i];
      if (e->type != REDIS_REPLY_ARRAY || e->elements < 3 ||
          e->element[2]->type != REDIS_REPLY_ARRAY ||
          e->element[2]->elements < 2) {
        continue;
      }
      const redisReply* master = e->element[2];
      std::string host(master->element[0]->str, master->element[0]->len);
      // An empty or "?" host means: the address this client used.
      if (host.empty() || host == "?") host = seed.host;
      const int node =
          map.IndexOf(host, static_cast<int>(master->element[1]->integer));
      for (long long s = e->element[0]->integer;
           s <= e->element[1]->integer && s < kClusterSlots; ++s) {
        if (s >= 0)
          map.owner_[static_cast<size_t>(s)] = static_cast<int16_t>(node);
      }
    }
    for (int s = 0; s < kClusterSlots; ++s) {
      if (map.owner_[s] < 0) {
        return Status::IOError("redis cluster: slot " + std::to_string(s) +
                               " is served by no node (cluster at " +
                               seed.ToString() + ")");
      }
    }
    return map;
  }
  return last;
}

std::string CounterTag(uint32_t counter, uint32_t shards, const SlotMap& map) {
  std::string tag = std::to_string(counter);
  const int nodes = static_cast<int>(map.nodes().size());
  if (shards <= 1 || nodes <= 1) return tag;
  const uint32_t shard = counter % shards;
  // The node of the key's first shard, and this shard's turn after it.
  const int first = map.NodeOf(KeySlot(std::to_string(counter - shard)));
  const int want = (first + static_cast<int>(shard)) % nodes;
  for (int salt = 0; salt < 64 * nodes; ++salt) {
    std::string candidate = salt == 0 ? tag : tag + "." + std::to_string(salt);
    if (map.NodeOf(KeySlot(candidate)) == want) return candidate;
  }
  return tag;  // The nodes serve too few slots to choose: any node will do.
}

}  // namespace ctrbench
