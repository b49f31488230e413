// Counter slots in memory, and the four strategies on them. Shared by the
// inproc backend (std::mutex, private memory) and the shm backend
// (interprocess_mutex, a shared-memory segment).
//
// A slot is an atomic value and a lock. With padding each slot starts on its
// own cache line; without it slots are packed, so neighbouring counters share
// lines and writers to different counters slow each other (false sharing).

#ifndef CTRBENCH_BACKENDS_SLOTS_H_
#define CTRBENCH_BACKENDS_SLOTS_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/clock.h"

namespace ctrbench {

inline constexpr size_t kCacheLine = 64;

template <typename Mutex>
struct Slot {
  std::atomic<int64_t> value{0};
  Mutex mutex;
};

// A view of `count` slots placed `stride` bytes apart in memory owned by
// the backend.
template <typename Mutex>
class SlotArray {
 public:
  static size_t Stride(bool padding) {
    const size_t size = sizeof(Slot<Mutex>);
    return padding ? (size + kCacheLine - 1) / kCacheLine * kCacheLine : size;
  }
  static size_t Bytes(uint32_t count, bool padding) {
    return Stride(padding) * count;
  }

  SlotArray() = default;
  SlotArray(void* base, size_t stride, uint32_t count)
      : base_(static_cast<char*>(base)), stride_(stride), count_(count) {}

  // Constructs each slot in place, one by one: an array placement-new may
  // add a cookie in front of the array.
  void ConstructAll() {
    for (uint32_t i = 0; i < count_; ++i) new (base_ + i * stride_) Slot<Mutex>;
  }
  void DestroyAll() {
    for (uint32_t i = 0; i < count_; ++i) at(i).~Slot<Mutex>();
  }

  Slot<Mutex>& at(uint32_t i) const {
    return *reinterpret_cast<Slot<Mutex>*>(base_ + i * stride_);
  }

  // Every slot's value to `value` (the stock), before any worker starts.
  void FillAll(int64_t value) {
    for (uint32_t i = 0; i < count_; ++i) {
      at(i).value.store(value, std::memory_order_relaxed);
    }
  }

  std::vector<int64_t> Totals() const {
    std::vector<int64_t> totals(count_);
    for (uint32_t i = 0; i < count_; ++i) {
      totals[i] = at(i).value.load(std::memory_order_acquire);
    }
    return totals;
  }

 private:
  char* base_ = nullptr;
  size_t stride_ = 0;
  uint32_t count_ = 0;
};

template <typename Mutex, Strategy kStrategy>
class SlotSession final : public Session {
 public:
  SlotSession(SlotArray<Mutex> slots, int64_t hold_ns, WorkerTally* tally)
      : slots_(slots), hold_ns_(hold_ns), tally_(tally) {}

  Status Add(uint32_t counter, int64_t delta) override {
    AddOne(counter, delta);
    tally_->Ack(counter, delta);
    return Status::OK();
  }

  // Acknowledgements of a run of one counter are summed in a register and
  // written once: a store between two locked instructions would wait for
  // the store buffer to drain at each (x86's lock prefix is a full fence),
  // which cost a third of an uncontended atomic increment.
  Status AddMany(const uint32_t* counters, size_t n, int64_t delta,
                 size_t* done) override {
    uint32_t last = n > 0 ? counters[0] : 0;
    int64_t pending = 0;
    for (size_t i = 0; i < n; ++i) {
      AddOne(counters[i], delta);
      if (counters[i] != last) {
        tally_->Ack(last, pending);
        last = counters[i];
        pending = 0;
      }
      pending += delta;
    }
    if (pending != 0) tally_->Ack(last, pending);
    *done = n;
    return Status::OK();
  }

  Result<int64_t> Read(uint32_t counter) override {
    return slots_.at(counter).value.load(std::memory_order_acquire);
  }

 private:
  void AddOne(uint32_t counter, int64_t delta) {
    Slot<Mutex>& slot = slots_.at(counter);
    if constexpr (kStrategy == Strategy::kAtomic) {
      slot.value.fetch_add(delta, std::memory_order_relaxed);
    } else if constexpr (kStrategy == Strategy::kLock) {
      // Only a contended acquisition is timed, so the uncontended path
      // pays for no clock read.
      if (!slot.mutex.try_lock()) {
        ++tally_->contended_locks;
        const int64_t start = NowNs();
        slot.mutex.lock();
        tally_->lock_wait_ns += NowNs() - start;
      }
      const int64_t value = slot.value.load(std::memory_order_relaxed);
      SpinFor(hold_ns_);
      slot.value.store(value + delta, std::memory_order_relaxed);
      slot.mutex.unlock();
    } else if constexpr (kStrategy == Strategy::kCas) {
      int64_t value = slot.value.load(std::memory_order_relaxed);
      for (;;) {
        SpinFor(hold_ns_);
        // Strong, so that every counted retry is a real conflict.
        if (slot.value.compare_exchange_strong(value, value + delta,
                                               std::memory_order_relaxed)) {
          break;
        }
        ++tally_->retries;
      }
    } else {
      const int64_t value = slot.value.load(std::memory_order_relaxed);
      SpinFor(hold_ns_);
      slot.value.store(value + delta, std::memory_order_relaxed);
    }
  }

  const SlotArray<Mutex> slots_;
  const int64_t hold_ns_;
  WorkerTally* const tally_;
};

// Stock with a floor (kind inventory): Add(counter, n) takes n units if
// at least n are left, under the strategy's own synchronization; `atomic`
// is a compare-and-swap loop that never goes below zero, and `naive`
// reads, checks and writes, which oversells under concurrency.
template <typename Mutex, Strategy kStrategy>
class SlotTakeSession final : public Session {
 public:
  SlotTakeSession(SlotArray<Mutex> slots, int64_t hold_ns, WorkerTally* tally)
      : slots_(slots), hold_ns_(hold_ns), tally_(tally) {}

  Status Add(uint32_t counter, int64_t amount) override {
    if (Take(slots_.at(counter), amount)) {
      tally_->Ack(counter, amount);
    } else {
      tally_->SoldOut();
    }
    return Status::OK();
  }

  Result<int64_t> Read(uint32_t counter) override {
    return slots_.at(counter).value.load(std::memory_order_acquire);
  }

 private:
  bool Take(Slot<Mutex>& slot, int64_t amount) {
    if constexpr (kStrategy == Strategy::kLock) {
      if (!slot.mutex.try_lock()) {
        ++tally_->contended_locks;
        const int64_t start = NowNs();
        slot.mutex.lock();
        tally_->lock_wait_ns += NowNs() - start;
      }
      const int64_t value = slot.value.load(std::memory_order_relaxed);
      SpinFor(hold_ns_);
      const bool sold = value >= amount;
      if (sold) slot.value.store(value - amount, std::memory_order_relaxed);
      slot.mutex.unlock();
      return sold;
    } else if constexpr (kStrategy == Strategy::kNaive) {
      const int64_t value = slot.value.load(std::memory_order_relaxed);
      SpinFor(hold_ns_);
      if (value < amount) return false;
      slot.value.store(value - amount, std::memory_order_relaxed);
      return true;
    } else {
      // atomic and cas: the check is in the compared value; cas spends
      // the hold between its read and each compare-and-swap.
      int64_t value = slot.value.load(std::memory_order_relaxed);
      for (;;) {
        if (kStrategy == Strategy::kCas) SpinFor(hold_ns_);
        if (value < amount) return false;
        if (slot.value.compare_exchange_strong(value, value - amount,
                                               std::memory_order_relaxed)) {
          return true;
        }
        ++tally_->retries;
      }
    }
  }

  const SlotArray<Mutex> slots_;
  const int64_t hold_ns_;
  WorkerTally* const tally_;
};

// take = compensate (atomic only): the popular "decrement, then give it
// back if it went below zero". It ends exact, but between the two a
// reader sees the stock below zero.
template <typename Mutex>
class SlotCompensateSession final : public Session {
 public:
  SlotCompensateSession(SlotArray<Mutex> slots, WorkerTally* tally)
      : slots_(slots), tally_(tally) {}

  Status Add(uint32_t counter, int64_t amount) override {
    std::atomic<int64_t>& value = slots_.at(counter).value;
    if (value.fetch_sub(amount, std::memory_order_relaxed) - amount >= 0) {
      tally_->Ack(counter, amount);
    } else {
      value.fetch_add(amount, std::memory_order_relaxed);
      tally_->SoldOut();
    }
    return Status::OK();
  }

  Result<int64_t> Read(uint32_t counter) override {
    return slots_.at(counter).value.load(std::memory_order_acquire);
  }

 private:
  const SlotArray<Mutex> slots_;
  WorkerTally* const tally_;
};

template <typename Mutex, template <typename, Strategy> class SessionT>
std::unique_ptr<Session> NewSlotSessionOf(SlotArray<Mutex> slots,
                                          Strategy strategy, int64_t hold_ns,
                                          WorkerTally* tally) {
  switch (strategy) {
    case Strategy::kAtomic:
      return std::make_unique<SessionT<Mutex, Strategy::kAtomic>>(
          slots, hold_ns, tally);
    case Strategy::kLock:
      return std::make_unique<SessionT<Mutex, Strategy::kLock>>(
          slots, hold_ns, tally);
    case Strategy::kCas:
      return std::make_unique<SessionT<Mutex, Strategy::kCas>>(
          slots, hold_ns, tally);
    case Strategy::kNaive:
      return std::make_unique<SessionT<Mutex, Strategy::kNaive>>(
          slots, hold_ns, tally);
  }
  return nullptr;
}

template <typename Mutex>
std::unique_ptr<Session> NewSlotSession(SlotArray<Mutex> slots,
                                        const SetupSpec& spec,
                                        WorkerTally* tally) {
  const Strategy strategy = spec.strategy;
  const int64_t hold_ns = spec.hold_ns;
  if (spec.Compensates()) {
    return std::make_unique<SlotCompensateSession<Mutex>>(slots, tally);
  }
  if (spec.kind == Kind::kInventory) {
    return NewSlotSessionOf<Mutex, SlotTakeSession>(slots, strategy, hold_ns,
                                                    tally);
  }
  return NewSlotSessionOf<Mutex, SlotSession>(slots, strategy, hold_ns,
                                              tally);
}

// The `padding` option the slot backends share: its declaration, and its
// value (checked against it).
const std::vector<OptionSpec>& PaddingOptionSpecs();
Result<bool> ParsePaddingOption(const std::string& backend,
                                const OptionMap& options);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_SLOTS_H_
