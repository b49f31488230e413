// `ctrbench report`: turns result CSV files into answers.
//
// Rows are grouped by scenario, backend, strategy, mode, workers, the
// workload fields and the backend options; repetitions of a group give its
// median (with min and max, an interval and a U test against the fastest).
// The report writes summary.csv, summary.md (a table per scenario and
// strategy, backends as rows and worker counts as columns, then the
// details and the scalability fits), and, when gnuplot is installed, PNG
// and SVG plots of goodput (with the fit, and the lost updates marked),
// p99 latency and retries per 1,000 operations against workers, and for
// rate sweeps response time and achieved rate against offered rate, with
// the spread of repetitions (counters/report_plots.h); report.html holds
// all of it to explore (counters/report_html.h). WriteComparison()
// compares two files.
//
//   Result<std::vector<ResultRow>> rows = LoadResults({"results/x.csv"});
//   std::vector<GroupSummary> groups = Summarize(*rows);

#ifndef CTRBENCH_COUNTERS_REPORT_H_
#define CTRBENCH_COUNTERS_REPORT_H_

#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

#include "counters/histogram.h"
#include "counters/stats.h"
#include "counters/status.h"

namespace ctrbench {

// One interval of a run's per-second series (JSON Lines only), or several
// neighbours merged (MergeSamples).
struct SeriesSample {
  double start_s = 0, end_s = 0;  // From the start of the measured time.
  double ops_per_s = 0, increments_per_s = 0;
  double p50_us = NAN, p99_us = NAN;  // NaN: unknown (no samples).
  int64_t intervals = 1;              // Intervals of the run it holds.
  int stage = -1;  // Its load phase (load_phase, from 0); -1: none.
};

// all[from, to) as one sample: rates over their summed time, the median
// of their p50s and the largest p99 (the intervals' histograms are not in
// the file), their intervals summed.
SeriesSample MergeSamples(const std::vector<SeriesSample>& all, size_t from,
                          size_t to);

// The most intervals of one run that report holds while it reads: a run
// of more (an hour at 10 ms) is read with neighbours merged (MergeSamples),
// its whole time kept, coarser.
inline constexpr size_t kMaxReadIntervals = 100000;

// One row of a results file, by column name.
struct ResultRow {
  std::string source;  // "file:line", for messages.
  std::map<std::string, std::string> fields;
  // The run's latency histogram, from a JSON Lines file; null from a CSV.
  std::shared_ptr<const Histogram> latency;
  // The run's per-second series, from a JSON Lines file (its interval
  // records, or an older run record's `series`); null from a CSV (or a run
  // without one).
  std::shared_ptr<const std::vector<SeriesSample>> series;
  const std::string& Get(const std::string& column) const;
  double Number(const std::string& column) const;  // NaN when empty.
};

// Reads results files, CSV or JSON Lines (a file whose first character is
// '{'); a malformed file is an InvalidArgument naming the file and the
// line.
Result<std::vector<ResultRow>> LoadResults(
    const std::vector<std::string>& paths);

// Whether `path` is there to read: InvalidArgument naming it, why not (no
// such file, a directory, not readable) and what is allowed. ReadResults
// checks each file so; a caller may check them all before reading any.
Status CheckResultsFile(const std::string& path);

// Calls `each` for every row of the files, one record at a time: memory
// stays that of one record, whatever the size of the files.
Status ReadResults(const std::vector<std::string>& paths,
                   const std::function<Status(ResultRow&&)>& each);

// The same for one stream (the fuzz target reads from memory); `path`
// names it in messages.
Status ReadResultsFrom(std::streambuf* in, const std::string& path,
                       const std::function<Status(ResultRow&&)>& each);

// The columns that identify a group, in order.
const std::vector<std::string>& GroupColumns();

struct Stat {
  double median = 0, min = 0, max = 0;
  bool present = false;  // False when no repetition had a value.
  // How sure the median is (counters/stats.h): present with 2 or more
  // repetitions. The plots draw it as error bars.
  Interval interval;
};

struct GroupSummary {
  std::map<std::string, std::string> key;  // GroupColumns() -> value.
  int repetitions = 0;
  bool all_verified = true;
  Stat increments_per_s;
  Stat lat_p50_us;
  Stat lat_p99_us;
  Stat retries_per_1k_ops;
  Stat lock_wait_share;  // Lock wait / (duration x workers).
  Stat lost_updates;
  Stat lost_share;  // Lost updates / expected total.
  // Increments a read found after the run, per second (goodput_per_s):
  // below increments_per_s where updates were lost.
  Stat goodput_per_s;
  Stat fairness;
  Stat lat_p999_us;
  // Percentiles of the merged histograms of every repetition (exact, not
  // a median of percentiles); only when every row came with a histogram.
  bool merged = false;
  double merged_p50_us = 0, merged_p99_us = 0, merged_p999_us = 0;
  double speedup_vs_1_worker = 0;  // 0: no 1-worker group to compare with.
  double ratio_to_fastest = 0;     // Against the fastest backend alike.
  // Each repetition's increments/s, and how sure their median is.
  std::vector<double> increments_samples;
  Interval increments_interval;
  // The U test of this group's repetitions against the fastest alike;
  // `against_fastest` is false for the fastest itself and a group alone.
  bool against_fastest = false;
  UTest vs_fastest;
  // Open loop (empty in closed-loop runs).
  Stat resp_p50_us, resp_p99_us, rate_achieved, rate_offered;
  // Write-behind (empty without flush_every).
  Stat stale_max_us, held_max;
  // What a server the run started did: its CPU seconds per second of the
  // run (cores busy) and per operation, in microseconds (empty without).
  Stat server_cores, server_us_per_op;
  // Kind inventory (empty for counters): units sold, takes sold out,
  // units oversold, and when the first take found its key sold out.
  Stat sold, sold_out, oversold, sold_out_at_s;
  Stat cells, drain_s, read_p50_us, read_p99_us, refused_p50_us,
      refused_p99_us;
  int cpus = 0;  // The host's CPUs (the most any repetition saw); 0: unknown.
  int workers() const;
};

// Groups rows as they come, keeping a few numbers per row and one merged
// histogram per group; Finish() summarizes. Groups come sorted by
// scenario, strategy, backend, the other key fields, then workers.
class Summarizer {
 public:
  // An error when the row's latency histogram cannot be merged into its
  // group's (their counts would sum past 2^63).
  Status Add(const ResultRow& row);
  std::vector<GroupSummary> Finish();

 private:
  struct Group {
    int repetitions = 0;
    bool all_verified = true;
    bool all_histograms = true;
    std::unique_ptr<Histogram> merged;
    // The samples of each median rule (report_summary.cc), in its order.
    std::vector<std::vector<double>> samples;
    int cpus = 0;
  };
  std::map<std::vector<std::string>, Group> groups_;
};

// Every row of `paths`, grouped and summarized, streamed: memory grows
// with the number of groups, not of rows. No rows at all is the error
// `no_runs`. `each`, when given, also sees every row (report.html keeps
// the per-second series so, in the same pass).
Result<std::vector<GroupSummary>> SummarizeFiles(
    const std::vector<std::string>& paths, const std::string& no_runs,
    const std::function<void(const ResultRow&)>& each = nullptr);

// Summarize() of every row at once.
std::vector<GroupSummary> Summarize(const std::vector<ResultRow>& rows);

// The median of `values` (the mean of the middle two for an even count).
double Median(std::vector<double> values);

// What report keeps and draws at most: memory goes with the groups, time
// with the plots. Beyond these it refuses (groups) or says what it left
// out (plots).
inline constexpr size_t kMaxGroups = 100000;
inline constexpr size_t kMaxPlottedTables = 100;  // Scenario x strategy.
inline constexpr size_t kMaxSeries = 24;          // Of one table's plots.
// Series in one panel of a plot; more make more panels (small multiples
// with shared axes), each series of a panel in a colour of its own.
inline constexpr size_t kMaxSeriesPerPanel = 8;
inline constexpr size_t kMaxBars = 60;  // Groups without a numeric x axis.
inline constexpr size_t kMaxPoints = 1000;        // Points of one line.
inline constexpr size_t kMaxTicks = 24;           // Labels on the x axis.

// Where Debian's libjs-chart.js puts Chart.js, which report.html inlines.
inline constexpr char kDefaultChartJs[] =
    "/usr/share/javascript/chart.js/chart.min.js";

// The file that marks a directory report wrote (counters/files.h,
// OutputDir): a later report may write there again.
inline constexpr char kReportMarker[] = ".ctrbench-report";

struct ReportOptions {
  std::vector<std::string> inputs;
  std::string out_dir = "results/report";
  // Write into an existing directory that holds files report did not
  // write (replacing those of the same names).
  bool force = false;
  std::string gnuplot = "gnuplot";  // Empty: no plots.
  // The chart library report.html inlines. When it is missing report.html
  // has tables and no charts, and the note says why; unless
  // `chart_js_required` (the user named the file): then that is an
  // InvalidArgument, before anything is read.
  std::string chart_js = kDefaultChartJs;
  bool chart_js_required = false;
};

struct ReportOutput {
  std::vector<std::string> files;  // Everything written.
  std::string note;                // E.g. how to get the plots.
};

Result<ReportOutput> WriteReport(const ReportOptions& options);

// `ctrbench report --compare A B`: the groups the two sets of files share,
// each with the change of its median increments/s from A to B and whether
// it is beyond noise (the U test over repetitions, as google/benchmark's
// compare.py does); writes compare.md, compare.csv and report.html into
// `out_dir` and returns the text to print.
struct CompareOptions {
  std::vector<std::string> a, b;
  std::string out_dir = "results/report";
  bool force = false;  // As ReportOptions::force.
  std::string chart_js = kDefaultChartJs;  // As ReportOptions'.
  bool chart_js_required = false;
};
Result<ReportOutput> WriteComparison(const CompareOptions& options,
                                     std::string* text);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_REPORT_H_
