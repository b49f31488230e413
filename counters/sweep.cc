#include "counters/sweep.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "counters/clock.h"
#include "counters/fields.h"
#include "counters/csv.h"
#include "counters/interrupt.h"

#ifndef CTRBENCH_VERSION
#define CTRBENCH_VERSION "unknown"
#endif
#ifndef CTRBENCH_BUILD_TYPE
#define CTRBENCH_BUILD_TYPE "unknown"
#endif

namespace ctrbench {

namespace {

std::string Fixed(double v, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, v);
  return buffer;
}

std::string BackendsSupporting(const Registry& registry,
                               const std::function<bool(const Capabilities&)>&
                                   supports) {
  std::string out;
  for (const BackendInfo& b : registry.backends()) {
    if (!supports(b.capabilities)) continue;
    if (!out.empty()) out += ", ";
    out += b.name;
  }
  return out.empty() ? "none" : out;
}

// Why `info` cannot run this combination, or "" if it can.
std::string SkipReason(const BackendInfo& info, const OptionMap& options,
                       Strategy strategy, WorkerMode mode, int64_t hold_ns,
                       const Registry& registry) {
  if (!info.capabilities.Supports(mode)) {
    return info.name + " does not support " + WorkerModeName(mode) +
           " mode; backends that do: " +
           BackendsSupporting(registry, [mode](const Capabilities& c) {
             return c.Supports(mode);
           });
  }
  if (!info.capabilities.Supports(strategy)) {
    return info.name + " does not support strategy " + StrategyName(strategy) +
           "; backends that do: " +
           BackendsSupporting(registry, [strategy](const Capabilities& c) {
             return c.Supports(strategy);
           });
  }
  if (strategy == Strategy::kAtomic && hold_ns > 0) {
    return "atomic with hold " + FormatDuration(hold_ns) +
           ": atomic has no critical section to hold";
  }
  if (info.check_run) {
    Status st = info.check_run(options, strategy);
    if (!st.ok()) return st.message();
  }
  return "";
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

std::string DefaultOutPath(const std::string& scenario) {
  const std::time_t now = std::time(nullptr);
  std::tm tm;
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
  return std::string("results/") + stamp + "-" + scenario + ".csv";
}

// Creates the default results file, adding -2, -3... if a run in the same
// second already took the name.
Result<CsvFile> CreateDefaultCsv(const std::string& scenario) {
  if (mkdir("results", 0755) != 0 && errno != EEXIST) {
    return Status::FromErrno("create directory results", errno);
  }
  const std::string base = DefaultOutPath(scenario);
  for (int n = 1;; ++n) {
    std::string path = base;
    if (n > 1) {
      path = base.substr(0, base.size() - 4) + "-" + std::to_string(n) +
             ".csv";
    }
    Result<CsvFile> file = CsvFile::Create(path, CsvHeader());
    if (file.ok() || !file.status().IsInvalidArgument() || n == 100) {
      return file;
    }
  }
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

std::string Rate(double per_s) {
  if (per_s >= 1e6) return Fixed(per_s / 1e6, 2) + " M";
  if (per_s >= 1e3) return Fixed(per_s / 1e3, 1) + " k";
  return Fixed(per_s, 0) + " ";
}

}  // namespace

namespace {

// Calls f(index) for every combination of indexes below `sizes`, the first
// varying slowest.
template <typename F>
void ForEachCombination(const std::vector<size_t>& sizes, F f) {
  std::vector<size_t> index(sizes.size(), 0);
  for (size_t s : sizes) {
    if (s == 0) return;
  }
  for (;;) {
    f(index);
    size_t i = sizes.size();
    while (i > 0) {
      --i;
      if (++index[i] < sizes[i]) break;
      index[i] = 0;
      if (i == 0) return;
    }
    if (sizes.empty()) return;
  }
}

// A sweep larger than this is a mistake (a list of millions of workers
// counts), refused before anything is planned.
constexpr uint64_t kMaxRuns = 1000000;

}  // namespace

Result<SweepPlan> PlanSweep(const Scenario& scenario,
                            const Registry& registry) {
  Status valid = ValidateScenario(scenario, registry);
  if (!valid.ok()) return valid;
  SweepPlan plan;
  std::set<std::string> noted;
  std::vector<std::string> reasons;
  std::vector<std::string> backends = scenario.backends;
  if (backends.empty()) {
    // Every available backend: one that cannot run here is a note.
    for (const BackendInfo& b : registry.backends()) {
      auto it = scenario.backend_options.find(b.name);
      OptionMap first;
      if (it != scenario.backend_options.end()) {
        for (const auto& [key, values] : it->second) first[key] = values[0];
      }
      const Status st = b.available ? b.available(first) : Status::OK();
      if (st.ok()) {
        backends.push_back(b.name);
      } else {
        plan.notes.push_back("skipped " + b.name + ": " + st.message());
        reasons.push_back(st.message());
      }
    }
  }

  // The run fields the scenario sets, in the table's order (outermost
  // first); a field with several values is swept.
  std::vector<std::pair<const Field*, const std::vector<Value>*>> axes;
  std::vector<size_t> sizes;
  uint64_t per_backend = 1;
  for (const Field& f : RunFields()) {
    auto it = scenario.fields.find(f.key);
    if (it == scenario.fields.end()) continue;
    axes.emplace_back(&f, &it->second);
    sizes.push_back(it->second.size());
    if (it->second.size() > 1) plan.swept.insert(f.key);
    per_backend *= it->second.size();
  }
  // Count before building: a runaway list is refused, not planned.
  uint64_t total = 0;
  for (const std::string& backend : backends) {
    uint64_t n = per_backend * static_cast<uint64_t>(scenario.repeat);
    auto it = scenario.backend_options.find(backend);
    if (it != scenario.backend_options.end()) {
      for (const auto& [key, values] : it->second) n *= values.size();
    }
    total += n;
    if (total > kMaxRuns || n > kMaxRuns) {
      return Status::InvalidArgument(
          scenario.source + ": the sweep has more than " +
          std::to_string(kMaxRuns) + " runs (the product of every list and "
          "repeat); allowed: at most " + std::to_string(kMaxRuns));
    }
  }

  for (int rep = 1; rep <= scenario.repeat; ++rep) {
    for (const std::string& backend : backends) {
      const BackendInfo& info = *registry.Find(backend);
      std::vector<std::pair<std::string, const std::vector<std::string>*>>
          option_axes;
      std::vector<size_t> option_sizes;
      auto it = scenario.backend_options.find(backend);
      if (it != scenario.backend_options.end()) {
        for (const auto& [key, values] : it->second) {
          option_axes.emplace_back(key, &values);
          option_sizes.push_back(values.size());
          if (values.size() > 1) plan.swept.insert(backend + "." + key);
        }
      }
      ForEachCombination(option_sizes, [&](const std::vector<size_t>& oi) {
        OptionMap options;
        for (size_t a = 0; a < option_axes.size(); ++a) {
          options[option_axes[a].first] = (*option_axes[a].second)[oi[a]];
        }
        ForEachCombination(sizes, [&](const std::vector<size_t>& fi) {
          RunConfig c;
          c.scenario = scenario.name;
          c.backend = backend;
          c.options = options;
          c.repetition = rep;
          for (size_t a = 0; a < axes.size(); ++a) {
            // Checked when the scenario was loaded.
            axes[a].first->apply((*axes[a].second)[fi[a]], &c).ok();
          }
          const std::string reason = SkipReason(info, options, c.strategy,
                                                c.mode, c.hold_ns, registry);
          if (!reason.empty()) {
            if (noted.insert(reason).second) {
              plan.notes.push_back("skipped " + backend + " " +
                                   StrategyName(c.strategy) + " " +
                                   WorkerModeName(c.mode) + ": " + reason);
              reasons.push_back(reason);
            }
            return;
          }
          plan.runs.push_back(std::move(c));
        });
      });
    }
  }
  if (plan.runs.empty()) {
    std::string why;
    for (const std::string& r : reasons) why += (why.empty() ? "" : "; ") + r;
    return Status::InvalidArgument(scenario.source + ": nothing to run: " +
                                   why);
  }
  return plan;
}

std::string DescribeRun(const RunConfig& c, const std::set<std::string>& swept) {
  std::string out = c.backend;
  const RunConfig defaults;
  for (const Field& f : RunFields()) {
    const std::string cell = f.cell(c);
    bool show = false;
    switch (f.show) {
      case Field::Show::kAlways:
        show = true;
        break;
      case Field::Show::kNonDefault:
        show = cell != f.cell(defaults) || swept.count(f.key);
        break;
      case Field::Show::kSwept:
        show = swept.count(f.key) > 0;
        break;
    }
    if (show && !cell.empty()) out += " " + f.Describe(cell);
  }
  if (!c.options.empty()) out += " [" + FormatOptions(c.options) + "]";
  return out;
}

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
      "duration_target_s", "ops_target"};
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
  };
  for (const Field& f : RunFields()) cells[f.column] = f.cell(c);
  std::vector<std::string> row;
  for (const std::string& column : CsvHeader()) row.push_back(cells[column]);
  return row;
}

int RunSweep(const Scenario& scenario, const Registry& registry,
             const SweepOptions& options) {
  Result<SweepPlan> plan = PlanSweep(scenario, registry);
  if (!plan.ok()) {
    std::fprintf(options.err, "ctrbench: %s\n",
                 plan.status().message().c_str());
    return kExitUsage;
  }
  for (const std::string& note : plan->notes) {
    std::fprintf(options.err, "note: %s\n", note.c_str());
  }
  Result<CsvFile> csv = options.out_path.empty()
                            ? CreateDefaultCsv(scenario.name)
                            : CsvFile::Create(options.out_path, CsvHeader());
  if (!csv.ok()) {
    std::fprintf(options.err, "ctrbench: %s\n",
                 csv.status().message().c_str());
    return kExitUsage;
  }
  const HostInfo host = CurrentHost();
  const size_t total = plan->runs.size();
  int failed = 0;
  int exit_code = kExitOk;
  for (size_t i = 0; i < total && exit_code == kExitOk; ++i) {
    if (Interrupted()) {
      exit_code = kExitInterrupted;
      break;
    }
    const RunConfig& config = plan->runs[i];
    const std::string what = DescribeRun(config, plan->swept);
    std::fprintf(options.out, "[%zu/%zu] %s ...", i + 1, total, what.c_str());
    std::fflush(options.out);
    ProgressFn progress;
    if (!options.quiet) {
      progress = [&options](const Progress& p) {
        std::fprintf(options.err, "progress: %.1f s, %.0f ops/s, %lld ops\n",
                     p.elapsed_s, p.interval_ops_s,
                     static_cast<long long>(p.total_ops));
      };
    }
    Result<RunResult> result =
        ExecuteRun(config, *registry.Find(config.backend), progress);
    if (!result.ok()) {
      std::fprintf(options.out, " error\n");
      std::fprintf(options.err, "ctrbench: %s: %s\n", what.c_str(),
                   result.status().ToString().c_str());
      exit_code = result.status().IsInvalidArgument() ? kExitUsage
                                                      : kExitRunFailed;
      break;
    }
    if (result->interrupted) {
      std::fprintf(options.out, " interrupted\n");
      exit_code = kExitInterrupted;
      break;
    }
    Status written = csv->Append(CsvRow(*result, host));
    if (!written.ok()) {
      std::fprintf(options.out, " error\n");
      std::fprintf(options.err, "ctrbench: %s\n", written.ToString().c_str());
      exit_code = kExitRunFailed;
      break;
    }
    std::string line = " " + Rate(result->increments_per_s) + "incr/s";
    if (result->latency_samples > 0) {
      line += ", p99 " + Fixed(result->lat_p99_us, 2) + " us";
    }
    if (result->retries > 0) {
      line += ", retries " + std::to_string(result->retries);
    }
    if (result->lost_updates != 0) {
      line += ", lost " + std::to_string(result->lost_updates);
    }
    line += result->verified ? ", verified" : ", FAILED";
    const std::string unusual = NonDefaultOptions(
        *registry.Find(config.backend), config.options,
        result->effective_options);
    if (!unusual.empty()) line += " (" + unusual + ")";
    std::fprintf(options.out, "%s\n", line.c_str());
    if (!result->verified) {
      ++failed;
      std::fprintf(options.err, "ctrbench: run failed: %s: %s\n", what.c_str(),
                   result->error.c_str());
    }
    if (result->worker_died) exit_code = kExitRunFailed;
  }
  std::fprintf(options.out, "results: %s\n", csv->path().c_str());
  if (exit_code == kExitInterrupted) {
    std::fprintf(options.err, "ctrbench: interrupted; kept the rows already "
                 "written\n");
  } else if (exit_code == kExitOk && failed > 0) {
    std::fprintf(options.err, "ctrbench: %d of %zu runs failed\n", failed,
                 total);
    exit_code = kExitRunFailed;
  }
  return exit_code;
}

}  // namespace ctrbench
