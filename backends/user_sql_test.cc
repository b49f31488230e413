// The user's own SQL (backends/user_sql.h): names put in, statements split
// where the database would, and what a setup creates kept to the run's
// prefix. Runs against real databases are in tests/sqlite_test.cc and
// tests/postgres_test.cc.

#include "backends/user_sql.h"

#include <gtest/gtest.h>

namespace ctrbench {
namespace {

const SqlNames kNames{"ctrbench_1_ab", "ctrbench_1_ab"};

TEST(UserSql, PutsInTheRunsNames) {
  EXPECT_EQ(ExpandSql("UPDATE {table} SET value = value + $2 WHERE id = $1; "
                      "INSERT INTO {prefix}_log VALUES ($1)",
                      kNames),
            "UPDATE ctrbench_1_ab SET value = value + $2 WHERE id = $1; "
            "INSERT INTO ctrbench_1_ab_log VALUES ($1)");
  EXPECT_EQ(ExpandSql("{tab}le", kNames), "{tab}le");
}

TEST(UserSql, SplitsWhereTheDatabaseWould) {
  const std::vector<std::string> split = SplitSql(
      "CREATE TABLE a (x text DEFAULT ';'); -- a comment; still one\n"
      "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END "
      "$body$ LANGUAGE plpgsql;\n"
      "SELECT $1 ; ;  /* ; */ SELECT \"a;b\" FROM t");
  ASSERT_EQ(split.size(), 4u);
  EXPECT_EQ(split[0], "CREATE TABLE a (x text DEFAULT ';')");
  EXPECT_EQ(split[1].substr(0, 15), "-- a comment; s");
  EXPECT_NE(split[1].find("RETURN 1; END $body$ LANGUAGE plpgsql"),
            std::string::npos);
  EXPECT_EQ(split[2], "SELECT $1");
  EXPECT_EQ(split[3], "/* ; */ SELECT \"a;b\" FROM t");
  // A trigger's body and a function's BEGIN ATOMIC stay whole; an E''
  // string's escaped quote, and a name with '$' in it, start nothing; a
  // comment with an apostrophe is no statement.
  EXPECT_EQ(SplitSql("CREATE TRIGGER t AFTER UPDATE ON x BEGIN UPDATE y SET "
                     "v = CASE WHEN 1 THEN 2 END; DELETE FROM z; END; "
                     "SELECT 1")
                .size(),
            2u);
  EXPECT_EQ(SplitSql("CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; "
                     "END; SELECT 2")
                .size(),
            2u);
  EXPECT_EQ(SplitSql("INSERT INTO t VALUES (E'\\''); CREATE TABLE users2 (i "
                     "int); SELECT ''")
                .size(),
            3u);
  EXPECT_EQ(SplitSql("SELECT x$y$z FROM t; CREATE TABLE u (i int); SELECT "
                     "$y$").size(),
            3u);
  EXPECT_EQ(SplitSql("CREATE TABLE a (i int); -- the run's log").size(), 1u);
  EXPECT_TRUE(SplitSql("-- it's a comment; /* and ' */").empty());
}

TEST(UserSql, KnowsWhatASetupStatementCreates) {
  auto created = [](const std::string& statement) {
    Result<std::optional<SqlObject>> made = ObjectCreatedBy(statement, kNames);
    EXPECT_TRUE(made.ok()) << statement << ": " << made.status().ToString();
    return made.ok() && *made ? **made : SqlObject{"none", "", ""};
  };
  SqlObject o = created("create unlogged table if not exists "
                        "ctrbench_1_ab_log (id int)");
  EXPECT_EQ(o.kind, "TABLE");
  EXPECT_EQ(o.name, "ctrbench_1_ab_log");
  o = created("CREATE UNIQUE INDEX CONCURRENTLY ctrbench_1_ab_i ON "
              "ctrbench_1_ab (value)");
  EXPECT_EQ(o.kind, "INDEX");
  EXPECT_EQ(o.on, "ctrbench_1_ab");
  o = created("CREATE OR REPLACE FUNCTION ctrbench_1_ab_take(k bigint) "
              "RETURNS bool AS $$ SELECT true $$ LANGUAGE sql");
  EXPECT_EQ(o.kind, "FUNCTION");
  EXPECT_EQ(o.name, "ctrbench_1_ab_take");
  o = created("CREATE TRIGGER ctrbench_1_ab_t AFTER UPDATE OF value ON "
              "ctrbench_1_ab_log BEGIN SELECT 1; END");
  EXPECT_EQ(o.on, "ctrbench_1_ab_log");
  o = created("CREATE MATERIALIZED VIEW \"ctrbench_1_ab_v\" AS SELECT 1");
  EXPECT_EQ(o.kind, "MATERIALIZED VIEW");
  EXPECT_EQ(o.name, "ctrbench_1_ab_v");  // As the database compares it.
  EXPECT_EQ(created("CREATE TABLE CTRBENCH_1_AB_Big (i int)").name,
            "ctrbench_1_ab_big");
  EXPECT_EQ(created("CREATE TABLE ctrbench_1_ab_p PARTITION OF ctrbench_1_ab "
                    "FOR VALUES IN (1)")
                .name,
            "ctrbench_1_ab_p");
  EXPECT_EQ(created("INSERT INTO ctrbench_1_ab_log VALUES (1)").kind, "none");
}

TEST(UserSql, RefusesObjectsThatAreNotTheRuns) {
  for (const char* statement : {
           "CREATE TABLE users (id int)",
           "CREATE TABLE public.ctrbench_1_ab_log (id int)",
           "CREATE TABLE \"CTRBENCH_1_AB_log\" (id int)",
           "CREATE INDEX ON ctrbench_1_ab (value)",
           "CREATE INDEX ctrbench_1_ab_i ON users (name)",
           "CREATE TRIGGER ctrbench_1_ab_t AFTER DELETE ON users BEGIN "
           "SELECT 1; END",
           "CREATE TABLE",
           "DO $$ BEGIN EXECUTE 'CREATE TABLE x (i int)'; END $$",
           // Names cleanup could not put in SQL text, or in a schema.
           "CREATE TABLE ctrbench_1_ab_x$y (i int)",
           "CREATE TABLE \"ctrbench_1_ab\".users (i int)",
           // Hanging off a user's table, it would take the user's rows.
           "CREATE TABLE ctrbench_1_ab_p PARTITION OF users FOR VALUES IN (1)",
           "CREATE TABLE ctrbench_1_ab_h (i int) INHERITS (ctrbench_1_ab, "
           "users)",
       }) {
    Result<std::optional<SqlObject>> made = ObjectCreatedBy(statement, kNames);
    EXPECT_FALSE(made.ok()) << statement;
  }
  // The option itself is refused at once (exit 2), with the statement.
  const OptionSpec setup = UserSqlOptionSpecs("$1 and $2")[3];
  ASSERT_EQ(setup.name, "sql_setup");
  const Status st = setup.check("CREATE TABLE {prefix}_log (i int); "
                                "CREATE TABLE users (i int)");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("CREATE TABLE users"), std::string::npos);
  EXPECT_TRUE(setup.check("CREATE TABLE {prefix}_log (i int)").ok());
  // sql_add and the others are one statement each, or none.
  const OptionSpec add = UserSqlOptionSpecs("$1 and $2")[0];
  ASSERT_EQ(add.name, "sql_add");
  EXPECT_TRUE(add.check("").ok());
  EXPECT_TRUE(add.check("INSERT INTO {prefix}_log VALUES ($1, $2); -- it's").ok());
  EXPECT_FALSE(add.check("UPDATE {table} SET value = 0; DROP TABLE x").ok());
}

TEST(UserSql, ReplacesTheAtomicStrategyOnly) {
  UserSql sql;
  sql.take = "UPDATE {table} SET value = value - 1 WHERE id = $1";
  SetupSpec run;
  EXPECT_TRUE(CheckUserSqlRun(sql, run).ok());
  run.strategy = Strategy::kCas;
  EXPECT_FALSE(CheckUserSqlRun(sql, run).ok());
  run.strategy = Strategy::kAtomic;
  run.kind = Kind::kInventory;
  run.take = TakeMode::kCompensate;
  EXPECT_FALSE(CheckUserSqlRun(sql, run).ok());
  // Setup statements alone change no strategy.
  EXPECT_TRUE(CheckUserSqlRun(UserSql{"", "", "", "SELECT 1", ""}, run).ok());
}

TEST(UserSql, DropsWhatItMadeAndNothingElse) {
  EXPECT_EQ(DropStatement({"TABLE", "ctrbench_1_ab_log", ""}, true),
            "DROP TABLE IF EXISTS ctrbench_1_ab_log");
  EXPECT_EQ(DropStatement({"TRIGGER", "ctrbench_1_ab_t", "ctrbench_1_ab"},
                          true),
            "DROP TRIGGER IF EXISTS ctrbench_1_ab_t ON ctrbench_1_ab");
  EXPECT_EQ(DropStatement({"TRIGGER", "ctrbench_1_ab_t", "ctrbench_1_ab"},
                          false),
            "DROP TRIGGER IF EXISTS ctrbench_1_ab_t");
  // Setup runs statement by statement; a CREATE that fails made nothing,
  // and teardown drops the objects made, newest first.
  UserSql sql;
  sql.setup = "CREATE TABLE {prefix}_a (i int); INSERT INTO {prefix}_a "
              "VALUES (1); CREATE VIEW {prefix}_v AS SELECT 1";
  sql.teardown = "DELETE FROM {prefix}_a";
  std::vector<std::string> ran;
  const SqlRunner exec = [&ran](const std::string& s) {
    ran.push_back(s);
    return Status::OK();
  };
  UserObjects objects;
  ASSERT_TRUE(objects.Setup(sql, kNames, nullptr, "test.object", {}, exec).ok());
  ASSERT_EQ(ran.size(), 3u);
  ran.clear();
  ASSERT_TRUE(objects
                  .Teardown(sql, kNames, exec,
                            [](const SqlObject& o) {
                              return DropStatement(o, true);
                            })
                  .ok());
  EXPECT_EQ(ran, (std::vector<std::string>{
                     "DELETE FROM ctrbench_1_ab_a",
                     "DROP VIEW IF EXISTS ctrbench_1_ab_v",
                     "DROP TABLE IF EXISTS ctrbench_1_ab_a"}));
  // A CREATE that failed (past its deadline, say) may have made its object
  // all the same: it is dropped too, and the setup's error says which.
  ran.clear();
  UserObjects failed;
  const SqlRunner refuse_view = [&ran](const std::string& s) {
    ran.push_back(s);
    return s.find("VIEW") != std::string::npos
               ? Status::IOError("no reply in time")
               : Status::OK();
  };
  const Status st =
      failed.Setup(sql, kNames, nullptr, "test.object", {}, refuse_view);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("CREATE VIEW"), std::string::npos) << st.message();
  ran.clear();
  UserSql no_teardown = sql;
  no_teardown.teardown.clear();
  EXPECT_TRUE(failed
                  .Teardown(no_teardown, kNames, exec,
                            [](const SqlObject& o) {
                              return DropStatement(o, false);
                            })
                  .ok());
  EXPECT_EQ(ran, (std::vector<std::string>{
                     "DROP VIEW IF EXISTS ctrbench_1_ab_v",
                     "DROP TABLE IF EXISTS ctrbench_1_ab_a"}));
}

}  // namespace
}  // namespace ctrbench
