#include "counters/rank_exchange.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "counters/interrupt.h"
#include "counters/mpi.h"
#include "counters/run_merge.h"

namespace ctrbench {

namespace {

// Under MPI: what one rank measured, for rank 0 to merge. Its workers'
// slots (their times moved onto the time base of the barrier that started
// the measured time), its latency histogram and its series.
constexpr int64_t kRankEpochNs = int64_t{1} << 40;  // Keeps moved times > 0.

template <typename T>
void Put(std::string* out, const T& value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}
template <typename T>
bool Take(const std::string& in, size_t* at, T* value) {
  if (*at + sizeof(T) > in.size()) return false;
  std::memcpy(static_cast<void*>(value), in.data() + *at, sizeof(T));
  *at += sizeof(T);
  return true;
}

// The layout of what PackRank sends: ranks must run the same build (the
// README says so); a rank of another build is an error, not a misread.
struct PackHeader {
  uint64_t slot_bytes = sizeof(WorkerSlot);
  uint64_t histogram_bytes = sizeof(Histogram);
  uint64_t point_bytes = sizeof(SeriesPoint);
};

}  // namespace

std::string PackRank(SharedState* shared, int first, const Histogram& latency,
                     const std::vector<SeriesPoint>& series, int64_t time_base,
                     const RunResult& outcome) {
  std::string out;
  Put(&out, PackHeader());
  Put(&out, first);
  Put(&out, shared->workers());
  // Raw bytes of each slot, as they sit in the shared mapping (forked
  // workers share them the same way); the receiver restores the pointers.
  for (int w = 0; w < shared->workers(); ++w) {
    WorkerSlot& slot = shared->slot(w);
    for (int64_t* t : {&slot.counts.start_ns, &slot.counts.end_ns}) {
      if (*t > 0) *t = *t - time_base + kRankEpochNs;
    }
    out.append(reinterpret_cast<const char*>(&slot), sizeof(WorkerSlot));
  }
  Put(&out, latency);
  Put(&out, series.size());
  for (const SeriesPoint& p : series) Put(&out, p);
  const std::string host = mpi::HostName();
  Put(&out, host.size());
  out += host;
  Put(&out, outcome.worker_died);
  Put(&out, outcome.error.size());
  out += outcome.error;
  return out;
}

// Rank 0: every rank's part in one SharedState of the run's workers, and
// the merged latency histogram and series; `r` gets the hosts, their
// fairness, and the first rank's error. Percentiles of a series interval
// cannot be merged from the ranks' points: with several ranks they are
// empty (-1).
Status UnpackRanks(const std::vector<std::string>& parts, SharedState* all,
                   Histogram* latency, std::vector<SeriesPoint>* series,
                   RunResult* r) {
  // Per host: operations and workers.
  std::map<std::string, std::pair<int64_t, int64_t>> hosts;
  *latency = Histogram();
  series->clear();
  for (size_t k = 0; k < parts.size(); ++k) {
    const std::string& in = parts[k];
    const Status short_part =
        Status::IOError("mpi: rank " + std::to_string(k) +
                        " sent a result this build cannot read (every rank "
                        "must run the same ctrbench)");
    size_t at = 0;
    PackHeader header;
    int first = 0, n = 0;
    if (!Take(in, &at, &header) ||
        header.slot_bytes != sizeof(WorkerSlot) ||
        header.histogram_bytes != sizeof(Histogram) ||
        header.point_bytes != sizeof(SeriesPoint) || !Take(in, &at, &first) ||
        !Take(in, &at, &n) || first < 0 || n < 0 ||
        first + n > all->workers() ||
        at + sizeof(WorkerSlot) * static_cast<size_t>(n) > in.size()) {
      return short_part;
    }
    int64_t rank_ops = 0;
    for (int w = 0; w < n; ++w) {
      WorkerSlot& slot = all->slot(first + w);
      const WorkerTally kept = slot.tally;  // Pointers into this process.
      std::memcpy(static_cast<void*>(&slot), in.data() + at,
                  sizeof(WorkerSlot));
      at += sizeof(WorkerSlot);
      slot.tally.acks = kept.acks;
      slot.tally.shared_acked = kept.shared_acked;
      slot.tally.latency = kept.latency;
      slot.tally.response = kept.response;
      rank_ops += slot.counts.ops;
    }
    Histogram part;
    size_t points = 0;
    if (!Take(in, &at, &part) || !Take(in, &at, &points)) return short_part;
    latency->Merge(part);
    for (size_t i = 0; i < points; ++i) {
      SeriesPoint p;
      if (!Take(in, &at, &p)) return short_part;
      if (i >= series->size()) {
        series->push_back(p);
        continue;
      }
      SeriesPoint& q = (*series)[i];
      q.ops += p.ops;
      q.increments += p.increments;
      q.samples += p.samples;
      q.end_s = std::max(q.end_s, p.end_s);
    }
    size_t host_size = 0, error_size = 0;
    bool died = false;
    if (!Take(in, &at, &host_size) || at + host_size > in.size()) {
      return short_part;
    }
    const std::string host = in.substr(at, host_size);
    at += host_size;
    if (!Take(in, &at, &died) || !Take(in, &at, &error_size) ||
        at + error_size > in.size()) {
      return short_part;
    }
    const std::string error = in.substr(at, error_size);
    hosts[host].first += rank_ops;
    hosts[host].second += n;
    r->worker_died = r->worker_died || died;
    if (r->error.empty() && !error.empty()) {
      r->error = "MPI rank " + std::to_string(k) + ": " + error;
    }
  }
  if (parts.size() > 1) {
    for (SeriesPoint& p : *series) p.p50_us = p.p99_us = -1;
  }
  // Fairness between hosts: each host's operations per worker, so that an
  // uneven split of the workers (5 over 2 hosts) is not counted as unfair.
  std::vector<int64_t> per_worker;
  for (const auto& entry : hosts) {
    per_worker.push_back(entry.second.first / std::max<int64_t>(1, entry.second.second));
  }
  r->hosts = static_cast<int>(hosts.size());
  r->host_fairness = JainFairness(per_worker);
  return Status::OK();
}

// Under MPI: OK on every rank when `mine` is OK on every rank; else, on
// every rank, the first failing rank's error, saying which rank.
Status AgreeOk(const Status& mine) {
  if (mpi::Size() == 1) return mine;
  const std::vector<std::string> all =
      mpi::Gather(mine.ok() ? "" : mine.ToString());
  std::string first;
  if (mpi::Rank() == 0 && all.empty()) first = "interrupted";
  for (size_t r = 0; r < all.size() && first.empty(); ++r) {
    if (!all[r].empty()) first = "MPI rank " + std::to_string(r) + ": " + all[r];
  }
  if (!mpi::Broadcast(&first) || Interrupted()) {
    return Status::IOError("interrupted while the MPI ranks agreed");
  }
  return first.empty() ? Status::OK() : Status::IOError(first);
}

// Every rank learns from rank 0 how the run went (the sweep's decisions
// follow it: a failed run, a capacity for relative rates).
void FollowRoot(RunResult* r) {
  std::string word;
  if (mpi::Rank() == 0) {
    Put(&word, r->verified);
    Put(&word, r->interrupted);
    Put(&word, r->worker_died);
    for (double v : {r->increments_per_s, r->throughput_ops_s,
                     r->rate_achieved, r->resp_p99_us}) {
      Put(&word, v);
    }
    word += r->error;
  }
  if (!mpi::Broadcast(&word)) {
    r->interrupted = true;
    return;
  }
  if (mpi::Rank() == 0) return;
  size_t at = 0;
  RunResult got = *r;
  if (!Take(word, &at, &got.verified) || !Take(word, &at, &got.interrupted) ||
      !Take(word, &at, &got.worker_died) ||
      !Take(word, &at, &got.increments_per_s) ||
      !Take(word, &at, &got.throughput_ops_s) ||
      !Take(word, &at, &got.rate_achieved) ||
      !Take(word, &at, &got.resp_p99_us)) {
    r->interrupted = true;  // Another build: the sweep stops.
    return;
  }
  got.error = word.substr(at);
  *r = std::move(got);
}

}  // namespace ctrbench
