#include "counters/csv.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace ctrbench {

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

Result<CsvFile> CsvFile::Create(const std::string& path,
                                const std::vector<std::string>& header) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                      0644);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status::InvalidArgument(path + ": file exists; ctrbench never "
                                     "overwrites results, name another "
                                     "with --out");
    }
    return Status::FromErrno("create " + path, errno);
  }
  CsvFile file(fd, path);
  Status st = file.WriteAll(CsvLine(header));
  if (!st.ok()) return st;
  return file;
}

CsvFile::CsvFile(CsvFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

CsvFile::~CsvFile() {
  if (fd_ >= 0) close(fd_);
}

Status CsvFile::Append(const std::vector<std::string>& row) {
  return WriteAll(CsvLine(row));
}

Status CsvFile::WriteAll(const std::string& text) {
  // One write() per row: a row is in the file whole or not at all, short
  // of a full disk, which the loop below reports.
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd_, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("write " + path_, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

}  // namespace ctrbench
