// ctrbench: benchmarks shared-state counters across backends.
//
//   ctrbench run [SCENARIO.toml] [--backend a,b] [--workers 1,2,4] ...
//   ctrbench list [--columns]
//   ctrbench cleanup

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "backends/builtin.h"
#include "backends/manager/auth.h"
#include "backends/manager/server.h"
#include "backends/shm.h"
#include "counters/clock.h"
#include "counters/fields.h"
#include "counters/interrupt.h"
#include "counters/metrics.h"
#include "counters/mpi.h"
#include "counters/report.h"
#include "counters/scenario.h"
#include "counters/suggest.h"
#include "counters/sweep.h"

namespace ctrbench {
namespace {

// Command-line flags of `run` that override a scenario field.
struct Override {
  const char* flag;
  const char* key;
  const char* help;
  std::string default_value;  // For --help: the built-in scenario's.
  std::string value;
};

// The values of `key` in `scenario`, as a flag takes them ("1,2,4"); those
// of a field the scenario does not set are the field's default.
std::string ValueIn(const Scenario& scenario, const std::string& key) {
  std::string out;
  for (const std::string& v : scenario.Values(key)) {
    out += (out.empty() ? "" : ",") + v;
  }
  if (!out.empty()) return out;
  const Field* field = FindRunField(key);
  return field != nullptr ? field->default_value : "";
}

// The scenario's own keys, then one flag per run field (counters/fields.h),
// each with the value `ctrbench run` has without a file or the flag.
std::vector<Override> RunOverrides() {
  const Scenario built_in = DefaultScenario();
  std::vector<Override> overrides = {
      {"--backend", "backends",
       "backends, comma-separated (see `list`); default: every available one",
       "", ""},
      {"--repeat", "repeat", "repetitions of every run",
       std::to_string(built_in.repeat), ""},
  };
  for (const Field& f : RunFields()) {
    overrides.push_back({f.flag, f.key, f.help, ValueIn(built_in, f.key), ""});
  }
  return overrides;
}

// Under --help: where the defaults shown come from, and the fields whose
// default differs in a scenario file that leaves them out.
std::string DefaultsNote() {
  const Scenario built_in = DefaultScenario();
  const Scenario file;  // What a file starts from.
  std::string differ;
  for (const auto& [key, values] : built_in.fields) {
    const std::string in_file = ValueIn(file, key);
    if (in_file == ValueIn(built_in, key)) continue;
    differ += (differ.empty() ? "" : ", ") + key + " " +
              (in_file.empty() ? "(none)" : in_file);
  }
  return "The defaults shown are those of a sweep without a scenario file "
         "(the built-in hot-key scenario). A file's fields replace them, and "
         "a field a file leaves out takes the default shown" +
         (differ.empty() ? std::string() : ", but for " + differ) + ".";
}

// The long flags of a command ("--workers"), and --help.
std::vector<std::string> LongFlags(const CLI::App& command) {
  std::vector<std::string> flags = {"--help"};
  for (const CLI::Option* o : command.get_options()) {
    for (const std::string& name : o->get_lnames()) flags.push_back("--" + name);
  }
  return flags;
}

// A message for the first word of the command line that is neither a
// subcommand nor a flag of it, with the nearest one; "" if all are known.
std::string UnknownWord(const CLI::App& app, int argc, char** argv) {
  if (argc < 2) return "";
  const std::string first = argv[1];
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) {
         return true;
       })) {
    commands.push_back(sub->get_name());
  }
  if (first.rfind("-", 0) != 0) {
    if (std::find(commands.begin(), commands.end(), first) == commands.end()) {
      return "unknown command '" + first + "'" + DidYouMean(first, commands) +
             "; allowed: run, report, server, list, cleanup, --version, "
             "--help";
    }
  } else {
    std::vector<std::string> top = LongFlags(app);
    top.push_back("--version");
    if (first.rfind("--", 0) == 0 &&
        std::find(top.begin(), top.end(), first) == top.end()) {
      return "unknown flag '" + first + "'" + DidYouMean(first, top) +
             "; allowed: a command (run, report, server, list, cleanup), "
             "--version, --help";
    }
    return "";
  }
  const CLI::App* command = app.get_subcommand(first);
  const std::vector<std::string> flags = LongFlags(*command);
  for (int i = 2; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") break;
    if (word.rfind("--", 0) != 0) continue;
    word = word.substr(0, word.find('='));
    if (std::find(flags.begin(), flags.end(), word) == flags.end()) {
      return first + ": unknown flag '" + word + "'" +
             DidYouMean(word, flags) + "; see `ctrbench " + first +
             " --help`";
    }
  }
  return "";
}

int ListBackends(const Registry& registry) {
  for (const BackendInfo& b : registry.backends()) {
    std::printf("%s\n  %s\n", b.name.c_str(), b.description.c_str());
    std::string modes;
    if (b.capabilities.threads) modes += "threads";
    if (b.capabilities.processes) modes += modes.empty() ? "processes"
                                                         : ", processes";
    std::string strategies;
    for (Strategy s : b.capabilities.strategies) {
      if (!strategies.empty()) strategies += ", ";
      strategies += StrategyName(s);
    }
    std::printf("  modes: %s\n  strategies: %s\n", modes.c_str(),
                strategies.c_str());
    if (b.options.empty()) std::printf("  options: none\n");
    for (const OptionSpec& o : b.options) {
      // The store's own default beside ctrbench's, where it has one.
      const std::string store =
          o.store_default.empty() ? "" : ", store default " + o.store_default;
      // An empty default: ctrbench's own statement or script.
      const std::string def =
          o.default_value.empty() ? "none: ctrbench's own" : o.default_value;
      std::printf("  option %s.%s = %s (default %s%s): %s\n", b.name.c_str(),
                  o.name.c_str(), o.allowed.c_str(), def.c_str(),
                  store.c_str(), o.help.c_str());
    }
    for (const StatSpec& st : b.stats) {
      std::printf("  statistic %s (%s%s%s): %s\n", st.name.c_str(),
                  CellTypeName(st.type), st.unit.empty() ? "" : ", ",
                  st.unit.c_str(), st.description.c_str());
    }
  }
  for (const auto& [name, why] : registry.left_out()) {
    std::printf("%s\n  not in this build: %s\n", name.c_str(), why.c_str());
  }
  return kExitOk;
}

// `ctrbench list`: the backends, or with --columns the results' columns.
int List(const Registry& registry, bool columns) {
  if (!columns) return ListBackends(registry);
  std::fputs(DescribeColumns().c_str(), stdout);
  return kExitOk;
}

// Undoes what dead runs left: every entry of their ledgers (temporary
// directories, servers, segments, tables and journal modes in a user's
// SQLite file, keys on a user's Redis), each only if it is still the thing
// the run made. Nothing is removed by its name alone.
int Cleanup(const Registry& registry) {
  const std::string dir = StateDir();
  Result<CleanupResult> result = CleanupDeadRuns(
      dir, [&registry](const std::string& kind, const LedgerFields& fields,
                       std::string* done) -> Status {
        const BackendInfo* info = registry.Find(kind.substr(0, kind.find('.')));
        if (info == nullptr || !info->undo) {
          return Status::InvalidArgument("no backend undoes '" + kind + "'");
        }
        return info->undo(kind, fields, done);
      });
  if (!result.ok()) {
    std::fprintf(stderr, "ctrbench: %s\n", result.status().ToString().c_str());
    return kExitRunFailed;
  }
  for (const std::string& line : result->done) std::printf("%s\n", line.c_str());
  for (const std::string& line : result->skipped) {
    std::printf("left: %s\n", line.c_str());
  }
  std::printf("%zu thing(s) of dead runs undone, %zu left alone, %d still "
              "to undo (ledgers in %s)\n",
              result->done.size(), result->skipped.size() - result->kept,
              result->kept, dir.c_str());
  // Something it should undo is still there: a later cleanup must run.
  return result->kept > 0 ? kExitRunFailed : kExitOk;
}

int Serve(const std::string& listen, const std::string& model,
          long max_counters, manager::ServerOptions options) {
  Result<manager::Address> address = manager::ParseAddress(listen);
  if (!address.ok()) {
    std::fprintf(stderr, "ctrbench server: --listen %s\n",
                 address.status().message().c_str());
    return kExitUsage;
  }
  Result<manager::Model> parsed = manager::ParseModel(model);
  if (!parsed.ok()) {
    std::fprintf(stderr, "ctrbench server: --model: %s\n",
                 parsed.status().message().c_str());
    return kExitUsage;
  }
  options.listen = *address;
  options.model = *parsed;
  options.max_counters = static_cast<uint32_t>(max_counters);
  Result<std::string> key = manager::AuthKeyFromEnvironment();
  if (!key.ok()) {
    std::fprintf(stderr, "ctrbench server: %s\n", key.status().message().c_str());
    return kExitUsage;
  }
  options.auth_key = *key;
  if (options.auth_key.empty() && !manager::IsLocalAddress(options.listen)) {
    std::fprintf(stderr,
                 "ctrbench server: --listen %s: a non-loopback address "
                 "without a key lets anyone who can reach it change every "
                 "counter; allowed: a key in CTRBENCH_AUTHKEY_FILE (a file "
                 "of your own, chmod 600) or CTRBENCH_AUTHKEY, or a loopback "
                 "or unix: address\n",
                 listen.c_str());
    return kExitUsage;
  }
  Status st = manager::RunServer(options);
  if (!st.ok()) {
    std::fprintf(stderr, "ctrbench server: %s\n", st.ToString().c_str());
    return kExitRunFailed;
  }
  return kExitOk;
}

// The words of `files`, for a message.
std::string Joined(const std::vector<std::string>& files) {
  std::string out;
  for (const std::string& f : files) out += (out.empty() ? "" : " ") + f;
  return out;
}

// What report was given, checked before anything is read: what is
// missing or too much, and every file there to read. "" when it is right.
std::string ReportInputProblem(const std::vector<std::string>& inputs,
                               const std::vector<std::string>& compare) {
  if (inputs.empty() && compare.empty()) {
    return "no results files given; allowed: one or more results files "
           "(ctrbench report results/x.csv ...), or --compare A B";
  }
  if (!inputs.empty() && !compare.empty()) {
    return Joined(inputs) + " and --compare " + Joined(compare) +
           ": one or the other; allowed: results files, or --compare A B, "
           "not both";
  }
  if (!compare.empty() && compare.size() != 2) {
    return "--compare " + Joined(compare) +
           ": one file; allowed: two results files, --compare A B";
  }
  for (const std::string& f : inputs) {
    Status st = CheckResultsFile(f);
    if (!st.ok()) return st.message();
  }
  for (const std::string& f : compare) {
    Status st = CheckResultsFile(f);
    if (!st.ok()) return "--compare " + st.message();
  }
  return "";
}

struct ReportFlags {
  std::vector<std::string> inputs;
  std::string out = "results/report";
  std::vector<std::string> compare;
  bool force = false;
  std::string chart_js = kDefaultChartJs;
  CLI::Option* chart_js_option = nullptr;  // Given: its file must do.
};

int Report(const ReportFlags& flags) {
  const std::vector<std::string>& inputs = flags.inputs;
  const std::vector<std::string>& compare = flags.compare;
  const std::string& out = flags.out;
  const bool chart_js_required = flags.chart_js_option->count() > 0;
  const std::string problem = ReportInputProblem(inputs, compare);
  if (!problem.empty()) {
    std::fprintf(stderr, "ctrbench report: %s\n", problem.c_str());
    return kExitUsage;
  }
  if (!compare.empty()) {
    CompareOptions options;
    options.a = {compare[0]};
    options.b = {compare[1]};
    options.out_dir = out;
    options.force = flags.force;
    options.chart_js = flags.chart_js;
    options.chart_js_required = chart_js_required;
    std::string text;
    Result<ReportOutput> written = WriteComparison(options, &text);
    if (!written.ok()) {
      std::fprintf(stderr, "ctrbench report: %s\n",
                   written.status().message().c_str());
      return written.status().IsInvalidArgument() ? kExitUsage
                                                  : kExitRunFailed;
    }
    std::printf("%s\ncomparison: %s/compare.md and %s/compare.csv\n",
                text.c_str(), out.c_str(), out.c_str());
    std::printf("explore: %s/report.html\n", out.c_str());
    if (!written->note.empty()) std::printf("note: %s\n", written->note.c_str());
    return kExitOk;
  }
  ReportOptions options;
  options.inputs = inputs;
  options.out_dir = out;
  options.force = flags.force;
  options.chart_js = flags.chart_js;
  options.chart_js_required = chart_js_required;
  Result<ReportOutput> written = WriteReport(options);
  if (!written.ok()) {
    std::fprintf(stderr, "ctrbench report: %s\n",
                 written.status().message().c_str());
    return written.status().IsInvalidArgument() ? kExitUsage : kExitRunFailed;
  }
  std::printf("summary: %s/summary.md and %s/summary.csv\n", out.c_str(),
              out.c_str());
  size_t plots = 0;
  for (const std::string& f : written->files) {
    plots += f.size() > 4 && f.compare(f.size() - 4, 4, ".png") == 0;
  }
  if (plots > 0) std::printf("plots: %zu PNG (and SVG) in %s\n", plots, out.c_str());
  std::printf("explore: %s/report.html\n", out.c_str());
  if (!written->note.empty()) std::printf("note: %s\n", written->note.c_str());
  return kExitOk;
}

// Many clients need many descriptors: the soft limit goes up to the hard
// one (a run with 1,000 workers holds over 1,000 sockets), and the servers
// this process starts inherit it.
void RaiseDescriptorLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// The flags of `run` and `find-rate`: find-rate takes every flag of run
// that shapes the runs, and the limit to keep to.
struct SweepFlags {
  std::string scenario_path;
  std::vector<Override> overrides = RunOverrides();
  std::vector<std::string> sets;
  std::string out_path, json_path, resume_path;
  bool quiet = false, dry_run = false;
  std::string p99_limit, tolerance = "5%";  // find-rate.
};

void AddSweepFlags(CLI::App* cmd, SweepFlags* f, bool find_rate) {
  // Checked when loaded: a FIFO, /dev/zero or a symlink loop gets a clear
  // message there.
  cmd->add_option("scenario", f->scenario_path,
                  "scenario TOML file; default: the built-in one");
  // default_str() only shows a default: the value stays empty unless the
  // flag is given, so that the scenario's own value is kept.
  for (Override& o : f->overrides) {
    CLI::Option* option = cmd->add_option(o.flag, o.value, o.help);
    if (!o.default_value.empty()) option->default_str(o.default_value);
  }
  cmd->add_option("--set", f->sets, "backend option, backend.key=value")
      ->allow_extra_args(false);
  cmd->add_option("--out", f->out_path,
                  find_rate ? "CSV file of every run made (must not exist); "
                              "- for stdout"
                            : "CSV file to write (must not exist); - for "
                              "stdout")
      ->default_str("results/YYYYmmdd-HHMMSS-SCENARIO.csv");
  cmd->add_option("--json", f->json_path,
                  "JSON Lines file to write as well (must not exist); - for "
                  "stdout");
  cmd->add_flag("--quiet", f->quiet, "no progress lines");
  if (find_rate) {
    cmd->add_option("--p99", f->p99_limit,
                    "the response-time p99 to keep under, e.g. 1ms")
        ->required();
    cmd->add_option("--tolerance", f->tolerance,
                    "how close the search gets, as a share of the rate "
                    "found, e.g. 10%")
        ->capture_default_str();
    cmd->footer(DefaultsNote());
    return;
  }
  cmd->add_option("--resume", f->resume_path,
                  "an interrupted sweep's CSV: skip its runs, append the "
                  "rest");
  cmd->add_flag("--dry-run", f->dry_run,
                "print the plan and an estimate of its time; run nothing");
  cmd->footer(
      DefaultsNote() + "\n\n" +
      (mpi::Built()
           ? "Several load hosts: started by mpirun (mpirun --bind-to none "
             "-np 3 -H a,b,c ctrbench run ...), each rank runs its share of "
             "the workers against the same store, rank 0 sets it up and "
             "writes the one merged row (see README)."
           : std::string("Several load hosts (mpirun): not in this build; ") +
                 mpi::BuildHint() + "."));
}

struct ServerFlags {
  std::string listen, model = "loop";
  long max_counters = 1L << 26;
  manager::ServerOptions serve;
};

// Each flag shows its default: the value ServerOptions starts with.
void AddServerFlags(CLI::App* server, ServerFlags* f) {
  manager::ServerOptions& serve = f->serve;
  server->add_option("--listen", f->listen, "unix:PATH or tcp:HOST:PORT")
      ->required();
  server->add_option("--model", f->model, "loop (epoll, one thread) or threads "
                     "(a thread per connection)")
      ->capture_default_str();
  server->add_option("--max-connections", serve.max_connections,
                     "connections served at once")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  server->add_option("--max-unauthenticated", serve.max_unauthenticated,
                     "connections that have not finished the handshake (or, "
                     "without a key, sent a whole frame) held at once; the "
                     "oldest goes for a new one, and they go first when the "
                     "server is full")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  server->add_option("--frame-timeout-ms", serve.frame_timeout_ms,
                     "time a frame has to arrive whole after its first byte")
      ->check(CLI::Range(10, 600000))
      ->capture_default_str();
  server->add_option("--max-counters", f->max_counters,
                     "counters the server holds at most, over every ALLOC "
                     "and RESET")
      ->check(CLI::Range(1L, 1L << 26))
      ->capture_default_str();
  server->add_option("--idle-timeout", serve.idle_timeout_s,
                     "seconds after which a connection with nothing in "
                     "flight and no lock is closed; 0: never")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  server->add_option("--auth-timeout-ms", serve.auth_timeout_ms,
                     "time a client has to finish the handshake when the "
                     "server has a key")
      ->check(CLI::Range(10, 600000))
      ->capture_default_str();
  server->add_option("--busy-poll-us", serve.busy_poll_us,
                     "loop model: after serving, look for the next request "
                     "this many microseconds before sleeping; 0: sleep at "
                     "once, as Redis does")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
}

void AddReportFlags(CLI::App* report, ReportFlags* f) {
  // The files are checked in Report(), to say what is wrong in the words
  // of every other error (CLI::ExistingFile has its own).
  report->add_option("files", f->inputs,
                     "results files: the CSV of run --out, or the JSON Lines "
                     "of --json");
  // One file is taken too, to say that a second is missing.
  report->add_option("--compare", f->compare,
                     "A B: compare two results files group by group, and "
                     "say which differences are beyond noise (Mann-Whitney "
                     "U over repetitions)")
      ->expected(1, 2);
  report->add_option("--out", f->out,
                     "directory for summary.csv, summary.md, plots and "
                     "report.html: a new or empty one, or one an earlier "
                     "report wrote")
      ->capture_default_str();
  report->add_flag("--force", f->force,
                   "write into --out even if it holds files report did not "
                   "write (those of the same names are replaced)");
  // Checked in Report() too: missing, the default leaves report.html
  // without charts (and says so); a file the user named must do.
  f->chart_js_option =
      report
          ->add_option("--chart-js", f->chart_js,
                       "Chart.js to inline into report.html, the page to "
                       "explore the report in a browser (Debian package "
                       "libjs-chart.js); without it the page has tables "
                       "and no charts")
          ->capture_default_str();
}

// The scenario a sweep runs: the file's (or the built-in one), with the
// flags' fields and backend options applied. InvalidArgument: exit 2.
Result<Scenario> ScenarioOf(const SweepFlags& f, const Registry& registry) {
  Scenario scenario = DefaultScenario();
  if (!f.scenario_path.empty()) {
    Result<Scenario> loaded = LoadScenarioFile(f.scenario_path, registry);
    if (!loaded.ok()) return loaded.status();
    scenario = std::move(*loaded);
  }
  bool duration_given = false, ops_given = false;
  for (const Override& o : f.overrides) {
    if (o.value.empty()) continue;
    duration_given |= std::string(o.key) == "duration";
    ops_given |= std::string(o.key) == "ops";
    Status st = ApplyOverride(&scenario, o.key, o.value, o.flag);
    if (!st.ok()) return st;
  }
  if (duration_given && ops_given) {
    return Status::InvalidArgument(
        "--duration and --ops exclude each other; allowed: one of them");
  }
  for (const std::string& set : f.sets) {
    Status st = ApplyBackendOption(&scenario, set, registry);
    if (!st.ok()) return st;
  }
  return scenario;
}

// The sweep's options from the flags. InvalidArgument: exit 2.
Result<SweepOptions> SweepOptionsOf(const SweepFlags& f, bool find_rate) {
  if (!f.resume_path.empty() && !f.out_path.empty()) {
    return Status::InvalidArgument(
        "--resume appends to its file; --out names another; allowed: one "
        "of them");
  }
  SweepOptions options;
  if (find_rate) {
    Result<int64_t> limit = ParseDuration(f.p99_limit);
    if (!limit.ok() || *limit <= 0) {
      return Status::InvalidArgument(
          "--p99: value '" + f.p99_limit +
          "' is not allowed; allowed: a duration above 0 such as 1ms");
    }
    char* end = nullptr;
    const double share = std::strtod(f.tolerance.c_str(), &end);
    if (end == f.tolerance.c_str() || std::string(end) != "%" ||
        share < 0.5 || share > 50) {
      return Status::InvalidArgument(
          "--tolerance: value '" + f.tolerance +
          "' is not allowed; allowed: a percentage from 0.5% to 50%");
    }
    options.find_rate_p99_ns = *limit;
    options.find_rate_tolerance = share / 100;
  }
  options.out_path = f.out_path;
  options.json_path = f.json_path;
  options.resume_path = f.resume_path;
  options.dry_run = f.dry_run;
  options.quiet = f.quiet;
  options.scenario_path = f.scenario_path;
  return options;
}

// Runs the sweep, under mpirun on every rank (rank 0 alone prints and
// writes); the exit code.
int Sweep(const Scenario& scenario, const Registry& registry,
          SweepOptions options) {
  Status mpi_started = mpi::Init();
  if (!mpi_started.ok()) {
    std::fprintf(stderr, "ctrbench: %s\n", mpi_started.message().c_str());
    return kExitUsage;
  }
  if (mpi::Size() > 1 && !options.resume_path.empty()) {
    std::fprintf(stderr, "ctrbench: --resume under mpirun: the ranks would "
                 "each need the file; allowed: a sweep from the start\n");
    mpi::Finalize();
    return kExitUsage;
  }
  options.follower = mpi::Rank() > 0;
  std::FILE* silent = nullptr;
  if (options.follower) {
    silent = std::fopen("/dev/null", "w");
    if (silent != nullptr) options.out = options.err = silent;
  }
  const int code = RunSweep(scenario, registry, options);
  if (silent != nullptr) std::fclose(silent);
  // A rank whose sweep failed or was interrupted leaves without
  // MPI_Finalize, which would wait for the others: mpirun then stops them
  // (SIGTERM first, so that rank 0 tears its store down). MPI_Abort would
  // kill them at once.
  // Rank 0 leaves first: the others wait (up to a minute) to be stopped,
  // so that none of them ends the job while rank 0 tears down.
  if (code != kExitOk && mpi::Size() > 1) {
    for (int i = 0; i < 600 && mpi::Rank() > 0; ++i) usleep(100000);
    return code;
  }
  mpi::Finalize();
  return code;
}

int Main(int argc, char** argv) {
  RaiseDescriptorLimit();
  Registry registry;
  RegisterBuiltinBackends(&registry);

  CLI::App app{"ctrbench: where should a shared counter live? Benchmarks "
               "counters under contention across backends."};
  app.set_version_flag("--version", CTRBENCH_VERSION);
  app.require_subcommand(1);
  SweepFlags sweep;
  AddSweepFlags(app.add_subcommand("run", "run a scenario sweep"), &sweep,
                false);
  AddSweepFlags(
      app.add_subcommand("find-rate",
                         "the highest target rate whose response-time p99 "
                         "stays under a limit, for every run of a scenario"),
      &sweep, true);
  ServerFlags server;
  AddServerFlags(
      app.add_subcommand(
          "server", "run the manager backend's counter server until SIGTERM"),
      &server);
  ReportFlags report;
  AddReportFlags(app.add_subcommand("report",
                                    "summarize results files into tables, "
                                    "plots and a page to explore them "
                                    "(report.html)"),
                 &report);
  CLI::App* list =
      app.add_subcommand("list", "list backends, capabilities and options");
  bool list_columns = false;
  list->add_flag("--columns", list_columns,
                 "list the results' columns instead: name, type, unit, how "
                 "workers combine, how report treats repetitions, "
                 "description (tab-separated)");
  app.add_subcommand("cleanup",
                     "undo what killed runs left behind (their ledgers in "
                     "CTRBENCH_STATE_DIR), and stale shared-memory segments");

  // A mistyped subcommand or flag gets a suggestion, before CLI11 would
  // say "A subcommand is required" or take it for a positional argument.
  std::string unknown = UnknownWord(app, argc, argv);
  if (!unknown.empty()) {
    std::fprintf(stderr, "ctrbench: %s\n", unknown.c_str());
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive as "errors" that exit 0.
    if (e.get_exit_code() == 0) {
      app.exit(e);
      return kExitOk;
    }
    // CLI11's own complaints (a flag without its value, a required flag
    // missing) in the words of every other error.
    const std::string command =
        argc > 1 && argv[1][0] != '-' ? std::string(" ") + argv[1] : "";
    std::fprintf(stderr, "ctrbench: %s; see `ctrbench%s --help`\n", e.what(),
                 command.c_str());
    return kExitUsage;
  }

  if (app.got_subcommand("list")) return List(registry, list_columns);
  if (app.got_subcommand("report")) {
    return Report(report);
  }
  if (app.got_subcommand("server")) {
    return Serve(server.listen, server.model, server.max_counters,
                 server.serve);
  }
  if (app.got_subcommand("cleanup")) return Cleanup(registry);

  Result<Scenario> scenario = ScenarioOf(sweep, registry);
  if (!scenario.ok()) {
    std::fprintf(stderr, "ctrbench: %s\n", scenario.status().message().c_str());
    return kExitUsage;
  }
  InstallInterruptHandlers();
  if (app.got_subcommand("find-rate") && scenario->fields.count("phases")) {
    std::fprintf(stderr,
                 "ctrbench: find-rate: --phases (or [[phase]] tables) set "
                 "the rates themselves; allowed: find-rate without phases\n");
    return kExitUsage;
  }
  Result<SweepOptions> options =
      SweepOptionsOf(sweep, app.got_subcommand("find-rate"));
  if (!options.ok()) {
    std::fprintf(stderr, "ctrbench: %s\n", options.status().message().c_str());
    return kExitUsage;
  }
  options->command_line.assign(argv, argv + argc);
  return Sweep(*scenario, registry, std::move(*options));
}

}  // namespace
}  // namespace ctrbench

int main(int argc, char** argv) {
  // A peer that goes away is an error from write(), handled where it
  // happens; it must not kill the process with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  // Out of memory is an error like any other: caught here, the stack
  // unwinds, so that every backend's teardown and every ledger entry's
  // removal still run (an uncaught exception would abort without them).
  try {
    return ctrbench::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "ctrbench: out of memory (an allocation failed); "
                         "what the run created has been removed\n");
    return ctrbench::kExitRunFailed;
  }
}
