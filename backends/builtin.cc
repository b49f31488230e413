#include "backends/builtin.h"

#include "backends/inproc.h"
#include "backends/shm.h"

namespace ctrbench {

void RegisterBuiltinBackends(Registry* registry) {
  registry->Add(InprocBackendInfo());
  registry->Add(ShmBackendInfo());
}

}  // namespace ctrbench
