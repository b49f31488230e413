// Two users on one machine: ctrbench runs as root, and another local user
// (`nobody`, or `postgres` for the embedded server's own user) plants links
// and takes names over. Each test stages one attack through the real binary
// and asserts that the victim's files survive and that ctrbench says what
// it left alone. Root only (they switch user); skipped otherwise.

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "counters/clock.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

using testing_util::ReadFile;
using testing_util::ScopedEnv;
using testing_util::TempDir;

struct User {
  uid_t uid = 0;
  gid_t gid = 0;
};

bool FindUser(const char* name, User* user) {
  const passwd* pw = getpwnam(name);
  if (pw == nullptr) return false;
  user->uid = pw->pw_uid;
  user->gid = pw->pw_gid;
  return true;
}

// Runs `attack` in a child process as `user`; its exit status.
int AsUser(const User& user, const std::function<int()>& attack) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (setgid(user.gid) != 0 || setuid(user.uid) != 0) _exit(120);
    _exit(attack());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

bool IsLink(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

bool WaitFor(const std::function<bool()>& done, int64_t timeout_ns) {
  const int64_t deadline = NowNs() + timeout_ns;
  while (NowNs() < deadline) {
    if (done()) return true;
    usleep(10000);
  }
  return done();
}

class OwnershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "root only: the tests switch user";
    if (!FindUser("nobody", &nobody_)) GTEST_SKIP() << "no user nobody";
    // The victim: a root-only directory with a file in it.
    ASSERT_EQ(chmod(victim_.path().c_str(), 0700), 0);
    std::ofstream(victim_.File("precious")) << "root's data\n";
    // A shared temporary directory, as /tmp is: sticky, everyone writes.
    ASSERT_EQ(chmod(shared_tmp_.path().c_str(), 01777), 0);
  }

  void ExpectVictimIntact() {
    EXPECT_EQ(ReadFile(victim_.File("precious")), "root's data\n");
  }

  // Runs ctrbench to its end; its exit status.
  int Run(const std::vector<std::string>& args) {
    const int code =
        testing_util::WaitExit(testing_util::SpawnCtrbench(logs_.path(), args));
    out_ = ReadFile(logs_.File("stdout.txt"));
    err_ = ReadFile(logs_.File("stderr.txt"));
    return code;
  }

  // The one entry of the shared temporary directory starting with `prefix`
  // (a run's directory), once there is one.
  std::string WaitForRunDir(const std::string& prefix) {
    std::string found;
    WaitFor(
        [&] {
          for (const std::string& name : shared_tmp_.List()) {
            if (name.rfind(prefix, 0) == 0) found = shared_tmp_.File(name);
          }
          return !found.empty();
        },
        60000000000LL);
    return found;
  }

  // A killed sqlite run: its temporary directory, left for cleanup.
  std::string KilledSqliteRun() {
    const pid_t run = testing_util::SpawnCtrbench(
        logs_.path(), {"run", "--backend", "sqlite", "--strategy", "atomic",
                       "--duration", "30s", "--out",
                       logs_.File("k" + std::to_string(++runs_) + ".csv"),
                       "--quiet"});
    const std::string dir = WaitForRunDir("ctrbench-sqlite-");
    usleep(200000);
    kill(run, SIGKILL);
    testing_util::WaitExit(run);
    return dir;
  }

  User nobody_;
  TempDir victim_, shared_tmp_, state_, logs_;
  ScopedEnv state_env_{"CTRBENCH_STATE_DIR", state_.path()};
  ScopedEnv tmp_env_{"TMPDIR", shared_tmp_.path()};
  std::string out_, err_;
  int runs_ = 0;
};

// The embedded PostgreSQL runs as `postgres`. That user tries to rename its
// directory (and the one above) and put a link to root's directory in its
// place, and plants links inside: teardown removes the run's files and
// nothing of the victim's.
TEST_F(OwnershipTest, TheEmbeddedPostgresUserCannotRedirectTeardown) {
  User postgres;
  if (!FindUser("postgres", &postgres)) GTEST_SKIP() << "no user postgres";
  const pid_t run = testing_util::SpawnCtrbench(
      logs_.path(), {"run", "--backend", "postgres", "--strategy", "atomic",
                     "--duration", "2s", "--out", logs_.File("pg.csv"),
                     "--quiet"});
  const std::string top = WaitForRunDir("ctrbench-postgres-");
  ASSERT_FALSE(top.empty());
  // The directory the server's user owns, once the server runs in it.
  std::string owned;
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const std::string& path : {top, top + "/server"}) {
          struct stat st;
          if (lstat(path.c_str(), &st) == 0 && st.st_uid == postgres.uid &&
              Exists(path + "/data/postmaster.pid")) {
            owned = path;
          }
        }
        return !owned.empty();
      },
      60000000000LL));
  const std::string victim = victim_.path();
  const int renamed = AsUser(postgres, [&] {
    // Links inside its own directory: allowed, and must not be followed.
    if (symlink(victim.c_str(), (owned + "/victim-dir").c_str()) != 0 ||
        mkdir((owned + "/sub").c_str(), 0700) != 0 ||
        symlink((victim + "/precious").c_str(),
                (owned + "/sub/precious").c_str()) != 0) {
      return 3;
    }
    // Swap a directory of the run for a link to the victim.
    int swapped = 0;
    for (const std::string& path : {owned, top}) {
      if (rename(path.c_str(), (path + ".moved").c_str()) == 0 &&
          symlink(victim.c_str(), path.c_str()) == 0) {
        ++swapped;
      }
    }
    return swapped;
  });
  EXPECT_EQ(renamed, 0) << "the server's user renamed a directory of the run";
  const int code = testing_util::WaitExit(run);
  ExpectVictimIntact();
  EXPECT_TRUE(Exists(victim_.File("precious")));
  EXPECT_EQ(code, 0) << ReadFile(logs_.File("stderr.txt"));
  EXPECT_EQ(testing_util::Column(testing_util::ReadCsv(logs_.File("pg.csv")),
                                 1, "verified"),
            "true");
  EXPECT_TRUE(shared_tmp_.List().empty())
      << "the run's directory, with what was planted in it, is gone";
}

// A dead run's directory was taken over: a link to root's directory, then
// a directory of another user's, in its name. Cleanup removes neither and
// says why.
TEST_F(OwnershipTest, CleanupLeavesADirectoryThatIsNoLongerTheRuns) {
  const std::string victim = victim_.path();
  for (const bool as_link : {true, false}) {
    SCOPED_TRACE(as_link ? "a link" : "another's directory");
    const std::string dir = KilledSqliteRun();
    ASSERT_FALSE(dir.empty());
    // The name frees up (a tmp cleaner, say) and another user takes it.
    ASSERT_EQ(rename(dir.c_str(), (dir + ".gone").c_str()), 0);
    ASSERT_EQ(AsUser(nobody_,
                     [&] {
                       if (as_link) return symlink(victim.c_str(), dir.c_str());
                       if (mkdir(dir.c_str(), 0755) != 0) return 1;
                       std::ofstream(dir + "/theirs") << "nobody's\n";
                       return 0;
                     }),
              0);
    EXPECT_EQ(Run({"cleanup"}), 0) << err_;
    EXPECT_NE(out_.find("left: dir "), std::string::npos) << out_;
    EXPECT_NE(out_.find(as_link ? "symbolic link" : "not the directory"),
              std::string::npos)
        << out_;
    ExpectVictimIntact();
    if (as_link) {
      EXPECT_TRUE(IsLink(dir));
    } else {
      EXPECT_EQ(ReadFile(dir + "/theirs"), "nobody's\n");
    }
    ASSERT_EQ(std::system(("rm -rf '" + dir + "' '" + dir + ".gone'").c_str()),
              0);
  }
}

// /dev/shm is every user's. Another user's file named like a segment of a
// dead run is not ctrbench's: cleanup never removes a segment by its name,
// only the one a ledger recorded, and only while it is that very file.
TEST_F(OwnershipTest, CleanupRemovesOnlyTheSegmentsItRecorded) {
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);
  const std::string theirs =
      "/dev/shm/ctrbench-" + std::to_string(gone) + "-x";
  ASSERT_EQ(AsUser(nobody_,
                   [&] {
                     const int fd = open(theirs.c_str(),
                                         O_WRONLY | O_CREAT | O_EXCL, 0644);
                     return fd >= 0 && write(fd, "x", 1) == 1 ? 0 : 1;
                   }),
            0);
  // A killed shm run, whose segment then went and whose name another user
  // took.
  const pid_t run = testing_util::SpawnCtrbench(
      logs_.path(), {"run", "--backend", "shm", "--strategy", "atomic",
                     "--duration", "30s", "--out", logs_.File("shm.csv"),
                     "--quiet"});
  std::string segment;
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string prefix = "ctrbench-" + std::to_string(run) + "-";
        DIR* d = opendir("/dev/shm");
        while (dirent* e = d ? readdir(d) : nullptr) {
          if (std::string(e->d_name).rfind(prefix, 0) == 0) {
            segment = std::string("/dev/shm/") + e->d_name;
          }
        }
        if (d) closedir(d);
        return !segment.empty();
      },
      10000000000LL));
  usleep(200000);
  kill(run, SIGKILL);
  testing_util::WaitExit(run);
  ASSERT_EQ(unlink(segment.c_str()), 0);
  ASSERT_EQ(AsUser(nobody_,
                   [&] {
                     const int fd = open(segment.c_str(),
                                         O_WRONLY | O_CREAT | O_EXCL, 0644);
                     return fd >= 0 ? 0 : 1;
                   }),
            0);
  EXPECT_EQ(Run({"cleanup"}), 0) << err_;
  EXPECT_TRUE(Exists(theirs)) << out_;
  EXPECT_TRUE(Exists(segment)) << out_;
  EXPECT_NE(out_.find("left: shm.segment"), std::string::npos) << out_;
  unlink(theirs.c_str());
  unlink(segment.c_str());

  // The other way round: a root-owned file of such a name does not make a
  // user's cleanup fail.
  const std::string roots = "/dev/shm/ctrbench-" + std::to_string(gone) + "-y";
  std::ofstream(roots) << "x";
  TempDir user_dir;
  ASSERT_EQ(chmod(user_dir.path().c_str(), 0755), 0);
  ASSERT_EQ(std::system(("cp " + std::string(CTRBENCH_BINARY) + " " +
                         user_dir.File("ctrbench"))
                            .c_str()),
            0);
  const std::string state = user_dir.File("state");
  ASSERT_EQ(mkdir(state.c_str(), 0700), 0);
  ASSERT_EQ(chown(state.c_str(), nobody_.uid, nobody_.gid), 0);
  const int code = std::system(("runuser -u nobody -- env CTRBENCH_STATE_DIR=" +
                                state + " " + user_dir.File("ctrbench") +
                                " cleanup >/dev/null 2>&1")
                                   .c_str());
  EXPECT_EQ(WEXITSTATUS(code), 0);
  EXPECT_TRUE(Exists(roots));
  unlink(roots.c_str());
}

// `report --out DIR` into a directory another user can write: links planted
// there are replaced, never written through; a directory report did not
// write is refused unless --force; the user's own summary.md is never
// overwritten without it.
TEST_F(OwnershipTest, ReportNeverWritesThroughAPlantedLink) {
  ASSERT_EQ(Run({"run", "--backend", "inproc", "--strategy", "atomic",
                 "--duration", "100ms", "--out", logs_.File("in.csv"),
                 "--quiet"}),
            0)
      << err_;
  const std::string target = victim_.File("precious");
  const std::string planted = shared_tmp_.File("planted");
  ASSERT_EQ(AsUser(nobody_,
                   [&] {
                     if (mkdir(planted.c_str(), 0777) != 0) return 1;
                     chmod(planted.c_str(), 0777);
                     for (const char* name : {"summary.md", "summary.csv"}) {
                       if (symlink(target.c_str(),
                                   (planted + "/" + name).c_str()) != 0) {
                         return 2;
                       }
                     }
                     return 0;
                   }),
            0);
  EXPECT_EQ(Run({"report", logs_.File("in.csv"), "--out", planted}), 2);
  EXPECT_NE(err_.find("--force"), std::string::npos) << err_;
  ExpectVictimIntact();
  EXPECT_TRUE(IsLink(planted + "/summary.md"));

  EXPECT_EQ(Run({"report", logs_.File("in.csv"), "--out", planted, "--force"}),
            0)
      << err_;
  ExpectVictimIntact();
  EXPECT_FALSE(IsLink(planted + "/summary.md"));
  EXPECT_NE(ReadFile(planted + "/summary.md").find("|"), std::string::npos);

  // Marked as report's now: a link planted after it is replaced too.
  ASSERT_EQ(AsUser(nobody_,
                   [&] {
                     unlink((planted + "/summary.csv").c_str());
                     return symlink(target.c_str(),
                                    (planted + "/summary.csv").c_str());
                   }),
            0);
  EXPECT_EQ(Run({"report", logs_.File("in.csv"), "--out", planted}), 0)
      << err_;
  ExpectVictimIntact();
  EXPECT_FALSE(IsLink(planted + "/summary.csv"));

  // A marker another user made does not make a directory report's.
  const std::string foreign = shared_tmp_.File("foreign");
  ASSERT_EQ(AsUser(nobody_,
                   [&] {
                     if (mkdir(foreign.c_str(), 0777) != 0) return 1;
                     std::ofstream(foreign + "/.ctrbench-report") << "\n";
                     return symlink(target.c_str(),
                                    (foreign + "/summary.md").c_str());
                   }),
            0);
  EXPECT_EQ(Run({"report", logs_.File("in.csv"), "--out", foreign}), 2);
  ExpectVictimIntact();

  // The user's own file in a directory of theirs.
  TempDir mine;
  std::ofstream(mine.File("summary.md")) << "my notes\n";
  EXPECT_EQ(Run({"report", logs_.File("in.csv"), "--out", mine.path()}), 2);
  EXPECT_EQ(ReadFile(mine.File("summary.md")), "my notes\n");
}

}  // namespace
}  // namespace ctrbench
