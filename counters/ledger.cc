#include "counters/ledger.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "counters/backend.h"
#include "counters/files.h"

namespace ctrbench {

namespace {

constexpr char kMagic[] = "ctrbench-ledger 1";
constexpr char kSuffix[] = ".ledger";

std::string HostName() {
  char name[256] = {};
  gethostname(name, sizeof(name) - 1);
  std::string out = name;
  for (char& c : out) {
    if (c == '/' || c == '\t' || c == '\n' || c == '-') c = '_';
  }
  return out.empty() ? "host" : out;
}

}  // namespace

std::string FieldOf(const LedgerFields& fields, const std::string& key) {
  auto it = fields.find(key);
  return it == fields.end() ? std::string() : it->second;
}

std::string RunTableName(const std::string& run_id) {
  std::string name = "ctrbench_" + run_id;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

bool IsRunTableName(const std::string& name) {
  return name.rfind("ctrbench_", 0) == 0 &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
             std::string::npos;
}

namespace {

using Entries = std::map<uint64_t, std::pair<std::string, LedgerFields>>;

struct Parsed {
  std::string host;
  pid_t pid = 0;
  uint64_t start = 0;
  Entries entries;
};

// Writes a ledger whole to a temporary file, syncs it, then renames it over
// the old: a crash leaves the old ledger or the new one, never half of one.
Status WriteLedger(const std::string& path, const std::string& host,
                   pid_t pid, uint64_t start, const Entries& entries) {
  std::string text = std::string(kMagic) + "\n";
  text += FormatOptions({{"host", host},
                         {"pid", std::to_string(pid)},
                         {"start", std::to_string(start)}}) +
          "\n";
  for (const auto& [id, e] : entries) {
    text += std::to_string(id) + "\t" + e.first + "\t" +
            FormatOptions(e.second) + "\n";
  }
  Status st = WriteWhole(path, text, Replace::kYes, 0600);
  return st.ok() ? st : st.WithContext("ledger");
}

// "<id>\t<kind>\t<k=v;k=v>" lines after the header.
Result<Parsed> ParseLedger(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line) || line != kMagic) {
    return Status::InvalidArgument(path + ": not a ctrbench ledger");
  }
  Parsed p;
  if (!std::getline(in, line)) {
    return Status::InvalidArgument(path + ": no owner line");
  }
  const LedgerFields owner = ParseFormattedOptions(line);
  auto get = [&owner](const char* key) {
    auto it = owner.find(key);
    return it == owner.end() ? std::string() : it->second;
  };
  p.host = get("host");
  p.pid = static_cast<pid_t>(std::atol(get("pid").c_str()));
  p.start = std::strtoull(get("start").c_str(), nullptr, 10);
  while (std::getline(in, line)) {
    const size_t tab1 = line.find('\t');
    const size_t tab2 = line.find('\t', tab1 + 1);
    if (tab1 == std::string::npos || tab2 == std::string::npos) continue;
    const uint64_t id = std::strtoull(line.substr(0, tab1).c_str(), nullptr, 10);
    p.entries[id] = {line.substr(tab1 + 1, tab2 - tab1 - 1),
                     ParseFormattedOptions(line.substr(tab2 + 1))};
  }
  return p;
}

std::string Describe(const std::string& kind, const LedgerFields& fields) {
  return kind + " " + FormatOptions(fields);
}

}  // namespace

std::string StateDir() {
  if (const char* dir = std::getenv("CTRBENCH_STATE_DIR")) {
    if (*dir) return dir;
  }
  if (const char* xdg = std::getenv("XDG_STATE_HOME")) {
    if (*xdg) return std::string(xdg) + "/ctrbench";
  }
  // Never a shared place such as /tmp: there another user could plant a
  // ledger for our `cleanup` to act on. Without HOME, Open() says to set
  // CTRBENCH_STATE_DIR.
  const char* home = std::getenv("HOME");
  return home && *home ? std::string(home) + "/.local/state/ctrbench" : "";
}

namespace {

// A state directory or ledger must be ours and writable by us only: a
// ledger is a list of things to delete.
Status CheckOwnedByUs(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    return Status::FromErrno("ledger: " + path, errno);
  }
  if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
    return Status::InvalidArgument(
        path + " is not owned by this user, or others may write to it; a "
        "ledger there could make cleanup delete what it names");
  }
  return Status::OK();
}

}  // namespace

uint64_t ProcessStartTime(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  std::stringstream rest(text.substr(paren + 1));
  std::string field;
  // Fields after the command: state is the 3rd field, starttime the 22nd.
  // A zombie (a killed run its parent has not reaped yet) is dead.
  for (int i = 3; i <= 22 && rest >> field; ++i) {
    if (i == 3 && (field == "Z" || field == "X")) return 0;
    if (i == 22) return std::strtoull(field.c_str(), nullptr, 10);
  }
  return 0;
}

Result<std::unique_ptr<Ledger>> Ledger::Open() {
  const std::string dir = StateDir();
  if (dir.empty()) {
    return Status::InvalidArgument("no HOME to keep the run ledger under");
  }
  Status st = MakeDirs(dir);
  if (st.ok()) st = CheckOwnedByUs(dir);
  if (!st.ok()) return st;
  const pid_t pid = getpid();
  const std::string path = dir + "/" + HostName() + "-" + std::to_string(pid) +
                           "-" + std::to_string(ProcessStartTime(pid)) +
                           kSuffix;
  std::unique_ptr<Ledger> ledger(new Ledger(path));
  st = ledger->Write();
  if (!st.ok()) return st;
  return ledger;
}

Ledger::~Ledger() {
  if (getpid() != owner_) return;  // A forked worker: the parent's file.
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.empty()) unlink(path_.c_str());
}

Status Ledger::Write() {
  return WriteLedger(path_, HostName(), owner_, ProcessStartTime(owner_),
                     entries_);
}

Result<uint64_t> Ledger::Add(const std::string& kind,
                             const LedgerFields& fields) {
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t id = next_id_++;
  entries_[id] = {kind, fields};
  Status st = Write();
  if (!st.ok()) {
    entries_.erase(id);
    return st;
  }
  return id;
}

Status Ledger::Update(uint64_t id, const LedgerFields& fields) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return Status::OK();
  for (const auto& [k, v] : fields) it->second.second[k] = v;
  return Write();
}

Status Ledger::Remove(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.erase(id) == 0) return Status::OK();
  return Write();
}

Status LedgerEntry::Record(Ledger* ledger, const std::string& kind,
                           const LedgerFields& fields) {
  Forget();
  if (ledger == nullptr) return Status::OK();
  Result<uint64_t> id = ledger->Add(kind, fields);
  if (!id.ok()) return id.status();
  ledger_ = ledger;
  id_ = *id;
  return Status::OK();
}

void LedgerEntry::Update(const LedgerFields& fields) {
  if (ledger_ != nullptr) ledger_->Update(id_, fields).ok();
}

void LedgerEntry::Forget() {
  if (ledger_ != nullptr) ledger_->Remove(id_).ok();
  ledger_ = nullptr;
  id_ = 0;
}

namespace {

// The kinds cleanup undoes itself. A temporary directory of ctrbench's
// only, whatever a ledger says, and only the very one the run made (a name
// can be taken over).
Status UndoDir(const LedgerFields& fields, std::string* done) {
  const std::string path = FieldOf(fields, "path");
  const std::string base = path.substr(path.rfind('/') + 1);
  const FileId id = IdFromFields(fields);
  *done = "removed directory " + path;
  if (base.rfind("ctrbench-", 0) != 0 ||
      path.find("/..") != std::string::npos) {
    return Status::InvalidArgument("not a ctrbench temporary directory");
  }
  if (!id.known) {
    return Status::InvalidArgument(
        "no device and inode recorded (a ledger of an older ctrbench), so it "
        "cannot be told from another's; remove it yourself if it is yours");
  }
  return RemoveTree(path, &id);
}

// A server of the run, if it is still that process (pid and start time).
Status UndoProcess(const LedgerFields& fields, std::string* done) {
  const pid_t pid =
      static_cast<pid_t>(std::atol(FieldOf(fields, "pid").c_str()));
  const uint64_t start =
      std::strtoull(FieldOf(fields, "start").c_str(), nullptr, 10);
  if (pid > 0 && ProcessStartTime(pid) == start) {
    // A server leads a process group of its own: the whole group goes
    // (PostgreSQL's backends, in sessions of their own, leave when their
    // postmaster dies).
    if (kill(-pid, SIGKILL) != 0) kill(pid, SIGKILL);
    *done = "stopped server pid " + std::to_string(pid);
  } else {
    *done = "server pid " + std::to_string(pid) + " is gone already";
  }
  return Status::OK();
}

}  // namespace

Result<CleanupResult> CleanupDeadRuns(const std::string& dir,
                                      const UndoFn& undo) {
  CleanupResult result;
  if (dir.empty()) {
    return Status::InvalidArgument("no HOME and no CTRBENCH_STATE_DIR: no "
                                   "ledgers to read");
  }
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return result;  // No run ever recorded anything.
    return Status::FromErrno("cleanup: open " + dir, errno);
  }
  Status owned = CheckOwnedByUs(dir);
  if (!owned.ok()) {
    closedir(d);
    return owned;
  }
  std::vector<std::string> files;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > std::strlen(kSuffix) &&
        name.compare(name.size() - std::strlen(kSuffix), std::string::npos,
                     kSuffix) == 0) {
      files.push_back(dir + "/" + name);
    }
  }
  closedir(d);
  const std::string host = HostName();
  for (const std::string& path : files) {
    Status mine = CheckOwnedByUs(path);
    if (!mine.ok()) {
      result.skipped.push_back(mine.message());
      continue;
    }
    Result<Parsed> parsed = ParseLedger(path);
    if (!parsed.ok()) {
      result.skipped.push_back(parsed.status().message());
      continue;
    }
    if (parsed->host != host) {
      result.skipped.push_back(path + ": a run on host " + parsed->host +
                               ", which this host cannot check");
      continue;
    }
    const bool alive = parsed->pid > 0 && parsed->start != 0 &&
                       ProcessStartTime(parsed->pid) == parsed->start;
    if (alive) {
      result.skipped.push_back(path + ": run pid " +
                               std::to_string(parsed->pid) + " is alive");
      continue;
    }
    // Newest first: a table is dropped before its journal mode is
    // restored, a server stopped before its directory goes.
    Entries left;
    for (auto it = parsed->entries.rbegin(); it != parsed->entries.rend();
         ++it) {
      const std::string& kind = it->second.first;
      const LedgerFields& fields = it->second.second;
      std::string done;
      Status st;
      if (kind == "dir") {
        st = UndoDir(fields, &done);
      } else if (kind == "process") {
        st = UndoProcess(fields, &done);      } else {
        st = undo(kind, fields, &done);
      }
      if (st.ok()) {
        result.done.push_back(done);
      } else if (st.IsInvalidArgument()) {
        // Not the run's: nothing to undo, ever. Said, and forgotten.
        result.skipped.push_back(Describe(kind, fields) + ": " +
                                 st.message() + " (forgotten)");
      } else {
        result.skipped.push_back(Describe(kind, fields) + ": " + st.message() +
                                 " (kept for the next cleanup)");
        left[it->first] = it->second;
        ++result.kept;
      }
    }
    if (left.empty()) {
      unlink(path.c_str());
    } else {
      // Keep what could not be undone, for a later cleanup.
      WriteLedger(path, parsed->host, parsed->pid, parsed->start, left).ok();
    }
  }
  return result;
}

}  // namespace ctrbench
