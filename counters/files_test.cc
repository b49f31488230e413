#include "counters/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace ctrbench {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool IsLink(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// Every name in `dir`, sorted, hidden ones too.
std::set<std::string> List(const std::string& dir) {
  std::set<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) names.insert(e->d_name);
    closedir(d);
  }
  names.erase(".");
  names.erase("..");
  return names;
}

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<MadeDir> made = MakeTempDir("ctrbench-files-test-");
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    root_ = made->path;
    victim_ = root_ + "/victim";
    ASSERT_EQ(mkdir(victim_.c_str(), 0700), 0);
    std::ofstream(victim_ + "/precious") << "keep";
  }
  void TearDown() override {
    if (!root_.empty()) RemoveTree(root_, nullptr).ok();
  }
  std::string root_, victim_;
};

TEST_F(FilesTest, RemoveTreeRemovesLinksNotWhatTheyPointTo) {
  Result<MadeDir> dir = MakeTempDir("ctrbench-", root_);
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(mkdir((dir->path + "/a").c_str(), 0700), 0);
  ASSERT_EQ(mkdir((dir->path + "/a/b").c_str(), 0700), 0);
  std::ofstream(dir->path + "/a/b/file") << "x";
  ASSERT_EQ(symlink(victim_.c_str(), (dir->path + "/a/to-dir").c_str()), 0);
  ASSERT_EQ(symlink((victim_ + "/precious").c_str(),
                    (dir->path + "/a/b/to-file").c_str()),
            0);
  Status st = RemoveTree(dir->path, &dir->id);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(Exists(dir->path));
  EXPECT_EQ(Read(victim_ + "/precious"), "keep");
  // A missing tree is no error.
  EXPECT_TRUE(RemoveTree(dir->path, &dir->id).ok());
}

TEST_F(FilesTest, RemoveTreeRefusesADirectoryThatIsNoLongerTheOneMade) {
  Result<MadeDir> dir = MakeTempDir("ctrbench-", root_);
  ASSERT_TRUE(dir.ok());
  // Swapped for a link to the victim.
  ASSERT_EQ(rename(dir->path.c_str(), (dir->path + ".moved").c_str()), 0);
  ASSERT_EQ(symlink(victim_.c_str(), dir->path.c_str()), 0);
  Status st = RemoveTree(dir->path, &dir->id);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("symbolic link"), std::string::npos)
      << st.message();
  EXPECT_TRUE(IsLink(dir->path));
  EXPECT_EQ(Read(victim_ + "/precious"), "keep");
  // Swapped for another directory of the same name.
  ASSERT_EQ(unlink(dir->path.c_str()), 0);
  ASSERT_EQ(mkdir(dir->path.c_str(), 0700), 0);
  st = RemoveTree(dir->path, &dir->id);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("not the directory"), std::string::npos);
  EXPECT_TRUE(Exists(dir->path));
  // The one made, found again under its old name, goes.
  ASSERT_EQ(rmdir(dir->path.c_str()), 0);
  ASSERT_EQ(rename((dir->path + ".moved").c_str(), dir->path.c_str()), 0);
  EXPECT_TRUE(RemoveTree(dir->path, &dir->id).ok());
}

TEST_F(FilesTest, IdentityRoundTripsThroughLedgerFields) {
  Result<MadeDir> dir = MakeTempDir("ctrbench-", root_);
  ASSERT_TRUE(dir.ok());
  const FileId back = IdFromFields(WithId({{"path", dir->path}}, dir->id));
  EXPECT_TRUE(back.known);
  EXPECT_EQ(back.dev, dir->id.dev);
  EXPECT_EQ(back.ino, dir->id.ino);
  EXPECT_EQ(back.uid, dir->id.uid);
  EXPECT_FALSE(IdFromFields({{"path", "x"}}).known);
  EXPECT_FALSE(IdFromFields({{"dev", "1"}, {"ino", "x"}, {"uid", "0"}}).known);
}

TEST_F(FilesTest, RemoveFileLeavesLinksAndOtherFiles) {
  const std::string link = root_ + "/link";
  ASSERT_EQ(symlink((victim_ + "/precious").c_str(), link.c_str()), 0);
  EXPECT_FALSE(RemoveFile(link, nullptr).ok());
  EXPECT_TRUE(IsLink(link));
  const std::string file = root_ + "/file";
  std::ofstream(file) << "x";
  struct stat st;
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  FileId other = IdOf(st);
  other.ino += 1;
  EXPECT_FALSE(RemoveFile(file, &other).ok());
  EXPECT_TRUE(Exists(file));
  const FileId id = IdOf(st);
  EXPECT_TRUE(RemoveFile(file, &id).ok());
  EXPECT_FALSE(Exists(file));
  EXPECT_TRUE(RemoveFile(file, &id).ok());  // Gone already.
}

TEST_F(FilesTest, CreateNewNeverFollowsOrReplaces) {
  const std::string link = root_ + "/out.csv";
  ASSERT_EQ(symlink((victim_ + "/precious").c_str(), link.c_str()), 0);
  Result<Fd> fd = CreateNew(link, "header\n");
  EXPECT_FALSE(fd.ok());
  EXPECT_TRUE(fd.status().IsInvalidArgument()) << fd.status().ToString();
  EXPECT_EQ(Read(victim_ + "/precious"), "keep");
  const std::string path = root_ + "/new.csv";
  fd = CreateNew(path, "header\n");
  ASSERT_TRUE(fd.ok()) << fd.status().ToString();
  ASSERT_EQ(write(fd->get(), "row\n", 4), 4);
  EXPECT_EQ(Read(path), "header\nrow\n");
  EXPECT_FALSE(CreateNew(path, "again\n").ok());
  EXPECT_EQ(Read(path), "header\nrow\n");
  // No scratch file is left beside it.
  EXPECT_EQ(List(root_),
            (std::set<std::string>{"new.csv", "out.csv", "victim"}));
  EXPECT_FALSE(OpenToAppend(link).ok());
  EXPECT_TRUE(OpenToAppend(path).ok());
}

TEST_F(FilesTest, WriteWholeReplacesALinkNotItsTarget) {
  const std::string link = root_ + "/summary.md";
  ASSERT_EQ(symlink((victim_ + "/precious").c_str(), link.c_str()), 0);
  EXPECT_FALSE(WriteWhole(link, "new", Replace::kNo).ok());
  EXPECT_TRUE(WriteWhole(link, "new", Replace::kYes).ok());
  EXPECT_FALSE(IsLink(link));
  EXPECT_EQ(Read(link), "new");
  EXPECT_EQ(Read(victim_ + "/precious"), "keep");
}

TEST_F(FilesTest, OutputDirWritesOnlyWhereItMayAndCleansItsOwn) {
  const std::string out = root_ + "/report";
  {
    Result<OutputDir> dir = OutputDir::Open(out, ".marker", false);
    ASSERT_TRUE(dir.ok()) << dir.status().ToString();
    ASSERT_TRUE(dir->Write("a.txt", "A").ok());
    ASSERT_TRUE(dir->Write("b.txt", "B").ok());
    ASSERT_TRUE(dir->Commit().ok());
  }
  EXPECT_EQ(Read(out + "/a.txt"), "A");
  EXPECT_EQ(Read(out + "/.marker"), "a.txt\nb.txt\n");
  {
    // Marked: written again; b.txt, not written this time, goes.
    Result<OutputDir> dir = OutputDir::Open(out, ".marker", false);
    ASSERT_TRUE(dir.ok()) << dir.status().ToString();
    ASSERT_TRUE(dir->Write("a.txt", "A2").ok());
    ASSERT_TRUE(dir->Commit().ok());
  }
  EXPECT_EQ(Read(out + "/a.txt"), "A2");
  EXPECT_FALSE(Exists(out + "/b.txt"));
  {
    // Nothing committed: nothing changes, and the stage goes.
    Result<OutputDir> dir = OutputDir::Open(out, ".marker", false);
    ASSERT_TRUE(dir.ok());
    ASSERT_TRUE(dir->Write("a.txt", "never").ok());
  }
  EXPECT_EQ(Read(out + "/a.txt"), "A2");
  EXPECT_EQ(List(out), (std::set<std::string>{".marker", "a.txt"}));
  // Somebody's directory, not empty and not marked: refused, then forced.
  const std::string other = root_ + "/other";
  ASSERT_EQ(mkdir(other.c_str(), 0755), 0);
  std::ofstream(other + "/notes.md") << "mine";
  Result<OutputDir> refused = OutputDir::Open(other, ".marker", false);
  EXPECT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalidArgument());
  Result<OutputDir> forced = OutputDir::Open(other, ".marker", true);
  ASSERT_TRUE(forced.ok());
  ASSERT_TRUE(forced->Write("x.txt", "X").ok());
  ASSERT_TRUE(forced->Commit().ok());
  EXPECT_EQ(Read(other + "/notes.md"), "mine");
  // A link as the directory itself is refused.
  const std::string link = root_ + "/link";
  ASSERT_EQ(symlink(victim_.c_str(), link.c_str()), 0);
  EXPECT_FALSE(OutputDir::Open(link, ".marker", true).ok());
}

}  // namespace
}  // namespace ctrbench
