// The interface every counter backend implements, and the registry of them.
//
// A Backend owns the shared state of one run: Setup creates it, Connect hands
// each worker its own Session, ReadTotals reads every counter for
// verification, and Teardown removes everything Setup created. The runner
// calls Setup, ReadTotals and Teardown from the parent process; Connect is
// called inside the worker (after fork for process workers), and each Session
// is used by that one worker only. Errors cross the interface as Status,
// never as an exception or exit().
//
// Counters are addressed by their physical index in [0, counters): the
// runner maps a logical key and a shard to `key * shards + shard`.

#ifndef CTRBENCH_COUNTERS_BACKEND_H_
#define CTRBENCH_COUNTERS_BACKEND_H_

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "counters/csv.h"
#include "counters/histogram.h"
#include "counters/ledger.h"
#include "counters/status.h"

namespace ctrbench {

// The run field timeout's default: a request not answered within 2 s fails
// the run (as redis-cli and Python's Manager clients give up, not wait).
inline constexpr int64_t kDefaultTimeoutNs = 2000000000;

// How a session updates a counter; the same meaning on every backend.
enum class Strategy {
  kAtomic,  // The backend's native atomic increment.
  kLock,    // A pessimistic lock around read, add, write.
  kCas,     // Read, then compare-and-swap, retried on conflict.
  kNaive,   // Read, then write, unsynchronized: loses updates on purpose.
};
inline constexpr Strategy kAllStrategies[] = {
    Strategy::kAtomic, Strategy::kLock, Strategy::kCas, Strategy::kNaive};
const char* StrategyName(Strategy s);
Result<Strategy> ParseStrategy(const std::string& name);

// What a counter is (the run field `kind`): a count that only grows, or
// stock with a floor. Under kInventory an operation's `delta` is the units
// it takes, and it takes them only if that many are left: sold (Ack) or
// sold out (WorkerTally::SoldOut), never below zero.
enum class Kind { kCounter, kInventory };
const char* KindName(Kind k);
Result<Kind> ParseKind(const std::string& name);

// How atomic takes from a stock (the run field `take`): one conditional
// operation, or decrement and give back when it went below zero.
enum class TakeMode { kConditional, kCompensate };
const char* TakeName(TakeMode t);
Result<TakeMode> ParseTake(const std::string& name);

// Which shard (cell) of a key a worker's increments go to, with shards > 1:
// its own (workers spread over the shards), the one of the CPU it runs on,
// or LongAdder's way: one cell until increments collide, then more.
enum class ShardBy { kWorker, kCpu, kAdaptive };
const char* ShardByName(ShardBy s);
Result<ShardBy> ParseShardBy(const std::string& name);

enum class WorkerMode { kThreads, kProcesses };
const char* WorkerModeName(WorkerMode m);
Result<WorkerMode> ParseWorkerMode(const std::string& name);

// Backend options as given in a scenario's [backend] table or with
// --set backend.key=value; the backend validates them.
using OptionMap = std::map<std::string, std::string>;
// A backend's statistics by name (Backend::Stats, BackendInfo::stats).
using StatValues = std::map<std::string, Cell>;

// What one worker did. It lives in memory the parent reads after the worker
// is done (a shared mapping for process workers). A session records into it:
// A worker's acknowledged increments, by physical counter, in a space that
// does not grow with workers x counters: a direct-mapped cache of
// kEntries counters per worker, whose evictions go into one array that all
// workers share (an atomic add); the run adds what the caches hold at the
// end. With up to kEntries counters nothing is ever evicted, and an Ack is
// one compare and one add.
struct AckCache {
  static constexpr uint32_t kEntries = 4096;
  static constexpr uint32_t kEmpty = 0xffffffff;
  struct Entry {
    uint32_t key = kEmpty;
    int64_t count = 0;
  };
  Entry entries[kEntries];
};

// Ack() for every increment the backend acknowledged, retries, lock waits
// and errors. Only its own worker writes it.
struct WorkerTally {
  int64_t retries = 0;       // CAS conflicts, busy retries, lock attempts.
  int64_t lock_wait_ns = 0;  // Time spent waiting to get a lock.
  // In-memory locks found taken (their wait is in lock_wait_ns; a server's
  // lock that was taken is a retry).
  int64_t contended_locks = 0;
  int64_t errors = 0;        // Operations that failed for good.
  // The largest size of the backend's files on disk this worker saw (a
  // database and its WAL); 0 for a backend without files.
  int64_t disk_peak_bytes = 0;
  // Acknowledged increments (see AckCache): evicted ones in `shared_acked`
  // (per physical counter, every worker's), `evicted` of them this
  // worker's.
  AckCache* acks = nullptr;
  std::atomic<int64_t>* shared_acked = nullptr;
  int64_t evicted = 0;
  Histogram* latency = nullptr;  // For sessions that time their own requests.
  // Redirections a cluster's nodes answered with (MOVED, ASK).
  int64_t redirects = 0;
  // Open loop, for those sessions too: the intended start of the request
  // the next Add sends (0: none, as in a closed loop), and where each
  // request's response time (from that start to its reply) goes.
  int64_t intended_ns = 0;
  Histogram* response = nullptr;
  int64_t late_limit_ns = 0;  // Replies slower than this count in `late`.
  int64_t late = 0;
  // Inventory: takes answered "sold out", and when the first of them came
  // (the worker clears it when the measured time starts).
  int64_t sold_out = 0;
  int64_t first_sold_out_ns = 0;

  // A compare and an add: it sits between two increments of what may be a
  // contended counter.
  void Ack(uint32_t counter, int64_t delta) {
    AckCache::Entry& e = acks->entries[counter & (AckCache::kEntries - 1)];
    if (__builtin_expect(e.key != counter, 0)) Evict(&e, counter);
    e.count += delta;
  }
  // A take that found too little left: acknowledged, but nothing sold.
  void SoldOut() {
    ++sold_out;
    if (first_sold_out_ns == 0) first_sold_out_ns = Now();
  }
  // A count that moves whenever an operation of this worker collided with
  // another's (a failed compare-and-swap, a busy reply, a lock found
  // taken): shard_by = adaptive compares it from one pick to the next.
  int64_t CollisionMark() const { return retries + contended_locks; }
  // This worker's acknowledged increments, all counters.
  int64_t AckedSum() const;
  // Counter `c`'s acknowledged increments, for a tally that is the only
  // one writing `shared_acked` (tests of one session).
  int64_t Acked(uint32_t c) const;

 private:
  void Evict(AckCache::Entry* e, uint32_t counter);
  static int64_t Now();  // NowNs(), without counters/clock.h here.
};

// Storage for one tally's acknowledgements outside the runner, which keeps
// them in shared memory: tests and benchmarks of a single session.
class OwnedAcks {
 public:
  OwnedAcks(WorkerTally* tally, uint32_t counters)
      : cache_(new AckCache), shared_(new std::atomic<int64_t>[counters]()) {
    tally->acks = cache_.get();
    tally->shared_acked = shared_.get();
  }

 private:
  std::unique_ptr<AckCache> cache_;
  std::unique_ptr<std::atomic<int64_t>[]> shared_;
};

// One worker's connection to the backend. Not thread-safe: one per worker.
class Session {
 public:
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  virtual ~Session() = default;

  // Adds `delta` to `counter` under the run's strategy and calls
  // tally->Ack() once the backend has acknowledged it (a pipelining session
  // may acknowledge later, in a later Add or in Flush).
  virtual Status Add(uint32_t counter, int64_t delta) = 0;
  // Adds `delta` to each of `counters[0..n)` in turn, exactly as n calls to
  // Add would, stopping at the first error; `*done` says how many were
  // done. The runner uses it for untimed operations, so that a backend
  // whose increment costs a few nanoseconds can run them without a virtual
  // call each (the in-memory backends override it); every increment is
  // still its own operation on the backend.
  virtual Status AddMany(const uint32_t* counters, size_t n, int64_t delta,
                         size_t* done) {
    for (*done = 0; *done < n; ++*done) {
      Status st = Add(counters[*done], delta);
      if (!st.ok()) return st;
    }
    return Status::OK();
  }
  virtual Result<int64_t> Read(uint32_t counter) = 0;
  // Settles whatever the session holds back (requests in flight, an open
  // transaction). Called at the end of the warm-up and at the end of a
  // run, before verification.
  virtual Status Flush() { return Status::OK(); }
  // True if the session records each request's latency itself (because it
  // pipelines); otherwise the runner times sampled calls to Add.
  virtual bool RecordsLatency() const { return false; }
  // Open loop with a pipelining session: Add sends each request at its
  // intended start and returns with it in flight; between starts the
  // runner calls Poll() instead of sleeping, which takes in the replies
  // that have come (timing each at its arrival), waiting up to
  // `timeout_ns` for one. A session with nothing in flight is never
  // polled.
  virtual int InFlight() const { return 0; }
  virtual void Poll(int64_t /*timeout_ns*/) {}
};

// A worker's connections when it has several (the `connections` field):
// each is a client of its own, with one operation in flight (or up to
// `pipeline` increments), and one event loop drives them all, so that a
// worker needs no thread per connection. Every strategy keeps its meaning
// per connection: a lock is held by a connection, and its hold (like a
// backoff) is a deadline the loop keeps while it serves the others.
// Increments are acknowledged in the worker's tally as a Session's are.
// Not thread-safe: one per worker.
class Connections {
 public:
  // An operation that ended.
  struct Done {
    int connection = 0;
    int64_t delta = 0;        // What it added; 0 for a read.
    int64_t start_ns = 0;     // When its first request was written,
    int64_t end_ns = 0;       // and when its last reply came.
    int64_t intended_ns = 0;  // As given to Start.
    Status status;
  };

  Connections() = default;
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;
  virtual ~Connections() = default;

  virtual int size() const = 0;
  // How many more operations connection `c` takes now; 0 while it is busy.
  virtual int Room(int c) const = 0;
  // Starts an increment of `counter` by `delta` (0: a read of it) on
  // connection `c`, which has room. `intended_ns` is only handed back.
  virtual void Start(int c, uint32_t counter, int64_t delta,
                     int64_t intended_ns) = 0;
  // Drives every connection until at least one operation has ended or
  // NowNs() reaches `until`, and appends what ended to `done`. `precise`:
  // `until` is a deadline to keep to the microsecond (an intended start),
  // not only a time to look up.
  virtual void Run(int64_t until, bool precise, std::vector<Done>* done) = 0;
  // Operations in flight, over all connections.
  virtual int InFlight() const = 0;
  // How long Run looks for replies before it sleeps (busy polling), while
  // requests are in flight; 0 (the default): it sleeps at once.
  virtual void SetBusyPoll(int64_t ns) = 0;
  // An eventfd (not owned) that the runner writes to when the worker has
  // something to look at (a new phase): Run returns when it rings, however
  // far `until` is.
  virtual Status SetBell(int fd) = 0;
  // Ends every operation in flight (appended to `done`) and commits open
  // transactions; an error of the commits is returned.
  virtual Status Flush(std::vector<Done>* done) = 0;
};

// A server that may outlive one run. A backend whose server is slow to
// start (PostgreSQL's initdb takes seconds) keeps it in the sweep's
// ServerPool, keyed by everything that shapes it, and the next run with
// the same key uses it again, with tables or keys of its own. The pool
// stops its servers when the sweep ends.
class SharedServer {
 public:
  virtual ~SharedServer() = default;
  // Stops the server and removes what it had; an error says what went
  // wrong (a server that had to be killed, a directory left).
  virtual Status Stop() { return Status::OK(); }
};

class ServerPool {
 public:
  ServerPool() = default;
  ServerPool(const ServerPool&) = delete;
  ServerPool& operator=(const ServerPool&) = delete;

  SharedServer* Find(const std::string& key) const {
    auto it = servers_.find(key);
    return it == servers_.end() ? nullptr : it->second.get();
  }
  SharedServer* Add(const std::string& key,
                    std::unique_ptr<SharedServer> server) {
    return (servers_[key] = std::move(server)).get();
  }
  void Remove(const std::string& key) { servers_.erase(key); }
  // Stops every server (the sweep's end); the first error, if any.
  Status StopAll() {
    Status status;
    for (auto& [key, server] : servers_) {
      Status st = server->Stop();
      if (status.ok() && !st.ok()) status = st;
    }
    servers_.clear();
    return status;
  }

 private:
  std::map<std::string, std::unique_ptr<SharedServer>> servers_;
};

// What the runner tells a backend about the run it is set up for.
struct SetupSpec {
  uint32_t counters = 1;  // Physical counters: keys x shards.
  uint32_t shards = 1;    // Counter key * shards + s is shard s of key.
  Strategy strategy = Strategy::kAtomic;
  WorkerMode mode = WorkerMode::kThreads;
  int workers = 1;
  int connections = 1;  // Per worker: a server sees workers x connections.
  int64_t hold_ns = 0;  // Busy time inside the critical section.
  // Counters or stock; Setup starts every counter at `stock` (inventory)
  // or at zero.
  Kind kind = Kind::kCounter;
  int64_t stock = 0;
  TakeMode take = TakeMode::kConditional;
  int64_t Initial() const { return kind == Kind::kInventory ? stock : 0; }
  // Atomic takes by decrementing and giving back (take = compensate).
  bool Compensates() const {
    return kind == Kind::kInventory && strategy == Strategy::kAtomic &&
           take == TakeMode::kCompensate;
  }
  // Each request's deadline (the run field timeout): a server that does not
  // answer within it fails the run.
  int64_t timeout_ns = kDefaultTimeoutNs;
  std::string run_id;   // Unique per run; names segments, tables, keys.
  // Where to write down what Setup creates outside the process, before
  // creating it (counters/ledger.h); null: nothing is recorded.
  Ledger* ledger = nullptr;
  // Where a server may outlive the run (see ServerPool); null: the backend
  // stops whatever it started at Teardown.
  ServerPool* servers = nullptr;
};

class Backend {
 public:
  Backend() = default;
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;
  // Must release whatever Setup created if Teardown was not called.
  virtual ~Backend() = default;

  // Creates the shared state, with every counter at spec.Initial().
  virtual Status Setup(const SetupSpec& spec) = 0;
  // Opens a session for worker `worker` (0-based); `tally` outlives it.
  virtual Result<std::unique_ptr<Session>> Connect(int worker,
                                                   WorkerTally* tally) = 0;
  // Opens `n` connections for worker `worker`, driven by one event loop,
  // for a backend whose Capabilities have `connections`.
  virtual Result<std::unique_ptr<Connections>> ConnectMany(
      int /*worker*/, int /*n*/, WorkerTally* /*tally*/) {
    return Status::NotSupported("this backend has one connection per worker");
  }
  virtual Result<std::vector<int64_t>> ReadTotals() = 0;
  // Under MPI (counters/mpi.h), the ranks other than 0 reach what rank
  // 0's Setup made:
  // Share (rank 0, after Setup) says what they need (addresses, names, a
  // password), and Join takes it instead of Setup. Teardown after Join
  // removes nothing. A backend whose counters cannot be reached from
  // another process's host keeps these defaults.
  virtual Result<std::string> Share() const {
    return Status::NotSupported(
        "its counters live in one process or on one host, where other MPI "
        "ranks cannot reach them");
  }
  virtual Status Join(const SetupSpec& /*spec*/, const std::string& /*shared*/) {
    return Share().status();
  }
  // Removes everything Setup created. Safe to call after a failed Setup,
  // and more than once.
  virtual Status Teardown() = 0;

  // The effective value of every option the backend declares: defaults
  // resolved, and what Setup found (the journal mode a user's SQLite file
  // already had). Never a password.
  virtual OptionMap EffectiveOptions() const = 0;

  // Why this backend, with the options it was made with, cannot run
  // `run` (an option that only makes sense for some strategies); OK if it
  // can. Called before any Setup, on a backend made only to ask: it reads
  // the values its factory parsed, and parses nothing again.
  virtual Status CheckRun(const SetupSpec& run) const {
    (void)run;
    return Status::OK();
  }

  // The version of the library or server behind the backend, for the CSV.
  virtual std::string Version() const { return ""; }
  // The server processes the backend started (they and their descendants
  // are what `pin` places): one, or a cluster's nodes; none for a user's
  // server, or no server.
  virtual std::vector<pid_t> ServerPids() const { return {}; }

  // The measured time (after the warm-up) starts and ends: a backend that
  // watches its server during it (PostgreSQL's wait events, a server's
  // CPU, a cluster's command counts) starts and stops here. Called from
  // the parent, between Setup and ReadTotals.
  virtual void MeasurementStarted() {}
  virtual void MeasurementEnded() {}
  // The store's own statistics over the measured time, by the names that
  // BackendInfo::stats declares (as google/benchmark's UserCounters and
  // leveldb's GetProperty: a statistic is a named value, not a method).
  // Called after MeasurementEnded; a name left out is unknown (an empty
  // cell). The runner keeps the declared names only.
  virtual StatValues Stats() const { return {}; }
};

// One statistic a backend reports of its store (Backend::Stats). One whose
// name is a results column (counters/metrics.h: server_cpu_s,
// node_commands, wait_*) fills that column; any other goes into the
// backend_stats column, "name=value;..." sorted, and typed into the JSON
// object's backend_stats.
struct StatSpec {
  std::string name;  // [a-z0-9_]+
  Cell::Type type;
  std::string unit;  // "s", "us", "" ...
  std::string description;
};

// One option a backend accepts, for validation and `ctrbench list`.
// Made by the typed declarations of backends/options.h (IntOption,
// ChoiceOption, ...), which write the allowed values once for the check,
// the messages, `ctrbench list` and the README.
struct OptionSpec {
  std::string name;
  std::string allowed;  // "true or false", "an integer from 1 to 1024", ...
  std::string default_value;  // ctrbench's: what a run gets unless told.
  // The store's own default, where the store has one: what it does when
  // nobody sets it (PostgreSQL's fsync = on, SQLite's journal_mode =
  // delete). "" for an option that is ctrbench's alone (pipeline,
  // timeouts). A run line shows every option away from it (OptionsToShow).
  std::string store_default;
  std::string help;
  // A list of values is a sweep axis. False for an option whose values may
  // contain commas (a path, a url, an address list): never split.
  bool sweep = true;
  // Its values may contain commas (a statement): --set never splits one,
  // though a scenario's list of them is a sweep axis when `sweep` is true.
  bool commas = false;
  // Checks one value: OK, or InvalidArgument whose message (when not
  // empty) says what is allowed instead of `allowed`. Null: any value.
  std::function<Status(const std::string& value)> check;
  // The values it takes by name, for "did you mean".
  std::vector<std::string> choices;
  // How a value reads in a message (a url without its password); null: as
  // it is.
  std::function<std::string(const std::string& value)> shown;

  // This declaration with the store's own default:
  //   ChoiceOption("fsync", {"on", "off"}, "on", "...").WithStoreDefault("on")
  OptionSpec WithStoreDefault(const std::string& value) const {
    OptionSpec spec = *this;
    spec.store_default = value;
    return spec;
  }
  // What a value is measured against: the store's default, else ctrbench's.
  const std::string& Reference() const {
    return store_default.empty() ? default_value : store_default;
  }
};

struct Capabilities {
  bool threads = true;
  bool processes = false;
  std::vector<Strategy> strategies;
  // The runner times 1 in N calls to Add; fast backends sample, since a
  // clock read (about 21 ns) would otherwise dominate a 5 ns increment.
  int latency_sample_every = 1;
  // Several connections per worker (Backend::ConnectMany).
  bool connections = false;
  // Ranks of an MPI run reach the same counters (Backend::Share, Join).
  bool mpi = false;
  // Runs kind = inventory: Setup fills the stock, and every strategy's
  // sessions take with a floor.
  bool inventory = false;

  bool Supports(Strategy s) const;
  bool Supports(WorkerMode m) const {
    return m == WorkerMode::kThreads ? threads : processes;
  }
};

// Makes a backend from validated options. Returns InvalidArgument naming the
// option and what is allowed when a value is wrong. Must have no side
// effects: it is also called just to validate a scenario.
using BackendFactory =
    std::function<Result<std::unique_ptr<Backend>>(const OptionMap& options)>;

struct BackendInfo {
  std::string name;
  std::string description;
  Capabilities capabilities;
  std::vector<OptionSpec> options;
  std::vector<StatSpec> stats;  // What Backend::Stats may report.
  BackendFactory factory;
  // Optional: says why the backend cannot run here with these options (a
  // server program that is not installed, say). A sweep over "every
  // available backend" skips it with that note.
  std::function<Status(const OptionMap& options)> available;
  // Optional: undoes a ledger entry of this backend's own kinds
  // ("<name>.<what>") that a killed run left (`ctrbench cleanup`).
  UndoFn undo;
};

// Maps backend names to their factories and capabilities.
class Registry {
 public:
  void Add(BackendInfo info);
  const BackendInfo* Find(const std::string& name) const;
  const std::vector<BackendInfo>& backends() const { return backends_; }
  std::string Names() const;  // "inproc, shm"

  // Checks that `options` names only options `backend` declares, then lets
  // the backend's factory check the values.
  Status ValidateOptions(const std::string& backend,
                         const OptionMap& options) const;

  // A store this build left out (its client library was missing at build
  // time), and why; `ctrbench list` names it, and asking for it says so.
  void LeaveOut(const std::string& name, const std::string& why);
  const std::vector<std::pair<std::string, std::string>>& left_out() const {
    return left_out_;
  }
  // InvalidArgument for a backend this build does not have: a store left
  // out says why, any other name gets a "did you mean".
  Status Unknown(const std::string& name) const;
  // " (not in this build: WHY; ...)" for a store left out, else "".
  std::string LeftOutNote(const std::string& name) const;

 private:
  std::vector<BackendInfo> backends_;
  std::vector<std::pair<std::string, std::string>> left_out_;
};

// Renders options as "key=value;key=value" (sorted), for the CSV; a ';',
// '=', '%' or control character in a key or value is percent-escaped
// ("path=/a%3Bb").
std::string FormatOptions(const OptionMap& options);
// The reverse: "k=v;k=v" back into a map, escapes undone.
OptionMap ParseFormattedOptions(const std::string& text);

// The options a line about a finished run shows, as they ran: each whose
// effective value differs from the store's own default (ctrbench's, for an
// option that is ctrbench's alone), whether asked for or not, and each
// asked for (so that the runs of a sweep over an option read apart). A
// run whose store runs as it would by itself shows none.
OptionMap OptionsToShow(const std::vector<OptionSpec>& specs,
                        const OptionMap& asked, const OptionMap& effective);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_BACKEND_H_
