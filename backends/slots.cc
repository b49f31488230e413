#include "backends/slots.h"

#include "backends/options.h"

namespace ctrbench {

const std::vector<OptionSpec>& PaddingOptionSpecs() {
  static const std::vector<OptionSpec>* specs = new std::vector<OptionSpec>{
      BoolOption("padding", true,
                 "give each counter its own cache line (false packs them, "
                 "to show false sharing)")};
  return *specs;
}

Result<bool> ParsePaddingOption(const std::string& backend,
                                const OptionMap& options) {
  Result<OptionValues> v =
      OptionValues::Parse(backend, PaddingOptionSpecs(), options);
  if (!v.ok()) return v.status();
  return v->Bool("padding");
}

}  // namespace ctrbench
