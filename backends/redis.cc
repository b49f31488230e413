#include "backends/redis.h"

#include <hiredis/hiredis.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/options.h"
#include "backends/redis_cluster.h"
#include "backends/redis_connection.h"
#include "backends/redis_keys.h"
#include "backends/redis_options.h"
#include "backends/redis_primitives.h"
#include "backends/redis_servers.h"
#include "backends/server_process.h"
#include "counters/client_loop.h"
#include "counters/clock.h"
#include "counters/program.h"
#include "counters/strategy.h"
#include "counters/workload.h"

namespace ctrbench {

namespace {

// Each address as "host:port".
std::vector<std::string> Addresses(const std::vector<SlotMap::Address>& nodes) {
  std::vector<std::string> out;
  for (const SlotMap::Address& a : nodes) out.push_back(a.ToString());
  return out;
}

// "a,b,c".
std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : ",") + w;
  return out;
}

// The backend: where the keys live (a server, the user's or its own, or a
// cluster, the user's or its own, which is kept for the sweep), the run's
// keys there, and the workers' sessions over RedisPrimitives. Every key
// operation goes through the run's RunKeys, one server being a cluster of
// one node.
class RedisBackend final : public Backend {
 public:
  explicit RedisBackend(RedisOptions options) : options_(std::move(options)) {}
  ~RedisBackend() override { Teardown().ok(); }

  Status Setup(const SetupSpec& spec) override {
    Teardown().ok();
    Status timed = ApplyRunTimeout(spec.timeout_ns, &options_);
    if (!timed.ok()) return timed;
    strategy_ = StrategyConfigFor(spec);
    counters_ = spec.counters;
    initial_ = spec.Initial();
    ledger_ = spec.ledger;
    prefix_ = "ctrbench:" + spec.run_id + ":";
    Status st = options_.clustered() ? UseCluster(spec) : UseServer();
    if (st.ok()) st = CreateKeys();
    if (!st.ok()) {
      Teardown().ok();
      return st;
    }
    if (server_.process()) server_.process()->MarkCpu();
    if (cluster_) {
      for (ServerProcess* p : cluster_->processes()) p->MarkCpu();
    }
    return Status::OK();
  }

  Result<std::unique_ptr<Session>> Connect(int worker,
                                           WorkerTally* tally) override {
    Result<std::unique_ptr<Primitives>> wire = Open(worker, 0, tally);
    if (!wire.ok()) return wire.status();
    return NewStrategySession(std::move(*wire), Config(worker), tally);
  }

  Result<std::unique_ptr<Connections>> ConnectMany(
      int worker, int n, WorkerTally* tally) override {
    return ConnectEach(
        n, [&](int c) { return Open(worker, c, tally); }, Config(worker),
        tally);
  }

  Result<std::vector<int64_t>> ReadTotals() override {
    if (!keys_) return Status::IOError("redis: no run is set up");
    return ReadRunTotals(*keys_, options_);
  }

  // Under MPI: where the keys live (a server's url, or a cluster's nodes,
  // password and keys), for the other ranks.
  Result<std::string> Share() const override {
    if (!keys_) return Status::IOError("redis: no run is set up");
    nlohmann::json j;
    if (!keys_->cluster) {
      j["url"] = keys_->server.ToString();
    } else {
      j["nodes"] = Addresses(keys_->map.nodes());
      j["password"] = keys_->password;
      j["keys"] = keys_->keys;
    }
    return j.dump();
  }

  Status Join(const SetupSpec& spec, const std::string& shared) override {
    Teardown().ok();
    Status timed = ApplyRunTimeout(spec.timeout_ns, &options_);
    if (!timed.ok()) return timed;
    strategy_ = StrategyConfigFor(spec);
    counters_ = spec.counters;
    prefix_ = "ctrbench:" + spec.run_id + ":";
    const nlohmann::json j = nlohmann::json::parse(shared, nullptr, false);
    if (!j.is_object()) return Status::IOError("redis: rank 0 sent nothing");
    return j.contains("nodes") ? JoinCluster(j) : JoinServer(j);
  }

  Status Teardown() override {
    Status status = DeleteKeys();
    if (created_.empty()) {
      keys_entry_.Forget();
      keys_.reset();
    }
    stats_conns_.clear();
    stats_before_.clear();
    stats_after_.clear();
    cluster_ = nullptr;
    own_cluster_.reset();  // A pooled cluster stays for the sweep.
    Status stopped = server_.Stop();
    if (status.ok()) status = stopped;
    return status;
  }

  std::string Version() const override { return version_; }

  Status CheckRun(const SetupSpec& run) const override {
    if (options_.scripted() && run.strategy != Strategy::kAtomic) {
      return Status::InvalidArgument(
          std::string("script_add, script_take and script_read replace the "
                      "atomic strategy's commands; ") +
          StrategyName(run.strategy) + " runs ctrbench's own");
    }
    if (!options_.script_take.empty() && run.Compensates()) {
      return Status::InvalidArgument(
          "script_take replaces the conditional take; take = compensate "
          "runs ctrbench's own");
    }
    return PipelineAllowed("redis", options_.pipeline, run.strategy, run.kind);
  }

  OptionMap EffectiveOptions() const override {
    return {
        {"url", options_.embedded           ? kEmbeddedServer
                : !options_.cluster.empty() ? "(none)"
                                            : options_.url.ToString()},
        {"connect_timeout_ms", std::to_string(options_.connect_timeout_ms)},
        {"command_timeout_ms", std::to_string(options_.command_timeout_ms)},
        {"lock_ttl_ms", std::to_string(options_.lock_ttl_ms)},
        {"pipeline", std::to_string(options_.pipeline)},
        {"cluster_nodes", std::to_string(options_.cluster_nodes)},
        {"cluster", options_.cluster.empty() ? "(none)" : SeedList()},
        // A user's server keeps what it was told, not ours to say.
        {"persistence", options_.embedded
                            ? PersistenceName(options_.persistence)
                            : "(server's own)"},
        {"script_add", options_.script_add.text},
        {"script_take", options_.script_take.text},
        {"script_read", options_.script_read.text},
    };
  }

  // The server's CPU window opens for every kind of store (an embedded
  // server's process, a cluster's nodes); a cluster's per-node command
  // counts are read through connections of their own.
  void MeasurementStarted() override {
    stats_conns_.clear();
    stats_after_.clear();
    if (keys_ && keys_->cluster) {
      for (const SlotMap::Address& node : keys_->map.nodes()) {
        Result<std::unique_ptr<RedisConnection>> conn =
            keys_->Open(RedisUrl::Tcp(node.host, node.port), options_);
        stats_conns_.push_back(conn.ok() ? std::move(*conn) : nullptr);
      }
      stats_before_ = NodeStats();
    }
    cpu_.Start(ServerCpu());
  }
  void MeasurementEnded() override {
    if (keys_ && keys_->cluster) stats_after_ = NodeStats();
    stats_conns_.clear();
    cpu_.End(ServerCpu());
  }

  StatValues Stats() const override {
    StatValues stats;
    const std::string commands = NodeCommands();
    if (!commands.empty()) stats["node_commands"] = Cell::Text(commands);
    cpu_.AddTo(&stats);
    return stats;
  }

  std::vector<pid_t> ServerPids() const override {
    std::vector<pid_t> pids;
    if (server_.process()) pids.push_back(server_.process()->pid());
    if (cluster_) {
      for (ServerProcess* p : cluster_->processes()) pids.push_back(p->pid());
    }
    return pids;
  }

 private:
  // What a node's INFO says: commands processed and CPU seconds (user
  // and system) so far; -1 where it did not answer.
  struct NodeStat {
    int64_t commands = -1;
    double cpu_s = -1;
  };

  Result<std::unique_ptr<Primitives>> Open(int worker, int connection,
                                           WorkerTally* tally) {
    if (!keys_) return Status::IOError("redis: no run is set up");
    std::unique_ptr<RedisConnection> single;
    if (!keys_->cluster) {
      Result<std::unique_ptr<RedisConnection>> conn =
          keys_->Open(keys_->server, options_);
      if (!conn.ok()) return conn.status();
      single = std::move(*conn);
    }
    return NewRedisPrimitives(std::move(single), keys_, options_, worker,
                              connection, tally);
  }

  StrategyConfig Config(int worker) const {
    StrategyConfig config = strategy_;
    config.pipeline = options_.pipeline;
    // A lock held by a worker that died expires after lock_ttl_ms: wait
    // that long, and a reply's time, before giving up.
    config.busy_limit_ns =
        int64_t{options_.lock_ttl_ms + options_.command_timeout_ms} * 1000000;
    config.reply_timeout_ns = int64_t{options_.command_timeout_ms} * 1000000;
    config.backoff = {/*first_ns=*/10000, /*max_ns=*/500000};
    config.seed = NowNs() ^ (static_cast<uint64_t>(worker) << 32);
    return config;
  }

  // One server: the user's (redis.url), or one the backend starts.
  Status UseServer() {
    RedisUrl url = options_.url;
    if (options_.embedded) {
      Status st = StartEmbeddedRedis(options_, ledger_, &server_, &url);
      if (!st.ok()) return st;
    }
    keys_ = std::make_shared<const RunKeys>(
        RunKeys::OnServer(std::move(url), prefix_, counters_));
    return Status::OK();
  }

  // The run's cluster: the user's, the sweep's, or a new one. Each
  // counter's key gets its hash tag (the shards of a counter on different
  // nodes).
  Status UseCluster(const SetupSpec& spec) {
    if (!options_.cluster.empty()) {
      return MapCluster(spec, options_.cluster, AuthOr(""), "");
    }
    Result<EmbeddedCluster*> cluster =
        UseEmbeddedCluster(options_.cluster_nodes, options_.persistence,
                           spec.servers, spec.ledger, &own_cluster_);
    if (!cluster.ok()) return cluster.status();
    cluster_ = *cluster;
    std::vector<SlotMap::Address> seeds;
    for (const auto& n : cluster_->nodes()) seeds.push_back({n.host, n.port});
    return MapCluster(spec, seeds, cluster_->password(), cluster_->password());
  }

  // The cluster's slot map, asked of `seeds` with `auth`, and each
  // counter's key. `password`: for the workers ("": REDISCLI_AUTH).
  Status MapCluster(const SetupSpec& spec,
                    const std::vector<SlotMap::Address>& seeds,
                    const std::string& auth, const std::string& password) {
    Result<SlotMap> map = SlotMap::Load(seeds, auth);
    if (!map.ok()) return map.status();
    keys_ = std::make_shared<const RunKeys>(RunKeys::OnCluster(
        std::move(*map), password, prefix_, counters_, spec.shards));
    return Status::OK();
  }

  // SET NX of every key: a key that exists already is someone else's; it
  // is never written, and never deleted (created_ says which keys are
  // ours).
  Status CreateKeys() {
    created_.assign(counters_, false);
    Status st = RecordKeys();
    if (st.ok()) {
      st = CreateRunKeys(*keys_, options_, initial_, strategy_.take, &created_,
                         &version_);
    }
    if (!st.ok()) return st;
    keys_entry_.Update({{"state", "created"}});
    return Status::OK();
  }

  // On a user's server or cluster the keys are written down first, and
  // marked created once every key is, so that `cleanup` deletes keys only
  // known to be ours. The run's own server or cluster takes them with it.
  Status RecordKeys() {
    if (options_.embedded) return Status::OK();
    const bool cluster = !options_.cluster.empty();
    Status st = keys_entry_.Record(
        ledger_, cluster ? "redis.cluster_keys" : "redis.keys",
        {{cluster ? "nodes" : "url",
          cluster ? SeedList() : keys_->server.ToString()},
         {"prefix", prefix_},
         {"counters", std::to_string(counters_)},
         {"state", "pending"}});
    return st.ok() ? st : st.WithContext("redis");
  }

  // Only the keys this run created, never FLUSHDB: a user's server stays
  // as it was, and a key of our name that was there before is the user's.
  // Those that cannot be deleted stay in created_ (the destructor tries
  // again, and the ledger keeps them for `ctrbench cleanup`), except on
  // the run's own servers, which take them with them.
  Status DeleteKeys() {
    if (!keys_ || created_.empty()) return Status::OK();
    Status status = DeleteRunKeys(*keys_, options_,
                                  strategy_.strategy == Strategy::kLock, &created_);
    if (!status.ok() && server_.process() && !server_.running()) {
      status = Status::OK();  // The embedded server died with its keys.
    }
    if (options_.cluster_nodes > 0) {
      // The cluster is the run's own (or the sweep's), its files in its
      // own directories: keys that cannot be deleted now go with it.
      created_.clear();
      return status;
    }
    if (status.ok()) {
      created_.clear();
      return status;
    }
    return Status::IOError(
        "redis: could not delete this run's keys " + prefix_ + "0.." +
        prefix_ + std::to_string(counters_ - 1) + " on " +
        (options_.cluster.empty() ? keys_->server.ToString() : SeedList()) +
        " (" + status.message() + ")" +
        (options_.embedded
             ? "; they go with the run's own server"
             : "; the run ledger keeps them, and `ctrbench cleanup` will "
               "try again"));
  }

  Status JoinServer(const nlohmann::json& j) {
    Result<RedisUrl> url = j.contains("url")
                               ? ParseUrl(j["url"].get<std::string>())
                               : Result<RedisUrl>(Status::InvalidArgument(""));
    if (!url.ok()) return Status::IOError("redis: rank 0 sent no address");
    keys_ = std::make_shared<const RunKeys>(
        RunKeys::OnServer(std::move(*url), prefix_, counters_));
    return Status::OK();
  }

  Status JoinCluster(const nlohmann::json& j) {
    std::vector<SlotMap::Address> seeds;
    if (!ParseSeeds(JoinWords(j["nodes"].get<std::vector<std::string>>()),
                    &seeds)) {
      return Status::IOError("redis: rank 0 sent bad cluster nodes");
    }
    std::string password = j["password"].get<std::string>();
    std::vector<std::string> keys = j["keys"].get<std::vector<std::string>>();
    if (keys.size() != counters_) {
      return Status::IOError("redis: rank 0 sent " +
                             std::to_string(keys.size()) + " keys for " +
                             std::to_string(counters_) + " counters");
    }
    Result<SlotMap> map = SlotMap::Load(seeds, AuthOr(password));
    if (!map.ok()) return map.status();
    keys_ = std::make_shared<const RunKeys>(RunKeys::Named(
        std::move(*map), std::move(password), prefix_, std::move(keys)));
    return Status::OK();
  }

  std::vector<NodeStat> NodeStats() {
    std::vector<NodeStat> out(stats_conns_.size());
    for (size_t i = 0; i < stats_conns_.size(); ++i) {
      if (!stats_conns_[i]) continue;
      // Plain INFO (its default sections hold both): Redis 6 takes one
      // section name at most.
      Result<ReplyPtr> info = stats_conns_[i]->Command({"INFO"});
      if (!info.ok() || (*info)->type != REDIS_REPLY_STRING) continue;
      const std::string text((*info)->str, (*info)->len);
      auto number = [&text](const std::string& field) -> double {
        const size_t at = text.find("\n" + field + ":");
        if (at == std::string::npos) return -1;
        return std::strtod(text.c_str() + at + field.size() + 2, nullptr);
      };
      out[i].commands =
          static_cast<int64_t>(number("total_commands_processed"));
      const double sys = number("used_cpu_sys"), user = number("used_cpu_user");
      out[i].cpu_s = sys < 0 || user < 0 ? -1 : sys + user;
    }
    return out;
  }

  // A cluster's: the commands each node processed in the measured time,
  // "n0/n1/..."; "" when not a cluster (or a node did not say).
  std::string NodeCommands() const {
    if (stats_after_.empty() || stats_after_.size() != stats_before_.size()) {
      return "";
    }
    std::string out;
    for (size_t i = 0; i < stats_after_.size(); ++i) {
      if (stats_before_[i].commands < 0 || stats_after_[i].commands < 0) {
        return "";
      }
      // Less the INFO that took the first figure.
      out += (i ? "/" : "") + std::to_string(stats_after_[i].commands -
                                             stats_before_[i].commands - 1);
    }
    return out;
  }

  // The servers' CPU seconds so far: a user's cluster's at the last look
  // (INFO), or the processes the backend started; < 0: unknown.
  double ServerCpu() const {
    if (!options_.cluster.empty()) {
      // A user's cluster says what its processes used, at the last look.
      const std::vector<NodeStat>& last =
          stats_after_.empty() ? stats_before_ : stats_after_;
      double sum = 0;
      for (const NodeStat& n : last) {
        if (n.cpu_s < 0) return -1;
        sum += n.cpu_s;
      }
      return last.empty() ? -1 : sum;
    }
    if (cluster_) {
      double sum = 0;
      for (ServerProcess* p : cluster_->processes()) {
        const double s = p->CpuSinceMark();
        if (s < 0) return -1;
        sum += s;
      }
      return sum;
    }
    return server_.process() ? server_.process()->CpuSinceMark() : -1;
  }

  std::string SeedList() const {
    return JoinWords(Addresses(options_.cluster));
  }

  RedisOptions options_;  // Its command timeout set by each Setup.
  int64_t initial_ = 0;  // Every key's value at the start: the stock.
  // The run's strategy, hold and take (StrategyConfigFor).
  StrategyConfig strategy_;
  uint32_t counters_ = 0;
  std::string prefix_;
  std::string version_;
  // Where the run's keys live, from Setup (or Join) until they are gone.
  std::shared_ptr<const RunKeys> keys_;
  std::vector<bool> created_;  // Per counter: its key is this run's.
  Ledger* ledger_ = nullptr;
  LedgerEntry keys_entry_;
  EmbeddedServer server_{"redis"};
  // cluster_nodes > 0: the cluster (the sweep's, or own_cluster_).
  EmbeddedCluster* cluster_ = nullptr;
  std::unique_ptr<EmbeddedCluster> own_cluster_;
  // A cluster's nodes during the measured time: a connection to each, and
  // what they said at its start and end.
  std::vector<std::unique_ptr<RedisConnection>> stats_conns_;
  std::vector<NodeStat> stats_before_, stats_after_;
  CpuWindow cpu_;
};

}  // namespace

BackendInfo RedisBackendInfo() {
  BackendInfo info;
  info.name = "redis";
  info.description =
      "a Redis string key per counter, through hiredis (an embedded "
      "redis-server by default)";
  info.capabilities.threads = true;
  info.capabilities.processes = true;
  info.capabilities.strategies = {Strategy::kAtomic, Strategy::kLock,
                                  Strategy::kCas, Strategy::kNaive};
  info.capabilities.latency_sample_every = 1;
  info.capabilities.connections = true;
  info.capabilities.mpi = true;
  info.capabilities.inventory = true;
  info.stats = {
      ServerCpuStat(),
      {"node_commands", Cell::Type::kText, "",
       "a cluster's: the commands each node processed in the measured "
       "time, a/b/c in the order of the slot map"},
  };
  info.options = RedisOptionSpecs();
  info.factory = [](const OptionMap& options)
      -> Result<std::unique_ptr<Backend>> {
    Result<RedisOptions> parsed = ParseRedisOptions(options);
    if (!parsed.ok()) return parsed.status();
    return std::unique_ptr<Backend>(new RedisBackend(*parsed));
  };
  info.undo = &UndoRedisKeys;
  info.available = [](const OptionMap& options) -> Status {
    if (options.count("url") || !FindProgram("redis-server").empty()) {
      return Status::OK();
    }
    return Status::NotSupported(kNoRedisServer);
  };
  return info;
}

}  // namespace ctrbench
