// `report`'s tables: groups arranged by scenario and strategy (backends as
// rows, worker counts as columns), their labels and scalability fits,
// summary.csv's columns (each declared once; the plots draw them by name)
// and summary.md; the cell helpers the plots and the comparison share.
// Internal to report (counters/report*.cc).

#ifndef CTRBENCH_COUNTERS_REPORT_TABLES_H_
#define CTRBENCH_COUNTERS_REPORT_TABLES_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "counters/files.h"
#include "counters/report.h"
#include "counters/stats.h"

namespace ctrbench {

struct Table {
  std::string scenario, strategy;
  std::vector<const GroupSummary*> groups;
};

// The USL fit of one series of a table (the groups with one label, over
// worker counts), from every repetition's increments/s.
struct SeriesFit {
  std::string label;
  int worker_counts = 0;
  int max_workers = 0;
  int cpus = 0;
  UslFit fit;
};

// The fields that tell rows of one table apart besides the backend: every
// grouping column but those a table is made of (scenario, strategy) and the
// x axis (workers).
const std::vector<std::string>& LabelColumns();

std::string Slug(const std::string& text);

std::string Label(const GroupSummary& g, const std::set<std::string>& vary);

// The label columns whose values differ within the table; for
// backend_options, also "option:BACKEND.KEY" for each option whose value
// differs among that backend's groups (labels show only those: every
// effective option would make a legend line longer than the plot).
std::set<std::string> VaryingColumns(const Table& t);

std::vector<Table> Tables(const std::vector<GroupSummary>& groups);

std::vector<SeriesFit> FitSeries(const Table& t,
                                 const std::set<std::string>& vary);

// The most workers of a table and the fewest CPUs its hosts had, for the
// note that beyond the CPUs a run mostly measures CPU sharing.
std::string CpuNote(const Table& t);

std::string IntervalCell(const GroupSummary& g);

// A ratio (vs fastest, speedup): three decimals, or three significant
// digits below 0.1; empty when it is not a positive number.
std::string RatioText(double v);

// "vs fastest", with "≈" when a U test says the difference is within
// noise; empty for a group that has nothing alike to compare with.
std::string VsFastestCell(const GroupSummary& g);

// Six significant digits, for a number that may be tiny (kappa) or huge
// (lambda).
std::string Significant(double v, int digits = 6);

std::string Number(double v, int decimals);

// Writes file `name` of the report (counters/files.h: made in the output
// directory's stage, moved into place when the report is whole).
Status WriteFile(OutputDir* dir, const std::string& name,
                 const std::string& text, ReportOutput* out);

std::string StatCell(const Stat& s, int decimals);

// A text cell that a spreadsheet would run as a formula (=, +, @, a tab or
// CR, or - not starting a number) gets a leading ' so that it stays text,
// as OWASP's CSV-injection advice says; numbers stay numbers.
std::string SafeCell(const std::string& v);

// Text for a markdown table: the characters markdown would act on are
// escaped, and line breaks become spaces.
std::string SafeMarkdown(const std::string& v);

// A column of summary.csv after the group's key (GroupColumns()): its name
// and its cell for a group; for a median over repetitions also the
// statistic, which the plots draw (counters/report_plots.cc).
struct SummaryColumn {
  const char* name;
  std::function<std::string(const GroupSummary&)> cell;
  Stat GroupSummary::*stat;  // Null: not a median.
};

// In the order of summary.csv (new ones appended: scripts read it).
const std::vector<SummaryColumn>& SummaryColumns();

std::string SummaryCsv(const std::vector<GroupSummary>& groups);

// summary.md (counters/report_markdown.cc).
std::string SummaryMarkdown(const std::vector<Table>& tables);

// A row of a markdown table: "| a | b |\n" (cells already escaped).
std::string MarkdownCells(const std::vector<std::string>& cells);

// A value on a numeric axis: a number, or a share such as "80%" (its
// number); false for text.
bool AxisNumber(const std::string& text, double* v);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_REPORT_TABLES_H_
