// The sqlite backend: one row per counter in a SQLite table,
// counters(id INTEGER PRIMARY KEY, value INTEGER NOT NULL), where every
// writer contends for the database's single write lock.
//
// Each session opens its own connection inside its worker (after fork for
// process workers) and uses prepared statements only. By default the
// database lives in a temporary directory the backend creates and removes;
// `sqlite.path` names a directory to create it in, or an existing database
// file, where the backend adds a table of its own and drops it afterwards.

#ifndef CTRBENCH_BACKENDS_SQLITE_H_
#define CTRBENCH_BACKENDS_SQLITE_H_

#include "counters/backend.h"

namespace ctrbench {

BackendInfo SqliteBackendInfo();

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_SQLITE_H_
