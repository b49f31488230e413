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

// The group key without the columns in `ignore`.
std::string KeyOf(const GroupSummary& g, const std::set<std::string>& ignore) {
  std::string k;
  for (const std::string& c : GroupColumns()) {
    if (!ignore.count(c)) k += g.key.at(c) + "\x1f";
  }
  return k;
}

// The columns that hold one value in all of A and another in all of B:
// what the comparison is about (a hold, a backend option, a build), so
// groups are matched on the other columns.
std::map<std::string, std::pair<std::string, std::string>> Changed(
    const std::vector<GroupSummary>& a, const std::vector<GroupSummary>& b) {
  std::map<std::string, std::pair<std::string, std::string>> changed;
  for (const std::string& c : GroupColumns()) {
    std::set<std::string> va, vb;
    for (const GroupSummary& g : a) va.insert(g.key.at(c));
    for (const GroupSummary& g : b) vb.insert(g.key.at(c));
    if (va.size() == 1 && vb.size() == 1 && va != vb) {
      changed[c] = {*va.begin(), *vb.begin()};
    }
  }
  return changed;
}

using GroupPair = std::pair<const GroupSummary*, const GroupSummary*>;

// The groups A and B share: matched on every key column but those that
// changed as a whole, in A's order.
std::vector<GroupPair> Match(
    const std::vector<GroupSummary>& a, const std::vector<GroupSummary>& b,
    const std::map<std::string, std::pair<std::string, std::string>>& changed) {
  std::set<std::string> ignore;
  for (const auto& [column, values] : changed) ignore.insert(column);
  std::map<std::string, const GroupSummary*> in_b;
  for (const GroupSummary& g : b) in_b[KeyOf(g, ignore)] = &g;
  std::vector<GroupPair> pairs;
  for (const GroupSummary& g : a) {
    auto it = in_b.find(KeyOf(g, ignore));
    if (it != in_b.end()) pairs.push_back({&g, it->second});
  }
  return pairs;
}

// What the repetitions of a group in A and in B say about its change.
struct Verdict {
  enum Kind { kReal, kNoise, kUntestable } kind;
  UTest u;
  bool tested;                // Both sides have repetitions: u is a test.
  double a_median, b_median;  // Increments/s.
  double change;              // B against A; NaN when A's median is not > 0.
  std::string text;           // "B faster", "within noise", ...
};

Verdict Judge(const GroupSummary& a, const GroupSummary& b) {
  Verdict v;
  v.u = MannWhitney(a.increments_samples, b.increments_samples);
  v.tested = !a.increments_samples.empty() && !b.increments_samples.empty();
  v.a_median = a.increments_per_s.median;
  v.b_median = b.increments_per_s.median;
  v.change = v.a_median > 0 ? v.b_median / v.a_median - 1 : NAN;
  if (!v.u.can_reject) {
    v.kind = Verdict::kUntestable;
    v.text = "too few repetitions (" + std::to_string(a.repetitions) + " and " +
             std::to_string(b.repetitions) + ")";
  } else if (v.u.significant) {
    v.kind = Verdict::kReal;
    v.text = v.b_median > v.a_median ? "B faster" : "B slower";
  } else {
    v.kind = Verdict::kNoise;
    v.text = "within noise";
  }
  return v;
}

// What A and B differ in as a whole: "hold_us 0 -> 10", or "".
std::string Differ(
    const std::map<std::string, std::pair<std::string, std::string>>& changed) {
  std::string differ;
  for (const auto& [column, values] : changed) {
    differ += (differ.empty() ? "" : ", ") + column + " " +
              (values.first.empty() ? "(none)" : values.first) + " -> " +
              (values.second.empty() ? "(none)" : values.second);
  }
  return differ;
}

// The change of a verdict as compare.md shows it ("+3.2%"), and its p.
std::string ChangeText(const Verdict& v) {
  return std::isnan(v.change)
             ? ""
             : (v.change >= 0 ? "+" : "") + Fixed(100 * v.change, 1) + "%";
}
std::string PText(const Verdict& v) { return v.tested ? Fixed(v.u.p, 4) : ""; }

// The group of a pair as compare.md names it.
std::string GroupText(const GroupPair& pair, const std::set<std::string>& vary) {
  const GroupSummary& a = *pair.first;
  return a.key.at("scenario") + " / " + a.key.at("strategy") + " / " +
         Label(a, vary);
}

// The top of compare.md: the files, what they differ in, how to read the
// table, and the table's header.
std::string MarkdownHead(
    const CompareOptions& options,
    const std::map<std::string, std::pair<std::string, std::string>>& changed) {
  const std::string differ = Differ(changed);
  return "# ctrbench comparison\n\nA: " + SafeMarkdown(options.a[0]) +
         "\nB: " + SafeMarkdown(options.b[0]) + "\n" +
         (differ.empty() ? ""
                         : "\nA and B differ in: " + SafeMarkdown(differ) +
                               "; groups are matched on the rest.\n") +
         "\nMedian increments/s of each group both files hold, each with "
         "its interval (as in summary.md: [min, max] below 6 repetitions, "
         "with the chance that it holds the true median); change is B "
         "against A. A difference is real when a Mann-Whitney U test of the "
         "repetitions gives p < 0.05; below 4 repetitions on each side (5 "
         "recommended) no p can be that small, and the verdict says so."
         "\n\n| group | workers | A | A interval | B | B interval | change "
         "| p | verdict |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
}

std::string MarkdownRow(const GroupPair& pair, const Verdict& v,
                        const std::set<std::string>& vary) {
  const GroupSummary& a = *pair.first;
  const GroupSummary& b = *pair.second;
  return MarkdownCells({SafeMarkdown(GroupText(pair, vary)),
                        std::to_string(a.workers()), Rate(v.a_median),
                        IntervalCell(a), Rate(v.b_median), IntervalCell(b),
                        ChangeText(v), PText(v), v.text});
}

// The last line of compare.md: how many groups got each verdict, and how
// many only one side has.
std::string Tally(const std::vector<Verdict>& verdicts, size_t in_a,
                  size_t in_b) {
  int count[3] = {0, 0, 0};
  for (const Verdict& v : verdicts) ++count[v.kind];
  return "\n" + std::to_string(verdicts.size()) + " groups in common: " +
         std::to_string(count[Verdict::kReal]) + " differ beyond noise, " +
         std::to_string(count[Verdict::kNoise]) + " within noise, " +
         std::to_string(count[Verdict::kUntestable]) +
         " with too few repetitions to tell; " +
         std::to_string(in_a - verdicts.size()) + " only in A, " +
         std::to_string(in_b - verdicts.size()) + " only in B.\n";
}

std::vector<std::string> CompareCsvHeader() {
  std::vector<std::string> header = GroupColumns();
  for (const char* c :
       {"a_repetitions", "b_repetitions", "a_median", "b_median", "change",
        "p", "min_p", "verdict", "a_lo", "a_hi", "a_coverage", "b_lo",
        "b_hi", "b_coverage"}) {
    header.push_back(c);
  }
  return header;
}

// The interval of a side's median: lo, hi and coverage (empty below 2
// repetitions).
void AddInterval(const GroupSummary& g, std::vector<std::string>* row) {
  const Interval& i = g.increments_interval;
  row->push_back(i.present ? Fixed(i.lo, 1) : "");
  row->push_back(i.present ? Fixed(i.hi, 1) : "");
  row->push_back(i.present ? Fixed(i.coverage, 4) : "");
}

std::vector<std::string> CompareCsvRow(const GroupPair& pair,
                                       const Verdict& v) {
  std::vector<std::string> row;
  for (const std::string& c : GroupColumns()) {
    row.push_back(SafeCell(pair.first->key.at(c)));
  }
  row.push_back(std::to_string(pair.first->repetitions));
  row.push_back(std::to_string(pair.second->repetitions));
  row.push_back(Fixed(v.a_median, 1));
  row.push_back(Fixed(v.b_median, 1));
  row.push_back(std::isnan(v.change) ? "" : Fixed(v.change, 4));
  row.push_back(v.tested ? Fixed(v.u.p, 4) : "");
  row.push_back(v.tested ? Fixed(v.u.min_p, 4) : "");
  row.push_back(v.text);
  AddInterval(*pair.first, &row);
  AddInterval(*pair.second, &row);
  return row;
}

// The markdown without its escapes, for a terminal.
std::string Unescaped(const std::string& md) {
  std::string text;
  for (size_t i = 0; i < md.size(); ++i) {
    if (md[i] == '\\' && i + 1 < md.size()) ++i;
    text += md[i];
  }
  return text;
}

}  // namespace

Result<ReportOutput> WriteComparison(const CompareOptions& options,
                                     std::string* text) {
  // A chart library the user named is checked before anything is read.
  Result<ChartLibrary> library =
      LoadChartLibrary(options.chart_js, options.chart_js_required);
  if (!library.ok()) return library.status();
  Result<std::vector<GroupSummary>> a = SummarizeFiles(
      options.a, "--compare " + options.a[0] + ": no runs in it (a header "
                 "only); allowed: a results file with at least one run");
  if (!a.ok()) return a.status();
  Result<std::vector<GroupSummary>> b = SummarizeFiles(
      options.b, "--compare " + options.b[0] + ": no runs in it (a header "
                 "only); allowed: a results file with at least one run");
  if (!b.ok()) return b.status();
  const auto changed = Changed(*a, *b);
  const std::vector<GroupPair> pairs = Match(*a, *b, changed);
  if (pairs.empty()) {
    return Status::InvalidArgument(
        "--compare " + options.a[0] + " " + options.b[0] +
        ": no group in common; allowed: two files that share a group (the "
        "same scenario, backend, strategy, workers, fields and backend "
        "options, apart from the columns that differ between them as a "
        "whole)");
  }
  // Labels name what differs among A's groups, as the report's tables do.
  Table all;
  for (const GroupSummary& g : *a) all.groups.push_back(&g);
  const std::set<std::string> vary = VaryingColumns(all);
  std::string md = MarkdownHead(options, changed);
  std::string csv = CsvLine(CompareCsvHeader());
  std::vector<Verdict> verdicts;
  Comparison page;
  for (const GroupPair& pair : pairs) {
    verdicts.push_back(Judge(*pair.first, *pair.second));
    const Verdict& v = verdicts.back();
    md += MarkdownRow(pair, v, vary);
    csv += CsvLine(CompareCsvRow(pair, v));
    page.groups.push_back({pair.first, pair.second, GroupText(pair, vary),
                           ChangeText(v), PText(v), v.text});
  }
  const std::string tally = Tally(verdicts, a->size(), b->size());
  md += tally;
  page.a_files = options.a;
  page.b_files = options.b;
  page.differ = Differ(changed);
  page.tally = tally.substr(tally.find_first_not_of('\n'));
  Result<OutputDir> dir =
      OutputDir::Open(options.out_dir, kReportMarker, options.force);
  if (!dir.ok()) return dir.status().WithContext("--out");
  ReportOutput out;
  if (!library->why_not.empty()) AddNote(&out, "report.html: " + library->why_not);
  Status st = WriteFile(&*dir, "compare.md", md, &out);
  if (st.ok()) st = WriteFile(&*dir, "compare.csv", csv, &out);
  if (st.ok()) {
    st = WriteFile(&*dir, "report.html", ComparisonHtml(page, *library), &out);
  }
  if (st.ok()) st = dir->Commit();
  if (!st.ok()) return st.WithContext("--out");
  *text = Unescaped(md);
  return out;
}

}  // namespace ctrbench
