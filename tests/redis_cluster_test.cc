// Redis Cluster foundations against real redis-server nodes: the key slot
// agrees with the servers' CLUSTER KEYSLOT, and an embedded cluster forms
// on loopback with a password, serves every slot, redirects a key sent to
// the wrong node, and leaves nothing behind when it stops.

#include "backends/redis_cluster.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/stat.h>

#include <memory>
#include <string>
#include <vector>

#include "counters/program.h"
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

TEST_F(RedisClusterTest, OneNodeServesEverySlot) {
  Result<std::unique_ptr<EmbeddedCluster>> started =
      EmbeddedCluster::Start(binary_, 1, nullptr);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  const EmbeddedCluster::Node& n = (*started)->nodes()[0];
  EXPECT_EQ(n.first_slot, 0);
  EXPECT_EQ(n.last_slot, kClusterSlots - 1);
  EXPECT_EQ(Ask(n, (*started)->password(), {"INCR", "anything"}), "1");
}

}  // namespace
}  // namespace ctrbench
