// What each request of the manager protocol means, written once for both
// server models (models.h): counters, their LOCKs and FIFO queues, ALLOC'd
// ranges, RESET and the limits. A model brings a Table (where its counters
// live and how they are guarded) and derives its connections from
// Connection (how a LOCK that must wait is parked and woken).
//
//   Commands<LoopTable> commands(options.max_counters, /*table's args*/...);
//   Reply r;
//   if (commands.Execute(conn, request, &r)) EncodeReply(request.op, r, &out);

#ifndef CTRBENCH_BACKENDS_MANAGER_COMMANDS_H_
#define CTRBENCH_BACKENDS_MANAGER_COMMANDS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "backends/manager/protocol.h"

namespace ctrbench {
namespace manager {

class WaitQueue;
template <class Table>
class Commands;

// A client connection as the commands see it: who it is, the LOCKs and
// ranges it took, and its place in a LOCK queue. A model derives its
// connection from it; Granted and Refused are how the model answers a LOCK
// that had to wait (the loop model queues the reply and serves the
// connection on; the threads model leaves it for the thread blocked in
// Execute). They are called with the counter guarded, by whichever
// connection granted or refused the LOCK.
class Connection {
 public:
  explicit Connection(uint64_t id) : id_(id) {}
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  uint64_t id() const { return id_; }
  // In a LOCK queue: its next requests wait for that LOCK's answer.
  bool waiting() const { return waiting_; }
  // The keys of the LOCKs it took and the bases of the ranges it
  // allocated. An entry goes stale when a FREE or a RESET takes the
  // counter away; Commands::Holds tells what it still holds, and
  // Commands::Prune drops stale entries as the lists grow. Only the
  // connection's own requests edit these lists, except that a LOCK it
  // waits for is granted into held_ by the connection that hands it on
  // (the waiter is parked then, and the counter guarded).
  const std::vector<uint32_t>& held() const { return held_; }
  const std::vector<uint32_t>& allocs() const { return allocs_; }

 private:
  template <class Table>
  friend class Commands;
  friend class WaitQueue;

  // The LOCK it waited for is its own now. False if it can take nothing
  // any more (its connection is closing): the LOCK goes to the next in
  // line.
  virtual bool Granted() = 0;
  // The LOCK it waited for is refused: its counter went (FREE, RESET), or
  // the server stops.
  virtual void Refused(const char* why) = 0;

  const uint64_t id_;
  std::vector<uint32_t> held_;
  std::vector<uint32_t> allocs_;
  bool waiting_ = false;
  uint32_t waiting_for_ = 0;     // The counter, while waiting.
  size_t prune_at_ = 64;         // Entries in held_ and allocs_.
  Connection* next_ = nullptr;  // Behind it in the queue.
};

// The connections waiting for one counter's LOCK, first come first served.
// A connection waits for one LOCK at a time, so it is its own node and
// queueing never allocates.
class WaitQueue {
 public:
  bool empty() const { return first_ == nullptr; }
  void Push(Connection* c);
  // The first in line, out of the queue; null if there is none.
  Connection* Pop();
  void Remove(Connection* c);
  // Everyone in line is refused with `why`.
  void RefuseAll(const char* why);

 private:
  Connection* first_ = nullptr;
  Connection* last_ = nullptr;
};

// The ranges ALLOC handed out, by base, over the counters of the last
// RESET: who may FREE a range, and where the table may end. Not
// thread-safe: the threads model keeps it under its bulk lock.
class RangeTable {
 public:
  size_t size() const { return ranges_.size(); }
  bool Owns(uint32_t base, uint64_t conn) const;
  void Add(uint32_t base, uint32_t count, uint64_t conn);
  // Drops the range at `base`, which exists; returns its end.
  uint32_t Remove(uint32_t base);
  // No range is left; counters 0..count-1 belong to everyone.
  void Reset(uint32_t count);
  // The end of the last range still in use, or of RESET's counters.
  uint32_t Top() const;

 private:
  struct Range {
    uint32_t count = 0;
    uint64_t conn = 0;
  };
  std::map<uint32_t, Range> ranges_;
  uint32_t legacy_ = 0;  // Counters 0..legacy_-1 of the last RESET.
};

// The answers, in one place for both models (commands.cc).
Reply Error(const std::string& message);
std::string NoCounter(uint32_t key);
std::string Overflow(uint32_t key);
std::string AlreadyHeld(uint32_t key);
std::string NotHeld(uint32_t key);
std::string NotYourRange(uint32_t base);
// Empty if ALLOC `count` fits above `top`.
std::string AllocError(uint32_t count, uint32_t top, uint32_t max_counters);
std::string ResetError(uint32_t count, uint32_t max_counters);
std::string StatsText(const char* model, uint64_t connections,
                      uint64_t requests, uint64_t counters, uint64_t ranges,
                      uint64_t allocated);
// The answers to a LOCK that waited and is refused.
inline constexpr char kLockFreed[] = "LOCK interrupted: the counter was freed";
inline constexpr char kLockReset[] = "LOCK interrupted by RESET";
inline constexpr char kLockStopping[] = "server is stopping";

// A Table is a model's counters: where they live and how they are guarded.
// Commands owns one, `t`, and uses:
//
//   Table::kModel, Table::Tally   STATS' model name; a request count that
//                                 the model's threads may bump at once
//   Table::Bulk bulk(&t);         guards what follows, and the ranges
//   t.Find(key)                   a Ref to counter `key`, false if it does
//                                 not exist
//   t.At(key)                     a Ref to any counter below Size()
//   t.Size()                      the end of the table
//   t.Extend(size)                counters Size()..size-1 exist, zero and
//                                 unlocked
//   t.Reset(count, why)           counters 0..count-1 exist, zero and
//                                 unlocked, and no other does; every LOCK
//                                 waiting is refused with `why`
//   t.Truncate(top)               the table ends at `top` (the counters
//                                 above are freed already), and gives
//                                 memory back by the model's rule
//   t.Allocated(), t.Connections()   for STATS
//
// A Ref guards its counter while it lives: value(), owner() (the id of the
// connection holding the LOCK; 0: none), set_live(), Enqueue(), Dequeue()
// and Cancel() on the counter's WaitQueue, Park(c) after Enqueue(c) (the
// loop model returns at once; the threads model blocks until c is
// answered, and returns false if the server stops first), and Wake() once
// waiters are answered (the threads model wakes their threads).

// Answers requests over a Table. It is as thread-safe as its Table: the
// loop model calls it from its one thread, the threads model from a thread
// per connection.
template <class Table>
class Commands {
 public:
  // `table_args` go to the Table's constructor.
  template <class... TableArgs>
  explicit Commands(uint32_t max_counters, TableArgs&&... table_args)
      : table_(std::forward<TableArgs>(table_args)...),
        max_counters_(max_counters) {}
  Commands(const Commands&) = delete;
  Commands& operator=(const Commands&) = delete;

  // Answers `q` from `conn` in *r. False when the answer waits: a LOCK of
  // a counter another connection holds, answered through
  // Connection::Granted or Refused (in the threads model before Execute
  // returns).
  bool Execute(Connection* conn, const Request& q, Reply* r);

  // A connection's end: it leaves its LOCK queue, its LOCKs go to the next
  // in line and its ranges are freed, so nothing it held leaks.
  void Leave(Connection* conn);

  // True while `conn` holds a LOCK or a range.
  bool Holds(const Connection& conn);

  // The model's own uses of its counters (the threads model's Stop).
  Table* table() { return &table_; }

 private:
  using Ref = typename Table::Ref;

  bool OnCounter(Connection* conn, const Request& q, Reply* r);
  bool Lock(Connection* conn, uint32_t key, Ref* counter, Reply* r);
  void Unlock(Connection* conn, uint32_t key, Ref* counter, Reply* r);
  void HandOff(Ref* counter, uint32_t key);
  Reply Reset(uint32_t count);
  Reply Alloc(Connection* conn, uint32_t count);
  Reply Free(Connection* conn, uint32_t base);
  void Release(uint32_t base);
  Reply Stats();
  static void Forget(std::vector<uint32_t>* keys, uint32_t key);
  void Prune(Connection* conn);

  Table table_;
  const uint32_t max_counters_;
  RangeTable ranges_;  // Under the table's bulk guard.
  typename Table::Tally requests_{0};
};

template <class Table>
bool Commands<Table>::Execute(Connection* conn, const Request& q, Reply* r) {
  ++requests_;
  switch (q.op) {
    case Op::kPing:
      return true;
    case Op::kAdd:
    case Op::kGet:
    case Op::kSet:
    case Op::kCas:
    case Op::kTake:
    case Op::kLock:
      Prune(conn);
      return OnCounter(conn, q, r);
    case Op::kUnlock:
      return OnCounter(conn, q, r);
    case Op::kReset:
      *r = Reset(q.key);
      return true;
    case Op::kStats:
      *r = Stats();
      return true;
    case Op::kAlloc:
      Prune(conn);
      *r = Alloc(conn, q.key);
      return true;
    case Op::kFree:
      *r = Free(conn, q.key);
      return true;
  }
  return true;
}

// The requests on one counter, which must exist; it stays guarded until
// the answer is made.
template <class Table>
bool Commands<Table>::OnCounter(Connection* conn, const Request& q,
                                Reply* r) {
  Ref counter = table_.Find(q.key);
  if (!counter) {
    *r = Error(NoCounter(q.key));
    return true;
  }
  switch (q.op) {
    case Op::kAdd:
      // As Redis answers an INCRBY past the range: nothing changes.
      if (__builtin_add_overflow(counter.value(), q.a, &r->value)) {
        *r = Error(Overflow(q.key));
      } else {
        counter.value() = r->value;
      }
      break;
    case Op::kGet:
      r->value = counter.value();
      break;
    case Op::kSet:
      counter.value() = q.a;
      break;
    case Op::kCas:
      r->swapped = counter.value() == q.a;
      if (r->swapped) counter.value() = q.b;
      r->value = counter.value();
      break;
    case Op::kTake:
      // Never below zero: the amount, or nothing (sold out). A negative
      // amount would add, which TAKE is not for.
      if (q.a < 0) {
        *r = Error("TAKE of a negative amount " + std::to_string(q.a));
        break;
      }
      r->swapped = counter.value() >= q.a;
      if (r->swapped) counter.value() -= q.a;
      r->value = counter.value();
      break;
    case Op::kLock:
      return Lock(conn, q.key, &counter, r);
    case Op::kUnlock:
      Unlock(conn, q.key, &counter, r);
      break;
    default:
      break;
  }
  return true;
}

// A free LOCK is granted at once; a held one puts `conn` in the counter's
// queue, where its model parks it.
template <class Table>
bool Commands<Table>::Lock(Connection* conn, uint32_t key, Ref* counter,
                           Reply* r) {
  if (counter->owner() == conn->id_) {
    *r = Error(AlreadyHeld(key));
    return true;
  }
  if (counter->owner() == 0) {
    counter->owner() = conn->id_;
    conn->held_.push_back(key);
    return true;
  }
  conn->waiting_for_ = key;
  counter->Enqueue(conn);
  if (!counter->Park(conn)) {
    counter->Cancel(conn);
    conn->Refused(kLockStopping);
  }
  return false;
}

template <class Table>
void Commands<Table>::Unlock(Connection* conn, uint32_t key, Ref* counter,
                             Reply* r) {
  if (counter->owner() != conn->id_) {
    *r = Error(NotHeld(key));
    return;
  }
  Forget(&conn->held_, key);
  HandOff(counter, key);
}

// The LOCK of `key` goes to the first in line that can take it, or is
// free.
template <class Table>
void Commands<Table>::HandOff(Ref* counter, uint32_t key) {
  counter->owner() = 0;
  while (Connection* next = counter->Dequeue()) {
    if (!next->Granted()) continue;
    counter->owner() = next->id_;
    next->held_.push_back(key);
    counter->Wake();
    return;
  }
}

template <class Table>
void Commands<Table>::Leave(Connection* conn) {
  if (conn->waiting_) {
    Ref counter = table_.Find(conn->waiting_for_);
    if (counter) counter.Cancel(conn);
  }
  for (uint32_t key : conn->held_) {
    Ref counter = table_.Find(key);
    if (counter && counter.owner() == conn->id_) HandOff(&counter, key);
  }
  conn->held_.clear();
  typename Table::Bulk bulk(&table_);
  for (uint32_t base : conn->allocs_) {
    if (ranges_.Owns(base, conn->id_)) Release(base);  // Unless RESET took it.
  }
  conn->allocs_.clear();
}

template <class Table>
bool Commands<Table>::Holds(const Connection& conn) {
  for (uint32_t key : conn.held_) {
    Ref counter = table_.Find(key);
    if (counter && counter.owner() == conn.id_) return true;
  }
  typename Table::Bulk bulk(&table_);
  for (uint32_t base : conn.allocs_) {
    if (ranges_.Owns(base, conn.id_)) return true;
  }
  return false;
}

// The whole server: every range and every lock goes, and LOCKs waiting
// are refused.
template <class Table>
Reply Commands<Table>::Reset(uint32_t count) {
  if (count > max_counters_) return Error(ResetError(count, max_counters_));
  typename Table::Bulk bulk(&table_);
  table_.Reset(count, kLockReset);
  ranges_.Reset(count);
  return Reply();
}

// A fresh range at the top of the table, zero, of `conn`'s.
template <class Table>
Reply Commands<Table>::Alloc(Connection* conn, uint32_t count) {
  typename Table::Bulk bulk(&table_);
  const uint32_t top = table_.Size();
  const std::string error = AllocError(count, top, max_counters_);
  if (!error.empty()) return Error(error);
  table_.Extend(top + count);
  ranges_.Add(top, count, conn->id_);
  conn->allocs_.push_back(top);
  Reply r;
  r.value = top;
  return r;
}

template <class Table>
Reply Commands<Table>::Free(Connection* conn, uint32_t base) {
  typename Table::Bulk bulk(&table_);
  if (!ranges_.Owns(base, conn->id_)) return Error(NotYourRange(base));
  Release(base);
  Forget(&conn->allocs_, base);
  return Reply();
}

// Under the bulk guard: the range at `base` is freed. Its counters stop
// existing, their locks go, and LOCKs waiting for them are refused; the
// table then ends at the last range still in use (or RESET's count).
template <class Table>
void Commands<Table>::Release(uint32_t base) {
  const uint32_t end = ranges_.Remove(base);
  for (uint32_t key = base; key < end; ++key) {
    Ref counter = table_.At(key);
    counter.set_live(false);
    counter.value() = 0;
    counter.owner() = 0;
    bool refused = false;
    while (Connection* waiter = counter.Dequeue()) {
      waiter->Refused(kLockFreed);
      refused = true;
    }
    if (refused) counter.Wake();
  }
  table_.Truncate(ranges_.Top());
}

template <class Table>
Reply Commands<Table>::Stats() {
  typename Table::Bulk bulk(&table_);
  Reply r;
  r.text = StatsText(Table::kModel, table_.Connections(),
                     static_cast<uint64_t>(requests_), table_.Size(),
                     ranges_.size(), table_.Allocated());
  return r;
}

// Once `conn`'s lists have doubled since the last look, drops their stale
// and repeated entries (a RESET between two LOCKs of one key leaves two),
// so that they stay as long as what it holds, and UNLOCK's and FREE's
// search in them short. Called before any counter is guarded.
template <class Table>
void Commands<Table>::Prune(Connection* conn) {
  if (conn->held_.size() + conn->allocs_.size() < conn->prune_at_) return;
  auto deduplicate = [](std::vector<uint32_t>* keys) {
    std::sort(keys->begin(), keys->end());
    keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
  };
  deduplicate(&conn->held_);
  deduplicate(&conn->allocs_);
  const uint64_t id = conn->id_;
  auto& held = conn->held_;
  held.erase(std::remove_if(held.begin(), held.end(),
                            [&](uint32_t key) {
                              Ref counter = table_.Find(key);
                              return !counter || counter.owner() != id;
                            }),
             held.end());
  {
    typename Table::Bulk bulk(&table_);
    auto& allocs = conn->allocs_;
    allocs.erase(std::remove_if(allocs.begin(), allocs.end(),
                                [&](uint32_t base) {
                                  return !ranges_.Owns(base, id);
                                }),
                 allocs.end());
  }
  conn->prune_at_ =
      std::max<size_t>(64, 2 * (conn->held_.size() + conn->allocs_.size()));
}

template <class Table>
void Commands<Table>::Forget(std::vector<uint32_t>* keys, uint32_t key) {
  auto at = std::find(keys->begin(), keys->end(), key);
  if (at != keys->end()) keys->erase(at);
}

}  // namespace manager
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_MANAGER_COMMANDS_H_
