// The postgres backend's options: their declarations (backends/options.h),
// what they parse to, and which combinations a run may not use.
//
//   Result<PostgresOptions> o = ParseOptions(given);
//   Status st = CheckRun(*o, spec);

#ifndef CTRBENCH_BACKENDS_POSTGRES_OPTIONS_H_
#define CTRBENCH_BACKENDS_POSTGRES_OPTIONS_H_

#include <string>
#include <vector>

#include "backends/postgres_server.h"
#include "backends/user_sql.h"
#include "counters/backend.h"
#include "counters/status.h"

namespace ctrbench {
namespace postgres {

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

// "read_committed", as the option names it.
const char* IsolationName(Isolation i);

struct PostgresOptions {
  bool embedded = true;
  std::string url;           // A user's server: libpq conninfo or URI.
  std::string url_redacted;  // The same without secrets, for messages.
  Isolation isolation = Isolation::kReadCommitted;
  int txn_ops = 1;
  int pipeline = 1;
  int connect_timeout_s = 5;
  UserSql sql;  // The user's statements (backends/user_sql.h).
  ServerSettings server;  // For the embedded server.
  std::vector<std::string> server_options_given;
};

// The declarations, for BackendInfo::options.
const std::vector<OptionSpec>& Specs();

// Checks `given` against Specs() (the url once, by libpq itself), and
// refuses an option of the embedded server with a url.
Result<PostgresOptions> ParseOptions(const OptionMap& given);

// Whether parsed options suit `run`: txn_ops above 1 with atomic and lock
// only, pipeline above 1 with atomic, txn_ops 1 and read_committed only,
// the user's statements with atomic only (CheckUserSqlRun).
Status CheckRun(const PostgresOptions& options, const SetupSpec& run);

}  // namespace postgres
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_POSTGRES_OPTIONS_H_
