#include "counters/report_tables.h"

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

namespace ctrbench {

// The fields that tell rows of one table apart besides the backend: every
// grouping column but those a table is made of (scenario, strategy) and the
// x axis (workers).
const std::vector<std::string>& LabelColumns() {
  static const std::vector<std::string>* columns = [] {
    auto* out = new std::vector<std::string>;
    for (const std::string& c : GroupColumns()) {
      if (c != "scenario" && c != "backend" && c != "strategy" &&
          c != "workers") {
        out->push_back(c);
      }
    }
    return out;
  }();
  return *columns;
}

std::string Slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
            c == '_' || c == '.')
               ? c
               : '_';
  }
  return out;
}


std::string Label(const GroupSummary& g, const std::set<std::string>& vary) {
  std::string label = g.key.at("backend");
  for (const std::string& c : LabelColumns()) {
    if (!vary.count(c)) continue;
    const std::string& v = g.key.at(c);
    if (const Field* f = FindRunFieldByColumn(c)) {
      if (!v.empty()) label += " " + f->Describe(v);
    } else if (c == "backend_options") {
      OptionMap shown;
      for (const auto& [key, value] : ParseFormattedOptions(v)) {
        if (vary.count("option:" + g.key.at("backend") + "." + key)) {
          shown[key] = value;
        }
      }
      if (!shown.empty()) label += " [" + FormatOptions(shown) + "]";
    } else {
      label += " " + c + "=" + v;
    }
  }
  return label;
}

// The label columns whose values differ within the table; for
// backend_options, also "option:BACKEND.KEY" for each option whose value
// differs among that backend's groups (labels show only those: every
// effective option would make a legend line longer than the plot).
std::set<std::string> VaryingColumns(const Table& t) {
  std::set<std::string> vary;
  for (const std::string& c : LabelColumns()) {
    // Run length and seed count only where they vary for one backend: rows
    // of another origin (the Python baseline, limited by a count) differ
    // in them without anyone having swept them.
    const Field* f = FindRunFieldByColumn(c);
    const bool per_backend = f != nullptr && f->show == Field::Show::kSwept;
    std::map<std::string, std::set<std::string>> values;
    for (const GroupSummary* g : t.groups) {
      values[per_backend ? g->key.at("backend") : ""].insert(g->key.at(c));
    }
    for (const auto& [backend, v] : values) {
      if (v.size() > 1) vary.insert(c);
    }
  }
  std::map<std::string, std::map<std::string, std::set<std::string>>> seen;
  for (const GroupSummary* g : t.groups) {
    const OptionMap options = ParseFormattedOptions(g->key.at("backend_options"));
    for (const auto& [key, value] : options) {
      seen[g->key.at("backend")][key].insert(value);
    }
  }
  for (const auto& [backend, keys] : seen) {
    for (const auto& [key, values] : keys) {
      if (values.size() > 1) vary.insert("option:" + backend + "." + key);
    }
  }
  return vary;
}

std::vector<Table> Tables(const std::vector<GroupSummary>& groups) {
  std::vector<Table> tables;
  for (const GroupSummary& g : groups) {
    const std::string& sc = g.key.at("scenario");
    const std::string& st = g.key.at("strategy");
    if (tables.empty() || tables.back().scenario != sc ||
        tables.back().strategy != st) {
      tables.push_back({sc, st, {}});
    }
    tables.back().groups.push_back(&g);
  }
  return tables;
}

// The USL fit of one series of a table (the groups with one label, over
// worker counts), from every repetition's increments/s.

// A fit for every series with at least kMinUslWorkerCounts worker counts:
// with fewer, three parameters fit any curve.
constexpr int kMinUslWorkerCounts = 4;
constexpr size_t kMaxUslPoints = 5000;

std::vector<SeriesFit> FitSeries(const Table& t,
                                 const std::set<std::string>& vary) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const GroupSummary*>> series;
  for (const GroupSummary* g : t.groups) {
    const std::string label = Label(*g, vary);
    if (!series.count(label)) order.push_back(label);
    series[label].push_back(g);
  }
  std::vector<SeriesFit> fits;
  for (const std::string& label : order) {
    SeriesFit f;
    f.label = label;
    std::vector<UslPoint> points, medians;
    std::set<int> counts;
    for (const GroupSummary* g : series[label]) {
      counts.insert(g->workers());
      f.max_workers = std::max(f.max_workers, g->workers());
      f.cpus = std::max(f.cpus, g->cpus);
      for (double x : g->increments_samples) {
        points.push_back({static_cast<double>(g->workers()), x});
      }
      if (g->increments_per_s.present) {
        medians.push_back({static_cast<double>(g->workers()),
                           g->increments_per_s.median});
      }
    }
    f.worker_counts = static_cast<int>(counts.size());
    if (f.worker_counts < kMinUslWorkerCounts) continue;
    // Every repetition, unless there are so many that the medians say the
    // same at a fraction of the cost.
    f.fit = FitUsl(points.size() <= kMaxUslPoints ? points : medians);
    if (f.fit.ok) fits.push_back(f);
  }
  return fits;
}

// The most workers of a table and the fewest CPUs its hosts had, for the
// note that beyond the CPUs a run mostly measures CPU sharing.
std::string CpuNote(const Table& t) {
  int workers = 0, cpus = 0;
  for (const GroupSummary* g : t.groups) {
    workers = std::max(workers, g->workers());
    if (g->cpus > 0) cpus = cpus == 0 ? g->cpus : std::min(cpus, g->cpus);
  }
  if (cpus == 0 || workers <= cpus) return "";
  return "Workers exceed the host's " + std::to_string(cpus) +
         " CPUs: beyond " + std::to_string(cpus) +
         " workers these numbers (and a scalability fit) mostly measure how "
         "the CPUs are shared, not the backend.\n";
}

std::string IntervalCell(const GroupSummary& g) {
  const Interval& i = g.increments_interval;
  if (!i.present) return "";
  return "[" + Rate(i.lo) + ", " + Rate(i.hi) + "] " +
         TrimNumber(Fixed(100 * i.coverage, 2)) + "%";
}

// Three decimals, or three significant digits below 0.1: a server at
// 1/10,000 of shared memory's rate reads 0.0000754, not 0.000.
std::string RatioText(double v) {
  if (!std::isfinite(v) || v <= 0) return "";
  const int decimals = 2 - static_cast<int>(std::floor(std::log10(v)));
  return Fixed(v, std::min(std::max(3, decimals), 12));
}

// "vs fastest", with "≈" when a U test says the difference is within
// noise; empty for a group that has nothing alike to compare with.
std::string VsFastestCell(const GroupSummary& g) {
  if (g.ratio_to_fastest <= 0) return "";
  std::string cell = RatioText(g.ratio_to_fastest);
  if (g.against_fastest && g.vs_fastest.can_reject &&
      !g.vs_fastest.significant) {
    cell += " \u2248";
  }
  return cell;
}

// Six significant digits, for a number that may be tiny (kappa) or huge
// (lambda).
std::string Significant(double v, int digits) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*g", digits, v);
  return text;
}

std::string Number(double v, int decimals) {
  return std::isfinite(v) ? Fixed(v, decimals) : std::string("inf");
}

// Writes file `name` of the report (counters/files.h: made in the output
// directory's stage, moved into place when the report is whole).
Status WriteFile(OutputDir* dir, const std::string& name,
                 const std::string& text, ReportOutput* out) {
  Status st = dir->Write(name, text);
  if (!st.ok()) return st.WithContext("--out");
  out->files.push_back(dir->path() + "/" + name);
  return Status::OK();
}

std::string StatCell(const Stat& s, int decimals) {
  return s.present ? Fixed(s.median, decimals) : "";
}

// A text cell that a spreadsheet would run as a formula (=, +, @, a tab or
// CR, or - not starting a number) gets a leading ' so that it stays text,
// as OWASP's CSV-injection advice says; numbers stay numbers.
std::string SafeCell(const std::string& v) {
  if (v.empty()) return v;
  const char c = v[0];
  const bool number_follows =
      v.size() > 1 && (std::isdigit(static_cast<unsigned char>(v[1])) || v[1] == '.');
  if (c == '=' || c == '+' || c == '@' || c == '\t' || c == '\r' ||
      (c == '-' && !number_follows)) {
    return "'" + v;
  }
  return v;
}

// Text for a markdown table: the characters markdown would act on are
// escaped, and line breaks become spaces.
std::string SafeMarkdown(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (std::strchr("\\`*_[]<>|#!~", c) != nullptr) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// A group's median of a statistic over its repetitions; empty when no
// repetition had a value.
SummaryColumn MedianColumn(const char* name, Stat GroupSummary::*stat,
                           int decimals) {
  return {name,
          [stat, decimals](const GroupSummary& g) {
            return StatCell(g.*stat, decimals);
          },
          stat};
}

// A column that is not a median: `cell` writes a group's.
SummaryColumn OtherColumn(
    const char* name, std::function<std::string(const GroupSummary&)> cell) {
  return {name, std::move(cell), nullptr};
}

// A ratio that is 0 when there is nothing to compare with (empty then).
SummaryColumn RatioColumn(const char* name, double GroupSummary::*ratio) {
  return OtherColumn(name, [ratio](const GroupSummary& g) {
    return RatioText(g.*ratio);
  });
}

// A percentile of the group's merged histograms (empty without them).
SummaryColumn MergedColumn(const char* name, double GroupSummary::*us) {
  return OtherColumn(name, [us](const GroupSummary& g) {
    return g.merged ? Fixed(g.*us, 3) : "";
  });
}

// A number of the interval of the median increments/s.
SummaryColumn IntervalColumn(const char* name, double Interval::*v,
                             int decimals) {
  return OtherColumn(name, [v, decimals](const GroupSummary& g) {
    const Interval& i = g.increments_interval;
    return i.present ? Fixed(i.*v, decimals) : "";
  });
}

std::vector<SummaryColumn>* MakeSummaryColumns() {
  using G = GroupSummary;
  return new std::vector<SummaryColumn>{
      OtherColumn("repetitions",
                  [](const G& g) { return std::to_string(g.repetitions); }),
      OtherColumn("all_verified",
                  [](const G& g) { return g.all_verified ? "true" : "false"; }),
      MedianColumn("increments_per_s_median", &G::increments_per_s, 1),
      OtherColumn("increments_per_s_min",
                  [](const G& g) {
                    return g.increments_per_s.present
                               ? Fixed(g.increments_per_s.min, 1)
                               : "";
                  }),
      OtherColumn("increments_per_s_max",
                  [](const G& g) {
                    return g.increments_per_s.present
                               ? Fixed(g.increments_per_s.max, 1)
                               : "";
                  }),
      MedianColumn("lat_p50_us_median", &G::lat_p50_us, 3),
      MedianColumn("lat_p99_us_median", &G::lat_p99_us, 3),
      MedianColumn("retries_per_1k_ops_median", &G::retries_per_1k_ops, 2),
      MedianColumn("lock_wait_share_median", &G::lock_wait_share, 4),
      MedianColumn("lost_updates_median", &G::lost_updates, 0),
      MedianColumn("lost_share_median", &G::lost_share, 4),
      MedianColumn("fairness_median", &G::fairness, 4),
      RatioColumn("speedup_vs_1_worker", &G::speedup_vs_1_worker),
      RatioColumn("ratio_to_fastest", &G::ratio_to_fastest),
      MedianColumn("lat_p999_us_median", &G::lat_p999_us, 3),
      MergedColumn("lat_p50_us_merged", &G::merged_p50_us),
      MergedColumn("lat_p99_us_merged", &G::merged_p99_us),
      MergedColumn("lat_p999_us_merged", &G::merged_p999_us),
      IntervalColumn("increments_per_s_lo", &Interval::lo, 1),
      IntervalColumn("increments_per_s_hi", &Interval::hi, 1),
      IntervalColumn("interval_coverage", &Interval::coverage, 4),
      OtherColumn("p_vs_fastest",
                  [](const G& g) {
                    return g.against_fastest ? Fixed(g.vs_fastest.p, 4) : "";
                  }),
      MedianColumn("resp_p50_us_median", &G::resp_p50_us, 3),
      MedianColumn("resp_p99_us_median", &G::resp_p99_us, 3),
      MedianColumn("rate_achieved_median", &G::rate_achieved, 1),
      MedianColumn("rate_offered_median", &G::rate_offered, 1),
      MedianColumn("stale_max_us_median", &G::stale_max_us, 3),
      MedianColumn("held_max_median", &G::held_max, 0),
      MedianColumn("server_cores_median", &G::server_cores, 3),
      MedianColumn("server_us_per_op_median", &G::server_us_per_op, 3),
      MedianColumn("goodput_per_s_median", &G::goodput_per_s, 1),
      MedianColumn("sold_median", &G::sold, 0),
      MedianColumn("sold_out_median", &G::sold_out, 0),
      MedianColumn("oversold_median", &G::oversold, 0),
      MedianColumn("sold_out_at_s_median", &G::sold_out_at_s, 3),
      MedianColumn("cells_median", &G::cells, 0),
      MedianColumn("drain_s_median", &G::drain_s, 3),
      MedianColumn("read_p50_us_median", &G::read_p50_us, 3),
      MedianColumn("read_p99_us_median", &G::read_p99_us, 3),
      MedianColumn("refused_p50_us_median", &G::refused_p50_us, 3),
      MedianColumn("refused_p99_us_median", &G::refused_p99_us, 3),
  };
}

}  // namespace

const std::vector<SummaryColumn>& SummaryColumns() {
  static const std::vector<SummaryColumn>* columns = MakeSummaryColumns();
  return *columns;
}

std::string SummaryCsv(const std::vector<GroupSummary>& groups) {
  std::vector<std::string> header = GroupColumns();
  for (const SummaryColumn& c : SummaryColumns()) header.push_back(c.name);
  std::string text = CsvLine(header);
  for (const GroupSummary& g : groups) {
    std::vector<std::string> row;
    for (const std::string& c : GroupColumns()) {
      row.push_back(SafeCell(g.key.at(c)));
    }
    for (const SummaryColumn& c : SummaryColumns()) row.push_back(c.cell(g));
    text += CsvLine(row);
  }
  return text;
}

namespace {

bool IsNumber(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return *end == '\0';
}

}  // namespace

// A value on a numeric axis: a number, or a share such as "80%".
bool AxisNumber(const std::string& text, double* v) {
  const bool share = !text.empty() && text.back() == '%';
  const std::string number = share ? text.substr(0, text.size() - 1) : text;
  if (!IsNumber(number)) return false;
  *v = std::strtod(number.c_str(), nullptr);
  return true;
}

}  // namespace ctrbench
