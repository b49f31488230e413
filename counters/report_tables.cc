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

// "vs fastest", with "≈" when a U test says the difference is within
// noise.
std::string VsFastestCell(const GroupSummary& g) {
  if (g.ratio_to_fastest <= 0) return "";
  std::string cell = Fixed(g.ratio_to_fastest, 3);
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
  if (!st.ok()) return st.WithContext("report");
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

std::string SummaryCsv(const std::vector<GroupSummary>& groups) {
  std::vector<std::string> header = GroupColumns();
  for (const char* c :
       {"repetitions", "all_verified", "increments_per_s_median",
        "increments_per_s_min", "increments_per_s_max", "lat_p50_us_median",
        "lat_p99_us_median", "retries_per_1k_ops_median",
        "lock_wait_share_median", "lost_updates_median",
        "lost_share_median", "fairness_median",
        "speedup_vs_1_worker", "ratio_to_fastest", "lat_p999_us_median",
        "lat_p50_us_merged", "lat_p99_us_merged", "lat_p999_us_merged",
        "increments_per_s_lo", "increments_per_s_hi", "interval_coverage",
        "p_vs_fastest", "resp_p50_us_median", "resp_p99_us_median",
        "rate_achieved_median", "rate_offered_median", "stale_max_us_median",
        "held_max_median", "server_cores_median",
        "server_us_per_op_median"}) {
    header.push_back(c);
  }
  std::string text = CsvLine(header);
  for (const GroupSummary& g : groups) {
    std::vector<std::string> row;
    for (const std::string& c : GroupColumns()) {
      row.push_back(SafeCell(g.key.at(c)));
    }
    row.push_back(std::to_string(g.repetitions));
    row.push_back(g.all_verified ? "true" : "false");
    row.push_back(StatCell(g.increments_per_s, 1));
    row.push_back(g.increments_per_s.present
                      ? Fixed(g.increments_per_s.min, 1) : "");
    row.push_back(g.increments_per_s.present
                      ? Fixed(g.increments_per_s.max, 1) : "");
    row.push_back(StatCell(g.lat_p50_us, 3));
    row.push_back(StatCell(g.lat_p99_us, 3));
    row.push_back(StatCell(g.retries_per_1k_ops, 2));
    row.push_back(StatCell(g.lock_wait_share, 4));
    row.push_back(StatCell(g.lost_updates, 0));
    row.push_back(StatCell(g.lost_share, 4));
    row.push_back(StatCell(g.fairness, 4));
    row.push_back(g.speedup_vs_1_worker > 0 ? Fixed(g.speedup_vs_1_worker, 3)
                                            : "");
    row.push_back(g.ratio_to_fastest > 0 ? Fixed(g.ratio_to_fastest, 3) : "");
    row.push_back(StatCell(g.lat_p999_us, 3));
    for (double merged :
         {g.merged_p50_us, g.merged_p99_us, g.merged_p999_us}) {
      row.push_back(g.merged ? Fixed(merged, 3) : "");
    }
    const Interval& i = g.increments_interval;
    row.push_back(i.present ? Fixed(i.lo, 1) : "");
    row.push_back(i.present ? Fixed(i.hi, 1) : "");
    row.push_back(i.present ? Fixed(i.coverage, 4) : "");
    row.push_back(g.against_fastest ? Fixed(g.vs_fastest.p, 4) : "");
    row.push_back(StatCell(g.resp_p50_us, 3));
    row.push_back(StatCell(g.resp_p99_us, 3));
    row.push_back(StatCell(g.rate_achieved, 1));
    row.push_back(StatCell(g.rate_offered, 1));
    row.push_back(StatCell(g.stale_max_us, 3));
    row.push_back(StatCell(g.held_max, 0));
    row.push_back(StatCell(g.server_cores, 3));
    row.push_back(StatCell(g.server_us_per_op, 3));
    text += CsvLine(row);
  }
  return text;
}

std::string SummaryMarkdown(const std::vector<Table>& tables) {
  std::string md = "# ctrbench report\n\n";
  md += "Medians over repetitions. Increments/s per table: backends as "
        "rows, worker counts as columns. `(!)` marks a group with a run "
        "that failed verification.\n\n"
        "The interval of a median is distribution-free: the order "
        "statistics that hold the true median with at least 95 % "
        "probability, or [min, max] below 6 repetitions, which holds it with "
        "75 % at 3 repetitions, 87.5 % at 4 and 93.75 % at 5 (the "
        "percentage is given). In \"vs fastest\", \u2248 marks a difference "
        "within noise: a Mann-Whitney U test of the repetitions against the "
        "fastest group's gives p >= 0.05. Without the mark the difference is "
        "real, when the repetitions allow a test at all (4 or more "
        "each; 5 recommended).\n";
  for (const Table& t : tables) {
    const std::set<std::string> vary = VaryingColumns(t);
    std::set<int> worker_set;
    for (const GroupSummary* g : t.groups) worker_set.insert(g->workers());
    const std::vector<int> workers(worker_set.begin(), worker_set.end());
    md += "\n## " + SafeMarkdown(t.scenario + " / " + t.strategy) + "\n\n";
    md += "| increments/s |";
    for (int w : workers) md += " " + std::to_string(w) + " |";
    md += "\n|---|";
    for (size_t i = 0; i < workers.size(); ++i) md += "---:|";
    md += "\n";
    std::vector<std::string> order;
    std::map<std::string, std::map<int, const GroupSummary*>> rows;
    for (const GroupSummary* g : t.groups) {
      const std::string label = Label(*g, vary);
      if (!rows.count(label)) order.push_back(label);
      rows[label][g->workers()] = g;
    }
    for (const std::string& label : order) {
      md += "| " + SafeMarkdown(label) + " |";
      for (int w : workers) {
        auto it = rows[label].find(w);
        if (it == rows[label].end() || !it->second->increments_per_s.present) {
          md += " |";
          continue;
        }
        md += " " + Rate(it->second->increments_per_s.median) +
              (it->second->all_verified ? "" : " (!)") + " |";
      }
      md += "\n";
    }
    bool open_loop = false, write_behind = false, server = false;
    int fewest_reps = 0;
    bool marked = false;
    for (const GroupSummary* g : t.groups) {
      open_loop |= g->rate_achieved.present;
      write_behind |= g->stale_max_us.present;
      server |= g->server_cores.present;
      if (g->against_fastest) {
        fewest_reps = fewest_reps == 0 ? g->repetitions
                                       : std::min(fewest_reps, g->repetitions);
        marked |= g->vs_fastest.can_reject;
      }
    }
    md += "\n" + CpuNote(t);
    md += "\n| details | workers | increments/s interval | p50 us | p99 us | ";
    if (open_loop) md += "resp p50 us | resp p99 us | achieved/s | ";
    if (write_behind) md += "stale max us | held max | ";
    if (server) md += "server cores | server us/op | ";
    md += "retries/1k ops | lock wait share | lost updates | lost % | "
          "fairness | speedup vs 1 | vs fastest |\n|---|---:|---:|---:|---:|";
    if (open_loop) md += "---:|---:|---:|";
    if (write_behind) md += "---:|---:|";
    if (server) md += "---:|---:|";
    md += "---:|---:|---:|---:|---:|---:|---:|\n";
    for (const GroupSummary* g : t.groups) {
      md += "| " + SafeMarkdown(Label(*g, vary)) + " | " +
            std::to_string(g->workers()) + " | " + IntervalCell(*g) + " | " +
            StatCell(g->lat_p50_us, 2) + " | " + StatCell(g->lat_p99_us, 2) + " | ";
      if (open_loop) {
        md += StatCell(g->resp_p50_us, 2) + " | " + StatCell(g->resp_p99_us, 2) +
              " | " + (g->rate_achieved.present ? Rate(g->rate_achieved.median)
                                                : "") +
              " | ";
      }
      if (write_behind) {
        md += StatCell(g->stale_max_us, 0) + " | " + StatCell(g->held_max, 0) + " | ";
      }
      if (server) {
        md += StatCell(g->server_cores, 2) + " | " +
              StatCell(g->server_us_per_op, 2) + " | ";
      }
      md += StatCell(g->retries_per_1k_ops, 1) + " | " +
            StatCell(g->lock_wait_share, 3) + " | " + StatCell(g->lost_updates, 0) +
            " | " +
            (g->lost_share.present ? Fixed(100 * g->lost_share.median, 1)
                                   : "") +
            " | " + StatCell(g->fairness, 3) + " | " +
            (g->speedup_vs_1_worker > 0 ? Fixed(g->speedup_vs_1_worker, 2)
                                        : "") +
            " | " + VsFastestCell(*g) + " |\n";
    }
    if (fewest_reps > 0 && !marked) {
      md += "\nWith " + std::to_string(fewest_reps) +
            " repetition" + (fewest_reps == 1 ? "" : "s") +
            " a U test can never reach p < 0.05, so no difference is marked "
            "as noise or as real: run `repeat` >= 4 (5 recommended).\n";
    }
    const std::vector<SeriesFit> fits = FitSeries(t, vary);
    if (!fits.empty()) {
      md += "\nScalability (Universal Scalability Law, X(N) = lambda N / "
            "(1 + sigma (N - 1) + kappa N (N - 1)), fitted to every "
            "repetition; sigma is contention, kappa coherency; with R^2 "
            "below about 0.9 the law does not describe the series):\n\n"
            "| series | worker counts | lambda (/s) | sigma "
            "(contention) | kappa (coherency) | peak N | peak X (/s) | R^2 |"
            "\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
      for (const SeriesFit& f : fits) {
        md += "| " + SafeMarkdown(f.label) + " | " +
              std::to_string(f.worker_counts) + " | " + Rate(f.fit.lambda) +
              " | " + Significant(f.fit.sigma, 3) + " | " +
              Significant(f.fit.kappa, 3) +
              " | " + Number(f.fit.peak_n, 1) + " | " +
              (std::isfinite(f.fit.peak_x) ? Rate(f.fit.peak_x) : "inf") +
              " | " + Fixed(f.fit.r_squared, 3) + " |\n";
      }
    }
  }
  return md;
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
