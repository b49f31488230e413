// Several load hosts under MPI. `ctrbench run` started by mpirun runs, on
// each rank, its share of every run's workers against the same store; rank
// 0 sets the store up and tears it down, all ranks start measuring
// together, and rank 0 merges what every rank measured into one row. MPI is
// optional at build time (CMake finds it), and started only when the
// launcher's environment says so: a plain run never starts MPI machinery.
//
//   Status st = mpi::Init();          // in main, before anything runs
//   if (mpi::Rank() == 0) ... print, write files ...
//   mpi::Broadcast(&text);            // every rank, in the same order
//   mpi::Finalize();

#ifndef CTRBENCH_COUNTERS_MPI_H_
#define CTRBENCH_COUNTERS_MPI_H_

#include <cstdint>
#include <string>
#include <vector>

#include "counters/status.h"

namespace ctrbench {
namespace mpi {

// True when an MPI launcher started this process (OMPI_COMM_WORLD_SIZE,
// PMIX_RANK or PMI_SIZE in the environment).
bool Launched();
// True when this ctrbench was built with MPI.
bool Built();
// How to get a ctrbench with MPI, for messages.
const char* BuildHint();

// Starts MPI when Launched() (a no-op otherwise). Fails when launched by
// mpirun but built without MPI.
Status Init();
void Finalize();

int Rank();  // 0 without MPI.
int Size();  // 1 without MPI.
// True once an MPI call failed (a rank went away): every collective gives
// up from then on.
bool Broken();

// Collectives: every rank calls them, in the same order. With one rank
// they do nothing. Each gives up (false, or empty) once the process is
// interrupted (Ctrl-C, or mpirun stopping the job because a rank died),
// so that a rank waiting for a dead one still gets to its teardown.
// Rank 0's `data` on every rank.
bool Broadcast(std::string* data);
// True on every rank when `ok` is true on every rank.
bool AllOk(bool ok);
// At rank 0: every rank's `mine`, by rank; elsewhere, or given up, empty.
std::vector<std::string> Gather(const std::string& mine);
// At rank 0: the element-wise sum of every rank's `values` (all the same
// length); elsewhere unchanged.
bool SumToRoot(std::vector<int64_t>* values);

// The ranks' agreement while they measure, round after round on a
// communicator of its own: each rank says whether it must stop (a worker
// died or failed, it was interrupted) and whether it is done (its duration
// ended, its workers did their operations). Every rank sees the same
// rounds, so they all leave the measured time at the same round: when one
// must stop, or when all are done.
class Watch {
 public:
  Watch();
  ~Watch();
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;
  // Why a rank must stop: a failure (the ranks still merge what they
  // measured), or an interruption (they give up on it).
  enum Stop { kNone = 0, kFailed = 1, kAbandon = 2 };
  // Feeds this rank's state (used from the next round on); true once a
  // round said the measured time is over. Never waits.
  bool Over(Stop stop, bool done);
  // The gravest stop of the round that ended it (kAbandon when a rank
  // went away).
  Stop stopped() const { return stopped_; }

 private:
  struct State;
  State* state_;
  Stop stopped_ = kNone;
};

// Messages from every rank to rank 0 while the ranks measure (a run's
// series, interval by interval), on a communicator of their own, so that
// rank 0 need not hold what a rank measured until the end. Every rank makes
// one at the same point (the communicator's duplication is collective).
// Nothing waits unless a rank has kMaxInFlight messages on their way.
class Mailbox {
 public:
  static constexpr size_t kMaxInFlight = 64;

  Mailbox();
  ~Mailbox();
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;
  // Ranks > 0: sends `message` to rank 0, keeping it until it has left;
  // false when the ranks gave up (interrupted, a rank went away).
  bool Send(std::string message);
  // Ranks > 0: waits until every message sent has left; false if given up.
  bool Drain();
  // Rank 0: a message that has come (and from which rank); false when none
  // has. With `wait`, waits for one; false then means given up.
  bool Receive(std::string* message, int* from, bool wait);

 private:
  struct State;
  State* state_;
};

// This host's name, as MPI sees it ("" without MPI).
std::string HostName();

}  // namespace mpi
}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_MPI_H_
