// Registration statistics: a bar chart of processing times per service, drawn
// with ECharts from the JSON block the page renders with json_script (no
// inline scripts: CSP). The same numbers are in the table below the chart.
(function () {
  "use strict";

  var source = document.getElementById("stats-chart-data");
  var target = document.getElementById("stats-chart");
  if (!source || !target || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  if (!data.services.length) {
    target.textContent = "所选期间没有已办结的申请。";
    target.classList.add("text-muted", "small", "d-flex", "align-items-center", "justify-content-center");
    return;
  }
  var chart = echarts.init(target, null, { renderer: "svg" });
  // On a phone the legend wraps to two lines: leave room above the plot.
  var narrow = target.clientWidth < 576;
  chart.setOption({
    color: ["#1f4e8c", "#b3261e", "#2e9d5b", "#f0a020"],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 8, bottom: 8, top: narrow ? 76 : 48, containLabel: true },
    xAxis: { type: "category", data: data.services, axisLabel: { interval: 0, width: 90, overflow: "break" } },
    yAxis: { type: "value", name: "工作日", minInterval: 1 },
    series: [
      { name: "中位数", type: "bar", data: data.median },
      { name: "最长", type: "bar", data: data.maximum },
      { name: "帮办中位数", type: "bar", data: data.assisted },
      { name: "自办中位数", type: "bar", data: data.unassisted }
    ]
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
