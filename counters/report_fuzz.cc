// Fuzz target for report's readers: any bytes, read as a results file (CSV
// or JSON Lines), must give rows or an InvalidArgument, and the rows must
// summarize and make report.html, without a crash or a read past the
// input.
//
//   scripts/fuzz.sh             # builds with clang and runs each target

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "counters/report.h"
#include "counters/report_html.h"

namespace ctrbench {

int FuzzResults(const uint8_t* data, size_t size) {
  std::stringbuf in(std::string(reinterpret_cast<const char*>(data), size));
  Summarizer summarizer;
  RunSeries series;
  const Status st = ReadResultsFrom(&in, "fuzz", [&](ResultRow&& row) {
    series.Add(row);
    return summarizer.Add(row);
  });
  if (!st.ok() && !st.IsInvalidArgument()) std::abort();
  const std::vector<GroupSummary> groups = summarizer.Finish();
  // And report.html of them, with a stand-in for the chart library so
  // that every chart's data is made.
  ChartLibrary library;
  library.source = "Chart";
  ReportOutput out;
  ReportHtml({"fuzz"}, groups, Tables(groups), series, library, &out);
  return 0;
}

}  // namespace ctrbench

#ifdef CTRBENCH_FUZZ_MAIN
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ctrbench::FuzzResults(data, size);
}
#endif
