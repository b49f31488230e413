// The per-second series: intervals handed out as they close, whose
// histograms, operations, retries and errors add up to the run's; and,
// for MPI, an interval as a message and the merge of the ranks' intervals
// (tested here without MPI; tests/mpi_test.cc runs them under mpirun).

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "counters/rank_exchange.h"
#include "counters/runner.h"
#include "tests/test_util.h"

namespace ctrbench {
namespace {

// What the IntervalFn saw: the sums of every interval, in order.
struct SeenSeries {
  std::set<std::string> run_ids;
  uint32_t intervals = 0;
  double last_end_s = 0;
  int64_t ops = 0, increments = 0, retries = 0, errors = 0;
  Histogram latency, response;

  IntervalFn Fn() {
    return [this](const std::string& run_id, const SeriesPoint& p) {
      run_ids.insert(run_id);
      EXPECT_EQ(p.index, intervals) << "in order, each once";
      EXPECT_GE(p.start_s, last_end_s - 1e-9);
      EXPECT_GE(p.end_s, p.start_s);
      EXPECT_EQ(p.ranks, 1);
      last_end_s = p.end_s;
      ++intervals;
      ops += p.ops;
      increments += p.increments;
      retries += p.retries;
      errors += p.errors;
      latency.Merge(p.latency);
      response.Merge(p.response);
    };
  }
};

// A closed loop: 4 workers' compare-and-set on one key conflict, and each
// interval has its retries; the run's latency histogram is exactly the sum
// of its intervals', as are its operations, retries and errors.
TEST(Series, ClosedLoopIntervalsAddUpToTheRun) {
  RunConfig c;
  c.backend = "inproc";
  c.strategy = Strategy::kCas;
  c.workers = 4;
  c.duration_ns = 300LL * 1000000;
  c.series_interval_ns = 50LL * 1000000;
  SeenSeries seen;
  Result<RunResult> r =
      ExecuteRun(c, *testing_util::BuiltinRegistry().Find("inproc"), nullptr,
                 nullptr, nullptr, seen.Fn());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_EQ(seen.run_ids, std::set<std::string>{r->run_id});
  EXPECT_EQ(r->series_intervals, seen.intervals);
  EXPECT_GE(seen.intervals, 5u);
  EXPECT_LE(seen.intervals, 8u);
  EXPECT_EQ(seen.ops, r->counts.ops);
  EXPECT_EQ(seen.retries, r->counts.retries);
  EXPECT_GT(seen.retries, 0) << "4 workers' CAS on one key conflict";
  EXPECT_EQ(seen.errors, r->counts.errors);
  EXPECT_EQ(seen.latency.count(), r->latency.count());
  EXPECT_EQ(seen.latency.max(), r->latency.max());
  for (double q : {0.5, 0.99, 0.999}) {
    EXPECT_EQ(seen.latency.Percentile(q), r->latency.Percentile(q)) << q;
  }
  EXPECT_EQ(seen.response.count(), 0) << "no response times: closed loop";
}

// An open loop: each interval has its response times, every operation's
// once, and the run's response histogram is their sum; progress shows the
// last closed interval's response p99.
TEST(Series, OpenLoopIntervalsHaveTheirResponses) {
  RunConfig c;
  c.backend = "inproc";
  c.workers = 2;
  c.rate = 5000;
  c.duration_ns = 1300LL * 1000000;  // Past the first progress report.
  c.series_interval_ns = 100LL * 1000000;
  SeenSeries seen;
  std::vector<Progress> progress;
  Result<RunResult> r = ExecuteRun(
      c, *testing_util::BuiltinRegistry().Find("inproc"),
      [&progress](const Progress& p) { progress.push_back(p); }, nullptr,
      nullptr, seen.Fn());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->verified) << r->error;
  EXPECT_GE(seen.intervals, 12u);
  EXPECT_LE(seen.intervals, 15u);
  EXPECT_EQ(seen.response.count(), r->response.count());
  EXPECT_EQ(r->response.count(), r->counts.ops) << "every operation's";
  EXPECT_EQ(seen.response.max(), r->response.max());
  for (double q : {0.5, 0.99}) {
    EXPECT_EQ(seen.response.Percentile(q), r->response.Percentile(q)) << q;
  }
  EXPECT_EQ(seen.latency.count(), r->latency.count());
  ASSERT_FALSE(progress.empty());
  EXPECT_GE(progress.back().last_resp_p99_us, 0);
  EXPECT_GE(progress.back().last_p99_us, 0);
}

SeriesPoint Part(uint32_t index, double start_s, int64_t ops,
                 int64_t latency_ns) {
  SeriesPoint p;
  p.index = index;
  p.start_s = start_s;
  p.end_s = start_s + 0.1;
  p.ops = ops;
  p.increments = ops;
  p.retries = 1;
  p.errors = 0;
  for (int64_t i = 0; i < ops; ++i) p.latency.Record(latency_ns + i);
  p.response.Record(2 * latency_ns);
  return p;
}

// An interval crosses to rank 0 as its counts and its histograms' buckets
// (the percentiles and max survive, which a point without histograms lost).
TEST(Series, AnIntervalSurvivesItsMessage) {
  const SeriesPoint p = Part(7, 0.7, 1000, 5000);
  const std::string message = PackInterval(p);
  EXPECT_LT(message.size(), 4096u) << "the buckets used, not 40 KiB";
  SeriesPoint q;
  ASSERT_EQ(UnpackInterval(message, &q), SeriesMessage::kInterval);
  EXPECT_EQ(q.index, 7u);
  EXPECT_DOUBLE_EQ(q.start_s, 0.7);
  EXPECT_DOUBLE_EQ(q.end_s, p.end_s);
  EXPECT_EQ(q.ops, 1000);
  EXPECT_EQ(q.retries, 1);
  EXPECT_EQ(q.latency.count(), 1000);
  EXPECT_EQ(q.latency.max(), p.latency.max());
  EXPECT_EQ(q.latency.Percentile(0.5), p.latency.Percentile(0.5));
  EXPECT_EQ(q.latency.Percentile(0.99), p.latency.Percentile(0.99));
  EXPECT_EQ(q.response.count(), 1);
  EXPECT_EQ(UnpackInterval(PackSeriesEnd(), &q), SeriesMessage::kEnd);
  EXPECT_EQ(UnpackInterval(message.substr(0, message.size() - 1), &q),
            SeriesMessage::kUnknown);
  EXPECT_EQ(UnpackInterval("", &q), SeriesMessage::kUnknown);
}

// Rank 0 merges the ranks' intervals by index and hands each on once every
// rank's part came, in order, whatever order they come in: its counts and
// histograms summed, its time the earliest start to the latest end.
TEST(Series, RankSeriesMergesEveryRanksIntervalInOrder) {
  std::vector<SeriesPoint> out;
  RankSeries merged(3, [&out](const SeriesPoint& p) { out.push_back(p); });
  merged.Add(Part(0, 0.0, 10, 1000));
  merged.Add(Part(1, 0.1, 10, 1000));
  merged.Add(Part(0, 0.01, 20, 100000));
  EXPECT_TRUE(out.empty()) << "interval 0 waits for its third rank";
  merged.Add(Part(1, 0.1, 10, 1000));
  merged.Add(Part(0, 0.0, 30, 1000));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].index, 0u);
  EXPECT_EQ(out[0].ranks, 3);
  EXPECT_EQ(out[0].ops, 60);
  EXPECT_EQ(out[0].retries, 3);
  EXPECT_EQ(out[0].latency.count(), 60);
  EXPECT_EQ(out[0].response.count(), 3);
  EXPECT_DOUBLE_EQ(out[0].start_s, 0.0);
  EXPECT_DOUBLE_EQ(out[0].end_s, 0.11);
  // A rank's slow samples show in the merged p99, as they would not in a
  // mean of the ranks' percentiles.
  EXPECT_GT(out[0].latency.Percentile(0.99), 90000);
  merged.Add(Part(1, 0.1, 10, 1000));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].index, 1u);
  EXPECT_EQ(out[1].ranks, 3);
  // The end: what waits goes with the ranks it has.
  merged.Add(Part(2, 0.2, 10, 1000));
  merged.Flush();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].ranks, 1);
  EXPECT_EQ(merged.left_out(), 0);
}

// Memory stays bounded when a rank falls behind: past kMaxPending waiting
// intervals the oldest goes with the ranks it has, and its late part is
// left out of the series (counted).
TEST(Series, RankSeriesWaitsForALateRankOnlySoLong) {
  std::vector<SeriesPoint> out;
  RankSeries merged(2, [&out](const SeriesPoint& p) { out.push_back(p); });
  const uint32_t n = RankSeries::kMaxPending + 10;
  for (uint32_t k = 0; k < n; ++k) merged.Add(Part(k, k * 0.1, 1, 1000));
  ASSERT_EQ(out.size(), 10u);  // Intervals 0-9; 10-73 wait.
  for (uint32_t k = 0; k < out.size(); ++k) {
    EXPECT_EQ(out[k].index, k);
    EXPECT_EQ(out[k].ranks, 1);
  }
  merged.Add(Part(0, 0.0, 1, 1000));  // The late rank's first.
  EXPECT_EQ(merged.left_out(), 1);
  merged.Add(Part(10, 1.0, 1, 1000));  // In time for interval 10.
  ASSERT_EQ(out.size(), 11u);
  EXPECT_EQ(out[10].ranks, 2);
  merged.Flush();
  EXPECT_EQ(out.size(), n);
}

}  // namespace
}  // namespace ctrbench
