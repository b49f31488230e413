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

using testing_util::AddReps;
using testing_util::Row;
using testing_util::TempDir;
using testing_util::WriteCsv;

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

// A file that is not there to read is named with why and what is allowed,
// as every other error of ctrbench is; so is a header without runs.
TEST(Report, MissingFilesAndEmptyInputSayWhatIsAllowed) {
  TempDir dir;
  for (const std::string& path : {dir.File("nonexist.csv"), dir.path()}) {
    const Status st = CheckResultsFile(path);
    ASSERT_TRUE(st.IsInvalidArgument()) << path;
    EXPECT_EQ(st.message().rfind(path + ": ", 0), 0u) << st.message();
    EXPECT_NE(st.message().find("; allowed: results files"),
              std::string::npos)
        << st.message();
    EXPECT_EQ(LoadResults({path}).status().message(), st.message());
  }
  EXPECT_NE(CheckResultsFile(dir.File("nonexist.csv"))
                .message()
                .find("no such file"),
            std::string::npos);
  EXPECT_NE(CheckResultsFile(dir.path()).message().find("a directory"),
            std::string::npos);
  const std::string header_only = WriteCsv(dir, "header.csv", {});
  EXPECT_TRUE(CheckResultsFile(header_only).ok());
  ReportOptions options;
  options.inputs = {header_only};
  options.out_dir = dir.File("out");
  options.gnuplot = "";
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().IsInvalidArgument());
  EXPECT_EQ(out.status().message(),
            header_only + ": no runs in it (a header only); allowed: "
                          "results files with at least one run");
}

// Memory goes with the groups kept: past kMaxGroups the summarizer stops
// with a message instead of growing.
TEST(Report, RefusesMoreGroupsThanItKeeps) {
  Summarizer summarizer;
  ResultRow row;
  row.source = "many.csv:2";
  for (const std::string& c : GroupColumns()) row.fields[c] = "x";
  for (size_t i = 0; i < kMaxGroups; ++i) {
    row.fields["keys"] = std::to_string(i);
    ASSERT_TRUE(summarizer.Add(row).ok()) << i;
  }
  row.fields["keys"] = "0";  // A group it has: still fine.
  EXPECT_TRUE(summarizer.Add(row).ok());
  row.fields["keys"] = "one more";
  const Status st = summarizer.Add(row);
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_NE(st.message().find("many.csv:2: more than 100000 groups"),
            std::string::npos)
      << st.message();
}

// Many tables, series and points: plots for a bounded number of them, and
// a note that says what was left out.
TEST(Report, PlotsABoundedNumberAndSaysWhatItLeftOut) {
  if (access("/usr/bin/gnuplot", X_OK) != 0) GTEST_SKIP() << "no gnuplot";
  TempDir dir;
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < kMaxPlottedTables + 3; ++i) {
    rows.push_back(Row({{"scenario", "s" + std::to_string(i)}}));
  }
  for (size_t i = 0; i < kMaxSeries + 2; ++i) {
    for (int w = 1; w <= 2; ++w) {
      rows.push_back(Row({{"scenario", "a-series"},
                          {"workers", std::to_string(w)},
                          {"keys", std::to_string(i + 1)},
                          {"hold_us", std::to_string(i)}}));
    }
  }
  for (size_t i = 0; i < kMaxPoints + 5; ++i) {
    rows.push_back(Row({{"scenario", "points"},
                        {"keys", std::to_string(i + 1)}}));
  }
  ReportOptions options;
  options.inputs = {WriteCsv(dir, "many.csv", rows)};
  options.out_dir = dir.File("report");
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(out->note.find("plots for the first 100 of"), std::string::npos)
      << out->note;
  EXPECT_NE(out->note.find("plotted the 1000 smallest of 1005 keys values"),
            std::string::npos)
      << out->note;
  EXPECT_NE(out->note.find("a-series / atomic: plotted the first 24 of 26 "
                           "series"),
            std::string::npos)
      << out->note;
  size_t pngs = 0;
  for (const std::string& f : out->files) pngs += f.find(".png") != std::string::npos;
  EXPECT_LE(pngs, kMaxPlottedTables * 5);
  const std::string script =
      testing_util::ReadFile(dir.File("report/points-atomic.gp"));
  const size_t xtics = script.find("set xtics (");
  ASSERT_NE(xtics, std::string::npos);
  const std::string ticks = script.substr(xtics, script.find(')', xtics) - xtics);
  EXPECT_LE(static_cast<size_t>(std::count(ticks.begin(), ticks.end(), ',')),
            kMaxTicks);
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
  // Nothing to say, but that report.html has no charts where Chart.js is
  // not installed (counters/report_html_test.cc tests that note).
  if (access(kDefaultChartJs, R_OK) == 0) {
    EXPECT_EQ(out->note, "");
  } else {
    EXPECT_EQ(out->note.rfind("report.html: no charts", 0), 0u) << out->note;
    EXPECT_EQ(out->note.find("; "), std::string::npos) << out->note;
  }
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

// A series swept over 4 worker counts gets a USL fit that recovers the
// law it was made from; with more workers than CPUs the report says what
// that means; plots draw the fit.
TEST(Report, FitsTheScalabilityLawToWorkerSweeps) {
  TempDir dir;
  UslFit law;
  law.lambda = 100000;
  law.sigma = 0.1;
  law.kappa = 0.01;
  std::vector<std::vector<std::string>> rows;
  for (int n : {1, 2, 4, 8, 16}) {
    const double x = law.At(n);
    AddReps(&rows, {{"workers", std::to_string(n)}, {"cpus", "2"}},
            {x * 0.99, x, x * 1.01});
  }
  ReportOptions options;
  options.inputs = {WriteCsv(dir, "usl.csv", rows)};
  options.out_dir = dir.File("report");
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string md = testing_util::ReadFile(dir.File("report/summary.md"));
  EXPECT_NE(md.find("Universal Scalability Law"), std::string::npos) << md;
  // sigma 0.1 and kappa 0.01 to three digits; peak sqrt(0.9 / 0.01) = 9.5.
  EXPECT_NE(md.find("| inproc | 5 | 100.0 k | 0.1 | 0.01 | 9.5 |"),
            std::string::npos) << md;
  EXPECT_NE(md.find("Workers exceed the host's 2 CPUs"), std::string::npos);
  EXPECT_NE(md.find("[99.0 k, 101.0 k] 75%"), std::string::npos) << md;
  if (access("/usr/bin/gnuplot", X_OK) == 0) {
    const std::string gp = testing_util::ReadFile(dir.File("report/s-atomic.gp"));
    EXPECT_NE(gp.find("*x/(1+"), std::string::npos) << gp;
  }

  // Three worker counts: no fit (three parameters fit any three points).
  rows.clear();
  for (int n : {1, 2, 4}) AddReps(&rows, {{"workers", std::to_string(n)}}, {law.At(n)});
  options.inputs = {WriteCsv(dir, "three.csv", rows)};
  options.out_dir = dir.File("three");
  ASSERT_TRUE(WriteReport(options).ok());
  EXPECT_EQ(testing_util::ReadFile(dir.File("three/summary.md"))
                .find("Universal Scalability Law"),
            std::string::npos);
}

// With 5 repetitions "vs fastest" marks a difference within noise and
// leaves a real one unmarked; with 3 it says that no test can tell.
TEST(Report, MarksDifferencesWithinNoise) {
  TempDir dir;
  std::vector<std::vector<std::string>> rows;
  AddReps(&rows, {{"backend", "shm"}}, {100, 102, 98, 101, 99});
  AddReps(&rows, {{"backend", "inproc"}}, {100.5, 97, 103, 99.5, 98.5});
  AddReps(&rows, {{"backend", "redis"}}, {50, 51, 49, 52, 48});
  const std::vector<GroupSummary> groups =
      Summarize(*LoadResults({WriteCsv(dir, "five.csv", rows)}));
  const GroupSummary* shm = Find(groups, "shm", 1);
  const GroupSummary* inproc = Find(groups, "inproc", 1);
  const GroupSummary* redis = Find(groups, "redis", 1);
  ASSERT_TRUE(shm && inproc && redis);
  EXPECT_FALSE(shm->against_fastest) << "shm is the fastest";
  ASSERT_TRUE(inproc->against_fastest);
  EXPECT_TRUE(inproc->vs_fastest.can_reject);
  EXPECT_FALSE(inproc->vs_fastest.significant);
  EXPECT_TRUE(redis->vs_fastest.significant);
  EXPECT_NEAR(redis->vs_fastest.p, 2.0 / 252, 1e-9);  // All 5 below all 5.

  ReportOptions options;
  options.inputs = {dir.File("five.csv")};
  options.out_dir = dir.File("five");
  options.gnuplot = "";
  ASSERT_TRUE(WriteReport(options).ok());
  std::string md = testing_util::ReadFile(dir.File("five/summary.md"));
  EXPECT_NE(md.find("| 0.995 \u2248 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 0.500 |"), std::string::npos) << md;
  EXPECT_EQ(md.find("can never reach"), std::string::npos) << md;

  rows.clear();
  AddReps(&rows, {{"backend", "shm"}}, {100, 102, 98});
  AddReps(&rows, {{"backend", "redis"}}, {50, 51, 49});
  options.inputs = {WriteCsv(dir, "three.csv", rows)};
  options.out_dir = dir.File("three");
  ASSERT_TRUE(WriteReport(options).ok());
  md = testing_util::ReadFile(dir.File("three/summary.md"));
  EXPECT_NE(md.find("With 3 repetitions a U test can never reach p < 0.05"),
            std::string::npos) << md;
  EXPECT_EQ(md.find("\u2248 |"), std::string::npos) << md;
}

// "vs fastest" compares a group with the fastest backend doing the same:
// same strategy, mode, workers, workload and loop, however long each was
// run (the Python baseline counts to a number, ctrbench runs for a time).
// A group with no such peer, or without a median to compare, gets an
// empty cell, never a 1.000 that compares nothing.
TEST(Report, ComparesOnlyLikeWithLike) {
  TempDir dir;
  std::vector<std::vector<std::string>> rows;
  const std::map<std::string, std::string> timed = {
      {"strategy", "lock"}, {"workers", "2"}, {"duration_target_s", "0.300"},
      {"warmup_s", "0.050"}};
  const std::map<std::string, std::string> counted = {
      {"strategy", "lock"}, {"workers", "2"}, {"ops_target", "5000"},
      {"warmup_s", "0.000"}};
  auto with = [](std::map<std::string, std::string> base,
                 const std::map<std::string, std::string>& more) {
    for (const auto& [k, v] : more) base[k] = v;
    return base;
  };
  AddReps(&rows, with(timed, {{"backend", "shm"}}), {1000000});
  AddReps(&rows, with(counted, {{"backend", "py-threading"}}), {200000});
  AddReps(&rows, with(timed, {{"backend", "redis"}}), {50});
  // Processes are compared with processes only.
  AddReps(&rows, with(timed, {{"backend", "shm"}, {"mode", "processes"}}),
          {900000});
  AddReps(&rows,
          with(counted, {{"backend", "py-value"}, {"mode", "processes"}}),
          {450000});
  // Alone: the only cas group, and the only open-loop one.
  AddReps(&rows, with(timed, {{"backend", "shm"}, {"strategy", "cas"}}),
          {800000});
  AddReps(&rows, with(timed, {{"backend", "sqlite"}, {"rate", "1000"},
                              {"arrival", "constant"}}),
          {1000});
  // No rate to compare: nothing measured, and the one peer it leaves.
  AddReps(&rows, with(timed, {{"backend", "shm"}, {"strategy", "naive"}}),
          {0});
  AddReps(&rows, with(timed, {{"backend", "redis"}, {"strategy", "naive"}}),
          {40});
  const std::vector<GroupSummary> groups =
      Summarize(*LoadResults({WriteCsv(dir, "like.csv", rows)}));
  ASSERT_EQ(groups.size(), 9u);
  auto find = [&groups](const std::string& backend, const std::string& strategy,
                        const std::string& mode) -> const GroupSummary* {
    for (const GroupSummary& g : groups) {
      if (g.key.at("backend") == backend &&
          g.key.at("strategy") == strategy && g.key.at("mode") == mode) {
        return &g;
      }
    }
    return nullptr;
  };
  const GroupSummary* shm = find("shm", "lock", "threads");
  const GroupSummary* py = find("py-threading", "lock", "threads");
  const GroupSummary* redis = find("redis", "lock", "threads");
  const GroupSummary* shm_p = find("shm", "lock", "processes");
  const GroupSummary* value = find("py-value", "lock", "processes");
  const GroupSummary* cas = find("shm", "cas", "threads");
  const GroupSummary* open_loop = find("sqlite", "lock", "threads");
  const GroupSummary* zero = find("shm", "naive", "threads");
  const GroupSummary* left = find("redis", "naive", "threads");
  ASSERT_TRUE(shm && py && redis && shm_p && value && cas && open_loop &&
              zero && left);
  EXPECT_DOUBLE_EQ(shm->ratio_to_fastest, 1.0);
  EXPECT_DOUBLE_EQ(py->ratio_to_fastest, 0.2);
  EXPECT_TRUE(py->against_fastest);
  EXPECT_DOUBLE_EQ(redis->ratio_to_fastest, 50.0 / 1000000);
  EXPECT_DOUBLE_EQ(shm_p->ratio_to_fastest, 1.0);
  EXPECT_DOUBLE_EQ(value->ratio_to_fastest, 0.5);
  for (const GroupSummary* g : {cas, open_loop, zero, left}) {
    EXPECT_EQ(g->ratio_to_fastest, 0) << g->key.at("backend");
    EXPECT_FALSE(g->against_fastest) << g->key.at("backend");
  }

  ReportOptions options;
  options.inputs = {dir.File("like.csv")};
  options.out_dir = dir.File("like");
  options.gnuplot = "";
  ASSERT_TRUE(WriteReport(options).ok());
  const std::string md = testing_util::ReadFile(dir.File("like/summary.md"));
  // "vs fastest" is the last cell of a row of the details; three
  // significant digits where three decimals would say 0.000.
  EXPECT_NE(md.find("| 0.0000500 |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| 0.200 |\n"), std::string::npos) << md;
  EXPECT_EQ(md.find("| 0.000 |\n"), std::string::npos) << md;
  const auto summary = testing_util::ReadCsv(dir.File("like/summary.csv"));
  ASSERT_EQ(summary.size(), 1u + 9);
  for (size_t i = 1; i < summary.size(); ++i) {
    const std::string backend = testing_util::Column(summary, i, "backend");
    const std::string strategy = testing_util::Column(summary, i, "strategy");
    const std::string ratio =
        testing_util::Column(summary, i, "ratio_to_fastest");
    const std::string p = testing_util::Column(summary, i, "p_vs_fastest");
    const bool alone = strategy == "cas" || strategy == "naive" ||
                       backend == "sqlite";
    EXPECT_EQ(ratio.empty(), alone) << backend << " " << strategy << ": "
                                    << ratio;
    if (alone) {
      EXPECT_EQ(p, "") << backend << " " << strategy;
    }
  }
}

// `report --compare`: groups matched across the files on everything but
// what A and B differ in as a whole, each with a verdict.
TEST(Report, ComparesTwoFilesGroupByGroup) {
  TempDir dir;
  std::vector<std::vector<std::string>> a, b;
  AddReps(&a, {{"hold_us", "20.000"}}, {100, 101, 99, 102, 98});
  AddReps(&b, {{"hold_us", "25.000"}}, {80, 81, 79, 82, 78});
  AddReps(&a, {{"hold_us", "20.000"}, {"workers", "2"}}, {100, 101, 99, 102, 98});
  AddReps(&b, {{"hold_us", "25.000"}, {"workers", "2"}}, {100.5, 98.5, 101.5, 99.5, 97});
  AddReps(&a, {{"hold_us", "20.000"}, {"workers", "4"}}, {100, 101, 99});
  AddReps(&b, {{"hold_us", "25.000"}, {"workers", "4"}}, {50, 51, 49});
  AddReps(&a, {{"hold_us", "20.000"}, {"workers", "8"}}, {100});
  CompareOptions options;
  options.a = {WriteCsv(dir, "a.csv", a)};
  options.b = {WriteCsv(dir, "b.csv", b)};
  options.out_dir = dir.File("cmp");
  std::string text;
  Result<ReportOutput> out = WriteComparison(options, &text);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(text.find("A and B differ in: hold_us 20.000 -> 25.000"),
            std::string::npos) << text;
  // Each side's median with its interval ([min, max] below 6
  // repetitions), and p whenever there is one (compare.csv has it too).
  EXPECT_NE(text.find("| 1 | 100 | [98, 102] 93.75% | 80 | [78, 82] 93.75% "
                      "| -20.0% | 0.0079 | B slower |"),
            std::string::npos) << text;
  EXPECT_NE(text.find("| 2 | 100 | [98, 102] 93.75% | 100 | [97, 102] "
                      "93.75% | -0.5% | 0.6905 | within noise |"),
            std::string::npos) << text;
  EXPECT_NE(text.find("| 4 | 100 | [99, 101] 75% | 50 | [49, 51] 75% | "
                      "-50.0% | 0.1000 | too few repetitions (3 and 3) |"),
            std::string::npos) << text;
  EXPECT_NE(text.find("3 groups in common: 1 differ beyond noise, 1 within "
                      "noise, 1 with too few repetitions to tell; 1 only in A, "
                      "0 only in B."),
            std::string::npos) << text;
  const std::string csv = testing_util::ReadFile(dir.File("cmp/compare.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 3);
  const Result<std::vector<std::vector<std::string>>> cells =
      ParseCsv(csv, "compare.csv");
  ASSERT_TRUE(cells.ok());
  const auto cell = [&cells](size_t row, const std::string& column) {
    const std::vector<std::string>& header = (*cells)[0];
    const size_t at = static_cast<size_t>(
        std::find(header.begin(), header.end(), column) - header.begin());
    return at < header.size() ? (*cells)[row][at] : "(no " + column + ")";
  };
  EXPECT_EQ(cell(3, "p"), "0.1000");  // As compare.md shows it.
  EXPECT_EQ(cell(1, "a_lo"), "98.0");
  EXPECT_EQ(cell(1, "b_hi"), "82.0");
  EXPECT_EQ(cell(3, "b_coverage"), "0.7500");
  EXPECT_NE(testing_util::ReadFile(dir.File("cmp/compare.md")).find("hold\\_us"),
            std::string::npos);

  // Nothing in common: a clear error.
  std::vector<std::vector<std::string>> other;
  AddReps(&other, {{"scenario", "x"}, {"workers", "3"}, {"strategy", "lock"}}, {1});
  AddReps(&other, {{"scenario", "y"}, {"workers", "5"}, {"strategy", "cas"}}, {1});
  options.b = {WriteCsv(dir, "other.csv", other)};
  out = WriteComparison(options, &text);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().IsInvalidArgument());
  EXPECT_NE(out.status().message().find("no group in common"), std::string::npos);
  EXPECT_NE(out.status().message().find("allowed: "), std::string::npos);
}

// A sweep over rates: rows in numeric order of rate, the response-time
// columns in the details, and the hockey-stick and achieved-rate plots.
TEST(Report, RateSweepsGetResponseTimePlots) {
  TempDir dir;
  std::vector<std::vector<std::string>> rows;
  for (const char* rate : {"12000", "4000", "8000"}) {
    rows.push_back(Row({{"rate", rate}, {"arrival", "constant"},
                        {"rate_achieved", rate}, {"resp_p50_us", "3.000"},
                        {"resp_p99_us", "9.000"}}));
  }
  ReportOptions options;
  options.inputs = {WriteCsv(dir, "rates.csv", rows)};
  options.out_dir = dir.File("rates");
  Result<ReportOutput> out = WriteReport(options);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string md = testing_util::ReadFile(dir.File("rates/summary.md"));
  const size_t at4 = md.find("rate=4000/s"), at8 = md.find("rate=8000/s"),
               at12 = md.find("rate=12000/s");
  ASSERT_NE(at12, std::string::npos) << md;
  EXPECT_LT(at4, at8);
  EXPECT_LT(at8, at12);
  EXPECT_NE(md.find("resp p99 us"), std::string::npos) << md;
  if (access("/usr/bin/gnuplot", X_OK) != 0) GTEST_SKIP() << "no gnuplot";
  for (const char* name : {"s-atomic-response.png", "s-atomic-achieved.svg"}) {
    EXPECT_GT(testing_util::ReadFile(dir.File("rates/") + name).size(), 100u)
        << name;
  }
  const std::string gp = testing_util::ReadFile(dir.File("rates/s-atomic.gp"));
  EXPECT_NE(gp.find("response p99"), std::string::npos);
  EXPECT_NE(gp.find("service p99"), std::string::npos);
}

}  // namespace
}  // namespace ctrbench
