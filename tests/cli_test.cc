// Tests that run the real ctrbench binary: exit codes, the CSV it writes,
// messages for bad input, a crashed worker and Ctrl-C.

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "counters/clock.h"
#include "counters/csv.h"
#include "counters/report.h"
#include "counters/sweep.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::Column;
using testing_util::ReadFile;
using testing_util::WaitExit;

std::vector<std::string> Segments() {
  std::vector<std::string> names;
  if (DIR* dir = opendir("/dev/shm")) {
    while (dirent* e = readdir(dir)) {
      if (std::string(e->d_name).rfind("ctrbench-", 0) == 0) {
        names.push_back(e->d_name);
      }
    }
    closedir(dir);
  }
  return names;
}

// Segments created by process `pid`.
std::vector<std::string> SegmentsOf(pid_t pid) {
  std::vector<std::string> ours;
  const std::string prefix = "ctrbench-" + std::to_string(pid) + "-";
  for (const std::string& s : Segments()) {
    if (s.rfind(prefix, 0) == 0) ours.push_back(s);
  }
  return ours;
}

// The last run record of a JSON Lines file's text (its interval records
// come before it); null when it has none.
nlohmann::json LastRunRecord(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  nlohmann::json run;
  while (std::getline(lines, line)) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_object() && record.value("type", "") == "run") {
      run = std::move(record);
    }
  }
  return run;
}

class CliTest : public ::testing::Test {
 protected:
  pid_t Spawn(const std::vector<std::string>& args) {
    return testing_util::SpawnCtrbench(dir_.path(), args);
  }
  static int Wait(pid_t pid) { return WaitExit(pid); }

  int Run(const std::vector<std::string>& args) {
    const int code = Wait(Spawn(args));
    out_ = ReadFile(dir_.File("stdout.txt"));
    err_ = ReadFile(dir_.File("stderr.txt"));
    return code;
  }

  std::vector<std::vector<std::string>> Csv(const std::string& name) {
    return testing_util::ReadCsv(dir_.File(name));
  }

  testing_util::TempDir dir_;
  std::string out_, err_;
};

TEST_F(CliTest, VersionHelpAndList) {
  EXPECT_EQ(Run({"--version"}), 0);
  EXPECT_NE(out_.find("0."), std::string::npos);
  EXPECT_EQ(Run({"run", "--help"}), 0);
  EXPECT_NE(out_.find("--workers"), std::string::npos);
  EXPECT_EQ(Run({"list"}), 0);
  EXPECT_NE(out_.find("inproc"), std::string::npos);
  EXPECT_NE(out_.find("shm"), std::string::npos);
  EXPECT_NE(out_.find("padding"), std::string::npos);
}

// The default --help shows for `flag`: CLI11 writes "  --flag TYPE=DEFAULT"
// (its description after it, or on the next line).
std::string HelpDefault(const std::string& help, const std::string& flag) {
  const size_t at = help.find("  " + flag + " ");
  if (at == std::string::npos) return "(no " + flag + ")";
  const size_t eq = help.find('=', at);
  if (eq == std::string::npos || eq > help.find('\n', at)) return "(none)";
  return help.substr(eq + 1, help.find_first_of(" \n", eq) - eq - 1);
}

// Every flag with a default shows it: those of run are what `ctrbench run`
// has without a file, and the footer says which differ in a scenario file
// that leaves them out.
TEST_F(CliTest, HelpShowsEveryDefault) {
  ASSERT_EQ(Run({"run", "--help"}), 0);
  const std::vector<std::pair<std::string, std::string>> run = {
      {"--strategy", "atomic,lock,cas,naive"}, {"--workers", "2"},
      {"--duration", "500ms"}, {"--keys", "1"}, {"--hold", "0"},
      {"--distribution", "uniform"}, {"--rate", "0"}, {"--pin", "off"},
      {"--busy-poll", "auto"}, {"--seed", "42"}, {"--timeout", "2s"},
      {"--repeat", "1"}, {"--out", "results/YYYYmmdd-HHMMSS-SCENARIO.csv"}};
  for (const auto& [flag, value] : run) {
    EXPECT_EQ(HelpDefault(out_, flag), value) << out_;
  }
  EXPECT_EQ(HelpDefault(out_, "--ops"), "(none)") << "a run is timed";
  EXPECT_NE(out_.find("default: every available one"), std::string::npos);
  EXPECT_NE(out_.find("but for duration 1s, strategies atomic, workers 1"),
            std::string::npos)
      << out_;
  // The default is shown, not applied: a flag left out keeps the
  // scenario's value (4 workers here, not the 2 shown).
  std::ofstream(dir_.File("four.toml"))
      << "backends = [\"inproc\"]\nstrategies = [\"atomic\"]\n"
         "workers = 4\nops = 10\n";
  ASSERT_EQ(Run({"run", "four.toml", "--dry-run"}), 0) << err_;
  EXPECT_NE(out_.find("plan: 1 run(s)"), std::string::npos) << out_;
  EXPECT_NE(out_.find("workers=4"), std::string::npos) << out_;

  ASSERT_EQ(Run({"find-rate", "--help"}), 0);
  EXPECT_EQ(HelpDefault(out_, "--tolerance"), "5%") << out_;
  EXPECT_EQ(HelpDefault(out_, "--workers"), "2") << out_;
  ASSERT_EQ(Run({"report", "--help"}), 0);
  EXPECT_EQ(HelpDefault(out_, "--out"), "results/report") << out_;
  ASSERT_EQ(Run({"server", "--help"}), 0);
  const std::vector<std::pair<std::string, std::string>> server = {
      {"--model", "loop"},           {"--max-connections", "1024"},
      {"--max-unauthenticated", "64"}, {"--frame-timeout-ms", "2000"},
      {"--max-counters", "67108864"}, {"--idle-timeout", "300"},
      {"--auth-timeout-ms", "5000"}, {"--busy-poll-us", "30"}};
  for (const auto& [flag, value] : server) {
    EXPECT_EQ(HelpDefault(out_, flag), value) << out_;
  }
}

// find-rate on one key under a lock with a 1 ms hold: the capacity is about
// 1/hold = 1,000/s, and the highest rate whose response p99 stays under a
// generous limit is within a factor of 1.5 of it. Every run it made is a row.
TEST_F(CliTest, FindRateFindsTheRateALockedKeyCanTake) {
  ASSERT_EQ(Run({"find-rate", "--backend", "inproc", "--strategy", "lock",
                 "--hold", "1ms", "--workers", "2", "--duration", "300ms",
                 "--warmup", "50ms", "--p99", "50ms", "--tolerance", "10%",
                 "--out", "f.csv", "--quiet"}),
            0)
      << err_;
  const size_t at = out_.find("up to ");
  ASSERT_NE(at, std::string::npos) << out_;
  const double found = std::strtod(out_.c_str() + at + 6, nullptr);
  const bool thousands = out_.find(" k/s", at) < out_.find('\n', at);
  const double rate = thousands ? found * 1000 : found;
  EXPECT_GT(rate, 1000 / 1.5) << out_;
  EXPECT_LT(rate, 1000 * 1.5) << out_;
  const auto rows = Csv("f.csv");
  ASSERT_GE(rows.size(), 4u) << "the capacity run and the search";
  EXPECT_EQ(Column(rows, 1, "rate"), "") << "capacity: closed loop";
  EXPECT_NE(Column(rows, 2, "rate"), "");
  EXPECT_EQ(Run({"find-rate", "--backend", "inproc", "--duration", "100ms",
                 "--p99", "fast"}),
            2);
  EXPECT_NE(err_.find("--p99"), std::string::npos) << err_;
}

// A rate given as a share of capacity: the sweep measures the closed-loop
// capacity once per configuration (a row of its own, shared by the
// repetitions) and drives each run at that share of it.
TEST_F(CliTest, RatesAsAShareOfCapacityMeasureItFirst) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "lock",
                 "--hold", "200us", "--workers", "2", "--duration", "300ms",
                 "--warmup", "50ms", "--rate", "50%,150%", "--repeat", "2",
                 "--out", "r.csv", "--quiet"}),
            0)
      << err_;
  const auto rows = Csv("r.csv");
  ASSERT_EQ(rows.size(), 1u + 1 + 4) << "one capacity run, then 2 x 2";
  EXPECT_EQ(Column(rows, 1, "rate"), "");
  const double capacity = std::stod(Column(rows, 1, "increments_per_s"));
  EXPECT_GT(capacity, 1000) << "about 1 / 200us = 5,000/s";
  for (size_t i = 2; i < rows.size(); ++i) {
    const bool half = i % 2 == 0;
    EXPECT_EQ(Column(rows, i, "rate"), half ? "50%" : "150%");
    // Without reads, the logical operations of the closed loop are its
    // increments.
    EXPECT_NEAR(std::stod(Column(rows, i, "capacity_ops_s")), capacity, 1.0);
    const double offered = std::stod(Column(rows, i, "rate_offered"));
    EXPECT_NEAR(offered, (half ? 0.5 : 1.5) * capacity, 1.0);
    EXPECT_EQ(Column(rows, i, "verified"), "true");
  }
  // Past capacity the run cannot keep up: a backlog, never sent.
  EXPECT_LT(std::stod(Column(rows, 3, "rate_achieved")),
            0.95 * std::stod(Column(rows, 3, "rate_offered")));
  EXPECT_NE(Column(rows, 3, "unsent_ops"), "0");

  // A closed-loop run planned before a share is its capacity: no second
  // closed-loop row.
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "lock",
                 "--hold", "200us", "--workers", "2", "--duration", "200ms",
                 "--rate", "0,50%", "--out", "z.csv", "--quiet"}),
            0)
      << err_;
  const auto reused = Csv("z.csv");
  ASSERT_EQ(reused.size(), 1u + 2);
  EXPECT_EQ(Column(reused, 1, "rate"), "");
  EXPECT_EQ(Column(reused, 2, "rate"), "50%");
  EXPECT_NEAR(std::stod(Column(reused, 2, "capacity_ops_s")),
              std::stod(Column(reused, 1, "increments_per_s")), 1.0);

  for (const char* bad : {"0%", "2000%", "x%", "%"}) {
    EXPECT_EQ(Run({"run", "--backend", "inproc", "--rate", bad, "--dry-run"}), 2)
        << bad;
    EXPECT_NE(err_.find("1% to 1000%"), std::string::npos) << err_;
  }
}

TEST_F(CliTest, RunWritesOneVerifiedRowPerRun) {
  ASSERT_EQ(Run({"run", "--backend", "inproc,shm", "--strategy",
                 "atomic,lock", "--workers", "1,2", "--ops", "5000",
                 "--out", "r.csv", "--quiet"}),
            0)
      << err_;
  const auto rows = Csv("r.csv");
  ASSERT_EQ(rows.size(), 1u + 2 * 2 * 2);
  EXPECT_EQ(rows[0], CsvHeader());
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), CsvHeader().size());
    EXPECT_EQ(Column(rows, i, "verified"), "true");
    EXPECT_EQ(Column(rows, i, "lost_updates"), "0");
    EXPECT_EQ(Column(rows, i, "error"), "");
  }
  EXPECT_EQ(Column(rows, 1, "backend"), "inproc");
  EXPECT_EQ(Column(rows, 8, "backend"), "shm");
  EXPECT_EQ(Column(rows, 4, "workers"), "2");
  EXPECT_EQ(Column(rows, 4, "actual_total"), "10000");
}

// The sweep of the "done when": an option swept from --set, CSV on
// standard output with the effective options in each row, and the lines
// for people on stderr. The same sweep from a scenario file's TOML array
// plans the same runs.
TEST_F(CliTest, SweepsABackendOptionToStandardOutput) {
  ASSERT_EQ(Run({"run", "--backend", "sqlite", "--strategy", "atomic", "--set",
                 "sqlite.journal_mode=wal,delete", "--workers", "1,2", "--ops",
                 "200", "--out", "-"}),
            0)
      << err_;
  std::ofstream(dir_.File("stdout.csv")) << out_;
  const auto rows = Csv("stdout.csv");
  ASSERT_EQ(rows.size(), 5u) << out_;
  EXPECT_EQ(rows[0], CsvHeader());
  std::set<std::string> seen;
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::string options = Column(rows, i, "backend_options");
    EXPECT_NE(options.find("synchronous=normal"), std::string::npos);
    EXPECT_NE(options.find("path=(temp dir)"), std::string::npos);
    seen.insert(options.substr(options.find("journal_mode=")) + " w" +
                Column(rows, i, "workers"));
  }
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_NE(err_.find("[4/4] sqlite atomic"), std::string::npos) << err_;
  EXPECT_EQ(out_.find("[1/4]"), std::string::npos);

  std::ofstream(dir_.File("sweep.toml"))
      << "backends = [\"sqlite\"]\nworkers = [1, 2]\nops = 200\n"
         "[sqlite]\njournal_mode = [\"wal\", \"delete\"]\n";
  ASSERT_EQ(Run({"run", "sweep.toml", "--out", "toml.csv", "--quiet"}), 0)
      << err_;
  EXPECT_EQ(Csv("toml.csv").size(), 5u);
}

// The JSON Lines file holds the runs of the CSV, each with its histogram
// (whose percentiles are the CSV's, within a bucket) and its series; report
// merges histograms of repetitions exactly.
TEST_F(CliTest, JsonLinesHoldTheRunsWithHistogramsAndSeries) {
  ASSERT_EQ(Run({"run", "--backend", "sqlite,inproc", "--strategy", "atomic",
                 "--workers", "1,2", "--duration", "400ms", "--repeat", "2",
                 "--series-interval", "100ms", "--out", "r.csv", "--json",
                 "r.jsonl", "--quiet"}),
            0)
      << err_;
  const auto csv = Csv("r.csv");
  Result<std::vector<ResultRow>> json = LoadResults({dir_.File("r.jsonl")});
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  ASSERT_EQ(json->size(), csv.size() - 1);
  for (size_t i = 0; i < json->size(); ++i) {
    const ResultRow& row = (*json)[i];
    EXPECT_EQ(row.Get("run_id"), Column(csv, i + 1, "run_id"));
    ASSERT_TRUE(row.latency != nullptr);
    for (const char* column : {"lat_p50_us", "lat_p99_us"}) {
      const double from_csv = std::stod(Column(csv, i + 1, column));
      const double q = std::string(column) == "lat_p50_us" ? 0.50 : 0.99;
      const double again = row.latency->Percentile(q) / 1000.0;
      EXPECT_NEAR(again, from_csv, from_csv / 64 + 0.002) << column;
    }
  }
  // The series: about 4 intervals of 100 ms, each a record of its own
  // before its run's, in order, adding up to the run's ops and latency
  // samples (the run's histogram is the sum of its intervals'), and as
  // many as the run record says.
  const std::string text = ReadFile(dir_.File("r.jsonl"));
  EXPECT_NE(text.find("\"scenario_sha256\""), std::string::npos);
  EXPECT_NE(text.find("\"clock_read_ns\""), std::string::npos);
  std::istringstream lines(text);
  std::string line;
  nlohmann::json first;  // The first run record.
  int64_t ops = 0, samples = 0, intervals = 0, runs = 0;
  while (std::getline(lines, line)) {
    const nlohmann::json record = nlohmann::json::parse(line);
    if (record["type"] == "interval") {
      EXPECT_EQ(record["index"], intervals) << line;
      EXPECT_TRUE(record["ops_per_s"].is_number()) << line;
      EXPECT_EQ(record["ranks"], 1) << line;
      ops += record["ops"].get<int64_t>();
      samples += record["latency_samples"].get<int64_t>();
      ++intervals;
      continue;
    }
    ASSERT_EQ(record["type"], "run") << line;
    if (runs++ == 0) first = record;
    EXPECT_GE(intervals, 3) << line;
    EXPECT_LE(intervals, 6) << line;
    EXPECT_EQ(record["series_intervals"], intervals);
    EXPECT_EQ(record["ops"], ops);
    EXPECT_EQ(record["latency_histogram"]["count"], samples);
    ops = samples = intervals = 0;
  }
  EXPECT_EQ(runs, 8);
  // An empty cell is null, as README.md says: no arrival in a closed
  // loop, no error in a verified run, no placement unpinned.
  for (const char* empty : {"arrival", "error", "cpu_placement"}) {
    ASSERT_TRUE(first.contains(empty)) << empty;
    EXPECT_TRUE(first[empty].is_null()) << empty << ": " << first[empty];
  }
  EXPECT_TRUE(first["strategy"].is_string());

  ASSERT_EQ(Run({"report", "r.jsonl", "--out", "rep"}), 0) << err_;
  const auto summary = Csv("rep/summary.csv");
  ASSERT_EQ(summary.size(), 5u);
  for (size_t i = 1; i < summary.size(); ++i) {
    EXPECT_EQ(Column(summary, i, "repetitions"), "2");
    EXPECT_FALSE(Column(summary, i, "lat_p99_us_merged").empty());
    EXPECT_FALSE(Column(summary, i, "lat_p999_us_median").empty());
  }
}

// The series is written as the run goes, an interval record as each
// interval closes, so that a long run's is not held in memory: read while
// a 3 s run still goes, the file has intervals and no run record yet. An
// open loop's intervals have their response times, and report reads the
// series from the interval records (report.html draws it).
TEST_F(CliTest, JsonLinesGetEachIntervalAsItCloses) {
  const pid_t pid =
      Spawn({"run", "--backend", "inproc", "--strategy", "atomic",
             "--workers", "1", "--rate", "2000", "--duration", "3s",
             "--warmup", "0s", "--series-interval", "100ms", "--out", "r.csv",
             "--json", "r.jsonl", "--quiet"});
  std::string during;
  const int64_t deadline = NowNs() + 2500LL * 1000000;
  while (NowNs() < deadline) {
    during = ReadFile(dir_.File("r.jsonl"));
    if (during.find("\"type\":\"interval\"") != std::string::npos) break;
    usleep(20000);
  }
  ASSERT_EQ(Wait(pid), 0) << ReadFile(dir_.File("stderr.txt"));
  EXPECT_NE(during.find("{\"type\":\"interval\""), std::string::npos)
      << "no interval within 2.5 s of a 3 s run";
  EXPECT_EQ(during.find("\"type\":\"run\""), std::string::npos)
      << "the run record came before the run was over";
  const std::string after = ReadFile(dir_.File("r.jsonl"));
  EXPECT_EQ(after.compare(0, during.size(), during), 0) << "only appended";
  std::istringstream lines(after);
  std::string line;
  int64_t intervals = 0, responses = 0;
  while (std::getline(lines, line)) {
    const nlohmann::json record = nlohmann::json::parse(line);
    if (record["type"] == "run") {
      // Every operation's response, once: the run's are the intervals'.
      EXPECT_EQ(record["response_histogram"]["count"], responses);
      EXPECT_EQ(record["series_intervals"], intervals);
      continue;
    }
    ++intervals;
    responses += record["responses"].get<int64_t>();
    EXPECT_EQ(record["errors"], 0);
    EXPECT_EQ(record["retries"], 0);
    if (record["responses"].get<int64_t>() > 0) {
      EXPECT_TRUE(record["resp_p99_us"].is_number()) << line;
    }
  }
  EXPECT_GE(intervals, 25);
  EXPECT_LE(intervals, 32);
  EXPECT_GT(responses, 5000);  // 2,000 a second for 3 s.
  Result<std::vector<ResultRow>> rows = LoadResults({dir_.File("r.jsonl")});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  ASSERT_TRUE((*rows)[0].series != nullptr);
  EXPECT_EQ((*rows)[0].series->size(), static_cast<size_t>(intervals));
}

// The JSON Lines of a sweep summarize as its CSV does: settings read the
// same from either (a float setting with the CSV's three decimals, a rate
// trimmed), so that files of both kinds group together, and a lab that
// reports from JSON Lines (for report.html's series) has the summary.csv
// its checker reads.
TEST_F(CliTest, JsonLinesAndCsvGiveTheSameSummary) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "lock", "--hold",
                 "0,10us", "--read-fraction", "0.25", "--rate", "2500",
                 "--warmup", "20ms", "--duration", "100ms", "--out", "r.csv",
                 "--json", "r.jsonl", "--quiet"}),
            0)
      << err_;
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "lock",
                 "--think", "5us", "--duration", "100ms", "--out", "t.csv",
                 "--json", "t.jsonl", "--quiet"}),
            0)
      << err_;
  ASSERT_EQ(Run({"report", "r.csv", "t.csv", "--out", "from-csv"}), 0) << err_;
  ASSERT_EQ(Run({"report", "r.jsonl", "t.jsonl", "--out", "from-json"}), 0)
      << err_;
  ASSERT_EQ(Run({"report", "r.csv", "t.csv", "r.jsonl", "t.jsonl", "--out",
                 "both"}),
            0)
      << err_;
  const auto csv = Csv("from-csv/summary.csv");
  const auto json = Csv("from-json/summary.csv");
  const auto both = Csv("both/summary.csv");
  ASSERT_EQ(csv.size(), 1u + 3);
  ASSERT_EQ(json.size(), csv.size());
  ASSERT_EQ(both.size(), csv.size());
  for (size_t i = 1; i < csv.size(); ++i) {
    for (const std::string& c : GroupColumns()) {
      EXPECT_EQ(Column(json, i, c), Column(csv, i, c)) << c << " row " << i;
      EXPECT_EQ(Column(both, i, c), Column(csv, i, c)) << c << " row " << i;
    }
    EXPECT_EQ(Column(both, i, "repetitions"), "2") << i;
  }
  std::set<std::string> seen;
  for (size_t i = 1; i < csv.size(); ++i) {
    for (const char* c : {"hold_us", "read_fraction", "rate", "think_us",
                          "warmup_s"}) {
      seen.insert(std::string(c) + "=" + Column(csv, i, c));
    }
  }
  for (const char* cell : {"hold_us=10.000", "read_fraction=0.250",
                           "rate=2500", "think_us=5.000", "warmup_s=0.020"}) {
    EXPECT_EQ(seen.count(cell), 1u) << cell;
  }
}

// report writes report.html beside the tables (with charts when Chart.js
// is installed, else a note says what to install); a --chart-js file that
// is not there is an error, as every other bad flag is.
TEST_F(CliTest, ReportWritesThePageToExplore) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--ops", "200", "--out", "r.csv", "--quiet"}),
            0)
      << err_;
  ASSERT_EQ(Run({"report", "r.csv", "--out", "rep"}), 0) << err_;
  EXPECT_NE(out_.find("explore: rep/report.html\n"), std::string::npos)
      << out_;
  const std::string html = ReadFile(dir_.File("rep/report.html"));
  EXPECT_NE(html.find("<tr data-row=\"1\">"), std::string::npos);
  if (access(kDefaultChartJs, R_OK) == 0) {
    EXPECT_NE(html.find("id=\"report-data\""), std::string::npos);
  } else {
    EXPECT_NE(out_.find("note: report.html: no charts, only tables"),
              std::string::npos)
        << out_;
  }
  ASSERT_EQ(Run({"report", "--help"}), 0);
  EXPECT_EQ(HelpDefault(out_, "--chart-js"), kDefaultChartJs) << out_;

  EXPECT_EQ(Run({"report", "r.csv", "--out", "rep2", "--chart-js",
                 "/nonexistent/chart.js"}),
            2);
  EXPECT_EQ(err_, "ctrbench report: --chart-js /nonexistent/chart.js: no such "
                  "file; allowed: a Chart.js 3 or 4 build to inline in "
                  "report.html, such as " + std::string(kDefaultChartJs) +
                  " (the Debian package libjs-chart.js)\n");
  EXPECT_NE(access(dir_.File("rep2").c_str(), F_OK), 0);
}

TEST_F(CliTest, DryRunPrintsThePlanAndRunsNothing) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--workers", "1,2", "--hold",
                 "0,10us", "--strategy", "atomic,lock", "--duration", "2s",
                 "--dry-run", "--out", "never.csv"}),
            0)
      << err_;
  EXPECT_NE(out_.find("plan: 6 run(s)"), std::string::npos) << out_;
  EXPECT_NE(out_.find("inproc lock threads hold=10us workers=2"),
            std::string::npos)
      << out_;
  EXPECT_NE(out_.find("at least 12.0 s"), std::string::npos) << out_;
  EXPECT_NE(err_.find("skipped inproc atomic threads"), std::string::npos)
      << err_;
  EXPECT_NE(access(dir_.File("never.csv").c_str(), F_OK), 0);
}

// An interrupted sweep's file: --resume runs only what is missing and
// appends it; a --set given twice takes the later value, with a note.
TEST_F(CliTest, ResumeRunsOnlyWhatIsMissing) {
  const std::vector<std::string> sweep = {
      "run", "--backend", "inproc", "--workers", "1,2", "--strategy",
      "atomic,lock", "--ops", "1000", "--quiet", "--set", "inproc.padding=false",
      "--set", "inproc.padding=true"};
  std::vector<std::string> full = sweep;
  full.insert(full.end(), {"--out", "full.csv"});
  ASSERT_EQ(Run(full), 0) << err_;
  EXPECT_NE(err_.find("--set inproc.padding was given twice"),
            std::string::npos)
      << err_;
  const auto all = Csv("full.csv");
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(Column(all, 1, "backend_options"), "padding=true");
  // Keep the header and two rows, as if interrupted there.
  const std::string text = ReadFile(dir_.File("full.csv"));
  size_t cut = 0;
  for (int line = 0; line < 3; ++line) cut = text.find('\n', cut) + 1;
  std::ofstream(dir_.File("part.csv")) << text.substr(0, cut);
  std::vector<std::string> resume = sweep;
  resume.insert(resume.end(), {"--resume", "part.csv"});
  ASSERT_EQ(Run(resume), 0) << err_;
  const auto part = Csv("part.csv");
  ASSERT_EQ(part.size(), 5u);
  for (size_t i = 1; i < 5; ++i) {
    EXPECT_EQ(Column(part, i, "strategy"), Column(all, i, "strategy"));
    EXPECT_EQ(Column(part, i, "workers"), Column(all, i, "workers"));
  }
  EXPECT_EQ(Column(part, 1, "run_id"), Column(all, 1, "run_id"));
  EXPECT_NE(Column(part, 3, "run_id"), Column(all, 3, "run_id"));
  // Nothing left: a second resume runs nothing.
  ASSERT_EQ(Run(resume), 0) << err_;
  EXPECT_EQ(Csv("part.csv").size(), 5u);

  // Cut in the middle of the third row (a run killed while writing it):
  // a dry run says so and changes nothing; a run cuts the partial row off,
  // says so, and runs that run again.
  std::ofstream(dir_.File("cut.csv")) << text.substr(0, cut + 40);
  std::vector<std::string> cut_resume = sweep;
  cut_resume.insert(cut_resume.end(), {"--resume", "cut.csv"});
  std::vector<std::string> dry = cut_resume;
  dry.push_back("--dry-run");
  ASSERT_EQ(Run(dry), 0) << err_;
  EXPECT_NE(err_.find("a dry run leaves it"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(dir_.File("cut.csv")), text.substr(0, cut + 40));
  ASSERT_EQ(Run(cut_resume), 0) << err_;
  EXPECT_NE(err_.find("cut off its last 40 bytes"), std::string::npos) << err_;
  const auto mended = Csv("cut.csv");
  ASSERT_EQ(mended.size(), 5u);
  for (const auto& row : mended) EXPECT_EQ(row.size(), mended[0].size());

  // A whole last row without its line break (an edited file): kept, with
  // the line break added, and counted as done.
  std::ofstream(dir_.File("nolf.csv")) << text.substr(0, cut - 1);
  std::vector<std::string> nolf_resume = sweep;
  nolf_resume.insert(nolf_resume.end(), {"--resume", "nolf.csv"});
  ASSERT_EQ(Run(nolf_resume), 0) << err_;
  EXPECT_NE(err_.find("lacked its last line break"), std::string::npos)
      << err_;
  const auto kept = Csv("nolf.csv");
  ASSERT_EQ(kept.size(), 5u);
  EXPECT_EQ(Column(kept, 2, "run_id"), Column(all, 2, "run_id"));

  // A row of another schema is nothing this version did: refused.
  std::string foreign = text.substr(0, cut);
  const size_t last_row = foreign.rfind('\n', foreign.size() - 2) + 1;
  ASSERT_EQ(foreign[last_row], '2');  // Its schema_version.
  foreign[last_row] = '1';
  std::ofstream(dir_.File("foreign.csv")) << foreign;
  std::vector<std::string> foreign_resume = sweep;
  foreign_resume.insert(foreign_resume.end(), {"--resume", "foreign.csv"});
  EXPECT_EQ(Run(foreign_resume), 2);
  EXPECT_NE(err_.find("not a row of this ctrbench's schema"),
            std::string::npos)
      << err_;
  EXPECT_EQ(ReadFile(dir_.File("foreign.csv")), foreign);
}

// A mistyped command, flag, backend, strategy, key or option gets the
// nearest right one, and the flag or the file's line it came from.
TEST_F(CliTest, MistakesGetTheNearestName) {
  struct Case {
    std::vector<std::string> args;
    const char* expected;
  };
  std::ofstream(dir_.File("typo.toml")) << "name = \"x\"\nwrokers = 2\n";
  const Case cases[] = {
      {{"run", "--worker", "2"}, "unknown flag '--worker' (did you mean "
                                 "'--workers'?)"},
      {{"runn"}, "unknown command 'runn' (did you mean 'run'?)"},
      {{"--verison"}, "unknown flag '--verison' (did you mean '--version'?)"},
      {{"run", "--backend", "redsi", "--ops", "1"},
       "--backend: key 'backends': value \"redsi\" is not a backend (did you "
       "mean 'redis'?)"},
      {{"run", "--strategy", "atomc", "--ops", "1"}, "(did you mean 'atomic'?)"},
      {{"run", "--set", "sqlite.journal=wal"},
       "unknown option 'sqlite.journal' (did you mean 'journal_mode'?)"},
      {{"run", "typo.toml"},
       "typo.toml:2: unknown key 'wrokers' (did you mean 'workers'?)"},
      {{"run", "--backend", "inproc", "--out", "-", "--json", "-"},
       "--out - and --json - would both write to standard output"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Run(c.args), 2) << c.args[0];
    EXPECT_NE(err_.find(c.expected), std::string::npos) << err_;
  }
}

// Input that would crash or run away is refused up front, with exit 2:
// counters that overflow, a run that cannot fit in memory, a scenario
// "file" that is a device or a FIFO, or TOML nested deep enough to
// overflow the parser's stack.
TEST_F(CliTest, RunawayInputIsRefusedUpFront) {
  ASSERT_EQ(mkfifo(dir_.File("fifo.toml").c_str(), 0600), 0);
  std::string deep = "[a";
  for (int i = 0; i < 50000; ++i) deep += ".b";
  deep += "]\n";
  std::ofstream(dir_.File("deep.toml")) << deep;
  std::ofstream(dir_.File("arrays.toml"))
      << "workers = " << std::string(100, '[') << std::string(100, ']') << "\n";
  struct Case {
    std::vector<std::string> args;
    const char* expected;
  };
  const Case cases[] = {
      {{"run", "--backend", "inproc", "--keys", "16777216", "--shards", "256"},
       "keys x shards = 16777216 x 256 = 4294967296 counters; allowed: at "
       "most 67108864"},
      // Batching holds up to a count per key per worker: 1,024 workers
      // that may each touch 16 M keys.
      {{"run", "--backend", "inproc", "--keys", "16777216", "--batch", "2",
        "--workers", "1024"},
       "of memory"},
      {{"run", "/dev/zero"}, "/dev/zero: not a regular file"},
      {{"run", "fifo.toml"}, "fifo.toml: not a regular file"},
      {{"run", "deep.toml"}, "deep.toml:1: nested more than 32 levels deep"},
      {{"run", "arrays.toml"}, "arrays.toml:1: nested more than 32 levels"},
      {{"run", "--backend", "redis", "--set", "redis.url=redis://:secret@h:1"},
       "redis://***@h:1"},
  };
  for (const Case& c : cases) {
    const int64_t start = NowNs();
    EXPECT_EQ(Run(c.args), 2) << c.args[1];
    EXPECT_LT(NowNs() - start, 5000000000LL) << c.args[1];
    EXPECT_NE(err_.find(c.expected), std::string::npos) << err_;
    EXPECT_EQ(err_.find("secret"), std::string::npos) << err_;
  }
  // The limit the message promises is accepted.
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--duration", "1h",
                 "--dry-run"}),
            0)
      << err_;
}

// report streams its input: memory follows the number of groups, not of
// rows (it used to take 26 times the file's size), and a file that is not
// ctrbench's cannot make it read more than one bounded record.
TEST_F(CliTest, ReportStreamsItsInput) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--ops", "100", "--out",
                 "one.csv", "--quiet"}),
            0)
      << err_;
  const std::string text = ReadFile(dir_.File("one.csv"));
  const size_t header_end = text.find('\n') + 1;
  const std::string header = text.substr(0, header_end);
  const std::string row = text.substr(header_end, text.find('\n', header_end) -
                                                      header_end + 1);
  // 32 MB; under ASan, where reading is about 10 times slower, 8 MB: the
  // pass without it holds report to the bound that matters.
#if defined(__SANITIZE_ADDRESS__)
  const size_t size = 8u << 20;
#else
  const size_t size = 32u << 20;
#endif
  int copies = 0;
  {
    std::ofstream big(dir_.File("big.csv"));
    big << header;
    for (size_t written = 0; written < size; written += row.size()) {
      big << row;
      ++copies;
    }
  }
  // Under ASan freed memory waits in a quarantine (256 MB by default):
  // keep it small, so that what is measured is what report holds.
  const char* asan = std::getenv("ASAN_OPTIONS");
  testing_util::ScopedEnv quarantine(
      "ASAN_OPTIONS",
      std::string(asan ? asan : "") + ":quarantine_size_mb=16");
  const pid_t pid = Spawn({"report", "big.csv", "--out", "rep"});
  int status = 0;
  rusage usage;
  ASSERT_EQ(wait4(pid, &status, 0, &usage), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << ReadFile(dir_.File("stderr.txt"));
#if defined(__SANITIZE_ADDRESS__)
  const long limit_kb = 400 * 1024;  // Shadow memory and allocator slack.
#else
  const long limit_kb = 150 * 1024;
#endif
  // Reading it whole took about 26 times the file: 830 MB here.
  EXPECT_LT(usage.ru_maxrss, limit_kb)
      << "KB for a " << (size >> 20) << " MB input";
  const auto summary = Csv("rep/summary.csv");
  ASSERT_EQ(summary.size(), 2u);  // One group, of every copy of the row.
  EXPECT_EQ(std::stoi(Column(summary, 1, "repetitions")), copies);
  // An unclosed quote at the start of a large file is one bounded record.
  {
    std::ofstream bad(dir_.File("bad.csv"));
    bad << header << "\"";
    for (int i = 0; i < 300000; ++i) bad << "0123456789\n";
  }
  EXPECT_EQ(Run({"report", "bad.csv", "--out", "rep2"}), 2);
  EXPECT_NE(err_.find("bad.csv:2: a record longer than"), std::string::npos)
      << err_;
}

// The line of `text` that starts with `prefix` ("[2/2] "), or "".
std::string LineStarting(const std::string& text, const std::string& prefix) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

// The number that follows `label` in `text` ("ops " in "..., ops 200;"),
// or -1 when the label is not there.
double NumberAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return -1;
  return std::strtod(text.c_str() + at + label.size(), nullptr);
}

// The time that follows `label` in a console line ("p99 (service) "
// followed by "1.00 ms"), in microseconds; -1 when it is not there.
double MicrosAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) return -1;
  char* end = nullptr;
  const double v = std::strtod(text.c_str() + at + label.size(), &end);
  const std::string unit(end, std::min<size_t>(3, std::strlen(end)));
  if (unit == " us") return v;
  if (unit == " ms") return v * 1e3;
  if (unit.rfind(" s", 0) == 0) return v * 1e6;
  return -1;
}

// Progress counts the measured operations, also without a warm-up and
// on a backend that times every call.
TEST_F(CliTest, ProgressCountsOperationsWithoutWarmup) {
  ASSERT_EQ(Run({"run", "--backend", "sqlite", "--strategy", "atomic",
                 "--workers", "1", "--duration", "1200ms", "--warmup", "0",
                 "--out", "p.csv"}),
            0)
      << err_;
  const std::string line = LineStarting(err_, "progress: [1/1] 1.");
  ASSERT_FALSE(line.empty()) << err_;
  EXPECT_NE(line.find(" of 1.2 s: "), std::string::npos) << line;
  EXPECT_GT(NumberAfter(line, " s: "), 0) << line;     // operations
  EXPECT_GT(NumberAfter(line, " ops, "), 0) << line;   // per second
  EXPECT_EQ(NumberAfter(line, ", errors "), 0) << line;
}

// A slow run (200 operations a second, far fewer than the 1,024 a worker
// once counted before it published any) reports its operations in its
// first progress line, with the time left; off a terminal, progress is a
// line a second.
TEST_F(CliTest, ProgressOfASlowRunCountsEveryOperation) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--workers", "1", "--rate", "200", "--duration", "1500ms",
                 "--warmup", "0", "--out", "s.csv"}),
            0)
      << err_;
  const std::string line = LineStarting(err_, "progress: ");
  ASSERT_FALSE(line.empty()) << err_;
  // A second into the measured time (a loaded machine reports later).
  EXPECT_EQ(line.rfind("progress: [1/1] 1.", 0), 0u) << line;
  EXPECT_NE(line.find(" of 1.5 s: "), std::string::npos) << line;
  // About 200 by then: every one of them, not a block of 1,024.
  EXPECT_GE(NumberAfter(line, " s: "), 100) << line;
  EXPECT_GT(NumberAfter(line, " ops, "), 0) << line;     // ops/s
  EXPECT_GT(NumberAfter(line, " ops/s, "), 0) << line;   // incr/s
  EXPECT_NE(line.find("; sweep: at least "), std::string::npos) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos) << "not a terminal";
  EXPECT_EQ(line.find("\x1b["), std::string::npos) << "not a terminal";
  // --quiet stays quiet.
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--workers", "1", "--rate", "200", "--duration", "1500ms",
                 "--warmup", "0", "--out", "q.csv", "--quiet"}),
            0)
      << err_;
  EXPECT_EQ(err_.find("progress"), std::string::npos) << err_;
}

// What a terminal shows for `bytes`, as lines: a carriage return goes to
// the start of the line, ESC [ K clears to its end, a newline starts the
// next (no wrapping: lines are as long as they get).
std::vector<std::string> Screen(const std::string& bytes) {
  std::vector<std::string> lines(1);
  size_t col = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string& line = lines.back();
    if (bytes.compare(i, 3, "\x1b[K") == 0) {
      line.resize(std::min(line.size(), col));
      i += 2;
    } else if (bytes[i] == '\r') {
      col = 0;
    } else if (bytes[i] == '\n') {
      lines.emplace_back();
      col = 0;
    } else {
      if (col < line.size()) {
        line[col] = bytes[i];
      } else {
        line += bytes[i];
      }
      ++col;
    }
  }
  if (lines.back().empty()) lines.pop_back();
  return lines;
}

// Runs ctrbench in `dir` with its stdout and stderr on one pseudo-terminal
// of `columns` columns; what it wrote there, and its exit code in *code.
std::string RunOnTerminal(const std::string& dir,
                          const std::vector<std::string>& args,
                          unsigned short columns, int* code) {
  int master = -1, slave = -1;
  winsize size{};
  size.ws_row = 24;
  size.ws_col = columns;
  if (openpty(&master, &slave, nullptr, nullptr, &size) != 0) {
    ADD_FAILURE() << "openpty: " << std::strerror(errno);
    return "";
  }
  const pid_t pid = fork();
  if (pid == 0) {
    setsid();
    if (chdir(dir.c_str()) != 0) _exit(99);
    dup2(slave, 1);
    dup2(slave, 2);
    close(master);
    close(slave);
    std::vector<std::string> argv = {CTRBENCH_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (std::string& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(98);
  }
  close(slave);
  // Read until every holder of the terminal's other end is gone (EIO).
  std::string out;
  const int64_t deadline = NowNs() + 60LL * 1000000000;
  for (;;) {
    pollfd p = {master, POLLIN, 0};
    if (poll(&p, 1, 1000) < 0 && errno != EINTR) break;
    if (NowNs() > deadline) {
      kill(pid, SIGKILL);
      ADD_FAILURE() << "no end after 60 s";
      break;
    }
    if (p.revents == 0) continue;
    char buffer[4096];
    const ssize_t n = read(master, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  close(master);
  *code = WaitExit(pid);
  return out;
}

// On a terminal, progress is one status line redrawn in place (carriage
// return, the line, clear to its end), cut to the terminal's width, with
// the run's operations counted from the first; when the run ends, the
// run's own line takes its place. What stays on the screen is that line
// and where the results went. (A hold of 10 us times every operation,
// so that an interval of 200 has percentiles.)
TEST_F(CliTest, OnATerminalProgressIsOneLineRedrawnInPlace) {
  int code = -1;
  const std::string bytes = RunOnTerminal(
      dir_.path(),
      {"run", "--backend", "inproc", "--strategy", "lock", "--hold", "10us",
       "--workers", "1", "--rate", "200", "--duration", "2500ms",
       "--warmup", "0", "--out", "t.csv"},
      100, &code);
  ASSERT_EQ(code, 0) << bytes;
  // Two redraws (at 1 and 2 s), each cut to 99 columns.
  std::vector<std::string> drawn;
  for (size_t at = bytes.find("\rprogress: "); at != std::string::npos;
       at = bytes.find("\rprogress: ", at + 1)) {
    const size_t end = bytes.find("\x1b[K", at);
    ASSERT_NE(end, std::string::npos) << bytes;
    drawn.push_back(bytes.substr(at + 1, end - at - 1));
  }
  ASSERT_GE(drawn.size(), 2u) << bytes;
  for (const std::string& status : drawn) {
    // With the run's description at its end it is longer than that.
    EXPECT_EQ(status.size(), 99u) << status;
  }
  for (const std::string& status : drawn) {
    EXPECT_EQ(status.rfind("progress: [1/1] ", 0), 0u) << status;
    EXPECT_NE(status.find(" of 2.5 s: "), std::string::npos) << status;
  }
  EXPECT_GE(NumberAfter(drawn[0], " s: "), 100) << drawn[0];
  // The last second's interval closed: its latency is there (this open
  // loop's response p99 first; the service p99 may be cut at the width).
  EXPECT_NE(drawn[1].find(", p99 (response) "), std::string::npos)
      << drawn[1];
  const std::vector<std::string> screen = Screen(bytes);
  ASSERT_EQ(screen.size(), 2u) << bytes;
  EXPECT_EQ(screen[0].rfind("[1/1] inproc lock", 0), 0u) << screen[0];
  EXPECT_NE(screen[0].find(", verified"), std::string::npos) << screen[0];
  EXPECT_EQ(screen[0].find("progress"), std::string::npos) << screen[0];
  EXPECT_EQ(screen[1], "results: t.csv") << bytes;
}

// The run's line names each p99 it prints. A closed loop has service time
// only; an open loop's response time (from each operation's intended
// start, so the queue shows) comes first, then the service time, then the
// share of responses over the latency limit, or the operations never sent
// without one. Each says what the row has.
TEST_F(CliTest, TheRunLineNamesItsP99sInClosedAndOpenLoop) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "lock",
                 "--hold", "1ms", "--workers", "1", "--duration", "300ms",
                 "--warmup", "0", "--out", "c.csv", "--quiet"}),
            0)
      << err_;
  std::string line = LineStarting(out_, "[1/1] inproc");
  auto rows = Csv("c.csv");
  const double closed_p99 = std::stod(Column(rows, 1, "lat_p99_us"));
  EXPECT_NEAR(MicrosAfter(line, ", p99 (service) "), closed_p99,
              0.01 * closed_p99)
      << line;
  EXPECT_EQ(line.find("response"), std::string::npos) << line;
  EXPECT_EQ(line.find("late"), std::string::npos) << line;

  // 1,500/s offered to a key that takes 1,000/s: a queue.
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "lock",
                 "--hold", "1ms", "--workers", "1", "--rate", "1500",
                 "--latency-limit", "2ms", "--duration", "1s", "--warmup",
                 "0", "--out", "o.csv", "--json", "o.jsonl", "--quiet"}),
            0)
      << err_;
  line = LineStarting(out_, "[1/1] inproc");
  rows = Csv("o.csv");
  const double response = std::stod(Column(rows, 1, "resp_p99_us"));
  const double service = std::stod(Column(rows, 1, "lat_p99_us"));
  EXPECT_GT(response, 10 * service) << line;
  const size_t resp_at = line.find(", p99 (response) ");
  const size_t service_at = line.find(", p99 (service) ");
  ASSERT_NE(resp_at, std::string::npos) << line;
  EXPECT_LT(resp_at, service_at) << line;
  EXPECT_NEAR(MicrosAfter(line, ", p99 (response) "), response,
              0.01 * response)
      << line;
  EXPECT_NEAR(MicrosAfter(line, ", p99 (service) "), service, 0.01 * service)
      << line;
  // Late: of the responses timed (the JSON's response histogram), those
  // over the limit.
  const nlohmann::json run = LastRunRecord(ReadFile(dir_.File("o.jsonl")));
  ASSERT_TRUE(run.is_object());
  const double late = 100.0 * run["late_ops"].get<double>() /
                      run["response_histogram"]["count"].get<double>();
  EXPECT_GT(late, 50) << line;
  EXPECT_NEAR(NumberAfter(line, ", late "), late, 0.051) << line;
  EXPECT_NE(line.find(" % (over 2ms)"), std::string::npos) << line;
  EXPECT_LT(service_at, line.find(", late ")) << line;

  // Without a limit nothing is late; what was never sent is said.
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "lock",
                 "--hold", "1ms", "--workers", "1", "--rate", "1500",
                 "--duration", "1s", "--warmup", "0", "--out", "u.csv",
                 "--quiet"}),
            0)
      << err_;
  line = LineStarting(out_, "[1/1] inproc");
  rows = Csv("u.csv");
  EXPECT_EQ(line.find("late"), std::string::npos) << line;
  EXPECT_NE(Column(rows, 1, "unsent_ops"), "0") << line;
  EXPECT_NE(line.find(", unsent " + Column(rows, 1, "unsent_ops") + ","),
            std::string::npos)
      << line;
}

// find-rate judges each rate by its response p99: the run's line gives it
// first, a line of its own says whether the rate held and by which p99,
// and the closing line names the p99 where it held.
TEST_F(CliTest, FindRateSaysThePercentileItJudgedBy) {
  ASSERT_EQ(Run({"find-rate", "--backend", "inproc", "--strategy", "lock",
                 "--hold", "1ms", "--workers", "1", "--duration", "200ms",
                 "--warmup", "50ms", "--p99", "20ms", "--tolerance", "25%",
                 "--out", "f.csv", "--quiet"}),
            0)
      << err_;
  std::istringstream lines(out_);
  std::vector<std::string> all;
  for (std::string l; std::getline(lines, l);) all.push_back(l);
  int judged = 0;
  for (size_t i = 0; i + 1 < all.size(); ++i) {
    const std::string& run = all[i];
    if (run.rfind("[1/1] inproc", 0) != 0) continue;
    if (run.find(" rate=") == std::string::npos) {  // The capacity.
      EXPECT_NE(run.find(", p99 (service) "), std::string::npos) << run;
      EXPECT_EQ(run.find("response"), std::string::npos) << run;
      continue;
    }
    const size_t at = run.find(", p99 (response) ");
    ASSERT_NE(at, std::string::npos) << run;
    const std::string p99 =
        run.substr(at + 17, run.find(',', at + 17) - at - 17);
    const std::string& verdict = all[i + 1];
    ASSERT_EQ(verdict.rfind("  find-rate: ", 0), 0u) << out_;
    if (verdict.find(" holds: ") != std::string::npos) {
      EXPECT_NE(verdict.find("holds: response p99 " + p99 + " <= 20ms"),
                std::string::npos)
          << run << "\n" << verdict;
    } else if (verdict.find(" > 20ms") != std::string::npos) {
      EXPECT_NE(verdict.find("does not hold: response p99 " + p99 + " > "),
                std::string::npos)
          << run << "\n" << verdict;
    }
    ++judged;
  }
  EXPECT_GE(judged, 2) << out_;
  EXPECT_NE(out_.find("(response p99 "), std::string::npos) << out_;
}

// The per-run line ends with every option away from the store's own
// default, whether asked for or not: SQLite's WAL and synchronous =
// normal (SQLite by itself: delete and full) though nobody asked for them;
// a value of a sweep reads at the store's default too (the runs differ);
// the options come once, at the end, as the run had them. inproc's padding
// is ctrbench's alone, at its default: nothing.
TEST_F(CliTest, TheRunLineShowsOptionsAwayFromTheStoresDefaults) {
  ASSERT_EQ(Run({"run", "--backend", "sqlite", "--strategy", "atomic",
                 "--ops", "50", "--out", "s.csv", "--quiet"}),
            0)
      << err_;
  std::string line = LineStarting(out_, "[1/1] sqlite");
  EXPECT_NE(line.find(" [journal_mode=wal;synchronous=normal]"),
            std::string::npos)
      << out_;
  EXPECT_LT(line.find(" ..."), line.find("journal_mode")) << line;

  ASSERT_EQ(Run({"run", "--backend", "sqlite", "--strategy", "atomic",
                 "--ops", "50", "--set", "sqlite.journal_mode=delete,wal",
                 "--set", "sqlite.synchronous=full", "--out", "w.csv",
                 "--quiet"}),
            0)
      << err_;
  const std::string first = LineStarting(out_, "[1/2] sqlite");
  const std::string second = LineStarting(out_, "[2/2] sqlite");
  for (const std::string& l : {first, second}) {
    EXPECT_EQ(l.find("journal_mode"), l.rfind("journal_mode")) << l;
  }
  const std::string both = first + "\n" + second;
  EXPECT_NE(both.find(" [journal_mode=delete;synchronous=full]"),
            std::string::npos)
      << out_;
  EXPECT_NE(both.find(" [journal_mode=wal;synchronous=full]"),
            std::string::npos)
      << out_;

  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--ops", "50", "--out", "i.csv", "--quiet"}),
            0)
      << err_;
  line = LineStarting(out_, "[1/1] inproc");
  ASSERT_FALSE(line.empty()) << out_;
  EXPECT_EQ(line.find('[', 1), std::string::npos) << line;
  // With results on standard output the line goes to stderr, the same.
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--ops", "50", "--set", "inproc.padding=false", "--out",
                 "-", "--quiet"}),
            0)
      << err_;
  EXPECT_NE(LineStarting(err_, "[1/1] inproc").find(" [padding=false]"),
            std::string::npos)
      << err_;
}

TEST_F(CliTest, DefaultOutputGoesToResults) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--ops", "100", "--quiet"}), 0)
      << err_;
  const size_t at = out_.find("results: results/");
  ASSERT_NE(at, std::string::npos) << out_;
  EXPECT_NE(out_.find("-default.csv"), std::string::npos) << out_;
}

TEST_F(CliTest, NeverOverwritesAResultsFile) {
  std::ofstream(dir_.File("taken.csv")) << "precious\n";
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--ops", "10", "--out",
                 "taken.csv"}),
            2);
  EXPECT_NE(err_.find("exists"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(dir_.File("taken.csv")), "precious\n");
  EXPECT_NE(err_.find("ctrbench: --out taken.csv: exists; ctrbench never "
                      "overwrites results; allowed: a new file, or --resume "
                      "taken.csv to run what it lacks\n"),
            std::string::npos)
      << err_;
  // A dry run refuses it the same way, before it prints a plan.
  const std::string run_said = err_;
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--ops", "10", "--out",
                 "taken.csv", "--dry-run"}),
            2);
  EXPECT_EQ(err_, run_said);
  EXPECT_EQ(out_.find("plan:"), std::string::npos) << out_;
  // And the --json file likewise, in a run and in a dry run.
  std::ofstream(dir_.File("taken.jsonl")) << "{}\n";
  for (bool dry : {false, true}) {
    std::vector<std::string> args = {"run", "--backend", "inproc", "--ops",
                                     "10", "--out", "new.csv", "--json",
                                     "taken.jsonl"};
    if (dry) args.push_back("--dry-run");
    EXPECT_EQ(Run(args), 2) << dry;
    EXPECT_NE(err_.find("ctrbench: --json taken.jsonl: exists; ctrbench "
                        "never overwrites results; allowed: a new file\n"),
              std::string::npos)
        << dry << err_;
    EXPECT_EQ(ReadFile(dir_.File("taken.jsonl")), "{}\n");
    EXPECT_NE(access(dir_.File("new.csv").c_str(), F_OK), 0) << dry;
  }
}

TEST_F(CliTest, BadInputExitsTwoWithAClearMessage) {
  std::ofstream(dir_.File("bad.toml")) << "name = \"bad\"\nworkers = -3\n";
  EXPECT_EQ(Run({"run", "bad.toml"}), 2);
  EXPECT_NE(err_.find("bad.toml"), std::string::npos) << err_;
  EXPECT_NE(err_.find("'workers'"), std::string::npos) << err_;
  EXPECT_NE(err_.find("-3"), std::string::npos) << err_;
  EXPECT_NE(err_.find("allowed"), std::string::npos) << err_;

  EXPECT_EQ(Run({"run", "missing.toml"}), 2);
  EXPECT_EQ(Run({"run", "--bogus"}), 2);
  EXPECT_EQ(Run({"run", "--workers", "0"}), 2);
  EXPECT_NE(err_.find("--workers"), std::string::npos) << err_;
  EXPECT_EQ(Run({"run", "--backend", "mongo"}), 2);
  EXPECT_NE(err_.find("inproc"), std::string::npos) << err_;
  EXPECT_EQ(Run({"run", "--set", "shm.padding=perhaps"}), 2);
  EXPECT_NE(err_.find("true or false"), std::string::npos) << err_;
  EXPECT_EQ(Run({"run", "--duration", "1s", "--ops", "5"}), 2);
  EXPECT_EQ(Run({"frobnicate"}), 2);
}

TEST_F(CliTest, UnsupportedCombinationSuggestsWhatWorks) {
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--mode", "processes",
                 "--ops", "10"}),
            2);
  EXPECT_NE(err_.find("shm"), std::string::npos) << err_;
  // Inside a larger sweep it is skipped with a note.
  EXPECT_EQ(Run({"run", "--backend", "inproc,shm", "--mode", "processes",
                 "--ops", "10", "--out", "s.csv"}),
            0)
      << err_;
  EXPECT_NE(err_.find("note: skipped inproc"), std::string::npos) << err_;
  EXPECT_EQ(Csv("s.csv").size(), 1u + 4);  // The four default strategies.
}

TEST_F(CliTest, ConnectionsNeedABackendThatHasThem) {
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--connections", "4",
                 "--ops", "10"}),
            2);
  EXPECT_NE(err_.find("connections 4"), std::string::npos) << err_;
  EXPECT_NE(err_.find("redis"), std::string::npos) << err_;  // What has them.
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--connections", "0"}), 2);
  EXPECT_NE(err_.find("from 1 to 10000"), std::string::npos) << err_;
  // Inside a sweep, a connections count the backend has runs; others are
  // skipped with a note.
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--connections", "1,2", "--ops", "10", "--out", "c.csv"}),
            0)
      << err_;
  EXPECT_NE(err_.find("note: skipped inproc"), std::string::npos) << err_;
  const auto rows = Csv("c.csv");
  ASSERT_EQ(rows.size(), 1u + 1);
}

TEST_F(CliTest, AtomicWithHoldIsSkippedWithANote) {
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic,lock",
                 "--hold", "0,10us", "--ops", "100", "--out", "h.csv"}),
            0)
      << err_;
  EXPECT_NE(err_.find("atomic has no critical section"), std::string::npos);
  EXPECT_EQ(Csv("h.csv").size(), 1u + 3);
}

// kind inventory from the command line: the run line says what it is,
// the row says what sold, and what cannot take stock is refused or skipped.
TEST_F(CliTest, InventorySellsTheStockAndSaysSo) {
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic,naive",
                 "--kind", "inventory", "--stock", "500", "--workers", "2",
                 "--ops", "400", "--out", "i.csv"}),
            0)
      << err_;
  EXPECT_NE(out_.find("inventory stock=500"), std::string::npos) << out_;
  const auto rows = Csv("i.csv");
  ASSERT_EQ(rows.size(), 1u + 2);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(Column(rows, i, "kind"), "inventory");
    EXPECT_EQ(Column(rows, i, "stock"), "500");
    EXPECT_EQ(Column(rows, i, "verified"), "true") << Column(rows, i, "error");
    const long long sold = std::stoll(Column(rows, i, "sold"));
    const long long sold_out = std::stoll(Column(rows, i, "sold_out"));
    EXPECT_EQ(sold + sold_out, 800);
    EXPECT_EQ(Column(rows, i, "increments"), Column(rows, i, "sold"));
    EXPECT_FALSE(Column(rows, i, "sold_out_at_s").empty());
  }
  EXPECT_EQ(Column(rows, 1, "sold"), "500");  // atomic: the stock exactly.
  EXPECT_EQ(Column(rows, 1, "oversold"), "0");
  // A counter's row has no stock.
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--ops", "10", "--strategy",
                 "atomic", "--out", "c.csv", "--quiet"}),
            0);
  EXPECT_EQ(Column(Csv("c.csv"), 1, "kind"), "counter");
  EXPECT_EQ(Column(Csv("c.csv"), 1, "stock"), "");
  EXPECT_EQ(Column(Csv("c.csv"), 1, "sold"), "");
  // What changes a take is refused, naming the flag.
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--kind", "inventory",
                 "--shards", "4", "--ops", "10"}),
            2);
  EXPECT_NE(err_.find("'shards' > 1"), std::string::npos) << err_;
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--kind", "invent",
                 "--ops", "10"}),
            2);
  EXPECT_NE(err_.find("inventory"), std::string::npos) << err_;
}

// Load phases: the row holds them and how the busiest one drained, each
// interval record its phase; with a duration they are refused.
TEST_F(CliTest, PhasesChangeTheLoadAndTheRowSaysHowItDrained) {
  const std::string phases = "1000/s 300ms; 4000/s 300ms; 1000/s 300ms";
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--workers", "2", "--phases", phases, "--series-interval",
                 "100ms", "--out", "p.csv", "--json", "p.jsonl"}),
            0)
      << err_;
  EXPECT_NE(out_.find("phases=" + phases), std::string::npos) << out_;
  EXPECT_NE(out_.find("drained in "), std::string::npos) << out_;
  const auto rows = Csv("p.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Column(rows, 1, "phases"), phases);
  EXPECT_EQ(Column(rows, 1, "rate"), "2000");  // The time-weighted mean.
  EXPECT_EQ(Column(rows, 1, "duration_target_s"), "0.900");
  EXPECT_FALSE(Column(rows, 1, "drain_s").empty());
  EXPECT_EQ(Column(rows, 1, "verified"), "true");
  std::istringstream lines(ReadFile(dir_.File("p.jsonl")));
  std::string line;
  std::set<int> seen;
  while (std::getline(lines, line)) {
    const nlohmann::json record = nlohmann::json::parse(line);
    if (record["type"] == "interval") seen.insert(record["load_phase"].get<int>());
  }
  EXPECT_EQ(seen, (std::set<int>{0, 1, 2}));
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--phases", "1000/s 1s",
                 "--duration", "1s"}),
            2);
  EXPECT_NE(err_.find("'phases' and 'duration'"), std::string::npos) << err_;
  EXPECT_EQ(Run({"find-rate", "--backend", "inproc", "--phases", "1000/s 1s",
                 "--p99", "1ms"}),
            2);
  EXPECT_NE(err_.find("find-rate: --phases"), std::string::npos) << err_;
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--phases", "1000/s"}), 2);
  EXPECT_NE(err_.find("phase 1 has no duration"), std::string::npos) << err_;
}

TEST_F(CliTest, NaiveLosesUpdatesWithoutFailing) {
  EXPECT_EQ(Run({"run", "--backend", "shm", "--strategy", "naive", "--mode",
                 "processes", "--workers", "2", "--hold", "20us",
                 "--duration", "300ms", "--out", "n.csv", "--quiet"}),
            0)
      << err_;
  const auto rows = Csv("n.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(Column(rows, 1, "verified"), "true");
  const long long expected = std::stoll(Column(rows, 1, "expected_total"));
  const long long actual = std::stoll(Column(rows, 1, "actual_total"));
  EXPECT_EQ(std::stoll(Column(rows, 1, "lost_updates")), expected - actual);
}

TEST_F(CliTest, CrashedWorkerFailsTheRunAndCleansUp) {
  const pid_t pid = Spawn({"run", "--backend", "shm", "--strategy", "lock",
                           "--mode", "processes", "--workers", "2",
                           "--duration", "20s", "--repeat", "2", "--out",
                           "c.csv", "--quiet"});
  const std::vector<pid_t> kids = testing_util::WaitForChildren(pid, 2, 10000);
  ASSERT_EQ(kids.size(), 2u);
  usleep(200000);
  const int64_t start = NowNs();
  kill(kids[0], SIGKILL);
  EXPECT_EQ(Wait(pid), 1);
  EXPECT_LT(NowNs() - start, 5LL * 1000000000);
  err_ = ReadFile(dir_.File("stderr.txt"));
  EXPECT_NE(err_.find("pid " + std::to_string(kids[0])), std::string::npos)
      << err_;
  EXPECT_NE(err_.find("signal 9"), std::string::npos) << err_;
  const auto rows = Csv("c.csv");
  ASSERT_EQ(rows.size(), 2u);  // The failed row; the sweep stopped there.
  EXPECT_EQ(Column(rows, 1, "verified"), "false");
  EXPECT_NE(Column(rows, 1, "error").find("signal 9"), std::string::npos);
  EXPECT_TRUE(SegmentsOf(pid).empty());
}

TEST_F(CliTest, InterruptKeepsFinishedRowsAndRemovesSegments) {
  for (const char* mode : {"threads", "processes"}) {
    SCOPED_TRACE(mode);
    const std::string out = std::string("i-") + mode + ".csv";
    const pid_t pid =
        Spawn({"run", "--backend", "shm", "--mode", mode, "--workers", "2",
               "--strategy", "atomic,lock,cas", "--duration", "400ms",
               "--out", out, "--quiet"});
    usleep(1000 * 1000);  // Inside the third run.
    kill(pid, SIGINT);
    EXPECT_EQ(Wait(pid), 130);
    const auto rows = Csv(out);
    ASSERT_GE(rows.size(), 2u);
    ASSERT_LE(rows.size(), 3u);
    for (size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), CsvHeader().size());
      EXPECT_EQ(Column(rows, i, "verified"), "true");
    }
    EXPECT_TRUE(SegmentsOf(pid).empty());
  }
}

TEST_F(CliTest, ReportSummarizesRunsAndThePythonBaseline) {
  ASSERT_EQ(Run({"run", "--backend", "inproc,shm", "--strategy", "atomic",
                 "--workers", "1,2", "--ops", "2000", "--repeat", "2",
                 "--out", "r.csv", "--quiet"}),
            0)
      << err_;
  const std::string python =
      "python3 " CTRBENCH_SOURCE_DIR "/scripts/python_baseline.py "
      "--increments 1 --min-time 0.05 --repeat 2 --scenario default "
      "--ctrbench " CTRBENCH_BINARY " --out " + dir_.File("py.csv") +
      " > /dev/null";
  ASSERT_EQ(system(python.c_str()), 0);
  const auto py = Csv("py.csv");
  ASSERT_EQ(py.size(), 1u + 4 * 2);
  EXPECT_EQ(py[0], CsvHeader());  // The same schema as ctrbench's rows.
  // Each case grew from 1 increment until a run lasted --min-time, and
  // its repetitions count the same.
  for (size_t i = 1; i < py.size(); i += 2) {
    EXPECT_EQ(Column(py, i, "repetition"), "1");
    EXPECT_EQ(Column(py, i + 1, "repetition"), "2");
    EXPECT_GE(std::stod(Column(py, i, "duration_s")), 0.05) << i;
    EXPECT_GT(std::stoll(Column(py, i, "ops_target")), 1) << i;
    EXPECT_EQ(Column(py, i, "ops_target"), Column(py, i + 1, "ops_target"));
  }
  ASSERT_EQ(Run({"report", "r.csv", "py.csv", "--out", "rep"}), 0) << err_;
  const std::string md = ReadFile(dir_.File("rep/summary.md"));
  EXPECT_NE(md.find("## default / atomic"), std::string::npos) << md;
  EXPECT_NE(md.find("## default / lock"), std::string::npos) << md;
  for (const char* backend :
       {"| inproc |", "| shm |", "| py-threading threads |",
        "| py-value processes |", "| py-manager processes |"}) {
    EXPECT_NE(md.find(backend), std::string::npos) << backend << "\n" << md;
  }
  const auto summary = Csv("rep/summary.csv");
  ASSERT_EQ(summary.size(), 1u + 4 + 4);
  for (size_t i = 1; i < summary.size(); ++i) {
    EXPECT_EQ(Column(summary, i, "repetitions"), "2") << i;
  }

  // Bad input: a clear error with the file and line, exit 2.
  std::ofstream(dir_.File("bad.csv")) << ReadFile(dir_.File("r.csv"))
                                      << "1,2,3\n";
  EXPECT_EQ(Run({"report", "bad.csv"}), 2);
  EXPECT_NE(err_.find("bad.csv:10"), std::string::npos) << err_;
  // A file that is not there, in the words of every other error: the
  // file, why, and what is allowed; checked before anything is read.
  EXPECT_EQ(Run({"report", "r.csv", "missing.csv"}), 2);
  EXPECT_EQ(err_.find("ctrbench report: missing.csv: no such file; allowed: "
                      "results files that exist"),
            0u)
      << err_;
  EXPECT_EQ(err_.find("Run with --help"), std::string::npos) << err_;
  EXPECT_EQ(Run({"report", "--compare", "r.csv", "missing.csv"}), 2);
  EXPECT_EQ(err_.find("ctrbench report: --compare missing.csv: no such file"),
            0u)
      << err_;
  EXPECT_EQ(Run({"report", "."}), 2);
  EXPECT_NE(err_.find(".: a directory; allowed: "), std::string::npos) << err_;
  // A flag without its value: CLI11's words, in the same form.
  EXPECT_EQ(Run({"report", "r.csv", "--out"}), 2);
  EXPECT_EQ(err_.find("ctrbench: --out"), 0u) << err_;
  EXPECT_NE(err_.find("see `ctrbench report --help`"), std::string::npos)
      << err_;
  const std::string whole = ReadFile(dir_.File("r.csv"));
  std::ofstream(dir_.File("header.csv"))
      << whole.substr(0, whole.find('\n') + 1);
  EXPECT_EQ(Run({"report", "header.csv", "--out", "rep-h"}), 2);
  EXPECT_NE(err_.find("header.csv: no runs in it (a header only); allowed: "),
            std::string::npos)
      << err_;

  // --compare: the same sweep against itself; 2 repetitions cannot tell.
  ASSERT_EQ(Run({"report", "--compare", "r.csv", "r.csv", "--out", "cmp"}), 0)
      << err_;
  EXPECT_NE(out_.find("too few repetitions (2 and 2)"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("cmp/compare.md"), std::string::npos) << out_;
  EXPECT_EQ(Csv("cmp/compare.csv").size(), 1u + 4);
  EXPECT_EQ(Run({"report", "--compare", "r.csv"}), 2);
  EXPECT_EQ(err_, "ctrbench report: --compare r.csv: one file; allowed: two "
                  "results files, --compare A B\n");
  EXPECT_EQ(Run({"report", "r.csv", "--compare", "r.csv", "r.csv"}), 2);
  EXPECT_NE(err_.find("not both"), std::string::npos) << err_;
  EXPECT_NE(err_.find("r.csv and --compare r.csv r.csv"), std::string::npos)
      << err_;
  // Nothing given: what is missing.
  EXPECT_EQ(Run({"report"}), 2);
  EXPECT_EQ(err_.find("ctrbench report: no results files given; allowed: "),
            0u)
      << err_;
  EXPECT_EQ(err_.find("not both"), std::string::npos) << err_;
}

// Out of memory (an address-space limit the segment fits in, but not what
// the run allocates after it): a clear error and exit 1, never an abort,
// and the segment is removed.
TEST_F(CliTest, OutOfMemoryIsAnErrorAndTeardownRuns) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "sanitizers reserve more address space than the limit";
#endif
  bool said = false;
  for (const char* limit : {"1200000000", "1300000000", "1400000000"}) {
    SCOPED_TRACE(limit);
    const pid_t pid = testing_util::Spawn(
        dir_.path(),
        {"/usr/bin/prlimit", std::string("--as=") + limit, CTRBENCH_BINARY,
         "run", "--backend", "shm", "--keys", "16000000", "--strategy",
         "atomic", "--duration", "200ms", "--out",
         std::string("oom-") + limit + ".csv"});
    const int code = WaitExit(pid);
    const std::string err = ReadFile(dir_.File("stderr.txt"));
    EXPECT_TRUE(code == 0 || code == 1) << code << " " << err;
    said |= err.find("out of memory") != std::string::npos;
    const std::string prefix = "ctrbench-" + std::to_string(pid) + "-";
    if (DIR* d = opendir("/dev/shm")) {
      while (dirent* e = readdir(d)) {
        EXPECT_NE(std::string(e->d_name).rfind(prefix, 0), 0u)
            << "left: /dev/shm/" << e->d_name;
      }
      closedir(d);
    }
  }
  EXPECT_TRUE(said) << "no limit made an allocation fail";
}

// A sweep refused before its first run (no place for the run ledger)
// leaves no results file with a header and no rows.
TEST_F(CliTest, ARefusedSweepLeavesNoResultsFile) {
  testing_util::ScopedEnv state("CTRBENCH_STATE_DIR", "");
  testing_util::ScopedEnv xdg("XDG_STATE_HOME", "");
  testing_util::ScopedEnv home("HOME", "");
  EXPECT_EQ(Run({"run", "--backend", "inproc", "--duration", "100ms",
                 "--out", "refused.csv"}),
            2);
  EXPECT_NE(err_.find("ledger"), std::string::npos) << err_;
  EXPECT_NE(access(dir_.File("refused.csv").c_str(), F_OK), 0);
}

// Histograms that cannot be right are refused with the file and line: a
// bucket that ends before it starts, and counts that sum past 2^63 (which
// would empty the merged percentiles without a word).
TEST_F(CliTest, ReportRefusesInvertedAndOverflowingHistograms) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--duration", "100ms", "--json", "h.jsonl", "--out",
                 "h.csv", "--quiet"}),
            0)
      << err_;
  nlohmann::json record = LastRunRecord(ReadFile(dir_.File("h.jsonl")));
  ASSERT_TRUE(record.is_object());
  nlohmann::json& buckets = record["latency_histogram"]["buckets"];
  ASSERT_FALSE(buckets.empty());
  nlohmann::json inverted = record;
  auto& first = inverted["latency_histogram"]["buckets"][0];
  first[1] = first[0].get<uint64_t>() == 0 ? 0 : first[0].get<uint64_t>() - 1;
  std::ofstream(dir_.File("inverted.jsonl")) << inverted.dump() << "\n";
  EXPECT_EQ(Run({"report", "inverted.jsonl", "--out", "rep-i"}), 2);
  EXPECT_NE(err_.find("does not end where"), std::string::npos) << err_;
  EXPECT_NE(err_.find("inverted.jsonl"), std::string::npos) << err_;

  nlohmann::json huge = record;
  huge["latency_histogram"]["buckets"] =
      nlohmann::json::array({buckets[0]});
  huge["latency_histogram"]["buckets"][0][2] = int64_t{6000000000000000000};
  std::ofstream(dir_.File("huge.jsonl"))
      << huge.dump() << "\n" << huge.dump() << "\n";
  EXPECT_EQ(Run({"report", "huge.jsonl", "--out", "rep-h"}), 2);
  EXPECT_NE(err_.find("2^63"), std::string::npos) << err_;
}

TEST_F(CliTest, AnEmptyFileIsNoSqliteDatabase) {
  std::ofstream(dir_.File("empty.db")).flush();
  EXPECT_EQ(Run({"run", "--backend", "sqlite", "--duration", "100ms",
                 "--set", "sqlite.path=" + dir_.File("empty.db"), "--out",
                 "e.csv"}),
            2);
  EXPECT_NE(err_.find("not an empty file"), std::string::npos) << err_;
  EXPECT_EQ(ReadFile(dir_.File("empty.db")), "");
}

}  // namespace
}  // namespace ctrbench
