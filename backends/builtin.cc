#include "backends/builtin.h"

#include "backends/inproc.h"
#include "backends/manager/manager.h"
#include "backends/postgres.h"
#include "backends/redis.h"
#include "backends/shm.h"
#include "backends/sqlite.h"

namespace ctrbench {

void RegisterBuiltinBackends(Registry* registry) {
  registry->Add(InprocBackendInfo());
  registry->Add(ShmBackendInfo());
  registry->Add(SqliteBackendInfo());
  registry->Add(ManagerBackendInfo());
  registry->Add(RedisBackendInfo());
  registry->Add(PostgresBackendInfo());
}

}  // namespace ctrbench
