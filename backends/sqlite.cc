#include "backends/sqlite.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backends/options.h"
#include "backends/sqlite_db.h"
#include "backends/sqlite_options.h"
#include "backends/server_process.h"
#include "counters/backoff.h"
#include "counters/clock.h"
#include "counters/strategy.h"
#include "counters/workload.h"

namespace ctrbench {

namespace {

// SQLite, wrapped: backends/sqlite_db.h.
using sqlite::BindUser;
using sqlite::BusyBackoff;
using sqlite::BusyPolicy;
using sqlite::DbPtr;
using sqlite::Exec;
using sqlite::ExecSql;
using sqlite::OpenDb;
using sqlite::Prepare;
using sqlite::QueryText;
using sqlite::SqliteError;
using sqlite::StmtPtr;

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Removes a database file a run made in a user's directory, if it is still
// the one made (`id`), and the journal files SQLite made beside it, if they
// are regular files of ours: never a link, never another user's file.
Status RemoveDbFiles(const std::string& path, const FileId& id) {
  Status status = RemoveFile(path, &id);
  // Not the file made: its journals are not the run's either.
  if (status.IsInvalidArgument()) return status.WithContext("sqlite");
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    Status st = RemoveFile(path + suffix, nullptr);
    if (status.ok() && !st.ok()) status = st;
  }
  return status.ok() ? status : status.WithContext("sqlite");
}

// ---------------------------------------------------------------- session

// SQLite's requests for the strategy layer (counters/strategy.h), run as
// they are sent. BEGIN IMMEDIATE takes the database's write lock, so it is
// also the lock of the `lock` strategy (kLock and kUnlock do nothing); a
// statement that finds the database locked answers kBusy, and the strategy
// layer sends it again after its backoff.
class SqlitePrimitives final : public Primitives {
 public:
  // `journal_mode` is the mode to set on the connection, or empty to keep
  // the file's.
  static Result<std::unique_ptr<SqlitePrimitives>> Open(
      const std::string& path, const std::string& table,
      const std::string& journal_mode, const SqliteOptions& options,
      const UserSql& user, int worker, WorkerTally* tally) {
    Result<DbPtr> db = OpenDb(path, options, /*create=*/false);
    if (!db.ok()) return db.status();
    std::unique_ptr<SqlitePrimitives> p(
        new SqlitePrimitives(std::move(*db), options, worker, tally));
    p->journal_mode_ = journal_mode;
    p->path_ = path;
    Status st = p->PrepareAll(table, user);
    if (!st.ok()) return st;
    return p;
  }

  ~SqlitePrimitives() override {
    if (!sqlite3_get_autocommit(db_.get())) {
      Exec(db_.get(), rollback_.get(), &busy_, nullptr, "ROLLBACK").ok();
    }
  }

  void Send(const Request& r) override { replies_.push_back(Run(r)); }

  Reply Receive() override {
    Reply r = std::move(replies_.front());
    replies_.erase(replies_.begin());
    return r;
  }

 private:
  SqlitePrimitives(DbPtr db, const SqliteOptions& options, int worker,
                   WorkerTally* tally)
      : db_(std::move(db)),
        options_(options),
        tally_(tally),
        busy_(options, 0x5eed0000ULL + worker) {}

  Reply Run(const Request& r) {
    switch (r.prim) {
      case Prim::kBegin: return Step(begin_.get(), "BEGIN IMMEDIATE");
      case Prim::kIncrement:
        if (user_add_) {
          BindUser(add_.get(), r.counter, r.value);
          return Step(add_.get(), "sql_add");
        }
        Bind(add_.get(), r.value, r.counter);
        return Step(add_.get(), "UPDATE +");
      case Prim::kLock:
      case Prim::kUnlock:
        return Reply::Done();  // BEGIN IMMEDIATE holds the lock.
      case Prim::kRead:
        BindUser(get_.get(), r.counter, 0);  // Ours has ?1 only.
        return Select(get_.get(), r.counter, user_read_ ? "sql_read" : "SELECT");
      case Prim::kWrite:
        Bind(set_.get(), r.value, r.counter);
        return Step(set_.get(), "UPDATE set");
      case Prim::kCompareAndSet: {
        Bind(cas_.get(), r.value, r.counter);
        sqlite3_bind_int64(cas_.get(), 3, r.expected);
        Reply done = Step(cas_.get(), "UPDATE cas");
        if (done.outcome == Reply::Outcome::kDone &&
            sqlite3_changes(db_.get()) != 1) {
          return Reply::Conflict();  // Written between our read and this.
        }
        return done;
      }
      case Prim::kTake: {
        if (user_take_) return UserTake(r);
        Bind(take_.get(), r.value, r.counter);
        Reply done = Step(take_.get(), "UPDATE take");
        if (done.outcome != Reply::Outcome::kDone) return done;
        return Reply::Value(sqlite3_changes(db_.get()) == 1 ? 1 : 0);
      }
      case Prim::kAddGet:
        Bind(add_get_.get(), r.value, r.counter);
        return Select(add_get_.get(), r.counter, "UPDATE RETURNING");
      case Prim::kCommit: return Step(commit_.get(), "COMMIT");
      case Prim::kAbort:
        if (!sqlite3_get_autocommit(db_.get())) {
          return Step(rollback_.get(), "ROLLBACK");
        }
        return Reply::Done();
    }
    return Reply::Failed(Status::IOError("sqlite: unknown request"));
  }

  // One try of a statement that returns no rows; reset afterwards. A
  // write that committed (autocommit, or COMMIT) looks after the WAL.
  Reply Step(sqlite3_stmt* stmt, const char* what) {
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    rc &= 0xff;
    if (rc == SQLITE_DONE) {
      if (stmt != begin_.get() && stmt != rollback_.get() &&
          sqlite3_get_autocommit(db_.get())) {
        AfterWrite();
      }
      return Reply::Done();
    }
    return Error(rc, what);
  }

  // A statement that answers the counter's value in one row (bound).
  Reply Select(sqlite3_stmt* stmt, uint32_t counter, const char* what) {
    int rc = sqlite3_step(stmt);
    int64_t value = 0;
    bool found = false;
    if (rc == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
      found = true;
      rc = sqlite3_step(stmt);
    }
    sqlite3_reset(stmt);
    rc &= 0xff;
    if (rc != SQLITE_DONE) return Error(rc, what);
    if (!found) {
      return Reply::Failed(Status::IOError(
          "sqlite: counter " + std::to_string(counter) + " has no row"));
    }
    // An UPDATE ... RETURNING that committed looks after the WAL too.
    if (stmt != get_.get() && sqlite3_get_autocommit(db_.get())) AfterWrite();
    return Reply::Value(value);
  }

  // The user's take: sold when it returned a row or changed one (total
  // changes: sqlite3_changes would still count the statement before).
  Reply UserTake(const Request& r) {
    sqlite3_stmt* stmt = take_.get();
    BindUser(stmt, r.counter, r.value);
    const int64_t before = sqlite3_total_changes64(db_.get());
    int rc = sqlite3_step(stmt);
    const bool row = rc == SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    rc &= 0xff;
    if (rc != SQLITE_DONE) return Error(rc, "sql_take");
    const bool sold = row || sqlite3_total_changes64(db_.get()) > before;
    if (sqlite3_get_autocommit(db_.get())) AfterWrite();
    return Reply::Value(sold ? 1 : 0);
  }

  Reply Error(int rc, const char* what) {
    if (rc == SQLITE_BUSY) {
      return Reply::Busy(Status::Busy(std::string("sqlite: ") + what +
                                      ": database is locked"));
    }
    return Reply::Failed(SqliteError(db_.get(), what));
  }

  // `table` is ours ("counters" or "ctrbench_<run id>"); `user` holds the
  // user's statements, names put in (empty: ours).
  Status PrepareAll(const std::string& table, const UserSql& user) {
    Status st = ExecSql(db_.get(), "PRAGMA synchronous=" + options_.synchronous,
                        &busy_);
    if (!st.ok()) return st;
    // Only WAL is a property of the file; the rollback journal modes are
    // chosen by each connection.
    if (!journal_mode_.empty() && journal_mode_ != "wal") {
      st = ExecSql(db_.get(), "PRAGMA journal_mode=" + journal_mode_, &busy_);
      if (!st.ok()) return st;
    }
    struct {
      StmtPtr* stmt;
      std::string sql;
    } statements[] = {
        {&add_, !user.add.empty() ? user.add
                                  : "UPDATE " + table +
                                        " SET value = value + ?1 WHERE id = ?2"},
        {&take_, !user.take.empty()
                     ? user.take
                     : "UPDATE " + table +
                           " SET value = value - ?1 WHERE id = ?2 AND value "
                           ">= ?1"},
        {&add_get_, "UPDATE " + table + " SET value = value + ?1 WHERE id = "
                    "?2 RETURNING value"},
        {&set_, "UPDATE " + table + " SET value = ?1 WHERE id = ?2"},
        {&cas_, "UPDATE " + table + " SET value = ?1 WHERE id = ?2 AND "
                "value = ?3"},
        {&get_, !user.read.empty()
                    ? user.read
                    : "SELECT value FROM " + table + " WHERE id = ?1"},
        {&begin_, "BEGIN IMMEDIATE"},
        {&commit_, "COMMIT"},
        {&rollback_, "ROLLBACK"},
    };
    user_add_ = !user.add.empty();
    user_take_ = !user.take.empty();
    user_read_ = !user.read.empty();
    for (auto& s : statements) {
      Result<StmtPtr> stmt = Prepare(db_.get(), s.sql, &busy_);
      if (!stmt.ok()) {
        const char* option = s.stmt == &add_ && user_add_     ? "sql_add"
                             : s.stmt == &take_ && user_take_ ? "sql_take"
                             : s.stmt == &get_ && user_read_  ? "sql_read"
                                                              : nullptr;
        return option ? stmt.status().WithContext(option) : stmt.status();
      }
      *s.stmt = std::move(*stmt);
    }
    return Status::OK();
  }

  static void Bind(sqlite3_stmt* stmt, int64_t value, uint32_t counter) {
    sqlite3_bind_int64(stmt, 1, value);
    sqlite3_bind_int64(stmt, 2, counter);
  }

  // Keeps the WAL bounded. Under writers that never pause, SQLite's
  // automatic checkpoints never get to reset the WAL, and it grows by
  // hundreds of MB a second. Every 256 commits the session looks at the
  // files' size (kept as the run's disk peak), and past wal_limit_mb it
  // checkpoints with TRUNCATE, which waits for the readers of the moment
  // and empties the WAL. Its time is part of the operation that made the
  // commit, as it would be in a service that keeps its disk bounded.
  void AfterWrite() {
    if (++writes_ % 256 != 0) return;
    struct stat st;
    const int64_t db = stat(path_.c_str(), &st) == 0 ? st.st_size : 0;
    const std::string wal_path = path_ + "-wal";
    const int64_t wal = stat(wal_path.c_str(), &st) == 0 ? st.st_size : 0;
    tally_->disk_peak_bytes = std::max(tally_->disk_peak_bytes, db + wal);
    if (options_.wal_limit_mb == 0 ||
        wal <= int64_t{options_.wal_limit_mb} << 20) {
      return;
    }
    busy_.Run(
        [this] {
          return sqlite3_wal_checkpoint_v2(db_.get(), nullptr,
                                           SQLITE_CHECKPOINT_TRUNCATE,
                                           nullptr, nullptr) &
                 0xff;
        },
        tally_);
  }

  DbPtr db_;
  const SqliteOptions options_;
  WorkerTally* const tally_;
  BusyPolicy busy_;
  std::string journal_mode_;
  std::string path_;    // The database file.
  int64_t writes_ = 0;  // Commits, to look at the WAL every 256.
  bool user_add_ = false, user_take_ = false, user_read_ = false;
  StmtPtr add_, take_, add_get_, set_, cas_, get_, begin_, commit_,
      rollback_;
  std::vector<Reply> replies_;  // Of requests sent, not yet received.
};

// ---------------------------------------------------------------- backend

class SqliteBackend final : public Backend {
 public:
  explicit SqliteBackend(SqliteOptions options)
      : options_(std::move(options)), busy_(options_, 1) {}
  ~SqliteBackend() override { Teardown().ok(); }

  Status Setup(const SetupSpec& spec) override {
    Teardown().ok();
    strategy_ = StrategyConfigFor(spec);
    counters_ = spec.counters;
    initial_ = spec.Initial();
    ledger_ = spec.ledger;
    Status st = ChooseLocation(spec.run_id);
    if (!st.ok()) {
      Teardown().ok();
      return st;
    }
    st = CreateTable();
    if (st.ok()) st = SetupUserSql();
    if (!st.ok()) {
      Teardown().ok();
      return st;
    }
    return Status::OK();
  }

  Result<std::unique_ptr<Session>> Connect(int worker,
                                           WorkerTally* tally) override {
    if (db_path_.empty()) return Status::IOError("sqlite: not set up");
    Result<std::unique_ptr<SqlitePrimitives>> primitives =
        SqlitePrimitives::Open(db_path_, table_, journal_mode_, options_,
                               user_, worker, tally);
    if (!primitives.ok()) return primitives.status();
    StrategyConfig config = strategy_;
    config.transactions = true;
    config.begin_locks = true;  // BEGIN IMMEDIATE: the write lock.
    config.txn_ops = options_.txn_ops;
    config.backoff = BusyBackoff(options_);
    config.busy_limit_ns = int64_t{options_.busy_ms} * 1000000;
    config.seed = 0x5eed0000ULL + static_cast<uint64_t>(worker);
    return NewStrategySession(std::move(*primitives), config, tally);
  }

  Result<std::vector<int64_t>> ReadTotals() override {
    if (db_path_.empty()) return Status::IOError("sqlite: not set up");
    Result<DbPtr> db = OpenDb(db_path_, options_, false);
    if (!db.ok()) return db.status();
    if (!user_.read.empty()) return ReadEach(db->get());
    Result<StmtPtr> stmt = Prepare(
        db->get(), "SELECT id, value FROM " + table_ + " ORDER BY id", &busy_);
    if (!stmt.ok()) return stmt.status();
    std::vector<int64_t> totals(counters_, 0);
    int rc;
    while ((rc = sqlite3_step(stmt->get())) == SQLITE_ROW) {
      const int64_t id = sqlite3_column_int64(stmt->get(), 0);
      if (id >= 0 && id < static_cast<int64_t>(counters_)) {
        totals[id] = sqlite3_column_int64(stmt->get(), 1);
      }
    }
    if (rc != SQLITE_DONE) return SqliteError(db->get(), "read totals");
    return totals;
  }

  // Undoes what Setup did, each part forgotten (in the ledger too) only
  // once undone: a part that failed stays, for the destructor's second try
  // and, after that, for `ctrbench cleanup`.
  Status Teardown() override {
    Status status;
    auto note = [&status](const Status& st) {
      if (status.ok() && !st.ok()) status = st;
      return st.ok();
    };
    if (user_setup_) {
      // sql_teardown, and the objects sql_setup made. In a file of our own
      // they go with it; what failed in a user's stays in the ledger.
      Result<DbPtr> db = OpenDb(db_path_, options_, false);
      Status st = db.status();
      if (db.ok()) {
        st = objects_.Teardown(
            options_.sql, names_,
            [&](const std::string& sql) { return ExecSql(db->get(), sql, &busy_); },
            [](const SqlObject& o) { return DropStatement(o, false); });
      }
      note(st);
      if (!user_file_) objects_.Forget();  // They go with the file.
      // What a user's file still holds is tried again (the destructor),
      // and stays in the ledger meanwhile.
      user_setup_ = !objects_.empty();
    }
    if (user_file_ && (table_created_ || !original_journal_mode_.empty())) {
      // A user's database: drop the table this run created (and only if it
      // did: a table of that name that was there before is the user's),
      // restore the journal mode, and leave everything else as it was.
      Result<DbPtr> db = OpenDb(db_path_, options_, false);
      if (note(db.status())) {
        if (table_created_ &&
            note(ExecSql(db->get(), "DROP TABLE " + table_, &busy_))) {
          table_created_ = false;
        }
        if (!table_created_ && !original_journal_mode_.empty() &&
            note(ExecSql(db->get(),
                         "PRAGMA journal_mode=" + original_journal_mode_,
                         &busy_))) {
          original_journal_mode_.clear();
        }
      }
    }
    if (created_dir_) {
      // Our temporary directory, with the database and its journals.
      if (note(RemoveTree(dir_.path, &dir_.id).WithContext("sqlite"))) {
        created_dir_ = created_file_ = false;
      }
    } else if (created_file_ && note(RemoveDbFiles(db_path_, file_id_))) {
      created_file_ = false;
    }
    // Forgotten: what was never created (a pending entry) or is undone.
    if (!table_created_) table_entry_.Forget();
    if (original_journal_mode_.empty()) journal_entry_.Forget();
    if (!created_file_) file_entry_.Forget();
    if (!created_dir_) dir_entry_.Forget();
    if (!table_created_ && original_journal_mode_.empty() && !created_file_ &&
        !created_dir_) {
      user_file_ = false;
      table_.clear();
      db_path_.clear();
      journal_mode_.clear();
    }
    return status;
  }

  std::string Version() const override {
    return std::string("sqlite ") + sqlite3_libversion();
  }

  Status CheckRun(const SetupSpec& run) const override {
    const Status user = CheckUserSqlRun(options_.sql, run);
    if (!user.ok()) return user;
    const Strategy strategy = run.strategy;
    if (options_.txn_ops > 1 &&
        (strategy == Strategy::kCas || strategy == Strategy::kNaive)) {
      return Status::InvalidArgument(
          "sqlite.txn_ops = " + std::to_string(options_.txn_ops) +
          " is allowed with atomic and lock only: inside one transaction " +
          StrategyName(strategy) + " would no longer race");
    }
    return Status::OK();
  }

  OptionMap EffectiveOptions() const override {
    std::string journal = effective_journal_mode_;
    if (journal.empty()) journal = options_.journal_mode;
    if (journal.empty()) journal = options_.path.empty() ? "wal" : "(as found)";
    OptionMap o = options_.asked;
    o["journal_mode"] = journal;  // What the database runs with.
    return o;
  }

 private:
  Status ChooseLocation(const std::string& run_id) {
    names_.prefix = RunTableName(run_id);
    if (options_.path.empty()) {
      Result<MadeDir> dir = MakeTempDir("ctrbench-sqlite-");
      if (!dir.ok()) return dir.status().WithContext("sqlite");
      dir_ = *dir;
      created_dir_ = true;
      Status st = dir_entry_.Record(ledger_, "dir",
                                    WithId({{"path", dir_.path}}, dir_.id));
      if (!st.ok()) return st.WithContext("sqlite");
      db_path_ = dir_.path + "/counters.db";
      created_file_ = true;
      table_ = "counters";
      return Status::OK();
    }
    if (IsDirectory(options_.path)) {
      db_path_ = options_.path + "/ctrbench-" + run_id + ".db";
      Status st = file_entry_.Record(ledger_, "sqlite.file",
                                     {{"path", db_path_}, {"state", "pending"}});
      if (!st.ok()) return st.WithContext("sqlite");
      // O_EXCL: a file of that name, whoever made it, is never ours. SQLite
      // opens the empty file as a new database.
      const int fd = open(db_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL |
                                                O_CLOEXEC, 0600);
      if (fd < 0) {
        const int err = errno;
        const std::string path = db_path_;
        db_path_.clear();
        file_entry_.Forget();
        if (err == EEXIST) {
          return Status::IOError("sqlite: " + path + " exists already; it is "
                                 "not this run's, so it is left as it is");
        }
        return Status::FromErrno("sqlite: create " + path, err);
      }
      struct stat made;
      fstat(fd, &made);
      close(fd);
      created_file_ = true;
      file_id_ = IdOf(made);
      file_entry_.Update(WithId({{"state", "created"}}, file_id_));
      table_ = "counters";
      return Status::OK();
    }
    struct stat st;
    if (stat(options_.path.c_str(), &st) != 0) {
      return Status::IOError("sqlite: " + options_.path + ": " +
                             std::strerror(errno));
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
      return Status::InvalidArgument("sqlite: " + options_.path +
                                     " became an empty file; left as it is");
    }
    db_path_ = options_.path;
    user_file_ = true;
    table_ = names_.prefix;
    return Status::OK();
  }

  Status CreateTable() {
    Result<DbPtr> opened = OpenDb(db_path_, options_, created_file_);
    if (!opened.ok()) return opened.status();
    sqlite3* db = opened->get();
    // The first statement finds out whether the file is a database at all.
    Result<std::string> mode = QueryText(db, "PRAGMA journal_mode", &busy_);
    if (!mode.ok()) return mode.status().WithContext(db_path_);
    std::string wanted = options_.journal_mode;
    if (wanted.empty() && created_file_) wanted = "wal";
    effective_journal_mode_ = wanted.empty() ? *mode : wanted;
    journal_mode_ = wanted;
    if (!wanted.empty() && wanted != *mode) {
      if (user_file_) {
        original_journal_mode_ = *mode;
        Status st = journal_entry_.Record(
            ledger_, "sqlite.journal", {{"file", db_path_}, {"mode", *mode}});
        if (!st.ok()) return st.WithContext("sqlite");
      }
      Result<std::string> now =
          QueryText(db, "PRAGMA journal_mode=" + wanted, &busy_);
      if (!now.ok()) return now.status().WithContext(db_path_);
      if (*now != wanted) {
        return Status::IOError("sqlite: " + db_path_ + ": journal_mode " +
                               wanted + " was refused (got " + *now + ")");
      }
    }
    if (user_file_) {
      Status st = table_entry_.Record(
          ledger_, "sqlite.table",
          {{"file", db_path_}, {"table", table_}, {"state", "pending"}});
      if (!st.ok()) return st.WithContext("sqlite");
    }
    // Without IF NOT EXISTS: a table of that name that exists already is
    // not ours, the CREATE fails, and Teardown leaves that table alone.
    Status st = ExecSql(db, "CREATE TABLE " + table_ +
                                "(id INTEGER PRIMARY KEY, value INTEGER NOT "
                                "NULL)",
                        &busy_);
    if (!st.ok()) {
      if (user_file_ && TableExists(db, table_)) {
        return Status::IOError("sqlite: " + db_path_ + ": a table named " +
                               table_ + " exists already; it is not this "
                               "run's, so it is left as it is");
      }
      return st.WithContext(db_path_);
    }
    table_created_ = true;
    table_entry_.Update({{"state", "created"}});
    st = ExecSql(db, "BEGIN IMMEDIATE", &busy_);
    if (!st.ok()) return st.WithContext(db_path_);
    Result<StmtPtr> insert = Prepare(
        db, "INSERT INTO " + table_ + "(id, value) VALUES (?1, ?2)", &busy_);
    if (!insert.ok()) return insert.status();
    for (uint32_t id = 0; id < counters_ && st.ok(); ++id) {
      sqlite3_bind_int64(insert->get(), 1, id);
      sqlite3_bind_int64(insert->get(), 2, initial_);
      st = Exec(db, insert->get(), &busy_, nullptr, "INSERT");
    }
    if (st.ok()) st = ExecSql(db, "COMMIT", &busy_);
    if (!st.ok()) {
      ExecSql(db, "ROLLBACK", &busy_).ok();
      return st.WithContext(db_path_);
    }
    return Status::OK();
  }

  // The user's statements with the run's names, and what sql_setup makes
  // (in a user's file, each object in the ledger).
  Status SetupUserSql() {
    names_.table = table_;
    user_ = ExpandSql(options_.sql, names_);
    if (options_.sql.setup.empty() && options_.sql.teardown.empty()) {
      return Status::OK();
    }
    Result<DbPtr> db = OpenDb(db_path_, options_, false);
    if (!db.ok()) return db.status();
    user_setup_ = true;
    return objects_
        .Setup(options_.sql, names_, user_file_ ? ledger_ : nullptr,
               "sqlite.object", {{"file", db_path_}},
               [&](const std::string& sql) {
                 return ExecSql(db->get(), sql, &busy_);
               })
        .WithContext("sqlite");
  }

  // The totals read with the user's read, one key at a time.
  Result<std::vector<int64_t>> ReadEach(sqlite3* db) {
    Result<StmtPtr> stmt = Prepare(db, user_.read, &busy_);
    if (!stmt.ok()) return stmt.status();
    std::vector<int64_t> totals(counters_, 0);
    for (uint32_t id = 0; id < counters_; ++id) {
      BindUser(stmt->get(), id, 0);
      int rc = sqlite3_step(stmt->get());
      if (rc == SQLITE_ROW) totals[id] = sqlite3_column_int64(stmt->get(), 0);
      const bool row = rc == SQLITE_ROW;
      while (rc == SQLITE_ROW) rc = sqlite3_step(stmt->get());
      sqlite3_reset(stmt->get());
      if ((rc & 0xff) != SQLITE_DONE) return SqliteError(db, "sql_read");
      if (!row) {
        return Status::IOError("sqlite: sql_read returned no row for key " +
                               std::to_string(id));
      }
    }
    return totals;
  }

  bool TableExists(sqlite3* db, const std::string& name) {
    Result<std::string> found = QueryText(
        db, "SELECT count(*) FROM sqlite_master WHERE name = '" + name + "'",
        &busy_);
    return found.ok() && *found != "0";
  }

  const SqliteOptions options_;
  BusyPolicy busy_;
  int64_t initial_ = 0;   // Every row's value at the start: the stock.
  // The run's strategy, hold and take (StrategyConfigFor).
  StrategyConfig strategy_;
  uint32_t counters_ = 0;
  MadeDir dir_;          // Our temporary directory, if any.
  FileId file_id_;       // The database file made in a user's directory.
  std::string db_path_;  // The database file.
  std::string table_;
  bool created_dir_ = false;
  bool created_file_ = false;
  bool user_file_ = false;
  bool table_created_ = false;  // Only then may Teardown drop it.
  Ledger* ledger_ = nullptr;
  // What Setup created, written down first (counters/ledger.h).
  LedgerEntry dir_entry_, file_entry_, table_entry_, journal_entry_;
  std::string journal_mode_;           // Set on every connection.
  std::string effective_journal_mode_;  // Of the last Setup, for the row.
  std::string original_journal_mode_;  // To restore on a user's file.
  SqlNames names_;      // {table} and {prefix} of the user's statements.
  UserSql user_;        // Their add, take and read with the names put in.
  UserObjects objects_;  // What sql_setup made.
  bool user_setup_ = false;  // sql_setup ran: sql_teardown runs.
};

// `ctrbench cleanup` for what a killed run left in SQLite: its file in a
// directory, its table in a user's file (only once created: a table of that
// name that was there before is the user's), and the journal mode it set.
Status UndoEntry(const std::string& kind, const LedgerFields& fields,
                 std::string* done) {
  auto field = [&fields](const char* key) { return FieldOf(fields, key); };
  if (kind == "sqlite.file") {
    if (field("state") != "created") {
      return Status::InvalidArgument("not known to be this run's; left");
    }
    const FileId id = IdFromFields(fields);
    if (!id.known) {
      return Status::InvalidArgument(
          "no device and inode recorded (a ledger of an older ctrbench), so "
          "it cannot be told from another's; left");
    }
    Status st = RemoveDbFiles(field("path"), id);
    if (!st.ok()) return st;
    *done = "removed " + field("path");
    return Status::OK();
  }
  const std::string file = field("file");
  struct stat gone;
  if ((kind == "sqlite.table" || kind == "sqlite.journal" ||
       kind == "sqlite.object") &&
      stat(file.c_str(), &gone) != 0 && errno == ENOENT) {
    // The user's database is gone, and what the run did to it with it.
    *done = "nothing to undo: " + file + " is gone";
    return Status::OK();
  }
  SqliteOptions options;
  BusyPolicy busy(options, 7);
  if (kind == "sqlite.table") {
    const std::string table = field("table");
    if (field("state") != "created" || !IsRunTableName(table)) {
      return Status::InvalidArgument("not known to be this run's; left");
    }
    Result<DbPtr> db = OpenDb(file, options, false);
    if (!db.ok()) return db.status();
    Status st = ExecSql(db->get(), "DROP TABLE IF EXISTS " + table, &busy);
    if (!st.ok()) return st;
    *done = "dropped table " + table + " from " + file;
    return Status::OK();
  }
  if (kind == "sqlite.object") {
    Result<SqlObject> object = ObjectOfEntry(fields);
    if (!object.ok()) return object.status();
    if (field("state") != "created") {
      return Status::InvalidArgument("not known to be this run's; left");
    }
    Result<DbPtr> db = OpenDb(file, options, false);
    if (!db.ok()) return db.status();
    Status st = ExecSql(db->get(), DropStatement(*object, false), &busy);
    if (!st.ok()) return st;
    *done = "dropped " + object->kind + " " + object->name + " from " + file;
    return Status::OK();
  }
  if (kind == "sqlite.journal") {
    const std::string mode = field("mode");
    if (mode != "delete" && mode != "truncate" && mode != "persist" &&
        mode != "memory" && mode != "wal" && mode != "off") {
      return Status::InvalidArgument("unknown journal mode '" + mode + "'");
    }
    Result<DbPtr> db = OpenDb(file, options, false);
    if (!db.ok()) return db.status();
    Result<std::string> now =
        QueryText(db->get(), "PRAGMA journal_mode=" + mode, &busy);
    if (!now.ok()) return now.status();
    *done = "restored journal_mode=" + mode + " of " + file;
    return Status::OK();
  }
  return Status::InvalidArgument("not a sqlite entry");
}

}  // namespace

BackendInfo SqliteBackendInfo() {
  BackendInfo info;
  info.name = "sqlite";
  info.description =
      "a row per counter in a SQLite table; every writer contends for the "
      "database lock";
  info.capabilities.threads = true;
  info.capabilities.processes = true;
  info.capabilities.strategies = {Strategy::kAtomic, Strategy::kLock,
                                  Strategy::kCas, Strategy::kNaive};
  info.capabilities.latency_sample_every = 1;
  info.capabilities.inventory = true;
  info.options = SqliteOptionSpecs();
  info.factory = [](const OptionMap& options)
      -> Result<std::unique_ptr<Backend>> {
    Result<SqliteOptions> parsed = ParseSqliteOptions(options);
    if (!parsed.ok()) return parsed.status();
    return std::unique_ptr<Backend>(new SqliteBackend(*parsed));
  };
  info.undo = &UndoEntry;
  return info;
}

}  // namespace ctrbench
