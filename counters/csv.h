// CSV output: RFC 4180 quoting, and a file that takes whole rows.
//
// A CsvFile is created exclusively (an existing file is never overwritten)
// and each row reaches the file in one write(), so a run interrupted at any
// point leaves a valid CSV of the rows written so far.

#ifndef CTRBENCH_COUNTERS_CSV_H_
#define CTRBENCH_COUNTERS_CSV_H_

#include <string>
#include <vector>

#include "counters/status.h"

namespace ctrbench {

// Quotes a field when it holds a comma, a quote, a CR or an LF.
std::string CsvEscape(const std::string& field);
// Joins escaped fields with commas and ends the line with "\n".
std::string CsvLine(const std::vector<std::string>& fields);

// Splits CSV text into rows of fields; quoted fields may hold commas,
// doubled quotes and newlines. A malformed line is an InvalidArgument
// naming `source` and the line number.
Result<std::vector<std::vector<std::string>>> ParseCsv(
    const std::string& text, const std::string& source);

class CsvFile {
 public:
  // Creates `path` (failing if it exists) and writes the header.
  static Result<CsvFile> Create(const std::string& path,
                                const std::vector<std::string>& header);
  CsvFile(CsvFile&& other) noexcept;
  CsvFile& operator=(CsvFile&& other) = delete;
  CsvFile(const CsvFile&) = delete;
  ~CsvFile();

  Status Append(const std::vector<std::string>& row);
  const std::string& path() const { return path_; }

 private:
  CsvFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status WriteAll(const std::string& text);

  int fd_;
  std::string path_;
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_CSV_H_
