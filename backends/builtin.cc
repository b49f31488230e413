#include "backends/builtin.h"

#include "backends/inproc.h"
#include "backends/manager/manager.h"
#include "backends/shm.h"
#if CTRBENCH_HAVE_POSTGRES
#include "backends/postgres.h"
#endif
#if CTRBENCH_HAVE_REDIS
#include "backends/redis.h"
#endif
#if CTRBENCH_HAVE_SQLITE
#include "backends/sqlite.h"
#endif

namespace ctrbench {

// A store whose client library was missing at build time is left out
// (CMakeLists.txt, ctrbench_store), and named with the reason.
void RegisterBuiltinBackends(Registry* registry) {
  registry->Add(InprocBackendInfo());
  registry->Add(ShmBackendInfo());
#if CTRBENCH_HAVE_SQLITE
  registry->Add(SqliteBackendInfo());
#else
  registry->LeaveOut("sqlite", CTRBENCH_SQLITE_LEFT_OUT);
#endif
  registry->Add(ManagerBackendInfo());
#if CTRBENCH_HAVE_REDIS
  registry->Add(RedisBackendInfo());
#else
  registry->LeaveOut("redis", CTRBENCH_REDIS_LEFT_OUT);
#endif
#if CTRBENCH_HAVE_POSTGRES
  registry->Add(PostgresBackendInfo());
#else
  registry->LeaveOut("postgres", CTRBENCH_POSTGRES_LEFT_OUT);
#endif
}

}  // namespace ctrbench
