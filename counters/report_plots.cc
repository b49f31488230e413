#include "counters/report_plots.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "counters/csv.h"
#include "counters/files.h"
#include "counters/report_gnuplot.h"

namespace ctrbench {

namespace {

// The plots, declared: each draws summary.csv columns (report_tables.h,
// SummaryColumns()) against the x axis, a set of lines per series label
// (or a point per group), each median with the interval of its
// repetitions. The data file holds the columns they draw; the script finds
// each by name there.

enum class YScale {
  kLinear,
  kAuto,  // Logarithmic where the values span kLogSpan or more.
  kAsX,   // Logarithmic when the x axis is (achieved against offered).
};

// Values that span two decades get a logarithmic y axis; closer ones read
// better on a linear axis from 0, where a difference looks its size.
constexpr double kLogSpan = 100;

// A line drawn for every series label.
struct Line {
  const char* column;  // Of summary.csv: a median (SummaryColumn::stat).
  const char* legend;  // After the series label in the key ("": none).
  int dash;            // gnuplot's dash type: 1 solid, 2 dashed, 3 dotted.
  bool spread;         // With the interval of the median as error bars.
};

struct Plot {
  const char* suffix;  // Its files: SCENARIO-STRATEGY-SUFFIX.png and .svg.
  const char* title;   // Of the y axis, and in the plot's title.
  const char* unit;    // Of the y axis ("": none).
  YScale y;
  const char* x_only;  // Drawn only against this x axis ("": any).
  // Drawn only where no plot of its suffix before it was: increments/s
  // for rows without goodput (older rows that failed verification).
  bool fallback;
  bool usl_fit;   // With each series' USL fit (against workers), thin and
                  // labelled, where one was made and the series lost no
                  // update (the fit is of the increments acknowledged).
  bool lost;      // Where updates were lost: the increments acknowledged
                  // beside, and each point's share lost.
  bool capacity;  // The closed-loop capacity marked on the rate axis.
  // Without a numeric x axis only the first is drawn; a plot whose first
  // line no group has a value for is left out (gnuplot refuses a plot
  // with no point).
  std::vector<Line> lines;
};

const std::vector<Plot>& Plots() {
  // clang-format off
  static const std::vector<Plot>* plots = new std::vector<Plot>{
      // What stuck: the increments a read found, not those attempted.
      {"throughput", "goodput, increments/s kept", "", YScale::kAuto, "",
       false, true, true, false,
       {{"goodput_per_s_median", "", 1, true}}},
      {"throughput", "increments/s", "", YScale::kAuto, "", true, true,
       false, false,
       {{"increments_per_s_median", "", 1, true}}},
      {"p99", "p99 service time", "us", YScale::kAuto, "", false, false,
       false, false,
       {{"lat_p99_us_median", "", 1, true}}},
      {"retries", "retries per 1,000 operations", "", YScale::kLinear, "",
       false, false, false, false,
       {{"retries_per_1k_ops_median", "", 1, true}}},
      // The hockey stick: response time against offered load, beside the
      // service time (solid, dashed, dotted, as docs/LAB.md says).
      {"response", "response and service time", "us", YScale::kAuto, "rate",
       false, false, false, true,
       {{"resp_p99_us_median", ": response p99", 1, true},
        {"resp_p50_us_median", ": response p50", 2, false},
        {"lat_p99_us_median", ": service p99", 3, true}}},
      // What the backend achieved against what it was offered.
      {"achieved", "achieved and offered rate", "/s", YScale::kAsX, "rate",
       false, false, false, true,
       {{"rate_achieved_median", ": achieved", 1, true},
        {"rate_offered_median", ": offered", 2, false}}},
  };
  // clang-format on
  return *plots;
}

// What the marks of lost updates draw, beside the plots' lines.
constexpr char kAcknowledged[] = "increments_per_s_median";
constexpr char kLostShare[] = "lost_share_median";

std::string YLabel(const Plot& p) {
  return std::string(p.title) +
         (*p.unit ? std::string(" (") + p.unit + ")" : "");
}

// The data file's columns after x (or a point's label): the summary.csv
// columns some plot draws, in summary.csv's order.
const std::vector<const SummaryColumn*>& DataColumns() {
  static const std::vector<const SummaryColumn*>* columns = [] {
    auto* out = new std::vector<const SummaryColumn*>;
    for (const SummaryColumn& c : SummaryColumns()) {
      bool drawn = c.name == std::string(kAcknowledged) ||
                   c.name == std::string(kLostShare);
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

const Stat& StatIn(const GroupSummary* g, const std::string& column) {
  return g->*DataColumns()[DataIndex(column)]->stat;
}

// A column's three numbers in the data file: its median, then the ends of
// the median's interval (the median itself without one).
enum Part { kMedian = 0, kLo = 1, kHi = 2 };

// Its number in the data file for gnuplot: x (or a point's label) is 1.
std::string GnuplotColumn(const std::string& name, Part part = kMedian) {
  return std::to_string(2 + 3 * DataIndex(name) + part);
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

// A gnuplot string of two lines (a double-quoted one, where "\n" breaks
// the line): backslashes and quotes escaped, line breaks made spaces.
std::string TwoLines(const std::string& first, const std::string& second) {
  auto escape = [](const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '\\' || c == '"') out += '\\';
      out += (c == '\n' || c == '\r') ? ' ' : c;
    }
    return out;
  };
  return "\"" + escape(first) + "\\n" + escape(second) + "\"";
}

// A group's numbers of DataColumns(), space-separated: each median and
// the ends of its interval ("nan": none).
std::string Values(const GroupSummary* g) {
  std::string values;
  for (const SummaryColumn* c : DataColumns()) {
    const Stat& s = g->*c->stat;
    if (!values.empty()) values += " ";
    if (!s.present) {
      values += "nan nan nan";
      continue;
    }
    const Interval& i = s.interval;
    values += Significant(s.median, 7) + " " +
              Significant(i.present ? i.lo : s.median, 7) + " " +
              Significant(i.present ? i.hi : s.median, 7);
  }
  return values;
}

bool Lossy(const GroupSummary* g) {
  return g->lost_updates.present && g->lost_updates.max > 0;
}

// The groups of one series label, sorted along the x axis.
struct Series {
  std::string label;
  std::string backend;
  std::vector<const GroupSummary*> points;
  bool lossy = false;  // A repetition of one of its points lost updates.
};

// The series of line plots: at most kMaxSeries of kMaxPoints points, with
// a note of what was left out. t->groups becomes the groups plotted.
std::vector<Series> SeriesOf(const XAxis& x, const std::set<std::string>& vary,
                             Table* t, ReportOutput* out) {
  std::vector<Series> series;
  std::map<std::string, size_t> index;
  for (const GroupSummary* g : t->groups) {
    const std::string label = Label(*g, vary);
    auto [it, added] = index.emplace(label, series.size());
    if (added) series.push_back({label, g->key.at("backend"), {}, false});
    series[it->second].points.push_back(g);
  }
  if (series.size() > kMaxSeries) {
    AddNote(out, t->scenario + " / " + t->strategy + ": plotted the first " +
                     std::to_string(kMaxSeries) + " of " +
                     std::to_string(series.size()) +
                     " series (the tables have them all)");
    series.resize(kMaxSeries);
  }
  std::vector<const GroupSummary*> shown;  // What the plots hold.
  for (Series& s : series) {
    std::sort(s.points.begin(), s.points.end(),
              [&](const GroupSummary* a, const GroupSummary* b) {
                return AxisValue(a, x.column) < AxisValue(b, x.column);
              });
    if (s.points.size() > kMaxPoints) {
      AddNote(out, t->scenario + " / " + t->strategy + ": plotted the " +
                       std::to_string(kMaxPoints) + " smallest of " +
                       std::to_string(s.points.size()) + " " + x.column +
                       " values (the tables have them all)");
      s.points.resize(kMaxPoints);
    }
    for (const GroupSummary* g : s.points) s.lossy |= Lossy(g);
    shown.insert(shown.end(), s.points.begin(), s.points.end());
  }
  t->groups = shown;  // The axis, its ticks and the metrics: of these.
  return series;
}

// The data of line plots: a block per series, blocks separated by two
// blank lines (gnuplot's "index").
std::string LineData(const XAxis& x, const std::vector<Series>& series) {
  std::string data;
  for (const Series& s : series) {
    std::string comment = s.label;
    for (char& c : comment) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    data += "# " + comment + "\n";
    for (const GroupSummary* g : s.points) {
      data += Significant(AxisValue(g, x.column)) + " " + Values(g) + "\n";
    }
    data += "\n\n";
  }
  return data;
}

// The data of a plot without a numeric x axis: a line per group, its label
// first; at most kMaxBars groups, with a note of what was left out.
// t->groups becomes the groups plotted.
std::string PointData(const std::set<std::string>& vary, Table* t,
                      ReportOutput* out) {
  if (t->groups.size() > kMaxBars) {
    AddNote(out, t->scenario + " / " + t->strategy + ": plotted the first " +
                     std::to_string(kMaxBars) + " of " +
                     std::to_string(t->groups.size()) +
                     " groups (the tables have them all)");
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

// The panels of a plot whose series draw `lines` lines each: at most
// kMaxSeriesPerPanel lines to a panel, a backend's series together where
// they fit (split evenly where they do not), in order; each panel a list
// of indexes into `series`.
std::vector<std::vector<size_t>> Panels(const std::vector<Series>& series,
                                        size_t lines) {
  const size_t most =
      std::max<size_t>(1, kMaxSeriesPerPanel / std::max<size_t>(1, lines));
  std::vector<std::vector<size_t>> panels;
  for (size_t i = 0; i < series.size();) {
    size_t j = i;
    while (j < series.size() && series[j].backend == series[i].backend) ++j;
    const size_t n = j - i, parts = (n + most - 1) / most;
    for (size_t part = 0; part < parts; ++part) {
      std::vector<size_t> chunk;
      for (size_t k = i + n * part / parts; k < i + n * (part + 1) / parts;
           ++k) {
        chunk.push_back(k);
      }
      if (!panels.empty() && panels.back().size() + chunk.size() <= most) {
        panels.back().insert(panels.back().end(), chunk.begin(), chunk.end());
      } else {
        panels.push_back(chunk);
      }
    }
    i = j;
  }
  return panels;
}

// A group's value of key column `column` as a number; `otherwise` when it
// has none.
double KeyNumber(const GroupSummary* g, const std::string& column,
                 double otherwise) {
  auto it = g->key.find(column);
  double v = otherwise;
  if (it == g->key.end() || !AxisNumber(it->second, &v)) return otherwise;
  return v;
}

// The closed-loop capacity of each series of a sweep over absolute rates,
// by label: the closed-loop group of its configuration in `table` (every
// grouping column alike but rate and arrival, as the sweep takes a
// capacity), in the rate's unit, logical operations per second: its
// increments/s over the batch, over the share of operations that
// increment. A series without one is not marked.
std::map<std::string, double> Capacities(const Table& table,
                                         const std::vector<Series>& series) {
  auto key = [](const GroupSummary* g) {
    std::string k;
    for (const std::string& c : GroupColumns()) {
      if (c != "rate" && c != "arrival") k += g->key.at(c) + "\x1f";
    }
    return k;
  };
  std::map<std::string, const GroupSummary*> closed;
  for (const GroupSummary* g : table.groups) {
    if (!(KeyNumber(g, "rate", 0) > 0) && g->increments_per_s.present) {
      closed[key(g)] = g;
    }
  }
  std::map<std::string, double> capacities;
  for (const Series& s : series) {
    auto it = closed.find(key(s.points.front()));
    if (it == closed.end()) continue;
    const GroupSummary* g = it->second;
    const double batch = KeyNumber(g, "batch", 1);
    const double reads = KeyNumber(g, "read_fraction", 0);
    const double capacity =
        g->increments_per_s.median / std::max(1.0, batch) / (1 - reads);
    if (reads < 1 && capacity > 0) capacities[s.label] = capacity;
  }
  return capacities;
}

// Eight colours that read on white and apart from each other (no
// yellow), and a point shape each: a panel's series never share one.
constexpr const char* kColours[kMaxSeriesPerPanel] = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd",
    "#8c564b", "#e377c2", "#404040", "#ff7f0e"};
constexpr int kShapes[kMaxSeriesPerPanel] = {7, 5, 9, 11, 13, 3, 1, 2};

constexpr char kPreamble[] =
    "set datafile missing 'nan'\nset grid\nset samples 400\n";

// Each plot is made as a PNG and an SVG.
struct Format {
  const char* extension;
  const char* terminal;
};
constexpr Format kFormats[] = {{"png", "pngcairo"}, {"svg", "svg"}};

// Where the panels of an image sit, in pixels from its top: the title,
// then the panels stacked (the x axis shared) with room between them for
// the tick labels and the next panel's title, then the x axis label (more
// room for the slanted labels of a plot without a numeric x axis). The
// key is right of the panels, outside the data.
struct Layout {
  int width = 1400, height = 0;
  int top = 0, panel = 0, gap = 0;
  double Top(size_t k) const {
    return 1 - (top + static_cast<double>(k) * (panel + gap)) / height;
  }
  double Bottom(size_t k) const {
    return Top(k) - static_cast<double>(panel) / height;
  }
};

// Of the panels and the key, in shares of the width; kLeft leaves room
// for a two-line y label (at 0.07 its first line fell off the image).
constexpr double kLeft = 0.095, kLeftSlanted = 0.15, kRight = 0.64;
constexpr double kKeyLeft = 0.66;
// A key's line sample and a character of its titles, in pixels (gnuplot's
// default font, measured on its PNGs with some room).
constexpr int kKeySample = 70;
constexpr double kKeyChar = 9.5;
// What the key adds to a series' label for its fit and for the increments
// acknowledged where some were lost.
constexpr char kFitPrefix[] = "fit: ";
// A label's height on a PNG, with room, in pixels (gnuplot's default font).
constexpr double kLabelPx = 16;
constexpr char kAcknowledgedSuffix[] = ": acknowledged";

// `key_chars`: the key's longest title, which the width makes room for.
Layout LayoutOf(size_t panels, bool slanted, size_t groups, size_t key_chars) {
  Layout l;
  if (slanted) {
    l.width = std::max(l.width, 500 + 24 * static_cast<int>(groups));
  }
  const double key = kKeySample + kKeyChar * static_cast<double>(key_chars);
  l.width = std::max(l.width, static_cast<int>(key / (1 - kKeyLeft)) + 1);
  l.top = panels > 1 ? 95 : 70;
  l.panel = panels > 1 ? 320 : 440;
  l.gap = 115;
  const int bottom = slanted ? 240 : 75;
  l.height =
      l.top + static_cast<int>(panels) * (l.panel + l.gap) - l.gap + bottom;
  return l;
}

// The y axis the panels of a plot share.
struct YRange {
  bool log = false;
  double lo = 0, hi = 1;
};

// The gnuplot script of one table's plots, from its data file: the x
// axis, then each declared plot that has a point, as PNG and SVG.
class ScriptWriter {
 public:
  // `t`: the groups plotted; `series`: the series (none without a numeric
  // x axis); `fits` and `capacities` by series label; `data`: the data
  // file's name.
  ScriptWriter(const Table& t, const XAxis& x,
               const std::vector<Series>& series,
               const std::map<std::string, UslFit>& fits,
               const std::map<std::string, double>& capacities,
               const std::string& data)
      : t_(t),
        x_(x),
        series_(series),
        fits_(fits),
        capacities_(capacities),
        data_(data) {}

  // The script; *images gets the names of the files it makes (`base`
  // followed by the plot's suffix), in order.
  std::string Script(const std::string& base,
                     std::vector<std::string>* images) const;

 private:
  std::string AxisCommands() const;
  std::string Ticks() const;
  bool HasPoint(const Plot& p) const;
  YRange YRangeOf(const Plot& p) const;
  bool Fitted(const Plot& p, const Series& s) const;
  bool Marked(const Plot& p) const;  // The capacity is.
  std::string Title(const Plot& p, size_t panels) const;
  size_t KeyChars(const Plot& p) const;
  // The commands that make `file` of plot `p`.
  std::string Image(const Plot& p, const Format& format,
                    const std::string& file) const;
  std::string PanelCommands(const Plot& p,
                            const std::vector<std::vector<size_t>>& panels,
                            size_t k, const Layout& l) const;
  std::string CapacityMarks(const Plot& p,
                            const std::vector<size_t>& panel) const;
  std::string LostMarks(const Plot& p, const std::vector<size_t>& panel,
                        int panel_px) const;
  std::string PointsCommand(const Plot& p) const;
  std::string SeriesLines(const Plot& p, size_t i, size_t colour) const;
  std::string LostLabels(const std::string& source, const Plot& p,
                         const char* colour) const;

  const Table& t_;
  const XAxis& x_;
  const std::vector<Series>& series_;
  const std::map<std::string, UslFit>& fits_;
  const std::map<std::string, double>& capacities_;
  const std::string data_;
};

std::string ScriptWriter::Script(const std::string& base,
                                 std::vector<std::string>* images) const {
  std::string script = kPreamble + AxisCommands();
  std::set<std::string> drawn;  // Suffixes.
  for (const Plot& p : Plots()) {
    if ((*p.x_only && x_.column != p.x_only) || !HasPoint(p)) continue;
    if (p.fallback && drawn.count(p.suffix)) continue;
    drawn.insert(p.suffix);
    for (const Format& format : kFormats) {
      const std::string file = base + "-" + p.suffix + "." + format.extension;
      script += Image(p, format, file);
      images->push_back(file);
    }
  }
  return script;
}

// The x axis every plot of the table shares; its range holds the capacity
// marked on a rate axis.
std::string ScriptWriter::AxisCommands() const {
  if (x_.column.empty()) {
    return "set xtics rotate by 45 right\nset xrange [-0.6:" +
           std::to_string(t_.groups.size()) + "-0.4]\n";
  }
  double lo = INFINITY, hi = -INFINITY;
  for (const GroupSummary* g : t_.groups) {
    const double v = AxisValue(g, x_.column);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  std::vector<double> marks;
  for (const auto& [label, capacity] : capacities_) marks.push_back(capacity);
  if (x_.share) marks.push_back(100);
  for (double m : marks) {
    lo = std::min(lo, m);
    hi = std::max(hi, m);
  }
  std::string commands;
  if (x_.log) {
    // A margin on the log scale.
    commands += "set logscale x 2\nset xrange [" + Fixed(lo / 1.4, 6) + ":" +
                Fixed(hi * 1.4, 6) + "]\n";
  } else {
    const double pad =
        hi > lo ? 0.05 * (hi - lo) : std::max(1.0, 0.1 * std::fabs(lo));
    commands += "unset logscale x\nset xrange [" + Fixed(lo - pad, 6) + ":" +
                Fixed(hi + pad, 6) + "]\n";
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
  for (const GroupSummary* g : t_.groups) {
    if (StatIn(g, p.lines[0].column).present) return true;
  }
  return false;
}

// Every median and end of an interval the plot draws (and the increments
// acknowledged where it marks lost ones), on a log scale where they span
// kLogSpan, else on a linear one from 0.
YRange ScriptWriter::YRangeOf(const Plot& p) const {
  double lo = INFINITY, hi = -INFINITY;  // lo: the least above 0.
  auto see = [&](const Stat& s) {
    if (!s.present) return;
    const Interval& i = s.interval;
    for (double v :
         {s.median, i.present ? i.lo : s.median, i.present ? i.hi : s.median}) {
      if (v > 0) lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  };
  for (const GroupSummary* g : t_.groups) {
    for (const Line& l : p.lines) see(StatIn(g, l.column));
    if (p.lost && Lossy(g)) see(StatIn(g, kAcknowledged));
  }
  YRange y;
  const bool positive = std::isfinite(lo) && lo > 0;
  if (p.y == YScale::kAuto) y.log = positive && hi / lo >= kLogSpan;
  if (p.y == YScale::kAsX) y.log = positive && x_.log;
  if (y.log) {
    y.lo = lo / 1.6;
    y.hi = hi * 1.6;
  } else if (hi > 0) {
    y.hi = hi * 1.1;
  }
  return y;
}

bool ScriptWriter::Fitted(const Plot& p, const Series& s) const {
  return p.usl_fit && !s.lossy && fits_.count(s.label) > 0;
}

bool ScriptWriter::Marked(const Plot& p) const {
  return p.capacity && x_.column == "rate" &&
         (x_.share || !capacities_.empty());
}

// The plot's title, and a line that says how to read it.
std::string ScriptWriter::Title(const Plot& p, size_t panels) const {
  int repetitions = 0;
  bool lossy = false, fitted = false;
  for (const GroupSummary* g : t_.groups) {
    repetitions = std::max(repetitions, g->repetitions);
    lossy |= p.lost && Lossy(g);
  }
  for (const Series& s : series_) fitted |= Fitted(p, s);
  std::string how =
      repetitions > 1
          ? "bars: the interval of the median over repetitions (min to max "
            "below 6)"
          : "one run a point: repeat runs for their spread";
  if (fitted) how += "; thin dashed: USL fit";
  if (lossy) {
    how += x_.column.empty() ? "; open circles" : "; dotted";
    how += ": increments acknowledged, the gap was lost";
  }
  if (Marked(p)) {
    how += "; vertical: the closed-loop capacity";
  } else if (p.capacity) {
    how += "; no closed-loop run of these settings: capacity not marked";
  }
  if (panels > 1) how += "; the panels share their axes";
  return TwoLines(t_.scenario + " / " + t_.strategy + ": " + YLabel(p), how);
}

// The longest title in the key of plot `p`, in characters: a series'
// label with its line's legend, ": acknowledged" or "fit: ".
size_t ScriptWriter::KeyChars(const Plot& p) const {
  size_t most = 0;
  for (const Series& s : series_) {
    size_t extra = Fitted(p, s) ? std::strlen(kFitPrefix) : 0;
    if (p.lost && s.lossy) {
      extra = std::max(extra, std::strlen(kAcknowledgedSuffix));
    }
    for (const Line& l : p.lines)
      extra = std::max(extra, std::strlen(l.legend));
    most = std::max(most, s.label.size() + extra);
  }
  return most;
}

std::string ScriptWriter::Image(const Plot& p, const Format& format,
                                const std::string& file) const {
  const bool points = x_.column.empty();
  const std::vector<std::vector<size_t>> panels =
      points ? std::vector<std::vector<size_t>>(1)
             : Panels(series_, p.lines.size());
  const Layout l =
      LayoutOf(panels.size(), points, t_.groups.size(), KeyChars(p));
  const YRange y = YRangeOf(p);
  std::string c = std::string("set terminal ") + format.terminal + " size " +
                  std::to_string(l.width) + "," + std::to_string(l.height) +
                  " noenhanced\n";
  c += "set output " + Quote(file) + "\n";
  // "log scale" on a line of its own: a panel is too short for both.
  c += "set ylabel " +
       (y.log ? TwoLines(YLabel(p), "log scale") : Quote(YLabel(p))) + "\n";
  c += y.log ? "set logscale y\n" : "unset logscale y\n";
  c += "set yrange [" + Significant(y.lo) + ":" + Significant(y.hi) + "]\n";
  c += "set lmargin at screen " + Fixed(points ? kLeftSlanted : kLeft, 3) +
       "\nset rmargin at screen " + Fixed(kRight, 3) + "\n";
  c += "set multiplot title " + Title(p, panels.size()) + "\n";
  for (size_t k = 0; k < panels.size(); ++k) {
    c += PanelCommands(p, panels, k, l);
  }
  return c + "unset multiplot\n";
}

// Panel k: its place, its key right of it, its title (the backends it
// holds), the x axis label under the last, and its plot.
std::string ScriptWriter::PanelCommands(
    const Plot& p, const std::vector<std::vector<size_t>>& panels, size_t k,
    const Layout& l) const {
  const std::vector<size_t>& panel = panels[k];
  std::string title;  // The backends the panel holds.
  std::set<std::string> named;
  for (size_t i : panel) {
    const std::string& backend = series_[i].backend;
    if (named.insert(backend).second) {
      title += (title.empty() ? "" : ", ") + backend;
    }
  }
  std::string xlabel;
  if (!x_.column.empty() && k + 1 == panels.size()) {
    xlabel = (p.capacity ? "offered " : "") + x_.title +
             (x_.log ? ", log scale" : "");
  }
  std::string c = "unset arrow\nunset label\n";
  c += "set tmargin at screen " + Fixed(l.Top(k), 4) +
       "\nset bmargin at screen " + Fixed(l.Bottom(k), 4) + "\n";
  c += "set key at screen " + Fixed(kKeyLeft, 3) + ", screen " +
       Fixed(l.Top(k), 4) + " left top Left reverse samplen 2\n";
  c += "set title " + Quote(panels.size() > 1 ? title : "") + "\n";
  c += "set xlabel " + Quote(xlabel) + "\n";
  c += CapacityMarks(p, panel);
  c += LostMarks(p, panel, l.panel);
  std::string plot;
  for (size_t j = 0; j < panel.size(); ++j) {
    plot += (j == 0 ? "" : ", ") + SeriesLines(p, panel[j], j);
  }
  return c + "plot " + (x_.column.empty() ? PointsCommand(p) : plot) + "\n";
}

// A vertical line at the closed-loop capacity: at 100 on an axis of
// shares of it, else at each series' own, in its colour.
std::string ScriptWriter::CapacityMarks(
    const Plot& p, const std::vector<size_t>& panel) const {
  if (!Marked(p)) return "";
  struct Mark {
    double x;
    const char* colour;
    std::string text;
  };
  std::vector<Mark> marks;
  if (x_.share) {
    marks.push_back({100, "#000000", "capacity (closed loop)"});
  } else {
    for (size_t j = 0; j < panel.size(); ++j) {
      auto it = capacities_.find(series_[panel[j]].label);
      if (it == capacities_.end()) continue;
      marks.push_back({it->second, kColours[j % kMaxSeriesPerPanel],
                       "capacity " + Rate(it->second) + "/s"});
    }
  }
  std::string c;
  for (size_t m = 0; m < marks.size(); ++m) {
    const std::string x = "first " + Significant(marks[m].x);
    const std::string colour = std::string("rgb '") + marks[m].colour + "'";
    c += "set arrow from " + x + ", graph 0 to " + x + ", graph 1 nohead lc " +
         colour + " lw 1 dt 4 front\n";
    c += "set label " + Quote(marks[m].text) + " at " + x + ", graph " +
         Fixed(0.96 - 0.06 * static_cast<double>(m % 8), 2) +
         " left offset 0.5,0 tc " + colour + " front\n";
  }
  return c;
}

// Each point's share of lost updates, written under it where some were
// lost; `source` is the data and the x of gnuplot's using ("'f' using 0").
std::string ScriptWriter::LostLabels(const std::string& source, const Plot& p,
                                     const char* colour) const {
  const std::string share = "column(" + GnuplotColumn(kLostShare) + ")";
  return source + ":" + GnuplotColumn(p.lines[0].column) + ":(" + share +
         " > 0 ? sprintf('%.2g%% lost', 100*" + share +
         ") : '') with labels tc rgb '" + colour + "' offset 0,-1 notitle";
}

// Each point's share of lost updates, in its series' colour, under the
// point, or over it where that would overlap another series' label at the
// same x; one that would overlap there too is left out (its dotted line
// still shows the loss). Labels are placed by the height of their points
// in the panel, `panel_px` high.
std::string ScriptWriter::LostMarks(const Plot& p,
                                    const std::vector<size_t>& panel,
                                    int panel_px) const {
  if (!p.lost || x_.column.empty()) return "";
  const YRange y = YRangeOf(p);
  std::vector<LabelPoint> points;
  std::vector<std::string> commands;
  for (size_t j = 0; j < panel.size(); ++j) {
    for (const GroupSummary* g : series_[panel[j]].points) {
      const Stat& share = StatIn(g, kLostShare);
      const Stat& value = StatIn(g, p.lines[0].column);
      if (!share.present || share.median <= 0 || !value.present) continue;
      const double v = value.median;
      const double height =
          y.log ? std::log(std::max(v, y.lo) / y.lo) / std::log(y.hi / y.lo)
                : (v - y.lo) / (y.hi - y.lo);
      const double x = AxisValue(g, x_.column);
      points.push_back({x, height});
      char text[32];
      std::snprintf(text, sizeof(text), "%.2g%% lost", 100 * share.median);
      commands.push_back("set label " + Quote(text) + " at first " +
                         Significant(x) + ", first " + Significant(v) +
                         " center tc rgb '" +
                         kColours[j % kMaxSeriesPerPanel] + "' front offset 0,");
    }
  }
  const std::vector<LabelPlace> places =
      PlaceLabels(points, kLabelPx / std::max(1, panel_px));
  std::string c;
  for (size_t i = 0; i < places.size(); ++i) {
    if (places[i] == LabelPlace::kLeftOut) continue;
    c += commands[i] + (places[i] == LabelPlace::kBelow ? "-1" : "1") + "\n";
  }
  return c;
}

// Without a numeric x axis: a point per group with its interval (the
// first line only), and where updates were lost the increments
// acknowledged as open circles.
std::string ScriptWriter::PointsCommand(const Plot& p) const {
  const std::string m = p.lines[0].column;
  std::string command = Quote(data_) + " using 0:" + GnuplotColumn(m) + ":" +
                        GnuplotColumn(m, kLo) + ":" + GnuplotColumn(m, kHi) +
                        ":xtic(1) with yerrorbars lc rgb '" + kColours[0] +
                        "' pt 7 ps 1.3 title " + Quote(p.title);
  bool lossy = false;
  for (const GroupSummary* g : t_.groups) lossy |= Lossy(g);
  if (!p.lost || !lossy) return command;
  const std::string share = "column(" + GnuplotColumn(kLostShare) + ")";
  command += ", " + Quote(data_) + " using 0:(" + share + " > 0 ? column(" +
             GnuplotColumn(kAcknowledged) + ") : NaN) with points lc rgb '" +
             kColours[1] + "' pt 6 ps 1.6 title " +
             Quote("increments acknowledged, where some were lost");
  return command + ", " + LostLabels(Quote(data_) + " using 0", p, kColours[1]);
}

// The lines of series i (data block i) in colour `colour` of its panel:
// its data with their intervals, thick; where it lost updates the
// increments acknowledged, dotted, and each point's share lost; its fit,
// thin and dashed.
std::string ScriptWriter::SeriesLines(const Plot& p, size_t i,
                                      size_t colour) const {
  const Series& s = series_[i];
  const char* rgb = kColours[colour % kMaxSeriesPerPanel];
  const std::string lc = std::string(" lc rgb '") + rgb + "'";
  const std::string source =
      Quote(data_) + " index " + std::to_string(i) + " using 1";
  std::string lines;
  auto add = [&lines](const std::string& term) {
    lines += (lines.empty() ? "" : ", ") + term;
  };
  for (const Line& l : p.lines) {
    const std::string m = GnuplotColumn(l.column);
    const std::string style =
        l.spread ? m + ":" + GnuplotColumn(l.column, kLo) + ":" +
                       GnuplotColumn(l.column, kHi) + " with yerrorlines pt " +
                       std::to_string(kShapes[colour % kMaxSeriesPerPanel])
                 : m + " with lines";
    add(source + ":" + style + lc + " lw 2 dt " + std::to_string(l.dash) +
        " title " + Quote(s.label + l.legend));
  }
  if (p.lost && s.lossy) {
    add(source + ":" + GnuplotColumn(kAcknowledged) + " with linespoints" + lc +
        " lw 1 dt 3 pt 6 title " + Quote(s.label + kAcknowledgedSuffix));
  }
  if (Fitted(p, s)) {
    const UslFit& f = fits_.at(s.label);
    add(Significant(f.lambda) + "*x/(1+" + Significant(f.sigma) + "*(x-1)+" +
        Significant(f.kappa) + "*x*(x-1)) with lines" + lc +
        " lw 1 dt 2 title " + Quote(kFitPrefix + s.label));
  }
  return lines;
}

}  // namespace

// Adds a sentence to what report says besides its files.
void AddNote(ReportOutput* out, const std::string& note) {
  out->note += (out->note.empty() ? "" : "; ") + note;
}

PlotFiles MakePlots(const Table& table, ReportOutput* out) {
  const XAxis x = ChooseX(table, VaryingColumns(table));
  Table t = OnAxis(table, x);
  std::set<std::string> vary = VaryingColumns(t);
  vary.erase(x.column);  // The x axis is not in the legend.
  const std::string base = Slug(t.scenario + "-" + t.strategy);
  PlotFiles files;
  files.data_name = base + ".dat";
  files.script_name = base + ".gp";
  std::vector<Series> series;  // None without a numeric x axis.
  if (x.column.empty()) {
    files.data = PointData(vary, &t, out);
  } else {
    series = SeriesOf(x, vary, &t, out);
    files.data = LineData(x, series);
  }
  std::map<std::string, UslFit> fits;
  if (x.column == "workers") {
    for (const SeriesFit& f : FitSeries(t, vary)) fits[f.label] = f.fit;
  }
  std::map<std::string, double> capacities;
  if (x.column == "rate" && !x.share) capacities = Capacities(table, series);
  files.script = ScriptWriter(t, x, series, fits, capacities, files.data_name)
                     .Script(base, &files.images);
  return files;
}

Status WritePlots(const Table& table, OutputDir* dir,
                  const std::string& gnuplot, ReportOutput* out) {
  const PlotFiles files = MakePlots(table, out);
  // Names in the stage, where gnuplot runs.
  Status st = WriteFile(dir, files.data_name, files.data, out);
  if (!st.ok()) return st;
  for (const std::string& image : files.images) {
    out->files.push_back(dir->path() + "/" + image);
  }
  st = WriteFile(dir, files.script_name, files.script, out);
  if (!st.ok()) return st;
  return RunGnuplot(gnuplot, dir, files.script_name);
}

}  // namespace ctrbench
