#include "counters/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "counters/csv.h"
#include "counters/fields.h"
#include "counters/files.h"
#include "counters/program.h"
#include "counters/report_tables.h"

namespace ctrbench {

namespace {

Stat StatOf(const std::vector<double>& values) {
  std::vector<double> present;
  for (double v : values) {
    if (!std::isnan(v)) present.push_back(v);
  }
  Stat s;
  if (present.empty()) return s;
  s.present = true;
  s.median = Median(present);
  s.min = *std::min_element(present.begin(), present.end());
  s.max = *std::max_element(present.begin(), present.end());
  return s;
}

// The key without workers: groups that differ only in worker count.
std::string SeriesKey(const GroupSummary& g) {
  std::string k;
  for (const std::string& c : GroupColumns()) {
    if (c != "workers") k += g.key.at(c) + "\x1f";
  }
  return k;
}

// Like SeriesKey, without the backend and its options: what "alike" means
// for the ratio to the fastest backend.
std::string PeerKey(const GroupSummary& g) {
  std::string k;
  for (const std::string& c : GroupColumns()) {
    if (c != "backend" && c != "backend_options") k += g.key.at(c) + "\x1f";
  }
  return k;
}

}  // namespace

const std::vector<std::string>& GroupColumns() {
  static const std::vector<std::string>* columns = [] {
    auto* out = new std::vector<std::string>{"schema_version", "scenario",
                                             "backend"};
    for (const Field& f : RunFields()) {
      if (f.groups) out->push_back(f.column);
    }
    out->push_back("backend_options");
    return out;
  }();
  return *columns;
}

double Median(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int GroupSummary::workers() const { return std::atoi(key.at("workers").c_str()); }

Status Summarizer::Add(const ResultRow& r) {
  std::vector<std::string> key;
  for (const std::string& c : GroupColumns()) key.push_back(r.Get(c));
  if (groups_.size() >= kMaxGroups && groups_.find(key) == groups_.end()) {
    // Memory goes with the groups kept: bounded, with a message.
    return Status::InvalidArgument(
        r.source + ": more than " + std::to_string(kMaxGroups) +
        " groups (rows that differ in scenario, backend, strategy or a "
        "setting); report summarizes at most " + std::to_string(kMaxGroups) +
        ": give it a part of the files or rows at a time");
  }
  Group& g = groups_[key];
  if (r.latency && g.merged &&
      r.latency->count() > INT64_MAX - g.merged->count()) {
    return Status::InvalidArgument(
        "the latency histograms of " + r.Get("scenario") + " / " +
        r.Get("backend") + " / " + r.Get("strategy") +
        " count more than 2^63 operations together; is a file corrupt?");
  }
  ++g.repetitions;
  if (r.latency) {
    if (!g.merged) g.merged = std::make_unique<Histogram>();
    g.merged->Merge(*r.latency);
  } else {
    g.all_histograms = false;
  }
  g.all_verified &= r.Get("verified") == "true";
  g.incr.push_back(r.Number("increments_per_s"));
  g.p50.push_back(r.Number("lat_p50_us"));
  g.p99.push_back(r.Number("lat_p99_us"));
  g.p999.push_back(r.Number("lat_p999_us"));
  const double ops = r.Number("ops");
  g.retries.push_back(ops > 0 ? r.Number("retries") * 1000 / ops : NAN);
  // Lock wait is summed over every client: workers x connections.
  const double connections = r.Number("connections");
  const double busy = r.Number("duration_s") * r.Number("workers") *
                      (connections >= 1 ? connections : 1) * 1e6;
  g.wait.push_back(busy > 0 ? r.Number("lock_wait_us") / busy : NAN);
  g.lost.push_back(r.Number("lost_updates"));
  const double expected = r.Number("expected_total");
  g.lost_share.push_back(expected > 0 ? r.Number("lost_updates") / expected
                                      : NAN);
  g.fairness.push_back(r.Number("fairness"));
  g.resp_p50.push_back(r.Number("resp_p50_us"));
  g.resp_p99.push_back(r.Number("resp_p99_us"));
  g.achieved.push_back(r.Number("rate_achieved"));
  // Older rows lack rate_offered: an absolute rate is what was offered.
  const double offered = r.Number("rate_offered");
  g.offered.push_back(std::isnan(offered) ? r.Number("rate") : offered);
  g.stale.push_back(r.Number("stale_max_us"));
  g.held.push_back(r.Number("held_max"));
  const double server_cpu = r.Number("server_cpu_s");
  const double seconds = r.Number("duration_s");
  const bool served = server_cpu >= 0 && seconds > 0;
  g.server_cores.push_back(served ? server_cpu / seconds : NAN);
  g.server_us_per_op.push_back(served && ops > 0 ? server_cpu * 1e6 / ops
                                                 : NAN);
  const double cpus = r.Number("cpus");
  if (cpus > 0 && cpus < 1e6) g.cpus = std::max(g.cpus, static_cast<int>(cpus));
  return Status::OK();
}

std::vector<GroupSummary> Summarize(const std::vector<ResultRow>& rows) {
  Summarizer summarizer;
  for (const ResultRow& r : rows) {
    // Rows that came through ReadResults, whose counts were checked.
    if (!summarizer.Add(r).ok()) return {};
  }
  return summarizer.Finish();
}

std::vector<GroupSummary> Summarizer::Finish() {
  std::vector<GroupSummary> groups;
  for (const auto& [key, a] : groups_) {
    GroupSummary g;
    for (size_t i = 0; i < key.size(); ++i) g.key[GroupColumns()[i]] = key[i];
    g.repetitions = a.repetitions;
    g.all_verified = a.all_verified;
    g.increments_per_s = StatOf(a.incr);
    g.lat_p50_us = StatOf(a.p50);
    g.lat_p99_us = StatOf(a.p99);
    g.lat_p999_us = StatOf(a.p999);
    g.merged = a.all_histograms && a.merged && a.merged->count() > 0;
    if (g.merged) {
      g.merged_p50_us = a.merged->Percentile(0.50) / 1000.0;
      g.merged_p99_us = a.merged->Percentile(0.99) / 1000.0;
      g.merged_p999_us = a.merged->Percentile(0.999) / 1000.0;
    }
    g.retries_per_1k_ops = StatOf(a.retries);
    g.lock_wait_share = StatOf(a.wait);
    g.lost_updates = StatOf(a.lost);
    g.lost_share = StatOf(a.lost_share);
    g.fairness = StatOf(a.fairness);
    g.resp_p50_us = StatOf(a.resp_p50);
    g.resp_p99_us = StatOf(a.resp_p99);
    g.rate_achieved = StatOf(a.achieved);
    g.rate_offered = StatOf(a.offered);
    g.stale_max_us = StatOf(a.stale);
    g.held_max = StatOf(a.held);
    g.server_cores = StatOf(a.server_cores);
    g.server_us_per_op = StatOf(a.server_us_per_op);
    g.cpus = a.cpus;
    for (double v : a.incr) {
      if (!std::isnan(v)) g.increments_samples.push_back(v);
    }
    g.increments_interval = MedianInterval(g.increments_samples);
    groups.push_back(std::move(g));
  }
  // Speedup against the same series with one worker, and the ratio to the
  // fastest backend running the same workload.
  std::map<std::string, double> one_worker;
  std::map<std::string, const GroupSummary*> fastest;
  for (const GroupSummary& g : groups) {
    if (!g.increments_per_s.present) continue;
    const double v = g.increments_per_s.median;
    if (g.workers() == 1) one_worker[SeriesKey(g)] = v;
    const GroupSummary*& best = fastest[PeerKey(g)];
    if (best == nullptr || v > best->increments_per_s.median) best = &g;
  }
  for (GroupSummary& g : groups) {
    if (!g.increments_per_s.present) continue;
    auto base = one_worker.find(SeriesKey(g));
    if (base != one_worker.end() && base->second > 0) {
      g.speedup_vs_1_worker = g.increments_per_s.median / base->second;
    }
    const GroupSummary* best = fastest[PeerKey(g)];
    const double top = best->increments_per_s.median;
    if (top > 0) g.ratio_to_fastest = g.increments_per_s.median / top;
    if (best != &g) {
      g.against_fastest = true;
      g.vs_fastest = MannWhitney(g.increments_samples, best->increments_samples);
    }
  }
  // Numbers in numeric order (a rate of 4000 before 12000), text in
  // text order.
  // Numbers in numeric order (a rate of 4000 before 12000), before any
  // text, and text in text order: a strict weak order whatever the mix.
  auto before = [](const std::string& x, const std::string& y) {
    double a = 0, b = 0;
    const bool xn = AxisNumber(x, &a), yn = AxisNumber(y, &b);
    if (xn != yn) return xn;
    if (xn && a != b) return a < b;
    return x < y;
  };
  std::sort(groups.begin(), groups.end(),
            [&before](const GroupSummary& a, const GroupSummary& b) {
              std::vector<std::string> columns = {"scenario", "strategy",
                                                  "backend"};
              columns.insert(columns.end(), LabelColumns().begin(),
                             LabelColumns().end());
              for (const std::string& c : columns) {
                const std::string& x = a.key.at(c);
                const std::string& y = b.key.at(c);
                if (x != y) return before(x, y);
              }
              return a.workers() < b.workers();
            });
  return groups;
}

// Every row of `paths`, grouped and summarized; streamed: memory grows with
// the number of groups, not of rows. No rows at all is the error
// `no_runs`.
Result<std::vector<GroupSummary>> SummarizeFiles(
    const std::vector<std::string>& paths, const std::string& no_runs) {
  Summarizer summarizer;
  size_t runs = 0;
  Status st = ReadResults(paths, [&](ResultRow&& row) {
    ++runs;
    return summarizer.Add(row);
  });
  if (!st.ok()) return st;
  if (runs == 0) return Status::InvalidArgument(no_runs);
  return summarizer.Finish();
}

}  // namespace ctrbench
