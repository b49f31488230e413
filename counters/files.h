// Every file and directory ctrbench writes or removes goes through here: by
// file descriptor and the *at calls, never following a symbolic link below
// the path the user named, and removing only what it can identify as its own
// (device, inode and owner, recorded when it was made). The models are
// coreutils' `rm -r` (fts without following links, never crossing a mount)
// and systemd-tmpfiles' ownership checks.
//
//   Result<MadeDir> dir = MakeTempDir("ctrbench-sqlite-");   // path + id
//   ledger->Add("dir", WithId({{"path", dir->path}}, dir->id));
//   ...
//   Status st = RemoveTree(dir->path, &dir->id);   // refuses a swapped one
//
//   Status st = WriteWhole("results/x.json", text, Replace::kNo);

#ifndef CTRBENCH_COUNTERS_FILES_H_
#define CTRBENCH_COUNTERS_FILES_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "counters/status.h"

namespace ctrbench {

// An open file descriptor, closed with its owner.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// What a file or directory is, whatever its name: compared before removal.
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  uid_t uid = 0;
  bool known = false;
};

FileId IdOf(const struct stat& st);
bool SameFile(const FileId& a, const struct stat& st);
// "dev", "ino" and "uid" added to ledger fields, and read back (unknown
// when a field is missing: a ledger of an older ctrbench).
std::map<std::string, std::string> WithId(
    std::map<std::string, std::string> fields, const FileId& id);
FileId IdFromFields(const std::map<std::string, std::string>& fields);

// The directory `path` opened (O_DIRECTORY); its last component must not be
// a symbolic link. The components before it are resolved as usual: they are
// the user's own choice of where things go.
Result<Fd> OpenDir(const std::string& path);
// The directory holding `path`, opened, and the last component's name.
Result<std::pair<Fd, std::string>> OpenParent(const std::string& path);

struct MadeDir {
  std::string path;
  FileId id;
};
// Creates BASE/<prefix>XXXXXX, owner-only, and says what it is. BASE is
// `base`, or $TMPDIR, or /tmp.
Result<MadeDir> MakeTempDir(const std::string& prefix,
                            const std::string& base = "");
// $TMPDIR, or /tmp.
std::string TempBase();

// Creates `path` and its missing parents with `mode`.
Status MakeDirs(const std::string& path, mode_t mode = 0700);

// Removes the directory `path` and everything in it, without following a
// symbolic link and without crossing into another file system. With
// `expect`, only if `path` is still that directory (device, inode and
// owner): a directory renamed away and replaced, by a link or anything
// else, is left with an error that says so (InvalidArgument: not ours; an
// IOError is a removal that failed). A missing `path` is no error.
Status RemoveTree(const std::string& path, const FileId* expect);
// The same for entry `name` of the open directory `dir`.
Status RemoveTreeAt(int dir, const std::string& name, const FileId* expect);

// Removes `path` if it is a regular file that `expect` names, or (without
// `expect`) one of this user's; a symbolic link or another's file is left
// with an error saying why. A missing `path` is no error.
Status RemoveFile(const std::string& path, const FileId* expect);
Status RemoveFileAt(int dir, const std::string& name, const FileId* expect);

enum class Replace { kNo, kYes };
// Writes `text` as the whole of entry `name` of directory `dir`: into a new
// file beside it (O_EXCL, never through a link), synced, then renamed into
// place, so that the name holds the old file or the new one and never half
// of one. With Replace::kNo an existing `name` is an error (EEXIST).
Status WriteWholeAt(int dir, const std::string& name, const std::string& text,
                    Replace replace, mode_t mode = 0644);
Status WriteWhole(const std::string& path, const std::string& text,
                  Replace replace, mode_t mode = 0644);

// Creates `path`, which must not exist, holding `first` (a header), and
// returns it open for appending: written beside it and moved into place, so
// that a failure leaves no file and a planted link is never followed.
Result<Fd> CreateNew(const std::string& path, const std::string& first,
                     mode_t mode = 0644);
// An existing regular file of `path` (not a link) opened for appending.
Result<Fd> OpenToAppend(const std::string& path);

// Up to the last `max_bytes` of file `path`, not through a link (the log of
// a server that runs as another user, who could swap it for a link to
// something it may not read).
Result<std::string> ReadTail(const std::string& path, size_t max_bytes);

// A directory ctrbench writes a set of files into, and may write again
// (`report --out DIR`). It is created and marked by ctrbench (the marker
// names the files it wrote); an existing one is written into only when it
// is empty or holds a marker of this user's, or with `force`. Files are made
// in a private directory inside (ours, 0700: nothing can be planted there)
// and moved into place by Commit(), which replaces an entry of the same name
// (a link as a link) and never writes through one.
//
//   Result<OutputDir> out = OutputDir::Open("results/report",
//                                           ".ctrbench-report", false);
//   st = out->Write("summary.md", text);   // or a program run in stage()
//   st = out->Commit();
class OutputDir {
 public:
  static Result<OutputDir> Open(const std::string& path,
                                const std::string& marker, bool force);
  OutputDir(OutputDir&&) noexcept = default;
  OutputDir& operator=(OutputDir&&) = delete;
  ~OutputDir();  // Removes the stage if nothing was committed.

  const std::string& path() const { return path_; }
  // The private directory files are made in (a program that writes files,
  // such as gnuplot, runs with it as its working directory).
  int stage() const { return stage_.get(); }
  Status Write(const std::string& name, const std::string& text);
  // Moves every file of the stage into place, removes the files the last
  // write named that this one did not make (if still regular files of
  // ours), writes the marker, and removes the stage.
  Status Commit();

 private:
  OutputDir() = default;
  std::string path_, marker_, stage_name_;
  Fd dir_, stage_;
  FileId stage_id_;
  std::vector<std::string> previous_;  // What the marker named.
};

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_FILES_H_
