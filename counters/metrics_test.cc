#include "counters/metrics.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "counters/fields.h"
#include "counters/run_merge.h"
#include "counters/runner.h"
#include "counters/sink.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

// A run setting missing from the columns would vanish from the CSV and
// make --resume stop matching; two columns of one name would be ambiguous.
TEST(Columns, HoldEveryRunFieldOnceAndNoNameTwice) {
  std::map<std::string, int> seen;
  for (const Column& c : Columns()) ++seen[c.name];
  for (const auto& [name, n] : seen) EXPECT_EQ(n, 1) << name;
  for (const Field& f : RunFields()) {
    ASSERT_EQ(seen.count(f.column), 1u) << f.column;
    EXPECT_EQ(FindColumn(f.column)->combine, Combine::kSetting) << f.column;
  }
  EXPECT_EQ(CsvHeader().size(), Columns().size());
  // New columns are appended: backend_stats, then goodput_per_s (issue
  // 24), then the inventory's, cells', phases' and the subsets' latency
  // (issue 25).
  const std::vector<std::string> header = CsvHeader();
  const std::vector<std::string> tail = {
      "backend_stats", "goodput_per_s", "kind", "stock",
      "sold", "sold_out", "oversold", "sold_out_at_s", "take",
      "negative_reads", "shard_by", "cells", "phases", "drain_s",
      "read_p50_us", "read_p99_us", "refused_p50_us", "refused_p99_us"};
  ASSERT_GE(header.size(), tail.size());
  EXPECT_EQ(std::vector<std::string>(header.end() - tail.size(), header.end()),
            tail);
}

TEST(Columns, EveryCountHasARuleAndOnlyCountsDo) {
  for (const Column& c : Columns()) {
    const bool count_rule = c.combine == Combine::kSum ||
                            c.combine == Combine::kMax ||
                            c.combine == Combine::kEarliest;
    EXPECT_EQ(c.count != nullptr, count_rule) << c.name;
    EXPECT_TRUE(c.value) << c.name;
    EXPECT_GT(std::string(c.description).size(), 0u) << c.name;
  }
}

TEST(CombineCounts, SumsMaximaAndTheEarliestStart) {
  WorkerCounts a, b, total;
  a.ops = 10;
  a.start_ns = 500;
  a.end_ns = 900;
  a.sched_lag_max_ns = 7;
  a.held_max = 3;
  b.ops = 5;
  b.start_ns = 0;  // Never started: not the earliest.
  b.end_ns = 1000;
  b.sched_lag_max_ns = 4;
  b.held_max = 2;
  CombineCounts(a, &total);
  CombineCounts(b, &total);
  EXPECT_EQ(total.ops, 15);
  EXPECT_EQ(total.start_ns, 500);
  EXPECT_EQ(total.end_ns, 1000);
  EXPECT_EQ(total.sched_lag_max_ns, 7);
  EXPECT_EQ(total.held_max, 5);  // Summed: what a crash could lose.
}

// Every cell of a real run has its column's declared type, or is empty.
// The rate column alone holds a share as text ("80%").
void ExpectDeclaredTypes(const RunResult& r) {
  const HostInfo host = CurrentHost();
  for (const Column& c : Columns()) {
    const Cell cell = c.value(r, host);
    if (cell.null()) continue;
    EXPECT_EQ(cell.type(), c.type)
        << c.name << " is " << CellTypeName(cell.type()) << ": " << cell.Text();
  }
}

// The means are exact: the summed nanoseconds over the count, not the
// midpoints of the histogram's buckets.
TEST(Columns, MeansAreTheSummedTimesOverTheCount) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 2;
  c.ops = 3000;
  c.hold_ns = 20000;
  c.strategy = Strategy::kLock;  // The hold is inside the lock.
  c.rate = 20000;  // Open loop, so that the response has a mean too.
  Result<RunResult> r =
      ExecuteRun(c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->verified) << r->error;
  ExpectDeclaredTypes(*r);
  const HostInfo host = CurrentHost();
  ASSERT_GT(r->latency.count(), 0);
  const double lat = FindColumn("lat_mean_us")->value(*r, host).float_value();
  EXPECT_DOUBLE_EQ(
      lat, static_cast<double>(r->latency.sum()) / r->latency.count() / 1000);
  EXPECT_GE(lat, 20.0) << "a 20 us hold is inside every call";
  EXPECT_LE(lat, r->lat_max_us);
  const double resp = FindColumn("resp_mean_us")->value(*r, host).float_value();
  EXPECT_DOUBLE_EQ(resp, static_cast<double>(r->response.sum()) /
                             r->response.count() / 1000);
  EXPECT_GE(resp, lat * 0.99) << "a response includes its service";

  // A closed loop has no response, and its cells are empty (null).
  c.rate = 0;
  Result<RunResult> closed =
      ExecuteRun(c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  ExpectDeclaredTypes(*closed);
  EXPECT_TRUE(FindColumn("resp_mean_us")->value(*closed, host).null());
  EXPECT_FALSE(FindColumn("lat_mean_us")->value(*closed, host).null());
}

// Goodput is the sum over counters of min(acknowledged, read), per second
// of the measured time: a counter short of its acknowledgements takes its
// shortfall off the increments; one over them (which fails the run) adds
// nothing. Warm-up acknowledgements are not the measured time's.
TEST(Columns, GoodputCountsWhatAReadFound) {
  Result<SharedState*> made = SharedState::Create(1, 3);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<SharedState> shared(*made);
  shared->AddAcknowledged({10, 5, 7});
  RunResult r;
  r.config.strategy = Strategy::kNaive;
  r.counts.increments = 20;  // 2 more were acknowledged in the warm-up.
  r.duration_s = 2;
  Verify(shared.get(), {10, 3, 7}, &r);
  EXPECT_EQ(r.lost_updates, 2);
  EXPECT_TRUE(r.verified) << r.error;  // Naive loses, and invents nothing.
  EXPECT_DOUBLE_EQ(r.goodput_per_s, (20 - 2) / 2.0);
  EXPECT_EQ(FindColumn("goodput_per_s")->value(r, HostInfo()).Text(), "9.0");

  // One counter over, one short: only the shortfall counts.
  RunResult over;
  over.config.strategy = Strategy::kNaive;
  over.counts.increments = 20;
  over.duration_s = 2;
  Verify(shared.get(), {12, 4, 7}, &over);
  EXPECT_FALSE(over.verified);
  EXPECT_DOUBLE_EQ(over.goodput_per_s, (20 - 1) / 2.0);

  // Nothing read: no goodput (an empty cell).
  RunResult unread;
  EXPECT_TRUE(FindColumn("goodput_per_s")->value(unread, HostInfo()).null());
}

// A real run that loses nothing has goodput equal to its increments/s.
TEST(Columns, GoodputOfASafeRunIsItsIncrements) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 2;
  c.ops = 2000;
  Result<RunResult> r =
      ExecuteRun(c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->verified) << r->error;
  EXPECT_DOUBLE_EQ(r->goodput_per_s, r->increments_per_s);
}

// A store's statistic fills its column when it has one; any other goes
// into backend_stats, sorted and escaped.
TEST(Columns, StoreStatisticsFillTheirColumnsOrBackendStats) {
  RunResult r;
  r.backend_stats = {{"zeta", Cell::Int(3)},
                     {"alpha", Cell::Text("a;b")},
                     {"server_cpu_s", Cell::Float(1.25, 3)}};
  const HostInfo host;
  EXPECT_EQ(FindColumn("server_cpu_s")->value(r, host).Text(), "1.250");
  EXPECT_EQ(FindColumn("backend_stats")->value(r, host).Text(),
            "alpha=a%3Bb;zeta=3");
  EXPECT_TRUE(FindColumn("node_commands")->value(r, host).null());
  EXPECT_EQ(UncolumnedStats(r).size(), 2u);
}

// results/README.md documents every column and no other: its table's first
// cells name columns (`a`, `b`; or `a` ... `c`, a range in table order).
TEST(Columns, ResultsReadmeDocumentsEachColumn) {
  std::ifstream in(std::string(CTRBENCH_SOURCE_DIR) + "/results/README.md");
  ASSERT_TRUE(in) << "results/README.md";
  std::vector<std::string> names;
  for (const Column& c : Columns()) names.push_back(c.name);
  auto index = [&names](const std::string& name) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  std::set<std::string> documented;
  std::string line;
  bool in_columns = false;
  const std::regex name("`([a-z0-9_]+)`");
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_columns = line == "## Columns";
    if (!in_columns || line.rfind("| `", 0) != 0) continue;
    const std::string first = line.substr(2, line.find(" |", 2) - 2);
    std::vector<std::string> found;
    for (std::sregex_iterator it(first.begin(), first.end(), name), end;
         it != end; ++it) {
      found.push_back((*it)[1]);
    }
    const bool range = first.find("...") != std::string::npos;
    for (size_t i = 0; i < found.size(); ++i) {
      ASSERT_GE(index(found[i]), 0)
          << "results/README.md documents `" << found[i]
          << "`, which is not a column";
      documented.insert(found[i]);
      if (range && i == 0 && found.size() > 1) {
        for (int k = index(found[0]); k <= index(found[1]); ++k) {
          documented.insert(names[k]);
        }
      }
    }
  }
  for (const std::string& n : names) {
    EXPECT_EQ(documented.count(n), 1u)
        << "results/README.md's column list lacks `" << n << "`";
  }
}

}  // namespace
}  // namespace ctrbench
