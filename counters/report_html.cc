// report.html's page: the chart library, the per-second series kept as
// report reads, the frame of the page (its policy, style, data and
// scripts), and the pages of a report and of a comparison. A table's
// section is in counters/report_html_section.cc, the script in
// counters/report_html_script.cc.

#include "counters/report_html.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "counters/csv.h"
#include "counters/report_plots.h"

namespace ctrbench {

namespace {

// Nothing but what the page holds: no request leaves it, whatever a
// results file or the inlined library holds.
constexpr char kPolicy[] =
    "default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:";

// JSON for a <script> element: '<', '>' and '&' (only ever in strings) as
// \u escapes, so that no text from a results file can close the element
// or open a comment; bytes that are not UTF-8 become U+FFFD.
std::string ScriptJson(const nlohmann::json& value) {
  const std::string text =
      value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool HoldsCaseless(const std::string& text, const std::string& lower) {
  auto it = std::search(text.begin(), text.end(), lower.begin(), lower.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 b;
                        });
  return it != text.end();
}

// Why the library at `path` cannot be inlined ("" when it can); reads it
// into *source.
std::string ReadLibrary(const std::string& path, std::string* source) {
  struct stat st;
  if (path.empty()) return "no file named";
  if (stat(path.c_str(), &st) != 0) {
    return errno == ENOENT ? "no such file" : std::strerror(errno);
  }
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::strerror(errno);
  // At most one byte more than allowed, whatever stat said.
  source->resize(kMaxChartLibraryBytes + 1);
  in.read(&(*source)[0], static_cast<std::streamsize>(source->size()));
  if (in.bad()) return "cannot be read";
  source->resize(static_cast<size_t>(in.gcount()));
  source->shrink_to_fit();
  if (source->size() > kMaxChartLibraryBytes) {
    return "larger than " + std::to_string(kMaxChartLibraryBytes >> 20) +
           " MiB";
  }
  if (source->empty()) return "empty";
  if (HoldsCaseless(*source, "</script") || source->find("<!--") !=
                                                  std::string::npos) {
    return "holds \"</script\" or \"<!--\", which would end the page's "
           "script early";
  }
  if (source->find("Chart") == std::string::npos) {
    return "does not look like Chart.js (no \"Chart\" in it)";
  }
  return "";
}

// Notes, for a sentence of report's output and the page's header.
void Note(ReportOutput* out, std::vector<std::string>* page_notes,
          const std::string& text) {
  AddNote(out, "report.html: " + text);
  page_notes->push_back(text);
}

// The page around `body`: its policy, style and the capture of errors
// first; then the data, the library and the script, when it has charts.
std::string Page(const std::string& title, const std::string& body,
                 const PageData& data, const ChartLibrary& library) {
  const bool charts = !library.source.empty();
  std::string html =
      std::string("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                  "<meta charset=\"utf-8\">\n"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"") +
      kPolicy +
      "\">\n<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n"
      // An icon of its own: no request for /favicon.ico either.
      "<link rel=\"icon\" href=\"data:,\">\n<title>" +
      HtmlText(title) + "</title>\n<style>" + kHtmlStyle +
      "</style>\n</head>\n<body data-charts-expected=\"" +
      std::to_string(charts ? data.canvases : 0) + "\"" +
      (charts ? "" : " data-charts-rendered=\"0\"") +
      ">\n<pre id=\"errors\"></pre>\n<script>" + kHtmlErrorCapture +
      "</script>\n" + body;
  if (charts) {
    html += "<footer>Charts: Chart.js <span id=\"chart-version\"></span>, "
            "inlined from " + HtmlText(library.path) + ".</footer>\n";
    html += "<script type=\"application/json\" id=\"report-data\">" +
            ScriptJson({{"charts", data.charts}, {"series", data.series}}) +
            "</script>\n<script>\n" + library.source + "\n</script>\n<script>" +
            kHtmlScript + "</script>\n";
  }
  return html + "</body>\n</html>\n";
}

std::string Files(const std::vector<std::string>& files) {
  std::string html;
  for (const std::string& f : files) {
    html += (html.empty() ? "" : ", ") + ("<code>" + HtmlText(f) + "</code>");
  }
  return html;
}

std::string NotesHtml(const std::vector<std::string>& notes) {
  std::string html;
  for (const std::string& n : notes) {
    html += "<p class=\"note\">" + HtmlText(n) + "</p>\n";
  }
  return html;
}

constexpr char kIntro[] =
    "<p>Medians over repetitions. The interval of a median is "
    "distribution-free: the order statistics that hold the true median with "
    "at least 95 % probability, or [min, max] below 6 repetitions (the "
    "percentage is given). \"vs fastest\" (ratio_to_fastest) divides a "
    "group's median by that of the fastest backend doing the same; "
    "p_vs_fastest is the Mann-Whitney U test of their repetitions. "
    "summary.md says more.</p>\n";

}  // namespace

std::string HtmlText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Result<ChartLibrary> LoadChartLibrary(const std::string& path, bool required) {
  ChartLibrary library;
  library.path = path;
  const std::string why = ReadLibrary(path, &library.source);
  if (why.empty()) return library;
  library.source.clear();
  if (required) {
    return Status::InvalidArgument(
        "--chart-js " + path + ": " + why + "; allowed: a Chart.js 3 or 4 "
        "build to inline in report.html, such as " + kDefaultChartJs +
        " (the Debian package libjs-chart.js)");
  }
  library.why_not = "no charts, only tables: Chart.js " + path + ": " + why +
                    " (install the Debian package libjs-chart.js, or give "
                    "--chart-js FILE)";
  return library;
}

void RunSeries::Add(const ResultRow& row) {
  if (!row.series || row.series->empty()) {
    ++without_;
    return;
  }
  const std::vector<SeriesSample>& all = *row.series;
  const size_t merged =
      (all.size() + kMaxRunSeriesPoints - 1) / kMaxRunSeriesPoints;
  const size_t points = (all.size() + merged - 1) / merged;
  if (points_ + points > kMaxSeriesPoints) {
    ++left_out_;
    return;
  }
  std::vector<std::string> key;
  for (const std::string& c : GroupColumns()) key.push_back(row.Get(c));
  std::vector<RunSeriesPoints>& runs = runs_[key];
  RunSeriesPoints run;
  run.name = "repetition " + std::to_string(runs.size() + 1) + " (" +
             row.source + ")";
  // A series read coarser (kMaxReadIntervals) has several a sample.
  run.merged = static_cast<int>(merged * all[0].intervals);
  for (size_t i = 0; i < all.size(); i += merged) {
    run.points.push_back(
        MergeSamples(all, i, std::min(all.size(), i + merged)));
  }
  points_ += run.points.size();
  ++kept_;
  runs.push_back(std::move(run));
}

const std::vector<RunSeriesPoints>* RunSeries::Of(
    const std::map<std::string, std::string>& key) const {
  std::vector<std::string> values;
  for (const std::string& c : GroupColumns()) {
    auto it = key.find(c);
    values.push_back(it == key.end() ? "" : it->second);
  }
  auto it = runs_.find(values);
  return it == runs_.end() ? nullptr : &it->second;
}

std::string ReportHtml(const std::vector<std::string>& inputs,
                       const std::vector<GroupSummary>& groups,
                       const std::vector<Table>& tables,
                       const RunSeries& series, const ChartLibrary& library,
                       ReportOutput* out) {
  std::vector<std::string> notes;
  if (!library.why_not.empty()) Note(out, &notes, library.why_not);
  const bool charts = !library.source.empty();
  const size_t charted = charts ? std::min(tables.size(), kMaxPlottedTables)
                                : 0;
  if (charts && charted < tables.size()) {
    Note(out, &notes,
         "charts for the first " + std::to_string(charted) + " of " +
             std::to_string(tables.size()) + " tables; the tables have all");
  }
  if (series.runs_left_out() > 0) {
    Note(out, &notes,
         "the per-second series of " + std::to_string(series.runs_kept()) +
             " runs (" + std::to_string(kMaxSeriesPoints) +
             " points at most); those of " +
             std::to_string(series.runs_left_out()) + " more are left out");
  }
  if (series.runs_without() > 0) {
    notes.push_back(std::to_string(series.runs_without()) +
                    " runs came without a per-second series (a CSV file has "
                    "none; the JSON Lines of ctrbench run --json have them)");
  }
  PageData data;
  std::string sections, nav;
  size_t rows_left = kMaxHtmlGroups, written = 0;
  for (size_t i = 0; i < tables.size() && rows_left > 0; ++i, ++written) {
    const Table& t = tables[i];
    const size_t rows = std::min(rows_left, t.groups.size());
    rows_left -= rows;
    nav += "<li><a href=\"#t" + std::to_string(i) + "\">" +
           HtmlText(t.scenario + " / " + t.strategy) + "</a></li>";
    sections += TableSection(t, i, groups, series, i < charted, rows, &data);
  }
  if (rows_left == 0 && groups.size() > kMaxHtmlGroups) {
    Note(out, &notes,
         "the tables of the first " + std::to_string(kMaxHtmlGroups) +
             " of " + std::to_string(groups.size()) + " groups, in " +
             std::to_string(written) + " of " + std::to_string(tables.size()) +
             " tables; summary.md and summary.csv have them all");
  }
  const std::string body =
      "<header>\n<h1>ctrbench report</h1>\n<p>From " + Files(inputs) + ": " +
      std::to_string(groups.size()) + " groups in " +
      std::to_string(tables.size()) +
      " tables (scenario / strategy).</p>\n" + NotesHtml(notes) +
      "</header>\n" + kIntro + "<nav><ol>" + nav + "</ol></nav>\n" + sections;
  return Page("ctrbench report", body, data, library);
}

std::string ComparisonHtml(const Comparison& c, const ChartLibrary& library) {
  std::vector<std::string> notes;
  if (!library.why_not.empty()) notes.push_back(library.why_not);
  PageData data;
  std::string chart;
  if (!library.source.empty()) {
    nlohmann::json labels = nlohmann::json::array();
    nlohmann::json a = nlohmann::json::array(), b = nlohmann::json::array();
    const size_t shown = std::min(c.groups.size(), kMaxBars);
    for (size_t i = 0; i < shown; ++i) {
      const ComparedGroup& g = c.groups[i];
      // Numbered: distinct categories, and the table's row.
      const std::string label = std::to_string(i + 1) + ". " + g.label +
                                ", " + std::to_string(g.a->workers()) + " w";
      labels.push_back(label);
      AddIncrementsPoint(*g.a, label, &a);
      AddIncrementsPoint(*g.b, label, &b);
    }
    nlohmann::json lines = nlohmann::json::array();
    nlohmann::json series = nlohmann::json::array();
    const std::pair<const char*, nlohmann::json*> sides[] = {{"A", &a},
                                                             {"B", &b}};
    for (const auto& [name, points] : sides) {
      nlohmann::json line = {{"label", name}, {"points", std::move(*points)}};
      lines.push_back(line);
      nlohmann::json one = nlohmann::json::object();
      one["lines"] = nlohmann::json::array({std::move(line)});
      series.push_back(std::move(one));
    }
    data.charts.push_back(
        {{"id", "chart-0"},
         {"title", "median increments/s of A and B"},
         {"x", {{"kind", "category"}, {"title", ""}, {"log", false},
                {"labels", std::move(labels)}}},
         {"y", {{"title", "increments/s"}, {"log", SpansDecade(lines)}}},
         {"series", std::move(series)}});
    data.canvases = 1;
    chart = "<figure class=\"chart\"><div class=\"controls\"><button "
            "type=\"button\" data-chart=\"chart-0\" data-axis=\"y\">y</button>"
            "</div><div class=\"box\"><canvas id=\"chart-0\"></canvas></div>"
            "<figcaption>Whiskers: the interval of each median." +
            (shown < c.groups.size()
                 ? " Drawn: the first " + std::to_string(shown) + " of " +
                       std::to_string(c.groups.size()) +
                       " groups (the table has them all)."
                 : std::string()) +
            "</figcaption></figure>\n";
  }
  std::string rows;
  for (size_t i = 0; i < c.groups.size(); ++i) {
    const ComparedGroup& g = c.groups[i];
    const std::vector<std::string> cells = {
        std::to_string(i + 1) + ". " + g.label, std::to_string(g.a->workers()),
        Rate(g.a->increments_per_s.median), IntervalCell(*g.a),
        Rate(g.b->increments_per_s.median), IntervalCell(*g.b), g.change, g.p,
        g.verdict};
    rows += "<tr data-row=\"" + std::to_string(i + 1) + "\">";
    for (const std::string& cell : cells) rows += "<td>" + HtmlText(cell) + "</td>";
    rows += "</tr>\n";
  }
  const std::string body =
      "<header>\n<h1>ctrbench comparison</h1>\n<p>A: " + Files(c.a_files) +
      "<br>B: " + Files(c.b_files) + "</p>\n" +
      (c.differ.empty() ? ""
                        : "<p>A and B differ in: " + HtmlText(c.differ) +
                              "; groups are matched on the rest.</p>\n") +
      NotesHtml(notes) +
      "</header>\n<p>Median increments/s of each group both hold, each with "
      "its interval; change is B against A. A difference is real when a "
      "Mann-Whitney U test of the repetitions gives p &lt; 0.05; below 4 "
      "repetitions on each side no p can be that small.</p>\n" +
      chart +
      "<div class=\"wide\"><table class=\"compare\"><thead><tr><th>group</th>"
      "<th>workers</th><th>A</th><th>A interval</th><th>B</th><th>B "
      "interval</th><th>change</th><th>p</th><th>verdict</th></tr></thead>"
      "<tbody>\n" + rows + "</tbody></table></div>\n<p>" + HtmlText(c.tally) +
      "</p>\n";
  return Page("ctrbench comparison", body, data, library);
}

}  // namespace ctrbench
