#include "counters/report_plots.h"

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

}  // namespace

// Adds a sentence to what report says besides its files.
void AddNote(ReportOutput* out, const std::string& note) {
  out->note += (out->note.empty() ? "" : "; ") + note;
}

namespace {

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
}  // namespace


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

}  // namespace ctrbench
