// The run ledger: what a run has created outside its own memory, written
// down before it is created, so that nothing is lost track of when the run
// is killed (kill -9 leaves no chance to tear down).
//
// Each ctrbench process that creates something keeps one file in the
// per-user state directory ($CTRBENCH_STATE_DIR, else
// $XDG_STATE_HOME/ctrbench, else ~/.local/state/ctrbench), named after its
// host, pid and process start time. An entry is added before a resource is
// created (a shared-memory segment, a temporary directory, a table in a
// user's database, keys on a user's server, a server process) and removed
// once teardown has removed it. `ctrbench cleanup` undoes the entries of
// every ledger whose process is dead; a live process's ledger is never
// touched, and a reused pid is told apart by its start time.
//
//   std::unique_ptr<Ledger> ledger = Ledger::Open();        // may be null
//   uint64_t id = ledger->Add("shm.segment", {{"name", name}});
//   ... create, use, remove ...
//   ledger->Remove(id);

#ifndef CTRBENCH_COUNTERS_LEDGER_H_
#define CTRBENCH_COUNTERS_LEDGER_H_

#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "counters/status.h"

namespace ctrbench {

using LedgerFields = std::map<std::string, std::string>;

// The value of `key` in `fields`, or "" when it is absent.
std::string FieldOf(const LedgerFields& fields, const std::string& key);

// Whether `name` is a table name a run gives its own table: "ctrbench_"
// and then only lowercase letters, digits and '_', so that cleanup can put
// it in SQL text.
bool IsRunTableName(const std::string& name);
// The name a run gives its own table (and the prefix of its other SQL
// objects): "ctrbench_" and the run id with '-' as '_'.
std::string RunTableName(const std::string& run_id);

// The state directory (created on demand, owner-only).
std::string StateDir();

// The start time of a process in clock ticks since boot (/proc/PID/stat);
// 0 if it does not exist or is a zombie. With the pid it tells a live
// process from a dead one whose pid was reused.
uint64_t ProcessStartTime(pid_t pid);

class Ledger {
 public:
  // The ledger of this process; an error if the state directory cannot be
  // written (a run then refuses to create things it could not track).
  static Result<std::unique_ptr<Ledger>> Open();
  ~Ledger();  // Removes the file if no entry is left.
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Writes an entry down (the file reaches the disk before this returns).
  // `kind` is "<backend>.<what>" for a backend's own kind of resource, or
  // "dir" / "process" for the ones `cleanup` knows itself.
  Result<uint64_t> Add(const std::string& kind, const LedgerFields& fields);
  Status Update(uint64_t id, const LedgerFields& fields);  // Merges fields.
  Status Remove(uint64_t id);

  const std::string& path() const { return path_; }

 private:
  explicit Ledger(std::string path) : path_(std::move(path)) {}
  Status Write();

  std::mutex mu_;  // Workers are threads; teardown may run on another.
  const std::string path_;
  const pid_t owner_ = getpid();
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::pair<std::string, LedgerFields>> entries_;  // Kind.
};

// One entry, for the pattern of a backend: Record before creating, Update
// once created, Forget after removing. With a null ledger each is a no-op.
class LedgerEntry {
 public:
  Status Record(Ledger* ledger, const std::string& kind,
                const LedgerFields& fields);
  void Update(const LedgerFields& fields);
  void Forget();

 private:
  Ledger* ledger_ = nullptr;
  uint64_t id_ = 0;
};

// Undoes one entry of a dead run; says what it did in *done. Backends
// register one for their own kinds (BackendInfo::undo).
using UndoFn = std::function<Status(const std::string& kind,
                                    const LedgerFields& fields,
                                    std::string* done)>;

struct CleanupResult {
  std::vector<std::string> done;     // What was removed or restored.
  std::vector<std::string> skipped;  // Left alone, and why.
  // Entries that could not be undone yet (a server down, a removal that
  // failed): kept in their ledgers for the next cleanup. Not counted: a
  // live run's, and what is no longer the run's (a name taken over), which
  // is forgotten.
  int kept = 0;
};

// Undoes every entry of every ledger of a dead process of this host in
// `dir`. `undo` is asked for kinds other than "dir" and "process"; an entry
// that cannot be undone stays in its ledger (and is reported), unless the
// undo says InvalidArgument: the thing is not the run's (any more), and
// the entry is forgotten.
Result<CleanupResult> CleanupDeadRuns(const std::string& dir,
                                      const UndoFn& undo);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_LEDGER_H_
