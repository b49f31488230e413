// The event loop behind Backend::ConnectMany: the connections of one worker,
// each with a StrategyMachine of its own (or, when it pipelines atomic
// increments, a queue of requests in flight), driven together over their
// sockets with epoll, so that one thread keeps many clients busy.
//
//   return ConnectEach(n, [&](int c) { return OpenOne(c); }, config, tally);
//
// The primitives must never wait for a reply at Send (requests are
// written by Push, or at Send without waiting for an answer) and must have
// a socket (Primitives::fd).

#ifndef CTRBENCH_COUNTERS_CLIENT_LOOP_H_
#define CTRBENCH_COUNTERS_CLIENT_LOOP_H_

#include <functional>
#include <memory>
#include <vector>

#include "counters/backend.h"
#include "counters/status.h"
#include "counters/strategy.h"

namespace ctrbench {

Result<std::unique_ptr<Connections>> NewClientLoop(
    std::vector<std::unique_ptr<Primitives>> wires,
    const StrategyConfig& config, WorkerTally* tally);

// A backend's ConnectMany: opens connections 0..n-1 with `open` (the first
// error ends it) and drives them with NewClientLoop.
Result<std::unique_ptr<Connections>> ConnectEach(
    int n,
    const std::function<Result<std::unique_ptr<Primitives>>(int)>& open,
    const StrategyConfig& config, WorkerTally* tally);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_CLIENT_LOOP_H_
