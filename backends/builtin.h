// The one place that lists every backend ctrbench is built with.

#ifndef CTRBENCH_BACKENDS_BUILTIN_H_
#define CTRBENCH_BACKENDS_BUILTIN_H_

#include "counters/backend.h"

namespace ctrbench {

void RegisterBuiltinBackends(Registry* registry);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_BUILTIN_H_
