#include "counters/rank_exchange.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <utility>

#include "counters/interrupt.h"
#include "counters/mpi.h"
#include "counters/run_merge.h"

namespace ctrbench {

namespace {

// Under MPI: what one rank measured, for rank 0 to merge. Its workers'
// slots (their times moved onto the time base of the barrier that started
// the measured time) and its histograms.
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
};

// An interval's message starts with this, and the buckets of the build
// that packed it: another build's is not misread.
constexpr uint32_t kIntervalTag = 0x53455249;  // "SERI"
constexpr uint32_t kEndTag = 0x53454e44;       // "SEND"
constexpr int32_t kBucketCount = Histogram::kBuckets;

// A histogram as its buckets that are not empty, then its max.
void PutSparse(std::string* out, const Histogram& h) {
  uint32_t used = 0;
  for (int b = 0; b < Histogram::kBuckets; ++b) used += h.CountAt(b) > 0;
  Put(out, used);
  for (int b = 0; b < Histogram::kBuckets; ++b) {
    if (h.CountAt(b) == 0) continue;
    Put(out, static_cast<int32_t>(b));
    Put(out, h.CountAt(b));
  }
  Put(out, h.max());
}
bool TakeSparse(const std::string& in, size_t* at, Histogram* h) {
  uint32_t used = 0;
  if (!Take(in, at, &used) || used > Histogram::kBuckets) return false;
  // Each bucket's largest value is at most the histogram's max, read last.
  std::vector<std::pair<int32_t, int64_t>> buckets(used);
  for (auto& [b, n] : buckets) {
    if (!Take(in, at, &b) || !Take(in, at, &n) || b < 0 ||
        b >= Histogram::kBuckets || n <= 0) {
      return false;
    }
  }
  int64_t max = 0;
  if (!Take(in, at, &max)) return false;
  for (const auto& [b, n] : buckets) {
    const int64_t top = static_cast<int64_t>(Histogram::BucketLow(b) +
                                             Histogram::BucketWidth(b) - 1);
    h->AddToBucket(b, n, std::min(max, top));
  }
  return true;
}

}  // namespace

std::string PackInterval(const SeriesPoint& p) {
  std::string out;
  Put(&out, kIntervalTag);
  Put(&out, kBucketCount);
  Put(&out, p.index);
  Put(&out, p.start_s);
  Put(&out, p.end_s);
  for (int64_t v : {p.ops, p.increments, p.retries, p.errors}) Put(&out, v);
  Put(&out, p.ranks);
  Put(&out, p.stage);
  PutSparse(&out, p.latency);
  PutSparse(&out, p.response);
  return out;
}

std::string PackSeriesEnd() {
  std::string out;
  Put(&out, kEndTag);
  Put(&out, kBucketCount);
  return out;
}

SeriesMessage UnpackInterval(const std::string& in, SeriesPoint* p) {
  size_t at = 0;
  uint32_t tag = 0;
  int32_t buckets = 0;
  if (!Take(in, &at, &tag) || !Take(in, &at, &buckets) ||
      buckets != kBucketCount) {
    return SeriesMessage::kUnknown;
  }
  if (tag == kEndTag) return SeriesMessage::kEnd;
  *p = SeriesPoint();
  const bool ok = tag == kIntervalTag && Take(in, &at, &p->index) &&
                  Take(in, &at, &p->start_s) && Take(in, &at, &p->end_s) &&
                  Take(in, &at, &p->ops) && Take(in, &at, &p->increments) &&
                  Take(in, &at, &p->retries) && Take(in, &at, &p->errors) &&
                  Take(in, &at, &p->ranks) && Take(in, &at, &p->stage) &&
                  TakeSparse(in, &at, &p->latency) &&
                  TakeSparse(in, &at, &p->response) && at == in.size();
  return ok ? SeriesMessage::kInterval : SeriesMessage::kUnknown;
}

void RankSeries::Add(const SeriesPoint& part) {
  if (part.index < next_) {
    ++left_out_;  // Its interval went out without it.
    return;
  }
  // An interval far ahead of the oldest waiting: the oldest go out.
  while (part.index - next_ >= kMaxPending) {
    if (pending_.empty()) {  // Nothing waits: move on at once.
      next_ = part.index - static_cast<uint32_t>(kMaxPending) + 1;
      break;
    }
    EmitFront();
  }
  const size_t k = part.index - next_;
  if (pending_.size() <= k) pending_.resize(k + 1);
  Pending& p = pending_[k];
  if (p.ranks == 0) {
    p.point.index = part.index;
    p.point.start_s = part.start_s;
    p.point.end_s = part.end_s;
    p.point.stage = part.stage;
  }
  p.point.start_s = std::min(p.point.start_s, part.start_s);
  p.point.end_s = std::max(p.point.end_s, part.end_s);
  p.point.Merge(part);
  p.ranks += part.ranks;
  p.point.ranks = p.ranks;
  while (!pending_.empty() && pending_.front().ranks >= ranks_) EmitFront();
}

void RankSeries::Flush() {
  while (!pending_.empty()) EmitFront();
}

// The oldest waiting interval goes out, with the parts it has (none: an
// interval no rank had, which leaves no point).
void RankSeries::EmitFront() {
  if (!pending_.empty()) {
    if (pending_.front().ranks > 0 && emit_) emit_(pending_.front().point);
    pending_.pop_front();
  }
  ++next_;
}

std::string PackRank(SharedState* shared, int first, const Histogram& latency,
                     const Histogram& response, int64_t time_base,
                     const RunResult& outcome) {
  std::string out;
  Put(&out, PackHeader());
  Put(&out, first);
  Put(&out, shared->workers());
  // Raw bytes of each slot, as they sit in the shared mapping (forked
  // workers share them the same way); the receiver restores the pointers.
  for (int w = 0; w < shared->workers(); ++w) {
    WorkerSlot& slot = shared->slot(w);
    for (int64_t* t : {&slot.counts.start_ns, &slot.counts.end_ns,
                       &slot.counts.sold_out_at_ns}) {
      if (*t > 0) *t = *t - time_base + kRankEpochNs;
    }
    out.append(reinterpret_cast<const char*>(&slot), sizeof(WorkerSlot));
  }
  Put(&out, latency);
  Put(&out, response);
  const std::string host = mpi::HostName();
  Put(&out, host.size());
  out += host;
  Put(&out, outcome.worker_died);
  Put(&out, outcome.error.size());
  out += outcome.error;
  return out;
}

Status UnpackRanks(const std::vector<std::string>& parts, SharedState* all,
                   Histogram* latency, Histogram* response, RunResult* r) {
  // Per host: operations and workers.
  std::map<std::string, std::pair<int64_t, int64_t>> hosts;
  latency->Clear();
  response->Clear();
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
        header.histogram_bytes != sizeof(Histogram) || !Take(in, &at, &first) ||
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
    // Two histograms: one at a time on the stack would be 40 KiB.
    auto part = std::make_unique<Histogram>();
    if (!Take(in, &at, part.get())) return short_part;
    latency->Merge(*part);
    if (!Take(in, &at, part.get())) return short_part;
    response->Merge(*part);
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
