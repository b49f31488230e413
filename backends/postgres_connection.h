// libpq for the postgres backend: connections with a connect timeout,
// statements with a deadline (PQexec would wait for ever on a stopped
// server), and libpq's errors as the text of a Status.
//
//   Result<ConnPtr> conn = Connect(conninfo, shown, "ctrbench_setup", 5);
//   Status st = Exec(conn->get(), "DROP TABLE t", "drop", timeout_ns);

#ifndef CTRBENCH_BACKENDS_POSTGRES_CONNECTION_H_
#define CTRBENCH_BACKENDS_POSTGRES_CONNECTION_H_

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>

#include "counters/status.h"

namespace ctrbench {
namespace postgres {

struct ConnFree {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnFree>;

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultFree>;

// The type of the user's parameters (pg_type.dat's int8): both bigint, so
// that a statement may leave either out.
inline constexpr Oid kBigintOid = 20;

// The first line of the error of `res`, else of `conn`; "no reply" when
// there is none.
std::string ErrorText(const PGconn* conn, const PGresult* res = nullptr);

// The SQLSTATE of `res` ("40001"); "" when there is none.
std::string SqlState(const PGresult* res);

// Opens a connection; `conninfo` may be a URI or keyword=value pairs, and
// the application name marks the run's connections in pg_stat_activity.
// `shown` is `conninfo` fit for a message.
Result<ConnPtr> Connect(const std::string& conninfo, const std::string& shown,
                        const std::string& application_name,
                        int connect_timeout_s);

// The deadline of a statement over `rows` rows outside the measured path
// (the fill, the totals): the run's timeout, and 10 us a row on top, so
// that 16 M keys are not cut short by a 2 s request deadline.
inline int64_t BulkDeadline(int64_t timeout_ns, int64_t rows) {
  return timeout_ns + rows * 10000;
}

// What a request gets when its deadline passed without a reply.
std::string LateText(int64_t timeout_ns);

// Waits for the results of what was sent with PQsend*, at most
// `timeout_ns` in all: the last result, or null (an error, or with *late
// set, no reply in time: a stopped server; the connection is then of no
// further use).
ResultPtr Await(PGconn* conn, int64_t timeout_ns, bool* late);

// One SQL text with a deadline (Await).
ResultPtr ExecBefore(PGconn* conn, const std::string& sql, int64_t timeout_ns,
                     bool* late);

// A prepared statement with a deadline (Await). Inline: the measured path
// runs it for every request of a blocking connection.
inline ResultPtr ExecPreparedBefore(PGconn* conn, const char* name,
                                    int n_params, const char* const* values,
                                    int64_t timeout_ns, bool* late) {
  *late = false;
  if (!PQsendQueryPrepared(conn, name, n_params, values, nullptr, nullptr,
                           0)) {
    return nullptr;
  }
  return Await(conn, timeout_ns, late);
}

// The error of a result that is not what was wanted.
std::string FailureText(PGconn* conn, const PGresult* res, bool late,
                        int64_t timeout_ns);

// Prepares `sql` as statement `name`, with a deadline; `types` (when not
// null) gives each parameter's type, so that one the statement does not
// use is allowed.
Status Prepare(PGconn* conn, const char* name, const std::string& sql,
               int n_params, int64_t timeout_ns, const Oid* types = nullptr);

// Runs one SQL text outside the measured path (setup, teardown); on an
// error, *sqlstate (when not null) is its SQLSTATE.
Status Exec(PGconn* conn, const std::string& sql, const std::string& what,
            int64_t timeout_ns, std::string* sqlstate = nullptr);

// Exec of one statement (the extended protocol refuses a text of several):
// a user's statement, which must be the one it was checked as.
Status ExecOne(PGconn* conn, const std::string& sql, const std::string& what,
               int64_t timeout_ns);

// The one value of the one row `sql` returns.
Result<std::string> QueryValue(PGconn* conn, const std::string& sql,
                               int64_t timeout_ns);

}  // namespace postgres
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_POSTGRES_CONNECTION_H_
