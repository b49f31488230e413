#include "counters/metrics.h"

#include <algorithm>
#include <set>

#include "counters/fields.h"
#include "counters/runner.h"
#include "counters/sink.h"

namespace ctrbench {

namespace {

using Type = Cell::Type;
using Get = std::function<Cell(const RunResult&, const HostInfo&)>;

Cell Us(int64_t ns) { return Cell::Float(ns / 1000.0, 3); }
Cell Seconds(int64_t ns) { return Cell::Float(ns / 1e9, 3); }
Cell Mib(int64_t bytes) { return Cell::Float(bytes / 1048576.0, 1); }
// Empty when negative (not known, or not there).
Cell KnownFloat(double v, int decimals) {
  return v < 0 ? Cell() : Cell::Float(v, decimals);
}
// Null when there is no text (no error, no placement), as README.md says
// of every empty cell.
Cell TextOrNull(const std::string& text) {
  return text.empty() ? Cell() : Cell::Text(text);
}

bool OpenLoop(const RunResult& r) { return r.config.rate > 0; }
bool Inventory(const RunResult& r) {
  return r.config.kind == Kind::kInventory;
}
bool Timed(const RunResult& r) { return r.latency_samples > 0; }
bool Responses(const RunResult& r) {
  return OpenLoop(r) && r.response.count() > 0;
}

// A latency column: empty when nothing was timed.
Get Latency(double RunResult::*us) {
  return [us](const RunResult& r, const HostInfo&) {
    return Timed(r) ? Cell::Float(r.*us, 3) : Cell();
  };
}
// A percentile of a subset of the service times (reads, refused takes), in
// microseconds: empty when none was timed.
Get SubsetPercentile(Histogram RunResult::*h, double q) {
  return [h, q](const RunResult& r, const HostInfo&) {
    const Histogram& hist = r.*h;
    return hist.count() > 0 ? Cell::Float(hist.Percentile(q) / 1000.0, 3)
                            : Cell();
  };
}
// A response-time column: open loop only.
Get Response(double RunResult::*us) {
  return [us](const RunResult& r, const HostInfo&) {
    return Responses(r) ? Cell::Float(r.*us, 3) : Cell();
  };
}
// A count summed over the workers, as an integer.
Get Total(int64_t WorkerCounts::*count) {
  return [count](const RunResult& r, const HostInfo&) {
    return Cell::Int(r.counts.*count);
  };
}

// The column of a run setting: its value comes from the field table.
Column Setting(const char* name, Type type) {
  const Field* field = FindRunFieldByColumn(name);
  return {name,
          field->unit,
          type,
          Combine::kSetting,
          nullptr,
          field->groups ? Across::kKey : Across::kNone,
          field->help,
          [field](const RunResult& r, const HostInfo&) {
            return field->ValueOf(r.config);
          }};
}

// A column that a backend's statistic of this name fills (Backend::Stats).
Column StoreStat(const char* name, const char* unit, Type type, Across across,
                 const char* description) {
  return {name, unit, type, Combine::kStore, nullptr, across, description,
          [name](const RunResult& r, const HostInfo&) { return r.stat(name); }};
}

std::vector<Column>* MakeColumns() {
  using C = Combine;
  using A = Across;
  using W = WorkerCounts;
  return new std::vector<Column>{
      {"schema_version", "", Type::kInt, C::kRun, nullptr, A::kKey,
       "version of this column list",
       [](const RunResult&, const HostInfo&) {
         return Cell::Int(kSchemaVersion);
       }},
      {"run_id", "", Type::kText, C::kRun, nullptr, A::kNone,
       "unique across hosts and processes; what the run created is named "
       "after it",
       [](const RunResult& r, const HostInfo&) { return Cell::Text(r.run_id); }},
      {"started_at", "", Type::kText, C::kRun, nullptr, A::kNone,
       "UTC start time, ISO 8601",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Text(r.started_at);
       }},
      {"scenario", "", Type::kText, C::kRun, nullptr, A::kKey,
       "the scenario's name",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Text(r.config.scenario);
       }},
      {"backend", "", Type::kText, C::kRun, nullptr, A::kKey,
       "where the counters live",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Text(r.config.backend);
       }},
      Setting("strategy", Type::kText),
      Setting("mode", Type::kText),
      Setting("workers", Type::kInt),
      Setting("keys", Type::kInt),
      Setting("distribution", Type::kText),
      Setting("batch", Type::kInt),
      Setting("shards", Type::kInt),
      Setting("read_fraction", Type::kFloat),
      {"repetition", "", Type::kInt, C::kRun, nullptr, A::kNone,
       "1..repeat",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Int(r.config.repetition);
       }},
      {"duration_s", "s", Type::kFloat, C::kDerived, nullptr, A::kNone,
       "measured time: earliest worker start to latest worker end",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Float(r.duration_s, 6);
       }},
      {"ops", "", Type::kInt, C::kSum, &W::ops, A::kNone,
       "backend operations (Add and Read calls) in the measured time",
       Total(&W::ops)},
      {"increments", "", Type::kInt, C::kSum, &W::increments, A::kNone,
       "logical increments acknowledged in the measured time",
       Total(&W::increments)},
      {"throughput_ops_s", "ops/s", Type::kFloat, C::kDerived, nullptr,
       A::kNone, "ops / duration_s",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Float(r.throughput_ops_s, 1);
       }},
      {"increments_per_s", "1/s", Type::kFloat, C::kDerived, nullptr,
       A::kMedian, "increments / duration_s",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Float(r.increments_per_s, 1);
       }},
      {"lat_p50_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kMedian,
       "service time (one backend call), median", Latency(&RunResult::lat_p50_us)},
      {"lat_p90_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kNone,
       "service time, 90th percentile", Latency(&RunResult::lat_p90_us)},
      {"lat_p99_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kMedian,
       "service time, 99th percentile", Latency(&RunResult::lat_p99_us)},
      {"lat_p999_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kMedian,
       "service time, 99.9th percentile", Latency(&RunResult::lat_p999_us)},
      {"lat_max_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kNone,
       "service time, largest", Latency(&RunResult::lat_max_us)},
      {"lat_sample_every", "", Type::kInt, C::kRun, nullptr, A::kNone,
       "1 in N backend calls was timed",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Int(r.lat_sample_every);
       }},
      {"retries", "", Type::kInt, C::kSum, &W::retries, A::kMedian,
       "CAS conflicts, busy retries and failed lock attempts",
       Total(&W::retries)},
      {"lock_wait_us", "us", Type::kFloat, C::kSum, &W::lock_wait_ns,
       A::kMedian, "time workers waited for a contended lock, summed",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Float(r.counts.lock_wait_ns / 1000.0, 1);
       }},
      {"errors", "", Type::kInt, C::kSum, &W::errors, A::kNone,
       "operations that failed for good", Total(&W::errors)},
      {"expected_total", "", Type::kInt, C::kRun, nullptr, A::kNone,
       "increments the backend acknowledged, warm-up included (inventory: "
       "units sold)",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Int(r.expected_total);
       }},
      {"actual_total", "", Type::kInt, C::kRun, nullptr, A::kNone,
       "sum of all counters read after the run (inventory: units gone from "
       "the stock, stock - read)",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Int(r.actual_total);
       }},
      {"lost_updates", "", Type::kInt, C::kRun, nullptr, A::kMedian,
       "expected_total - actual_total (inventory: per key, the units sold "
       "that did not leave its stock, summed over keys)",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Int(r.lost_updates);
       }},
      {"verified", "", Type::kBool, C::kRun, nullptr, A::kNone,
       "every counter equals the increments acknowledged for it (inventory: "
       "no key oversold, no sale lost, nothing gone unsold), no errors",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Bool(r.verified);
       }},
      {"worker_ops_min", "", Type::kInt, C::kDerived, nullptr, A::kNone,
       "the fewest operations one worker did",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Int(r.worker_ops_min);
       }},
      {"worker_ops_max", "", Type::kInt, C::kDerived, nullptr, A::kNone,
       "the most operations one worker did",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Int(r.worker_ops_max);
       }},
      {"fairness", "", Type::kFloat, C::kDerived, nullptr, A::kMedian,
       "Jain's index of per-worker operations",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Float(r.fairness, 4);
       }},
      {"cpu_user_s", "s", Type::kFloat, C::kSum, &W::cpu_user_ns, A::kNone,
       "user CPU time of the workers",
       [](const RunResult& r, const HostInfo&) {
         return Seconds(r.counts.cpu_user_ns);
       }},
      {"cpu_sys_s", "s", Type::kFloat, C::kSum, &W::cpu_sys_ns, A::kNone,
       "system CPU time of the workers",
       [](const RunResult& r, const HostInfo&) {
         return Seconds(r.counts.cpu_sys_ns);
       }},
      {"ctx_voluntary", "", Type::kInt, C::kSum, &W::nvcsw, A::kNone,
       "voluntary context switches of the workers", Total(&W::nvcsw)},
      {"ctx_involuntary", "", Type::kInt, C::kSum, &W::nivcsw, A::kNone,
       "involuntary context switches of the workers", Total(&W::nivcsw)},
      {"backend_options", "", Type::kText, C::kRun, nullptr, A::kKey,
       "every option of the backend as the run had it, key=value;... sorted",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Text(FormatOptions(r.effective_options.empty()
                                             ? r.config.options
                                             : r.effective_options));
       }},
      {"host", "", Type::kText, C::kHost, nullptr, A::kNone, "host name",
       [](const RunResult&, const HostInfo& h) { return Cell::Text(h.host); }},
      {"cpu_model", "", Type::kText, C::kHost, nullptr, A::kNone,
       "the CPU's model name",
       [](const RunResult&, const HostInfo& h) {
         return Cell::Text(h.cpu_model);
       }},
      {"cpus", "", Type::kInt, C::kHost, nullptr, A::kNone,
       "CPUs of the host",
       [](const RunResult&, const HostInfo& h) { return Cell::Int(h.cpus); }},
      {"version", "", Type::kText, C::kHost, nullptr, A::kNone,
       "ctrbench version",
       [](const RunResult&, const HostInfo& h) {
         return Cell::Text(h.version);
       }},
      Setting("hold_us", Type::kFloat),
      Setting("think_us", Type::kFloat),
      Setting("warmup_s", Type::kFloat),
      Setting("seed", Type::kInt),
      {"build_type", "", Type::kText, C::kHost, nullptr, A::kNone,
       "CMake build type of the binary",
       [](const RunResult&, const HostInfo& h) {
         return Cell::Text(h.build_type);
       }},
      {"backend_version", "", Type::kText, C::kRun, nullptr, A::kNone,
       "the library or server behind the backend",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Text(r.backend_version);
       }},
      StoreStat("server_cpu_s", "s", Type::kFloat, A::kMedian,
                "CPU seconds of a server the backend started, in the "
                "measured time"),
      {"error", "", Type::kText, C::kRun, nullptr, A::kNone,
       "empty, or why the run failed",
       [](const RunResult& r, const HostInfo&) {
         return TextOrNull(r.error);
       }},
      Setting("duration_target_s", Type::kFloat),
      Setting("ops_target", Type::kInt),
      Setting("series_interval_s", Type::kFloat),
      {"cpu_steal_s", "s", Type::kFloat, C::kRun, nullptr, A::kNone,
       "CPU time the hypervisor took from the host in the measured time",
       [](const RunResult& r, const HostInfo&) {
         return KnownFloat(r.cpu_steal_s, 3);
       }},
      {"disk_peak_mb", "MiB", Type::kFloat, C::kMax, &W::disk_peak_bytes,
       A::kNone, "the largest size the backend's files reached",
       [](const RunResult& r, const HostInfo&) {
         return r.counts.disk_peak_bytes > 0 ? Mib(r.counts.disk_peak_bytes)
                                             : Cell();
       }},
      StoreStat("wait_samples", "", Type::kInt, A::kNone,
                "postgres: looks at the run's connections in "
                "pg_stat_activity"),
      StoreStat("wait_lock_tuple", "", Type::kInt, A::kNone,
                "postgres: looks that found a wait for a row lock"),
      StoreStat("wait_lock_transactionid", "", Type::kInt, A::kNone,
                "postgres: looks that found a wait for the row's "
                "transaction"),
      StoreStat("wait_lock_other", "", Type::kInt, A::kNone,
                "postgres: looks that found a wait for another lock"),
      StoreStat("wait_other", "", Type::kInt, A::kNone,
                "postgres: looks that found any other wait"),
      Setting("rate", Type::kFloat),
      Setting("arrival", Type::kText),
      Setting("latency_limit_us", Type::kFloat),
      {"rate_achieved", "1/s", Type::kFloat, C::kDerived, nullptr, A::kMedian,
       "open loop: logical operations completed per second",
       [](const RunResult& r, const HostInfo&) {
         return OpenLoop(r) ? Cell::Float(r.rate_achieved, 1) : Cell();
       }},
      {"resp_p50_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kMedian,
       "open loop: response time (from the intended start), median",
       Response(&RunResult::resp_p50_us)},
      {"resp_p90_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kNone,
       "open loop: response time, 90th percentile",
       Response(&RunResult::resp_p90_us)},
      {"resp_p99_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kMedian,
       "open loop: response time, 99th percentile",
       Response(&RunResult::resp_p99_us)},
      {"resp_p999_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kNone,
       "open loop: response time, 99.9th percentile",
       Response(&RunResult::resp_p999_us)},
      {"resp_max_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kNone,
       "open loop: response time, largest", Response(&RunResult::resp_max_us)},
      {"sched_lag_max_us", "us", Type::kFloat, C::kMax, &W::sched_lag_max_ns,
       A::kNone, "open loop: the largest delay of a send past its start",
       [](const RunResult& r, const HostInfo&) {
         return OpenLoop(r) ? Us(r.counts.sched_lag_max_ns) : Cell();
       }},
      {"late_ops", "", Type::kInt, C::kSum, &W::late_ops, A::kNone,
       "open loop: operations over latency_limit",
       [](const RunResult& r, const HostInfo&) {
         return OpenLoop(r) && r.config.latency_limit_ns > 0
                    ? Cell::Int(r.counts.late_ops)
                    : Cell();
       }},
      {"unsent_ops", "", Type::kInt, C::kSum, &W::unsent_ops, A::kNone,
       "open loop: operations due by the end but never sent",
       [](const RunResult& r, const HostInfo&) {
         return OpenLoop(r) ? Cell::Int(r.counts.unsent_ops) : Cell();
       }},
      Setting("flush_every_us", Type::kFloat),
      {"stale_max_us", "us", Type::kFloat, C::kMax, &W::stale_max_ns,
       A::kMedian, "write-behind: the longest a held increment waited",
       [](const RunResult& r, const HostInfo&) {
         return r.config.flush_every_ns > 0 ? Us(r.counts.stale_max_ns)
                                            : Cell();
       }},
      {"held_max", "", Type::kInt, C::kSum, &W::held_max, A::kMedian,
       "write-behind: the most increments held at once, summed over workers",
       [](const RunResult& r, const HostInfo&) {
         return r.config.flush_every_ns > 0 ? Cell::Int(r.counts.held_max)
                                            : Cell();
       }},
      {"rate_offered", "1/s", Type::kFloat, C::kRun, nullptr, A::kMedian,
       "open loop: the rate the run was driven at",
       [](const RunResult& r, const HostInfo&) {
         return OpenLoop(r) ? Cell::Number(r.config.rate, 3) : Cell();
       }},
      {"capacity_ops_s", "1/s", Type::kFloat, C::kRun, nullptr, A::kNone,
       "open loop at a share (or phases with shares): the closed-loop "
       "capacity it is a share of",
       [](const RunResult& r, const HostInfo&) {
         return OpenLoop(r) && r.config.capacity > 0
                    ? Cell::Float(r.config.capacity, 1)
                    : Cell();
       }},
      Setting("pin", Type::kText),
      {"cpu_placement", "", Type::kText, C::kRun, nullptr, A::kNone,
       "where the workers (and an embedded server) ran",
       [](const RunResult& r, const HostInfo&) {
         return TextOrNull(r.cpu_placement);
       }},
      {"harness_pss_mb", "MiB", Type::kFloat, C::kRun, nullptr, A::kNone,
       "ctrbench's own memory at the end of the measured time",
       [](const RunResult& r, const HostInfo&) {
         return r.harness_pss_bytes < 0 ? Cell() : Mib(r.harness_pss_bytes);
       }},
      {"setup_s", "s", Type::kFloat, C::kRun, nullptr, A::kNone,
       "the backend's setup before the run",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Float(r.setup_s, 3);
       }},
      Setting("connections", Type::kInt),
      Setting("busy_poll_us", Type::kFloat),
      {"busy_poll_used_us", "us", Type::kFloat, C::kRun, nullptr, A::kNone,
       "what busy_poll ran as",
       [](const RunResult& r, const HostInfo&) {
         return r.busy_poll_used_ns < 0 ? Cell() : Us(r.busy_poll_used_ns);
       }},
      {"redirects", "", Type::kInt, C::kSum, &W::redirects, A::kNone,
       "a cluster's MOVED and ASK replies, each followed",
       Total(&W::redirects)},
      StoreStat("node_commands", "", Type::kText, A::kNone,
                "a cluster's: commands each node processed, a/b/c"),
      {"ranks", "", Type::kInt, C::kRun, nullptr, A::kNone,
       "MPI ranks that ran the workers",
       [](const RunResult& r, const HostInfo&) { return Cell::Int(r.ranks); }},
      {"hosts", "", Type::kInt, C::kRun, nullptr, A::kNone,
       "hosts the ranks ran on",
       [](const RunResult& r, const HostInfo&) { return Cell::Int(r.hosts); }},
      {"host_fairness", "", Type::kFloat, C::kDerived, nullptr, A::kNone,
       "Jain's index over the hosts of operations per worker",
       [](const RunResult& r, const HostInfo&) {
         return Cell::Float(r.host_fairness, 4);
       }},
      Setting("timeout_ms", Type::kInt),
      {"lat_mean_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kNone,
       "service time, mean: summed nanoseconds over the timed calls",
       [](const RunResult& r, const HostInfo&) {
         const double ns = r.latency.Mean();
         return Timed(r) && ns >= 0 ? Cell::Float(ns / 1000.0, 3) : Cell();
       }},
      {"resp_mean_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kNone,
       "open loop: response time, mean: summed nanoseconds over every "
       "operation",
       [](const RunResult& r, const HostInfo&) {
         const double ns = r.response.Mean();
         return Responses(r) && ns >= 0 ? Cell::Float(ns / 1000.0, 3)
                                        : Cell();
       }},
      {"backend_stats", "", Type::kText, C::kStore, nullptr, A::kNone,
       "the store's own statistics that have no column of their own, "
       "name=value;... sorted (in JSON an object of typed values)",
       [](const RunResult& r, const HostInfo&) {
         OptionMap text;
         for (const auto& [name, cell] : UncolumnedStats(r)) {
           text[name] = cell.Text();
         }
         return Cell::Text(FormatOptions(text));
       }},
      {"goodput_per_s", "1/s", Type::kFloat, C::kRun, nullptr, A::kMedian,
       "increments that a read found after the run, per second: the "
       "increments less each counter's shortfall (acknowledged - read), "
       "over duration_s",
       [](const RunResult& r, const HostInfo&) {
         return KnownFloat(r.goodput_per_s, 1);
       }},
      Setting("kind", Type::kText),
      Setting("stock", Type::kInt),
      {"sold", "", Type::kInt, C::kDerived, nullptr, A::kMedian,
       "inventory: units taken in the measured time (its increments)",
       [](const RunResult& r, const HostInfo&) {
         return Inventory(r) ? Cell::Int(r.counts.increments) : Cell();
       }},
      {"sold_out", "", Type::kInt, C::kSum, &W::sold_out, A::kMedian,
       "inventory: takes answered sold out (acknowledged, nothing taken)",
       [](const RunResult& r, const HostInfo&) {
         return Inventory(r) ? Cell::Int(r.counts.sold_out) : Cell();
       }},
      {"oversold", "", Type::kInt, C::kRun, nullptr, A::kMedian,
       "inventory: per key, units sold beyond its stock, summed over the "
       "measured keys; empty when the stock could not be read",
       [](const RunResult& r, const HostInfo&) {
         return Inventory(r) && r.oversold >= 0 ? Cell::Int(r.oversold)
                                                : Cell();
       }},
      {"sold_out_at_s", "s", Type::kFloat, C::kEarliest, &W::sold_out_at_ns,
       A::kMedian,
       "inventory: when the first take was answered sold out, in seconds "
       "of the measured time; empty if none was",
       [](const RunResult& r, const HostInfo&) {
         const int64_t at = r.counts.sold_out_at_ns;
         return Inventory(r) && at > 0 && r.counts.start_ns > 0
                    ? Seconds(std::max<int64_t>(0, at - r.counts.start_ns))
                    : Cell();
       }},
      Setting("take", Type::kText),
      {"negative_reads", "", Type::kInt, C::kSum, &W::negative_reads,
       A::kNone,
       "inventory: reads that saw a key's stock below zero (take = "
       "compensate shows them to readers between its two steps)",
       [](const RunResult& r, const HostInfo&) {
         return Inventory(r) ? Cell::Int(r.counts.negative_reads) : Cell();
       }},
      Setting("shard_by", Type::kText),
      {"cells", "", Type::kInt, C::kMax, &W::cells, A::kMedian,
       "shard_by = adaptive: the cells per key in use at the end (from 1, "
       "doubled at each collision, up to shards); empty otherwise",
       [](const RunResult& r, const HostInfo&) {
         return r.config.shards > 1 &&
                        r.config.shard_by == ShardBy::kAdaptive
                    ? Cell::Int(r.counts.cells)
                    : Cell();
       }},
      Setting("phases", Type::kText),
      {"drain_s", "s", Type::kFloat, C::kMax, &W::drain_ns, A::kMedian,
       "load phases, open loop: from the end of the busiest phase until "
       "the backlog of unsent operations is back to its level before that "
       "phase (the slowest worker's); empty if it never was",
       [](const RunResult& r, const HostInfo&) {
         return HasDrainTime(r.config.stages) && r.counts.undrained == 0
                    ? Seconds(r.counts.drain_ns)
                    : Cell();
       }},
      {"read_p50_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kMedian,
       "a read of a key (read_fraction), every shard of it, timed whole: "
       "median; empty when none was timed (with connections > 1 or a "
       "pipelining session, reads are timed with the rest only)",
       SubsetPercentile(&RunResult::reads, 0.50)},
      {"read_p99_us", "us", Type::kFloat, C::kHistogram, nullptr, A::kMedian,
       "a read of a key, every shard of it: 99th percentile",
       SubsetPercentile(&RunResult::reads, 0.99)},
      {"refused_p50_us", "us", Type::kFloat, C::kHistogram, nullptr,
       A::kMedian,
       "inventory: service time of the timed takes answered sold out, "
       "median (lat_p50_us holds every timed call); empty when none was",
       SubsetPercentile(&RunResult::refused, 0.50)},
      {"refused_p99_us", "us", Type::kFloat, C::kHistogram, nullptr,
       A::kMedian,
       "inventory: service time of the timed takes answered sold out, 99th "
       "percentile",
       SubsetPercentile(&RunResult::refused, 0.99)},
  };
}

}  // namespace

const char* CombineName(Combine combine) {
  switch (combine) {
    case Combine::kSum:
      return "sum";
    case Combine::kMax:
      return "max";
    case Combine::kEarliest:
      return "earliest";
    case Combine::kHistogram:
      return "histogram";
    case Combine::kDerived:
      return "derived";
    case Combine::kRun:
      return "run";
    case Combine::kStore:
      return "store";
    case Combine::kSetting:
      return "setting";
    case Combine::kHost:
      return "host";
  }
  return "";
}

const char* AcrossName(Across across) {
  switch (across) {
    case Across::kMedian:
      return "median";
    case Across::kKey:
      return "key";
    case Across::kNone:
      return "-";
  }
  return "";
}

std::string DescribeColumns() {
  std::string out = "# column\ttype\tunit\tworkers\treport\tdescription\n";
  for (const Column& c : Columns()) {
    out += std::string(c.name) + "\t" + CellTypeName(c.type) + "\t" +
           (*c.unit ? c.unit : "-") + "\t" + CombineName(c.combine) + "\t" +
           AcrossName(c.across) + "\t" + c.description + "\n";
  }
  return out;
}

const std::vector<Column>& Columns() {
  static const std::vector<Column>* columns = MakeColumns();
  return *columns;
}

const Column* FindColumn(const std::string& name) {
  for (const Column& c : Columns()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

StatValues UncolumnedStats(const RunResult& r) {
  StatValues out;
  for (const auto& [name, cell] : r.backend_stats) {
    if (FindColumn(name) == nullptr) out.emplace(name, cell);
  }
  return out;
}

const std::vector<CountRule>& CountRules() {
  static const std::vector<CountRule>* rules = [] {
    auto* out = new std::vector<CountRule>{
        // Counts behind derived columns (duration_s, rate_achieved).
        {&WorkerCounts::start_ns, Combine::kEarliest},
        {&WorkerCounts::end_ns, Combine::kMax},
        {&WorkerCounts::logical, Combine::kSum},
        {&WorkerCounts::undrained, Combine::kSum},  // drain_s.
    };
    for (const Column& c : Columns()) {
      if (c.count != nullptr) out->push_back({c.count, c.combine});
    }
    return out;
  }();
  return *rules;
}

void CombineCounts(const WorkerCounts& worker, WorkerCounts* total) {
  for (const CountRule& rule : CountRules()) {
    const int64_t v = worker.*rule.count;
    int64_t& t = total->*rule.count;
    switch (rule.combine) {
      case Combine::kSum:
        t += v;
        break;
      case Combine::kMax:
        if (v > t) t = v;
        break;
      case Combine::kEarliest:
        if (v > 0 && (t == 0 || v < t)) t = v;
        break;
      default:
        break;  // Not a count (CountRules has none of these).
    }
  }
}

}  // namespace ctrbench
