// SQLite, wrapped for the sqlite backend: owned handles, statements
// prepared and run with busy waits (BusyPolicy), and the binding of the
// user's parameters.
//
//   BusyPolicy busy(options, seed);
//   Result<DbPtr> db = OpenDb(path, options, /*create=*/false);
//   Status st = ExecSql(db->get(), "PRAGMA synchronous=normal", &busy);

#ifndef CTRBENCH_BACKENDS_SQLITE_DB_H_
#define CTRBENCH_BACKENDS_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "backends/sqlite_options.h"
#include "counters/backend.h"
#include "counters/backoff.h"
#include "counters/clock.h"
#include "counters/status.h"

namespace ctrbench {
namespace sqlite {

Status SqliteError(sqlite3* db, const std::string& context);

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// How a busy database is waited for, per the `busy` option: ctrbench's own
// randomized backoff (retry), or SQLite's busy handler, which has already
// waited when SQLITE_BUSY comes back (timeout), so the next try is at once.
BackoffPolicy BusyBackoff(const SqliteOptions& options);

// Waits out SQLITE_BUSY for what runs outside the strategy layer (setup,
// preparing statements, checkpoints, teardown), counting retries and the
// time spent waiting into the worker's tally when there is one.
class BusyPolicy {
 public:
  BusyPolicy(const SqliteOptions& options, uint64_t seed)
      : limit_ns_(int64_t{options.busy_ms} * 1000000),
        backoff_(BusyBackoff(options), seed) {}

  // Runs `attempt` until it returns something other than SQLITE_BUSY or
  // the busy limit has passed. `attempt` must leave the statement reset.
  template <typename Attempt>
  int Run(Attempt attempt, WorkerTally* tally) {
    // A clock read is cheap next to a SQLite statement; it makes the limit
    // include the wait SQLite's own handler spent in the first attempt.
    const int64_t start = NowNs();
    int rc = attempt();
    if (rc != SQLITE_BUSY) return rc;
    backoff_.Reset();
    while (rc == SQLITE_BUSY && NowNs() - start < limit_ns_) {
      if (tally) ++tally->retries;
      SleepNs(backoff_.Next());
      rc = attempt();
    }
    if (tally) tally->lock_wait_ns += NowNs() - start;
    return rc;
  }

  int limit_ms() const { return static_cast<int>(limit_ns_ / 1000000); }

 private:
  const int64_t limit_ns_;
  Backoff backoff_;
};

Result<DbPtr> OpenDb(const std::string& path, const SqliteOptions& options,
                     bool create);

// Preparing reads the schema, which a writer in another connection can
// keep locked for a while: wait that out like any busy lock. Exactly one
// statement (a user's sql_add of two is refused: the rest would never run).
Result<StmtPtr> Prepare(sqlite3* db, const std::string& sql, BusyPolicy* busy);

// Steps a statement that returns no rows (or whose rows we ignore) to its
// end, waiting out busy locks. The statement is reset afterwards.
Status Exec(sqlite3* db, sqlite3_stmt* stmt, BusyPolicy* busy,
            WorkerTally* tally, const char* what);

// Runs one SQL text (no parameters) with busy handling.
Status ExecSql(sqlite3* db, const std::string& sql, BusyPolicy* busy);

// The single text value of a query such as "PRAGMA journal_mode".
Result<std::string> QueryText(sqlite3* db, const std::string& sql,
                              BusyPolicy* busy);

// The user's parameters (and our read's): ?1 the key, ?2 the amount, as
// far as the statement has them.
void BindUser(sqlite3_stmt* stmt, uint32_t key, int64_t amount);

}  // namespace sqlite
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_SQLITE_DB_H_
