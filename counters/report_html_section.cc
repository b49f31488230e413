// report.html's section of one table (scenario x strategy): its charts
// (declared below, each drawing GroupSummary statistics against the x axis
// the plots use), the increments/s table, the details with summary.csv's
// cells, the USL fits, the settings of each group, and the per-second
// series. Declared in counters/report_html.h.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "counters/csv.h"
#include "counters/metrics.h"
#include "counters/report_html.h"
#include "counters/report_plots.h"

namespace ctrbench {

namespace {

// How a chart's tooltips show a value: as the tables do.
enum class Unit { kRate, kMicros, kPlain, kShare };

std::string ValueText(double v, Unit unit) {
  switch (unit) {
    case Unit::kRate:
      return Rate(v) + "/s";
    case Unit::kMicros:
      return Fixed(v, 2) + " us";
    case Unit::kShare:
      return Fixed(100 * v, 2) + "%";
    case Unit::kPlain:
      break;
  }
  return Significant(v, 4);
}

// A line drawn for every series label.
struct ChartLine {
  const char* legend;  // After the series label ("": none).
  Stat GroupSummary::*stat;
};

// A chart of a table. One whose first line no group has a value for is
// left out, and so is an `unless_zero` one whose values are all 0.
struct ChartKind {
  const char* title;  // Of the y axis and, after the table's, the chart.
  Unit unit;
  bool log;          // A log y axis at first, when the values span 8x.
  bool fits;         // With each series' USL fit (against workers).
  bool unless_zero;
  std::vector<ChartLine> lines;
};

const std::vector<ChartKind>& ChartKinds() {
  using G = GroupSummary;
  // clang-format off
  static const std::vector<ChartKind>* kinds = new std::vector<ChartKind>{
      {"increments/s", Unit::kRate, true, true, false,
       {{"", &G::increments_per_s}}},
      {"p99 service time (us)", Unit::kMicros, true, false, false,
       {{"", &G::lat_p99_us}}},
      // The hockey stick: response time beside the service time.
      {"response time (us)", Unit::kMicros, true, false, false,
       {{" response p99", &G::resp_p99_us},
        {" response p50", &G::resp_p50_us},
        {" service p99", &G::lat_p99_us}}},
      {"achieved and offered rate (/s)", Unit::kRate, false, false, false,
       {{" achieved", &G::rate_achieved}, {" offered", &G::rate_offered}}},
      {"retries per 1,000 operations", Unit::kPlain, false, false, true,
       {{"", &G::retries_per_1k_ops}}},
      {"lost updates (share of increments)", Unit::kShare, false, false, true,
       {{"", &G::lost_share}}},
  };
  // clang-format on
  return *kinds;
}

bool Drawn(const ChartKind& kind, const std::vector<const GroupSummary*>& gs) {
  for (const GroupSummary* g : gs) {
    const Stat& s = g->*kind.lines[0].stat;
    if (s.present && std::isfinite(s.median) &&
        (!kind.unless_zero || s.median != 0)) {
      return true;
    }
  }
  return false;
}

// Adds a point to `points`: the group's median of `line` at `x`, with its
// whisker (the interval of the median for increments/s, else min and max
// over repetitions) and the tooltip's text. Nothing when it has no value
// (the chart library takes no null point).
void AddPoint(const GroupSummary& g, const ChartLine& line, Unit unit,
              const nlohmann::json& x, nlohmann::json* points) {
  const Stat& s = g.*line.stat;
  if (!s.present || !std::isfinite(s.median)) return;
  nlohmann::json p = {{"x", x}, {"y", s.median}};
  std::string tip = ValueText(s.median, unit);
  const Interval& interval = g.increments_interval;
  if (line.stat == &GroupSummary::increments_per_s && interval.present) {
    p["lo"] = interval.lo;
    p["hi"] = interval.hi;
    tip += ", interval of the median " + IntervalCell(g);
  } else if (g.repetitions > 1) {
    p["lo"] = s.min;
    p["hi"] = s.max;
    tip += ", min " + ValueText(s.min, unit) + ", max " +
           ValueText(s.max, unit);
  }
  tip += " (" + std::to_string(g.repetitions) + " repetition" +
         (g.repetitions == 1 ? "" : "s") + ")";
  if (!g.all_verified) tip += "; a run failed verification";
  p["tip"] = tip;
  points->push_back(std::move(p));
}

// A table's groups by series label, each sorted along the x axis, within
// kMaxSeries series of kMaxPoints points; *left_out says what was not
// drawn.
struct LabelSeries {
  std::string label;
  std::vector<const GroupSummary*> groups;
};

std::vector<LabelSeries> SeriesByLabel(const Table& t, const XAxis& x,
                                       const std::set<std::string>& vary,
                                       std::string* left_out) {
  std::vector<LabelSeries> series;
  std::map<std::string, size_t> index;
  for (const GroupSummary* g : t.groups) {
    const std::string label = Label(*g, vary);
    auto [it, added] = index.emplace(label, series.size());
    if (added) series.push_back({label, {}});
    series[it->second].groups.push_back(g);
  }
  if (series.size() > kMaxSeries) {
    *left_out += "Drawn: the first " + std::to_string(kMaxSeries) + " of " +
                 std::to_string(series.size()) +
                 " series (the tables have them all). ";
    series.resize(kMaxSeries);
  }
  for (LabelSeries& s : series) {
    std::sort(s.groups.begin(), s.groups.end(),
              [&x](const GroupSummary* a, const GroupSummary* b) {
                return AxisValue(a, x.column) < AxisValue(b, x.column);
              });
    if (s.groups.size() > kMaxPoints) {
      *left_out += s.label + ": drawn the " + std::to_string(kMaxPoints) +
                   " smallest of " + std::to_string(s.groups.size()) + " " +
                   x.column + " values. ";
      s.groups.resize(kMaxPoints);
    }
  }
  return series;
}

// The labels of categories, made distinct: the chart library puts points
// of one label on one category.
nlohmann::json DistinctLabels(const std::vector<std::string>& labels) {
  nlohmann::json out = nlohmann::json::array();
  std::map<std::string, int> seen;
  for (const std::string& label : labels) {
    const int n = ++seen[label];
    out.push_back(n == 1 ? label : label + " (" + std::to_string(n) + ")");
  }
  return out;
}

}  // namespace

// Whether a log y axis suits the medians of `lines` (they span 8x).
bool SpansDecade(const nlohmann::json& lines) {
  double lo = INFINITY, hi = 0;
  for (const nlohmann::json& line : lines) {
    for (const nlohmann::json& p : line["points"]) {
      const double y = p["y"].get<double>();
      if (y > 0) lo = std::min(lo, y);
      hi = std::max(hi, y);
    }
  }
  return lo > 0 && hi / lo >= 8;
}

void AddIncrementsPoint(const GroupSummary& g, const nlohmann::json& x,
                        nlohmann::json* points) {
  AddPoint(g, {"", &GroupSummary::increments_per_s}, Unit::kRate, x, points);
}

namespace {

// Whether results column `column` holds integers (workers, keys): its axis
// has no tick between two of them.
bool IntegerColumn(const std::string& column) {
  const Column* c = FindColumn(column);
  return c != nullptr && c->type == Cell::Type::kInt;
}

// What the charts of a table share: their axis and series.
struct TableCharts {
  const Table* table;
  XAxis x;
  std::set<std::string> vary;  // Without the x axis.
  std::vector<LabelSeries> series;
  std::vector<const GroupSummary*> bars;  // Without an x axis: a category
                                          // per group.
  std::vector<const GroupSummary*> shown;  // Every group drawn.
  std::map<std::string, SeriesFit> fits;  // By label; against workers.
  std::string left_out;
};

TableCharts ChartsOf(const Table& table) {
  TableCharts c;
  c.table = &table;
  c.x = ChooseX(table, VaryingColumns(table));
  const Table on_axis = OnAxis(table, c.x);
  c.vary = VaryingColumns(on_axis);
  c.vary.erase(c.x.column);
  if (c.x.column.empty()) {
    c.bars = on_axis.groups;
    if (c.bars.size() > kMaxBars) {
      c.left_out = "Drawn: the first " + std::to_string(kMaxBars) + " of " +
                   std::to_string(c.bars.size()) +
                   " groups (the tables have them all). ";
      c.bars.resize(kMaxBars);
    }
    c.shown = c.bars;
  } else {
    c.series = SeriesByLabel(on_axis, c.x, c.vary, &c.left_out);
    for (const LabelSeries& s : c.series) {
      c.shown.insert(c.shown.end(), s.groups.begin(), s.groups.end());
    }
  }
  if (c.x.column == "workers") {
    for (const SeriesFit& f : FitSeries(on_axis, c.vary)) {
      c.fits[f.label] = f;
    }
  }
  return c;
}

// The data of one chart for the page's script (counters/report_html_
// script.cc reads it): its axes, then per series its lines of points and
// its fit.
nlohmann::json ChartSpec(const TableCharts& c, const ChartKind& kind,
                         const std::string& id) {
  nlohmann::json series = nlohmann::json::array();
  nlohmann::json labels = nlohmann::json::array();
  nlohmann::json all_lines = nlohmann::json::array();
  if (c.x.column.empty()) {
    // A category per group; a series per line of the chart.
    std::vector<std::string> names;
    for (const GroupSummary* g : c.bars) names.push_back(Label(*g, c.vary));
    labels = DistinctLabels(names);
    for (const ChartLine& line : kind.lines) {
      nlohmann::json points = nlohmann::json::array();
      for (size_t i = 0; i < c.bars.size(); ++i) {
        AddPoint(*c.bars[i], line, kind.unit, labels[i], &points);
      }
      const std::string legend = *line.legend ? line.legend + 1 : kind.title;
      nlohmann::json l = {{"label", legend}, {"points", std::move(points)}};
      all_lines.push_back(l);
      series.push_back({{"lines", nlohmann::json::array({l})}});
    }
  } else {
    for (const LabelSeries& s : c.series) {
      nlohmann::json lines = nlohmann::json::array();
      for (const ChartLine& line : kind.lines) {
        nlohmann::json points = nlohmann::json::array();
        for (const GroupSummary* g : s.groups) {
          AddPoint(*g, line, kind.unit, AxisValue(g, c.x.column), &points);
        }
        lines.push_back(
            {{"label", s.label + line.legend}, {"points", std::move(points)}});
        all_lines.push_back(lines.back());
      }
      nlohmann::json one = {{"lines", std::move(lines)}};
      auto fit = c.fits.find(s.label);
      if (kind.fits && fit != c.fits.end()) {
        const UslFit& f = fit->second.fit;
        one["fit"] = {{"label", s.label + " (USL fit)"},
                      {"lambda", f.lambda}, {"sigma", f.sigma},
                      {"kappa", f.kappa}, {"from", 1},
                      {"to", fit->second.max_workers}};
      }
      series.push_back(std::move(one));
    }
  }
  return {{"id", id},
          {"title", c.table->scenario + " / " + c.table->strategy + ": " +
                        kind.title},
          {"x",
           {{"kind", c.x.column.empty() ? "category" : "linear"},
            {"title", c.x.title},
            {"log", c.x.log},
            // Workers, keys: no tick between two of them (no "1.5").
            {"integer", IntegerColumn(c.x.column)},
            {"labels", std::move(labels)}}},
          {"y", {{"title", kind.title}, {"log", kind.log && SpansDecade(all_lines)}}},
          {"series", std::move(series)}};
}

// The canvas of a chart, with buttons that switch its axes between log
// and linear (the script names them).
std::string Figure(const std::string& id, bool x_toggle,
                   const std::string& caption) {
  auto button = [&id](const char* axis) {
    return std::string("<button type=\"button\" data-chart=\"") + id +
           "\" data-axis=\"" + axis + "\">" + axis + "</button>";
  };
  return "<figure class=\"chart\"><div class=\"controls\">" +
         (x_toggle ? button("x") + " " : std::string()) + button("y") +
         "</div><div class=\"box\"><canvas id=\"" + id +
         "\"></canvas></div>" +
         (caption.empty() ? "" : "<figcaption>" + HtmlText(caption) +
                                      "</figcaption>") +
         "</figure>\n";
}

constexpr char kWhiskers[] =
    "Points are medians over repetitions; whiskers show the interval of the "
    "median for increments/s and the min and max over repetitions for the "
    "rest. Hover for the values; click a legend entry to hide its series.";

std::string Charts(const Table& t, PageData* data) {
  const TableCharts c = ChartsOf(t);
  std::string html = "<div class=\"charts\">\n";
  for (const ChartKind& kind : ChartKinds()) {
    if (!Drawn(kind, c.shown)) continue;
    const std::string id = "chart-" + std::to_string(data->canvases++);
    data->charts.push_back(ChartSpec(c, kind, id));
    std::string caption = kind.fits && !c.fits.empty()
                              ? "Thin dashed lines: the USL fits. "
                              : "";
    html += Figure(id, !c.x.column.empty(), caption + c.left_out);
  }
  return html + "</div>\n<p class=\"hint\">" + kWhiskers + "</p>\n";
}

// A group in a table of its own: "inproc, 2 workers".
std::string GroupName(const GroupSummary& g, const std::set<std::string>& vary) {
  const std::string& workers = g.key.at("workers");
  return Label(g, vary) + ", " + workers +
         (workers == "1" ? " worker" : " workers");
}

// A row of cells of a table; `head` for the first as a header cell.
std::string Cells(const std::vector<std::string>& cells, bool head) {
  std::string row = "<tr>";
  for (size_t i = 0; i < cells.size(); ++i) {
    const char* tag = head && i == 0 ? "th" : "td";
    row += std::string("<") + tag + ">" + HtmlText(cells[i]) + "</" + tag + ">";
  }
  return row + "</tr>\n";
}

std::string HeaderRow(const std::vector<std::string>& names) {
  std::string row = "<thead><tr>";
  for (const std::string& n : names) row += "<th>" + HtmlText(n) + "</th>";
  return row + "</tr></thead>\n";
}

// The median increments/s: a row per series label, a column per worker
// count (as summary.md's first table), the interval on hover.
std::string IncrementsTable(const Table& t, const std::set<std::string>& vary) {
  std::set<int> worker_set;
  for (const GroupSummary* g : t.groups) worker_set.insert(g->workers());
  std::vector<std::string> header = {"increments/s"};
  for (int w : worker_set) header.push_back(std::to_string(w));
  std::vector<std::string> order;
  std::map<std::string, std::map<int, const GroupSummary*>> rows;
  for (const GroupSummary* g : t.groups) {
    const std::string label = Label(*g, vary);
    if (!rows.count(label)) order.push_back(label);
    rows[label][g->workers()] = g;
  }
  std::string html = "<table class=\"matrix\">" + HeaderRow(header) + "<tbody>";
  for (const std::string& label : order) {
    html += "<tr><th>" + HtmlText(label) + "</th>";
    for (int w : worker_set) {
      auto it = rows[label].find(w);
      if (it == rows[label].end() || !it->second->increments_per_s.present) {
        html += "<td></td>";
        continue;
      }
      const GroupSummary& g = *it->second;
      html += "<td title=\"" + HtmlText(IntervalCell(g)) + "\">" +
              HtmlText(Rate(g.increments_per_s.median)) +
              (g.all_verified ? "" : " (!)") + "</td>";
    }
    html += "</tr>\n";
  }
  return html + "</tbody></table>\n";
}

// Every group's summary.csv cells (the columns some group of the table
// has), each marked with its column and each row with its row in
// summary.csv (1: the first after the header).
std::string DetailsTable(const Table& t, const std::set<std::string>& vary,
                         const std::vector<GroupSummary>& groups) {
  std::vector<const SummaryColumn*> shown;
  for (const SummaryColumn& c : SummaryColumns()) {
    for (const GroupSummary* g : t.groups) {
      if (!c.cell(*g).empty()) {
        shown.push_back(&c);
        break;
      }
    }
  }
  std::vector<std::string> header = {"group", "workers"};
  for (const SummaryColumn* c : shown) header.push_back(c->name);
  std::string html = "<div class=\"wide\"><table class=\"details\">" +
                     HeaderRow(header) + "<tbody>";
  for (const GroupSummary* g : t.groups) {
    const size_t row = static_cast<size_t>(g - groups.data()) + 1;
    html += "<tr data-row=\"" + std::to_string(row) + "\"><th>" +
            HtmlText(Label(*g, vary)) + "</th><td data-column=\"workers\">" +
            HtmlText(g->key.at("workers")) + "</td>";
    for (const SummaryColumn* c : shown) {
      html += std::string("<td data-column=\"") + c->name + "\">" +
              HtmlText(c->cell(*g)) + "</td>";
    }
    html += "</tr>\n";
  }
  return html + "</tbody></table></div>\n";
}

// The USL fits, with summary.md's numbers.
std::string FitsTable(const Table& t, const std::set<std::string>& vary) {
  const std::vector<SeriesFit> fits = FitSeries(t, vary);
  if (fits.empty()) return "";
  std::string html =
      "<h3>Scalability</h3>\n<p>Universal Scalability Law, X(N) = lambda N "
      "/ (1 + sigma (N - 1) + kappa N (N - 1)), fitted to every repetition; "
      "sigma is contention, kappa coherency; with R<sup>2</sup> below about "
      "0.9 the law does not describe the series.</p>\n<table>" +
      HeaderRow({"series", "worker counts", "lambda (/s)",
                 "sigma (contention)", "kappa (coherency)", "peak N",
                 "peak X (/s)", "R^2"}) +
      "<tbody>";
  for (const SeriesFit& f : fits) {
    html += Cells({f.label, std::to_string(f.worker_counts),
                   Rate(f.fit.lambda), Significant(f.fit.sigma, 3),
                   Significant(f.fit.kappa, 3), Number(f.fit.peak_n, 1),
                   std::isfinite(f.fit.peak_x) ? Rate(f.fit.peak_x) : "inf",
                   Fixed(f.fit.r_squared, 3)},
                  true);
  }
  return html + "</tbody></table>\n";
}

// Each group's settings: those every group of the table shares once, the
// others in a table, a row per group.
std::string SettingsTable(const Table& t, const std::set<std::string>& vary) {
  std::vector<std::string> varying;
  std::string common;
  for (const std::string& c : GroupColumns()) {
    if (c == "scenario" || c == "strategy") continue;
    std::set<std::string> values;
    for (const GroupSummary* g : t.groups) values.insert(g->key.at(c));
    if (values.size() > 1) {
      varying.push_back(c);
    } else if (!values.begin()->empty()) {
      common += "<dt>" + HtmlText(c) + "</dt><dd>" +
                HtmlText(*values.begin()) + "</dd>";
    }
  }
  std::string html = "<h3>Settings</h3>\n";
  if (!common.empty()) {
    html += "<p>Every group here:</p><dl class=\"settings\">" + common +
            "</dl>\n";
  }
  if (varying.empty()) return html;
  std::vector<std::string> header = {"group"};
  header.insert(header.end(), varying.begin(), varying.end());
  html += "<div class=\"wide\"><table class=\"settings\">" +
          HeaderRow(header) + "<tbody>";
  for (const GroupSummary* g : t.groups) {
    std::vector<std::string> cells = {GroupName(*g, vary)};
    for (const std::string& c : varying) cells.push_back(g->key.at(c));
    html += Cells(cells, true);
  }
  return html + "</tbody></table></div>\n";
}

// A number of a series for the page: NaN (unknown) is null.
nlohmann::json Num(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

// The per-second series of the table's runs: a chart that shows one group
// at a time (a line per repetition), and its data.
std::string SeriesChart(const Table& t, const std::set<std::string>& vary,
                        const RunSeries& runs, bool charts, PageData* data) {
  nlohmann::json groups = nlohmann::json::array();
  for (const GroupSummary* g : t.groups) {
    const std::vector<RunSeriesPoints>* of = runs.Of(g->key);
    if (of == nullptr) continue;
    nlohmann::json group_runs = nlohmann::json::array();
    for (const RunSeriesPoints& run : *of) {
      nlohmann::json r = {{"name", run.name}, {"merged", run.merged}};
      for (const char* k : {"t", "ops", "inc", "p50", "p99"}) {
        r[k] = nlohmann::json::array();
      }
      // Load phases, shaded behind the lines: a span per phase.
      r["phases"] = nlohmann::json::array();
      for (const SeriesSample& s : run.points) {
        if (s.stage < 0) continue;
        nlohmann::json& spans = r["phases"];
        if (!spans.empty() && spans.back()["phase"] == s.stage) {
          spans.back()["to"] = Num(s.end_s);
        } else {
          spans.push_back(
              {{"phase", s.stage}, {"from", Num(s.start_s)}, {"to", Num(s.end_s)}});
        }
      }
      for (const SeriesSample& s : run.points) {
        r["t"].push_back(Num((s.start_s + s.end_s) / 2));
        r["ops"].push_back(Num(s.ops_per_s));
        r["inc"].push_back(Num(s.increments_per_s));
        r["p50"].push_back(Num(s.p50_us));
        r["p99"].push_back(Num(s.p99_us));
      }
      group_runs.push_back(std::move(r));
    }
    groups.push_back(
        {{"label", GroupName(*g, vary)}, {"runs", std::move(group_runs)}});
  }
  std::string html = "<h3>Per-second series</h3>\n";
  if (groups.empty()) {
    return html + "<p>No per-second series: they come from JSON Lines "
                  "files (<code>ctrbench run --json FILE</code>).</p>\n";
  }
  if (!charts) return html + "<p>Drawn where charts are.</p>\n";
  const std::string id = "chart-" + std::to_string(data->canvases++);
  data->series.push_back({{"id", id}, {"groups", std::move(groups)}});
  return html +
         "<figure class=\"chart series\"><div class=\"controls\"><label>group "
         "<select data-series=\"" + id + "\" data-pick=\"group\"></select>"
         "</label> <label>show <select data-series=\"" + id +
         "\" data-pick=\"metric\"><option value=\"inc\">increments/s</option>"
         "<option value=\"ops\">operations/s</option><option value=\"p50\">"
         "p50 service time (us)</option><option value=\"p99\">p99 service "
         "time (us)</option></select></label> <button type=\"button\" "
         "data-chart=\"" + id + "\" data-axis=\"y\">y</button></div><div "
         "class=\"box\"><canvas id=\"" + id + "\"></canvas></div>"
         "<figcaption>A line per repetition, a point per interval (at its "
         "middle). A run of more than " + std::to_string(kMaxRunSeriesPoints) +
         " intervals is drawn with several per point: the rate over them, "
         "the median of their p50 and the largest of their p99."
         "</figcaption></figure>\n";
}

}  // namespace

std::string TableSection(const Table& t, size_t index,
                         const std::vector<GroupSummary>& groups,
                         const RunSeries& series, bool charts, size_t rows,
                         PageData* data) {
  const std::set<std::string> vary = VaryingColumns(t);
  std::string html = "<section id=\"t" + std::to_string(index) + "\">\n<h2>" +
                     HtmlText(t.scenario + " / " + t.strategy) + "</h2>\n";
  if (charts) html += Charts(t, data);
  Table shown = t;  // In the tables.
  if (shown.groups.size() > rows) {
    shown.groups.resize(rows);
    html += "<p class=\"note\">The tables below hold the first " +
            std::to_string(rows) + " of " + std::to_string(t.groups.size()) +
            " groups; summary.md and summary.csv have them all.</p>\n";
  }
  const std::string cpu = CpuNote(t);
  html += "<h3>Increments/s</h3>\n" + IncrementsTable(shown, vary) +
          (cpu.empty() ? "" : "<p class=\"note\">" + HtmlText(cpu) + "</p>\n") +
          "<h3>Details</h3>\n<p>summary.csv's cells; (!) above marks a group "
          "with a run that failed verification.</p>\n" +
          DetailsTable(shown, vary, groups) + FitsTable(t, vary) +
          SettingsTable(shown, vary) + SeriesChart(t, vary, series, charts, data);
  return html + "</section>\n";
}

}  // namespace ctrbench
