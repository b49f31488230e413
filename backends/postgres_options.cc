#include "backends/postgres_options.h"

#include <libpq-fe.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "backends/options.h"

namespace ctrbench {
namespace postgres {

namespace {

struct ConninfoFree {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};

// What libpq made of a connection string or URI: its keyword=value pairs
// without the password, and whether it held one.
struct Conninfo {
  std::string redacted;
  bool has_password = false;
};

// A conninfo string or URI, checked by libpq itself.
Result<Conninfo> ParseConninfo(const std::string& text) {
  char* err = nullptr;
  std::unique_ptr<PQconninfoOption, ConninfoFree> parsed(
      PQconninfoParse(text.c_str(), &err));
  if (!parsed) {
    std::string why = err ? err : "out of memory";
    PQfreemem(err);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return Status::InvalidArgument(why);
  }
  Conninfo c;
  for (PQconninfoOption* o = parsed.get(); o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    if (std::strcmp(o->keyword, "password") == 0) {
      c.has_password = true;
      continue;
    }
    if (!c.redacted.empty()) c.redacted += ' ';
    c.redacted += std::string(o->keyword) + "=" + o->val;
  }
  return c;
}

// Whether the url option allows what ParseConninfo made of a value.
Status UrlAllowed(const Result<Conninfo>& parsed) {
  if (!parsed.ok()) {
    return Status::InvalidArgument("a libpq connection string or URI (" +
                                   parsed.status().message() + ")");
  }
  if (parsed->has_password) {
    return Status::InvalidArgument(
        "a connection string without a password (it goes in PGPASSWORD or "
        "~/.pgpass)");
  }
  return Status::OK();
}

// A connection string in a message: never its password.
std::string ShownConninfo(const std::string& value) {
  const Result<Conninfo> parsed = ParseConninfo(value);
  if (!parsed.ok()) return "(not shown)";
  return parsed->has_password ? parsed->redacted + " password=***"
                              : parsed->redacted;
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

Status CheckMaxConnections(const std::string& value) {
  long n = 0;
  return value == "auto" || ParseIntOption(value, 10, 10000, &n)
             ? Status::OK()
             : Status::InvalidArgument("");
}

// The options that set up the embedded server.
constexpr const char* kServerOptions[] = {
    "fsync",          "synchronous_commit", "full_page_writes",
    "shared_buffers", "max_connections",    "deadlock_timeout_ms"};

// The url option. Its check leaves what libpq made of an allowed value in
// *parsed (when not null), so that ParseOptions need not parse it again.
OptionSpec UrlOption(Conninfo* parsed) {
  OptionSpec url = TextOption(
      "url", "a libpq connection string or URI, without a password",
      kEmbeddedServer,
      "a running server; the run creates a table ctrbench_<run id> there "
      "and drops it afterwards. The password comes from PGPASSWORD or "
      "~/.pgpass. Without it the backend runs its own server (initdb in a "
      "temporary directory, a Unix socket, TCP off), kept for the sweep",
      [parsed](const std::string& value) {
        const Result<Conninfo> conninfo = ParseConninfo(value);
        Status st = UrlAllowed(conninfo);
        if (st.ok() && parsed != nullptr) *parsed = *conninfo;
        return st;
      });
  url.shown = &ShownConninfo;
  return url;
}

// The declarations; the url's check writes to *parsed_url (see UrlOption).
// The embedded server's defaults come from ServerSettings, and PostgreSQL's
// own beside them (a run line shows a setting away from those, on a
// user's server too).
std::vector<OptionSpec> Declare(Conninfo* parsed_url) {
  const ServerSettings server;
  std::vector<OptionSpec> specs = {
      UrlOption(parsed_url),
      ChoiceOption("isolation",
                   {"read_committed", "repeatable_read", "serializable"},
                   "read_committed",
                   "transaction isolation; above read_committed every "
                   "increment runs in a transaction, and a serialization "
                   "failure is retried and counted")
          .WithStoreDefault("read_committed"),
      IntOption("txn_ops", 1, 1000000, 1,
                "increments per transaction (atomic and lock only)"),
      IntOption("pipeline", 1, 1024, 1,
                "UPDATEs in flight per worker in libpq's pipeline mode "
                "(atomic, read_committed, txn_ops 1)"),
      IntOption("connect_timeout_s", 2, 600, 5, "libpq connect timeout"),
      ChoiceOption("fsync", {"on", "off"}, server.fsync,
                   "embedded server: fsync (off: nothing is flushed to "
                   "disk, and a power cut can corrupt the cluster)")
          .WithStoreDefault("on"),
      ChoiceOption("synchronous_commit", {"on", "off"},
                   server.synchronous_commit,
                   "embedded server: synchronous_commit (off: a commit "
                   "returns before its WAL is flushed)")
          .WithStoreDefault("on"),
      ChoiceOption("full_page_writes", {"on", "off"}, server.full_page_writes,
                   "embedded server: full_page_writes")
          .WithStoreDefault("on"),
      TextOption("shared_buffers", "a size such as 128MB",
                 server.shared_buffers, "embedded server: shared_buffers",
                 &CheckSize, true)
          .WithStoreDefault("128MB"),
      TextOption("max_connections", "auto, or an integer from 10 to 10000",
                 server.max_connections == 0
                     ? "auto"
                     : std::to_string(server.max_connections),
                 "embedded server: max_connections (auto: at least 100, "
                 "and enough for the workers)",
                 &CheckMaxConnections, true)
          .WithStoreDefault("100"),
      IntOption("deadlock_timeout_ms", 1, 600000, server.deadlock_timeout_ms,
                "embedded server: how long a lock wait lasts before the "
                "deadlock check")
          .WithStoreDefault("1000"),
  };
  for (OptionSpec& spec : UserSqlOptionSpecs("$1 and $2")) {
    specs.push_back(std::move(spec));
  }
  return specs;
}

ServerSettings ServerSettingsOf(const OptionValues& v) {
  ServerSettings s;
  s.fsync = v.Text("fsync");
  s.synchronous_commit = v.Text("synchronous_commit");
  s.full_page_writes = v.Text("full_page_writes");
  s.shared_buffers = v.Text("shared_buffers");
  s.max_connections =
      v.Text("max_connections") == "auto" ? 0 : v.Int("max_connections");
  s.deadlock_timeout_ms = v.Int("deadlock_timeout_ms");
  return s;
}

}  // namespace

const char* IsolationName(Isolation i) {
  switch (i) {
    case Isolation::kReadCommitted: return "read_committed";
    case Isolation::kRepeatableRead: return "repeatable_read";
    case Isolation::kSerializable: return "serializable";
  }
  return "?";
}

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec>* specs =
      new std::vector<OptionSpec>(Declare(nullptr));
  return *specs;
}

Result<PostgresOptions> ParseOptions(const OptionMap& given) {
  Conninfo url;
  Result<OptionValues> v =
      OptionValues::Parse("postgres", Declare(&url), given);
  if (!v.ok()) return v.status();
  PostgresOptions o;
  o.embedded = !v->Given("url");
  if (!o.embedded) {
    o.url = v->Text("url");
    o.url_redacted = url.redacted;
  }
  const std::string& isolation = v->Text("isolation");
  o.isolation = isolation == "serializable"      ? Isolation::kSerializable
                : isolation == "repeatable_read" ? Isolation::kRepeatableRead
                                                 : Isolation::kReadCommitted;
  o.txn_ops = v->Int("txn_ops");
  o.pipeline = v->Int("pipeline");
  o.sql = UserSqlOf(*v);
  o.connect_timeout_s = v->Int("connect_timeout_s");
  o.server = ServerSettingsOf(*v);
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

Status CheckRun(const PostgresOptions& parsed, const SetupSpec& run) {
  const Status user = CheckUserSqlRun(parsed.sql, run);
  if (!user.ok()) return user;
  const Strategy strategy = run.strategy;
  if (parsed.txn_ops > 1 &&
      (strategy == Strategy::kCas || strategy == Strategy::kNaive)) {
    return Status::InvalidArgument(
        "postgres.txn_ops = " + std::to_string(parsed.txn_ops) +
        " is allowed with atomic and lock only: inside one transaction " +
        StrategyName(strategy) + " would no longer race");
  }
  if (parsed.pipeline > 1 &&
      (parsed.txn_ops > 1 ||
       parsed.isolation != Isolation::kReadCommitted)) {
    return Status::InvalidArgument(
        "postgres.pipeline = " + std::to_string(parsed.pipeline) +
        " is allowed with txn_ops = 1 and read_committed only: a "
        "transaction's statements wait for each other");
  }
  return PipelineAllowed("postgres", parsed.pipeline, strategy, run.kind);
}

}  // namespace postgres
}  // namespace ctrbench
