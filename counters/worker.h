// One worker of a run: connects its session (or its event loop of
// connections), waits at the barrier, runs the warm-up and the measured
// time (closed loop, open loop, batching and write-behind), and publishes
// what it did in its WorkerSlot. Internal to the runner.

#ifndef CTRBENCH_COUNTERS_WORKER_H_
#define CTRBENCH_COUNTERS_WORKER_H_

#include <memory>

#include "counters/run_state.h"
#include "counters/runner.h"
#include "counters/workload.h"

namespace ctrbench {

// Runs worker `index` of `config` to its end, in the calling thread (or the
// forked process).
void RunWorker(const RunConfig& config, const Capabilities& caps,
               Backend* backend, SharedState* shared, int index,
               std::shared_ptr<const ZipfTable> zipf);

// 1 in how many calls the runner times. Sampling keeps two clock reads
// (about 21 ns each) away from a 5 ns increment; an operation that holds or
// thinks for a microsecond or more is timed every time.
int SampleEvery(const RunConfig& config, const Capabilities& caps);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_WORKER_H_
