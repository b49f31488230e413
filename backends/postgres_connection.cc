#include "backends/postgres_connection.h"

#include <poll.h>

#include <string>

#include "counters/clock.h"

namespace ctrbench {
namespace postgres {

std::string ErrorText(const PGconn* conn, const PGresult* res) {
  std::string text = res ? PQresultErrorMessage(res) : "";
  if (text.empty() && conn) text = PQerrorMessage(conn);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  const size_t newline = text.find('\n');
  if (newline != std::string::npos) text = text.substr(0, newline);
  return text.empty() ? "no reply" : text;
}

std::string SqlState(const PGresult* res) {
  const char* s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  return s ? s : "";
}

Result<ConnPtr> Connect(const std::string& conninfo, const std::string& shown,
                        const std::string& application_name,
                        int connect_timeout_s) {
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* keys[] = {"dbname", "application_name", "connect_timeout",
                        nullptr};
  const char* values[] = {conninfo.c_str(), application_name.c_str(),
                          timeout.c_str(), nullptr};
  ConnPtr conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::IOError("postgres: cannot connect to " + shown + ": " +
                           ErrorText(conn.get()));
  }
  return conn;
}

std::string LateText(int64_t timeout_ns) {
  return "no reply within " + std::to_string(timeout_ns / 1000000) +
         " ms (the run field timeout): a stopped or stuck server";
}

ResultPtr Await(PGconn* conn, int64_t timeout_ns, bool* late) {
  *late = false;
  const int64_t deadline = NowNs() + timeout_ns;
  auto wait = [&](short events) {
    const int64_t left = deadline - NowNs();
    if (left <= 0) return false;
    pollfd p = {PQsocket(conn), events, 0};
    const int n = poll(&p, 1, static_cast<int>(left / 1000000 + 1));
    return n != 0;  // An error is for libpq to report.
  };
  int flush;
  while ((flush = PQflush(conn)) == 1) {
    if (!wait(POLLOUT | POLLIN)) {
      *late = true;
      return nullptr;
    }
  }
  if (flush < 0) return nullptr;
  ResultPtr last;
  for (;;) {
    while (PQisBusy(conn)) {
      if (!wait(POLLIN)) {
        *late = true;
        return nullptr;
      }
      if (!PQconsumeInput(conn)) return nullptr;
    }
    PGresult* r = PQgetResult(conn);
    if (r == nullptr) break;
    last.reset(r);
  }
  return last;
}

ResultPtr ExecBefore(PGconn* conn, const std::string& sql, int64_t timeout_ns,
                     bool* late) {
  *late = false;
  if (!PQsendQuery(conn, sql.c_str())) return nullptr;
  return Await(conn, timeout_ns, late);
}

std::string FailureText(PGconn* conn, const PGresult* res, bool late,
                        int64_t timeout_ns) {
  return late ? LateText(timeout_ns) : ErrorText(conn, res);
}

Status Prepare(PGconn* conn, const char* name, const std::string& sql,
               int n_params, int64_t timeout_ns, const Oid* types) {
  bool late = false;
  ResultPtr res;
  if (PQsendPrepare(conn, name, sql.c_str(), n_params, types)) {
    res = Await(conn, timeout_ns, &late);
  }
  if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
    return Status::IOError("postgres: prepare \"" + sql + "\": " +
                           FailureText(conn, res.get(), late, timeout_ns));
  }
  return Status::OK();
}

Status Exec(PGconn* conn, const std::string& sql, const std::string& what,
            int64_t timeout_ns, std::string* sqlstate) {
  bool late = false;
  ResultPtr res = ExecBefore(conn, sql, timeout_ns, &late);
  const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::OK();
  if (sqlstate) *sqlstate = SqlState(res.get());
  return Status::IOError("postgres: " + what + ": " +
                         FailureText(conn, res.get(), late, timeout_ns));
}

Status ExecOne(PGconn* conn, const std::string& sql, const std::string& what,
               int64_t timeout_ns) {
  bool late = false;
  ResultPtr res;
  if (PQsendQueryParams(conn, sql.c_str(), 0, nullptr, nullptr, nullptr,
                        nullptr, 0)) {
    res = Await(conn, timeout_ns, &late);
  }
  const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::OK();
  return Status::IOError("postgres: " + what + ": " +
                         FailureText(conn, res.get(), late, timeout_ns));
}

Result<std::string> QueryValue(PGconn* conn, const std::string& sql,
                               int64_t timeout_ns) {
  bool late = false;
  ResultPtr res = ExecBefore(conn, sql, timeout_ns, &late);
  if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK ||
      PQntuples(res.get()) != 1) {
    return Status::IOError("postgres: " + sql + ": " +
                           FailureText(conn, res.get(), late, timeout_ns));
  }
  return std::string(PQgetvalue(res.get(), 0, 0));
}

}  // namespace postgres
}  // namespace ctrbench
