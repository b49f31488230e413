#include "backends/options.h"

#include <cstdlib>

namespace ctrbench {

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
                       Strategy strategy) {
  if (pipeline > 1 && strategy != Strategy::kAtomic) {
    return Status::InvalidArgument(
        backend + ".pipeline = " + std::to_string(pipeline) +
        " is allowed with atomic only: " + StrategyName(strategy) +
        " waits for each reply before its next request");
  }
  return Status::OK();
}

}  // namespace ctrbench
