#include "counters/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "counters/csv.h"
#include "counters/fields.h"
#include "counters/files.h"
#include "counters/program.h"
#include "counters/report_html.h"
#include "counters/report_plots.h"
#include "counters/report_tables.h"

namespace ctrbench {

namespace {

// The message for input files that hold a header and no run.
std::string NoRuns(const std::vector<std::string>& inputs) {
  std::string files;
  for (const std::string& f : inputs) files += (files.empty() ? "" : ", ") + f;
  return files + ": no runs in " + (inputs.size() == 1 ? "it" : "them") +
         " (a header only); allowed: results files with at least one run";
}

}  // namespace

Result<ReportOutput> WriteReport(const ReportOptions& options) {
  // A chart library the user named is checked before anything is read.
  Result<ChartLibrary> library =
      LoadChartLibrary(options.chart_js, options.chart_js_required);
  if (!library.ok()) return library.status();
  RunSeries series;  // For report.html, kept in the same pass.
  Result<std::vector<GroupSummary>> summarized = SummarizeFiles(
      options.inputs, NoRuns(options.inputs),
      [&series](const ResultRow& row) { series.Add(row); });
  if (!summarized.ok()) return summarized.status();
  Result<OutputDir> dir =
      OutputDir::Open(options.out_dir, kReportMarker, options.force);
  if (!dir.ok()) return dir.status().WithContext("--out");
  const std::vector<GroupSummary> groups = std::move(*summarized);
  const std::vector<Table> tables = Tables(groups);
  ReportOutput out;
  Status st = WriteFile(&*dir, "summary.csv", SummaryCsv(groups), &out);
  if (st.ok()) {
    st = WriteFile(&*dir, "summary.md", SummaryMarkdown(tables), &out);
  }
  if (st.ok()) {
    st = WriteFile(
        &*dir, "report.html",
        ReportHtml(options.inputs, groups, tables, series, *library, &out),
        &out);
  }
  if (!st.ok()) return st;
  const std::string gnuplot =
      options.gnuplot.empty() ? "" : FindProgram(options.gnuplot);
  if (gnuplot.empty()) {
    AddNote(&out, "gnuplot not found: tables written, no plots (install "
                  "the Debian package gnuplot-nox for plots)");
  }
  const size_t plotted = std::min(tables.size(), kMaxPlottedTables);
  for (size_t i = 0; i < plotted && !gnuplot.empty(); ++i) {
    st = WritePlots(tables[i], &*dir, gnuplot, &out);
    if (!st.ok()) return st;
  }
  if (!gnuplot.empty() && plotted < tables.size()) {
    AddNote(&out, "plots for the first " + std::to_string(plotted) + " of " +
                      std::to_string(tables.size()) +
                      " tables (scenario x strategy); summary.md and "
                      "summary.csv have them all");
  }
  st = dir->Commit();
  if (!st.ok()) return st.WithContext("--out");
  return out;
}

}  // namespace ctrbench
