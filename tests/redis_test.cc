// Tests of the redis backend beyond the shared conformance suite, each
// against a redis-server started by the test (or by the backend) on a Unix
// socket in a temp dir: a user's keys survive, error replies are errors, a
// password comes from REDISCLI_AUTH, a killed server fails the run clearly,
// and bad urls or a missing redis-server are reported.

#include <dirent.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/server_process.h"
#include "counters/clock.h"
#include "counters/program.h"
#include "counters/runner.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::TempDir;

// A redis-server of the test's own on a Unix socket in `dir`.
class TestRedis {
 public:
  explicit TestRedis(const TempDir& dir, std::vector<std::string> extra = {})
      : socket_(dir.File("redis.sock")) {
    std::vector<std::string> argv = {"/usr/bin/redis-server",
                                     "--port",
                                     "0",
                                     "--unixsocket",
                                     socket_,
                                     "--unixsocketperm",
                                     "700",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--dir",
                                     dir.path(),
                                     "--logfile",
                                     ""};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Result<std::unique_ptr<ServerProcess>> s = ServerProcess::Start(argv);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (s.ok()) server_ = std::move(*s);
    const int64_t deadline = NowNs() + 5000000000LL;
    while (NowNs() < deadline) {
      ctx_ = redisConnectUnix(socket_.c_str());
      if (ctx_ && !ctx_->err) break;
      if (ctx_) redisFree(ctx_);
      ctx_ = nullptr;
      usleep(5000);
    }
    EXPECT_NE(ctx_, nullptr);
  }
  ~TestRedis() {
    if (ctx_) redisFree(ctx_);
  }

  std::string url() const { return "unix:" + socket_; }
  ServerProcess* server() { return server_.get(); }

  // Runs a command and returns its reply as text ("(nil)", "(error) ...").
  std::string Command(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const std::string& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(
        ctx_, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (r == nullptr) return "(no reply)";
    std::string text;
    switch (r->type) {
      case REDIS_REPLY_INTEGER:
        text = std::to_string(r->integer);
        break;
      case REDIS_REPLY_NIL:
        text = "(nil)";
        break;
      case REDIS_REPLY_ERROR:
        text = "(error) " + std::string(r->str, r->len);
        break;
      default:
        text = r->str ? std::string(r->str, r->len) : "";
    }
    freeReplyObject(r);
    return text;
  }

 private:
  std::string socket_;
  std::unique_ptr<ServerProcess> server_;
  redisContext* ctx_ = nullptr;
};

RunConfig Config(Strategy strategy, OptionMap options) {
  RunConfig c;
  c.scenario = "redis_test";
  c.backend = "redis";
  c.options = std::move(options);
  c.strategy = strategy;
  c.workers = 2;
  c.keys = 8;
  c.ops = 500;
  return c;
}

// The warm-up's pipelined requests are settled before the measured time:
// at 100/s with 64 in flight, the 15 a worker queues in its warm-up were
// once written, acknowledged and counted at the start of the measured time
// (twice the offered rate).
TEST(RedisBackend, OpenLoopPipelineCarriesNothingIntoTheMeasuredTime) {
  RunConfig c = Config(Strategy::kAtomic, {{"pipeline", "64"}});
  c.ops = 0;
  c.rate = 100;
  c.warmup_ns = 300000000;
  c.duration_ns = 600000000;
  Result<RunResult> r = ExecuteRun(c, testing_util::Builtin("redis"), nullptr);
  if (!r.ok() &&
      r.status().message().find("redis-server") != std::string::npos) {
    GTEST_SKIP() << r.status().message();
  }
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_LE(r->counts.increments, 1.2 * c.rate * r->duration_s + 2);
  EXPECT_GE(r->counts.increments, 0.8 * c.rate * r->duration_s - 2);
}

// pin = all: the embedded server runs on a CPU of its own (the last one,
// when one is spare), the worker on another, and the row says so.
TEST(RedisBackend, PinAllPlacesTheEmbeddedServer) {
  RunConfig c = Config(Strategy::kAtomic, {});
  c.workers = 1;
  c.pin = PinMode::kAll;
  Result<RunResult> r = ExecuteRun(c, testing_util::Builtin("redis"), nullptr);
  if (!r.ok() &&
      r.status().message().find("redis-server") != std::string::npos) {
    GTEST_SKIP() << r.status().message();
  }
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  const CpuPlan plan = PlanCpus(PinMode::kAll, 1, AllowedCpus(), true);
  EXPECT_EQ(r->cpu_placement, "w0:" + std::to_string(plan.workers[0]) +
                                  ";server:" + std::to_string(plan.server));
}

TEST(RedisBackend, TouchesOnlyItsOwnKeys) {
  TempDir dir;
  TestRedis redis(dir);
  ASSERT_EQ(redis.Command({"SET", "planted", "42"}), "OK");
  for (Strategy s : {Strategy::kAtomic, Strategy::kLock, Strategy::kCas}) {
    SCOPED_TRACE(StrategyName(s));
    Result<RunResult> r = ExecuteRun(Config(s, {{"url", redis.url()}}),
                                     testing_util::Builtin("redis"), nullptr);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->verified) << r->error;
    EXPECT_EQ(r->actual_total, 1000);
    EXPECT_EQ(r->backend_version.rfind("redis 7", 0), 0u) << r->backend_version;
    EXPECT_EQ(redis.Command({"DBSIZE"}), "1");
    EXPECT_EQ(redis.Command({"GET", "planted"}), "42");
  }
}

// The user's own scripts: a correct add and read verify, and the server
// holds nothing of the run's afterwards; a take that does not check the
// stock oversells, and the stock check catches it. Other strategies are
// ctrbench's own: skipped.
TEST(RedisBackend, TheUsersOwnScriptsRunAndARacyOneIsCaught) {
  TempDir dir;
  TestRedis redis(dir);
  ASSERT_EQ(redis.Command({"SET", "planted", "42"}), "OK");
  const OptionMap scripts = {
      {"url", redis.url()},
      {"script_add", "return redis.call('INCRBY', KEYS[1], ARGV[1])"},
      {"script_read", "return tonumber(redis.call('GET', KEYS[1]) or '0')"},
      {"script_take",
       "local left = tonumber(redis.call('GET', KEYS[1]) or '0') "
       "if left < tonumber(ARGV[1]) then return 0 end "
       "redis.call('DECRBY', KEYS[1], ARGV[1]) return 1"}};
  Result<RunResult> r = ExecuteRun(Config(Strategy::kAtomic, scripts),
                                   testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->actual_total, 1000);
  EXPECT_EQ(r->effective_options["script_add"], scripts.at("script_add"));
  RunConfig inventory = Config(Strategy::kAtomic, scripts);
  inventory.kind = Kind::kInventory;
  inventory.stock = 300;
  inventory.keys = 1;
  r = ExecuteRun(inventory, testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->counts.increments, 300);
  EXPECT_EQ(redis.Command({"DBSIZE"}), "1");

  OptionMap racy = scripts;
  racy["script_take"] = "redis.call('DECRBY', KEYS[1], ARGV[1]) return 1";
  inventory.options = racy;
  r = ExecuteRun(inventory, testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->verified);
  EXPECT_NE(r->error.find("oversold"), std::string::npos) << r->error;
  EXPECT_EQ(redis.Command({"GET", "planted"}), "42");
  EXPECT_EQ(redis.Command({"DBSIZE"}), "1");

  Result<std::unique_ptr<Backend>> made =
      testing_util::Builtin("redis").factory(scripts);
  ASSERT_TRUE(made.ok());
  SetupSpec lock;
  lock.strategy = Strategy::kLock;
  EXPECT_FALSE((*made)->CheckRun(lock).ok());
}

// A key under the run's prefix that exists already is someone else's: the
// run fails, the key keeps its value, and the keys the run did create go.
TEST(RedisBackend, NeverWritesOrDeletesAPlantedKeyOfItsPrefix) {
  TempDir dir;
  TestRedis redis(dir);
  ASSERT_EQ(redis.Command({"SET", "ctrbench:planted-1:5", "user data"}), "OK");
  Result<std::unique_ptr<Backend>> backend =
      testing_util::Builtin("redis").factory({{"url", redis.url()}});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 8;
  spec.run_id = "planted-1";
  const Status st = (*backend)->Setup(spec);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("ctrbench:planted-1:5 exists already"),
            std::string::npos)
      << st.message();
  backend->reset();
  EXPECT_EQ(redis.Command({"GET", "ctrbench:planted-1:5"}), "user data");
  EXPECT_EQ(redis.Command({"DBSIZE"}), "1");
}

// Teardown deletes a lock key only while it holds one of the run's own
// tokens: a lock its killed worker left, never a user's key of that name.
TEST(RedisBackend, DeletesOnlyItsOwnLockKeys) {
  TempDir dir;
  TestRedis redis(dir);
  ASSERT_EQ(redis.Command({"SET", "ctrbench:locks-1:0:lock", "user data"}),
            "OK");
  Result<std::unique_ptr<Backend>> backend =
      testing_util::Builtin("redis").factory({{"url", redis.url()}});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 2;
  spec.strategy = Strategy::kLock;
  spec.run_id = "locks-1";
  ASSERT_TRUE((*backend)->Setup(spec).ok());
  // What a worker killed while holding the lock of counter 1 leaves.
  ASSERT_EQ(redis.Command({"SET", "ctrbench:locks-1:1:lock",
                           "ctrbench:locks-1:w0:123:456"}),
            "OK");
  EXPECT_TRUE((*backend)->Teardown().ok());
  EXPECT_EQ(redis.Command({"GET", "ctrbench:locks-1:0:lock"}), "user data");
  EXPECT_EQ(redis.Command({"DBSIZE"}), "1");
}

TEST(RedisBackend, PipelinedIncrementsAreAllAcknowledged) {
  TempDir dir;
  TestRedis redis(dir);
  RunConfig c =
      Config(Strategy::kAtomic, {{"url", redis.url()}, {"pipeline", "16"}});
  c.ops = 1001;  // Not a multiple of 16: Flush collects the rest.
  Result<RunResult> r = ExecuteRun(c, testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->actual_total, 2002);
  EXPECT_EQ(r->latency_samples, 2002);  // Each request timed by the session.
}

// The embedded server's CPU in the measured time is reported, as a
// cluster's nodes' is (a user's server runs no process of ours to read).
TEST(RedisBackend, TheEmbeddedServersCpuIsMeasured) {
  RunConfig c = Config(Strategy::kAtomic, {});
  c.ops = 0;
  c.duration_ns = 300000000;
  Result<RunResult> r = ExecuteRun(c, testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_FALSE(r->stat("server_cpu_s").null()) << "a known CPU time";
  EXPECT_GT(r->stat("server_cpu_s").float_value(), 0);
}

TEST(RedisBackend, AnErrorReplyIsAnErrorNotASuccess) {
  TempDir dir;
  TestRedis redis(dir);
  Result<std::unique_ptr<Backend>> backend =
      testing_util::Builtin("redis").factory({{"url", redis.url()}});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 2;
  spec.run_id = "err-1";
  ASSERT_TRUE((*backend)->Setup(spec).ok());
  ASSERT_EQ(redis.Command({"SET", "ctrbench:err-1:1", "not a number"}), "OK");
  WorkerTally tally;
  OwnedAcks acks(&tally, 2);
  Histogram latency;
  tally.latency = &latency;
  Result<std::unique_ptr<Session>> session = (*backend)->Connect(0, &tally);
  ASSERT_TRUE(session.ok());
  Status st = (*session)->Add(1, 1);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("not an integer"), std::string::npos)
      << st.message();
  EXPECT_EQ(tally.Acked(1), 0);
  EXPECT_TRUE((*session)->Add(0, 1).ok());
  EXPECT_EQ(tally.Acked(0), 1);
  session->reset();
  EXPECT_TRUE((*backend)->Teardown().ok());
  EXPECT_EQ(redis.Command({"DBSIZE"}), "0");
}

TEST(RedisBackend, ReadsThePasswordFromTheEnvironment) {
  TempDir dir;
  TestRedis redis(dir, {"--requirepass", "s3cret"});
  unsetenv("REDISCLI_AUTH");
  Result<RunResult> r =
      ExecuteRun(Config(Strategy::kAtomic, {{"url", redis.url()}}),
                 testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->verified);
  EXPECT_NE(r->error.find("NOAUTH"), std::string::npos) << r->error;
  {
    testing_util::ScopedEnv auth("REDISCLI_AUTH", "s3cret");
    r = ExecuteRun(Config(Strategy::kAtomic, {{"url", redis.url()}}),
                   testing_util::Builtin("redis"), nullptr);
  }
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->verified) << r->error;
}

TEST(RedisBackend, UnreachableServerFailsWithinTheTimeout) {
  TempDir dir;
  const int64_t start = NowNs();
  Result<RunResult> r = ExecuteRun(
      Config(Strategy::kAtomic, {{"url", "unix:" + dir.File("nobody.sock")}}),
      testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->verified);
  EXPECT_NE(r->error.find("cannot reach"), std::string::npos) << r->error;
  // A TCP port on loopback where nothing listens.
  r = ExecuteRun(Config(Strategy::kAtomic, {{"url", "redis://127.0.0.1:1"},
                                            {"connect_timeout_ms", "500"}}),
                 testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->verified);
  EXPECT_NE(r->error.find("127.0.0.1:1"), std::string::npos) << r->error;
  EXPECT_LT(NowNs() - start, 3000000000LL);
}

TEST(RedisBackend, RejectsBadOptions) {
  for (const OptionMap& bad : std::vector<OptionMap>{
           {{"url", "localhost:6379"}},
           {{"url", "redis://:6379"}},
           {{"url", "redis://u:pw@host:6379"}},
           {{"url", "redis://host:99999"}},
           {{"pipeline", "0"}},
           {{"command_timeout_ms", "5000"}, {"lock_ttl_ms", "1000"}},
           // A user's server keeps its own persistence.
           {{"url", "unix:/tmp/r.sock"}, {"persistence", "rdb"}},
           {{"cluster", "127.0.0.1:7000"}, {"persistence", "off"}},
           {{"persistence", "always"}}}) {
    Result<std::unique_ptr<Backend>> b =
        testing_util::Builtin("redis").factory(bad);
    EXPECT_FALSE(b.ok());
    EXPECT_TRUE(b.status().IsInvalidArgument());
    EXPECT_NE(b.status().message().find("redis."), std::string::npos);
  }
}

TEST(RedisBackend, KilledServerFailsTheRunAndCleansUp) {
  TempDir dir;
  TempDir tmp;  // The embedded server's temp dir lands here.
  pid_t pid;
  {
    testing_util::ScopedEnv tmpdir("TMPDIR", tmp.path());
    pid = testing_util::SpawnCtrbench(
        dir.path(), {"run", "--backend", "redis", "--strategy", "atomic",
                     "--mode", "processes", "--workers", "2", "--duration",
                     "20s", "--out", "k.csv", "--quiet"});
  }
  const pid_t server = testing_util::WaitForServerChild(pid, 2, 10000);
  ASSERT_NE(server, 0);
  usleep(300000);
  const int64_t start = NowNs();
  kill(server, SIGKILL);
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  EXPECT_LT(NowNs() - start, 5000000000LL);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("went away"), std::string::npos) << err;
  EXPECT_NE(err.find("redis"), std::string::npos) << err;
  EXPECT_TRUE(tmp.List().empty());
}

// A user's Redis that goes down mid-run and comes back only after it: the
// run says which keys it could not remove and that `ctrbench cleanup` will
// try again; cleanup fails while the server is down, then removes them.
TEST(RedisBackend, AUsersServerDownAtTeardownNamesTheKeysLeft) {
  TempDir dir, state;
  testing_util::ScopedEnv state_env("CTRBENCH_STATE_DIR", state.path());
  auto redis = std::make_unique<TestRedis>(
      dir,
      std::vector<std::string>{"--save", "60 1", "--dbfilename", "dump.rdb"});
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "redis", "--strategy", "atomic",
                   "--keys", "5", "--duration", "2s", "--set",
                   "redis.url=" + redis->url(), "--out", "d.csv"});
  usleep(1000000);
  // Saved with the run's keys, then down until the run is over.
  EXPECT_EQ(redis->Command({"SAVE"}), "OK");
  ASSERT_TRUE(redis->server()->Stop().ok());
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("could not delete this run's keys ctrbench:"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("`ctrbench cleanup` will try again"), std::string::npos)
      << err;
  const pid_t down = testing_util::SpawnCtrbench(dir.path(), {"cleanup"});
  EXPECT_EQ(testing_util::WaitExit(down), 1);
  EXPECT_NE(testing_util::ReadFile(dir.File("stdout.txt"))
                .find("kept for the next cleanup"),
            std::string::npos);
  // Back, with the keys it saved: cleanup deletes them, and is done.
  redis = std::make_unique<TestRedis>(
      dir, std::vector<std::string>{"--dbfilename", "dump.rdb"});
  EXPECT_EQ(redis->Command({"DBSIZE"}), "5");
  const pid_t up = testing_util::SpawnCtrbench(dir.path(), {"cleanup"});
  EXPECT_EQ(testing_util::WaitExit(up), 0)
      << testing_util::ReadFile(dir.File("stdout.txt"));
  EXPECT_EQ(redis->Command({"DBSIZE"}), "0");
}

TEST(RedisBackend, MissingRedisServerNamesThePackage) {
  TempDir dir;
  pid_t pid;
  {
    testing_util::ScopedEnv path("PATH", "/nonexistent");
    pid = testing_util::SpawnCtrbench(
        dir.path(),
        {"run", "--backend", "redis", "--ops", "10", "--out", "m.csv"});
  }
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("Debian package redis-server"), std::string::npos) << err;
  EXPECT_NE(err.find("redis.url"), std::string::npos) << err;
}

TEST(RedisBackend, WithoutRedisServerADefaultSweepSkipsIt) {
  TempDir dir;
  pid_t pid;
  {
    testing_util::ScopedEnv path("PATH", "/nonexistent");
    pid = testing_util::SpawnCtrbench(
        dir.path(), {"run", "--strategy", "atomic", "--ops", "100", "--out",
                     "d.csv", "--quiet"});
  }
  EXPECT_EQ(testing_util::WaitExit(pid), 0);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("note: skipped redis: redis: redis-server is not "
                     "installed"),
            std::string::npos)
      << err;
  const auto rows = testing_util::ReadCsv(dir.File("d.csv"));
  ASSERT_GE(rows.size(), 2u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_NE(testing_util::Column(rows, i, "backend"), "redis");
  }
}

// The path of the first file named `name` under `dir` (three levels
// deep at most), or "".
std::string FindFile(const std::string& dir, const std::string& name,
                     int depth = 3) {
  std::string found;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return found;
  while (dirent* e = readdir(d)) {
    const std::string entry = e->d_name;
    if (entry == "." || entry == "..") continue;
    const std::string path = dir + "/" + entry;
    if (entry == name) {
      found = path;
      break;
    }
    if (depth > 0 && e->d_type == DT_DIR) {
      found = FindFile(path, name, depth - 1);
      if (!found.empty()) break;
    }
  }
  closedir(d);
  return found;
}

// CONFIG GET `key` of the server at unix socket `socket`: its value, or
// "(none)".
std::string ConfigOf(const std::string& socket, const std::string& key) {
  redisContext* ctx = redisConnectUnix(socket.c_str());
  std::string value = "(none)";
  if (ctx != nullptr && !ctx->err) {
    auto* r = static_cast<redisReply*>(
        redisCommand(ctx, "CONFIG GET %s", key.c_str()));
    if (r != nullptr && r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
      value = std::string(r->element[1]->str, r->element[1]->len);
    }
    if (r != nullptr) freeReplyObject(r);
  }
  if (ctx != nullptr) redisFree(ctx);
  return value;
}

// redis.persistence sets up the backend's own server: off by default
// (Redis's own snapshots would fork it mid-run), Redis's snapshot
// schedule, or an append-only file. The row says which, and so does the
// run line: off is away from Redis's default, and the others were asked.
TEST(RedisBackend, PersistenceIsWhatTheOptionSays) {
  if (FindProgram("redis-server").empty()) GTEST_SKIP() << "no redis-server";
  struct Case {
    std::string value;  // "": not asked.
    std::string save, appendonly;
  };
  const std::vector<Case> cases = {
      {"", "", "no"},
      {"rdb", "3600 1 300 100 60 10000", "no"},
      {"aof", "", "yes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value.empty() ? "default" : c.value);
    TempDir dir, tmp;
    testing_util::ScopedEnv tmp_env("TMPDIR", tmp.path());
    std::vector<std::string> args = {
        "run", "--backend",  "redis", "--strategy", "atomic", "--workers",
        "1",   "--duration", "2s",    "--out",      "r.csv",  "--quiet"};
    if (!c.value.empty()) {
      args.insert(args.end(), {"--set", "redis.persistence=" + c.value});
    }
    const pid_t pid = testing_util::SpawnCtrbench(dir.path(), args);
    // The server's socket in the run's temporary directory, and what the
    // server says it runs with.
    std::string save = "(none)", appendonly = "(none)";
    const int64_t deadline = NowNs() + 20000000000LL;
    while (appendonly == "(none)" && NowNs() < deadline) {
      const std::string socket = FindFile(tmp.path(), "redis.sock");
      if (!socket.empty()) {
        save = ConfigOf(socket, "save");
        appendonly = ConfigOf(socket, "appendonly");
      }
      if (appendonly == "(none)") usleep(20000);
    }
    EXPECT_EQ(save, c.save);
    EXPECT_EQ(appendonly, c.appendonly);
    ASSERT_EQ(testing_util::WaitExit(pid), 0)
        << testing_util::ReadFile(dir.File("stderr.txt"));
    const std::string shown =
        "persistence=" + (c.value.empty() ? std::string("off") : c.value);
    const auto rows = testing_util::ReadCsv(dir.File("r.csv"));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_NE(testing_util::Column(rows, 1, "backend_options").find(shown),
              std::string::npos);
    const std::string out = testing_util::ReadFile(dir.File("stdout.txt"));
    const size_t at = out.find("[1/1] redis");
    ASSERT_NE(at, std::string::npos) << out;
    EXPECT_NE(out.substr(at, out.find('\n', at) - at).find(shown),
              std::string::npos)
        << out;
  }
}

TEST(RedisBackend, CommandLineRejectsABadUrlWithExitTwo) {
  TempDir dir;
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(),
      {"run", "--backend", "redis", "--set", "redis.url=http://localhost"});
  EXPECT_EQ(testing_util::WaitExit(pid), 2);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("redis://HOST:PORT[/DB] or unix:PATH"), std::string::npos)
      << err;
}

}  // namespace
}  // namespace ctrbench

namespace ctrbench {
namespace {

// Open loop with a pipelining session: each request's response time runs
// from its intended start to its reply, which comes in a later call; every
// increment is recorded once.
TEST(RedisBackend, OpenLoopWithAPipelineTimesEveryRequestsResponse) {
  RunConfig c = Config(Strategy::kAtomic, {{"pipeline", "8"}});
  c.ops = 0;
  c.rate = 10000;
  c.duration_ns = 500000000;
  c.latency_limit_ns = 1000000000;
  Result<RunResult> r = ExecuteRun(c, testing_util::Builtin("redis"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->response.count(), r->counts.increments);
  EXPECT_EQ(r->latency_samples, r->counts.increments);
  EXPECT_GE(r->resp_p50_us, r->lat_p50_us * 0.5);
  EXPECT_NEAR(r->rate_achieved, 10000, 500);
  EXPECT_EQ(r->counts.late_ops, 0);
}

}  // namespace
}  // namespace ctrbench
