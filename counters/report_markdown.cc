// summary.md: for each table (scenario x strategy) the median increments/s
// with backends as rows and worker counts as columns, the details of every
// group, and the scalability fits. Declared in counters/report_tables.h.

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "counters/csv.h"
#include "counters/report_tables.h"

namespace ctrbench {

namespace {

constexpr char kMarkdownIntro[] =
    "# ctrbench report\n\n"
    "Medians over repetitions. Increments/s per table: backends as "
    "rows, worker counts as columns. `(!)` marks a group with a run "
    "that failed verification.\n\n"
    "The interval of a median is distribution-free: the order "
    "statistics that hold the true median with at least 95 % "
    "probability, or [min, max] below 6 repetitions, which holds it with "
    "75 % at 3 repetitions, 87.5 % at 4 and 93.75 % at 5 (the "
    "percentage is given). \"vs fastest\" divides a group's median by "
    "that of the fastest backend doing the same: the same strategy, mode, "
    "workers, workload and loop (closed, or open at the same offered "
    "rate), however long each was run; it is empty for a group that has "
    "no such peer. "
    "\u2248 marks a difference within noise there: a Mann-Whitney U test of "
    "the repetitions against the fastest group's gives p >= 0.05. Without "
    "the mark the difference is real, when the repetitions allow a test at "
    "all (4 or more each; 5 recommended).\n";

// The first table of a section: a row per series label, a column per
// worker count, each cell the median increments/s.
std::string IncrementsMarkdown(const Table& t, const std::set<std::string>& vary) {
  std::set<int> worker_set;
  for (const GroupSummary* g : t.groups) worker_set.insert(g->workers());
  const std::vector<int> workers(worker_set.begin(), worker_set.end());
  std::string md = "| increments/s |";
  for (int w : workers) md += " " + std::to_string(w) + " |";
  md += "\n|---|";
  for (size_t i = 0; i < workers.size(); ++i) md += "---:|";
  md += "\n";
  std::vector<std::string> order;
  std::map<std::string, std::map<int, const GroupSummary*>> rows;
  for (const GroupSummary* g : t.groups) {
    const std::string label = Label(*g, vary);
    if (!rows.count(label)) order.push_back(label);
    rows[label][g->workers()] = g;
  }
  for (const std::string& label : order) {
    md += "| " + SafeMarkdown(label) + " |";
    for (int w : workers) {
      auto it = rows[label].find(w);
      if (it == rows[label].end() || !it->second->increments_per_s.present) {
        md += " |";
        continue;
      }
      md += " " + Rate(it->second->increments_per_s.median) +
            (it->second->all_verified ? "" : " (!)") + " |";
    }
    md += "\n";
  }
  return md;
}

// A column of the details table after the group's label: its header and a
// group's cell. An optional one (open loop, write-behind, a server's CPU)
// is there only when some group of the table has `shown_by`.
struct DetailColumn {
  const char* header;
  Stat GroupSummary::*shown_by;  // Null: always there.
  std::function<std::string(const GroupSummary&)> cell;
};

const std::vector<DetailColumn>& DetailColumns() {
  using G = GroupSummary;
  static const std::vector<DetailColumn>* columns =
      new std::vector<DetailColumn>{
          {"workers", nullptr,
           [](const G& g) { return std::to_string(g.workers()); }},
          {"increments/s interval", nullptr, IntervalCell},
          {"p50 us", nullptr,
           [](const G& g) { return StatCell(g.lat_p50_us, 2); }},
          {"p99 us", nullptr,
           [](const G& g) { return StatCell(g.lat_p99_us, 2); }},
          {"resp p50 us", &G::rate_achieved,
           [](const G& g) { return StatCell(g.resp_p50_us, 2); }},
          {"resp p99 us", &G::rate_achieved,
           [](const G& g) { return StatCell(g.resp_p99_us, 2); }},
          {"achieved/s", &G::rate_achieved,
           [](const G& g) {
             return g.rate_achieved.present ? Rate(g.rate_achieved.median) : "";
           }},
          {"stale max us", &G::stale_max_us,
           [](const G& g) { return StatCell(g.stale_max_us, 0); }},
          {"held max", &G::stale_max_us,
           [](const G& g) { return StatCell(g.held_max, 0); }},
          {"server cores", &G::server_cores,
           [](const G& g) { return StatCell(g.server_cores, 2); }},
          {"server us/op", &G::server_cores,
           [](const G& g) { return StatCell(g.server_us_per_op, 2); }},
          {"retries/1k ops", nullptr,
           [](const G& g) { return StatCell(g.retries_per_1k_ops, 1); }},
          {"lock wait share", nullptr,
           [](const G& g) { return StatCell(g.lock_wait_share, 3); }},
          {"lost updates", nullptr,
           [](const G& g) { return StatCell(g.lost_updates, 0); }},
          {"lost %", nullptr,
           [](const G& g) {
             return g.lost_share.present ? Fixed(100 * g.lost_share.median, 1)
                                         : "";
           }},
          {"fairness", nullptr,
           [](const G& g) { return StatCell(g.fairness, 3); }},
          {"speedup vs 1", nullptr,
           [](const G& g) {
             return g.speedup_vs_1_worker > 0 ? Fixed(g.speedup_vs_1_worker, 2)
                                              : "";
           }},
          {"vs fastest", nullptr, VsFastestCell},
      };
  return *columns;
}

bool Shown(const DetailColumn& c, const Table& t) {
  if (c.shown_by == nullptr) return true;
  for (const GroupSummary* g : t.groups) {
    if ((g->*c.shown_by).present) return true;
  }
  return false;
}

// The details of every group of a table, with the optional columns some
// group has values for.
std::string DetailsTable(const Table& t, const std::set<std::string>& vary) {
  std::vector<const DetailColumn*> shown;
  for (const DetailColumn& c : DetailColumns()) {
    if (Shown(c, t)) shown.push_back(&c);
  }
  std::vector<std::string> header = {"details"};
  for (const DetailColumn* c : shown) header.push_back(c->header);
  std::string md = "\n" + MarkdownCells(header) + "|---|";
  for (size_t i = 0; i < shown.size(); ++i) md += "---:|";
  md += "\n";
  for (const GroupSummary* g : t.groups) {
    std::vector<std::string> cells = {SafeMarkdown(Label(*g, vary))};
    for (const DetailColumn* c : shown) cells.push_back(c->cell(*g));
    md += MarkdownCells(cells);
  }
  return md;
}

// Under the details: with too few repetitions for a U test to reject
// anything, "vs fastest" can mark nothing, and the reader should know why.
std::string RepetitionsNote(const Table& t) {
  int fewest_reps = 0;
  bool marked = false;
  for (const GroupSummary* g : t.groups) {
    if (!g->against_fastest) continue;
    fewest_reps = fewest_reps == 0 ? g->repetitions
                                   : std::min(fewest_reps, g->repetitions);
    marked |= g->vs_fastest.can_reject;
  }
  if (fewest_reps == 0 || marked) return "";
  return "\nWith " + std::to_string(fewest_reps) + " repetition" +
         (fewest_reps == 1 ? "" : "s") +
         " a U test can never reach p < 0.05, so no difference is marked "
         "as noise or as real: run `repeat` >= 4 (5 recommended).\n";
}

// The USL fits of a table's series (nothing when none could be fitted).
std::string FitsTable(const std::vector<SeriesFit>& fits) {
  if (fits.empty()) return "";
  std::string md =
      "\nScalability (Universal Scalability Law, X(N) = lambda N / "
      "(1 + sigma (N - 1) + kappa N (N - 1)), fitted to every "
      "repetition; sigma is contention, kappa coherency; with R^2 "
      "below about 0.9 the law does not describe the series):\n\n"
      "| series | worker counts | lambda (/s) | sigma "
      "(contention) | kappa (coherency) | peak N | peak X (/s) | R^2 |"
      "\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const SeriesFit& f : fits) {
    md += MarkdownCells(
        {SafeMarkdown(f.label), std::to_string(f.worker_counts),
         Rate(f.fit.lambda), Significant(f.fit.sigma, 3),
         Significant(f.fit.kappa, 3), Number(f.fit.peak_n, 1),
         std::isfinite(f.fit.peak_x) ? Rate(f.fit.peak_x) : "inf",
         Fixed(f.fit.r_squared, 3)});
  }
  return md;
}

// The section of one table: its heading, the increments/s table, the note
// on CPUs, the details and the fits.
std::string Section(const Table& t) {
  const std::set<std::string> vary = VaryingColumns(t);
  return "\n## " + SafeMarkdown(t.scenario + " / " + t.strategy) + "\n\n" +
         IncrementsMarkdown(t, vary) + "\n" + CpuNote(t) + DetailsTable(t, vary) +
         RepetitionsNote(t) + FitsTable(FitSeries(t, vary));
}

}  // namespace

std::string MarkdownCells(const std::vector<std::string>& cells) {
  std::string row = "|";
  for (const std::string& c : cells) row += " " + c + " |";
  return row + "\n";
}

std::string SummaryMarkdown(const std::vector<Table>& tables) {
  std::string md = kMarkdownIntro;
  for (const Table& t : tables) md += Section(t);
  return md;
}

}  // namespace ctrbench
