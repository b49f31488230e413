// The user's own SQL on the SQL backends (sqlite, postgres): statements
// that replace ctrbench's add, take and read (options sql_add, sql_take,
// sql_read), as pgbench's -f does, and those that make and remove what
// they need (sql_setup, sql_teardown). The objects a setup creates must
// carry the run's prefix; each is written to the ledger before it is made
// and dropped at teardown, so that a run touches only what it made.
//
//   UserSql sql = UserSqlOf(values);            // From the options.
//   UserObjects objects;
//   Status st = objects.Setup(sql, names, ledger, where, exec);
//   ...
//   st = objects.Teardown(sql, names, exec);

#ifndef CTRBENCH_BACKENDS_USER_SQL_H_
#define CTRBENCH_BACKENDS_USER_SQL_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backends/options.h"
#include "counters/backend.h"
#include "counters/ledger.h"
#include "counters/status.h"

namespace ctrbench {

struct UserSql {
  // Empty: ctrbench's own statement. The key is parameter 1 and the amount
  // parameter 2 ($1 and $2 in PostgreSQL, ?1 and ?2 in SQLite).
  std::string add, take, read;
  // Statements separated by ';', run one by one after the run's table is
  // made, and before it is dropped.
  std::string setup, teardown;

  bool any() const {
    return !add.empty() || !take.empty() || !read.empty() || !setup.empty() ||
           !teardown.empty();
  }
};

// The five options' declarations, for a SQL backend's specs. `params`
// says how parameters are written ("$1 and $2").
std::vector<OptionSpec> UserSqlOptionSpecs(const std::string& params);
UserSql UserSqlOf(const OptionValues& values);

// The names a run's statements are written with: {table}, the run's
// table, and {prefix}, what the names of its other objects start with.
struct SqlNames {
  std::string table, prefix;
};

// `text` with {table} and {prefix} put in.
std::string ExpandSql(const std::string& text, const SqlNames& names);
// Every statement of `sql` so.
UserSql ExpandSql(const UserSql& sql, const SqlNames& names);

// The statements of `text`, split at each ';' outside quotes, comments
// and dollar-quoted bodies; blank ones left out.
std::vector<std::string> SplitSql(const std::string& text);

// What a setup statement creates: its kind ("TABLE", "INDEX", ...), its
// name, and for an index or trigger the table it is on.
struct SqlObject {
  std::string kind, name, on;
};

// The object `statement` (expanded) creates; nullopt when it creates none.
// InvalidArgument when it creates one that is not the run's: a name that
// does not start with the prefix, an index or trigger on a table that is
// neither the run's table nor one of its objects, or a DO block (whose
// objects cannot be known).
Result<std::optional<SqlObject>> ObjectCreatedBy(const std::string& statement,
                                                 const SqlNames& names);

// Why the user's statements cannot run `run`: they replace the atomic
// strategy's statements only, and take = compensate is ctrbench's own.
Status CheckUserSqlRun(const UserSql& sql, const SetupSpec& run);

// Runs a statement; the backend's connection, outside the measured path.
using SqlRunner = std::function<Status(const std::string& statement)>;

// The objects a run's sql_setup made, each in the ledger from before it
// is made until it is dropped.
class UserObjects {
 public:
  // Runs sql_setup one statement at a time. A CREATE is written to the
  // ledger first (kind `ledger_kind`, `where` and the object's kind, name,
  // table and state), and marked created once it succeeded.
  Status Setup(const UserSql& sql, const SqlNames& names, Ledger* ledger,
               const std::string& ledger_kind, const LedgerFields& where,
               const SqlRunner& exec);
  // Runs sql_teardown, then drops every object made, newest first (`drop`
  // gives the statement); each dropped is forgotten. The first error is
  // returned, and what was not dropped stays in the ledger.
  Status Teardown(const UserSql& sql, const SqlNames& names,
                  const SqlRunner& exec,
                  const std::function<std::string(const SqlObject&)>& drop);
  // Forgets every object without dropping it (gone with its database).
  void Forget();
  bool empty() const { return made_.empty(); }

 private:
  struct Made {
    SqlObject object;
    LedgerEntry entry;
  };
  std::vector<Made> made_;
};

// DROP <kind> IF EXISTS <name> of an object a setup made, for Teardown
// and `ctrbench cleanup` (in PostgreSQL a trigger, rule or policy with ON
// its table). Never CASCADE: what depends on the object is not the run's.
std::string DropStatement(const SqlObject& object, bool postgres);
// The object an entry of UserObjects names (fields kind, name, on), for
// `ctrbench cleanup`, which puts it in SQL text: InvalidArgument unless
// its names are a run's (IsRunTableName, or that quoted) and its kind is
// words.
Result<SqlObject> ObjectOfEntry(const LedgerFields& fields);

}  // namespace ctrbench

#endif  // CTRBENCH_BACKENDS_USER_SQL_H_
