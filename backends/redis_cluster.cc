#include "backends/redis_cluster.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <utility>

#include "backends/options.h"
#include "counters/clock.h"
#include "counters/files.h"
#include "counters/hex.h"

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

namespace {

constexpr char kHost[] = "127.0.0.1";

// A TCP port on 127.0.0.1 that is free now (the kernel's pick). Another
// process may take it before the node binds it: the node then fails to
// start, and the cluster with it, with redis-server's message.
Result<int> FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::FromErrno("redis cluster: socket", errno);
  sockaddr_in a = {};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    const int err = errno;
    close(fd);
    return Status::FromErrno("redis cluster: find a free port", err);
  }
  close(fd);
  return static_cast<int>(ntohs(a.sin_port));
}

Result<std::string> NewPassword() {
  unsigned char random[16];
  if (getrandom(random, sizeof(random), 0) != sizeof(random)) {
    return Status::FromErrno("redis cluster: getrandom", errno);
  }
  return ToHex(std::string(reinterpret_cast<const char*>(random),
                           sizeof(random)));
}

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};

// Sends one command to a node (after AUTH) and returns its reply as text:
// a status, a string or an integer. An error reply is an error.
Result<std::string> Ask(const EmbeddedCluster::Node& node,
                        const std::string& password,
                        const std::vector<std::string>& args) {
  const timeval timeout = {1, 0};
  std::unique_ptr<redisContext, ContextFree> ctx(
      redisConnectWithTimeout(node.host.c_str(), node.port, timeout));
  const std::string where =
      "redis cluster: " + node.host + ":" + std::to_string(node.port);
  if (!ctx || ctx->err) {
    return Status::IOError(where + ": " + (ctx ? ctx->errstr : "no memory"));
  }
  redisSetTimeout(ctx.get(), timeout);
  auto command =
      [&](const std::vector<std::string>& argv) -> Result<std::string> {
    std::vector<const char*> parts;
    std::vector<size_t> lens;
    for (const std::string& a : argv) {
      parts.push_back(a.data());
      lens.push_back(a.size());
    }
    std::unique_ptr<redisReply, ReplyFree> reply(static_cast<redisReply*>(
        redisCommandArgv(ctx.get(), static_cast<int>(parts.size()),
                         parts.data(), lens.data())));
    if (!reply) {
      const bool silent = ctx->err == REDIS_ERR_IO &&
                          std::strcmp(ctx->errstr, std::strerror(EAGAIN)) == 0;
      return Status::IOError(
          where + ": " + argv[0] + ": " +
          (silent ? std::string("no reply within 1 s: a stopped or stuck node")
                  : std::string(ctx->errstr)));
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      return Status::IOError(where + ": " + argv[0] + ": " +
                             std::string(reply->str, reply->len));
    }
    if (reply->type == REDIS_REPLY_INTEGER) {
      return std::to_string(reply->integer);
    }
    if (reply->str != nullptr) return std::string(reply->str, reply->len);
    return std::string();
  };
  Result<std::string> auth = command({"AUTH", password});
  if (!auth.ok()) return auth.status();
  return command(args);
}

// The value of `field` in CLUSTER INFO's "field:value" lines.
std::string InfoField(const std::string& info, const std::string& field) {
  const size_t at = info.find(field + ":");
  if (at == std::string::npos) return "";
  const size_t start = at + field.size() + 1;
  return info.substr(start, info.find_first_of("\r\n", start) - start);
}

}  // namespace

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
    std::unique_ptr<redisContext, ContextFree> ctx(
        redisConnectWithTimeout(seed.host.c_str(), seed.port, timeout));
    if (!ctx || ctx->err) {
      last = Status::IOError("redis cluster: cannot reach " + seed.ToString() +
                             ": " + (ctx ? ctx->errstr : "no memory"));
      continue;
    }
    redisSetTimeout(ctx.get(), timeout);
    if (!password.empty()) {
      std::unique_ptr<redisReply, ReplyFree> auth(
          static_cast<redisReply*>(redisCommand(
              ctx.get(), "AUTH %b", password.data(), password.size())));
      if (!auth || auth->type == REDIS_REPLY_ERROR) {
        last = Status::IOError("redis cluster: " + seed.ToString() +
                               ": AUTH failed");
        continue;
      }
    }
    std::unique_ptr<redisReply, ReplyFree> slots(
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

Result<std::unique_ptr<EmbeddedCluster>> EmbeddedCluster::Start(
    const std::string& binary, int nodes, Ledger* ledger) {
  if (nodes < 1) {
    return Status::InvalidArgument("redis cluster: at least 1 node");
  }
  std::unique_ptr<EmbeddedCluster> cluster(new EmbeddedCluster);
  Result<std::string> password = NewPassword();
  if (!password.ok()) return password.status();
  cluster->password_ = *password;
  cluster->nodes_.resize(static_cast<size_t>(nodes));
  for (int i = 0; i < nodes; ++i) {
    Node& n = cluster->nodes_[static_cast<size_t>(i)];
    n.host = kHost;
    n.first_slot = kClusterSlots * i / nodes;
    n.last_slot = kClusterSlots * (i + 1) / nodes - 1;
    Status st = cluster->StartNode(binary, static_cast<size_t>(i), ledger);
    if (!st.ok()) return st;  // The destructor stops what started.
  }
  Status st = cluster->Form();
  if (!st.ok()) return st;
  return cluster;
}

Status EmbeddedCluster::StartNode(const std::string& binary, size_t i,
                                  Ledger* ledger) {
  Node& node = nodes_[i];
  Result<int> port = FreePort();
  if (!port.ok()) return port.status();
  Result<int> bus = FreePort();
  if (!bus.ok()) return bus.status();
  if (*bus == *port) {
    bus = FreePort();
    if (!bus.ok()) return bus.status();
  }
  node.port = *port;
  node.bus_port = *bus;
  auto server = std::make_unique<EmbeddedServer>("redis-cluster");
  Status st = server->MakeDir(ledger);
  if (!st.ok()) return st;
  // The password goes into a file only we can read (the directory is
  // owner-only), never onto the command line every user can read.
  const std::string conf = server->dir() + "/redis.conf";
  {
    std::ostringstream out;
    out << "port " << node.port << "\n"
        << "bind " << kHost << "\n"
        << "protected-mode yes\n"
        << "cluster-enabled yes\n"
        << "cluster-port " << node.bus_port << "\n"
        << "cluster-config-file nodes.conf\n"
        << "cluster-node-timeout 2000\n"
        << "dir " << server->dir() << "\n"
        << "save \"\"\n"
        << "appendonly no\n"
        << "requirepass " << password_ << "\n"
        << "masterauth " << password_ << "\n"
        << "daemonize no\n"
        << "logfile \"\"\n";
    Status written = WriteWhole(conf, out.str(), Replace::kNo, 0600);
    if (!written.ok()) return written.WithContext("redis cluster");
  }
  servers_.push_back(std::move(server));
  return servers_.back()->Start(
      {binary, conf}, {},
      [this, &node]() { return Ask(node, password_, {"PING"}).status(); },
      " (redis-server in cluster mode on " + std::string(kHost) + ":" +
          std::to_string(node.port) + ")");
}

Status EmbeddedCluster::Form() {
  for (const Node& n : nodes_) {
    Status st = Ask(n, password_,
                    {"CLUSTER", "ADDSLOTSRANGE", std::to_string(n.first_slot),
                     std::to_string(n.last_slot)})
                    .status();
    if (!st.ok()) return st;
  }
  for (size_t i = 1; i < nodes_.size(); ++i) {
    Status st =
        Ask(nodes_[0], password_,
            {"CLUSTER", "MEET", nodes_[i].host, std::to_string(nodes_[i].port),
             std::to_string(nodes_[i].bus_port)})
            .status();
    if (!st.ok()) return st;
  }
  // Every node must know every other and see every slot served.
  const std::string want_nodes = std::to_string(nodes_.size());
  const int64_t deadline = NowNs() + 20000000000LL;
  std::string last;
  for (;;) {
    bool ok = true;
    for (const Node& n : nodes_) {
      Result<std::string> info = Ask(n, password_, {"CLUSTER", "INFO"});
      if (!info.ok()) return info.status();
      if (InfoField(*info, "cluster_state") != "ok" ||
          InfoField(*info, "cluster_known_nodes") != want_nodes) {
        ok = false;
        last = n.host + ":" + std::to_string(n.port) + " cluster_state " +
               InfoField(*info, "cluster_state") + ", knows " +
               InfoField(*info, "cluster_known_nodes") + " of " + want_nodes +
               " nodes";
        break;
      }
    }
    if (ok) return Status::OK();
    if (!running()) {
      return Status::IOError(
          "redis cluster: a node exited while the cluster "
          "formed");
    }
    if (NowNs() > deadline) {
      return Status::IOError("redis cluster: not formed within 20 s (" + last +
                             ")");
    }
    usleep(50000);
  }
}

std::string EmbeddedCluster::Addresses() const {
  std::string out;
  for (const Node& n : nodes_) {
    if (!out.empty()) out += ",";
    out += n.host + ":" + std::to_string(n.port);
  }
  return out;
}

bool EmbeddedCluster::running() {
  if (servers_.size() != nodes_.size()) return false;
  for (const auto& s : servers_) {
    if (!s->running()) return false;
  }
  return true;
}

std::vector<ServerProcess*> EmbeddedCluster::processes() const {
  std::vector<ServerProcess*> out;
  for (const auto& s : servers_) {
    if (s->process() != nullptr) out.push_back(s->process());
  }
  return out;
}

Status EmbeddedCluster::Stop() {
  Status first;
  for (auto& s : servers_) {
    Status st = s->Stop();
    if (!st.ok() && first.ok()) first = st;
  }
  servers_.clear();
  return first;
}

}  // namespace ctrbench
