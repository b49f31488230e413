#include "counters/sweep.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <fstream>
#include <set>
#include <thread>

#include "counters/clock.h"
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

std::string Describe(const RunConfig& c) {
  std::string out = c.backend + " " + StrategyName(c.strategy) + " " +
                    WorkerModeName(c.mode) + " workers=" +
                    std::to_string(c.workers) + " keys=" +
                    std::to_string(c.keys);
  if (c.distribution.kind != Distribution::Kind::kUniform) {
    out += " " + c.distribution.ToString();
  }
  if (c.batch > 1) out += " batch=" + std::to_string(c.batch);
  if (c.shards > 1) out += " shards=" + std::to_string(c.shards);
  if (c.read_fraction > 0) out += " reads=" + Fixed(c.read_fraction, 2);
  if (c.hold_ns > 0) out += " hold=" + FormatDuration(c.hold_ns);
  if (c.think_ns > 0) out += " think=" + FormatDuration(c.think_ns);
  if (!c.options.empty()) out += " [" + FormatOptions(c.options) + "]";
  return out;
}

std::string Rate(double per_s) {
  if (per_s >= 1e6) return Fixed(per_s / 1e6, 2) + " M";
  if (per_s >= 1e3) return Fixed(per_s / 1e3, 1) + " k";
  return Fixed(per_s, 0) + " ";
}

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
      const Status st =
          b.available ? b.available(it == scenario.backend_options.end()
                                        ? OptionMap()
                                        : it->second)
                      : Status::OK();
      if (st.ok()) {
        backends.push_back(b.name);
      } else {
        plan.notes.push_back("skipped " + b.name + ": " + st.message());
        reasons.push_back(st.message());
      }
    }
  }
  for (int rep = 1; rep <= scenario.repeat; ++rep) {
    for (const std::string& backend : backends) {
      const BackendInfo& info = *registry.Find(backend);
      OptionMap options;
      auto it = scenario.backend_options.find(backend);
      if (it != scenario.backend_options.end()) options = it->second;
      for (Strategy strategy : scenario.strategies) {
        for (WorkerMode mode : scenario.modes) {
          for (int64_t hold : scenario.hold_ns) {
            const std::string reason =
                SkipReason(info, options, strategy, mode, hold, registry);
            if (!reason.empty()) {
              if (noted.insert(reason).second) {
                plan.notes.push_back("skipped " + backend + " " +
                                     StrategyName(strategy) + " " +
                                     WorkerModeName(mode) + ": " + reason);
                reasons.push_back(reason);
              }
              continue;
            }
            for (int workers : scenario.workers)
              for (uint32_t keys : scenario.keys)
                for (const Distribution& dist : scenario.distributions)
                  for (int batch : scenario.batch)
                    for (int shards : scenario.shards)
                      for (double reads : scenario.read_fractions)
                        for (int64_t think : scenario.think_ns) {
                          RunConfig c;
                          c.scenario = scenario.name;
                          c.backend = backend;
                          c.options = options;
                          c.strategy = strategy;
                          c.mode = mode;
                          c.workers = workers;
                          c.keys = keys;
                          c.distribution = dist;
                          c.batch = batch;
                          c.shards = shards;
                          c.read_fraction = reads;
                          c.hold_ns = hold;
                          c.think_ns = think;
                          c.duration_ns = scenario.duration_ns;
                          c.ops = scenario.ops;
                          c.warmup_ns = scenario.warmup_ns;
                          c.repetition = rep;
                          c.seed = scenario.seed;
                          plan.runs.push_back(c);
                        }
          }
        }
      }
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
      "error"};
  return *header;
}

std::vector<std::string> CsvRow(const RunResult& r, const HostInfo& host) {
  const RunConfig& c = r.config;
  const bool latency = r.latency_samples > 0;
  auto lat = [latency](double us) { return latency ? Fixed(us, 3) : ""; };
  return {
      std::to_string(kSchemaVersion),
      r.run_id,
      r.started_at,
      c.scenario,
      c.backend,
      StrategyName(c.strategy),
      WorkerModeName(c.mode),
      std::to_string(c.workers),
      std::to_string(c.keys),
      c.distribution.ToString(),
      std::to_string(c.batch),
      std::to_string(c.shards),
      Fixed(c.read_fraction, 3),
      std::to_string(c.repetition),
      Fixed(r.duration_s, 6),
      std::to_string(r.ops),
      std::to_string(r.increments),
      Fixed(r.throughput_ops_s, 1),
      Fixed(r.increments_per_s, 1),
      lat(r.lat_p50_us),
      lat(r.lat_p90_us),
      lat(r.lat_p99_us),
      lat(r.lat_p999_us),
      lat(r.lat_max_us),
      std::to_string(r.lat_sample_every),
      std::to_string(r.retries),
      Fixed(r.lock_wait_us, 1),
      std::to_string(r.errors),
      std::to_string(r.expected_total),
      std::to_string(r.actual_total),
      std::to_string(r.lost_updates),
      r.verified ? "true" : "false",
      std::to_string(r.worker_ops_min),
      std::to_string(r.worker_ops_max),
      Fixed(r.fairness, 4),
      Fixed(r.cpu_user_s, 3),
      Fixed(r.cpu_sys_s, 3),
      std::to_string(r.ctx_voluntary),
      std::to_string(r.ctx_involuntary),
      FormatOptions(c.options),
      host.host,
      host.cpu_model,
      std::to_string(host.cpus),
      host.version,
      Fixed(c.hold_ns / 1000.0, 3),
      Fixed(c.think_ns / 1000.0, 3),
      Fixed(c.warmup_ns / 1e9, 3),
      std::to_string(c.seed),
      host.build_type,
      r.backend_version,
      r.server_cpu_s < 0 ? "" : Fixed(r.server_cpu_s, 3),
      r.error,
  };
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
    const std::string what = Describe(config);
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
