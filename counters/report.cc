#include "counters/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "counters/csv.h"
#include "counters/fields.h"
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

Status WriteFile(const std::string& path, const std::string& text,
                 ReportOutput* out) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) return Status::IOError("report: cannot write " + path);
  out->files.push_back(path);
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
        "lat_p50_us_merged", "lat_p99_us_merged", "lat_p999_us_merged"}) {
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
    text += CsvLine(row);
  }
  return text;
}

std::string SummaryMarkdown(const std::vector<Table>& tables) {
  std::string md = "# ctrbench report\n\n";
  md += "Medians over repetitions. Increments/s per table: backends as "
        "rows, worker counts as columns. `(!)` marks a group with a run "
        "that failed verification.\n";
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
    md += "\n| details | workers | p50 us | p99 us | retries/1k ops | "
          "lock wait share | lost updates | lost % | fairness | speedup vs 1 | "
          "vs fastest |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const GroupSummary* g : t.groups) {
      md += "| " + SafeMarkdown(Label(*g, vary)) + " | " +
            std::to_string(g->workers()) +
            " | " + Cell(g->lat_p50_us, 2) + " | " + Cell(g->lat_p99_us, 2) +
            " | " + Cell(g->retries_per_1k_ops, 1) + " | " +
            Cell(g->lock_wait_share, 3) + " | " + Cell(g->lost_updates, 0) +
            " | " +
            (g->lost_share.present ? Fixed(100 * g->lost_share.median, 1)
                                   : "") +
            " | " + Cell(g->fairness, 3) + " | " +
            (g->speedup_vs_1_worker > 0 ? Fixed(g->speedup_vs_1_worker, 2)
                                        : "") +
            " | " +
            (g->ratio_to_fastest > 0 ? Fixed(g->ratio_to_fastest, 3) : "") +
            " |\n";
    }
  }
  return md;
}

// Runs gnuplot on `script`, its messages going to `log`; returns its exit
// status.
int RunGnuplot(const std::string& gnuplot, const std::string& script,
               const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) return 128;  // No child: never waitpid(-1) for someone else's.
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) dup2(fd, STDERR_FILENO);
    execlp(gnuplot.c_str(), gnuplot.c_str(), script.c_str(),
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
      bool numeric = true;
      for (const GroupSummary* g : t.groups) numeric &= IsNumber(g->key.at(c));
      if (!numeric) continue;
      x.column = c;
      x.title = std::string(*field->label ? field->label : field->key) +
                (*field->unit ? std::string(" (") + field->unit + ")" : "");
      break;
    }
  }
  if (x.column.empty()) return x;
  double lo = INFINITY, hi = 0;
  for (const GroupSummary* g : t.groups) {
    const double v = std::strtod(g->key.at(x.column).c_str(), nullptr);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  x.log = lo > 0 && hi / lo >= 8;
  if (x.log) x.title += ", log scale";
  return x;
}

Status WritePlots(const Table& t, const std::string& dir,
                  const std::string& gnuplot, ReportOutput* out) {
  std::set<std::string> vary = VaryingColumns(t);
  const XAxis x = ChooseX(t, vary);
  vary.erase(x.column);  // The x axis is not in the legend.
  const std::string base = Slug(t.scenario + "-" + t.strategy);
  auto value = [](const Stat& s) {
    return s.present ? Fixed(s.median, 3) : std::string("nan");
  };
  auto values = [&](const GroupSummary* g) {
    return value(g->increments_per_s) + " " + value(g->lat_p99_us) + " " +
           value(g->retries_per_1k_ops);
  };
  // Lines: one data block per series, separated by two blank lines
  // (gnuplot's "index"), sorted by x. Bars: one line per group.
  std::vector<std::string> labels;
  std::string data;
  if (!x.column.empty()) {
    std::map<std::string, std::vector<const GroupSummary*>> series;
    for (const GroupSummary* g : t.groups) {
      const std::string label = Label(*g, vary);
      if (!series.count(label)) labels.push_back(label);
      series[label].push_back(g);
    }
    for (const std::string& label : labels) {
      std::vector<const GroupSummary*>& points = series[label];
      std::sort(points.begin(), points.end(),
                [&](const GroupSummary* a, const GroupSummary* b) {
                  return std::strtod(a->key.at(x.column).c_str(), nullptr) <
                         std::strtod(b->key.at(x.column).c_str(), nullptr);
                });
      std::string comment = label;
      for (char& c : comment) {
        if (c == '\n' || c == '\r') c = ' ';
      }
      data += "# " + comment + "\n";
      for (const GroupSummary* g : points) {
        data += g->key.at(x.column) + " " + values(g) + "\n";
      }
      data += "\n\n";
    }
  } else {
    for (const GroupSummary* g : t.groups) {
      std::string label = Label(*g, vary);
      for (char& c : label) {
        if (c == '"') c = '\'';
        if (c == '\n' || c == '\r' || c == '\\') c = ' ';
      }
      data += "\"" + label + "\" " + values(g) + "\n";
    }
  }
  const std::string data_path = dir + "/" + base + ".dat";
  Status st = WriteFile(data_path, data, out);
  if (!st.ok()) return st;

  struct Plot {
    const char* suffix;
    const char* ylabel;
    int column;
    bool log_y;
  };
  const Plot plots[] = {{"throughput", "increments/s", 2, true},
                        {"p99", "p99 latency (us)", 3, true},
                        {"retries", "retries per 1,000 operations", 4, false}};
  // Colours that read on white (no yellow), then dashes for more series.
  std::string script =
      "set datafile missing 'nan'\nset key below box samplen 3\nset grid\n"
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
        const double v = std::strtod(g->key.at(x.column).c_str(), nullptr);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      // A margin on the log scale.
      script += "set logscale x 2\nset xrange [" + Fixed(lo / 1.4, 6) + ":" +
                Fixed(hi * 1.4, 6) + "]\n";
    } else {
      script += "set offsets graph 0.05, graph 0.05, 0, 0\n";
    }
    std::set<double> ticks;
    for (const GroupSummary* g : t.groups) {
      ticks.insert(std::strtod(g->key.at(x.column).c_str(), nullptr));
    }
    script += "set xtics (";
    bool first = true;
    for (double v : ticks) {
      script += (first ? "" : ", ") + TrimNumber(Fixed(v, 6));
      first = false;
    }
    script += ")\n";
  }
  for (const Plot& p : plots) {
    // A metric no group has (no latency sampled in any run) gets no plot:
    // gnuplot refuses a plot with no point.
    bool any = false;
    for (const GroupSummary* g : t.groups) {
      const Stat& stat = p.column == 2   ? g->increments_per_s
                         : p.column == 3 ? g->lat_p99_us
                                         : g->retries_per_1k_ops;
      any |= stat.present;
    }
    if (!any) continue;
    for (const char* format : {"png", "svg"}) {
      const std::string file = dir + "/" + base + "-" + p.suffix + "." + format;
      // Taller with many series, so that the legend leaves room for the
      // plot.
      const std::string size =
          "900," + std::to_string(640 + 20 * std::max<int>(
                                         0, static_cast<int>(labels.size()) - 6));
      script += std::string(format[0] == 'p' ? "set terminal pngcairo size "
                                             : "set terminal svg size ") +
                size + " noenhanced\n";
      script += "set output " + Quote(file) + "\n";
      script += "set title " + Quote(t.scenario + " / " + t.strategy + ": " +
                                     p.ylabel) + "\n";
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
          // Eight colours, then the same colours dashed.
          script += Quote(data_path) + " index " + std::to_string(i) +
                    " using 1:" + std::to_string(p.column) +
                    " with linespoints lt " + std::to_string(i % 8 + 1) +
                    " dt " + std::to_string(i / 8 + 1) + " title " +
                    Quote(labels[i]);
        }
      }
      script += "\nunset yrange\nset autoscale y\n";
      out->files.push_back(file);
    }
  }
  const std::string script_path = dir + "/" + base + ".gp";
  st = WriteFile(script_path, script, out);
  if (!st.ok()) return st;
  const std::string log_path = dir + "/" + base + ".log";
  if (RunGnuplot(gnuplot, script_path, log_path) != 0) {
    return Status::IOError("report: gnuplot failed on " + script_path +
                           "; see " + log_path);
  }
  unlink(log_path.c_str());  // Only warnings, such as a flat series.
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
  for (const nlohmann::json& b : *buckets) {
    if (!b.is_array() || b.size() != 3 || !b[0].is_number_unsigned() ||
        !b[2].is_number_integer() || b[2].get<int64_t>() < 0) {
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

void Summarizer::Add(const ResultRow& r) {
  std::vector<std::string> key;
  for (const std::string& c : GroupColumns()) key.push_back(r.Get(c));
  Group& g = groups_[key];
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
  const double busy = r.Number("duration_s") * r.Number("workers") * 1e6;
  g.wait.push_back(busy > 0 ? r.Number("lock_wait_us") / busy : NAN);
  g.lost.push_back(r.Number("lost_updates"));
  const double expected = r.Number("expected_total");
  g.lost_share.push_back(expected > 0 ? r.Number("lost_updates") / expected
                                      : NAN);
  g.fairness.push_back(r.Number("fairness"));
}

std::vector<GroupSummary> Summarize(const std::vector<ResultRow>& rows) {
  Summarizer summarizer;
  for (const ResultRow& r : rows) summarizer.Add(r);
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
    groups.push_back(std::move(g));
  }
  // Speedup against the same series with one worker, and the ratio to the
  // fastest backend running the same workload.
  std::map<std::string, double> one_worker;
  std::map<std::string, double> fastest;
  for (const GroupSummary& g : groups) {
    if (!g.increments_per_s.present) continue;
    const double v = g.increments_per_s.median;
    if (g.workers() == 1) one_worker[SeriesKey(g)] = v;
    double& best = fastest[PeerKey(g)];
    best = std::max(best, v);
  }
  for (GroupSummary& g : groups) {
    if (!g.increments_per_s.present) continue;
    auto base = one_worker.find(SeriesKey(g));
    if (base != one_worker.end() && base->second > 0) {
      g.speedup_vs_1_worker = g.increments_per_s.median / base->second;
    }
    const double best = fastest[PeerKey(g)];
    if (best > 0) g.ratio_to_fastest = g.increments_per_s.median / best;
  }
  std::sort(groups.begin(), groups.end(),
            [](const GroupSummary& a, const GroupSummary& b) {
              auto rank = [](const GroupSummary& g) {
                std::vector<std::string> k = {g.key.at("scenario"),
                                              g.key.at("strategy"),
                                              g.key.at("backend")};
                for (const std::string& c : LabelColumns()) {
                  k.push_back(g.key.at(c));
                }
                return k;
              };
              const auto ra = rank(a), rb = rank(b);
              if (ra != rb) return ra < rb;
              return a.workers() < b.workers();
            });
  return groups;
}

Result<ReportOutput> WriteReport(const ReportOptions& options) {
  // Streamed: memory grows with the number of groups, not of rows.
  Summarizer summarizer;
  size_t runs = 0;
  Status st = ReadResults(options.inputs, [&](ResultRow&& row) {
    summarizer.Add(row);
    ++runs;
    return Status::OK();
  });
  if (!st.ok()) return st;
  if (runs == 0) {
    return Status::InvalidArgument("report: the input files hold no runs");
  }
  st = MakeDirs(options.out_dir, 0755);
  if (!st.ok()) return st.WithContext("report");
  const std::vector<GroupSummary> groups = summarizer.Finish();
  const std::vector<Table> tables = Tables(groups);
  ReportOutput out;
  st = WriteFile(options.out_dir + "/summary.csv", SummaryCsv(groups), &out);
  if (st.ok()) {
    st = WriteFile(options.out_dir + "/summary.md", SummaryMarkdown(tables),
                   &out);
  }
  if (!st.ok()) return st;
  if (options.gnuplot.empty() || FindProgram(options.gnuplot).empty()) {
    out.note = "gnuplot not found: tables written, no plots (install the "
               "Debian package gnuplot-nox for plots)";
    return out;
  }
  for (const Table& t : tables) {
    st = WritePlots(t, options.out_dir, options.gnuplot, &out);
    if (!st.ok()) return st;
  }
  return out;
}

}  // namespace ctrbench
