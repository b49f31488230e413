#include "counters/scenario.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <set>

#include "backends/builtin.h"
#include "counters/sweep.h"

namespace ctrbench {
namespace {

class ScenarioTest : public ::testing::Test {
 protected:
  ScenarioTest() { RegisterBuiltinBackends(&registry_); }

  Result<Scenario> Parse(const std::string& text) {
    return ParseScenario(text, "test.toml", registry_);
  }
  // The message of a parse that must fail.
  std::string Error(const std::string& text) {
    Result<Scenario> s = Parse(text);
    EXPECT_FALSE(s.ok()) << text;
    if (s.ok()) return "";
    EXPECT_TRUE(s.status().IsInvalidArgument());
    return s.status().message();
  }

  Registry registry_;
};

TEST_F(ScenarioTest, ParsesEveryField) {
  Result<Scenario> s = Parse(R"(
name = "full"
description = "every field"
backends = ["inproc", "shm"]
strategies = ["atomic", "cas"]
workers = [1, 2, 4]
mode = "threads"
keys = 1024
distribution = ["uniform", "zipf:0.99", "hotspot:0.1:0.9"]
duration = "500ms"
warmup = "100ms"
batch = [1, 10]
shards = 4
read_fraction = 0.25
hold = ["0", "100us"]
think = "10us"
repeat = 3
seed = 7
[shm]
padding = false
)");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "full");
  EXPECT_EQ(s->backends, (std::vector<std::string>{"inproc", "shm"}));
  EXPECT_EQ(s->strategies,
            (std::vector<Strategy>{Strategy::kAtomic, Strategy::kCas}));
  EXPECT_EQ(s->workers, (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(s->keys, (std::vector<uint32_t>{1024}));
  ASSERT_EQ(s->distributions.size(), 3u);
  EXPECT_EQ(s->distributions[1].ToString(), "zipf:0.99");
  EXPECT_EQ(s->duration_ns, 500000000);
  EXPECT_EQ(s->warmup_ns, 100000000);
  EXPECT_EQ(s->batch, (std::vector<int>{1, 10}));
  EXPECT_EQ(s->shards, (std::vector<int>{4}));
  EXPECT_EQ(s->read_fractions, (std::vector<double>{0.25}));
  EXPECT_EQ(s->hold_ns, (std::vector<int64_t>{0, 100000}));
  EXPECT_EQ(s->think_ns, (std::vector<int64_t>{10000}));
  EXPECT_EQ(s->repeat, 3);
  EXPECT_EQ(s->seed, 7u);
  EXPECT_EQ(s->backend_options["shm"]["padding"], "false");
}

TEST_F(ScenarioTest, OpsReplacesDuration) {
  Result<Scenario> s = Parse("ops = 1000\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->ops, 1000);
  EXPECT_EQ(s->duration_ns, 0);
  EXPECT_NE(Error("ops = 10\nduration = \"1s\"\n").find("exclude each other"),
            std::string::npos);
}

TEST_F(ScenarioTest, RejectsUnknownKeysNamingTheAllowedOnes) {
  const std::string msg = Error("wrokers = 2\n");
  EXPECT_NE(msg.find("test.toml"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'wrokers'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("workers"), std::string::npos) << msg;
}

TEST_F(ScenarioTest, RejectsWrongTypesAndRanges) {
  struct Case {
    const char* text;
    const char* key;
    const char* fragment;
  };
  const Case cases[] = {
      {"workers = \"2\"\n", "'workers'", "not an integer"},
      {"workers = 0\n", "'workers'", "out of range"},
      {"workers = [1, 2000]\n", "'workers'", "out of range"},
      {"keys = 1.5\n", "'keys'", "not an integer"},
      {"mode = \"fibers\"\n", "'mode'", "threads or processes"},
      {"strategies = [\"atomic\", \"yolo\"]\n", "'strategies'", "\"yolo\""},
      {"distribution = \"zipf:-1\"\n", "'distribution'", "zipf:THETA"},
      {"duration = \"3 hours\"\n", "'duration'", "not a duration"},
      {"duration = 3\n", "'duration'", "not a duration string"},
      {"hold = \"2s\"\n", "'hold'", "out of range"},
      {"read_fraction = 1.5\n", "'read_fraction'", "out of range"},
      {"repeat = [1, 2]\n", "'repeat'", "a list is not allowed"},
      {"batch = []\n", "'batch'", "an empty list"},
      {"name = \"a b\"\n", "'name'", "not allowed"},
  };
  for (const Case& c : cases) {
    const std::string msg = Error(c.text);
    EXPECT_NE(msg.find("test.toml"), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.key), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.fragment), std::string::npos) << msg;
    EXPECT_NE(msg.find("allowed:"), std::string::npos) << msg;
  }
}

TEST_F(ScenarioTest, ValidatesBackendTables) {
  std::string msg = Error("[shm]\npadding = 3\n");
  EXPECT_NE(msg.find("shm.padding"), std::string::npos) << msg;
  EXPECT_NE(msg.find("true or false"), std::string::npos) << msg;
  msg = Error("[shm]\nsize = 3\n");
  EXPECT_NE(msg.find("unknown option 'shm.size'"), std::string::npos) << msg;
  msg = Error("[mongo]\nx = 1\n");
  EXPECT_NE(msg.find("[mongo]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("inproc"), std::string::npos) << msg;
}

TEST_F(ScenarioTest, ReportsTomlSyntaxErrorsWithTheLine) {
  const std::string msg = Error("name = \"x\"\nworkers = [1,\n");
  EXPECT_NE(msg.find("test.toml:"), std::string::npos) << msg;
}

TEST_F(ScenarioTest, UnknownBackendNamesAreCaughtAtValidation) {
  Result<Scenario> s = Parse("backends = [\"inproc\", \"mongo\"]\n");
  ASSERT_TRUE(s.ok());
  Status st = ValidateScenario(*s, registry_);
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_NE(st.message().find("\"mongo\""), std::string::npos);
}

TEST_F(ScenarioTest, CommandLineOverridesSplitLists) {
  Scenario s = DefaultScenario();
  ASSERT_TRUE(ApplyOverride(&s, "workers", "1,2,4", "--workers").ok());
  EXPECT_EQ(s.workers, (std::vector<int>{1, 2, 4}));
  ASSERT_TRUE(ApplyOverride(&s, "hold", "0,100us", "--hold").ok());
  EXPECT_EQ(s.hold_ns, (std::vector<int64_t>{0, 100000}));
  ASSERT_TRUE(ApplyOverride(&s, "read_fraction", "1", "--read-fraction").ok());
  EXPECT_EQ(s.read_fractions, (std::vector<double>{1.0}));
  ASSERT_TRUE(ApplyOverride(&s, "ops", "500", "--ops").ok());
  EXPECT_EQ(s.duration_ns, 0);
  Status st = ApplyOverride(&s, "workers", "two", "--workers");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("--workers"), std::string::npos);
  EXPECT_NE(st.message().find("\"two\""), std::string::npos);
}

TEST_F(ScenarioTest, SetValidatesBackendOptions) {
  Scenario s = DefaultScenario();
  ASSERT_TRUE(ApplyBackendOption(&s, "shm.padding=false", registry_).ok());
  EXPECT_EQ(s.backend_options["shm"]["padding"], "false");
  EXPECT_FALSE(ApplyBackendOption(&s, "shm.padding=maybe", registry_).ok());
  EXPECT_FALSE(ApplyBackendOption(&s, "nope.x=1", registry_).ok());
  EXPECT_FALSE(ApplyBackendOption(&s, "padding=false", registry_).ok());
  EXPECT_EQ(s.backend_options["shm"]["padding"], "false");
}

TEST_F(ScenarioTest, ShippedScenariosParse) {
  for (const char* name :
       {"hot_key", "spread", "skewed", "lost_updates", "row_lock"}) {
    const std::string path =
        std::string(CTRBENCH_SOURCE_DIR) + "/scenarios/" + name + ".toml";
    Result<Scenario> s = LoadScenarioFile(path, registry_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_TRUE(ValidateScenario(*s, registry_).ok()) << path;
  }
  // And every lab scenario plans a sweep.
  const std::string lab = std::string(CTRBENCH_SOURCE_DIR) + "/scenarios/lab";
  DIR* dir = opendir(lab.c_str());
  ASSERT_NE(dir, nullptr);
  int files = 0;
  while (dirent* e = readdir(dir)) {
    const std::string name = e->d_name;
    if (name.size() < 5 || name.substr(name.size() - 5) != ".toml") continue;
    Result<Scenario> s = LoadScenarioFile(lab + "/" + name, registry_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    Result<SweepPlan> plan = PlanSweep(*s, registry_);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    ++files;
  }
  closedir(dir);
  EXPECT_GE(files, 6);
}

TEST_F(ScenarioTest, WithoutBackendsEveryRegisteredBackendRuns) {
  Result<Scenario> s = Parse("ops = 10\n");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->backends.empty());
  Result<SweepPlan> plan = PlanSweep(*s, registry_);
  ASSERT_TRUE(plan.ok());
  std::set<std::string> backends;
  for (const RunConfig& c : plan->runs) backends.insert(c.backend);
  std::set<std::string> expected;
  for (const BackendInfo& b : registry_.backends()) {
    if (!b.available || b.available({}).ok()) expected.insert(b.name);
  }
  EXPECT_EQ(backends, expected);
}

}  // namespace
}  // namespace ctrbench
