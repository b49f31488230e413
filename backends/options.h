// A backend's options, declared once: each declaration (IntOption,
// ChoiceOption, BoolOption, TextOption) holds the name, the allowed values
// as a check and as the text that messages, `ctrbench list` and the README
// show, the default, whether a list of values is a sweep axis, and the
// help; OptionSpec::WithStoreDefault adds the store's own default where
// the store has one. OptionValues::Parse checks what a user gave against
// them; a backend then reads typed values and never parses an option
// itself.
//
//   const std::vector<OptionSpec>& Specs() {
//     static const auto* specs = new std::vector<OptionSpec>{
//         IntOption("pipeline", 1, 1024, 1, "requests in flight"),
//         ChoiceOption("synchronous", {"off", "normal", "full"}, "normal",
//                      "PRAGMA synchronous")
//             .WithStoreDefault("full")};
//     return *specs;
//   }
//   Result<OptionValues> v = OptionValues::Parse("redis", Specs(), given);
//   int pipeline = v->Int("pipeline");

#ifndef CTRBENCH_BACKENDS_OPTIONS_H_
#define CTRBENCH_BACKENDS_OPTIONS_H_

#include <set>
#include <string>
#include <vector>

#include "counters/backend.h"
#include "counters/status.h"

namespace ctrbench {

// An integer from `lo` to `hi` ("an integer from 0 (none) to 16" with
// lo_means "none").
OptionSpec IntOption(const std::string& name, long lo, long hi, long def,
                     const std::string& help, const std::string& lo_means = "");
// One of `choices` ("wal, delete, truncate").
OptionSpec ChoiceOption(const std::string& name,
                        const std::vector<std::string>& choices,
                        const std::string& def, const std::string& help);
// true or false.
OptionSpec BoolOption(const std::string& name, bool def,
                      const std::string& help);
// Text that `check` accepts (see OptionSpec::check); `sweep` false for a
// value that may hold commas.
OptionSpec TextOption(const std::string& name, const std::string& allowed,
                      const std::string& def, const std::string& help,
                      std::function<Status(const std::string&)> check,
                      bool sweep = false);

// The value of a server's address option (url, address) when none is
// given: the run starts a server of its own. One text for every backend,
// as `backend_options` cells and `ctrbench list` show it.
inline constexpr char kEmbeddedServer[] = "(embedded)";

// The values of a backend's options: each one given, checked against its
// declaration, else its default.
class OptionValues {
 public:
  // Checks `given` against `specs`: an unknown name (with a "did you
  // mean") or a value its declaration does not allow is InvalidArgument,
  // "option 'BACKEND.KEY': value 'VALUE' is not allowed; allowed: ...".
  static Result<OptionValues> Parse(const std::string& backend,
                                    const std::vector<OptionSpec>& specs,
                                    const OptionMap& given);

  bool Given(const std::string& name) const { return given_.count(name) > 0; }
  const std::string& Text(const std::string& name) const;
  int Int(const std::string& name) const;  // Of an IntOption.
  bool Bool(const std::string& name) const;
  // Every declared option: as given, else its default. A backend's
  // EffectiveOptions starts from it and resolves what it found out.
  const OptionMap& Effective() const { return values_; }

 private:
  OptionMap values_;
  std::set<std::string> given_;
};

// "option 'BACKEND.KEY': value 'VALUE' is not allowed; allowed: ALLOWED".
Status OptionError(const std::string& backend, const std::string& key,
                   const std::string& value, const std::string& allowed);

// Parses a decimal integer in [lo, hi]; false for anything else.
bool ParseIntOption(const std::string& text, long lo, long hi, long* out);

// The `pipeline` option keeps requests in flight, which only the atomic
// strategy can do: the others wait for each reply before the next request
// (and, for now, so does a take of kind inventory).
Status PipelineAllowed(const std::string& backend, int pipeline,
                       Strategy strategy, Kind kind);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_OPTIONS_H_
