// The sqlite backend's options: their declarations (for validation,
// `ctrbench list` and the README) and their parsed values.
//
//   Result<SqliteOptions> o = ParseSqliteOptions({{"journal_mode", "wal"}});

#ifndef CTRBENCH_BACKENDS_SQLITE_OPTIONS_H_
#define CTRBENCH_BACKENDS_SQLITE_OPTIONS_H_

#include <string>
#include <vector>

#include "backends/user_sql.h"
#include "counters/backend.h"
#include "counters/status.h"

namespace ctrbench {

// The effective `path` of a run in a temporary directory of our own.
inline constexpr char kTempPath[] = "(temp dir)";

struct SqliteOptions {
  std::string path;          // Empty: a temporary directory of our own.
  std::string journal_mode;  // Empty: "wal" on our own file; as found on
                             // a user's file.
  std::string synchronous = "normal";
  enum class Busy { kRetry, kTimeout } busy = Busy::kRetry;
  int busy_ms = 5000;
  int txn_ops = 1;
  int wal_limit_mb = 64;  // 0: no limit.
  UserSql sql;  // The user's statements (backends/user_sql.h).
  OptionMap asked;  // Every option as given, else its default.
};

const std::vector<OptionSpec>& SqliteOptionSpecs();
// The options given, checked against SqliteOptionSpecs(); InvalidArgument
// naming the option and what is allowed.
Result<SqliteOptions> ParseSqliteOptions(const OptionMap& given);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_SQLITE_OPTIONS_H_
