/* Charts of the three-source statistics page. Data comes from the
   json_script element #stats-data (no inline scripts: the CSP forbids them). */
(function () {
  "use strict";
  var holder = document.getElementById("stats-data");
  if (!holder || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var charts = [];
  var colours = ["#1f4e8c", "#b3261e", "#6f42c1", "#20a0a0", "#e0a020"];

  var monthsBox = document.getElementById("chart-months");
  if (monthsBox) {
    var months = window.echarts.init(monthsBox, null, { renderer: "svg" });
    months.setOption({
      color: colours,
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 40, right: 16, top: 48, bottom: 32 },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "total", data: s.data, barMaxWidth: 36 };
      })
    });
    charts.push(months);
  }

  var outcomesBox = document.getElementById("chart-outcomes");
  if (outcomesBox) {
    var o = data.outcomes;
    var outcomes = window.echarts.init(outcomesBox, null, { renderer: "svg" });
    outcomes.setOption({
      color: ["#198754", "#dc6d1e", "#adb5bd", "#6f42c1"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: o.categories, inverse: true },
      series: [
        { name: "达成协议", type: "bar", stack: "n", data: o.agreed },
        { name: "调解不成", type: "bar", stack: "n", data: o.failed },
        { name: "不予受理", type: "bar", stack: "n", data: o.declined },
        { name: "办理中", type: "bar", stack: "n", data: o.open }
      ]
    });
    charts.push(outcomes);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
