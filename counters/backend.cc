#include "counters/backend.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "counters/clock.h"
#include "counters/suggest.h"

namespace ctrbench {

void WorkerTally::Evict(AckCache::Entry* e, uint32_t counter) {
  if (e->key != AckCache::kEmpty && e->count != 0) {
    shared_acked[e->key].fetch_add(e->count, std::memory_order_relaxed);
    evicted += e->count;
  }
  e->key = counter;
  e->count = 0;
}

int64_t WorkerTally::AckedSum() const {
  int64_t sum = evicted;
  for (const AckCache::Entry& e : acks->entries) sum += e.count;
  return sum;
}

int64_t WorkerTally::Acked(uint32_t c) const {
  const AckCache::Entry& e = acks->entries[c & (AckCache::kEntries - 1)];
  return shared_acked[c].load(std::memory_order_relaxed) +
         (e.key == c ? e.count : 0);
}

const char* StrategyName(Strategy s) {
  switch (s) {
    case Strategy::kAtomic:
      return "atomic";
    case Strategy::kLock:
      return "lock";
    case Strategy::kCas:
      return "cas";
    case Strategy::kNaive:
      return "naive";
  }
  return "?";
}

Result<Strategy> ParseStrategy(const std::string& name) {
  for (Strategy s : kAllStrategies) {
    if (name == StrategyName(s)) return s;
  }
  return Status::InvalidArgument("unknown strategy '" + name +
                                 "'; allowed: atomic, lock, cas, naive");
}

const char* KindName(Kind k) {
  return k == Kind::kCounter ? "counter" : "inventory";
}

Result<Kind> ParseKind(const std::string& name) {
  if (name == "counter") return Kind::kCounter;
  if (name == "inventory") return Kind::kInventory;
  return Status::InvalidArgument("unknown kind '" + name +
                                 "'; allowed: counter, inventory");
}

const char* TakeName(TakeMode t) {
  return t == TakeMode::kConditional ? "conditional" : "compensate";
}

Result<TakeMode> ParseTake(const std::string& name) {
  if (name == "conditional") return TakeMode::kConditional;
  if (name == "compensate") return TakeMode::kCompensate;
  return Status::InvalidArgument("unknown take '" + name +
                                 "'; allowed: conditional, compensate");
}

const char* ShardByName(ShardBy s) {
  switch (s) {
    case ShardBy::kWorker:
      return "worker";
    case ShardBy::kCpu:
      return "cpu";
    case ShardBy::kAdaptive:
      return "adaptive";
  }
  return "?";
}

Result<ShardBy> ParseShardBy(const std::string& name) {
  if (name == "worker") return ShardBy::kWorker;
  if (name == "cpu") return ShardBy::kCpu;
  if (name == "adaptive") return ShardBy::kAdaptive;
  return Status::InvalidArgument("unknown shard_by '" + name +
                                 "'; allowed: worker, cpu, adaptive");
}

int64_t WorkerTally::Now() { return NowNs(); }

const char* WorkerModeName(WorkerMode m) {
  return m == WorkerMode::kThreads ? "threads" : "processes";
}

Result<WorkerMode> ParseWorkerMode(const std::string& name) {
  if (name == "threads") return WorkerMode::kThreads;
  if (name == "processes") return WorkerMode::kProcesses;
  return Status::InvalidArgument("unknown mode '" + name +
                                 "'; allowed: threads, processes");
}

bool Capabilities::Supports(Strategy s) const {
  return std::find(strategies.begin(), strategies.end(), s) !=
         strategies.end();
}

void Registry::Add(BackendInfo info) { backends_.push_back(std::move(info)); }

const BackendInfo* Registry::Find(const std::string& name) const {
  for (const BackendInfo& b : backends_) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

std::string Registry::Names() const {
  std::string out;
  for (const BackendInfo& b : backends_) {
    if (!out.empty()) out += ", ";
    out += b.name;
  }
  return out;
}

void Registry::LeaveOut(const std::string& name, const std::string& why) {
  left_out_.emplace_back(name, why);
}

std::string Registry::LeftOutNote(const std::string& name) const {
  for (const auto& [store, why] : left_out_) {
    if (store == name) {
      return " (not in this build: " + why + ")";
    }
  }
  return "";
}

Status Registry::Unknown(const std::string& name) const {
  const std::string note = LeftOutNote(name);
  if (!note.empty()) {
    return Status::InvalidArgument("backend '" + name + "' is not available" +
                                   note + "; allowed: " + Names());
  }
  std::vector<std::string> names;
  for (const BackendInfo& b : backends_) names.push_back(b.name);
  return Status::InvalidArgument("unknown backend '" + name + "'" +
                                 DidYouMean(name, names) +
                                 "; allowed: " + Names());
}

Status Registry::ValidateOptions(const std::string& backend,
                                 const OptionMap& options) const {
  const BackendInfo* info = Find(backend);
  if (info == nullptr) return Unknown(backend);
  // The factory checks the names and values against the declarations
  // (backends/options.h); a test holds every backend to it.
  Result<std::unique_ptr<Backend>> made = info->factory(options);
  return made.status();
}

namespace {

std::string EscapeOption(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == ';' || c == '=' || c == '%' || c < 0x20 || c == 0x7f) {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string FormatOptions(const OptionMap& options) {
  std::string out;
  for (const auto& [key, value] : options) {
    if (!out.empty()) out += ";";
    out += EscapeOption(key) + "=" + EscapeOption(value);
  }
  return out;
}

OptionMap ParseFormattedOptions(const std::string& cell) {
  auto unescape = [](const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::strtol(text.substr(i + 1, 2).c_str(),
                                             nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  };
  OptionMap options;
  std::stringstream in(cell);
  std::string pair;
  while (std::getline(in, pair, ';')) {
    const size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    options[unescape(pair.substr(0, eq))] = unescape(pair.substr(eq + 1));
  }
  return options;
}

OptionMap OptionsToShow(const std::vector<OptionSpec>& specs,
                        const OptionMap& asked, const OptionMap& effective) {
  OptionMap shown;
  for (const OptionSpec& spec : specs) {
    const auto ran = effective.find(spec.name);
    const auto given = asked.find(spec.name);
    if (ran != effective.end()) {
      if (ran->second != spec.Reference() || given != asked.end()) {
        shown[spec.name] = ran->second;
      }
    } else if (given != asked.end()) {
      shown[spec.name] = given->second;  // The backend did not say.
    }
  }
  return shown;
}

}  // namespace ctrbench
