// PostgreSQL's requests for the strategy layer (counters/strategy.h) over
// one libpq connection: the measured path of the postgres backend.
//
//   Result<std::unique_ptr<Primitives>> wire = OpenPrimitives(
//       std::move(conn), "ctrbench_<run id>", Isolation::kReadCommitted,
//       /*pipeline=*/false, timeout_ns);
//   return NewStrategySession(std::move(*wire), config, tally);

#ifndef CTRBENCH_BACKENDS_POSTGRES_PRIMITIVES_H_
#define CTRBENCH_BACKENDS_POSTGRES_PRIMITIVES_H_

#include <cstdint>
#include <memory>
#include <string>

#include "backends/postgres_connection.h"
#include "backends/postgres_options.h"
#include "backends/user_sql.h"
#include "counters/status.h"
#include "counters/strategy.h"

namespace ctrbench {
namespace postgres {

// Prepares the statements over `table` on `conn` (BEGIN at `isolation`;
// the user's add, take and read where `user` has them, names put in) and,
// with `pipeline`, puts it in libpq's pipeline mode: then requests go
// out without waiting for replies (the pipeline option, or an event loop
// over several connections, which must never wait at Send). Each request's
// deadline is `timeout_ns`.
Result<std::unique_ptr<Primitives>> OpenPrimitives(ConnPtr conn,
                                                   const std::string& table,
                                                   Isolation isolation,
                                                   bool pipeline,
                                                   int64_t timeout_ns,
                                                   const UserSql& user = {});

}  // namespace postgres
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_POSTGRES_PRIMITIVES_H_
