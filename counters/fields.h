// Every field of a run, described once: its scenario key and command-line
// flag, how a value is checked and applied to a RunConfig, its CSV column,
// how it reads in the per-run line and in report labels, and whether
// `report` groups rows on it. Scenario parsing, sweep planning, the per-run
// line, the CSV writer and the report all read this one table, so adding a
// field means adding a RunConfig member and a row here.
//
//   const Field* f = FindRunField("workers");
//   RunConfig c;
//   Status st = f->apply(ValueFromText("4"), &c);   // c.workers == 4
//   std::string cell = f->cell(c);                  // "4"

#ifndef CTRBENCH_COUNTERS_FIELDS_H_
#define CTRBENCH_COUNTERS_FIELDS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "counters/csv.h"
#include "counters/run_config.h"
#include "counters/status.h"

namespace ctrbench {

// One value of a field, from TOML or from command-line text.
struct Value {
  enum class Type { kInt, kFloat, kString, kBool };
  Type type = Type::kString;
  int64_t i = 0;
  double d = 0;
  bool b = false;
  std::string s;

  // The value as text; ValueFromText(Text()) gives the value back.
  std::string Text() const;
  // How the value reads in a message: strings quoted, as in a file.
  std::string Quoted() const;
};

// Command-line text becomes the most specific type it reads as, so that
// "4" is an integer, "0.5" a number and "100us" a string.
Value ValueFromText(const std::string& text);

struct Field {
  enum class Show {
    kAlways,      // Always in the per-run line (strategy, workers...).
    kNonDefault,  // When it differs from a default RunConfig's.
    kSwept,       // Only when the sweep varies it (run length, seed).
  };

  const char* key;      // Scenario key and --set name: "read_fraction".
  const char* flag;     // Command-line flag: "--read-fraction".
  const char* help;     // For --help.
  const char* allowed;  // For messages: what a value may be.
  // What a run has when neither the scenario nor a flag sets it, as a flag
  // takes it ("1s", "uniform"); "" when there is none (ops: a timed run).
  // For --help; scenario_test.cc checks it against RunConfig's defaults.
  const char* default_value;
  bool axis;            // A list of values is a sweep axis.
  const char* column;   // Its CSV column.
  bool groups;          // `report` groups rows on its column.
  const char* label;    // Name in the per-run line and report labels ("" :
                        // the value alone, as for "lock" or "threads").
  const char* unit;     // Appended to the value there: "us", "s" or "".
  Show show;
  // Checks one value (InvalidArgument with a short reason) and applies it.
  std::function<Status(const Value&, RunConfig*)> apply;
  // The run's value where the field applies (ValueOf says where).
  std::function<Cell(const RunConfig&)> value;
  // Whether the field shapes a run with this configuration (null: always).
  // An axis of a field that does not (a counter's stock) does not repeat
  // the run: the plan keeps its first value only.
  std::function<bool(const RunConfig&)> applies = nullptr;

  // The run's value, its CSV cell and JSON value: null where the field
  // does not apply (a counter's stock).
  Cell ValueOf(const RunConfig& c) const {
    return applies && !applies(c) ? Cell() : value(c);
  }
  // The CSV cell for a run.
  std::string cell(const RunConfig& c) const { return ValueOf(c).Text(); }

  // "hold=100us", "threads": how a CSV cell of this field reads to a person.
  std::string Describe(const std::string& cell) const;
};

// The table, in sweep order: the first field is the outermost axis.
const std::vector<Field>& RunFields();
const Field* FindRunField(const std::string& key);
const Field* FindRunFieldByColumn(const std::string& column);
// "strategies, mode, hold, ..." for messages.
std::string RunFieldNames();

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_FIELDS_H_
