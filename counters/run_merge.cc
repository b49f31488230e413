#include "counters/run_merge.h"

#include <algorithm>

namespace ctrbench {

// The statistics a backend reported that its BackendInfo declares, of the
// declared types; others are dropped (a test holds every backend to it).
StatValues DeclaredStats(const BackendInfo& info, StatValues reported) {
  StatValues kept;
  for (const StatSpec& spec : info.stats) {
    auto it = reported.find(spec.name);
    if (it != reported.end() && it->second.type() == spec.type) {
      kept.insert(std::move(*it));
    }
  }
  return kept;
}

double JainFairness(const std::vector<int64_t>& xs) {
  double sum = 0, squares = 0;
  for (int64_t x : xs) {
    sum += static_cast<double>(x);
    squares += static_cast<double>(x) * static_cast<double>(x);
  }
  if (squares == 0) return 1.0;
  return sum * sum / (static_cast<double>(xs.size()) * squares);
}

void SeriesPoint::Merge(const SeriesPoint& other) {
  ops += other.ops;
  increments += other.increments;
  retries += other.retries;
  errors += other.errors;
  latency.Merge(other.latency);
  response.Merge(other.response);
}

void Merge(SharedState* shared, const Histogram& latency,
           const Histogram& response, RunResult* r) {
  // Load phases that park workers: fairness is over the workers that ran
  // in every phase (the others sat some out by design).
  int always = shared->workers();
  for (const Stage& stage : r->config.stages) {
    if (stage.workers > 0) always = std::min(always, stage.workers);
  }
  std::vector<int64_t> worker_ops;
  for (int w = 0; w < shared->workers(); ++w) {
    const WorkerSlot& s = shared->slot(w);
    CombineCounts(s.counts, &r->counts);
    if (w < always) worker_ops.push_back(s.counts.ops);
    r->reads.Merge(s.reads);
    r->refused.Merge(s.refused);
    if (s.failed && r->error.empty()) r->error = s.error;
  }
  r->response = response;
  const WorkerCounts& t = r->counts;
  if (t.start_ns > 0 && t.end_ns > t.start_ns) {
    r->duration_s = (t.end_ns - t.start_ns) / 1e9;
  }
  if (r->duration_s > 0) {
    r->throughput_ops_s = t.ops / r->duration_s;
    r->increments_per_s = t.increments / r->duration_s;
    r->rate_achieved = t.logical / r->duration_s;
  }
  r->resp_p50_us = r->response.Percentile(0.50) / 1000.0;
  r->resp_p90_us = r->response.Percentile(0.90) / 1000.0;
  r->resp_p99_us = r->response.Percentile(0.99) / 1000.0;
  r->resp_p999_us = r->response.Percentile(0.999) / 1000.0;
  r->resp_max_us = r->response.max() / 1000.0;
  r->latency_samples = latency.count();
  r->lat_p50_us = latency.Percentile(0.50) / 1000.0;
  r->lat_p90_us = latency.Percentile(0.90) / 1000.0;
  r->lat_p99_us = latency.Percentile(0.99) / 1000.0;
  r->lat_p999_us = latency.Percentile(0.999) / 1000.0;
  r->lat_max_us = latency.max() / 1000.0;
  r->latency = latency;
  r->worker_ops_min = *std::min_element(worker_ops.begin(), worker_ops.end());
  r->worker_ops_max = *std::max_element(worker_ops.begin(), worker_ops.end());
  r->fairness = JainFairness(worker_ops);
}

namespace {

// Inventory: each key's stock against the units sold from it, key by key
// (never netted across keys): removed = stock - read; lost =
// max(0, sold - removed); oversold = max(0, sold - stock); phantom =
// max(0, removed - sold), units gone that nobody sold. A safe strategy
// fails the run on any of them, on any key; naive, which oversells and
// loses sales by design, only on a phantom. The columns count the
// measured keys (0..keys-1) alone, as `sold` does: the warm-up took from
// keys..2 keys-1, a stock of its own.
void VerifyStock(const std::vector<int64_t>& acknowledged,
                 const std::vector<int64_t>& totals, RunResult* r) {
  const int64_t stock = r->config.stock;
  const size_t measured = r->config.keys;
  const bool safe = r->config.strategy != Strategy::kNaive;
  int64_t lost = 0, oversold = 0;
  std::string first;
  for (size_t c = 0; c < acknowledged.size(); ++c) {
    const int64_t sold = acknowledged[c];
    const int64_t read = c < totals.size() ? totals[c] : stock;
    const int64_t removed = stock - read;
    const int64_t key_lost = std::max<int64_t>(0, sold - removed);
    const int64_t key_over = std::max<int64_t>(0, sold - stock);
    const int64_t key_phantom = std::max<int64_t>(0, removed - sold);
    r->expected_total += sold;
    r->actual_total += removed;
    r->phantom += key_phantom;
    if (c < measured) {
      lost += key_lost;
      oversold += key_over;
    }
    if (first.empty() &&
        (key_phantom > 0 || (safe && (key_lost > 0 || key_over > 0)))) {
      first = (c < measured ? "key " + std::to_string(c)
                            : "the warm-up's key " +
                                  std::to_string(c - measured)) +
              " of stock " + std::to_string(stock) + ": sold " +
              std::to_string(sold) + ", read " + std::to_string(read);
    }
  }
  r->lost_updates = lost;
  r->oversold = oversold;
  if (r->duration_s > 0) {
    r->goodput_per_s =
        static_cast<double>(std::max<int64_t>(0, r->counts.increments - lost)) /
        r->duration_s;
  }
  r->verified = first.empty() && r->counts.errors == 0 && r->error.empty();
  if (!first.empty() && r->error.empty()) {
    r->error = "stock verification failed: " + first + " (measured keys: " +
               std::to_string(oversold) + " oversold, " +
               std::to_string(lost) + " sales lost; " +
               std::to_string(r->phantom) + " units gone unsold)";
  } else if (r->counts.errors > 0 && r->error.empty()) {
    r->error = std::to_string(r->counts.errors) + " operations failed";
  }
}

}  // namespace

// Compares every counter with the increments acknowledged for it.
void Verify(SharedState* shared, const std::vector<int64_t>& totals,
            RunResult* r) {
  const uint32_t counters = shared->counters();
  const std::vector<int64_t> acknowledged = shared->Acknowledged();
  if (r->config.kind == Kind::kInventory) {
    return VerifyStock(acknowledged, totals, r);
  }
  int64_t mismatched = 0, over = 0, shortfall = 0;
  std::string first;
  for (uint32_t c = 0; c < counters; ++c) {
    const int64_t expected = acknowledged[c];
    const int64_t actual = c < totals.size() ? totals[c] : 0;
    r->expected_total += expected;
    r->actual_total += actual;
    if (actual < expected) shortfall += expected - actual;
    if (actual != expected) {
      ++mismatched;
      if (actual > expected) ++over;
      if (first.empty()) {
        first = "counter " + std::to_string(c) + " expected " +
                std::to_string(expected) + ", read " + std::to_string(actual);
      }
    }
  }
  r->lost_updates = r->expected_total - r->actual_total;
  // Goodput: the sum over counters of min(acknowledged, read), per second
  // of the measured time. The acknowledgements include the warm-up's, so
  // it is taken as the measured increments less every counter's shortfall
  // (a loss in the warm-up counts against the measured time: when it
  // happened is not known). The counters are read once, at the end: the
  // per-second series has no goodput of its own.
  if (r->duration_s > 0) {
    r->goodput_per_s =
        static_cast<double>(std::max<int64_t>(0, r->counts.increments -
                                                     shortfall)) /
        r->duration_s;
  }
  const bool naive = r->config.strategy == Strategy::kNaive;
  // Naive loses updates by design; it still must not invent any.
  const bool counters_ok = naive ? over == 0 : mismatched == 0;
  r->verified = counters_ok && r->counts.errors == 0 && r->error.empty();
  if (!counters_ok && r->error.empty()) {
    r->error = std::to_string(mismatched) + " of " +
               std::to_string(counters) +
               " counters differ from the acknowledged increments (" + first +
               ")";
  } else if (r->counts.errors > 0 && r->error.empty()) {
    r->error = std::to_string(r->counts.errors) + " operations failed";
  }
}

}  // namespace ctrbench
