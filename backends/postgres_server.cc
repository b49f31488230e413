#include "backends/postgres_server.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "counters/files.h"
#include "counters/program.h"

namespace ctrbench {
namespace postgres {

namespace {

bool IsExecutable(const std::string& path) {
  return access(path.c_str(), X_OK) == 0;
}

bool HasServerPrograms(const std::string& dir) {
  return IsExecutable(dir + "/initdb") && IsExecutable(dir + "/postgres");
}

// `pg_config --bindir`, when pg_config is on the PATH and that directory
// has the server's programs; "" otherwise.
std::string PgConfigBinDir() {
  const std::string pg_config = FindProgram("pg_config");
  if (pg_config.empty()) return "";
  const std::string command = "'" + pg_config + "' --bindir 2>/dev/null";
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return "";
  char line[4096] = {};
  const bool got = std::fgets(line, sizeof(line), p) != nullptr;
  pclose(p);
  std::string dir = got ? line : "";
  while (!dir.empty() && (dir.back() == '\n' || dir.back() == ' ')) {
    dir.pop_back();
  }
  return HasServerPrograms(dir) ? dir : "";
}

// The newest /usr/lib/postgresql/<version>/bin with the server's programs
// (Debian's layout); "" when there is none.
std::string NewestDebianBinDir() {
  std::string best;
  long best_version = -1;
  if (DIR* d = opendir("/usr/lib/postgresql")) {
    while (dirent* e = readdir(d)) {
      char* end = nullptr;
      const long v = std::strtol(e->d_name, &end, 10);
      const std::string dir =
          std::string("/usr/lib/postgresql/") + e->d_name + "/bin";
      if (end != e->d_name && *end == '\0' && v > best_version &&
          HasServerPrograms(dir)) {
        best = dir;
        best_version = v;
      }
    }
    closedir(d);
  }
  return best;
}

// Whether a process of user `uid` can pass through every directory of
// the absolute path `dir` (other users' execute bit, or its own).
bool Traversable(const std::string& dir, uid_t uid) {
  std::string path;
  size_t at = 0;
  do {
    at = dir.find('/', at + 1);
    path = dir.substr(0, at);
    struct stat st;
    if (path.empty()) continue;
    if (stat(path.c_str(), &st) != 0) return false;
    const bool own = st.st_uid == uid && (st.st_mode & S_IXUSR);
    if (!own && !(st.st_mode & S_IXOTH)) return false;
  } while (at != std::string::npos);
  return true;
}

// Who the server runs as: as we are, or, as root, as `postgres`, since
// PostgreSQL refuses to run as root.
Result<ProcessOptions> ServerUser() {
  ProcessOptions as_server;
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) {
      return Status::NotSupported(
          "postgres: ctrbench runs as root, and PostgreSQL refuses root; "
          "it runs the embedded server as the unprivileged user "
          "'postgres', which does not exist here (the Debian package "
          "postgresql creates it)");
    }
    as_server.uid = pw->pw_uid;
    as_server.gid = pw->pw_gid;
  }
  return as_server;
}

// Where the server's directory goes. The server's user must reach it:
// under a $TMPDIR it cannot pass through (a private one of root's), /tmp
// instead.
std::string ServerBase(const ProcessOptions& as_server) {
  const std::string base = TempBase();
  if (as_server.uid != static_cast<uid_t>(-1) &&
      !Traversable(base, as_server.uid)) {
    return "/tmp";
  }
  return base;
}

// The postmaster's command line: the run's settings, and those a run
// cannot change.
std::vector<std::string> ServerArgs(const std::string& bindir,
                                    const std::string& dir,
                                    const ServerSettings& settings) {
  return {
      bindir + "/postgres", "-D", dir + "/data", "-k", dir,
      "-c", "listen_addresses=",
      "-c", "unix_socket_permissions=0700",
      "-c", "fsync=" + settings.fsync,
      "-c", "synchronous_commit=" + settings.synchronous_commit,
      "-c", "full_page_writes=" + settings.full_page_writes,
      "-c", "shared_buffers=" + settings.shared_buffers,
      "-c", "max_connections=" + std::to_string(settings.max_connections),
      "-c", "deadlock_timeout=" +
                std::to_string(settings.deadlock_timeout_ms) + "ms",
      "-c", "logging_collector=off",
      // Its dynamic shared memory in the data directory, which goes with
      // it, not in /dev/shm under names no ledger knows: a server that had
      // to be killed leaves nothing there.
      "-c", "dynamic_shared_memory_type=mmap"};
}

}  // namespace

ServerSettings ServerSettings::For(int clients) const {
  ServerSettings resolved = *this;
  if (resolved.max_connections == 0) {
    resolved.max_connections = 100;
    while (resolved.max_connections < clients + 16) {
      resolved.max_connections *= 2;
    }
  }
  return resolved;
}

std::string ServerSettings::PoolKey(const std::string& bindir) const {
  return "postgres|" + bindir + "|" + fsync + "|" + synchronous_commit + "|" +
         full_page_writes + "|" + shared_buffers + "|" +
         std::to_string(max_connections) + "|" +
         std::to_string(deadlock_timeout_ms);
}

std::string FindBinDir() {
  const std::string dir = PgConfigBinDir();
  return dir.empty() ? NewestDebianBinDir() : dir;
}

Result<std::unique_ptr<PgCluster>> PgCluster::Start(
    const std::string& bindir, const ServerSettings& settings,
    Ledger* ledger) {
  std::unique_ptr<PgCluster> c(new PgCluster());
  Status st = c->Init(bindir, settings, ledger);
  if (!st.ok()) return st;
  return c;
}

Status PgCluster::Stop() {
  Status st = server_.Stop();
  return st.ok() ? st : st.WithContext("postgres");
}

Status PgCluster::Init(const std::string& bindir,
                       const ServerSettings& settings, Ledger* ledger) {
  Result<ProcessOptions> as_server = ServerUser();
  if (!as_server.ok()) return as_server.status();
  // Run as `postgres`, its directory is a child of one of ours, which
  // that user cannot rename (EmbeddedServer::MakeDir).
  Status st = server_.MakeDir(ledger, ServerBase(*as_server), *as_server);
  if (!st.ok()) return st;
  const std::string dir = server_.dir();
  if (dir.size() + 20 > 107) {
    return Status::InvalidArgument(
        "postgres: the temporary directory " + dir + " is too long for a "
        "Unix socket path; allowed: a shorter TMPDIR");
  }
  st = InitDb(bindir, *as_server);
  if (!st.ok()) return st;
  conninfo_ = "host=" + dir + " port=5432 user=postgres dbname=postgres";
  return Serve(bindir, settings, *as_server);
}

Status PgCluster::InitDb(const std::string& bindir,
                         ProcessOptions as_server) {
  const std::string dir = server_.dir();
  // Run to completion (a few seconds).
  as_server.output_path = dir + "/initdb.log";
  as_server.stop_signal = SIGKILL;
  Result<std::unique_ptr<ServerProcess>> initdb = ServerProcess::Start(
      {bindir + "/initdb", "-D", dir + "/data", "-A", "trust", "-U",
       "postgres", "--no-sync", "-E", "UTF8", "--locale=C"},
      {}, as_server);
  if (!initdb.ok()) return initdb.status().WithContext("postgres");
  if (!(*initdb)->WaitExit(120000)) {
    (*initdb)->Stop(0).ok();
    return Status::IOError("postgres: initdb did not finish within 120 s");
  }
  if ((*initdb)->exit_code() != 0) {
    return Status::IOError("postgres: initdb " +
                           (*initdb)->ExitDescription() +
                           LogTail(dir + "/initdb.log"));
  }
  return Status::OK();
}

Status PgCluster::Serve(const std::string& bindir,
                        const ServerSettings& settings,
                        ProcessOptions as_server) {
  const std::string dir = server_.dir();
  // The postmaster stops its backends on SIGQUIT (immediate shutdown);
  // SIGKILL would leave them running.
  as_server.output_path = dir + "/server.log";
  as_server.stop_signal = SIGQUIT;
  as_server.count_children = true;
  return server_.Start(
      ServerArgs(bindir, dir, settings), {},
      [this]() -> Status {
        const std::string ping = conninfo_ + " connect_timeout=2";
        if (PQping(ping.c_str()) == PQPING_OK) return Status::OK();
        return Status::IOError("no answer on " + conninfo_);
      },
      "", as_server, /*timeout_ns=*/60000000000LL);
}

}  // namespace postgres
}  // namespace ctrbench
