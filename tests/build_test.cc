// What a build has: `ctrbench list` names every backend this build
// registers, and each store it left out (its client library was missing,
// or turned off) with the reason; asking for a store left out is exit 2
// saying so. Runs in every build, the in-memory-only one included.

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::ReadFile;
using testing_util::TempDir;

class BuildTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args) {
    return testing_util::WaitExit(
        testing_util::SpawnCtrbench(dir_.path(), args));
  }
  std::string Out() { return ReadFile(dir_.File("stdout.txt")); }
  std::string Err() { return ReadFile(dir_.File("stderr.txt")); }

  TempDir dir_, state_;
  testing_util::ScopedEnv state_env_{"CTRBENCH_STATE_DIR", state_.path()};
};

TEST_F(BuildTest, ListSaysWhatThisBuildHasAndWhatItLeftOut) {
  const Registry& registry = testing_util::BuiltinRegistry();
  ASSERT_EQ(Run({"list"}), 0) << Err();
  const std::string out = Out();
  for (const BackendInfo& b : registry.backends()) {
    EXPECT_NE(out.find(b.name + "\n  " + b.description), std::string::npos)
        << b.name;
  }
  for (const auto& [name, why] : registry.left_out()) {
    EXPECT_NE(out.find(name + "\n  not in this build: " + why),
              std::string::npos)
        << out;
  }
  // The in-memory backends and ctrbench's own server need no library.
  EXPECT_NE(registry.Find("inproc"), nullptr);
  EXPECT_NE(registry.Find("shm"), nullptr);
  EXPECT_NE(registry.Find("manager"), nullptr);
  EXPECT_EQ(registry.backends().size() + registry.left_out().size(), 6u);
}

TEST_F(BuildTest, AStoreLeftOutIsAClearError) {
  const Registry& registry = testing_util::BuiltinRegistry();
  if (registry.left_out().empty()) {
    GTEST_SKIP() << "this build has every store";
  }
  const auto& [name, why] = registry.left_out().front();
  EXPECT_EQ(Run({"run", "--backend", name, "--ops", "10", "--out", "-",
                 "--quiet"}),
            2);
  EXPECT_NE(Err().find("\"" + name + "\" is not a backend (not in this "
                       "build: " + why),
            std::string::npos)
      << Err();
}

// A scenario's table of a store left out (the lab's [postgres] settings in
// a build without libpq) is skipped with a note: the scenario's other
// backends still run.
TEST_F(BuildTest, ATableOfAStoreLeftOutIsSkippedWithANote) {
  const Registry& registry = testing_util::BuiltinRegistry();
  if (registry.left_out().empty()) {
    GTEST_SKIP() << "this build has every store";
  }
  const std::string& name = registry.left_out().front().first;
  std::ofstream(dir_.File("s.toml"))
      << "backends = [\"inproc\"]\nops = 10\n[" << name
      << "]\nsome_option = \"off\"\n";
  ASSERT_EQ(Run({"run", "s.toml", "--out", "-", "--quiet"}), 0) << Err();
  EXPECT_NE(Err().find("table [" + name + "] is skipped (not in this build"),
            std::string::npos)
      << Err();
}

// The in-memory backends, which every build has, run and verify.
TEST_F(BuildTest, TheInMemoryBackendsRunInEveryBuild) {
  for (const char* name : {"inproc", "shm"}) {
    const std::string csv = dir_.File(std::string(name) + ".csv");
    ASSERT_EQ(Run({"run", "--backend", name, "--strategy", "atomic",
                   "--workers", "2", "--ops",
                   "2000", "--out", csv, "--quiet"}),
              0)
        << Err();
    const auto rows = testing_util::ReadCsv(csv);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(testing_util::Column(rows, 1, "verified"), "true");
  }
}

}  // namespace
}  // namespace ctrbench
