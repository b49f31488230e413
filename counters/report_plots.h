// `report`'s plots: for each table a data file and a gnuplot script,
// built from a declared list of plots (increments/s with the fit, p99
// latency, retries; for rate sweeps response time and achieved rate), each
// drawing summary.csv columns by name; run in the report's stage
// directory. Internal to report.

#ifndef CTRBENCH_COUNTERS_REPORT_PLOTS_H_
#define CTRBENCH_COUNTERS_REPORT_PLOTS_H_

#include <string>

#include "counters/report_tables.h"

namespace ctrbench {

// Adds a sentence to what report says besides its files.
void AddNote(ReportOutput* out, const std::string& note);

Status WritePlots(const Table& table, OutputDir* dir,
                  const std::string& gnuplot, ReportOutput* out);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_REPORT_PLOTS_H_
