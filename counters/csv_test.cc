#include "counters/csv.h"
#include "counters/backend.h"

#include <gtest/gtest.h>
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

TEST(CsvFile, NeverOverwrites) {
  char dir[] = "/tmp/ctrbench-csv-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/out.csv";
  {
    Result<CsvFile> file = CsvFile::Create(path, {"a", "b"});
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE(file->Append({"1", "x,y"}).ok());
  }
  Result<CsvFile> again = CsvFile::Create(path, {"a", "b"});
  EXPECT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsInvalidArgument());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "a,b\n1,\"x,y\"\n");
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
