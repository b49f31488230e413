#include "counters/report_plots.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <set>

#include "counters/csv.h"
#include "counters/fields.h"
#include "counters/files.h"
#include "counters/report_gnuplot.h"

namespace ctrbench {

namespace {

// The plots, declared: each draws summary.csv columns (report_tables.h,
// SummaryColumns()) against the x axis, one set of lines per series label
// (or a bar per group). The data file holds the columns they draw; the
// script finds each by name there.

enum class YScale {
  kLinear,
  kLog,
  kAsX,  // Logarithmic when the x axis is.
};

// A line drawn for every series label.
struct Line {
  const char* column;  // Of summary.csv: a median (SummaryColumn::stat).
  const char* legend;  // After the series label in the key ("": none).
  const char* style;   // gnuplot's: "linespoints" or "lines".
  int dash;            // gnuplot's dash type; 0: solid for the first eight
                       // labels, then dashed (the eight colours repeat).
};

struct Plot {
  const char* suffix;  // Its files: SCENARIO-STRATEGY-SUFFIX.png and .svg.
  const char* title;   // Of the y axis, and in the plot's title.
  const char* unit;    // Of the y axis ("": none).
  YScale y;
  const char* x_only;  // Drawn only against this x axis ("": any).
  bool usl_fit;        // With each series' USL fit, dashed, where one was
                       // made (against workers).
  int legend_rows;     // What a series label adds to the height, in legend
                       // rows.
  // In a bar chart only the first is drawn; a plot whose first line no
  // group has a value for is left out (gnuplot refuses a plot with no
  // point).
  std::vector<Line> lines;
};

const std::vector<Plot>& Plots() {
  // clang-format off
  static const std::vector<Plot>* plots = new std::vector<Plot>{
      {"throughput", "increments/s", "", YScale::kLog, "", true, 1,
       {{"increments_per_s_median", "", "linespoints", 0}}},
      {"p99", "p99 latency", "us", YScale::kLog, "", false, 1,
       {{"lat_p99_us_median", "", "linespoints", 0}}},
      {"retries", "retries per 1,000 operations", "", YScale::kLinear, "",
       false, 1,
       {{"retries_per_1k_ops_median", "", "linespoints", 0}}},
      // The hockey stick: response time against offered rate, beside the
      // service time.
      {"response", "response time", "us", YScale::kLog, "rate", false, 3,
       {{"resp_p99_us_median", " response p99", "linespoints", 1},
        {"resp_p50_us_median", " response p50", "linespoints", 2},
        {"lat_p99_us_median", " service p99", "linespoints", 3}}},
      // What the backend achieved against what it was offered.
      {"achieved", "achieved and offered rate", "/s", YScale::kAsX, "rate",
       false, 1,
       {{"rate_achieved_median", " achieved", "linespoints", 1},
        {"rate_offered_median", " offered", "lines", 2}}},
  };
  // clang-format on
  return *plots;
}

std::string YLabel(const Plot& p) {
  return std::string(p.title) +
         (*p.unit ? std::string(" (") + p.unit + ")" : "");
}

// The data file's columns after x (or a bar's label): the summary.csv
// columns some plot draws, in summary.csv's order.
const std::vector<const SummaryColumn*>& DataColumns() {
  static const std::vector<const SummaryColumn*>* columns = [] {
    auto* out = new std::vector<const SummaryColumn*>;
    for (const SummaryColumn& c : SummaryColumns()) {
      bool drawn = false;
      for (const Plot& p : Plots()) {
        for (const Line& l : p.lines) drawn |= c.name == std::string(l.column);
      }
      if (drawn) out->push_back(&c);
    }
    return out;
  }();
  return *columns;
}

// The place of summary column `name` among DataColumns().
size_t DataIndex(const std::string& name) {
  const std::vector<const SummaryColumn*>& columns = DataColumns();
  size_t i = 0;
  while (i < columns.size() && name != columns[i]->name) ++i;
  assert(i < columns.size() && columns[i]->stat != nullptr);
  return i;
}

// Its number in the data file for gnuplot: x (or a bar's label) is 1.
std::string GnuplotColumn(const std::string& name) {
  return std::to_string(DataIndex(name) + 2);
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

}  // namespace

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
        x.title =
            name + (c == "rate" ? " (% of closed-loop capacity)" : " (%)");
      } else {
        x.title =
            name + (*field->unit ? std::string(" (") + field->unit + ")" : "");
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
  return x;
}

// The groups of `table` on axis `x` (a closed-loop run beside a rate sweep
// is not).
Table OnAxis(const Table& table, const XAxis& x) {
  if (x.column.empty()) return table;
  Table t = table;
  t.groups.clear();
  for (const GroupSummary* g : table.groups) {
    if (!std::isnan(AxisValue(g, x.column))) t.groups.push_back(g);
  }
  return t;
}

namespace {

// A group's values of DataColumns(), space-separated ("nan": none).
std::string Values(const GroupSummary* g) {
  std::string values;
  for (const SummaryColumn* c : DataColumns()) {
    const Stat& s = g->*c->stat;
    if (!values.empty()) values += " ";
    values += s.present ? Fixed(s.median, 3) : std::string("nan");
  }
  return values;
}

// The data of line plots: one block per series label (*labels), its points
// sorted by x, blocks separated by two blank lines (gnuplot's "index"); at
// most kMaxSeries series of kMaxPoints points, with a note of what was left
// out. t->groups becomes the groups plotted.
std::string LineData(const XAxis& x, const std::set<std::string>& vary,
                     Table* t, std::vector<std::string>* labels,
                     ReportOutput* out) {
  std::map<std::string, std::vector<const GroupSummary*>> series;
  for (const GroupSummary* g : t->groups) {
    const std::string label = Label(*g, vary);
    if (!series.count(label)) labels->push_back(label);
    series[label].push_back(g);
  }
  if (labels->size() > kMaxSeries) {
    AddNote(out, t->scenario + " / " + t->strategy + ": plotted the first " +
                     std::to_string(kMaxSeries) + " of " +
                     std::to_string(labels->size()) +
                     " series (the tables have them all)");
    labels->resize(kMaxSeries);
  }
  std::string data;
  std::vector<const GroupSummary*> shown;  // What the plots hold.
  for (const std::string& label : *labels) {
    std::vector<const GroupSummary*>& points = series[label];
    std::sort(points.begin(), points.end(),
              [&](const GroupSummary* a, const GroupSummary* b) {
                return AxisValue(a, x.column) < AxisValue(b, x.column);
              });
    if (points.size() > kMaxPoints) {
      AddNote(out, t->scenario + " / " + t->strategy + ": plotted the " +
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
      data += Significant(AxisValue(g, x.column)) + " " + Values(g) + "\n";
    }
    data += "\n\n";
    shown.insert(shown.end(), points.begin(), points.end());
  }
  t->groups = shown;  // The axis, its ticks and the metrics: of these.
  return data;
}

// The data of bar charts: a line per group, its label first; at most
// kMaxBars bars, with a note of what was left out. t->groups becomes the
// groups plotted.
std::string BarData(const std::set<std::string>& vary, Table* t,
                    ReportOutput* out) {
  if (t->groups.size() > kMaxBars) {
    AddNote(out, t->scenario + " / " + t->strategy + ": plotted the first " +
                     std::to_string(kMaxBars) + " of " +
                     std::to_string(t->groups.size()) +
                     " bars (the tables have them all)");
    t->groups.resize(kMaxBars);
  }
  std::string data;
  for (const GroupSummary* g : t->groups) {
    std::string label = Label(*g, vary);
    for (char& c : label) {
      if (c == '"') c = '\'';
      if (c == '\n' || c == '\r' || c == '\\') c = ' ';
    }
    data += "\"" + label + "\" " + Values(g) + "\n";
  }
  return data;
}

// Colours that read on white (no yellow), then dashes for more series.
constexpr char kPreamble[] =
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

// Each plot is made as a PNG and an SVG.
struct Format {
  const char* extension;
  const char* terminal;
};
constexpr Format kFormats[] = {{"png", "pngcairo"}, {"svg", "svg"}};

// The gnuplot script of one table's plots, from its data file: the x
// axis, then each declared plot that has a point, as PNG and SVG.
class ScriptWriter {
 public:
  // `t`: the groups plotted; `labels`: the series (none for bars);
  // `base`: the table's file names without their extension.
  ScriptWriter(const Table& t, const XAxis& x,
               const std::vector<std::string>& labels,
               const std::map<std::string, UslFit>& fits,
               const std::string& base)
      : t_(t),
        x_(x),
        labels_(labels),
        fits_(fits),
        base_(base),
        data_(base + ".dat") {}

  // The script; *images gets the names of the files it makes, in order.
  std::string Script(std::vector<std::string>* images) const;

 private:
  std::string AxisCommands() const;
  std::string Ticks() const;
  bool HasPoint(const Plot& p) const;
  // The commands that make `file` of plot `p`.
  std::string Image(const Plot& p, const Format& format,
                    const std::string& file) const;
  std::string PlotCommand(const Plot& p) const;
  std::string LabelLines(const Plot& p, size_t i) const;

  const Table& t_;
  const XAxis& x_;
  const std::vector<std::string>& labels_;
  const std::map<std::string, UslFit>& fits_;
  const std::string base_, data_;
};

std::string ScriptWriter::Script(std::vector<std::string>* images) const {
  std::string script = kPreamble + AxisCommands();
  for (const Plot& p : Plots()) {
    if ((*p.x_only && x_.column != p.x_only) || !HasPoint(p)) continue;
    for (const Format& format : kFormats) {
      const std::string file = base_ + "-" + p.suffix + "." + format.extension;
      script += Image(p, format, file);
      images->push_back(file);
    }
  }
  return script;
}

std::string ScriptWriter::AxisCommands() const {
  if (x_.column.empty()) {
    // A left margin for the first label, which leans left.
    return "set style fill solid 0.6\nset boxwidth 0.6\nunset key\n"
           "set lmargin 16\n"
           "set xtics rotate by 30 right\nset xlabel ''\n"
           "set xrange [-0.6:" +
           std::to_string(t_.groups.size()) + "-0.4]\n";
  }
  // Lifted a little, so that it does not touch the legend below it.
  std::string commands =
      "set xlabel " + Quote(x_.title + (x_.log ? ", log scale" : "")) +
      " offset 0,1\n";
  if (x_.log) {
    double lo = INFINITY, hi = 0;
    for (const GroupSummary* g : t_.groups) {
      const double v = AxisValue(g, x_.column);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    // A margin on the log scale.
    commands += "set logscale x 2\nset xrange [" + Fixed(lo / 1.4, 6) + ":" +
                Fixed(hi * 1.4, 6) + "]\n";
  } else {
    commands += "set offsets graph 0.05, graph 0.05, 0, 0\n";
  }
  return commands + Ticks();
}

// A tick at each value on the axis, or at every k-th of many (readable
// labels).
std::string ScriptWriter::Ticks() const {
  std::set<double> values_on_axis;
  for (const GroupSummary* g : t_.groups) {
    values_on_axis.insert(AxisValue(g, x_.column));
  }
  const std::vector<double> ticks(values_on_axis.begin(), values_on_axis.end());
  const size_t step = ticks.size() / kMaxTicks + 1;
  std::string commands = "set xtics (";
  for (size_t i = 0; i < ticks.size(); i += step) {
    commands += (i == 0 ? "" : ", ") + TrimNumber(Fixed(ticks[i], 6));
  }
  return commands + ")\n";
}

bool ScriptWriter::HasPoint(const Plot& p) const {
  Stat GroupSummary::*stat = DataColumns()[DataIndex(p.lines[0].column)]->stat;
  for (const GroupSummary* g : t_.groups) {
    if ((g->*stat).present) return true;
  }
  return false;
}

std::string ScriptWriter::Image(const Plot& p, const Format& format,
                                const std::string& file) const {
  const bool fits = p.usl_fit && !fits_.empty();
  const bool log_y = p.y == YScale::kLog || (p.y == YScale::kAsX && x_.log);
  // Taller with many series, so that the legend leaves room for the plot.
  const int rows = static_cast<int>(labels_.size()) * p.legend_rows;
  const std::string size =
      "900," + std::to_string(640 + 20 * std::max<int>(0, rows - 6));
  std::string commands = std::string("set terminal ") + format.terminal +
                         " size " + size + " noenhanced\n";
  commands += "set output " + Quote(file) + "\n";
  commands += "set title " +
              Quote(t_.scenario + " / " + t_.strategy + ": " + YLabel(p) +
                    (fits ? " (dashed: USL fit)" : "")) +
              "\n";
  commands +=
      "set ylabel " + Quote(YLabel(p) + (log_y ? ", log scale" : "")) + "\n";
  commands +=
      log_y ? "set logscale y\n" : "unset logscale y\nset yrange [0:*]\n";
  return commands + "plot " + PlotCommand(p) +
         "\nunset yrange\nset autoscale y\n";
}

std::string ScriptWriter::PlotCommand(const Plot& p) const {
  if (x_.column.empty()) {
    return Quote(data_) + " using 0:" + GnuplotColumn(p.lines[0].column) +
           ":xtic(1) with boxes notitle";
  }
  std::string command;
  for (size_t i = 0; i < labels_.size(); ++i) {
    command += (i == 0 ? "" : ", ") + LabelLines(p, i);
  }
  return command;
}

// The lines of series label i (data block i) in its colour, and its fit.
std::string ScriptWriter::LabelLines(const Plot& p, size_t i) const {
  const std::string source =
      Quote(data_) + " index " + std::to_string(i) + " using 1:";
  const std::string colour = " lt " + std::to_string(i % 8 + 1);
  std::string lines;
  for (const Line& l : p.lines) {
    // Eight colours, then the same colours dashed.
    const std::string dash =
        l.dash > 0 ? std::to_string(l.dash) : std::to_string(i / 8 + 1);
    lines += (lines.empty() ? "" : ", ") + source + GnuplotColumn(l.column) +
             " with " + l.style + colour + " dt " + dash + " title " +
             Quote(labels_[i] + l.legend);
  }
  auto fit = fits_.find(labels_[i]);
  if (p.usl_fit && fit != fits_.end()) {
    const UslFit& f = fit->second;
    lines += ", " + Significant(f.lambda) + "*x/(1+" + Significant(f.sigma) +
             "*(x-1)+" + Significant(f.kappa) + "*x*(x-1)) with lines" +
             colour + " dt 2 notitle";
  }
  return lines;
}

}  // namespace

// Adds a sentence to what report says besides its files.
void AddNote(ReportOutput* out, const std::string& note) {
  out->note += (out->note.empty() ? "" : "; ") + note;
}

Status WritePlots(const Table& table, OutputDir* dir,
                  const std::string& gnuplot, ReportOutput* out) {
  const XAxis x = ChooseX(table, VaryingColumns(table));
  Table t = OnAxis(table, x);
  std::set<std::string> vary = VaryingColumns(t);
  vary.erase(x.column);  // The x axis is not in the legend.
  const std::string base = Slug(t.scenario + "-" + t.strategy);
  std::vector<std::string> labels;  // Of the series; none for bars.
  const std::string data = x.column.empty()
                               ? BarData(vary, &t, out)
                               : LineData(x, vary, &t, &labels, out);
  // Names in the stage, where gnuplot runs.
  Status st = WriteFile(dir, base + ".dat", data, out);
  if (!st.ok()) return st;
  std::map<std::string, UslFit> fits;
  if (x.column == "workers") {
    for (const SeriesFit& f : FitSeries(t, vary)) fits[f.label] = f.fit;
  }
  std::vector<std::string> images;
  const std::string script =
      ScriptWriter(t, x, labels, fits, base).Script(&images);
  for (const std::string& image : images) {
    out->files.push_back(dir->path() + "/" + image);
  }
  st = WriteFile(dir, base + ".gp", script, out);
  if (!st.ok()) return st;
  return RunGnuplot(gnuplot, dir, base + ".gp");
}

}  // namespace ctrbench
