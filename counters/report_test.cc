#include "counters/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "counters/csv.h"
#include "counters/sweep.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::TempDir;

// A results row with the contract's columns; `set` overrides some.
std::vector<std::string> Row(const std::map<std::string, std::string>& set) {
  std::map<std::string, std::string> v = {
      {"schema_version", "1"}, {"scenario", "s"}, {"backend", "inproc"},
      {"strategy", "atomic"}, {"mode", "threads"}, {"workers", "1"},
      {"keys", "1"}, {"distribution", "uniform"}, {"batch", "1"},
      {"shards", "1"}, {"read_fraction", "0.000"}, {"hold_us", "0.000"},
      {"think_us", "0.000"}, {"backend_options", ""}, {"ops", "1000"},
      {"retries", "0"}, {"lock_wait_us", "0"}, {"duration_s", "1.0"},
      {"lost_updates", "0"}, {"fairness", "1.0"}, {"verified", "true"},
      {"lat_p50_us", "1.0"}, {"lat_p99_us", "2.0"}, {"expected_total", "1000"},
      {"increments_per_s", "100"}};
  for (const auto& [k, val] : set) v[k] = val;
  std::vector<std::string> row;
  for (const std::string& c : CsvHeader()) row.push_back(v[c]);
  return row;
}

std::string WriteCsv(const TempDir& dir, const std::string& name,
                     const std::vector<std::vector<std::string>>& rows) {
  std::string text = CsvLine(CsvHeader());
  for (const auto& r : rows) text += CsvLine(r);
  std::ofstream(dir.File(name)) << text;
  return dir.File(name);
}

const GroupSummary* Find(const std::vector<GroupSummary>& groups,
                         const std::string& backend, int workers) {
  for (const GroupSummary& g : groups) {
    if (g.key.at("backend") == backend && g.workers() == workers) return &g;
  }
  return nullptr;
}

// Version 2 changed what lat_* means: rows of versions 1 and 2 are never
// one group, and a version this ctrbench does not know is refused.
TEST(Report, KeepsSchemaVersionsApartAndRefusesUnknownOnes) {
  TempDir dir;
  const std::string mixed = WriteCsv(dir, "mixed.csv", {
      Row({{"schema_version", "1"}, {"lat_p50_us", "0.02"}}),
      Row({{"schema_version", "2"}, {"lat_p50_us", "7.0"}}),
  });
  Result<std::vector<ResultRow>> rows = LoadResults({mixed});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const std::vector<GroupSummary> groups = Summarize(*rows);
  ASSERT_EQ(groups.size(), 2u);
  for (const GroupSummary& g : groups) EXPECT_EQ(g.repetitions, 1);

  const std::string future = WriteCsv(dir, "future.csv", {
      Row({{"schema_version", "99"}}),
  });
  rows = LoadResults({future});
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("schema_version '99'"),
            std::string::npos)
      << rows.status().message();
}

// A file written before columns were appended (schema 1 had neither
// duration_target_s nor ops_target) still reads; those cells are empty.
TEST(Report, ReadsFilesThatLackLaterColumns) {
  TempDir dir;
  std::vector<std::string> header = CsvHeader();
  header.resize(std::find(header.begin(), header.end(), "error") -
                header.begin() + 1);
  std::string text = CsvLine(header);
  std::vector<std::string> row = Row({});
  row.resize(header.size());
  text += CsvLine(row);
  std::ofstream(dir.File("old.csv")) << text;
  Result<std::vector<ResultRow>> rows = LoadResults({dir.File("old.csv")});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Get("ops_target"), "");
  EXPECT_EQ(Summarize(*rows).size(), 1u);
}

// Cells of the input reach report's outputs as text: one that a
// spreadsheet would run as a formula is neutralized in summary.csv, and
// markdown is escaped in summary.md; numbers stay numbers.
TEST(Report, OutputsCannotBeTurnedAgainstTheirReader) {
  TempDir dir;
  const std::string in = WriteCsv(dir, "evil.csv", {
      Row({{"scenario", "=HYPERLINK(\"http://x\",\"y\")"},
           {"backend", "@SUM(1)|x"},
           {"distribution", "-cmd|' /C calc'!A0"},
           {"backend_options", "a=1|b\nc"}}),
  });
  ReportOptions options;
  options.inputs = {in};
  options.out_dir = dir.File("out");
  options.gnuplot = "";
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string csv = testing_util::ReadFile(dir.File("out/summary.csv"));
  EXPECT_NE(csv.find("'=HYPERLINK"), std::string::npos) << csv;
  EXPECT_NE(csv.find("'@SUM(1)|x"), std::string::npos) << csv;
  EXPECT_NE(csv.find("'-cmd"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",\"=HYPERLINK"), std::string::npos) << csv;
  const std::string md = testing_util::ReadFile(dir.File("out/summary.md"));
  EXPECT_NE(md.find("@SUM(1)\\|x"), std::string::npos) << md;
  EXPECT_EQ(md.find("@SUM(1)|x"), std::string::npos) << md;
}

TEST(Median, OddAndEven) {
  EXPECT_EQ(Median({3, 1, 2}), 2);
  EXPECT_EQ(Median({4, 1, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(Median({})));
}

TEST(Report, GroupsRepetitionsAndComputesKnownAnswers) {
  TempDir dir;
  const std::string a = WriteCsv(dir, "a.csv", {
      // inproc, 1 worker: 100, 300, 200 -> median 200.
      Row({{"increments_per_s", "100"}}),
      Row({{"increments_per_s", "300"}}),
      Row({{"increments_per_s", "200"}, {"retries", "5"}, {"ops", "1000"}}),
      // inproc, 2 workers: 500 -> speedup 2.5.
      Row({{"workers", "2"}, {"increments_per_s", "500"},
           {"lock_wait_us", "500000"}, {"duration_s", "1.0"}}),
  });
  const std::string b = WriteCsv(dir, "b.csv", {
      // shm, 2 workers: 1000 (fastest) and a failed repetition.
      Row({{"backend", "shm"}, {"workers", "2"}, {"increments_per_s", "1000"}}),
      Row({{"backend", "shm"}, {"workers", "2"}, {"increments_per_s", "900"},
           {"verified", "false"}}),
      // Another scenario never mixes in.
      Row({{"scenario", "t"}, {"workers", "2"}, {"increments_per_s", "9"}}),
  });
  Result<std::vector<ResultRow>> rows = LoadResults({a, b});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  const std::vector<GroupSummary> groups = Summarize(*rows);
  ASSERT_EQ(groups.size(), 4u);

  const GroupSummary* one = Find(groups, "inproc", 1);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->repetitions, 3);
  EXPECT_EQ(one->increments_per_s.median, 200);
  EXPECT_EQ(one->increments_per_s.min, 100);
  EXPECT_EQ(one->increments_per_s.max, 300);
  EXPECT_DOUBLE_EQ(one->retries_per_1k_ops.max, 5.0);
  EXPECT_EQ(one->retries_per_1k_ops.median, 0);
  EXPECT_EQ(one->speedup_vs_1_worker, 1.0);

  const GroupSummary* two = Find(groups, "inproc", 2);
  ASSERT_NE(two, nullptr);
  EXPECT_DOUBLE_EQ(two->speedup_vs_1_worker, 2.5);
  EXPECT_DOUBLE_EQ(two->lock_wait_share.median, 0.25);  // 0.5 s of 2 x 1 s.
  EXPECT_DOUBLE_EQ(two->ratio_to_fastest, 500.0 / 950.0);

  const GroupSummary* shm = Find(groups, "shm", 2);
  ASSERT_NE(shm, nullptr);
  EXPECT_EQ(shm->increments_per_s.median, 950);
  EXPECT_FALSE(shm->all_verified);
  EXPECT_DOUBLE_EQ(shm->ratio_to_fastest, 1.0);
  EXPECT_EQ(shm->speedup_vs_1_worker, 0);  // No 1-worker shm group.
  EXPECT_EQ(shm->lost_share.median, 0);
}

TEST(Report, MalformedCsvNamesFileAndLine) {
  TempDir dir;
  std::ofstream(dir.File("short.csv"))
      << CsvLine(CsvHeader()) << CsvLine(Row({})) << "1,2,3\n";
  Result<std::vector<ResultRow>> rows = LoadResults({dir.File("short.csv")});
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().IsInvalidArgument());
  EXPECT_NE(rows.status().message().find("short.csv:3"), std::string::npos)
      << rows.status().message();

  std::ofstream(dir.File("quote.csv"))
      << CsvLine(CsvHeader()) << "1,\"unterminated\n";
  rows = LoadResults({dir.File("quote.csv")});
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("quote.csv:2"), std::string::npos)
      << rows.status().message();

  std::ofstream(dir.File("other.csv")) << "a,b\n1,2\n";
  rows = LoadResults({dir.File("other.csv")});
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("other.csv:1"), std::string::npos);
  EXPECT_NE(rows.status().message().find("missing"), std::string::npos);

  std::vector<std::string> bad = Row({});
  bad[7] = "many";  // workers
  WriteCsv(dir, "nan.csv", {bad});
  rows = LoadResults({dir.File("nan.csv")});
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("nan.csv:2"), std::string::npos);
}

TEST(Report, WritesTablesAndPlots) {
  TempDir dir;
  const std::string in = WriteCsv(dir, "in.csv", {
      Row({{"increments_per_s", "1000"}}),
      Row({{"workers", "2"}, {"increments_per_s", "1500"}}),
      Row({{"backend", "shm"}, {"increments_per_s", "900"}}),
      Row({{"backend", "shm"}, {"workers", "2"},
           {"increments_per_s", "2500000"}}),
      Row({{"strategy", "lock"}, {"increments_per_s", "10"},
           {"retries", "20"}}),
      Row({{"strategy", "naive"}, {"lost_updates", "250"}}),
  });
  ReportOptions options;
  options.inputs = {in};
  options.out_dir = dir.File("report");
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string md = testing_util::ReadFile(dir.File("report/summary.md"));
  EXPECT_NE(md.find("## s / atomic"), std::string::npos) << md;
  EXPECT_NE(md.find("## s / lock"), std::string::npos) << md;
  EXPECT_NE(md.find("| increments/s | 1 | 2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| shm | 900 | 2.50 M |"), std::string::npos) << md;
  const std::string csv = testing_util::ReadFile(dir.File("report/summary.csv"));
  EXPECT_NE(csv.find("increments_per_s_median"), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 6);
  EXPECT_NE(md.find("| 250 | 25.0 |"), std::string::npos) << md;

  const bool have_gnuplot = access("/usr/bin/gnuplot", X_OK) == 0;
  if (!have_gnuplot) {
    EXPECT_NE(out->note.find("gnuplot-nox"), std::string::npos);
    GTEST_SKIP() << "gnuplot not installed: plots not checked";
  }
  EXPECT_EQ(out->note, "");
  for (const char* name :
       {"s-atomic-throughput.png", "s-atomic-throughput.svg",
        "s-atomic-p99.png", "s-atomic-retries.svg", "s-lock-retries.png"}) {
    const std::string data = testing_util::ReadFile(dir.File("report/") + name);
    EXPECT_GT(data.size(), 100u) << name;
    if (std::string(name).find(".png") != std::string::npos) {
      EXPECT_EQ(data.substr(1, 3), "PNG") << name;
    } else {
      EXPECT_NE(data.find("<svg"), std::string::npos) << name;
    }
  }
}

TEST(Report, WithoutGnuplotTheTablesAreStillWritten) {
  TempDir dir;
  const std::string in = WriteCsv(dir, "in.csv", {Row({})});
  ReportOptions options;
  options.inputs = {in};
  options.out_dir = dir.File("r");
  options.gnuplot = "/nonexistent/gnuplot";
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->note.find("gnuplot-nox"), std::string::npos);
  EXPECT_FALSE(testing_util::ReadFile(dir.File("r/summary.md")).empty());
}

}  // namespace
}  // namespace ctrbench
