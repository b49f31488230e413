// Finding the programs ctrbench runs (redis-server, gnuplot) the way a shell
// would.

#ifndef CTRBENCH_COUNTERS_PROGRAM_H_
#define CTRBENCH_COUNTERS_PROGRAM_H_

#include <string>

namespace ctrbench {

// The executable `name` resolves to: `name` itself when it holds a '/',
// otherwise the first match on PATH. "" when there is none.
std::string FindProgram(const std::string& name);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_PROGRAM_H_
