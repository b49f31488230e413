// report.html as report writes it: the page, its data and its escapes, the
// chart library (found, missing, or unfit), the per-second series it keeps
// and the comparison's page. tests/html_report_test.cc opens real pages
// in a browser.

#include "counters/report_html.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "counters/csv.h"
#include "counters/sink.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::ReadFile;
using testing_util::AddReps;
using testing_util::Row;
using testing_util::TempDir;
using testing_util::WriteCsv;

// A stand-in for Chart.js: the page inlines whatever the file holds.
std::string FakeChartJs(const TempDir& dir) {
  std::ofstream(dir.File("chart.js")) << "window.Chart = function Chart() {};\n";
  return dir.File("chart.js");
}

// The page's data element, parsed.
nlohmann::json DataOf(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const size_t at = html.find(open);
  if (at == std::string::npos) return nullptr;
  const size_t from = at + open.size();
  return nlohmann::json::parse(html.substr(from, html.find("</script>", from) - from));
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// A sweep over worker counts: a chart of increments/s with the USL fit and
// the interval of each median, one of p99; summary.csv's cells in the
// details, each row marked with its row of summary.csv.
TEST(ReportHtml, HoldsTheChartsTablesFitsAndSettings) {
  TempDir dir;
  UslFit law;
  law.lambda = 100000;
  law.sigma = 0.1;
  law.kappa = 0.01;
  std::vector<std::vector<std::string>> rows;
  for (const char* backend : {"inproc", "shm"}) {
    for (int n : {1, 2, 4, 8}) {
      const double x = law.At(n) * (backend[0] == 's' ? 2 : 1);
      AddReps(&rows, {{"backend", backend}, {"workers", std::to_string(n)}},
              {x * 0.99, x, x * 1.01});
    }
  }
  ReportOptions options;
  options.inputs = {WriteCsv(dir, "usl.csv", rows)};
  options.out_dir = dir.File("report");
  options.gnuplot = "";
  options.chart_js = FakeChartJs(dir);
  options.chart_js_required = true;
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(std::find(out->files.begin(), out->files.end(),
                      dir.File("report/report.html")),
            out->files.end());
  const std::string html = ReadFile(dir.File("report/report.html"));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("content=\"default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("window.Chart = function Chart() {};"), std::string::npos);
  EXPECT_NE(html.find("<pre id=\"errors\"></pre>"), std::string::npos);
  EXPECT_NE(html.find("data-charts-expected=\"2\""), std::string::npos);
  EXPECT_EQ(Count(html, "<canvas id="), 2u);

  const nlohmann::json data = DataOf(html);
  ASSERT_EQ(data["charts"].size(), 2u) << data.dump(1);
  const nlohmann::json& throughput = data["charts"][0];
  EXPECT_EQ(throughput["x"]["kind"], "linear");
  EXPECT_EQ(throughput["x"]["title"], "workers");
  EXPECT_EQ(throughput["x"]["log"], true);  // 1 to 8.
  ASSERT_EQ(throughput["series"].size(), 2u);
  const nlohmann::json& inproc = throughput["series"][0];
  EXPECT_EQ(inproc["lines"][0]["label"], "inproc");
  EXPECT_NEAR(inproc["fit"]["lambda"].get<double>(), 100000, 1000);
  EXPECT_EQ(inproc["fit"]["to"], 8);
  const nlohmann::json& first = inproc["lines"][0]["points"][0];
  EXPECT_EQ(first["x"], 1);
  EXPECT_DOUBLE_EQ(first["y"].get<double>(), law.At(1));
  EXPECT_DOUBLE_EQ(first["lo"].get<double>(), law.At(1) * 0.99);
  EXPECT_DOUBLE_EQ(first["hi"].get<double>(), law.At(1) * 1.01);
  EXPECT_NE(first["tip"].get<std::string>().find(
                "interval of the median [99.0 k, 101.0 k] 75%"),
            std::string::npos)
      << first["tip"];
  EXPECT_EQ(data["charts"][1]["y"]["title"], "p99 service time (us)");
  EXPECT_FALSE(data["charts"][1]["series"][0].contains("fit"));

  const auto summary = testing_util::ReadCsv(dir.File("report/summary.csv"));
  ASSERT_EQ(summary.size(), 1u + 8);
  for (size_t i = 1; i < summary.size(); ++i) {
    const std::string row = "<tr data-row=\"" + std::to_string(i) + "\">";
    const size_t at = html.find(row);
    ASSERT_NE(at, std::string::npos) << row;
    const std::string cells = html.substr(at, html.find("</tr>", at) - at);
    for (const char* column :
         {"repetitions", "increments_per_s_median", "lat_p99_us_median",
          "increments_per_s_lo", "ratio_to_fastest"}) {
      EXPECT_NE(cells.find(std::string("<td data-column=\"") + column + "\">" +
                           testing_util::Column(summary, i, column) + "</td>"),
                std::string::npos)
          << column << " in " << cells;
    }
  }
  EXPECT_NE(html.find("<h3>Scalability</h3>"), std::string::npos);
  EXPECT_NE(html.find("<dt>distribution</dt><dd>uniform</dd>"),
            std::string::npos);
  EXPECT_NE(html.find("No per-second series"), std::string::npos);
}

// Text of a results file reaches the page as text: it cannot close the
// data's script element, open a comment or make an element.
TEST(ReportHtml, TextFromResultsCannotEndItsElements) {
  TempDir dir;
  const std::string evil = "s</script><img src=x onerror=alert(1)><!--";
  std::vector<std::vector<std::string>> rows;
  AddReps(&rows, {{"scenario", evil}, {"backend", "a&b\"c'd"},
                  {"backend_options", "k=</SCRIPT>"}},
          {100, 110});
  ReportOptions options;
  options.inputs = {WriteCsv(dir, "evil.csv", rows)};
  options.out_dir = dir.File("report");
  options.gnuplot = "";
  options.chart_js = FakeChartJs(dir);
  ASSERT_TRUE(WriteReport(options).ok());
  const std::string html = ReadFile(dir.File("report/report.html"));
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  EXPECT_EQ(html.find("</SCRIPT>"), std::string::npos);
  // The capture of errors, the data, the library and the script.
  EXPECT_EQ(Count(html, "</script>"), 4u);
  EXPECT_NE(html.find("s&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
                      "&lt;!-- / atomic"),
            std::string::npos);
  EXPECT_NE(html.find("a&amp;b&quot;c&#39;d"), std::string::npos);
  EXPECT_NE(html.find("s\\u003c/script\\u003e\\u003cimg"), std::string::npos);
  const nlohmann::json data = DataOf(html);
  ASSERT_FALSE(data.is_null());
  EXPECT_EQ(data["charts"][0]["title"], evil + " / atomic: increments/s");
}

// Without the library report.html has the tables and says why there are
// no charts; report's note says what to install.
TEST(ReportHtml, WithoutTheLibraryThePageHasTablesAndSaysWhy) {
  TempDir dir;
  std::vector<std::vector<std::string>> rows;
  AddReps(&rows, {}, {100, 110});
  ReportOptions options;
  options.inputs = {WriteCsv(dir, "in.csv", rows)};
  options.out_dir = dir.File("report");
  options.gnuplot = "";
  options.chart_js = dir.File("none.js");
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string why = "no charts, only tables: Chart.js " +
                          dir.File("none.js") +
                          ": no such file (install the Debian package "
                          "libjs-chart.js, or give --chart-js FILE)";
  EXPECT_NE(out->note.find("report.html: " + why), std::string::npos)
      << out->note;
  const std::string html = ReadFile(dir.File("report/report.html"));
  EXPECT_NE(html.find(HtmlText(why)), std::string::npos);
  EXPECT_NE(html.find("data-charts-expected=\"0\" data-charts-rendered=\"0\""),
            std::string::npos);
  EXPECT_EQ(html.find("<canvas"), std::string::npos);
  EXPECT_EQ(html.find("report-data"), std::string::npos);
  EXPECT_NE(html.find("<tr data-row=\"1\">"), std::string::npos);
}

// A library the user named (--chart-js) must be there and fit to inline:
// otherwise an error before anything is read or written.
TEST(ReportHtml, ALibraryTheUserNamedMustDo) {
  TempDir dir;
  std::ofstream(dir.File("empty.js")).flush();
  std::ofstream(dir.File("ends.js")) << "var Chart = '</SCRIPT>';";
  std::ofstream(dir.File("comment.js")) << "var Chart = '<!--';";
  std::ofstream(dir.File("other.js")) << "var x = 1;";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {dir.File("none.js"), "no such file"},
      {dir.path(), "a directory"},
      {dir.File("empty.js"), "empty"},
      {dir.File("ends.js"), "holds \"</script\" or \"<!--\""},
      {dir.File("comment.js"), "holds \"</script\" or \"<!--\""},
      {dir.File("other.js"), "does not look like Chart.js"},
  };
  std::vector<std::vector<std::string>> rows;
  AddReps(&rows, {}, {100});
  for (const auto& [path, why] : cases) {
    ReportOptions options;
    options.inputs = {WriteCsv(dir, "in.csv", rows)};
    options.out_dir = dir.File("out");
    options.chart_js = path;
    options.chart_js_required = true;
    Result<ReportOutput> out = WriteReport(options);
    ASSERT_FALSE(out.ok()) << path;
    EXPECT_TRUE(out.status().IsInvalidArgument());
    EXPECT_EQ(out.status().message().rfind("--chart-js " + path + ": " + why, 0),
              0u)
        << out.status().message();
    EXPECT_NE(out.status().message().find(
                  "; allowed: a Chart.js 3 or 4 build to inline in "
                  "report.html, such as " +
                  std::string(kDefaultChartJs)),
              std::string::npos)
        << out.status().message();
    EXPECT_NE(access(dir.File("out").c_str(), F_OK), 0) << "nothing written";
    Result<ChartLibrary> quiet = LoadChartLibrary(path, false);
    ASSERT_TRUE(quiet.ok());
    EXPECT_TRUE(quiet->source.empty());
    EXPECT_NE(quiet->why_not.find(path + ": " + why), std::string::npos)
        << quiet->why_not;
  }
  Result<ChartLibrary> fine = LoadChartLibrary(FakeChartJs(dir), true);
  ASSERT_TRUE(fine.ok()) << fine.status().ToString();
  EXPECT_EQ(fine->why_not, "");
  EXPECT_NE(fine->source.find("Chart"), std::string::npos);
}

// The page's tables hold at most kMaxHtmlGroups groups (a browser would
// not show more), its charts as many points as the plots; the page and
// the note say so.
TEST(ReportHtml, HoldsABoundedNumberOfGroups) {
  TempDir dir;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < kMaxHtmlGroups + 3; ++i) {
    rows.push_back(Row({{"keys", std::to_string(i + 1)}}));
  }
  ReportOptions options;
  options.inputs = {WriteCsv(dir, "many.csv", rows)};
  options.out_dir = dir.File("report");
  options.gnuplot = "";
  options.chart_js = FakeChartJs(dir);
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(out->note.find("report.html: the tables of the first 5000 of "
                           "5003 groups, in 1 of 1 tables"),
            std::string::npos)
      << out->note;
  const std::string html = ReadFile(dir.File("report/report.html"));
  EXPECT_EQ(Count(html, "<tr data-row="), kMaxHtmlGroups);
  EXPECT_NE(html.find("hold the first 5000 of 5003 groups"), std::string::npos);
  const nlohmann::json data = DataOf(html);
  const nlohmann::json& points = data["charts"][0]["series"][0]["lines"][0]["points"];
  EXPECT_EQ(points.size(), kMaxPoints);
  EXPECT_EQ(data["charts"][0]["x"]["title"], "keys");
}

// A row whose group keys are all "x", with a series of `n` intervals of
// 10 ms: 100/s for the first half, 300/s after; p50 i, p99 2i.
ResultRow SeriesRow(size_t n) {
  ResultRow row;
  row.source = "r.jsonl:1";
  for (const std::string& c : GroupColumns()) row.fields[c] = "x";
  auto series = std::make_shared<std::vector<SeriesSample>>();
  for (size_t i = 0; i < n; ++i) {
    SeriesSample s;
    s.start_s = i * 0.01;
    s.end_s = (i + 1) * 0.01;
    s.ops_per_s = s.increments_per_s = i < n / 2 ? 100 : 300;
    s.p50_us = static_cast<double>(i);
    s.p99_us = 2.0 * i;
    series->push_back(s);
  }
  row.series = std::move(series);
  return row;
}

// A long series is drawn with several intervals a point (the rate over
// them, the median p50, the largest p99); past the page's budget whole
// runs are left out, and counted.
TEST(ReportHtml, KeepsABoundedPerSecondSeries) {
  const ResultRow row = SeriesRow(1200);
  RunSeries runs;
  runs.Add(row);
  const std::vector<RunSeriesPoints>* of = runs.Of(row.fields);
  ASSERT_NE(of, nullptr);
  ASSERT_EQ(of->size(), 1u);
  const RunSeriesPoints& run = (*of)[0];
  EXPECT_EQ(run.name, "repetition 1 (r.jsonl:1)");
  EXPECT_EQ(run.merged, 3);
  ASSERT_EQ(run.points.size(), 400u);
  EXPECT_DOUBLE_EQ(run.points[0].start_s, 0);
  EXPECT_NEAR(run.points[0].end_s, 0.03, 1e-12);
  EXPECT_NEAR(run.points[0].ops_per_s, 100, 1e-9);
  EXPECT_DOUBLE_EQ(run.points[0].p50_us, 1);
  EXPECT_DOUBLE_EQ(run.points[0].p99_us, 4);
  EXPECT_NEAR(run.points[200].increments_per_s, 300, 1e-9);

  ResultRow csv_row = row;
  csv_row.series = nullptr;
  runs.Add(csv_row);
  EXPECT_EQ(runs.runs_without(), 1u);

  for (size_t i = 0; i < kMaxSeriesPoints / 400 + 2; ++i) runs.Add(row);
  EXPECT_EQ(runs.runs_kept(), kMaxSeriesPoints / 400);
  EXPECT_EQ(runs.runs_left_out(), 3u);
  EXPECT_EQ(runs.Of(row.fields)->size(), runs.runs_kept());
  ResultRow other = row;
  other.fields["keys"] = "y";
  EXPECT_EQ(runs.Of(other.fields), nullptr);
}

// A JSON Lines record of the contract's columns and `series`.
std::string JsonRecord(const nlohmann::json& series) {
  nlohmann::json record = nlohmann::json::object();
  const std::vector<std::string> values = Row({});
  for (size_t i = 0; i < CsvHeader().size(); ++i) {
    record[CsvHeader()[i]] = values[i];
  }
  record["series"] = series;
  return record.dump() + "\n";
}

// ctrbench's JSON Lines: each run's series in interval records of their
// own before its run record. Intervals of a run with no record (it was
// interrupted) are passed over; a run of more than kMaxReadIntervals
// intervals is read with neighbours merged, its whole time kept; a
// malformed interval record is refused with its line.
TEST(ReportHtml, ReadsTheSeriesFromIntervalRecords) {
  TempDir dir;
  auto interval = [](const std::string& id, int k) {
    const nlohmann::json r = {
        {"type", "interval"}, {"run_id", id},        {"index", k},
        {"start_s", 0.1 * k}, {"end_s", 0.1 * (k + 1)},
        {"ops", 1},           {"ops_per_s", 10.0 + k}, {"increments_per_s", 9.0},
        {"p50_us", 1.5},      {"p99_us", nullptr},   {"resp_p99_us", 7.0},
        {"ranks", 1}};
    return r.dump() + "\n";
  };
  auto run = [](const std::string& id) {
    nlohmann::json r = nlohmann::json::parse(JsonRecord(nullptr));
    r["type"] = "run";
    r["run_id"] = id;
    return r.dump() + "\n";
  };
  {
    std::ofstream out(dir.File("r.jsonl"));
    out << interval("gone", 0) << interval("gone", 1);
    for (int k = 0; k < 3; ++k) out << interval("a", k);
    out << run("a") << run("b");
    const int many = static_cast<int>(kMaxReadIntervals) + 1;
    for (int k = 0; k < many; ++k) out << interval("c", k);
    out << run("c");
  }
  Result<std::vector<ResultRow>> rows = LoadResults({dir.File("r.jsonl")});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  ASSERT_TRUE((*rows)[0].series != nullptr);
  const std::vector<SeriesSample>& a = *(*rows)[0].series;
  ASSERT_EQ(a.size(), 3u);
  EXPECT_DOUBLE_EQ(a[2].ops_per_s, 12);
  EXPECT_DOUBLE_EQ(a[2].start_s, 0.2);
  EXPECT_DOUBLE_EQ(a[0].p50_us, 1.5);
  EXPECT_TRUE(std::isnan(a[0].p99_us));
  EXPECT_EQ(a[0].intervals, 1);
  EXPECT_EQ((*rows)[1].series, nullptr) << "b had no intervals";
  ASSERT_TRUE((*rows)[2].series != nullptr);
  const std::vector<SeriesSample>& c = *(*rows)[2].series;
  EXPECT_EQ(c.size(), kMaxReadIntervals / 2 + 1);
  int64_t intervals = 0;
  for (const SeriesSample& sample : c) intervals += sample.intervals;
  EXPECT_EQ(intervals, static_cast<int64_t>(kMaxReadIntervals) + 1);
  EXPECT_EQ(c[0].intervals, 2);
  EXPECT_DOUBLE_EQ(c[0].start_s, 0);
  EXPECT_DOUBLE_EQ(c[0].ops_per_s, 10.5) << "over their time";
  EXPECT_NEAR(c.back().end_s, 0.1 * (kMaxReadIntervals + 1), 1e-6);

  std::ofstream(dir.File("bad.jsonl"))
      << R"({"type": "interval", "run_id": "a", "start_s": 1, "end_s": 0})"
      << "\n";
  const Status st = LoadResults({dir.File("bad.jsonl")}).status();
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_EQ(st.message().rfind(dir.File("bad.jsonl") + ":1: ", 0), 0u)
      << st.message();
}

// The series of a JSON Lines file: read (a null percentile is unknown),
// refused when malformed, and drawn a group at a time.
TEST(ReportHtml, ReadsAndDrawsTheSeriesOfJsonLines) {
  TempDir dir;
  const nlohmann::json series = nlohmann::json::parse(
      R"([{"start_s": 0, "end_s": 0.5, "ops": 5, "ops_per_s": 10,
           "increments_per_s": 9, "p50_us": 1.5, "p99_us": null},
          {"start_s": 0.5, "end_s": 1.0, "ops_per_s": 12,
           "increments_per_s": 11, "p50_us": 1.25, "p99_us": 3.5}])");
  std::ofstream(dir.File("r.jsonl")) << JsonRecord(series)
                                     << JsonRecord(series);
  Result<std::vector<ResultRow>> rows = LoadResults({dir.File("r.jsonl")});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_TRUE((*rows)[0].series != nullptr);
  const std::vector<SeriesSample>& read = *(*rows)[0].series;
  ASSERT_EQ(read.size(), 2u);
  EXPECT_DOUBLE_EQ(read[0].ops_per_s, 10);
  EXPECT_DOUBLE_EQ(read[0].p50_us, 1.5);
  EXPECT_TRUE(std::isnan(read[0].p99_us));
  EXPECT_DOUBLE_EQ(read[1].p99_us, 3.5);

  for (const char* bad : {R"(3)", R"([{"start_s": 1, "end_s": 0}])",
                          R"([{"end_s": 1}])", R"([{"start_s": 0,
                          "end_s": 1, "p99_us": "high"}])"}) {
    std::ofstream(dir.File("bad.jsonl"))
        << JsonRecord(nlohmann::json::parse(bad));
    const Status st = LoadResults({dir.File("bad.jsonl")}).status();
    EXPECT_TRUE(st.IsInvalidArgument()) << bad;
    EXPECT_EQ(st.message().rfind(dir.File("bad.jsonl") + ":1: ", 0), 0u)
        << st.message();
  }

  ReportOptions options;
  options.inputs = {dir.File("r.jsonl")};
  options.out_dir = dir.File("report");
  options.gnuplot = "";
  options.chart_js = FakeChartJs(dir);
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string html = ReadFile(dir.File("report/report.html"));
  EXPECT_NE(html.find("data-pick=\"group\""), std::string::npos);
  const nlohmann::json data = DataOf(html);
  ASSERT_EQ(data["series"].size(), 1u) << data.dump(1);
  const nlohmann::json& runs = data["series"][0]["groups"][0]["runs"];
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1]["name"], "repetition 2 (" + dir.File("r.jsonl") + ":2)");
  EXPECT_EQ(runs[0]["t"], nlohmann::json::parse("[0.25, 0.75]"));
  EXPECT_EQ(runs[0]["p99"], nlohmann::json::parse("[null, 3.5]"));
  EXPECT_EQ(runs[0]["inc"], nlohmann::json::parse("[9, 11]"));
}

// `report --compare` writes its page: the table of compare.md with a row
// per row of compare.csv, and A's and B's medians with their intervals.
TEST(ReportHtml, TheComparisonHasItsPage) {
  TempDir dir;
  std::vector<std::vector<std::string>> a, b;
  AddReps(&a, {{"hold_us", "20.000"}}, {100, 101, 99, 102, 98});
  AddReps(&b, {{"hold_us", "25.000"}}, {80, 81, 79, 82, 78});
  AddReps(&a, {{"hold_us", "20.000"}, {"workers", "2"}}, {100, 101, 99});
  AddReps(&b, {{"hold_us", "25.000"}, {"workers", "2"}}, {100, 99, 101});
  CompareOptions options;
  options.a = {WriteCsv(dir, "a.csv", a)};
  options.b = {WriteCsv(dir, "b.csv", b)};
  options.out_dir = dir.File("cmp");
  options.chart_js = FakeChartJs(dir);
  options.chart_js_required = true;
  std::string text;
  Result<ReportOutput> out = WriteComparison(options, &text);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string html = ReadFile(dir.File("cmp/report.html"));
  EXPECT_NE(html.find("<h1>ctrbench comparison</h1>"), std::string::npos);
  EXPECT_NE(html.find("A and B differ in: hold_us 20.000 -&gt; 25.000"),
            std::string::npos);
  EXPECT_NE(html.find("<tr data-row=\"1\"><td>1. s / atomic / inproc</td>"
                      "<td>1</td><td>100</td><td>[98, 102] 93.75%</td>"
                      "<td>80</td><td>[78, 82] 93.75%</td><td>-20.0%</td>"
                      "<td>0.0079</td><td>B slower</td></tr>"),
            std::string::npos)
      << html.substr(html.find("<tbody>"));
  EXPECT_NE(html.find("too few repetitions (3 and 3)"), std::string::npos);
  EXPECT_NE(html.find("2 groups in common"), std::string::npos);
  EXPECT_NE(html.find("data-charts-expected=\"1\""), std::string::npos);
  const nlohmann::json data = DataOf(html);
  const nlohmann::json& series = data["charts"][0]["series"];
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[1]["lines"][0]["label"], "B");
  EXPECT_EQ(series[1]["lines"][0]["points"][0]["y"], 80);
  EXPECT_EQ(series[1]["lines"][0]["points"][0]["x"],
            data["charts"][0]["x"]["labels"][0]);
}

}  // namespace
}  // namespace ctrbench
