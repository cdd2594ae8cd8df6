/* The daily figure of a campaign as an ECharts bar chart. Data comes from
   the json_script element #progress-data (no inline scripts: the CSP forbids
   them); the table below the chart holds the same numbers. */
(function () {
  "use strict";
  var holder = document.getElementById("progress-data");
  var box = document.getElementById("chart-daily");
  if (!holder || !box || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  if (!data.days.length) { box.hidden = true; return; }
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    color: ["#1f4e8c"],
    tooltip: { trigger: "axis" },
    grid: { left: 36, right: 12, top: 16, bottom: 28 },
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: "核采数", type: "bar", data: data.counts, barMaxWidth: 32 }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
