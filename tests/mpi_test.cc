// Several load hosts under MPI, on one machine: the real ctrbench binary
// started by OpenMPI's mpirun with 1 to 3 ranks against an embedded Redis
// Cluster, a manager server over TCP and PostgreSQL, each run's totals
// verified across the ranks in the one row rank 0 writes.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "counters/mpi.h"
#include "counters/program.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::Column;
using testing_util::ReadCsv;

class MpiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!mpi::Built()) GTEST_SKIP() << "built without MPI";
    mpirun_ = FindProgram("mpirun");
    if (mpirun_.empty()) GTEST_SKIP() << "mpirun is not installed";
  }

  // Runs `ctrbench ARGS` under `mpirun -np RANKS` in the test's directory;
  // its exit code. Output in stdout.txt and stderr.txt there.
  int Mpirun(int ranks, const std::vector<std::string>& args) {
    return testing_util::WaitExit(StartMpirun(ranks, args));
  }
  pid_t StartMpirun(int ranks, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {mpirun_, "--allow-run-as-root",
                                     "--oversubscribe", "--bind-to", "none",
                                     "-np", std::to_string(ranks),
                                     CTRBENCH_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return Spawn(argv);
  }
  int Plain(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {CTRBENCH_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv);
  }
  int Run(std::vector<std::string> argv) {
    return testing_util::WaitExit(Spawn(std::move(argv)));
  }
  pid_t Spawn(std::vector<std::string> argv) {
    return testing_util::Spawn(dir_.path(), std::move(argv));
  }
  std::string Path(const std::string& name) const {
    return dir_.path() + "/" + name;
  }
  std::string Stderr() const {
    return testing_util::ReadFile(Path("stderr.txt"));
  }

  // Every row of `csv`: verified, by 3 ranks on this one host, with
  // every acknowledged increment of every rank in the store.
  void ExpectMerged(const std::string& csv, int ranks, int64_t expected) {
    const auto rows = ReadCsv(Path(csv));
    ASSERT_GE(rows.size(), 2u) << Stderr();
    for (size_t r = 1; r < rows.size(); ++r) {
      SCOPED_TRACE(Column(rows, r, "backend") + " " +
                   Column(rows, r, "strategy"));
      EXPECT_EQ(Column(rows, r, "verified"), "true")
          << Column(rows, r, "error");
      EXPECT_EQ(Column(rows, r, "ranks"), std::to_string(ranks));
      EXPECT_EQ(Column(rows, r, "hosts"), "1");
      EXPECT_EQ(Column(rows, r, "host_fairness"), "1.0000");
      EXPECT_EQ(Column(rows, r, "expected_total"), std::to_string(expected));
      if (Column(rows, r, "strategy") != "naive") {
        EXPECT_EQ(Column(rows, r, "actual_total"), std::to_string(expected));
      }
      EXPECT_GT(std::stod(Column(rows, r, "duration_s")), 0);
    }
  }

  void StopARankMidRun(int sig);

  std::string mpirun_;
  testing_util::TempDir dir_;
  // LeakSanitizer (the ASan build) reports what OpenMPI's own libraries
  // keep until exit; ctrbench's leaks show in the other tests, without MPI.
  testing_util::ScopedEnv no_leak_checks_{"ASAN_OPTIONS", "detect_leaks=0"};
  testing_util::ScopedEnv tmpdir_{"TMPDIR", dir_.path()};
  testing_util::ScopedEnv state_{"CTRBENCH_STATE_DIR", dir_.path()};
};

// 6 workers over 3 ranks, every strategy, on a Redis Cluster of 3 nodes
// that rank 0 starts: one row per run, every rank's increments verified.
TEST_F(MpiTest, ThreeRanksOnARedisClusterMakeOneVerifiedRow) {
  ASSERT_EQ(Mpirun(3, {"run", "--backend", "redis", "--set",
                       "redis.cluster_nodes=3", "--workers", "6", "--keys",
                       "4", "--ops", "300", "--out", "cluster.csv",
                       "--quiet"}),
            0)
      << Stderr();
  const auto rows = ReadCsv(Path("cluster.csv"));
  EXPECT_EQ(rows.size(), 5u) << "one row per strategy, from rank 0 alone";
  ExpectMerged("cluster.csv", 3, 6 * 300);
}

// Workers forked by each rank (they never call MPI) against the manager.
TEST_F(MpiTest, ProcessesModeWorksUnderMpi) {
  ASSERT_EQ(Mpirun(2, {"run", "--backend", "manager", "--mode",
                       "processes", "--strategy", "atomic,cas", "--workers",
                       "4", "--ops", "300", "--out", "processes.csv",
                       "--quiet"}),
            0)
      << Stderr();
  ExpectMerged("processes.csv", 2, 4 * 300);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = {};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

// A manager server a user started on TCP, reached by every rank.
TEST_F(MpiTest, ThreeRanksShareAManagerServerOverTcp) {
  const std::string listen = "tcp:127.0.0.1:" + std::to_string(FreePort());
  const pid_t server = testing_util::SpawnCtrbench(
      dir_.path(), {"server", "--listen", listen});
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    usleep(20000);
    up = Plain({"run", "--backend", "manager", "--set",
                "manager.address=" + listen, "--ops", "1", "--strategy",
                "atomic", "--out", "probe" + std::to_string(i) + ".csv",
                "--quiet"}) == 0;
  }
  ASSERT_TRUE(up) << "the server did not come up";
  const int code = Mpirun(3, {"run", "--backend", "manager", "--set",
                              "manager.address=" + listen, "--strategy",
                              "atomic,lock", "--workers", "3", "--keys", "2",
                              "--ops", "300", "--out", "manager.csv",
                              "--quiet"});
  kill(server, SIGTERM);
  testing_util::WaitExit(server);
  ASSERT_EQ(code, 0) << Stderr();
  ExpectMerged("manager.csv", 3, 3 * 300);
}

TEST_F(MpiTest, ThreeRanksShareAPostgresTable) {
  if (FindProgram("pg_config").empty()) GTEST_SKIP() << "no PostgreSQL";
  // Logic, not durability: fsync off keeps it quick.
  ASSERT_EQ(Mpirun(3, {"run", "--backend", "postgres", "--strategy",
                       "atomic,lock", "--workers", "3", "--ops", "200",
                       "--set", "postgres.fsync=off", "--out",
                       "postgres.csv", "--quiet"}),
            0)
      << Stderr();
  ExpectMerged("postgres.csv", 3, 3 * 200);
}

// The series under MPI: each rank sends its intervals to rank 0 as they
// close, with their histograms, and rank 0 merges them, so every interval
// of the JSON Lines has its p50 and p99 (a series of points without
// histograms lost them), holds every rank's part (the last may miss a rank
// that stopped before opening it), and the intervals add up to the row's
// operations and latency samples.
TEST_F(MpiTest, SeriesKeepsItsPercentilesUnderMpi) {
  ASSERT_EQ(Mpirun(3, {"run", "--backend", "manager", "--strategy",
                       "atomic", "--workers", "3", "--duration", "700ms",
                       "--series-interval", "100ms", "--out", "series.csv",
                       "--json", "series.jsonl", "--quiet"}),
            0)
      << Stderr();
  std::istringstream lines(testing_util::ReadFile(Path("series.jsonl")));
  std::string line;
  std::vector<nlohmann::json> intervals;
  nlohmann::json run;
  while (std::getline(lines, line)) {
    nlohmann::json record = nlohmann::json::parse(line);
    if (record["type"] == "interval") {
      intervals.push_back(std::move(record));
    } else {
      run = std::move(record);
    }
  }
  ASSERT_TRUE(run.is_object()) << "no run record";
  EXPECT_EQ(run["verified"], true) << run["error"];
  EXPECT_EQ(run["ranks"], 3);
  ASSERT_GE(intervals.size(), 5u);
  EXPECT_EQ(run["series_intervals"], intervals.size());
  int64_t ops = 0, samples = 0;
  for (size_t k = 0; k < intervals.size(); ++k) {
    const nlohmann::json& p = intervals[k];
    SCOPED_TRACE(p.dump());
    EXPECT_EQ(p["run_id"], run["run_id"]);
    EXPECT_EQ(p["index"], k);
    ops += p["ops"].get<int64_t>();
    samples += p["latency_samples"].get<int64_t>();
    if (k + 1 == intervals.size()) {
      EXPECT_GE(p["ranks"].get<int>(), 1);
      continue;
    }
    EXPECT_EQ(p["ranks"], 3);
    ASSERT_GT(p["latency_samples"].get<int64_t>(), 0);
    ASSERT_TRUE(p["p50_us"].is_number());
    ASSERT_TRUE(p["p99_us"].is_number());
    EXPECT_GT(p["p50_us"].get<double>(), 0);
    EXPECT_GE(p["p99_us"].get<double>(), p["p50_us"].get<double>());
  }
  EXPECT_EQ(run["ops"], ops);
  EXPECT_EQ(run["latency_histogram"]["count"], samples);
}

// One rank is a plain run: the same row, column for column, but for what
// was measured.
TEST_F(MpiTest, OneRankIsAPlainRun) {
  const std::vector<std::string> args = {
      "run", "--backend", "redis", "--strategy", "atomic", "--workers", "2",
      "--keys", "3", "--ops", "500", "--quiet", "--out"};
  std::vector<std::string> one = args, plain = args;
  one.push_back("one.csv");
  plain.push_back("plain.csv");
  ASSERT_EQ(Mpirun(1, one), 0) << Stderr();
  ASSERT_EQ(Plain(plain), 0) << Stderr();
  const auto a = ReadCsv(Path("one.csv"));
  const auto b = ReadCsv(Path("plain.csv"));
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(a[0], b[0]) << "the same columns";
  for (const char* column :
       {"backend", "strategy", "workers", "keys", "ops_target", "ranks",
        "hosts", "verified", "expected_total", "actual_total",
        "backend_options"}) {
    EXPECT_EQ(Column(a, 1, column), Column(b, 1, column)) << column;
  }
  EXPECT_EQ(Column(a, 1, "ranks"), "1");
  EXPECT_EQ(Column(a, 1, "expected_total"), "1000");
}

// What cannot be shared between ranks is refused, saying why.
TEST_F(MpiTest, RefusesWhatRanksCannotShare) {
  EXPECT_EQ(Mpirun(2, {"run", "--backend", "inproc", "--workers", "2",
                       "--ops", "10", "--out", "inproc.csv"}),
            2);
  EXPECT_NE(Stderr().find("inproc under mpirun"), std::string::npos)
      << Stderr();
  EXPECT_EQ(Mpirun(3, {"run", "--backend", "redis", "--workers", "2",
                       "--ops", "10", "--out", "few.csv"}),
            2);
  EXPECT_NE(Stderr().find("at least one worker per rank"), std::string::npos)
      << Stderr();
}

// The MPI rank of process `pid`, from its environment; -1 if none.
int RankOf(pid_t pid) {
  const std::string env =
      testing_util::ReadFile("/proc/" + std::to_string(pid) + "/environ");
  const std::string name = std::string("OMPI_COMM_WORLD_RANK=");
  for (size_t at = 0; at < env.size(); at = env.find('\0', at) + 1) {
    if (env.compare(at, name.size(), name) == 0) {
      return std::atoi(env.c_str() + at + name.size());
    }
    if (env.find('\0', at) == std::string::npos) break;
  }
  return -1;
}

// A rank killed mid-run (or stopped alone with SIGTERM): mpirun stops the
// others within seconds, and rank 0 tears the store down on its way out:
// no node, directory or ledger is left on this machine.
void MpiTest::StopARankMidRun(int sig) {
  const pid_t mpirun = StartMpirun(
      3, {"run", "--backend", "redis", "--set", "redis.cluster_nodes=3",
          "--workers", "3", "--duration", "60s", "--out", "killed.csv"});
  // Rank 0's cluster is up and every rank runs once the progress lines
  // come (each second of the measured time).
  pid_t victim = 0, root = 0;
  std::vector<pid_t> nodes;
  for (int i = 0; i < 600 && (victim == 0 || nodes.size() < 3); ++i) {
    usleep(50000);
    if (Stderr().find("progress:") == std::string::npos) continue;
    for (pid_t p : testing_util::ChildrenOf(mpirun)) {
      if (RankOf(p) == 2) victim = p;
      if (RankOf(p) == 0) root = p;
    }
    if (root > 0) nodes = testing_util::ChildrenOf(root);
  }
  ASSERT_GT(victim, 0) << Stderr();
  ASSERT_EQ(nodes.size(), 3u) << "rank 0's cluster nodes";
  const auto start = std::chrono::steady_clock::now();
  kill(victim, sig);
  const int code = testing_util::WaitExit(mpirun);
  const double took = std::chrono::duration<double>(
      std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(code, 0);
  EXPECT_LT(took, 20) << "not the 60 s the run asked for";
  // The nodes die with rank 0 in any case (PDEATHSIG); a zombie is dead.
  auto alive = [](pid_t pid) {
    const std::string stat =
        testing_util::ReadFile("/proc/" + std::to_string(pid) + "/stat");
    const size_t paren = stat.rfind(')');
    return paren != std::string::npos && paren + 2 < stat.size() &&
           stat[paren + 2] != 'Z';
  };
  for (pid_t node : nodes) {
    for (int i = 0; i < 100 && alive(node); ++i) usleep(50000);
    EXPECT_FALSE(alive(node)) << "node " << node;
  }
  auto left = [this] {
    std::vector<std::string> names;
    for (const std::string& name : dir_.List()) {
      if (name.find(".txt") == std::string::npos && name != "killed.csv") {
        names.push_back(name);
      }
    }
    return names;
  };
  if (sig == SIGKILL && !left().empty()) {
    // A rank that dies gives rank 0 the second between mpirun's SIGTERM
    // and its SIGKILL to tear down; on a slow machine that may not be
    // enough, and `ctrbench cleanup` removes what is left.
    std::printf("rank 0 was killed before its teardown; cleanup runs\n");
    EXPECT_EQ(Plain({"cleanup"}), 0) << Stderr();
  }
  for (const std::string& name : left()) ADD_FAILURE() << name << " was left";
}

TEST_F(MpiTest, ARankKilledStopsTheRunAndLeavesNothing) {
  StopARankMidRun(SIGKILL);
}

TEST_F(MpiTest, ARankStoppedAloneStopsTheRunAndLeavesNothing) {
  StopARankMidRun(SIGTERM);
}

// A worker process of rank 2 killed: the run fails on rank 0's row, which
// names the rank, and every rank stops (no rank waits for another).
TEST_F(MpiTest, AWorkerDeadOnAnotherRankFailsTheRow) {
  const pid_t mpirun = StartMpirun(
      3, {"run", "--backend", "manager", "--mode", "processes", "--strategy",
          "atomic", "--workers", "3", "--duration", "60s", "--out",
          "died.csv"});
  pid_t worker = 0;
  for (int i = 0; i < 600 && worker == 0; ++i) {
    usleep(50000);
    if (Stderr().find("progress:") == std::string::npos) continue;
    for (pid_t p : testing_util::ChildrenOf(mpirun)) {
      if (RankOf(p) != 2) continue;
      const std::vector<pid_t> kids = testing_util::ChildrenOf(p);
      if (!kids.empty()) worker = kids[0];
    }
  }
  ASSERT_GT(worker, 0) << Stderr();
  const auto start = std::chrono::steady_clock::now();
  kill(worker, SIGKILL);
  const int code = testing_util::WaitExit(mpirun);
  const double took = std::chrono::duration<double>(
      std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(code, 1) << Stderr();
  EXPECT_LT(took, 20) << "not the 60 s the run asked for";
  const auto rows = ReadCsv(Path("died.csv"));
  ASSERT_EQ(rows.size(), 2u) << Stderr();
  EXPECT_EQ(Column(rows, 1, "verified"), "false") << Column(rows, 1, "error");
  EXPECT_NE(Column(rows, 1, "error").find("MPI rank 2"), std::string::npos)
      << Column(rows, 1, "error");
  EXPECT_NE(Column(rows, 1, "error").find("signal 9"), std::string::npos)
      << Column(rows, 1, "error");
}

// Three "hosts": network namespaces of their own (each with its address
// on a bridge, and its own host name), whose ranks OpenMPI starts through
// its rsh agent set to a script that enters the namespace, as ssh would
// enter another machine. The store is a redis-server with a password on
// the bridge's address, reached over that network by every rank.
class MpiHostsTest : public MpiTest {
 protected:
  void SetUp() override {
    MpiTest::SetUp();
    if (IsSkipped()) return;
    if (geteuid() != 0 || FindProgram("ip").empty() ||
        FindProgram("unshare").empty() ||
        FindProgram("redis-server").empty()) {
      GTEST_SKIP() << "needs root, ip, unshare and redis-server";
    }
    tag_ = std::to_string(20 + getpid() % 200);
    net_ = "10.77." + tag_ + ".";
    if (!Sh("ip link add cb" + tag_ + " type bridge")) {
      GTEST_SKIP() << "cannot make network devices here";
    }
    made_ = true;
    ASSERT_TRUE(Sh("ip addr add " + net_ + "1/24 dev cb" + tag_ +
                   " && ip link set cb" + tag_ + " up"));
    for (int i = 1; i <= 3; ++i) {
      const std::string ns = Namespace(i), veth = "cv" + tag_ + "x" +
                                                  std::to_string(i);
      ASSERT_TRUE(Sh("ip netns add " + ns));
      ASSERT_TRUE(Sh("ip link add " + veth + " type veth peer name eth0 "
                     "netns " + ns + " && ip link set " + veth + " master cb" +
                     tag_ + " up"));
      ASSERT_TRUE(Sh("ip -n " + ns + " addr add " + net_ +
                     std::to_string(i + 1) + "/24 dev eth0 && ip -n " + ns +
                     " link set eth0 up && ip -n " + ns + " link set lo up"));
    }
    // OpenMPI runs "agent HOST COMMAND", as it would run ssh.
    agent_ = Path("agent.sh");
    WriteFile(
        agent_,
        "#!/bin/sh\nhost=$1; shift\nexec ip netns exec \"ctrb" + tag_ +
            "-$host\" unshare --uts sh -c 'hostname \"$0\" && exec sh -c "
            "\"$1\"' \"$host\" \"$*\"\n");
    chmod(agent_.c_str(), 0755);
  }
  void TearDown() override {
    if (redis_ > 0) {
      kill(redis_, SIGTERM);
      testing_util::WaitExit(redis_);
    }
    if (!made_) return;
    for (int i = 1; i <= 3; ++i) Sh("ip netns del " + Namespace(i));
    Sh("ip link del cb" + tag_);
  }

  std::string Namespace(int i) const {
    return "ctrb" + tag_ + "-h" + std::to_string(i);
  }
  static bool Sh(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
  }

  std::string tag_, net_, agent_;
  bool made_ = false;
  pid_t redis_ = 0;
};

TEST_F(MpiHostsTest, RanksOnThreeHostsReachTheStoreOverANetwork) {
  const std::string password = "ns-secret-" + tag_;
  const int port = FreePort();
  WriteFile(Path("redis.conf"),
                          "requirepass " + password + "\n");
  redis_ = Spawn({FindProgram("redis-server"), Path("redis.conf"), "--bind",
                  net_ + "1", "--port", std::to_string(port), "--save", "",
                  "--appendonly", "no", "--dir", dir_.path()});
  testing_util::ScopedEnv auth("REDISCLI_AUTH", password);
  const std::string url = "redis://" + net_ + "1:" + std::to_string(port);
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    usleep(20000);
    up = Plain({"run", "--backend", "redis", "--set", "redis.url=" + url,
                "--ops", "1", "--strategy", "atomic", "--out",
                "probe" + std::to_string(i) + ".csv", "--quiet"}) == 0;
  }
  ASSERT_TRUE(up) << "redis-server on the bridge did not answer";
  const std::string net = net_ + "0/24";
  std::vector<std::string> argv = {
      mpirun_, "--allow-run-as-root", "--oversubscribe", "--bind-to",
      "none", "-H", "h1,h2,h3",
      "-np", "3", "--mca", "plm_rsh_agent", agent_, "--mca",
      "oob_tcp_if_include", net, "--mca", "btl", "tcp,self", "--mca",
      "btl_tcp_if_include", net, "-x", "REDISCLI_AUTH", CTRBENCH_BINARY,
      "run", "--backend", "redis", "--set", "redis.url=" + url, "--strategy",
      "atomic,lock", "--workers", "6", "--keys", "8", "--ops", "300",
      "--out", "hosts.csv", "--quiet"};
  ASSERT_EQ(Run(argv), 0) << Stderr();
  const auto rows = ReadCsv(Path("hosts.csv"));
  ASSERT_EQ(rows.size(), 3u) << Stderr();
  for (size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(Column(rows, r, "verified"), "true") << Column(rows, r, "error");
    EXPECT_EQ(Column(rows, r, "ranks"), "3");
    EXPECT_EQ(Column(rows, r, "hosts"), "3") << "h1, h2 and h3";
    // Each host's 2 workers did their 300 increments.
    EXPECT_GT(std::stod(Column(rows, r, "host_fairness")), 0.9);
    EXPECT_EQ(Column(rows, r, "expected_total"), "1800");
    EXPECT_EQ(Column(rows, r, "actual_total"), "1800");
  }
}

}  // namespace
}  // namespace ctrbench
