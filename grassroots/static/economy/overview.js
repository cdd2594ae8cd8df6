/* Income by village (actual against projected) as an ECharts bar chart.
   Data comes from the json_script element #income-data (no inline scripts:
   the CSP forbids them); a click on a bar opens that village's income rows.
   The table below the chart holds the same numbers and links. */
(function () {
  "use strict";
  var holder = document.getElementById("income-data");
  var box = document.getElementById("chart-income");
  if (!holder || !box || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  if (!data.villages.length) { box.hidden = true; return; }
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    color: ["#1f4e8c", "#9bb7dd"],
    // richText: drawn by ECharts itself, not as HTML with inline styles (the CSP forbids them).
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { data: ["实际", "预计"], top: 0 },
    grid: { left: 72, right: 12, top: 32, bottom: 48 },
    xAxis: { type: "category", data: data.villages, axisLabel: { interval: 0, rotate: data.villages.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", name: "元" },
    series: [
      { name: "实际", type: "bar", data: data.actual, barMaxWidth: 28, cursor: "pointer" },
      { name: "预计", type: "bar", data: data.projected, barMaxWidth: 28, cursor: "pointer" }
    ]
  });
  chart.on("click", function (params) {
    var url = data.urls[params.dataIndex];
    if (url) { window.location.assign(url); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();

/* Project progress (the last reached milestone's %) as horizontal bars from
   the json_script element #progress-data; a click opens the project. The list
   under the chart holds the same numbers and links. */
(function () {
  "use strict";
  var holder = document.getElementById("progress-data");
  var box = document.getElementById("chart-progress");
  if (!holder || !box || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  if (!data.names.length) { box.hidden = true; return; }
  // One row of 26 px per project (the demo has 22), never under the stylesheet's minimum.
  box.style.height = Math.max(160, data.names.length * 26 + 40) + "px";
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    color: ["#2e7d4f"],
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v + "%"; } },
    grid: { left: 8, right: 40, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: data.names, inverse: true, axisLabel: { width: 120, overflow: "truncate" } },
    series: [{
      name: "进度", type: "bar", data: data.progress, barMaxWidth: 18, cursor: "pointer",
      label: { show: true, position: "right", formatter: "{c}%" }
    }]
  });
  chart.on("click", function (params) {
    var url = data.urls[params.dataIndex];
    if (url) { window.location.assign(url); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
