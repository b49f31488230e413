#include "backends/postgres.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/options.h"
#include "backends/server_process.h"
#include "counters/client_loop.h"
#include "counters/clock.h"
#include "counters/program.h"
#include "counters/strategy.h"

namespace ctrbench {

namespace {

constexpr char kEmbedded[] = "(embedded)";
constexpr char kNotInstalled[] =
    "postgres: PostgreSQL is not installed (Debian packages postgresql and "
    "libpq-dev: apt-get install postgresql libpq-dev), and no postgres.url "
    "names a running server";

// ---------------------------------------------------------------- options

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

const char* IsolationName(Isolation i) {
  switch (i) {
    case Isolation::kReadCommitted: return "read_committed";
    case Isolation::kRepeatableRead: return "repeatable_read";
    case Isolation::kSerializable: return "serializable";
  }
  return "?";
}

// The options that shape an embedded server (and so key it in the pool).
// The embedded server's settings (their defaults are the options'
// declarations, Specs()).
struct ServerSettings {
  std::string fsync;
  std::string synchronous_commit;
  std::string full_page_writes;
  std::string shared_buffers;
  int max_connections = 0;  // 0: enough for the run's workers.
  int deadlock_timeout_ms = 0;
};

struct PostgresOptions {
  bool embedded = true;
  std::string url;           // A user's server: libpq conninfo or URI.
  std::string url_redacted;  // The same without secrets, for messages.
  Isolation isolation = Isolation::kReadCommitted;
  int txn_ops = 1;
  int pipeline = 1;
  int connect_timeout_s = 5;
  ServerSettings server;
  std::vector<std::string> server_options_given;
};

struct ConninfoFree {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};

// A conninfo string or URI, checked by libpq itself. `redacted` is it as
// keyword=value pairs without the password; `has_password` says whether it
// held one.
Status ParseConninfo(const std::string& text, std::string* redacted,
                     bool* has_password) {
  char* err = nullptr;
  std::unique_ptr<PQconninfoOption, ConninfoFree> parsed(
      PQconninfoParse(text.c_str(), &err));
  if (!parsed) {
    std::string why = err ? err : "out of memory";
    PQfreemem(err);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return Status::InvalidArgument(why);
  }
  *has_password = false;
  redacted->clear();
  for (PQconninfoOption* o = parsed.get(); o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    if (std::strcmp(o->keyword, "password") == 0) {
      *has_password = true;
      continue;
    }
    if (!redacted->empty()) *redacted += ' ';
    *redacted += std::string(o->keyword) + "=" + o->val;
  }
  return Status::OK();
}

Status CheckConninfo(const std::string& value) {
  std::string redacted;
  bool has_password = false;
  Status st = ParseConninfo(value, &redacted, &has_password);
  if (!st.ok()) {
    return Status::InvalidArgument("a libpq connection string or URI (" +
                                   st.message() + ")");
  }
  if (has_password) {
    return Status::InvalidArgument(
        "a connection string without a password (it goes in PGPASSWORD or "
        "~/.pgpass)");
  }
  return Status::OK();
}

// A connection string in a message: never its password.
std::string ShownConninfo(const std::string& value) {
  std::string redacted;
  bool has_password = false;
  if (!ParseConninfo(value, &redacted, &has_password).ok()) {
    return "(not shown)";
  }
  return has_password ? redacted + " password=***" : redacted;
}

Status CheckSize(const std::string& value) {
  const size_t digits = value.find_first_not_of("0123456789");
  const std::string unit =
      digits == std::string::npos ? "" : value.substr(digits);
  if (digits == 0 || digits == std::string::npos ||
      !(unit == "kB" || unit == "MB" || unit == "GB") || value.size() > 12) {
    return Status::InvalidArgument("a size such as 128MB (kB, MB, GB)");
  }
  return Status::OK();
}

// The options that set up the embedded server.
constexpr const char* kServerOptions[] = {
    "fsync",          "synchronous_commit", "full_page_writes",
    "shared_buffers", "max_connections",    "deadlock_timeout_ms"};

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec>* specs = [] {
    OptionSpec url = TextOption(
        "url", "a libpq connection string or URI, without a password",
        kEmbedded,
        "a running server; the run creates a table ctrbench_<run id> there "
        "and drops it afterwards. The password comes from PGPASSWORD or "
        "~/.pgpass. Without it the backend runs its own server (initdb in a "
        "temporary directory, a Unix socket, TCP off), kept for the sweep",
        &CheckConninfo);
    url.shown = &ShownConninfo;
    return new std::vector<OptionSpec>{
        url,
        ChoiceOption("isolation",
                     {"read_committed", "repeatable_read", "serializable"},
                     "read_committed",
                     "transaction isolation; above read_committed every "
                     "increment runs in a transaction, and a serialization "
                     "failure is retried and counted"),
        IntOption("txn_ops", 1, 1000000, 1,
                  "increments per transaction (atomic and lock only)"),
        IntOption("pipeline", 1, 1024, 1,
                  "UPDATEs in flight per worker in libpq's pipeline mode "
                  "(atomic, read_committed, txn_ops 1)"),
        IntOption("connect_timeout_s", 2, 600, 5, "libpq connect timeout"),
        ChoiceOption("fsync", {"on", "off"}, "off", "embedded server: fsync"),
        ChoiceOption("synchronous_commit", {"on", "off"}, "off",
                     "embedded server: synchronous_commit"),
        ChoiceOption("full_page_writes", {"on", "off"}, "off",
                     "embedded server: full_page_writes"),
        TextOption("shared_buffers", "a size such as 128MB", "128MB",
                   "embedded server: shared_buffers", &CheckSize, true),
        TextOption("max_connections", "auto, or an integer from 10 to 10000",
                   "auto",
                   "embedded server: max_connections (auto: at least 100, "
                   "and enough for the workers)",
                   [](const std::string& value) {
                     long n = 0;
                     return value == "auto" ||
                                    ParseIntOption(value, 10, 10000, &n)
                                ? Status::OK()
                                : Status::InvalidArgument("");
                   },
                   true),
        IntOption("deadlock_timeout_ms", 1, 600000, 1000,
                  "embedded server: how long a lock wait lasts before the "
                  "deadlock check"),
    };
  }();
  return *specs;
}

Result<PostgresOptions> ParseOptions(const OptionMap& given) {
  Result<OptionValues> v = OptionValues::Parse("postgres", Specs(), given);
  if (!v.ok()) return v.status();
  PostgresOptions o;
  o.embedded = !v->Given("url");
  if (!o.embedded) {
    o.url = v->Text("url");
    bool has_password = false;
    (void)ParseConninfo(o.url, &o.url_redacted, &has_password);
  }
  const std::string& isolation = v->Text("isolation");
  o.isolation = isolation == "serializable"      ? Isolation::kSerializable
                : isolation == "repeatable_read" ? Isolation::kRepeatableRead
                                                 : Isolation::kReadCommitted;
  o.txn_ops = v->Int("txn_ops");
  o.pipeline = v->Int("pipeline");
  o.connect_timeout_s = v->Int("connect_timeout_s");
  o.server.fsync = v->Text("fsync");
  o.server.synchronous_commit = v->Text("synchronous_commit");
  o.server.full_page_writes = v->Text("full_page_writes");
  o.server.shared_buffers = v->Text("shared_buffers");
  o.server.max_connections =
      v->Text("max_connections") == "auto" ? 0 : v->Int("max_connections");
  o.server.deadlock_timeout_ms = v->Int("deadlock_timeout_ms");
  for (const auto& entry : given) {  // In the order of their names.
    for (const char* key : kServerOptions) {
      if (entry.first == key) o.server_options_given.push_back(key);
    }
  }
  if (!o.embedded && !o.server_options_given.empty()) {
    return Status::InvalidArgument(
        "option 'postgres." + o.server_options_given.front() +
        "' sets up the embedded server and cannot be used with "
        "'postgres.url' (a user's server keeps its own settings, and the row "
        "records them); allowed: one of them");
  }
  return o;
}

// ------------------------------------------------------------ installation

bool IsExecutable(const std::string& path) {
  return access(path.c_str(), X_OK) == 0;
}

// The directory of initdb and postgres: `pg_config --bindir`, else the
// newest /usr/lib/postgresql/<version>/bin. "" when there is none.
std::string FindBinDir() {
  const std::string pg_config = FindProgram("pg_config");
  if (!pg_config.empty()) {
    const std::string command = "'" + pg_config + "' --bindir 2>/dev/null";
    if (FILE* p = popen(command.c_str(), "r")) {
      char line[4096] = {};
      const bool got = std::fgets(line, sizeof(line), p) != nullptr;
      pclose(p);
      std::string dir = got ? line : "";
      while (!dir.empty() && (dir.back() == '\n' || dir.back() == ' ')) {
        dir.pop_back();
      }
      if (IsExecutable(dir + "/initdb") && IsExecutable(dir + "/postgres")) {
        return dir;
      }
    }
  }
  std::string best;
  long best_version = -1;
  if (DIR* d = opendir("/usr/lib/postgresql")) {
    while (dirent* e = readdir(d)) {
      char* end = nullptr;
      const long v = std::strtol(e->d_name, &end, 10);
      const std::string dir =
          std::string("/usr/lib/postgresql/") + e->d_name + "/bin";
      if (end != e->d_name && *end == '\0' && v > best_version &&
          IsExecutable(dir + "/initdb") && IsExecutable(dir + "/postgres")) {
        best = dir;
        best_version = v;
      }
    }
    closedir(d);
  }
  return best;
}

// ------------------------------------------------------------------ libpq

struct ConnFree {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnFree>;

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultFree>;

std::string ErrorText(const PGconn* conn, const PGresult* res = nullptr) {
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

// Opens a connection; `conninfo` may be a URI or keyword=value pairs, and
// the application name marks the run's connections in pg_stat_activity.
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

// The deadline of a statement over `rows` rows outside the measured path
// (the fill, the totals): the run's timeout, and 10 us a row on top, so
// that 16 M keys are not cut short by a 2 s request deadline.
int64_t BulkDeadline(int64_t timeout_ns, int64_t rows) {
  return timeout_ns + rows * 10000;
}

// What a request gets when its deadline passed without a reply.
std::string LateText(int64_t timeout_ns) {
  return "no reply within " + std::to_string(timeout_ns / 1000000) +
         " ms (the run field timeout): a stopped or stuck server";
}

// Waits for the results of what was sent with PQsend*, at most
// `timeout_ns` in all: the last result, or null (an error, or with *late
// set, no reply in time: a stopped server; the connection is then of no
// further use). PQexec would wait for ever.
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

// One SQL text, or a prepared statement, with a deadline (Await).
ResultPtr ExecBefore(PGconn* conn, const std::string& sql, int64_t timeout_ns,
                     bool* late) {
  *late = false;
  if (!PQsendQuery(conn, sql.c_str())) return nullptr;
  return Await(conn, timeout_ns, late);
}

// The error of a result that is not what was wanted.
std::string FailureText(PGconn* conn, const PGresult* res, bool late,
                        int64_t timeout_ns) {
  return late ? LateText(timeout_ns) : ErrorText(conn, res);
}

// Runs one SQL text outside the measured path (setup, teardown).
Status Exec(PGconn* conn, const std::string& sql, const std::string& what,
            int64_t timeout_ns, std::string* sqlstate = nullptr) {
  bool late = false;
  ResultPtr res = ExecBefore(conn, sql, timeout_ns, &late);
  const ExecStatusType st = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::OK();
  if (sqlstate) *sqlstate = SqlState(res.get());
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

// ------------------------------------------------------- embedded server

// A throwaway cluster: initdb into a temporary directory, the server on a
// Unix socket there (owner-only, TCP off), trust authentication for the
// server's own user. It lives in the sweep's ServerPool (or the backend's
// hands) and is removed with its directory when that ends.
class PgCluster final : public SharedServer {
 public:
  static Result<std::unique_ptr<PgCluster>> Start(
      const std::string& bindir, const ServerSettings& settings,
      Ledger* ledger) {
    std::unique_ptr<PgCluster> c(new PgCluster());
    Status st = c->Init(bindir, settings, ledger);
    if (!st.ok()) return st;
    return c;
  }

  const std::string& conninfo() const { return conninfo_; }
  ServerProcess* process() const { return server_.process(); }
  bool running() { return server_.running(); }
  Status Stop() override {
    Status st = server_.Stop();
    return st.ok() ? st : st.WithContext("postgres");
  }

 private:
  PgCluster() = default;

  Status Init(const std::string& bindir, const ServerSettings& settings,
              Ledger* ledger) {
    ProcessOptions as_server;
    // PostgreSQL refuses to run as root: then it runs as `postgres`.
    if (geteuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (pw == nullptr) {
        return Status::NotSupported(
            "postgres: ctrbench runs as root, and PostgreSQL refuses root; "
            "it runs the embedded server as the unprivileged user "
            "'postgres', which does not exist here (the Debian package "
            "postgresql creates it)");
      }
      as_server.uid = pw->pw_uid;
      as_server.gid = pw->pw_gid;
    }
    // The server's user must reach its directory: under a $TMPDIR it
    // cannot pass through (a private one of root's), /tmp instead.
    std::string base = TempBase();
    if (as_server.uid != static_cast<uid_t>(-1) &&
        !Traversable(base, as_server.uid)) {
      base = "/tmp";
    }
    // Run as `postgres`, its directory is a child of one of ours, which
    // that user cannot rename (EmbeddedServer::MakeDir).
    Status st = server_.MakeDir(ledger, base, as_server);
    if (!st.ok()) return st;
    const std::string dir = server_.dir();
    if (dir.size() + 20 > 107) {
      return Status::InvalidArgument(
          "postgres: the temporary directory " + dir + " is too long for a "
          "Unix socket path; allowed: a shorter TMPDIR");
    }
    // initdb, run to completion (a few seconds).
    as_server.output_path = dir + "/initdb.log";
    as_server.stop_signal = SIGKILL;
    Result<std::unique_ptr<ServerProcess>> initdb = ServerProcess::Start(
        {bindir + "/initdb", "-D", dir + "/data", "-A", "trust", "-U",
         "postgres", "--no-sync", "-E", "UTF8", "--locale=C"},
        {}, as_server);
    if (!initdb.ok()) return initdb.status().WithContext("postgres");
    if (!(*initdb)->WaitExit(120000)) {
      (*initdb)->Stop(0).ok();
      return Status::IOError("postgres: initdb did not finish within 120 s");
    }
    if ((*initdb)->exit_code() != 0) {
      return Status::IOError("postgres: initdb " +
                             (*initdb)->ExitDescription() +
                             LogTail(dir + "/initdb.log"));
    }
    conninfo_ = "host=" + dir + " port=5432 user=postgres dbname=postgres";
    // The postmaster stops its backends on SIGQUIT (immediate shutdown);
    // SIGKILL would leave them running.
    as_server.output_path = dir + "/server.log";
    as_server.stop_signal = SIGQUIT;
    as_server.count_children = true;
    return server_.Start(
        {bindir + "/postgres", "-D", dir + "/data", "-k", dir,
         "-c", "listen_addresses=",
         "-c", "unix_socket_permissions=0700",
         "-c", "fsync=" + settings.fsync,
         "-c", "synchronous_commit=" + settings.synchronous_commit,
         "-c", "full_page_writes=" + settings.full_page_writes,
         "-c", "shared_buffers=" + settings.shared_buffers,
         "-c", "max_connections=" + std::to_string(settings.max_connections),
         "-c", "deadlock_timeout=" +
                   std::to_string(settings.deadlock_timeout_ms) + "ms",
         "-c", "logging_collector=off",
         // Its dynamic shared memory in the data directory, which goes
         // with it, not in /dev/shm under names no ledger knows: a server
         // that had to be killed leaves nothing there.
         "-c", "dynamic_shared_memory_type=mmap"},
        {},
        [this]() -> Status {
          const std::string ping = conninfo_ + " connect_timeout=2";
          if (PQping(ping.c_str()) == PQPING_OK) return Status::OK();
          return Status::IOError("no answer on " + conninfo_);
        },
        "", as_server, /*timeout_ns=*/60000000000LL);
  }

  // Whether a process of user `uid` can pass through every directory of
  // the absolute path `dir` (other users' execute bit, or its own).
  static bool Traversable(const std::string& dir, uid_t uid) {
    std::string path;
    size_t at = 0;
    do {
      at = dir.find('/', at + 1);
      path = dir.substr(0, at);
      struct stat st;
      if (path.empty()) continue;
      if (stat(path.c_str(), &st) != 0) return false;
      const bool own = st.st_uid == uid && (st.st_mode & S_IXUSR);
      if (!own && !(st.st_mode & S_IXOTH)) return false;
    } while (at != std::string::npos);
    return true;
  }


  EmbeddedServer server_{"postgres"};
  std::string conninfo_;
};

// ------------------------------------------------------------- primitives

// PostgreSQL's requests for the strategy layer (counters/strategy.h), all
// prepared statements. kLock is SELECT ... FOR UPDATE, which reads the row
// as it locks it; the lock goes with COMMIT or ROLLBACK, so kUnlock sends
// nothing. A serialization failure (40001) or a deadlock (40P01) is a
// conflict: the strategy layer rolls back and runs the transaction again.
// With `pipeline` > 1, and under an event loop over several connections
// (which must never wait at Send), requests go out in libpq's pipeline mode.
class PgPrimitives final : public Primitives {
 public:
  static Result<std::unique_ptr<PgPrimitives>> Open(
      ConnPtr conn, const std::string& table, Isolation isolation,
      bool pipeline, int64_t timeout_ns) {
    std::unique_ptr<PgPrimitives> p(
        new PgPrimitives(std::move(conn), timeout_ns));
    const std::string begin =
        isolation == Isolation::kSerializable
            ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
        : isolation == Isolation::kRepeatableRead
            ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
            : "BEGIN";
    const struct {
      const char* name;
      std::string sql;
      int params;
    } statements[] = {
        {"inc", "UPDATE " + table + " SET value = value + $1 WHERE id = $2", 2},
        {"lock", "SELECT value FROM " + table + " WHERE id = $1 FOR UPDATE", 1},
        {"get", "SELECT value FROM " + table + " WHERE id = $1", 1},
        {"set", "UPDATE " + table + " SET value = $1 WHERE id = $2", 2},
        {"cas", "UPDATE " + table + " SET value = $1 WHERE id = $2 AND "
                "value = $3", 3},
        {"begin", begin, 0},
        {"commit", "COMMIT", 0},
        {"rollback", "ROLLBACK", 0},
    };
    for (const auto& s : statements) {
      bool late = false;
      ResultPtr res;
      if (PQsendPrepare(p->conn_.get(), s.name, s.sql.c_str(), s.params,
                        nullptr)) {
        res = Await(p->conn_.get(), timeout_ns, &late);
      }
      if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
        return Status::IOError(
            "postgres: prepare \"" + s.sql + "\": " +
            FailureText(p->conn_.get(), res.get(), late, timeout_ns));
      }
    }
    if (pipeline) {
      if (PQenterPipelineMode(p->conn_.get()) != 1) {
        return Status::IOError("postgres: pipeline mode: " +
                               ErrorText(p->conn_.get()));
      }
      p->pipeline_ = true;
    }
    return p;
  }

  void Send(const Request& r) override {
    Params params;
    const char* name = Bind(r, &params);
    if (!pipeline_) {
      replies_.push_back(Run(r, name, params));
      return;
    }
    sent_.push_back(r);
    if (name == nullptr) return;  // kUnlock: answered without the server.
    // A sync after each statement: the statements of a pipeline up to a
    // sync run as one implicit transaction, and increments of several rows
    // in one transaction would deadlock with other workers'. Each is its
    // own transaction, as in autocommit. (libpq 15's PQpipelineSync also
    // flushes: one write per increment, and no wait for the reply.)
    if (!PQsendQueryPrepared(conn_.get(), name, params.n, params.values,
                             nullptr, nullptr, 0) ||
        PQpipelineSync(conn_.get()) != 1) {
      failed_send_ = true;
    }
  }

  int fd() const override { return PQsocket(conn_.get()); }

  bool Ready(int64_t timeout_ns) override {
    if (!pipeline_ || failed_send_ || head_ == sent_.size()) return true;
    if (sent_[head_].prim == Prim::kUnlock) return true;  // Nothing sent.
    if (timeout_ns == kReadyBuffered) return !PQisBusy(conn_.get());
    for (;;) {
      // libpq keeps its socket non-blocking: this reads what has come.
      if (!PQconsumeInput(conn_.get()) || !PQisBusy(conn_.get())) return true;
      if (timeout_ns <= 0) return false;
      const int n = WaitReadable(PQsocket(conn_.get()), timeout_ns);
      if (n == 0) return false;
      if (n < 0) return true;
      timeout_ns = 0;  // One wait; then only what has come.
    }
  }

  Reply Receive() override {
    if (!pipeline_) {
      Reply r = std::move(replies_[head_++]);
      if (head_ == replies_.size()) {
        replies_.clear();
        head_ = 0;
      }
      return r;
    }
    return ReceivePipelined();
  }

 private:
  PgPrimitives(ConnPtr conn, int64_t timeout_ns)
      : conn_(std::move(conn)), timeout_ns_(timeout_ns) {}

  struct Params {
    char text[3][24];
    const char* values[3];
    int n = 0;
    void Add(int64_t v) {
      char* end = std::to_chars(text[n], text[n] + 23, v).ptr;
      *end = '\0';
      values[n] = text[n];
      ++n;
    }
  };

  static const char* Bind(const Request& r, Params* p) {
    switch (r.prim) {
      case Prim::kIncrement:
        p->Add(r.value);
        p->Add(r.counter);
        return "inc";
      case Prim::kLock:
        p->Add(r.counter);
        return "lock";
      case Prim::kRead:
        p->Add(r.counter);
        return "get";
      case Prim::kWrite:
        p->Add(r.value);
        p->Add(r.counter);
        return "set";
      case Prim::kCompareAndSet:
        p->Add(r.value);
        p->Add(r.counter);
        p->Add(r.expected);
        return "cas";
      case Prim::kBegin: return "begin";
      case Prim::kCommit: return "commit";
      case Prim::kAbort: return "rollback";
      case Prim::kUnlock: return nullptr;  // COMMIT releases the row lock.
    }
    return nullptr;
  }

  Reply Run(const Request& r, const char* name, const Params& params) {
    if (name == nullptr) return Reply::Done();
    bool late = false;
    ResultPtr res;
    if (PQsendQueryPrepared(conn_.get(), name, params.n, params.values,
                            nullptr, nullptr, 0)) {
      res = Await(conn_.get(), timeout_ns_, &late);
    }
    if (late) {
      return Reply::Lost(Status::IOError("postgres: " + LateText(timeout_ns_)));
    }
    return Interpret(r, res.get());
  }

  Reply Interpret(const Request& r, const PGresult* res) {
    const ExecStatusType st =
        res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK) {
      if (PQntuples(res) != 1) {
        return Reply::Failed(Status::IOError(
            "postgres: counter " + std::to_string(r.counter) + " has no row"));
      }
      return Reply::Value(std::strtoll(PQgetvalue(res, 0, 0), nullptr, 10));
    }
    if (st == PGRES_COMMAND_OK) {
      if (r.prim == Prim::kCompareAndSet &&
          std::strcmp(PQcmdTuples(const_cast<PGresult*>(res)), "1") != 0) {
        return Reply::Conflict();  // Written between our read and this.
      }
      return Reply::Done();
    }
    const std::string state = SqlState(res);
    if (state == "40001" || state == "40P01") return Reply::Conflict();
    const std::string what = PrimName(r.prim);
    if (res == nullptr || PQstatus(conn_.get()) == CONNECTION_BAD ||
        state.rfind("57P", 0) == 0 || state.rfind("08", 0) == 0) {
      return Reply::Lost(Status::IOError(
          "postgres: the server went away during " + what + " (" +
          ErrorText(conn_.get(), res) + ")"));
    }
    return Reply::Failed(
        Status::IOError("postgres: " + what + ": " + ErrorText(conn_.get(), res)));
  }

  // Pipeline mode: each query's result is followed by a null, and then by
  // the PGRES_PIPELINE_SYNC of its sync.
  Reply ReceivePipelined() {
    const Request r = sent_[head_++];
    if (head_ == sent_.size()) {
      sent_.clear();
      head_ = 0;
    }
    auto lost = [this](const std::string& when) {
      return Reply::Lost(Status::IOError("postgres: the server went away " +
                                         when + " (" + ErrorText(conn_.get()) +
                                         ")"));
    };
    if (r.prim == Prim::kUnlock) return Reply::Done();
    if (failed_send_) return lost("while a pipeline was sent");
    ResultPtr res(PQgetResult(conn_.get()));
    if (!res) return lost("in a pipeline");
    const Reply reply = Interpret(r, res.get());
    ResultPtr end(PQgetResult(conn_.get()));  // The null after each query.
    ResultPtr sync(PQgetResult(conn_.get()));
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
      return lost("at the end of a pipelined statement");
    }
    return reply;
  }

  ConnPtr conn_;
  const int64_t timeout_ns_;  // Each request's deadline: the run's timeout.
  bool pipeline_ = false;
  std::vector<Reply> replies_;  // Blocking: answered at Send.
  std::vector<Request> sent_;   // Pipelined: sent, not yet received.
  size_t head_ = 0;
  bool failed_send_ = false;
};

// ------------------------------------------------------------ wait events

// Of `samples` looks at the run's connections, how many found one
// waiting, by wait event; -1: unknown.
struct WaitCounts {
  int64_t samples = -1;
  int64_t lock_tuple = -1;          // Lock:tuple (queued for a row lock).
  int64_t lock_transactionid = -1;  // Lock:transactionid (on its holder).
  int64_t lock_other = -1;          // Any other heavyweight lock.
  int64_t other = -1;               // LWLock, IO, IPC and the rest.

  // As the backend's statistics (the wait_* columns), when known.
  void AddTo(StatValues* stats) const {
    if (samples < 0) return;
    (*stats)["wait_samples"] = Cell::Int(samples);
    (*stats)["wait_lock_tuple"] = Cell::Int(lock_tuple);
    (*stats)["wait_lock_transactionid"] = Cell::Int(lock_transactionid);
    (*stats)["wait_lock_other"] = Cell::Int(lock_other);
    (*stats)["wait_other"] = Cell::Int(other);
  }
};

// Looks at the run's connections in pg_stat_activity every 100 ms from a
// connection of its own, and counts what the active ones wait on.
class WaitSampler {
 public:
  ~WaitSampler() { Stop(); }

  void Start(ConnPtr conn, const std::string& prefix, int64_t timeout_ns) {
    conn_ = std::move(conn);
    prefix_ = prefix;
    timeout_ns_ = timeout_ns;
    waits_ = {0, 0, 0, 0, 0};
    stop_ = false;
    thread_ = std::thread([this] { Loop(); });
  }

  void Stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    conn_.reset();
  }

  // After Stop().
  const WaitCounts& waits() const { return waits_; }

 private:
  void Loop() {
    // Prepared once, and straight from the function behind the view, so
    // that a look costs the server next to nothing: the server shares the
    // machine with the workers it is watching.
    const char* sql =
        "SELECT state, wait_event_type, wait_event FROM "
        "pg_stat_get_activity(NULL) WHERE starts_with(application_name, $1)";
    // Every look has the run's deadline: a stopped server ends the
    // sampling (its counts unknown), never the run's wait for this thread.
    bool late = false;
    ResultPtr prepared;
    if (PQsendPrepare(conn_.get(), "waits", sql, 1, nullptr)) {
      prepared = Await(conn_.get(), timeout_ns_, &late);
    }
    if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      waits_ = WaitCounts();  // Unknown, not zero.
      return;
    }
    const char* values[] = {prefix_.c_str()};
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      ResultPtr res;
      if (PQsendQueryPrepared(conn_.get(), "waits", 1, values, nullptr,
                              nullptr, 0)) {
        res = Await(conn_.get(), timeout_ns_, &late);
      }
      if (late) {
        waits_ = WaitCounts();
        return;
      }
      if (res && PQresultStatus(res.get()) == PGRES_TUPLES_OK) {
        for (int i = 0; i < PQntuples(res.get()); ++i) {
          Count(PQgetvalue(res.get(), i, 0), PQgetvalue(res.get(), i, 1),
                PQgetvalue(res.get(), i, 2));
        }
      }
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(100),
                   [this] { return stop_; });
    }
  }

  void Count(const std::string& state, const std::string& type,
             const std::string& event) {
    ++waits_.samples;
    if (state != "active" || type.empty()) return;
    if (type == "Lock") {
      if (event == "tuple") {
        ++waits_.lock_tuple;
      } else if (event == "transactionid") {
        ++waits_.lock_transactionid;
      } else {
        ++waits_.lock_other;
      }
    } else {
      ++waits_.other;
    }
  }

  ConnPtr conn_;
  std::string prefix_;
  int64_t timeout_ns_ = 0;
  WaitCounts waits_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

// ---------------------------------------------------------------- backend

class PostgresBackend final : public Backend {
 public:
  PostgresBackend(PostgresOptions options, std::string bindir)
      : options_(std::move(options)), bindir_(std::move(bindir)) {}
  ~PostgresBackend() override { Teardown().ok(); }

  Status Setup(const SetupSpec& spec) override {
    Teardown().ok();
    strategy_ = spec.strategy;
    hold_ns_ = spec.hold_ns;
    timeout_ns_ = spec.timeout_ns;
    counters_ = spec.counters;
    ledger_ = spec.ledger;
    NameRun(spec.run_id);
    Status st = options_.embedded ? UseCluster(spec) : Status::OK();
    if (st.ok()) {
      conninfo_ = options_.embedded ? cluster_->conninfo() : options_.url;
      shown_ = options_.embedded ? cluster_->conninfo() : options_.url_redacted;
      st = CreateTable(spec.workers * spec.connections);
    }
    if (!st.ok()) {
      Teardown().ok();
      return st;
    }
    if (cluster_ && cluster_->process()) cluster_->process()->MarkCpu();
    return Status::OK();
  }

  Result<std::unique_ptr<Session>> Connect(int worker,
                                           WorkerTally* tally) override {
    const StrategyConfig config = Config();
    Result<std::unique_ptr<Primitives>> wire =
        Open(app_prefix_ + std::to_string(worker), PipelineDepth(config) > 1);
    if (!wire.ok()) return wire.status();
    return NewStrategySession(std::move(*wire), config, tally);
  }

  // Every connection in pipeline mode: the loop never waits at Send.
  Result<std::unique_ptr<Connections>> ConnectMany(
      int worker, int n, WorkerTally* tally) override {
    return ConnectEach(
        n,
        [&](int c) {
          return Open(
              app_prefix_ + std::to_string(worker) + "c" + std::to_string(c),
              true);
        },
        Config(), tally);
  }

  Result<std::vector<int64_t>> ReadTotals() override {
    Result<PGconn*> admin = Admin();
    if (!admin.ok()) return admin.status();
    bool late = false;
    ResultPtr res = ExecBefore(
        *admin, "SELECT id, value FROM " + table_ + " ORDER BY id",
        BulkDeadline(timeout_ns_, counters_), &late);
    if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK) {
      return Status::IOError(
          "postgres: read totals: " +
          FailureText(*admin, res.get(), late,
                      BulkDeadline(timeout_ns_, counters_)));
    }
    std::vector<int64_t> totals(counters_, 0);
    for (int i = 0; i < PQntuples(res.get()); ++i) {
      const long long id = std::strtoll(PQgetvalue(res.get(), i, 0), nullptr, 10);
      if (id >= 0 && id < static_cast<long long>(counters_)) {
        totals[id] = std::strtoll(PQgetvalue(res.get(), i, 1), nullptr, 10);
      }
    }
    return totals;
  }

  // The run's table, and the application name prefix of its connections
  // (what the wait-event sampler looks for).
  void NameRun(const std::string& run_id) {
    std::string id = run_id;
    for (char& c : id) {
      if (c == '-') c = '_';
    }
    table_ = "ctrbench_" + id;
    app_prefix_ = "ctrbench_" + run_id + "_w";
  }

  // Under MPI: how to reach the server (never a password: each rank's
  // PGPASSWORD or ~/.pgpass), for the other ranks; the table's name
  // follows from the run id they share.
  Result<std::string> Share() const override {
    return nlohmann::json{{"conninfo", conninfo_}, {"shown", shown_}}.dump();
  }

  Status Join(const SetupSpec& spec, const std::string& shared) override {
    Teardown().ok();
    strategy_ = spec.strategy;
    hold_ns_ = spec.hold_ns;
    timeout_ns_ = spec.timeout_ns;
    counters_ = spec.counters;
    NameRun(spec.run_id);
    const nlohmann::json j = nlohmann::json::parse(shared, nullptr, false);
    if (!j.is_object() || !j.contains("conninfo") || !j.contains("shown")) {
      return Status::IOError("postgres: rank 0 sent no address");
    }
    conninfo_ = j["conninfo"].get<std::string>();
    shown_ = j["shown"].get<std::string>();
    return Status::OK();
  }

  // Drops the table (only if this run created it) and stops a server that
  // is not kept for the sweep.
  Status Teardown() override {
    sampler_.Stop();
    Status status;
    if (table_created_) {
      Result<PGconn*> admin = Admin();
      status = admin.status();
      if (admin.ok()) {
        status = Exec(*admin, "DROP TABLE " + table_, "drop", timeout_ns_);
      }
      if (status.ok()) table_created_ = false;
      if (!status.ok() && cluster_ && !cluster_->running()) {
        table_created_ = false;  // Gone with its server.
        status = Status::OK();
      }
    }
    if (!table_created_) table_entry_.Forget();
    admin_.reset();
    cluster_ = nullptr;
    if (own_cluster_) {
      // A server of our own; one that did not stop by itself is said.
      Status stopped = own_cluster_->Stop();
      if (status.ok()) status = stopped;
      own_cluster_.reset();
    }
    if (!table_created_) table_.clear();
    return status;
  }

  void MeasurementStarted() override {
    Result<ConnPtr> conn =
        ctrbench::Connect(conninfo_, shown_, "ctrbench_sampler",
                          options_.connect_timeout_s);
    if (conn.ok()) sampler_.Start(std::move(*conn), app_prefix_, timeout_ns_);
    sampling_ = conn.ok();
    cpu_.Start(ServerCpu());
  }
  void MeasurementEnded() override {
    sampler_.Stop();
    cpu_.End(ServerCpu());
  }
  StatValues Stats() const override {
    StatValues stats;
    if (sampling_) sampler_.waits().AddTo(&stats);
    cpu_.AddTo(&stats);
    return stats;
  }

  std::string Version() const override { return version_; }

  // The embedded server's CPU seconds so far; < 0: none, or unknown.
  double ServerCpu() const {
    return cluster_ && cluster_->process() ? cluster_->process()->CpuSinceMark()
                                           : -1;
  }
  std::vector<pid_t> ServerPids() const override {
    // The postmaster: its children (each in a session of its own) are
    // found by parent, not by group.
    if (!cluster_ || !cluster_->process()) return {};
    return {cluster_->process()->pid()};
  }

  OptionMap EffectiveOptions() const override {
    OptionMap o = {
        {"url", options_.embedded ? kEmbedded : options_.url_redacted},
        {"isolation", IsolationName(options_.isolation)},
        {"txn_ops", std::to_string(options_.txn_ops)},
        {"pipeline", std::to_string(options_.pipeline)},
        {"connect_timeout_s", std::to_string(options_.connect_timeout_s)},
    };
    // What the server runs with, read back from it (a user's server's own
    // settings, too); before Setup, what the embedded one would get.
    const ServerSettings& s = options_.server;
    o["fsync"] = s.fsync;
    o["synchronous_commit"] = s.synchronous_commit;
    o["full_page_writes"] = s.full_page_writes;
    o["shared_buffers"] = s.shared_buffers;
    o["max_connections"] =
        s.max_connections ? std::to_string(s.max_connections) : "auto";
    o["deadlock_timeout_ms"] = std::to_string(s.deadlock_timeout_ms);
    for (const auto& [key, value] : settings_) o[key] = value;
    return o;
  }

 private:
  // A connection named `app` (pg_stat_activity's application_name).
  Result<std::unique_ptr<Primitives>> Open(const std::string& app,
                                           bool pipeline) {
    if (table_.empty()) return Status::IOError("postgres: not set up");
    Result<ConnPtr> conn =
        ctrbench::Connect(conninfo_, shown_, app, options_.connect_timeout_s);
    if (!conn.ok()) return conn.status();
    Result<std::unique_ptr<PgPrimitives>> primitives = PgPrimitives::Open(
        std::move(*conn), table_, options_.isolation, pipeline, timeout_ns_);
    if (!primitives.ok()) return primitives.status();
    return std::unique_ptr<Primitives>(std::move(*primitives));
  }

  StrategyConfig Config() const {
    StrategyConfig config;
    config.strategy = strategy_;
    config.hold_ns = hold_ns_;
    config.transactions = true;
    config.isolated = options_.isolation != Isolation::kReadCommitted;
    config.txn_ops = options_.txn_ops;
    config.pipeline = options_.pipeline;
    config.reply_timeout_ns = timeout_ns_;
    return config;
  }

  // The embedded server for these settings: the sweep's, or a new one.
  Status UseCluster(const SetupSpec& spec) {
    if (bindir_.empty()) return Status::NotSupported(kNotInstalled);
    ServerSettings settings = options_.server;
    if (settings.max_connections == 0) {
      // Enough for the workers, the sampler and setup, in steps, so that
      // runs of a sweep share a server.
      settings.max_connections = 100;
      while (settings.max_connections <
             spec.workers * spec.connections + 16) {
        settings.max_connections *= 2;
      }
    }
    const std::string key =
        "postgres|" + bindir_ + "|" + settings.fsync + "|" +
        settings.synchronous_commit + "|" + settings.full_page_writes + "|" +
        settings.shared_buffers + "|" +
        std::to_string(settings.max_connections) + "|" +
        std::to_string(settings.deadlock_timeout_ms);
    if (spec.servers) {
      auto* kept = static_cast<PgCluster*>(spec.servers->Find(key));
      if (kept && kept->running()) {
        cluster_ = kept;
        return Status::OK();
      }
      if (kept) spec.servers->Remove(key);  // It died: start another.
    }
    Result<std::unique_ptr<PgCluster>> started =
        PgCluster::Start(bindir_, settings, spec.ledger);
    if (!started.ok()) return started.status();
    if (spec.servers) {
      cluster_ = static_cast<PgCluster*>(
          spec.servers->Add(key, std::move(*started)));
    } else {
      own_cluster_ = std::move(*started);
      cluster_ = own_cluster_.get();
    }
    return Status::OK();
  }

  // The connection for setup, verification and teardown, opened on demand.
  Result<PGconn*> Admin() {
    // One whose last command got no reply in time is still busy with it
    // (PQTRANS_ACTIVE): a new connection instead. (PQcancel is no way out:
    // against a stopped server it would wait for ever itself.)
    if (admin_ && PQstatus(admin_.get()) == CONNECTION_OK &&
        PQtransactionStatus(admin_.get()) != PQTRANS_ACTIVE) {
      return admin_.get();
    }
    admin_.reset();
    Result<ConnPtr> conn = ctrbench::Connect(conninfo_, shown_,
                                             "ctrbench_setup",
                                             options_.connect_timeout_s);
    if (!conn.ok()) return conn.status();
    admin_ = std::move(*conn);
    return admin_.get();
  }

  // `clients`: the run's connections, workers x connections per worker.
  Status CreateTable(int clients) {
    Result<PGconn*> admin = Admin();
    if (!admin.ok()) return admin.status();
    PGconn* conn = *admin;
    const char* server_version = PQparameterStatus(conn, "server_version");
    version_ = std::string("postgres ") + (server_version ? server_version : "?");
    settings_.clear();
    for (const char* name : {"fsync", "synchronous_commit", "full_page_writes",
                             "shared_buffers", "max_connections"}) {
      Result<std::string> v =
          QueryValue(conn, std::string("SHOW ") + name, timeout_ns_);
      if (!v.ok()) return v.status();
      settings_[name] = *v;
    }
    Result<std::string> deadlock = QueryValue(
        conn, "SELECT setting FROM pg_settings WHERE name = 'deadlock_timeout'",
        timeout_ns_);
    if (!deadlock.ok()) return deadlock.status();
    settings_["deadlock_timeout_ms"] = *deadlock;
    const long max_connections = std::atol(settings_["max_connections"].c_str());
    if (max_connections > 0 && clients + 5 > max_connections) {
      return Status::InvalidArgument(
          "postgres: " + std::to_string(clients) + " clients (workers x "
          "connections) need " + std::to_string(clients + 5) +
          " connections, and the server at " + shown_ + " allows " +
          std::to_string(max_connections) +
          "; allowed: fewer workers or connections, or a larger "
          "max_connections");
    }
    if (!options_.embedded) {
      // On a user's server: written down first, marked created once the
      // CREATE succeeded, so that `cleanup` drops only a table known to
      // be ours.
      Status st = table_entry_.Record(
          ledger_, "postgres.table",
          {{"conninfo", options_.url_redacted}, {"table", table_},
           {"state", "pending"}});
      if (!st.ok()) return st.WithContext("postgres");
    }
    // Without IF NOT EXISTS: a table of that name is not ours, the CREATE
    // fails, and Teardown leaves that table alone.
    std::string sqlstate;
    Status st = Exec(conn,
                     "CREATE TABLE " + table_ +
                         " (id integer PRIMARY KEY, value bigint NOT NULL)",
                     "create table " + table_, timeout_ns_, &sqlstate);
    if (!st.ok()) {
      if (st.message().find(LateText(timeout_ns_)) != std::string::npos) {
        // It may have been created after all: never known to be ours, so
        // never dropped by us; said.
        return Status::IOError(st.message() + "; if " + table_ +
                               " was created after all, it is left on " +
                               shown_ + ": drop it yourself");
      }
      if (sqlstate == "42P07") {
        return Status::IOError("postgres: a table named " + table_ +
                               " exists already on " + shown_ +
                               "; it is not this run's, so it is left as it "
                               "is");
      }
      return st;
    }
    table_created_ = true;
    table_entry_.Update({{"state", "created"}});
    return Exec(conn,
                "INSERT INTO " + table_ +
                    " (id, value) SELECT g, 0 FROM generate_series(0, " +
                    std::to_string(counters_) + " - 1) AS g",
                "fill " + table_, BulkDeadline(timeout_ns_, counters_));
  }

  const PostgresOptions options_;
  const std::string bindir_;
  Strategy strategy_ = Strategy::kAtomic;
  int64_t hold_ns_ = 0;
  int64_t timeout_ns_ = kDefaultTimeoutNs;  // Each request's deadline.
  uint32_t counters_ = 0;
  Ledger* ledger_ = nullptr;
  std::string table_;
  std::string app_prefix_;  // Of the workers' application_name.
  bool table_created_ = false;  // Only then may Teardown drop it.
  LedgerEntry table_entry_;
  std::string conninfo_;  // Where the workers connect.
  std::string shown_;     // The same, fit for messages.
  std::string version_;
  OptionMap settings_;  // Read back from the server.
  PgCluster* cluster_ = nullptr;  // The embedded server in use.
  std::unique_ptr<PgCluster> own_cluster_;  // When no pool keeps it.
  ConnPtr admin_;
  WaitSampler sampler_;
  bool sampling_ = false;
  CpuWindow cpu_;
};

// `ctrbench cleanup` for a table a killed run left on a user's server: only
// once created (a table of that name that was there before is the user's).
Status UndoTable(const std::string& kind, const LedgerFields& fields,
                 std::string* done) {
  auto field = [&fields](const char* key) { return FieldOf(fields, key); };
  const std::string table = field("table");
  if (kind != "postgres.table" || !IsRunTableName(table)) {
    return Status::InvalidArgument("not a postgres entry");
  }
  if (field("state") != "created") {
    return Status::InvalidArgument("not known to be this run's; left");
  }
  const std::string conninfo = field("conninfo");
  Result<ConnPtr> conn = Connect(conninfo, conninfo, "ctrbench_cleanup", 5);
  if (!conn.ok()) return conn.status();
  Status st = Exec(conn->get(), "DROP TABLE IF EXISTS " + table, "drop",
                   kDefaultTimeoutNs);
  if (!st.ok()) return st;
  *done = "dropped table " + table + " on " + conninfo;
  return Status::OK();
}

}  // namespace

BackendInfo PostgresBackendInfo() {
  BackendInfo info;
  info.name = "postgres";
  info.description =
      "a row per counter in a PostgreSQL table, through libpq; a hot row "
      "queues on its row lock (an embedded throwaway server by default)";
  info.capabilities.threads = true;
  info.capabilities.processes = true;
  info.capabilities.strategies = {Strategy::kAtomic, Strategy::kLock,
                                  Strategy::kCas, Strategy::kNaive};
  info.capabilities.latency_sample_every = 1;
  info.capabilities.connections = true;
  info.capabilities.mpi = true;
  info.stats = {
      ServerCpuStat(),
      {"wait_samples", Cell::Type::kInt, "",
       "looks at the run's connections in pg_stat_activity"},
      {"wait_lock_tuple", Cell::Type::kInt, "",
       "looks that found one queued for a row lock (Lock:tuple)"},
      {"wait_lock_transactionid", Cell::Type::kInt, "",
       "looks that found one waiting for the row's transaction"},
      {"wait_lock_other", Cell::Type::kInt, "",
       "looks that found one waiting for another lock"},
      {"wait_other", Cell::Type::kInt, "",
       "looks that found one waiting on anything else"},
  };
  info.options = Specs();
  info.factory = [](const OptionMap& options)
      -> Result<std::unique_ptr<Backend>> {
    Result<PostgresOptions> parsed = ParseOptions(options);
    if (!parsed.ok()) return parsed.status();
    return std::unique_ptr<Backend>(new PostgresBackend(
        *parsed, parsed->embedded ? FindBinDir() : std::string()));
  };
  info.undo = &UndoTable;
  info.check_run = [](const OptionMap& options, Strategy strategy) -> Status {
    Result<PostgresOptions> parsed = ParseOptions(options);
    if (!parsed.ok()) return parsed.status();
    if (parsed->txn_ops > 1 &&
        (strategy == Strategy::kCas || strategy == Strategy::kNaive)) {
      return Status::InvalidArgument(
          "postgres.txn_ops = " + std::to_string(parsed->txn_ops) +
          " is allowed with atomic and lock only: inside one transaction " +
          StrategyName(strategy) + " would no longer race");
    }
    if (parsed->pipeline > 1 &&
        (parsed->txn_ops > 1 ||
         parsed->isolation != Isolation::kReadCommitted)) {
      return Status::InvalidArgument(
          "postgres.pipeline = " + std::to_string(parsed->pipeline) +
          " is allowed with txn_ops = 1 and read_committed only: a "
          "transaction's statements wait for each other");
    }
    return PipelineAllowed("postgres", parsed->pipeline, strategy);
  };
  info.available = [](const OptionMap& options) -> Status {
    if (options.count("url") || !FindBinDir().empty()) return Status::OK();
    return Status::NotSupported(kNotInstalled);
  };
  return info;
}

}  // namespace ctrbench
