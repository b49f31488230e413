// SIGINT/SIGTERM handling for a sweep: the handler only sets a flag, and the
// runner polls it, stops its workers, tears the backend down and returns.
// Process-wide by nature, like the signals themselves.

#ifndef CTRBENCH_COUNTERS_INTERRUPT_H_
#define CTRBENCH_COUNTERS_INTERRUPT_H_

namespace ctrbench {

// Installs handlers for SIGINT and SIGTERM that set the flag.
void InstallInterruptHandlers();
// True once SIGINT or SIGTERM has arrived.
bool Interrupted();

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_INTERRUPT_H_
