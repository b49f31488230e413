// Fuzz target for report's readers: any bytes, read as a results file (CSV
// or JSON Lines), must give rows or an InvalidArgument, and the rows must
// summarize, without a crash or a read past the input.
//
//   scripts/fuzz.sh             # builds with clang and runs each target

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "counters/report.h"

namespace ctrbench {

int FuzzResults(const uint8_t* data, size_t size) {
  std::stringbuf in(std::string(reinterpret_cast<const char*>(data), size));
  Summarizer summarizer;
  const Status st =
      ReadResultsFrom(&in, "fuzz", [&summarizer](ResultRow&& row) {
        return summarizer.Add(row);
      });
  if (!st.ok() && !st.IsInvalidArgument()) std::abort();
  summarizer.Finish();
  return 0;
}

}  // namespace ctrbench

#ifdef CTRBENCH_FUZZ_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ctrbench::FuzzResults(data, size);
}
#endif
