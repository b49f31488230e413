#include "counters/mpi.h"

#include <cstdlib>

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
int rank = 0, size = 1;
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

void Broadcast(std::string* data) {
  if (size == 1) return;
  uint64_t n = data->size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  data->resize(n);
  // In pieces: MPI counts are ints.
  constexpr uint64_t kPiece = 1 << 30;
  for (uint64_t at = 0; at < n; at += kPiece) {
    MPI_Bcast(data->data() + at, static_cast<int>(std::min(kPiece, n - at)),
              MPI_CHAR, 0, MPI_COMM_WORLD);
  }
}

bool AllOk(bool ok) {
  if (size == 1) return ok;
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

std::vector<std::string> Gather(const std::string& mine) {
  if (size == 1) return {mine};
  // One rank at a time to rank 0: sizes first, then the bytes.
  std::vector<std::string> all;
  if (rank == 0) {
    all.resize(size);
    all[0] = mine;
    for (int r = 1; r < size; ++r) {
      uint64_t n = 0;
      MPI_Recv(&n, 1, MPI_UINT64_T, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      all[r].resize(n);
      constexpr uint64_t kPiece = 1 << 30;
      for (uint64_t at = 0; at < n; at += kPiece) {
        MPI_Recv(all[r].data() + at,
                 static_cast<int>(std::min(kPiece, n - at)), MPI_CHAR, r, 2,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      }
    }
  } else {
    uint64_t n = mine.size();
    MPI_Send(&n, 1, MPI_UINT64_T, 0, 1, MPI_COMM_WORLD);
    constexpr uint64_t kPiece = 1 << 30;
    for (uint64_t at = 0; at < n; at += kPiece) {
      MPI_Send(mine.data() + at, static_cast<int>(std::min(kPiece, n - at)),
               MPI_CHAR, 0, 2, MPI_COMM_WORLD);
    }
  }
  return all;
}

void SumToRoot(std::vector<int64_t>* values) {
  if (size == 1) return;
  constexpr size_t kPiece = 1 << 24;
  std::vector<int64_t> sum(rank == 0 ? std::min(kPiece, values->size()) : 0);
  for (size_t at = 0; at < values->size(); at += kPiece) {
    const int n = static_cast<int>(std::min(kPiece, values->size() - at));
    MPI_Reduce(values->data() + at, rank == 0 ? sum.data() : nullptr, n,
               MPI_INT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    if (rank == 0) std::copy(sum.begin(), sum.begin() + n, values->begin() + at);
  }
}

double BroadcastDouble(double value) {
  if (size > 1) MPI_Bcast(&value, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  return value;
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
void Broadcast(std::string*) {}
bool AllOk(bool ok) { return ok; }
std::vector<std::string> Gather(const std::string& mine) { return {mine}; }
void SumToRoot(std::vector<int64_t>*) {}
double BroadcastDouble(double value) { return value; }
std::string HostName() { return ""; }

#endif

}  // namespace mpi
}  // namespace ctrbench
