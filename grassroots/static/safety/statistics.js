/* Charts of the safety statistics page. The server renders the figures into
   the json_script element #safety-stats-data (no inline scripts: the CSP
   forbids them); the tables below the charts carry the same numbers. */
(function () {
  "use strict";
  var holder = document.getElementById("safety-stats-data");
  if (!holder || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var charts = [];

  function draw(id, option, empty) {
    var box = document.getElementById(id);
    if (!box) { return; }
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    if (empty) {
      option = {
        title: { text: "暂无数据", left: "center", top: "middle", textStyle: { color: "#6c757d", fontSize: 14, fontWeight: "normal" } }
      };
    }
    chart.setOption(option);
    charts.push(chart);
  }

  function sum(values) {
    return values.reduce(function (a, b) { return a + b; }, 0);
  }

  draw("chart-trend", {
    color: ["#1f4e8c", "#dc6d1e", "#198754"],
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months.map(function (m) { return m.slice(2).replace("-", "/"); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "检查次数", type: "bar", data: data.inspections, barMaxWidth: 24 },
      { name: "发现隐患", type: "bar", data: data.hazards, barMaxWidth: 24 },
      { name: "销号隐患", type: "line", data: data.closed, smooth: true }
    ]
  }, sum(data.inspections) + sum(data.hazards) + sum(data.closed) === 0);

  var kinds = data.kinds;
  draw("chart-kinds", {
    color: ["#e0a020", "#b3261e"],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: kinds.labels, inverse: true },
    series: [
      { name: "一般隐患", type: "bar", stack: "n", data: kinds.general, barMaxWidth: 20 },
      { name: "重大隐患", type: "bar", stack: "n", data: kinds.major, barMaxWidth: 20 }
    ]
  }, sum(kinds.general) + sum(kinds.major) === 0);

  var places = data.places;
  draw("chart-rate", {
    color: ["#198754"],
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: function (items) {
        var i = items[0].dataIndex;
        return places.labels[i] + "<br>整改率 " + places.rate[i] + "%(已销号 " + places.closed[i] + " / 已下达通知 " + places.noticed[i] + ")";
      }
    },
    grid: { left: 8, right: 40, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100, interval: 25, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: places.labels, inverse: true },
    series: [
      { name: "整改率", type: "bar", data: places.rate, barMaxWidth: 20, label: { show: true, position: "right", formatter: "{c}%" } }
    ]
  }, sum(places.noticed) === 0);

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
