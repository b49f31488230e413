#include "counters/sink.h"

#include <openssl/evp.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "counters/clock.h"
#include "counters/hex.h"
#include "counters/csv.h"
#include "counters/fields.h"
#include "counters/sweep.h"

#ifndef CTRBENCH_VERSION
#define CTRBENCH_VERSION "unknown"
#endif
#ifndef CTRBENCH_BUILD_TYPE
#define CTRBENCH_BUILD_TYPE "unknown"
#endif

namespace ctrbench {

namespace {

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

// The effective options that are away from their defaults and were not
// asked for: what the backend chose or found ("journal_mode=delete").
std::string NonDefaultOptions(const BackendInfo& info, const OptionMap& asked,
                              const OptionMap& effective) {
  OptionMap unusual;
  for (const OptionSpec& spec : info.options) {
    auto it = effective.find(spec.name);
    if (it == effective.end() || asked.count(spec.name)) continue;
    if (it->second != spec.default_value) unusual[it->first] = it->second;
  }
  return FormatOptions(unusual);
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

class ConsoleSink final : public ResultSink {
 public:
  ConsoleSink(std::FILE* out, const Registry* registry)
      : out_(out), registry_(registry) {}

  Status Begin(const SweepContext& context) override {
    plan_ = context.plan;
    return Status::OK();
  }

  void RunStarting(size_t index, const RunConfig& config) override {
    std::fprintf(out_, "[%zu/%zu] %s ...", index + 1, plan_->runs.size(),
                 DescribeRun(config, plan_->swept).c_str());
    std::fflush(out_);
  }

  Status RunFinished(const RunResult& r) override {
    std::string line = " " + Rate(r.increments_per_s) + " incr/s";
    if (r.latency_samples > 0) {
      line += ", p99 " + Fixed(r.lat_p99_us, 2) + " us";
    }
    if (r.retries > 0) line += ", retries " + std::to_string(r.retries);
    if (r.lost_updates != 0) {
      line += ", lost " + std::to_string(r.lost_updates);
    }
    line += r.verified ? ", verified" : ", FAILED";
    if (const BackendInfo* info = registry_->Find(r.config.backend)) {
      const std::string unusual =
          NonDefaultOptions(*info, r.config.options, r.effective_options);
      if (!unusual.empty()) line += " (" + unusual + ")";
    }
    std::fprintf(out_, "%s\n", line.c_str());
    std::fflush(out_);
    return Status::OK();
  }

  void RunAbandoned(const std::string& why) override {
    std::fprintf(out_, " %s\n", why.c_str());
    std::fflush(out_);
  }

 private:
  std::FILE* const out_;
  const Registry* const registry_;
  const SweepPlan* plan_ = nullptr;
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

  Status RunFinished(const RunResult& r) override {
    nlohmann::ordered_json record = nlohmann::ordered_json::object();
    const std::vector<std::string> row = CsvRow(r, host_);
    const std::vector<std::string>& header = CsvHeader();
    for (size_t i = 0; i < header.size(); ++i) {
      const std::string& column = header[i];
      const std::string& cell = row[i];
      if (IsTextColumn(column)) {
        record[column] = cell;
      } else if (column == "verified") {
        record[column] = cell == "true";
      } else if (cell.empty()) {
        record[column] = nullptr;
      } else {
        // A number when all of the cell is one; else its text (a rate
        // given as a share: "80%").
        char* end = nullptr;
        errno = 0;
        const long long i = std::strtoll(cell.c_str(), &end, 10);
        if (*end == '\0' && errno == 0) {
          record[column] = i;
          continue;
        }
        const double d = std::strtod(cell.c_str(), &end);
        if (*end == '\0') {
          record[column] = d;
        } else {
          record[column] = cell;
        }
      }
    }
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
    nlohmann::ordered_json series = nlohmann::ordered_json::array();
    for (const SeriesPoint& p : r.series) {
      const double seconds = p.end_s - p.start_s;
      nlohmann::ordered_json point = {
          {"start_s", p.start_s},
          {"end_s", p.end_s},
          {"ops", p.ops},
          {"increments", p.increments},
          {"ops_per_s", seconds > 0 ? p.ops / seconds : 0.0},
          {"increments_per_s", seconds > 0 ? p.increments / seconds : 0.0},
          {"latency_samples", p.samples},
          {"p50_us", nullptr},
          {"p99_us", nullptr},
      };
      // Negative: merged from several MPI ranks' points, which cannot give
      // an interval's percentiles.
      if (p.samples > 0 && p.p50_us >= 0) {
        point["p50_us"] = p.p50_us;
        point["p99_us"] = p.p99_us;
      }
      series.push_back(std::move(point));
    }
    record["series"] = std::move(series);
    return file_.Append(record.dump() + "\n");
  }

  std::string Destination() const override { return file_.path(); }

 private:
  ResultFile file_;
  HostInfo host_;
  nlohmann::ordered_json provenance_;
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

bool IsTextColumn(const std::string& column) {
  static const std::set<std::string>* text = new std::set<std::string>{
      "run_id",   "started_at", "scenario",        "backend",
      "strategy", "mode",       "distribution",    "backend_options",
      "host",     "cpu_model",  "version",         "build_type",
      "backend_version",        "error",           "arrival",
      "pin",      "cpu_placement"};
  return text->count(column) > 0;
}

const std::vector<std::string>& CsvHeader() {
  static const std::vector<std::string>* header = new std::vector<std::string>{
      "schema_version", "run_id", "started_at", "scenario", "backend",
      "strategy", "mode", "workers", "keys", "distribution", "batch",
      "shards", "read_fraction", "repetition", "duration_s", "ops",
      "increments", "throughput_ops_s", "increments_per_s", "lat_p50_us",
      "lat_p90_us", "lat_p99_us", "lat_p999_us", "lat_max_us",
      "lat_sample_every", "retries", "lock_wait_us", "errors",
      "expected_total", "actual_total", "lost_updates", "verified",
      "worker_ops_min", "worker_ops_max", "fairness", "cpu_user_s",
      "cpu_sys_s", "ctx_voluntary", "ctx_involuntary", "backend_options",
      "host", "cpu_model", "cpus", "version", "hold_us", "think_us",
      "warmup_s", "seed", "build_type", "backend_version", "server_cpu_s",
      "error",
      // Appended in schema 2.
      "duration_target_s", "ops_target", "series_interval_s", "cpu_steal_s",
      "disk_peak_mb", "wait_samples", "wait_lock_tuple",
      "wait_lock_transactionid", "wait_lock_other", "wait_other",
      // Open loop.
      "rate", "arrival", "latency_limit_us", "rate_achieved", "resp_p50_us",
      "resp_p90_us", "resp_p99_us", "resp_p999_us", "resp_max_us",
      "sched_lag_max_us", "late_ops", "unsent_ops",
      // Write-behind.
      "flush_every_us", "stale_max_us", "held_max",
      // Open loop relative to capacity.
      "rate_offered", "capacity_ops_s",
      // Placement.
      "pin", "cpu_placement",
      // Scale.
      "harness_pss_mb", "setup_s",
      // Client topology.
      "connections", "busy_poll_us", "busy_poll_used_us",
      // Cluster.
      "redirects", "node_commands", "ranks", "hosts", "host_fairness",
      // Deadlines.
      "timeout_ms"};
  return *header;
}

std::vector<std::string> CsvRow(const RunResult& r, const HostInfo& host) {
  const RunConfig& c = r.config;
  const bool latency = r.latency_samples > 0;
  auto lat = [latency](double us) { return latency ? Fixed(us, 3) : ""; };
  std::map<std::string, std::string> cells = {
      {"schema_version", std::to_string(kSchemaVersion)},
      {"run_id", r.run_id},
      {"started_at", r.started_at},
      {"scenario", c.scenario},
      {"backend", c.backend},
      {"repetition", std::to_string(c.repetition)},
      {"duration_s", Fixed(r.duration_s, 6)},
      {"ops", std::to_string(r.ops)},
      {"increments", std::to_string(r.increments)},
      {"throughput_ops_s", Fixed(r.throughput_ops_s, 1)},
      {"increments_per_s", Fixed(r.increments_per_s, 1)},
      {"lat_p50_us", lat(r.lat_p50_us)},
      {"lat_p90_us", lat(r.lat_p90_us)},
      {"lat_p99_us", lat(r.lat_p99_us)},
      {"lat_p999_us", lat(r.lat_p999_us)},
      {"lat_max_us", lat(r.lat_max_us)},
      {"lat_sample_every", std::to_string(r.lat_sample_every)},
      {"retries", std::to_string(r.retries)},
      {"redirects", std::to_string(r.redirects)},
      {"node_commands", r.node_commands},
      {"ranks", std::to_string(r.ranks)},
      {"hosts", std::to_string(r.hosts)},
      {"host_fairness", Fixed(r.host_fairness, 4)},
      {"lock_wait_us", Fixed(r.lock_wait_us, 1)},
      {"errors", std::to_string(r.errors)},
      {"expected_total", std::to_string(r.expected_total)},
      {"actual_total", std::to_string(r.actual_total)},
      {"lost_updates", std::to_string(r.lost_updates)},
      {"verified", r.verified ? "true" : "false"},
      {"worker_ops_min", std::to_string(r.worker_ops_min)},
      {"worker_ops_max", std::to_string(r.worker_ops_max)},
      {"fairness", Fixed(r.fairness, 4)},
      {"cpu_user_s", Fixed(r.cpu_user_s, 3)},
      {"cpu_sys_s", Fixed(r.cpu_sys_s, 3)},
      {"ctx_voluntary", std::to_string(r.ctx_voluntary)},
      {"ctx_involuntary", std::to_string(r.ctx_involuntary)},
      {"backend_options", FormatOptions(r.effective_options.empty()
                                            ? c.options
                                            : r.effective_options)},
      {"host", host.host},
      {"cpu_model", host.cpu_model},
      {"cpus", std::to_string(host.cpus)},
      {"version", host.version},
      {"build_type", host.build_type},
      {"backend_version", r.backend_version},
      {"server_cpu_s", r.server_cpu_s < 0 ? "" : Fixed(r.server_cpu_s, 3)},
      {"error", r.error},
      {"cpu_placement", r.cpu_placement},
      {"setup_s", Fixed(r.setup_s, 3)},
      {"busy_poll_used_us", r.busy_poll_used_ns < 0
                                ? ""
                                : Fixed(r.busy_poll_used_ns / 1000.0, 3)},
      {"harness_pss_mb", r.harness_pss_bytes < 0
                             ? ""
                             : Fixed(r.harness_pss_bytes / 1048576.0, 1)},
      {"cpu_steal_s", r.cpu_steal_s < 0 ? "" : Fixed(r.cpu_steal_s, 3)},
      {"disk_peak_mb",
       r.disk_peak_bytes > 0 ? Fixed(r.disk_peak_bytes / 1048576.0, 1) : ""},
  };
  if (c.rate > 0) {
    const bool resp = r.response.count() > 0;
    auto us = [resp](double v) { return resp ? Fixed(v, 3) : ""; };
    cells["rate_achieved"] = Fixed(r.rate_achieved, 1);
    cells["resp_p50_us"] = us(r.resp_p50_us);
    cells["resp_p90_us"] = us(r.resp_p90_us);
    cells["resp_p99_us"] = us(r.resp_p99_us);
    cells["resp_p999_us"] = us(r.resp_p999_us);
    cells["resp_max_us"] = us(r.resp_max_us);
    cells["sched_lag_max_us"] = Fixed(r.sched_lag_max_ns / 1000.0, 3);
    cells["late_ops"] =
        c.latency_limit_ns > 0 ? std::to_string(r.late_ops) : "";
    cells["unsent_ops"] = std::to_string(r.unsent_ops);
    cells["rate_offered"] = TrimNumber(Fixed(c.rate, 3));
    if (c.rate_share > 0) cells["capacity_ops_s"] = Fixed(c.capacity, 1);
  }
  if (c.flush_every_ns > 0) {
    cells["stale_max_us"] = Fixed(r.stale_max_ns / 1000.0, 3);
    cells["held_max"] = std::to_string(r.held_max);
  }
  const Backend::ServerWaits& w = r.server_waits;
  for (const auto& [column, n] :
       {std::pair<const char*, int64_t>{"wait_samples", w.samples},
        {"wait_lock_tuple", w.lock_tuple},
        {"wait_lock_transactionid", w.lock_transactionid},
        {"wait_lock_other", w.lock_other},
        {"wait_other", w.other}}) {
    cells[column] = n < 0 ? "" : std::to_string(n);
  }
  for (const Field& f : RunFields()) cells[f.column] = f.cell(c);
  std::vector<std::string> row;
  for (const std::string& column : CsvHeader()) row.push_back(cells[column]);
  return row;
}


std::unique_ptr<ResultSink> NewConsoleSink(std::FILE* out,
                                           const Registry* registry) {
  return std::make_unique<ConsoleSink>(out, registry);
}

std::unique_ptr<ResultSink> NewCsvSink(ResultFile file) {
  return std::make_unique<CsvSink>(std::move(file));
}

std::unique_ptr<ResultSink> NewJsonSink(ResultFile file) {
  return std::make_unique<JsonSink>(std::move(file));
}

}  // namespace ctrbench
