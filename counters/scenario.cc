#include "counters/scenario.h"

#include <toml++/toml.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <functional>
#include <sstream>

#include "counters/clock.h"

namespace ctrbench {

namespace {

// One value of a field, from TOML or from command-line text.
struct Value {
  enum class Type { kInt, kFloat, kString, kBool };
  Type type = Type::kString;
  int64_t i = 0;
  double d = 0;
  bool b = false;
  std::string s;

  std::string Text() const {
    switch (type) {
      case Type::kInt:
        return std::to_string(i);
      case Type::kFloat: {
        std::ostringstream out;
        out << d;
        return out.str();
      }
      case Type::kBool:
        return b ? "true" : "false";
      case Type::kString:
        return s;
    }
    return s;
  }
  // How the value reads in a message: strings quoted, as in the file.
  std::string Quoted() const {
    return type == Type::kString ? "\"" + s + "\"" : Text();
  }
};

// Command-line text becomes the most specific type it reads as, so that
// "--workers 4" is an integer and "--hold 100us" a string.
Value ValueFromText(const std::string& text) {
  Value v;
  v.s = text;
  if (text.empty()) return v;
  char* end = nullptr;
  errno = 0;
  const long long i = std::strtoll(text.c_str(), &end, 10);
  if (*end == '\0' && errno == 0) {
    v.type = Value::Type::kInt;
    v.i = i;
    return v;
  }
  const double d = std::strtod(text.c_str(), &end);
  if (*end == '\0' && std::isfinite(d)) {
    v.type = Value::Type::kFloat;
    v.d = d;
    return v;
  }
  if (text == "true" || text == "false") {
    v.type = Value::Type::kBool;
    v.b = text == "true";
  }
  return v;
}

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
    return Status::InvalidArgument("a table, nested array or date is not a "
                                   "value here");
  }
  return v;
}

// A per-element converter returns InvalidArgument with a short reason.
template <typename T>
using Converter = std::function<Result<T>(const Value&)>;

Converter<int64_t> IntIn(int64_t lo, int64_t hi) {
  return [lo, hi](const Value& v) -> Result<int64_t> {
    if (v.type != Value::Type::kInt) {
      return Status::InvalidArgument("value " + v.Quoted() +
                                     " is not an integer");
    }
    if (v.i < lo || v.i > hi) {
      return Status::InvalidArgument("value " + v.Text() +
                                     " is out of range");
    }
    return v.i;
  };
}

Converter<double> FractionIn01() {
  return [](const Value& v) -> Result<double> {
    double d;
    if (v.type == Value::Type::kInt) {
      d = static_cast<double>(v.i);
    } else if (v.type == Value::Type::kFloat) {
      d = v.d;
    } else {
      return Status::InvalidArgument("value " + v.Quoted() +
                                     " is not a number");
    }
    if (d < 0 || d > 1) {
      return Status::InvalidArgument("value " + v.Text() +
                                     " is out of range");
    }
    return d;
  };
}

Converter<std::string> AnyString() {
  return [](const Value& v) -> Result<std::string> {
    if (v.type != Value::Type::kString) {
      return Status::InvalidArgument("value " + v.Quoted() +
                                     " is not a string");
    }
    return v.s;
  };
}

// Durations are strings with a unit; a bare 0 is accepted too.
Converter<int64_t> DurationIn(int64_t lo_ns, int64_t hi_ns) {
  return [lo_ns, hi_ns](const Value& v) -> Result<int64_t> {
    if (v.type == Value::Type::kInt && v.i == 0 && lo_ns == 0) {
      return int64_t{0};
    }
    if (v.type != Value::Type::kString) {
      return Status::InvalidArgument("value " + v.Quoted() +
                                     " is not a duration string");
    }
    Result<int64_t> ns = ParseDuration(v.s);
    if (!ns.ok()) {
      return Status::InvalidArgument("value " + v.Quoted() + " is not a "
                                     "duration (" + ns.status().message() +
                                     ")");
    }
    if (*ns < lo_ns || *ns > hi_ns) {
      return Status::InvalidArgument("value " + v.Quoted() +
                                     " is out of range");
    }
    return *ns;
  };
}

template <typename T>
Converter<T> Parsed(Result<T> (*parse)(const std::string&)) {
  return [parse](const Value& v) -> Result<T> {
    if (v.type != Value::Type::kString) {
      return Status::InvalidArgument("value " + v.Quoted() +
                                     " is not a string");
    }
    Result<T> r = parse(v.s);
    if (!r.ok()) {
      return Status::InvalidArgument("value " + v.Quoted() +
                                     " is not allowed");
    }
    return r;
  };
}

template <typename T, typename From>
Status SetList(std::vector<T>* out, const std::vector<Value>& values,
               const Converter<From>& convert) {
  std::vector<T> parsed;
  for (const Value& v : values) {
    Result<From> r = convert(v);
    if (!r.ok()) return r.status();
    parsed.push_back(static_cast<T>(*r));
  }
  *out = std::move(parsed);
  return Status::OK();
}

template <typename T, typename From>
Status SetOne(T* out, const std::vector<Value>& values,
              const Converter<From>& convert) {
  Result<From> r = convert(values[0]);
  if (!r.ok()) return r.status();
  *out = static_cast<T>(*r);
  return Status::OK();
}

struct Field {
  const char* key;
  bool list_allowed;
  const char* allowed;
  std::function<Status(Scenario*, const std::vector<Value>&)> set;
};

constexpr int64_t kSecond = 1000000000;

const std::vector<Field>& Fields() {
  static const std::vector<Field>* fields = new std::vector<Field>{
      {"name", false, "a string of letters, digits, '-', '_' and '.'",
       [](Scenario* s, const std::vector<Value>& v) -> Status {
         Status st = SetOne(&s->name, v, AnyString());
         if (!st.ok()) return st;
         if (s->name.empty() ||
             s->name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789-_.") != std::string::npos) {
           return Status::InvalidArgument("value " + v[0].Quoted() +
                                          " is not allowed");
         }
         return Status::OK();
       }},
      {"description", false, "a string",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetOne(&s->description, v, AnyString());
       }},
      {"backends", true, "backend names (see `ctrbench list`)",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->backends, v, AnyString());
       }},
      {"strategies", true, "atomic, lock, cas, naive, or a list of them",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->strategies, v, Parsed(&ParseStrategy));
       }},
      {"workers", true, "an integer from 1 to 1024, or a list of them",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->workers, v, IntIn(1, 1024));
       }},
      {"mode", true, "threads or processes, or a list of them",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->modes, v, Parsed(&ParseWorkerMode));
       }},
      {"keys", true, "an integer from 1 to 16777216, or a list of them",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->keys, v, IntIn(1, 1 << 24));
       }},
      {"distribution", true,
       "uniform, zipf:THETA (0 < THETA <= 10) or "
       "hotspot:DATA_FRACTION:OP_FRACTION (each in (0, 1]), or a list",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->distributions, v, Parsed(&Distribution::Parse));
       }},
      {"duration", false,
       "a duration from 1ms to 1h such as \"3s\", \"500ms\", \"200us\"",
       [](Scenario* s, const std::vector<Value>& v) {
         s->ops = 0;
         return SetOne(&s->duration_ns, v, DurationIn(1000000, 3600 * kSecond));
       }},
      {"ops", false,
       "an integer from 1 to 10^12 (logical operations per worker)",
       [](Scenario* s, const std::vector<Value>& v) {
         s->duration_ns = 0;
         return SetOne(&s->ops, v, IntIn(1, 1000000000000));
       }},
      {"warmup", false, "a duration from 0 to 1h such as \"1s\" or \"0\"",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetOne(&s->warmup_ns, v, DurationIn(0, 3600 * kSecond));
       }},
      {"batch", true, "an integer from 1 to 1000000, or a list of them",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->batch, v, IntIn(1, 1000000));
       }},
      {"shards", true, "an integer from 1 to 1024, or a list of them",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->shards, v, IntIn(1, 1024));
       }},
      {"read_fraction", true, "a number from 0 to 1, or a list of them",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->read_fractions, v, FractionIn01());
       }},
      {"hold", true, "a duration from 0 to 1s such as \"100us\", or a list",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->hold_ns, v, DurationIn(0, kSecond));
       }},
      {"think", true, "a duration from 0 to 1s such as \"10us\", or a list",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetList(&s->think_ns, v, DurationIn(0, kSecond));
       }},
      {"repeat", false, "an integer from 1 to 1000",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetOne(&s->repeat, v, IntIn(1, 1000));
       }},
      {"seed", false, "an integer from 0 to 2^63-1",
       [](Scenario* s, const std::vector<Value>& v) {
         return SetOne(&s->seed, v, IntIn(0, INT64_MAX));
       }},
  };
  return *fields;
}

const Field* FindField(const std::string& key) {
  for (const Field& f : Fields()) {
    if (key == f.key) return &f;
  }
  return nullptr;
}

std::string FieldNames() {
  std::string out;
  for (const Field& f : Fields()) {
    if (!out.empty()) out += ", ";
    out += f.key;
  }
  return out;
}

Status KeyError(const std::string& source, const std::string& key,
                const std::string& detail, const std::string& allowed) {
  return Status::InvalidArgument(source + ": key '" + key + "': " + detail +
                                 "; allowed: " + allowed);
}

Status SetField(Scenario* scenario, const Field& field,
                const std::vector<Value>& values, const std::string& source) {
  if (values.empty()) {
    return KeyError(source, field.key, "an empty list", field.allowed);
  }
  if (values.size() > 1 && !field.list_allowed) {
    return KeyError(source, field.key, "a list is not allowed here",
                    field.allowed);
  }
  Status st = field.set(scenario, values);
  if (!st.ok()) return KeyError(source, field.key, st.message(), field.allowed);
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

Status ApplyTable(Scenario* scenario, const toml::table& table,
                  const std::string& source, const Registry& registry) {
  for (const auto& [toml_key, node] : table) {
    const std::string key(toml_key.str());
    if (const toml::table* sub = node.as_table()) {
      if (registry.Find(key) == nullptr) {
        return Status::InvalidArgument(
            source + ": table [" + key + "] is not a backend; allowed "
            "tables: one per backend (" + registry.Names() + ")");
      }
      OptionMap& options = scenario->backend_options[key];
      for (const auto& [opt_key, opt_node] : *sub) {
        Result<Value> v = ValueFromNode(opt_node);
        if (!v.ok()) {
          return Status::InvalidArgument(source + ": key '" + key + "." +
                                         std::string(opt_key.str()) + "': " +
                                         v.status().message());
        }
        options[std::string(opt_key.str())] = v->Text();
      }
      Status st = registry.ValidateOptions(key, options);
      if (!st.ok()) return Status::InvalidArgument(source + ": " + st.message());
      continue;
    }
    const Field* field = FindField(key);
    if (field == nullptr) {
      return Status::InvalidArgument(source + ": unknown key '" + key +
                                     "'; allowed: " + FieldNames() +
                                     ", and a table per backend");
    }
    std::vector<Value> values;
    if (const toml::array* array = node.as_array()) {
      for (const toml::node& element : *array) {
        Result<Value> v = ValueFromNode(element);
        if (!v.ok()) {
          return KeyError(source, key, v.status().message(), field->allowed);
        }
        values.push_back(*v);
      }
    } else {
      Result<Value> v = ValueFromNode(node);
      if (!v.ok()) return KeyError(source, key, v.status().message(),
                                   field->allowed);
      values.push_back(*v);
    }
    Status st = SetField(scenario, *field, values, source);
    if (!st.ok()) return st;
  }
  if (table.contains("duration") && table.contains("ops")) {
    return Status::InvalidArgument(source + ": keys 'duration' and 'ops' "
                                   "exclude each other; allowed: one of them");
  }
  return Status::OK();
}

}  // namespace

Scenario DefaultScenario() {
  Scenario s;
  s.source = "(built-in default)";
  s.name = "default";
  s.description = "Short hot-key run on every available backend";
  s.strategies = {Strategy::kAtomic, Strategy::kLock, Strategy::kCas,
                  Strategy::kNaive};
  s.workers = {2};
  s.keys = {1};
  s.duration_ns = 500000000;
  return s;
}

Result<Scenario> ParseScenario(const std::string& toml_text,
                               const std::string& source,
                               const Registry& registry) {
  Scenario scenario;
  scenario.source = source;
  toml::table table;
  try {
    table = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(
        source + ":" + std::to_string(e.source().begin.line) + ": " +
        std::string(e.description()));
  }
  // Without a `backends` key a scenario runs on every available backend.
  Status st = ApplyTable(&scenario, table, source, registry);
  if (!st.ok()) return st;
  return scenario;
}

Result<Scenario> LoadScenarioFile(const std::string& path,
                                  const Registry& registry) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Status::InvalidArgument(path + ": cannot open scenario file: " +
                                   std::strerror(errno));
  }
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    text.append(buffer, n);
  }
  std::fclose(file);
  return ParseScenario(text, path, registry);
}

Status ApplyOverride(Scenario* scenario, const std::string& key,
                     const std::string& text, const std::string& flag) {
  const Field* field = FindField(key);
  if (field == nullptr) {
    return Status::InvalidArgument(flag + ": unknown key '" + key + "'");
  }
  std::vector<Value> values;
  // Free text stays whole; list fields are split at commas.
  if (field->list_allowed) {
    for (const std::string& part : SplitCommas(text)) {
      values.push_back(ValueFromText(part));
    }
  } else {
    values.push_back(ValueFromText(text));
  }
  if (key == "description" || key == "name") {
    values = {Value{}};
    values[0].s = text;
  }
  return SetField(scenario, *field, values, flag);
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
  OptionMap options = scenario->backend_options[backend];
  options[key] = assignment.substr(eq + 1);
  Status st = registry.ValidateOptions(backend, options);
  if (!st.ok()) return Status::InvalidArgument("--set " + assignment + ": " +
                                               st.message());
  scenario->backend_options[backend] = options;
  return Status::OK();
}

Status ValidateScenario(const Scenario& scenario, const Registry& registry) {
  const std::string& src = scenario.source;
  for (const std::string& b : scenario.backends) {
    if (registry.Find(b) == nullptr) {
      return Status::InvalidArgument(src + ": key 'backends': value \"" + b +
                                     "\" is not a backend; allowed: " +
                                     registry.Names());
    }
  }
  if (scenario.duration_ns == 0 && scenario.ops == 0) {
    return Status::InvalidArgument(src + ": neither 'duration' nor 'ops' is "
                                   "set; allowed: one of them");
  }
  return Status::OK();
}

}  // namespace ctrbench
