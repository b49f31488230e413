// The meaning of each strategy, written once over a backend's primitives.
//
// A server or database backend (sqlite, redis, manager, postgres) supplies
// Primitives: a connection that takes requests (begin, lock, read, write,
// compare-and-set, unlock, commit, abort, the native increment) and answers
// each with a Reply, in order. StrategyMachine decides which requests an
// increment under `lock`, `cas`, `naive` or `atomic` makes, where `hold` is
// spent, what is a retry and what is lock wait, and when an increment is
// acknowledged; the backends never decide that themselves.
//
// The machine only says what to do next (send this request, spin until
// then, back off until then, done), so that one event loop can drive many
// machines over non-blocking connections. Drive() runs one to completion
// over a blocking connection, and NewStrategySession() makes the Session a
// backend's Connect() returns:
//
//   StrategyConfig config;
//   config.strategy = spec.strategy;
//   config.hold_ns = spec.hold_ns;
//   return NewStrategySession(std::move(primitives), config, tally);
//
// The meaning, for every backend:
// - atomic: Increment.
// - lock:   Lock, Read, hold, Write, Unlock. A Lock answered Busy is sent
//           again after a randomized backoff; the time from the first Lock
//           (or a Begin that takes a lock) to its success is lock wait.
// - cas:    Read (for_cas), hold, CompareAndSet; a Conflict is a retry from
//           the Read.
// - naive:  Read, hold, Write; nothing stops a lost update.
// With `take` (kind inventory) an increment of `delta` is a take of delta
// units, only if that many are left: atomic is one Take; lock and naive
// Write the value less delta only when the value read has it, and cas
// compares-and-sets it then; a take that found too little ends "sold out"
// (WorkerTally::SoldOut) without a write. With `compensate`, atomic's take
// is AddGet(-delta), then AddGet(+delta) if that went below zero.
// With transactions (a backend that has them, for `lock`, for txn_ops > 1,
// or at a stricter isolation level), the increments run between Begin and
// Commit, txn_ops of them per transaction, and are acknowledged when it
// commits; a Conflict inside a transaction (a serialization failure, a
// deadlock) aborts it and runs all of its increments again. Every Busy and
// every Conflict counts one retry; any request answered Busy is resent
// after a backoff until `busy_limit_ns` has passed, and that wait is lock
// wait too.

#ifndef CTRBENCH_COUNTERS_STRATEGY_H_
#define CTRBENCH_COUNTERS_STRATEGY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "counters/backend.h"
#include "counters/backoff.h"
#include "counters/status.h"

namespace ctrbench {

enum class Prim : uint8_t {
  kBegin,          // Opens a transaction.
  kIncrement,      // Native atomic increment by `value`.
  kLock,           // Takes the counter's lock; may answer with its value.
  kRead,           // The counter's value (`for_cas`: watched for kCas).
  kWrite,          // Sets the counter to `value`.
  kCompareAndSet,  // Sets it to `value` if it still holds `expected`.
  kTake,           // Takes `value` if at least that much is left: a reply
                   // Value(1) if it did (sold), Value(0) if not (sold out).
  kAddGet,         // Adds `value` (which may be negative); answers the
                   // counter's new value.
  kUnlock,         // Releases the counter's lock.
  kCommit,         // Ends the transaction.
  kAbort,          // Rolls it back (after a conflict or an error).
};
const char* PrimName(Prim p);

struct Request {
  Prim prim = Prim::kIncrement;
  uint32_t counter = 0;
  int64_t value = 0;
  int64_t expected = 0;
  bool for_cas = false;
};

struct Reply {
  enum class Outcome : uint8_t {
    kDone,      // It happened; a read's value is in `value`.
    kBusy,      // Not now: someone else holds what it needs. Resent later.
    kConflict,  // The operation lost a race: it starts over.
    kFailed,    // An error reply; the connection still works.
    kLost,      // The connection is gone.
  };
  Outcome outcome = Outcome::kDone;
  bool has_value = false;  // A kLock that read the value too.
  int64_t value = 0;
  Status status;  // Why, for kBusy, kFailed and kLost.

  static Reply Done() { return Reply(); }
  static Reply Value(int64_t v) {
    Reply r;
    r.has_value = true;
    r.value = v;
    return r;
  }
  static Reply Busy(Status why) { return With(Outcome::kBusy, std::move(why)); }
  static Reply Conflict() { return With(Outcome::kConflict, Status::OK()); }
  static Reply Failed(Status why) {
    return With(Outcome::kFailed, std::move(why));
  }
  static Reply Lost(Status why) { return With(Outcome::kLost, std::move(why)); }

 private:
  static Reply With(Outcome o, Status why) {
    Reply r;
    r.outcome = o;
    r.status = std::move(why);
    return r;
  }
};

// One connection of a backend. Replies come back in the order of the
// requests; Send may only queue, and Receive writes what is queued before it
// waits. Not thread-safe: one per worker (or per connection of a worker).
class Primitives {
 public:
  Primitives() = default;
  Primitives(const Primitives&) = delete;
  Primitives& operator=(const Primitives&) = delete;
  virtual ~Primitives() = default;

  virtual void Send(const Request& request) = 0;
  virtual Reply Receive() = 0;
  // For requests kept in flight while the session waits for something else
  // (the open loop's next start): Push() writes every request sent so far
  // to the connection now, and Ready() waits up to `timeout_ns` (0: not at
  // all) until the next Receive() would not wait for the server (its reply
  // is in, or the connection is gone), and says whether it would not. The
  // defaults suit a connection that answers at Send.
  // An event loop that waits on many connections' sockets itself passes
  // kReadyReadable (its poll said the socket is readable: read it once,
  // without waiting first) or kReadyBuffered (only what was read already
  // counts: the socket is not touched).
  virtual void Push() {}
  virtual bool Ready(int64_t /*timeout_ns*/) { return true; }
  // The connection's socket, for such a loop; -1: none.
  virtual int fd() const { return -1; }
};

inline constexpr int64_t kReadyReadable = -1;
inline constexpr int64_t kReadyBuffered = -2;

// For Ready(): waits up to `timeout_ns` for `fd` to have something to
// read. 1: it has (or the connection ended); 0: the time passed or a signal
// came; -1: poll failed. kReadyReadable is 1 and kReadyBuffered 0, at once.
int WaitReadable(int fd, int64_t timeout_ns);

struct StrategyConfig {
  Strategy strategy = Strategy::kAtomic;
  int64_t hold_ns = 0;
  // The backend has Begin/Commit/Abort; without them they are never sent.
  bool transactions = false;
  // Begin takes a lock that writers wait for (SQLite's BEGIN IMMEDIATE):
  // its time is lock wait.
  bool begin_locks = false;
  // Every increment runs in a transaction (a stricter isolation level).
  bool isolated = false;
  int txn_ops = 1;  // Increments per transaction (atomic and lock).
  int pipeline = 1;  // Increments in flight (atomic without transactions).
  bool take = false;  // Kind inventory: every Add takes with a floor.
  // With take, atomic: the popular "decrement, then give it back if it
  // went below zero" (take = compensate): AddGet(-delta), and when the
  // value it answers is negative, AddGet(+delta) and sold out. Exact in
  // the end, but readers see the negative value in between.
  bool compensate = false;
  BackoffPolicy backoff;
  int64_t busy_limit_ns = 5000000000;  // Then a Busy request fails.
  // An event loop (NewClientLoop) gives up on a reply after this long and
  // fails the connection; a blocking connection has its own timeout. Each
  // backend sets the run's timeout (SetupSpec::timeout_ns).
  int64_t reply_timeout_ns = kDefaultTimeoutNs;
  uint64_t seed = 1;
};

// What every backend's sessions take from the run: its strategy and hold,
// how an inventory takes, and each request's deadline; the backend adds
// its own settings.
StrategyConfig StrategyConfigFor(const SetupSpec& spec);

// Whether increments run between Begin and Commit: on a backend with
// transactions, for `lock`, for txn_ops > 1 and at a stricter isolation.
bool InTransactions(const StrategyConfig& config);
// How many increments a session keeps in flight: `pipeline` for atomic
// increments outside transactions (not takes), else 1.
int PipelineDepth(const StrategyConfig& config);

// One operation at a time: an increment, a read, or the end of a run's
// open transaction.
class StrategyMachine {
 public:
  struct Action {
    enum class Kind : uint8_t {
      kSend,     // Send `request`, then OnReply() with its reply.
      kHold,     // Spin until `until` (the hold), then Resume().
      kBackoff,  // Wait until `until` (sleeping is fine), then Resume().
      kDone,     // status() and value() say how it ended.
    };
    Kind kind = Kind::kDone;
    Request request;
    int64_t until = 0;
  };

  StrategyMachine(const StrategyConfig& config, WorkerTally* tally);

  void StartAdd(uint32_t counter, int64_t delta);
  // An atomic increment outside a transaction whose kIncrement was sent at
  // `sent_ns` and answered `reply` (other than kDone): the machine goes on
  // from there, as if it had sent the request itself.
  void ContinueIncrement(uint32_t counter, int64_t delta, int64_t sent_ns,
                         const Reply& reply);
  void StartRead(uint32_t counter);
  void StartFlush();  // Commits an open transaction, if any.

  const Action& action() const { return action_; }
  void OnReply(const Reply& reply);
  void Resume();

  const Status& status() const { return status_; }
  int64_t value() const { return read_value_; }

 private:
  enum class Step : uint8_t {
    kBegin, kLock, kRead, kHold, kWrite, kCas, kIncrement, kGiveBack,
    kUnlock, kCommit, kAbort, kPlainRead, kDone,
  };
  void Go(Step step);  // Enters `step` and sets the action for it.
  void Send(Prim prim, int64_t value = 0, int64_t expected = 0,
            bool for_cas = false);
  void HoldOver();        // Writes back after the hold.
  void NextIncrement();   // The next queued increment, or the commit.
  void IncrementDone();   // The current increment's steps are over.
  void Finish(Status status);
  void SoldOut();  // The current take found too little: no write.
  Prim IncrementPrim() const;  // What atomic sends: increment or take.
  void OnConflict();
  void OnFailure(const Reply& reply);

  const StrategyConfig config_;
  WorkerTally* const tally_;
  Backoff backoff_;
  Action action_;
  Step step_ = Step::kDone;
  Status status_;
  int64_t read_value_ = 0;
  bool in_txn_ = false;
  bool holds_lock_ = false;
  bool flushing_ = false;
  bool failing_ = false;       // Unlock/Abort after an error are sent.
  uint32_t read_counter_ = 0;  // Of StartRead.
  int64_t request_start_ = 0;  // When the current request was first sent.
  bool request_busy_ = false;  // It was answered Busy at least once.
  // Increments to do (todo_[next_] is the current one), and those done in
  // the open transaction, acknowledged when it commits.
  struct Item {
    uint32_t counter = 0;
    int64_t delta = 0;
    bool sold_out = false;  // A take that found too little.
  };
  std::vector<Item> todo_;
  size_t next_ = 0;
  std::vector<Item> pending_;
};

// Runs `machine`'s current operation to completion over a blocking
// connection: spins the hold, sleeps the backoff.
Status Drive(StrategyMachine* machine, Primitives* primitives);

// The Session of a backend with primitives: every Add and Read is a
// machine run by Drive. An atomic increment outside a transaction is sent
// directly, and the machine is started only if its reply is not kDone; with
// `pipeline` > 1 increments are sent `pipeline` at a time, each request's
// latency from the send of its batch to its reply.
std::unique_ptr<Session> NewStrategySession(
    std::unique_ptr<Primitives> primitives, const StrategyConfig& config,
    WorkerTally* tally);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_STRATEGY_H_
