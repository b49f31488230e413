#include "counters/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "counters/csv.h"
#include "counters/fields.h"
#include "counters/files.h"
#include "counters/program.h"

namespace ctrbench {

const std::string& ResultRow::Get(const std::string& column) const {
  static const std::string kEmpty;
  auto it = fields.find(column);
  return it == fields.end() ? kEmpty : it->second;
}

double ResultRow::Number(const std::string& column) const {
  const std::string& text = Get(column);
  if (text.empty()) return NAN;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return *end == '\0' ? v : NAN;
}

// The columns a results file must have: those of schema 1. Columns appended
// later may be missing from an older file and read as empty.
const std::vector<std::string>& RequiredColumns() {
  static const std::vector<std::string>* columns = new std::vector<std::string>{
      "schema_version", "scenario", "backend", "strategy", "mode", "workers",
      "keys", "distribution", "batch", "shards", "read_fraction", "hold_us",
      "think_us", "backend_options", "increments_per_s", "lat_p50_us",
      "lat_p99_us", "retries", "ops", "lock_wait_us", "duration_s",
      "lost_updates", "fairness", "verified"};
  return *columns;
}

namespace {

// What report reads, for messages.
constexpr char kResultsFiles[] =
    "results files that exist (the CSV of ctrbench run --out, or the JSON "
    "Lines of --json)";

// A row written before a column that groups existed, as it ran: every
// run then counted (kind "counter"), so that it groups with a row of
// today's that does the same.
void FillOlderRow(ResultRow* row) {
  std::string& kind = row->fields["kind"];
  if (kind.empty()) kind = KindName(Kind::kCounter);
}

// What every row must be, from either kind of file.
Status CheckRow(const ResultRow& row) {
  const std::string& version = row.Get("schema_version");
  if (version != "1" && version != "2") {
    return Status::InvalidArgument(
        row.source + ": schema_version '" + version + "' is not one this "
        "ctrbench reads (1, 2); a newer ctrbench wrote it?");
  }
  for (const char* numeric : {"workers", "increments_per_s"}) {
    if (std::isnan(row.Number(numeric))) {
      return Status::InvalidArgument(row.source + ": column '" + numeric +
                                     "' is not a number: '" +
                                     row.Get(numeric) + "'");
    }
  }
  return Status::OK();
}

// Longest record read: a file that is not ctrbench's (an unterminated quote
// at the start of a big file) must not be read into memory whole.
constexpr size_t kMaxCsvRecord = 1 << 20;
constexpr size_t kMaxJsonRecord = 64 << 20;

// Reads one line (without its '\n') of at most `cap` bytes; false at the
// end of the input. A longer line sets *too_long.
bool ReadLine(std::streambuf* in, size_t cap, std::string* line,
              bool* too_long) {
  line->clear();
  *too_long = false;
  int c = in->sbumpc();
  if (c == EOF) return false;
  while (c != EOF && c != '\n') {
    if (line->size() >= cap) {
      *too_long = true;
      return true;
    }
    line->push_back(static_cast<char>(c));
    c = in->sbumpc();
  }
  return true;
}

// Whether `column` is one report groups rows on (a setting).
bool IsSetting(const std::string& column) {
  static const std::set<std::string>* settings = new std::set<std::string>(
      GroupColumns().begin(), GroupColumns().end());
  return settings->count(column) > 0;
}

// A float setting of a JSON record as the CSV writes it, so that the runs
// of a JSON Lines file group with those of a CSV file (and summary.csv
// reads the same from either): JSON has the bare number (100 us is 100.0),
// the CSV three decimals, as every float setting has there
// (counters/fields.cc: Micros, Float(v, 3)), trailing zeros trimmed for
// rate (Cell::Number). tests/cli_test.cc checks that both give one
// summary.
std::string SettingText(const std::string& column, double v) {
  const std::string text = Fixed(v, 3);
  return column == "rate" ? TrimNumber(text) : text;
}

// A number of a series interval: absent or null leaves *v as it is;
// false when it is there and not a number.
bool SeriesNumber(const nlohmann::json& point, const char* name, double* v) {
  const auto it = point.find(name);
  if (it == point.end() || it->is_null()) return true;
  if (!it->is_number()) return false;
  *v = it->get<double>();
  return true;
}

// An interval of a run's series: an interval record of the JSON sink, or
// an entry of an older run record's "series" (start_s, end_s, ops_per_s,
// increments_per_s, p50_us, p99_us). Fields added later are passed over.
bool SampleOf(const nlohmann::json& point, SeriesSample* s) {
  double stage = -1;
  if (point.is_object() && SeriesNumber(point, "load_phase", &stage) &&
      stage >= 0 && stage < 1e6) {
    s->stage = static_cast<int>(stage);
  }
  return point.is_object() && point.contains("start_s") &&
         point.contains("end_s") && SeriesNumber(point, "start_s", &s->start_s) &&
         SeriesNumber(point, "end_s", &s->end_s) &&
         SeriesNumber(point, "ops_per_s", &s->ops_per_s) &&
         SeriesNumber(point, "increments_per_s", &s->increments_per_s) &&
         SeriesNumber(point, "p50_us", &s->p50_us) &&
         SeriesNumber(point, "p99_us", &s->p99_us) && s->end_s >= s->start_s;
}

constexpr char kNotAnInterval[] =
    " is not an object with numbers start_s <= end_s (and numbers or null "
    "for ops_per_s, increments_per_s, p50_us, p99_us)";

// The series of an older record (the run record's "series"); none in a
// newer one, whose intervals come as records of their own.
Status SeriesOf(const nlohmann::json& record, const std::string& where,
                ResultRow* row) {
  const auto it = record.find("series");
  if (it == record.end() || it->is_null()) return Status::OK();
  if (!it->is_array()) {
    return Status::InvalidArgument(where + ": 'series' is not an array of "
                                   "intervals");
  }
  auto series = std::make_shared<std::vector<SeriesSample>>();
  series->reserve(it->size());
  for (const nlohmann::json& point : *it) {
    SeriesSample s;
    if (!SampleOf(point, &s)) {
      return Status::InvalidArgument(where + ": series interval " +
                                     std::to_string(series->size() + 1) +
                                     kNotAnInterval);
    }
    series->push_back(s);
  }
  row->series = std::move(series);
  return Status::OK();
}

// The interval records of the run being read, which come before its run
// record (written as the run went). Those of a run that has no record (it
// was interrupted) are dropped when another run's come. At most
// kMaxReadIntervals samples: past them, neighbours are merged in pairs,
// and the intervals that follow are merged as many a sample.
class SeriesBuffer {
 public:
  void Add(const std::string& run_id, const SeriesSample& s) {
    if (run_id != run_id_) {
      *this = SeriesBuffer();
      run_id_ = run_id;
    }
    group_.push_back(s);
    if (group_.size() < stride_) return;
    if (samples_.size() >= kMaxReadIntervals) {
      std::vector<SeriesSample> halved;
      halved.reserve(samples_.size() / 2 + 1);
      for (size_t i = 0; i < samples_.size(); i += 2) {
        halved.push_back(
            MergeSamples(samples_, i, std::min(samples_.size(), i + 2)));
      }
      samples_ = std::move(halved);
      stride_ *= 2;
      if (group_.size() < stride_) return;
    }
    samples_.push_back(MergeSamples(group_, 0, group_.size()));
    group_.clear();
  }

  // The series of run `run_id`, if its intervals came (null if not); the
  // buffer is empty after.
  std::shared_ptr<std::vector<SeriesSample>> Take(const std::string& run_id) {
    std::shared_ptr<std::vector<SeriesSample>> series;
    if (run_id == run_id_ && (!samples_.empty() || !group_.empty())) {
      if (!group_.empty()) {
        samples_.push_back(MergeSamples(group_, 0, group_.size()));
      }
      series = std::make_shared<std::vector<SeriesSample>>(std::move(samples_));
    }
    *this = SeriesBuffer();
    return series;
  }

 private:
  std::string run_id_;
  std::vector<SeriesSample> samples_;
  std::vector<SeriesSample> group_;  // Not a sample yet.
  size_t stride_ = 1;                // Intervals a sample.
};

// An interval record ("type": "interval") into `buffer`.
Status IntervalOf(const nlohmann::json& record, const std::string& where,
                  SeriesBuffer* buffer) {
  const auto id = record.find("run_id");
  SeriesSample s;
  if (id == record.end() || !id->is_string() || !SampleOf(record, &s)) {
    return Status::InvalidArgument(
        where + ": an interval record" + kNotAnInterval +
        ", and a string run_id");
  }
  buffer->Add(id->get<std::string>(), s);
  return Status::OK();
}

// A JSON Lines run record (the JSON sink's): the CSV fields as typed
// values, the latency histogram, kept for exact merging, and an older
// record's series.
Status JsonRow(const nlohmann::json& record, const std::string& where,
               ResultRow* row) {
  row->source = where;
  for (const auto& [key, value] : record.items()) {
    if (value.is_string()) {
      row->fields[key] = value.get<std::string>();
    } else if (value.is_boolean()) {
      row->fields[key] = value.get<bool>() ? "true" : "false";
    } else if (value.is_number_float() && IsSetting(key)) {
      row->fields[key] = SettingText(key, value.get<double>());
    } else if (value.is_number()) {
      row->fields[key] = value.dump();
    } else if (value.is_null()) {
      row->fields[key] = "";
    }
  }
  for (const std::string& c : RequiredColumns()) {
    if (!record.contains(c)) {
      return Status::InvalidArgument(where + ": field '" + c +
                                     "' is missing; is this a ctrbench "
                                     "results file?");
    }
  }
  Status st = SeriesOf(record, where, row);
  if (!st.ok()) return st;
  const auto hist = record.find("latency_histogram");
  if (hist == record.end() || !hist->is_object()) return Status::OK();
  const auto buckets = hist->find("buckets");
  if (buckets == hist->end() || !buckets->is_array()) return Status::OK();
  auto h = std::make_shared<Histogram>();
  const auto max_it = hist->find("max");
  const int64_t max = max_it != hist->end() && max_it->is_number_integer()
                          ? max_it->get<int64_t>()
                          : -1;
  int64_t total = 0;
  for (const nlohmann::json& b : *buckets) {
    if (!b.is_array() || b.size() != 3 || !b[0].is_number_unsigned() ||
        !b[1].is_number_unsigned() || !b[2].is_number_integer() ||
        b[2].get<int64_t>() < 0) {
      return Status::InvalidArgument(where + ": a latency bucket is not "
                                     "[low, high, count]");
    }
    const uint64_t low = b[0].get<uint64_t>();
    const int index = Histogram::BucketOf(low);
    if (Histogram::BucketLow(index) != low) {
      return Status::InvalidArgument(
          where + ": latency bucket " + std::to_string(low) +
          " does not start a bucket of this ctrbench's histogram");
    }
    // [low, high): high where this histogram's bucket ends, so never an
    // inverted or a stretched one.
    if (b[1].get<uint64_t>() != low + Histogram::BucketWidth(index)) {
      return Status::InvalidArgument(
          where + ": latency bucket [" + std::to_string(low) + ", " +
          std::to_string(b[1].get<uint64_t>()) + ") does not end where a "
          "bucket of this ctrbench's histogram ends (" +
          std::to_string(low + Histogram::BucketWidth(index)) + ")");
    }
    if (__builtin_add_overflow(total, b[2].get<int64_t>(), &total)) {
      return Status::InvalidArgument(
          where + ": the latency buckets count more than 2^63 operations "
          "together");
    }
    const int64_t top =
        static_cast<int64_t>(low + Histogram::BucketWidth(index) - 1);
    h->AddToBucket(index, b[2].get<int64_t>(),
                   max >= 0 ? std::min<int64_t>(max, top) : top);
  }
  row->latency = std::move(h);
  return Status::OK();
}

// Reads one file, a record at a time.
Status ReadFile(const std::string& path,
                const std::function<Status(ResultRow&&)>& each) {
  Status st = CheckResultsFile(path);
  if (!st.ok()) return st;
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Status::InvalidArgument(path + ": cannot be opened; allowed: " +
                                   kResultsFiles);
  }
  return ReadResultsFrom(file.rdbuf(), path, each);
}

// JSON Lines: interval records, each run's before its run record, which
// takes them in as its series.
Status ReadJsonLines(std::streambuf* in, const std::string& path,
                     const std::function<Status(ResultRow&&)>& each) {
  std::string line;
  bool too_long = false;
  size_t number = 0;
  SeriesBuffer intervals;
  while (ReadLine(in, kMaxJsonRecord, &line, &too_long)) {
    ++number;
    const std::string where = path + ":" + std::to_string(number);
    if (too_long) {
      return Status::InvalidArgument(where + ": a record longer than " +
                                     std::to_string(kMaxJsonRecord) +
                                     " bytes");
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.is_object()) {
      return Status::InvalidArgument(where + ": not a JSON object");
    }
    const auto type = record.find("type");
    if (type != record.end() && *type == "interval") {
      Status st = IntervalOf(record, where, &intervals);
      if (!st.ok()) return st;
      continue;
    }
    ResultRow row;
    Status st = JsonRow(record, where, &row);
    if (st.ok() && !row.series) {
      row.series = intervals.Take(row.Get("run_id"));
    }
    FillOlderRow(&row);
    if (st.ok()) st = CheckRow(row);
    if (st.ok()) st = each(std::move(row));
    if (!st.ok()) return st;
  }
  if (number == 0) {
    return Status::InvalidArgument(path + ":1: empty file");
  }
  return Status::OK();
}

}  // namespace

SeriesSample MergeSamples(const std::vector<SeriesSample>& all, size_t from,
                          size_t to) {
  SeriesSample m;
  m.stage = all[from].stage;
  m.start_s = all[from].start_s;
  m.end_s = all[to - 1].end_s;
  m.intervals = 0;
  double seconds = 0, ops = 0, increments = 0;
  std::vector<double> p50s;
  for (size_t i = from; i < to; ++i) {
    const SeriesSample& s = all[i];
    const double d = s.end_s - s.start_s;
    seconds += d;
    ops += s.ops_per_s * d;
    increments += s.increments_per_s * d;
    m.intervals += s.intervals;
    if (!std::isnan(s.p50_us)) p50s.push_back(s.p50_us);
    if (!std::isnan(s.p99_us)) {
      m.p99_us = std::isnan(m.p99_us) ? s.p99_us : std::max(m.p99_us, s.p99_us);
    }
  }
  m.ops_per_s = seconds > 0 ? ops / seconds : all[from].ops_per_s;
  m.increments_per_s =
      seconds > 0 ? increments / seconds : all[from].increments_per_s;
  if (!p50s.empty()) m.p50_us = Median(p50s);
  return m;
}

Status CheckResultsFile(const std::string& path) {
  struct stat st;
  std::string why;
  if (stat(path.c_str(), &st) != 0) {
    why = errno == ENOENT ? "no such file" : std::strerror(errno);
  } else if (S_ISDIR(st.st_mode)) {
    why = "a directory";
  } else if (access(path.c_str(), R_OK) != 0) {
    why = std::strerror(errno);
  }
  if (why.empty()) return Status::OK();
  return Status::InvalidArgument(path + ": " + why + "; allowed: " +
                                 kResultsFiles);
}

Status ReadResultsFrom(std::streambuf* in, const std::string& path,
                       const std::function<Status(ResultRow&&)>& each) {
  // JSON Lines or CSV, by the first character that is not white space.
  int first = in->sgetc();
  while (first == ' ' || first == '\t' || first == '\r' || first == '\n') {
    in->sbumpc();
    first = in->sgetc();
  }
  std::string line;
  bool too_long = false;
  size_t number = 0;
  if (first == '{') return ReadJsonLines(in, path, each);

  // CSV: a record is a line, or several while a quoted field spans them.
  auto next_record = [&](std::string* record, size_t* at) -> Result<bool> {
    record->clear();
    bool got = false;
    size_t quotes = 0;
    while (ReadLine(in, kMaxCsvRecord, &line, &too_long)) {
      ++number;
      if (!got) *at = number;
      got = true;
      if (too_long || record->size() + line.size() > kMaxCsvRecord) {
        return Status::InvalidArgument(
            path + ":" + std::to_string(*at) + ": a record longer than " +
            std::to_string(kMaxCsvRecord) + " bytes (an unclosed quote?)");
      }
      if (!record->empty()) *record += '\n';
      *record += line;
      quotes += static_cast<size_t>(std::count(line.begin(), line.end(), '"'));
      if (quotes % 2 == 0) return true;
    }
    return got;
  };
  std::string record;
  size_t at = 0;
  Result<bool> more = next_record(&record, &at);
  if (!more.ok()) return more.status();
  if (!*more) {
    return Status::InvalidArgument(path + ":1: empty file, expected a "
                                   "ctrbench results header");
  }
  Result<std::vector<std::vector<std::string>>> parsed =
      ParseCsv(record, path);
  if (!parsed.ok()) return parsed.status();
  const std::vector<std::string> header =
      parsed->empty() ? std::vector<std::string>() : (*parsed)[0];
  for (const std::string& c : RequiredColumns()) {
    if (std::find(header.begin(), header.end(), c) == header.end()) {
      return Status::InvalidArgument(path + ":1: column '" + c +
                                     "' is missing; is this a ctrbench "
                                     "results file?");
    }
  }
  for (;;) {
    more = next_record(&record, &at);
    if (!more.ok()) return more.status();
    if (!*more) return Status::OK();
    if (record.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(at);
    parsed = ParseCsv(record, where);
    if (!parsed.ok()) return parsed.status();
    if (parsed->size() != 1) {
      return Status::InvalidArgument(where + ": not one CSV record");
    }
    const std::vector<std::string>& fields = (*parsed)[0];
    if (fields.size() != header.size()) {
      return Status::InvalidArgument(
          where + ": " + std::to_string(fields.size()) +
          " fields, but the header has " + std::to_string(header.size()));
    }
    ResultRow row;
    row.source = where;
    for (size_t c = 0; c < header.size(); ++c) row.fields[header[c]] = fields[c];
    FillOlderRow(&row);
    Status st = CheckRow(row);
    if (st.ok()) st = each(std::move(row));
    if (!st.ok()) return st;
  }
}

Status ReadResults(const std::vector<std::string>& paths,
                   const std::function<Status(ResultRow&&)>& each) {
  for (const std::string& path : paths) {
    Status st = ReadFile(path, each);
    if (!st.ok()) return st;
  }
  return Status::OK();
}

Result<std::vector<ResultRow>> LoadResults(
    const std::vector<std::string>& paths) {
  std::vector<ResultRow> rows;
  Status st = ReadResults(paths, [&rows](ResultRow&& row) {
    rows.push_back(std::move(row));
    return Status::OK();
  });
  if (!st.ok()) return st;
  return rows;
}

}  // namespace ctrbench
