// Redis's requests for the strategy layer (counters/strategy.h) over one
// server or a cluster: the measured path of the redis backend.
//
//   return NewStrategySession(std::make_unique<RedisPrimitives>(
//       std::move(conn), keys, options, worker, connection, tally), config,
//       tally);

#ifndef CTRBENCH_BACKENDS_REDIS_PRIMITIVES_H_
#define CTRBENCH_BACKENDS_REDIS_PRIMITIVES_H_

#include <memory>

#include "backends/redis_connection.h"
#include "backends/redis_keys.h"
#include "backends/redis_options.h"
#include "counters/strategy.h"

namespace ctrbench {

// `conn`: one server's connection (a cluster's are opened as needed).
std::unique_ptr<Primitives> NewRedisPrimitives(
    std::unique_ptr<RedisConnection> conn, std::shared_ptr<const RunKeys> keys,
    const RedisOptions& options, int worker, int connection,
    WorkerTally* tally);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_REDIS_PRIMITIVES_H_
