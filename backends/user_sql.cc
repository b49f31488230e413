#include "backends/user_sql.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace ctrbench {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Braces too: a setup is checked before a run, its {prefix} as written.
bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         c == '.' || c == '{' || c == '}';
}

// Where the quoted text, comment or dollar-quoted body that starts at `i`
// ends (one past it); `i` itself when none starts there. Inside a word
// nothing starts ("x$y$z" is a name, "E'" only a string at its start).
size_t SkipQuoted(const std::string& text, size_t i) {
  const char c = text[i];
  auto past = [&text](size_t from, const std::string& close) {
    const size_t at = text.find(close, from);
    return at == std::string::npos ? text.size() : at + close.size();
  };
  const bool in_word = i > 0 && IsWordChar(text[i - 1]) && text[i - 1] != '.';
  if ((c == 'E' || c == 'e') && !in_word && i + 1 < text.size() &&
      text[i + 1] == '\'') {
    // PostgreSQL's E'...': a backslash escapes the next character.
    size_t j = i + 2;
    while (j < text.size() && text[j] != '\'') j += text[j] == '\\' ? 2 : 1;
    return std::min(j + 1, text.size());
  }
  if (c == '\'' || c == '"' || c == '`') return past(i + 1, std::string(1, c));
  if (c == '-' && text.compare(i, 2, "--") == 0) return past(i + 2, "\n");
  if (c == '/' && text.compare(i, 2, "/*") == 0) return past(i + 2, "*/");
  if (c == '$' && !in_word) {
    // $tag$ ... $tag$ (the tag may be empty); $1 is a parameter.
    size_t j = i + 1;
    while (j < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[j])) ||
            text[j] == '_')) {
      ++j;
    }
    const bool tag = j < text.size() && text[j] == '$' &&
                     (j == i + 1 ||
                      !std::isdigit(static_cast<unsigned char>(text[i + 1])));
    if (tag) return past(j + 1, text.substr(i, j + 1 - i));
  }
  return i;
}

// The tokens of one statement: words (names, keywords), quoted names whole
// with their quotes, and single punctuation characters; comments and
// string literals left out.
std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> tokens;
  for (size_t i = 0; i < text.size();) {
    const size_t end = SkipQuoted(text, i);
    if (end != i) {
      if (text[i] == '"' || text[i] == '`') {
        tokens.push_back(text.substr(i, end - i));
      }
      i = end;
    } else if (IsWordChar(text[i])) {
      size_t j = i;
      while (j < text.size() && IsWordChar(text[j])) ++j;
      tokens.push_back(text.substr(i, j - i));
      i = j;
    } else {
      if (!std::isspace(static_cast<unsigned char>(text[i]))) {
        tokens.push_back(std::string(1, text[i]));
      }
      ++i;
    }
  }
  return tokens;
}

// Whether a piece of SQL holds anything but blanks and comments.
bool HasContent(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const size_t end = SkipQuoted(text, i);
    if (end == i) {
      if (!std::isspace(static_cast<unsigned char>(text[i]))) return true;
      ++i;
    } else if (text[i] == '-' || text[i] == '/') {
      i = end;  // A comment.
    } else {
      return true;  // A string, a quoted name, a dollar-quoted body.
    }
  }
  return false;
}

// Whether a ';' at the end of `piece` is inside a CREATE's body: a
// trigger's BEGIN ... END, a function's BEGIN ATOMIC ... END (CASE ...
// END inside them nests).
bool InsideBody(const std::string& piece) {
  const std::vector<std::string> tokens = Tokens(piece);
  if (tokens.empty() || Upper(tokens[0]) != "CREATE") return false;
  int depth = 0;
  for (const std::string& t : tokens) {
    const std::string word = Upper(t);
    if (word == "BEGIN" || word == "CASE") ++depth;
    if (word == "END") --depth;
  }
  return depth > 0;
}

// A name as the database compares it: a quoted one as written, an
// unquoted one in lower case.
std::string Folded(const std::string& name) {
  if (name.size() >= 2 && (name[0] == '"' || name[0] == '`')) {
    return name.substr(1, name.size() - 2);
  }
  return Lower(name);
}

// "{prefix} (ctrbench_...)", or "{prefix}" before a run.
// The names a setup is checked with before any run (its option's check).
const SqlNames kCheckNames{"ctrbench_0_table", "ctrbench_0_check"};

std::string PrefixShown(const SqlNames& names) {
  return names.prefix == kCheckNames.prefix
             ? "{prefix}"
             : "{prefix} (" + names.prefix + ")";
}

bool IsRuns(const std::string& name, const SqlNames& names) {
  const std::string folded = Folded(name);
  return folded.compare(0, names.prefix.size(), Lower(names.prefix)) == 0;
}

// The option's check, before any run: {table} and {prefix} as written.
Status SetupCheck(const std::string& setup) {
  for (const std::string& statement :
       SplitSql(ExpandSql(setup, kCheckNames))) {
    Result<std::optional<SqlObject>> made =
        ObjectCreatedBy(statement, kCheckNames);
    if (!made.ok()) return made.status();
  }
  return Status::OK();
}

// sql_add, sql_take, sql_read: one statement (or none: ctrbench's own).
Status OneStatement(const std::string& text) {
  const size_t n = SplitSql(text).size();
  if (text.empty() || n == 1) return Status::OK();
  return Status::InvalidArgument(
      "exactly one statement (this text holds " + std::to_string(n) +
      "), with {table}, {prefix} and the parameters; or empty for "
      "ctrbench's own");
}

}  // namespace

namespace {

// A statement option: one value on the command line, commas and all; a
// scenario's list of them is a sweep axis (ctrbench's own against yours).
OptionSpec StatementOption(const std::string& name, const std::string& allowed,
                           const std::string& help,
                           std::function<Status(const std::string&)> check) {
  OptionSpec spec = TextOption(name, allowed, "", help, std::move(check));
  spec.sweep = true;
  return spec;
}

}  // namespace

std::vector<OptionSpec> UserSqlOptionSpecs(const std::string& params) {
  const std::string statement =
      "one statement, with {table} (the run's table), {prefix} (what the "
      "names of the run's own objects start with), " + params +
      " (the key and the amount)";
  return {
      StatementOption("sql_add", statement,
                 "replaces the increment of the atomic strategy (as pgbench "
                 "-f): your own statement, e.g. an INSERT ... ON CONFLICT, "
                 "or a row appended to a {prefix} table",
                 &OneStatement),
      StatementOption("sql_take", statement,
                 "replaces the take of an inventory (atomic, take = "
                 "conditional): a unit is sold when the statement changed a "
                 "row or returned one",
                 &OneStatement),
      StatementOption("sql_read", statement,
                 "replaces the read of a key: one row whose first column is "
                 "the key's value; it also reads the totals that verify the "
                 "run, so a statement that loses updates is caught",
                 &OneStatement),
      StatementOption("sql_setup", "statements separated by ';'",
                 "run once after the run's table is made and filled; each "
                 "CREATE must name an object that starts with {prefix}, "
                 "which is written to the ledger first and dropped at the "
                 "end",
                 &SetupCheck),
      StatementOption("sql_teardown", "statements separated by ';'",
                 "run once before the run's objects are dropped", nullptr),
  };
}

UserSql UserSqlOf(const OptionValues& values) {
  UserSql sql;
  sql.add = values.Text("sql_add");
  sql.take = values.Text("sql_take");
  sql.read = values.Text("sql_read");
  sql.setup = values.Text("sql_setup");
  sql.teardown = values.Text("sql_teardown");
  return sql;
}

std::string ExpandSql(const std::string& text, const SqlNames& names) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 7, "{table}") == 0) {
      out += names.table;
      i += 7;
    } else if (text.compare(i, 8, "{prefix}") == 0) {
      out += names.prefix;
      i += 8;
    } else {
      out += text[i++];
    }
  }
  return out;
}

UserSql ExpandSql(const UserSql& sql, const SqlNames& names) {
  return {ExpandSql(sql.add, names), ExpandSql(sql.take, names),
          ExpandSql(sql.read, names), ExpandSql(sql.setup, names),
          ExpandSql(sql.teardown, names)};
}

std::vector<std::string> SplitSql(const std::string& text) {
  std::vector<std::string> statements;
  size_t start = 0;
  auto add = [&](size_t end) {
    const std::string s = text.substr(start, end - start);
    if (HasContent(s)) {
      const size_t first = s.find_first_not_of(" \t\r\n");
      const size_t last = s.find_last_not_of(" \t\r\n");
      statements.push_back(s.substr(first, last - first + 1));
    }
  };
  for (size_t i = 0; i < text.size();) {
    const size_t end = SkipQuoted(text, i);
    if (end != i) {
      i = end;
    } else if (text[i] == ';' && !InsideBody(text.substr(start, i - start))) {
      add(i);
      start = ++i;
    } else {
      ++i;
    }
  }
  add(text.size());
  return statements;
}

Result<std::optional<SqlObject>> ObjectCreatedBy(const std::string& statement,
                                                 const SqlNames& names) {
  const std::vector<std::string> tokens = Tokens(statement);
  auto word = [&tokens](size_t k) {
    return k < tokens.size() ? Upper(tokens[k]) : std::string();
  };
  if (word(0) == "DO") {
    return Status::InvalidArgument(
        "sql_setup: a DO block creates objects that the run cannot know of "
        "(to drop them); allowed: CREATE statements of {prefix} objects, "
        "and statements that create nothing");
  }
  if (word(0) != "CREATE") return std::optional<SqlObject>();
  size_t k = 1;
  while (word(k) == "OR" || word(k) == "REPLACE" || word(k) == "TEMP" ||
         word(k) == "TEMPORARY" || word(k) == "UNIQUE" ||
         word(k) == "UNLOGGED" || word(k) == "VIRTUAL" ||
         word(k) == "CONSTRAINT" || word(k) == "GLOBAL" || word(k) == "LOCAL") {
    ++k;
  }
  SqlObject object;
  object.kind = word(k++);
  if (object.kind == "MATERIALIZED") object.kind += " " + word(k++);
  if (word(k) == "CONCURRENTLY") ++k;
  if (word(k) == "IF" && word(k + 1) == "NOT" && word(k + 2) == "EXISTS") {
    k += 3;
  }
  const std::string shown = "CREATE " + object.kind;
  const bool named = k < tokens.size() && word(k) != "ON" &&
                     (IsWordChar(tokens[k][0]) || tokens[k][0] == '"' ||
                      tokens[k][0] == '`');
  if (object.kind.empty() || !named) {
    return Status::InvalidArgument(
        "sql_setup: " + shown + " names nothing; allowed: a name that "
        "starts with " + PrefixShown(names) + ", so that the run drops "
        "only what it made");
  }
  // Kept as the database compares it, so that cleanup can put it in SQL
  // text (IsRunTableName).
  object.name = Folded(tokens[k]);
  if (!IsRuns(tokens[k], names)) {
    return Status::InvalidArgument(
        "sql_setup: " + shown + " " + tokens[k] + ": the run makes only "
        "objects whose names start with " + PrefixShown(names) +
        ", so that it drops only what it made");
  }
  const bool qualified = k + 1 < tokens.size() && tokens[k + 1][0] == '.';
  if (!IsRunTableName(object.name) || qualified) {
    return Status::InvalidArgument(
        "sql_setup: " + shown + " " + tokens[k] +
        (qualified ? tokens[k + 1] : "") +
        ": allowed: {prefix} and then lowercase letters, digits and '_', "
        "in no schema of its own");
  }
  // A table that hangs off another (a partition, an heir) takes rows
  // meant for it: only off the run's own.
  for (size_t j = k + 1; j + 1 < tokens.size(); ++j) {
    const std::string w = Upper(tokens[j]);
    const bool partition = w == "PARTITION" && Upper(tokens[j + 1]) == "OF";
    if (!partition && w != "INHERITS") continue;
    for (size_t p = j + (partition ? 2 : 1); p < tokens.size(); ++p) {
      if (tokens[p] == "(" || tokens[p] == ",") continue;
      if (Folded(tokens[p]) != Lower(names.table) &&
          !IsRuns(tokens[p], names)) {
        return Status::InvalidArgument(
            "sql_setup: " + shown + " " + tokens[k] + " " + tokens[j] + " " +
            tokens[p] + ": allowed only off the run's table or its objects, "
            "never off a table of yours");
      }
      if (partition || tokens[p] == ")") break;
    }
  }
  if (object.kind == "INDEX" || object.kind == "TRIGGER" ||
      object.kind == "RULE" || object.kind == "POLICY") {
    size_t on = k + 1;
    while (on < tokens.size() && Upper(tokens[on]) != "ON") ++on;
    if (on + 1 >= tokens.size()) {
      return Status::InvalidArgument("sql_setup: " + shown + " " +
                                     object.name + " is on no table");
    }
    object.on = Folded(tokens[on + 1]);
    if (object.on != Lower(names.table) && !IsRuns(tokens[on + 1], names)) {
      return Status::InvalidArgument(
          "sql_setup: " + shown + " " + object.name + " ON " + tokens[on + 1] +
          ": allowed only on the run's table ({table}) or on one of its "
          "objects ({prefix}...), never on a table of yours");
    }
  }
  return std::optional<SqlObject>(object);
}

Status CheckUserSqlRun(const UserSql& sql, const SetupSpec& run) {
  if (sql.add.empty() && sql.take.empty() && sql.read.empty()) {
    return Status::OK();
  }
  if (run.strategy != Strategy::kAtomic) {
    return Status::InvalidArgument(
        std::string("sql_add, sql_take and sql_read replace the atomic "
                    "strategy's statements; ") +
        StrategyName(run.strategy) + " runs ctrbench's own");
  }
  if (!sql.take.empty() && run.Compensates()) {
    return Status::InvalidArgument(
        "sql_take replaces the conditional take; take = compensate runs "
        "ctrbench's own");
  }
  return Status::OK();
}

Status UserObjects::Setup(const UserSql& sql, const SqlNames& names,
                          Ledger* ledger, const std::string& ledger_kind,
                          const LedgerFields& where, const SqlRunner& exec) {
  for (const std::string& statement : SplitSql(ExpandSql(sql.setup, names))) {
    Result<std::optional<SqlObject>> object = ObjectCreatedBy(statement, names);
    if (!object.ok()) return object.status();
    Made made;
    if (*object) {
      made.object = **object;
      LedgerFields fields = where;
      fields["kind"] = made.object.kind;
      fields["name"] = made.object.name;
      if (!made.object.on.empty()) fields["on"] = made.object.on;
      fields["state"] = "pending";
      Status st = made.entry.Record(ledger, ledger_kind, fields);
      if (!st.ok()) return st;
    }
    Status st = exec(statement);
    if (!st.ok()) {
      // A CREATE that failed may have made its object all the same (one
      // still running past its deadline, an INVALID index): its name is
      // the run's alone, so teardown drops it if it is there, and the
      // entry stays pending (cleanup leaves a pending one).
      if (*object) made_.push_back(made);
      return st.WithContext("sql_setup \"" + statement + "\"");
    }
    if (*object) {
      made.entry.Update({{"state", "created"}});
      made_.push_back(made);
    }
  }
  return Status::OK();
}

Status UserObjects::Teardown(
    const UserSql& sql, const SqlNames& names, const SqlRunner& exec,
    const std::function<std::string(const SqlObject&)>& drop) {
  Status status;
  if (!made_.empty() || !sql.teardown.empty()) {
    for (const std::string& statement :
         SplitSql(ExpandSql(sql.teardown, names))) {
      const Status st = exec(statement);
      if (status.ok() && !st.ok()) {
        status = st.WithContext("sql_teardown \"" + statement + "\"");
      }
    }
  }
  std::vector<Made> kept;  // Not dropped: left in the ledger for cleanup.
  for (auto it = made_.rbegin(); it != made_.rend(); ++it) {
    const Status st = exec(drop(it->object));
    if (st.ok()) {
      it->entry.Forget();
    } else {
      if (status.ok()) status = st;
      kept.insert(kept.begin(), *it);
    }
  }
  made_ = std::move(kept);
  return status;
}

void UserObjects::Forget() {
  for (Made& made : made_) made.entry.Forget();
  made_.clear();
}

std::string DropStatement(const SqlObject& object, bool postgres) {
  const std::string& kind = object.kind;
  std::string sql = "DROP " + kind + " IF EXISTS " + object.name;
  if (postgres && (kind == "TRIGGER" || kind == "RULE" || kind == "POLICY")) {
    sql += " ON " + object.on;
  }
  return sql;
}

Result<SqlObject> ObjectOfEntry(const LedgerFields& fields) {
  SqlObject object;
  object.kind = FieldOf(fields, "kind");
  object.name = FieldOf(fields, "name");
  object.on = FieldOf(fields, "on");
  auto runs = [](const std::string& name) {
    const bool quoted = name.size() > 2 && name.front() == '"' &&
                        name.back() == '"';
    return IsRunTableName(quoted ? name.substr(1, name.size() - 2) : name);
  };
  const bool words =
      !object.kind.empty() &&
      object.kind.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ ") ==
          std::string::npos;
  if (!words || !runs(object.name) || (!object.on.empty() && !runs(object.on))) {
    return Status::InvalidArgument("not an object a run makes; left");
  }
  return object;
}

}  // namespace ctrbench
