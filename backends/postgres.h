// The postgres backend: one row per counter in a PostgreSQL table, through
// libpq, so that a hot counter queues on a real row lock.
//
// The table is ctrbench_<run id>, created by the run and dropped after it;
// nothing else on a user's server (`postgres.url`) is touched. Without a url
// the backend creates a throwaway cluster (initdb in a temporary directory,
// the server on a Unix socket there, TCP off), kept for the rest of a sweep
// with the same server settings and removed afterwards. As root, the server
// runs as the unprivileged user `postgres`, since PostgreSQL refuses root.
//
// Its parts, a file each: postgres_options.h (the options), _connection.h
// (libpq with deadlines), _server.h (the embedded server and its settings),
// _primitives.h (the requests, the measured path), _waits.h (the wait-event
// statistics); postgres.cc holds the backend itself.

#ifndef CTRBENCH_BACKENDS_POSTGRES_H_
#define CTRBENCH_BACKENDS_POSTGRES_H_

#include "counters/backend.h"

namespace ctrbench {

BackendInfo PostgresBackendInfo();

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_POSTGRES_H_
