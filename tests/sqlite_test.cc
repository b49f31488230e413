// Tests of the sqlite backend beyond the shared conformance suite: journal
// modes, transactions of several increments, lost updates under naive, a
// user's database file, and the bad paths (bad locations, a database locked
// by another process, a worker killed inside a transaction).

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "counters/clock.h"
#include "counters/runner.h"
#include "counters/sweep.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::Column;
using testing_util::TempDir;

const BackendInfo& Sqlite() {
  return *testing_util::BuiltinRegistry().Find("sqlite");
}

RunConfig Config(Strategy strategy, WorkerMode mode, OptionMap options = {}) {
  RunConfig c;
  c.scenario = "sqlite_test";
  c.backend = "sqlite";
  c.options = std::move(options);
  c.strategy = strategy;
  c.mode = mode;
  c.workers = 2;
  c.keys = 1;
  c.ops = 1000;
  return c;
}

RunResult RunSqlite(const RunConfig& config) {
  Result<RunResult> r = ExecuteRun(config, Sqlite(), nullptr);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : RunResult{};
}

// Coordinated omission is not hidden: a locked row with a 1 ms hold takes
// about 1,000 increments/s; offered 2,000/s for 2 s, the backlog shows in
// the response time (hundreds of milliseconds at p99), while the service
// time of each increment stays near the hold.
TEST(Sqlite, OpenLoopPastCapacityShowsTheBacklogInResponseTime) {
  RunConfig c = Config(Strategy::kLock, WorkerMode::kThreads);
  c.ops = 0;
  c.duration_ns = 2000000000;
  c.hold_ns = 1000000;
  c.rate = 2000;
  const RunResult r = RunSqlite(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_LT(r.rate_achieved, 1500);
  EXPECT_GT(r.counts.unsent_ops, 0);
  EXPECT_GT(r.resp_p99_us, 100000) << "hundreds of milliseconds";
  EXPECT_LT(r.lat_p99_us, 30000) << "near the hold (and a lock wait)";
  EXPECT_GT(r.resp_p99_us, 10 * r.lat_p99_us);
}

// Runs one SQL statement on `path` and returns the first column of the
// first row as text ("" when there is none).
std::string Query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      value = text ? reinterpret_cast<const char*>(text) : "";
    }
  } else {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

TEST(SqliteBackend, AppliesEachJournalModeAndRemovesItsFiles) {
  for (const char* mode : {"wal", "delete", "truncate"}) {
    SCOPED_TRACE(mode);
    TempDir dir;
    Result<std::unique_ptr<Backend>> backend =
        Sqlite().factory({{"path", dir.path()}, {"journal_mode", mode}});
    ASSERT_TRUE(backend.ok()) << backend.status().ToString();
    SetupSpec spec;
    spec.counters = 3;
    spec.strategy = Strategy::kLock;
    spec.run_id = "jm-1";
    ASSERT_TRUE((*backend)->Setup(spec).ok());
    const std::string db = dir.File("ctrbench-jm-1.db");
    EXPECT_EQ(Query(db, "SELECT count(*) FROM counters"), "3");
    {
      // One committed transaction shows the mode in the files it leaves:
      // WAL keeps a -wal file, truncate an empty -journal, delete none.
      WorkerTally tally;
      OwnedAcks acks(&tally, 3);
      Result<std::unique_ptr<Session>> session = (*backend)->Connect(0, &tally);
      ASSERT_TRUE(session.ok()) << session.status().ToString();
      ASSERT_TRUE((*session)->Add(1, 7).ok());
      EXPECT_EQ(tally.Acked(1), 7);
      const std::vector<std::string> files = dir.List();
      auto has = [&files](const std::string& name) {
        return std::find(files.begin(), files.end(), name) != files.end();
      };
      const std::string m = mode;
      EXPECT_EQ(has("ctrbench-jm-1.db-wal"), m == "wal");
      EXPECT_EQ(has("ctrbench-jm-1.db-journal"), m == "truncate");
      if (m == "truncate") {
        EXPECT_EQ(testing_util::ReadFile(dir.File("ctrbench-jm-1.db-journal")),
                  "");
      }
    }
    if (std::string(mode) == "wal") {
      EXPECT_EQ(Query(db, "PRAGMA journal_mode"), "wal");
    }
    ASSERT_TRUE((*backend)->Teardown().ok());
    EXPECT_TRUE(dir.List().empty());

    // And a real run in that mode, with processes.
    const RunResult r = RunSqlite(Config(Strategy::kLock, WorkerMode::kProcesses,
                                   {{"path", dir.path()},
                                    {"journal_mode", mode}}));
    EXPECT_TRUE(r.verified) << r.error;
    EXPECT_EQ(r.actual_total, 2000);
    EXPECT_TRUE(dir.List().empty());
  }
}

TEST(SqliteBackend, DefaultLocationIsATemporaryDirectoryItRemoves) {
  TempDir tmp;
  testing_util::ScopedEnv tmpdir("TMPDIR", tmp.path());
  Result<std::unique_ptr<Backend>> backend = Sqlite().factory({});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.run_id = NewRunId();
  ASSERT_TRUE((*backend)->Setup(spec).ok());
  const std::vector<std::string> during = tmp.List();
  ASSERT_EQ(during.size(), 1u);
  EXPECT_EQ(during[0].rfind("ctrbench-sqlite-", 0), 0u);
  ASSERT_TRUE((*backend)->Teardown().ok());
  EXPECT_TRUE(tmp.List().empty());
}

TEST(SqliteBackend, TransactionsOfManyIncrementsKeepTotalsExact) {
  for (Strategy s : {Strategy::kAtomic, Strategy::kLock}) {
    for (WorkerMode m : {WorkerMode::kThreads, WorkerMode::kProcesses}) {
      SCOPED_TRACE(std::string(StrategyName(s)) + " " + WorkerModeName(m));
      RunConfig c = Config(s, m, {{"txn_ops", "100"}});
      c.ops = 1001;  // The last, partial transaction commits in Flush.
      c.keys = 4;
      const RunResult r = RunSqlite(c);
      EXPECT_TRUE(r.verified) << r.error;
      EXPECT_EQ(r.expected_total, 2002);
      EXPECT_EQ(r.actual_total, 2002);
    }
  }
}

TEST(SqliteBackend, TxnOpsIsRefusedForCasAndNaive) {
  const Registry& registry = testing_util::BuiltinRegistry();
  Scenario s = DefaultScenario();
  s.source = "test";
  s.backends = {"sqlite"};
  ASSERT_TRUE(ApplyOverride(&s, "strategies", "cas", "--strategy").ok());
  s.backend_options["sqlite"] = {{"txn_ops", {"10"}}};
  Result<SweepPlan> plan = PlanSweep(s, registry);
  ASSERT_FALSE(plan.ok());
  EXPECT_TRUE(plan.status().IsInvalidArgument());
  EXPECT_NE(plan.status().message().find("atomic and lock only"),
            std::string::npos)
      << plan.status().message();
  // In a larger sweep the combination is skipped with a note.
  ASSERT_TRUE(
      ApplyOverride(&s, "strategies", "atomic,naive", "--strategy").ok());
  plan = PlanSweep(s, registry);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->runs.size(), 1u);
  ASSERT_EQ(plan->notes.size(), 1u);
  EXPECT_NE(plan->notes[0].find("naive"), std::string::npos);
}

// A statistical property: with two processes writing one row, naive loses
// updates in at least one of several short runs with a widened window.
TEST(SqliteBackend, NaiveLosesUpdatesWithTwoProcesses) {
  int64_t lost = 0;
  for (int attempt = 0; attempt < 8 && lost == 0; ++attempt) {
    RunConfig c = Config(Strategy::kNaive, WorkerMode::kProcesses);
    c.ops = 300;
    c.hold_ns = 200000;
    const RunResult r = RunSqlite(c);
    EXPECT_TRUE(r.verified) << r.error;
    EXPECT_EQ(r.expected_total, 600);
    lost += r.lost_updates;
  }
  EXPECT_GT(lost, 0);
}

TEST(SqliteBackend, RejectsBadOptionValues) {
  struct Case {
    OptionMap options;
    const char* fragment;
  };
  const Case cases[] = {
      {{{"journal_mode", "memory"}}, "wal, delete, truncate"},
      {{{"synchronous", "extra"}}, "off, normal, full"},
      {{{"busy", "forever"}}, "timeout:MS or retry:MS"},
      {{{"busy", "retry:0"}}, "timeout:MS or retry:MS"},
      {{{"txn_ops", "0"}}, "an integer from 1"},
      {{{"path", "/nonexistent/ctrbench"}}, "existing directory"},
  };
  for (const Case& c : cases) {
    Result<std::unique_ptr<Backend>> backend = Sqlite().factory(c.options);
    ASSERT_FALSE(backend.ok());
    EXPECT_TRUE(backend.status().IsInvalidArgument());
    EXPECT_NE(backend.status().message().find(c.fragment), std::string::npos)
        << backend.status().message();
    EXPECT_NE(backend.status().message().find("sqlite."), std::string::npos);
  }
}

TEST(SqliteBackend, BadLocationsFailClearly) {
  TempDir dir;
  const std::string not_db = dir.File("notes.txt");
  std::ofstream(not_db) << "this is not a database, just some text that is "
                           "long enough to have a header of sorts\n";
  RunResult r = RunSqlite(Config(Strategy::kAtomic, WorkerMode::kThreads,
                           {{"path", not_db}}));
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.error.find("not a database"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find(not_db), std::string::npos) << r.error;
  EXPECT_EQ(testing_util::ReadFile(not_db).substr(0, 4), "this");

  // Not even root can create files in /proc.
  r = RunSqlite(Config(Strategy::kAtomic, WorkerMode::kThreads, {{"path", "/proc"}}));
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.error.find("/proc"), std::string::npos) << r.error;
}

TEST(SqliteBackend, LeavesAUsersDatabaseAsItWas) {
  TempDir dir;
  const std::string db = dir.File("mine.db");
  Query(db, "PRAGMA journal_mode=delete");
  Query(db, "CREATE TABLE keep(x)");
  Query(db, "INSERT INTO keep VALUES (42)");
  const RunResult r = RunSqlite(Config(Strategy::kLock, WorkerMode::kProcesses,
                                 {{"path", db}, {"journal_mode", "wal"}}));
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_EQ(r.actual_total, 2000);
  EXPECT_EQ(Query(db, "SELECT x FROM keep"), "42");
  EXPECT_EQ(Query(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                      "'ctrbench%'"),
            "0");
  EXPECT_EQ(Query(db, "PRAGMA journal_mode"), "delete");
  EXPECT_EQ(dir.List(), std::vector<std::string>{"mine.db"});
}

// With batch B the timed operation is the Add(B) that reaches SQLite, not
// each logical increment (most of them a local += 1): the batched p50 is of
// the order of the unbatched one, and there is one sample per backend call.
TEST(SqliteBackend, LatencyIsOfTheBackendCallNotOfLogicalIncrements) {
  RunConfig plain = Config(Strategy::kAtomic, WorkerMode::kThreads);
  plain.workers = 1;
  plain.ops = 2000;
  RunConfig batched = plain;
  batched.batch = 100;
  batched.ops = 20000;
  const RunResult p = RunSqlite(plain);
  const RunResult b = RunSqlite(batched);
  ASSERT_TRUE(p.verified && b.verified) << p.error << b.error;
  EXPECT_EQ(b.counts.ops, 200);
  EXPECT_EQ(b.latency_samples, b.counts.ops);
  EXPECT_EQ(p.latency_samples, p.counts.ops);
  EXPECT_GT(b.lat_p50_us, 0.3 * p.lat_p50_us)
      << "batched p50 " << b.lat_p50_us << " us, unbatched " << p.lat_p50_us;

  // A read of a sharded counter is one timed Read per shard.
  RunConfig reads = plain;
  reads.shards = 4;
  reads.read_fraction = 0.5;
  const RunResult r = RunSqlite(reads);
  ASSERT_TRUE(r.verified) << r.error;
  EXPECT_GT(r.counts.ops, plain.ops);  // Reads of 4 shards are 4 operations.
  EXPECT_EQ(r.latency_samples, r.counts.ops);
}

// Writers that never pause starve SQLite's automatic checkpoints and grow
// the WAL by hundreds of MB a second; the session checkpoints past
// wal_limit_mb, and the row shows the peak.
TEST(SqliteBackend, KeepsTheWalBounded) {
  RunConfig c = Config(Strategy::kAtomic, WorkerMode::kThreads,
                       {{"wal_limit_mb", "4"}});
  c.ops = 0;
  c.duration_ns = 1500000000;
  const RunResult r = RunSqlite(c);
  ASSERT_TRUE(r.verified) << r.error;
  EXPECT_GT(r.counts.disk_peak_bytes, 0);
  EXPECT_LT(r.counts.disk_peak_bytes, 24 << 20) << "bytes, with a 4 MB WAL limit";
  EXPECT_EQ(r.effective_options.at("wal_limit_mb"), "4");
}

// A teardown that fails (the user's database is locked) keeps what it
// could not undo, in the backend for a second try and in the ledger for
// `ctrbench cleanup`; the second try then forgets it.
TEST(SqliteBackend, AFailedTeardownKeepsItsLedgerEntries) {
  TempDir dir, state;
  testing_util::ScopedEnv state_env("CTRBENCH_STATE_DIR", state.path());
  const std::string db = dir.File("mine.db");
  Query(db, "PRAGMA journal_mode=delete");
  Query(db, "CREATE TABLE users_own(x)");  // A database, not empty.
  Result<std::unique_ptr<Ledger>> ledger = Ledger::Open();
  ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
  Result<std::unique_ptr<Backend>> backend =
      Sqlite().factory({{"path", db}, {"busy", "retry:50"}});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 2;
  spec.run_id = NewRunId();
  spec.ledger = ledger->get();
  ASSERT_TRUE((*backend)->Setup(spec).ok());
  EXPECT_NE(testing_util::ReadFile((*ledger)->path()).find("state=created"),
            std::string::npos);
  // Another process holds the database: the DROP cannot get in.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_FALSE((*backend)->Teardown().ok());
  EXPECT_NE(testing_util::ReadFile((*ledger)->path()).find("sqlite.table"),
            std::string::npos);
  sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(blocker);
  EXPECT_TRUE((*backend)->Teardown().ok());  // The second try.
  EXPECT_EQ(testing_util::ReadFile((*ledger)->path()).find("sqlite.table"),
            std::string::npos);
  EXPECT_EQ(Query(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                      "'ctrbench%'"),
            "0");
}

// The user's own statements in a user's database: rows appended and
// summed on read verify (threads and processes), and the database keeps
// only what it had; a take that does not check the stock oversells, and
// the stock check catches it. A CREATE of something not the run's is
// refused before anything runs.
TEST(SqliteBackend, TheUsersOwnStatementsRunAndARacyOneIsCaught) {
  TempDir dir;
  const std::string db = dir.File("mine.db");
  Query(db, "CREATE TABLE keep(x)");
  Query(db, "INSERT INTO keep VALUES (42)");
  const OptionMap mine = {
      {"path", db},
      {"sql_setup",
       "CREATE TABLE {prefix}_log (id INTEGER NOT NULL, delta INTEGER NOT "
       "NULL); CREATE INDEX {prefix}_log_id ON {prefix}_log (id)"},
      {"sql_add", "INSERT INTO {prefix}_log VALUES (?1, ?2)"},
      {"sql_read",
       "SELECT (SELECT value FROM {table} WHERE id = ?1) + coalesce((SELECT "
       "sum(delta) FROM {prefix}_log WHERE id = ?1), 0)"}};
  for (WorkerMode mode : {WorkerMode::kThreads, WorkerMode::kProcesses}) {
    const RunResult r = RunSqlite(Config(Strategy::kAtomic, mode, mine));
    EXPECT_TRUE(r.verified) << r.error;
    EXPECT_EQ(r.actual_total, 2000);
    EXPECT_EQ(r.effective_options.at("sql_add"), mine.at("sql_add"));
  }
  EXPECT_EQ(Query(db, "SELECT group_concat(name) FROM sqlite_master"), "keep");

  RunConfig racy = Config(
      Strategy::kAtomic, WorkerMode::kThreads,
      {{"path", db},
       {"sql_take", "UPDATE {table} SET value = value - ?2 WHERE id = ?1"}});
  racy.kind = Kind::kInventory;
  racy.stock = 300;
  const RunResult r = RunSqlite(racy);
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.error.find("oversold"), std::string::npos) << r.error;
  EXPECT_EQ(Query(db, "SELECT group_concat(name) FROM sqlite_master"), "keep");
  EXPECT_EQ(Query(db, "SELECT x FROM keep"), "42");

  Result<std::unique_ptr<Backend>> refused = Sqlite().factory(
      {{"path", db}, {"sql_setup", "CREATE INDEX {prefix}_i ON keep (x)"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("never on a table of yours"),
            std::string::npos)
      << refused.status().ToString();
}

// `ctrbench cleanup` drops what a killed run's sql_setup made in a user's
// file, only once it is known to be made, and only under a run's name.
TEST(SqliteBackend, CleanupDropsOnlyObjectsKnownToBeARunsOwn) {
  TempDir dir;
  const std::string db = dir.File("mine.db");
  Query(db, "CREATE TABLE keep(x)");
  Query(db, "CREATE TABLE ctrbench_1_2_abc_log(x)");
  Query(db, "CREATE TABLE ctrbench_3_4_def_log(x)");
  auto entry = [&db](const std::string& name, const std::string& state) {
    return LedgerFields{{"file", db}, {"kind", "TABLE"}, {"name", name},
                        {"state", state}};
  };
  std::string done;
  EXPECT_TRUE(
      Sqlite().undo("sqlite.object", entry("ctrbench_1_2_abc_log", "created"),
                    &done)
          .ok());
  EXPECT_NE(done.find("ctrbench_1_2_abc_log"), std::string::npos);
  EXPECT_FALSE(
      Sqlite().undo("sqlite.object", entry("ctrbench_3_4_def_log", "pending"),
                    &done)
          .ok());
  EXPECT_FALSE(
      Sqlite().undo("sqlite.object", entry("keep", "created"), &done).ok());
  EXPECT_EQ(Query(db, "SELECT group_concat(name) FROM (SELECT name FROM "
                      "sqlite_master ORDER BY name)"),
            "ctrbench_3_4_def_log,keep");
}

// A table of the run's name that exists already is the user's: the run
// fails, and the table, its rows and the journal mode survive.
TEST(SqliteBackend, NeverDropsAUsersTableOfTheSameName) {
  TempDir dir;
  const std::string db = dir.File("mine.db");
  Query(db, "PRAGMA journal_mode=delete");
  Query(db, "CREATE TABLE ctrbench_77_0_00000000abcd(id, value)");
  Query(db, "INSERT INTO ctrbench_77_0_00000000abcd VALUES (1, 'user data')");
  Result<std::unique_ptr<Backend>> backend =
      Sqlite().factory({{"path", db}, {"journal_mode", "wal"}});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 4;
  spec.run_id = "77-0-00000000abcd";
  const Status st = (*backend)->Setup(spec);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("exists already"), std::string::npos)
      << st.message();
  EXPECT_TRUE((*backend)->Teardown().ok());
  backend->reset();
  EXPECT_EQ(Query(db, "SELECT value FROM ctrbench_77_0_00000000abcd"),
            "user data");
  EXPECT_EQ(Query(db, "PRAGMA journal_mode"), "delete");
}

// In a directory, a file of the run's database name is not ours either.
TEST(SqliteBackend, NeverRemovesAUsersFileOfTheSameName) {
  TempDir dir;
  const std::string planted = dir.File("ctrbench-77-0-00000000abcd.db");
  { std::ofstream(planted) << "not ours"; }
  Result<std::unique_ptr<Backend>> backend =
      Sqlite().factory({{"path", dir.path()}});
  ASSERT_TRUE(backend.ok());
  SetupSpec spec;
  spec.counters = 4;
  spec.run_id = "77-0-00000000abcd";
  const Status st = (*backend)->Setup(spec);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("exists already"), std::string::npos)
      << st.message();
  backend->reset();
  EXPECT_EQ(testing_util::ReadFile(planted), "not ours");
  EXPECT_EQ(dir.List(),
            std::vector<std::string>{"ctrbench-77-0-00000000abcd.db"});
}

// A user's file keeps its own journal mode unless told otherwise; the row
// says which mode the run had, and so does the per-run line when it is
// not SQLite's own default (delete).
TEST(SqliteBackend, RecordsTheJournalModeAUsersFileHad) {
  for (const std::string mode : {"delete", "wal"}) {
    SCOPED_TRACE(mode);
    TempDir dir;
    const std::string db = dir.File("mine.db");
    Query(db, "PRAGMA journal_mode=" + mode);
    Query(db, "CREATE TABLE users_own(x)");  // A database, not empty.
    const pid_t pid = testing_util::SpawnCtrbench(
        dir.path(), {"run", "--backend", "sqlite", "--strategy", "atomic",
                     "--ops", "50", "--set", "sqlite.path=" + db, "--out",
                     "r.csv", "--quiet"});
    ASSERT_EQ(testing_util::WaitExit(pid), 0)
        << testing_util::ReadFile(dir.File("stderr.txt"));
    const auto rows = testing_util::ReadCsv(dir.File("r.csv"));
    ASSERT_EQ(rows.size(), 2u);
    const std::string options = Column(rows, 1, "backend_options");
    EXPECT_NE(options.find("journal_mode=" + mode), std::string::npos)
        << options;
    EXPECT_NE(options.find("synchronous=normal"), std::string::npos)
        << options;
    EXPECT_NE(options.find("path=" + db), std::string::npos) << options;
    // The run line's options: the path asked for, synchronous = normal
    // (SQLite's own is full), and the WAL (SQLite's own is delete).
    const std::string line = testing_util::ReadFile(dir.File("stdout.txt"));
    const std::string shown =
        (mode == "wal" ? "[journal_mode=wal;path=" : "[path=") + db +
        ";synchronous=normal]";
    EXPECT_NE(line.find(shown), std::string::npos) << line;
  }
}

TEST(SqliteBackend, ADatabaseLockedByAnotherProcessFailsWithinTheBusyLimit) {
  TempDir dir;
  const std::string db = dir.File("locked.db");
  Query(db, "PRAGMA journal_mode=delete");
  Query(db, "CREATE TABLE t(x)");
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t holder = fork();
  if (holder == 0) {
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_exec(h, "BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);", nullptr,
                 nullptr, nullptr);
    if (write(ready[1], "x", 1) != 1) _exit(1);
    pause();  // Holds the lock until killed.
    _exit(0);
  }
  char byte;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  const int64_t start = NowNs();
  const RunResult r = RunSqlite(Config(Strategy::kAtomic, WorkerMode::kThreads,
                                 {{"path", db}, {"busy", "retry:300"}}));
  const double seconds = (NowNs() - start) / 1e9;
  kill(holder, SIGKILL);
  waitpid(holder, nullptr, 0);
  close(ready[0]);
  close(ready[1]);
  EXPECT_FALSE(r.verified);
  EXPECT_NE(r.error.find("locked"), std::string::npos) << r.error;
  EXPECT_LT(seconds, 3.0);
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), "ok");
}

TEST(SqliteBackend, WorkerKilledInsideATransactionLeavesTheDatabaseIntact) {
  TempDir dir;
  const std::string db = dir.File("kept.db");
  Query(db, "CREATE TABLE keep(x)");
  const pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "sqlite", "--set", "sqlite.path=" + db,
                   "--strategy", "lock", "--mode", "processes", "--workers",
                   "2", "--hold", "2ms", "--duration", "20s", "--out",
                   "k.csv", "--quiet"});
  const std::vector<pid_t> kids = testing_util::WaitForChildren(pid, 2, 10000);
  ASSERT_EQ(kids.size(), 2u);
  usleep(300000);
  const int64_t start = NowNs();
  kill(kids[1], SIGKILL);
  EXPECT_EQ(testing_util::WaitExit(pid), 1);
  EXPECT_LT(NowNs() - start, 5LL * 1000000000);
  const std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("pid " + std::to_string(kids[1])), std::string::npos)
      << err;
  const auto rows = testing_util::ReadCsv(dir.File("k.csv"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Column(rows, 1, "verified"), "false");
  EXPECT_EQ(Query(db, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Query(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                      "'ctrbench%'"),
            "0");
}

TEST(SqliteBackend, CommandLineRejectsBadOptionsWithExitTwo) {
  TempDir dir;
  pid_t pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "sqlite", "--set",
                   "sqlite.journal_mode=memory"});
  EXPECT_EQ(testing_util::WaitExit(pid), 2);
  std::string err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("sqlite.journal_mode"), std::string::npos) << err;
  EXPECT_NE(err.find("wal, delete, truncate"), std::string::npos) << err;

  pid = testing_util::SpawnCtrbench(
      dir.path(), {"run", "--backend", "sqlite", "--strategy", "cas", "--set",
                   "sqlite.txn_ops=10"});
  EXPECT_EQ(testing_util::WaitExit(pid), 2);
  err = testing_util::ReadFile(dir.File("stderr.txt"));
  EXPECT_NE(err.find("atomic and lock only"), std::string::npos) << err;
}

}  // namespace
}  // namespace ctrbench

namespace ctrbench {
namespace {

// Coordinated omission is not hidden: offered twice what it can do (a
// 1 ms hold under the database lock admits about 1,000/s), the backlog
// shows in the response time (hundreds of ms by the end) while each call's
// own service time stays near the hold.
TEST(SqliteBackend, OpenLoopOverloadShowsInResponseTimeNotServiceTime) {
  RunConfig c = Config(Strategy::kLock, WorkerMode::kThreads);
  c.ops = 0;
  c.duration_ns = 2000000000;
  c.hold_ns = 1000000;
  c.rate = 2000;
  c.latency_limit_ns = 50000000;
  const RunResult r = RunSqlite(c);
  EXPECT_TRUE(r.verified) << r.error;
  EXPECT_LT(r.rate_achieved, 1500);
  EXPECT_GT(r.resp_p99_us, 200000) << "the backlog, in microseconds";
  EXPECT_LT(r.lat_p99_us, 50000) << "a call itself waits for one holder";
  EXPECT_GT(r.counts.late_ops, 0);
  EXPECT_GT(r.counts.unsent_ops, 500) << "offered about 4,000, sent about 2,000";
  EXPECT_GT(r.counts.sched_lag_max_ns, 200000000);
}

}  // namespace
}  // namespace ctrbench
