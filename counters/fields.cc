#include "counters/fields.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "counters/clock.h"
#include "counters/csv.h"
#include "counters/suggest.h"
#include "counters/workload.h"

namespace ctrbench {

std::string Value::Text() const {
  switch (type) {
    case Type::kInt:
      return std::to_string(i);
    case Type::kFloat: {
      // The shortest text that reads back as the same number.
      char buffer[32];
      for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof(buffer), "%.*g", precision, d);
        if (std::strtod(buffer, nullptr) == d) break;
      }
      return buffer;
    }
    case Type::kBool:
      return b ? "true" : "false";
    case Type::kString:
      return s;
  }
  return s;
}

std::string Value::Quoted() const {
  return type == Type::kString ? "\"" + s + "\"" : Text();
}

Value ValueFromText(const std::string& text) {
  Value v;
  v.s = text;
  if (text.empty()) return v;
  char* end = nullptr;
  errno = 0;
  const long long i = std::strtoll(text.c_str(), &end, 10);
  if (*end == '\0' && errno == 0) {
    v.type = Value::Type::kInt;
    v.i = i;
    return v;
  }
  const double d = std::strtod(text.c_str(), &end);
  if (*end == '\0' && std::isfinite(d)) {
    v.type = Value::Type::kFloat;
    v.d = d;
    return v;
  }
  if (text == "true" || text == "false") {
    v.type = Value::Type::kBool;
    v.b = text == "true";
  }
  return v;
}

std::string Field::Describe(const std::string& cell) const {
  // A share ("80%") is its own unit, and a word ("auto") has none.
  const bool unitless =
      !cell.empty() &&
      (cell.back() == '%' ||
       std::isalpha(static_cast<unsigned char>(cell.back())));
  const std::string value = TrimNumber(cell) + (unitless ? "" : unit);
  return *label ? std::string(label) + "=" + value : value;
}

namespace {

constexpr int64_t kSecond = 1000000000;

bool IsInventory(const RunConfig& c) { return c.kind == Kind::kInventory; }

Result<int64_t> IntIn(const Value& v, int64_t lo, int64_t hi) {
  if (v.type != Value::Type::kInt) {
    return Status::InvalidArgument("value " + v.Quoted() +
                                   " is not an integer");
  }
  if (v.i < lo || v.i > hi) {
    return Status::InvalidArgument("value " + v.Text() + " is out of range");
  }
  return v.i;
}

// An integer or a number, as a double.
Result<double> NumberOf(const Value& v) {
  if (v.type == Value::Type::kInt) return static_cast<double>(v.i);
  if (v.type == Value::Type::kFloat) return v.d;
  return Status::InvalidArgument("value " + v.Quoted() + " is not a number");
}

// Operations per second: 0 (closed loop) or from 1 to 10^9.
Result<double> RateIn(const Value& v) {
  Result<double> d = NumberOf(v);
  if (d.ok() && !(*d == 0 || (*d >= 1 && *d <= 1e9))) {
    return Status::InvalidArgument("value " + v.Text() + " is out of range");
  }
  return d;
}

Result<double> FractionIn01(const Value& v) {
  Result<double> d = NumberOf(v);
  if (d.ok() && (*d < 0 || *d > 1)) {
    return Status::InvalidArgument("value " + v.Text() + " is out of range");
  }
  return d;
}

// Durations are strings with a unit; a bare 0 is accepted too.
Result<int64_t> DurationIn(const Value& v, int64_t lo_ns, int64_t hi_ns) {
  if (v.type == Value::Type::kInt && v.i == 0 && lo_ns == 0) {
    return int64_t{0};
  }
  if (v.type != Value::Type::kString) {
    return Status::InvalidArgument("value " + v.Quoted() +
                                   " is not a duration string");
  }
  Result<int64_t> ns = ParseDuration(v.s);
  if (!ns.ok()) {
    return Status::InvalidArgument("value " + v.Quoted() + " is not a "
                                   "duration (" + ns.status().message() + ")");
  }
  if (*ns < lo_ns || *ns > hi_ns) {
    return Status::InvalidArgument("value " + v.Quoted() + " is out of range");
  }
  return *ns;
}

template <typename T>
Result<T> Parsed(const Value& v, Result<T> (*parse)(const std::string&),
                 const std::vector<std::string>& names = {}) {
  if (v.type != Value::Type::kString) {
    return Status::InvalidArgument("value " + v.Quoted() + " is not a string");
  }
  Result<T> r = parse(v.s);
  if (!r.ok()) {
    return Status::InvalidArgument("value " + v.Quoted() + " is not allowed" +
                                   DidYouMean(v.s, names));
  }
  return r;
}

// Applies a checked value to one member of RunConfig.
template <typename Member, typename Check>
std::function<Status(const Value&, RunConfig*)> Into(Member RunConfig::*member,
                                                     Check check) {
  return [member, check](const Value& v, RunConfig* c) -> Status {
    auto r = check(v);
    if (!r.ok()) return r.status();
    c->*member = static_cast<Member>(*r);
    return Status::OK();
  };
}

Cell Micros(int64_t ns) { return Cell::Float(ns / 1000.0, 3); }

}  // namespace

const std::vector<Field>& RunFields() {
  using Show = Field::Show;
  static const std::vector<Field>* fields = new std::vector<Field>{
      {"strategies", "--strategy", "atomic, lock, cas, naive; comma-separated",
       "atomic, lock, cas, naive, or a list of them", "atomic", true,
       "strategy", true, "", "", Show::kAlways,
       Into(&RunConfig::strategy,
            [](const Value& v) {
              return Parsed(v, &ParseStrategy,
                            {"atomic", "lock", "cas", "naive"});
            }),
       [](const RunConfig& c) { return Cell::Text(StrategyName(c.strategy)); }},
      {"mode", "--mode", "threads or processes; comma-separated",
       "threads or processes, or a list of them", "threads", true, "mode", true,
       "", "", Show::kAlways,
       Into(&RunConfig::mode,
            [](const Value& v) {
              return Parsed(v, &ParseWorkerMode, {"threads", "processes"});
            }),
       [](const RunConfig& c) { return Cell::Text(WorkerModeName(c.mode)); }},
      {"hold", "--hold", "time inside the critical section, e.g. 100us",
       "a duration from 0 to 1s such as \"100us\", or a list", "0", true,
       "hold_us", true, "hold", "us", Show::kNonDefault,
       Into(&RunConfig::hold_ns,
            [](const Value& v) { return DurationIn(v, 0, kSecond); }),
       [](const RunConfig& c) { return Micros(c.hold_ns); }},
      {"workers", "--workers", "worker counts, e.g. 1,2,4",
       "an integer from 1 to 1024, or a list of them", "1", true, "workers",
       true, "workers", "", Show::kAlways,
       Into(&RunConfig::workers,
            [](const Value& v) { return IntIn(v, 1, 1024); }),
       [](const RunConfig& c) { return Cell::Int(c.workers); }},
      {"connections", "--connections",
       "connections per worker, each a client of its own, driven by one "
       "event loop (redis, manager, postgres), e.g. 8",
       "an integer from 1 to 10000, or a list of them", "1", true,
       "connections", true, "connections", "", Show::kNonDefault,
       Into(&RunConfig::connections,
            [](const Value& v) { return IntIn(v, 1, 10000); }),
       [](const RunConfig& c) { return Cell::Int(c.connections); }},
      {"busy_poll", "--busy-poll",
       "with connections > 1: how long a worker's event loop looks for "
       "replies before it sleeps, e.g. 30us; auto: 30us when the workers "
       "leave a CPU free, else 0",
       "auto or a duration from 0 to 1ms such as \"30us\", or a list", "auto",
       true, "busy_poll_us", true, "busy_poll", "us", Show::kSwept,
       [](const Value& v, RunConfig* c) -> Status {
         if (v.type == Value::Type::kString && v.s == "auto") {
           c->busy_poll_ns = -1;
           return Status::OK();
         }
         Result<int64_t> ns = DurationIn(v, 0, 1000000);
         if (!ns.ok()) return ns.status();
         c->busy_poll_ns = *ns;
         return Status::OK();
       },
       [](const RunConfig& c) {
         if (c.connections <= 1) return Cell();
         return c.busy_poll_ns < 0 ? Cell::Text("auto") : Micros(c.busy_poll_ns);
       }},
      {"keys", "--keys", "number of logical counters",
       "an integer from 1 to 16777216, or a list of them", "1", true, "keys",
       true, "keys", "", Show::kAlways,
       Into(&RunConfig::keys,
            [](const Value& v) { return IntIn(v, 1, 1 << 24); }),
       [](const RunConfig& c) { return Cell::Int(c.keys); }},
      {"distribution", "--distribution",
       "uniform, zipf:THETA or hotspot:DATA_FRACTION:OP_FRACTION",
       "uniform, zipf:THETA (0 < THETA <= 10) or "
       "hotspot:DATA_FRACTION:OP_FRACTION (each in (0, 1]), or a list",
       "uniform", true, "distribution", true, "", "", Show::kNonDefault,
       Into(&RunConfig::distribution,
            [](const Value& v) {
              return Parsed(v, &Distribution::Parse, {"uniform"});
            }),
       [](const RunConfig& c) {
         return Cell::Text(c.distribution.ToString());
       }},
      {"batch", "--batch", "increments pre-aggregated per Add",
       "an integer from 1 to 1000000, or a list of them", "1", true, "batch",
       true, "batch", "", Show::kNonDefault,
       Into(&RunConfig::batch,
            [](const Value& v) { return IntIn(v, 1, 1000000); }),
       [](const RunConfig& c) { return Cell::Int(c.batch); }},
      {"shards", "--shards", "physical slots per logical counter",
       "an integer from 1 to 1024, or a list of them", "1", true, "shards",
       true, "shards", "", Show::kNonDefault,
       Into(&RunConfig::shards,
            [](const Value& v) { return IntIn(v, 1, 1024); }),
       [](const RunConfig& c) { return Cell::Int(c.shards); }},
      {"shard_by", "--shard-by",
       "with shards > 1: which shard a worker adds to: its own (worker), "
       "its CPU's (cpu), or one until increments collide, then more "
       "(adaptive)",
       "worker, cpu or adaptive, or a list of them", "worker", true,
       "shard_by", true, "shard_by", "", Show::kNonDefault,
       Into(&RunConfig::shard_by,
            [](const Value& v) {
              return Parsed(v, &ParseShardBy, {"worker", "cpu", "adaptive"});
            }),
       [](const RunConfig& c) { return Cell::Text(ShardByName(c.shard_by)); },
       [](const RunConfig& c) { return c.shards > 1; }},
      {"kind", "--kind",
       "counter (add one) or inventory (take one while any is left)",
       "counter or inventory, or a list of them", "counter", true, "kind",
       true, "", "", Show::kNonDefault,
       Into(&RunConfig::kind,
            [](const Value& v) {
              return Parsed(v, &ParseKind, {"counter", "inventory"});
            }),
       [](const RunConfig& c) { return Cell::Text(KindName(c.kind)); }},
      {"stock", "--stock", "inventory: each key's starting stock",
       "an integer from 1 to 10^15, or a list of them", "100000", true,
       "stock", true, "stock", "", Show::kNonDefault,
       Into(&RunConfig::stock,
            [](const Value& v) { return IntIn(v, 1, 1000000000000000); }),
       [](const RunConfig& c) { return Cell::Int(c.stock); },
       &IsInventory},
      {"take", "--take",
       "inventory, atomic: conditional (take only what is left) or "
       "compensate (decrement, give back if it went below zero)",
       "conditional or compensate, or a list of them", "conditional", true,
       "take", true, "take", "", Show::kNonDefault,
       Into(&RunConfig::take,
            [](const Value& v) {
              return Parsed(v, &ParseTake, {"conditional", "compensate"});
            }),
       [](const RunConfig& c) { return Cell::Text(TakeName(c.take)); },
       &IsInventory},
      {"read_fraction", "--read-fraction", "share of operations that read",
       "a number from 0 to 1, or a list of them", "0", true, "read_fraction",
       true, "reads", "", Show::kNonDefault,
       Into(&RunConfig::read_fraction, &FractionIn01),
       [](const RunConfig& c) { return Cell::Float(c.read_fraction, 3); }},
      {"think", "--think", "time between operations, e.g. 10us",
       "a duration from 0 to 1s such as \"10us\", or a list", "0", true,
       "think_us", true, "think", "us", Show::kNonDefault,
       Into(&RunConfig::think_ns,
            [](const Value& v) { return DurationIn(v, 0, kSecond); }),
       [](const RunConfig& c) { return Micros(c.think_ns); }},
      {"rate", "--rate",
       "open loop: operations per second for the whole run, e.g. 5000, or "
       "a share of the closed-loop capacity, e.g. 80%",
       "0 (closed loop), a number from 1 to 10^9 (logical operations per "
       "second, split over the workers) or a percentage from 1% to 1000% of "
       "the closed-loop capacity, or a list",
       "0", true, "rate", true, "rate", "/s", Show::kNonDefault,
       [](const Value& v, RunConfig* c) -> Status {
         if (v.type == Value::Type::kString && !v.s.empty() &&
             v.s.back() == '%') {
           const Value number = ValueFromText(v.s.substr(0, v.s.size() - 1));
           Result<double> percent = NumberOf(number);
           if (!percent.ok()) {
             return Status::InvalidArgument("value " + v.Quoted() +
                                            " is not a percentage");
           }
           if (*percent < 1 || *percent > 1000) {
             return Status::InvalidArgument("value " + v.Quoted() +
                                            " is out of range");
           }
           c->rate = 0;
           c->rate_share = *percent / 100;
           return Status::OK();
         }
         Result<double> rate = RateIn(v);
         if (!rate.ok()) return rate.status();
         c->rate = *rate;
         c->rate_share = 0;
         return Status::OK();
       },
       [](const RunConfig& c) {
         // A share stays as it was given: the text "80%".
         if (c.rate_share > 0) {
           return Cell::Text(TrimNumber(Fixed(100 * c.rate_share, 3)) + "%");
         }
         return c.rate > 0 ? Cell::Number(c.rate, 3) : Cell();
       }},
      {"arrival", "--arrival", "open loop: constant or poisson",
       "constant or poisson, or a list of them", "constant", true, "arrival",
       true, "arrival", "", Show::kNonDefault,
       Into(&RunConfig::arrival,
            [](const Value& v) {
              return Parsed(v, &ParseArrival, {"constant", "poisson"});
            }),
       [](const RunConfig& c) {
         // Null in a closed loop: there is no arrival to speak of.
         return c.rate > 0 || c.rate_share > 0
                    ? Cell::Text(ArrivalName(c.arrival))
                    : Cell();
       }},
      {"phases", "--phases",
       "load that changes: phases separated by ';', e.g. \"2000/s 5s; "
       "20000/s 5s; 2000/s 5s\" (instead of duration, ops and rate)",
       kStagesAllowed, "", true, "phases", true, "phases", "",
       Show::kNonDefault,
       [](const Value& v, RunConfig* c) -> Status {
         if (v.type != Value::Type::kString) {
           return Status::InvalidArgument("value " + v.Quoted() +
                                          " is not a string");
         }
         Result<std::vector<Stage>> stages = ParseStages(v.s);
         if (!stages.ok()) {
           return Status::InvalidArgument("value " + v.Quoted() + ": " +
                                          stages.status().message());
         }
         c->stages = std::move(*stages);
         return Status::OK();
       },
       [](const RunConfig& c) {
         return c.stages.empty() ? Cell() : Cell::Text(FormatStages(c.stages));
       }},
      {"pin", "--pin",
       "CPU pinning: off, workers (round-robin over the CPUs), or all (and "
       "an embedded server on a CPU of its own when one is spare)",
       "off, workers or all, or a list of them", "off", true, "pin", true,
       "pin", "", Show::kNonDefault,
       Into(&RunConfig::pin,
            [](const Value& v) {
              return Parsed(v, &ParsePinMode, {"off", "workers", "all"});
            }),
       [](const RunConfig& c) { return Cell::Text(PinModeName(c.pin)); }},
      {"latency_limit", "--latency-limit",
       "open loop: a response time that counts as late, e.g. 1ms",
       "a duration from 0 (none) to 1h such as \"1ms\", or a list", "0", true,
       "latency_limit_us", false, "limit", "us", Show::kNonDefault,
       Into(&RunConfig::latency_limit_ns,
            [](const Value& v) { return DurationIn(v, 0, 3600 * kSecond); }),
       [](const RunConfig& c) {
         return c.latency_limit_ns > 0 ? Micros(c.latency_limit_ns) : Cell();
       }},
      {"flush_every", "--flush-every",
       "write-behind: hold increments and send one Add(n) per key this "
       "often, e.g. 1s",
       "a duration from 0 (off) to 1h such as \"100ms\", or a list", "0", true,
       "flush_every_us", true, "flush", "us", Show::kNonDefault,
       Into(&RunConfig::flush_every_ns,
            [](const Value& v) { return DurationIn(v, 0, 3600 * kSecond); }),
       [](const RunConfig& c) {
         return c.flush_every_ns > 0 ? Micros(c.flush_every_ns) : Cell();
       }},
      {"duration", "--duration", "run length, e.g. 3s, 500ms",
       "a duration from 1ms to 1h such as \"3s\", \"500ms\", \"200us\", or a "
       "list",
       "1s", true, "duration_target_s", true, "duration", "s", Show::kSwept,
       Into(&RunConfig::duration_ns,
            [](const Value& v) {
              return DurationIn(v, 1000000, 3600 * kSecond);
            }),
       [](const RunConfig& c) {
         return c.duration_ns > 0 ? Cell::Float(c.duration_ns / 1e9, 3) : Cell();
       }},
      {"ops", "--ops", "logical operations per worker (instead of duration)",
       "an integer from 1 to 10^12 (logical operations per worker), or a list",
       "", true, "ops_target", true, "ops", "", Show::kSwept,
       Into(&RunConfig::ops,
            [](const Value& v) { return IntIn(v, 1, 1000000000000); }),
       [](const RunConfig& c) {
         return c.ops > 0 ? Cell::Int(c.ops) : Cell();
       }},
      {"warmup", "--warmup", "warm-up before measuring, e.g. 1s",
       "a duration from 0 to 1h such as \"1s\" or \"0\", or a list", "0", true,
       "warmup_s", true, "warmup", "s", Show::kSwept,
       Into(&RunConfig::warmup_ns,
            [](const Value& v) { return DurationIn(v, 0, 3600 * kSecond); }),
       [](const RunConfig& c) { return Cell::Float(c.warmup_ns / 1e9, 3); }},
      {"seed", "--seed", "seed of the key choices",
       "an integer from 0 to 2^63-1, or a list", "42", true, "seed", false,
       "seed", "", Show::kSwept,
       Into(&RunConfig::seed,
            [](const Value& v) { return IntIn(v, 0, INT64_MAX); }),
       [](const RunConfig& c) {
         return Cell::Int(static_cast<int64_t>(c.seed));
       }},
      {"series_interval", "--series-interval",
       "interval of the per-second series in --json, e.g. 1s",
       "a duration from 10ms to 1h such as \"1s\"", "1s", false,
       "series_interval_s", false, "series_interval", "s", Show::kSwept,
       Into(&RunConfig::series_interval_ns,
            [](const Value& v) {
              return DurationIn(v, 10000000, 3600 * kSecond);
            }),
       [](const RunConfig& c) {
         return Cell::Float(c.series_interval_ns / 1e9, 3);
       }},
      {"timeout", "--timeout",
       "each request's deadline at a server (redis, manager, postgres): a "
       "stopped or stuck server fails the run within it, e.g. 2s",
       "a duration from 10ms to 1h such as \"2s\"", "2s", false, "timeout_ms",
       false, "timeout", "ms", Show::kNonDefault,
       Into(&RunConfig::timeout_ns,
            [](const Value& v) {
              return DurationIn(v, 10000000, 3600 * kSecond);
            }),
       [](const RunConfig& c) { return Cell::Int(c.timeout_ns / 1000000); }},
  };
  return *fields;
}

const Field* FindRunField(const std::string& key) {
  for (const Field& f : RunFields()) {
    if (key == f.key) return &f;
  }
  return nullptr;
}

const Field* FindRunFieldByColumn(const std::string& column) {
  for (const Field& f : RunFields()) {
    if (column == f.column) return &f;
  }
  return nullptr;
}

std::string RunFieldNames() {
  std::string out;
  for (const Field& f : RunFields()) {
    if (!out.empty()) out += ", ";
    out += f.key;
  }
  return out;
}

}  // namespace ctrbench
