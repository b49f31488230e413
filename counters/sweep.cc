#include "counters/sweep.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "counters/clock.h"
#include "counters/fields.h"
#include "counters/files.h"
#include "counters/csv.h"
#include "counters/interrupt.h"
#include "counters/mpi.h"

namespace ctrbench {

namespace {

// find-rate's runs per configuration at most: its capacity and the
// bisection.
constexpr int kMostFindRateRuns = 20;

std::string DefaultOutPath(const std::string& scenario) {
  const std::time_t now = std::time(nullptr);
  std::tm tm;
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
  return std::string("results/") + stamp + "-" + scenario + ".csv";
}

// What a rate given as a share of capacity is a share of: the
// configuration without its open-loop fields and its repetition.
std::string CapacityKey(const RunConfig& c) {
  std::string key = c.backend + "\x1f" + FormatOptions(c.options);
  for (const Field& f : RunFields()) {
    const std::string name = f.key;
    if (name == "rate" || name == "arrival" || name == "latency_limit") continue;
    key += "\x1f" + f.cell(c);
  }
  return key;
}

// A lower bound of a plan's time: measured time and warm-up of timed runs.
std::string EstimateTime(const SweepPlan& plan) {
  int64_t ns = 0;
  size_t by_ops = 0;
  for (const RunConfig& c : plan.runs) {
    ns += c.warmup_ns + c.duration_ns;
    if (c.ops > 0) ++by_ops;
  }
  std::string out = "at least " + Fixed(ns / 1e9, 1) +
                    " s of measuring and warm-up";
  if (by_ops > 0) {
    out += ", plus " + std::to_string(by_ops) +
           " run(s) limited by ops, whose length depends on the backend";
  }
  return out + "; setup and teardown (a server start) come on top";
}

// A results file to add to (--resume): its text, and where its whole
// records end.
struct ResumedFile {
  std::string text;
  size_t whole = 0;
};

Result<ResumedFile> ReadResumed(
    const std::string& path,
    const std::function<size_t(const std::string&)>& whole_end) {
  Fd file(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  struct stat st;
  if (!file.valid() || fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(
        path + ": " +
        (file.valid() ? "not a regular file" : std::strerror(errno)) +
        "; allowed: a results file of yours");
  }
  ResumedFile out;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(file.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("read " + path, errno);
    if (n == 0) break;
    out.text.append(buffer, static_cast<size_t>(n));
  }
  out.whole = whole_end(out.text);
  return out;
}

// Makes `path` end with whole records: a last record that is whole but
// lacks its line break (`complete`: an edited file) gets one; anything else
// after the whole records (a run stopped while writing it) is cut off.
// Said on err; a dry run only says what a run would do.
Status MendTail(const SweepOptions& options, const std::string& path,
                const ResumedFile& file, bool complete) {
  const size_t tail = file.text.size() - file.whole;
  if (tail == 0) return Status::OK();
  if (options.dry_run) {
    std::fprintf(options.err, "ctrbench: %s ends %s; a run would %s (a dry "
                 "run leaves it)\n", path.c_str(),
                 complete ? "without a line break" : "in the middle of a record",
                 complete ? "add one" : "cut off the partial record");
    return Status::OK();
  }
  Fd fd(open(path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC));
  const bool done =
      fd.valid() && (complete ? write(fd.get(), "\n", 1) == 1
                              : ftruncate(fd.get(), static_cast<off_t>(
                                                        file.whole)) == 0);
  if (!done) return Status::FromErrno("mend the end of " + path, errno);
  if (complete) {
    std::fprintf(options.err, "ctrbench: %s lacked its last line break; "
                 "added it\n", path.c_str());
  } else {
    std::fprintf(options.err, "ctrbench: %s ended in the middle of a record "
                 "(a run stopped while writing it); cut off its last %zu "
                 "bytes\n", path.c_str(), tail);
  }
  return Status::OK();
}

// --resume: checks the CSV (every row of this schema; a partial last row
// is cut off, after the checks) and the JSON Lines file beside it, and
// marks in *skip the runs the CSV holds. An exit code other than kExitOk,
// said on err, when the file cannot be resumed.
int ResumeFrom(const SweepOptions& options, const SweepPlan& plan,
               std::vector<bool>* skip) {
  const std::string& path = options.resume_path;
  Result<ResumedFile> csv = ReadResumed(path, &WholeCsvRecordsEnd);
  Result<std::vector<std::vector<std::string>>> rows =
      csv.ok() ? ParseCsv(csv->text.substr(0, csv->whole), path)
               : Result<std::vector<std::vector<std::string>>>(csv.status());
  if (!rows.ok()) {
    std::fprintf(options.err, "ctrbench: --resume %s\n",
                 rows.status().message().c_str());
    return kExitUsage;
  }
  if (rows->empty() || (*rows)[0] != CsvHeader()) {
    std::fprintf(options.err, "ctrbench: --resume %s: the header is not "
                 "this ctrbench's (schema %d); allowed: a CSV this version "
                 "wrote\n", path.c_str(), kSchemaVersion);
    return kExitUsage;
  }
  auto ours = [](const std::vector<std::string>& row) {
    return row.size() == CsvHeader().size() &&
           row[0] == std::to_string(kSchemaVersion);
  };
  // Every row of this schema too: a row of another counts as nothing
  // done, and appending to such a file would mix two schemas.
  for (size_t r = 1; r < rows->size(); ++r) {
    const std::vector<std::string>& row = (*rows)[r];
    if (!ours(row)) {
      std::fprintf(options.err,
                   "ctrbench: --resume %s: row %zu is not a row of this "
                   "ctrbench's schema %d (%zu fields, schema '%s'); allowed: "
                   "a CSV this version wrote\n",
                   path.c_str(), r + 1, kSchemaVersion, row.size(),
                   row.empty() ? "" : row[0].c_str());
      return kExitUsage;
    }
  }
  // After the whole rows: a row without its line break, or a part of one.
  Result<std::vector<std::vector<std::string>>> last =
      ParseCsv(csv->text.substr(csv->whole), path);
  const bool whole_last = last.ok() && last->size() == 1 && ours((*last)[0]);
  if (whole_last) rows->push_back((*last)[0]);
  Status st = MendTail(options, path, *csv, whole_last);
  if (st.ok() && !options.json_path.empty() && options.json_path != "-" &&
      access(options.json_path.c_str(), F_OK) == 0) {
    Result<ResumedFile> json =
        ReadResumed(options.json_path, [](const std::string& t) {
          const size_t nl = t.rfind('\n');
          return nl == std::string::npos ? 0 : nl + 1;
        });
    st = json.status();
    if (st.ok()) {
      st = MendTail(options, options.json_path, *json,
                    nlohmann::json::accept(json->text.substr(json->whole)));
    }
  }
  if (!st.ok()) {
    std::fprintf(options.err, "ctrbench: --resume: %s\n",
                 st.message().c_str());
    return kExitRunFailed;
  }
  *skip = RunsAlreadyIn(plan, *rows);
  return kExitOk;
}

// What a run (and a dry run) says of a results file that exists: it never
// writes over one.
std::string ExistsMessage(const std::string& flag, const std::string& path) {
  return flag + " " + path +
         ": exists; ctrbench never overwrites results; allowed: a new "
         "file" +
         (flag == "--out" ? ", or --resume " + path + " to run what it lacks"
                          : "");
}

// The results files the options name that exist already: a run refuses
// them before it starts, and a dry run the same way. An exit code other
// than kExitOk, said on err. --resume appends to its file and to the JSON
// Lines file beside it, which may exist.
int RefuseExisting(const SweepOptions& options) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"--out", options.out_path}};
  if (options.resume_path.empty()) {
    files.push_back({"--json", options.json_path});
  }
  for (const auto& [flag, path] : files) {
    struct stat st;
    if (path.empty() || path == "-" || lstat(path.c_str(), &st) != 0) continue;
    std::fprintf(options.err, "ctrbench: %s\n",
                 ExistsMessage(flag, path).c_str());
    return kExitUsage;
  }
  return kExitOk;
}

// Says why the results file of `flag` ("" for the default name) could not
// be opened; the exit code. `created` is the path a new file was to have:
// one that exists now (made since RefuseExisting looked) gets its message.
int CannotOpen(const SweepOptions& options, const std::string& flag,
               const std::string& created, const Status& why) {
  struct stat st;
  if (why.IsInvalidArgument() && !created.empty() &&
      lstat(created.c_str(), &st) == 0) {
    std::fprintf(options.err, "ctrbench: %s\n",
                 ExistsMessage(flag, created).c_str());
  } else {
    std::fprintf(options.err, "ctrbench: %s%s\n",
                 flag.empty() ? "" : (flag + " ").c_str(),
                 why.message().c_str());
  }
  return why.IsInvalidArgument() ? kExitUsage : kExitRunFailed;
}

Result<ResultFile> OpenCsv(const SweepOptions& options,
                           const std::string& scenario) {
  if (options.out_path == "-") return ResultFile::Stdout(CsvLine(CsvHeader()));
  if (!options.out_path.empty()) {
    return ResultFile::Create(options.out_path, CsvLine(CsvHeader()));
  }
  if (mkdir("results", 0755) != 0 && errno != EEXIST) {
    return Status::FromErrno("create directory results", errno);
  }
  // A run in the same second took the name: add -2, -3...
  const std::string base = DefaultOutPath(scenario);
  for (int n = 1;; ++n) {
    std::string path = base;
    if (n > 1) {
      path = base.substr(0, base.size() - 4) + "-" + std::to_string(n) +
             ".csv";
    }
    Result<ResultFile> file = ResultFile::Create(path, CsvLine(CsvHeader()));
    if (file.ok() || !file.status().IsInvalidArgument() || n == 100) {
      return file;
    }
  }
}

}  // namespace

std::vector<bool> RunsAlreadyIn(
    const SweepPlan& plan, const std::vector<std::vector<std::string>>& rows) {
  std::vector<bool> done(plan.runs.size(), false);
  if (rows.empty()) return done;
  const std::vector<std::string>& header = rows[0];
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < header.size(); ++i) at[header[i]] = i;
  auto cell = [&](const std::vector<std::string>& row,
                  const std::string& column) -> std::string {
    auto it = at.find(column);
    return it == at.end() || it->second >= row.size() ? "" : row[it->second];
  };
  std::vector<bool> used(rows.size(), false);
  for (size_t r = 0; r < plan.runs.size(); ++r) {
    const RunConfig& c = plan.runs[r];
    for (size_t i = 1; i < rows.size(); ++i) {
      const std::vector<std::string>& row = rows[i];
      if (used[i] || row.size() != header.size()) continue;
      bool same = cell(row, "scenario") == c.scenario &&
                  cell(row, "backend") == c.backend &&
                  cell(row, "repetition") == std::to_string(c.repetition);
      for (const Field& f : RunFields()) {
        if (!same) break;
        same = cell(row, f.column) == f.cell(c);
      }
      if (!same) continue;
      const OptionMap had = ParseFormattedOptions(cell(row, "backend_options"));
      for (const auto& [key, value] : c.options) {
        auto it = had.find(key);
        if (it == had.end() || it->second != value) same = false;
      }
      if (!same) continue;
      used[i] = true;
      done[r] = true;
      break;
    }
  }
  return done;
}

namespace {

// Whether the status line is drawn in place: progress is wanted and
// stderr is a terminal.
bool StatusOnTerminal(const SweepOptions& options) {
  return !options.quiet && !options.follower &&
         isatty(fileno(options.err)) == 1;
}

// Whether `console` is that terminal too (stdout and stderr on one
// terminal, or --out - sending both to stderr).
bool ConsoleOnStatusTerminal(const SweepOptions& options,
                             std::FILE* console) {
  if (!StatusOnTerminal(options)) return false;
  if (console == options.err) return true;
  struct stat a, b;
  return isatty(fileno(console)) == 1 && fstat(fileno(console), &a) == 0 &&
         fstat(fileno(options.err), &b) == 0 && a.st_rdev == b.st_rdev;
}

// The console, the CSV file and the JSON Lines file, as the options ask;
// an exit code other than kExitOk when one cannot be opened (said on err).
int OpenSinks(const SweepOptions& options, const std::string& scenario_name,
              const Registry& registry, std::FILE* console,
              std::vector<std::unique_ptr<ResultSink>>* out) {
  std::vector<std::unique_ptr<ResultSink>>& sinks = *out;
  sinks.push_back(NewConsoleSink(console, &registry,
                                 ConsoleOnStatusTerminal(options, console)));
  Result<ResultFile> csv =
      options.resume_path.empty()
          ? OpenCsv(options, scenario_name)
          : ResultFile::OpenToAppend(options.resume_path);
  if (!csv.ok()) {
    const bool resume = !options.resume_path.empty();
    const bool named = !options.out_path.empty();
    return CannotOpen(options, resume ? "--resume" : named ? "--out" : "",
                      resume ? "" : options.out_path, csv.status());
  }
  sinks.push_back(NewCsvSink(std::move(*csv)));
  if (!options.json_path.empty()) {
    Result<ResultFile> json =
        options.json_path == "-"
            ? ResultFile::Stdout("")
            : !options.resume_path.empty() &&
                      access(options.json_path.c_str(), F_OK) == 0
                  ? ResultFile::OpenToAppend(options.json_path)
                  : ResultFile::Create(options.json_path, "");
    if (!json.ok()) {
      return CannotOpen(options, "--json",
                        options.resume_path.empty() ? options.json_path : "",
                        json.status());
    }
    sinks.push_back(NewJsonSink(std::move(*json)));
  }
  return kExitOk;
}

// Every rank plans the sweep itself (from the same command line), but a
// host's memory or installed servers could change the plan: the ranks
// agree on it, or the sweep is refused.
bool RanksAgreeOnPlan(const SweepPlan& plan) {
  if (mpi::Size() == 1) return true;
  std::string mine;
  for (const RunConfig& run : plan.runs) {
    mine += DescribeRun(run, plan.swept) + "\n";
  }
  std::string root = mine;
  mpi::Broadcast(&root);
  return mpi::AllOk(root == mine);
}

// The plan, and what --resume leaves of it, instead of running it.
void PrintDryRun(std::FILE* console, const SweepPlan& plan,
                 const std::vector<bool>& skip) {
  const size_t skipped =
      static_cast<size_t>(std::count(skip.begin(), skip.end(), true));
  std::fprintf(console, "plan: %zu run(s)", plan.runs.size() - skipped);
  if (skipped > 0) std::fprintf(console, " (%zu already done)", skipped);
  std::fprintf(console, "\n");
  SweepPlan todo;
  for (size_t i = 0; i < plan.runs.size(); ++i) {
    std::fprintf(console, "  %s%s rep=%d\n", skip[i] ? "done: " : "",
                 DescribeRun(plan.runs[i], plan.swept).c_str(),
                 plan.runs[i].repetition);
    if (!skip[i]) todo.runs.push_back(plan.runs[i]);
  }
  std::fprintf(console, "time: %s\n", EstimateTime(todo).c_str());
}

// "25 s", "12 min", "1.5 h".
std::string TimeLeft(double s) {
  if (s < 99.5) return Fixed(s, 0) + " s";
  if (s < 99.5 * 60) return Fixed(s / 60, 0) + " min";
  return Fixed(s / 3600, 1) + " h";
}

// "progress: [2/6] 1.0 of 3.0 s: 991 ops, 991 ops/s, 991 incr/s,
// p50 4.20 us, p99 (service) 8.10 us, errors 0; sweep: at least 25 s left".
// The rates are of the last second; the percentiles of the series' last
// closed interval, and absent before one closed. What matters most comes
// first: a terminal's line is cut to its width.
std::string ProgressText(const Progress& p, size_t run, size_t runs,
                         int64_t left_ns) {
  std::string text = "progress: [" + std::to_string(run + 1) + "/" +
                     std::to_string(runs) + "] " + Fixed(p.elapsed_s, 1);
  if (p.duration_s > 0) text += " of " + Fixed(p.duration_s, 1);
  text += " s: " + std::to_string(p.total_ops) + " ops, " +
          Rate(p.interval_ops_s) + " ops/s, " +
          Rate(p.interval_increments_s) + (p.stock ? " sold/s" : " incr/s");
  if (p.last_resp_p99_us >= 0) {
    text += ", p99 (response) " + HumanTime(p.last_resp_p99_us);
  }
  if (p.last_p99_us >= 0) {
    text += ", p50 " + HumanTime(p.last_p50_us) + ", p99 (service) " +
            HumanTime(p.last_p99_us);
  }
  text += ", errors " + std::to_string(p.errors);
  if (p.duration_s > 0) {
    left_ns += static_cast<int64_t>(
        std::max(0.0, p.duration_s - p.elapsed_s) * 1e9);
  }
  // Setup, teardown and runs limited by ops come on top.
  return text + "; sweep: at least " + TimeLeft(left_ns / 1e9) + " left";
}

// The progress of the run going on, on stderr. On a terminal it is one
// line, redrawn in place and cut to the terminal's width (a line that
// wraps cannot be redrawn), with the run's description at its end; the
// run's end ends it. Elsewhere (a file, a pipe) it is a line a second, as
// a log keeps it.
class StatusLine {
 public:
  // `console_here`: the runs' lines go to the same terminal, where the
  // console sink prints each over the status line (NewConsoleSink's
  // `redraw`).
  StatusLine(std::FILE* err, bool terminal, bool console_here)
      : err_(err), terminal_(terminal), console_here_(console_here) {}

  void Show(const std::string& text, const std::string& what) {
    if (!terminal_) {
      std::fprintf(err_, "%s\n", text.c_str());
      std::fflush(err_);
      return;
    }
    std::string line = text + "; " + what;
    const size_t width = Width();
    if (line.size() >= width) line.resize(width - 1);
    std::fprintf(err_, "\r%s\x1b[K", line.c_str());
    std::fflush(err_);
    drawn_ = true;
  }

  // The run is over: before anything else is printed, a line drawn is
  // erased where the run's own line takes its place, or else ended with
  // a newline, so that the terminal keeps each run's last status.
  void End() {
    if (!drawn_) return;
    drawn_ = false;
    std::fputs(console_here_ ? "\r\x1b[K" : "\n", err_);
    std::fflush(err_);
  }

 private:
  size_t Width() const {
    winsize size{};
    if (ioctl(fileno(err_), TIOCGWINSZ, &size) == 0 && size.ws_col > 1) {
      return size.ws_col;
    }
    return 80;  // A terminal that does not say: the classic width.
  }

  std::FILE* const err_;
  const bool terminal_;
  const bool console_here_;
  bool drawn_ = false;
};

// The runs of one sweep, once its plan, ledger and sinks are ready: each
// planned run (after the closed-loop capacity that a rate given as a share
// needs), or find-rate's bisection per configuration; then the servers the
// runs shared are stopped and the outcome said. Under MPI every rank runs
// the same sweep in step.
class SweepRuns {
 public:
  SweepRuns(const SweepOptions& options, const Registry& registry,
            const SweepPlan& plan, std::FILE* console, Ledger* ledger,
            std::vector<std::unique_ptr<ResultSink>>* sinks)
      : options_(options),
        registry_(registry),
        plan_(plan),
        console_(console),
        ledger_(ledger),
        sinks_(*sinks),
        status_(options.err, StatusOnTerminal(options),
                ConsoleOnStatusTerminal(options, console)) {}

  // Runs every run not in `skip`; the sweep's exit code.
  int RunAll(const std::vector<bool>& skip);

 private:
  bool RunHere(size_t i, const RunConfig& config, RunResult* out);
  bool RunOne(size_t i, const RunConfig& config, RunResult* out);
  bool RunPlanned(size_t i);
  bool FindRate(size_t i);
  int FewestBisections(double lo, double hi) const;
  int64_t RunNs(size_t i) const;
  void ReportVerdict(const RunConfig& config, const RunResult& result,
                     bool holds);
  int Finish();

  const SweepOptions& options_;
  const Registry& registry_;
  const SweepPlan& plan_;
  std::FILE* const console_;
  Ledger* const ledger_;
  std::vector<std::unique_ptr<ResultSink>>& sinks_;
  // Servers that outlive a run (an embedded PostgreSQL), stopped when the
  // sweep ends, before the ledger closes.
  ServerPool servers_;
  size_t ran_ = 0;
  int failed_ = 0;
  int exit_code_ = kExitOk;
  // Closed-loop capacities of configurations, for rates given as a share
  // of it: measured once per configuration, shared by its repetitions.
  std::map<std::string, double> capacities_;
  StatusLine status_;
  // For the time left: the fewest nanoseconds of measuring and warm-up the
  // runs planned after run i take (left_after_[i]), and those of the runs
  // find-rate still makes for the current configuration after this one.
  std::vector<int64_t> left_after_;
  int64_t config_left_ns_ = 0;
};

int SweepRuns::RunAll(const std::vector<bool>& skip) {
  left_after_.assign(plan_.runs.size(), 0);
  int64_t after = 0;
  for (size_t i = plan_.runs.size(); i-- > 0;) {
    left_after_[i] = after;
    if (!skip[i]) after += RunNs(i);
  }
  for (size_t i = 0; i < plan_.runs.size() && exit_code_ == kExitOk; ++i) {
    if (skip[i]) continue;
    const bool go =
        options_.find_rate_p99_ns <= 0 ? RunPlanned(i) : FindRate(i);
    if (!go) break;
  }
  return Finish();
}

// Runs one configuration, writes its row; false when the sweep stops.
bool SweepRuns::RunHere(size_t i, const RunConfig& config, RunResult* out) {
  if (Interrupted()) {
    exit_code_ = kExitInterrupted;
    return false;
  }
  const std::string what = DescribeRun(config, plan_.swept);
  for (auto& sink : sinks_) sink->RunStarting(i, config);
  ProgressFn progress;
  if (!options_.quiet) {
    const std::string fields = DescribeRunFields(config, plan_.swept);
    progress = [this, i, fields](const Progress& p) {
      status_.Show(ProgressText(p, i, plan_.runs.size(),
                                left_after_[i] + config_left_ns_),
                   fields);
    };
  }
  // The series goes to the sinks as it closes (the JSON Lines file).
  const IntervalFn interval = [this](const std::string& run_id,
                                     const SeriesPoint& point) {
    for (auto& sink : sinks_) sink->IntervalClosed(run_id, point);
  };
  Result<RunResult> result =
      ExecuteRun(config, *registry_.Find(config.backend), progress, ledger_,
                 &servers_, interval);
  status_.End();
  if (!result.ok()) {
    for (auto& sink : sinks_) sink->RunAbandoned("error");
    std::fprintf(options_.err, "ctrbench: %s: %s\n", what.c_str(),
                 result.status().ToString().c_str());
    exit_code_ = result.status().IsInvalidArgument() ? kExitUsage
                                                     : kExitRunFailed;
    return false;
  }
  if (result->interrupted) {
    for (auto& sink : sinks_) sink->RunAbandoned("interrupted");
    exit_code_ = kExitInterrupted;
    return false;
  }
  ++ran_;
  for (auto& sink : sinks_) {
    Status written = sink->RunFinished(*result);
    if (!written.ok()) {
      std::fprintf(options_.err, "ctrbench: %s\n", written.ToString().c_str());
      exit_code_ = kExitRunFailed;
    }
  }
  if (!result->verified) {
    ++failed_;
    std::fprintf(options_.err, "ctrbench: run failed: %s: %s\n", what.c_str(),
                 result->error.c_str());
  }
  if (result->worker_died) exit_code_ = kExitRunFailed;
  *out = std::move(*result);
  return exit_code_ == kExitOk;
}

// Under MPI every rank runs the same sweep in step: a run starts on all of
// them or on none, and the sweep goes on after it on all or on none (a row
// rank 0 could not write stops the others too).
bool SweepRuns::RunOne(size_t i, const RunConfig& config, RunResult* out) {
  if (mpi::Size() == 1) return RunHere(i, config, out);
  if (!mpi::AllOk(!Interrupted())) {
    exit_code_ = kExitInterrupted;
    return false;
  }
  const bool go = RunHere(i, config, out);
  if (!mpi::AllOk(go)) {
    if (exit_code_ == kExitOk) exit_code_ = kExitRunFailed;
    return false;
  }
  return go;
}

// Run i of the plan; a rate given as a share of capacity measures that
// capacity first (once per configuration). False when the sweep stops.
bool SweepRuns::RunPlanned(size_t i) {
  RunResult result;
  RunConfig config = plan_.runs[i];
  if (config.rate_share > 0) {
    const std::string key = CapacityKey(config);
    auto it = capacities_.find(key);
    if (it == capacities_.end()) {
      const RunConfig closed = CapacityProbe(config);
      if (!RunOne(i, closed, &result)) return false;
      if (!result.verified || !(result.rate_achieved > 0)) {
        std::fprintf(options_.err,
                     "ctrbench: %s: no closed-loop capacity to take %s "
                     "of; skipping its open-loop runs\n",
                     DescribeRun(closed, plan_.swept).c_str(),
                     FindRunField("rate")->cell(config).c_str());
      }
      it = capacities_
               .emplace(key, result.verified ? result.rate_achieved : 0)
               .first;
    }
    if (it->second <= 0) return true;
    TakeShareOf(it->second, &config);
  }
  if (!RunOne(i, config, &result)) return true;  // The loop checks the code.
  // A planned closed-loop run is the capacity of shares planned after it
  // (rate = [0, "80%"]): no second closed-loop row. Not an inventory's:
  // once its stock is gone it measures refusals (CapacityProbe).
  if (config.rate == 0 && config.kind != Kind::kInventory &&
      result.verified && result.rate_achieved > 0) {
    capacities_.emplace(CapacityKey(config), result.rate_achieved);
  }
  return true;
}

// find-rate: the closed-loop capacity C first, then a bisection over target
// rates in (0, 1.2 C]: a rate holds when every increment is verified, the
// run kept up with it (95 % of it achieved) and the response-time p99 is at
// or under the limit. Each rate tried is judged on a line of its own.
// False when the sweep stops.
bool SweepRuns::FindRate(size_t i) {
  RunResult result;
  RunConfig config = plan_.runs[i];
  config.rate = config.rate_share = 0;
  const int64_t run_ns = config.warmup_ns + config.duration_ns;
  config_left_ns_ = run_ns * FewestBisections(1.2, 1.2);
  if (!RunOne(i, config, &result)) return false;
  const double capacity = result.rate_achieved;
  double lo = 0, hi = 1.2 * capacity, found = 0, found_p99_us = 0;
  int runs = 1;
  while (capacity > 0 && hi - lo > options_.find_rate_tolerance * hi &&
         runs < kMostFindRateRuns) {
    config.rate = std::max(1.0, std::round((lo + hi) / 2));
    // After this run the interval is half as wide, and its top no higher.
    config_left_ns_ =
        run_ns * std::min(FewestBisections((hi - lo) / 2, hi),
                          kMostFindRateRuns - runs - 1);
    if (!RunOne(i, config, &result)) return false;
    ++runs;
    const bool holds = result.verified &&
                       result.rate_achieved >= 0.95 * config.rate &&
                       result.resp_p99_us * 1000 <= options_.find_rate_p99_ns;
    ReportVerdict(config, result, holds);
    if (holds) {
      lo = found = config.rate;
      found_p99_us = result.resp_p99_us;
    } else {
      hi = config.rate;
    }
  }
  config_left_ns_ = 0;
  config.rate = 0;
  std::fprintf(console_,
               "find-rate: %s: closed-loop capacity %s/s; response p99 <= "
               "%s up to %s/s (response p99 %s there; within %.0f %%, %d "
               "runs)\n",
               DescribeRun(config, plan_.swept).c_str(),
               Rate(capacity).c_str(),
               FormatDuration(options_.find_rate_p99_ns).c_str(),
               found > 0 ? Rate(found).c_str() : "no rate tried",
               found > 0 ? HumanTime(found_p99_us).c_str() : "none",
               options_.find_rate_tolerance * 100, runs);
  return true;
}

// The fewest more runs find-rate's bisection makes while its interval is
// `width` wide under a top of `hi`: each run halves it (one that fails
// lowers the top too, which only adds runs), until it is within the
// tolerance of the top.
int SweepRuns::FewestBisections(double width, double hi) const {
  int n = 0;
  while (width > options_.find_rate_tolerance * hi && n < kMostFindRateRuns) {
    width /= 2;
    ++n;
  }
  return n;
}

// The fewest nanoseconds of warm-up and measuring planned run i takes:
// one run, or under find-rate its capacity and the fewest bisections after
// it (if it finds a capacity).
int64_t SweepRuns::RunNs(size_t i) const {
  const RunConfig& c = plan_.runs[i];
  const int64_t one = c.warmup_ns + c.duration_ns;
  if (options_.find_rate_p99_ns <= 0) return one;
  return one * (1 + std::min(FewestBisections(1.2, 1.2),
                             kMostFindRateRuns - 1));
}

// find-rate: whether the rate just tried holds, and by which p99: the
// response time's, which the run's own line also gives first.
void SweepRuns::ReportVerdict(const RunConfig& config, const RunResult& r,
                              bool holds) {
  const std::string p99 = "response p99 " + HumanTime(r.resp_p99_us);
  const std::string limit = FormatDuration(options_.find_rate_p99_ns);
  std::string verdict;
  if (holds) {
    verdict = "holds: " + p99 + " <= " + limit;
  } else if (!r.verified) {
    verdict = "does not hold: the run failed";
  } else if (r.rate_achieved < 0.95 * config.rate) {
    verdict = "does not hold: " + Fixed(r.rate_achieved, 0) +
              "/s achieved, under 95 % of it";
  } else {
    verdict = "does not hold: " + p99 + " > " + limit;
  }
  std::fprintf(console_, "  find-rate: %s/s %s\n",
               Fixed(config.rate, 0).c_str(), verdict.c_str());
  std::fflush(console_);
}

int SweepRuns::Finish() {
  // The servers runs shared: one that did not stop by itself is said.
  Status stopped = servers_.StopAll();
  if (!stopped.ok()) {
    std::fprintf(options_.err, "ctrbench: %s\n", stopped.ToString().c_str());
    if (exit_code_ == kExitOk) exit_code_ = kExitRunFailed;
  }
  for (auto& sink : sinks_) {
    const std::string where = sink->Destination();
    if (!where.empty() && where != "-") {
      std::fprintf(console_, "results: %s\n", where.c_str());
    }
  }
  if (exit_code_ == kExitInterrupted) {
    std::fprintf(options_.err, "ctrbench: interrupted; kept the rows already "
                 "written\n");
  } else if (exit_code_ == kExitOk && failed_ > 0) {
    std::fprintf(options_.err, "ctrbench: %d of %zu runs failed\n", failed_,
                 ran_);
    exit_code_ = kExitRunFailed;
  }
  return exit_code_;
}

}  // namespace

int RunSweep(const Scenario& scenario, const Registry& registry,
             const SweepOptions& options) {
  for (const std::string& note : scenario.notes) {
    std::fprintf(options.err, "note: %s\n", note.c_str());
  }
  Result<SweepPlan> plan = PlanSweep(scenario, registry);
  if (!plan.ok()) {
    std::fprintf(options.err, "ctrbench: %s\n",
                 plan.status().message().c_str());
    return Interrupted() ? kExitInterrupted : kExitUsage;
  }
  for (const std::string& note : plan->notes) {
    std::fprintf(options.err, "note: %s\n", note.c_str());
  }
  if (!RanksAgreeOnPlan(*plan)) {
    std::fprintf(options.err, "ctrbench: the MPI ranks planned different "
                 "sweeps (a host with less memory, or without a backend's "
                 "server?); allowed: the same plan on every host\n");
    return kExitUsage;
  }
  if (options.out_path == "-" && options.json_path == "-") {
    std::fprintf(options.err, "ctrbench: --out - and --json - would both "
                 "write to standard output; allowed: one of them\n");
    return kExitUsage;
  }
  // With results on standard output, the lines for people go to stderr.
  std::FILE* console =
      options.out_path == "-" || options.json_path == "-" ? options.err
                                                          : options.out;
  std::vector<bool> skip(plan->runs.size(), false);
  if (!options.resume_path.empty()) {
    const int code = ResumeFrom(options, *plan, &skip);
    if (code != kExitOk) return code;
  }
  // Before anything is made, and in a dry run too. Rank 0 alone creates
  // the files: the other ranks would find its.
  if (!options.follower) {
    const int code = RefuseExisting(options);
    if (code != kExitOk) return code;
  }
  if (options.dry_run) {
    PrintDryRun(console, *plan, skip);
    return kExitOk;
  }

  // What runs create outside the process is written down before it is
  // created, so that `ctrbench cleanup` can undo it after a kill -9.
  // An MPI rank other than 0 creates nothing outside its process (rank 0
  // sets the store up), so it keeps no ledger: a rank killed leaves none.
  Result<std::unique_ptr<Ledger>> ledger =
      options.follower ? std::unique_ptr<Ledger>() : Ledger::Open();
  if (!ledger.ok()) {
    std::fprintf(options.err,
                 "ctrbench: cannot keep the run ledger: %s; allowed: a "
                 "writable CTRBENCH_STATE_DIR (now %s)\n",
                 ledger.status().message().c_str(), StateDir().c_str());
    return kExitUsage;
  }
  // The results files only now: a sweep refused before (no ledger) leaves
  // no file with a header and no rows.
  std::vector<std::unique_ptr<ResultSink>> sinks;
  if (!options.follower) {
    const int code =
        OpenSinks(options, scenario.name, registry, console, &sinks);
    if (code != kExitOk) return code;
  }
  const HostInfo host = CurrentHost();
  const Provenance provenance =
      CurrentProvenance(options.command_line, options.scenario_path);
  SweepContext context;
  context.plan = &*plan;
  context.host = &host;
  context.provenance = &provenance;
  for (auto& sink : sinks) {
    Status st = sink->Begin(context);
    if (!st.ok()) {
      std::fprintf(options.err, "ctrbench: %s\n", st.ToString().c_str());
      return kExitRunFailed;
    }
  }
  SweepRuns runs(options, registry, *plan, console, ledger->get(), &sinks);
  return runs.RunAll(skip);
}

}  // namespace ctrbench
