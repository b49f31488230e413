// Redis Cluster foundations against real redis-server nodes: the key slot
// agrees with the servers' CLUSTER KEYSLOT, and an embedded cluster forms
// on loopback with a password, serves every slot, redirects a key sent to
// the wrong node, and leaves nothing behind when it stops.

#include "backends/redis_cluster.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backends/redis_servers.h"
#include "counters/program.h"
#include "counters/runner.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

// A command's reply as text ("(error) ..." for an error), on a new
// connection to `node`, after AUTH with `password` unless it is empty.
std::string Ask(const EmbeddedCluster::Node& node, const std::string& password,
                const std::vector<std::string>& args) {
  redisContext* ctx = redisConnect(node.host.c_str(), node.port);
  if (ctx == nullptr || ctx->err) {
    if (ctx) redisFree(ctx);
    return "(no connection)";
  }
  auto run = [ctx](const std::vector<std::string>& argv) {
    std::vector<const char*> parts;
    std::vector<size_t> lens;
    for (const std::string& a : argv) {
      parts.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(
        ctx, static_cast<int>(parts.size()), parts.data(), lens.data()));
    if (r == nullptr) return std::string("(gone)");
    std::string out = r->type == REDIS_REPLY_INTEGER
                          ? std::to_string(r->integer)
                      : r->str ? std::string(r->str, r->len)
                               : std::string("(nil)");
    if (r->type == REDIS_REPLY_ERROR) out = "(error) " + out;
    freeReplyObject(r);
    return out;
  };
  if (!password.empty()) run({"AUTH", password});
  std::string out = run(args);
  redisFree(ctx);
  return out;
}

TEST(KeySlot, IsCrc16XmodemModuloTheSlotsWithHashTags) {
  EXPECT_EQ(Crc16("123456789"), 0x31C3);  // The check value of XMODEM.
  EXPECT_EQ(Crc16(""), 0);
  // Keys that share a tag share a slot; an empty tag is no tag; only the
  // first '{' counts.
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("{user1000}.followers"));
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("user1000"));
  EXPECT_EQ(KeySlot("foo{}{bar}"), Crc16("foo{}{bar}") % kClusterSlots);
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), KeySlot("bar"));
}

TEST(ParseRedirect, ReadsMovedAndAskAndNothingElse) {
  Redirect r;
  ASSERT_TRUE(ParseRedirect("MOVED 3999 127.0.0.1:6381", &r));
  EXPECT_FALSE(r.ask);
  EXPECT_EQ(r.slot, 3999);
  EXPECT_EQ(r.host, "127.0.0.1");
  EXPECT_EQ(r.port, 6381);
  ASSERT_TRUE(ParseRedirect("ASK 16383 ::1:7000", &r));
  EXPECT_TRUE(r.ask);
  EXPECT_EQ(r.slot, 16383);
  EXPECT_EQ(r.host, "::1");
  EXPECT_EQ(r.port, 7000);
  for (const char* bad :
       {"ERR unknown command", "MOVED", "MOVED 3999", "MOVED 16384 h:1",
        "MOVED x h:1", "MOVED 1 h:0", "MOVED 1 :6379", "ASK 1 h:99999"}) {
    EXPECT_FALSE(ParseRedirect(bad, &r)) << bad;
  }
}

class RedisClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = FindProgram("redis-server");
    if (binary_.empty()) GTEST_SKIP() << "redis-server is not installed";
  }
  std::string binary_;
  // The nodes' directories go under TMPDIR: a directory of the test's own.
  testing_util::TempDir tmp_;
  testing_util::ScopedEnv tmpdir_{"TMPDIR", tmp_.path()};
};

TEST_F(RedisClusterTest, FormsOnLoopbackWithAPasswordAndStopsClean) {
  Result<std::unique_ptr<EmbeddedCluster>> started =
      EmbeddedCluster::Start(binary_, 3, nullptr);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EmbeddedCluster& cluster = **started;
  ASSERT_EQ(cluster.nodes().size(), 3u);
  const std::string& pw = cluster.password();

  // Every slot served, split over the three nodes.
  int slots = 0;
  for (const EmbeddedCluster::Node& n : cluster.nodes()) {
    EXPECT_EQ(n.host, "127.0.0.1");
    slots += n.last_slot - n.first_slot + 1;
    const std::string info = Ask(n, pw, {"CLUSTER", "INFO"});
    EXPECT_NE(info.find("cluster_state:ok"), std::string::npos) << info;
    EXPECT_NE(info.find("cluster_slots_assigned:16384"), std::string::npos);
    EXPECT_NE(info.find("cluster_known_nodes:3"), std::string::npos);
    // A client without the password gets nothing.
    EXPECT_EQ(Ask(n, "", {"GET", "x"}).rfind("(error) NOAUTH", 0), 0u);
  }
  EXPECT_EQ(slots, kClusterSlots);

  // Our slot agrees with the servers', and a key sent to the node that
  // does not serve its slot is redirected there.
  for (const std::string key :
       {"foo", "bar", "ctrbench:1-2-abc:{17}", "{user1000}.following", "a"}) {
    SCOPED_TRACE(key);
    const uint16_t slot = KeySlot(key);
    EXPECT_EQ(Ask(cluster.nodes()[0], pw, {"CLUSTER", "KEYSLOT", key}),
              std::to_string(slot));
    for (const EmbeddedCluster::Node& n : cluster.nodes()) {
      const bool owner = slot >= n.first_slot && slot <= n.last_slot;
      const std::string reply = Ask(n, pw, {"INCR", key});
      if (owner) {
        EXPECT_EQ(reply, "1");
      } else {
        EXPECT_EQ(reply.rfind("(error) MOVED " + std::to_string(slot), 0), 0u)
            << reply;
      }
    }
  }

  std::vector<pid_t> pids;
  for (ServerProcess* p : cluster.processes()) pids.push_back(p->pid());
  ASSERT_EQ(pids.size(), 3u);
  EXPECT_EQ(tmp_.List().size(), 3u) << "a directory per node";
  ASSERT_TRUE(cluster.Stop().ok());
  for (pid_t pid : pids) EXPECT_NE(kill(pid, 0), 0) << pid;
  EXPECT_TRUE(tmp_.List().empty());
  for (const EmbeddedCluster::Node& n : cluster.nodes()) {
    EXPECT_EQ(Ask(n, pw, {"PING"}), "(no connection)");
  }
}

// The slot map from CLUSTER SLOTS is the cluster's own, MOVED keeps it
// current, and the shards of a counter land on different nodes.
TEST_F(RedisClusterTest, TheSlotMapRoutesAndShardsSpreadOverNodes) {
  Result<std::unique_ptr<EmbeddedCluster>> started =
      EmbeddedCluster::Start(binary_, 3, nullptr);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  const EmbeddedCluster& cluster = **started;
  std::vector<SlotMap::Address> seeds;
  for (const auto& n : cluster.nodes()) seeds.push_back({n.host, n.port});
  EXPECT_FALSE(SlotMap::Load(seeds, "wrong").ok()) << "AUTH is checked";
  Result<SlotMap> map = SlotMap::Load(seeds, cluster.password());
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  ASSERT_EQ(map->nodes().size(), 3u);
  for (const auto& n : cluster.nodes()) {
    const int index = map->IndexOf(n.host, n.port);
    EXPECT_EQ(map->NodeOf(static_cast<uint16_t>(n.first_slot)), index);
    EXPECT_EQ(map->NodeOf(static_cast<uint16_t>(n.last_slot)), index);
  }
  // Every key is answered by the node the map names, never redirected.
  for (int k = 0; k < 50; ++k) {
    const std::string key = "ctrbench:t:{" + std::to_string(k) + "}";
    const auto& address = map->nodes()[map->NodeOf(KeySlot(key))];
    EmbeddedCluster::Node node;
    node.host = address.host;
    node.port = address.port;
    EXPECT_EQ(Ask(node, cluster.password(), {"INCR", key}), "1") << key;
  }
  // 3 shards of each of 100 keys: three different nodes for each key.
  for (uint32_t key = 0; key < 100; ++key) {
    std::set<int> nodes;
    for (uint32_t s = 0; s < 3; ++s) {
      nodes.insert(map->NodeOf(KeySlot(CounterTag(key * 3 + s, 3, *map))));
    }
    EXPECT_EQ(nodes.size(), 3u) << "key " << key;
  }
  // Unsharded counters keep their plain tag.
  EXPECT_EQ(CounterTag(42, 1, *map), "42");
  map->Move(5, "127.0.0.1", 1);
  EXPECT_EQ(map->nodes()[map->NodeOf(5)].port, 1);
  EXPECT_EQ(map->nodes().size(), 4u);
}

TEST_F(RedisClusterTest, OneNodeServesEverySlot) {
  Result<std::unique_ptr<EmbeddedCluster>> started =
      EmbeddedCluster::Start(binary_, 1, nullptr);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  const EmbeddedCluster::Node& n = (*started)->nodes()[0];
  EXPECT_EQ(n.first_slot, 0);
  EXPECT_EQ(n.last_slot, kClusterSlots - 1);
  EXPECT_EQ(Ask(n, (*started)->password(), {"INCR", "anything"}), "1");
}

// One increment of counter 0; a failure says the store's error.
testing::AssertionResult AddOne(Session& session) {
  const Status st = session.Add(0, 1);
  if (st.ok()) return testing::AssertionSuccess();
  return testing::AssertionFailure() << st.ToString();
}

// Moving `key`'s slot from the node that serves it to another, the way
// redis-cli --cluster reshard does: Begin marks the slot IMPORTING and
// MIGRATING and moves the key (its old node then answers ASK for it);
// Finish gives the slot to the new node on every node (then MOVED).
struct Migration {
  Migration(const EmbeddedCluster& c, std::string k)
      : cluster(c), key(std::move(k)), slot(std::to_string(KeySlot(key))) {
    const uint16_t s = KeySlot(key);
    for (const auto& n : cluster.nodes()) {
      if (s >= n.first_slot && s <= n.last_slot) {
        from = &n;
      } else if (to == nullptr) {
        to = &n;
      }
    }
  }
  bool Begin() {
    if (from == nullptr || to == nullptr) return false;
    const std::string& pw = cluster.password();
    const std::string from_id = Ask(*from, pw, {"CLUSTER", "MYID"});
    to_id = Ask(*to, pw, {"CLUSTER", "MYID"});
    return Ask(*to, pw, {"CLUSTER", "SETSLOT", slot, "IMPORTING", from_id}) ==
               "OK" &&
           Ask(*from, pw, {"CLUSTER", "SETSLOT", slot, "MIGRATING", to_id}) ==
               "OK" &&
           Ask(*from, pw,
               {"MIGRATE", to->host, std::to_string(to->port), "", "0", "5000",
                "AUTH", pw, "KEYS", key}) == "OK";
  }
  // The order redis-cli uses (the new owner first, so that its epoch bump
  // wins over stale gossip, then the old one, then the rest), and then
  // until every node agrees: the new owner serves the key, every other
  // node answers MOVED to it (a node that does not yet is told again). A
  // redirection that bounced between nodes still settling would otherwise
  // fail a request after a few hops. Returns "" once they agree, else what
  // each node last said.
  std::string Finish() {
    const std::string& pw = cluster.password();
    std::vector<const EmbeddedCluster::Node*> order = {to, from};
    for (const auto& n : cluster.nodes()) {
      if (&n != to && &n != from) order.push_back(&n);
    }
    const std::vector<std::string> give = {"CLUSTER", "SETSLOT", slot, "NODE",
                                           to_id};
    for (const EmbeddedCluster::Node* n : order) {
      const std::string said = Ask(*n, pw, give);
      if (said != "OK") return std::to_string(n->port) + ": " + said;
    }
    const std::string moved = "(error) MOVED " + slot + " " + to->host + ":" +
                              std::to_string(to->port);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string replies;
    // Agreement must last 200 ms, not one look: once the total read back
    // after a migration was 2 of 7, as if the old owner had served the
    // last two increments of a fresh key after every node had agreed.
    int agreed = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      replies.clear();
      for (const EmbeddedCluster::Node* n : order) {
        const std::string said = Ask(*n, pw, {"EXISTS", key});
        const bool right =
            n == to ? said.rfind("(error)", 0) != 0 : said == moved;
        if (!right) {
          replies += std::to_string(n->port) + ": " + said + "; ";
          Ask(*n, pw, give);
        }
      }
      agreed = replies.empty() ? agreed + 1 : 0;
      if (agreed == 10) return "";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "no agreement in 10 s: " + replies;
  }

  const EmbeddedCluster& cluster;
  const std::string key, slot;
  const EmbeddedCluster::Node* from = nullptr;
  const EmbeddedCluster::Node* to = nullptr;
  std::string to_id;
};

// Every strategy on a 3-node cluster, with a counter's shards on different
// nodes, threads and processes: every increment verified, and the cluster
// (kept for the sweep) gone with the pool.
TEST_F(RedisClusterTest, TheRedisBackendRunsEveryStrategyOnACluster) {
  {
    ServerPool servers;
    for (WorkerMode mode : {WorkerMode::kThreads, WorkerMode::kProcesses}) {
      for (Strategy s : kAllStrategies) {
        SCOPED_TRACE(std::string(WorkerModeName(mode)) + " " + StrategyName(s));
        RunConfig c;
        c.scenario = "cluster";
        c.backend = "redis";
        c.options = {{"cluster_nodes", "3"}};
        c.mode = mode;
        c.strategy = s;
        c.workers = 2;
        c.keys = 4;
        c.shards = 3;
        c.ops = 500;
        Result<RunResult> r = ExecuteRun(c, testing_util::Builtin("redis"),
                                         nullptr, nullptr, &servers);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_TRUE(r->verified) << r->error;
        EXPECT_EQ(r->counts.errors, 0);
        EXPECT_EQ(r->expected_total, 2 * 500);
        if (s != Strategy::kNaive) {
          EXPECT_EQ(r->actual_total, 2 * 500);
        }
        EXPECT_EQ(r->counts.redirects, 0) << "the map was right";
        EXPECT_EQ(r->effective_options["cluster_nodes"], "3");
        EXPECT_NE(r->backend_version.find("cluster of 3"), std::string::npos);
        EXPECT_FALSE(r->stat("server_cpu_s").null()) << "a known CPU time";
        EXPECT_GE(r->stat("server_cpu_s").float_value(), 0);
      }
    }
    EXPECT_EQ(tmp_.List().size(), 3u) << "one cluster for the sweep";
  }
  EXPECT_TRUE(tmp_.List().empty());
}

// A slot that moved after the run set up is followed: MOVED updates the
// worker's map, the increment goes to the new node, nothing is lost.
TEST_F(RedisClusterTest, TheRedisBackendFollowsASlotThatMoved) {
  ServerPool servers;
  Result<std::unique_ptr<Backend>> backend =
      testing_util::Builtin("redis").factory({{"cluster_nodes", "3"}});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 2;
  spec.run_id = "moved-1";
  spec.servers = &servers;
  ASSERT_TRUE((*backend)->Setup(spec).ok());
  auto* cluster = static_cast<EmbeddedCluster*>(
      servers.Find(EmbeddedClusterKey(binary_, 3, RedisPersistence::kOff)));
  ASSERT_NE(cluster, nullptr);
  const std::string& pw = cluster->password();
  const std::string key = "ctrbench:moved-1:{0}";
  Migration m(*cluster, key);
  ASSERT_TRUE(m.Begin()) << "counter 0's key moved to another node";
  ASSERT_EQ(m.Finish(), "");
  const EmbeddedCluster::Node* to = m.to;

  WorkerTally tally;
  OwnedAcks acks(&tally, 2);
  Histogram latency;
  tally.latency = &latency;
  Result<std::unique_ptr<Session>> session = (*backend)->Connect(0, &tally);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(AddOne(**session)) << i;
  }
  EXPECT_EQ(tally.redirects, 1) << "one MOVED, then the map knows";
  EXPECT_EQ(tally.Acked(0), 10);
  EXPECT_EQ(Ask(*to, pw, {"GET", key}), "10");
  session->reset();
  Result<std::vector<int64_t>> totals = (*backend)->ReadTotals();
  ASSERT_TRUE(totals.ok()) << totals.status().ToString();
  EXPECT_EQ((*totals)[0], 10);
  EXPECT_TRUE((*backend)->Teardown().ok());
  EXPECT_EQ(Ask(*to, pw, {"EXISTS", key}), "0");
}

// During a migration (the key moved, the slot not yet): the old node
// answers ASK, and the increment goes to the new node after ASKING, every
// time, since the slot is not the new node's until the migration ends.
TEST_F(RedisClusterTest, TheRedisBackendAsksDuringAMigration) {
  ServerPool servers;
  Result<std::unique_ptr<Backend>> backend =
      testing_util::Builtin("redis").factory({{"cluster_nodes", "3"}});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 1;
  spec.run_id = "ask-1";
  spec.servers = &servers;
  ASSERT_TRUE((*backend)->Setup(spec).ok());
  auto* cluster = static_cast<EmbeddedCluster*>(
      servers.Find(EmbeddedClusterKey(binary_, 3, RedisPersistence::kOff)));
  ASSERT_NE(cluster, nullptr);
  const std::string key = "ctrbench:ask-1:{0}";
  Migration m(*cluster, key);
  ASSERT_TRUE(m.Begin()) << "the key moved, the slot not yet";

  WorkerTally tally;
  OwnedAcks acks(&tally, 1);
  Histogram latency;
  tally.latency = &latency;
  Result<std::unique_ptr<Session>> session = (*backend)->Connect(0, &tally);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(AddOne(**session)) << i;
  }
  EXPECT_EQ(tally.redirects, 5) << "an ASK each: the map stays";
  EXPECT_EQ(tally.Acked(0), 5);
  // The migration ends; then MOVED once, and the map follows.
  ASSERT_EQ(m.Finish(), "");
  ASSERT_TRUE(AddOne(**session));
  EXPECT_EQ(tally.redirects, 6);
  ASSERT_TRUE(AddOne(**session));
  EXPECT_EQ(tally.redirects, 6);
  session->reset();
  Result<std::vector<int64_t>> totals = (*backend)->ReadTotals();
  ASSERT_TRUE(totals.ok()) << totals.status().ToString();
  EXPECT_EQ((*totals)[0], 7);
  EXPECT_TRUE((*backend)->Teardown().ok());
}

// A user's cluster, started here: the run is pointed at it with
// `redis.cluster` and the password in REDISCLI_AUTH.
class UsersClusterTest : public RedisClusterTest {
 public:
  void SetUp() override {
    RedisClusterTest::SetUp();
    if (IsSkipped()) return;
    Result<std::unique_ptr<EmbeddedCluster>> started =
        EmbeddedCluster::Start(binary_, 3, nullptr);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    cluster_ = std::move(*started);
    auth_ = std::make_unique<testing_util::ScopedEnv>("REDISCLI_AUTH",
                                                      cluster_->password());
    // The user's own keys, one with a name like ours.
    for (const auto& n : cluster_->nodes()) {
      const std::string key = "user:{" + std::to_string(n.port) + "}";
      Migration owner(*cluster_, key);
      ASSERT_EQ(Ask(*owner.from, pw(), {"SET", key, "42"}), "OK");
      user_keys_.push_back({owner.from, key});
    }
  }

  const std::string& pw() const { return cluster_->password(); }
  // The second node first: any node leads to the slot map.
  std::string Seeds() const {
    const auto& n = cluster_->nodes();
    return n[1].host + ":" + std::to_string(n[1].port) + "," + n[0].host + ":" +
           std::to_string(n[0].port);
  }
  RunConfig Config() const {
    RunConfig c;
    c.scenario = "users-cluster";
    c.backend = "redis";
    c.options = {{"cluster", Seeds()}};
    c.workers = 2;
    c.keys = 6;
    c.ops = 400;
    return c;
  }
  // The keys on every node: the user's alone once a run is over.
  int64_t Keys() const {
    int64_t n = 0;
    for (const auto& node : cluster_->nodes()) {
      n += std::stoll(Ask(node, pw(), {"DBSIZE"}));
    }
    return n;
  }
  void ExpectUsersKeysKept() const {
    EXPECT_EQ(Keys(), static_cast<int64_t>(user_keys_.size()));
    for (const auto& [node, key] : user_keys_) {
      EXPECT_EQ(Ask(*node, pw(), {"GET", key}), "42") << key;
    }
  }

  std::unique_ptr<EmbeddedCluster> cluster_;
  std::unique_ptr<testing_util::ScopedEnv> auth_;
  std::vector<std::pair<const EmbeddedCluster::Node*, std::string>> user_keys_;
};

// Every strategy, with several connections per worker and pipelined
// increments, threads and processes: verified, the commands split over the
// three nodes in the row, the server's CPU from the nodes' INFO, and the
// user's keys as they were.
TEST_F(UsersClusterTest, RunsEveryWayAndTouchesOnlyItsOwnKeys) {
  struct Case {
    Strategy strategy;
    WorkerMode mode;
    int connections;
    const char* pipeline;
  };
  const Case cases[] = {
      {Strategy::kAtomic, WorkerMode::kThreads, 1, "1"},
      {Strategy::kAtomic, WorkerMode::kThreads, 1, "16"},
      {Strategy::kAtomic, WorkerMode::kProcesses, 3, "8"},
      {Strategy::kLock, WorkerMode::kThreads, 3, "1"},
      {Strategy::kCas, WorkerMode::kProcesses, 3, "1"},
      {Strategy::kNaive, WorkerMode::kThreads, 3, "1"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(std::string(StrategyName(k.strategy)) + " " +
                 WorkerModeName(k.mode) + " connections " +
                 std::to_string(k.connections) + " pipeline " + k.pipeline);
    RunConfig c = Config();
    c.strategy = k.strategy;
    c.mode = k.mode;
    c.connections = k.connections;
    c.options["pipeline"] = k.pipeline;
    c.shards = 3;
    Result<RunResult> r = ExecuteRun(c, testing_util::Builtin("redis"), nullptr,
                                     nullptr, nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->verified) << r->error;
    EXPECT_EQ(r->counts.errors, 0);
    EXPECT_EQ(r->expected_total, 2 * 400);
    if (k.strategy != Strategy::kNaive) {
      EXPECT_EQ(r->actual_total, 2 * 400);
    }
    EXPECT_EQ(r->counts.redirects, 0);
    EXPECT_EQ(r->effective_options["cluster"], Seeds());
    EXPECT_EQ(r->effective_options["url"], "(none)");
    EXPECT_NE(r->backend_version.find("cluster of 3"), std::string::npos);
    // Three nodes, each busy. The nodes are asked when the parent starts
    // and ends the measured time, which the workers' counts need not match
    // to the request: about one command per increment between them (the
    // lock strategy sends more).
    std::vector<std::string> parts;
    std::stringstream split(r->stat("node_commands").text_value());
    int64_t sum = 0;
    for (std::string part; std::getline(split, part, '/');) {
      parts.push_back(part);
      sum += std::stoll(part);
      EXPECT_GT(std::stoll(part), 0) << r->stat("node_commands").text_value();
    }
    EXPECT_EQ(parts.size(), 3u) << r->stat("node_commands").text_value();
    EXPECT_GE(sum * 2, r->counts.increments)
        << r->stat("node_commands").text_value();
    EXPECT_GT(r->stat("server_cpu_s").float_value(), 0);
    ExpectUsersKeysKept();
  }
}

// `ctrbench cleanup` of a killed run's keys on a user's cluster: only once
// every key was created, and then its counter keys and the lock keys that
// hold its tokens, never a key of the same prefix that holds someone
// else's value, nor anything else.
TEST_F(UsersClusterTest, CleanupDeletesOnlyTheRunsKeysOnEveryNode) {
  const std::string prefix = "ctrbench:dead-1:";
  std::vector<std::string> ours = {prefix + "{0}", prefix + "{1}",
                                   prefix + "{2.7}", prefix + "{1}:lock"};
  const std::string theirs = prefix + "{2.7}:lock";
  for (const std::string& key : ours) {
    Migration owner(*cluster_, key);
    ASSERT_EQ(Ask(*owner.from, pw(), {"SET", key, prefix + "w0c0:1:2"}), "OK");
  }
  Migration owner(*cluster_, theirs);
  ASSERT_EQ(Ask(*owner.from, pw(), {"SET", theirs, "someone"}), "OK");
  const int64_t before = Keys();

  LedgerFields fields = {{"nodes", Seeds()},
                         {"prefix", prefix},
                         {"counters", "3"},
                         {"state", "pending"}};
  std::string done;
  EXPECT_FALSE(testing_util::Builtin("redis")
                   .undo("redis.cluster_keys", fields, &done)
                   .ok());
  EXPECT_EQ(Keys(), before) << "pending: maybe not the run's, left";
  fields["state"] = "created";
  Status st =
      testing_util::Builtin("redis").undo("redis.cluster_keys", fields, &done);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_NE(done.find("deleted 4 keys"), std::string::npos) << done;
  EXPECT_EQ(Keys(), before - 4);
  EXPECT_EQ(Ask(*owner.from, pw(), {"GET", theirs}), "someone");
  fields["prefix"] = "ctrbench:*";
  EXPECT_FALSE(testing_util::Builtin("redis")
                   .undo("redis.cluster_keys", fields, &done)
                   .ok())
      << "a pattern is never a prefix";
}

// The first key of the run's prefix that shows on any node.
std::string FindRunKey(const EmbeddedCluster& cluster) {
  for (int tries = 0; tries < 500; ++tries) {
    for (const auto& n : cluster.nodes()) {
      const std::string key = Ask(n, cluster.password(), {"RANDOMKEY"});
      if (key.rfind("ctrbench:", 0) == 0) return key;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return "";
}

// A hot key's slot migrates while `c` runs (MIGRATING/IMPORTING, MIGRATE,
// then the slot given to the new node): the workers follow ASK and then
// MOVED, and nothing is lost.
void MigrateDuringARun(UsersClusterTest* t, RunConfig c) {
  c.keys = 1;
  c.ops = 0;
  c.duration_ns = 3000000000;
  Result<RunResult> r = Status::IOError("not run");
  std::thread run([&] {
    r = ExecuteRun(c, testing_util::Builtin("redis"), nullptr, nullptr,
                   nullptr);
  });
  const std::string key = FindRunKey(*t->cluster_);
  bool moved = false;
  if (!key.empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    Migration m(*t->cluster_, key);
    moved = m.Begin();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::string finished = moved ? m.Finish() : "not begun";
    moved = finished.empty();
    EXPECT_EQ(finished, "");
  }
  run.join();
  ASSERT_FALSE(key.empty()) << "the run's key never showed";
  EXPECT_TRUE(moved);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->counts.errors, 0);
  EXPECT_GT(r->counts.increments, 0);
  EXPECT_EQ(r->actual_total, r->expected_total);
  // Each of the 4 connections met an ASK or a MOVED at least once.
  EXPECT_GE(r->counts.redirects, 4);
  t->ExpectUsersKeysKept();
}

TEST_F(UsersClusterTest, ASlotMigratedDuringAPipelinedRunLosesNothing) {
  RunConfig c = Config();
  c.connections = 2;
  c.options["pipeline"] = "8";
  MigrateDuringARun(this, c);
}

// A compare-and-set's WATCH stays on the node that runs its EXEC: a read
// redirected (ASK or MOVED) is a conflict, and the retry reads again where
// the map says.
TEST_F(UsersClusterTest, ASlotMigratedDuringACasRunLosesNothing) {
  RunConfig c = Config();
  c.strategy = Strategy::kCas;
  c.connections = 2;
  MigrateDuringARun(this, c);
}

// A node killed during a run fails it within seconds, with the node's
// address in the message; the keys on the other nodes are deleted. With
// one connection per worker, and through the client loop.
void KillANodeDuringARun(UsersClusterTest* t, int connections) {
  RunConfig c = t->Config();
  c.keys = 30;  // Every worker meets every node.
  c.ops = 0;
  c.duration_ns = 60000000000;
  c.connections = connections;
  Result<RunResult> r = Status::IOError("not run");
  const auto start = std::chrono::steady_clock::now();
  std::thread run([&] {
    r = ExecuteRun(c, testing_util::Builtin("redis"), nullptr, nullptr,
                   nullptr);
  });
  const std::string key = FindRunKey(*t->cluster_);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ServerProcess* victim = t->cluster_->processes()[2];
  kill(victim->pid(), SIGKILL);
  run.join();
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_FALSE(key.empty());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->verified);
  const std::string dead = std::to_string(t->cluster_->nodes()[2].port);
  EXPECT_NE(r->error.find(dead), std::string::npos) << r->error;
  EXPECT_LT(took, 30) << "not the 60 s the run asked for";
  // The two nodes left hold the user's keys alone.
  for (size_t i = 0; i < 2; ++i) {
    int64_t user = 0;
    for (const auto& [node, k] : t->user_keys_) {
      user += node == &t->cluster_->nodes()[i];
    }
    EXPECT_EQ(std::stoll(Ask(t->cluster_->nodes()[i], t->pw(), {"DBSIZE"})),
              user);
  }
}

TEST_F(UsersClusterTest, ANodeKilledDuringARunFailsItClearly) {
  KillANodeDuringARun(this, 1);
}

TEST_F(UsersClusterTest, ANodeKilledDuringALoopRunFailsItClearly) {
  KillANodeDuringARun(this, 3);
}

}  // namespace
}  // namespace ctrbench
