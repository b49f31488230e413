// Which shard (cell) of a key a worker's next increment goes to: the
// run field shard_by. Internal to the worker (counters/worker.cc).

#ifndef CTRBENCH_COUNTERS_CELLS_H_
#define CTRBENCH_COUNTERS_CELLS_H_

#include <sched.h>

#include <atomic>
#include <cstdint>

#include "counters/backend.h"
#include "counters/run_config.h"

namespace ctrbench {

// With shards = 1 every way picks shard 0. `worker`: the worker's own shard,
// fixed. `cpu`: the shard of the CPU the thread runs on now (sched_getcpu,
// which glibc answers from the restartable sequence area the kernel keeps
// current, without a system call). `adaptive`, as Java's LongAdder: every
// worker starts on cell 0 of `cells` (one for the run, shared by its
// workers); when the worker's tally shows a collision (a failed
// compare-and-swap, a lock that was taken, a busy retry), it doubles the
// cells, up to shards, and moves to another cell at random. A run whose
// increments never collide (atomic) keeps one cell.
class CellPicker {
 public:
  CellPicker(ShardBy by, uint32_t shards, uint32_t own, uint64_t seed,
             std::atomic<uint32_t>* cells)
      : by_(shards > 1 ? by : ShardBy::kWorker),
        shards_(shards),
        own_(own),
        probe_(seed | 1),
        cells_(cells) {}

  // True when the shard may change from one increment to the next.
  bool moves() const { return by_ != ShardBy::kWorker; }

  // The shard to add to now; `collisions` is the tally's CollisionMark(),
  // which moves when an operation collided.
  uint32_t Pick(int64_t collisions) {
    switch (by_) {
      case ShardBy::kWorker:
        return own_;
      case ShardBy::kCpu: {
        const int cpu = sched_getcpu();
        return cpu < 0 ? own_ : static_cast<uint32_t>(cpu) % shards_;
      }
      case ShardBy::kAdaptive:
        if (collisions != seen_) {
          seen_ = collisions;
          Collided();
        }
        return static_cast<uint32_t>(probe_ %
                                     cells_->load(std::memory_order_relaxed));
    }
    return own_;
  }

  // The cells in use at the end (adaptive); 0 for the other ways.
  uint32_t cells() const {
    return by_ == ShardBy::kAdaptive ? cells_->load(std::memory_order_relaxed)
                                     : 0;
  }

 private:
  void Collided() {
    uint32_t n = cells_->load(std::memory_order_relaxed);
    while (n < shards_ &&
           !cells_->compare_exchange_weak(n, n * 2 > shards_ ? shards_ : n * 2,
                                          std::memory_order_relaxed)) {
    }
    // xorshift64: another cell, at random.
    probe_ ^= probe_ << 13;
    probe_ ^= probe_ >> 7;
    probe_ ^= probe_ << 17;
  }

  const ShardBy by_;
  const uint32_t shards_, own_;
  uint64_t probe_;
  int64_t seen_ = 0;
  std::atomic<uint32_t>* const cells_;
};

// The shard that connection `c` of `worker` writes (a worker without
// connections: c = 0). The run's clients (each worker's connections in
// turn) are split into `shards` even blocks, a block a shard (fewer
// clients than shards: a shard each). A worker's connections thus share
// a shard where they can, so that on a cluster a worker's requests go to
// one node together, as redis-benchmark --cluster gives each node a
// thread of its own. Spread over the nodes instead, 3 workers x 3
// connections woke every node for each request alone, and made 0.65x of
// redis-benchmark's throughput, not 1.0x.
inline uint32_t ShardOf(const RunConfig& config, int worker, int c) {
  const int64_t clients = int64_t{config.workers} * config.connections;
  const int64_t client = int64_t{worker} * config.connections + c;
  return static_cast<uint32_t>(client * config.shards / clients);
}

// Where the worker's warm-up goes: an inventory's warm-up takes from a
// stock of its own, the counters keys..2 keys - 1 (kind inventory has one
// shard per key), so that the measured time starts from the whole stock;
// a counter's warm-up adds to the measured counters.
inline uint32_t WarmupShard(const RunConfig& config, int worker) {
  return config.kind == Kind::kInventory ? config.keys
                                         : ShardOf(config, worker, 0);
}

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_CELLS_H_
