#include "counters/files.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <random>
#include <sstream>

namespace ctrbench {

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) close(fd_);
}

FileId IdOf(const struct stat& st) {
  FileId id;
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  id.uid = st.st_uid;
  id.known = true;
  return id;
}

bool SameFile(const FileId& a, const struct stat& st) {
  return a.known && a.dev == st.st_dev && a.ino == st.st_ino &&
         a.uid == st.st_uid;
}

std::map<std::string, std::string> WithId(
    std::map<std::string, std::string> fields, const FileId& id) {
  if (id.known) {
    fields["dev"] = std::to_string(static_cast<unsigned long long>(id.dev));
    fields["ino"] = std::to_string(static_cast<unsigned long long>(id.ino));
    fields["uid"] = std::to_string(static_cast<unsigned long long>(id.uid));
  }
  return fields;
}

FileId IdFromFields(const std::map<std::string, std::string>& fields) {
  FileId id;
  auto number = [&fields](const char* key, unsigned long long* out) {
    auto it = fields.find(key);
    if (it == fields.end() || it->second.empty()) return false;
    char* end = nullptr;
    errno = 0;
    *out = std::strtoull(it->second.c_str(), &end, 10);
    return errno == 0 && *end == '\0';
  };
  unsigned long long dev = 0, ino = 0, uid = 0;
  if (number("dev", &dev) && number("ino", &ino) && number("uid", &uid)) {
    id.dev = static_cast<dev_t>(dev);
    id.ino = static_cast<ino_t>(ino);
    id.uid = static_cast<uid_t>(uid);
    id.known = true;
  }
  return id;
}

namespace {

// "Directory of `path`" and "its last component", without resolving
// anything: "a/b/" -> ("a", "b"), "b" -> (".", "b"), "/b" -> ("/", "b").
std::pair<std::string, std::string> Split(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// A name for a file beside `name` that nobody else has: ".name.XXXXXXXX".
std::string Scratch(const std::string& name) {
  static thread_local std::mt19937_64 random{std::random_device{}() ^
                                             static_cast<uint64_t>(getpid())};
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out = "." + name.substr(0, 200) + ".";
  for (int i = 0; i < 10; ++i) out += kChars[random() % 36];
  return out;
}

Status WriteAllTo(int fd, const std::string& text, const std::string& what) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("write " + what, errno);
    if (n == 0) return Status::IOError("write " + what + ": no progress");
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

// A new scratch file beside `name` in `dir` holding `text`; its name in
// *scratch. Never through a link (O_EXCL creates, O_NOFOLLOW on top).
Result<Fd> WriteScratch(int dir, const std::string& name,
                        const std::string& text, mode_t mode,
                        const std::string& what, std::string* scratch) {
  for (int attempt = 0;; ++attempt) {
    *scratch = Scratch(name);
    Fd fd(openat(dir, scratch->c_str(),
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd.valid()) {
      if (errno == EEXIST && attempt < 100) continue;
      return Status::FromErrno("create " + what, errno);
    }
    // The mode asked for, whatever the umask took away (a results file is
    // for others to read; a ledger for nobody else).
    fchmod(fd.get(), mode);
    Status st = WriteAllTo(fd.get(), text, what);
    if (st.ok() && fsync(fd.get()) != 0) {
      st = Status::FromErrno("sync " + what, errno);
    }
    if (!st.ok()) {
      unlinkat(dir, scratch->c_str(), 0);
      return st;
    }
    return fd;
  }
}

// Renames `from` to `to` in `dir`; with Replace::kNo fails if `to` exists.
int MoveInto(int dir, const std::string& from, const std::string& to,
             Replace replace) {
  if (replace == Replace::kYes) {
    return renameat(dir, from.c_str(), dir, to.c_str());
  }
  if (renameat2(dir, from.c_str(), dir, to.c_str(), RENAME_NOREPLACE) == 0) {
    return 0;
  }
  if (errno != EINVAL && errno != ENOSYS) return -1;
  // A file system without RENAME_NOREPLACE: a hard link fails on an
  // existing name just the same.
  if (linkat(dir, from.c_str(), dir, to.c_str(), 0) != 0) return -1;
  unlinkat(dir, from.c_str(), 0);
  return 0;
}

Status RemoveContents(int dir, dev_t dev, const std::string& path, int depth);

// Removes directory entry `name` of `dir` (a subdirectory with everything
// in it), on device `dev` only; with `expect`, only if the directory opened
// is that one (checked on the open descriptor: a name swapped after an
// earlier look is caught here).
Status RemoveEntry(int dir, const std::string& name, dev_t dev,
                   const std::string& path, int depth,
                   const FileId* expect = nullptr) {
  struct stat st;
  if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return Status::OK();
    return Status::FromErrno("remove " + path, errno);
  }
  if (!S_ISDIR(st.st_mode)) {
    // A link goes as a link: what it points to is never touched.
    if (unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT) {
      return Status::FromErrno("remove " + path, errno);
    }
    return Status::OK();
  }
  if (st.st_dev != dev) {
    return Status::IOError("remove " + path + ": another file system is "
                           "mounted there; left");
  }
  if (depth > 64) return Status::IOError("remove " + path + ": too deep");
  Fd sub(openat(dir, name.c_str(),
                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!sub.valid()) return Status::FromErrno("remove " + path, errno);
  struct stat opened;
  if (fstat(sub.get(), &opened) != 0 || opened.st_dev != st.st_dev ||
      opened.st_ino != st.st_ino ||
      (expect != nullptr && !SameFile(*expect, opened))) {
    return Status::InvalidArgument("remove " + path + ": it changed while "
                                   "being removed; left as it is");
  }
  Status status = RemoveContents(sub.get(), dev, path, depth + 1);
  if (!status.ok()) return status;
  if (unlinkat(dir, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
    return Status::FromErrno("remove " + path, errno);
  }
  return Status::OK();
}

Status RemoveContents(int dir, dev_t dev, const std::string& path, int depth) {
  // Names first, then removals: a directory is not changed while read.
  std::vector<std::string> names;
  {
    const int copy = dup(dir);
    if (copy < 0) return Status::FromErrno("read " + path, errno);
    DIR* d = fdopendir(copy);
    if (d == nullptr) {
      const int e = errno;
      close(copy);
      return Status::FromErrno("read " + path, e);
    }
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(d);
  }
  Status status;
  for (const std::string& name : names) {
    Status st = RemoveEntry(dir, name, dev, path + "/" + name, depth);
    if (status.ok() && !st.ok()) status = st;
  }
  return status;
}

}  // namespace

Result<Fd> OpenDir(const std::string& path) {
  Fd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ELOOP) {
      return Status::InvalidArgument(path + " is a symbolic link; name the "
                                     "directory itself");
    }
    return Status::FromErrno("open " + path, errno);
  }
  return fd;
}

Result<std::pair<Fd, std::string>> OpenParent(const std::string& path) {
  auto [parent, name] = Split(path);
  if (name.empty() || name == "." || name == "..") {
    errno = EINVAL;  // For callers that look at errno (never ENOENT here).
    return Status::InvalidArgument(path + ": not a file name");
  }
  Fd fd(open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    const int e = errno;
    Status st = Status::FromErrno("open " + parent, e);
    errno = e;  // For callers to whom a missing directory is no error.
    return st;
  }
  return std::make_pair(std::move(fd), name);
}

std::string TempBase() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

Result<MadeDir> MakeTempDir(const std::string& prefix,
                            const std::string& base) {
  std::string pattern =
      (base.empty() ? TempBase() : base) + "/" + prefix + "XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return Status::FromErrno("create temporary directory " + pattern, errno);
  }
  // mkdtemp made it (O_EXCL-like): it is ours. Its identity now, before
  // anyone could swap it.
  struct stat st;
  if (lstat(pattern.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
      st.st_uid != geteuid()) {
    return Status::IOError("create temporary directory " + pattern +
                           ": it changed at once; left");
  }
  return MadeDir{pattern, IdOf(st)};
}

Status MakeDirs(const std::string& path, mode_t mode) {
  std::string partial;
  std::stringstream parts(path);
  std::string part;
  if (!path.empty() && path[0] == '/') partial = "/";
  while (std::getline(parts, part, '/')) {
    if (part.empty()) continue;
    partial += part + "/";
    if (mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) {
      return Status::FromErrno("create " + partial, errno);
    }
  }
  return Status::OK();
}

Status RemoveTreeAt(int dir, const std::string& name, const FileId* expect) {
  struct stat st;
  if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return Status::OK();
    return Status::FromErrno("remove " + name, errno);
  }
  if (expect != nullptr && !SameFile(*expect, st)) {
    return Status::InvalidArgument(
        std::string(S_ISLNK(st.st_mode) ? "it is a symbolic link now"
                                        : "it is not the directory ctrbench "
                                          "made (device, inode or owner "
                                          "differ)") +
        "; left as it is");
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument("not a directory; left as it is");
  }
  return RemoveEntry(dir, name, st.st_dev, name, 0, expect);
}

Status RemoveTree(const std::string& path, const FileId* expect) {
  Result<std::pair<Fd, std::string>> parent = OpenParent(path);
  if (!parent.ok()) return errno == ENOENT ? Status::OK() : parent.status();
  Status st = RemoveTreeAt(parent->first.get(), parent->second, expect);
  return st.ok() ? st : st.WithContext(path);
}

Status RemoveFileAt(int dir, const std::string& name, const FileId* expect) {
  struct stat st;
  if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return Status::OK();
    return Status::FromErrno("remove " + name, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(std::string(S_ISLNK(st.st_mode)
                                           ? "a symbolic link"
                                           : "not a regular file") +
                           ", not what ctrbench made; left as it is");
  }
  if (expect != nullptr ? !SameFile(*expect, st) : st.st_uid != geteuid()) {
    return Status::InvalidArgument(
        expect != nullptr
            ? "not the file ctrbench made (device, inode or owner differ); "
              "left as it is"
            : "owned by uid " + std::to_string(st.st_uid) +
                  ", not by this user; left as it is");
  }
  if (unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT) {
    return Status::FromErrno("remove " + name, errno);
  }
  return Status::OK();
}

Status RemoveFile(const std::string& path, const FileId* expect) {
  Result<std::pair<Fd, std::string>> parent = OpenParent(path);
  if (!parent.ok()) return errno == ENOENT ? Status::OK() : parent.status();
  Status st = RemoveFileAt(parent->first.get(), parent->second, expect);
  return st.ok() ? st : st.WithContext(path);
}

Status WriteWholeAt(int dir, const std::string& name, const std::string& text,
                    Replace replace, mode_t mode) {
  std::string scratch;
  Result<Fd> fd = WriteScratch(dir, name, text, mode, name, &scratch);
  if (!fd.ok()) return fd.status();
  if (MoveInto(dir, scratch, name, replace) != 0) {
    const int e = errno;
    unlinkat(dir, scratch.c_str(), 0);
    Status st = Status::FromErrno("write " + name, e);
    errno = e;  // WriteWhole tells an existing name by it.
    return st;
  }
  return Status::OK();
}

Status WriteWhole(const std::string& path, const std::string& text,
                  Replace replace, mode_t mode) {
  Result<std::pair<Fd, std::string>> parent = OpenParent(path);
  if (!parent.ok()) return parent.status();
  Status st =
      WriteWholeAt(parent->first.get(), parent->second, text, replace, mode);
  const int err = errno;
  if (!st.ok() && replace == Replace::kNo && err == EEXIST) {
    return Status::InvalidArgument(path + ": file exists");
  }
  return st.ok() ? st : st.WithContext(path);
}

Result<Fd> CreateNew(const std::string& path, const std::string& first,
                     mode_t mode) {
  Result<std::pair<Fd, std::string>> parent = OpenParent(path);
  if (!parent.ok()) return parent.status();
  const int dir = parent->first.get();
  const std::string& name = parent->second;
  std::string scratch;
  Result<Fd> fd = WriteScratch(dir, name, first, mode, path, &scratch);
  if (!fd.ok()) return fd.status();
  if (MoveInto(dir, scratch, name, Replace::kNo) != 0) {
    const int e = errno;
    unlinkat(dir, scratch.c_str(), 0);
    if (e == EEXIST) {
      return Status::InvalidArgument(path + ": file exists");
    }
    return Status::FromErrno("create " + path, e);
  }
  // Appends go to the end, whatever the offset.
  const int flags = fcntl(fd->get(), F_GETFL);
  if (flags >= 0) fcntl(fd->get(), F_SETFL, flags | O_APPEND);
  return fd;
}

Result<Fd> OpenToAppend(const std::string& path) {
  Fd fd(open(path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ELOOP) {
      return Status::InvalidArgument(path + " is a symbolic link; name the "
                                     "file itself");
    }
    return Status::FromErrno("open " + path, errno);
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::InvalidArgument(path + " is not a regular file");
  }
  return fd;
}

Result<std::string> ReadTail(const std::string& path, size_t max_bytes) {
  Fd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno("read " + path, errno);
  struct stat st;
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::IOError("read " + path + ": not a regular file");
  }
  const off_t size = st.st_size;
  const off_t from = size > static_cast<off_t>(max_bytes)
                         ? size - static_cast<off_t>(max_bytes)
                         : 0;
  std::string text(static_cast<size_t>(size - from), '\0');
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = pread(fd.get(), text.data() + done, text.size() - done,
                            from + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  text.resize(done);
  return text;
}

namespace {

// The names in directory `fd` (without . and ..).
Result<std::vector<std::string>> Names(int fd, const std::string& what) {
  const int copy = dup(fd);
  if (copy < 0) return Status::FromErrno("read " + what, errno);
  DIR* d = fdopendir(copy);
  if (d == nullptr) {
    const int e = errno;
    close(copy);
    return Status::FromErrno("read " + what, e);
  }
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(d);
  return names;
}

}  // namespace

Result<OutputDir> OutputDir::Open(const std::string& path,
                                  const std::string& marker, bool force) {
  OutputDir out;
  out.path_ = path;
  out.marker_ = marker;
  if (mkdir(path.c_str(), 0755) != 0 && errno == ENOENT) {
    Status st = MakeDirs(path, 0755);
    if (!st.ok()) return st;
  }
  Result<Fd> dir = OpenDir(path);
  if (!dir.ok()) return dir.status();
  out.dir_ = std::move(*dir);
  Result<std::vector<std::string>> names = Names(out.dir_.get(), path);
  if (!names.ok()) return names.status();
  // The marker, opened first and then looked at (a regular file of this
  // user's), so that what is read is what was checked.
  struct stat st;
  Fd fd(openat(out.dir_.get(), marker.c_str(),
               O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  const bool marked = fd.valid() && fstat(fd.get(), &st) == 0 &&
                      S_ISREG(st.st_mode) && st.st_uid == geteuid();
  if (marked) {
    std::string text(64 * 1024, '\0');
    const ssize_t n = read(fd.get(), text.data(), text.size());
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    std::stringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.find('/') == std::string::npos &&
          line != "." && line != ".." && line != marker) {
        out.previous_.push_back(line);
      }
    }
  } else if (!names->empty() && !force) {
    return Status::InvalidArgument(
        path + " holds files that ctrbench did not write there (it has no " +
        marker + " of this user's); allowed: a new or empty directory, one "
        "an earlier report wrote, or --force to write into it anyway");
  }
  // The stage: a new directory of ours, which only we can write in.
  for (int attempt = 0;; ++attempt) {
    out.stage_name_ = Scratch("ctrbench-stage");
    if (mkdirat(out.dir_.get(), out.stage_name_.c_str(), 0700) == 0) break;
    if (errno != EEXIST || attempt == 100) {
      return Status::FromErrno("create a directory in " + path, errno);
    }
  }
  out.stage_ = Fd(openat(out.dir_.get(), out.stage_name_.c_str(),
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!out.stage_.valid() || fstat(out.stage_.get(), &st) != 0 ||
      st.st_uid != geteuid()) {
    return Status::IOError("create a directory in " + path +
                           ": it changed at once");
  }
  out.stage_id_ = IdOf(st);
  return out;
}

OutputDir::~OutputDir() {
  if (stage_.valid()) RemoveTreeAt(dir_.get(), stage_name_, &stage_id_).ok();
}

Status OutputDir::Write(const std::string& name, const std::string& text) {
  Status st = WriteWholeAt(stage_.get(), name, text, Replace::kNo);
  return st.ok() ? st : st.WithContext(path_);
}

Status OutputDir::Commit() {
  Result<std::vector<std::string>> made = Names(stage_.get(), path_);
  if (!made.ok()) return made.status();
  std::sort(made->begin(), made->end());
  for (const std::string& name : *made) {
    if (name == marker_) continue;
    if (renameat(stage_.get(), name.c_str(), dir_.get(), name.c_str()) != 0) {
      return Status::FromErrno("write " + path_ + "/" + name, errno);
    }
  }
  Status status;
  for (const std::string& name : previous_) {
    if (std::binary_search(made->begin(), made->end(), name)) continue;
    Status st = RemoveFileAt(dir_.get(), name, nullptr);
    if (status.ok() && !st.ok()) status = st.WithContext(path_ + "/" + name);
  }
  std::string list;
  for (const std::string& name : *made) list += name + "\n";
  Status st = WriteWholeAt(dir_.get(), marker_, list, Replace::kYes);
  if (status.ok() && !st.ok()) status = st.WithContext(path_);
  st = RemoveTreeAt(dir_.get(), stage_name_, &stage_id_);
  if (status.ok() && !st.ok()) status = st.WithContext(path_);
  stage_ = Fd();
  return status;
}

}  // namespace ctrbench
