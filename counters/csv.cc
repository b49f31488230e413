#include "counters/csv.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "counters/files.h"

namespace ctrbench {

std::string Fixed(double v, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, v);
  return buffer;
}

std::string TrimNumber(std::string v) {
  if (v.find('.') == std::string::npos) return v;
  while (!v.empty() && v.back() == '0') v.pop_back();
  if (!v.empty() && v.back() == '.') v.pop_back();
  return v;
}

Cell Cell::Int(int64_t v) {
  Cell c;
  c.type_ = Type::kInt;
  c.i_ = v;
  return c;
}

Cell Cell::Float(double v, int decimals) {
  Cell c;
  c.type_ = Type::kFloat;
  c.d_ = v;
  c.decimals_ = decimals;
  return c;
}

Cell Cell::Number(double v, int decimals) {
  Cell c = Float(v, decimals);
  c.trim_ = true;
  return c;
}

Cell Cell::Text(std::string v) {
  Cell c;
  c.type_ = Type::kText;
  c.s_ = std::move(v);
  return c;
}

Cell Cell::Bool(bool v) {
  Cell c;
  c.type_ = Type::kBool;
  c.i_ = v ? 1 : 0;
  return c;
}

std::string Cell::Text() const {
  switch (type_) {
    case Type::kNull:
      return "";
    case Type::kInt:
      return std::to_string(i_);
    case Type::kFloat:
      return trim_ ? TrimNumber(Fixed(d_, decimals_)) : Fixed(d_, decimals_);
    case Type::kText:
      return s_;
    case Type::kBool:
      return i_ ? "true" : "false";
  }
  return "";
}

const char* CellTypeName(Cell::Type type) {
  switch (type) {
    case Cell::Type::kNull:
      return "null";
    case Cell::Type::kInt:
      return "integer";
    case Cell::Type::kFloat:
      return "number";
    case Cell::Type::kText:
      return "text";
    case Cell::Type::kBool:
      return "boolean";
  }
  return "";
}

std::string Rate(double per_s) {
  if (per_s >= 1e6) return Fixed(per_s / 1e6, 2) + " M";
  if (per_s >= 1e3) return Fixed(per_s / 1e3, 1) + " k";
  return Fixed(per_s, 0);
}

std::string HumanTime(double us) {
  // Where two decimals would round up to 1000.00 of the smaller unit, the
  // larger one is taken.
  if (us >= 999999.995) return Fixed(us / 1e6, 2) + " s";
  if (us >= 999.995) return Fixed(us / 1e3, 2) + " ms";
  return Fixed(us, 2) + " us";
}

std::string CsvEscape(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvEscape(fields[i]);
  }
  line += '\n';
  return line;
}

Result<std::vector<std::vector<std::string>>> ParseCsv(
    const std::string& text, const std::string& source) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;       // Inside a quoted field.
  bool was_quoted = false;   // The current field was quoted and closed.
  size_t line = 1, row_line = 1;
  auto error = [&](const std::string& what) {
    return Status::InvalidArgument(source + ":" + std::to_string(line) +
                                   ": " + what);
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
          was_quoted = true;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      rows.push_back(std::move(row));
      row.clear();
      ++line;
      row_line = line;
    } else if (c == '"') {
      if (!field.empty() || was_quoted) {
        return error("a quote inside an unquoted field");
      }
      quoted = true;
    } else {
      if (was_quoted) return error("text after a closing quote");
      field += c;
    }
  }
  if (quoted) {
    line = row_line;
    return error("a quoted field is not closed");
  }
  if (!field.empty() || !row.empty() || was_quoted) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

size_t WholeCsvRecordsEnd(const std::string& text) {
  size_t end = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;  // "" inside quotes flips twice.
    if (quoted) continue;
    // A line break: \n, \r\n, or a lone \r (which ParseCsv takes too).
    if (text[i] == '\n' ||
        (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      end = i + 1;
    }
  }
  return end;
}

namespace {

// Writes all of `text`; on failure says how much reached the file.
Status WriteAll(int fd, const std::string& text, const std::string& path,
                size_t* written) {
  *written = 0;
  while (*written < text.size()) {
    const ssize_t n = write(fd, text.data() + *written, text.size() - *written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("write " + path, errno);
    }
    if (n == 0) return Status::IOError("write " + path + ": no progress");
    *written += static_cast<size_t>(n);
  }
  return Status::OK();
}

}  // namespace

Result<ResultFile> ResultFile::Create(const std::string& path,
                                      const std::string& first) {
  // Written beside its name and moved into place: never through a link
  // planted there, never over an existing file, never a half header.
  Result<Fd> fd = CreateNew(path, first, 0644);
  if (!fd.ok()) {
    if (fd.status().IsInvalidArgument()) {
      return Status::InvalidArgument(path + ": file exists; ctrbench never "
                                     "overwrites results, name another "
                                     "with --out");
    }
    return fd.status();
  }
  return ResultFile(fd->release(), path, true);
}

Result<ResultFile> ResultFile::OpenToAppend(const std::string& path) {
  Result<Fd> fd = ctrbench::OpenToAppend(path);
  if (!fd.ok()) return fd.status();
  return ResultFile(fd->release(), path, true);
}

Result<ResultFile> ResultFile::Stdout(const std::string& first) {
  ResultFile file(STDOUT_FILENO, "-", false);
  if (!first.empty()) {
    Status st = file.Append(first);
    if (!st.ok()) return st;
  }
  return file;
}

ResultFile::ResultFile(ResultFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), owned_(other.owned_) {
  other.fd_ = -1;
}

ResultFile::~ResultFile() {
  if (fd_ >= 0 && owned_) close(fd_);
}

Status ResultFile::Append(const std::string& record) {
  struct stat st;
  const bool regular = fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  const off_t before = regular ? lseek(fd_, 0, SEEK_END) : -1;
  size_t written = 0;
  Status status = WriteAll(fd_, record, path_, &written);
  if (!status.ok() && regular && before >= 0 && written > 0) {
    // Cut the partial record off: the file holds whole records only.
    if (ftruncate(fd_, before) == 0) lseek(fd_, before, SEEK_SET);
  }
  return status;
}

}  // namespace ctrbench
