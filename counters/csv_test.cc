#include "counters/csv.h"
#include "counters/backend.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace ctrbench {
namespace {

TEST(CsvEscape, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape(""), "");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvEscape("cr\r"), "\"cr\r\"");
}

TEST(HumanTime, TakesTheUnitThatKeepsItShort) {
  EXPECT_EQ(HumanTime(0), "0.00 us");
  EXPECT_EQ(HumanTime(8.1), "8.10 us");
  EXPECT_EQ(HumanTime(999.994), "999.99 us");
  EXPECT_EQ(HumanTime(999.996), "1.00 ms");
  EXPECT_EQ(HumanTime(1003.52), "1.00 ms");
  EXPECT_EQ(HumanTime(675283), "675.28 ms");
  EXPECT_EQ(HumanTime(2.5e6), "2.50 s");
}

TEST(CsvLine, JoinsAndEnds) {
  EXPECT_EQ(CsvLine({"a", "b,c", ""}), "a,\"b,c\",\n");
}

TEST(ParseCsv, RoundTripsEscapedFields) {
  const std::vector<std::string> fields = {"x", "a,b", "q\"q", "l1\nl2", ""};
  Result<std::vector<std::vector<std::string>>> rows =
      ParseCsv(CsvLine(fields) + CsvLine({"1", "2", "3", "4", "5"}), "t.csv");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0], fields);
  EXPECT_EQ((*rows)[1][4], "5");
}

TEST(ParseCsv, NamesTheLineOfAnError) {
  Result<std::vector<std::vector<std::string>>> rows =
      ParseCsv("a,b\n1,2\n3,x\"y\n", "bad.csv");
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("bad.csv:3"), std::string::npos)
      << rows.status().message();
  rows = ParseCsv("a,b\n\"open,2\n", "open.csv");
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.status().message().find("open.csv:2"), std::string::npos);
}

TEST(ResultFile, NeverOverwrites) {
  char dir[] = "/tmp/ctrbench-csv-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/out.csv";
  {
    Result<ResultFile> file = ResultFile::Create(path, CsvLine({"a", "b"}));
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE(file->Append(CsvLine({"1", "x,y"})).ok());
  }
  Result<ResultFile> again = ResultFile::Create(path, CsvLine({"a", "b"}));
  EXPECT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsInvalidArgument());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "a,b\n1,\"x,y\"\n");
  unlink(path.c_str());
  rmdir(dir);
}

// A disk that fills up (here: a file size limit, which fails write() the
// same way) leaves whole records only, and no file at all when not even the
// header fits.
TEST(ResultFile, AFullDiskLeavesWholeRecordsOnly) {
  char dir[] = "/tmp/ctrbench-full-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/out.csv";
  const std::string header = "a,b\n";
  const std::string record = "0123456789,abcdefghij\n";  // 22 bytes.
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    rlimit limit = {100, 100};  // Room for the header and 4 records.
    setrlimit(RLIMIT_FSIZE, &limit);
    Result<ResultFile> file = ResultFile::Create(path, header);
    if (!file.ok()) _exit(10);
    int appended = 0;
    while (file->Append(record).ok()) ++appended;
    if (appended != 4) _exit(11);
    limit = {2, 2};
    setrlimit(RLIMIT_FSIZE, &limit);
    if (ResultFile::Create(path + ".2", header).ok()) _exit(12);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), header + record + record + record + record);
  EXPECT_NE(access((path + ".2").c_str(), F_OK), 0);  // Removed again.
  unlink(path.c_str());
  rmdir(dir);
}

// backend_options cells are "k=v;k=v": a value with ';', '=' or '%' in it
// (a path, a libpq connection string) is percent-escaped so the cell still
// splits.
TEST(FormatOptions, EscapesTheSeparators) {
  EXPECT_EQ(FormatOptions({{"b", "2"}, {"a", "1"}}), "a=1;b=2");
  EXPECT_EQ(FormatOptions({{"path", "/x;y=z%"}}), "path=/x%3By%3Dz%25");
  EXPECT_EQ(FormatOptions({{"k", "line\nbreak"}}), "k=line%0Abreak");
}

}  // namespace
}  // namespace ctrbench
