#include "backends/postgres.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/options.h"
#include "backends/postgres_connection.h"
#include "backends/postgres_options.h"
#include "backends/postgres_primitives.h"
#include "backends/postgres_server.h"
#include "backends/postgres_waits.h"
#include "backends/server_process.h"
#include "counters/client_loop.h"
#include "counters/strategy.h"

namespace ctrbench {
namespace postgres {

namespace {

// The backend over the table of a run: on a user's server (the url
// option), or on the embedded one (postgres_server.h), with its requests in
// postgres_primitives.h and its wait-event statistics in postgres_waits.h.
class PostgresBackend final : public Backend {
 public:
  PostgresBackend(PostgresOptions options, std::string bindir)
      : options_(std::move(options)), bindir_(std::move(bindir)) {}
  ~PostgresBackend() override { Teardown().ok(); }

  Status Setup(const SetupSpec& spec) override {
    Teardown().ok();
    TakeSpec(spec);
    ledger_ = spec.ledger;
    Status st = options_.embedded ? UseCluster(spec) : Status::OK();
    if (st.ok()) {
      conninfo_ = options_.embedded ? cluster_->conninfo() : options_.url;
      shown_ = options_.embedded ? cluster_->conninfo() : options_.url_redacted;
      st = PrepareTable(spec.workers * spec.connections);
    }
    if (st.ok()) st = SetupUserSql();
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
    if (!user_.read.empty()) return ReadEach(*admin);
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
      const long long id =
          std::strtoll(PQgetvalue(res.get(), i, 0), nullptr, 10);
      if (id >= 0 && id < static_cast<long long>(counters_)) {
        totals[id] = std::strtoll(PQgetvalue(res.get(), i, 1), nullptr, 10);
      }
    }
    return totals;
  }

  // Under MPI: how to reach the server (never a password: each rank's
  // PGPASSWORD or ~/.pgpass), for the other ranks; the table's name
  // follows from the run id they share.
  Result<std::string> Share() const override {
    return nlohmann::json{{"conninfo", conninfo_}, {"shown", shown_}}.dump();
  }

  Status Join(const SetupSpec& spec, const std::string& shared) override {
    Teardown().ok();
    TakeSpec(spec);
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
    if (user_setup_) {
      // sql_teardown, and the objects sql_setup made: on a user's server,
      // what is not dropped stays in the ledger.
      user_setup_ = false;
      if (options_.embedded && (!cluster_ || !cluster_->running())) {
        objects_.Forget();  // Gone with the server.
      } else {
        Result<PGconn*> admin = Admin();
        status = admin.status();
        if (admin.ok()) {
          status = objects_.Teardown(
              options_.sql, names_,
              [&](const std::string& sql) {
                return ExecOne(*admin, sql, "sql_teardown", timeout_ns_);
              },
              [](const SqlObject& o) { return DropStatement(o, true); });
        }
      }
    }
    if (table_created_) {
      const Status dropped = DropTable();
      if (status.ok()) status = dropped;
      table_created_ = false;  // Tried once: the destructor does not wait.
    } else {
      table_entry_.Forget();  // A pending entry: the CREATE did not succeed.
    }
    admin_.reset();
    cluster_ = nullptr;
    if (own_cluster_) {
      // A server of our own; one that did not stop by itself is said.
      Status stopped = own_cluster_->Stop();
      if (status.ok()) status = stopped;
      own_cluster_.reset();
    }
    table_.clear();
    return status;
  }

  // The run's table dropped, once. A server that does not answer is given
  // the run's timeout (libpq's least is 2 s), not the connect timeout: it
  // has just failed the run. On a user's server the ledger then keeps the
  // table for `ctrbench cleanup`; an embedded server's goes with it.
  Status DropTable() {
    const int64_t timeout_s = (timeout_ns_ + 999999999) / 1000000000;
    Result<PGconn*> admin = Admin(static_cast<int>(std::clamp<int64_t>(
        timeout_s, 2, options_.connect_timeout_s)));
    Status status = admin.status();
    if (admin.ok()) {
      status = Exec(*admin, "DROP TABLE " + table_, "drop", timeout_ns_);
    }
    if (status.ok() || (cluster_ && !cluster_->running())) {
      table_entry_.Forget();  // Dropped, or gone with its server.
      return Status::OK();
    }
    if (options_.embedded) return status;
    return Status::IOError(status.message() + "; " + table_ +
                           " is left on " + shown_ +
                           " and in the ledger: `ctrbench cleanup` drops it");
  }

  void MeasurementStarted() override {
    Result<ConnPtr> conn =
        postgres::Connect(conninfo_, shown_, "ctrbench_sampler",
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

  std::vector<pid_t> ServerPids() const override {
    // The postmaster: its children (each in a session of its own) are
    // found by parent, not by group.
    if (!cluster_ || !cluster_->process()) return {};
    return {cluster_->process()->pid()};
  }

  Status CheckRun(const SetupSpec& run) const override {
    return postgres::CheckRun(options_, run);
  }

  OptionMap EffectiveOptions() const override {
    OptionMap o = {
        {"url", options_.embedded ? kEmbeddedServer : options_.url_redacted},
        {"isolation", IsolationName(options_.isolation)},
        {"txn_ops", std::to_string(options_.txn_ops)},
        {"pipeline", std::to_string(options_.pipeline)},
        {"connect_timeout_s", std::to_string(options_.connect_timeout_s)},
        {"sql_add", options_.sql.add},
        {"sql_take", options_.sql.take},
        {"sql_read", options_.sql.read},
        {"sql_setup", options_.sql.setup},
        {"sql_teardown", options_.sql.teardown},
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
  // What Setup and Join take from the run: its strategy, deadline and
  // counters, and the names of its table and connections.
  void TakeSpec(const SetupSpec& spec) {
    strategy_ = StrategyConfigFor(spec);
    timeout_ns_ = spec.timeout_ns;
    counters_ = spec.counters;
    initial_ = spec.Initial();
    NameRun(spec.run_id);
  }

  // The run's table, and the application name prefix of its connections
  // (what the wait-event sampler looks for).
  void NameRun(const std::string& run_id) {
    table_ = RunTableName(run_id);
    app_prefix_ = "ctrbench_" + run_id + "_w";
    names_ = {table_, table_};
    user_ = ExpandSql(options_.sql, names_);
  }

  // What sql_setup makes, statement by statement (on a user's server, each
  // object in the ledger first).
  Status SetupUserSql() {
    if (options_.sql.setup.empty() && options_.sql.teardown.empty()) {
      return Status::OK();
    }
    Result<PGconn*> admin = Admin();
    if (!admin.ok()) return admin.status();
    user_setup_ = true;
    return objects_.Setup(
        options_.sql, names_, options_.embedded ? nullptr : ledger_,
        "postgres.object", {{"conninfo", options_.url_redacted}},
        [&](const std::string& sql) {
          // The fill of a table of slots may take a row per counter.
          return ExecOne(*admin, sql, "sql_setup",
                         BulkDeadline(timeout_ns_, counters_));
        });
  }

  // The totals read with the user's read ($1 the key, $2 0), a key at a
  // time.
  Result<std::vector<int64_t>> ReadEach(PGconn* conn) {
    static const Oid kBigints[] = {kBigintOid, kBigintOid};
    std::vector<int64_t> totals(counters_, 0);
    for (uint32_t id = 0; id < counters_; ++id) {
      const std::string key = std::to_string(id);
      const char* values[] = {key.c_str(), "0"};
      bool late = false;
      ResultPtr res;
      if (PQsendQueryParams(conn, user_.read.c_str(), 2, kBigints, values,
                            nullptr, nullptr, 0)) {
        res = Await(conn, timeout_ns_, &late);
      }
      if (!res || PQresultStatus(res.get()) != PGRES_TUPLES_OK ||
          PQntuples(res.get()) < 1) {
        return Status::IOError(
            "postgres: sql_read of key " + key + ": " +
            (res && PQresultStatus(res.get()) == PGRES_TUPLES_OK
                 ? std::string("no row")
                 : FailureText(conn, res.get(), late, timeout_ns_)));
      }
      totals[id] = std::strtoll(PQgetvalue(res.get(), 0, 0), nullptr, 10);
    }
    return totals;
  }

  // The embedded server's CPU seconds so far; < 0: none, or unknown.
  double ServerCpu() const {
    return cluster_ && cluster_->process() ? cluster_->process()->CpuSinceMark()
                                           : -1;
  }

  // A connection named `app` (pg_stat_activity's application_name).
  Result<std::unique_ptr<Primitives>> Open(const std::string& app,
                                           bool pipeline) {
    if (table_.empty()) return Status::IOError("postgres: not set up");
    Result<ConnPtr> conn =
        postgres::Connect(conninfo_, shown_, app, options_.connect_timeout_s);
    if (!conn.ok()) return conn.status();
    return OpenPrimitives(std::move(*conn), table_, options_.isolation,
                          pipeline, timeout_ns_, user_);
  }

  StrategyConfig Config() const {
    StrategyConfig config = strategy_;
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
    const ServerSettings settings =
        options_.server.For(spec.workers * spec.connections);
    const std::string key = settings.PoolKey(bindir_);
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

  // The connection for setup, verification and teardown, opened on demand
  // (with the connect timeout, unless told a shorter one).
  Result<PGconn*> Admin(int connect_timeout_s = 0) {
    // One whose last command got no reply in time is still busy with it
    // (PQTRANS_ACTIVE): a new connection instead. (PQcancel is no way out:
    // against a stopped server it would wait for ever itself.)
    if (admin_ && PQstatus(admin_.get()) == CONNECTION_OK &&
        PQtransactionStatus(admin_.get()) != PQTRANS_ACTIVE) {
      return admin_.get();
    }
    admin_.reset();
    Result<ConnPtr> conn = postgres::Connect(
        conninfo_, shown_, "ctrbench_setup",
        connect_timeout_s > 0 ? connect_timeout_s : options_.connect_timeout_s);
    if (!conn.ok()) return conn.status();
    admin_ = std::move(*conn);
    return admin_.get();
  }

  // The run's table, created and filled; first what the server is, and
  // whether it takes `clients` connections (workers x connections each).
  Status PrepareTable(int clients) {
    Result<PGconn*> admin = Admin();
    if (!admin.ok()) return admin.status();
    PGconn* conn = *admin;
    Status st = ReadServer(conn);
    if (st.ok()) st = CheckClients(clients);
    if (st.ok()) st = CreateTable(conn);
    if (!st.ok()) return st;
    return Exec(conn,
                "INSERT INTO " + table_ +
                    " (id, value) SELECT g, " + std::to_string(initial_) +
                    " FROM generate_series(0, " +
                    std::to_string(counters_) + " - 1) AS g",
                "fill " + table_, BulkDeadline(timeout_ns_, counters_));
  }

  // The server's version, and the settings the row records, read back.
  Status ReadServer(PGconn* conn) {
    const char* server_version = PQparameterStatus(conn, "server_version");
    version_ =
        std::string("postgres ") + (server_version ? server_version : "?");
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
    return Status::OK();
  }

  // Whether the server's max_connections (read back) takes the run.
  Status CheckClients(int clients) {
    const long max_connections =
        std::atol(settings_["max_connections"].c_str());
    if (max_connections > 0 && clients + 5 > max_connections) {
      return Status::InvalidArgument(
          "postgres: " + std::to_string(clients) + " clients (workers x "
          "connections) need " + std::to_string(clients + 5) +
          " connections, and the server at " + shown_ + " allows " +
          std::to_string(max_connections) +
          "; allowed: fewer workers or connections, or a larger "
          "max_connections");
    }
    return Status::OK();
  }

  Status CreateTable(PGconn* conn) {
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
    return Status::OK();
  }

  const PostgresOptions options_;
  const std::string bindir_;
  int64_t initial_ = 0;  // Every row's value at the start: the stock.
  // The run's strategy, hold and take (StrategyConfigFor).
  StrategyConfig strategy_;
  int64_t timeout_ns_ = kDefaultTimeoutNs;  // Each request's deadline.
  uint32_t counters_ = 0;
  Ledger* ledger_ = nullptr;
  std::string table_;
  std::string app_prefix_;  // Of the workers' application_name.
  bool table_created_ = false;  // Only then may Teardown drop it.
  LedgerEntry table_entry_;
  SqlNames names_;       // {table} and {prefix} of the user's statements.
  UserSql user_;         // Their add, take and read with the names put in.
  UserObjects objects_;  // What sql_setup made.
  bool user_setup_ = false;  // sql_setup ran: sql_teardown runs.
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

// `ctrbench cleanup` for an object a killed run's sql_setup made on a
// user's server (only once created).
Status UndoObject(const LedgerFields& fields, std::string* done) {
  Result<SqlObject> object = ObjectOfEntry(fields);
  if (!object.ok()) return object.status();
  if (FieldOf(fields, "state") != "created") {
    return Status::InvalidArgument("not known to be this run's; left");
  }
  const std::string conninfo = FieldOf(fields, "conninfo");
  Result<ConnPtr> conn = Connect(conninfo, conninfo, "ctrbench_cleanup", 5);
  if (!conn.ok()) return conn.status();
  Status st = Exec(conn->get(), DropStatement(*object, true), "drop",
                   kDefaultTimeoutNs);
  if (!st.ok()) return st;
  *done = "dropped " + object->kind + " " + object->name + " on " + conninfo;
  return Status::OK();
}

// `ctrbench cleanup` for a table a killed run left on a user's server: only
// once created (a table of that name that was there before is the user's).
Status UndoTable(const std::string& kind, const LedgerFields& fields,
                 std::string* done) {
  auto field = [&fields](const char* key) { return FieldOf(fields, key); };
  if (kind == "postgres.object") return UndoObject(fields, done);
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
}  // namespace postgres

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
  info.capabilities.inventory = true;
  info.stats = {ServerCpuStat()};
  for (const StatSpec& stat : postgres::WaitStats()) info.stats.push_back(stat);
  info.options = postgres::Specs();
  info.factory = [](const OptionMap& options)
      -> Result<std::unique_ptr<Backend>> {
    Result<postgres::PostgresOptions> parsed = postgres::ParseOptions(options);
    if (!parsed.ok()) return parsed.status();
    return std::unique_ptr<Backend>(new postgres::PostgresBackend(
        *parsed, parsed->embedded ? postgres::FindBinDir() : std::string()));
  };
  info.undo = &postgres::UndoTable;
  info.available = [](const OptionMap& options) -> Status {
    if (options.count("url") || !postgres::FindBinDir().empty()) {
      return Status::OK();
    }
    return Status::NotSupported(postgres::kNotInstalled);
  };
  return info;
}

}  // namespace ctrbench
