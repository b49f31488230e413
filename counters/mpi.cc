#include "counters/mpi.h"

#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <memory>
#include <utility>

#include "counters/interrupt.h"

#ifdef CTRBENCH_HAVE_MPI
#include <mpi.h>
#endif

namespace ctrbench {
namespace mpi {

bool Launched() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

const char* BuildHint() {
  return "install Debian's libopenmpi-dev and openmpi-bin (scripts/setup.sh "
         "does), then configure and build again: CMake finds MPI";
}

#ifdef CTRBENCH_HAVE_MPI

namespace {

bool started = false;
bool broken = false;  // An MPI call failed: a rank went away.
int rank = 0, size = 1;
constexpr uint64_t kPiece = 1 << 30;  // MPI counts are ints.

// Waits for `request`, looking every 100 us whether the process was
// interrupted: then it gives up (false). mpirun stops every rank with
// SIGTERM when one dies, and a rank waiting for the dead one must still
// get to its teardown.
bool Wait(MPI_Request* request) {
  // A call that could not start left no request.
  if (*request == MPI_REQUEST_NULL) broken = true;
  if (broken) return false;
  for (;;) {
    int done = 0;
    if (MPI_Test(request, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
      broken = true;
      return false;
    }
    if (done) return true;
    if (Interrupted()) return false;
    const timespec pause = {0, 100000};
    nanosleep(&pause, nullptr);
  }
}

}  // namespace

bool Built() { return true; }

Status Init() {
  if (!Launched() || started) return Status::OK();
  int provided = 0;
  // Only the main thread calls MPI; workers (threads, or forked
  // processes) never do.
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) !=
      MPI_SUCCESS) {
    return Status::IOError("mpi: MPI_Init_thread failed");
  }
  started = true;
  // A rank that dies makes the calls that wait for it fail, rather than
  // abort this rank before it has torn its store down.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return Status::OK();
}

void Finalize() {
  if (started) MPI_Finalize();
  started = false;
}

int Rank() { return rank; }
int Size() { return size; }
bool Broken() { return broken; }

bool Broadcast(std::string* data) {
  if (size == 1) return true;
  if (broken) return false;
  uint64_t n = data->size();
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Ibcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &request);
  if (!Wait(&request)) return false;
  data->resize(n);
  for (uint64_t at = 0; at < n; at += kPiece) {
    MPI_Ibcast(data->data() + at, static_cast<int>(std::min(kPiece, n - at)),
               MPI_CHAR, 0, MPI_COMM_WORLD, &request);
    if (!Wait(&request)) return false;
  }
  return true;
}

bool AllOk(bool ok) {
  if (size == 1) return ok;
  if (broken) return false;
  int mine = ok ? 1 : 0, all = 0;
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Iallreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &request);
  return Wait(&request) && all == 1;
}

std::vector<std::string> Gather(const std::string& mine) {
  if (size == 1) return {mine};
  if (broken) return {};
  // One rank at a time to rank 0: sizes first, then the bytes.
  std::vector<std::string> all;
  MPI_Request request = MPI_REQUEST_NULL;
  if (rank == 0) {
    all.resize(size);
    all[0] = mine;
    for (int r = 1; r < size; ++r) {
      uint64_t n = 0;
      MPI_Irecv(&n, 1, MPI_UINT64_T, r, 1, MPI_COMM_WORLD, &request);
      if (!Wait(&request)) return {};
      all[r].resize(n);
      for (uint64_t at = 0; at < n; at += kPiece) {
        MPI_Irecv(all[r].data() + at,
                  static_cast<int>(std::min(kPiece, n - at)), MPI_CHAR, r, 2,
                  MPI_COMM_WORLD, &request);
        if (!Wait(&request)) return {};
      }
    }
  } else {
    uint64_t n = mine.size();
    MPI_Isend(&n, 1, MPI_UINT64_T, 0, 1, MPI_COMM_WORLD, &request);
    if (!Wait(&request)) return {};
    for (uint64_t at = 0; at < n; at += kPiece) {
      MPI_Isend(mine.data() + at, static_cast<int>(std::min(kPiece, n - at)),
                MPI_CHAR, 0, 2, MPI_COMM_WORLD, &request);
      if (!Wait(&request)) return {};
    }
  }
  return all;
}

bool SumToRoot(std::vector<int64_t>* values) {
  if (size == 1) return true;
  if (broken) return false;
  constexpr size_t kCount = 1 << 24;
  std::vector<int64_t> sum(rank == 0 ? std::min(kCount, values->size()) : 0);
  for (size_t at = 0; at < values->size(); at += kCount) {
    const int n = static_cast<int>(std::min(kCount, values->size() - at));
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Ireduce(values->data() + at, rank == 0 ? sum.data() : nullptr, n,
                MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD, &request);
    if (!Wait(&request)) return false;
    if (rank == 0) std::copy(sum.begin(), sum.begin() + n, values->begin() + at);
  }
  return true;
}

struct Watch::State {
  MPI_Comm comm = MPI_COMM_NULL;
  MPI_Request request = MPI_REQUEST_NULL;
  int send[2] = {0, 0};     // Must stop; minus done (MAX: minus all done).
  int receive[2] = {0, 0};
};

Watch::Watch() : state_(new State) {
  if (size > 1) {
    MPI_Comm_dup(MPI_COMM_WORLD, &state_->comm);
    MPI_Comm_set_errhandler(state_->comm, MPI_ERRORS_RETURN);
  }
}

Watch::~Watch() {
  if (state_->request != MPI_REQUEST_NULL) {
    // Rounds end together on every rank, so a round still open here is
    // one the run gave up on (interrupted): leave it.
    MPI_Request_free(&state_->request);
  }
  if (state_->comm != MPI_COMM_NULL) MPI_Comm_free(&state_->comm);
  delete state_;
}

bool Watch::Over(Stop stop, bool done) {
  if (size == 1) {
    stopped_ = stop;
    return stop != kNone || done;
  }
  State& s = *state_;
  if (broken) {
    stopped_ = kAbandon;
    return true;
  }
  if (s.request != MPI_REQUEST_NULL) {
    int finished = 0;
    if (MPI_Test(&s.request, &finished, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
      broken = true;  // A rank went away.
      stopped_ = kAbandon;
      return true;
    }
    if (!finished) return false;
    if (s.receive[0] > 0 || s.receive[1] == -1) {
      stopped_ = static_cast<Stop>(s.receive[0]);
      return true;
    }
  }
  s.send[0] = stop;
  s.send[1] = done ? -1 : 0;
  MPI_Iallreduce(s.send, s.receive, 2, MPI_INT, MPI_MAX, s.comm, &s.request);
  return false;
}

struct Mailbox::State {
  MPI_Comm comm = MPI_COMM_NULL;
  // Sent and not yet known to have left, oldest first: a message's bytes
  // stay alive until its request completes.
  std::deque<std::pair<MPI_Request, std::unique_ptr<std::string>>> sending;
};

Mailbox::Mailbox() : state_(new State) {
  if (size > 1 && !broken) {
    MPI_Comm_dup(MPI_COMM_WORLD, &state_->comm);
    MPI_Comm_set_errhandler(state_->comm, MPI_ERRORS_RETURN);
  }
}

Mailbox::~Mailbox() {
  for (auto& [request, bytes] : state_->sending) {
    // Only a run given up on (Drain waits for the others) leaves messages
    // that rank 0 will never take: freed as Watch frees its open round.
    if (request != MPI_REQUEST_NULL) MPI_Request_free(&request);
  }
  if (state_->comm != MPI_COMM_NULL) MPI_Comm_free(&state_->comm);
  delete state_;
}

bool Mailbox::Send(std::string message) {
  State& s = *state_;
  if (broken || s.comm == MPI_COMM_NULL) return false;
  // What has left; at the cap, the oldest is waited for.
  while (!s.sending.empty()) {
    int done = 0;
    if (s.sending.size() >= kMaxInFlight) {
      if (!Wait(&s.sending.front().first)) return false;
      done = 1;
    } else if (MPI_Test(&s.sending.front().first, &done,
                        MPI_STATUS_IGNORE) != MPI_SUCCESS) {
      broken = true;
      return false;
    }
    if (!done) break;
    s.sending.pop_front();
  }
  auto bytes = std::make_unique<std::string>(std::move(message));
  MPI_Request request = MPI_REQUEST_NULL;
  if (MPI_Isend(bytes->data(), static_cast<int>(bytes->size()), MPI_CHAR, 0,
                3, s.comm, &request) != MPI_SUCCESS) {
    broken = true;
    return false;
  }
  s.sending.emplace_back(request, std::move(bytes));
  return true;
}

bool Mailbox::Drain() {
  State& s = *state_;
  while (!s.sending.empty()) {
    if (!Wait(&s.sending.front().first)) return false;
    s.sending.pop_front();
  }
  return true;
}

bool Mailbox::Receive(std::string* message, int* from, bool wait) {
  State& s = *state_;
  if (s.comm == MPI_COMM_NULL) return false;
  for (;;) {
    if (broken) return false;
    int came = 0;
    MPI_Status status;
    if (MPI_Iprobe(MPI_ANY_SOURCE, 3, s.comm, &came, &status) !=
        MPI_SUCCESS) {
      broken = true;
      return false;
    }
    if (came) {
      int n = 0;
      MPI_Get_count(&status, MPI_CHAR, &n);
      message->resize(static_cast<size_t>(std::max(0, n)));
      // Only this thread receives: the message probed is the one taken.
      if (MPI_Recv(message->data(), n, MPI_CHAR, status.MPI_SOURCE, 3,
                   s.comm, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
        broken = true;
        return false;
      }
      *from = status.MPI_SOURCE;
      return true;
    }
    if (!wait || Interrupted()) return false;
    const timespec pause = {0, 100000};
    nanosleep(&pause, nullptr);
  }
}

std::string HostName() {
  if (!started) return "";
  char name[MPI_MAX_PROCESSOR_NAME];
  int n = 0;
  MPI_Get_processor_name(name, &n);
  return std::string(name, n);
}

#else  // Built without MPI.

bool Built() { return false; }

Status Init() {
  if (!Launched()) return Status::OK();
  return Status::NotSupported(
      std::string("this ctrbench was built without MPI, and mpirun started "
                  "it; to run on several hosts, ") + BuildHint());
}

void Finalize() {}
int Rank() { return 0; }
int Size() { return 1; }
bool Broken() { return false; }
bool Broadcast(std::string*) { return true; }
bool AllOk(bool ok) { return ok; }
std::vector<std::string> Gather(const std::string& mine) { return {mine}; }
bool SumToRoot(std::vector<int64_t>*) { return true; }
std::string HostName() { return ""; }

struct Mailbox::State {};
Mailbox::Mailbox() : state_(nullptr) {}
Mailbox::~Mailbox() {}
bool Mailbox::Send(std::string) { return false; }
bool Mailbox::Drain() { return true; }
bool Mailbox::Receive(std::string*, int*, bool) { return false; }

struct Watch::State {};
Watch::Watch() : state_(nullptr) {}
Watch::~Watch() {}
bool Watch::Over(Stop stop, bool done) {
  stopped_ = stop;
  return stop != kNone || done;
}

#endif

}  // namespace mpi
}  // namespace ctrbench
