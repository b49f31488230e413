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

}  // namespace

Result<ReportOutput> WriteComparison(const CompareOptions& options,
                                     std::string* text) {
  Result<std::vector<GroupSummary>> a =
      SummarizeFiles(options.a, "report --compare: " + options.a[0] +
                                         " holds no runs");
  if (!a.ok()) return a.status();
  Result<std::vector<GroupSummary>> b =
      SummarizeFiles(options.b, "report --compare: " + options.b[0] +
                                         " holds no runs");
  if (!b.ok()) return b.status();
  const auto changed = Changed(*a, *b);
  std::set<std::string> ignore;
  for (const auto& [column, values] : changed) ignore.insert(column);
  std::map<std::string, const GroupSummary*> in_b;
  for (const GroupSummary& g : *b) in_b[KeyOf(g, ignore)] = &g;

  // Labels name what differs among A's groups, as the report's tables do.
  Table all;
  for (const GroupSummary& g : *a) all.groups.push_back(&g);
  const std::set<std::string> vary = VaryingColumns(all);
  std::vector<std::pair<const GroupSummary*, const GroupSummary*>> pairs;
  for (const GroupSummary& g : *a) {
    auto it = in_b.find(KeyOf(g, ignore));
    if (it != in_b.end()) pairs.push_back({&g, it->second});
  }
  if (pairs.empty()) {
    return Status::InvalidArgument(
        "report --compare: " + options.a[0] + " and " + options.b[0] +
        " have no group in common (one scenario, backend, strategy, workers, "
        "fields and backend options)");
  }

  std::string differ;
  for (const auto& [column, values] : changed) {
    differ += (differ.empty() ? "" : ", ") + column + " " +
              (values.first.empty() ? "(none)" : values.first) + " -> " +
              (values.second.empty() ? "(none)" : values.second);
  }
  std::string md = "# ctrbench comparison\n\nA: " + SafeMarkdown(options.a[0]) +
                   "\nB: " + SafeMarkdown(options.b[0]) + "\n" +
                   (differ.empty() ? ""
                                   : "\nA and B differ in: " +
                                         SafeMarkdown(differ) +
                                         "; groups are matched on the rest.\n") +
                   "\nMedian increments/s of each group both files hold; "
                   "change is B against A. A difference is real when a "
                   "Mann-Whitney U test of the repetitions gives p < 0.05; "
                   "below 4 repetitions on each side (5 recommended) no "
                   "test can tell.\n\n| group | workers | A | B | change | "
                   "p | verdict |\n|---|---:|---:|---:|---:|---:|---|\n";
  std::vector<std::string> header = GroupColumns();
  for (const char* c : {"a_repetitions", "b_repetitions", "a_median",
                        "b_median", "change", "p", "min_p", "verdict"}) {
    header.push_back(c);
  }
  std::string csv = CsvLine(header);
  int real = 0, noise = 0, untestable = 0;
  for (const auto& [ga, gb] : pairs) {
    const UTest u = MannWhitney(ga->increments_samples, gb->increments_samples);
    const double ma = ga->increments_per_s.median;
    const double mb = gb->increments_per_s.median;
    const double change = ma > 0 ? mb / ma - 1 : NAN;
    std::string verdict;
    if (!u.can_reject) {
      verdict = "too few repetitions (" + std::to_string(ga->repetitions) +
                " and " + std::to_string(gb->repetitions) + ")";
      ++untestable;
    } else if (u.significant) {
      verdict = mb > ma ? "B faster" : "B slower";
      ++real;
    } else {
      verdict = "within noise";
      ++noise;
    }
    const std::string p = u.can_reject ? Fixed(u.p, 4) : "";
    md += "| " + SafeMarkdown(ga->key.at("scenario") + " / " +
                              ga->key.at("strategy") + " / " +
                              Label(*ga, vary)) +
          " | " + std::to_string(ga->workers()) + " | " + Rate(ma) + " | " +
          Rate(mb) + " | " +
          (std::isnan(change) ? "" : (change >= 0 ? "+" : "") +
                                         Fixed(100 * change, 1) + "%") +
          " | " + p + " | " + verdict + " |\n";
    std::vector<std::string> row;
    for (const std::string& c : GroupColumns()) {
      row.push_back(SafeCell(ga->key.at(c)));
    }
    row.push_back(std::to_string(ga->repetitions));
    row.push_back(std::to_string(gb->repetitions));
    row.push_back(Fixed(ma, 1));
    row.push_back(Fixed(mb, 1));
    row.push_back(std::isnan(change) ? "" : Fixed(change, 4));
    row.push_back(Fixed(u.p, 4));
    row.push_back(Fixed(u.min_p, 4));
    row.push_back(verdict);
    csv += CsvLine(row);
  }
  md += "\n" + std::to_string(pairs.size()) + " groups in common: " +
        std::to_string(real) + " differ beyond noise, " +
        std::to_string(noise) + " within noise, " + std::to_string(untestable) +
        " with too few repetitions to tell; " +
        std::to_string(a->size() - pairs.size()) + " only in A, " +
        std::to_string(b->size() - pairs.size()) + " only in B.\n";
  Result<OutputDir> dir =
      OutputDir::Open(options.out_dir, kReportMarker, options.force);
  if (!dir.ok()) return dir.status().WithContext("report");
  ReportOutput out;
  Status st = WriteFile(&*dir, "compare.md", md, &out);
  if (st.ok()) st = WriteFile(&*dir, "compare.csv", csv, &out);
  if (st.ok()) st = dir->Commit();
  if (!st.ok()) return st.WithContext("report");
  // For a terminal: the markdown without its escapes.
  text->clear();
  for (size_t i = 0; i < md.size(); ++i) {
    if (md[i] == '\\' && i + 1 < md.size()) ++i;
    *text += md[i];
  }
  return out;
}

}  // namespace ctrbench
