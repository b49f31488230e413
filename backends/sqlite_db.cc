#include "backends/sqlite_db.h"

#include "backends/user_sql.h"

namespace ctrbench {
namespace sqlite {

Status SqliteError(sqlite3* db, const std::string& context) {
  return Status::IOError("sqlite: " + context + ": " +
                         (db ? sqlite3_errmsg(db) : "out of memory"));
}

BackoffPolicy BusyBackoff(const SqliteOptions& options) {
  if (options.busy == SqliteOptions::Busy::kTimeout) return {0, 0};
  return {/*first_ns=*/20000, /*max_ns=*/1000000};
}

Result<DbPtr> OpenDb(const std::string& path, const SqliteOptions& options,
                     bool create) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                    (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) return SqliteError(raw, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  if (options.busy == SqliteOptions::Busy::kTimeout) {
    sqlite3_busy_timeout(raw, options.busy_ms);
  }
  return db;
}

// Preparing reads the schema, which a writer in another connection can
// keep locked for a while: wait that out like any busy lock.
Result<StmtPtr> Prepare(sqlite3* db, const std::string& sql,
                        BusyPolicy* busy) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = busy->Run(
      [&] {
        return sqlite3_prepare_v3(db, sql.c_str(), -1,
                                  SQLITE_PREPARE_PERSISTENT, &raw, &tail) &
               0xff;
      },
      nullptr);
  if (rc == SQLITE_BUSY) {
    return Status::Busy("sqlite: prepare \"" + sql +
                        "\": database is locked (gave up after " +
                        std::to_string(busy->limit_ms()) + " ms)");
  }
  if (rc != SQLITE_OK) return SqliteError(db, "prepare \"" + sql + "\"");
  StmtPtr stmt(raw);
  if (raw == nullptr || !SplitSql(tail ? tail : "").empty()) {
    // A user's statement (sql_add...) that is none, or more than one: the
    // rest would never run.
    return Status::InvalidArgument("sqlite: \"" + sql +
                                   "\": allowed: exactly one statement");
  }
  return stmt;
}

// Steps a statement that returns no rows (or whose rows we ignore) to its
// end, waiting out busy locks. The statement is reset afterwards.
Status Exec(sqlite3* db, sqlite3_stmt* stmt, BusyPolicy* busy,
            WorkerTally* tally, const char* what) {
  int rc = busy->Run(
      [stmt] {
        int r;
        while ((r = sqlite3_step(stmt)) == SQLITE_ROW) {
        }
        sqlite3_reset(stmt);
        return r & 0xff;
      },
      tally);
  if (rc == SQLITE_DONE) return Status::OK();
  if (rc == SQLITE_BUSY) {
    return Status::Busy(std::string("sqlite: ") + what +
                        ": database is locked (gave up after " +
                        std::to_string(busy->limit_ms()) + " ms)");
  }
  return SqliteError(db, what);
}

// Runs one SQL text (no parameters) with busy handling.
Status ExecSql(sqlite3* db, const std::string& sql, BusyPolicy* busy) {
  Result<StmtPtr> stmt = Prepare(db, sql, busy);
  if (!stmt.ok()) return stmt.status();
  return Exec(db, stmt->get(), busy, nullptr, sql.c_str());
}

// The single text value of a query such as "PRAGMA journal_mode".
Result<std::string> QueryText(sqlite3* db, const std::string& sql,
                              BusyPolicy* busy) {
  Result<StmtPtr> stmt = Prepare(db, sql, busy);
  if (!stmt.ok()) return stmt.status();
  std::string value;
  const int rc = busy->Run(
      [&] {
        int r = sqlite3_step(stmt->get());
        if (r == SQLITE_ROW) {
          const unsigned char* text = sqlite3_column_text(stmt->get(), 0);
          value = text ? reinterpret_cast<const char*>(text) : "";
          r = SQLITE_DONE;
        }
        sqlite3_reset(stmt->get());
        return r & 0xff;
      },
      nullptr);
  if (rc == SQLITE_BUSY) {
    return Status::Busy("sqlite: " + sql + ": database is locked");
  }
  if (rc != SQLITE_DONE) return SqliteError(db, sql);
  return value;
}

// The user's parameters (and our read's): ?1 the key, ?2 the amount, as
// far as the statement has them.
void BindUser(sqlite3_stmt* stmt, uint32_t key, int64_t amount) {
  const int n = sqlite3_bind_parameter_count(stmt);
  if (n >= 1) sqlite3_bind_int64(stmt, 1, key);
  if (n >= 2) sqlite3_bind_int64(stmt, 2, amount);
}

}  // namespace sqlite
}  // namespace ctrbench
