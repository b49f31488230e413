// Tests of the postgres backend beyond the shared conformance suite, against
// real PostgreSQL servers: one the test starts as a user's server (its other
// tables must survive a run byte for byte), and the backend's own embedded
// one. Also: a password never shows, bad and dead servers fail fast and
// clearly, serializable naive retries instead of losing, a contended row
// shows in the wait-event columns, Ctrl-C leaves no server, and ctrbench
// runs as an unprivileged user too.

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "backends/server_process.h"
#include "counters/clock.h"
#include "counters/ledger.h"
#include "counters/runner.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::TempDir;

const BackendInfo& Postgres() {
  return *testing_util::BuiltinRegistry().Find("postgres");
}

std::string Output(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

std::string BinDir() {
  std::string dir = Output("pg_config --bindir 2>/dev/null");
  while (!dir.empty() && dir.back() == '\n') dir.pop_back();
  return dir;
}

// A PostgreSQL server of the test's own (a "user's server"), on a Unix
// socket in a directory under /tmp, run as `postgres` when we are root.
class TestPostgres {
 public:
  // With a password, the server asks every client for it (scram-sha-256).
  explicit TestPostgres(const std::string& password = "") {
    bindir_ = BinDir();
    char pattern[] = "/tmp/ctrbench-pgtest-XXXXXX";
    dir_ = mkdtemp(pattern);
    ProcessOptions as;
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      EXPECT_NE(pw, nullptr);
      if (pw) {
        as.uid = pw->pw_uid;
        as.gid = pw->pw_gid;
        EXPECT_EQ(chown(dir_.c_str(), as.uid, as.gid), 0);
      }
    }
    as.output_path = dir_ + "/log";
    std::vector<std::string> initdb_argv = {
        bindir_ + "/initdb", "-D", dir_ + "/data", "-U", "postgres",
        "--no-sync"};
    if (password.empty()) {
      initdb_argv.insert(initdb_argv.end(), {"-A", "trust"});
    } else {
      const std::string pwfile = dir_ + "/pw";
      std::ofstream(pwfile) << password << "\n";
      if (as.uid != static_cast<uid_t>(-1)) {
        EXPECT_EQ(chown(pwfile.c_str(), as.uid, as.gid), 0);
      }
      initdb_argv.insert(initdb_argv.end(),
                         {"-A", "scram-sha-256", "--pwfile", pwfile});
    }
    Result<std::unique_ptr<ServerProcess>> initdb =
        ServerProcess::Start(initdb_argv, {}, as);
    EXPECT_TRUE(initdb.ok());
    if (!initdb.ok() || !(*initdb)->WaitExit(120000)) return;
    as.stop_signal = SIGQUIT;
    Result<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
        {bindir_ + "/postgres", "-D", dir_ + "/data", "-k", dir_, "-c",
         "listen_addresses=", "-c", "fsync=off",
         // Segments in its data directory: a test that kills it leaves
         // nothing in /dev/shm.
         "-c", "dynamic_shared_memory_type=mmap"},
        {}, as);
    EXPECT_TRUE(server.ok());
    if (server.ok()) server_ = std::move(*server);
    // PQping answers OK without a password: it only asks whether the
    // server accepts connections.
    const int64_t deadline = NowNs() + 30000000000LL;
    while (NowNs() < deadline && PQping(conninfo().c_str()) != PQPING_OK) {
      usleep(20000);
    }
    EXPECT_EQ(PQping(conninfo().c_str()), PQPING_OK);
  }
  ~TestPostgres() {
    if (server_) server_->Stop().ok();
    RemoveTree(dir_, nullptr).ok();
  }

  std::string conninfo() const {
    return "host=" + dir_ + " port=5432 user=postgres dbname=postgres";
  }
  ServerProcess* server() { return server_.get(); }

  // The first value of a query's result, or its error.
  std::string Sql(const std::string& sql) {
    PGconn* c = PQconnectdb(conninfo().c_str());
    PGresult* r = PQexec(c, sql.c_str());
    std::string out;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
      out = PQgetvalue(r, 0, 0);
    } else if (PQresultStatus(r) != PGRES_COMMAND_OK &&
               PQresultStatus(r) != PGRES_TUPLES_OK) {
      out = std::string("error: ") + PQresultErrorMessage(r);
    }
    PQclear(r);
    PQfinish(c);
    return out;
  }

  // Everything in the database, as pg_dump writes it (less the random
  // key of its \restrict lines, new in each dump).
  std::string Dump() {
    return Output(bindir_ + "/pg_dump -h " + dir_ +
                  " -U postgres --no-sync postgres 2>&1 | grep -v "
                  "'^.\\(un\\)\\?restrict '");
  }

 private:
  std::string bindir_;
  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
};

std::vector<std::string> EntriesOf(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) names.push_back(e->d_name);
    closedir(d);
  }
  return names;
}

// A run of these tests; on the embedded server with fsync off: they check
// logic, not durability, and a durable server commits about 5 k/s on a
// 2-core VM instead of 44 k/s (RunsDurableByDefault checks the defaults).
RunConfig Config(Strategy strategy, OptionMap options) {
  if (options.count("url") == 0) options.emplace("fsync", "off");
  RunConfig c;
  c.scenario = "postgres_test";
  c.backend = "postgres";
  c.options = std::move(options);
  c.strategy = strategy;
  c.workers = 2;
  c.keys = 4;
  c.ops = 1000;
  return c;
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const Status st = Postgres().available({});
    if (!st.ok()) GTEST_SKIP() << st.message();
  }
};

TEST_F(PostgresTest, AUsersServerKeepsEveryOtherTableAndRow) {
  TestPostgres pg;
  ASSERT_EQ(pg.Sql("CREATE TABLE accounts (id int PRIMARY KEY, balance "
                   "bigint); INSERT INTO accounts SELECT g, g * 10 FROM "
                   "generate_series(1, 100) g; CREATE TABLE counters (id "
                   "int, value bigint); INSERT INTO counters VALUES (0, 7)"),
            "");
  const std::string before = pg.Dump();
  ASSERT_NE(before.find("accounts"), std::string::npos) << before;
  for (Strategy s : kAllStrategies) {
    Result<RunResult> r =
        ExecuteRun(Config(s, {{"url", pg.conninfo()}}), Postgres(), nullptr);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->error.empty()) << StrategyName(s) << ": " << r->error;
    EXPECT_NE(r->effective_options["url"].find("host="), std::string::npos);
  }
  EXPECT_EQ(pg.Dump(), before);
  EXPECT_EQ(pg.Sql("SELECT count(*) FROM pg_tables WHERE tablename LIKE "
                   "'ctrbench%'"),
            "0");
}

TEST_F(PostgresTest, APasswordInTheUrlIsRefusedAndNeverShown) {
  for (const std::string url :
       {"host=/tmp user=postgres password=sekret",
        "postgresql://postgres:sekret@localhost/postgres"}) {
    Result<std::unique_ptr<Backend>> b = Postgres().factory({{"url", url}});
    ASSERT_FALSE(b.ok()) << url;
    EXPECT_EQ(b.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(b.status().message().find("sekret"), std::string::npos)
        << b.status().message();
    EXPECT_NE(b.status().message().find("PGPASSWORD"), std::string::npos);
  }
  Result<std::unique_ptr<Backend>> bad =
      Postgres().factory({{"url", "postgresql://[::1"}});
  EXPECT_FALSE(bad.ok());
}

TEST_F(PostgresTest, APasswordComesFromPgpasswordAndAWrongOneFailsClearly) {
  TestPostgres pg("right-horse-battery");
  {
    testing_util::ScopedEnv env("PGPASSWORD", "wrong-staple");
    Result<RunResult> r = ExecuteRun(
        Config(Strategy::kAtomic, {{"url", pg.conninfo()}}), Postgres(),
        nullptr);
    ASSERT_TRUE(r.ok());
    EXPECT_NE(r->error.find("password authentication failed"),
              std::string::npos)
        << r->error;
    EXPECT_EQ(r->error.find("wrong-staple"), std::string::npos);
  }
  testing_util::ScopedEnv env("PGPASSWORD", "right-horse-battery");
  Result<RunResult> r = ExecuteRun(
      Config(Strategy::kLock, {{"url", pg.conninfo()}}), Postgres(), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->verified) << r->error;
  for (const auto& [key, value] : r->effective_options) {
    EXPECT_EQ(value.find("right-horse"), std::string::npos) << key;
  }
}

// `ctrbench cleanup` on a user's server: the table of a killed run goes,
// but only one its ledger entry says was created, with a run's own name.
TEST_F(PostgresTest, CleanupDropsOnlyATableKnownToBeARunsOwn) {
  TestPostgres pg;
  ASSERT_EQ(pg.Sql("CREATE TABLE ctrbench_1_2_abc (id int); CREATE TABLE "
                   "ctrbench_3_4_def (id int); CREATE TABLE accounts (id "
                   "int)"),
            "");
  const UndoFn& undo = Postgres().undo;
  std::string done;
  EXPECT_TRUE(undo("postgres.table",
                   {{"conninfo", pg.conninfo()},
                    {"table", "ctrbench_1_2_abc"},
                    {"state", "created"}},
                   &done)
                  .ok());
  EXPECT_NE(done.find("ctrbench_1_2_abc"), std::string::npos);
  EXPECT_FALSE(undo("postgres.table",
                    {{"conninfo", pg.conninfo()},
                     {"table", "ctrbench_3_4_def"},
                     {"state", "pending"}},
                    &done)
                   .ok());
  EXPECT_FALSE(undo("postgres.table",
                    {{"conninfo", pg.conninfo()},
                     {"table", "accounts"},
                     {"state", "created"}},
                    &done)
                   .ok());
  EXPECT_EQ(pg.Sql("SELECT string_agg(tablename, ',' ORDER BY tablename) "
                   "FROM pg_tables WHERE schemaname = 'public'"),
            "accounts,ctrbench_3_4_def");
}

// The user's own statements on a user's server: rows appended and summed
// on read verify, a conditional take of their own sells exactly the stock,
// and the server is left as it was (what sql_setup made is dropped); a
// read-then-write in one statement (its subquery reads the statement's
// snapshot) loses updates, and verification catches it.
TEST_F(PostgresTest, TheUsersOwnStatementsRunAndARacyOneIsCaught) {
  TestPostgres pg;
  ASSERT_EQ(pg.Sql("CREATE TABLE accounts (id int); INSERT INTO accounts "
                   "VALUES (1)"),
            "");
  const std::string before = pg.Dump();
  const OptionMap mine = {
      {"url", pg.conninfo()},
      {"sql_setup",
       "CREATE TABLE {prefix}_log (id bigint NOT NULL, delta bigint NOT "
       "NULL); CREATE INDEX {prefix}_log_id ON {prefix}_log (id)"},
      {"sql_teardown", "DELETE FROM {prefix}_log"},
      {"sql_add", "INSERT INTO {prefix}_log VALUES ($1, $2)"},
      {"sql_read",
       "SELECT (SELECT value FROM {table} WHERE id = $1) + coalesce((SELECT "
       "sum(delta) FROM {prefix}_log WHERE id = $1), 0)"},
      {"sql_take",
       "UPDATE {table} SET value = value - $2 WHERE id = $1 AND value >= $2 "
       "RETURNING value"}};
  Result<RunResult> r =
      ExecuteRun(Config(Strategy::kAtomic, mine), Postgres(), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->actual_total, 2000);
  EXPECT_EQ(r->effective_options["sql_add"], mine.at("sql_add"));
  RunConfig inventory = Config(Strategy::kAtomic, mine);
  inventory.kind = Kind::kInventory;
  inventory.stock = 300;
  inventory.keys = 1;
  r = ExecuteRun(inventory, Postgres(), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->counts.increments, 300);
  EXPECT_EQ(pg.Dump(), before);

  RunConfig racy = Config(
      Strategy::kAtomic,
      {{"url", pg.conninfo()},
       {"sql_add", "UPDATE {table} SET value = (SELECT value FROM {table} "
                   "WHERE id = $1) + $2 WHERE id = $1"}});
  racy.workers = 4;
  racy.keys = 1;
  racy.ops = 2000;
  r = ExecuteRun(racy, Postgres(), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->verified);
  EXPECT_NE(r->error.find("differ"), std::string::npos) << r->error;
  EXPECT_EQ(pg.Dump(), before);
}

// `ctrbench cleanup` drops what a killed run's sql_setup made, only once
// it is known to be made, and only under a run's name.
TEST_F(PostgresTest, CleanupDropsOnlyObjectsKnownToBeARunsOwn) {
  TestPostgres pg;
  ASSERT_EQ(pg.Sql("CREATE TABLE ctrbench_1_2_abc_log (id int); CREATE "
                   "TABLE ctrbench_3_4_def_log (id int); CREATE TABLE "
                   "accounts (id int)"),
            "");
  const UndoFn& undo = Postgres().undo;
  std::string done;
  auto entry = [&pg](const std::string& name, const std::string& state) {
    return LedgerFields{{"conninfo", pg.conninfo()}, {"kind", "TABLE"},
                        {"name", name}, {"state", state}};
  };
  EXPECT_TRUE(
      undo("postgres.object", entry("ctrbench_1_2_abc_log", "created"), &done)
          .ok());
  EXPECT_NE(done.find("ctrbench_1_2_abc_log"), std::string::npos);
  EXPECT_FALSE(
      undo("postgres.object", entry("ctrbench_3_4_def_log", "pending"), &done)
          .ok());
  EXPECT_FALSE(undo("postgres.object", entry("accounts", "created"), &done).ok());
  EXPECT_FALSE(undo("postgres.object",
                    entry("ctrbench_3_4_def_log; DROP TABLE accounts",
                          "created"),
                    &done)
                   .ok());
  EXPECT_EQ(pg.Sql("SELECT string_agg(tablename, ',' ORDER BY tablename) "
                   "FROM pg_tables WHERE schemaname = 'public'"),
            "accounts,ctrbench_3_4_def_log");
}

TEST_F(PostgresTest, ServerOptionsCannotBeSetForAUsersServer) {
  Result<std::unique_ptr<Backend>> b = Postgres().factory(
      {{"url", "host=/tmp"}, {"fsync", "on"}});
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("postgres.fsync"), std::string::npos);
}

TEST_F(PostgresTest, AnUnreachableServerFailsFast) {
  TempDir dir;
  const int64_t start = NowNs();
  Result<RunResult> r = ExecuteRun(
      Config(Strategy::kAtomic,
             {{"url", "host=" + dir.path() + " user=postgres"}}),
      Postgres(), nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->error.find("cannot connect"), std::string::npos) << r->error;
  EXPECT_LT(NowNs() - start, 20000000000LL) << "never a hang";
}

TEST_F(PostgresTest, AServerKilledMidRunFailsTheRunClearly) {
  TestPostgres pg;
  RunConfig c = Config(Strategy::kLock, {{"url", pg.conninfo()}});
  c.ops = 0;
  c.duration_ns = 20000000000LL;
  Result<RunResult> r = Status::IOError("not run");
  const int64_t start = NowNs();
  std::thread run([&] { r = ExecuteRun(c, Postgres(), nullptr); });
  usleep(1500000);
  kill(-pg.server()->pid(), SIGKILL);  // The postmaster and its backends.
  run.join();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->verified);
  EXPECT_NE(r->error.find("went away"), std::string::npos) << r->error;
  EXPECT_LT(NowNs() - start, 15000000000LL) << "never a hang";
}

TEST_F(PostgresTest, SerializableNaiveRetriesInsteadOfLosing) {
  ServerPool servers;
  RunConfig c = Config(Strategy::kNaive, {{"isolation", "serializable"}});
  c.keys = 1;
  c.ops = 2000;
  Result<RunResult> r = ExecuteRun(c, Postgres(), nullptr, nullptr, &servers);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->error.empty()) << r->error;
  EXPECT_EQ(r->lost_updates, 0);
  EXPECT_EQ(r->actual_total, r->expected_total);
  EXPECT_GT(r->counts.retries, 0) << "two workers on one row conflict";
  EXPECT_EQ(r->effective_options["isolation"], "serializable");
  // The server was kept: a second run with the same settings uses it.
  r = ExecuteRun(c, Postgres(), nullptr, nullptr, &servers);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->error.empty()) << r->error;
}

TEST_F(PostgresTest, AContendedRowShowsInTheWaitEventColumns) {
  ServerPool servers;
  RunConfig c = Config(Strategy::kLock, {});
  c.keys = 1;
  c.workers = 4;
  c.hold_ns = 200000;
  c.ops = 0;
  c.duration_ns = 1000000000;
  Result<RunResult> r = ExecuteRun(c, Postgres(), nullptr, nullptr, &servers);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_GT(r->stat("wait_samples").int_value(), 0);
  EXPECT_GT(r->stat("wait_lock_tuple").int_value() +
                r->stat("wait_lock_transactionid").int_value(),
            0);
  EXPECT_GT(r->counts.lock_wait_ns, 0);
  EXPECT_GT(r->stat("server_cpu_s").float_value(), 0);
}

TEST_F(PostgresTest, PipelineKeepsTotalsExact) {
  ServerPool servers;
  RunConfig c = Config(Strategy::kAtomic, {{"pipeline", "8"}});
  Result<RunResult> r = ExecuteRun(c, Postgres(), nullptr, nullptr, &servers);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->counts.increments, 2000);
  EXPECT_EQ(r->latency_samples, 2000) << "one per request, from its send";
}

// Transactions of several rows, taken in different orders by two workers,
// deadlock; PostgreSQL breaks each after deadlock_timeout (40P01), and the
// whole transaction runs again, counted as a retry.
TEST_F(PostgresTest, DeadlocksInGroupedTransactionsAreRetried) {
  ServerPool servers;
  RunConfig c = Config(Strategy::kAtomic,
                       {{"txn_ops", "16"}, {"deadlock_timeout_ms", "5"}});
  c.keys = 2;
  Result<RunResult> r = ExecuteRun(c, Postgres(), nullptr, nullptr, &servers);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(r->actual_total, 2000);
  EXPECT_GT(r->counts.retries, 0);
  EXPECT_EQ(r->effective_options["deadlock_timeout_ms"], "5");
}

// Connections of one worker in grouped transactions: an increment of one
// connection waits (on the server) for a row lock that another connection
// of the same worker holds in its open transaction. The loop commits each
// idle connection at once when it settles, so the run neither stalls
// until a reply timeout nor fails, at the warm-up's end and at its own.
TEST_F(PostgresTest, ConnectionsInGroupedTransactionsCommitWhenIdle) {
  ServerPool servers;
  for (Strategy s : {Strategy::kAtomic, Strategy::kLock}) {
    SCOPED_TRACE(StrategyName(s));
    // Connections deadlock with each other as workers do (PostgreSQL
    // sees those waits and breaks them after deadlock_timeout).
    RunConfig c = Config(s, {{"txn_ops", "5"}, {"deadlock_timeout_ms", "5"}});
    c.workers = 1;
    c.connections = 4;
    c.ops = 203;  // Not a multiple of txn_ops: transactions are left open.
    c.warmup_ns = 50000000;
    const int64_t start = NowNs();
    Result<RunResult> r = ExecuteRun(c, Postgres(), nullptr, nullptr, &servers);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->verified) << r->error;
    EXPECT_EQ(r->counts.errors, 0);
    EXPECT_EQ(r->counts.increments, 203);
    EXPECT_EQ(r->actual_total, r->expected_total);
    // Far from the 30 s reply timeout a stall would end in.
    EXPECT_LT(NowNs() - start, 20000000000LL);
  }
}

// The embedded server runs with PostgreSQL's own defaults: durable, each
// commit flushed (the row reads its settings back). The run line shows
// the options away from PostgreSQL's defaults: none of these by default,
// and fsync=off when a run turns it off.
TEST_F(PostgresTest, RunsDurableByDefaultAndTheLineSaysWhenNot) {
  TempDir dir;
  for (const bool fast : {false, true}) {
    SCOPED_TRACE(fast ? "fsync=off" : "defaults");
    const std::string csv = dir.File(fast ? "fast.csv" : "durable.csv");
    std::vector<std::string> args = {"run",     "--backend", "postgres",
                                     "--strategy", "atomic", "--workers",
                                     "1",       "--ops",     "50",
                                     "--out",   csv,         "--quiet"};
    if (fast) args.insert(args.end(), {"--set", "postgres.fsync=off"});
    const pid_t pid = testing_util::SpawnCtrbench(dir.path(), args);
    ASSERT_EQ(testing_util::WaitExit(pid), 0)
        << testing_util::ReadFile(dir.File("stderr.txt"));
    const auto rows = testing_util::ReadCsv(csv);
    ASSERT_EQ(rows.size(), 2u);
    const std::string options =
        testing_util::Column(rows, 1, "backend_options");
    EXPECT_NE(options.find(fast ? "fsync=off" : "fsync=on"), std::string::npos)
        << options;
    EXPECT_NE(options.find("synchronous_commit=on"), std::string::npos)
        << options;
    EXPECT_NE(options.find("full_page_writes=on"), std::string::npos)
        << options;
    const std::string out = testing_util::ReadFile(dir.File("stdout.txt"));
    const size_t at = out.find("[1/1] postgres");
    ASSERT_NE(at, std::string::npos) << out;
    const std::string line = out.substr(at, out.find('\n', at) - at);
    if (fast) {
      EXPECT_NE(line.find(" [fsync=off]"), std::string::npos) << line;
    } else {
      EXPECT_EQ(line.find('[', 1), std::string::npos) << line;
    }
  }
}

// The postmaster a running ctrbench started (not initdb before it), and
// its data directory; 0 if none shows up within a minute.
pid_t EmbeddedPostmaster(pid_t ctrbench, std::string* data_dir) {
  const int64_t deadline = NowNs() + 60000000000LL;
  while (NowNs() < deadline) {
    for (pid_t child : testing_util::ChildrenOf(ctrbench)) {
      const std::string cmdline = testing_util::ReadFile(
          "/proc/" + std::to_string(child) + "/cmdline");
      const std::string argv0 = cmdline.substr(0, cmdline.find('\0'));
      const size_t d = cmdline.find(std::string("-D\0", 3));
      if (argv0.size() >= 9 &&
          argv0.compare(argv0.size() - 9, 9, "/postgres") == 0 &&
          d != std::string::npos) {
        *data_dir = cmdline.substr(d + 3, cmdline.find('\0', d + 3) - d - 3);
        return child;
      }
    }
    usleep(20000);
  }
  return 0;
}

// Processes whose command line holds `text`.
int ProcessesMentioning(const std::string& text) {
  int n = 0;
  for (const std::string& entry : EntriesOf("/proc")) {
    if (entry.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline =
        testing_util::ReadFile("/proc/" + entry + "/cmdline");
    if (cmdline.find(text) != std::string::npos) ++n;
  }
  return n;
}

TEST_F(PostgresTest, CtrlCLeavesNoServerSocketOrDataDirectory) {
  TempDir dir;
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "postgres", "--strategy", "lock",
                   "--duration", "30s", "--quiet", "--out",
                   dir.File("out.csv")});
  std::string data_dir;
  const pid_t server = EmbeddedPostmaster(pid, &data_dir);
  ASSERT_GT(server, 0);
  ASSERT_FALSE(data_dir.empty());
  usleep(500000);
  kill(pid, SIGINT);
  EXPECT_NE(testing_util::WaitExit(pid), 0);
  EXPECT_NE(kill(server, 0), 0) << "the postmaster is gone";
  struct stat st;
  const std::string cluster_dir = data_dir.substr(0, data_dir.rfind('/'));
  EXPECT_NE(stat(cluster_dir.c_str(), &st), 0) << cluster_dir;
  // No backend of that server is left either.
  EXPECT_EQ(ProcessesMentioning(cluster_dir), 0);
}

// The names of PostgreSQL's dynamic shared memory segments in /dev/shm.
std::vector<std::string> PostgresSegments() {
  std::vector<std::string> names;
  for (const std::string& name : EntriesOf("/dev/shm")) {
    if (name.rfind("PostgreSQL.", 0) == 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A postmaster stopped (SIGSTOP) during the run does not stop at teardown:
// it is killed, the run says so, and nothing of it is left, in /dev/shm
// either (its segments live in its data directory).
TEST_F(PostgresTest, AStoppedPostmasterIsKilledSaidAndLeavesNothing) {
  TempDir dir, tmp;
  testing_util::ScopedEnv tmp_env("TMPDIR", tmp.path());
  testing_util::ScopedEnv state_env("CTRBENCH_STATE_DIR", dir.File("state"));
  const std::vector<std::string> before = PostgresSegments();
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "postgres", "--strategy", "atomic",
                   "--duration", "2s", "--out", dir.File("out.csv")});
  std::string data_dir;
  const pid_t server = EmbeddedPostmaster(pid, &data_dir);
  ASSERT_GT(server, 0);
  usleep(1000000);
  kill(server, SIGSTOP);
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("did not stop"), std::string::npos) << err;
  EXPECT_NE(kill(server, 0), 0) << "the postmaster is gone";
  EXPECT_TRUE(tmp.List().empty());
  for (const std::string& name : PostgresSegments()) {
    EXPECT_TRUE(std::binary_search(before.begin(), before.end(), name))
        << "/dev/shm/" << name << " was left";
  }
}

// A server that cannot start: the error carries what its log said (the
// log itself goes with the run's directory).
TEST_F(PostgresTest, AServerThatCannotStartSaysWhatItsLogSaid) {
  TempDir dir, tmp;
  testing_util::ScopedEnv tmp_env("TMPDIR", tmp.path());
  testing_util::ScopedEnv state_env("CTRBENCH_STATE_DIR", dir.File("state"));
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "postgres", "--strategy", "atomic",
                   "--ops", "10", "--set", "postgres.shared_buffers=999999999GB",
                   "--out", dir.File("out.csv")});
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("the last lines of its log"), std::string::npos) << err;
  EXPECT_NE(err.find("shared_buffers"), std::string::npos) << err;
  EXPECT_TRUE(tmp.List().empty());
}

TEST_F(PostgresTest, RunsAsAnUnprivilegedUserToo) {
  if (geteuid() != 0) GTEST_SKIP() << "runs as root only (it switches user)";
  const passwd* nobody = getpwnam("nobody");
  if (nobody == nullptr) GTEST_SKIP() << "no user nobody";
  // A directory nobody can reach, with a copy of the binary in it.
  char pattern[] = "/tmp/ctrbench-pguser-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  ASSERT_EQ(chmod(dir.c_str(), 0755), 0);
  ASSERT_EQ(std::system(("cp " + std::string(CTRBENCH_BINARY) + " " + dir +
                         "/ctrbench").c_str()),
            0);
  const std::string work = dir + "/work";
  ASSERT_EQ(mkdir(work.c_str(), 0700), 0);
  ASSERT_EQ(chown(work.c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  const std::string command =
      "runuser -u nobody -- env CTRBENCH_STATE_DIR=" + work +
      "/state TMPDIR=" + work + " " + dir +
      "/ctrbench run --backend postgres --strategy lock --workers 2 --ops "
      "500 --quiet --out " + work + "/out.csv 2>&1";
  const std::string out = Output(command);
  const auto rows = testing_util::ReadCsv(work + "/out.csv");
  ASSERT_EQ(rows.size(), 2u) << out;
  EXPECT_EQ(testing_util::Column(rows, 1, "verified"), "true") << out;
  RemoveTree(dir, nullptr).ok();
}

}  // namespace
}  // namespace ctrbench
