// report.html's style and scripts, inlined into every page. The charts
// are drawn with Chart.js (3.x, as Debian's libjs-chart.js has it; 4.x
// reads the same options) from the data element "report-data" that
// counters/report_html.cc writes:
//
//   {"charts": [{"id", "title", "x": {"kind": "linear"|"category", "title",
//                "log", "labels"}, "y": {"title", "log"},
//                "series": [{"lines": [{"label", "points": [{"x", "y",
//                "lo", "hi", "tip"}]}], "fit": {"label", "lambda", "sigma",
//                "kappa", "from", "to"}}]}],
//    "series": [{"id", "groups": [{"label", "runs": [{"name", "merged",
//                "t", "ops", "inc", "p50", "p99", "phases": [{"phase",
//                "from", "to"}]}]}]}]}
//
// What a test in a browser reads back: every error (an exception, a
// console.error, a blocked request) is written into <pre id="errors">,
// each chart's canvas gets data-drawn="1" once drawn (a series chart's
// data-phases-drawn: the load phases it shaded), and the body gets
// data-charts-rendered with the number of charts made.

#include "counters/report_html.h"

namespace ctrbench {

const char kHtmlStyle[] = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto;
       max-width: 1400px; padding: 0 1.5em 3em; color: #222; }
h1 { font-size: 1.6em; }
h2 { margin-top: 2.2em; border-bottom: 1px solid #ccc; padding-bottom: .2em; }
h3 { margin: 1.4em 0 .4em; }
#errors { background: #fee; color: #900; border: 1px solid #c00;
          padding: .6em; white-space: pre-wrap; }
#errors:empty { display: none; }
.note { background: #fff8e0; border-left: 4px solid #e0a800;
        padding: .4em .8em; }
.hint, figcaption { color: #555; font-size: .9em; }
.charts { display: grid; gap: 1em;
          grid-template-columns: repeat(auto-fit, minmax(540px, 1fr)); }
figure.chart { margin: 0 0 1em; border: 1px solid #ddd; border-radius: 4px;
               padding: .5em; }
.box { position: relative; height: 380px; }
.controls { text-align: right; font-size: .9em; }
.controls button, .controls select { font: inherit; margin-left: .3em; }
table { border-collapse: collapse; margin: .4em 0; font-size: .92em; }
th, td { border: 1px solid #ddd; padding: .25em .55em; text-align: right;
         white-space: nowrap; }
tbody th, td:first-child { text-align: left; }
thead th { background: #f3f3f3; }
.wide { overflow-x: auto; }
dl.settings { display: grid; grid-template-columns: max-content 1fr;
              gap: .1em 1em; font-family: monospace; }
dl.settings dd { margin: 0; word-break: break-all; }
nav ol { columns: 2; }
footer { margin-top: 3em; color: #666; font-size: .85em; }
)css";

const char kHtmlErrorCapture[] = R"js(
(function () {
  'use strict';
  var pre = document.getElementById('errors');
  var count = 0;
  function show(text) {
    pre.textContent += text + '\n';
    document.body.setAttribute('data-errors', String(++count));
  }
  window.ctrbenchError = show;
  window.addEventListener('error', function (e) {
    // The browser's notice that a resize was put off to the next frame is
    // no error of the page (the specification calls it benign).
    if (/^ResizeObserver loop/.test(e.message || '')) return;
    show('error: ' + e.message +
         (e.lineno ? ' (line ' + e.lineno + ':' + e.colno + ')' : ''));
  });
  window.addEventListener('unhandledrejection', function (e) {
    show('unhandled rejection: ' + e.reason);
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    show('blocked by the page policy: ' + e.violatedDirective + ' ' +
         e.blockedURI);
  });
  var original = console.error;
  console.error = function () {
    show('console.error: ' +
         Array.prototype.map.call(arguments, String).join(' '));
    return original.apply(console, arguments);
  };
})();
)js";

const char kHtmlScript[] = R"js(
(function () {
  'use strict';
  var fail = window.ctrbenchError;
  var rendered = 0;
  var charts = {};  // By canvas id: {chart, spec, log: {x, y}}.
  // Colours that read on white, then point styles for more series.
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b',
                 '#e377c2', '#404040', '#ff7f0e'];
  var pointStyles = ['circle', 'rect', 'triangle', 'rectRot', 'star',
                     'crossRot'];
  var dashes = [[], [8, 4], [2, 3]];
  var metrics = {inc: 'increments/s', ops: 'operations/s',
                 p50: 'p50 service time (us)', p99: 'p99 service time (us)'};

  function fmt(v) {
    if (typeof v !== 'number' || !isFinite(v)) return '';
    var a = Math.abs(v);
    if (a === 0) return '0';
    if (a >= 1e9) return (v / 1e9).toFixed(2) + ' G';
    if (a >= 1e6) return (v / 1e6).toFixed(2) + ' M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + ' k';
    if (a >= 100) return v.toFixed(0);
    if (a >= 1) return v.toFixed(2);
    return v.toPrecision(3);
  }

  // Whiskers from lo to hi at each point of the datasets that have them,
  // clipped to the plot; and the mark that a chart was drawn.
  var whiskers = {
    id: 'ctrbenchWhiskers',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, area = chart.chartArea;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left,
               area.bottom - area.top);
      ctx.clip();
      chart.data.datasets.forEach(function (ds, i) {
        if (!ds.whiskers || !chart.isDatasetVisible(i)) return;
        var meta = chart.getDatasetMeta(i);
        var y = chart.scales[meta.yAxisID];
        ctx.strokeStyle = ds.borderColor;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([]);
        meta.data.forEach(function (el, j) {
          var p = ds.data[j];
          if (!p || typeof p.lo !== 'number' || typeof p.hi !== 'number' ||
              el.skip) {
            return;
          }
          var lo = p.lo;
          if (y.type === 'logarithmic' && !(lo > 0)) lo = y.min;
          var top = y.getPixelForValue(p.hi);
          var bottom = y.getPixelForValue(lo);
          if (!isFinite(top) || !isFinite(bottom) || !isFinite(el.x)) return;
          ctx.beginPath();
          ctx.moveTo(el.x, top);
          ctx.lineTo(el.x, bottom);
          ctx.moveTo(el.x - 4, top);
          ctx.lineTo(el.x + 4, top);
          ctx.moveTo(el.x - 4, bottom);
          ctx.lineTo(el.x + 4, bottom);
          ctx.stroke();
        });
      });
      ctx.restore();
    },
    afterRender: function (chart) {
      chart.canvas.setAttribute('data-drawn', '1');
    }
  };

  // The smallest positive and the largest value of a chart's points and
  // whiskers, so that the axis holds every whisker.
  function bounds(spec) {
    var lo = Infinity, hi = -Infinity;
    spec.series.forEach(function (s) {
      s.lines.forEach(function (line) {
        line.points.forEach(function (p) {
          [p.y, p.lo, p.hi].forEach(function (v) {
            if (typeof v !== 'number' || !isFinite(v)) return;
            if (v > 0) lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          });
        });
      });
    });
    return hi >= lo ? [lo, hi] : null;
  }

  // A new scale each time: the library keeps the defaults of the type a
  // scale had merged into its options.
  function axis(spec, log, which) {
    var a = {title: {display: !!spec.title, text: spec.title || ''}};
    if (which === 'x' && spec.kind === 'category') {
      a.type = 'category';
      a.offset = true;  // Room for the first and last whiskers.
      a.ticks = {autoSkip: false, maxRotation: 60};
      return a;
    }
    a.type = log ? 'logarithmic' : 'linear';
    if (!log) {
      a.grace = '5%';
      if (which === 'y') a.beginAtZero = true;
      if (spec.integer) a.ticks = {precision: 0};
    }
    if (spec.bounds) {
      a.suggestedMin = spec.bounds[0];
      a.suggestedMax = spec.bounds[1];
    }
    return a;
  }

  function fitDataset(fit, colour) {
    var points = [], steps = 60;
    var from = Math.max(fit.from, 1e-9), to = Math.max(fit.to, from);
    for (var k = 0; k <= steps; k++) {
      var n = from * Math.pow(to / from, k / steps);
      var x = fit.lambda * n /
              (1 + fit.sigma * (n - 1) + fit.kappa * n * (n - 1));
      points.push({x: n, y: x});
    }
    return {label: fit.label, data: points, borderColor: colour,
            backgroundColor: colour, borderWidth: 1, borderDash: [5, 4],
            pointRadius: 0, pointHoverRadius: 0, pointHitRadius: 0,
            showLine: true};
  }

  function datasets(spec) {
    var out = [], category = spec.x.kind === 'category';
    spec.series.forEach(function (s, i) {
      var colour = palette[i % palette.length];
      var style = pointStyles[Math.floor(i / palette.length) %
                              pointStyles.length];
      s.lines.forEach(function (line, j) {
        out.push({label: line.label, data: line.points, borderColor: colour,
                  backgroundColor: colour, borderWidth: 2,
                  borderDash: dashes[j % dashes.length], pointStyle: style,
                  pointRadius: 3, pointHoverRadius: 5, pointHitRadius: 5,
                  showLine: !category, whiskers: true});
      });
      if (s.fit) out.push(fitDataset(s.fit, colour));
    });
    return out;
  }

  function tooltip(spec) {
    return {callbacks: {
      title: function (items) {
        if (!items.length) return '';
        if (spec.x.kind === 'category') return items[0].label;
        return spec.x.title + ' ' + items[0].label;
      },
      label: function (item) {
        var p = item.raw || {};
        return item.dataset.label + ': ' + (p.tip || fmt(item.parsed.y));
      }
    }};
  }

  function options(title, spec, log, interaction, tip) {
    return {
      animation: false, responsive: true, maintainAspectRatio: false,
      interaction: interaction,
      plugins: {title: {display: true, text: title},
                legend: {position: 'right'}, tooltip: tip},
      scales: {x: axis(spec.x, log.x, 'x'), y: axis(spec.y, log.y, 'y')}
    };
  }

  function makeChart(spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return fail('chart ' + spec.id + ': no canvas');
    var log = {x: !!spec.x.log, y: !!spec.y.log};
    spec.y.bounds = bounds(spec);
    try {
      var chart = new Chart(canvas, {
        type: 'line',
        data: {labels: spec.x.kind === 'category' ? spec.x.labels : [],
               datasets: datasets(spec)},
        // Hover over a point: every series' value there.
        options: options(spec.title, spec, log,
                         {mode: 'x', intersect: false}, tooltip(spec)),
        plugins: [whiskers]
      });
      charts[spec.id] = {chart: chart, spec: spec, log: log};
      rendered++;
    } catch (e) {
      fail('chart ' + spec.id + ' (' + spec.title + '): ' + e);
    }
  }

  // Load phases behind a series: a band per phase, alternately shaded,
  // named at its top (chart.$phases: [{phase, from, to}] in seconds).
  var phases = {
    id: 'phases',
    beforeDatasetsDraw: function (chart) {
      var spans = chart.$phases || [], x = chart.scales.x;
      var area = chart.chartArea, ctx = chart.ctx;
      if (!spans.length || !x) return;
      ctx.save();
      var drawn = 0;
      spans.forEach(function (p, i) {
        var a = Math.max(area.left, x.getPixelForValue(p.from));
        var b = Math.min(area.right, x.getPixelForValue(p.to));
        if (!(b > a)) return;
        drawn++;
        ctx.fillStyle = i % 2 ? 'rgba(230, 120, 30, 0.10)'
                              : 'rgba(40, 100, 200, 0.07)';
        ctx.fillRect(a, area.top, b - a, area.bottom - area.top);
        ctx.fillStyle = '#444';
        ctx.font = '11px sans-serif';
        ctx.fillText('phase ' + (p.phase + 1), a + 4, area.top + 12);
      });
      ctx.restore();
      chart.canvas.setAttribute('data-phases-drawn', String(drawn));
    }
  };

  // One group's runs at a time, a line per repetition.
  function makeSeries(s) {
    var canvas = document.getElementById(s.id);
    var pick = function (what) {
      return document.querySelector('select[data-series="' + s.id +
                                    '"][data-pick="' + what + '"]');
    };
    var group = pick('group'), metric = pick('metric');
    if (!canvas || !group || !metric) {
      return fail('series ' + s.id + ': its canvas or menus are missing');
    }
    s.groups.forEach(function (g, i) {
      group.add(new Option(g.label + ' (' + g.runs.length + ' runs)',
                           String(i)));
    });
    var spec = {x: {kind: 'linear', title: 'seconds into the measured time'},
                y: {title: metrics.inc}};
    var log = {x: false, y: false};
    function build() {
      var g = s.groups[Number(group.value) || 0];
      var m = metric.value;
      spec.y.title = metrics[m];
      return g.runs.map(function (run, i) {
        var colour = palette[i % palette.length], data = [];
        for (var k = 0; k < run.t.length; k++) {
          if (run.t[k] !== null && run[m][k] !== null) {
            data.push({x: run.t[k], y: run[m][k]});
          }
        }
        return {label: run.name +
                       (run.merged > 1 ? ', ' + run.merged +
                                         ' intervals a point' : ''),
                data: data, borderColor: colour, backgroundColor: colour,
                borderWidth: 1.5, pointRadius: data.length > 60 ? 0 : 2,
                pointHitRadius: 4, showLine: true};
      });
    }
    try {
      var tip = {callbacks: {
        title: function (items) {
          return items.length ? items[0].label + ' s' : '';
        },
        label: function (item) {
          return item.dataset.label + ': ' + fmt(item.parsed.y);
        }
      }};
      var chart = new Chart(canvas, {
        type: 'line',
        data: {datasets: build()},
        options: options('per-second series', spec, log,
                         {mode: 'index', intersect: false}, tip),
        plugins: [whiskers, phases]
      });
      var spans = function () {
        var g = s.groups[Number(group.value) || 0];
        return g.runs.length ? g.runs[0].phases || [] : [];
      };
      chart.$phases = spans();
      chart.update();
      charts[s.id] = {chart: chart, spec: spec, log: log};
      rendered++;
      var refresh = function () {
        chart.$phases = spans();
        chart.data.datasets = build();
        chart.config.options.scales.y = axis(spec.y, log.y, 'y');
        chart.update();
      };
      group.addEventListener('change', refresh);
      metric.addEventListener('change', refresh);
    } catch (e) {
      fail('series ' + s.id + ': ' + e);
    }
  }

  // The buttons that switch an axis between log and linear.
  function wireToggles() {
    var buttons = document.querySelectorAll('button[data-chart][data-axis]');
    Array.prototype.forEach.call(buttons, function (button) {
      var entry = charts[button.getAttribute('data-chart')];
      var which = button.getAttribute('data-axis');
      if (!entry) {
        button.disabled = true;
        return;
      }
      var show = function () {
        var log = entry.log[which];
        button.textContent = which + ': ' + (log ? 'log' : 'linear');
        button.title = 'switch the ' + which + ' axis to ' +
                       (log ? 'linear' : 'log');
      };
      show();
      button.addEventListener('click', function () {
        entry.log[which] = !entry.log[which];
        entry.chart.config.options.scales[which] =
            axis(entry.spec[which], entry.log[which], which);
        entry.chart.update();
        show();
      });
    });
  }

  try {
    if (typeof Chart !== 'function') {
      throw new Error('the inlined chart library did not define Chart');
    }
    var version = document.getElementById('chart-version');
    if (version) version.textContent = Chart.version || '';
    var data = JSON.parse(document.getElementById('report-data').textContent);
    data.charts.forEach(makeChart);
    data.series.forEach(makeSeries);
    wireToggles();
  } catch (e) {
    fail('report.html: ' + (e && e.stack ? e.stack : e));
  }
  document.body.setAttribute('data-charts-rendered', String(rendered));
})();
)js";

}  // namespace ctrbench
