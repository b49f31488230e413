#include "backends/slots.h"

#include "backends/options.h"

namespace ctrbench {

Result<bool> ParsePaddingOption(const std::string& backend,
                                const OptionMap& options) {
  auto it = options.find("padding");
  if (it == options.end()) return true;
  if (it->second == "true") return true;
  if (it->second == "false") return false;
  return OptionError(backend, "padding", it->second, "true or false");
}

}  // namespace ctrbench
