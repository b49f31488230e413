// "Did you mean ...?" for mistyped names: flags, subcommands, backends,
// strategies, scenario keys and backend options.
//
//   std::string hint = DidYouMean("wrokers", {"workers", "keys"});
//   // hint == " (did you mean 'workers'?)"

#ifndef CTRBENCH_COUNTERS_SUGGEST_H_
#define CTRBENCH_COUNTERS_SUGGEST_H_

#include <string>
#include <vector>

namespace ctrbench {

// The candidate closest to `word` (edit distance, a swap of neighbours
// counting once, ignoring case), or "" when none is close: at most a third
// of the word's length away, or a candidate that starts with the word.
std::string Closest(const std::string& word,
                    const std::vector<std::string>& candidates);

// " (did you mean 'X'?)" for the closest candidate, or "".
std::string DidYouMean(const std::string& word,
                       const std::vector<std::string>& candidates);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SUGGEST_H_
