// `report`'s plots: for each table a data file and a gnuplot script,
// built from a declared list of plots (increments/s with the fit, p99
// latency, retries; for rate sweeps response time and achieved rate), each
// drawing summary.csv columns by name; run in the report's stage
// directory; and the x axis they share with report.html. Internal to
// report.

#ifndef CTRBENCH_COUNTERS_REPORT_PLOTS_H_
#define CTRBENCH_COUNTERS_REPORT_PLOTS_H_

#include <set>
#include <string>

#include "counters/report_tables.h"

namespace ctrbench {

// Adds a sentence to what report says besides its files.
void AddNote(ReportOutput* out, const std::string& note);

// What a table's plots (and report.html's charts) put on the x axis:
// workers when they vary within the table, else the first swept numeric
// field, else nothing (a bar per group).
struct XAxis {
  std::string column;  // Empty: bars.
  std::string title;   // The axis label.
  bool log = false;
};

XAxis ChooseX(const Table& t, const std::set<std::string>& vary);

// A group's value on axis `column`: NaN when it has none (a closed-loop
// run beside a rate sweep).
double AxisValue(const GroupSummary* g, const std::string& column);

// The groups of `table` on axis `x`.
Table OnAxis(const Table& table, const XAxis& x);

Status WritePlots(const Table& table, OutputDir* dir,
                  const std::string& gnuplot, ReportOutput* out);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_REPORT_PLOTS_H_
