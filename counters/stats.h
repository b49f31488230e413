// The statistics behind `ctrbench report`: how sure a median is, whether
// two sets of repetitions differ beyond noise, and how throughput scales.
//
//   Interval i = MedianInterval({9.8, 10.1, 10.4});   // [9.8, 10.4] at 75 %
//   UTest u = MannWhitney(before, after);             // u.p, u.can_reject
//   UslFit fit = FitUsl({{1, 1000}, {2, 1800}, {4, 2900}, {8, 3400}});
//
// All three use the repetitions or points as they are: no assumption that
// run times are normally distributed (they are not: a descheduled worker
// makes a long right tail).

#ifndef CTRBENCH_COUNTERS_STATS_H_
#define CTRBENCH_COUNTERS_STATS_H_

#include <vector>

namespace ctrbench {

// A distribution-free confidence interval for the median: the order
// statistics [x(k), x(n+1-k)] with the largest k whose coverage is at least
// 95 %. Below 6 values no k reaches 95 %: the interval is [min, max] and
// `coverage` says what it is (75 % at 3 values, 87.5 % at 4, 93.75 % at 5).
struct Interval {
  double lo = 0, hi = 0;
  double coverage = 0;  // Probability that it holds the true median.
  bool present = false;  // False with fewer than 2 values.
};
Interval MedianInterval(std::vector<double> values);

// The two-sided Mann-Whitney U test (Wilcoxon rank-sum), as google/
// benchmark's compare.py uses it: do two samples come from one
// distribution? Exact (over every split of the pooled ranks, ties as
// midranks) for up to 60 values in all, the normal approximation with tie
// correction beyond.
struct UTest {
  double p = 1;             // Two-sided p value.
  double min_p = 1;         // The smallest p these sample sizes allow.
  bool can_reject = false;  // min_p < alpha: the test can tell at all.
  bool significant = false;  // p < alpha.
};
UTest MannWhitney(const std::vector<double>& a, const std::vector<double>& b,
                  double alpha = 0.05);

// The Universal Scalability Law (Gunther): X(N) = lambda N / (1 + sigma
// (N - 1) + kappa N (N - 1)), fitted by nonlinear least squares
// (Levenberg-Marquardt, sigma and kappa kept >= 0, from several starts).
struct UslPoint {
  double n = 0;  // Clients (workers).
  double x = 0;  // Throughput.
};
struct UslFit {
  bool ok = false;  // False with fewer than 3 distinct N or no convergence.
  double lambda = 0;  // Throughput of one client without contention.
  double sigma = 0;   // Contention: the serialized share.
  double kappa = 0;   // Coherency: the cost of agreeing, grows as N^2.
  double r_squared = 0;
  // The N with the highest X: sqrt((1 - sigma) / kappa); infinite when
  // kappa is 0 (no retrograde region: X approaches lambda / sigma).
  double peak_n = 0;
  double peak_x = 0;
  double At(double n) const;
};
UslFit FitUsl(const std::vector<UslPoint>& points);

}  // namespace ctrbench

#endif  // CTRBENCH_COUNTERS_STATS_H_
