#include "counters/sink.h"

#include <openssl/evp.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "counters/clock.h"
#include "counters/hex.h"
#include "counters/csv.h"
#include "counters/fields.h"
#include "counters/metrics.h"
#include "counters/plan.h"

#ifndef CTRBENCH_VERSION
#define CTRBENCH_VERSION "unknown"
#endif
#ifndef CTRBENCH_BUILD_TYPE
#define CTRBENCH_BUILD_TYPE "unknown"
#endif

namespace ctrbench {

namespace {

// The user's statements and scripts in a run line (options whose values
// may hold commas and still sweep): shortened, with a tag of the whole
// text so that two of them never read the same (the CSV holds them
// whole); an empty one is ctrbench's own.
void ShortenStatements(const std::vector<OptionSpec>& specs, OptionMap* shown) {
  for (const OptionSpec& spec : specs) {
    auto it = shown->find(spec.name);
    if (it == shown->end() || !spec.commas || !spec.sweep) continue;
    std::string& value = it->second;
    if (value.empty()) {
      value = "(ctrbench's)";
    } else if (value.size() > 48) {
      size_t cut = 40;
      while (cut > 0 && (value[cut] & 0xC0) == 0x80) --cut;  // UTF-8.
      char tag[8];
      std::snprintf(tag, sizeof(tag), "%04x",
                    static_cast<unsigned>(std::hash<std::string>()(value) &
                                          0xffff));
      value = value.substr(0, cut) + "... (#" + tag + ")";
    }
  }
}

std::string ReadCpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        size_t start = line.find_first_not_of(' ', colon + 1);
        return start == std::string::npos ? "" : line.substr(start);
      }
    }
  }
  return "";
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// "0-1,4": the CPUs in a set, as ranges.
std::string CpuList(const cpu_set_t& set) {
  std::string out;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &set)) continue;
    int last = cpu;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set)) ++last;
    if (!out.empty()) out += ",";
    out += std::to_string(cpu);
    if (last > cpu) out += "-" + std::to_string(last);
    cpu = last;
  }
  return out;
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    return "";
  }
  return ToHex(std::string(reinterpret_cast<const char*>(digest), size));
}

// The median cost of one NowNs() over a few batches.
double MeasureClockRead() {
  constexpr int kReads = 20000;
  std::vector<double> costs;
  for (int round = 0; round < 5; ++round) {
    const int64_t start = NowNs();
    int64_t sink = 0;
    for (int i = 0; i < kReads; ++i) sink += NowNs();
    const int64_t end = NowNs();
    if (sink == 42) costs.push_back(0);  // Keeps the loop.
    costs.push_back(static_cast<double>(end - start) / kReads);
  }
  std::sort(costs.begin(), costs.end());
  return costs[costs.size() / 2];
}

// A cell as a JSON value of its own type; an empty cell is null, as the
// README promises, whatever text column it is (a CPU without a model name).
nlohmann::ordered_json JsonOf(const Cell& cell) {
  switch (cell.type()) {
    case Cell::Type::kNull:
      return nullptr;
    case Cell::Type::kInt:
      return cell.int_value();
    case Cell::Type::kFloat:
      return cell.float_value();
    case Cell::Type::kText:
      if (cell.text_value().empty()) return nullptr;
      return cell.text_value();
    case Cell::Type::kBool:
      return cell.bool_value();
  }
  return nullptr;
}

// What a run's line says of its latency: the p99 it is judged by, named.
// A closed loop has only service time (the backend call); an open loop's
// response time (from each operation's intended start) comes first, as
// the queue shows there and only there, then the service time, and the
// share of responses over latency_limit (late_ops of the responses timed;
// without a limit nothing is late) or the operations never sent.
std::string LatencyText(const RunResult& r) {
  std::string text;
  if (r.config.rate > 0 && r.response.count() > 0) {
    text += ", p99 (response) " + HumanTime(r.resp_p99_us);
  }
  if (r.latency_samples > 0) {
    text += ", p99 (service) " + HumanTime(r.lat_p99_us);
  }
  if (r.config.rate <= 0) return text;
  if (r.config.latency_limit_ns > 0 && r.response.count() > 0) {
    text += ", late " +
            Fixed(100.0 * r.counts.late_ops / r.response.count(), 1) +
            " % (over " + FormatDuration(r.config.latency_limit_ns) + ")";
  }
  if (r.counts.unsent_ops > 0) {
    text += ", unsent " + std::to_string(r.counts.unsent_ops);
  }
  return text;
}

// A percentile of `h` in microseconds; null when it has no values.
nlohmann::ordered_json PercentileUs(const Histogram& h, double q) {
  if (h.count() == 0) return nullptr;
  if (q >= 1) return h.max() / 1000.0;  // Exact, not a bucket's middle.
  return h.Percentile(q) / 1000.0;
}

// One interval of a run's series as its JSON Lines record. The names that
// the run record's `series` entries had keep their meaning (report.html
// reads start_s, end_s, ops_per_s, increments_per_s, p50_us, p99_us).
nlohmann::ordered_json IntervalRecord(const std::string& run_id,
                                      const SeriesPoint& p, bool open_loop) {
  const double seconds = p.end_s - p.start_s;
  const Histogram& l = p.latency;
  nlohmann::ordered_json record = {
      {"type", "interval"},
      {"run_id", run_id},
      {"index", p.index},
      {"start_s", p.start_s},
      {"end_s", p.end_s},
      {"ops", p.ops},
      {"increments", p.increments},
      {"ops_per_s", seconds > 0 ? p.ops / seconds : 0.0},
      {"increments_per_s", seconds > 0 ? p.increments / seconds : 0.0},
      {"retries", p.retries},
      {"errors", p.errors},
      {"latency_samples", l.count()},
      {"p50_us", PercentileUs(l, 0.50)},
      {"p90_us", PercentileUs(l, 0.90)},
      {"p99_us", PercentileUs(l, 0.99)},
      {"p999_us", PercentileUs(l, 0.999)},
      {"max_us", PercentileUs(l, 1.0)},
  };
  if (open_loop) {
    const Histogram& r = p.response;
    record["responses"] = r.count();
    record["resp_p50_us"] = PercentileUs(r, 0.50);
    record["resp_p90_us"] = PercentileUs(r, 0.90);
    record["resp_p99_us"] = PercentileUs(r, 0.99);
    record["resp_p999_us"] = PercentileUs(r, 0.999);
    record["resp_max_us"] = PercentileUs(r, 1.0);
  }
  record["ranks"] = p.ranks;
  // The load phase it belongs to (from 0, as in the run's `phases`); null
  // for a run without phases.
  record["load_phase"] = p.stage >= 0 ? nlohmann::ordered_json(p.stage)
                                      : nlohmann::ordered_json();
  return record;
}

class ConsoleSink final : public ResultSink {
 public:
  ConsoleSink(std::FILE* out, const Registry* registry, bool redraw)
      : out_(out), registry_(registry), redraw_(redraw) {}

  Status Begin(const SweepContext& context) override {
    plan_ = context.plan;
    return Status::OK();
  }

  void RunStarting(size_t index, const RunConfig& config) override {
    // Its options come at the end of the line, as they ran.
    start_ = "[" + std::to_string(index + 1) + "/" +
             std::to_string(plan_->runs.size()) + "] " +
             DescribeRunFields(config, plan_->swept) + " ...";
    std::fprintf(out_, "%s", start_.c_str());
    std::fflush(out_);
  }

  Status RunFinished(const RunResult& r) override {
    const bool stock = r.config.kind == Kind::kInventory;
    std::string line =
        " " + Rate(r.increments_per_s) + (stock ? " sold/s" : " incr/s");
    line += LatencyText(r);
    if (r.counts.retries > 0) {
      line += ", retries " + std::to_string(r.counts.retries);
    }
    if (stock) {
      // What a seller asks first: how much went, and whether too much did.
      // Of every measured key's stock: keys x stock.
      int64_t whole = 0;  // A probe's stock (10^15) x many keys: no total.
      const bool fits = !__builtin_mul_overflow(
          r.config.stock, static_cast<int64_t>(r.config.keys), &whole);
      line += ", sold " + std::to_string(r.counts.increments) + " of " +
              (fits ? std::to_string(whole)
                    : std::to_string(r.config.keys) + " x " +
                          std::to_string(r.config.stock));
      if (r.counts.sold_out > 0) {
        // After the first sold out, the rate above is no longer the
        // store's: refusals are quick.
        line += ", " + std::to_string(r.counts.sold_out) + " takes sold out";
        if (r.counts.sold_out_at_ns > r.counts.start_ns) {
          line += " (from " +
                  Fixed((r.counts.sold_out_at_ns - r.counts.start_ns) / 1e9,
                        3) +
                  " s)";
        }
      }
      if (r.oversold > 0) line += ", oversold " + std::to_string(r.oversold);
    }
    // Load phases in an open loop: how long the busiest one's queue took
    // to drain, or that it never did.
    const Column* drain = FindColumn("drain_s");
    if (r.config.stages.size() > 1 && r.config.stages[0].open()) {
      const Cell cell = drain->value(r, HostInfo());
      line += cell.Text().empty() ? ", backlog not drained"
                                  : ", drained in " + cell.Text() + " s";
    }
    if (r.lost_updates != 0) {
      line += (stock ? ", lost sales " : ", lost ") +
              std::to_string(r.lost_updates);
    }
    line += r.verified ? ", verified" : ", FAILED";
    // Every option away from the store's own default, asked for or not
    // ("[fsync=off;synchronous_commit=off]"): a setting that makes the
    // store faster than it would run by itself never goes unsaid.
    if (const BackendInfo* info = registry_->Find(r.config.backend)) {
      OptionMap shown =
          OptionsToShow(info->options, r.config.options, r.effective_options);
      ShortenStatements(info->options, &shown);
      if (!shown.empty()) line += " [" + FormatOptions(shown) + "]";
    }
    End(line);
    return Status::OK();
  }

  void RunAbandoned(const std::string& why) override { End(" " + why); }

 private:
  // Ends the run's line. On a terminal with a status line (redraw_), the
  // line's start was drawn over: the line is erased and printed whole.
  void End(const std::string& rest) {
    if (redraw_) std::fprintf(out_, "\r\x1b[K%s", start_.c_str());
    std::fprintf(out_, "%s\n", rest.c_str());
    std::fflush(out_);
  }

  std::FILE* const out_;
  const Registry* const registry_;
  const bool redraw_;
  const SweepPlan* plan_ = nullptr;
  std::string start_;  // "[2/4] inproc atomic ... ..."
};

class CsvSink final : public ResultSink {
 public:
  explicit CsvSink(ResultFile file) : file_(std::move(file)) {}

  Status Begin(const SweepContext& context) override {
    host_ = *context.host;
    return Status::OK();
  }
  Status RunFinished(const RunResult& r) override {
    return file_.Append(CsvLine(CsvRow(r, host_)));
  }
  std::string Destination() const override { return file_.path(); }

 private:
  ResultFile file_;
  HostInfo host_;
};

class JsonSink final : public ResultSink {
 public:
  explicit JsonSink(ResultFile file) : file_(std::move(file)) {}

  Status Begin(const SweepContext& context) override {
    host_ = *context.host;
    const Provenance& p = *context.provenance;
    provenance_ = {
        {"command_line", p.command_line},
        {"scenario_file", p.scenario_file},
        {"scenario_sha256", p.scenario_sha256},
        {"kernel", p.kernel},
        {"cpu_affinity", p.cpu_affinity},
        {"cgroup_cpu_max", p.cgroup_cpu_max},
        {"clock_read_ns", p.clock_read_ns},
    };
    return Status::OK();
  }

  void RunStarting(size_t /*index*/, const RunConfig& config) override {
    open_loop_ = config.rate > 0;
    interval_error_ = Status::OK();
  }

  // Written at once, in a write of its own: a long run's series is in the
  // file as it goes, and not in memory.
  void IntervalClosed(const std::string& run_id,
                      const SeriesPoint& point) override {
    if (!interval_error_.ok()) return;  // Said once, at RunFinished.
    interval_error_ = file_.Append(
        IntervalRecord(run_id, point, open_loop_).dump() + "\n");
  }

  Status RunFinished(const RunResult& r) override {
    nlohmann::ordered_json record = nlohmann::ordered_json::object();
    record["type"] = "run";
    for (const Column& column : Columns()) {
      record[column.name] = JsonOf(column.value(r, host_));
    }
    // The store's own statistics, typed: later checks read stats.NAME.
    nlohmann::ordered_json stats = nlohmann::ordered_json::object();
    for (const auto& [name, cell] : UncolumnedStats(r)) {
      stats[name] = JsonOf(cell);
    }
    record["backend_stats"] = std::move(stats);
    record["options"] = r.effective_options;
    record["provenance"] = provenance_;
    auto histogram = [](const Histogram& h, int sample_every) {
      nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
      for (int b = 0; b < Histogram::kBuckets; ++b) {
        const int64_t n = h.CountAt(b);
        if (n == 0) continue;
        buckets.push_back({Histogram::BucketLow(b),
                           Histogram::BucketLow(b) + Histogram::BucketWidth(b),
                           n});
      }
      return nlohmann::ordered_json{
          {"unit", "ns"},
          {"buckets", std::move(buckets)},  // [low, high), count
          {"count", h.count()},
          {"max", h.max()},
          {"sample_every", sample_every},
      };
    };
    // Service time: the backend call alone.
    record["latency_histogram"] = histogram(r.latency, r.lat_sample_every);
    // Open loop: from each operation's intended start to its completion.
    if (r.config.rate > 0) {
      record["response_histogram"] = histogram(r.response, 1);
    }
    // Its series went out interval by interval, before it.
    record["series_intervals"] = r.series_intervals;
    Status written = file_.Append(record.dump() + "\n");
    if (written.ok()) written = interval_error_;
    return written;
  }

  std::string Destination() const override { return file_.path(); }

 private:
  ResultFile file_;
  HostInfo host_;
  nlohmann::ordered_json provenance_;
  bool open_loop_ = false;       // The running run's.
  Status interval_error_;        // Its first interval not written.
};

}  // namespace

HostInfo CurrentHost() {
  HostInfo h;
  char name[256] = {};
  gethostname(name, sizeof(name) - 1);
  h.host = name;
  h.cpu_model = ReadCpuModel();
  h.cpus = static_cast<int>(std::thread::hardware_concurrency());
  h.version = CTRBENCH_VERSION;
  h.build_type = CTRBENCH_BUILD_TYPE;
  return h;
}

Provenance CurrentProvenance(const std::vector<std::string>& command_line,
                             const std::string& scenario_file) {
  Provenance p;
  p.command_line = command_line;
  p.scenario_file = scenario_file;
  if (!scenario_file.empty()) {
    std::ifstream in(scenario_file, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    p.scenario_sha256 = Sha256Hex(bytes.str());
  }
  utsname u;
  if (uname(&u) == 0) {
    p.kernel = std::string(u.sysname) + " " + u.release + " " + u.version;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) p.cpu_affinity = CpuList(set);
  p.cgroup_cpu_max = ReadFirstLine("/sys/fs/cgroup/cpu.max");  // cgroup v2.
  if (p.cgroup_cpu_max.empty()) {
    const std::string quota =
        ReadFirstLine("/sys/fs/cgroup/cpu/cpu.cfs_quota_us");  // cgroup v1.
    if (!quota.empty()) {
      p.cgroup_cpu_max =
          quota + " " + ReadFirstLine("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
    }
  }
  p.clock_read_ns = MeasureClockRead();
  return p;
}

const std::vector<std::string>& CsvHeader() {
  static const std::vector<std::string>* header = [] {
    auto* out = new std::vector<std::string>;
    for (const Column& c : Columns()) out->push_back(c.name);
    return out;
  }();
  return *header;
}

std::vector<std::string> CsvRow(const RunResult& result, const HostInfo& host) {
  std::vector<std::string> row;
  row.reserve(Columns().size());
  for (const Column& c : Columns()) row.push_back(c.value(result, host).Text());
  return row;
}

std::unique_ptr<ResultSink> NewConsoleSink(std::FILE* out,
                                           const Registry* registry,
                                           bool redraw) {
  return std::make_unique<ConsoleSink>(out, registry, redraw);
}

std::unique_ptr<ResultSink> NewCsvSink(ResultFile file) {
  return std::make_unique<CsvSink>(std::move(file));
}

std::unique_ptr<ResultSink> NewJsonSink(ResultFile file) {
  return std::make_unique<JsonSink>(std::move(file));
}

}  // namespace ctrbench
