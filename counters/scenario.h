// A scenario: what to run, as data. Loaded from a TOML file, every field
// overridable from the command line; any workload field given as a list is
// a sweep axis. Scenarios never know backends beyond their names and the
// option tables that the registry validates.
//
//   Result<Scenario> s = LoadScenarioFile("scenarios/hot_key.toml", registry);
//   Status st = ApplyOverride(&*s, "workers", "1,2,4", "--workers");

#ifndef CTRBENCH_COUNTERS_SCENARIO_H_
#define CTRBENCH_COUNTERS_SCENARIO_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/fields.h"
#include "counters/status.h"
#include "counters/workload.h"

namespace ctrbench {

struct Scenario {
  std::string source;  // The file it came from, for messages and the CSV.
  std::string name = "default";
  std::string description;
  std::vector<std::string> backends;  // Empty: every available backend.
  std::string backends_source;  // Where `backends` was set, for messages.
  int repeat = 1;
  // The run fields it sets (keys of RunFields()), each to one value or to a
  // list, which is a sweep axis. A field it does not set keeps RunConfig's
  // default.
  std::map<std::string, std::vector<Value>> fields = {
      {"duration", {ValueFromText("1s")}}};
  // Per backend, per option: one value, or a list for an option that is a
  // sweep axis ([sqlite] journal_mode = ["wal", "delete"]).
  std::map<std::string, std::map<std::string, std::vector<std::string>>>
      backend_options;
  // What the user should hear before the sweep starts (a flag given twice).
  std::vector<std::string> notes;
  // Backend options set with --set so far, to note a second one.
  std::map<std::string, std::string> set_flags;

  // The values of field `key`: those set, or the default's one value.
  std::vector<std::string> Values(const std::string& key) const;
};

// The short hot-key scenario `ctrbench run` uses without a file: every
// available backend, one counter, two threads.
Scenario DefaultScenario();

// Loads and validates a TOML scenario file. Errors are InvalidArgument with
// the file, the key, the value and what is allowed.
Result<Scenario> LoadScenarioFile(const std::string& path,
                                  const Registry& registry);
// Parses TOML text; `source` names it in messages.
Result<Scenario> ParseScenario(const std::string& toml_text,
                               const std::string& source,
                               const Registry& registry);

// Sets field `key` (as named in the TOML file) from command-line text: a
// comma-separated list where the field allows one. `flag` names the option
// in messages ("--workers"). Setting `duration` unsets `ops`, and back.
Status ApplyOverride(Scenario* scenario, const std::string& key,
                     const std::string& text, const std::string& flag);
// Applies --set backend.key=value; a comma-separated value of an option
// that is a sweep axis is a list. A later --set of the same option wins,
// with a note.
Status ApplyBackendOption(Scenario* scenario, const std::string& assignment,
                          const Registry& registry);

// Cross-field checks (duration or ops, backends known, options valid).
Status ValidateScenario(const Scenario& scenario, const Registry& registry);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_SCENARIO_H_
