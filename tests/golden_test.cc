// What other tools read from ctrbench, pinned in golden files before the
// core is reshaped (issue 23): the CSV header, the JSON record's keys and
// value types (nested ones too), each backend's backend_options cell, and
// `ctrbench list`. A change to any of them fails here with what differs.
// When a change is meant, regenerate them and say so in the commit:
//
//   CTRBENCH_UPDATE_GOLDEN=1 build-test/golden_test

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "counters/csv.h"
#include "counters/sink.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::ReadFile;
using testing_util::TempDir;

std::string GoldenPath(const std::string& name) {
  return std::string(CTRBENCH_SOURCE_DIR) + "/tests/golden/" + name;
}

// Compares `actual` with golden file `name` (or writes it when asked).
void ExpectGolden(const std::string& name, const std::string& actual) {
  if (const char* update = std::getenv("CTRBENCH_UPDATE_GOLDEN")) {
    if (std::string(update) == "1") {
      std::ofstream(GoldenPath(name)) << actual;
      return;
    }
  }
  const std::string expected = ReadFile(GoldenPath(name));
  if (expected == actual) return;
  // The first line that differs, to say what changed.
  std::istringstream a(actual), e(expected);
  std::string la, le;
  int line = 0;
  while (true) {
    ++line;
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_e = static_cast<bool>(std::getline(e, le));
    if (!more_a && !more_e) break;
    if (!more_a || !more_e || la != le) {
      ADD_FAILURE() << "tests/golden/" << name << " line " << line
                    << ":\n  golden: " << (more_e ? le : "(end)")
                    << "\n  now:    " << (more_a ? la : "(end)")
                    << "\nIf the change is meant, regenerate with "
                       "CTRBENCH_UPDATE_GOLDEN=1 and say so.";
      return;
    }
  }
}

std::string TypeOf(const nlohmann::ordered_json& v) {
  if (v.is_number_integer()) return "integer";
  if (v.is_number_float()) return "float";
  return v.type_name();
}

// "key: type" for every key in the order written, nested ones as a.b,
// array elements as a[]
// (the first element standing for all).
void KeysAndTypes(const nlohmann::ordered_json& v, const std::string& prefix,
                  std::string* out) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
      *out += key + ": " + TypeOf(it.value()) + "\n";
      KeysAndTypes(it.value(), key, out);
    }
  } else if (v.is_array() && !v.empty()) {
    *out += prefix + "[]: " + TypeOf(v[0]) + "\n";
    KeysAndTypes(v[0], prefix + "[]", out);
  }
}

class GoldenTest : public ::testing::Test {
 protected:
  // Runs ctrbench with `args`; its exit status.
  int Run(const std::vector<std::string>& args) {
    const int code = testing_util::WaitExit(
        testing_util::SpawnCtrbench(dir_.path(), args));
    EXPECT_EQ(code, 0) << ReadFile(dir_.File("stderr.txt"));
    return code;
  }
  TempDir dir_, state_;
  testing_util::ScopedEnv state_env_{"CTRBENCH_STATE_DIR", state_.path()};
};

TEST_F(GoldenTest, CsvHeader) {
  std::string text;
  for (const std::string& column : CsvHeader()) text += column + "\n";
  ExpectGolden("csv_header.txt", text);
}

// A closed-loop run and an open-loop run at a share of capacity (whose
// rate stays the string "80%"): each run's record and its last interval's.
TEST_F(GoldenTest, JsonKeysAndValueTypes) {
  std::string text;
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
      {"closed loop", {"--ops", "3000"}},
      {"rate 80%", {"--rate", "80%", "--duration", "200ms"}}};
  for (const auto& [what, extra] : runs) {
    const std::string json = dir_.File("r.jsonl");
    std::remove(json.c_str());
    std::vector<std::string> args = {"run", "--backend", "inproc",
                                     "--strategy", "atomic", "--workers", "2",
                                     "--json", json, "--out", "-", "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_EQ(Run(args), 0);
    // The run's record is the last; its intervals' come before it.
    std::string last, interval, line;
    std::istringstream lines(ReadFile(json));
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      if (last.rfind("{\"type\":\"interval\"", 0) == 0) {
        interval = last;
      }
      last = line;
    }
    const nlohmann::ordered_json record =
        nlohmann::ordered_json::parse(last, nullptr, false);
    ASSERT_TRUE(record.is_object()) << last;
    text += "# " + what + "\n";
    KeysAndTypes(record, "", &text);
    const nlohmann::ordered_json point =
        nlohmann::ordered_json::parse(interval, nullptr, false);
    ASSERT_TRUE(point.is_object()) << interval;
    text += "# " + what + ": an interval of its series\n";
    KeysAndTypes(point, "", &text);
  }
  ExpectGolden("json_keys.txt", text);
}

TEST_F(GoldenTest, BackendOptionsCells) {
  std::string text;
  for (const char* backend :
       {"inproc", "shm", "sqlite", "manager", "redis", "postgres"}) {
    const std::string csv = dir_.File(std::string(backend) + ".csv");
    ASSERT_EQ(Run({"run", "--backend", backend, "--strategy", "atomic",
                   "--workers", "1", "--ops", "200", "--out", csv,
                   "--quiet"}),
              0);
    const auto rows = testing_util::ReadCsv(csv);
    ASSERT_EQ(rows.size(), 2u);
    text += std::string(backend) + ": " +
            testing_util::Column(rows, 1, "backend_options") + "\n";
  }
  ExpectGolden("backend_options.txt", text);
}

TEST_F(GoldenTest, List) {
  ASSERT_EQ(Run({"list"}), 0);
  ExpectGolden("list.txt", ReadFile(dir_.File("stdout.txt")));
}

// The README documents every option each backend declares (the
// declarations are what `ctrbench list` prints).
TEST(Readme, NamesEveryBackendOption) {
  const std::string readme =
      ReadFile(std::string(CTRBENCH_SOURCE_DIR) + "/README.md");
  ASSERT_FALSE(readme.empty());
  for (const BackendInfo& info : testing_util::BuiltinRegistry().backends()) {
    for (const OptionSpec& spec : info.options) {
      EXPECT_NE(readme.find("`" + spec.name + "`"), std::string::npos)
          << info.name << "." << spec.name << " is not in README.md";
    }
  }
}

// Each option declares the store's own default where the store has one,
// as a value the option takes (the store's behaviour can be asked for by
// name). The defaults decided in issue 24: the embedded PostgreSQL runs as
// PostgreSQL does by itself (durable); SQLite keeps the WAL with
// synchronous = normal and Redis keeps its snapshots off, both away from
// their stores' defaults (and so shown on every run line); an option of
// ctrbench's alone has no store default.
TEST(OptionDeclarations, DeclareTheStoresOwnDefaults) {
  const Registry& registry = testing_util::BuiltinRegistry();
  for (const BackendInfo& info : registry.backends()) {
    for (const OptionSpec& spec : info.options) {
      if (spec.store_default.empty() || !spec.check) continue;
      EXPECT_TRUE(spec.check(spec.store_default).ok())
          << info.name << "." << spec.name << ": " << spec.store_default;
    }
  }
  struct Expected {
    const char* backend;
    const char* option;
    const char* ctrbench;  // default_value
    const char* store;     // store_default
  };
  const Expected expected[] = {
      {"postgres", "fsync", "on", "on"},
      {"postgres", "synchronous_commit", "on", "on"},
      {"postgres", "full_page_writes", "on", "on"},
      {"postgres", "shared_buffers", "128MB", "128MB"},
      {"postgres", "max_connections", "auto", "100"},
      {"postgres", "deadlock_timeout_ms", "1000", "1000"},
      {"postgres", "isolation", "read_committed", "read_committed"},
      {"postgres", "pipeline", "1", ""},
      {"sqlite", "journal_mode", "wal", "delete"},
      {"sqlite", "synchronous", "normal", "full"},
      {"sqlite", "txn_ops", "1", ""},
      {"redis", "persistence", "off", "rdb"},
      {"redis", "pipeline", "1", ""},
      {"manager", "timeout_ms", "2000", ""},
      {"inproc", "padding", "true", ""},
  };
  for (const Expected& e : expected) {
    const BackendInfo* info = registry.Find(e.backend);
    if (info == nullptr) continue;  // Left out of this build.
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& o : info->options) {
      if (o.name == e.option) spec = &o;
    }
    ASSERT_NE(spec, nullptr) << e.backend << "." << e.option;
    EXPECT_EQ(spec->default_value, e.ctrbench) << e.backend << "." << e.option;
    EXPECT_EQ(spec->store_default, e.store) << e.backend << "." << e.option;
  }
}

}  // namespace
}  // namespace ctrbench
