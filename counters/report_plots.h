// `report`'s plots: for each table a data file and a gnuplot script,
// built from a declared list of plots (goodput with the fit and the lost
// updates marked, p99 latency, retries; for rate sweeps response time and
// achieved rate against offered load, with the closed-loop capacity
// marked), each drawing summary.csv columns by name with the spread of
// repetitions as error bars, at most kMaxSeriesPerPanel series to a panel;
// run in the report's stage directory; and the x axis they share with
// report.html. Internal to report.

#ifndef CTRBENCH_COUNTERS_REPORT_PLOTS_H_
#define CTRBENCH_COUNTERS_REPORT_PLOTS_H_

#include <set>
#include <string>
#include <vector>

#include "counters/report_tables.h"

namespace ctrbench {

// Adds a sentence to what report says besides its files.
void AddNote(ReportOutput* out, const std::string& note);

// What a table's plots (and report.html's charts) put on the x axis:
// workers when they vary within the table, else the first swept numeric
// field, else nothing (a point per group).
struct XAxis {
  std::string column;  // Empty: a point per group.
  std::string title;   // The axis label.
  bool log = false;
  // Its values are shares of the closed-loop capacity ("80%"): the
  // capacity is at 100.
  bool share = false;
};

XAxis ChooseX(const Table& t, const std::set<std::string>& vary);

// Where a label goes beside its point: under it, over it, or nowhere.
enum class LabelPlace { kBelow, kAbove, kLeftOut };
struct LabelPoint {
  double x;       // On the x axis.
  double height;  // In its panel: 0 at the bottom, 1 at the top.
};
// Places a label at each point so that no two at the same x come within
// `gap` (a label's height, in the points' units) of each other: under its
// point, else over it, else left out; the highest points first.
std::vector<LabelPlace> PlaceLabels(const std::vector<LabelPoint>& points,
                                    double gap);

// A group's value on axis `column`: NaN when it has none (a closed-loop
// run beside a rate sweep).
double AxisValue(const GroupSummary* g, const std::string& column);

// The groups of `table` on axis `x`.
Table OnAxis(const Table& table, const XAxis& x);

// The files of one table's plots, made without running gnuplot (the tests
// read them): the data file, the script that reads it, and the images the
// script makes, by name in the report's directory. Notes of what was left
// out go to `out`.
struct PlotFiles {
  std::string data_name, data;
  std::string script_name, script;
  std::vector<std::string> images;
};

PlotFiles MakePlots(const Table& table, ReportOutput* out);

// Writes MakePlots' files into `dir` and runs `gnuplot` on the script.
Status WritePlots(const Table& table, OutputDir* dir,
                  const std::string& gnuplot, ReportOutput* out);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_REPORT_PLOTS_H_
