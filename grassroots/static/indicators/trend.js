/* The 12-month trend of one indicator: the month's figure as bars, the
   year-to-date year-on-year change as a line. Data comes from the
   json_script element #trend-data (no inline scripts: the CSP forbids them). */
(function () {
  "use strict";
  var holder = document.getElementById("trend-data");
  var box = document.getElementById("chart-trend");
  if (!holder || !box || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    color: ["#1f4e8c", "#b3261e"],
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months },
    yAxis: [
      { type: "value", name: data.unit },
      { type: "value", name: "%", splitLine: { show: false } }
    ],
    series: [
      { name: "本月值", type: "bar", data: data.monthly, barMaxWidth: 28 },
      { name: "累计同比", type: "line", yAxisIndex: 1, data: data.yoy, connectNulls: false }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
