// The gnuplot scripts and data that `report` writes, read as text (no
// gnuplot needed): each plot answers one question, with at most
// kMaxSeriesPerPanel series to a panel, fits unlike the data, the spread
// of repetitions, goodput with the lost updates marked, points for one
// worker count, and the hockey stick with the capacity marked.

#include "counters/report_plots.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "counters/report.h"
#include "counters/report_tables.h"

namespace ctrbench {
namespace {

// A results row as report reads it; `set` overrides the defaults.
ResultRow MakeRow(const std::map<std::string, std::string>& set) {
  ResultRow r;
  r.source = "test";
  r.fields = {{"schema_version", "2"},
              {"scenario", "s"},
              {"backend", "inproc"},
              {"strategy", "atomic"},
              {"mode", "threads"},
              {"workers", "1"},
              {"keys", "1"},
              {"distribution", "uniform"},
              {"batch", "1"},
              {"shards", "1"},
              {"read_fraction", "0.000"},
              {"hold_us", "0.000"},
              {"think_us", "0.000"},
              {"backend_options", ""},
              {"ops", "1000"},
              {"retries", "0"},
              {"lock_wait_us", "0"},
              {"duration_s", "1.0"},
              {"lost_updates", "0"},
              {"fairness", "1.0"},
              {"verified", "true"},
              {"lat_p50_us", "1.0"},
              {"lat_p99_us", "2.0"},
              {"expected_total", "1000"},
              {"increments_per_s", "100"}};
  for (const auto& [k, v] : set) r.fields[k] = v;
  return r;
}

// The plots of the first table (scenario x strategy) of `rows`.
struct Plotted {
  std::vector<GroupSummary> groups;
  PlotFiles files;
  ReportOutput out;
};

void PlotRows(const std::vector<ResultRow>& rows, Plotted* p) {
  p->groups = Summarize(rows);
  const std::vector<Table> tables = Tables(p->groups);
  ASSERT_FALSE(tables.empty());
  p->files = MakePlots(tables[0], &p->out);
}

// The commands that make image `name`.
std::string ImageScript(const PlotFiles& files, const std::string& name) {
  const size_t start = files.script.find("set output '" + name + "'");
  if (start == std::string::npos) return "";
  const size_t end = files.script.find("unset multiplot", start);
  return files.script.substr(start, end - start);
}

// The lines of `text` that start with `prefix`.
std::vector<std::string> LinesStarting(const std::string& text,
                                       const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  }
  return out;
}

// The terms of a plot command, split at the commas outside quotes and
// parentheses.
std::vector<std::string> Terms(const std::string& command) {
  std::vector<std::string> terms(1);
  bool quoted = false;
  int depth = 0;
  for (size_t i = command.rfind("plot ", 0) == 0 ? 5 : 0; i < command.size();
       ++i) {
    const char c = command[i];
    if (c == '\'') quoted = !quoted;
    if (!quoted && c == '(') ++depth;
    if (!quoted && c == ')') --depth;
    if (!quoted && depth == 0 && c == ',') {
      terms.emplace_back();
      continue;
    }
    terms.back() += c;
  }
  return terms;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The data blocks (series) a plot command draws.
std::set<int> Indexes(const std::string& command) {
  std::set<int> out;
  const std::regex index(" index (\\d+) ");
  for (std::sregex_iterator it(command.begin(), command.end(), index), end;
       it != end; ++it) {
    out.insert(std::stoi((*it)[1]));
  }
  return out;
}

// The number after `prefix` in `text` (NaN without one).
double NumberAfter(const std::string& text, const std::string& prefix) {
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return NAN;
  return std::strtod(text.c_str() + at + prefix.size(), nullptr);
}

// 18 series of 3 backends: panels of at most 8 series, a backend's
// together, each series in a colour of its own within its panel, with
// their intervals, and the key right of the data.
TEST(Plots, ManySeriesBecomePanelsOfAtMostEight) {
  std::vector<ResultRow> rows;
  const std::map<std::string, int> series = {
      {"postgres", 4}, {"sqlite", 8}, {"inproc", 6}};
  for (const auto& [backend, n] : series) {
    for (int keys = 1; keys <= n; ++keys) {
      for (int w : {1, 2, 4, 8}) {
        rows.push_back(
            MakeRow({{"backend", backend},
                     {"keys", std::to_string(keys)},
                     {"workers", std::to_string(w)},
                     {"increments_per_s", std::to_string(1000 * w + keys)}}));
      }
    }
  }
  Plotted p;
  PlotRows(rows, &p);
  const std::string image = ImageScript(p.files, "s-atomic-throughput.png");
  ASSERT_FALSE(image.empty()) << p.files.script;
  const std::vector<std::string> panels = LinesStarting(image, "plot ");
  ASSERT_EQ(panels.size(), 3u) << image;
  std::set<int> all;
  for (const std::string& panel : panels) {
    const std::set<int> shown = Indexes(panel);
    EXPECT_LE(shown.size(), kMaxSeriesPerPanel) << panel;
    all.insert(shown.begin(), shown.end());
    std::set<std::string> colours;
    for (const std::string& term : Terms(panel)) {
      if (!Has(term, "with yerrorlines")) continue;
      EXPECT_TRUE(Has(term, " lw 2 dt 1 ")) << term;
      const size_t at = term.find("lc rgb '");
      ASSERT_NE(at, std::string::npos) << term;
      colours.insert(term.substr(at, 16));
    }
    EXPECT_EQ(colours.size(), shown.size()) << panel;
  }
  EXPECT_EQ(all.size(), 18u);
  // Panels by backend, named in their titles; one x axis label, under
  // the last.
  for (const char* backend : {"inproc", "postgres", "sqlite"}) {
    EXPECT_TRUE(Has(image, std::string("set title '") + backend + "'"))
        << image;
  }
  EXPECT_EQ(LinesStarting(image, "set xlabel 'workers").size(), 1u) << image;
  // The key starts right of the panels' right edge: outside the data.
  EXPECT_GT(NumberAfter(image, "set key at screen "),
            NumberAfter(image, "set rmargin at screen "));
  // Shared axes: one y range for the image, set before its panels.
  EXPECT_EQ(LinesStarting(image, "set yrange ").size(), 1u);
  EXPECT_LT(image.find("set yrange "), image.find("plot "));
}

// The image is wide enough for its key: a long label (a backend option
// in every series' name) widens it, so that the key's titles, right of
// the panels, end inside the image.
TEST(Plots, TheKeyFitsInTheImage) {
  // Two series, told apart by an option `name` (1 or 2).
  auto width = [](const std::string& name) -> double {
    std::vector<ResultRow> rows;
    for (const char* value : {"1", "2"}) {
      for (int w : {1, 2, 4}) {
        rows.push_back(
            MakeRow({{"workers", std::to_string(w)},
                     {"backend_options", name + "=" + value},
                     {"increments_per_s", std::to_string(100 * w)}}));
      }
    }
    Plotted p;
    PlotRows(rows, &p);
    // The terminal is set just before the image's output file.
    const std::string& script = p.files.script;
    const size_t output = script.find("set output 's-atomic-throughput.png'");
    const std::string terminal = "set terminal pngcairo size ";
    const size_t at = script.rfind(terminal, output);
    if (output == std::string::npos || at == std::string::npos) return NAN;
    return NumberAfter(script.substr(at), terminal);
  };
  EXPECT_EQ(width("a"), 1400) << "the usual width";
  const std::string name(60, 'x');
  // What the key needs right of the panels (a third of the width): a
  // line sample, then 9.5 pixels for each character of "fit: " and the
  // label, which holds the option.
  EXPECT_GT(width(name) * (1 - 0.66), 70 + 9.5 * (name.size() + 7));
}

// USL fits are thin, dashed and named in the key; the data are thick,
// solid, with the interval of each median as error bars (the data file
// holds median, low, high).
TEST(Plots, FitsAreThinLabelledAndUnlikeTheData) {
  UslFit law;
  law.lambda = 100000;
  law.sigma = 0.1;
  law.kappa = 0.01;
  std::vector<ResultRow> rows;
  for (int n : {1, 2, 4, 8, 16}) {
    const double x = law.At(n);
    for (double f : {0.99, 1.0, 1.01}) {
      rows.push_back(MakeRow({{"workers", std::to_string(n)},
                              {"increments_per_s", std::to_string(x * f)}}));
    }
  }
  Plotted p;
  PlotRows(rows, &p);
  const std::string image = ImageScript(p.files, "s-atomic-throughput.svg");
  const std::vector<std::string> panels = LinesStarting(image, "plot ");
  ASSERT_EQ(panels.size(), 1u) << p.files.script;
  int fits = 0, data = 0;
  const std::regex bars("using 1:(\\d+):(\\d+):(\\d+) with yerrorlines");
  for (const std::string& term : Terms(panels[0])) {
    if (Has(term, "*x/(1+")) {
      ++fits;
      EXPECT_TRUE(Has(term, " lw 1 dt 2 ")) << term;
      EXPECT_TRUE(Has(term, "title 'fit: inproc'")) << term;
    } else {
      ++data;
      std::smatch m;
      ASSERT_TRUE(std::regex_search(term, m, bars)) << term;
      EXPECT_EQ(std::stoi(m[2]), std::stoi(m[1]) + 1);
      EXPECT_EQ(std::stoi(m[3]), std::stoi(m[1]) + 2);
      EXPECT_TRUE(Has(term, " lw 2 dt 1 ")) << term;
      EXPECT_FALSE(Has(term, "dt 2")) << term;
    }
  }
  EXPECT_EQ(fits, 1);
  EXPECT_EQ(data, 1);
  // One worker: median 100000 of 99000, 100000, 101000 (3 repetitions:
  // the interval is min to max), for goodput as for increments/s.
  EXPECT_TRUE(Has(p.files.data, "100000 99000 101000")) << p.files.data;
  EXPECT_TRUE(Has(image, "bars: the interval of the median")) << image;
  EXPECT_TRUE(Has(image, "thin dashed: USL fit")) << image;
  // Throughput spans less than two decades: a linear axis from 0.
  EXPECT_TRUE(Has(image, "unset logscale y\nset yrange [0:")) << image;
}

// Naive loses updates: the plot draws goodput, the increments
// acknowledged beside it (dotted, named), and each point's share lost.
TEST(Plots, GoodputWithTheLostUpdatesMarked) {
  std::vector<ResultRow> rows;
  for (int w : {1, 2, 4}) {
    rows.push_back(MakeRow({{"strategy", "naive"},
                            {"workers", std::to_string(w)},
                            {"increments_per_s", std::to_string(1000 * w)},
                            {"goodput_per_s", std::to_string(600 * w)},
                            {"expected_total", std::to_string(1000 * w)},
                            {"lost_updates", std::to_string(400 * w)}}));
  }
  Plotted p;
  PlotRows(rows, &p);
  const std::string image = ImageScript(p.files, "s-naive-throughput.png");
  ASSERT_FALSE(image.empty()) << p.files.script;
  EXPECT_TRUE(Has(image, "set ylabel 'goodput")) << image;
  bool acknowledged = false;
  for (const std::string& term : Terms(LinesStarting(image, "plot ")[0])) {
    if (Has(term, "title 'inproc: acknowledged'")) {
      acknowledged = true;
      EXPECT_TRUE(Has(term, " dt 3 ")) << term;
    }
  }
  EXPECT_TRUE(acknowledged) << image;
  // Each point's share lost, under it, in the series' colour.
  EXPECT_EQ(LinesStarting(image, "set label '40% lost' at first ").size(), 3u)
      << image;
  EXPECT_TRUE(Has(image, "set label '40% lost' at first 2, first 1200 "
                         "center tc rgb '"))
      << image;
  EXPECT_TRUE(Has(image, "front offset 0,-1\n")) << image;
  // 2 workers: goodput 1200 (one run: no interval), acknowledged 2000,
  // 40 % lost.
  EXPECT_TRUE(Has(p.files.data, "1200 1200 1200")) << p.files.data;
  EXPECT_TRUE(Has(p.files.data, "2000 2000 2000")) << p.files.data;
  EXPECT_TRUE(Has(p.files.data, "0.4 0.4 0.4")) << p.files.data;
  EXPECT_TRUE(Has(image, "one run a point")) << image;

  // A safe strategy loses nothing: nothing marked.
  rows.clear();
  for (int w : {1, 2})
    rows.push_back(MakeRow({{"workers", std::to_string(w)}}));
  Plotted safe;
  PlotRows(rows, &safe);
  EXPECT_FALSE(Has(safe.files.script, "acknowledged")) << safe.files.script;
  EXPECT_FALSE(Has(safe.files.script, "% lost")) << safe.files.script;
}

// Labels of points at one x that would overlap: the next goes over its
// point, and one that has no room either way is left out; at another x
// each has room under its point.
TEST(Plots, LabelsAtOneXDoNotOverlap) {
  const std::vector<LabelPlace> places =
      PlaceLabels({{2, 0.48}, {2, 0.50}, {2, 0.49}, {4, 0.49}, {2, 0.10}},
                  0.05);
  ASSERT_EQ(places.size(), 5u);
  EXPECT_EQ(places[1], LabelPlace::kBelow);    // The highest: its centre 0.45.
  EXPECT_EQ(places[2], LabelPlace::kAbove);    // 0.44 is taken: 0.54.
  EXPECT_EQ(places[0], LabelPlace::kLeftOut);  // 0.43 and 0.53 are taken.
  EXPECT_EQ(places[3], LabelPlace::kBelow);    // Another x.
  EXPECT_EQ(places[4], LabelPlace::kBelow);    // Far below the others.
}

// Rows without goodput that failed verification: the plot falls back to
// the increments acknowledged, under the same file name.
TEST(Plots, RowsWithoutGoodputDrawIncrements) {
  std::vector<ResultRow> rows;
  for (int w : {1, 2}) {
    rows.push_back(
        MakeRow({{"workers", std::to_string(w)}, {"verified", "false"}}));
  }
  Plotted p;
  PlotRows(rows, &p);
  const std::string image = ImageScript(p.files, "s-atomic-throughput.png");
  EXPECT_TRUE(Has(image, "set ylabel 'increments/s")) << p.files.script;
  int throughput = 0;
  for (const std::string& f : p.files.images) {
    throughput += f == "s-atomic-throughput.png";
  }
  EXPECT_EQ(throughput, 1);
}

// One worker count: a point per group with its interval, no bars; on a
// linear axis from 0 unless the values span decades.
TEST(Plots, OneWorkerCountIsPointsWithIntervals) {
  std::vector<ResultRow> rows;
  const std::map<std::string, double> rates = {
      {"inproc", 5000}, {"shm", 2000}, {"sqlite", 1000}};
  for (const auto& [backend, rate] : rates) {
    for (double f : {0.9, 1.0, 1.1}) {
      rows.push_back(MakeRow({{"backend", backend},
                              {"workers", "4"},
                              {"increments_per_s", std::to_string(rate * f)}}));
    }
  }
  Plotted p;
  PlotRows(rows, &p);
  const std::string image = ImageScript(p.files, "s-atomic-throughput.png");
  ASSERT_FALSE(image.empty()) << p.files.script;
  EXPECT_FALSE(Has(p.files.script, "boxes")) << p.files.script;
  EXPECT_TRUE(Has(image, ":xtic(1) with yerrorbars")) << image;
  EXPECT_TRUE(Has(image, "unset logscale y\nset yrange [0:")) << image;
  EXPECT_FALSE(Has(image, "\nset logscale y")) << image;
  EXPECT_TRUE(Has(p.files.data, "\"shm\" 2000 1800 2200")) << p.files.data;

  // Four decades apart: a log axis, still points.
  rows.push_back(MakeRow({{"backend", "manager"},
                          {"workers", "4"},
                          {"increments_per_s", "50000000"}}));
  Plotted wide;
  PlotRows(rows, &wide);
  const std::string log = ImageScript(wide.files, "s-atomic-throughput.png");
  EXPECT_TRUE(Has(log, "\nset logscale y\n")) << log;
  EXPECT_TRUE(Has(log, "with yerrorbars")) << log;
}

// Open loop at shares of capacity: response and service time against
// offered load, the capacity (100 %) marked.
TEST(Plots, OpenLoopShowsTheHockeyStickAndTheCapacity) {
  std::vector<ResultRow> rows = {MakeRow({{"increments_per_s", "10000"}})};
  for (const char* share : {"50%", "80%", "95%", "110%"}) {
    rows.push_back(MakeRow({{"rate", share},
                            {"arrival", "poisson"},
                            {"rate_achieved", "9000"},
                            {"resp_p50_us", "30"},
                            {"resp_p99_us", "900"},
                            {"lat_p99_us", "20"},
                            {"capacity_ops_s", "10000"}}));
  }
  Plotted p;
  PlotRows(rows, &p);
  const std::string image = ImageScript(p.files, "s-atomic-response.png");
  ASSERT_FALSE(image.empty()) << p.files.script;
  EXPECT_TRUE(
      Has(image, "set xlabel 'offered rate (% of closed-loop capacity)'"))
      << image;
  EXPECT_TRUE(Has(image,
                  "set arrow from first 100, graph 0 to first 100, "
                  "graph 1 nohead"))
      << image;
  EXPECT_TRUE(Has(image, "set label 'capacity (closed loop)' at first 100"))
      << image;
  // The x range holds the capacity (here within the shares swept).
  const size_t range = p.files.script.find("set xrange [");
  ASSERT_NE(range, std::string::npos);
  EXPECT_LT(NumberAfter(p.files.script, "set xrange ["), 50);
  EXPECT_GT(NumberAfter(p.files.script.substr(range), ":"), 110);
  int lines = 0;
  for (const std::string& term : Terms(LinesStarting(image, "plot ")[0])) {
    if (Has(term, "response p99'")) lines += Has(term, " dt 1 ");
    if (Has(term, "response p50'")) lines += Has(term, " dt 2 ");
    if (Has(term, "service p99'")) lines += Has(term, " dt 3 ");
  }
  EXPECT_EQ(lines, 3) << image;
  EXPECT_FALSE(ImageScript(p.files, "s-atomic-achieved.svg").empty());
}

// Open loop at absolute rates beside a closed-loop run: the capacity is
// that run's rate, marked in the series' colour.
TEST(Plots, OpenLoopAtAbsoluteRatesMarksTheClosedLoopRate) {
  std::vector<ResultRow> rows = {MakeRow({{"increments_per_s", "10000"}})};
  for (const char* rate : {"4000", "8000", "12000"}) {
    rows.push_back(MakeRow({{"rate", rate},
                            {"arrival", "constant"},
                            {"rate_achieved", rate},
                            {"resp_p50_us", "3"},
                            {"resp_p99_us", "9"}}));
  }
  Plotted p;
  PlotRows(rows, &p);
  const std::string image = ImageScript(p.files, "s-atomic-response.png");
  EXPECT_TRUE(Has(image, "set arrow from first 10000, graph 0")) << image;
  EXPECT_TRUE(Has(image, "set label 'capacity 10.0 k/s'")) << image;
  EXPECT_TRUE(Has(image, "set xlabel 'offered rate")) << image;

  // Without a closed-loop run there is no capacity to mark, and the title
  // says so.
  rows.erase(rows.begin());
  Plotted alone;
  PlotRows(rows, &alone);
  const std::string unmarked =
      ImageScript(alone.files, "s-atomic-response.png");
  EXPECT_FALSE(Has(unmarked, "\nset arrow")) << unmarked;
  EXPECT_TRUE(Has(unmarked, "capacity not marked")) << unmarked;
}

}  // namespace
}  // namespace ctrbench
