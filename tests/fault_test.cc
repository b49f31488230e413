// The fault matrix: every backend under the faults a run must survive with
// a clear message, whole rows, and nothing left behind (after `ctrbench
// cleanup` where the run itself had no chance): kill -9 of a worker, of the
// ctrbench parent, SIGTERM and SIGINT in the middle of a sweep, and a disk
// that fills (a file size limit fails write() the same way). Colliding
// names in a user's store, and a server killed mid-run, have tests of their
// own in sqlite_test, redis_test and manager_test.

#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "counters/clock.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::ReadFile;
using testing_util::ScopedEnv;
using testing_util::TempDir;

std::vector<std::string> SegmentsOf(pid_t pid) {
  std::vector<std::string> ours;
  const std::string prefix = "ctrbench-" + std::to_string(pid) + "-";
  if (DIR* dir = opendir("/dev/shm")) {
    while (dirent* e = readdir(dir)) {
      if (std::string(e->d_name).rfind(prefix, 0) == 0) {
        ours.push_back(e->d_name);
      }
    }
    closedir(dir);
  }
  return ours;
}

// The backends, and redis_cluster: redis on a cluster of 3 nodes the run
// starts.
class FaultMatrix : public ::testing::TestWithParam<const char*> {
 protected:
  bool cluster() const { return std::string(GetParam()) == "redis_cluster"; }
  std::string backend() const { return cluster() ? "redis" : GetParam(); }
  bool processes() const { return backend() != "inproc"; }

  std::vector<std::string> Run(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"run",        "--backend", backend(),
                                     "--strategy", "lock",      "--quiet"};
    if (cluster()) {
      args.insert(args.end(), {"--set", "redis.cluster_nodes=3"});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Nothing of the run is left: no temp dir, no ledger, no segment.
  void ExpectNothingLeft(pid_t run) {
    EXPECT_TRUE(tmp_.List().empty());
    EXPECT_TRUE(state_.List().empty());
    EXPECT_TRUE(SegmentsOf(run).empty());
  }

  // Every data row has the header's number of fields.
  void ExpectWholeRows(const std::string& csv) {
    const auto rows = testing_util::ReadCsv(csv);
    for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size());
  }

  // Waits until the CSV has `n` rows besides the header.
  bool WaitForRows(const std::string& csv, size_t n) {
    const int64_t deadline = NowNs() + 20000000000LL;
    while (NowNs() < deadline) {
      const std::string text = ReadFile(csv);
      if (static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) >=
          n + 1) {
        return true;
      }
      usleep(20000);
    }
    return false;
  }

  TempDir work_, state_, tmp_;
  ScopedEnv state_env_{"CTRBENCH_STATE_DIR", state_.path()};
  ScopedEnv tmp_env_{"TMPDIR", tmp_.path()};
};

TEST_P(FaultMatrix, AKilledWorkerFailsTheRunAndLeavesNothing) {
  if (!processes()) GTEST_SKIP() << "threads only: no worker process to kill";
  const pid_t run = testing_util::SpawnCtrbench(
      work_.path(), Run({"--mode", "processes", "--workers", "2", "--duration",
                         "20s", "--out", "w.csv"}));
  // The workers: children that do not lead their own group (a server does).
  pid_t worker = 0;
  const int64_t deadline = NowNs() + 10000000000LL;
  while (worker == 0 && NowNs() < deadline) {
    usleep(20000);
    std::vector<pid_t> kids = testing_util::ChildrenOf(run);
    int workers = 0;
    for (pid_t kid : kids) workers += getpgid(kid) != kid;
    if (workers < 2) continue;
    for (pid_t kid : kids) {
      if (getpgid(kid) != kid) worker = kid;
    }
  }
  ASSERT_NE(worker, 0);
  usleep(200000);
  const int64_t start = NowNs();
  kill(worker, SIGKILL);
  EXPECT_EQ(testing_util::WaitExit(run), 1);
  EXPECT_LT(NowNs() - start, 10000000000LL);
  const std::string err = ReadFile(work_.File("stderr.txt"));
  EXPECT_NE(err.find("was killed by signal 9"), std::string::npos) << err;
  const auto rows = testing_util::ReadCsv(work_.File("w.csv"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(testing_util::Column(rows, 1, "verified"), "false");
  ExpectNothingLeft(run);
}

TEST_P(FaultMatrix, SigtermAndSigintMidSweepKeepWholeRows) {
  for (int sig : {SIGTERM, SIGINT}) {
    SCOPED_TRACE(strsignal(sig));
    const std::string csv = work_.File(std::to_string(sig) + ".csv");
    const pid_t run = testing_util::SpawnCtrbench(
        work_.path(),
        Run({"--workers", "1,2,3,4", "--duration", "300ms", "--out", csv}));
    ASSERT_TRUE(WaitForRows(csv, 1));
    kill(run, sig);
    EXPECT_EQ(testing_util::WaitExit(run), 130);
    EXPECT_NE(ReadFile(work_.File("stderr.txt")).find("interrupted"),
              std::string::npos);
    ExpectWholeRows(csv);
    ExpectNothingLeft(run);
  }
}

TEST_P(FaultMatrix, AKilledParentIsCleanedUpAfter) {
  const pid_t run = testing_util::SpawnCtrbench(
      work_.path(), Run({"--duration", "20s", "--out", "p.csv"}));
  // Wait until the run has set up: its ledger names what it created (inproc
  // creates nothing outside its memory).
  const int64_t deadline = NowNs() + 10000000000LL;
  while (backend() != "inproc" && NowNs() < deadline) {
    bool recorded = false;
    for (const std::string& name : state_.List()) {
      recorded |= ReadFile(state_.File(name)).find('\t') != std::string::npos;
    }
    if (recorded) break;
    usleep(20000);
  }
  usleep(300000);
  kill(run, SIGKILL);
  testing_util::WaitExit(run);
  usleep(200000);  // Workers and servers follow their parent (PDEATHSIG).
  TempDir logs;
  const pid_t cleanup = testing_util::SpawnCtrbench(logs.path(), {"cleanup"});
  EXPECT_EQ(testing_util::WaitExit(cleanup), 0)
      << ReadFile(logs.File("stderr.txt"));
  ExpectNothingLeft(run);
}

// A file size limit fails write() as a full disk does: the run fails with
// a message, the CSV keeps whole rows only, and nothing is left behind.
TEST_P(FaultMatrix, AFullDiskLeavesWholeRowsAndNothingElse) {
  const std::string csv = work_.File("full.csv");
  const pid_t run = fork();
  ASSERT_GE(run, 0);
  if (run == 0) {
    signal(SIGXFSZ, SIG_IGN);
    rlimit limit = {1200, 1200};  // The header and about one row.
    setrlimit(RLIMIT_FSIZE, &limit);
    if (chdir(work_.path().c_str()) != 0) _exit(99);
    freopen("stderr.txt", "w", stderr);
    freopen("stdout.txt", "w", stdout);
    std::vector<std::string> args = {CTRBENCH_BINARY};
    for (const std::string& a :
         Run({"--workers", "1,2,3", "--ops", "200", "--out", csv})) {
      args.push_back(a);
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(CTRBENCH_BINARY, argv.data());
    _exit(98);
  }
  EXPECT_EQ(testing_util::WaitExit(run), 1);
  const std::string err = ReadFile(work_.File("stderr.txt"));
  EXPECT_NE(err.find("ctrbench: "), std::string::npos) << err;
  ExpectWholeRows(csv);
  EXPECT_LT(testing_util::ReadCsv(csv).size(), 4u);
  ExpectNothingLeft(run);
}

// The server backends: a server stopped mid-run (SIGSTOP to its process
// group: the postmaster and its backends, a node of a cluster) fails the
// run within the timeout, clearly, and nothing is left.
class StoppedServer : public FaultMatrix {};

TEST_P(StoppedServer, FailsTheRunWithinTheTimeout) {
  const std::string csv = work_.File("stopped.csv");
  const pid_t run = testing_util::SpawnCtrbench(
      work_.path(), Run({"--workers", "2", "--duration", "60s", "--timeout",
                         "1s", "--out", csv}));
  // The server, not a program run to completion before it (initdb).
  pid_t server = 0;
  const int64_t deadline = NowNs() + 60000000000LL;
  while (server == 0 && NowNs() < deadline) {
    const pid_t kid = testing_util::WaitForServerChild(run, 0, 1000);
    const std::string cmdline =
        ReadFile("/proc/" + std::to_string(kid) + "/cmdline");
    // A zombie (initdb done, not reaped yet) has no command line; a child
    // forked but not yet exec'd still has ctrbench's (CI once took initdb's
    // child before its exec for the server, and stopped nothing).
    const std::string own =
        ReadFile("/proc/" + std::to_string(run) + "/cmdline");
    if (kid > 0 && !cmdline.empty() && cmdline != own &&
        cmdline.find("initdb") == std::string::npos) {
      server = kid;
    }
  }
  ASSERT_GT(server, 0);
  usleep(1500000);  // Measuring by now (setup and warm-up done).
  // Its process group, and its children, which may have groups of their
  // own (PostgreSQL's backends call setsid()).
  auto signal_server = [server](int sig) {
    kill(-server, sig);
    for (pid_t kid : testing_util::ChildrenOf(server)) kill(kid, sig);
  };
  // PostgreSQL's backends, each in a session of its own: teardown must
  // end them too, stopped as they are, not leave them to init.
  const std::vector<pid_t> kids = testing_util::ChildrenOf(server);
  const int64_t start = NowNs();
  signal_server(SIGSTOP);
  const int code = testing_util::WaitExit(run);
  const double seconds = (NowNs() - start) / 1e9;
  for (pid_t kid : kids) {
    const std::string stat = ReadFile("/proc/" + std::to_string(kid) + "/stat");
    const size_t close = stat.rfind(')');
    const char state = close == std::string::npos || close + 2 >= stat.size()
                           ? 'X'
                           : stat[close + 2];
    EXPECT_TRUE(state == 'X' || state == 'Z')
        << "server child " << kid << " left in state " << state;
  }
  signal_server(SIGCONT);
  signal_server(SIGKILL);  // If teardown could not (it should have).
  EXPECT_EQ(code, 1);
  // The timeout (1 s), teardown's connect (2 s: libpq's least), then the
  // 2 s grace for the stopped server: about 6 s here.
  EXPECT_LT(seconds, 15.0);
  const std::string err = ReadFile(work_.File("stderr.txt"));
  EXPECT_NE(err.find("run failed"), std::string::npos) << err;
  const auto rows = testing_util::ReadCsv(csv);
  ASSERT_EQ(rows.size(), 2u) << err;
  EXPECT_EQ(testing_util::Column(rows, 1, "verified"), "false");
  EXPECT_EQ(testing_util::Column(rows, 1, "timeout_ms"), "1000");
  std::printf("%s: failed in %.1f s: %s\n", GetParam(), seconds,
              testing_util::Column(rows, 1, "error").c_str());
  ExpectWholeRows(csv);
  ExpectNothingLeft(run);
}

INSTANTIATE_TEST_SUITE_P(Servers, StoppedServer,
                         ::testing::Values("manager", "redis", "redis_cluster",
                                           "postgres"),
                         [](const ::testing::TestParamInfo<const char*>& p) {
                           return std::string(p.param);
                         });

INSTANTIATE_TEST_SUITE_P(Backends, FaultMatrix,
                         ::testing::Values("inproc", "shm", "sqlite", "manager",
                                           "redis", "redis_cluster"),
                         [](const ::testing::TestParamInfo<const char*>& p) {
                           return std::string(p.param);
                         });

}  // namespace
}  // namespace ctrbench
