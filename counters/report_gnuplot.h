// Runs gnuplot for `report`: on a script in the report's stage directory,
// where every name the script reads and writes is, with its messages kept
// for the error when it fails. Internal to report (counters/report*.cc).

#ifndef CTRBENCH_COUNTERS_REPORT_GNUPLOT_H_
#define CTRBENCH_COUNTERS_REPORT_GNUPLOT_H_

#include <string>

#include "counters/files.h"
#include "counters/status.h"

namespace ctrbench {

// Runs program `gnuplot` on `script` (a name in dir's stage); an IOError
// with the exit status and the start of gnuplot's messages when it fails.
// The messages of a run that worked (warnings) are not kept.
Status RunGnuplot(const std::string& gnuplot, OutputDir* dir,
                  const std::string& script);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_REPORT_GNUPLOT_H_
