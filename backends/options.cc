#include "backends/options.h"

#include <cstdlib>
#include <utility>

#include "counters/suggest.h"

namespace ctrbench {

OptionSpec IntOption(const std::string& name, long lo, long hi, long def,
                     const std::string& help, const std::string& lo_means) {
  OptionSpec spec;
  spec.name = name;
  spec.allowed = "an integer from " + std::to_string(lo) +
                 (lo_means.empty() ? "" : " (" + lo_means + ")") + " to " +
                 std::to_string(hi);
  spec.default_value = std::to_string(def);
  spec.help = help;
  spec.check = [lo, hi](const std::string& value) {
    long n = 0;
    return ParseIntOption(value, lo, hi, &n) ? Status::OK()
                                             : Status::InvalidArgument("");
  };
  return spec;
}

OptionSpec ChoiceOption(const std::string& name,
                        const std::vector<std::string>& choices,
                        const std::string& def, const std::string& help) {
  OptionSpec spec;
  spec.name = name;
  for (const std::string& c : choices) {
    spec.allowed += (spec.allowed.empty() ? "" : ", ") + c;
  }
  spec.default_value = def;
  spec.help = help;
  spec.choices = choices;
  spec.check = [choices](const std::string& value) {
    for (const std::string& c : choices) {
      if (value == c) return Status::OK();
    }
    return Status::InvalidArgument("");
  };
  return spec;
}

OptionSpec BoolOption(const std::string& name, bool def,
                      const std::string& help) {
  OptionSpec spec = ChoiceOption(name, {"true", "false"}, def ? "true" : "false",
                                 help);
  spec.allowed = "true or false";
  return spec;
}

OptionSpec TextOption(const std::string& name, const std::string& allowed,
                      const std::string& def, const std::string& help,
                      std::function<Status(const std::string&)> check,
                      bool sweep) {
  OptionSpec spec;
  spec.name = name;
  spec.allowed = allowed;
  spec.default_value = def;
  spec.help = help;
  spec.sweep = sweep;
  spec.commas = !sweep;
  spec.check = std::move(check);
  return spec;
}

Result<OptionValues> OptionValues::Parse(const std::string& backend,
                                         const std::vector<OptionSpec>& specs,
                                         const OptionMap& given) {
  OptionValues v;
  for (const OptionSpec& spec : specs) v.values_[spec.name] = spec.default_value;
  for (const auto& [key, value] : given) {
    const OptionSpec* spec = nullptr;
    std::vector<std::string> names;
    std::string allowed;
    for (const OptionSpec& s : specs) {
      if (s.name == key) spec = &s;
      names.push_back(s.name);
      allowed += (allowed.empty() ? "" : ", ") + s.name;
    }
    if (spec == nullptr) {
      return Status::InvalidArgument(
          "unknown option '" + backend + "." + key + "'" +
          DidYouMean(key, names) +
          "; allowed: " + (allowed.empty() ? "(none)" : allowed));
    }
    if (spec->check) {
      const Status st = spec->check(value);
      if (!st.ok()) {
        const std::string shown = spec->shown ? spec->shown(value) : value;
        return Status::InvalidArgument(
            "option '" + backend + "." + key + "': value '" + shown +
            "' is not allowed" + DidYouMean(value, spec->choices) +
            "; allowed: " + (st.message().empty() ? spec->allowed
                                                  : st.message()));
      }
    }
    v.values_[key] = value;
    v.given_.insert(key);
  }
  return v;
}

const std::string& OptionValues::Text(const std::string& name) const {
  static const std::string* const kNone = new std::string;
  const auto it = values_.find(name);
  return it == values_.end() ? *kNone : it->second;
}

int OptionValues::Int(const std::string& name) const {
  return std::atoi(Text(name).c_str());
}

bool OptionValues::Bool(const std::string& name) const {
  return Text(name) == "true";
}

Status OptionError(const std::string& backend, const std::string& key,
                   const std::string& value, const std::string& allowed) {
  return Status::InvalidArgument("option '" + backend + "." + key +
                                 "': value '" + value +
                                 "' is not allowed; allowed: " + allowed);
}

bool ParseIntOption(const std::string& text, long lo, long hi, long* out) {
  if (text.empty() || text.size() > 10 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  *out = std::strtol(text.c_str(), nullptr, 10);
  return *out >= lo && *out <= hi;
}

Status PipelineAllowed(const std::string& backend, int pipeline,
                       Strategy strategy, Kind kind) {
  if (pipeline > 1 && kind == Kind::kInventory) {
    return Status::InvalidArgument(
        backend + ".pipeline = " + std::to_string(pipeline) +
        " with kind inventory: not yet (each take is decided before the "
        "next is sent); allowed: pipeline = 1");
  }
  if (pipeline > 1 && strategy != Strategy::kAtomic) {
    return Status::InvalidArgument(
        backend + ".pipeline = " + std::to_string(pipeline) +
        " is allowed with atomic only: " + StrategyName(strategy) +
        " waits for each reply before its next request");
  }
  return Status::OK();
}

}  // namespace ctrbench
