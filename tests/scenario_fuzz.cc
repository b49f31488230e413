// Fuzz target for the scenario loader: any text must parse into a valid
// scenario or an InvalidArgument, never crash, hang or exhaust the stack
// (toml++ recurses per level of nesting; CheckNesting stops that first).
//
//   scripts/fuzz.sh             # builds with clang and runs each target

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "backends/builtin.h"
#include "counters/fields.h"
#include "counters/scenario.h"

namespace ctrbench {

int FuzzScenario(const uint8_t* data, size_t size) {
  static const Registry* registry = [] {
    auto* r = new Registry;
    RegisterBuiltinBackends(r);
    return r;
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  Result<Scenario> s = ParseScenario(text, "fuzz.toml", *registry);
  if (!s.ok()) {
    if (!s.status().IsInvalidArgument()) std::abort();
    return 0;
  }
  // What parses has only values the run fields accept.
  for (const auto& [key, values] : s->fields) {
    const Field* f = FindRunField(key);
    if (f == nullptr || values.empty()) std::abort();
    RunConfig c;
    for (const Value& v : values) {
      if (!f->apply(v, &c).ok()) std::abort();
    }
  }
  ValidateScenario(*s, *registry).ok();
  return 0;
}

}  // namespace ctrbench

#ifdef CTRBENCH_FUZZ_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ctrbench::FuzzScenario(data, size);
}
#endif
