#include "counters/stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace ctrbench {

namespace {

// log C(n, k).
double LogChoose(double n, double k) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

// P(Binomial(n, 1/2) = k).
double BinomialHalfPmf(int n, int k) {
  return std::exp(LogChoose(n, k) - n * std::log(2.0));
}

}  // namespace

Interval MedianInterval(std::vector<double> values) {
  Interval out;
  const int n = static_cast<int>(values.size());
  if (n < 2) return out;
  std::sort(values.begin(), values.end());
  // Coverage of [x(k), x(n+1-k)]: the median lies outside only when k or
  // more values fall on one side of it, so it is 1 - 2 P(B <= k - 1) for
  // B ~ Binomial(n, 1/2). Linear in n: a report may hold many repetitions.
  int k = 1;
  double below = BinomialHalfPmf(n, 0);  // P(B <= k - 1).
  while (k + 1 <= n / 2) {
    const double next = below + BinomialHalfPmf(n, k);
    if (1 - 2 * next < 0.95) break;
    below = next;
    ++k;
  }
  const double covered = 1 - 2 * below;
  out.lo = values[k - 1];
  out.hi = values[n - k];
  out.coverage = covered;
  out.present = true;
  return out;
}

UTest MannWhitney(const std::vector<double>& a, const std::vector<double>& b,
                  double alpha) {
  UTest out;
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (n == 0 || m == 0) return out;
  const int total = n + m;
  // Midranks, doubled so that they are integers: a tie of t values from
  // rank r shares 2r + t - 1.
  std::vector<std::pair<double, int>> pooled;  // Value, 1 when from a.
  for (double v : a) pooled.push_back({v, 1});
  for (double v : b) pooled.push_back({v, 0});
  std::sort(pooled.begin(), pooled.end());
  std::vector<long> rank2(total);
  double tie_term = 0;  // Sum of t^3 - t over ties.
  for (int i = 0; i < total;) {
    int j = i;
    while (j < total && pooled[j].first == pooled[i].first) ++j;
    const long t = j - i;
    for (int q = i; q < j; ++q) rank2[q] = 2L * (i + 1) + t - 1;
    tie_term += static_cast<double>(t * t * t - t);
    i = j;
  }
  long w2 = 0;  // Doubled rank sum of a.
  for (int i = 0; i < total; ++i) {
    if (pooled[i].second) w2 += rank2[i];
  }
  const long mean2 = static_cast<long>(n) * (total + 1);  // Doubled E[W].
  out.min_p = std::min(1.0, 2 * std::exp(-LogChoose(total, n)));
  out.can_reject = out.min_p < alpha;
  if (total <= 60) {
    // count[j][s]: splits that put j values in a with doubled rank sum s.
    const long max_sum = static_cast<long>(total) * (total + 1);
    std::vector<std::vector<double>> count(
        n + 1, std::vector<double>(max_sum + 1, 0));
    count[0][0] = 1;
    for (int i = 0; i < total; ++i) {
      for (int j = std::min(n, i + 1); j >= 1; --j) {
        for (long s = max_sum; s >= rank2[i]; --s) {
          count[j][s] += count[j - 1][s - rank2[i]];
        }
      }
    }
    double extreme = 0, all = 0;
    const long observed = std::labs(w2 - mean2);
    for (long s = 0; s <= max_sum; ++s) {
      all += count[n][s];
      if (std::labs(s - mean2) >= observed) extreme += count[n][s];
    }
    out.p = all > 0 ? std::min(1.0, extreme / all) : 1;
  } else {
    const double u = w2 / 2.0 - n * (n + 1.0) / 2.0;
    const double mu = n * static_cast<double>(m) / 2;
    const double var = n * static_cast<double>(m) / 12 *
                       ((total + 1) - tie_term / (total * (total - 1.0)));
    if (var <= 0) {
      out.p = 1;
    } else {
      const double z = std::max(0.0, std::fabs(u - mu) - 0.5) / std::sqrt(var);
      out.p = std::erfc(z / std::sqrt(2.0));
    }
  }
  out.significant = out.can_reject && out.p < alpha;
  return out;
}

double UslFit::At(double n) const {
  return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
}

namespace {

using Params = std::array<double, 3>;  // lambda, sigma, kappa.

double Sse(const std::vector<UslPoint>& points, const Params& p) {
  UslFit f;
  f.lambda = p[0];
  f.sigma = p[1];
  f.kappa = p[2];
  double sse = 0;
  for (const UslPoint& pt : points) {
    const double r = pt.x - f.At(pt.n);
    sse += r * r;
  }
  return sse;
}

// Solves a x = b for 3 x 3 a by elimination with partial pivoting; false
// when a is singular.
bool Solve3(std::array<std::array<double, 3>, 3> a, Params b, Params* x) {
  for (int c = 0; c < 3; ++c) {
    int pivot = c;
    for (int r = c + 1; r < 3; ++r) {
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    }
    if (std::fabs(a[pivot][c]) < 1e-300) return false;
    std::swap(a[c], a[pivot]);
    std::swap(b[c], b[pivot]);
    for (int r = c + 1; r < 3; ++r) {
      const double f = a[r][c] / a[c][c];
      for (int k = c; k < 3; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  for (int c = 2; c >= 0; --c) {
    double s = b[c];
    for (int k = c + 1; k < 3; ++k) s -= a[c][k] * (*x)[k];
    (*x)[c] = s / a[c][c];
  }
  return true;
}

// Keeps the parameters meaningful: a positive lambda, sigma in [0, 1],
// kappa >= 0.
Params Project(Params p) {
  p[0] = std::max(p[0], 1e-300);
  p[1] = std::min(std::max(p[1], 0.0), 1.0);
  p[2] = std::max(p[2], 0.0);
  return p;
}

// Levenberg-Marquardt from `p`, with Marquardt's scaling by the diagonal
// (so that lambda in millions and kappa in millionths move alike).
Params Minimize(const std::vector<UslPoint>& points, Params p) {
  p = Project(p);
  double sse = Sse(points, p);
  double mu = 1e-3;
  for (int iter = 0; iter < 500 && mu < 1e20; ++iter) {
    std::array<std::array<double, 3>, 3> jtj{};
    Params jtr{};
    for (const UslPoint& pt : points) {
      const double d = 1 + p[1] * (pt.n - 1) + p[2] * pt.n * (pt.n - 1);
      const double model = p[0] * pt.n / d;
      const Params j = {pt.n / d, -p[0] * pt.n * (pt.n - 1) / (d * d),
                        -p[0] * pt.n * pt.n * (pt.n - 1) / (d * d)};
      const double r = pt.x - model;
      for (int a = 0; a < 3; ++a) {
        jtr[a] += j[a] * r;
        for (int b = 0; b < 3; ++b) jtj[a][b] += j[a] * j[b];
      }
    }
    auto damped = jtj;
    for (int a = 0; a < 3; ++a) {
      damped[a][a] += mu * std::max(jtj[a][a], 1e-300);
    }
    Params step{};
    if (!Solve3(damped, jtr, &step)) {
      mu *= 10;
      continue;
    }
    const Params next = Project({p[0] + step[0], p[1] + step[1], p[2] + step[2]});
    const double next_sse = Sse(points, next);
    if (next_sse < sse) {
      const bool converged = sse - next_sse <= 1e-14 * sse;
      p = next;
      sse = next_sse;
      mu = std::max(mu / 10, 1e-12);
      if (converged) break;
    } else {
      mu *= 10;
    }
  }
  return p;
}

}  // namespace

UslFit FitUsl(const std::vector<UslPoint>& points) {
  UslFit fit;
  std::vector<double> ns;
  for (const UslPoint& p : points) {
    if (!(p.n >= 1) || !std::isfinite(p.x) || p.x <= 0) return fit;
    ns.push_back(p.n);
  }
  std::sort(ns.begin(), ns.end());
  if (std::unique(ns.begin(), ns.end()) - ns.begin() < 3) return fit;

  // A start from the linear form: with C = X / (lambda0), N / C - 1 =
  // sigma (N - 1) + kappa N (N - 1), least squares in sigma and kappa.
  const UslPoint* first = &points[0];
  for (const UslPoint& p : points) {
    if (p.n < first->n) first = &p;
  }
  const double lambda0 = first->x / first->n;
  double saa = 0, sab = 0, sbb = 0, say = 0, sby = 0;
  for (const UslPoint& p : points) {
    const double a = p.n - 1, b = p.n * (p.n - 1);
    const double y = p.n * lambda0 / p.x - 1;
    saa += a * a;
    sab += a * b;
    sbb += b * b;
    say += a * y;
    sby += b * y;
  }
  const double det = saa * sbb - sab * sab;
  const double sigma0 = det != 0 ? (say * sbb - sby * sab) / det : 0;
  const double kappa0 = det != 0 ? (saa * sby - sab * say) / det : 0;

  Params best{};
  double best_sse = std::numeric_limits<double>::infinity();
  for (const Params& start :
       {Params{lambda0, sigma0, kappa0}, Params{lambda0, 0, 0},
        Params{lambda0, 0.1, 0.01}, Params{lambda0, 0.5, 1e-4},
        Params{lambda0, 0.01, 1e-6}}) {
    const Params p = Minimize(points, start);
    const double sse = Sse(points, p);
    if (std::isfinite(sse) && sse < best_sse) {
      best = p;
      best_sse = sse;
    }
  }
  if (!std::isfinite(best_sse)) return fit;
  fit.ok = true;
  fit.lambda = best[0];
  fit.sigma = best[1];
  fit.kappa = best[2];
  double mean = 0;
  for (const UslPoint& p : points) mean += p.x;
  mean /= points.size();
  double sst = 0;
  for (const UslPoint& p : points) sst += (p.x - mean) * (p.x - mean);
  fit.r_squared = sst > 0 ? 1 - best_sse / sst : 1;
  if (fit.kappa > 0) {
    fit.peak_n = std::max(1.0, std::sqrt((1 - fit.sigma) / fit.kappa));
    fit.peak_x = fit.At(fit.peak_n);
  } else {
    fit.peak_n = std::numeric_limits<double>::infinity();
    fit.peak_x = fit.sigma > 0 ? fit.lambda / fit.sigma
                               : std::numeric_limits<double>::infinity();
  }
  return fit;
}

}  // namespace ctrbench
