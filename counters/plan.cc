#include "counters/plan.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "counters/clock.h"
#include "counters/csv.h"
#include "counters/fields.h"
#include "counters/interrupt.h"

namespace ctrbench {

namespace {

std::string BackendsSupporting(
    const Registry& registry,
    const std::function<bool(const Capabilities&)>& supports) {
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
                       const RunConfig& c, const Registry& registry) {
  const Strategy strategy = c.strategy;
  const WorkerMode mode = c.mode;
  const int64_t hold_ns = c.hold_ns;
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
  if (c.kind == Kind::kInventory && c.take == TakeMode::kCompensate &&
      strategy != Strategy::kAtomic) {
    return std::string("take = compensate with ") + StrategyName(strategy) +
           ": it is a way of atomic's (lock, cas and naive take their own "
           "way)";
  }
  if (c.kind == Kind::kInventory && !info.capabilities.inventory) {
    return info.name + " does not run kind inventory yet; backends that do: " +
           BackendsSupporting(registry, [](const Capabilities& caps) {
             return caps.inventory;
           });
  }
  const std::string refused = RefuseConnections(c, info.capabilities);
  if (!refused.empty()) {
    if (info.capabilities.connections) return refused;
    return info.name + " " + refused + "; backends with several: " +
           BackendsSupporting(registry, [](const Capabilities& caps) {
             return caps.connections;
           });
  }
  // The backend made from these options (parsed once, by its factory)
  // says whether it can run this strategy with them.
  Result<std::unique_ptr<Backend>> made = info.factory(options);
  if (!made.ok()) return made.status().message();
  const Status st = (*made)->CheckRun(SetupSpecOf(c));
  if (!st.ok()) return st.message();
  return "";
}

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
// counts; 100,000 runs of a second are 28 hours), refused before anything
// is planned.
constexpr uint64_t kMaxRuns = 100000;

// MemAvailable of /proc/meminfo; 0 if unknown.
uint64_t AvailableMemoryBytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  uint64_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit) {
    if (key == "MemAvailable:") return kb * 1024;
  }
  return 0;
}

std::string Gigabytes(uint64_t bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f GB", bytes / 1e9);
  return buffer;
}

// Refuses a run whose counters overflow or whose memory cannot fit: better
// a message now than a crash or the OOM killer in the middle of a sweep.
Status CheckSize(const RunConfig& c, uint64_t available,
                 const std::string& source) {
  const uint64_t counters = c.Counters();
  if (counters > kMaxCounters) {
    return Status::InvalidArgument(
        source + ": keys x shards = " + std::to_string(c.keys) + " x " +
        std::to_string(c.shards) +
        (c.kind == Kind::kInventory ? " x 2 (the warm-up's own stock)" : "") +
        " = " + std::to_string(counters) + " counters; allowed: at most " +
        std::to_string(kMaxCounters));
  }
  const uint64_t needed = EstimateRunBytes(c);
  if (available > 0 && needed > available / 10 * 8) {
    return Status::InvalidArgument(
        source + ": a run with workers=" + std::to_string(c.workers) +
        " keys=" + std::to_string(c.keys) + " shards=" +
        std::to_string(c.shards) + " needs about " + Gigabytes(needed) +
        " of memory (every worker keeps 8 bytes per counter, and the backend "
        "about 64), more than 80% of the " +
        Gigabytes(available) +
        " available; allowed: fewer workers, keys or shards");
  }
  return Status::OK();
}

// Every available backend, when the scenario names none: one that cannot
// run here (its server is not installed) is a note and a reason instead.
std::vector<std::string> AvailableBackends(const Scenario& scenario,
                                           const Registry& registry,
                                           std::vector<std::string>* notes,
                                           std::vector<std::string>* reasons) {
  std::vector<std::string> backends;
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
      notes->push_back("skipped " + b.name + ": " + st.message());
      reasons->push_back(st.message());
    }
  }
  return backends;
}

// Counts the runs before they are built: a runaway list is refused, not
// planned. `per_backend` is the product of the run fields' lists.
Status CheckRunCount(const Scenario& scenario,
                     const std::vector<std::string>& backends,
                     uint64_t per_backend) {
  uint64_t total = 0;
  for (const std::string& backend : backends) {
    uint64_t n = per_backend * static_cast<uint64_t>(scenario.repeat);
    auto it = scenario.backend_options.find(backend);
    if (it != scenario.backend_options.end()) {
      for (const auto& [key, values] : it->second) n *= values.size();
    }
    total += n;
    if (total > kMaxRuns || n > kMaxRuns) {
      return Status::InvalidArgument(scenario.source +
                                     ": the sweep has more than " +
                                     std::to_string(kMaxRuns) +
                                     " runs (the product of every list and "
                                     "repeat); allowed: at most " +
                                     std::to_string(kMaxRuns));
    }
  }
  return Status::OK();
}

}  // namespace

void ResolveStages(RunConfig* c) {
  if (c->stages.empty()) return;
  c->duration_ns = StagesDuration(c->stages);
  c->ops = 0;
  if (c->stages[0].open()) {
    // Shares stay shares until the sweep has measured the capacity
    // (counters/sweep.cc); the row's rate is then the mean it ran.
    double share = 0;
    for (const Stage& s : c->stages) {
      share += s.rate_share * (s.duration_ns / 1e9);
    }
    c->rate_share = share / (c->duration_ns / 1e9);
    c->rate = c->rate_share > 0 ? 0 : StagesMeanRate(c->stages);
    return;
  }
  // The largest count a phase runs: a phase without one runs the run's.
  int most = 0;
  for (const Stage& s : c->stages) {
    most = std::max(most, s.workers > 0 ? s.workers : c->workers);
  }
  c->workers = most;
}

RunConfig CapacityProbe(const RunConfig& c) {
  constexpr int64_t kStagesProbeNs = 2000000000;
  constexpr int64_t kProbeStock = 1000000000000000;
  RunConfig closed = c;
  closed.rate = closed.rate_share = 0;
  closed.latency_limit_ns = 0;
  if (!closed.stages.empty()) {
    closed.stages.clear();
    closed.duration_ns = std::min(c.duration_ns, kStagesProbeNs);
  }
  if (closed.kind == Kind::kInventory) closed.stock = kProbeStock;
  return closed;
}

void TakeShareOf(double capacity, RunConfig* c) {
  c->capacity = capacity;
  c->rate = std::max(1.0, std::round(c->rate_share * capacity));
  if (c->stages.empty()) return;
  for (Stage& s : c->stages) {
    if (s.rate_share > 0)
      s.rate = std::max(1.0, std::round(s.rate_share * capacity));
  }
  c->rate = StagesMeanRate(c->stages);
  c->rate_share = 0;
}

Result<SweepPlan> PlanSweep(const Scenario& scenario,
                            const Registry& registry) {
  Status valid = ValidateScenario(scenario, registry);
  if (!valid.ok()) return valid;
  SweepPlan plan;
  std::set<std::string> noted;
  std::vector<std::string> reasons;
  std::vector<std::string> backends = scenario.backends;
  if (backends.empty()) {
    backends = AvailableBackends(scenario, registry, &plan.notes, &reasons);
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
  Status counted = CheckRunCount(scenario, backends, per_backend);
  if (!counted.ok()) return counted;

  const uint64_t available = AvailableMemoryBytes();
  Status fits;  // The first run that does not fit, if any.
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
          if (Interrupted()) return;  // Ctrl-C: the sweep stops below.
          RunConfig c;
          c.scenario = scenario.name;
          c.backend = backend;
          c.options = options;
          c.repetition = rep;
          for (size_t a = 0; a < axes.size(); ++a) {
            // Checked when the scenario was loaded.
            axes[a].first->apply((*axes[a].second)[fi[a]], &c).ok();
          }
          ResolveStages(&c);
          // An axis of a field that does not shape this run (a counter's
          // stock) does not repeat it.
          for (size_t a = 0; a < axes.size(); ++a) {
            const Field& field = *axes[a].first;
            if (fi[a] > 0 && field.applies && !field.applies(c)) return;
          }
          if (rep == 1 && fits.ok())
            fits = CheckSize(c, available, scenario.source);
          const std::string reason = SkipReason(info, options, c, registry);
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
  if (!fits.ok()) return fits;
  if (Interrupted()) return Status::IOError("interrupted while planning");
  if (plan.runs.empty()) {
    std::string why;
    for (const std::string& r : reasons) why += (why.empty() ? "" : "; ") + r;
    return Status::InvalidArgument(scenario.source +
                                   ": nothing to run: " + why);
  }
  return plan;
}

std::string DescribeRun(const RunConfig& c,
                        const std::set<std::string>& swept) {
  std::string out = DescribeRunFields(c, swept);
  if (!c.options.empty()) out += " [" + FormatOptions(c.options) + "]";
  return out;
}

std::string DescribeRunFields(const RunConfig& c,
                              const std::set<std::string>& swept) {
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
  return out;
}

}  // namespace ctrbench
