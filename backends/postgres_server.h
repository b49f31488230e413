// The postgres backend's embedded server: a throwaway cluster (initdb in a
// temporary directory, the server on a Unix socket there, TCP off), and the
// settings it runs with, declared here once with their defaults.
//
//   const std::string bindir = FindBinDir();  // "": not installed
//   Result<std::unique_ptr<PgCluster>> cluster =
//       PgCluster::Start(bindir, settings.For(clients), ledger);
//   ... (*cluster)->conninfo() ... (*cluster)->Stop() ...

#ifndef CTRBENCH_BACKENDS_POSTGRES_SERVER_H_
#define CTRBENCH_BACKENDS_POSTGRES_SERVER_H_

#include <memory>
#include <string>

#include "backends/server_process.h"
#include "counters/backend.h"
#include "counters/ledger.h"
#include "counters/status.h"

namespace ctrbench {
namespace postgres {

inline constexpr char kNotInstalled[] =
    "postgres: PostgreSQL is not installed (Debian packages postgresql and "
    "libpq-dev: apt-get install postgresql libpq-dev), and no postgres.url "
    "names a running server";

// The embedded server's settings. The values here are the defaults of the
// options that set them (postgres.fsync, postgres.synchronous_commit, ...;
// Specs() declares them from this struct), so a run gets these unless it
// says otherwise. They are PostgreSQL's own: a durable server, each commit
// flushed to disk, as a user's server runs unless told otherwise (turning
// that off is one option away, and the run line then says so).
// ServerArgs() in the .cc turns them into the server's command line, next
// to the settings a run cannot change.
struct ServerSettings {
  std::string fsync = "on";
  std::string synchronous_commit = "on";
  std::string full_page_writes = "on";
  std::string shared_buffers = "128MB";
  int max_connections = 0;  // 0 (auto): enough for the run's workers.
  int deadlock_timeout_ms = 1000;

  // These with an auto max_connections resolved for `clients` connections:
  // at least 100, doubled until the clients, the sampler and setup fit, in
  // steps, so that runs of a sweep share a server.
  ServerSettings For(int clients) const;
  // What a server of these settings is kept under in the sweep's
  // ServerPool.
  std::string PoolKey(const std::string& bindir) const;
};

// The directory of initdb and postgres: `pg_config --bindir`, else the
// newest /usr/lib/postgresql/<version>/bin. "" when there is none.
std::string FindBinDir();

// A throwaway cluster: initdb into a temporary directory, the server on a
// Unix socket there (owner-only, TCP off), trust authentication for the
// server's own user. It lives in the sweep's ServerPool (or the backend's
// hands) and is removed with its directory when that ends. As root, it runs
// as the unprivileged user `postgres`, since PostgreSQL refuses root.
class PgCluster final : public SharedServer {
 public:
  static Result<std::unique_ptr<PgCluster>> Start(
      const std::string& bindir, const ServerSettings& settings,
      Ledger* ledger);

  // How to reach it (keyword=value pairs; no password: trust).
  const std::string& conninfo() const { return conninfo_; }
  ServerProcess* process() const { return server_.process(); }
  bool running() { return server_.running(); }
  Status Stop() override;

 private:
  PgCluster() = default;

  Status Init(const std::string& bindir, const ServerSettings& settings,
              Ledger* ledger);
  // Runs initdb to completion into dir()/data.
  Status InitDb(const std::string& bindir, ProcessOptions as_server);
  // Starts the postmaster and waits until it answers.
  Status Serve(const std::string& bindir, const ServerSettings& settings,
               ProcessOptions as_server);

  EmbeddedServer server_{"postgres"};
  std::string conninfo_;
};

}  // namespace postgres
}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_POSTGRES_SERVER_H_
