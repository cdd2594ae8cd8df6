/* The cumulative signing curve of a project as an ECharts line. Data comes
   from the json_script element #signing-data (no inline scripts: the CSP
   forbids them); the tables below the chart hold the figures. */
(function () {
  "use strict";
  var holder = document.getElementById("signing-data");
  var box = document.getElementById("chart-signing");
  if (!holder || !box || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  if (!data.days.length) { box.textContent = "还没有签约记录。"; return; }
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    color: ["#198754"],
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 12, top: 12, bottom: 28 },
    xAxis: { type: "category", data: data.days },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: "累计签约", type: "line", data: data.signed, showSymbol: data.days.length < 40, areaStyle: { opacity: 0.15 } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
