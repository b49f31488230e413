// The redis backend: one Redis string key per counter, through hiredis.
//
// Keys are ctrbench:<run id>:<counter>; the backend touches and deletes only
// its own keys, never FLUSHDB, so a user's server is left as it was found.
// Without `redis.url` the backend starts its own redis-server on a Unix
// socket in a temporary directory, with TCP and persistence off.

#ifndef CTRBENCH_BACKENDS_REDIS_H_
#define CTRBENCH_BACKENDS_REDIS_H_

#include "counters/backend.h"

namespace ctrbench {

BackendInfo RedisBackendInfo();

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_REDIS_H_
