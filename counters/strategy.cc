#include "counters/strategy.h"

#include <poll.h>

#include <cerrno>
#include <deque>
#include <string>
#include <utility>

#include "counters/clock.h"

namespace ctrbench {

StrategyConfig StrategyConfigFor(const SetupSpec& spec) {
  StrategyConfig config;
  config.strategy = spec.strategy;
  config.hold_ns = spec.hold_ns;
  config.take = spec.kind == Kind::kInventory;
  config.compensate = spec.Compensates();
  config.reply_timeout_ns = spec.timeout_ns;
  return config;
}

int WaitReadable(int fd, int64_t timeout_ns) {
  if (timeout_ns == kReadyReadable) return 1;
  if (timeout_ns == kReadyBuffered) return 0;
  pollfd p = {fd, POLLIN, 0};
  const timespec wait = {timeout_ns / 1000000000, timeout_ns % 1000000000};
  const int n = ppoll(&p, 1, &wait, nullptr);
  if (n < 0) return errno == EINTR ? 0 : -1;
  return n > 0 ? 1 : 0;
}

const char* PrimName(Prim p) {
  switch (p) {
    case Prim::kBegin: return "begin";
    case Prim::kIncrement: return "increment";
    case Prim::kLock: return "lock";
    case Prim::kRead: return "read";
    case Prim::kWrite: return "write";
    case Prim::kCompareAndSet: return "compare-and-set";
    case Prim::kTake: return "take";
    case Prim::kAddGet: return "add-get";
    case Prim::kUnlock: return "unlock";
    case Prim::kCommit: return "commit";
    case Prim::kAbort: return "abort";
  }
  return "?";
}

StrategyMachine::StrategyMachine(const StrategyConfig& config,
                                 WorkerTally* tally)
    : config_(config), tally_(tally), backoff_(config.backoff, config.seed) {}

bool InTransactions(const StrategyConfig& config) {
  return config.transactions &&
         (config.strategy == Strategy::kLock || config.txn_ops > 1 ||
          config.isolated);
}

int PipelineDepth(const StrategyConfig& config) {
  return config.strategy == Strategy::kAtomic && !InTransactions(config) &&
                 !config.take
             ? config.pipeline
             : 1;
}

void StrategyMachine::StartAdd(uint32_t counter, int64_t delta) {
  status_ = Status::OK();
  failing_ = flushing_ = false;
  todo_.clear();
  next_ = 0;
  todo_.push_back({counter, delta});
  NextIncrement();
}

void StrategyMachine::ContinueIncrement(uint32_t counter, int64_t delta,
                                        int64_t sent_ns, const Reply& reply) {
  status_ = Status::OK();
  failing_ = flushing_ = false;
  todo_.clear();
  next_ = 0;
  todo_.push_back({counter, delta});
  step_ = Step::kIncrement;
  action_.kind = Action::Kind::kSend;
  action_.request = {IncrementPrim(), counter, config_.compensate ? -delta
                                                                 : delta,
                     0, false};
  request_start_ = sent_ns;
  request_busy_ = false;
  OnReply(reply);
}

void StrategyMachine::StartRead(uint32_t counter) {
  status_ = Status::OK();
  failing_ = flushing_ = false;
  read_counter_ = counter;
  Go(Step::kPlainRead);
}

void StrategyMachine::StartFlush() {
  status_ = Status::OK();
  failing_ = false;
  flushing_ = true;
  todo_.clear();
  next_ = 0;
  NextIncrement();
}

void StrategyMachine::NextIncrement() {
  if (next_ == todo_.size()) {
    const bool group_full =
        static_cast<int>(pending_.size()) >= config_.txn_ops;
    if (in_txn_ && (flushing_ || group_full)) return Go(Step::kCommit);
    return Finish(Status::OK());
  }
  if (!in_txn_ && InTransactions(config_)) return Go(Step::kBegin);
  switch (config_.strategy) {
    case Strategy::kAtomic: return Go(Step::kIncrement);
    case Strategy::kLock: return Go(Step::kLock);
    case Strategy::kCas:
    case Strategy::kNaive: return Go(Step::kRead);
  }
}

void StrategyMachine::Send(Prim prim, int64_t value, int64_t expected,
                           bool for_cas) {
  action_.kind = Action::Kind::kSend;
  Request& r = action_.request;
  r.prim = prim;
  r.counter = step_ == Step::kPlainRead ? read_counter_
              : next_ < todo_.size()    ? todo_[next_].counter
                                        : 0;
  r.value = value;
  r.expected = expected;
  r.for_cas = for_cas;
  request_start_ = NowNs();
  request_busy_ = false;
}

void StrategyMachine::Go(Step step) {
  step_ = step;
  const int64_t delta = next_ < todo_.size() ? todo_[next_].delta : 0;
  // What a write leaves: the value with the increment, or less the take.
  const int64_t written = config_.take ? read_value_ - delta
                                       : read_value_ + delta;
  switch (step) {
    case Step::kBegin: return Send(Prim::kBegin);
    case Step::kLock: return Send(Prim::kLock);
    case Step::kRead:
      return Send(Prim::kRead, 0, 0, config_.strategy == Strategy::kCas);
    case Step::kPlainRead: return Send(Prim::kRead);
    case Step::kHold:
      if (config_.hold_ns <= 0) return HoldOver();
      action_.kind = Action::Kind::kHold;
      action_.until = NowNs() + config_.hold_ns;
      return;
    case Step::kWrite: return Send(Prim::kWrite, written);
    case Step::kCas:
      return Send(Prim::kCompareAndSet, written, read_value_, true);
    case Step::kIncrement:
      return Send(IncrementPrim(), config_.compensate ? -delta : delta);
    case Step::kGiveBack: return Send(Prim::kAddGet, delta);
    case Step::kUnlock: return Send(Prim::kUnlock);
    case Step::kCommit: return Send(Prim::kCommit);
    case Step::kAbort: return Send(Prim::kAbort);
    case Step::kDone:
      action_.kind = Action::Kind::kDone;
      return;
  }
}

void StrategyMachine::Resume() {
  if (action_.kind == Action::Kind::kBackoff) {
    action_.kind = Action::Kind::kSend;  // The same request again.
    return;
  }
  HoldOver();
}

void StrategyMachine::HoldOver() {
  // A take checks the value it read: too little left, and nothing is
  // written (a lock is still given back).
  if (config_.take && read_value_ < todo_[next_].delta) return SoldOut();
  Go(config_.strategy == Strategy::kCas ? Step::kCas : Step::kWrite);
}

Prim StrategyMachine::IncrementPrim() const {
  if (!config_.take) return Prim::kIncrement;
  return config_.compensate ? Prim::kAddGet : Prim::kTake;
}

void StrategyMachine::SoldOut() {
  todo_[next_].sold_out = true;
  if (holds_lock_) return Go(Step::kUnlock);
  IncrementDone();
}

void StrategyMachine::IncrementDone() {
  const Item done = todo_[next_++];
  if (in_txn_) {
    pending_.push_back(done);
  } else if (done.sold_out) {
    tally_->SoldOut();
  } else {
    tally_->Ack(done.counter, done.delta);
  }
  NextIncrement();
}

void StrategyMachine::Finish(Status status) {
  status_ = std::move(status);
  flushing_ = false;
  Go(Step::kDone);
}

void StrategyMachine::OnReply(const Reply& reply) {
  using Outcome = Reply::Outcome;
  if (reply.outcome == Outcome::kBusy) {
    ++tally_->retries;
    request_busy_ = true;
    const int64_t now = NowNs();
    if (now - request_start_ >= config_.busy_limit_ns) {
      tally_->lock_wait_ns += now - request_start_;
      Reply failed = Reply::Failed(Status::Busy(
          reply.status.message() + " (gave up after " +
          std::to_string(config_.busy_limit_ns / 1000000) + " ms)"));
      return OnFailure(failed);
    }
    const int64_t delay = backoff_.Next();
    if (delay > 0) {
      action_.kind = Action::Kind::kBackoff;
      action_.until = now + delay;
    }
    return;  // Else the same request goes out again at once.
  }
  // The wait for a lock: the whole time of a Lock (or of a Begin that
  // takes one), and of any request that had to wait out a busy lock.
  if (step_ == Step::kLock || request_busy_ ||
      (step_ == Step::kBegin && config_.begin_locks)) {
    tally_->lock_wait_ns += NowNs() - request_start_;
    if (request_busy_) backoff_.Reset();
  }
  if (failing_) {
    // Cleaning up after an error: what these replies say does not matter.
    if (step_ == Step::kUnlock) {
      holds_lock_ = false;
      if (in_txn_ && reply.outcome != Outcome::kLost) return Go(Step::kAbort);
    }
    in_txn_ = false;
    pending_.clear();
    return Finish(status_);
  }
  if (reply.outcome == Outcome::kConflict) return OnConflict();
  if (reply.outcome != Outcome::kDone) return OnFailure(reply);
  switch (step_) {
    case Step::kBegin:
      in_txn_ = true;
      return NextIncrement();
    case Step::kLock:
      holds_lock_ = true;
      if (reply.has_value) {
        read_value_ = reply.value;
        return Go(Step::kHold);
      }
      return Go(Step::kRead);
    case Step::kRead:
      read_value_ = reply.value;
      return Go(Step::kHold);
    case Step::kWrite:
      if (config_.strategy == Strategy::kLock) return Go(Step::kUnlock);
      return IncrementDone();
    case Step::kUnlock:
      holds_lock_ = false;
      return IncrementDone();
    case Step::kCas:
      return IncrementDone();
    case Step::kIncrement:
      if (config_.take && !reply.has_value) {
        return OnFailure(Reply::Failed(
            Status::IOError("strategy: a take answered neither sold nor "
                            "sold out")));
      }
      // Compensating: below zero, it gives the units back.
      if (config_.compensate && reply.value < 0) return Go(Step::kGiveBack);
      if (config_.take && !config_.compensate && reply.value == 0) {
        return SoldOut();
      }
      return IncrementDone();
    case Step::kGiveBack:
      return SoldOut();
    case Step::kCommit:
      in_txn_ = false;
      for (const Item& item : pending_) {
        if (item.sold_out) {
          tally_->SoldOut();
        } else {
          tally_->Ack(item.counter, item.delta);
        }
      }
      pending_.clear();
      return NextIncrement();
    case Step::kAbort:
      // After a conflict: the transaction's increments again, from Begin.
      in_txn_ = false;
      return NextIncrement();
    case Step::kPlainRead:
      read_value_ = reply.value;
      return Finish(Status::OK());
    case Step::kHold:
    case Step::kDone:
      break;
  }
  Finish(Status::IOError(std::string("strategy: a reply to ") +
                          PrimName(action_.request.prim) + " out of turn"));
}

void StrategyMachine::OnConflict() {
  ++tally_->retries;
  if (!in_txn_) {
    // A compare-and-set that lost: the increment starts over.
    holds_lock_ = false;
    return NextIncrement();
  }
  // The transaction is lost (a serialization failure, a deadlock): every
  // increment of it runs again, after a rollback.
  std::vector<Item> again = pending_;
  again.insert(again.end(), todo_.begin() + static_cast<long>(next_),
               todo_.end());
  for (Item& item : again) item.sold_out = false;  // Asked again.
  todo_ = std::move(again);
  next_ = 0;
  pending_.clear();
  holds_lock_ = false;
  Go(Step::kAbort);
}

void StrategyMachine::OnFailure(const Reply& reply) {
  status_ = reply.status.ok()
                ? Status::IOError(std::string("strategy: ") +
                                  PrimName(action_.request.prim) + " failed")
                : reply.status;
  failing_ = true;
  if (reply.outcome != Reply::Outcome::kLost) {
    // Give back what this operation holds; its increments are not
    // acknowledged.
    if (holds_lock_ && step_ != Step::kUnlock) return Go(Step::kUnlock);
    if (in_txn_ && step_ != Step::kAbort) return Go(Step::kAbort);
  }
  holds_lock_ = false;
  in_txn_ = false;
  pending_.clear();
  Finish(status_);
}

Status Drive(StrategyMachine* machine, Primitives* primitives) {
  using Kind = StrategyMachine::Action::Kind;
  for (;;) {
    const StrategyMachine::Action& action = machine->action();
    switch (action.kind) {
      case Kind::kSend:
        primitives->Send(action.request);
        machine->OnReply(primitives->Receive());
        break;
      case Kind::kHold:
        SpinUntil(action.until);
        machine->Resume();
        break;
      case Kind::kBackoff:
        SleepNs(action.until - NowNs());
        machine->Resume();
        break;
      case Kind::kDone:
        return machine->status();
    }
  }
}

namespace {

class StrategySession final : public Session {
 public:
  StrategySession(std::unique_ptr<Primitives> primitives,
                  const StrategyConfig& config, WorkerTally* tally)
      : primitives_(std::move(primitives)),
        machine_(config, tally),
        tally_(tally),
        pipeline_(PipelineDepth(config)),
        direct_(pipeline_ == 1 && config.strategy == Strategy::kAtomic &&
                !InTransactions(config) && !config.take) {}

  Status Add(uint32_t counter, int64_t delta) override {
    if (pipeline_ > 1) {
      if (tally_->intended_ns > 0) return AddInFlight(counter, delta);
      primitives_->Send({Prim::kIncrement, counter, delta, 0, false});
      batch_.push_back({counter, delta, tally_->intended_ns, 0});
      if (static_cast<int>(batch_.size()) == pipeline_) return SettleBatch();
      return Status::OK();
    }
    if (direct_) {
      // Atomic outside a transaction is one request: the machine is only
      // needed when its reply asks for more (a retry, an error).
      const int64_t sent = NowNs();
      primitives_->Send({Prim::kIncrement, counter, delta, 0, false});
      const Reply reply = primitives_->Receive();
      if (__builtin_expect(reply.outcome == Reply::Outcome::kDone, 1)) {
        tally_->Ack(counter, delta);
        return Status::OK();
      }
      machine_.ContinueIncrement(counter, delta, sent, reply);
    } else {
      machine_.StartAdd(counter, delta);
    }
    return Drive(&machine_, primitives_.get());
  }

  Result<int64_t> Read(uint32_t counter) override {
    Status st = SettleBatch();  // Replies come in order: settle first.
    if (!st.ok()) return st;
    machine_.StartRead(counter);
    st = Drive(&machine_, primitives_.get());
    if (!st.ok()) return st;
    return machine_.value();
  }

  Status Flush() override {
    Status st = SettleBatch();
    machine_.StartFlush();
    Status committed = Drive(&machine_, primitives_.get());
    return st.ok() ? committed : st;
  }

  bool RecordsLatency() const override { return pipeline_ > 1; }

  int InFlight() const override { return static_cast<int>(batch_.size()); }

  void Poll(int64_t timeout_ns) override {
    while (!batch_.empty() && primitives_->Ready(timeout_ns)) {
      SettleFront(NowNs());
      timeout_ns = 0;  // One wait; then only what has come.
    }
  }

 private:
  // Open loop: the increment goes out now, at its intended start, with up
  // to `pipeline` in flight; its reply is taken in by Poll() between
  // starts, by a later Add when the pipeline is full, or by Flush.
  Status AddInFlight(uint32_t counter, int64_t delta) {
    Poll(0);
    while (static_cast<int>(batch_.size()) >= pipeline_) SettleFront(NowNs());
    if (!error_.ok()) return std::exchange(error_, Status::OK());
    const int64_t sent = NowNs();  // The write itself is part of it.
    primitives_->Send({Prim::kIncrement, counter, delta, 0, false});
    primitives_->Push();
    batch_.push_back({counter, delta, tally_->intended_ns, sent});
    return Status::OK();
  }

  // Takes in the oldest request's reply (replies come in order); its
  // latency runs from its send (or `sent_ns`, for requests that went out
  // together at the first Receive) to the reply. An error reply is not
  // acknowledged and kept for the caller; a lost connection ends the
  // pipeline.
  void SettleFront(int64_t sent_ns) {
    const Queued q = batch_.front();
    batch_.pop_front();
    const Reply r = primitives_->Receive();
    if (r.outcome == Reply::Outcome::kDone) {
      const int64_t now = NowNs();
      tally_->latency->Record(now - (q.sent_ns > 0 ? q.sent_ns : sent_ns));
      if (q.intended_ns > 0 && tally_->response != nullptr) {
        const int64_t response = now - q.intended_ns;
        tally_->response->Record(response);
        if (tally_->late_limit_ns > 0 && response > tally_->late_limit_ns) {
          ++tally_->late;
        }
      }
      tally_->Ack(q.counter, q.delta);
      return;
    }
    if (error_.ok()) {
      error_ = r.status.ok() ? Status::IOError("a pipelined increment was "
                                               "not done")
                             : r.status;
    }
    if (r.outcome == Reply::Outcome::kLost) batch_.clear();
  }

  // The queued increments go out in one write (at the first Receive).
  Status SettleBatch() {
    const int64_t sent = NowNs();
    while (!batch_.empty()) SettleFront(sent);
    return std::exchange(error_, Status::OK());
  }

  std::unique_ptr<Primitives> primitives_;
  StrategyMachine machine_;
  WorkerTally* const tally_;
  const int pipeline_;
  const bool direct_;  // Atomic increments without the machine (see Add).
  struct Queued {
    uint32_t counter;
    int64_t delta;
    int64_t intended_ns;  // Open loop: its intended start; 0: none.
    int64_t sent_ns;      // When it went out; 0: with the batch.
  };
  std::deque<Queued> batch_;  // Sent, unacknowledged.
  Status error_;              // Of a settled request, for the caller.
};

}  // namespace

std::unique_ptr<Session> NewStrategySession(
    std::unique_ptr<Primitives> primitives, const StrategyConfig& config,
    WorkerTally* tally) {
  return std::make_unique<StrategySession>(std::move(primitives), config,
                                           tally);
}

}  // namespace ctrbench
