#include "counters/scenario.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <sstream>

#include "counters/suggest.h"

namespace ctrbench {

namespace {

constexpr size_t kMaxScenarioBytes = 1 << 20;
constexpr int kMaxNesting = 32;

Result<Value> ValueFromNode(const toml::node& node) {
  Value v;
  if (const auto* i = node.as_integer()) {
    v.type = Value::Type::kInt;
    v.i = i->get();
  } else if (const auto* d = node.as_floating_point()) {
    v.type = Value::Type::kFloat;
    v.d = d->get();
  } else if (const auto* s = node.as_string()) {
    v.s = s->get();
  } else if (const auto* b = node.as_boolean()) {
    v.type = Value::Type::kBool;
    v.b = b->get();
  } else {
    return Status::InvalidArgument(
        "a table, nested array or date is not a "
        "value here");
  }
  return v;
}

// The keys of a scenario that are not run fields: they say what to run and
// how often, not how one run goes.
struct ScenarioKey {
  const char* key;
  bool list_allowed;
  const char* allowed;
  std::function<Status(Scenario*, const std::vector<Value>&)> set;
};

Status OneString(const Value& v, std::string* out) {
  if (v.type != Value::Type::kString) {
    return Status::InvalidArgument("value " + v.Quoted() + " is not a string");
  }
  *out = v.s;
  return Status::OK();
}

const std::vector<ScenarioKey>& ScenarioKeys() {
  static const std::vector<ScenarioKey>* keys = new std::vector<ScenarioKey>{
      {"name", false, "a string of letters, digits, '-', '_' and '.'",
       [](Scenario* s, const std::vector<Value>& v) -> Status {
         std::string name;
         Status st = OneString(v[0], &name);
         if (!st.ok()) return st;
         if (name.empty() ||
             name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_.") != std::string::npos) {
           return Status::InvalidArgument("value " + v[0].Quoted() +
                                          " is not allowed");
         }
         s->name = name;
         return Status::OK();
       }},
      {"description", false, "a string",
       [](Scenario* s, const std::vector<Value>& v) {
         return OneString(v[0], &s->description);
       }},
      {"backends", true, "backend names (see `ctrbench list`)",
       [](Scenario* s, const std::vector<Value>& v) -> Status {
         std::vector<std::string> names;
         for (const Value& value : v) {
           std::string name;
           Status st = OneString(value, &name);
           if (!st.ok()) return st;
           names.push_back(name);
         }
         s->backends = names;
         return Status::OK();
       }},
      {"repeat", false, "an integer from 1 to 1000",
       [](Scenario* s, const std::vector<Value>& v) -> Status {
         if (v[0].type != Value::Type::kInt) {
           return Status::InvalidArgument("value " + v[0].Quoted() +
                                          " is not an integer");
         }
         if (v[0].i < 1 || v[0].i > 1000) {
           return Status::InvalidArgument("value " + v[0].Text() +
                                          " is out of range");
         }
         s->repeat = static_cast<int>(v[0].i);
         return Status::OK();
       }},
  };
  return *keys;
}

const ScenarioKey* FindScenarioKey(const std::string& key) {
  for (const ScenarioKey& k : ScenarioKeys()) {
    if (key == k.key) return &k;
  }
  return nullptr;
}

std::vector<std::string> AllKeys() {
  std::vector<std::string> keys;
  for (const ScenarioKey& k : ScenarioKeys()) keys.push_back(k.key);
  for (const Field& f : RunFields()) keys.push_back(f.key);
  return keys;
}

std::string AllKeyNames() {
  std::string out;
  for (const ScenarioKey& k : ScenarioKeys()) {
    if (!out.empty()) out += ", ";
    out += k.key;
  }
  return out + ", " + RunFieldNames();
}

Status KeyError(const std::string& source, const std::string& key,
                const std::string& detail, const std::string& allowed) {
  return Status::InvalidArgument(source + ": key '" + key + "': " + detail +
                                 "; allowed: " + allowed);
}

// Sets a scenario key or a run field to `values` (one, or a list).
Status SetKey(Scenario* scenario, const std::string& key,
              const std::vector<Value>& values, const std::string& source) {
  const ScenarioKey* sk = FindScenarioKey(key);
  const Field* field = sk ? nullptr : FindRunField(key);
  if (sk == nullptr && field == nullptr) {
    return Status::InvalidArgument(
        source + ": unknown key '" + key + "'" + DidYouMean(key, AllKeys()) +
        "; allowed: " + AllKeyNames() + ", and a table per backend");
  }
  const std::string allowed = sk ? sk->allowed : field->allowed;
  const bool list_allowed = sk ? sk->list_allowed : field->axis;
  if (values.empty()) return KeyError(source, key, "an empty list", allowed);
  if (values.size() > 1 && !list_allowed) {
    return KeyError(source, key, "a list is not allowed here", allowed);
  }
  if (sk) {
    Status st = sk->set(scenario, values);
    if (!st.ok()) return KeyError(source, key, st.message(), allowed);
    if (key == "backends") scenario->backends_source = source;
    return Status::OK();
  }
  RunConfig check;
  for (const Value& v : values) {
    Status st = field->apply(v, &check);
    if (!st.ok()) return KeyError(source, key, st.message(), allowed);
  }
  scenario->fields[key] = values;
  // A run is limited by a duration or by a count of operations.
  if (key == "duration") scenario->fields.erase("ops");
  if (key == "ops") scenario->fields.erase("duration");
  // Phases replace the default run length; a duration or ops given with
  // them is an error (ValidateScenario).
  if (key == "phases") {
    scenario->fields.erase("duration");
    scenario->fields.erase("ops");
  }
  return Status::OK();
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::string part;
  std::stringstream in(text);
  while (std::getline(in, part, ',')) parts.push_back(part);
  if (!text.empty() && text.back() == ',') parts.push_back("");
  return parts;
}

// Checks the values of backend options: the names against what the backend
// declares, a list only for an option that is a sweep axis, and each value
// (with the first value of every other option) through the backend.
Status CheckBackendOptions(
    const std::string& backend,
    const std::map<std::string, std::vector<std::string>>& options,
    const Registry& registry) {
  const BackendInfo* info = registry.Find(backend);
  if (info == nullptr) return registry.Unknown(backend);
  OptionMap first;
  for (const auto& [key, values] : options) {
    if (values.empty()) {
      return Status::InvalidArgument("option '" + backend + "." + key +
                                     "': an empty list");
    }
    first[key] = values[0];
  }
  Status st = registry.ValidateOptions(backend, first);
  if (!st.ok()) return st;
  for (const auto& [key, values] : options) {
    if (values.size() < 2) continue;
    for (const OptionSpec& spec : info->options) {
      if (spec.name == key && !spec.sweep) {
        return Status::InvalidArgument(
            "option '" + backend + "." + key +
            "' is not a sweep axis (its "
            "values may contain commas); allowed: one value");
      }
    }
    for (const std::string& value : values) {
      OptionMap one = first;
      one[key] = value;
      st = registry.ValidateOptions(backend, one);
      if (!st.ok()) return st;
    }
  }
  return Status::OK();
}

// Refuses TOML nested deeper than kMaxNesting, before the parser sees it:
// brackets and braces inside one another, or the parts of a dotted key or
// table header. Strings and comments do not count.
Status CheckNesting(const std::string& text, const std::string& source) {
  int depth = 0;       // Open [ and { of arrays and inline tables.
  int parts = 1;       // Of the key or header being read on this line.
  bool in_key = true;  // Before the line's '=' (or in a [header]).
  size_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      parts = 1;
      in_key = true;
      continue;
    }
    if (c == '#') {  // A comment runs to the end of the line.
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      const bool triple = text.compare(i, 3, std::string(3, c)) == 0;
      const std::string close = triple ? std::string(3, c) : std::string(1, c);
      size_t j = i + close.size();
      while (j < text.size()) {
        if (c == '"' && text[j] == '\\') {
          j += 2;
          continue;
        }
        if (text.compare(j, close.size(), close) == 0) break;
        if (text[j] == '\n') {
          if (!triple) break;  // The parser reports the open string.
          ++line;
        }
        ++j;
      }
      i = j + close.size() - 1;
      continue;
    }
    if (c == '=') in_key = false;
    if (c == '.' && in_key && depth == 0) ++parts;
    if ((c == '[' || c == '{') && !(in_key && depth == 0 && c == '[')) ++depth;
    if ((c == ']' || c == '}') && depth > 0) --depth;
    if (depth > kMaxNesting || parts > kMaxNesting) {
      return Status::InvalidArgument(
          source + ":" + std::to_string(line) + ": nested more than " +
          std::to_string(kMaxNesting) + " levels deep; allowed: at most " +
          std::to_string(kMaxNesting) + " (a scenario needs 2)");
    }
  }
  return Status::OK();
}

// [[phase]] tables as the text of the phases field ("20% 5s; ..."),
// which checks it: each table's rate (operations/s, or "20%" of the
// capacity), duration, workers, think and read_fraction.
Result<Value> PhaseTablesText(const toml::node& node, const std::string& at) {
  const char* const keys = "rate, duration, workers, think, read_fraction";
  const toml::array* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return KeyError(at, "phase", "not a list of [[phase]] tables",
                    std::string("[[phase]] tables with ") + keys);
  }
  Value text;
  text.type = Value::Type::kString;
  for (const toml::node& element : *array) {
    std::string phase;
    for (const auto& [k, v] : *element.as_table()) {
      const std::string name(k.str());
      const std::string key_at = at.substr(0, at.rfind(':')) + ":" +
                                 std::to_string(k.source().begin.line);
      Result<Value> value = ValueFromNode(v);
      if (!value.ok()) {
        return KeyError(key_at, "phase." + name, value.status().message(),
                        kStagesAllowed);
      }
      if (name == "rate") {
        phase += value->type == Value::Type::kString ? value->s
                                                     : value->Text() + "/s";
      } else if (name == "duration") {
        phase += value->Text();
      } else if (name == "workers" || name == "think" ||
                 name == "read_fraction") {
        phase += name + "=" + value->Text();
      } else {
        return KeyError(key_at, "phase." + name,
                        "not a setting a phase has" +
                            DidYouMean(name, {"rate", "duration", "workers",
                                              "think", "read_fraction"}),
                        keys);
      }
      phase += " ";
    }
    text.s += (text.s.empty() ? "" : "; ") + phase;
  }
  return text;
}

// A [backend] table: its options, checked against the backend's.
Status ApplyBackendTable(Scenario* scenario, const std::string& key,
                         const toml::table& table, const std::string& source,
                         const std::string& at, const Registry& registry) {
  if (registry.Find(key) == nullptr && !registry.LeftOutNote(key).empty()) {
    // A store this build left out: its settings cannot be checked, and
    // a run of it is refused with the reason; the rest of the scenario
    // still runs (scripts/run_lab.sh without PostgreSQL).
    scenario->notes.push_back(at + ": table [" + key + "] is skipped" +
                              registry.LeftOutNote(key));
    return Status::OK();
  }
  if (registry.Find(key) == nullptr) {
    std::vector<std::string> names;
    for (const BackendInfo& b : registry.backends()) names.push_back(b.name);
    return Status::InvalidArgument(
        at + ": table [" + key + "] is not a backend" +
        registry.LeftOutNote(key) + DidYouMean(key, names) +
        "; allowed tables: one per backend (" + registry.Names() + ")");
  }
  auto& options = scenario->backend_options[key];
  for (const auto& [opt_key, opt_node] : table) {
    const std::string name = key + "." + std::string(opt_key.str());
    const std::string opt_at =
        source + ":" + std::to_string(opt_key.source().begin.line);
    std::vector<std::string> values;
    auto add = [&](const toml::node& n) -> Status {
      Result<Value> v = ValueFromNode(n);
      if (!v.ok()) {
        return Status::InvalidArgument(opt_at + ": key '" + name +
                                       "': " + v.status().message());
      }
      values.push_back(v->Text());
      return Status::OK();
    };
    if (const toml::array* array = opt_node.as_array()) {
      for (const toml::node& element : *array) {
        Status st = add(element);
        if (!st.ok()) return st;
      }
    } else {
      Status st = add(opt_node);
      if (!st.ok()) return st;
    }
    options[std::string(opt_key.str())] = values;
    Status st = CheckBackendOptions(key, options, registry);
    if (!st.ok()) {
      return Status::InvalidArgument(opt_at + ": " + st.message());
    }
  }
  return Status::OK();
}

Status ApplyTable(Scenario* scenario, const toml::table& table,
                  const std::string& source, const Registry& registry) {
  for (const auto& [toml_key, node] : table) {
    const std::string key(toml_key.str());
    // Messages name the line of the key.
    const std::string at =
        source + ":" + std::to_string(toml_key.source().begin.line);
    if (key == "phase") {
      Result<Value> text = PhaseTablesText(node, at);
      if (!text.ok()) return text.status();
      Status st = SetKey(scenario, "phases", {*text}, at);
      if (!st.ok()) return st;
      continue;
    }
    if (const toml::table* sub = node.as_table()) {
      Status st = ApplyBackendTable(scenario, key, *sub, source, at, registry);
      if (!st.ok()) return st;
      continue;
    }
    std::vector<Value> values;
    auto add = [&](const toml::node& n) -> Status {
      Result<Value> v = ValueFromNode(n);
      if (!v.ok()) {
        const Field* f = FindRunField(key);
        const ScenarioKey* sk = FindScenarioKey(key);
        return KeyError(at, key, v.status().message(),
                        f    ? f->allowed
                        : sk ? sk->allowed
                             : "a value");
      }
      values.push_back(*v);
      return Status::OK();
    };
    if (const toml::array* array = node.as_array()) {
      for (const toml::node& element : *array) {
        Status st = add(element);
        if (!st.ok()) return st;
      }
    } else {
      Status st = add(node);
      if (!st.ok()) return st;
    }
    Status st = SetKey(scenario, key, values, at);
    if (!st.ok()) return st;
  }
  // Keys apply in sorted order, and phases drop a duration or ops set
  // before them (the default's): in one file, both are an error.
  const bool phased = table.contains("phase") || table.contains("phases");
  if (phased && (table.contains("duration") || table.contains("ops"))) {
    return Status::InvalidArgument(
        source + ": " +
        (table.contains("phase") ? "[[phase]] tables" : "key 'phases'") +
        " and key '" + (table.contains("duration") ? "duration" : "ops") +
        "' exclude each other (the phases give the run its length); "
        "allowed: one of them");
  }
  if (table.contains("duration") && table.contains("ops")) {
    return Status::InvalidArgument(source +
                                   ": keys 'duration' and 'ops' "
                                   "exclude each other; allowed: one of them");
  }
  return Status::OK();
}

}  // namespace

std::vector<std::string> Scenario::Values(const std::string& key) const {
  std::vector<std::string> out;
  auto it = fields.find(key);
  if (it != fields.end()) {
    for (const Value& v : it->second) out.push_back(v.Text());
  }
  return out;
}

Scenario DefaultScenario() {
  Scenario s;
  s.source = "(built-in default)";
  s.name = "default";
  s.description = "Short hot-key run on every available backend";
  s.fields["strategies"] = {ValueFromText("atomic"), ValueFromText("lock"),
                            ValueFromText("cas"), ValueFromText("naive")};
  s.fields["workers"] = {ValueFromText("2")};
  s.fields["duration"] = {ValueFromText("500ms")};
  return s;
}

Result<Scenario> ParseScenario(const std::string& toml_text,
                               const std::string& source,
                               const Registry& registry) {
  Scenario scenario;
  scenario.source = source;
  // toml++ recurses once per level of nesting: a deep enough file (a dotted
  // header of 50,000 parts fits in 100 KB) overflows the stack.
  Status nesting = CheckNesting(toml_text, source);
  if (!nesting.ok()) return nesting;
  toml::table table;
  try {
    table = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(source + ":" +
                                   std::to_string(e.source().begin.line) +
                                   ": " + std::string(e.description()));
  }
  // Without a `backends` key a scenario runs on every available backend.
  Status st = ApplyTable(&scenario, table, source, registry);
  if (!st.ok()) return st;
  return scenario;
}

Result<Scenario> LoadScenarioFile(const std::string& path,
                                  const Registry& registry) {
  // O_NONBLOCK: a FIFO must not block the open; it is refused below.
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    return Status::InvalidArgument(
        path + ": cannot open scenario file: " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Status::InvalidArgument(
        path + ": not a regular file; allowed: a TOML file of at most " +
        std::to_string(kMaxScenarioBytes) + " bytes");
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      close(fd);
      return Status::InvalidArgument(
          path + ": cannot read scenario file: " + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxScenarioBytes) {
      close(fd);
      return Status::InvalidArgument(
          path + ": larger than " + std::to_string(kMaxScenarioBytes) +
          " bytes; allowed: a TOML file of at most that size");
    }
  }
  close(fd);
  return ParseScenario(text, path, registry);
}

Status ApplyOverride(Scenario* scenario, const std::string& key,
                     const std::string& text, const std::string& flag) {
  const Field* field = FindRunField(key);
  const ScenarioKey* sk = FindScenarioKey(key);
  std::vector<Value> values;
  if (key == "description" || key == "name") {
    values.push_back(Value{});  // Free text stays whole, as a string.
    values[0].s = text;
  } else if ((field && field->axis) || (sk && sk->list_allowed)) {
    for (const std::string& part : SplitCommas(text)) {
      values.push_back(ValueFromText(part));
    }
  } else {
    values.push_back(ValueFromText(text));
  }
  return SetKey(scenario, key, values, flag);
}

Status ApplyBackendOption(Scenario* scenario, const std::string& assignment,
                          const Registry& registry) {
  const size_t dot = assignment.find('.');
  const size_t eq = assignment.find('=');
  if (dot == std::string::npos || eq == std::string::npos || dot > eq ||
      dot == 0 || eq == dot + 1) {
    return Status::InvalidArgument("--set " + assignment +
                                   ": expected backend.key=value");
  }
  const std::string backend = assignment.substr(0, dot);
  const std::string key = assignment.substr(dot + 1, eq - dot - 1);
  const std::string value = assignment.substr(eq + 1);
  const BackendInfo* info = registry.Find(backend);
  bool split = false;
  if (info != nullptr) {
    for (const OptionSpec& spec : info->options) {
      if (spec.name == key) split = spec.sweep && !spec.commas;
    }
  }
  auto options = scenario->backend_options[backend];
  // An option whose values may contain commas (a path, a url, a
  // statement) is one value.
  options[key] = split ? SplitCommas(value) : std::vector<std::string>{value};
  Status st = CheckBackendOptions(backend, options, registry);
  if (!st.ok()) {
    if (scenario->backend_options[backend].empty()) {
      scenario->backend_options.erase(backend);
    }
    // The message names the value itself (with any password masked): the
    // whole assignment is not repeated.
    return Status::InvalidArgument("--set " + backend + "." + key + ": " +
                                   st.message());
  }
  const std::string name = backend + "." + key;
  auto previous = scenario->set_flags.find(name);
  if (previous != scenario->set_flags.end()) {
    scenario->notes.push_back("--set " + name +
                              " was given twice; the later "
                              "one wins: " +
                              value + " (not " + previous->second + ")");
  }
  scenario->set_flags[name] = value;
  scenario->backend_options[backend] = options;
  return Status::OK();
}

namespace {

// Whether any value of a scenario's swept key passes `pred`.
template <typename Pred>
bool AnyValue(const Scenario& scenario, const char* key, Pred pred) {
  auto it = scenario.fields.find(key);
  return it != scenario.fields.end() &&
         std::any_of(it->second.begin(), it->second.end(), pred);
}

bool AnyNonzero(const Scenario& scenario, const char* key) {
  return AnyValue(scenario, key, [](const Value& v) {
    return v.type == Value::Type::kString
               ? v.s != "0"
               : (v.type == Value::Type::kInt ? v.i != 0 : v.d != 0);
  });
}

bool OverOne(const Value& v) { return v.type != Value::Type::kInt || v.i > 1; }

// Fields that exclude each other.
Status CheckFieldPairs(const Scenario& scenario) {
  const std::string& src = scenario.source;
  // Think time is the closed loop's stand-in for a rate: not both.
  if (AnyNonzero(scenario, "rate") && AnyNonzero(scenario, "think")) {
    return Status::InvalidArgument(
        src +
        ": keys 'rate' and 'think' exclude each other (think time is "
        "the closed loop's stand-in for a rate); allowed: one of them");
  }
  const bool batching = AnyValue(scenario, "batch", OverOne);
  if (AnyNonzero(scenario, "flush_every") && batching) {
    return Status::InvalidArgument(
        src +
        ": keys 'flush_every' and 'batch' > 1 exclude each other (a "
        "flush on a clock and a flush every B increments are two ways of "
        "holding increments back); allowed: one of them");
  }
  // A take is one unit of one key's stock, taken now: batching, shards
  // and write-behind would make it something else.
  const bool inventory = AnyValue(
      scenario, "kind", [](const Value& v) { return v.s == "inventory"; });
  const bool sharded = AnyValue(scenario, "shards", OverOne);
  if (inventory &&
      (batching || sharded || AnyNonzero(scenario, "flush_every"))) {
    const char* which = batching  ? "'batch' > 1"
                        : sharded ? "'shards' > 1"
                                  : "'flush_every'";
    return Status::InvalidArgument(
        src + ": key 'kind' = \"inventory\" and " + which +
        " exclude each other (a take is one unit of one key's stock, taken "
        "at once); allowed: kind = \"inventory\" with batch = 1, shards = 1 "
        "and no flush_every");
  }
  // A worker's connections share its CPU and its collisions: a cell per
  // CPU or per collision is a cell per worker there.
  if (AnyValue(scenario, "connections", OverOne) &&
      AnyValue(scenario, "shard_by",
               [](const Value& v) { return v.s != "worker"; })) {
    return Status::InvalidArgument(
        src +
        ": keys 'connections' > 1 and 'shard_by' = \"cpu\" or "
        "\"adaptive\" exclude each other (a worker's connections share its "
        "CPU); allowed: shard_by = \"worker\" with connections");
  }
  return Status::OK();
}

// Load phases give the run its length and rate themselves.
Status CheckPhases(const Scenario& scenario) {
  const std::string& src = scenario.source;
  const bool phased = scenario.fields.count("phases") > 0;
  const bool open_phases = AnyValue(scenario, "phases", [](const Value& v) {
    Result<std::vector<Stage>> stages = ParseStages(v.s);
    return stages.ok() && (*stages)[0].open();
  });
  for (const char* other : {"duration", "ops", "rate"}) {
    if (phased &&
        (std::string(other) == "rate" ? AnyNonzero(scenario, other)
                                      : scenario.fields.count(other) > 0)) {
      return Status::InvalidArgument(
          src + ": keys 'phases' and '" + other +
          "' exclude each other (the phases give the run its length and "
          "rate); allowed: one of them");
    }
  }
  if (phased && AnyValue(scenario, "connections", OverOne)) {
    return Status::InvalidArgument(
        src +
        ": keys 'phases' and 'connections' > 1 exclude each other (not "
        "yet: a worker's connections keep one rate); allowed: phases with "
        "connections = 1");
  }
  if (open_phases && AnyNonzero(scenario, "think")) {
    return Status::InvalidArgument(
        src +
        ": keys 'phases' with rates and 'think' exclude each other "
        "(think time is the closed loop's stand-in for a rate); allowed: "
        "one of them");
  }
  if (!phased && !scenario.fields.count("duration") &&
      !scenario.fields.count("ops")) {
    return Status::InvalidArgument(src +
                                   ": neither 'duration' nor 'ops' is "
                                   "set; allowed: one of them");
  }
  return Status::OK();
}

}  // namespace

Status ValidateScenario(const Scenario& scenario, const Registry& registry) {
  const std::string& src = scenario.source;
  std::vector<std::string> names;
  for (const BackendInfo& b : registry.backends()) names.push_back(b.name);
  for (const std::string& b : scenario.backends) {
    if (registry.Find(b) == nullptr) {
      const std::string& from =
          scenario.backends_source.empty() ? src : scenario.backends_source;
      return Status::InvalidArgument(
          from + ": key 'backends': value \"" + b + "\" is not a backend" +
          registry.LeftOutNote(b) + DidYouMean(b, names) +
          "; allowed: " + registry.Names());
    }
  }
  Status st = CheckFieldPairs(scenario);
  if (!st.ok()) return st;
  return CheckPhases(scenario);
}

}  // namespace ctrbench
