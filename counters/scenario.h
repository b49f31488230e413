// A scenario: what to run, as data. Loaded from a TOML file, every field
// overridable from the command line; any workload field given as a list is
// a sweep axis. Scenarios never know backends beyond their names and the
// option tables that the registry validates.
//
//   Result<Scenario> s = LoadScenarioFile("scenarios/hot_key.toml", registry);
//   Status st = ApplyOverride(&*s, "workers", "1,2,4", "--workers");

#ifndef CTRBENCH_COUNTERS_SCENARIO_H_
#define CTRBENCH_COUNTERS_SCENARIO_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/status.h"
#include "counters/workload.h"

namespace ctrbench {

struct Scenario {
  std::string source;  // The file it came from, for messages and the CSV.
  std::string name = "default";
  std::string description;
  std::vector<std::string> backends;  // Empty: every available backend.
  std::vector<Strategy> strategies = {Strategy::kAtomic};
  // Sweep axes.
  std::vector<int> workers = {1};
  std::vector<WorkerMode> modes = {WorkerMode::kThreads};
  std::vector<uint32_t> keys = {1};
  std::vector<Distribution> distributions = {Distribution{}};
  std::vector<int> batch = {1};
  std::vector<int> shards = {1};
  std::vector<double> read_fractions = {0.0};
  std::vector<int64_t> hold_ns = {0};
  std::vector<int64_t> think_ns = {0};
  // Run length: a duration, or a number of logical operations per worker.
  int64_t duration_ns = 1000000000;
  int64_t ops = 0;
  int64_t warmup_ns = 0;
  int repeat = 1;
  uint64_t seed = 42;
  // Per-backend option tables: [shm] padding = false.
  std::map<std::string, OptionMap> backend_options;
};

// The short hot-key scenario `ctrbench run` uses without a file: every
// available backend, one counter, two threads.
Scenario DefaultScenario();

// Loads and validates a TOML scenario file. Errors are InvalidArgument with
// the file, the key, the value and what is allowed.
Result<Scenario> LoadScenarioFile(const std::string& path,
                                  const Registry& registry);
// Parses TOML text; `source` names it in messages.
Result<Scenario> ParseScenario(const std::string& toml_text,
                               const std::string& source,
                               const Registry& registry);

// Sets field `key` (as named in the TOML file) from command-line text: a
// comma-separated list where the field allows one. `flag` names the option
// in messages ("--workers").
Status ApplyOverride(Scenario* scenario, const std::string& key,
                     const std::string& text, const std::string& flag);
// Applies --set backend.key=value.
Status ApplyBackendOption(Scenario* scenario, const std::string& assignment,
                          const Registry& registry);

// Cross-field checks (duration or ops, backends known, options valid).
Status ValidateScenario(const Scenario& scenario, const Registry& registry);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SCENARIO_H_
