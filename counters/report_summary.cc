#include "counters/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
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
#include "counters/metrics.h"
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
  s.interval = MedianInterval(present);
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

// The columns "vs fastest" looks past: the backend and its options (what
// it compares), and how long a run was measured (duration, ops, warm-up),
// which says how sure a median is, not what was measured: the Python
// baseline, limited by a count, is compared with ctrbench's timed runs.
bool ComparedAcross(const std::string& column) {
  return column == "backend" || column == "backend_options" ||
         column == "duration_target_s" || column == "ops_target" ||
         column == "warmup_s";
}

// What "alike" means for the ratio to the fastest backend and the U test:
// every other grouping column agrees, so the same scenario, strategy, mode,
// workers and workload, and the same rate (closed loop, or open loop at
// one offered rate; never one against the other).
std::string PeerKey(const GroupSummary& g) {
  std::string k;
  for (const std::string& c : GroupColumns()) {
    if (!ComparedAcross(c)) k += g.key.at(c) + "\x1f";
  }
  return k;
}

// A median a ratio can be made of: a positive, finite number.
bool Comparable(const GroupSummary& g) {
  const double v = g.increments_per_s.median;
  return g.increments_per_s.present && std::isfinite(v) && v > 0;
}

// Speedup against the same series with one worker, and the ratio to (and
// the U test against) the fastest backend running the same workload. A
// group with no peer, or without a median to compare, gets neither: an
// empty cell rather than a 1.000 that compares nothing.
void CompareWithPeers(std::vector<GroupSummary>* groups) {
  std::map<std::string, double> one_worker;
  std::map<std::string, const GroupSummary*> fastest;
  std::map<std::string, int> peers;
  for (const GroupSummary& g : *groups) {
    if (!g.increments_per_s.present) continue;
    const double v = g.increments_per_s.median;
    if (g.workers() == 1) one_worker[SeriesKey(g)] = v;
    if (!Comparable(g)) continue;
    const std::string peer = PeerKey(g);
    ++peers[peer];
    const GroupSummary*& best = fastest[peer];
    if (best == nullptr || v > best->increments_per_s.median) best = &g;
  }
  for (GroupSummary& g : *groups) {
    if (!g.increments_per_s.present) continue;
    auto base = one_worker.find(SeriesKey(g));
    if (base != one_worker.end() && base->second > 0) {
      g.speedup_vs_1_worker = g.increments_per_s.median / base->second;
    }
    if (!Comparable(g) || peers[PeerKey(g)] < 2) continue;
    const GroupSummary* best = fastest[PeerKey(g)];
    g.ratio_to_fastest =
        g.increments_per_s.median / best->increments_per_s.median;
    if (best != &g) {
      g.against_fastest = true;
      g.vs_fastest =
          MannWhitney(g.increments_samples, best->increments_samples);
    }
  }
}

// Numbers in numeric order (a rate of 4000 before 12000), before any
// text, and text in text order: a strict weak order whatever the mix.
bool ValueBefore(const std::string& x, const std::string& y) {
  double a = 0, b = 0;
  const bool xn = AxisNumber(x, &a), yn = AxisNumber(y, &b);
  if (xn != yn) return xn;
  if (xn && a != b) return a < b;
  return x < y;
}

// The order of report's tables and of their rows: scenario, strategy,
// backend, the label columns, then workers.
void SortForTables(std::vector<GroupSummary>* groups) {
  std::sort(groups->begin(), groups->end(),
            [](const GroupSummary& a, const GroupSummary& b) {
              std::vector<std::string> columns = {"scenario", "strategy",
                                                  "backend"};
              columns.insert(columns.end(), LabelColumns().begin(),
                             LabelColumns().end());
              for (const std::string& c : columns) {
                const std::string& x = a.key.at(c);
                const std::string& y = b.key.at(c);
                if (x != y) return ValueBefore(x, y);
              }
              return a.workers() < b.workers();
            });
}

// How one repetition's row gives the number a statistic of its group is
// the median of: the column's own value, or a rate made from it.
using RowValue = double (*)(const ResultRow& r, const std::string& column);

double Own(const ResultRow& r, const std::string& column) {
  return r.Number(column);
}

// Per 1,000 backend operations (retries).
double PerThousandOps(const ResultRow& r, const std::string& column) {
  const double ops = r.Number("ops");
  return ops > 0 ? r.Number(column) * 1000 / ops : NAN;
}

// A share of the time of every client (lock wait, summed over every
// client: workers x connections).
double ShareOfClientTime(const ResultRow& r, const std::string& column) {
  const double connections = r.Number("connections");
  const double busy = r.Number("duration_s") * r.Number("workers") *
                      (connections >= 1 ? connections : 1) * 1e6;
  return busy > 0 ? r.Number(column) / busy : NAN;
}

// A share of the increments the backend acknowledged (lost updates).
double ShareOfExpected(const ResultRow& r, const std::string& column) {
  const double expected = r.Number("expected_total");
  return expected > 0 ? r.Number(column) / expected : NAN;
}

// Increments a read found, per second. Rows written before the column
// had it get it where they were verified: no counter then held more than
// was acknowledged for it, so the lost updates are exactly the counters'
// shortfall (counters/run_merge.cc, Verify), taken off the increments.
double Goodput(const ResultRow& r, const std::string& column) {
  const double goodput = r.Number(column);
  if (!std::isnan(goodput) || r.Get("verified") != "true") return goodput;
  const double rate = r.Number("increments_per_s");
  const double lost = r.Number("lost_updates");
  const double seconds = r.Number("duration_s");
  if (std::isnan(rate) || std::isnan(lost) || !(seconds > 0)) return NAN;
  return std::max(0.0, rate - std::max(0.0, lost) / seconds);
}

// Older rows lack rate_offered: an absolute rate is what was offered.
double OfferedRate(const ResultRow& r, const std::string& column) {
  const double offered = r.Number(column);
  return std::isnan(offered) ? r.Number("rate") : offered;
}

// What a server the run started did (its CPU seconds): CPU seconds per
// second of the run (cores busy), and per operation in microseconds.
double CoresBusy(const ResultRow& r, const std::string& column) {
  const double server_cpu = r.Number(column);
  const double seconds = r.Number("duration_s");
  return server_cpu >= 0 && seconds > 0 ? server_cpu / seconds : NAN;
}
double MicrosPerOp(const ResultRow& r, const std::string& column) {
  const double server_cpu = r.Number(column);
  const double seconds = r.Number("duration_s");
  const double ops = r.Number("ops");
  const bool served = server_cpu >= 0 && seconds > 0;
  return served && ops > 0 ? server_cpu * 1e6 / ops : NAN;
}

// How report summarizes a column that Columns() marks Across::kMedian: the
// number each repetition gives, the group's samples it joins and the
// statistic of the group they make; a column may make more than one. A
// group keeps one list of samples per rule, in the rules' order.
struct MedianRule {
  const char* column;
  RowValue value;
  Stat GroupSummary::*stat;
};

// The rules of the median columns, in the order of Columns().
const std::vector<MedianRule>& MedianRules() {
  static const std::vector<MedianRule>* rules = [] {
    using S = GroupSummary;
    const std::vector<MedianRule> known = {
        {"increments_per_s", Own, &S::increments_per_s},
        {"lat_p50_us", Own, &S::lat_p50_us},
        {"lat_p99_us", Own, &S::lat_p99_us},
        {"lat_p999_us", Own, &S::lat_p999_us},
        {"retries", PerThousandOps, &S::retries_per_1k_ops},
        {"lock_wait_us", ShareOfClientTime, &S::lock_wait_share},
        {"lost_updates", Own, &S::lost_updates},
        {"lost_updates", ShareOfExpected, &S::lost_share},
        {"fairness", Own, &S::fairness},
        {"resp_p50_us", Own, &S::resp_p50_us},
        {"resp_p99_us", Own, &S::resp_p99_us},
        {"rate_achieved", Own, &S::rate_achieved},
        {"rate_offered", OfferedRate, &S::rate_offered},
        {"stale_max_us", Own, &S::stale_max_us},
        {"held_max", Own, &S::held_max},
        {"server_cpu_s", CoresBusy, &S::server_cores},
        {"server_cpu_s", MicrosPerOp, &S::server_us_per_op},
        {"goodput_per_s", Goodput, &S::goodput_per_s},
        {"sold", Own, &S::sold},
        {"sold_out", Own, &S::sold_out},
        {"oversold", Own, &S::oversold},
        {"sold_out_at_s", Own, &S::sold_out_at_s},
        {"cells", Own, &S::cells},
        {"drain_s", Own, &S::drain_s},
        {"read_p50_us", Own, &S::read_p50_us},
        {"read_p99_us", Own, &S::read_p99_us},
        {"refused_p50_us", Own, &S::refused_p50_us},
        {"refused_p99_us", Own, &S::refused_p99_us},
    };
    auto* out = new std::vector<MedianRule>;
    for (const Column& c : Columns()) {
      if (c.across != Across::kMedian) continue;
      const size_t before = out->size();
      for (const MedianRule& rule : known) {
        if (std::string(c.name) == rule.column) out->push_back(rule);
      }
      // A median column needs a rule here and a statistic in GroupSummary.
      assert(out->size() > before);
      (void)before;
    }
    return out;
  }();
  return *rules;
}

}  // namespace

// The columns Columns() marks Across::kKey, in the order summary.csv and
// the labels show them: those it lists before its first setting (what the
// run is: schema, scenario, backend), then the settings in the order of
// RunFields() (counters/fields.h), then the rest (the backend's options).
const std::vector<std::string>& GroupColumns() {
  static const std::vector<std::string>* columns = [] {
    std::vector<std::string> before, after;
    bool settings = false;
    for (const Column& c : Columns()) {
      settings |= c.combine == Combine::kSetting;
      if (c.across != Across::kKey || c.combine == Combine::kSetting) continue;
      (settings ? after : before).push_back(c.name);
    }
    auto* out = new std::vector<std::string>(before);
    for (const Field& f : RunFields()) {
      const Column* c = FindColumn(f.column);
      if (c != nullptr && c->across == Across::kKey) out->push_back(f.column);
    }
    out->insert(out->end(), after.begin(), after.end());
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
  const std::vector<MedianRule>& rules = MedianRules();
  g.samples.resize(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    g.samples[i].push_back(rules[i].value(r, rules[i].column));
  }
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
    const std::vector<MedianRule>& rules = MedianRules();
    for (size_t i = 0; i < rules.size(); ++i) {
      g.*rules[i].stat = StatOf(a.samples[i]);
      if (rules[i].stat != &GroupSummary::increments_per_s) continue;
      for (double v : a.samples[i]) {
        if (!std::isnan(v)) g.increments_samples.push_back(v);
      }
    }
    g.merged = a.all_histograms && a.merged && a.merged->count() > 0;
    if (g.merged) {
      g.merged_p50_us = a.merged->Percentile(0.50) / 1000.0;
      g.merged_p99_us = a.merged->Percentile(0.99) / 1000.0;
      g.merged_p999_us = a.merged->Percentile(0.999) / 1000.0;
    }
    g.cpus = a.cpus;
    g.increments_interval = MedianInterval(g.increments_samples);
    groups.push_back(std::move(g));
  }
  CompareWithPeers(&groups);
  SortForTables(&groups);
  return groups;
}

// Every row of `paths`, grouped and summarized; streamed: memory grows with
// the number of groups, not of rows. No rows at all is the error
// `no_runs`.
Result<std::vector<GroupSummary>> SummarizeFiles(
    const std::vector<std::string>& paths, const std::string& no_runs,
    const std::function<void(const ResultRow&)>& each) {
  Summarizer summarizer;
  size_t runs = 0;
  Status st = ReadResults(paths, [&](ResultRow&& row) {
    ++runs;
    Status added = summarizer.Add(row);
    if (added.ok() && each) each(row);
    return added;
  });
  if (!st.ok()) return st;
  if (runs == 0) return Status::InvalidArgument(no_runs);
  return summarizer.Finish();
}

}  // namespace ctrbench
