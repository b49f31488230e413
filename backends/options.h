// Helpers for backends that validate their options: one wording for every
// "wrong value" message, and integer parsing with a range.

#ifndef CTRBENCH_BACKENDS_OPTIONS_H_
#define CTRBENCH_BACKENDS_OPTIONS_H_

#include <string>

#include "counters/backend.h"
#include "counters/status.h"

namespace ctrbench {

// "option 'BACKEND.KEY': value 'VALUE' is not allowed; allowed: ALLOWED".
Status OptionError(const std::string& backend, const std::string& key,
                   const std::string& value, const std::string& allowed);

// Parses a decimal integer in [lo, hi]; false for anything else.
bool ParseIntOption(const std::string& text, long lo, long hi, long* out);

// The `pipeline` option keeps requests in flight, which only the atomic
// strategy can do: the others wait for each reply before the next request.
Status PipelineAllowed(const std::string& backend, int pipeline,
                       Strategy strategy);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_OPTIONS_H_
