// CSV output: RFC 4180 quoting, and a results file that takes whole rows.
//
// A ResultFile is created exclusively (an existing file is never
// overwritten) and each row reaches the file in one write(), so a run
// interrupted at any point leaves a valid CSV of the rows written so far.

#ifndef CTRBENCH_COUNTERS_CSV_H_
#define CTRBENCH_COUNTERS_CSV_H_

#include <cstdint>
#include <string>
#include <vector>

#include "counters/status.h"

namespace ctrbench {

// A number as a cell: `decimals` digits after the point ("%.*f").
std::string Fixed(double v, int decimals);

// "100.000" -> "100", "0.250" -> "0.25".
std::string TrimNumber(std::string v);

// A rate for people: "1.25 M", "3.4 k", "12".
std::string Rate(double per_s);

// A time for people, from microseconds, in the unit that keeps it short:
// "8.10 us", "13.70 ms", "2.50 s" (a response p99 of 675,283 us reads as
// "675.28 ms").
std::string HumanTime(double us);

// One typed value of a results column (counters/metrics.h): its CSV text
// and its JSON value both come from it, so the JSON never parses a number
// back from text. An empty cell is null.
//
//   Cell::Float(12.3456, 3).Text()  // "12.346"
//   Cell::Number(1500, 3).Text()    // "1500" (trailing zeros trimmed)
//   Cell().Text()                   // ""
class Cell {
 public:
  enum class Type { kNull, kInt, kFloat, kText, kBool };

  Cell() = default;  // Null.
  static Cell Int(int64_t v);
  // `decimals` digits after the point.
  static Cell Float(double v, int decimals);
  // At most `decimals` digits, trailing zeros dropped: a setting ("1500").
  static Cell Number(double v, int decimals);
  static Cell Text(std::string v);
  static Cell Bool(bool v);

  Type type() const { return type_; }
  bool null() const { return type_ == Type::kNull; }
  int64_t int_value() const { return i_; }
  double float_value() const { return d_; }
  bool bool_value() const { return i_ != 0; }
  const std::string& text_value() const { return s_; }

  // The CSV cell.
  std::string Text() const;

 private:
  Type type_ = Type::kNull;
  int64_t i_ = 0;
  double d_ = 0;
  int decimals_ = 0;
  bool trim_ = false;
  std::string s_;
};
const char* CellTypeName(Cell::Type type);  // "integer", "number", ...

// Quotes a field when it holds a comma, a quote, a CR or an LF.
std::string CsvEscape(const std::string& field);
// Joins escaped fields with commas and ends the line with "\n".
std::string CsvLine(const std::vector<std::string>& fields);

// Splits CSV text into rows of fields; quoted fields may hold commas,
// doubled quotes and newlines. A malformed line is an InvalidArgument
// naming `source` and the line number.
Result<std::vector<std::vector<std::string>>> ParseCsv(
    const std::string& text, const std::string& source);

// Where the whole records of CSV `text` end: after the last line break
// outside quotes. A file cut in the middle of a row (a run killed while
// writing it) has its partial row after that.
size_t WholeCsvRecordsEnd(const std::string& text);

// A results file that takes whole records (CSV rows, JSON lines). Created
// exclusively: an existing file is never overwritten. Each record reaches
// it in one write(); in a regular file a record that could not be written
// whole (a full disk) is cut off again, so the file holds whole records
// only. On standard output (a pipe, say) one write() per record is all
// that can be done: best effort.
class ResultFile {
 public:
  // Creates `path` (failing if it exists) and writes `first` (a header, or
  // nothing). If that fails the file is removed again.
  static Result<ResultFile> Create(const std::string& path,
                                   const std::string& first);
  // An existing file, to add records at its end (--resume).
  static Result<ResultFile> OpenToAppend(const std::string& path);
  // Standard output, named "-" in messages.
  static Result<ResultFile> Stdout(const std::string& first);
  ResultFile(ResultFile&& other) noexcept;
  ResultFile& operator=(ResultFile&& other) = delete;
  ResultFile(const ResultFile&) = delete;
  ~ResultFile();

  Status Append(const std::string& record);
  const std::string& path() const { return path_; }

 private:
  ResultFile(int fd, std::string path, bool owned)
      : fd_(fd), path_(std::move(path)), owned_(owned) {}

  int fd_;
  std::string path_;
  bool owned_;  // Our file, to close; not stdout.
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_CSV_H_
