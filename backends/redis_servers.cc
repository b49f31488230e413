#include "backends/redis_servers.h"

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

#include "backends/redis_cluster.h"
#include "backends/redis_connection.h"
#include "backends/redis_options.h"
#include "counters/clock.h"
#include "counters/files.h"
#include "counters/hex.h"
#include "counters/program.h"

namespace ctrbench {

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

// Sends one command to a node (after AUTH) and returns its reply as text:
// a status, a string or an integer. An error reply is an error.
Result<std::string> Ask(const EmbeddedCluster::Node& node,
                        const std::string& password,
                        const std::vector<std::string>& args) {
  const timeval timeout = {1, 0};
  std::unique_ptr<redisContext, RedisContextFree> ctx(
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
    ReplyPtr reply(static_cast<redisReply*>(
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

Result<std::unique_ptr<EmbeddedCluster>> EmbeddedCluster::Start(
    const std::string& binary, int nodes, Ledger* ledger,
    RedisPersistence persistence) {
  if (nodes < 1) {
    return Status::InvalidArgument("redis cluster: at least 1 node");
  }
  std::unique_ptr<EmbeddedCluster> cluster(new EmbeddedCluster);
  cluster->persistence_ = persistence;
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
        << "dir " << server->dir() << "\n";
    for (const std::vector<std::string>& line :
         PersistenceSettings(persistence_)) {
      out << line[0];
      for (size_t a = 1; a < line.size(); ++a) out << " \"" << line[a] << "\"";
      out << "\n";
    }
    out << "requirepass " << password_ << "\n"
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

Status StartEmbeddedRedis(const RedisOptions& options, Ledger* ledger,
                          EmbeddedServer* server, RedisUrl* url) {
  const std::string binary = FindProgram("redis-server");
  if (binary.empty()) return Status::NotSupported(kNoRedisServer);
  Status st = server->MakeDir(ledger);
  if (!st.ok()) return st;
  *url = RedisUrl();
  url->unix_socket = true;
  url->path = server->dir() + "/redis.sock";
  RedisOptions quick = options;
  quick.connect_timeout_ms = 200;
  std::vector<std::string> argv = {
      binary, "--port", "0", "--unixsocket", url->path, "--unixsocketperm",
      "700", "--dir", server->dir(), "--daemonize", "no", "--logfile", ""};
  for (const std::vector<std::string>& line :
       PersistenceSettings(options.persistence)) {
    argv.push_back("--" + line[0]);
    argv.insert(argv.end(), line.begin() + 1, line.end());
  }
  return server->Start(
      argv, {},
      [url, &quick]() -> Status {
        if (access(url->path.c_str(), F_OK) != 0) {
          return Status::IOError("no socket at " + url->path + " yet");
        }
        // Open() pings.
        return RedisConnection::Open(*url, quick).status();
      },
      "");
}

std::string EmbeddedClusterKey(const std::string& binary, int nodes,
                               RedisPersistence persistence) {
  return "redis-cluster|" + binary + "|" + std::to_string(nodes) + "|" +
         PersistenceName(persistence);
}

Result<EmbeddedCluster*> UseEmbeddedCluster(
    int nodes, RedisPersistence persistence, ServerPool* pool, Ledger* ledger,
    std::unique_ptr<EmbeddedCluster>* own) {
  const std::string binary = FindProgram("redis-server");
  if (binary.empty()) return Status::NotSupported(kNoRedisServer);
  const std::string key = EmbeddedClusterKey(binary, nodes, persistence);
  if (pool != nullptr) {
    auto* kept = static_cast<EmbeddedCluster*>(pool->Find(key));
    if (kept && kept->running()) return kept;
    if (kept) pool->Remove(key);  // A node died.
  }
  Result<std::unique_ptr<EmbeddedCluster>> started =
      EmbeddedCluster::Start(binary, nodes, ledger, persistence);
  if (!started.ok()) return started.status();
  if (pool != nullptr) {
    return static_cast<EmbeddedCluster*>(pool->Add(key, std::move(*started)));
  }
  *own = std::move(*started);
  return own->get();
}

}  // namespace ctrbench
