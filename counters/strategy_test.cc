// The strategy machine over a scripted connection: which requests each
// strategy makes, what counts as a retry and as lock wait, when increments
// are acknowledged, and how a conflict or an error inside a transaction is
// undone. The backends' own conformance suite runs the same machine over
// real servers and databases.

#include "counters/strategy.h"

#include <gtest/gtest.h>

#include <atomic>

#include <map>
#include <string>
#include <vector>

namespace ctrbench {
namespace {

// Counters in memory, with transactions (an undo log) and answers that a
// test can script: the next N requests of a kind are answered Busy,
// Conflict or Failed.
class ScriptedPrimitives final : public Primitives {
 public:
  explicit ScriptedPrimitives(std::vector<int64_t>* values) : values_(values) {}

  void Send(const Request& r) override { queue_.push_back(r); }

  Reply Receive() override {
    const Request r = queue_.front();
    queue_.erase(queue_.begin());
    log.push_back(PrimName(r.prim));
    auto scripted = script.find(r.prim);
    if (scripted != script.end() && !scripted->second.empty()) {
      Reply reply = scripted->second.front();
      scripted->second.erase(scripted->second.begin());
      if (reply.outcome == Reply::Outcome::kConflict && r.prim == Prim::kCommit) {
        Rollback();
      }
      return reply;
    }
    int64_t& v = (*values_)[r.counter];
    switch (r.prim) {
      case Prim::kBegin: in_txn_ = true; return Reply::Done();
      case Prim::kCommit: in_txn_ = false; undo_.clear(); return Reply::Done();
      case Prim::kAbort: Rollback(); return Reply::Done();
      case Prim::kLock: return Reply::Done();
      case Prim::kUnlock: return Reply::Done();
      case Prim::kRead: return Reply::Value(v);
      case Prim::kIncrement: Set(r.counter, v + r.value); return Reply::Done();
      case Prim::kWrite: Set(r.counter, r.value); return Reply::Done();
      case Prim::kCompareAndSet:
        if (v != r.expected) return Reply::Conflict();
        Set(r.counter, r.value);
        return Reply::Done();
      case Prim::kTake:
        if (v < r.value) return Reply::Value(0);
        Set(r.counter, v - r.value);
        return Reply::Value(1);
      case Prim::kAddGet: {
        const int64_t now = v + r.value;
        Set(r.counter, now);
        return Reply::Value(now);
      }
    }
    return Reply::Failed(Status::IOError("unknown request"));
  }

  std::map<Prim, std::vector<Reply>> script;
  std::vector<std::string> log;

 private:
  void Set(uint32_t counter, int64_t value) {
    if (in_txn_) undo_.emplace_back(counter, (*values_)[counter]);
    (*values_)[counter] = value;
  }
  void Rollback() {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
      (*values_)[it->first] = it->second;
    }
    undo_.clear();
    in_txn_ = false;
  }

  std::vector<int64_t>* values_;
  std::vector<Request> queue_;
  bool in_txn_ = false;
  std::vector<std::pair<uint32_t, int64_t>> undo_;
};

struct Fixture {
  explicit Fixture(StrategyConfig c) : config(c), machine(config, &tally) {}
  int64_t Acked(uint32_t c) const { return tally.Acked(c); }
  Status Add(uint32_t counter, int64_t delta) {
    machine.StartAdd(counter, delta);
    return Drive(&machine, &prims);
  }
  Status Flush() {
    machine.StartFlush();
    return Drive(&machine, &prims);
  }
  std::string Log() const {
    std::string out;
    for (const std::string& s : prims.log) out += (out.empty() ? "" : ",") + s;
    return out;
  }

  std::vector<int64_t> values = std::vector<int64_t>(4, 0);
  WorkerTally tally;
  OwnedAcks acks{&tally, 4};
  ScriptedPrimitives prims{&values};
  StrategyConfig config;
  StrategyMachine machine;
};

StrategyConfig Config(Strategy s) {
  StrategyConfig c;
  c.strategy = s;
  c.backoff.first_ns = 1000;
  c.backoff.max_ns = 2000;
  return c;
}

TEST(StrategyTest, EachStrategyMakesItsRequests) {
  const std::pair<Strategy, const char*> cases[] = {
      {Strategy::kAtomic, "increment"},
      {Strategy::kLock, "lock,read,write,unlock"},
      {Strategy::kCas, "read,compare-and-set"},
      {Strategy::kNaive, "read,write"},
  };
  for (const auto& [strategy, log] : cases) {
    Fixture f(Config(strategy));
    ASSERT_TRUE(f.Add(2, 5).ok()) << StrategyName(strategy);
    EXPECT_EQ(f.Log(), log) << StrategyName(strategy);
    EXPECT_EQ(f.values[2], 5);
    EXPECT_EQ(f.Acked(2), 5);
    EXPECT_EQ(f.tally.retries, 0);
  }
}

// Kind inventory: each strategy takes with a floor, by its own requests;
// a take that finds too little writes nothing, gives back its lock, and
// is counted sold out, not acknowledged.
TEST(StrategyTest, EachStrategyTakesWhileStockIsLeft) {
  const std::pair<Strategy, const char*> cases[] = {
      {Strategy::kAtomic, "take,take,take"},
      {Strategy::kLock,
       "lock,read,write,unlock,lock,read,write,unlock,lock,read,unlock"},
      {Strategy::kCas, "read,compare-and-set,read,compare-and-set,read"},
      {Strategy::kNaive, "read,write,read,write,read"},
  };
  for (const auto& [strategy, log] : cases) {
    StrategyConfig c = Config(strategy);
    c.take = true;
    Fixture f(c);
    f.values[1] = 5;
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(f.Add(1, 2).ok()) << StrategyName(strategy);
    }
    EXPECT_EQ(f.Log(), log) << StrategyName(strategy);
    EXPECT_EQ(f.values[1], 1) << StrategyName(strategy);
    EXPECT_EQ(f.Acked(1), 4) << StrategyName(strategy);
    EXPECT_EQ(f.tally.sold_out, 1) << StrategyName(strategy);
    EXPECT_GT(f.tally.first_sold_out_ns, 0) << StrategyName(strategy);
  }
}

// take = compensate: decrement, and give back what went below zero.
TEST(StrategyTest, ACompensatingTakeGivesBackWhatWentBelowZero) {
  StrategyConfig c = Config(Strategy::kAtomic);
  c.take = true;
  c.compensate = true;
  Fixture f(c);
  f.values[1] = 1;
  ASSERT_TRUE(f.Add(1, 1).ok());
  ASSERT_TRUE(f.Add(1, 1).ok());
  EXPECT_EQ(f.Log(), "add-get,add-get,add-get");
  EXPECT_EQ(f.values[1], 0);
  EXPECT_EQ(f.Acked(1), 1);
  EXPECT_EQ(f.tally.sold_out, 1);
}

// In a transaction (lock on a database, or txn_ops > 1), a take's outcome
// counts when the transaction commits; a conflict asks every take again.
TEST(StrategyTest, TakesInATransactionCountAtCommit) {
  StrategyConfig c = Config(Strategy::kAtomic);
  c.take = true;
  c.transactions = true;
  c.txn_ops = 2;
  Fixture f(c);
  f.values[0] = 1;
  ASSERT_TRUE(f.Add(0, 1).ok());
  ASSERT_TRUE(f.Add(0, 1).ok());  // Sold out: only one was left.
  EXPECT_EQ(f.Log(), "begin,take,take,commit");
  EXPECT_EQ(f.Acked(0), 1);
  EXPECT_EQ(f.tally.sold_out, 1);

  f.values[0] = 1;
  f.prims.script[Prim::kCommit] = {Reply::Conflict()};
  ASSERT_TRUE(f.Add(0, 1).ok());
  ASSERT_TRUE(f.Add(0, 1).ok());
  EXPECT_EQ(f.values[0], 0);
  EXPECT_EQ(f.Acked(0), 2);
  EXPECT_EQ(f.tally.sold_out, 2);  // Counted once each time it committed.
}

// A transaction that lost a race asks its takes again, and what they find
// then is what counts: sold out the first time, sold the second.
TEST(StrategyTest, ATakeAskedAgainCountsItsNewAnswer) {
  StrategyConfig c = Config(Strategy::kAtomic);
  c.take = true;
  c.transactions = true;
  c.txn_ops = 2;
  Fixture f(c);
  f.values[0] = 2;
  f.prims.script[Prim::kTake] = {Reply::Value(0), Reply::Value(0)};
  f.prims.script[Prim::kCommit] = {Reply::Conflict()};
  ASSERT_TRUE(f.Add(0, 1).ok());
  ASSERT_TRUE(f.Add(0, 1).ok());
  EXPECT_EQ(f.Log(), "begin,take,take,commit,abort,begin,take,take,commit");
  EXPECT_EQ(f.values[0], 0);
  EXPECT_EQ(f.Acked(0), 2);
  EXPECT_EQ(f.tally.sold_out, 0);
  EXPECT_EQ(f.tally.retries, 1);
}

// A take whose reply says neither sold nor sold out is an error, not a
// sale that did not happen.
TEST(StrategyTest, ATakeWithoutAnAnswerFails) {
  StrategyConfig c = Config(Strategy::kAtomic);
  c.take = true;
  Fixture f(c);
  f.values[0] = 5;
  f.prims.script[Prim::kTake] = {Reply::Done()};
  EXPECT_FALSE(f.Add(0, 1).ok());
  EXPECT_EQ(f.Acked(0), 0);
  EXPECT_EQ(f.tally.sold_out, 0);
}

TEST(StrategyTest, HoldIsSpentBetweenReadAndWrite) {
  StrategyConfig c = Config(Strategy::kNaive);
  c.hold_ns = 1000;
  Fixture f(c);
  using Kind = StrategyMachine::Action::Kind;
  f.machine.StartAdd(0, 1);
  ASSERT_EQ(f.machine.action().kind, Kind::kSend);
  EXPECT_EQ(f.machine.action().request.prim, Prim::kRead);
  f.machine.OnReply(Reply::Value(41));
  ASSERT_EQ(f.machine.action().kind, Kind::kHold);
  f.machine.Resume();
  ASSERT_EQ(f.machine.action().kind, Kind::kSend);
  EXPECT_EQ(f.machine.action().request.prim, Prim::kWrite);
  EXPECT_EQ(f.machine.action().request.value, 42);
  EXPECT_EQ(f.Acked(0), 0);  // Not before the write is answered.
  f.machine.OnReply(Reply::Done());
  EXPECT_EQ(f.machine.action().kind, Kind::kDone);
  EXPECT_EQ(f.Acked(0), 1);
}

TEST(StrategyTest, BusyLockIsRetriedAfterBackoffAndCountedAsLockWait) {
  Fixture f(Config(Strategy::kLock));
  f.prims.script[Prim::kLock] = {Reply::Busy(Status::Busy("held")),
                                 Reply::Busy(Status::Busy("held"))};
  ASSERT_TRUE(f.Add(1, 1).ok());
  EXPECT_EQ(f.Log(), "lock,lock,lock,read,write,unlock");
  EXPECT_EQ(f.tally.retries, 2);
  EXPECT_GE(f.tally.lock_wait_ns, 1000);  // At least the first backoff.
  EXPECT_EQ(f.Acked(1), 1);
}

TEST(StrategyTest, BusyPastTheLimitFailsAndReleasesNothingItNeverHeld) {
  StrategyConfig c = Config(Strategy::kLock);
  c.busy_limit_ns = 0;
  Fixture f(c);
  f.prims.script[Prim::kLock] = {Reply::Busy(Status::Busy("lock k held"))};
  const Status st = f.Add(1, 1);
  EXPECT_EQ(st.code(), Status::Code::kBusy);
  EXPECT_NE(st.message().find("lock k held (gave up after 0 ms)"),
            std::string::npos)
      << st.ToString();
  EXPECT_EQ(f.Log(), "lock");
  EXPECT_EQ(f.Acked(1), 0);
}

TEST(StrategyTest, LostCompareAndSetStartsOverFromTheRead) {
  Fixture f(Config(Strategy::kCas));
  f.prims.script[Prim::kCompareAndSet] = {Reply::Conflict()};
  ASSERT_TRUE(f.Add(0, 3).ok());
  EXPECT_EQ(f.Log(), "read,compare-and-set,read,compare-and-set");
  EXPECT_EQ(f.tally.retries, 1);
  EXPECT_EQ(f.values[0], 3);
  EXPECT_EQ(f.Acked(0), 3);
}

TEST(StrategyTest, LockThatReadsSkipsTheRead) {
  Fixture f(Config(Strategy::kLock));
  f.prims.script[Prim::kLock] = {Reply::Value(10)};
  ASSERT_TRUE(f.Add(0, 1).ok());
  EXPECT_EQ(f.Log(), "lock,write,unlock");
  EXPECT_EQ(f.values[0], 11);
}

TEST(StrategyTest, GroupedIncrementsAreAcknowledgedAtCommit) {
  StrategyConfig c = Config(Strategy::kAtomic);
  c.transactions = true;
  c.txn_ops = 3;
  Fixture f(c);
  ASSERT_TRUE(f.Add(0, 1).ok());
  ASSERT_TRUE(f.Add(1, 1).ok());
  EXPECT_EQ(f.Acked(0) + f.Acked(1), 0);
  ASSERT_TRUE(f.Add(0, 1).ok());
  EXPECT_EQ(f.Acked(0), 2);
  EXPECT_EQ(f.Acked(1), 1);
  ASSERT_TRUE(f.Add(2, 1).ok());
  EXPECT_EQ(f.Acked(2), 0);
  ASSERT_TRUE(f.Flush().ok());  // The partial group commits at the end.
  EXPECT_EQ(f.Acked(2), 1);
  EXPECT_EQ(f.Log(),
            "begin,increment,increment,increment,commit,begin,increment,"
            "commit");
}

TEST(StrategyTest, ConflictAtCommitRunsTheWholeTransactionAgain) {
  StrategyConfig c = Config(Strategy::kAtomic);
  c.transactions = true;
  c.txn_ops = 2;
  Fixture f(c);
  f.prims.script[Prim::kCommit] = {Reply::Conflict()};
  ASSERT_TRUE(f.Add(0, 1).ok());
  ASSERT_TRUE(f.Add(1, 1).ok());
  EXPECT_EQ(f.Log(),
            "begin,increment,increment,commit,abort,begin,increment,"
            "increment,commit");
  EXPECT_EQ(f.tally.retries, 1);
  EXPECT_EQ(f.values[0], 1);
  EXPECT_EQ(f.values[1], 1);
  EXPECT_EQ(f.Acked(0) + f.Acked(1), 2);
}

TEST(StrategyTest, IsolatedNaiveRunsInATransactionAndRetriesAConflict) {
  StrategyConfig c = Config(Strategy::kNaive);
  c.transactions = true;
  c.isolated = true;
  Fixture f(c);
  f.prims.script[Prim::kWrite] = {Reply::Conflict()};
  ASSERT_TRUE(f.Add(3, 1).ok());
  EXPECT_EQ(f.Log(), "begin,read,write,abort,begin,read,write,commit");
  EXPECT_EQ(f.tally.retries, 1);
  EXPECT_EQ(f.values[3], 1);
  EXPECT_EQ(f.Acked(3), 1);
}

TEST(StrategyTest, FailureUnderALockReleasesItAndRollsBack) {
  StrategyConfig c = Config(Strategy::kLock);
  c.transactions = true;
  Fixture f(c);
  f.prims.script[Prim::kWrite] = {Reply::Failed(Status::IOError("disk full"))};
  const Status st = f.Add(0, 1);
  EXPECT_EQ(st.message(), "disk full");
  EXPECT_EQ(f.Log(), "begin,lock,read,write,unlock,abort");
  EXPECT_EQ(f.Acked(0), 0);
  // The machine is usable again: the next increment starts a transaction.
  ASSERT_TRUE(f.Add(0, 1).ok());
  EXPECT_EQ(f.values[0], 1);
  EXPECT_EQ(f.Acked(0), 1);
}

TEST(StrategyTest, LostConnectionSendsNothingMore) {
  StrategyConfig c = Config(Strategy::kLock);
  c.transactions = true;
  Fixture f(c);
  f.prims.script[Prim::kRead] = {Reply::Lost(Status::IOError("went away"))};
  EXPECT_EQ(f.Add(0, 1).message(), "went away");
  EXPECT_EQ(f.Log(), "begin,lock,read");
}

TEST(StrategyTest, BeginThatLocksIsLockWait) {
  StrategyConfig c = Config(Strategy::kLock);
  c.transactions = true;
  c.begin_locks = true;
  Fixture f(c);
  f.prims.script[Prim::kBegin] = {Reply::Busy(Status::Busy("locked"))};
  ASSERT_TRUE(f.Add(0, 1).ok());
  EXPECT_EQ(f.Log(), "begin,begin,lock,read,write,unlock,commit");
  EXPECT_EQ(f.tally.retries, 1);
  EXPECT_GT(f.tally.lock_wait_ns, 0);
}

TEST(StrategyTest, SessionPipelinesAtomicIncrements) {
  std::vector<int64_t> values(2, 0);
  Histogram latency;
  WorkerTally tally;
  OwnedAcks acks(&tally, 4);
  tally.latency = &latency;
  auto prims = std::make_unique<ScriptedPrimitives>(&values);
  ScriptedPrimitives* raw = prims.get();
  StrategyConfig c = Config(Strategy::kAtomic);
  c.pipeline = 3;
  std::unique_ptr<Session> s = NewStrategySession(std::move(prims), c, &tally);
  ASSERT_TRUE(s->RecordsLatency());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(s->Add(i % 2, 1).ok());
  EXPECT_EQ(raw->log.size(), 3u);  // One batch answered, one increment queued.
  EXPECT_EQ(tally.Acked(0) + tally.Acked(1), 3);
  Result<int64_t> v = s->Read(1);  // Settles the queue first.
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 2);
  EXPECT_EQ(tally.Acked(0) + tally.Acked(1), 4);
  EXPECT_EQ(latency.count(), 4);
}

TEST(StrategyTest, SessionSendsAtomicDirectlyAndRetriesABusyOne) {
  std::vector<int64_t> values(1, 0);
  WorkerTally tally;
  OwnedAcks acks(&tally, 4);
  auto prims = std::make_unique<ScriptedPrimitives>(&values);
  ScriptedPrimitives* raw = prims.get();
  raw->script[Prim::kIncrement] = {Reply::Busy(Status::Busy("locked"))};
  StrategyConfig c = Config(Strategy::kAtomic);
  c.transactions = true;  // A database, in autocommit: no Begin.
  std::unique_ptr<Session> s = NewStrategySession(std::move(prims), c, &tally);
  ASSERT_TRUE(s->Add(0, 2).ok());
  EXPECT_EQ(raw->log, (std::vector<std::string>{"increment", "increment"}));
  EXPECT_EQ(tally.retries, 1);
  EXPECT_GT(tally.lock_wait_ns, 0);
  EXPECT_EQ(values[0], 2);
  EXPECT_EQ(tally.Acked(0), 2);
  raw->script[Prim::kIncrement] = {Reply::Failed(Status::IOError("no"))};
  EXPECT_EQ(s->Add(0, 1).message(), "no");
  EXPECT_EQ(tally.Acked(0), 2);
}

}  // namespace
}  // namespace ctrbench
