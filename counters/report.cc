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

struct Table {
  std::string scenario, strategy;
  std::vector<const GroupSummary*> groups;
};

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
struct SeriesFit {
  std::string label;
  int worker_counts = 0;
  int max_workers = 0;
  int cpus = 0;
  UslFit fit;
};

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
std::string Significant(double v, int digits = 6) {
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

std::string Cell(const Stat& s, int decimals) {
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
    row.push_back(Cell(g.increments_per_s, 1));
    row.push_back(g.increments_per_s.present
                      ? Fixed(g.increments_per_s.min, 1) : "");
    row.push_back(g.increments_per_s.present
                      ? Fixed(g.increments_per_s.max, 1) : "");
    row.push_back(Cell(g.lat_p50_us, 3));
    row.push_back(Cell(g.lat_p99_us, 3));
    row.push_back(Cell(g.retries_per_1k_ops, 2));
    row.push_back(Cell(g.lock_wait_share, 4));
    row.push_back(Cell(g.lost_updates, 0));
    row.push_back(Cell(g.lost_share, 4));
    row.push_back(Cell(g.fairness, 4));
    row.push_back(g.speedup_vs_1_worker > 0 ? Fixed(g.speedup_vs_1_worker, 3)
                                            : "");
    row.push_back(g.ratio_to_fastest > 0 ? Fixed(g.ratio_to_fastest, 3) : "");
    row.push_back(Cell(g.lat_p999_us, 3));
    for (double merged :
         {g.merged_p50_us, g.merged_p99_us, g.merged_p999_us}) {
      row.push_back(g.merged ? Fixed(merged, 3) : "");
    }
    const Interval& i = g.increments_interval;
    row.push_back(i.present ? Fixed(i.lo, 1) : "");
    row.push_back(i.present ? Fixed(i.hi, 1) : "");
    row.push_back(i.present ? Fixed(i.coverage, 4) : "");
    row.push_back(g.against_fastest ? Fixed(g.vs_fastest.p, 4) : "");
    row.push_back(Cell(g.resp_p50_us, 3));
    row.push_back(Cell(g.resp_p99_us, 3));
    row.push_back(Cell(g.rate_achieved, 1));
    row.push_back(Cell(g.rate_offered, 1));
    row.push_back(Cell(g.stale_max_us, 3));
    row.push_back(Cell(g.held_max, 0));
    row.push_back(Cell(g.server_cores, 3));
    row.push_back(Cell(g.server_us_per_op, 3));
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
            Cell(g->lat_p50_us, 2) + " | " + Cell(g->lat_p99_us, 2) + " | ";
      if (open_loop) {
        md += Cell(g->resp_p50_us, 2) + " | " + Cell(g->resp_p99_us, 2) +
              " | " + (g->rate_achieved.present ? Rate(g->rate_achieved.median)
                                                : "") +
              " | ";
      }
      if (write_behind) {
        md += Cell(g->stale_max_us, 0) + " | " + Cell(g->held_max, 0) + " | ";
      }
      if (server) {
        md += Cell(g->server_cores, 2) + " | " +
              Cell(g->server_us_per_op, 2) + " | ";
      }
      md += Cell(g->retries_per_1k_ops, 1) + " | " +
            Cell(g->lock_wait_share, 3) + " | " + Cell(g->lost_updates, 0) +
            " | " +
            (g->lost_share.present ? Fixed(100 * g->lost_share.median, 1)
                                   : "") +
            " | " + Cell(g->fairness, 3) + " | " +
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

// Runs gnuplot on `script` in directory `cwd` (the report's stage, where
// every name it reads and writes is), its messages going to `log` there;
// returns its exit status.
int RunGnuplot(const std::string& gnuplot, int cwd, const std::string& script,
               const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) return 128;  // No child: never waitpid(-1) for someone else's.
  if (pid == 0) {
    if (fchdir(cwd) != 0) _exit(127);
    const int fd = open(log.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    if (fd >= 0) dup2(fd, STDERR_FILENO);
    execl(gnuplot.c_str(), gnuplot.c_str(), script.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 128;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// A gnuplot string: quotes doubled, line breaks (which would end the
// command and start another) turned into spaces.
std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "'";
}

// What a table's plots put on the x axis: workers when they vary within
// the table, else the first swept numeric field, else nothing (a bar per
// group).
struct XAxis {
  std::string column;  // Empty: bars.
  std::string title;   // The axis label.
  bool log = false;
};

bool IsNumber(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return *end == '\0';
}

// A value on a numeric axis: a number, or a share such as "80%".
bool AxisNumber(const std::string& text, double* v) {
  const bool share = !text.empty() && text.back() == '%';
  const std::string number = share ? text.substr(0, text.size() - 1) : text;
  if (!IsNumber(number)) return false;
  *v = std::strtod(number.c_str(), nullptr);
  return true;
}

double AxisValue(const GroupSummary* g, const std::string& column) {
  double v = NAN;
  AxisNumber(g->key.at(column), &v);
  return v;
}

XAxis ChooseX(const Table& t, const std::set<std::string>& vary) {
  std::set<int> workers;
  for (const GroupSummary* g : t.groups) workers.insert(g->workers());
  XAxis x;
  if (workers.size() > 1) {
    x.column = "workers";
    x.title = "workers";
  } else {
    for (const std::string& c : LabelColumns()) {
      if (!vary.count(c)) continue;
      // Run length and seed vary between a ctrbench sweep and rows of
      // another origin (the Python baseline): not an axis that was swept.
      const Field* field = FindRunFieldByColumn(c);
      if (field == nullptr || field->show == Field::Show::kSwept) continue;
      // Every value a number or a share ("80%"), or empty (a closed-loop
      // run beside rates: not on the axis).
      int numbers = 0;
      bool numeric = true, share = false;
      for (const GroupSummary* g : t.groups) {
        const std::string& v = g->key.at(c);
        double d;
        if (v.empty()) continue;
        numeric &= AxisNumber(v, &d);
        numbers += numeric;
        share |= v.back() == '%';
      }
      if (!numeric || numbers < 2) continue;
      x.column = c;
      const std::string name = *field->label ? field->label : field->key;
      if (share) {
        x.title = name + (c == "rate" ? " (% of closed-loop capacity)" : " (%)");
      } else {
        x.title = name + (*field->unit ? std::string(" (") + field->unit + ")" : "");
      }
      break;
    }
  }
  if (x.column.empty()) return x;
  double lo = INFINITY, hi = 0;
  for (const GroupSummary* g : t.groups) {
    const double v = AxisValue(g, x.column);
    if (std::isnan(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  x.log = lo > 0 && hi / lo >= 8;
  if (x.log) x.title += ", log scale";
  return x;
}

// Adds a sentence to what report says besides its files.
void AddNote(ReportOutput* out, const std::string& note) {
  out->note += (out->note.empty() ? "" : "; ") + note;
}

// The data file of a plot of `table` on axis `x`: lines, one block per
// series (in *series_labels) sorted by x, or bars, one line per group; at
// most kMaxSeries series of kMaxPoints points, or kMaxBars bars, with a
// note of what was left out. table->groups becomes the groups plotted.
std::string PlotData(const XAxis& x, const std::set<std::string>& vary,
                     Table* table, std::vector<std::string>* series_labels,
                     ReportOutput* out) {
  auto value = [](const Stat& s) {
    return s.present ? Fixed(s.median, 3) : std::string("nan");
  };
  auto values = [&](const GroupSummary* g) {
    return value(g->increments_per_s) + " " + value(g->lat_p99_us) + " " +
           value(g->retries_per_1k_ops) + " " + value(g->resp_p50_us) + " " +
           value(g->resp_p99_us) + " " + value(g->rate_achieved) + " " +
           value(g->rate_offered);
  };
  std::vector<std::string>& labels = *series_labels;
  Table& t = *table;
  std::string data;
  if (!x.column.empty()) {
    std::map<std::string, std::vector<const GroupSummary*>> series;
    for (const GroupSummary* g : t.groups) {
      const std::string label = Label(*g, vary);
      if (!series.count(label)) labels.push_back(label);
      series[label].push_back(g);
    }
    if (labels.size() > kMaxSeries) {
      AddNote(out, t.scenario + " / " + t.strategy + ": plotted the first " +
                       std::to_string(kMaxSeries) + " of " +
                       std::to_string(labels.size()) +
                       " series (the tables have them all)");
      labels.resize(kMaxSeries);
    }
    std::vector<const GroupSummary*> shown;  // What the plots hold.
    for (const std::string& label : labels) {
      std::vector<const GroupSummary*>& points = series[label];
      std::sort(points.begin(), points.end(),
                [&](const GroupSummary* a, const GroupSummary* b) {
                  return AxisValue(a, x.column) < AxisValue(b, x.column);
                });
      if (points.size() > kMaxPoints) {
        AddNote(out, t.scenario + " / " + t.strategy + ": plotted the " +
                         std::to_string(kMaxPoints) + " smallest of " +
                         std::to_string(points.size()) + " " + x.column +
                         " values (the tables have them all)");
        points.resize(kMaxPoints);
      }
      std::string comment = label;
      for (char& c : comment) {
        if (c == '\n' || c == '\r') c = ' ';
      }
      data += "# " + comment + "\n";
      for (const GroupSummary* g : points) {
        data += Significant(AxisValue(g, x.column)) + " " + values(g) + "\n";
      }
      data += "\n\n";
      shown.insert(shown.end(), points.begin(), points.end());
    }
    t.groups = shown;  // The axis, its ticks and the metrics: of these.
  } else {
    if (t.groups.size() > kMaxBars) {
      AddNote(out, t.scenario + " / " + t.strategy + ": plotted the first " +
                       std::to_string(kMaxBars) + " of " +
                       std::to_string(t.groups.size()) +
                       " bars (the tables have them all)");
      t.groups.resize(kMaxBars);
    }
    for (const GroupSummary* g : t.groups) {
      std::string label = Label(*g, vary);
      for (char& c : label) {
        if (c == '"') c = '\'';
        if (c == '\n' || c == '\r' || c == '\\') c = ' ';
      }
      data += "\"" + label + "\" " + values(g) + "\n";
    }
  }
  return data;
}

Status WritePlots(const Table& table, OutputDir* dir,
                  const std::string& gnuplot, ReportOutput* out) {
  const XAxis x = ChooseX(table, VaryingColumns(table));
  // The groups on the axis (a closed-loop run beside a rate sweep is not).
  Table t = table;
  if (!x.column.empty()) {
    t.groups.clear();
    for (const GroupSummary* g : table.groups) {
      if (!std::isnan(AxisValue(g, x.column))) t.groups.push_back(g);
    }
  }
  std::set<std::string> vary = VaryingColumns(t);
  vary.erase(x.column);  // The x axis is not in the legend.
  const std::string base = Slug(t.scenario + "-" + t.strategy);
  // Lines: one data block per series, separated by two blank lines
  // (gnuplot's "index"), sorted by x. Bars: one line per group.
  std::vector<std::string> labels;
  const std::string data = PlotData(x, vary, &t, &labels, out);
  // Names in the stage, where gnuplot runs.
  const std::string data_path = base + ".dat";
  Status st = WriteFile(dir, data_path, data, out);
  if (!st.ok()) return st;

  // The data's columns: x, increments/s, p99, retries, response p50,
  // response p99, achieved rate, offered rate.
  enum class Kind { kMetric, kResponse, kAchieved };
  struct Plot {
    const char* suffix;
    const char* ylabel;
    int column;
    bool log_y;
    Kind kind;
  };
  std::vector<Plot> plots = {
      {"throughput", "increments/s", 2, true, Kind::kMetric},
      {"p99", "p99 latency (us)", 3, true, Kind::kMetric},
      {"retries", "retries per 1,000 operations", 4, false, Kind::kMetric}};
  if (x.column == "rate") {
    // The hockey stick: response time against offered rate, beside the
    // service time, and what the backend achieved.
    plots.push_back({"response", "response time (us)", 6, true, Kind::kResponse});
    plots.push_back({"achieved", "achieved and offered rate (/s)", 7, x.log,
                     Kind::kAchieved});
  }
  std::map<std::string, UslFit> fits;
  if (x.column == "workers") {
    for (const SeriesFit& f : FitSeries(t, vary)) fits[f.label] = f.fit;
  }
  // Colours that read on white (no yellow), then dashes for more series.
  std::string script =
      "set datafile missing 'nan'\nset key below box samplen 3\nset grid\n"
      "set samples 400\n"
      "set linetype 1 lc rgb '#1f77b4' lw 2 pt 7\n"
      "set linetype 2 lc rgb '#d62728' lw 2 pt 5\n"
      "set linetype 3 lc rgb '#2ca02c' lw 2 pt 9\n"
      "set linetype 4 lc rgb '#9467bd' lw 2 pt 11\n"
      "set linetype 5 lc rgb '#8c564b' lw 2 pt 13\n"
      "set linetype 6 lc rgb '#e377c2' lw 2 pt 3\n"
      "set linetype 7 lc rgb '#404040' lw 2 pt 1\n"
      "set linetype 8 lc rgb '#ff7f0e' lw 2 pt 2\n"
      "set linetype cycle 8\n";
  if (x.column.empty()) {
    // A left margin for the first label, which leans left.
    script += "set style fill solid 0.6\nset boxwidth 0.6\nunset key\n"
              "set lmargin 16\n"
              "set xtics rotate by 30 right\nset xlabel ''\n"
              "set xrange [-0.6:" + std::to_string(t.groups.size()) + "-0.4]\n";
  } else {
    // Lifted a little, so that it does not touch the legend below it.
    script += "set xlabel " + Quote(x.title) + " offset 0,1\n";
    if (x.log) {
      double lo = INFINITY, hi = 0;
      for (const GroupSummary* g : t.groups) {
        const double v = AxisValue(g, x.column);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      // A margin on the log scale.
      script += "set logscale x 2\nset xrange [" + Fixed(lo / 1.4, 6) + ":" +
                Fixed(hi * 1.4, 6) + "]\n";
    } else {
      script += "set offsets graph 0.05, graph 0.05, 0, 0\n";
    }
    std::set<double> values_on_axis;
    for (const GroupSummary* g : t.groups) {
      values_on_axis.insert(AxisValue(g, x.column));
    }
    // A tick at each value, or at every k-th of many (readable labels).
    const std::vector<double> ticks(values_on_axis.begin(),
                                    values_on_axis.end());
    const size_t step = ticks.size() / kMaxTicks + 1;
    script += "set xtics (";
    bool first = true;
    for (size_t i = 0; i < ticks.size(); i += step) {
      script += (first ? "" : ", ") + TrimNumber(Fixed(ticks[i], 6));
      first = false;
    }
    script += ")\n";
  }
  for (const Plot& p : plots) {
    // A metric no group has (no latency sampled in any run) gets no plot:
    // gnuplot refuses a plot with no point.
    bool any = false;
    for (const GroupSummary* g : t.groups) {
      const Stat* stats[] = {&g->increments_per_s, &g->lat_p99_us,
                             &g->retries_per_1k_ops, &g->resp_p50_us,
                             &g->resp_p99_us, &g->rate_achieved};
      any |= stats[p.column - 2]->present;
    }
    if (!any) continue;
    const bool show_fits = p.column == 2 && !fits.empty();
    const std::string title = t.scenario + " / " + t.strategy + ": " +
                              p.ylabel +
                              (show_fits ? " (dashed: USL fit)" : "");
    for (const char* format : {"png", "svg"}) {
      const std::string file = base + "-" + p.suffix + "." + format;
      // Taller with many series, so that the legend leaves room for the
      // plot.
      const int lines = static_cast<int>(labels.size()) *
                        (p.kind == Kind::kResponse ? 3 : 1);
      const std::string size =
          "900," + std::to_string(640 + 20 * std::max<int>(0, lines - 6));
      script += std::string(format[0] == 'p' ? "set terminal pngcairo size "
                                             : "set terminal svg size ") +
                size + " noenhanced\n";
      script += "set output " + Quote(file) + "\n";
      script += "set title " + Quote(title) + "\n";
      script += std::string("set ylabel ") +
                Quote(std::string(p.ylabel) + (p.log_y ? ", log scale" : "")) +
                "\n";
      script += p.log_y ? "set logscale y\n" : "unset logscale y\nset yrange [0:*]\n";
      script += "plot ";
      if (x.column.empty()) {
        script += Quote(data_path) + " using 0:" + std::to_string(p.column) +
                  ":xtic(1) with boxes notitle";
      } else {
        for (size_t i = 0; i < labels.size(); ++i) {
          if (i > 0) script += ", ";
          const std::string source = Quote(data_path) + " index " +
                                     std::to_string(i) + " using 1:";
          const std::string colour = " lt " + std::to_string(i % 8 + 1);
          if (p.kind == Kind::kResponse) {
            // Response p99 solid, response p50 dashed, service p99 dotted.
            script += source + "6 with linespoints" + colour + " dt 1 title " +
                      Quote(labels[i] + " response p99") + ", " + source +
                      "5 with linespoints" + colour + " dt 2 title " +
                      Quote(labels[i] + " response p50") + ", " + source +
                      "3 with linespoints" + colour + " dt 3 title " +
                      Quote(labels[i] + " service p99");
            continue;
          }
          if (p.kind == Kind::kAchieved) {
            script += source + "7 with linespoints" + colour + " dt 1 title " +
                      Quote(labels[i] + " achieved") + ", " + source +
                      "8 with lines" + colour + " dt 2 title " +
                      Quote(labels[i] + " offered");
            continue;
          }
          // Eight colours, then the same colours dashed.
          script += source + std::to_string(p.column) + " with linespoints" +
                    colour + " dt " + std::to_string(i / 8 + 1) + " title " +
                    Quote(labels[i]);
          auto fit = fits.find(labels[i]);
          if (show_fits && fit != fits.end()) {
            const UslFit& f = fit->second;
            script += ", " + Significant(f.lambda) + "*x/(1+" +
                      Significant(f.sigma) + "*(x-1)+" + Significant(f.kappa) +
                      "*x*(x-1)) with lines" + colour + " dt 2 notitle";
          }
        }
      }
      script += "\nunset yrange\nset autoscale y\n";
      out->files.push_back(dir->path() + "/" + file);
    }
  }
  const std::string script_path = base + ".gp";
  st = WriteFile(dir, script_path, script, out);
  if (!st.ok()) return st;
  const std::string log_path = base + ".log";
  const int exit_code = RunGnuplot(gnuplot, dir->stage(), script_path, log_path);
  std::string log;
  if (exit_code != 0) {
    Fd fd(openat(dir->stage(), log_path.c_str(),
                 O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    char text[2048];
    const ssize_t n = fd.valid() ? read(fd.get(), text, sizeof(text)) : 0;
    if (n > 0) log.assign(text, static_cast<size_t>(n));
  }
  unlinkat(dir->stage(), log_path.c_str(), 0);  // Only warnings if it ran.
  if (exit_code != 0) {
    return Status::IOError("report: gnuplot failed on " + dir->path() + "/" +
                           script_path + " (exit " +
                           std::to_string(exit_code) + "): " +
                           (log.empty() ? "no message" : log));
  }
  return Status::OK();
}

}  // namespace

const std::string& ResultRow::Get(const std::string& column) const {
  static const std::string kEmpty;
  auto it = fields.find(column);
  return it == fields.end() ? kEmpty : it->second;
}

double ResultRow::Number(const std::string& column) const {
  const std::string& text = Get(column);
  if (text.empty()) return NAN;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return *end == '\0' ? v : NAN;
}

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

// The columns a results file must have: those of schema 1. Columns appended
// later may be missing from an older file and read as empty.
const std::vector<std::string>& RequiredColumns() {
  static const std::vector<std::string>* columns = new std::vector<std::string>{
      "schema_version", "scenario", "backend", "strategy", "mode", "workers",
      "keys", "distribution", "batch", "shards", "read_fraction", "hold_us",
      "think_us", "backend_options", "increments_per_s", "lat_p50_us",
      "lat_p99_us", "retries", "ops", "lock_wait_us", "duration_s",
      "lost_updates", "fairness", "verified"};
  return *columns;
}

namespace {

// What every row must be, from either kind of file.
Status CheckRow(const ResultRow& row) {
  const std::string& version = row.Get("schema_version");
  if (version != "1" && version != "2") {
    return Status::InvalidArgument(
        row.source + ": schema_version '" + version + "' is not one this "
        "ctrbench reads (1, 2); a newer ctrbench wrote it?");
  }
  for (const char* numeric : {"workers", "increments_per_s"}) {
    if (std::isnan(row.Number(numeric))) {
      return Status::InvalidArgument(row.source + ": column '" + numeric +
                                     "' is not a number: '" +
                                     row.Get(numeric) + "'");
    }
  }
  return Status::OK();
}

// Longest record read: a file that is not ctrbench's (an unterminated quote
// at the start of a big file) must not be read into memory whole.
constexpr size_t kMaxCsvRecord = 1 << 20;
constexpr size_t kMaxJsonRecord = 64 << 20;

// Reads one line (without its '\n') of at most `cap` bytes; false at the
// end of the input. A longer line sets *too_long.
bool ReadLine(std::streambuf* in, size_t cap, std::string* line,
              bool* too_long) {
  line->clear();
  *too_long = false;
  int c = in->sbumpc();
  if (c == EOF) return false;
  while (c != EOF && c != '\n') {
    if (line->size() >= cap) {
      *too_long = true;
      return true;
    }
    line->push_back(static_cast<char>(c));
    c = in->sbumpc();
  }
  return true;
}

// A JSON Lines record (the JSON sink's): the CSV fields as typed values,
// and the latency histogram, kept for exact merging.
Status JsonRow(const std::string& line, const std::string& where,
               ResultRow* row) {
  nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
  if (record.is_discarded() || !record.is_object()) {
    return Status::InvalidArgument(where + ": not a JSON object");
  }
  row->source = where;
  for (const auto& [key, value] : record.items()) {
    if (value.is_string()) {
      row->fields[key] = value.get<std::string>();
    } else if (value.is_boolean()) {
      row->fields[key] = value.get<bool>() ? "true" : "false";
    } else if (value.is_number()) {
      row->fields[key] = value.dump();
    } else if (value.is_null()) {
      row->fields[key] = "";
    }
  }
  for (const std::string& c : RequiredColumns()) {
    if (!record.contains(c)) {
      return Status::InvalidArgument(where + ": field '" + c +
                                     "' is missing; is this a ctrbench "
                                     "results file?");
    }
  }
  const auto hist = record.find("latency_histogram");
  if (hist == record.end() || !hist->is_object()) return Status::OK();
  const auto buckets = hist->find("buckets");
  if (buckets == hist->end() || !buckets->is_array()) return Status::OK();
  auto h = std::make_shared<Histogram>();
  const auto max_it = hist->find("max");
  const int64_t max = max_it != hist->end() && max_it->is_number_integer()
                          ? max_it->get<int64_t>()
                          : -1;
  int64_t total = 0;
  for (const nlohmann::json& b : *buckets) {
    if (!b.is_array() || b.size() != 3 || !b[0].is_number_unsigned() ||
        !b[1].is_number_unsigned() || !b[2].is_number_integer() ||
        b[2].get<int64_t>() < 0) {
      return Status::InvalidArgument(where + ": a latency bucket is not "
                                     "[low, high, count]");
    }
    const uint64_t low = b[0].get<uint64_t>();
    const int index = Histogram::BucketOf(low);
    if (Histogram::BucketLow(index) != low) {
      return Status::InvalidArgument(
          where + ": latency bucket " + std::to_string(low) +
          " does not start a bucket of this ctrbench's histogram");
    }
    // [low, high): high where this histogram's bucket ends, so never an
    // inverted or a stretched one.
    if (b[1].get<uint64_t>() != low + Histogram::BucketWidth(index)) {
      return Status::InvalidArgument(
          where + ": latency bucket [" + std::to_string(low) + ", " +
          std::to_string(b[1].get<uint64_t>()) + ") does not end where a "
          "bucket of this ctrbench's histogram ends (" +
          std::to_string(low + Histogram::BucketWidth(index)) + ")");
    }
    if (__builtin_add_overflow(total, b[2].get<int64_t>(), &total)) {
      return Status::InvalidArgument(
          where + ": the latency buckets count more than 2^63 operations "
          "together");
    }
    const int64_t top =
        static_cast<int64_t>(low + Histogram::BucketWidth(index) - 1);
    h->AddToBucket(index, b[2].get<int64_t>(),
                   max >= 0 ? std::min<int64_t>(max, top) : top);
  }
  row->latency = std::move(h);
  return Status::OK();
}

// Reads one file, a record at a time.
Status ReadFile(const std::string& path,
                const std::function<Status(ResultRow&&)>& each) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Status::InvalidArgument(path + ": cannot open results file");
  }
  return ReadResultsFrom(file.rdbuf(), path, each);
}

}  // namespace

Status ReadResultsFrom(std::streambuf* in, const std::string& path,
                       const std::function<Status(ResultRow&&)>& each) {
  // JSON Lines or CSV, by the first character that is not white space.
  int first = in->sgetc();
  while (first == ' ' || first == '\t' || first == '\r' || first == '\n') {
    in->sbumpc();
    first = in->sgetc();
  }
  std::string line;
  bool too_long = false;
  size_t number = 0;
  if (first == '{') {
    while (ReadLine(in, kMaxJsonRecord, &line, &too_long)) {
      ++number;
      const std::string where = path + ":" + std::to_string(number);
      if (too_long) {
        return Status::InvalidArgument(where + ": a record longer than " +
                                       std::to_string(kMaxJsonRecord) +
                                       " bytes");
      }
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      ResultRow row;
      Status st = JsonRow(line, where, &row);
      if (st.ok()) st = CheckRow(row);
      if (st.ok()) st = each(std::move(row));
      if (!st.ok()) return st;
    }
    if (number == 0) {
      return Status::InvalidArgument(path + ":1: empty file");
    }
    return Status::OK();
  }

  // CSV: a record is a line, or several while a quoted field spans them.
  auto next_record = [&](std::string* record, size_t* at) -> Result<bool> {
    record->clear();
    bool got = false;
    size_t quotes = 0;
    while (ReadLine(in, kMaxCsvRecord, &line, &too_long)) {
      ++number;
      if (!got) *at = number;
      got = true;
      if (too_long || record->size() + line.size() > kMaxCsvRecord) {
        return Status::InvalidArgument(
            path + ":" + std::to_string(*at) + ": a record longer than " +
            std::to_string(kMaxCsvRecord) + " bytes (an unclosed quote?)");
      }
      if (!record->empty()) *record += '\n';
      *record += line;
      quotes += static_cast<size_t>(std::count(line.begin(), line.end(), '"'));
      if (quotes % 2 == 0) return true;
    }
    return got;
  };
  std::string record;
  size_t at = 0;
  Result<bool> more = next_record(&record, &at);
  if (!more.ok()) return more.status();
  if (!*more) {
    return Status::InvalidArgument(path + ":1: empty file, expected a "
                                   "ctrbench results header");
  }
  Result<std::vector<std::vector<std::string>>> parsed =
      ParseCsv(record, path);
  if (!parsed.ok()) return parsed.status();
  const std::vector<std::string> header =
      parsed->empty() ? std::vector<std::string>() : (*parsed)[0];
  for (const std::string& c : RequiredColumns()) {
    if (std::find(header.begin(), header.end(), c) == header.end()) {
      return Status::InvalidArgument(path + ":1: column '" + c +
                                     "' is missing; is this a ctrbench "
                                     "results file?");
    }
  }
  for (;;) {
    more = next_record(&record, &at);
    if (!more.ok()) return more.status();
    if (!*more) return Status::OK();
    if (record.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(at);
    parsed = ParseCsv(record, where);
    if (!parsed.ok()) return parsed.status();
    if (parsed->size() != 1) {
      return Status::InvalidArgument(where + ": not one CSV record");
    }
    const std::vector<std::string>& fields = (*parsed)[0];
    if (fields.size() != header.size()) {
      return Status::InvalidArgument(
          where + ": " + std::to_string(fields.size()) +
          " fields, but the header has " + std::to_string(header.size()));
    }
    ResultRow row;
    row.source = where;
    for (size_t c = 0; c < header.size(); ++c) row.fields[header[c]] = fields[c];
    Status st = CheckRow(row);
    if (st.ok()) st = each(std::move(row));
    if (!st.ok()) return st;
  }
}

double Median(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int GroupSummary::workers() const { return std::atoi(key.at("workers").c_str()); }

Status ReadResults(const std::vector<std::string>& paths,
                   const std::function<Status(ResultRow&&)>& each) {
  for (const std::string& path : paths) {
    Status st = ReadFile(path, each);
    if (!st.ok()) return st;
  }
  return Status::OK();
}

Result<std::vector<ResultRow>> LoadResults(
    const std::vector<std::string>& paths) {
  std::vector<ResultRow> rows;
  Status st = ReadResults(paths, [&rows](ResultRow&& row) {
    rows.push_back(std::move(row));
    return Status::OK();
  });
  if (!st.ok()) return st;
  return rows;
}

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

namespace {

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

}  // namespace

Result<ReportOutput> WriteReport(const ReportOptions& options) {
  Result<std::vector<GroupSummary>> summarized =
      SummarizeFiles(options.inputs, "report: the input files hold no runs");
  if (!summarized.ok()) return summarized.status();
  Result<OutputDir> dir =
      OutputDir::Open(options.out_dir, kReportMarker, options.force);
  if (!dir.ok()) return dir.status().WithContext("report");
  const std::vector<GroupSummary> groups = std::move(*summarized);
  const std::vector<Table> tables = Tables(groups);
  ReportOutput out;
  Status st = WriteFile(&*dir, "summary.csv", SummaryCsv(groups), &out);
  if (st.ok()) {
    st = WriteFile(&*dir, "summary.md", SummaryMarkdown(tables), &out);
  }
  if (!st.ok()) return st;
  const std::string gnuplot =
      options.gnuplot.empty() ? "" : FindProgram(options.gnuplot);
  if (gnuplot.empty()) {
    AddNote(&out, "gnuplot not found: tables written, no plots (install "
                  "the Debian package gnuplot-nox for plots)");
  }
  const size_t plotted = std::min(tables.size(), kMaxPlottedTables);
  for (size_t i = 0; i < plotted && !gnuplot.empty(); ++i) {
    st = WritePlots(tables[i], &*dir, gnuplot, &out);
    if (!st.ok()) return st;
  }
  if (!gnuplot.empty() && plotted < tables.size()) {
    AddNote(&out, "plots for the first " + std::to_string(plotted) + " of " +
                      std::to_string(tables.size()) +
                      " tables (scenario x strategy); summary.md and "
                      "summary.csv have them all");
  }
  st = dir->Commit();
  if (!st.ok()) return st.WithContext("report");
  return out;
}

namespace {

// The group key without the columns in `ignore`.
std::string KeyOf(const GroupSummary& g, const std::set<std::string>& ignore) {
  std::string k;
  for (const std::string& c : GroupColumns()) {
    if (!ignore.count(c)) k += g.key.at(c) + "\x1f";
  }
  return k;
}

// The columns that hold one value in all of A and another in all of B:
// what the comparison is about (a hold, a backend option, a build), so
// groups are matched on the other columns.
std::map<std::string, std::pair<std::string, std::string>> Changed(
    const std::vector<GroupSummary>& a, const std::vector<GroupSummary>& b) {
  std::map<std::string, std::pair<std::string, std::string>> changed;
  for (const std::string& c : GroupColumns()) {
    std::set<std::string> va, vb;
    for (const GroupSummary& g : a) va.insert(g.key.at(c));
    for (const GroupSummary& g : b) vb.insert(g.key.at(c));
    if (va.size() == 1 && vb.size() == 1 && va != vb) {
      changed[c] = {*va.begin(), *vb.begin()};
    }
  }
  return changed;
}

}  // namespace

Result<ReportOutput> WriteComparison(const CompareOptions& options,
                                     std::string* text) {
  Result<std::vector<GroupSummary>> a =
      SummarizeFiles(options.a, "report --compare: " + options.a[0] +
                                         " holds no runs");
  if (!a.ok()) return a.status();
  Result<std::vector<GroupSummary>> b =
      SummarizeFiles(options.b, "report --compare: " + options.b[0] +
                                         " holds no runs");
  if (!b.ok()) return b.status();
  const auto changed = Changed(*a, *b);
  std::set<std::string> ignore;
  for (const auto& [column, values] : changed) ignore.insert(column);
  std::map<std::string, const GroupSummary*> in_b;
  for (const GroupSummary& g : *b) in_b[KeyOf(g, ignore)] = &g;

  // Labels name what differs among A's groups, as the report's tables do.
  Table all;
  for (const GroupSummary& g : *a) all.groups.push_back(&g);
  const std::set<std::string> vary = VaryingColumns(all);
  std::vector<std::pair<const GroupSummary*, const GroupSummary*>> pairs;
  for (const GroupSummary& g : *a) {
    auto it = in_b.find(KeyOf(g, ignore));
    if (it != in_b.end()) pairs.push_back({&g, it->second});
  }
  if (pairs.empty()) {
    return Status::InvalidArgument(
        "report --compare: " + options.a[0] + " and " + options.b[0] +
        " have no group in common (one scenario, backend, strategy, workers, "
        "fields and backend options)");
  }

  std::string differ;
  for (const auto& [column, values] : changed) {
    differ += (differ.empty() ? "" : ", ") + column + " " +
              (values.first.empty() ? "(none)" : values.first) + " -> " +
              (values.second.empty() ? "(none)" : values.second);
  }
  std::string md = "# ctrbench comparison\n\nA: " + SafeMarkdown(options.a[0]) +
                   "\nB: " + SafeMarkdown(options.b[0]) + "\n" +
                   (differ.empty() ? ""
                                   : "\nA and B differ in: " +
                                         SafeMarkdown(differ) +
                                         "; groups are matched on the rest.\n") +
                   "\nMedian increments/s of each group both files hold; "
                   "change is B against A. A difference is real when a "
                   "Mann-Whitney U test of the repetitions gives p < 0.05; "
                   "below 4 repetitions on each side (5 recommended) no "
                   "test can tell.\n\n| group | workers | A | B | change | "
                   "p | verdict |\n|---|---:|---:|---:|---:|---:|---|\n";
  std::vector<std::string> header = GroupColumns();
  for (const char* c : {"a_repetitions", "b_repetitions", "a_median",
                        "b_median", "change", "p", "min_p", "verdict"}) {
    header.push_back(c);
  }
  std::string csv = CsvLine(header);
  int real = 0, noise = 0, untestable = 0;
  for (const auto& [ga, gb] : pairs) {
    const UTest u = MannWhitney(ga->increments_samples, gb->increments_samples);
    const double ma = ga->increments_per_s.median;
    const double mb = gb->increments_per_s.median;
    const double change = ma > 0 ? mb / ma - 1 : NAN;
    std::string verdict;
    if (!u.can_reject) {
      verdict = "too few repetitions (" + std::to_string(ga->repetitions) +
                " and " + std::to_string(gb->repetitions) + ")";
      ++untestable;
    } else if (u.significant) {
      verdict = mb > ma ? "B faster" : "B slower";
      ++real;
    } else {
      verdict = "within noise";
      ++noise;
    }
    const std::string p = u.can_reject ? Fixed(u.p, 4) : "";
    md += "| " + SafeMarkdown(ga->key.at("scenario") + " / " +
                              ga->key.at("strategy") + " / " +
                              Label(*ga, vary)) +
          " | " + std::to_string(ga->workers()) + " | " + Rate(ma) + " | " +
          Rate(mb) + " | " +
          (std::isnan(change) ? "" : (change >= 0 ? "+" : "") +
                                         Fixed(100 * change, 1) + "%") +
          " | " + p + " | " + verdict + " |\n";
    std::vector<std::string> row;
    for (const std::string& c : GroupColumns()) {
      row.push_back(SafeCell(ga->key.at(c)));
    }
    row.push_back(std::to_string(ga->repetitions));
    row.push_back(std::to_string(gb->repetitions));
    row.push_back(Fixed(ma, 1));
    row.push_back(Fixed(mb, 1));
    row.push_back(std::isnan(change) ? "" : Fixed(change, 4));
    row.push_back(Fixed(u.p, 4));
    row.push_back(Fixed(u.min_p, 4));
    row.push_back(verdict);
    csv += CsvLine(row);
  }
  md += "\n" + std::to_string(pairs.size()) + " groups in common: " +
        std::to_string(real) + " differ beyond noise, " +
        std::to_string(noise) + " within noise, " + std::to_string(untestable) +
        " with too few repetitions to tell; " +
        std::to_string(a->size() - pairs.size()) + " only in A, " +
        std::to_string(b->size() - pairs.size()) + " only in B.\n";
  Result<OutputDir> dir =
      OutputDir::Open(options.out_dir, kReportMarker, options.force);
  if (!dir.ok()) return dir.status().WithContext("report");
  ReportOutput out;
  Status st = WriteFile(&*dir, "compare.md", md, &out);
  if (st.ok()) st = WriteFile(&*dir, "compare.csv", csv, &out);
  if (st.ok()) st = dir->Commit();
  if (!st.ok()) return st.WithContext("report");
  // For a terminal: the markdown without its escapes.
  text->clear();
  for (size_t i = 0; i < md.size(); ++i) {
    if (md[i] == '\\' && i + 1 < md.size()) ++i;
    *text += md[i];
  }
  return out;
}

}  // namespace ctrbench
