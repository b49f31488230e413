// The x axis that report's plots (counters/report_plots.cc) and
// report.html's charts share: which column a table is drawn against, and
// where each group sits on it; and where the plots' labels go beside
// their points.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "counters/fields.h"
#include "counters/report_plots.h"  // Declares them.

namespace ctrbench {

double AxisValue(const GroupSummary* g, const std::string& column) {
  double v = NAN;
  AxisNumber(g->key.at(column), &v);
  return v;
}

XAxis ChooseX(const Table& t, const std::set<std::string>& vary) {
  std::set<int> workers;
  for (const GroupSummary* g : t.groups) workers.insert(g->workers());
  XAxis x;
  if (workers.size() > 1) {
    x.column = "workers";
    x.title = "workers";
  } else {
    for (const std::string& c : LabelColumns()) {
      if (!vary.count(c)) continue;
      // Run length and seed vary between a ctrbench sweep and rows of
      // another origin (the Python baseline): not an axis that was swept.
      const Field* field = FindRunFieldByColumn(c);
      if (field == nullptr || field->show == Field::Show::kSwept) continue;
      // Every value a number or a share ("80%"), or empty (a closed-loop
      // run beside rates: not on the axis).
      int numbers = 0;
      bool numeric = true, share = false;
      for (const GroupSummary* g : t.groups) {
        const std::string& v = g->key.at(c);
        double d;
        if (v.empty()) continue;
        numeric &= AxisNumber(v, &d);
        numbers += numeric;
        share |= v.back() == '%';
      }
      if (!numeric || numbers < 2) continue;
      x.column = c;
      x.share = share && c == "rate";
      const std::string name = *field->label ? field->label : field->key;
      if (share) {
        x.title =
            name + (c == "rate" ? " (% of closed-loop capacity)" : " (%)");
      } else {
        x.title =
            name + (*field->unit ? std::string(" (") + field->unit + ")" : "");
      }
      break;
    }
  }
  if (x.column.empty()) return x;
  double lo = INFINITY, hi = 0;
  for (const GroupSummary* g : t.groups) {
    const double v = AxisValue(g, x.column);
    if (std::isnan(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  x.log = lo > 0 && hi / lo >= 8;
  return x;
}

// The groups of `table` on axis `x` (a closed-loop run beside a rate sweep
// is not).
Table OnAxis(const Table& table, const XAxis& x) {
  if (x.column.empty()) return table;
  Table t = table;
  t.groups.clear();
  for (const GroupSummary* g : table.groups) {
    if (!std::isnan(AxisValue(g, x.column))) t.groups.push_back(g);
  }
  return t;
}

std::vector<LabelPlace> PlaceLabels(const std::vector<LabelPoint>& points,
                                    double gap) {
  std::vector<size_t> order(points.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&points](size_t a, size_t b) {
    return points[a].height > points[b].height;
  });
  std::vector<LabelPlace> places(points.size(), LabelPlace::kLeftOut);
  std::map<double, std::vector<double>> taken;  // Label centres, by x.
  for (size_t i : order) {
    std::vector<double>& here = taken[points[i].x];
    for (LabelPlace place : {LabelPlace::kBelow, LabelPlace::kAbove}) {
      const double centre =
          points[i].height + (place == LabelPlace::kBelow ? -gap : gap);
      const bool clear = std::none_of(
          here.begin(), here.end(),
          [&](double other) { return std::fabs(other - centre) < gap; });
      if (clear) {
        here.push_back(centre);
        places[i] = place;
        break;
      }
    }
  }
  return places;
}

}  // namespace ctrbench
