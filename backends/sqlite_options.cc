#include "backends/sqlite_options.h"

#include <sys/stat.h>

#include "backends/options.h"

namespace ctrbench {

namespace {

// "retry:MS" or "timeout:MS"; false for anything else.
bool ParseBusy(const std::string& value, SqliteOptions::Busy* busy, int* ms) {
  const size_t colon = value.find(':');
  const std::string kind = value.substr(0, colon);
  long n = 0;
  if (colon == std::string::npos || (kind != "retry" && kind != "timeout") ||
      !ParseIntOption(value.substr(colon + 1), 1, 3600000, &n)) {
    return false;
  }
  *busy = kind == "retry" ? SqliteOptions::Busy::kRetry
                          : SqliteOptions::Busy::kTimeout;
  *ms = static_cast<int>(n);
  return true;
}

Status CheckPath(const std::string& value) {
  struct stat st;
  if (value.empty() || stat(value.c_str(), &st) != 0 ||
      !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
    return Status::InvalidArgument(
        "an existing directory or an existing database file");
  }
  if (S_ISREG(st.st_mode) && st.st_size == 0) {
    // SQLite would take it for a new database and write into it.
    return Status::InvalidArgument(
        "a directory or an existing SQLite database, not an empty file (not "
        "a database yet, and maybe something of yours)");
  }
  return Status::OK();
}

}  // namespace

const std::vector<OptionSpec>& SqliteOptionSpecs() {
  static const std::vector<OptionSpec>* specs = [] {
    auto* own = new std::vector<OptionSpec>{
      TextOption("path", "a directory or an existing database file",
                 kTempPath,
                 "where the database lives; in an existing file the backend "
                 "adds a table ctrbench_<run id> and drops it afterwards",
                 &CheckPath),
      ChoiceOption("journal_mode", {"wal", "delete", "truncate"}, "wal",
                   "journal mode (an existing file keeps its own unless this "
                   "is set)")
          .WithStoreDefault("delete"),
      ChoiceOption("synchronous", {"off", "normal", "full"}, "normal",
                   "PRAGMA synchronous (normal, the usual setting with the "
                   "WAL: the WAL is synced at checkpoints only, so a power "
                   "cut may undo the last commits)")
          .WithStoreDefault("full"),
      TextOption("busy", "timeout:MS or retry:MS", "retry:5000",
                 "how a busy database is waited for: SQLite's busy handler "
                 "(which sleeps in steps of milliseconds) or ctrbench's own "
                 "retries with a short randomized backoff, each counted; the "
                 "default retries, so that every busy wait shows in the CSV",
                 [](const std::string& value) {
                   SqliteOptions::Busy busy;
                   int ms = 0;
                   return ParseBusy(value, &busy, &ms)
                              ? Status::OK()
                              : Status::InvalidArgument(
                                    "timeout:MS or retry:MS, MS from 1 to "
                                    "3600000");
                 },
                 true),
      IntOption("wal_limit_mb", 0, 1000000, 64,
                "the WAL is checkpointed (TRUNCATE) when it passes this "
                "size, so that continuous writers cannot fill the disk; 0: "
                "never (SQLite's automatic checkpoints only)"),
      IntOption("txn_ops", 1, 1000000, 1,
                "increments grouped in one BEGIN IMMEDIATE transaction "
                "(atomic and lock only)"),
    };
    for (OptionSpec& spec : UserSqlOptionSpecs("?1 and ?2")) {
      own->push_back(std::move(spec));
    }
    return own;
  }();
  return *specs;
}

Result<SqliteOptions> ParseSqliteOptions(const OptionMap& given) {
  Result<OptionValues> v =
      OptionValues::Parse("sqlite", SqliteOptionSpecs(), given);
  if (!v.ok()) return v.status();
  SqliteOptions o;
  if (v->Given("path")) o.path = v->Text("path");
  if (v->Given("journal_mode")) o.journal_mode = v->Text("journal_mode");
  o.synchronous = v->Text("synchronous");
  ParseBusy(v->Text("busy"), &o.busy, &o.busy_ms);
  o.wal_limit_mb = v->Int("wal_limit_mb");
  o.txn_ops = v->Int("txn_ops");
  o.sql = UserSqlOf(*v);
  o.asked = v->Effective();
  return o;
}

}  // namespace ctrbench
