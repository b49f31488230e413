// The postgres backend: one row per counter in a PostgreSQL table, through
// libpq, so that a hot counter queues on a real row lock.
//
// The table is ctrbench_<run id>, created by the run and dropped after it;
// nothing else on a user's server (`postgres.url`) is touched. Without a url
// the backend creates a throwaway cluster (initdb in a temporary directory,
// the server on a Unix socket there, TCP off), kept for the rest of a sweep
// with the same server settings and removed afterwards. As root, the server
// runs as the unprivileged user `postgres`, since PostgreSQL refuses root.

#ifndef CTRBENCH_BACKENDS_POSTGRES_H_
#define CTRBENCH_BACKENDS_POSTGRES_H_

#include "counters/backend.h"

namespace ctrbench {

BackendInfo PostgresBackendInfo();

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_POSTGRES_H_
