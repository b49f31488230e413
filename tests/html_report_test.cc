// report.html in a real browser: headless Chromium opens the page of a
// real report (two runs of the real binary, with --json) and of a
// comparison, draws every chart without an error (the page writes each
// error into <pre id="errors">, marks each canvas drawn and counts the
// charts on <body>), and shows summary.csv's values. The page and a
// screenshot are kept in the build's artifacts directory. Skipped without
// Chromium or Chart.js; scripts/setup.sh installs both, so CI runs it.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "counters/program.h"
#include "counters/report.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::Column;
using testing_util::ReadFile;

// The text between the first `open` and the `close` after it; "(none)"
// without `open`.
std::string Between(const std::string& text, const std::string& open,
                    const std::string& close) {
  const size_t at = text.find(open);
  if (at == std::string::npos) return "(none)";
  const size_t from = at + open.size();
  return text.substr(from, text.find(close, from) - from);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

class HtmlReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = FindProgram("chromium");
    if (chromium_.empty()) {
      GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs "
                      "it): report.html is not tested in a browser";
    }
    if (access(kDefaultChartJs, R_OK) != 0) {
      GTEST_SKIP() << kDefaultChartJs << " is missing (the Debian package "
                   << "libjs-chart.js; scripts/setup.sh installs it)";
    }
    timeout_ = FindProgram("timeout");
  }

  int Ctrbench(const std::vector<std::string>& args) {
    const int code =
        testing_util::WaitExit(testing_util::SpawnCtrbench(dir_.path(), args));
    out_ = ReadFile(dir_.File("stdout.txt"));
    err_ = ReadFile(dir_.File("stderr.txt"));
    return code;
  }

  // Chromium, headless, on `page` with `flags`: what it printed (the DOM,
  // with --dump-dom). Its profile and messages stay in a directory of its
  // own; a browser that hangs is stopped after a minute.
  std::string Browse(const std::string& page,
                     const std::vector<std::string>& flags) {
    const std::string where = dir_.File("browser" + std::to_string(runs_++));
    mkdir(where.c_str(), 0700);
    std::vector<std::string> argv;
    if (!timeout_.empty()) argv = {timeout_, "60"};
    for (const std::string& a :
         {chromium_, std::string("--headless"), std::string("--no-sandbox"),
          std::string("--disable-gpu"), std::string("--disable-dev-shm-usage"),
          std::string("--no-first-run"), "--user-data-dir=" + where + "/profile",
          std::string("--virtual-time-budget=5000")}) {
      argv.push_back(a);
    }
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back("file://" + page);
    const int code = testing_util::WaitExit(testing_util::Spawn(where, argv));
    EXPECT_EQ(code, 0) << ReadFile(where + "/stderr.txt");
    return ReadFile(where + "/stdout.txt");
  }

  // The page drew every chart it has, at least `least`, without an error.
  static void ExpectDrawn(const std::string& dom, int least) {
    ASSERT_NE(dom.find("</html>"), std::string::npos) << dom;
    EXPECT_EQ(Between(dom, "<pre id=\"errors\">", "</pre>"), "")
        << "the page's errors";
    const int expected =
        std::atoi(Between(dom, "data-charts-expected=\"", "\"").c_str());
    EXPECT_GE(expected, least);
    EXPECT_EQ(Between(dom, "data-charts-rendered=\"", "\""),
              std::to_string(expected));
    EXPECT_EQ(Count(dom, "data-drawn=\"1\""), static_cast<size_t>(expected));
  }

  testing_util::TempDir dir_;
  std::string chromium_, timeout_, out_, err_;
  int runs_ = 0;
};

// Two runs with their series; one file's scenario renamed to text that
// would break a page that did not escape it.
TEST_F(HtmlReportTest, ChromiumDrawsEveryChartAndShowsSummaryValues) {
  ASSERT_EQ(Ctrbench({"run", "--backend", "inproc,shm", "--strategy",
                      "atomic", "--workers", "1,2", "--duration", "150ms",
                      "--repeat", "2", "--series-interval", "30ms", "--out",
                      "a.csv", "--json", "a.jsonl", "--quiet"}),
            0)
      << err_;
  ASSERT_EQ(Ctrbench({"run", "--backend", "inproc", "--strategy", "lock",
                      "--workers", "1,2", "--duration", "150ms",
                      "--series-interval", "30ms", "--out", "b.csv", "--json",
                      "b.jsonl", "--quiet"}),
            0)
      << err_;
  const std::string evil = "evil</script><img src=x onerror=alert(1)>";
  {
    std::ifstream in(dir_.File("b.jsonl"));
    std::ofstream out(dir_.File("b-evil.jsonl"));
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json record = nlohmann::json::parse(line);
      record["scenario"] = evil;
      out << record.dump() << "\n";
    }
  }
  ASSERT_EQ(Ctrbench({"report", "a.jsonl", "b-evil.jsonl", "--out", "rep"}), 0)
      << err_;
  EXPECT_NE(out_.find("explore: rep/report.html"), std::string::npos) << out_;
  const std::string page = dir_.File("rep/report.html");
  const std::string html = ReadFile(page);
  EXPECT_EQ(html.find(evil), std::string::npos);

  const std::string dom = Browse(page, {"--dump-dom"});
  // Two tables of increments/s and p99, and each table's series.
  ExpectDrawn(dom, 6);
  EXPECT_NE(Between(dom, "<span id=\"chart-version\">", "</span>").find("3."),
            std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_NE(dom.find("evil&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; "
                     "/ lock"),
            std::string::npos);
  // The menus of the series were filled by the script: a group per
  // worker count and backend (and the lock table's two).
  EXPECT_EQ(Count(dom, "runs)</option>"), 4u + 2u);
  // The details show summary.csv's cells.
  const auto summary = testing_util::ReadCsv(dir_.File("rep/summary.csv"));
  ASSERT_EQ(summary.size(), 1u + 4 + 2);
  for (size_t i = 1; i < summary.size(); ++i) {
    const std::string cells = Between(
        dom, "<tr data-row=\"" + std::to_string(i) + "\">", "</tr>");
    for (const char* column :
         {"repetitions", "increments_per_s_median", "lat_p99_us_median"}) {
      EXPECT_NE(cells.find(std::string("<td data-column=\"") + column +
                           "\">" + Column(summary, i, column) + "</td>"),
                std::string::npos)
          << column << " of row " << i << ": " << cells;
    }
  }

  // The page and a picture of it, for a person to look at.
  const std::string artifacts = CTRBENCH_ARTIFACT_DIR;
  mkdir(artifacts.c_str(), 0755);
  const std::string shot = artifacts + "/report_html.png";
  unlink(shot.c_str());
  Browse(page, {"--screenshot=" + shot, "--window-size=1200,900",
                "--hide-scrollbars"});
  const std::string png = ReadFile(shot);
  EXPECT_GT(png.size(), 10000u) << shot;
  EXPECT_EQ(png.substr(0, 4), "\x89PNG") << shot;
  std::ofstream(artifacts + "/report.html") << html;
}

// A run with load phases: its series chart shades each phase (the
// first group shown is the run's).
TEST_F(HtmlReportTest, TheSeriesOfARunWithPhasesShadesThem) {
  ASSERT_EQ(Ctrbench({"run", "--backend", "inproc", "--strategy", "atomic",
                      "--workers", "1", "--phases",
                      "2000/s 200ms; 6000/s 200ms; 2000/s 200ms",
                      "--series-interval", "50ms", "--out", "p.csv", "--json",
                      "p.jsonl", "--quiet"}),
            0)
      << err_;
  ASSERT_EQ(Ctrbench({"report", "p.jsonl", "--out", "rep"}), 0) << err_;
  const std::string dom =
      Browse(dir_.File("rep/report.html"), {"--dump-dom"});
  ExpectDrawn(dom, 1);
  EXPECT_NE(dom.find("data-phases-drawn=\"3\""), std::string::npos)
      << "three phases shaded";
}

// The page of `report --compare` (A from JSON Lines, B from the CSV of
// the same runs: they group alike).
TEST_F(HtmlReportTest, TheComparisonDrawsToo) {
  ASSERT_EQ(Ctrbench({"run", "--backend", "inproc", "--strategy", "atomic",
                      "--workers", "1,2", "--duration", "100ms", "--repeat",
                      "2", "--out", "a.csv", "--json", "a.jsonl", "--quiet"}),
            0)
      << err_;
  ASSERT_EQ(Ctrbench({"report", "--compare", "a.jsonl", "a.csv", "--out",
                      "cmp"}),
            0)
      << err_;
  EXPECT_NE(out_.find("explore: cmp/report.html"), std::string::npos) << out_;
  const std::string dom = Browse(dir_.File("cmp/report.html"), {"--dump-dom"});
  ExpectDrawn(dom, 1);
  EXPECT_NE(dom.find("<tr data-row=\"2\">"), std::string::npos);
}

}  // namespace
}  // namespace ctrbench
