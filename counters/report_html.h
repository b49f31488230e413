// report.html: one self-contained page to explore what `report` wrote: for
// each table (scenario x strategy) interactive charts of the medians with
// their intervals (hover for the value and its interval, click the legend
// to hide a series, switch each axis between log and linear), the USL
// fits, the tables of summary.md with summary.csv's cells, every group's
// settings, and the per-second series of each run that came from JSON
// Lines; for `--compare`, the comparison. Nothing is fetched when the page
// is opened: the chart library (Chart.js, from Debian's libjs-chart.js) and
// the data are inlined when report writes it. Internal to report.
//
//   Result<ChartLibrary> lib = LoadChartLibrary(kDefaultChartJs, false);
//   RunSeries series;   // Fed every row as report reads the files.
//   std::string page = ReportHtml(inputs, groups, tables, series, *lib, &out);

#ifndef CTRBENCH_COUNTERS_REPORT_HTML_H_
#define CTRBENCH_COUNTERS_REPORT_HTML_H_

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "counters/report.h"
#include "counters/report_tables.h"

namespace ctrbench {

// The chart library the page inlines.
struct ChartLibrary {
  std::string path;
  std::string source;   // Empty: the page has no charts.
  std::string why_not;  // Why not, for the page and report's note.
};

// At most this much is inlined: Chart.js is about 200 KB.
inline constexpr size_t kMaxChartLibraryBytes = 8 << 20;

// Reads the chart library at `path`. When it is missing, unreadable, too
// big or cannot be inlined (it holds "</script" or "<!--"): with
// `required` (the user named it with --chart-js) an InvalidArgument naming
// the flag, the file, why and what is allowed; otherwise a library without
// source whose why_not says what to install.
Result<ChartLibrary> LoadChartLibrary(const std::string& path, bool required);

// The groups the page's tables hold at most (a browser would not show
// more); summary.md and summary.csv have them all.
inline constexpr size_t kMaxHtmlGroups = 5000;

// What the page holds of per-second series at most: a run of more
// intervals is drawn with several merged into a point, and runs past the
// total are left out (the page says how many).
inline constexpr size_t kMaxRunSeriesPoints = 500;
inline constexpr size_t kMaxSeriesPoints = 100000;

// One run's series as the page draws it.
struct RunSeriesPoints {
  std::string name;  // The run: its repetition and where it was read.
  int merged = 1;    // Intervals per point.
  std::vector<SeriesSample> points;
};

// The per-second series of the rows report reads, by group (the values
// of GroupColumns()), within kMaxSeriesPoints.
class RunSeries {
 public:
  void Add(const ResultRow& row);
  // The runs of the group with key `key`, in the order they were read;
  // null when none had a series.
  const std::vector<RunSeriesPoints>* Of(
      const std::map<std::string, std::string>& key) const;
  size_t runs_kept() const { return kept_; }
  size_t runs_left_out() const { return left_out_; }
  size_t runs_without() const { return without_; }

 private:
  std::map<std::vector<std::string>, std::vector<RunSeriesPoints>> runs_;
  size_t points_ = 0, kept_ = 0, left_out_ = 0, without_ = 0;
};

// The page of a report: `inputs` (the files read), the groups (in
// summary.csv's order; `tables` point into them), the series, and the
// library; notes of what the page left out go to `out`.
std::string ReportHtml(const std::vector<std::string>& inputs,
                       const std::vector<GroupSummary>& groups,
                       const std::vector<Table>& tables,
                       const RunSeries& series, const ChartLibrary& library,
                       ReportOutput* out);

// One row of a comparison, as compare.md has it.
struct ComparedGroup {
  const GroupSummary* a = nullptr;
  const GroupSummary* b = nullptr;
  std::string label;    // Scenario / strategy / series label.
  std::string change;   // "+3.2%"; empty when A's median is not > 0.
  std::string p;        // Empty when untested.
  std::string verdict;  // "B faster", "within noise", ...
};

struct Comparison {
  std::vector<std::string> a_files, b_files;
  std::string differ;  // What A and B differ in as a whole ("" if nothing).
  std::string tally;   // compare.md's last line.
  std::vector<ComparedGroup> groups;
};

// The page of `report --compare`.
std::string ComparisonHtml(const Comparison& comparison,
                           const ChartLibrary& library);

// Shared by the page's files.

// Text for HTML, as element content or a quoted attribute value.
std::string HtmlText(const std::string& text);

// What the sections add to the page's data, which its script reads: the
// charts, the per-second series, and how many canvases there are.
struct PageData {
  nlohmann::json charts = nlohmann::json::array();
  nlohmann::json series = nlohmann::json::array();
  int canvases = 0;
};

// The section of table `index` (counters/report_html_section.cc): with
// `charts`, its charts' canvases, whose data goes to `data`; its tables
// hold the first `rows` groups.
std::string TableSection(const Table& t, size_t index,
                         const std::vector<GroupSummary>& groups,
                         const RunSeries& series, bool charts, size_t rows,
                         PageData* data);

// A point of a chart of increments/s: the group's median at `x`, the
// interval of the median as its whisker, and the text of its tooltip.
void AddIncrementsPoint(const GroupSummary& g, const nlohmann::json& x,
                        nlohmann::json* points);

// Whether a log y axis suits the medians of a chart's `lines` (JSON as
// the script reads them: each with its "points"): they span 8x.
bool SpansDecade(const nlohmann::json& lines);

// The page's style and scripts (counters/report_html_script.cc): the
// capture of errors (first, so that it sees the others' errors), and the
// charts, which read the data element "report-data".
extern const char kHtmlStyle[];
extern const char kHtmlErrorCapture[];
extern const char kHtmlScript[];

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_REPORT_HTML_H_
