#include "backends/slots.h"

namespace ctrbench {

Result<bool> ParsePaddingOption(const std::string& backend,
                                const OptionMap& options) {
  auto it = options.find("padding");
  if (it == options.end()) return true;
  if (it->second == "true") return true;
  if (it->second == "false") return false;
  return Status::InvalidArgument("option '" + backend + ".padding': value '" +
                                 it->second + "' is not allowed; allowed: " +
                                 "true or false");
}

}  // namespace ctrbench
