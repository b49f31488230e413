// Tests of the run ledger and `ctrbench cleanup` against the real binary:
// kill -9 of the ctrbench parent leaves things behind (a table and a
// journal mode in a user's SQLite file, server temp dirs, shared-memory
// segments), and cleanup undoes exactly those, never a live run's, never
// the user's own data.

#include <dirent.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/server_process.h"
#include "counters/clock.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::ReadFile;
using testing_util::ScopedEnv;
using testing_util::TempDir;

std::string Query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    value = text ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

// The text of every ledger in `dir`.
std::string Ledgers(const std::string& dir) {
  std::string all;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 7 && name.substr(name.size() - 7) == ".ledger") {
        all += ReadFile(dir + "/" + name);
      }
    }
    closedir(d);
  }
  return all;
}

// Waits until the ledgers in `dir` mention `text` (a run got that far).
bool WaitForLedger(const std::string& dir, const std::string& text) {
  const int64_t deadline = NowNs() + 10000000000LL;
  while (NowNs() < deadline) {
    if (Ledgers(dir).find(text) != std::string::npos) return true;
    usleep(10000);
  }
  return false;
}

class CleanupTest : public ::testing::Test {
 protected:
  // Runs `ctrbench cleanup`, expecting exit status `code`; its output.
  std::string Cleanup(int code = 0) {
    const pid_t pid = testing_util::SpawnCtrbench(logs_.path(), {"cleanup"});
    EXPECT_EQ(testing_util::WaitExit(pid), code)
        << ReadFile(logs_.File("stdout.txt"))
        << ReadFile(logs_.File("stderr.txt"));
    return ReadFile(logs_.File("stdout.txt"));
  }

  TempDir work_, logs_, state_, tmp_;
  ScopedEnv state_env_{"CTRBENCH_STATE_DIR", state_.path()};
  ScopedEnv tmp_env_{"TMPDIR", tmp_.path()};
};

TEST_F(CleanupTest, UndoesWhatAKilledRunLeftInAUsersSqliteFile) {
  const std::string db = work_.File("mine.db");
  Query(db, "PRAGMA journal_mode=delete");
  Query(db, "CREATE TABLE keep(x)");
  Query(db, "INSERT INTO keep VALUES (42)");
  const pid_t run = testing_util::SpawnCtrbench(
      work_.path(), {"run", "--backend", "sqlite", "--strategy", "lock",
                     "--duration", "30s", "--set", "sqlite.path=" + db,
                     "--set", "sqlite.journal_mode=wal", "--out", "r.csv",
                     "--quiet"});
  ASSERT_TRUE(WaitForLedger(state_.path(), "state=created"));
  usleep(100000);
  kill(run, SIGKILL);
  EXPECT_EQ(testing_util::WaitExit(run), 128 + SIGKILL);
  // Left behind: our table, and the journal mode we set.
  EXPECT_EQ(Query(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                      "'ctrbench%'"),
            "1");
  EXPECT_EQ(Query(db, "PRAGMA journal_mode"), "wal");

  const std::string out = Cleanup();
  EXPECT_NE(out.find("dropped table ctrbench_"), std::string::npos) << out;
  EXPECT_NE(out.find("restored journal_mode=delete"), std::string::npos) << out;
  EXPECT_EQ(Query(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                      "'ctrbench%'"),
            "0");
  EXPECT_EQ(Query(db, "PRAGMA journal_mode"), "delete");
  EXPECT_EQ(Query(db, "SELECT x FROM keep"), "42");
  EXPECT_EQ(Ledgers(state_.path()), "");
  // Nothing more to do the second time.
  EXPECT_NE(Cleanup().find("0 thing(s)"), std::string::npos);
}

TEST_F(CleanupTest, RemovesTheServersAndDirectoriesOfAKilledRun) {
  for (const char* backend : {"manager", "redis", "sqlite"}) {
    SCOPED_TRACE(backend);
    const pid_t run = testing_util::SpawnCtrbench(
        work_.path(), {"run", "--backend", backend, "--strategy", "atomic",
                       "--duration", "30s", "--out",
                       std::string(backend) + ".csv", "--quiet"});
    ASSERT_TRUE(WaitForLedger(state_.path(), "path=" + tmp_.path()));
    usleep(200000);
    kill(run, SIGKILL);
    testing_util::WaitExit(run);
    EXPECT_FALSE(tmp_.List().empty());  // The run's temp dir stayed.
    const std::string out = Cleanup();
    EXPECT_NE(out.find("removed directory " + tmp_.path()), std::string::npos)
        << out;
    EXPECT_TRUE(tmp_.List().empty()) << out;
    EXPECT_EQ(Ledgers(state_.path()), "");
  }
}

// Keys on a user's Redis: the run recorded them once all were created;
// cleanup deletes exactly those, and the user's key stays.
TEST_F(CleanupTest, DeletesOnlyTheKilledRunsKeysOnAUsersRedis) {
  const std::string socket = work_.File("redis.sock");
  Result<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      {"/usr/bin/redis-server", "--port", "0", "--unixsocket", socket,
       "--unixsocketperm", "700", "--save", "", "--appendonly", "no", "--dir",
       work_.path(), "--logfile", ""});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  redisContext* ctx = nullptr;
  const int64_t deadline = NowNs() + 5000000000LL;
  while (NowNs() < deadline) {
    ctx = redisConnectUnix(socket.c_str());
    if (ctx && !ctx->err) break;
    if (ctx) redisFree(ctx);
    ctx = nullptr;
    usleep(5000);
  }
  ASSERT_NE(ctx, nullptr);
  auto command = [ctx](const char* text) {
    auto* r = static_cast<redisReply*>(redisCommand(ctx, text));
    const long long n = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    if (r) freeReplyObject(r);
    return n;
  };
  command("SET users:key 1");
  const pid_t run = testing_util::SpawnCtrbench(
      work_.path(), {"run", "--backend", "redis", "--strategy", "atomic",
                     "--keys", "100", "--duration", "30s", "--set",
                     "redis.url=unix:" + socket, "--out", "r.csv", "--quiet"});
  ASSERT_TRUE(WaitForLedger(state_.path(), "state=created"));
  usleep(200000);
  kill(run, SIGKILL);
  testing_util::WaitExit(run);
  usleep(100000);
  EXPECT_EQ(command("DBSIZE"), 101);
  // The server stopped: nothing can be undone yet, cleanup says so and
  // fails, and keeps the entry; once it answers again, cleanup does it.
  kill((*server)->pid(), SIGSTOP);
  std::string out = Cleanup(1);
  EXPECT_NE(out.find("kept for the next cleanup"), std::string::npos) << out;
  EXPECT_NE(out.find("1 still to undo"), std::string::npos) << out;
  EXPECT_NE(Ledgers(state_.path()), "");
  kill((*server)->pid(), SIGCONT);
  out = Cleanup();
  EXPECT_NE(out.find("deleted keys ctrbench:"), std::string::npos) << out;
  EXPECT_EQ(command("DBSIZE"), 1);
  EXPECT_EQ(command("EXISTS users:key"), 1);
  EXPECT_EQ(Ledgers(state_.path()), "");
  redisFree(ctx);
}

// A run killed but not yet reaped by its parent is a zombie: dead.
TEST_F(CleanupTest, AnUnreapedKilledRunIsDead) {
  const pid_t run = testing_util::SpawnCtrbench(
      work_.path(), {"run", "--backend", "sqlite", "--strategy", "atomic",
                     "--duration", "30s", "--out", "z.csv", "--quiet"});
  ASSERT_TRUE(WaitForLedger(state_.path(), "path=" + tmp_.path()));
  kill(run, SIGKILL);
  usleep(200000);  // Not waited for: a zombie until WaitExit below.
  const std::string out = Cleanup();
  EXPECT_NE(out.find("removed directory " + tmp_.path()), std::string::npos)
      << out;
  testing_util::WaitExit(run);
  EXPECT_TRUE(tmp_.List().empty());
}

TEST_F(CleanupTest, NeverTouchesALiveRun) {
  const pid_t run = testing_util::SpawnCtrbench(
      work_.path(), {"run", "--backend", "redis", "--strategy", "atomic",
                     "--duration", "1500ms", "--out", "live.csv", "--quiet"});
  ASSERT_TRUE(WaitForLedger(state_.path(), "path=" + tmp_.path()));
  const std::string out = Cleanup();
  EXPECT_NE(out.find("is alive"), std::string::npos) << out;
  EXPECT_FALSE(tmp_.List().empty());
  EXPECT_EQ(testing_util::WaitExit(run), 0) << ReadFile(work_.File("stderr.txt"));
  EXPECT_EQ(Ledgers(state_.path()), "");  // The run removed its own.
  EXPECT_TRUE(tmp_.List().empty());
}

}  // namespace
}  // namespace ctrbench
