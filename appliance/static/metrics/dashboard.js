/* Draws each [data-chart] element with ECharts from the page's #dashboard-data JSON. */
(function () {
  "use strict";
  var NAVY = "#15528f", TEAL = "#1f9e8f", AMBER = "#b7791f", RED = "#c0392b";
  var grid = { left: 44, right: 44, top: 36, bottom: 36, containLabel: true };
  // A legend keeps to one line (scrolling on a phone) and the plot starts below it, so the
  // axis names never sit under the legend.
  var legendGrid = { left: 44, right: 44, top: 64, bottom: 36, containLabel: true };
  function legend(names) { return { top: 0, type: "scroll", data: names }; }

  function trend(d) {
    return {
      color: [NAVY, TEAL, "#cbd5e0"], tooltip: { trigger: "axis" }, grid: legendGrid,
      legend: legend([d.names.nps, d.names.csat, d.names.responses]),
      xAxis: { type: "category", data: d.labels },
      yAxis: [{ type: "value", min: -100, max: 100, name: "NPS / %" },
              { type: "value", name: d.names.responses, splitLine: { show: false } }],
      series: [{ name: d.names.nps, type: "line", data: d.nps, connectNulls: true, smooth: true },
               { name: d.names.csat, type: "line", data: d.csat, connectNulls: true, smooth: true },
               { name: d.names.responses, type: "bar", yAxisIndex: 1, data: d.responses, z: 1 }]
    };
  }
  function bars(d) {
    return { color: [NAVY], tooltip: {}, grid: grid, xAxis: { type: "category", data: d.labels,
             axisLabel: { interval: 0, rotate: d.labels.length > 6 ? 30 : 0 } },
             yAxis: { type: "value" }, series: [{ name: d.name, type: "bar", data: d.values }] };
  }
  function heatmap(d) {
    return { tooltip: { position: "top" }, grid: { left: 8, right: 8, top: 8, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: d.x, axisLabel: { interval: 0 } }, yAxis: { type: "category", data: d.y },
      visualMap: { min: 40, max: 100, calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: [RED, "#f6e05e", TEAL] } },
      series: [{ type: "heatmap", data: d.values, label: { show: true } }] };
  }
  function quadrant(d) {
    var xs = d.points.map(function (p) { return p[0]; }), ys = d.points.map(function (p) { return p[1]; });
    var mx = xs.reduce(function (a, b) { return a + b; }, 0) / xs.length;
    var my = ys.reduce(function (a, b) { return a + b; }, 0) / ys.length;
    return { grid: grid, tooltip: { formatter: function (p) { return p.data[2] + ": " + p.data[0] + " / " + p.data[1]; } },
      xAxis: { name: d.x_name, type: "value", nameLocation: "middle", nameGap: 24 },
      yAxis: { name: d.y_name, type: "value", scale: true },
      series: [{ type: "scatter", symbolSize: 16, data: d.points, itemStyle: { color: NAVY },
                 label: { show: true, position: "right", formatter: function (p) { return p.data[2]; } },
                 markLine: { silent: true, symbol: "none", label: { show: false }, lineStyle: { color: AMBER, type: "dashed" },
                             data: [{ xAxis: mx }, { yAxis: my }] } }] };
  }
  function lines(d) {
    return { color: [NAVY, "#a0aec0"], tooltip: { trigger: "axis" }, grid: legendGrid,
      legend: legend(d.series.map(function (s) { return s.name; })),
      xAxis: { type: "category", data: d.labels }, yAxis: { type: "value" },
      series: d.series.map(function (s) { return { name: s.name, type: "line", data: s.values, connectNulls: true }; }) };
  }
  function scatter(d) {
    return { grid: grid, tooltip: { formatter: function (p) { return p.data[2] + ": " + p.data[0] + " / " + p.data[1]; } },
      xAxis: { name: d.x_name, type: "value", scale: true, nameLocation: "middle", nameGap: 24 },
      yAxis: { name: d.y_name, type: "value", scale: true },
      series: [{ type: "scatter", symbolSize: 12, data: d.points, itemStyle: { color: TEAL } }] };
  }
  var KINDS = { trend: trend, bars: bars, heatmap: heatmap, quadrant: quadrant, lines: lines, scatter: scatter };

  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent), charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var spec = data[el.getAttribute("data-chart")];
      if (!spec) { el.style.display = "none"; return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(KINDS[spec.kind](spec));
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
