#include "counters/scenario.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "backends/builtin.h"
#include "backends/options.h"
#include "counters/plan.h"
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
  EXPECT_EQ(s->Values("strategies"),
            (std::vector<std::string>{"atomic", "cas"}));
  EXPECT_EQ(s->Values("workers"), (std::vector<std::string>{"1", "2", "4"}));
  EXPECT_EQ(s->Values("distribution"),
            (std::vector<std::string>{"uniform", "zipf:0.99",
                                      "hotspot:0.1:0.9"}));
  EXPECT_EQ(s->Values("hold"), (std::vector<std::string>{"0", "100us"}));
  EXPECT_EQ(s->repeat, 3);
  EXPECT_EQ(s->backend_options["shm"]["padding"],
            std::vector<std::string>{"false"});
  // Planned: every combination, each field applied to its RunConfig.
  Result<SweepPlan> plan = PlanSweep(*s, registry_);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  // 3 repeats x 2 backends x 2 strategies (atomic with hold is skipped on
  // one of the 2 holds) x 3 workers x 3 distributions x 2 batches.
  EXPECT_EQ(plan->runs.size(), 3u * 2 * 3 * 3 * 3 * 2);
  const RunConfig& c = plan->runs.back();
  EXPECT_EQ(c.backend, "shm");
  EXPECT_EQ(c.options.at("padding"), "false");
  EXPECT_EQ(c.strategy, Strategy::kCas);
  EXPECT_EQ(c.workers, 4);
  EXPECT_EQ(c.keys, 1024u);
  EXPECT_EQ(c.distribution.ToString(), "hotspot:0.1:0.9");
  EXPECT_EQ(c.duration_ns, 500000000);
  EXPECT_EQ(c.ops, 0);
  EXPECT_EQ(c.warmup_ns, 100000000);
  EXPECT_EQ(c.batch, 10);
  EXPECT_EQ(c.shards, 4);
  EXPECT_EQ(c.read_fraction, 0.25);
  EXPECT_EQ(c.hold_ns, 100000);
  EXPECT_EQ(c.think_ns, 10000);
  EXPECT_EQ(c.repetition, 3);
  EXPECT_EQ(c.seed, 7u);
  // Repetitions are outermost, so that repeated runs interleave.
  EXPECT_EQ(plan->runs.front().repetition, 1);
  EXPECT_EQ(plan->runs[plan->runs.size() / 3].repetition, 2);
}

TEST_F(ScenarioTest, OpsReplacesDuration) {
  Result<Scenario> s = Parse("ops = 1000\n");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->Values("ops"), std::vector<std::string>{"1000"});
  EXPECT_TRUE(s->Values("duration").empty());
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

TEST_F(ScenarioTest, RateAndThinkExcludeEachOther) {
  Result<Scenario> s = Parse(
      "duration = \"1s\"\nrate = [0, 5000]\nthink = [\"0\", \"10us\"]\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Status st = ValidateScenario(*s, registry_);
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_NE(st.message().find("'rate' and 'think'"), std::string::npos)
      << st.message();
  s = Parse("duration = \"1s\"\nrate = 5000\narrival = \"poisson\"\n"
            "latency_limit = \"2ms\"\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(ValidateScenario(*s, registry_).ok());
  EXPECT_FALSE(Parse("duration = \"1s\"\narrival = \"bursty\"\n").ok());
  EXPECT_FALSE(Parse("duration = \"1s\"\nrate = -5\n").ok());
}

TEST_F(ScenarioTest, InventoryRefusesWhatChangesATake) {
  for (const char* other :
       {"batch = [1, 10]", "shards = 4", "flush_every = \"10ms\""}) {
    Result<Scenario> s = Parse(std::string("duration = \"1s\"\n"
                                           "kind = \"inventory\"\n") +
                               other + "\n");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    const Status st = ValidateScenario(*s, registry_);
    EXPECT_TRUE(st.IsInvalidArgument()) << other;
    EXPECT_NE(st.message().find("key 'kind' = \"inventory\" and"),
              std::string::npos)
        << st.message();
  }
  Result<Scenario> s = Parse(
      "duration = \"1s\"\nkind = [\"counter\", \"inventory\"]\n"
      "stock = [10, 1000]\nbackends = [\"inproc\"]\n"
      "strategies = \"atomic\"\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(ValidateScenario(*s, registry_).ok());
  // A counter has no stock: one counter run, not one per stock.
  Result<SweepPlan> plan = PlanSweep(*s, registry_);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->runs.size(), 3u);
  EXPECT_EQ(plan->runs[0].kind, Kind::kCounter);
  EXPECT_EQ(plan->runs[1].stock, 10);
  EXPECT_EQ(plan->runs[2].stock, 1000);
  // A kind it does not know, and a stock out of range.
  EXPECT_NE(Error("duration = \"1s\"\nkind = \"inventry\"\n")
                .find("did you mean 'inventory'"),
            std::string::npos)
      << Error("duration = \"1s\"\nkind = \"inventry\"\n");
  EXPECT_NE(Error("duration = \"1s\"\nstock = 0\n").find("'stock'"),
            std::string::npos);
}

// take = compensate is a way of atomic's: other strategies skip it with a
// note; a counter's runs are not repeated by a take axis.
TEST_F(ScenarioTest, CompensateIsAtomicsAndCountersHaveNoTake) {
  Result<Scenario> s = Parse(
      "duration = \"1s\"\nkind = [\"counter\", \"inventory\"]\n"
      "take = [\"conditional\", \"compensate\"]\n"
      "backends = [\"inproc\"]\nstrategies = [\"atomic\", \"lock\"]\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<SweepPlan> plan = PlanSweep(*s, registry_);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  // Counters: atomic and lock; inventory: atomic twice, lock conditional.
  EXPECT_EQ(plan->runs.size(), 5u);
  bool noted = false;
  for (const std::string& note : plan->notes) {
    noted |= note.find("take = compensate with lock") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

// shard_by picks among a key's shards: with one shard its axis does not
// repeat the run; with connections it is refused (they share a CPU).
TEST_F(ScenarioTest, ShardByNeedsShardsAndRefusesConnections) {
  Result<Scenario> s = Parse(
      "duration = \"1s\"\nshards = [1, 4]\n"
      "shard_by = [\"worker\", \"cpu\", \"adaptive\"]\n"
      "backends = [\"inproc\"]\nstrategies = \"cas\"\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(ValidateScenario(*s, registry_).ok());
  Result<SweepPlan> plan = PlanSweep(*s, registry_);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->runs.size(), 4u);  // shards 1 once, shards 4 three ways.
  EXPECT_EQ(plan->runs[0].shards, 1);
  EXPECT_EQ(plan->runs[3].shard_by, ShardBy::kAdaptive);
  s = Parse("duration = \"1s\"\nconnections = 4\nshard_by = \"cpu\"\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const Status st = ValidateScenario(*s, registry_);
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_NE(st.message().find("'connections' > 1 and 'shard_by'"),
            std::string::npos)
      << st.message();
  EXPECT_NE(Error("duration = \"1s\"\nshard_by = \"core\"\n")
                .find("allowed: worker, cpu or adaptive"),
            std::string::npos)
      << Error("duration = \"1s\"\nshard_by = \"core\"\n");
}

// [[phase]] tables become the phases field; they give the run its length
// and rate, so duration, ops and rate with them are refused.
TEST_F(ScenarioTest, PhaseTablesGiveTheRunItsLengthAndRate) {
  Result<Scenario> s = Parse(
      "backends = [\"inproc\"]\nstrategies = \"atomic\"\n"
      "[[phase]]\nrate = 2000\nduration = \"1s\"\n"
      "[[phase]]\nrate = \"150%\"\nduration = \"500ms\"\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(ValidateScenario(*s, registry_).ok());
  Result<SweepPlan> plan = PlanSweep(*s, registry_);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->runs.size(), 1u);
  const RunConfig& c = plan->runs[0];
  ASSERT_EQ(c.stages.size(), 2u);
  EXPECT_EQ(c.duration_ns, 1500000000);
  EXPECT_EQ(c.stages[0].rate, 2000);
  EXPECT_DOUBLE_EQ(c.stages[1].rate_share, 1.5);
  EXPECT_GT(c.rate_share, 0);  // A share: the sweep measures capacity.
  EXPECT_EQ(FindRunField("phases")->cell(c), "2000/s 1s; 150% 500ms");

  EXPECT_NE(Error("duration = \"1s\"\n[[phase]]\nduration = \"1s\"\n")
                .find("[[phase]] tables and key 'duration'"),
            std::string::npos);
  EXPECT_NE(Error("duration = \"1s\"\nphases = \"100/s 1s\"\n")
                .find("key 'phases' and key 'duration'"),
            std::string::npos);
  EXPECT_NE(Error("[[phase]]\nduration = \"1s\"\nspeed = 3\n")
                .find("key 'phase.speed'"),
            std::string::npos);
  EXPECT_NE(Error("phase = 3\n").find("[[phase]] tables"),
            std::string::npos);
  EXPECT_NE(Error("[[phase]]\nrate = 5\n").find("has no duration"),
            std::string::npos);
  for (const char* other : {"rate = 5000", "connections = 4"}) {
    s = Parse(std::string(other) +
              "\n[[phase]]\nrate = 100\nduration = \"1s\"\n");
    ASSERT_TRUE(s.ok()) << other << ": " << s.status().ToString();
    const Status st = ValidateScenario(*s, registry_);
    EXPECT_TRUE(st.IsInvalidArgument()) << other;
    EXPECT_NE(st.message().find("'phases' and"), std::string::npos)
        << st.message();
  }
}

TEST_F(ScenarioTest, FlushEveryAndBatchExcludeEachOther) {
  Result<Scenario> s = Parse(
      "duration = \"1s\"\nflush_every = \"100ms\"\nbatch = [1, 8]\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Status st = ValidateScenario(*s, registry_);
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_NE(st.message().find("'flush_every' and 'batch'"), std::string::npos)
      << st.message();
  s = Parse("duration = \"1s\"\nflush_every = \"100ms\"\nbatch = 1\n");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(ValidateScenario(*s, registry_).ok());
}

TEST_F(ScenarioTest, CommandLineOverridesSplitLists) {
  Scenario s = DefaultScenario();
  ASSERT_TRUE(ApplyOverride(&s, "workers", "1,2,4", "--workers").ok());
  EXPECT_EQ(s.Values("workers"), (std::vector<std::string>{"1", "2", "4"}));
  ASSERT_TRUE(ApplyOverride(&s, "hold", "0,100us", "--hold").ok());
  EXPECT_EQ(s.Values("hold"), (std::vector<std::string>{"0", "100us"}));
  ASSERT_TRUE(ApplyOverride(&s, "read_fraction", "1", "--read-fraction").ok());
  EXPECT_EQ(s.Values("read_fraction"), std::vector<std::string>{"1"});
  ASSERT_TRUE(ApplyOverride(&s, "ops", "500", "--ops").ok());
  EXPECT_TRUE(s.Values("duration").empty());
  Status st = ApplyOverride(&s, "workers", "two", "--workers");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("--workers"), std::string::npos);
  EXPECT_NE(st.message().find("\"two\""), std::string::npos);
}

// Run length and seed are sweep axes like any workload field.
TEST_F(ScenarioTest, RunLengthFieldsSweep) {
  Scenario s = DefaultScenario();
  s.fields.erase("strategies");
  ASSERT_TRUE(ApplyOverride(&s, "backends", "inproc", "--backend").ok());
  ASSERT_TRUE(ApplyOverride(&s, "duration", "100ms,200ms", "--duration").ok());
  ASSERT_TRUE(ApplyOverride(&s, "seed", "1,2,3", "--seed").ok());
  ASSERT_TRUE(ApplyOverride(&s, "warmup", "0,10ms", "--warmup").ok());
  Result<SweepPlan> plan = PlanSweep(s, registry_);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->runs.size(), 12u);
  std::set<std::tuple<int64_t, uint64_t, int64_t>> seen;
  for (const RunConfig& c : plan->runs) {
    seen.insert({c.duration_ns, c.seed, c.warmup_ns});
  }
  EXPECT_EQ(seen.size(), 12u);
  EXPECT_NE(DescribeRun(plan->runs[0], plan->swept).find("duration=0.1s"),
            std::string::npos)
      << DescribeRun(plan->runs[0], plan->swept);
}

// Backend options sweep too, from a TOML array or from --set with commas;
// options whose values may hold commas are never split.
TEST_F(ScenarioTest, BackendOptionsAreSweepAxes) {
  Result<Scenario> s = Parse(
      "backends = [\"sqlite\"]\nworkers = [1, 2]\n"
      "[sqlite]\njournal_mode = [\"wal\", \"delete\"]\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<SweepPlan> plan = PlanSweep(*s, registry_);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->runs.size(), 4u);
  std::set<std::pair<std::string, int>> seen;
  for (const RunConfig& c : plan->runs) {
    seen.insert({c.options.at("journal_mode"), c.workers});
  }
  EXPECT_EQ(seen.size(), 4u);

  Scenario cli = DefaultScenario();
  ASSERT_TRUE(
      ApplyBackendOption(&cli, "sqlite.journal_mode=wal,delete", registry_)
          .ok());
  EXPECT_EQ(cli.backend_options["sqlite"]["journal_mode"],
            (std::vector<std::string>{"wal", "delete"}));
  EXPECT_FALSE(
      ApplyBackendOption(&cli, "sqlite.journal_mode=wal,nope", registry_).ok());
  // A path is one value, commas and all (here: not an existing path).
  Status st = ApplyBackendOption(&cli, "sqlite.path=/tmp,/var", registry_);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("/tmp,/var"), std::string::npos) << st.message();
  std::string msg = Error("[sqlite]\npath = [\"/tmp\", \"/var\"]\n");
  EXPECT_NE(msg.find("not a sweep axis"), std::string::npos) << msg;
  // The later of two --set flags wins, and a note says so.
  ASSERT_TRUE(ApplyBackendOption(&cli, "shm.padding=false", registry_).ok());
  ASSERT_TRUE(ApplyBackendOption(&cli, "shm.padding=true", registry_).ok());
  EXPECT_EQ(cli.backend_options["shm"]["padding"],
            std::vector<std::string>{"true"});
  ASSERT_EQ(cli.notes.size(), 1u);
  EXPECT_NE(cli.notes[0].find("shm.padding"), std::string::npos);
}

TEST_F(ScenarioTest, ARunawaySweepIsRefusedBeforePlanning) {
  Scenario s = DefaultScenario();
  std::string many;
  for (int i = 1; i <= 1024; ++i) many += (i > 1 ? "," : "") + std::to_string(i);
  ASSERT_TRUE(ApplyOverride(&s, "workers", many, "--workers").ok());
  ASSERT_TRUE(ApplyOverride(&s, "shards", many, "--shards").ok());
  Result<SweepPlan> plan = PlanSweep(s, registry_);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("more than 100000 runs"),
            std::string::npos)
      << plan.status().message();
}

TEST_F(ScenarioTest, SetValidatesBackendOptions) {
  Scenario s = DefaultScenario();
  ASSERT_TRUE(ApplyBackendOption(&s, "shm.padding=false", registry_).ok());
  EXPECT_EQ(s.backend_options["shm"]["padding"],
            std::vector<std::string>{"false"});
  EXPECT_FALSE(ApplyBackendOption(&s, "shm.padding=maybe", registry_).ok());
  EXPECT_FALSE(ApplyBackendOption(&s, "nope.x=1", registry_).ok());
  EXPECT_FALSE(ApplyBackendOption(&s, "padding=false", registry_).ok());
  EXPECT_EQ(s.backend_options["shm"]["padding"],
            std::vector<std::string>{"false"});
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

// Each field's default, as --help shows it, is what a run has when
// neither a scenario file nor a flag sets the field: a scenario's own
// default (duration) or RunConfig's.
TEST(FieldDefaults, AreWhatARunGetsWithoutTheField) {
  const Scenario file;  // What a scenario file starts from.
  const RunConfig defaults;
  for (const Field& f : RunFields()) {
    SCOPED_TRACE(f.key);
    ASSERT_NE(f.default_value, nullptr);
    const std::string text = f.default_value;
    const std::vector<std::string> set = file.Values(f.key);
    if (!set.empty()) {
      EXPECT_EQ(std::vector<std::string>{text}, set);
      continue;
    }
    if (text.empty()) {
      EXPECT_EQ(f.cell(defaults), "") << "a default the field does not show";
      continue;
    }
    RunConfig c;
    ASSERT_TRUE(f.apply(ValueFromText(text), &c).ok()) << text;
    EXPECT_EQ(f.cell(c), f.cell(defaults)) << text;
  }
}

// A run's line starts with its fields and ends with its options as they
// ran; elsewhere (errors, --dry-run) a run reads with the options asked.
TEST_F(ScenarioTest, DescribeRunIsItsFieldsAndTheOptionsAsked) {
  Result<Scenario> s = Parse(
      "backends = [\"sqlite\"]\nworkers = 2\n"
      "[sqlite]\njournal_mode = [\"wal\", \"delete\"]\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<SweepPlan> plan = PlanSweep(*s, registry_);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->runs.size(), 2u);
  const RunConfig& c = plan->runs[1];
  const std::string fields = DescribeRunFields(c, plan->swept);
  EXPECT_EQ(fields.find('['), std::string::npos) << fields;
  EXPECT_NE(fields.find("workers=2"), std::string::npos) << fields;
  EXPECT_EQ(DescribeRun(c, plan->swept),
            fields + " [journal_mode=" + c.options.at("journal_mode") + "]");
}

// What a run line shows of the options: each away from the store's own
// default (ctrbench's, where the store has none), whether asked for or
// not, and each asked for; a run at the store's defaults shows none.
TEST(OptionsToShow, AreThoseAwayFromTheStoresDefaultsAndThoseAsked) {
  const std::vector<OptionSpec> specs = {
      ChoiceOption("fsync", {"on", "off"}, "on", "").WithStoreDefault("on"),
      ChoiceOption("journal", {"wal", "delete"}, "wal", "")
          .WithStoreDefault("delete"),
      IntOption("pipeline", 1, 1024, 1, "")};
  const OptionMap stores = {
      {"fsync", "on"}, {"journal", "delete"}, {"pipeline", "1"}};
  EXPECT_TRUE(OptionsToShow(specs, {}, stores).empty());
  // ctrbench's default is not the store's: said though nobody asked.
  OptionMap ran = stores;
  ran["journal"] = "wal";
  EXPECT_EQ(OptionsToShow(specs, {}, ran), (OptionMap{{"journal", "wal"}}));
  // Asked for, away from the store's default: as it ran.
  ran = stores;
  ran["fsync"] = "off";
  EXPECT_EQ(OptionsToShow(specs, {{"fsync", "off"}}, ran),
            (OptionMap{{"fsync", "off"}}));
  // What the backend found wins over what was asked (a user's server
  // reads its settings back).
  EXPECT_EQ(OptionsToShow(specs, {{"fsync", "on"}}, ran),
            (OptionMap{{"fsync", "off"}}));
  // Asked for at the store's default (one value of a sweep): said too.
  EXPECT_EQ(OptionsToShow(specs, {{"journal", "delete"}}, stores),
            (OptionMap{{"journal", "delete"}}));
  // An option of ctrbench's alone, away from ctrbench's default.
  ran = stores;
  ran["pipeline"] = "8";
  EXPECT_EQ(OptionsToShow(specs, {}, ran), (OptionMap{{"pipeline", "8"}}));
  // A backend that did not say: what was asked.
  EXPECT_EQ(OptionsToShow(specs, {{"fsync", "off"}}, {}),
            (OptionMap{{"fsync", "off"}}));
}

}  // namespace
}  // namespace ctrbench
