// The manager backend: counters owned by a `ctrbench server` process
// (backends/manager/server.h), reached over a Unix socket or TCP.
//
// Without `manager.address` the backend starts its own server on a Unix
// socket in a temporary directory, in its own process group (a Ctrl-C meant
// for the run does not kill it first) and set to die with its parent, and
// stops it at teardown.

#ifndef CTRBENCH_BACKENDS_MANAGER_MANAGER_H_
#define CTRBENCH_BACKENDS_MANAGER_MANAGER_H_

#include "counters/backend.h"

namespace ctrbench {

BackendInfo ManagerBackendInfo();

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_MANAGER_MANAGER_H_
