#include "backends/postgres_primitives.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace ctrbench {
namespace postgres {

namespace {

// The statements every connection prepares: each request over `table`,
// and BEGIN at the run's isolation.
Status PrepareStatements(PGconn* conn, const std::string& table,
                         Isolation isolation, int64_t timeout_ns,
                         const UserSql& user) {
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
    const std::string* user = nullptr;  // The user's statement for it.
    const char* option = nullptr;       // Its option.
  } statements[] = {
      {"inc", "UPDATE " + table + " SET value = value + $1 WHERE id = $2", 2,
       &user.add, "sql_add"},
      {"take", "UPDATE " + table + " SET value = value - $1 WHERE id = $2 "
               "AND value >= $1", 2, &user.take, "sql_take"},
      {"addget", "UPDATE " + table + " SET value = value + $1 WHERE id = $2 "
                 "RETURNING value", 2},
      {"lock", "SELECT value FROM " + table + " WHERE id = $1 FOR UPDATE", 1},
      {"get", "SELECT value FROM " + table + " WHERE id = $1", 1, &user.read,
       "sql_read"},
      {"set", "UPDATE " + table + " SET value = $1 WHERE id = $2", 2},
      {"cas", "UPDATE " + table + " SET value = $1 WHERE id = $2 AND "
              "value = $3", 3},
      {"begin", begin, 0},
      {"commit", "COMMIT", 0},
      {"rollback", "ROLLBACK", 0},
  };
  // The user's: $1 the key, $2 the amount, both bigint, so that a
  // statement may leave either out.
  static const Oid kBigints[] = {kBigintOid, kBigintOid};
  for (const auto& s : statements) {
    const Status st =
        s.user != nullptr && !s.user->empty()
            ? Prepare(conn, s.name, *s.user, 2, timeout_ns, kBigints)
                  .WithContext(s.option)
            : Prepare(conn, s.name, s.sql, s.params, timeout_ns);
    if (!st.ok()) return st;
  }
  return Status::OK();
}

// All requests are prepared statements. kLock is SELECT ... FOR UPDATE,
// which reads the row as it locks it; the lock goes with COMMIT or
// ROLLBACK, so kUnlock sends nothing. A serialization failure (40001) or a
// deadlock (40P01) is a conflict: the strategy layer rolls back and runs
// the transaction again.
class PgPrimitives final : public Primitives {
 public:
  PgPrimitives(ConnPtr conn, int64_t timeout_ns, const UserSql& user)
      : conn_(std::move(conn)),
        timeout_ns_(timeout_ns),
        user_add_(!user.add.empty()),
        user_take_(!user.take.empty()),
        user_read_(!user.read.empty()) {}

  PGconn* conn() const { return conn_.get(); }

  Status EnterPipelineMode() {
    if (PQenterPipelineMode(conn_.get()) != 1) {
      return Status::IOError("postgres: pipeline mode: " +
                             ErrorText(conn_.get()));
    }
    pipeline_ = true;
    return Status::OK();
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

  // Our statements take the amount, then the key; the user's the key,
  // then the amount.
  static void AddPair(bool user, const Request& r, Params* p) {
    p->Add(user ? r.counter : r.value);
    p->Add(user ? r.value : r.counter);
  }

  const char* Bind(const Request& r, Params* p) const {
    switch (r.prim) {
      case Prim::kIncrement:
        AddPair(user_add_, r, p);
        return "inc";
      case Prim::kTake:
        AddPair(user_take_, r, p);
        return "take";
      case Prim::kAddGet:
        p->Add(r.value);
        p->Add(r.counter);
        return "addget";
      case Prim::kLock:
        p->Add(r.counter);
        return "lock";
      case Prim::kRead:
        p->Add(r.counter);
        if (user_read_) p->Add(0);
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
    ResultPtr res = ExecPreparedBefore(conn_.get(), name, params.n,
                                       params.values, timeout_ns_, &late);
    if (late) {
      return Reply::Lost(Status::IOError("postgres: " + LateText(timeout_ns_)));
    }
    return Interpret(r, res.get());
  }

  Reply Interpret(const Request& r, const PGresult* res) {
    const ExecStatusType st =
        res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
      // The user's take sold when it returned a row or changed one; their
      // add may return anything.
      if (r.prim == Prim::kTake && user_take_) {
        return Reply::Value(
            PQntuples(res) > 0 ||
            std::atoll(PQcmdTuples(const_cast<PGresult*>(res))) > 0);
      }
      if (r.prim == Prim::kIncrement && user_add_) return Reply::Done();
    }
    if (st == PGRES_TUPLES_OK) {
      if (PQntuples(res) != 1) {
        return Reply::Failed(Status::IOError(
            "postgres: counter " + std::to_string(r.counter) + " has no row"));
      }
      return Reply::Value(std::strtoll(PQgetvalue(res, 0, 0), nullptr, 10));
    }
    if (st == PGRES_COMMAND_OK) {
      // The rows it changed: 1 if the stock had enough, 0 if not.
      if (r.prim == Prim::kTake) {
        return Reply::Value(
            std::strcmp(PQcmdTuples(const_cast<PGresult*>(res)), "1") == 0);
      }
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
    return Reply::Failed(Status::IOError("postgres: " + what + ": " +
                                         ErrorText(conn_.get(), res)));
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
  const bool user_add_, user_take_, user_read_;  // The user's statements.
  bool pipeline_ = false;
  std::vector<Reply> replies_;  // Blocking: answered at Send.
  std::vector<Request> sent_;   // Pipelined: sent, not yet received.
  size_t head_ = 0;
  bool failed_send_ = false;
};

}  // namespace

Result<std::unique_ptr<Primitives>> OpenPrimitives(ConnPtr conn,
                                                   const std::string& table,
                                                   Isolation isolation,
                                                   bool pipeline,
                                                   int64_t timeout_ns,
                                                   const UserSql& user) {
  auto p = std::make_unique<PgPrimitives>(std::move(conn), timeout_ns, user);
  Status st = PrepareStatements(p->conn(), table, isolation, timeout_ns, user);
  if (st.ok() && pipeline) st = p->EnterPipelineMode();
  if (!st.ok()) return st;
  return std::unique_ptr<Primitives>(std::move(p));
}

}  // namespace postgres
}  // namespace ctrbench
