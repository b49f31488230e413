// The inproc backend: counters in this process's memory, std::atomic and
// std::mutex slots. Threads only: a forked child would get a private copy.

#ifndef CTRBENCH_BACKENDS_INPROC_H_
#define CTRBENCH_BACKENDS_INPROC_H_

#include "counters/backend.h"

namespace ctrbench {

// Describes the backend for the registry: capabilities, options, factory.
BackendInfo InprocBackendInfo();

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_INPROC_H_
